/**
 * Pathological input (issue #13 item 5): the shapes of CommonMark's reference pathological suite
 * (commonmark/cmark test/pathological_tests.py), the directive extension's own slow case (mixing
 * directives with link-like text, micromark-extension-directive#13), and the nesting that
 * crashed or took minutes: `check` never crashes and takes under 2 s; what nests too deep is one
 * `nesting-too-deep` error at the line where it passes the limit.
 *
 * The issue asks for each shape at 1 MB: STEPWISE_PATHOLOGICAL_FULL=1 runs them so (several
 * minutes on 2 cores). The suite runs them at 256 KB, and any shape still slow at 1 MB smaller
 * again (STILL_SLOW), so that a crash or a curve gone worse fails it without costing minutes
 * every run.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { checkSource } from '../../engine/check/check.js';
import { MAX_NESTING } from '../../engine/document/nesting.js';
import { bigProse } from '../helpers/generate.js';

const MB = 1024 * 1024;
/** How large each shape is (see the file's comment). */
const FULL = process.env.STEPWISE_PATHOLOGICAL_FULL === '1';
const SIZE = FULL ? MB : MB / 4;
/** `unit` repeated to about SIZE. */
const mb = (unit: string): string => unit.repeat(Math.max(1, Math.floor(SIZE / unit.length)));
/** A prefix and a suffix of repeated units around a middle, about SIZE together. */
const around = (open: string, middle: string, close: string): string => {
  const n = Math.floor(SIZE / (open.length + close.length));
  return open.repeat(n) + middle + close.repeat(n);
};

const noIncludes = (): string => {
  throw Object.assign(new Error('no includes here'), { code: 'ENOENT' });
};

function timed(source: string): { ms: number; diagnostics: ReturnType<typeof checkSource>['diagnostics'] } {
  const started = performance.now();
  const { diagnostics } = checkSource(source, '/tmp/pathological.md', noIncludes);
  return { ms: performance.now() - started, diagnostics };
}

/**
 * 2 s for a 1 MB file, as the issue asks, on a quiet machine. The suite runs on shared, loaded
 * machines, so the bound is 2 s or 8 times what 1 MB of ordinary runbook prose takes here and
 * now, whichever is more: a shape that goes quadratic still fails it by far. (It was 4 times: on
 * an hour when `node -e 0` took 150 ms, three times a quiet hour's, 256 KB of one link definition
 * repeated took 0.87 s alone and 2.17 s in a clean clone's run, against 2 s, micromark's reading
 * unchanged from the session before. The 2 s a megabyte on a quiet machine is the bench's row,
 * test/bench/check.mjs.)
 */
let limitMs = 2000;
let prose = '';
const measureLimit = (): void => {
  limitMs = Math.max(2000, 8 * timed(prose).ms);
};
beforeAll(() => {
  prose = bigProse(MB);
  timed(prose); // warm
  measureLimit();
});

/**
 * The source checked, timed, against the bound; up to twice more when over it, with the bound
 * taken again before each (the load of now, not of when the suite started, is what the prose
 * shows). A shape that makes much garbage (210,000 blocks) suffers more than prose from the
 * other files' load, and a burst of it can outlast one retry; a quadratic shape fails all three.
 */
function timedWithin(source: string): ReturnType<typeof timed> {
  let result = timed(source);
  for (let retry = 0; retry < 2 && result.ms > limitMs; retry++) {
    measureLimit();
    result = timed(source);
  }
  return result;
}

/**
 * How many times `small`'s check time `big`'s takes: each timed once a round, one after the
 * other, the best of each kept, so that a burst of the other files' load falls on one measure,
 * not on a size.
 */
function growth(small: string, big: string, rounds: number): number {
  let [smallMs, bigMs] = [Infinity, Infinity];
  for (let round = 0; round < rounds; round++) {
    smallMs = Math.min(smallMs, timed(small).ms);
    bigMs = Math.min(bigMs, timed(big).ms);
  }
  return bigMs / smallMs;
}

const SHAPES: [string, () => string][] = [
  // A run of lists left to micromark for the empty item after it was once left whole (8.5 s for
  // 256 KB): the lists before its last were then taken (markdown-lists.ts, finishedLists), and
  // since 2026-12-03 the empty item is read too.
  ['lists of one item, alternating bullets, then an empty item', () => `${mb('* a\n\n+ b\n\n')}* `],
  // One list with an empty item in it: when no reader here took an empty item, micromark read the
  // list whole, about 150 µs an item (1 MB of `- a` and a blank line, then `-`: 30 s); the list
  // reader takes them now (markdown-lists.ts: 1.4 to 2 s).
  ['a loose list, then an empty item', () => `${mb('- a\n\n')}-`],
  ['a tight list of empty items among others', () => mb('- a\n-\n')],
  ['nested strong emphasis', () => around('*a **a ', 'b', ' a** a*')],
  ['many emphasis closers with no openers', () => mb('a_ ')],
  ['many emphasis openers with no closers', () => mb('_a ')],
  ['many link closers with no openers', () => mb('a]')],
  ['many link openers with no closers', () => mb('[a')],
  ['mismatched openers and closers', () => mb('*a_ ')],
  ['openers and closers multiple of 3', () => `a**b${mb('c* ')}`],
  ['link openers and emphasis closers', () => mb('[ a_')],
  ['pattern [ (]( repeated', () => mb('[ (](')],
  ['nested brackets', () => around('[', 'a', ']')],
  ['nested parentheses in a link destination', () => `[a](${around('(', 'b', ')')})`],
  ['nested block quotes on one line', () => `${'> '.repeat(SIZE / 2)}a\n`],
  ['nested block quotes, one more per line', () => mb(`${'> '.repeat(200)}a\n`)],
  ['list markers nested on one line', () => `${'- '.repeat(SIZE / 2)}item\n`],
  [
    'deeply nested lists by indentation',
    // Each line one space deeper (CommonMark's pathological "nested lists"): n lines are n²/2 bytes.
    () => Array.from({ length: FULL ? 1440 : 720 }, (_, i) => `${' '.repeat(i)}* a\n`).join(''),
  ],
  [
    'backticks of growing length',
    () => Array.from({ length: FULL ? 1400 : 700 }, (_, i) => `e${'`'.repeat(i + 1)}`).join(''),
  ],
  ['unclosed links A', () => mb('[a](<b')],
  ['unclosed links B', () => mb('[a](b')],
  ['unclosed HTML comments', () => `</${mb('<!--')}`],
  ['unclosed processing instructions', () => mb('a <?')],
  ['unclosed CDATA', () => mb('a <![CDATA[')],
  ['unclosed declarations', () => mb('a <!A ')],
  ['many link reference definitions', () => `${mb('[a]: u\n')}[a]\n`],
  [
    'many different link reference definitions',
    () => {
      // Up to SIZE: the labels grow longer as they count up.
      const lines: string[] = [];
      for (let i = 0, size = 0; size < SIZE - 32; i++) {
        lines.push(`[l${i}]: u${i}\n`);
        size += lines[i]!.length;
      }
      return lines.join('');
    },
  ],
  ['tabs after block quote markers', () => mb('>\t>\t')],
  ['runs of emphasis markers', () => mb(`${'*'.repeat(999)} `)],
  ['runs of backticks', () => mb(`${'`'.repeat(999)} `)],
  ['directives mixed with link-like text', () => mb('::name\n:name[\ntext:name[\n]:name]:name:name\n')],
  ['text directives with unclosed labels', () => mb(':name[')],
  ['text directives with unclosed attributes', () => mb(':name{a="')],
  ['nested directive labels', () => around(':a[', 'x', ']')],
  ['unclosed nested :::if containers', () => mb(':::if{that="true"}\n')],
  [
    'closed :::if containers nested to the limit, repeated',
    () => {
      const depth = MAX_NESTING - 1;
      const unit = `${':::if{that="true"}\n'.repeat(depth)}::assert[ok]{that="true"}\n${':::\n'.repeat(depth)}\n`;
      return mb(unit);
    },
  ],
  [
    'GFM tables, wide and long',
    () => `| ${'a | '.repeat(500)}\n|${'-|'.repeat(500)}\n${mb(`| ${'b | '.repeat(500)}\n`)}`,
  ],
  ['autolink literals and emails', () => mb('www.a.com a@b.co http://x.y/z?q=(1) ')],
  ['strikethrough runs', () => mb('~~a ~b ')],
  ['footnote definitions nested', () => mb('[^a]: [^b]: [^c]: x\n')],
  ['heading of nested emphasis', () => `# ${around('*a _', 'x', '_ a*')}\n`],
  // Tiny blocks, a few bytes each: micromark spends tens of µs on every block, whatever it is.
  ['list items each closed by a heading', () => mb('- a\n# h\n')],
  ['list items each closed by a leaf directive', () => mb('- a\n::name\n')],
  ['one-letter paragraphs', () => mb('a\n\n')],
  ['one-word block quotes', () => mb('> a\n\n')],
  ['lists of one item, each with another bullet', () => mb('* a\n\n+ b\n\n')],
  ['blank lines', () => mb('\n')],
  ['lines of spaces', () => mb(' \n')],
  ['second-level headings', () => mb('## a\n')],
  ['paragraphs of two lines', () => mb('a b\nc d\n\n')],
  ['paragraphs of a number', () => mb('1\n\n')],
  ['paragraphs of a code span', () => mb('`a`\n\n')],
  ['nested list items', () => mb('- a\n  - b\n')],
  ['block quotes each closed by a heading', () => mb('> a\n# h\n')],
  ['lists and block quotes', () => mb('- a\n\n> b\n\n')],
  // Code and containers, which micromark read at tens of µs a block (5.6 to 12 s a megabyte).
  ['indented code blocks', () => mb('    code\n\n')],
  ['empty fenced code blocks', () => mb('```\n```\n')],
  ['fenced code blocks of one line', () => mb('~~~\nx\n~~~\n')],
  ['empty containers', () => mb(':::a\n:::\n')],
  // Most of these are tiny blocks micromark reads, at tens of µs each (STILL_SLOW, MICROMARK).
  ['loose ordered list items', () => mb('1. a\n\n')],
  // micromark took the square of its length for this and setext headings with no blank lines
  // (nothing cuts them into chunks): they are read without it now.
  ['tight ordered list items', () => mb('1. a\n')],
  ['thematic breaks', () => mb('***\n')],
  ['thematic breaks between blank lines', () => mb('***\n\n')],
  // Breaks written with spaces or tabs between the marks, and `---` where it underlines nothing,
  // were micromark's (4 s to over 10 minutes a megabyte); markdown-breaks.ts reads them now.
  ['thematic breaks of spaced dashes between blank lines', () => mb('- - -\n\n')],
  ['thematic breaks of spaced dashes', () => mb('- - -\n')],
  ['thematic breaks of spaced stars', () => mb('* * *\n')],
  ['thematic breaks of spaced underscores between blank lines', () => mb('_ _ _\n\n')],
  ['thematic breaks with tabs between the marks', () => mb('*\t*\t*\n\n')],
  ['thematic breaks of dashes between blank lines', () => mb('---\n\n')],
  // The first two lines are the frontmatter; each line after it a break.
  ['thematic breaks of dashes', () => mb('---\n')],
  ['headings each followed by a break of dashes', () => mb('# h\n---\n')],
  ['paragraphs each ended by a break of spaced dashes', () => mb('a\n- - -\n')],
  ['list items each closed by a break of spaced stars', () => mb('- a\n* * *\n')],
  ['setext headings', () => mb('a\n-\n\n')],
  ['setext headings, no blank lines', () => mb('a\n=\n')],
  ['HTML blocks', () => mb('<div>\n\n')],
  ['HTML comments', () => mb('<!-- a -->\n')],
  ['leaf directives with attributes', () => mb('::a{b=c}\n')],
  ['leaf directives with labels', () => mb('::a[b]\n')],
  ['empty block quotes', () => mb('>\n\n')],
  ['block quotes with a lazy line', () => mb('> a\nb\n\n')],
  // A tab in text sent the block to micromark (1 MB of `> a\tb` quotes: 9.5 s); a quote line
  // right after a list item, or an item right after a quote, sent both (20 to 27 s a megabyte).
  ['block quotes with a tab in their text', () => mb('> a\tb\n\n')],
  ['list items with a tab in their text', () => mb('- a\tb\n\n')],
  ['list items each followed by a block quote', () => mb('- ab\n> cd\n\n')],
  ['list items and block quotes alternating, no blank line', () => mb('1. a\n> c\n')],
  // Indented code after a tab in a quote's prefix: the code keeps spaces as written (4.7 s).
  ['block quotes of indented code after a tab', () => mb('> \t    @\n\n')],
  ['task list items', () => mb('- [ ] a\n')],
  ['headings with a closing sequence', () => mb('# a #\n')],
  ['footnote definitions between blank lines', () => mb('[^a]: b\n\n')],
  ['link definitions between blank lines', () => mb('[a]: b\n\n')],
  ['tables of one row', () => mb('| a |\n| - |\n\n')],
  ['paragraphs with a character reference', () => mb('&amp;\n\n')],
  ['paragraphs with an escape', () => mb('\\*\n\n')],
  ['paragraphs with a hard break', () => mb('a  \nb\n\n')],
  ['list items each closed by a step', () => mb('- a\n::b{c=d}\n')],
  ['footnote definitions and paragraphs', () => mb('[^a]: b\n\nc\n\n')],
  ['footnote definitions and lists', () => mb('[^a]: b\n\n- c\n\n')],
  // A list item right after a footnote definition's line, or a footnote definition right after a
  // list item's, each a new container that ends the other: no place cut them (a footnote
  // definition's line was no safe place), and micromark took the square of their length, 54 to
  // 68 s a megabyte. safeCuts cuts before a footnote definition's line where nothing but
  // paragraphs may be open in an item, and the list and footnote finders read them (about 1 s).
  ['list items each closing a footnote definition', () => mb('[^a]: b\n- c\n\n')],
  ['footnote definitions each closing a list item', () => mb('- x\n[^a]: b\n\n- c\n\n')],
  // Each heading's references were parsed with every definition of its chunk: 12 KB took 40 s.
  ['headings with a link, among definitions', () => mb('[a]: b\n[b]: c\n\n# h [a]\n\n')],
  ['headings with emphasis', () => mb('# a *b*\n')],
  // Ordinary shapes found slow by timing more of them at 1 MB (2.5 to 21 s a megabyte, micromark's).
  ['list items with an escape', () => mb('- a \\* b\n')],
  ['list items with a character reference', () => mb('- a &amp; b\n')],
  ['ordered list items with an escape', () => mb('1. a \\* b\n')],
  ['list items of two lines', () => mb('- a\n  b\n')],
  ['loose list items with a second paragraph', () => mb('- a\n\n  b\n\n')],
  ['list items holding fenced code', () => mb('- a\n\n  ```\n  x\n  ```\n\n')],
  ['block quotes with an escape', () => mb('> a \\* b\n\n')],
  ['headings with an escape', () => mb('# a \\* b\n')],
  ['headings with a character reference', () => mb('# a &amp; b\n')],
  ['headings with two emphasis', () => mb('# *a* *b*\n')],
  ['link definitions with a title', () => mb('[a]: b "t"\n\n')],
  ['HTML blocks of three lines', () => mb('<div>\na\n</div>\n\n')],
  ['tables with an escaped pipe', () => mb('| a \\| b |\n| - |\n\n')],
  ['paragraphs with a tab', () => mb('a\tb\n\n')],
  ['leaf directives with an escape in their label', () => mb('::a[b \\* c]\n')],
  // And more, timed after those were read (2.2 to 25 s a megabyte).
  ['block quotes holding a list', () => mb('> - a\n\n')],
  ['setext headings with an escape', () => mb('a \\* b\n===\n\n')],
  ['fenced code with an escape in its info', () => mb('```a\\*\nx\n```\n\n')],
  ['containers with an escape in their label', () => mb(':::a[b \\* c]\nx\n:::\n\n')],
  ['leaf directives with a reference in an attribute', () => mb('::a{b="&amp;"}\n')],
  ['HTML comments of three lines', () => mb('<!--\na\n-->\n\n')],
  ['link definitions with a title on the next line', () => mb('[a]: b\n"t"\n\n')],
  ['footnote definitions with an escape', () => mb('[^a]: b \\* c\n\n')],
  ['paragraphs starting with a bracket', () => mb('[see] the docs\n\n')],
  ['paragraphs starting with HTML', () => mb('<b>x</b> y\n\n')],
  ['paragraphs starting with a hash', () => mb('#hashtag text\n\n')],
  ['paragraphs with a pipe', () => mb('a | b\n\n')],
  // A list micromark reads was one chunk, and took it the square of its items: 32 KB of `- > a`
  // took 12 s. Lists are cut between their items now (markdown-list-cuts.ts): linear, but still
  // micromark's tens of µs a block (21 to 25 s a megabyte). Items holding a one-line block quote
  // are read without it now (markdown-lists.ts).
  ['list items holding block quotes', () => mb('- > a\n')],
  ['ordered list items holding block quotes', () => mb('1. > a\n')],
  ['list items holding block quotes with an escape', () => mb('* > a \\* b\n')],
  ['list items holding block quotes, mixed with plain items', () => mb('- > a\n- b\n\n')],
  ['list items holding footnote definitions', () => mb('- [^a]: b\n')],
  ['list items, then a quote in each', () => mb('- a\n  > b\n')],
  // A container's content ending in an HTML block that a blank line ends (`<div>`, `<span>`) is
  // read as a document (markdown-inner-ends.ts, endsOpen), and one that is nothing else without
  // micromark (markdown-html.ts, htmlDocument): each item was a micromark parse (41 s, 10 s).
  ['list items holding a list holding an HTML block', () => mb('- - <div>\n')],
  ['list items holding a complete tag', () => mb('- <span>\n')],
  // A block tag's HTML block interrupts a paragraph and runs to a blank line or the text's end
  // (markdown-paragraphs.ts, markdown-html.ts): each item's content was a micromark parse (8.6 s, 5.7 s).
  ['list items whose paragraph an HTML block interrupts', () => mb('- a\n  <div>\n\n')],
  ['the same one level deeper', () => mb('- a\n  - b\n    <div>\n\n')],
  // What a list item's or footnote definition's content leaves open runs on into what follows it,
  // as micromark reads it (markdown-inner.ts, InnerAfter), and a document of one block nothing
  // closes is built directly: each item was a micromark parse (1 MB of `- ~~~`: 30 to 40 s; of
  // `[^a]: ~~~`: 34 s; `- <!--`, `- <pre>`: 15 to 18 s).
  ['list items each leaving a fence open', () => mb('- ~~~\n')],
  ['list items each leaving a fence open, a blank line between', () => mb('- ```\n\n')],
  ['list items holding a list leaving a fence open', () => mb('- - ~~~\n')],
  ['block quotes of list items leaving a fence open', () => mb('> - ~~~\n')],
  ['footnote definitions each leaving a fence open', () => mb('[^a]: ~~~\n')],
  ['list items each leaving a comment open', () => mb('- <!--\n')],
  // The code runs on over empty blank lines holding all but two of their line endings, a
  // comment's value every one: placed from the batch with the ends and values moved
  // (markdown-inner-place.ts), 7.4 to 7.7 s a megabyte when each was parsed, 4.4 to 5.4 s when
  // alike ones shared a parse (unlike ones still a parse each).
  ['list items holding a list leaving a fence open, a blank line between', () => mb('- - ~~~\n\n')],
  [
    'list items holding a list leaving a fence open, each unlike, a blank line between',
    () => {
      let text = '';
      for (let i = 0; text.length < SIZE; i++) text += `- 1. ~~~ ${i}\n\n`;
      return text;
    },
  ],
  ['list items holding a list leaving a comment open', () => mb('- - <!--\n')],
  ['list items holding a list leaving a fence open, two blank lines between', () => mb('- - ~~~\n\n\n')],
  ['list items each leaving a raw tag open', () => mb('- <pre>\n')],
  // A tab after an item's marker (its content column a multiple of 4: tab stops are the same in
  // the content read alone) and 5 spaces (indented code first) are read by the item runs
  // (markdown-item-runs.ts): each item was micromark's (6.5 to 15 s a megabyte).
  ['list items with a tab after the marker, each a block quote', () => mb('-\t> a\n')],
  ['list items holding a list of indented code', () => mb('- -     a\n')],
  ['list items holding a list of indented code, a blank line between', () => mb('- -     a\n\n')],
  // Items holding a one-line list (markdown-lists.ts, ItemShape.inner): each item's content was
  // read as a document in a batch, 4.5 to 6 s a megabyte on a slow hour.
  ['list items holding a one-line list, a blank line between', () => mb('- - a\n\n')],
  ['list items 2 spaces in holding a one-line list, a blank line between', () => mb('  - - a\n\n')],
  // A line of only colons outside every container is a paragraph's text (markdown-paragraphs.ts,
  // COLONS): it was micromark's (8 to 9 s a megabyte in block quotes and list items).
  ['block quotes of a line of colons', () => mb('>:::\n\n')],
  ['list items of a line of colons', () => mb('* :::\n')],
  // An HTML block that holds the end it runs to (`<!-- a -->`) leaves nothing open at an item's end
  // (markdown-inner-ends.ts, htmlClosed): each item was read alone, and its list micromark's.
  ['list items of a comment closed on its line', () => mb('- <!-- a -->\n')],
  ['list items indented 2 spaces, each a line of colons', () => mb('  - :::\n')],
  // A quote's content left open at the text's end ends where it does, as in a document
  // (markdown-inner.ts), so a quote in a quote leaving a fence open is read as a document at every
  // depth: 8.3 s a megabyte, each inner quote micromark's.
  ['block quotes of quotes leaving a fence open, a blank line between', () => mb('> > > ~~~\n\n')],
  // Definitions right after a leaf directive (the separator of batched contents) or a heading
  // (markdown-definitions.ts): list items of definitions in a quote were micromark's (4.3 s).
  ['a block quote of list items of a definition', () => mb('> 1. [a]: http://x\n')],
  // A line of only `=` where a paragraph may start is a paragraph's (markdown-paragraphs.ts,
  // EQUALS): each was micromark's (11 to 14 s a megabyte).
  ['lines of `=`', () => mb('===\n')],
  ['block quotes of `=` lines', () => mb('> ===\n')],
  ['list items of `=`', () => mb('- ===\n')],
  // Paragraphs and ATX headings indented 1 to 3 spaces, and white space at a paragraph's end, are
  // read without micromark (markdown-paragraphs.ts, markdown-headings.ts): 4.6 to 8 s a megabyte.
  ['a block quote of one paragraph indented 3 spaces', () => mb('>    a\n')],
  ['a block quote of a tab, then colons', () => mb('> \t:::\n')],
  ['a paragraph of hard breaks', () => mb('a  \n')],
  ['headings indented 1 space', () => mb(' # a\n')],
  ['block quotes of a tab, then a heading', () => mb('> \t# @\n')],
  // An `@` is inline syntax in a heading only between an email's characters (markdown-heading-inline.ts):
  // 1 MB of `# @` was parsed in full (8 s).
  ['headings of an `@`', () => mb('# @\n')],
  // Indented code whose lines start with a tab (markdown-indented.ts): 1 MB was one block micromark read.
  ['code blocks indented a tab, of a break, a blank line between', () => mb('\t***\n\n')],
  // Footnote definitions with labels and text of punctuation, or indented 1 to 3 spaces
  // (markdown-footnotes.ts), and quoted ones that end each other (markdown-inner-ends.ts): 9 to 12 s
  // a megabyte, and more than linear (nothing cut them), were micromark's.
  ['footnote definitions of an `@`', () => mb('[^@]: @\n')],
  ['footnote definitions indented 2 spaces', () => mb('  [^a]: b\n')],
  ['block quotes of footnote definitions indented 2 spaces', () => mb('>   [^a]: b\n')],
  // Thematic breaks indented 1 to 3 spaces (markdown-breaks.ts): 2 s a megabyte with micromark.
  ['breaks indented 2 spaces, a blank line between', () => mb('  ***\n\n  ---\n\n')],
  // Link definitions indented 1 to 3 spaces (markdown-definitions.ts): 4.6 s a megabyte with micromark.
  ['link definitions indented 2 spaces', () => mb('  [a]: http://x\n')],
  // A fence's opening and closing lines after a tab in a quote are no part of its value
  // (markdown-inner.ts, rawOverLead): each quote was micromark's (7 s a megabyte).
  ['block quotes of a tab, then a fence, a blank line between', () => mb('> \t```\n\n')],
  // HTML blocks and tables indented 1 to 3 spaces (markdown-html.ts, markdown-table-blocks.ts),
  // and a quote's HTML block after a tab, its value put back as written (markdown-inner.ts,
  // rawHtml): 2 s, 4.3 s, 8.4 s and 4.4 s a megabyte with micromark.
  ['HTML blocks indented 2 spaces, a blank line between', () => mb('  <div>\n\n')],
  ['tables indented 2 spaces, a blank line between', () => mb('  | a |\n  | - |\n\n')],
  ['block quotes of a tab, then an HTML block, a blank line between', () => mb('> \t<div>\n\n')],
  ['block quotes of a tab, then a comment, a blank line between', () => mb('> \t<!-- a -->\n\n')],
  // Task items with spaces after the box (markdown-item-markers.ts, TASK_TEXT): 6.4 s a megabyte.
  ['task items with spaces after the box, a blank line between', () => mb('- [ ]     a\n\n')],
  // List items of a tab then code, the tab split with the marker (Marker.virtual): 3.6 s a megabyte.
  ['list items of a tab, then indented code', () => mb('-\t    a\n')],
  // ... and of two tabs, the second split between the code's indent and its text (Marker.lead):
  // each item micromark's, 22 s a megabyte.
  ['list items of two tabs, then text, a blank line between', () => mb('-\t\ta\n\n')],
  // A quote's lines of code after its fence leave no paragraph open (quoteParagraphEnds,
  // markdown-literal.ts): the text after them starts a paragraph, which the next quote interrupts.
  // One chunk micromark read: 10 s a megabyte.
  ['block quotes of a fence left open over two lines, then text, no blank line', () => mb('> ~~~\n> x\na\n')],
  // In a block quote micromark ends a footnote definition that the next one ends where that one
  // starts (markdown-inner-ends.ts, containersMeet): each quote was micromark's (17.5 s a megabyte).
  ['block quotes of footnote definitions', () => mb('> [^a]: b\n')],
  ['block quotes of block quotes of footnote definitions', () => mb('> > > [^a]: b\n')],
  // Containers of any content are read as documents of their own (markdown-inner.ts): block
  // quotes, list items and footnote definitions holding several blocks.
  ['block quotes of two paragraphs', () => mb('> a\n>\n> b\n\n')],
  ['block quotes of a heading and text', () => mb('> # h\n> text\n\n')],
  ['paragraphs, each interrupted by a block quote', () => mb('a\n> b\n\n')],
  ['list items, then a paragraph after a blank line and a quote', () => mb('- a\n\n  > b\n')],
  ['list items holding nested lists of two items', () => mb('- a\n  - b\n  - c\n')],
  ['list items holding fenced code', () => mb('1. a\n   ```\n   x\n   ```\n')],
  ['paragraphs, each followed by fenced code', () => mb('a\n```\nx\n```\n')],
  ['footnote definitions of two paragraphs', () => mb('[^a]: b\n\n    c\n\n')],
  ['footnote definitions holding a quote', () => mb('[^a]: b\n    > c\n\n')],
  ['footnote definitions, each closed by a leaf directive', () => mb('[^a]: b\n::x\n')],
  ['block quotes of two lists', () => mb('> - a\n> * b\n\n')],
  ['paragraphs, each interrupted by a list', () => mb('a\n- b\n\n')],
  [
    "a runbook's sections: a bold line, a list, an item's SQL",
    () =>
      mb('**Causes:**\n- Check cron: `crontab -l`\n- Solution: restart it\n- Query:\n  ```sql\n  SELECT 1;\n  ```\n\n'),
  ],
  // A `|` made every line after it to the next blank one possibly a table's: each section went to micromark (2.5 s).
  [
    "a runbook's sections with shell pipelines in their items",
    () => mb('**Causes:**\n- Check: `ps aux | grep worker`\n- Then: `tail -f log | grep ERR`\n\n'),
  ],
  ['paragraphs, each interrupted by an ordered list', () => mb('a\n1. b\n\n')],
  ['block quotes of a paragraph and a list', () => mb('> a\n> - b\n\n')],
  ['footnote definitions holding a list of two items', () => mb('[^a]: b\n    - c\n    - d\n\n')],
  ['block quotes holding a quote, then text after an empty line', () => mb('> > a\n>\n> b\n\n')],
  ['footnote definitions holding a loose list', () => mb('[^a]: b\n    - c\n\n    - d\n\n')],
  // A line indented 1 to 3 spaces after a blank line is a safe place to cut (no item open), and a
  // block quote may be indented so: 1 MB of ` > a` blocks was one chunk, micromark's time the
  // square of its blocks (minutes).
  ['block quotes indented a space', () => mb(' > a b\n\n')],
  ['list items each leaving a container open', () => mb('- :::note\n')],
  ['block quotes indented 1 to 3 spaces, of two lines', () => mb(' > a\n   > # b\n\n')],
  // Text right after a quote's empty line goes on with no paragraph in it: it starts one, which
  // the next quote interrupts. With no blank line anywhere, each was one chunk, micromark's time
  // the square of its blocks (64 KB: 22 to 44 s).
  ['empty block quotes, each followed by text', () => mb('>\na\n')],
  ['block quotes of text, an empty line, then text', () => mb('> x\n>\na\n')],
  ['block quotes of a list, an empty line, then text', () => mb('> - x\n>\na\n')],
  // Text right after a quoted fence's line goes on with no paragraph either: linear now, but each
  // quote, its code left open, is read alone (micromark's tens of µs a block: 6 to 8 s a megabyte;
  // in one parse with the others, each nested every later one: 1 MB of containers took minutes).
  ['block quotes of a fence, then text', () => mb('> ```\na\n')],
  ['block quotes of a container, then text', () => mb('> :::note\na\n')],
  // A list indented 1 to 3 spaces was one chunk (64 KB of `   - * a`: 39 s); it is cut between
  // its items now, where they are one line each: linear, but micromark's (about 20 s a megabyte).
  ['list items indented 3 spaces, each holding a list', () => mb('   - * a\n')],
  // A block quote of items each ending in a container (`> - > a`) was left to micromark whole,
  // its time the square of its length (64 KB: 27 s); such an item ends as in a document where the
  // next one starts on the line after it (markdown-inner.ts, place): 1.1 to 1.4 s a megabyte now,
  // and 2.2 to 3.1 s for items each holding a list (`> - - a`).
  ['a block quote of list items each holding a quote', () => mb('> - > a\n')],
  ['a block quote of list items each holding a list', () => mb('> - - a\n')],
  [
    'steps in the container form, each with an assert',
    () => {
      // A runbook's commonest shape: a query in a `:::sql` container, then an assert (23,000 steps to 1 MB).
      let text = '---\ntargets:\n  db: { kind: postgres, url: "postgres://127.0.0.1/x" }\n---\n\n';
      for (let i = 0; text.length < SIZE - 128; i++)
        text += `:::sql{#q${i} target=db}\n\`\`\`sql\nSELECT ${i} AS n\n\`\`\`\n:::\n\n::assert[ok]{that="q${i}.rows[0].n == ${i}"}\n\n`;
      return text;
    },
  ],
];

/**
 * Shapes still over 2 s at 1 MB (measured under load against 1 MB of prose: 4× it), each with
 * the size it runs at here; issue #13 item 5 is not done while any is. Runs of link definitions,
 * table rows, footnote definitions, lists nested deep by indentation, deep `:::` nests, leaf
 * directives among link-like text, and documents of tiny blocks of plain text (one-letter
 * paragraphs, one-word block quotes, list items each closed by a leaf directive, leaf directives
 * with labels and attributes, thematic breaks, ordered and task list items, setext headings, HTML
 * comments, one-line HTML blocks, empty block quotes, block quotes with a lazy line, link and
 * footnote definitions between blank lines: 12 s to over a minute a megabyte in micromark, setext
 * headings with no blank line between more than 6 minutes; blank lines: 10 s), fenced and indented
 * code and `:::` containers of code (empty fences: 9 to 12 s a megabyte; empty containers: 8.8 s;
 * steps in the container form: 6.6 s) were, and
 * engine/document/markdown-*.ts read them.
 * Paragraphs with escapes, character references and hard breaks (8 to 16 s a megabyte) are read
 * there too now (markdown-paragraphs.ts), so are headings' emphasis and plain links (`# a *b*`:
 * 8.6 s; `# h [a]` among definitions: 3.2 s; markdown-heading-inline.ts), and the shapes that
 * were at about 2 s a megabyte (lists closed by headings, headings, nested items, lists and
 * block quotes) check in 0.9 to 1.7 s.
 * So do list items each closing a footnote definition, and footnote definitions each closing a
 * list item (54 to 68 s a megabyte, micromark's time growing as the square of their length, as no
 * place cut them): a footnote definition's line is a safe place now (safeCuts, markdown-safe-cuts.ts), and
 * the list and footnote finders read both (about 1 s a megabyte).
 * Tables of plain cells are now read without micromark too (markdown-table-blocks.ts): 1 MB of
 * tables of one row took 7.5 to 8.5 s to check, now 0.6 to 0.9 s.
 * Fifteen more ordinary shapes, found slow (2.5 to 32 s a megabyte) by timing more of them at
 * 1 MB, are read without micromark too: headings with escapes, references or several emphasis,
 * paragraphs with tabs, block quotes, tables and leaf directive labels with escapes, definitions
 * with titles and HTML blocks of several lines (0.5 to 1.6 s a megabyte); and list items whose
 * text holds escapes or character references (decoded as paragraphs are: 17 to 21 s a
 * megabyte, now 0.75 s), whose paragraph goes on over lines of text, indented or lazy (`- a\n
 * b\n`: 8 to 30 s, now 1.2 s), holding paragraphs after blank lines (`- a\n\n  b\n\n`: 40 s on a
 * busy machine, now 1.3 s) or fenced code (12 s, now 1 s).
 * Setext headings with escapes, and paragraphs starting with `[`, an inline tag or `#`, or
 * holding a pipe, found so too (2.2 to 8 s a megabyte), are read so now (0.6 to 1 s). So are
 * footnote definitions whose text holds escapes or references (markdown-footnotes.ts: 8 to 14 s
 * a megabyte, now 0.7 s) and block quotes holding a list of one-line items (`> - a`,
 * markdown-quotes.ts: 25 to 37 s a megabyte, now 1.2 s).
 * Lists whose items micromark reads were one chunk, micromark's time the square of their items
 * (32 KB of `- > a`: 12 s; 64 KB: 53 s); they are cut between items now (markdown-list-cuts.ts),
 * and take it linear time: 1 s for 32 KB, 21 to 25 s a megabyte. Items holding a one-line block
 * quote of text (`- > a`, `1. > a`, `* > a \* b`, alone or among plain items) are read without
 * micromark now (markdown-lists.ts: 0.5 to 0.9 s a megabyte); other items micromark reads stay
 * (MICROMARK).
 * Thematic breaks written with spaces or tabs between the marks (`- - -`, `* * *`, `_ _ _`,
 * `*\t*\t*`), and `---` where no paragraph is open above it, are read so too
 * (markdown-breaks.ts): 4.3 to 19 s a megabyte, list items each closed by `* * *` over 10
 * minutes (one chunk, no place to cut it), now 0.5 to 1.5 s.
 * Containers of any content (block quotes, list items, footnote definitions holding several
 * blocks: `- a\n  > b`, `- [^a]: b`, `> a\n>\n> b`, `[^a]: b\n\n    c`) are read as documents of
 * their own (markdown-inner.ts, markdown-item-runs.ts): 16 to 30 s a megabyte, now 0.6 to 1 s; so
 * are paragraphs interrupted by a block quote or fenced code (7 to 33 s, now 0.2 to 0.8 s).
 * A block quote holding two lists (micromark ends the first where the second starts, past the
 * line's `>`: markdown-inner.ts, containersMeet) took 17 s a megabyte, now about 1.4 s.
 * Lists holding an empty item (`-` alone) were micromark's whole, about 150 µs an item (20 to 35 s
 * a megabyte); markdown-lists.ts reads empty items now (1.4 to 2 s). Left (MICROMARK): any other
 * shape of small blocks that micromark reads costs tens of µs a block, and would be listed here. Escapes in fences'
 * info strings and containers' labels, references in leaf directives' attributes, comments over
 * several lines and titles on the next line are read without it now (0.6 to 1.1 s a megabyte).
 * Each needs reading without micromark, as prose is. Each runs here small, so that a crash or a
 * curve gone worse still fails.
 */
// None left (2026-12-01, at 1 MB on a quiet hour): block quotes each of a fence's opening line,
// then text, 0.6 s (were 6 to 8 s, each quote's content read alone); list items indented 3 spaces
// each holding a list, 0.8 s (were about 20 s: item runs take indented items); a block quote of list
// items each holding a list, 1.7 s; quotes of a container then text nest past the limit.
// Found 2026-12-03 and read since the same day: lists holding an empty item (`-` alone), which
// markdown-lists.ts did not read, were micromark's whole (20 to 35 s a megabyte).
const MICROMARK: string[] = [];
const STILL_SLOW = new Map<string, number>([...MICROMARK.map((name): [string, number] => [name, MB / 128])]);

describe('pathological input', () => {
  it('every shape said to be still slow is one of the shapes', () => {
    const names = new Set(SHAPES.map(([name]) => name));
    expect([...STILL_SLOW.keys()].filter((name) => !names.has(name))).toEqual([]);
  });

  it.each(SHAPES.filter(([name]) => !STILL_SLOW.has(name)))(
    `%s: no crash, under 2 s (${FULL ? '1 MB' : '256 KB'})`,
    (_name, make) => {
      const source = make();
      expect(source.length).toBeGreaterThan(SIZE * 0.5);
      expect(source.length).toBeLessThanOrEqual(SIZE + 4096);
      const result = timedWithin(source);
      expect(result.ms).toBeLessThan(limitMs);
      for (const d of result.diagnostics) expect(d.rule).not.toBe('internal-error');
    },
    120_000,
  );

  // The shapes still over 2 s at 1 MB: smaller (a quarter of it, or one nest) they must neither
  // crash nor pass the bound, so a regression (a crash, a worse curve) still fails here.
  it.each(SHAPES.filter(([name]) => STILL_SLOW.has(name)))(
    '%s: smaller, no crash, under 2 s (1 MB is still slower)',
    (name, make) => {
      const source = FULL ? make() : make().slice(0, STILL_SLOW.get(name));
      const result = timedWithin(source);
      expect(result.ms).toBeLessThan(limitMs);
      for (const d of result.diagnostics) expect(d.rule).not.toBe('internal-error');
    },
    120_000,
  );
});

describe('many blocks', () => {
  it('1 MB of lists of one item, each with another bullet (210,000 blocks): no stack overflow, linear', () => {
    // Their nodes were once pushed with push(...nodes), which passes each as an argument.
    const unit = '* a\n\n+ b\n\n';
    const full = unit.repeat(MB / unit.length);
    const quarter = unit.repeat(MB / 4 / unit.length);
    // Its time is in building 840,000 nodes, not in parsing: 8 to 10 times 1 MB of prose's, so
    // the prose bound says little of it, and under the other files' load its garbage slowed it
    // past that bound. Its 2 s at 1 MB is the bench's row (test/bench/check.mjs); here it must
    // grow as its length (4 times a quarter of it; the square would be 16), best of two apiece (growth).
    const { diagnostics } = timed(full);
    expect(diagnostics).toEqual([]);
    expect(growth(quarter, full, 2)).toBeLessThan(8);
  }, 120_000);
});

/**
 * Shapes micromark still reads whole, each a few tens of µs a line (11 to 42 s a megabyte), whose
 * time grew as the square of their length: micromark's document tokenizer edits the tail of the
 * whole event list each time a line closes a container's flow, and its EditMap copied every
 * event before the edit (engine/document/micromark-edit-map.ts). 32 KB took 4.6 to 22 s. Here
 * 64 KB must take about 8 times 8 KB, under 32 (the square: 64; 16 KB took 18 to 50 times 4 KB).
 * A clean clone under load once measured a linear shape at 11.9 times for 16 KB: a pause of the
 * other tests' garbage falls on the larger size, and the wider gap between sizes keeps it apart.
 * Once the item runs read the first shapes, 4 KB took a few ms: one such pause on 32 KB then
 * measured 34.8 times (a clean clone, 2026-12-01), so the sizes were made 8 and 64 KB, best of
 * four. Once alike contents were read from a kept parse (2026-12-03), 8 KB of `> ~~~`, `> x`, `a`
 * took 3 ms and a clean clone measured 35.5 times: the sizes are 16 and 128 KB, the same 8 apart.
 */
describe('shapes micromark reads, linear', () => {
  it.each([
    // (Both read by the item runs now, 2026-12-01; kept: their curve once was micromark's square.)
    ['list items holding a quote after a tab, between blank lines', '-\t> @\n\n'],
    ['list items indented 2 holding a list, between blank lines', '  - - @\n\n'],
    ['list items holding a quote of an open fence, between blank lines', '- > ```\n\n'],
    ['block quotes of a fence left open over two lines, then text', '> ~~~\n> x\na\n'],
  ])(
    '%s',
    (_name, unit) => {
      const sized = (bytes: number): string => unit.repeat(Math.floor(bytes / unit.length));
      const [small, big] = [sized(16 * 1024), sized(128 * 1024)];
      timed(sized(1024)); // warm
      expect(growth(small, big, 4)).toBeLessThan(32);
    },
    120_000,
  );
});

describe('nesting too deep', () => {
  it('3,000 list markers on one line: one error at the marker past the limit', () => {
    const { diagnostics } = timed(`# Deep\n\n${'- '.repeat(3000)}item\n`);
    expect(diagnostics.map((d) => [d.rule, d.span.start.line, d.span.start.column])).toEqual([
      ['nesting-too-deep', 3, MAX_NESTING * 2 + 1],
    ]);
    expect(diagnostics[0]!.message).toContain(`more than ${MAX_NESTING} levels`);
  });

  it('unclosed :::if containers: the error is at the line of the one past the limit', () => {
    const source = `# Deep\n\n${':::if{that="true"}\n'.repeat(3000)}`;
    const { diagnostics } = timed(source);
    expect(diagnostics.map((d) => [d.rule, d.span.start.line, d.span.start.column])).toEqual([
      ['nesting-too-deep', 3 + MAX_NESTING, 1],
    ]);
  });

  it('block quotes and lists mixed, by indentation: counted together', () => {
    const lines = Array.from({ length: 200 }, (_, i) => `${'  '.repeat(i)}- level ${i}`);
    const { diagnostics } = timed(`${lines.join('\n')}\n${'  '.repeat(200)}${'> '.repeat(100)}x\n`);
    expect(diagnostics.map((d) => [d.rule, d.span.start.line])).toEqual([['nesting-too-deep', 201]]);
  });

  it('containers left open in list items close with them: no deeper than one', () => {
    // Each item's line closes the item before it and the container left open in it (micromark's reading).
    expect(timed(`# Items\n\n${'- :::note\n'.repeat(3 * MAX_NESTING)}`).diagnostics).toEqual([]);
    expect(timed(`${'1. :::note\n   x\n'.repeat(3 * MAX_NESTING)}`).diagnostics).toEqual([]);
    // In one item, they nest.
    const { diagnostics } = timed(`- a\n${'  :::note\n'.repeat(MAX_NESTING)}`);
    expect(diagnostics.map((d) => [d.rule, d.span.start.line])).toEqual([['nesting-too-deep', MAX_NESTING + 1]]);
  });

  it('nesting up to the limit is read as before', () => {
    const ok = timed(`${'- '.repeat(MAX_NESTING)}item\n`);
    expect(ok.diagnostics).toEqual([]);
    const ifs = MAX_NESTING - 1;
    const source = `${':::if{that="true"}\n'.repeat(ifs)}::assert[ok]{that="true"}\n${':::\n'.repeat(ifs)}`;
    const result = checkSource(source, '/tmp/deep.md', noIncludes);
    expect(result.diagnostics).toEqual([]);
    expect(result.document.steps[0]!.conditions).toHaveLength(ifs);
  });
});
