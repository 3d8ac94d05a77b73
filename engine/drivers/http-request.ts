/**
 * One HTTP request (node:http through http-transport.ts, behaving as fetch did): a timeout per attempt (linked to the caller's signal),
 * retries with capped exponential backoff for idempotent methods only, redirects followed by hand
 * up to a limit, and a bounded body: the first maxBytes are kept, the rest is counted and hashed
 * and then dropped. Credentials in the URL become a Basic Authorization header and never appear in
 * a message. A non-2xx status is a result, not an error: the caller decides what it expects.
 *
 * With `totalMs`, the whole request (attempts, backoff and Retry-After waits) keeps to that time:
 * a Retry-After past it is not waited for, the last response is returned saying so. On a redirect
 * to another origin, Authorization, Proxy-Authorization, Cookie and the caller's sensitive headers
 * are dropped, and a sensitive body is never re-sent there. A JSON body that nests deeper than
 * MAX_JSON_DEPTH is not parsed (`json: null`, `jsonError` says why), so nothing that walks the
 * parsed value can run out of stack.
 */
import { createHash } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import { urlCredentials } from '../targets/url-credentials.js';
import { exchange, type Exchange } from './http-transport.js';
import { jsonDepth } from './json-context.js';

export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Time limit of one attempt (its redirects included). */
  timeoutMs: number;
  /** Time limit of the whole request: every attempt, backoff and Retry-After wait (default: none). */
  totalMs?: number;
  /** Header names (any case) never sent to another origin, besides Authorization, Proxy-Authorization and Cookie. */
  sensitiveHeaders?: string[];
  /** The body must not go to another origin: a redirect that would re-send it there fails. */
  sensitiveBody?: boolean;
  retries: number;
  redirects: number;
  maxBytes: number;
  signal?: AbortSignal;
}

export interface HttpResult {
  status: number;
  headers: Record<string, string>;
  body: string; // the first maxBytes bytes, UTF-8 decoded (a character cut at the limit is left out)
  json?: unknown; // parsed when the content type is JSON and the body was complete; null when it could not be
  jsonError?: string; // why a body labelled JSON was not parsed (cut at maxBytes, invalid, nested too deep)
  bytes: number; // total body size
  truncated: boolean;
  sha256: string; // hex, of the whole body
  ms: number;
  attempts: number;
  url: string; // the final URL after redirects, without credentials
  /** The server asked to retry after more time than was left: not waited for (the response is the last one). */
  retryRefused?: { afterMs: number; leftMs: number };
}

export class HttpError extends Error {
  constructor(
    message: string,
    readonly reason: 'error' | 'timeout' | 'cancelled' | 'too-many-redirects',
    readonly attempts: number,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
const RETRY_STATUS = new Set([429, 502, 503, 504]);
const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);
const MAX_DELAY_MS = 5000;
/** Deeper JSON bodies are kept as text only. */
export const MAX_JSON_DEPTH = 1000;
const ALWAYS_SENSITIVE = ['authorization', 'proxy-authorization', 'cookie'];

/** An attempt that failed, and whether another attempt could help. */
class Failure {
  constructor(
    readonly error: HttpError,
    readonly retry: boolean,
  ) {}
}

export async function sendHttp(request: HttpRequest): Promise<HttpResult> {
  const started = performance.now();
  const method = request.method.toUpperCase();
  const target = parseUrl(request.url, 0);
  refuseBadHeaders(request.headers);
  const headers = { ...request.headers };
  if ((target.username || target.password) && !Object.keys(headers).some((h) => /^authorization$/i.test(h))) {
    const { user, password } = urlCredentials(target);
    headers.Authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  }
  target.username = target.password = '';
  const retries = IDEMPOTENT.has(method) ? Math.max(0, request.retries) : 0;
  const deadline = request.totalMs === undefined ? Infinity : started + Math.max(0, request.totalMs);
  const left = (): number => deadline - performance.now();
  for (let attempt = 1; ; attempt++) {
    if (request.signal?.aborted)
      throw new HttpError(`request to ${target.href} was cancelled`, 'cancelled', attempt - 1);
    let outcome: HttpResult | Failure;
    try {
      // The first attempt has the whole time limit; later ones what is left of it.
      const limitMs = Math.min(request.timeoutMs, attempt === 1 ? (request.totalMs ?? Infinity) : left());
      outcome = await attemptOnce(request, method, target, headers, attempt, started, limitMs);
    } catch (error) {
      if (error instanceof Failure) outcome = error;
      else
        outcome = new Failure(
          error instanceof HttpError ? error : new HttpError(scrub(String(error)), 'error', attempt),
          false,
        );
    }
    const again = attempt <= retries && (outcome instanceof Failure ? outcome.retry : RETRY_STATUS.has(outcome.status));
    if (!again) {
      if (outcome instanceof Failure) throw outcome.error;
      return outcome;
    }
    const hint = outcome instanceof Failure ? undefined : retryAfter(outcome.headers['retry-after']);
    const remaining = left();
    if (hint !== undefined && hint >= remaining) {
      // Waiting as asked would outlast the time limit: the last response is the answer.
      (outcome as HttpResult).retryRefused = { afterMs: hint, leftMs: Math.max(0, Math.round(remaining)) };
      return outcome as HttpResult;
    }
    const delay = hint ?? Math.min(MAX_DELAY_MS, 200 * 2 ** (attempt - 1));
    if (delay >= remaining) {
      // No time for another attempt after the backoff.
      if (outcome instanceof Failure) throw outcome.error;
      return outcome;
    }
    await sleep(delay, request.signal, target.href, attempt);
  }
}

/** Header names and values a request may not hold: CR, LF or NUL would end or corrupt the header. */
function refuseBadHeaders(headers: Record<string, string>): void {
  for (const [name, value] of Object.entries(headers)) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name))
      throw new HttpError(`invalid header name ${JSON.stringify(name.slice(0, 40))}`, 'error', 0);
    if (/[\r\n\u0000]/.test(value))
      throw new HttpError(`header \`${name}\` holds a line break or NUL character; refused before sending`, 'error', 0);
  }
}

/** One attempt: the request and its redirects, under one timeout. */
async function attemptOnce(
  request: HttpRequest,
  first: string,
  start: URL,
  original: Record<string, string>,
  attempt: number,
  started: number,
  limitMs: number,
): Promise<HttpResult> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = Number.isFinite(limitMs)
    ? setTimeout(
        () => {
          timedOut = true;
          controller.abort();
        },
        Math.max(0, Math.min(limitMs, 2 ** 31 - 1)),
      )
    : undefined;
  // The message names the time limit that ran out: the attempt's, or what was left of the whole request's.
  const limit =
    limitMs < request.timeoutMs && request.totalMs !== undefined
      ? `${seconds(request.totalMs)} (the time limit of the request, retries included)`
      : seconds(limitMs);
  const onAbort = (): void => controller.abort();
  request.signal?.addEventListener('abort', onAbort, { once: true });
  let url = start;
  let method = first;
  let body = method === 'GET' || method === 'HEAD' ? undefined : request.body;
  const headers = { ...original };
  let phase: 'response' | 'body' = 'response';
  const fail = (error: unknown): Failure => {
    if (request.signal?.aborted)
      return new Failure(new HttpError(`request to ${url.href} was cancelled`, 'cancelled', attempt), false);
    if (timedOut) {
      const what =
        phase === 'response' ? `no response from ${url.href}` : `the response from ${url.href} did not finish`;
      return new Failure(new HttpError(`${what} within ${limit}`, 'timeout', attempt), true);
    }
    return describe(error, url, attempt);
  };
  try {
    for (let hops = 0; ; hops++) {
      let response: Exchange;
      try {
        response = await exchange(url, { method, headers, body, signal: controller.signal });
      } catch (error) {
        throw fail(error);
      }
      const location = response.headers.location;
      if (REDIRECT_STATUS.has(response.status) && location !== undefined) {
        response.cancel();
        if (hops >= request.redirects) {
          throw new Failure(
            new HttpError(
              `too many redirects: more than ${request.redirects} from ${start.href}`,
              'too-many-redirects',
              attempt,
            ),
            false,
          );
        }
        let next: URL;
        try {
          next = parseUrl(location, attempt, url);
        } catch (error) {
          throw new Failure(error as HttpError, false);
        }
        next.username = next.password = '';
        if (
          (response.status === 303 && method !== 'HEAD') ||
          ((response.status === 301 || response.status === 302) && method === 'POST')
        ) {
          method = 'GET';
          body = undefined;
          for (const name of Object.keys(headers))
            if (/^content-(type|length|encoding|language|location)$/i.test(name)) delete headers[name];
        }
        if (next.origin !== url.origin) {
          // Credentials stay with the origin they were meant for.
          const sensitive = new Set([
            ...ALWAYS_SENSITIVE,
            ...(request.sensitiveHeaders ?? []).map((h) => h.toLowerCase()),
          ]);
          for (const name of Object.keys(headers)) if (sensitive.has(name.toLowerCase())) delete headers[name];
          if (body !== undefined && request.sensitiveBody) {
            throw new Failure(
              new HttpError(
                `refusing to follow the redirect from ${url.origin} to ${next.origin}: it would send the request body, which holds values from placeholders, to another origin`,
                'error',
                attempt,
              ),
              false,
            );
          }
        }
        url = next;
        continue;
      }
      phase = 'body';
      try {
        return await readBody(response, request.maxBytes, url.href, attempt, started);
      } catch (error) {
        throw fail(error);
      }
    }
  } finally {
    clearTimeout(timer);
    request.signal?.removeEventListener('abort', onAbort);
  }
}

/** Streams the body: keeps the head, hashes and counts everything, holds nothing else. */
async function readBody(
  response: Exchange,
  maxBytes: number,
  url: string,
  attempts: number,
  started: number,
): Promise<HttpResult> {
  const hash = createHash('sha256');
  const decoder = new StringDecoder('utf8');
  let text = '';
  let bytes = 0;
  for await (const chunk of response.body) {
    hash.update(chunk);
    if (bytes < maxBytes)
      text += decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, Math.min(chunk.length, maxBytes - bytes)));
    bytes += chunk.length;
  }
  const truncated = bytes > maxBytes;
  if (!truncated) text += decoder.end();
  const headers = response.headers;
  const result: HttpResult = {
    status: response.status,
    headers,
    body: text,
    bytes,
    truncated,
    sha256: hash.digest('hex'),
    ms: Math.round(performance.now() - started),
    attempts,
    url,
  };
  if (/[/+]json\b/i.test(headers['content-type'] ?? '') && text.trim() !== '') {
    // Labelled JSON: parsed, or json: null and why not (the text is still there).
    const unparsed = (why: string): void => {
      result.json = null;
      result.jsonError = why;
    };
    if (truncated) unparsed(`not parsed: the body was cut at ${maxBytes} bytes (max-bytes) of ${bytes}`);
    else if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH)
      unparsed(`not parsed: the JSON nests deeper than ${MAX_JSON_DEPTH} levels`);
    else {
      try {
        result.json = JSON.parse(text);
      } catch (error) {
        unparsed(`not valid JSON: ${(error as Error).message}`);
      }
    }
  }
  return result;
}

/** A fetch failure as a message a responder can act on. */
function describe(error: unknown, url: URL, attempt: number): Failure {
  const e = error as Error & { code?: string; cause?: Error & { code?: string } };
  const cause = e.cause;
  const code = cause?.code ?? e.code;
  const display = `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
  const failure = (message: string, retry: boolean): Failure =>
    new Failure(new HttpError(scrub(message), 'error', attempt), retry);
  const resolve = `cannot resolve ${url.hostname}`;
  const connect = `cannot connect to ${display}`;
  const closed = `the connection to ${display} was closed before the response was complete`;
  const known: Record<string, string> = {
    ECONNREFUSED: `${connect}: connection refused`,
    ENOTFOUND: `${resolve}: no such host (DNS lookup failed)`,
    EAI_AGAIN: `${resolve}: DNS lookup timed out or failed temporarily`,
    ETIMEDOUT: `${connect}: connection timed out`,
    UND_ERR_CONNECT_TIMEOUT: `${connect}: connection timed out`,
    EHOSTUNREACH: `${connect}: host unreachable`,
    ENETUNREACH: `${connect}: network unreachable`,
    ECONNRESET: closed,
    EPIPE: closed,
    UND_ERR_SOCKET: closed,
    UND_ERR_CLOSED: closed,
  };
  if (code && known[code]) return failure(known[code], true);
  const detail = cause?.message ?? e.message;
  if (detail === 'bad port')
    return failure(`cannot connect to ${display}: fetch refuses port ${url.port} (a blocked port)`, false);
  if (code && /CERT|TLS|SSL|ERR_TLS/i.test(code)) return failure(`TLS error talking to ${display}: ${detail}`, false);
  // A failure with a cause happened on the wire; one without is fetch refusing the arguments.
  return failure(`request to ${url.href} failed: ${detail}`, cause !== undefined);
}

function parseUrl(text: string, attempts: number, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(text, base);
  } catch {
    throw new HttpError(`invalid URL: ${scrub(text)}`, 'error', attempts);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HttpError(
      `unsupported URL scheme ${url.protocol} in ${scrub(url.href)} (only http and https)`,
      'error',
      attempts,
    );
  }
  return url;
}

/** Removes `user:pass@` from anything that looks like a URL. */
function scrub(text: string): string {
  return text.replace(/(\/\/)[^/@\s?#]*@/g, '$1');
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : ms >= 1000 ? `${(ms / 1000).toFixed(1)}s` : `${ms}ms`;
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date. */
function retryAfter(value: string | undefined): number | undefined {
  if (!value) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function sleep(ms: number, signal: AbortSignal | undefined, url: string, attempt: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const cancelled = (): HttpError => new HttpError(`request to ${url} was cancelled`, 'cancelled', attempt);
    if (signal?.aborted) return reject(cancelled());
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cancelled());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
