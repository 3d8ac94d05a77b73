/**
 * The safety net: the draft is checked as `check` would check it. A group `check` finds an error
 * in (or one of DROP_ON), or whose steps it does not read as steps, is taken out and listed as
 * prose, and the draft written and checked again; warnings in a group become items for the
 * author. An error outside every group means the draft would not pass where the plain runbook
 * did: then nothing is written, and the result says why.
 *
 * settleSteps yields each text to check and takes what check found, so the caller decides how:
 * settle() calls a check at once; settleAsync() awaits one (the CLI's, which loads the check
 * rules only when check's cache does not already hold the draft's result).
 */
import type { Plan } from './plan.js';
import type { DraftCheck, DraftChecked, Group, ImportResult, Leftover, PlannedStep } from './types.js';
import { writeDraft } from './writer.js';

/** Diagnostics in a step group that take the group out of the draft (besides every error). */
const DROP_ON = new Set<string>([
  'write-without-confirm',
  'reads-skippable-step',
  'decline-skips-nothing',
  'unknown-attribute',
]);

export function settle(plan: Plan, path: string, check: DraftCheck): ImportResult {
  const steps = settleSteps(plan, path);
  let next = steps.next();
  while (next.done !== true) next = steps.next(check(next.value, path));
  return next.value;
}

export async function settleAsync(
  plan: Plan,
  path: string,
  check: (text: string, path: string) => Promise<DraftChecked>,
): Promise<ImportResult> {
  const steps = settleSteps(plan, path);
  let next = steps.next();
  while (next.done !== true) next = steps.next(await check(next.value, path));
  return next.value;
}

/** Yields each text to check (the draft, and the plain runbook when the draft fails outside its steps). */
export function* settleSteps(plan: Plan, path: string): Generator<string, ImportResult, DraftChecked> {
  let kept = [...plan.groups];
  const dropped: Leftover[] = [];
  let review: Leftover[] = [];
  let planned: Leftover[] = [];
  let checkedText = '';
  if (kept.length === 0) {
    // Nothing to check: at most a comment listing what stays prose.
    const text = writeDraft(plan, [], plan.leftovers, []).text;
    const leftovers = [...plan.leftovers].sort((a, b) => a.line - b.line);
    return { text, changed: text !== plan.source, steps: [], leftovers, review: [], note: 'nothing became a step' };
  }
  // Each round drops at least one group, so this ends; a draft with no group left checks as the original.
  for (;;) {
    // The steps' own review items are listed already: with no warnings, the text checked is the
    // text written, and `check` of the written draft finds this check in its cache.
    planned = kept.flatMap((g) => g.review.map((why) => ({ line: g.line, why })));
    const built = writeDraft(plan, kept, [...plan.leftovers, ...dropped], planned);
    checkedText = built.text;
    const checked: DraftChecked = yield built.text;
    const diagnostics = checked.diagnostics;
    const bad = new Set<Group>();
    const warnings: Leftover[] = [];
    for (const d of diagnostics) {
      if (d.file !== undefined && d.file !== path) continue;
      const at = d.span.start.line;
      const group = built.ranges.find((r) => at >= r.start && at <= r.end)?.group;
      if (group === undefined) continue;
      if (d.severity === 'error' || DROP_ON.has(d.rule)) {
        if (!bad.has(group))
          dropped.push({ line: group.line, why: `not converted (${group.what}): ${d.message} [${d.rule}]` });
        bad.add(group);
      } else warnings.push({ line: group.line, why: `warning: ${d.message} [${d.rule}]` });
    }
    // A group whose steps check did not read (the Markdown around it took them for text) is dropped too.
    const read = new Set(checked.document.steps.map((s) => s.id));
    for (const g of kept) {
      if (bad.has(g) || g.units.every((u) => u.id === null || read.has(u.id))) continue;
      dropped.push({ line: g.line, why: `not converted (${g.what}): the draft's Markdown does not read it as steps` });
      bad.add(g);
    }
    if (bad.size > 0) {
      kept = kept.filter((g) => !bad.has(g));
      continue;
    }
    const outside = diagnostics.find(
      (d) =>
        d.severity === 'error' && !built.ranges.some((r) => d.span.start.line >= r.start && d.span.start.line <= r.end),
    );
    if (outside !== undefined && !((yield plan.source) as DraftChecked).diagnostics.some((d) => d.severity === 'error'))
      return {
        text: plan.source,
        changed: false,
        steps: [],
        leftovers: [...plan.leftovers, ...dropped],
        review: [],
        note: `the draft would not pass check (${outside.message} [${outside.rule}]); nothing was written`,
      };
    review = [...warnings, ...planned];
    break;
  }
  // Only the comment block changes from the draft checked above, when it lists warnings too.
  const draft =
    review.length === planned.length
      ? checkedText
      : writeDraft(plan, kept, [...plan.leftovers, ...dropped], review).text;
  const steps: PlannedStep[] = kept.flatMap((g) =>
    g.units
      .filter((u) => u.id !== null)
      .map((u) => ({ line: g.line, id: u.id!, kind: u.kind, what: u.kind === 'confirm' ? 'confirm' : g.what })),
  );
  const leftovers = [...plan.leftovers, ...dropped].sort((a, b) => a.line - b.line);
  const changed = draft !== plan.source;
  return { text: draft, changed, steps, leftovers, review, note: changed ? null : 'nothing to convert' };
}
