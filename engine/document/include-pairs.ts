/**
 * Splits the text of an include's `with` or `target` into `name=value` pairs, with offsets into
 * the text (for diagnostics at their column). Pairs are separated by spaces; a value may hold
 * `{{ placeholders }}` with spaces inside, or be quoted with the quote the attribute does not use
 * (`with="reason='disk full'"`).
 */
import { report } from './attributes.js';
import type { Template } from './model.js';
import type { WalkContext } from './walk-context.js';

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

/** The pairs of `with` or `target`, or none after reporting where the text stops making sense. */
export function pairsOf(
  ctx: WalkContext,
  template: Template,
  attr: string,
): { pairs: Pair[] | null; at: (o: number) => number } {
  const start = template.span.start.offset;
  const at = (offset: number): number => start + offset;
  const split = splitPairs(template.source);
  if (split.ok) return { pairs: split.pairs, at };
  report(
    ctx,
    'error',
    'include-invalid',
    `\`${attr}\` of an include: ${split.reason}`,
    ctx.map.span(at(split.offset), at(split.offset)),
    attr === 'with'
      ? 'write with="name=value name2=value2"'
      : 'write target=name, or target="theirs=ours theirs2=ours2"',
  );
  return { pairs: null, at };
}
