/**
 * Splits the text of an include's `with` or `target` into `name=value` pairs, with offsets into
 * the text (for diagnostics at their column). Pairs are separated by spaces; a value may hold
 * `{{ placeholders }}` with spaces inside, or be quoted with the quote the attribute does not use
 * (`with="reason='disk full'"`).
 */

export interface Pair {
  name: string;
  nameStart: number;
  /** Undefined for a bare word (`target=api`'s one form). */
  value?: string;
  valueStart: number;
  valueEnd: number;
}

export type PairsResult = { ok: true; pairs: Pair[] } | { ok: false; offset: number; reason: string };

export function splitPairs(text: string): PairsResult {
  const pairs: Pair[] = [];
  let i = 0;
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) return { ok: true, pairs };
    const nameStart = i;
    while (i < text.length && /[\w-]/.test(text[i]!)) i++;
    const name = text.slice(nameStart, i);
    if (name === '') return { ok: false, offset: i, reason: `\`${text[i]}\` cannot start a name` };
    if (i >= text.length || /\s/.test(text[i]!)) {
      pairs.push({ name, nameStart, valueStart: i, valueEnd: i });
      continue;
    }
    if (text[i] !== '=') return { ok: false, offset: i, reason: `expected \`=\` after \`${name}\`` };
    i++;
    const quote = text[i];
    if (quote === "'" || quote === '"') {
      const close = text.indexOf(quote, i + 1);
      if (close === -1)
        return { ok: false, offset: i, reason: `the value of \`${name}\` opens a quote it never closes` };
      pairs.push({ name, nameStart, value: text.slice(i + 1, close), valueStart: i + 1, valueEnd: close });
      i = close + 1;
      continue;
    }
    const valueStart = i;
    while (i < text.length && !/\s/.test(text[i]!)) {
      if (text.startsWith('{{', i)) {
        const close = text.indexOf('}}', i + 2);
        i = close === -1 ? text.length : close + 2;
      } else i++;
    }
    pairs.push({ name, nameStart, value: text.slice(valueStart, i), valueStart, valueEnd: i });
  }
}
