/**
 * Parts of a secret left where a size limit or a message cut it: a text ending with the start of
 * a secret form, beginning with its end, or quoting its first characters before `...`.
 */
import { withoutAnsi } from './encodings.js';
import type { Engine, PartialIndex, SecretForm } from './engine-types.js';
import type { Match } from './patterns.js';

/** A partial secret shorter than this, at a cut, is left: a few characters could be anything. */
const MIN_PARTIAL = 8;

export type { PartialIndex } from './engine-types.js';

export function partialIndex(forms: readonly SecretForm[]): PartialIndex {
  const byStart = new Map<string, SecretForm[]>();
  const byEnd = new Map<string, SecretForm[]>();
  let longest = 0;
  for (const f of forms) {
    if (f.token || f.text.length <= MIN_PARTIAL) continue;
    const add = (map: Map<string, SecretForm[]>, key: string): void =>
      void (map.get(key) ?? map.set(key, []).get(key)!).push(f);
    add(byStart, f.text.slice(0, MIN_PARTIAL));
    add(byEnd, f.text.slice(-MIN_PARTIAL));
    longest = Math.max(longest, f.text.length);
  }
  return { byStart, byEnd, longest };
}

/**
 * A secret cut in two by a size limit: the text ends with the start of a secret form (a body kept
 * to its first bytes), or, when `head`, begins with the end of one (the last lines of output); or
 * a message quotes its first characters and cuts them off with `...` or `…` (V8's
 * `"ghp_Zq8vLm"... is not valid JSON`). Ordinary text does not hold 8 or more characters of a
 * secret that way by chance. Costs a map lookup per position near the ends (and the ellipses).
 */
export function partials(engine: Engine, text: string, from: number, head: boolean, out: Match[]): void {
  const { byStart, byEnd, longest } = engine.partial;
  if (longest === 0 || text.length - from < MIN_PARTIAL) return;
  const view = withoutAnsi(text);
  const t = view.text;
  const push = (i: number, j: number, f: SecretForm): void => {
    if (view.orig(i) >= from) out.push({ start: view.orig(i), end: view.end(j - 1), mask: f.mask });
  };
  /** A form starting at i whose first j - i characters are t[i, j), cut there (j - i shorter than the form). */
  const cutAt = (i: number, j: number): SecretForm | undefined =>
    byStart.get(t.substr(i, MIN_PARTIAL))?.find((f) => j - i < f.text.length && f.text.startsWith(t.slice(i, j)));
  // the end of the text
  for (let i = Math.max(0, t.length - longest + 1); i <= t.length - MIN_PARTIAL; i++) {
    const f = cutAt(i, t.length);
    if (f) {
      push(i, t.length, f);
      break;
    }
  }
  // before an ellipsis
  for (const mark of ['...', '…']) {
    for (let e = t.indexOf(mark); e !== -1; e = t.indexOf(mark, e + 1)) {
      const end = e > 0 && (t[e - 1] === '"' || t[e - 1] === "'") ? e - 1 : e;
      for (let i = Math.max(0, end - longest + 1); i <= end - MIN_PARTIAL; i++) {
        const f = cutAt(i, end);
        if (f) {
          push(i, end, f);
          break;
        }
      }
    }
  }
  // the start of the text
  if (!head || from > 0) return;
  for (let i = 0; i + MIN_PARTIAL <= Math.min(t.length, longest - 1); i++) {
    const f = byEnd
      .get(t.substr(i, MIN_PARTIAL))
      ?.find((g) => i + MIN_PARTIAL < g.text.length && g.text.endsWith(t.slice(0, i + MIN_PARTIAL)));
    if (f) {
      push(0, i + MIN_PARTIAL, f);
      break;
    }
  }
}
