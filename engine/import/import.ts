/**
 * `stepwise import`: a plain-Markdown runbook → an annotated draft. Every original line stays
 * as it was; step directives are inserted after the blocks they come from (found with the
 * project's Markdown parser, at source positions, never by re-serialising the tree), and the
 * frontmatter declares the targets, inputs, secrets and env names they use. What cannot be
 * mapped stays prose and is listed in a comment at the top with its line. The draft is checked
 * before it is returned: a step `check` finds an error in is taken out again and listed.
 *
 * The work, one module each:
 * - plan.ts: what an import builds (groups of directives, places left as prose, ids, targets),
 *   with hints.ts and examples.ts (what the whole runbook says: connections, example values);
 * - walk.ts → code-block.ts, inline.ts, checklist.ts: which converter a block goes to;
 * - the converters: sql-block.ts, sql-command.ts (+ psql-url.ts), sql-steps.ts, sql-target.ts,
 *   shell-block.ts, shell-step.ts, waits.ts, powershell.ts, http-block.ts, http-step.ts,
 *   http-target.ts; needs.ts turns placeholders into inputs and secrets;
 * - the draft: writer.ts (directives inserted at source positions), frontmatter.ts, comment.ts;
 * - plan-import.ts: all of the above but the check; settle.ts: the safety net, the draft checked
 *   as `check` checks it. importRunbook() runs both, checking with checkSource; the CLI runs them
 *   itself, through check's cache, and loads checkSource only on a miss (cli/commands/import.ts).
 */
import { checkSource } from '../check/check.js';
import { planImport } from './plan-import.js';
import { settle } from './settle.js';
import type { DraftCheck, ImportOptions, ImportResult } from './types.js';

export { MARKER } from './comment.js';
export { readOnly } from './read-only.js';
export type { DraftCheck, DraftChecked, ImportOptions, ImportResult, Leftover, PlannedStep } from './types.js';

export function importRunbook(source: string, options: ImportOptions = {}): ImportResult {
  const planned = planImport(source, options);
  if ('result' in planned) return planned.result;
  return settle(planned.plan, options.path ?? 'runbook.md', options.check ?? checkWithoutIncludes);
}

/** checkSource on a draft: a plain runbook has no includes, so none is read. */
const checkWithoutIncludes: DraftCheck = (text, path) =>
  checkSource(text, path, (p) => {
    throw Object.assign(new Error(`not read during import: ${p}`), { code: 'ENOENT' });
  });
