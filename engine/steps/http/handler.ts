import type { Step } from '../document/model.js';
import { httpMethod, SAFE_HTTP_METHODS } from './http-method.js';
import { sendHttp, HttpError } from '../drivers/http-request.js';
import type { StepContext } from '../run/context.js';
import { attrNumber, type StepHandler } from './handler.js';
import { buildHttpRequest, requestText, type BuiltRequest } from './http-request-text.js';
import type { StatusRange } from './schema.js';

export const HTTP_METHODS = ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** `http`: one request. Container body: `METHOD path-or-url`, header lines, blank line, body. */
export const http = {
  kind: 'http',
  summary: 'sends one HTTP request to an http target (or a full url)',
  result: ['status', 'headers', 'body', 'json', 'jsonError', 'bytes', 'truncated', 'sha256', 'attempts', 'ms'],
  changes: 'sends a request that changes something',
  effect: (step) => !SAFE_HTTP_METHODS.has(httpMethod(step)),
  attributes: {
    target: { type: 'target', doc: 'the http target whose base URL and headers apply' },
    method: { type: 'enum', values: HTTP_METHODS, doc: 'request method (default GET, or the first line of the body)' },
    path: { type: 'template', doc: 'path under the target base URL; placeholders are percent-encoded' },
    url: {
      type: 'template',
      doc: 'an absolute URL, instead of target + path; a placeholder at its very start may give scheme and host, others are percent-encoded',
    },
    expect: { type: 'status-list', doc: 'accepted statuses, e.g. 200,204 or 2xx (default 2xx)' },
    retries: { type: 'integer', min: 0, doc: 'retries with backoff for idempotent methods (default 0)' },
    redirects: { type: 'integer', min: 0, doc: 'redirects to follow (default 5)' },
    'max-bytes': {
      type: 'integer',
      min: 1,
      doc: 'response bytes kept (default 1 MiB); the rest are counted and hashed',
    },
    body: {
      type: 'template',
      doc: 'request body, for the leaf form; placeholders are filled in by content type (JSON: escaped in strings, JSON values elsewhere)',
    },
  },
  label: 'optional',
  content: 'code',
  target: 'http',
  needsNoTarget: usesAbsoluteUrl,
  plan(ctx) {
    const request = built(ctx);
    return {
      summary: `${request.method} ${request.url}`,
      text: requestText(request),
      target: ctx.node.target ?? undefined,
      effect: ctx.node.effect,
    };
  },
  async execute(ctx) {
    const request = built(ctx);
    const expect = ctx.step.attributes.expect;
    const statuses: StatusRange[] = expect?.type === 'status-list' ? expect.statuses : [{ from: 200, to: 299 }];
    try {
      const response = await sendHttp({
        ...request,
        timeoutMs: ctx.timeoutMs,
        totalMs: ctx.timeoutMs,
        retries: attrNumber(ctx.step, 'retries') ?? 0,
        redirects: attrNumber(ctx.step, 'redirects') ?? 5,
        maxBytes: attrNumber(ctx.step, 'max-bytes') ?? 1024 * 1024,
        signal: ctx.signal,
      });
      const result = {
        status: response.status,
        headers: response.headers,
        body: response.body,
        json: response.json,
        ...(response.jsonError === undefined ? {} : { jsonError: response.jsonError }),
        ms: response.ms,
        bytes: response.bytes,
        truncated: response.truncated,
        sha256: response.sha256,
        attempts: response.attempts,
      };
      if (!statuses.some((r) => response.status >= r.from && response.status <= r.to)) {
        const wanted = statuses
          .map((r) =>
            r.from === r.to
              ? String(r.from)
              : r.to - r.from === 99 && r.from % 100 === 0
                ? `${r.from / 100}xx`
                : `${r.from}-${r.to}`,
          )
          .join(', ');
        const refused = response.retryRefused;
        const why = refused
          ? `; the server asked to retry after ${formatSeconds(refused.afterMs)}, past the step's ${formatSeconds(ctx.timeoutMs)} timeout`
          : '';
        return {
          status: 'failed',
          error: `HTTP ${response.status} from ${request.method} ${request.url}${why} (expected ${wanted})`,
          result,
        };
      }
      return { status: 'passed', result };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return error instanceof HttpError && error.reason === 'timeout'
        ? { status: 'failed', error: message, timedOut: true }
        : { status: 'failed', error: message };
    }
  },
} satisfies StepHandler;

/** One request per step context: the plan shows exactly what execute sends (values are read once). */
const requests = new WeakMap<StepContext, BuiltRequest>();

function built(ctx: StepContext): BuiltRequest {
  let request = requests.get(ctx);
  if (!request) requests.set(ctx, (request = buildHttpRequest(ctx)));
  return request;
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}

/** `url=`, or a request line that starts with a scheme or a placeholder: the step names its own URL. */
function usesAbsoluteUrl(step: Step): boolean {
  if (step.attributes.url !== undefined) return true;
  const first = step.body?.template.source.trimStart().split('\n', 1)[0] ?? '';
  return /^\s*(?:[A-Z]+\s+)?(?:https?:\/\/|\{\{)/i.test(first);
}
