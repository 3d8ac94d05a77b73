/** Step ids for a draft: a few words of what the step is about, unique in the draft. */
import { isReserved } from './needs.js';
import type { Plan } from './plan.js';

export function stepId(plan: Plan, text: string, fallback: string): string {
  let base = text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/`[^`]*`/g, (m) => m.slice(1, -1))
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((w) => w !== '' && !/^(the|a|an|of|to|for|and|or|via|on|in|with|step|\d+)$/.test(w))
    .slice(0, 5)
    .join('_')
    .slice(0, 40)
    .replace(/_+$/, '');
  if (base === '' || !/^[a-z]/.test(base)) base = base === '' ? fallback : `${fallback}_${base}`;
  if (isReserved(base)) base = `${base}_step`;
  let id = base;
  for (let n = 2; plan.ids.has(id); n++) id = `${base}_${n}`;
  plan.ids.add(id);
  return id;
}

/** `<id>_ok`, `<id>_wait` (and `_2`, … when taken): a step made for another step. */
export function suffixId(plan: Plan, id: string, suffix = 'ok'): string {
  let out = `${id}_${suffix}`;
  for (let n = 2; plan.ids.has(out); n++) out = `${id}_${suffix}_${n}`;
  plan.ids.add(out);
  return out;
}
