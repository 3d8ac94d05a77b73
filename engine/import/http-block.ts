/** An `http` block (a request line, headers, a blank line, a body) → an http step. */
import type { Code } from 'mdast';
import { http } from './http-step.js';
import { leave, type Plan } from './plan.js';
import { methodLine } from './request.js';
import type { Context } from './types.js';

export function httpBlock(plan: Plan, node: Code, ctx: Context): void {
  const lines = node.value.split('\n');
  const first = lines.findIndex((l) => l.trim() !== '');
  const request = methodLine(lines[first] ?? '');
  if (request === null) {
    leave(plan, ctx.line, 'an HTTP block Stepwise cannot read');
    return;
  }
  let i = first + 1;
  for (; i < lines.length && lines[i]!.trim() !== ''; i++) {
    const m = /^([\w-]+):\s*(.*)$/.exec(lines[i]!);
    if (!m) break;
    request.headers.push({ name: m[1]!, value: [{ lit: m[2]! }] });
  }
  const body = lines
    .slice(i + 1)
    .join('\n')
    .trim();
  if (body !== '') request.body = [{ lit: body }];
  http(plan, request, ctx, ctx.line + 1 + first, null, '');
}
