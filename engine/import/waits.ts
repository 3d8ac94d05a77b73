/**
 * Polling loops → a step and a wait on it: `watch -n 5 "cmd"` and `until cmd; do sleep 5; done`.
 * A loop over a command that changes something stays prose.
 */
import { stripPrefix } from './command-words.js';
import { http } from './http-step.js';
import { suffixId } from './ids.js';
import { leave, type Plan } from './plan.js';
import { readOnly } from './read-only.js';
import { curlRequest } from './request.js';
import { literal, parseWords } from './shell-lines.js';
import { shellStep } from './shell-step.js';
import { firstLine } from './text.js';
import type { Context } from './types.js';
import { attr, leaf } from './units.js';

/** `watch -n 5 "cmd"` / `until cmd; do sleep 5; done` → the command as a step, and a wait on it. */
export function loop(plan: Plan, inner: string, ctx: Context, line: number, every: number, isUntil: boolean): void {
  const parsed = parseWords(inner);
  const words = stripPrefix(parsed.words);
  const request = literal(words[0] ?? []) === 'curl' ? curlRequest(words) : null;
  const before = plan.groups.length;
  if (request !== null) http(plan, request, ctx, line, null, '');
  else if (readOnly(inner))
    shellStep(plan, [{ text: inner, comments: [], line: 0, lastLine: 0, expected: null }], ctx, line);
  else {
    leave(plan, line, `a loop over \`${firstLine(inner)}\`, which changes something: repeat it by hand`);
    return;
  }
  const group = plan.groups[before];
  if (group === undefined) return;
  const step = group.units[group.units.length - 1]!;
  const passed =
    step.kind === 'http' ? `${step.id}.status >= 200 && ${step.id}.status < 300` : `${step.id}.exitCode == 0`;
  group.units.push(
    leaf('wait', suffixId(plan, step.id!, 'wait'), null, [
      `step=${step.id}`,
      `until=${attr(passed)}`,
      `every=${Math.max(1, every)}s`,
      'timeout=5m',
    ]),
  );
  if (!isUntil)
    group.review.push(
      `\`watch\` shows the output again and again: the wait ends when it first succeeds; write the condition to wait for in \`until\``,
    );
}
