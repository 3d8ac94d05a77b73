/**
 * Plain text: what micromark's block parse (inline constructs off, markdown.ts) keeps exactly as
 * written and cannot read as the start of another block, in a paragraph or a list item's first
 * line. It starts with a letter, a digit (not an ordered list's `1.` or `1)`), ASCII punctuation
 * that starts no block (`!`, quotes, parentheses, `,`, `.`, `/`, `;`, `?`, `@`, `$`, `%`, `^`,
 * braces: the first characters PARAGRAPH_TEXT of markdown-paragraphs.ts takes too), anything past
 * ASCII but white space (a no-break space or a byte order mark is white space to JavaScript's `\s`,
 * left out), or a single backtick (three open a fence); it holds no backslash or `&` (escapes and
 * character references are decoded), no `|` (a table), no carriage return or NUL; it ends in a
 * character that is not white space (trailing spaces make a hard break or are dropped). A tab in
 * it, past its first character, is kept as written and its width counts for nothing (only an
 * indent's does), so a paragraph or item holding one reads alike in any column
 * (test/check/markdown-tabs.test.ts). The stand-ins of markdown-lists.ts and markdown-paragraphs.ts
 * take only such text.
 */
export const PLAIN_TEXT =
  /(?!\d{1,9}[.)](?:[ \t]|$))(?:[\p{L}\p{N}!"'(),./;?@$%^{}]|[^\x00-\x7F\s]|`(?!``))(?:[^\\&|\r\0]*[^\\&|\s\0])?/u
    .source;

/**
 * Text micromark's block parse keeps as written but for what it decodes: PLAIN_TEXT, which may
 * also start with and hold backslashes and `&` (a character escape or reference is decoded, any
 * other backslash or `&` kept; a backslash before a line ending is no hard break, that construct
 * being off). Neither starts or interrupts a block. Paragraphs take it (markdown-paragraphs.ts).
 */
export const DECODED_TEXT =
  /(?!\d{1,9}[.)](?:[ \t]|$))(?:[\p{L}\p{N}\\&!"'(),./;?@$%^{}]|[^\x00-\x7F\s]|`(?!``))(?:[^|\r\0]*[^|\s\0])?/u.source;

/**
 * DECODED_TEXT that may also hold `|` (`ps aux | grep x`): a line of it is a table's head row
 * only when the next line is a delimiter row, so markdown-lists.ts takes it in an item's first
 * line only where the next line cannot be one (mayBeDelimiterRow).
 */
export const PIPED_TEXT =
  /(?!\d{1,9}[.)](?:[ \t]|$))(?:[\p{L}\p{N}\\&!"'(),./;?@$%^{}]|[^\x00-\x7F\s]|`(?!``))(?:[^\r\0]*[^\s\0])?/u.source;

/**
 * A line that may be a GFM table's delimiter row (only `|`, `:`, `-`, spaces and tabs, after the
 * `>` of block quotes it may stand in): after a line holding a `|`, it could make that line a
 * table's head.
 */
export const mayBeDelimiterRow = (line: string): boolean => /^[ \t>]*[|:-][ \t|:-]*$/.test(line);

/** An ATX heading in the first column: it ends every block before it, and interrupts a paragraph. */
export const HEADING = /^#{1,6}(?:[ \t]|$)/;

/** A directive's name, as micromark-extension-directive reads it and Stepwise's names are written. */
const NAME = '[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?';

/**
 * A leaf directive alone on its line in the first column: `::`, a name, a label of plain text or
 * none, no attributes. micromark reads it as one wherever a line in the first column starts a
 * block: like an ATX heading, it interrupts a paragraph and closes any list, block quote,
 * footnote definition or table open above it.
 */
export const LEAF = new RegExp(`^::${NAME}(?:${/\[[^[\]\\`]*\]/.source})?[ \t]*$`);

/**
 * A leaf directive's label of plain text, as micromark-extension-directive reads it and mdast
 * builds it: the text between the brackets (spaces at either end kept, `[]` no text at all), with
 * escapes and character references decoded (markdown-leaf-lines.ts), no backtick, tab (columns),
 * carriage return or NUL, and no backslash last (`\]` ends no label). Brackets in it come in
 * pairs, one deep, with no backslash anywhere in such a label (`\[` is no bracket to micromark):
 * labels nest, and a confirm's label often reads a row (`{{ rows[0].n }}`); inline syntax being
 * off in the block parse, they are text.
 */
const PLAIN_LABEL = /\[(?:(?:[^[\]`\t\r\0]*[^[\]\\`\t\r\0])?|(?:[^[\]\\`\t\r\0]|\[[^[\]\\`\t\r\0]*\])*)\]/.source;

/**
 * An `#id` or `.class` shortcut, one after another (`.a.b`): its value holds no white space, no
 * `&` (character references are decoded in values), nothing that ends it (`#`, `.`, `}`) and
 * nothing micromark refuses in it (quotes, `<`, `=`, `>`, backtick), no `{` or NUL.
 */
const SHORTCUTS = /(?:[#.][^\s"#'.<=>`{}&\0]+)+/.source;
/** An attribute's name: ASCII letters, digits, `_` and `-`, then `.` and `:` too. */
const ATTRIBUTE_NAME = /[A-Za-z0-9_-][A-Za-z0-9_.:-]*/.source;
/**
 * An attribute's value after its `=` (no space before or after it): double or single quoted, with
 * no `&`, tab, carriage return or NUL in it, or unquoted, with no white space, quote, `<`, `=`,
 * `>`, backtick, brace, `&` or NUL.
 */
const VALUE = /"[^"&\t\r\0]*"|'[^'&\t\r\0]*'|[^\s"'<=>`{}&\0]+/.source;
const ATTRIBUTE = `${SHORTCUTS}|${ATTRIBUTE_NAME}(?:=(?:${VALUE}))?`;
/** Attributes in braces, separated by spaces, with spaces or none inside the braces. */
const PLAIN_ATTRIBUTES = `\\{ *(?:(?:${ATTRIBUTE})(?: +(?:${ATTRIBUTE}))*)? *\\}`;

/**
 * A leaf directive micromark certainly reads as one, whose node markdown-leaf-lines.ts builds:
 * `::`, a name, a plain label or none, plain attributes or none, then spaces or nothing. Groups:
 * the name, the label with its brackets, the attributes with their braces.
 */
export const PLAIN_LEAF = new RegExp(`^::(${NAME})(${PLAIN_LABEL})?(${PLAIN_ATTRIBUTES})? *$`);

/**
 * A container directive's label micromark reads as a paragraph of plain text (its text as
 * written): PLAIN_LABEL's characters, with no white space at either end (a paragraph drops it
 * from its text but not from the text node's place), or nothing (`[]`, a paragraph with no text).
 */
const PARAGRAPH_LABEL = /\[(?:[^[\]\\&`\s\0](?:[^[\]\\&`\t\r\0]*[^[\]\\&`\s\0])?)?\]/.source;

/**
 * A `:::` container's opening line micromark certainly reads as one, whose node
 * markdown-containers.ts builds: in the first column, three or more colons, a name, a plain label
 * or none, plain attributes or none (as PLAIN_LEAF's), then spaces or nothing. Groups: the
 * colons, the name, the label with its brackets, the attributes with their braces.
 */
export const PLAIN_CONTAINER = new RegExp(`^(:{3,})(${NAME})(${PARAGRAPH_LABEL})?(${PLAIN_ATTRIBUTES})? *$`);

/**
 * A thematic break in the first column: three or more `*`, `_` or `-` (one mark throughout),
 * spaces or tabs between them and after them, which micromark counts a column each (a break's
 * position ends after them). Like an ATX heading it interrupts a paragraph and closes every list
 * and block quote above it; a line of `-` with no space or tab between its marks is left out (it
 * would underline a paragraph above it as a setext heading: DASHES), and `- - -`, `* * *` are
 * breaks before they are list items, as CommonMark says.
 */
export const BREAK = /^(?:(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|(?=-+[ \t]+-)(?:-[ \t]*){3,})$/;

/**
 * Three or more `-` then spaces or tabs, in the first column: a thematic break where no paragraph
 * may be open above it (markdown-literal.ts tells where), a setext underline or the frontmatter's
 * fence elsewhere.
 */
export const DASHES = /^-{3,}[ \t]*$/;

/**
 * An HTML comment in the first column that closes on its line (CommonMark's HTML block of type 2
 * ends at the line holding `-->`, which may share the opening's dashes: `<!-->`): a block of one
 * line, which interrupts a paragraph and closes every list and block quote above it. No `|`
 * (opaque lines stay unread), tab, carriage return or NUL.
 */
export const COMMENT = /^<!(?=--)[^|\t\r\0]*-->[^|\t\r\0]*$/;

/**
 * OPAQUE: whether a line may open an HTML block of types 6 or 7, or start a table, both of which
 * run on to a blank line: `<` up to 3 spaces in, but for a comment that closes on its line (an
 * HTML block of type 2, which opens nothing that runs on); or a `|` where the line or the next
 * (in `text`, after `end`) may be a delimiter row (mayBeDelimiterRow: a table starts at its head row, right above
 * its delimiter row). markdown-literal.ts walks the lines with it.
 */
export function opaque(line: string, text: string, end: number): boolean {
  let i = 0;
  while (i < 3 && line.charCodeAt(i) === 32) i++;
  if (line.charCodeAt(i) === 60 /* < */) return !COMMENT.test(line);
  return line.includes('|') && (mayBeDelimiterRow(line) || mayBeDelimiterRow(lineAfter(text, end)));
}

/** The line after the one ending at `end` (before its line ending), or '' at the text's end. */
export function lineAfter(text: string, end: number): string {
  if (end >= text.length) return '';
  const after = text.indexOf('\n', end + 1);
  return text.slice(end + 1, after === -1 ? text.length : after);
}

/**
 * A line in the first column that ends every block open above it but a `:::` container, an HTML
 * block or a table (opaque), and is a block of one line: an ATX heading, a
 * leaf directive (LEAF, PLAIN_LEAF), a thematic break (BREAK) or an HTML comment (COMMENT). A
 * paragraph or list may start on the line after it.
 */
export const CLOSER = new RegExp(
  `${HEADING.source}|${LEAF.source}|${PLAIN_LEAF.source}|${BREAK.source}|${COMMENT.source}`,
);
