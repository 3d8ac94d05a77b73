/**
 * A chunk's headings' text, as a full parse of the chunk gives it (markdown.ts parses blocks with
 * micromark's inline constructs off): a heading with no inline syntax keeps its text as written;
 * one with only code spans and emphasis that can be told apart for certain is read without a
 * parse (markdown-heading-inline.ts); the others' inline content is parsed in full, all of a chunk's at once, with the link
 * definitions of the chunk their references may use.
 */
import type { Definition, Heading, Nodes, Root, RootContent } from 'mdast';
import { normalizeIdentifier } from './markdown-definitions.js';
import { EMAIL_AT, simpleHeadingText } from './markdown-heading-inline.js';
import { textOf } from './text-of.js';

/** What parses Markdown in full (remark with GFM and directives, markdown.ts's). */
interface Parser {
  parse(markdown: string): Root;
}

/**
 * What may make a heading's text differ from what is written: emphasis, code, links, images,
 * footnote calls, HTML, autolinks, character references, escapes, strikethrough, text directives.
 * An `@` only between an email's characters (EMAIL_AT): GFM's email autolink has one before it
 * (`+`, `-`, `.`, `_`, letters, digits) and a domain's after it (`-`, `.`, `_`, letters, digits).
 */
const INLINE_SYNTAX = new RegExp(`[*_\`[\\]!<>&\\\\~:]|${EMAIL_AT}|www\\.`, 'i');

/** Headings longer than this keep their text as written (their inline syntax is not parsed). */
const LONGEST_HEADING = 4096;

/**
 * Sets the text of the headings of `tree` (parsed from `text`); false when one cannot be read so
 * (a heading over several lines, or calling a footnote where the chunk defines some): the chunk
 * must then be parsed in full.
 */
export function readHeadingTexts(tree: Root, text: string, parser: Parser): boolean {
  const headings: Heading[] = [];
  const definitions: Definition[] = [];
  let footnotes = false;
  const stack: Nodes[] = [tree];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'heading') headings.push(node);
    else if (node.type === 'definition') definitions.push(node);
    else if (node.type === 'footnoteDefinition') footnotes = true;
    if (node.type !== 'heading' && 'children' in node) for (const child of node.children) stack.push(child as Nodes);
  }
  if (headings.length === 0) return true;
  /**
   * Whether the chunk defines a label, asked with the label as written: its identifier (mdast's,
   * of the definition's label as written, not decoded) matched in lower case, for ASCII labels only
   * (for them the lower case tells what micromark's upper-case match does); null: not known here.
   */
  let identifiers: Set<string> | null = null;
  const isDefined = (label: string): boolean | null => {
    if (!/^[\x20-\x7e]*$/.test(label)) return null;
    identifiers ??= new Set(definitions.map((d) => d.identifier));
    return identifiers.has(normalizeIdentifier(label).toLowerCase());
  };
  const inline: { heading: Heading; raw: string }[] = [];
  for (const heading of headings) {
    if (heading.children.length === 0) continue;
    const from = heading.children[0]!.position?.start.offset;
    const to = heading.children[heading.children.length - 1]!.position?.end.offset;
    if (from === undefined || to === undefined) return false;
    const raw = text.slice(from, to);
    if (raw.includes('\n') || (footnotes && raw.includes('[^'))) return false; // as it always was: the whole chunk in full
    if (!INLINE_SYNTAX.test(raw)) {
      // Nothing in it is inline syntax: its text is as written, as a full parse would find it
      // (1 MB of list items each followed by a heading spent a minute parsing 131,072 `# h`).
      // A heading built so (markdown-*.ts) is kept as it is: 1 MB of setext headings is 262,144.
      const only = heading.children.length === 1 ? heading.children[0]! : null;
      if (only?.type !== 'text' || only.value !== raw)
        heading.children = [{ type: 'text', value: raw, position: heading.children[0]!.position }];
      continue;
    }
    if (raw.length > LONGEST_HEADING) {
      // No heading is this long; parsing its inline content could take minutes (runs of `*a _`).
      heading.children = [{ type: 'text', value: raw, position: heading.children[0]!.position }];
      continue;
    }
    const simple = simpleHeadingText(raw, isDefined);
    if (simple !== null) {
      // Code spans and emphasis told apart without a parse (markdown-heading-inline.ts).
      heading.children = [{ type: 'text', value: simple, position: heading.children[0]!.position }];
      continue;
    }
    inline.push({ heading, raw });
  }
  if (inline.length > 0) headingTexts(inline, definitions, text, parser);
  return true;
}

/**
 * Sets each heading's text from a full parse of its inline content, with the definitions its
 * references may use: all of the chunk's headings in one parse, each on a line of its own between
 * blank lines (a parse each cost 1 MB of `# h [a]` 25 s), or, should that parse not give back one
 * heading for each, one parse each.
 */
function headingTexts(
  inline: readonly { heading: Heading; raw: string }[],
  definitions: Definition[],
  text: string,
  parser: Parser,
): void {
  const labels = firstOfEach(definitions, text);
  const wanted = inline.filter(({ raw }) => raw.includes('[')).map(({ raw }) => matchable(raw));
  const defs = wanted.length > 0 ? definitionsFor(wanted, labels) : '';
  const set = ({ heading, raw }: { heading: Heading; raw: string }, parsed: RootContent | undefined): void => {
    const value = parsed?.type === 'heading' ? textOf(parsed) : raw;
    heading.children = [{ type: 'text', value, position: heading.children[0]!.position }];
  };
  const batch = parser.parse(`${inline.map(({ raw }) => `# ${raw}\n\n`).join('')}${defs}\n`).children;
  if (inline.every((_, i) => batch[i]?.type === 'heading' && batch[i].position?.start.line === 2 * i + 1))
    for (let i = 0; i < inline.length; i++) set(inline[i]!, batch[i]);
  else
    for (const item of inline) {
      const alone = definitionsFor([matchable(item.raw)], labels);
      set(item, parser.parse(alone !== '' ? `# ${item.raw}\n\n${alone}\n` : `# ${item.raw}\n`).children[0]);
    }
}

/**
 * Text as a definition's identifier is made of its label as written (micromark-util-normalize-
 * identifier, then mdast's lower case: white space collapsed, case folded, escapes and references
 * not decoded): a heading's references are labels in it, matched so.
 */
function matchable(text: string): string {
  return text
    .replace(/[\t\n\r ]+/g, ' ')
    .toLowerCase()
    .toUpperCase()
    .toLowerCase();
}

/** The first definition of each identifier (the one references use), in order. */
function firstOfEach(definitions: readonly Definition[], text: string): { label: string; source: string }[] {
  const seen = new Set<string>();
  const out: { label: string; source: string }[] = [];
  for (const d of definitions) {
    const label = d.identifier;
    if (seen.has(label)) continue;
    seen.add(label);
    out.push({ label, source: text.slice(d.position!.start.offset, d.position!.end.offset) });
  }
  return out;
}

/**
 * The definitions whose label is in a heading's text (the first of each label, in order): the
 * only ones their references can use. Parsing every definition of the chunk with each heading cost
 * 12 KB of definitions between headings 40 s.
 */
function definitionsFor(headings: readonly string[], labels: readonly { label: string; source: string }[]): string {
  const all = headings.join('\0');
  let out = '';
  for (const { label, source } of labels) if (all.includes(label)) out += `${source}\n`;
  return out.slice(0, -1);
}
