/**
 * An import up to its safety net: the plain runbook read, walked and planned, or the result
 * already when there is nothing to plan (not Markdown, already a draft or annotated, a
 * frontmatter that cannot take the declarations). It loads neither the check rules nor the
 * expression parser: the CLI loads them only when check's cache does not hold the draft's check.
 */
import { annotated } from './annotated.js';
import { MARKER } from './comment.js';
import { readFrontmatter } from './frontmatter.js';
import { newPlan, type Plan } from './plan.js';
import type { ImportOptions, ImportResult, Leftover } from './types.js';
import { walk } from './walk.js';

export function planImport(source: string, options: ImportOptions): { result: ImportResult } | { plan: Plan } {
  const unchanged = (note: string, leftovers: Leftover[] = []): { result: ImportResult } => ({
    result: { text: source, changed: false, steps: [], leftovers, review: [], note },
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
  return { plan };
}
