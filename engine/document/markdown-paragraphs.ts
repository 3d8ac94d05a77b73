/**
 * Paragraphs of plain text, and setext headings of them, built without micromark's content and
 * text tokenizers.
 *
 * micromark reads a paragraph's every character twice (as flow content, then as text in a child
 * tokenizer of its own), and mdast-util-from-markdown makes a handful of objects per event: with
 * the lists read by markdown-lists.ts, prose paragraphs were most of what was left of a
 * megabyte's check time (issue #13 item 5: every input of up to 1 MB checks in under 2 s). A
 * paragraph whose every line is plain text (markdown-plain.ts) in the first column, starting at
 * a block's start (the text's start, after a blank line, after a closer in the first column:
 * an ATX heading or a leaf directive, markdown-plain.ts, or after a quote's line that leaves no
 * paragraph open for it to go on with lazily: an empty one, a fence's or its code's, quoteParagraphEnds) and ending at a blank line, the text's
 * end, such a closer, or a block quote's `>`, a fence's opening or a list item (a bullet or the
 * number 1, and text) in the first column (each interrupts it), is one paragraph with one
 * text node holding its lines as written. Consecutive such paragraphs (blank lines between) are
 * handed to micromark as one fenced code block of the same extent, or a paragraph of one line as
 * a thematic break (`*****`), every offset kept, and the paragraph nodes are built here; a run
 * whose first or last line is too short to write a stand-in over (canStandIn) is built so only
 * when markdown.ts reads it apart from micromark (parseAround). When a
 * stand-in does not come back where and as expected, nothing is replaced and the caller parses
 * the text as it is.
 *
 * Why a blank line is enough before a paragraph here, when a list needs more (markdown-lists.ts):
 * after a blank line, a line in the first column that is not a list item continues no block
 * (no list item, block quote, footnote, table or HTML block of types 6 and 7 goes on through a
 * blank line and an unindented line), except fenced code and HTML blocks of types 1 to 5, which
 * are tracked (markdown-literal.ts), and a `:::` container, inside which the paragraph stays a
 * paragraph and its stand-in is found. A closer in the first column ends every block but an HTML
 * block of types 6 and 7 or a table, which run on to a blank line (OPAQUE, markdown-plain.ts), and
 * may be followed by a paragraph.
 *
 * A setext underline (up to 3 spaces, a run of `=` or of `-`, spaces or tabs: SETEXT) right after
 * such a paragraph's line makes it a heading, of depth 1 (`=`) or 2 (`-`), whose text is its lines
 * as written, trailing spaces on its last line left out (the only line that may end in them: on
 * another they would make a hard break). It comes before a thematic break (`---`) and a list item
 * (`- `, which would be empty, and an empty item interrupts no paragraph), and, the paragraph being
 * no lazy line, there is no other reading of it. Like a closer it ends every block, so a paragraph
 * may start on the next line; micromark reads whatever comes after it as it reads what comes after
 * a stand-in's closing fence line. Setext headings one after another, with no blank line between,
 * cost micromark the square of their length (8 KB: 1.9 s) and nothing cuts them into chunks.
 *
 * Indented lines: a paragraph may also start 1 to 3 spaces in (4 are indented code) where nothing
 * a line so indented could go on in is open (no list item, block quote or footnote definition
 * since the text's start, a paragraph's first line or a closer), and go on with lines indented any
 * number of spaces; micromark leaves those spaces out of its text and positions (textStart). White
 * space at a paragraph's end (before a blank line, a closer or the text's end) is left out of its
 * text, not of the paragraph. 1 MB of `>    a`, or of `> \t:::`, took 4 to 8 s with micromark.
 * test/check/markdown-paragraphs.test.ts compares the trees with micromark's.
 */
import type { Break, Heading, Paragraph, Root, Text } from 'mdast';
import { decodeString } from 'micromark-util-decode-string';
import {
  type ChunkLine,
  CLEAR,
  CLEAR_BEFORE,
  CLOSER_SHAPE,
  eachLine,
  exactly,
  opensFence,
  quoteParagraphEnds,
} from './markdown-literal.js';
import { opensBlockTag } from './markdown-html.js';
import { nestsInterrupted } from './markdown-item-markers.js';
import { PLAIN_TEXT } from './markdown-plain.js';
import { restoreStandIns } from './markdown-stand-ins.js';
import { htmlBlockNames, htmlRawNames } from 'micromark-util-html-tag-name';
import { copyPoint } from './markdown-shift.js';

/**
 * A list item that interrupts a paragraph: a bullet, or the number 1, then spaces or tabs and
 * content that does not start with an item's marker. micromark's rules there are only a lone `1`
 * and no blank item, but they hold for an item nested on the same line too (`- -` holds a
 * paragraph, `- 2. a` a paragraph): after a stand-in, no paragraph to interrupt, the same line
 * would nest a list, so the paragraph is not read here.
 */
const INTERRUPTING_ITEM = /^(?:[-*+]|1[.)])[ \t]+(?!(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$))\S/;

/** A line that may close fenced code: up to 3 spaces, 3 or more backticks or tildes, spaces. */
const CLOSING = /^ {0,3}(?:`{3,}|~{3,})[ \t]*$/;

/** A line of a paragraph read here: plain text from the first column. */
const PLAIN_LINE = new RegExp(`^${PLAIN_TEXT}$`, 'u');
/** The same with trailing spaces or tabs: a setext heading's last line of text, if one follows. */
const TRAILING_LINE = new RegExp(`^${PLAIN_TEXT}[ \t]+$`, 'u');
/** A name, any case: `[dD][iI][vV]` (the names of HTML blocks are matched so). */
const anyCase = (name: string): string =>
  [...name].map((c) => (/[a-z]/.test(c) ? `[${c}${c.toUpperCase()}]` : c)).join('');
/**
 * An inline tag at a line's start, whole, and text right after it: no HTML block starts so
 * (types 1 and 6 are these names; 7 is a tag alone on its line; 2 to 5 start `<!` or `<?`).
 */
const INLINE_TAG = `<(?!(?:${[...htmlBlockNames, ...htmlRawNames].map(anyCase).join('|')})(?![A-Za-z0-9-]))[A-Za-z][A-Za-z0-9-]*(?:[ \\t][^<>"'\`=\\r\\n]*)?>(?=[^ \\t])`;
/**
 * A paragraph's line that is not PLAIN_TEXT: with escapes or character references to decode
 * (DECODED_TEXT of markdown-plain.ts, which it follows), tabs or pipes inside it (data, a column
 * each, as micromark counts them there; `1.` and a tab would be a list item; a line with a pipe
 * is a table's head only over a delimiter row, which is no paragraph's line here and ends the
 * paragraph read so far), or a first character no block starts with: ASCII punctuation that
 * starts nothing (`!`, quotes, parentheses, `$`, …), anything past ASCII, a mark that starts a
 * block only alone or followed by white space, and then is not (`*a`, `**Note:**`, `_a_`, `+a`,
 * `-a`, `=a`, `:a`, `#a`; not a line of only `*`, `_`, `-` or `=` and white space, a break or an
 * underline; not `::`; not a line of only `-`, `:`, `|` and white space, which GFM reads as a
 * table's delimiter row), `[` with a `]` on the line not followed by `:` (no definition), an
 * inline tag (INLINE_TAG); `|` followed by something that is not `-`, `:`, `|` or white space (no
 * delimiter row; a table's head only over one, which is no paragraph's line here and drops the
 * paragraph read so far). Never `>`, `~` or a space first.
 */
export const PARAGRAPH_TEXT = `(?!\\d{1,9}[.)](?:[ \\t]|$))(?:[\\p{L}\\p{N}\\\\&!"'(),./;?@$%^{}]|[^\\x00-\\x7F\\s]|\`(?!\`\`)|\\*(?![ \\t])(?=.*[^* \\t])|_(?=.*[^_ \\t])|\\+(?![ \\t]|$)|-(?![ \\t]|$)(?=.*[^\\-:| \\t])|=(?=.*[^= \\t])|:(?!:)(?=.*[^\\-:| \\t])|\\|(?=.*[^\\-:| \\t])|#+(?![# \\t]|$)|\\[(?=[^[\\]\\\\]*\\](?!:))|${INLINE_TAG})(?:[^\\r\\0]*[^\\s\\0])?`;
const DECODED_LINE = new RegExp(`^${PARAGRAPH_TEXT}$`, 'u');
const DECODED_TRAILING = new RegExp(`^${PARAGRAPH_TEXT} +$`, 'u');
/** A point in the text, as mdast's positions hold them. */
type Point = NonNullable<Paragraph['position']>['start'];
/** An ATX heading indented 1 to 3 spaces. */
const INDENTED_HEADING = /^ {1,3}#{1,6}(?:[ \t]|$)/;
/** A setext heading's underline. */
const SETEXT = /^ {0,3}(?:=+|-+)[ \t]*$/;
/**
 * A line of only `=`, which underlines a paragraph's line above it (SETEXT) and is text anywhere
 * else: where a paragraph may start, none is open for it to underline, and it starts one
 * (`===` then a blank line is a paragraph; `===` twice, a heading of `===`). Not with spaces
 * around it: a trailing space would be a hard break's or a heading's to drop.
 */
const EQUALS = /^=+$/;

/**
 * A line of only colons: a `:::` container's closing line inside one, text outside every one (with
 * no name it opens none, and no inline construct starts `::`).
 */
const COLONS = /^:{3,}$/;

/** A paragraph, or a setext heading (its underline the last of its lines), read here. */
export interface PlainBlock {
  lines: ChunkLine[];
  /** 0 for a paragraph; 1 (`=`) or 2 (`-`) for a setext heading. */
  depth: 0 | 1 | 2;
  /** Where its text ends: its last line's end, or a heading's last line of text's before trailing white space. */
  textEnd: number;
  /**
   * Text micromark changes: escapes or character references decoded, and in a paragraph, spaces
   * at the end of a line before its last dropped (one) or made a hard break (two or more; never
   * in a heading read here).
   */
  decoded: boolean;
}

export interface ParagraphRun {
  start: number;
  end: number;
  /** Every line the stand-in covers, blank ones between paragraphs included. */
  lines: ChunkLine[];
  paragraphs: PlainBlock[];
}

/**
 * The runs of plain paragraphs in `text` (see above); `first`: the document's first chunk, where
 * the frontmatter may stand; `outside`: whether a line's start is outside every `:::` container
 * (a line of only colons is text there), never unless told.
 */
export function findParagraphRuns(
  text: string,
  first = false,
  outside: (offset: number) => boolean = () => false,
): ParagraphRun[] {
  const runs: ParagraphRun[] = [];
  /** The paragraphs since the run began, and the lines from its first paragraph's start. */
  let paragraphs: PlainBlock[] = [];
  let lines: ChunkLine[] = [];
  /** The paragraph being read, if it is one read here so far, and where its text ends so far. */
  let current: ChunkLine[] | null = null;
  let textEnd = 0;
  /**
   * The current paragraph's last line ends in white space: it is read here only as a heading's,
   * as a paragraph's last (a blank line, a closer or the text's end next), or, spaces only, when
   * another line of text follows it (a hard break, or a space dropped).
   */
  let trailing = false;
  let trailingTab = false;
  /** The current paragraph is a decoded one (PlainBlock.decoded). */
  let decoded = false;
  /** It has a hard break or a space dropped at a line's end: no heading's text here. */
  let broken = false;
  /** A paragraph may start at the next line. */
  let startable = true;
  /**
   * No list item, block quote or footnote definition may be open above the next line (the text's
   * start, a paragraph started here, a closer): a line indented 1 to 3 spaces may start a
   * paragraph there. After a list item and a blank line, such a line may go on in the item.
   */
  let clean = true;
  const close = (): void => {
    if (paragraphs.length > 0) {
      const last = paragraphs[paragraphs.length - 1]!.lines;
      const end = lines.indexOf(last[last.length - 1]!) + 1;
      const covered = lines.slice(0, end);
      runs.push({
        start: covered[0]!.start,
        end: covered[covered.length - 1]!.end,
        lines: covered,
        paragraphs: exactly(paragraphs),
      });
    }
    paragraphs = [];
    lines = [];
  };
  /** The paragraph read so far ends here. */
  const endParagraph = (): void => {
    if (current !== null) paragraphs.push({ lines: exactly(current), depth: 0, textEnd, decoded });
    current = null;
  };
  /** Whether a quote's line leaves no paragraph open in it (quoteEndsParagraphs, or code a quote's fence opened). */
  const quoteEnds = quoteParagraphEnds();
  eachLine(text, first, (line, at, literal, blank, flags) => {
    const endsInQuote = quoteEnds(literal ? null : line);
    if (literal) {
      // Code, HTML or frontmatter: no paragraph here, and a run does not go on through it. After a
      // fence's closing line (a line of a fence's characters is literal only in code it may
      // close: if it does not, the next line is literal too), a paragraph may start.
      current = null;
      trailing = false;
      close();
      startable = CLOSING.test(line);
      clean = false;
      return;
    }
    if (current !== null && !blank && SETEXT.test(line)) {
      if (broken || (line.includes('-') && current.some((l) => text.slice(l.start, l.end).includes('|')))) {
        // A heading whose text has a break in it, or dashes under a pipe (maybe a table's
        // delimiter row, GFM's `a |` over `---`): micromark reads it, and the run ends before it.
        current = null;
        trailing = false;
        close();
        startable = false;
        clean = false;
        return;
      }
      // An underline: the paragraph is a heading, which ends here; a paragraph may start after it.
      current.push(at);
      lines.push(at);
      paragraphs.push({ lines: exactly(current), depth: line.includes('=') ? 1 : 2, textEnd, decoded });
      current = null;
      trailing = false;
      startable = true;
      return;
    }
    const last = line.charCodeAt(line.length - 1);
    const ends = last === 32 || last === 9;
    // Spaces before the text: up to 3 where a paragraph starts (4 are indented code), any number on
    // a line it goes on with. micromark leaves them out of the text.
    const indent = line.charCodeAt(0) === 32 ? leadingSpaces(line) : 0;
    const body = indent === 0 ? line : line.slice(indent);
    // A closer ends the paragraph: one in the first column, or an ATX heading indented 1 to 3 spaces
    // where no list item is open for it to go on in (markdown-headings.ts).
    const closes = (flags & CLEAR) !== 0 && ((flags & CLOSER_SHAPE) !== 0 || (clean && INDENTED_HEADING.test(line)));
    /** 1: plain text; 2: text to decode; 0: neither, or no paragraph may start here. */
    let kind =
      current === null && (!startable || (indent > 0 && (indent > 3 || !clean)))
        ? 0
        : (ends ? TRAILING_LINE.test(body) : PLAIN_LINE.test(body)) ||
            (current === null && EQUALS.test(body)) ||
            (body.charCodeAt(0) === 58 /* : */ && COLONS.test(body) && outside(at.start))
          ? 1
          : (ends ? DECODED_TRAILING.test(body) : DECODED_LINE.test(body))
            ? 2
            : 0;
    if (trailing) {
      if (kind !== 0 && !trailingTab) {
        // Another line of text after spaces: a hard break, or a space dropped.
        decoded = true;
        broken = true;
      } else if (blank || closes) {
        // The paragraph ends at a blank line or a closer: the white space at its end is left out
        // of its text, not of the paragraph.
        decoded = true;
      } else {
        // No underline or text after a line ending in white space: the paragraph is not read
        // here, nor is this line, which goes on with it or ends it.
        current = null;
        close();
        kind = 0;
      }
      trailing = false;
    }
    if (blank) {
      endParagraph();
      if (paragraphs.length > 0) lines.push(at);
      startable = true;
      return;
    }
    if (kind !== 0) {
      if (current === null) {
        current = [];
        decoded = false;
        broken = false;
        // A paragraph after something that is not in the run: the run so far ends before it.
        if (paragraphs.length > 0 && lines[lines.length - 1]?.row !== at.row - 1) close();
      }
      current.push(at);
      lines.push(at);
      // A line after the first with spaces before its text: its text is read line by line.
      if (kind === 2 || (indent > 0 && current.length > 1)) decoded = true;
      clean = true;
      textEnd = at.end;
      while (text.charCodeAt(textEnd - 1) === 32 || text.charCodeAt(textEnd - 1) === 9) textEnd--;
      trailing = textEnd !== at.end;
      trailingTab = trailing && text.slice(textEnd, at.end).includes('\t');
      startable = false;
    } else {
      const closer = closes;
      // A closer (an ATX heading or a leaf directive), a block quote's `>` or a fence's opening in
      // the first column interrupts the paragraph (it is kept; after a `>`, a line may go on in the
      // quote lazily); anything else may go on with it or interrupt it in a way not read here (it is dropped).
      const c = line.charCodeAt(0);
      // Not where the containers it starts hold an item that interrupts no paragraph (`> -`, `- > 2. a`):
      // micromark reads it so after the paragraph, the line read after a stand-in would not.
      const opens =
        (c === 62 /* > */ ||
          ((c === 96 || c === 126) /* ` ~ */ && opensFence(line) !== null) ||
          INTERRUPTING_ITEM.test(line)) &&
        !nestsInterrupted(line);
      // So does an HTML block of a block tag (`<div>`: CommonMark's type 6), which a blank line
      // ends (markdown-html.ts reads it); the other kinds open literal lines (above), and a
      // complete tag alone on its line (type 7) interrupts no paragraph.
      const html = c === 60 /* < */ && (flags & CLEAR_BEFORE) !== 0 && opensBlockTag(line);
      if (closer || (opens && (flags & CLEAR) !== 0) || html) endParagraph();
      current = null;
      close();
      // After a bare `>` (a quote's empty line) or a quoted fence's line no paragraph is open in a
      // quote: text goes on with none.
      startable = closer || (c === 62 && (flags & CLEAR) !== 0 && endsInQuote);
      clean = closer;
    }
  });
  if (trailing) decoded = true; // the text's end ends the paragraph, as a blank line does
  endParagraph();
  close();
  return runs;
}

/** How many spaces `text` holds from `from` on. */
function leadingSpaces(text: string, from = 0): number {
  let at = from;
  while (text.charCodeAt(at) === 32) at++;
  return at - from;
}

/** Where a line's text starts: past the spaces before it (a paragraph's line may be indented). */
const textStart = (text: string, line: ChunkLine): number => line.start + leadingSpaces(text, line.start);

/** Replaces each run's stand-in by its paragraphs; false, tree untouched, when one is missing. */
export function restoreParagraphs(tree: Root, runs: readonly ParagraphRun[], text: string): boolean {
  return restoreStandIns(tree, runs, (run, line) => buildParagraphs(run, text, line));
}

/** The run's paragraphs and headings; `firstLine`: the line its first paragraph starts on. */
export function buildParagraphs(run: ParagraphRun, text: string, firstLine: number): (Paragraph | Heading)[] {
  const rowToLine = firstLine - run.lines[0]!.row;
  return run.paragraphs.map((block) =>
    block.depth === 0 ? paragraph(block, text, rowToLine) : heading(block, text, rowToLine),
  );
}

/** A paragraph as micromark and mdast build it: one text node of its lines as written. */
function paragraph(block: PlainBlock, text: string, rowToLine: number): Paragraph {
  const { lines } = block;
  if (block.decoded) return decodedParagraph(lines, text, rowToLine);
  const first = lines[0]!;
  const last = lines[lines.length - 1]!;
  const from = textStart(text, first);
  const start = { line: first.row + rowToLine, column: from - first.start + 1, offset: from };
  const end = { line: last.row + rowToLine, column: last.end - last.start + 1, offset: last.end };
  return {
    type: 'paragraph',
    children: [
      { type: 'text', value: text.slice(from, last.end), position: { start: copyPoint(start), end: copyPoint(end) } },
    ],
    position: { start, end },
  };
}

/**
 * A paragraph whose text micromark decodes, as it and mdast build it: a text node of its lines
 * with escapes and character references decoded and the spaces at each line's start and end
 * dropped, up to each hard break (two or more spaces before a line ending: a break node from the
 * spaces to the next line's start), where the next text node starts past that line's spaces.
 */
function decodedParagraph(lines: readonly ChunkLine[], text: string, rowToLine: number): Paragraph {
  const children: (Text | Break)[] = [];
  const point = (line: ChunkLine, offset: number): Point => ({
    line: line.row + rowToLine,
    column: offset - line.start + 1,
    offset,
  });
  let start = point(lines[0]!, textStart(text, lines[0]!));
  let value = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    let end = line.end;
    // Spaces, and on the last line tabs too (no other line of a paragraph read here ends in one).
    while (text.charCodeAt(end - 1) === 32 || text.charCodeAt(end - 1) === 9) end--;
    value += decodeString(text.slice(textStart(text, line), end));
    const next = lines[i + 1];
    if (next === undefined) {
      children.push({ type: 'text', value, position: { start, end: point(line, end) } });
    } else if (line.end - end >= 2) {
      children.push(
        { type: 'text', value, position: { start, end: point(line, end) } },
        { type: 'break', position: { start: point(line, end), end: point(next, next.start) } },
      );
      start = point(next, textStart(text, next));
      value = '';
    } else {
      value += '\n';
    }
  }
  const first = lines[0]!;
  const last = lines[lines.length - 1]!;
  return {
    type: 'paragraph',
    children,
    position: { start: point(first, textStart(text, first)), end: point(last, last.end) },
  };
}

/**
 * A setext heading as micromark and mdast build it: one text node of its lines as written, up to
 * its text's end; the heading ends where its underline's line does (trailing white space in it).
 */
function heading(block: PlainBlock, text: string, rowToLine: number): Heading {
  const { lines, textEnd } = block;
  const first = lines[0]!;
  const lastText = lines[lines.length - 2]!;
  const underline = lines[lines.length - 1]!;
  const line = first.row + rowToLine;
  const textLine = lastText.row + rowToLine;
  const textEndColumn = textEnd - lastText.start + 1;
  const from = textStart(text, first);
  // Decoded: escapes, references, or a line after the first with spaces before its text (dropped).
  const value = block.decoded
    ? decodeString(
        lines
          .slice(0, -1)
          .map((l) => text.slice(textStart(text, l), l === lastText ? textEnd : l.end))
          .join('\n'),
      )
    : text.slice(from, textEnd);
  const start = { line, column: from - first.start + 1, offset: from };
  return {
    type: 'heading',
    depth: block.depth as 1 | 2,
    children: [
      {
        type: 'text',
        value,
        position: { start: copyPoint(start), end: { line: textLine, column: textEndColumn, offset: textEnd } },
      },
    ],
    position: {
      start,
      end: { line: underline.row + rowToLine, column: underline.end - underline.start + 1, offset: underline.end },
    },
  };
}
