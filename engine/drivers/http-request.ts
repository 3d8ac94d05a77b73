/**
 * One HTTP request with Node's fetch: per-attempt timeout, retries with backoff for idempotent
 * methods, redirects followed by hand up to a limit, and a bounded body (the head is kept, the
 * rest counted and hashed, never held in memory).
 */
import { createHash } from 'node:crypto';

export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  retries: number;
  redirects: number;
  maxBytes: number;
  signal?: AbortSignal;
}

export interface HttpResult {
  status: number;
  headers: Record<string, string>;
  body: string;
  json?: unknown;
  bytes: number;
  truncated: boolean;
  sha256: string;
  ms: number;
  attempts: number;
  url: string;
}

export class HttpError extends Error {
  constructor(message: string, readonly reason: 'error' | 'timeout' | 'cancelled' | 'too-many-redirects', readonly attempts: number) {
    super(message);
  }
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
const RETRY_STATUS = new Set([429, 502, 503, 504]);

export async function sendHttp(request: HttpRequest): Promise<HttpResult> {
  const started = performance.now();
  const retries = IDEMPOTENT.has(request.method.toUpperCase()) ? request.retries : 0;
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await once(request, attempt, started);
      if (attempt <= retries && RETRY_STATUS.has(result.status)) {
        await backoff(attempt, result.headers['retry-after'], request.signal);
        continue;
      }
      return result;
    } catch (error) {
      const e = error instanceof HttpError ? error : new HttpError(String(error), 'error', attempt);
      if (e.reason === 'cancelled' || e.reason === 'too-many-redirects' || attempt > retries) throw new HttpError(e.message, e.reason, attempt);
      await backoff(attempt, undefined, request.signal);
    }
  }
}

async function once(request: HttpRequest, attempt: number, started: number): Promise<HttpResult> {
  let url = request.url;
  let method = request.method.toUpperCase();
  let body = request.body;
  const headers = { ...request.headers };
  for (let hops = 0; ; hops++) {
    const timeout = AbortSignal.timeout(request.timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await fetch(url, { method, headers, body: method === 'GET' || method === 'HEAD' ? undefined : body, redirect: 'manual', signal });
    } catch (error) {
      throw describe(error, url, request, attempt);
    }
    const location = response.headers.get('location');
    if ([301, 302, 303, 307, 308].includes(response.status) && location) {
      await response.body?.cancel();
      if (hops >= request.redirects) throw new HttpError(`too many redirects (more than ${request.redirects}) from ${safe(request.url)}`, 'too-many-redirects', attempt);
      const next = new URL(location, url);
      if (next.origin !== new URL(url).origin) for (const h of Object.keys(headers)) if (/^(authorization|cookie)$/i.test(h)) delete headers[h];
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
      }
      url = next.href;
      continue;
    }
    try {
      return await readBody(response, request.maxBytes, url, attempt, started);
    } catch (error) {
      throw describe(error, url, request, attempt);
    }
  }
}

async function readBody(response: Response, maxBytes: number, url: string, attempts: number, started: number): Promise<HttpResult> {
  const hash = createHash('sha256');
  const kept: Uint8Array[] = [];
  let keptBytes = 0;
  let bytes = 0;
  if (response.body) {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      bytes += chunk.length;
      if (keptBytes < maxBytes) {
        const part = chunk.length + keptBytes > maxBytes ? chunk.subarray(0, maxBytes - keptBytes) : chunk;
        kept.push(part);
        keptBytes += part.length;
      }
    }
  }
  const text = Buffer.concat(kept).toString('utf8');
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => (headers[key] = value));
  const truncated = bytes > maxBytes;
  const result: HttpResult = { status: response.status, headers, body: text, bytes, truncated, sha256: hash.digest('hex'), ms: Math.round(performance.now() - started), attempts, url };
  if (!truncated && /\bjson\b/i.test(headers['content-type'] ?? '') && text.trim() !== '') {
    try {
      result.json = JSON.parse(text);
    } catch {
      /* not JSON after all: the body is still there as text */
    }
  }
  return result;
}

function describe(error: unknown, url: string, request: HttpRequest, attempt: number): HttpError {
  if (request.signal?.aborted) return new HttpError(`request to ${safe(url)} was cancelled`, 'cancelled', attempt);
  const e = error as Error & { cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return new HttpError(`no response from ${safe(url)} within ${request.timeoutMs / 1000}s`, 'timeout', attempt);
  const host = (() => {
    try {
      return new URL(url).host;
    } catch {
      return url;
    }
  })();
  const code = e.cause?.code;
  if (code === 'ECONNREFUSED') return new HttpError(`cannot connect to ${host}: connection refused`, 'error', attempt);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new HttpError(`cannot resolve ${host}`, 'error', attempt);
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return new HttpError(`connection to ${host} was closed before the response ended`, 'error', attempt);
  return new HttpError(`request to ${safe(url)} failed: ${e.cause?.message ?? e.message}`, 'error', attempt);
}

function safe(url: string): string {
  return url.replace(/\/\/[^@/?#]*@/, '//');
}

function backoff(attempt: number, retryAfter: string | undefined, signal?: AbortSignal): Promise<void> {
  const hinted = retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) * 1000 : undefined;
  const ms = Math.min(5000, hinted ?? 200 * 2 ** (attempt - 1));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new HttpError('request was cancelled', 'cancelled', attempt));
    }, { once: true });
  });
}
