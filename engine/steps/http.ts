import { sendHttp, HttpError } from '../drivers/http-request.js';
import type { Template } from '../document/model.js';
import type { StepContext } from '../run/context.js';
import { renderTemplate } from '../run/render.js';
import { scanTemplate } from '../expr/template.js';
import { attrNumber, attrTemplate, type StepHandler } from './handler.js';
import type { StatusRange } from './schema.js';

export const HTTP_METHODS = ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** `http`: one request. Container body: `METHOD path-or-url`, header lines, blank line, body. */
export const http = {
  kind: 'http',
  summary: 'sends one HTTP request to an http target (or a full url)',
  result: ['status', 'headers', 'body', 'json', 'bytes', 'truncated', 'sha256', 'attempts', 'ms'],
  attributes: {
    target: { type: 'target', doc: 'the http target whose base URL and headers apply' },
    method: { type: 'enum', values: HTTP_METHODS, doc: 'request method (default GET, or the first line of the body)' },
    path: { type: 'template', doc: 'path under the target base URL; placeholders are URL-encoded' },
    url: { type: 'template', doc: 'an absolute URL, instead of target + path' },
    expect: { type: 'status-list', doc: 'accepted statuses, e.g. 200,204 or 2xx (default 2xx)' },
    retries: { type: 'integer', min: 0, doc: 'retries with backoff for idempotent methods (default 0)' },
    redirects: { type: 'integer', min: 0, doc: 'redirects to follow (default 5)' },
    'max-bytes': { type: 'integer', min: 1, doc: 'response bytes kept (default 1 MiB); the rest are counted and hashed' },
    body: { type: 'template', doc: 'request body, for the leaf form' },
  },
  label: 'optional',
  content: 'code',
  targets: ['http'],
  plan(ctx) {
    const request = buildRequest(ctx);
    const text = [`${request.method} ${request.url}`, ...Object.entries(request.headers).map(([k, v]) => `${k}: ${v}`), ...(request.body ? ['', request.body] : [])].join('\n');
    return { summary: `${request.method} ${request.url}`, text, target: ctx.node.target ?? undefined, effect: ctx.node.effect };
  },
  async execute(ctx) {
    const request = buildRequest(ctx);
    const expect = ctx.step.attributes.expect;
    const statuses: StatusRange[] = expect?.type === 'status-list' ? expect.statuses : [{ from: 200, to: 299 }];
    try {
      const response = await sendHttp({
        ...request,
        timeoutMs: ctx.timeoutMs,
        retries: attrNumber(ctx.step, 'retries') ?? 0,
        redirects: attrNumber(ctx.step, 'redirects') ?? 5,
        maxBytes: attrNumber(ctx.step, 'max-bytes') ?? 1024 * 1024,
        signal: ctx.signal,
      });
      const result = { status: response.status, headers: response.headers, body: response.body, json: response.json, ms: response.ms, bytes: response.bytes, truncated: response.truncated, sha256: response.sha256, attempts: response.attempts };
      if (!statuses.some((r) => response.status >= r.from && response.status <= r.to)) {
        const wanted = statuses.map((r) => (r.from === r.to ? String(r.from) : r.to - r.from === 99 && r.from % 100 === 0 ? `${r.from / 100}xx` : `${r.from}-${r.to}`)).join(', ');
        return { status: 'failed', error: `HTTP ${response.status} from ${request.method} ${request.url} (expected ${wanted})`, result };
      }
      return { status: 'passed', result };
    } catch (error) {
      return { status: 'failed', error: error instanceof HttpError || error instanceof Error ? error.message : String(error) };
    }
  },
} satisfies StepHandler;

interface Request {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** The request as it will be sent: target base and headers, then the step's own line, headers and body. */
function buildRequest(ctx: StepContext): Request {
  const step = ctx.step;
  let method = step.attributes.method?.type === 'enum' ? step.attributes.method.value : 'GET';
  let where = '';
  const headers: Record<string, string> = {};
  let body: string | undefined;
  if (step.body) {
    const text = renderRequestText(step.body.template, ctx);
    const [head, ...rest] = text.split(/\r?\n\r?\n/);
    const lines = head!.split(/\r?\n/).filter((l) => l.trim() !== '');
    const first = (lines.shift() ?? '').trim().split(/\s+/);
    if (first.length > 1 || /^[A-Z]+$/.test(first[0] ?? '')) method = first.length > 1 ? first[0]!.toUpperCase() : method;
    where = first.length > 1 ? first[1]! : (first[0] ?? '');
    for (const line of lines) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
    }
    if (rest.length > 0 && rest.join('\n\n').trim() !== '') body = rest.join('\n\n');
  } else {
    const url = attrTemplate(step, 'url');
    const path = attrTemplate(step, 'path');
    where = url ? ctx.render(url, 'url') : path ? ctx.render(path, 'url') : '';
    const bodyTemplate = attrTemplate(step, 'body');
    if (bodyTemplate) body = ctx.render(bodyTemplate);
  }
  let url = where;
  if (!/^https?:\/\//i.test(where)) {
    if (!ctx.node.target) throw new Error(`\`${where}\` is not an absolute URL and the step has no target`);
    const target = ctx.target(ctx.node.target);
    if (target.kind !== 'http') throw new Error(`target \`${target.name}\` is not an http target`);
    url = `${target.base.replace(/\/+$/, '')}/${where.replace(/^\/+/, '')}`;
    for (const [name, value] of Object.entries(target.headers)) if (!hasHeader(headers, name)) headers[name] = renderText(value, ctx);
  }
  return body === undefined ? { method, url, headers } : { method, url, headers, body };
}

/** The request line's placeholders are URL-encoded; header and body placeholders are plain text. */
function renderRequestText(template: Template, ctx: StepContext): string {
  const newline = template.source.indexOf('\n');
  if (newline === -1) return ctx.render(template, 'url');
  let out = '';
  let inFirstLine = true;
  for (const part of template.parts) {
    if (part.type === 'text') {
      out += part.text;
      if (part.text.includes('\n')) inFirstLine = false;
    } else out += renderTemplate({ ...template, parts: [part] }, ctx.evaluate, inFirstLine ? 'url' : 'text');
  }
  return out;
}

/** Target header values are frontmatter strings that may hold placeholders (`Bearer {{ secrets.KEY }}`). */
function renderText(text: string, ctx: StepContext): string {
  const slots = scanTemplate(text).slots;
  if (slots.length === 0) return text;
  let out = '';
  let cursor = 0;
  for (const slot of slots) {
    out += text.slice(cursor, slot.start);
    const value = ctx.evaluate({ source: slot.source, span: ctx.step.span });
    out += value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
    cursor = slot.end;
  }
  return out + text.slice(cursor);
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  const lower = name.toLowerCase();
  return Object.keys(headers).some((h) => h.toLowerCase() === lower);
}
