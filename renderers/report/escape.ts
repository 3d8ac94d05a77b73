/**
 * Text from a transcript made inert for each report format: Markdown (no heading, link, image,
 * raw HTML, emphasis or table cell break can start from it), HTML (every character that could
 * open a tag or close an attribute is a character reference) and XML 1.0 (the five entities, and
 * characters XML 1.0 cannot hold removed). Control sequences are removed first (clean.ts).
 */
import { clean as cleanText } from '../clean.js';

/** What clean() changes on one line: controls (ESC starts every sequence it removes), C1, bidi. */
const NEEDS_CLEAN = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
/** The same for multi-line text, where tab and newline stay. */
const NEEDS_CLEAN_MULTILINE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/**
 * renderers/clean.ts's clean(), with the common case first: text that has nothing to remove and
 * fits is returned as it is, without the four passes over it (most of a report's text is plain).
 */
export function clean(text: string, max: number, multiline = false): string {
  if (text.length <= max && !(multiline ? NEEDS_CLEAN_MULTILINE : NEEDS_CLEAN).test(text)) return text;
  return cleanText(text, max, multiline);
}

/**
 * Markdown punctuation that could start something other than text mid-line: emphasis, code, links
 * and images, raw HTML and autolinks, table cells, strikethrough, entities, math, and `#`.
 * (Inline text never starts a line here, so list and heading markers there cannot arise.)
 * CommonMark lets every ASCII punctuation character be escaped with a backslash.
 */
const MARKDOWN_SPECIAL = /[\\`*_[\]<>#!|~&$]/g;

/** One line of transcript text as inline Markdown: on one line, every special character escaped. */
export function mdInline(text: string, max = 2000): string {
  const line = clean(text, max);
  return MARKDOWN_SPECIAL_ANY.test(line) ? line.replace(MARKDOWN_SPECIAL, (c) => `\\${c}`) : line;
}
const MARKDOWN_SPECIAL_ANY = /[\\`*_[\]<>#!|~&$]/;

/** A table cell: inline text; a `|` escaped, newlines never reach it (clean() made them spaces). */
export const mdCell = (text: string, max = 2000): string => mdInline(text, max);

/** A fenced code block whose fence no line of the text can close. */
export function mdFence(text: string, language = 'text', indent = ''): string {
  const body = clean(text, Number.MAX_SAFE_INTEGER, true);
  let longest = 0;
  for (const run of body.match(/`+|~+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  const lines = [`${fence}${language}`, ...body.split('\n'), fence];
  return lines.map((l) => `${indent}${l}`.trimEnd() || indent.trimEnd()).join('\n');
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML content or a quoted attribute value: control sequences removed, `& < > " '` escaped. */
export function html(text: string, multiline = true): string {
  const cleaned = clean(text, Number.MAX_SAFE_INTEGER, multiline);
  return HTML_SPECIAL_ANY.test(cleaned) ? cleaned.replace(HTML_SPECIAL, (c) => HTML_ESCAPES[c]!) : cleaned;
}
const HTML_SPECIAL = /[&<>"']/g;
const HTML_SPECIAL_ANY = /[&<>"']/;

/** Characters XML 1.0 cannot hold: controls but tab, newline and return; lone surrogates; U+FFFE and U+FFFF. */
const NOT_XML = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

/** Text for XML content: characters invalid in XML 1.0 removed, the five entities escaped. */
export function xmlText(text: string): string {
  let xml = clean(text, Number.MAX_SAFE_INTEGER, true);
  if (NOT_XML_ANY.test(xml)) xml = xml.replace(NOT_XML, '');
  return HTML_SPECIAL_ANY.test(xml) ? xml.replace(HTML_SPECIAL, (c) => (c === "'" ? '&apos;' : HTML_ESCAPES[c]!)) : xml;
}
const NOT_XML_ANY = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;

/** Text for a quoted XML attribute: as content, and tab, newline and return as references so they survive. */
export function xmlAttr(text: string): string {
  return xmlText(text).replace(/[\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`);
}
