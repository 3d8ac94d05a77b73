/** Small text helpers of the importer: lines, short forms for messages and ids, comment-safe text. */

/** The 0-based line of `offset` in `text`. */
export function lineOf(text: string, offset: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** The first line of a command, without a trailing `\`, cut to 60 characters. */
export function firstLine(text: string): string {
  const l = text.split('\n')[0]!.replace(/\s*\\$/, '');
  return l.length > 60 ? `${l.slice(0, 59)}…` : l;
}

export function firstWords(text: string): string {
  return text.split(/\s+/).slice(0, 3).join(' ');
}

/** Markdown inline syntax taken out of a text (links to their text, no emphasis marks). */
export function plain(text: string): string {
  return text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__|~~)(.+?)\1/g, '$2')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The bold lead of a list item (`**Restart Application**:`), or its first few words. */
export function leadText(text: string): string {
  const t = text.split('\n')[0]!.replace(/[:.]\s*$/, '');
  return t.length > 60 ? t.split(/[:.(]/)[0]!.slice(0, 60) : t;
}

/** One line that cannot end an HTML comment. */
export function safeComment(text: string): string {
  return text.replace(/\s+/g, ' ').replaceAll('-->', '->').replaceAll('--', '-');
}

/** A target declaration given with `--targets`, as a YAML flow value. */
export function flow(value: unknown): string {
  return JSON.stringify(value);
}
