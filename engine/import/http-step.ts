/**
 * A request read from the plain runbook → an http step (a confirm before anything but GET, HEAD
 * and OPTIONS; an assert from an "Expected:" block after it). A request whose URL, headers or
 * body the shell builds stays prose.
 */
import { DANGER } from './danger.js';
import { expectation } from './expectation.js';
import { urlParts } from './http-target.js';
import { headerValue, wordTemplate } from './http-values.js';
import { stepId, suffixId } from './ids.js';
import { emptyNeeds } from './needs.js';
import { addGroup, leave, type Plan } from './plan.js';
import type { PlainRequest } from './request.js';
import type { Context } from './types.js';
import { attr, confirm, container, leaf, phrase, type Unit } from './units.js';

export function http(
  plan: Plan,
  request: PlainRequest,
  ctx: Context,
  line: number,
  expected: string | null,
  rest: string,
): void {
  if (request.problem !== null) {
    leave(plan, line, `a request with ${request.problem}: Stepwise cannot send it as written`);
    return;
  }
  const needs = emptyNeeds();
  const url = urlParts(plan, request.url, needs, line);
  if (url === null) {
    leave(plan, line, 'a request whose URL is built by the shell (`$(…)`)');
    return;
  }
  const headers: string[] = [];
  for (const h of request.headers) {
    const value = headerValue(h.name, h.value, needs, line);
    if (value === null) {
      leave(plan, line, `a request whose \`${h.name}\` header is built by the shell`);
      return;
    }
    headers.push(`${h.name}: ${value}`);
  }
  let body: string | null = null;
  if (request.body !== null) {
    body = wordTemplate(request.body, needs, line, true);
    if (body === null) {
      leave(plan, line, 'a request whose body is built by the shell');
      return;
    }
  }
  const method = request.method;
  if ((method === 'GET' || method === 'HEAD') && body !== null) {
    leave(plan, line, `a ${method} request with a body`);
    return;
  }
  const segments = url.rawPath
    .replace(/[?#].*$/, '')
    .split('/')
    .filter((s) => s !== '' && !/^(api|v\d+)$/i.test(s) && !/[<>{}]/.test(s) && !s.startsWith('$'));
  const pathName = segments.slice(-2).join('_') || 'root';
  const base = method === 'GET' ? pathName : `${method.toLowerCase()}_${segments.slice(-2).join('_') || 'root'}`;
  const id = stepId(plan, base, 'http');
  const units: Unit[] = [];
  const review: string[] = [];
  const effect = !['GET', 'HEAD', 'OPTIONS'].includes(method);
  if (effect) {
    const danger = DANGER.test(ctx.around);
    units.push(
      confirm(
        suffixId(plan, id),
        `Send ${method} ${url.rawPath.replace(/\?.*$/, '')} to ${url.target}?`,
        danger ? phrase(`${method} ${segments[segments.length - 1] ?? ''}`) : null,
      ),
    );
  }
  if (headers.length === 0 && body === null) {
    units.push(leaf('http', id, null, [`target=${url.target}`, `method=${method}`, `path=${attr(url.path)}`]));
  } else {
    const request = [`${method} ${url.path}`, ...headers];
    const text = body === null ? request.join('\n') : `${request.join('\n')}\n\n${body}`;
    units.push(container('http', id, `target=${url.target}`, 'http', text));
  }
  if (/^\s*\|/.test(rest) && /\bjq\b/.test(rest))
    review.push(`the output went through \`${rest.trim().slice(0, 40)}\`: read it as \`${id}.json\``);
  if (expected !== null) {
    const assertion = expectation(expected, id);
    if (assertion !== null)
      units.push(
        leaf('assert', null, `The response shows ${assertion.says}`, [
          `that=${attr(assertion.that)}`,
          ...(effect ? [`when=${attr(`${id}.outcome == 'passed'`)}`] : []),
        ]),
      );
  }
  addGroup(plan, {
    after: ctx.after,
    indent: ctx.indent,
    line,
    units,
    needs,
    what: `http ${method} ${url.path}`,
    review,
  });
}
