import { sendHttp, HttpError } from '../../drivers/http-request.js';
import type { StepHandler } from '../handler.js';
import { attrNumber } from '../step-attributes.js';
import { buildHttpRequest, requestText, type BuiltRequest } from './http-request-text.js';
import type { StatusRange } from '../../document/attribute-types.js';

/** An http step, planned: the request exactly as it will be sent, built once, and the target it goes to. */
export interface HttpPlan {
  request: BuiltRequest;
  target: string | undefined;
  effect: boolean;
}

/** `http`: one request. Container body: `METHOD path-or-url`, header lines, blank line, body. */
export const httpHandler = {
  plan(ctx) {
    return { request: buildHttpRequest(ctx), target: ctx.node.target ?? undefined, effect: ctx.node.effect };
  },
  record({ request, target, effect }) {
    return { summary: `${request.method} ${request.url}`, text: requestText(request), target, effect };
  },
  async execute(ctx, { request }) {
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
} satisfies StepHandler<HttpPlan>;

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}
