/**
 * The comment a draft starts with: that it is a draft, the places left as prose and the steps
 * for the author to decide on, each with its line in the draft. A file holding its first line is
 * not imported again.
 */
import { safeComment } from './text.js';
import type { Leftover } from './types.js';

/** The first line of the comment block a draft starts with; a file holding it is not imported again. */
export const MARKER = '<!-- stepwise import:';

/** The comment's lines; `draftLine` maps a line of the plain runbook to its line in the draft. */
export function commentLines(
  groupCount: number,
  leftovers: readonly Leftover[],
  review: readonly Leftover[],
  draftLine: (line: number) => number,
): string[] {
  const out = [
    `${MARKER} a draft; read every step before running it, then \`stepwise check\` this file.`,
    `${groupCount} place${groupCount === 1 ? '' : 's'} became steps; the original text is unchanged around them.`,
  ];
  const prose = [...leftovers].sort((a, b) => a.line - b.line);
  const rev = [...review].sort((a, b) => a.line - b.line);
  if (prose.length > 0) {
    out.push('Left as prose (do these by hand, or write the steps yourself):');
    for (const i of prose) out.push(`- line ${draftLine(i.line)}: ${safeComment(i.why)}`);
  }
  if (rev.length > 0) {
    out.push('For the author to decide:');
    for (const i of rev) out.push(`- line ${draftLine(i.line)}: ${safeComment(i.why)}`);
  }
  out.push('-->', '');
  return out;
}
