/**
 * Text from a transcript made inert for each report format: Markdown (no heading, link, image,
 * raw HTML, emphasis or table cell break can start from it), HTML (every character that could
 * open a tag or close an attribute is a character reference) and XML 1.0 (the five entities, and
 * characters XML 1.0 cannot hold removed). Control sequences are removed first (clean.ts).
 */
import { clean } from '../clean.js';

/**
 * Markdown punctuation that could start something other than text mid-line: emphasis, code, links
 * and images, raw HTML and autolinks, table cells, strikethrough, entities, math, and `#`.
 * (Inline text never starts a line here, so list and heading markers there cannot arise.)
 * CommonMark lets every ASCII punctuation character be escaped with a backslash.
 */
const MARKDOWN_SPECIAL = /[\\`*_[\]<>#!|~&$]/g;

/** One line of transcript text as inline Markdown: on one line, every special character escaped. */
export function mdInline(text: string, max = 2000): string {
  return clean(text, max).replace(MARKDOWN_SPECIAL, (c) => `\\${c}`);
}

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
  return clean(text, Number.MAX_SAFE_INTEGER, multiline).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** Characters XML 1.0 cannot hold: controls but tab, newline and return; lone surrogates; U+FFFE and U+FFFF. */
const NOT_XML = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

/** Text for XML content: characters invalid in XML 1.0 removed, the five entities escaped. */
export function xmlText(text: string): string {
  return clean(text, Number.MAX_SAFE_INTEGER, true)
    .replace(NOT_XML, '')
    .replace(/[&<>"']/g, (c) => (c === "'" ? '&apos;' : HTML_ESCAPES[c]!));
}

/** Text for a quoted XML attribute: as content, and tab, newline and return as references so they survive. */
export function xmlAttr(text: string): string {
  return xmlText(text).replace(/[\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`);
}
