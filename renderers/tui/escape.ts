/**
 * Untrusted text made inert for the terminal UI: every control character is shown as a visible
 * escape (`\x1b`, `\r`, `\x9b`), never sent raw, so output cannot clear the screen, move the
 * cursor, overwrite a line, set the window title, write or read the clipboard, open a link or
 * start a device control string. Bidi controls are shown as `<U+202E>` so they cannot reorder
 * what follows them. Line breaks stay line breaks (`\r\n` is one), tabs become spaces. Escaping
 * happens only when drawing: the transcript keeps the bytes as data.
 */

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escapeOne(c: string): string {
  const code = c.charCodeAt(0);
  if (c === '\r') return '\\r';
  if (code === 0x1b) return '\\x1b';
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `\\x${code.toString(16).padStart(2, '0')}`;
  return `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
}

/** Tabs to spaces up to the next multiple of 8 columns (counted in characters, good enough for output). */
function expandTabs(line: string): string {
  if (!line.includes('\t')) return line;
  let out = '';
  for (const c of line) {
    if (c === '\t') out += ' '.repeat(8 - (out.length % 8));
    else out += c;
  }
  return out;
}

/** Text with its control characters shown as escapes; line breaks kept (`\r\n` and `\n`). */
export function visible(text: string): string {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  return lines.map((line) => expandTabs(line).replace(CONTROL, escapeOne)).join('\n');
}

/** One line: like visible(), and a line break shown as `\n` too. */
export function visibleLine(text: string): string {
  return visible(text).replace(/\n/g, '\\n');
}

/** A JSON-like value with every string (and key) passed through visible(): results and plans before they are described. */
export function visibleDeep<T>(value: T): T {
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return visible(v);
    if (depth > 64 || v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[visibleLine(k)] = walk(x, depth + 1);
    return out;
  };
  return walk(value, 0) as T;
}
