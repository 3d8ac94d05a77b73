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
 * - settle.ts: the safety net, the draft checked as `check` checks it (the CLI passes check's
 *   cached path: cli/commands/import.ts).
 */
import { checkSource } from '../check/check.js';
import { annotated } from './annotated.js';
import { MARKER } from './comment.js';
import { readFrontmatter } from './frontmatter.js';
import { newPlan } from './plan.js';
import { settle } from './settle.js';
import type { DraftCheck, ImportOptions, ImportResult, Leftover } from './types.js';
import { walk } from './walk.js';

export { MARKER } from './comment.js';
export { readOnly } from './read-only.js';
export type { DraftCheck, ImportOptions, ImportResult, Leftover, PlannedStep } from './types.js';

export function importRunbook(source: string, options: ImportOptions = {}): ImportResult {
  const unchanged = (note: string, leftovers: Leftover[] = []): ImportResult => ({
    text: source,
    changed: false,
    steps: [],
    leftovers,
    review: [],
    note,
  });
  if (source.includes('\u0000')) return unchanged('the file holds NUL bytes: it is not a Markdown runbook');
  if (source.includes(MARKER)) return unchanged('already a draft of `stepwise import`');
  if (/\r(?!\n)/.test(source)) return unchanged('lone CR line endings: convert the file to LF or CRLF first');
  const plan = newPlan(source, options);
  if (annotated(plan.tree)) return unchanged('already annotated: it has steps, so import changes nothing');
  const frontmatter = readFrontmatter(plan.tree);
  plan.frontmatterEnd = frontmatter.end;
  if (frontmatter.problem !== null) return unchanged(frontmatter.problem, [{ line: 1, why: frontmatter.problem }]);
  walk(plan);
  return settle(plan, options.path ?? 'runbook.md', options.check ?? checkWithoutIncludes);
}

/** checkSource on a draft: a plain runbook has no includes, so none is read. */
const checkWithoutIncludes: DraftCheck = (text, path) =>
  checkSource(text, path, (p) => {
    throw Object.assign(new Error(`not read during import: ${p}`), { code: 'ENOENT' });
  });
