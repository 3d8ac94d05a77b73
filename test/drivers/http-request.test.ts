/** sendHttp against real loopback servers (port 0, 127.0.0.1 only): bodies, limits, redirects, retries, failures. */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError, sendHttp, type HttpRequest } from '../../engine/drivers/http-request.js';
import { until } from '../helpers/until.js';

const MiB = 1024 * 1024;
const BIG_CHUNKS = 100;
const bigChunk = randomBytes(MiB);
const counters = new Map<string, number>();
/** How many chunks of a stalling /big (by query) have been flushed to the client. */
const flushed = new Map<string, number>();
/** Every request the `other` origin received: its path and headers. */
const arrivals: { url: string; headers: Record<string, string | string[] | undefined>; body: string }[] = [];

interface Loopback {
  url: string;
  close(): Promise<void>;
}

async function start(handler: (q: IncomingMessage, r: ServerResponse, body: string) => void): Promise<Loopback> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((q, r) => {
    let body = '';
    q.setEncoding('utf8');
    q.on('data', (d: string) => (body += d));
    q.on('end', () => handler(q, r, body));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function echo(q: IncomingMessage, r: ServerResponse, body: string): void {
  r.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'x-echo': 'yes' });
  r.end(JSON.stringify({ method: q.method, url: q.url, headers: q.headers, body }));
}

let main: Loopback;
let other: Loopback;

beforeAll(async () => {
  other = await start((q, r, body) => {
    arrivals.push({ url: q.url ?? '', headers: q.headers, body });
    echo(q, r, body);
  });
  main = await start((q, r, body) => {
    const url = new URL(q.url ?? '/', 'http://x');
    const count = (counters.get(url.search) ?? 0) + 1;
    counters.set(url.search, count);
    switch (url.pathname) {
      case '/json':
        r.writeHead(200, { 'content-type': 'application/problem+json' });
        return void r.end('{"hello":"wörld","n":[1,2]}');
      case '/deep':
        r.writeHead(200, { 'content-type': 'application/json' });
        return void r.end(`${'{"a":['.repeat(50_000)}${']}'.repeat(50_000)}`);
      case '/not-json':
        r.writeHead(200, { 'content-type': 'application/json' });
        return void r.end('{"cut": ');
      case '/later':
        r.writeHead(503, { 'retry-after': url.searchParams.get('after') ?? '999999' });
        return void r.end('busy');
      case '/away-307':
        r.writeHead(307, { location: `${other.url}/echo?after=307` });
        return void r.end();
      case '/echo':
        return echo(q, r, body);
      case '/fail':
        r.writeHead(500, { 'content-type': 'text/plain' });
        return void r.end('boom');
      case '/hang':
        return; // never answers
      case '/utf8':
        r.writeHead(200, { 'content-type': 'application/json' });
        return void r.end(`"${'é'.repeat(1000)}"`);
      case '/big': {
        r.writeHead(200, { 'content-type': 'application/octet-stream' });
        const stall = Number(url.searchParams.get('stall') ?? 0);
        if (stall > 0) {
          // `stall` chunks, each written once the one before has left (so the client is reading them), then nothing more.
          const next = (i: number): void => {
            if (i === stall) return;
            r.write(bigChunk, () => {
              flushed.set(url.search, i + 1);
              next(i + 1);
            });
          };
          return next(0);
        }
        let sent = 0;
        const pump = (): void => {
          while (sent < BIG_CHUNKS) {
            sent++;
            if (!r.write(bigChunk)) return void r.once('drain', pump);
          }
          r.end();
        };
        return pump();
      }
      case '/flaky': // 503 twice, then 200
        r.writeHead(count < 3 ? 503 : 200);
        return void r.end(`attempt ${count}`);
      case '/busy': // 429 with Retry-After once, then 200
        r.writeHead(count < 2 ? 429 : 200, count < 2 ? { 'retry-after': '1' } : {});
        return void r.end(`attempt ${count}`);
      case '/down':
        r.writeHead(503);
        return void r.end();
      case '/loop':
        r.writeHead(302, { location: '/loop' });
        return void r.end();
      case '/see-other':
        r.writeHead(303, { location: '/echo?after=303' });
        return void r.end();
      case '/temporary':
        r.writeHead(307, { location: '/echo?after=307' });
        return void r.end();
      case '/away':
        r.writeHead(302, { location: `${other.url}/echo` });
        return void r.end();
      case '/ftp':
        r.writeHead(302, { location: 'ftp://127.0.0.1/file' });
        return void r.end();
    }
    const hops = /^\/chain\/(\d+)$/.exec(url.pathname);
    if (hops) {
      const n = Number(hops[1]);
      r.writeHead(
        n === 0 ? 200 : 301,
        n === 0 ? { 'content-type': 'application/json' } : { location: `/chain/${n - 1}` },
      );
      return void r.end(n === 0 ? '{"arrived":true}' : '');
    }
    r.writeHead(404);
    r.end('not found');
  });
});
afterAll(async () => {
  await main.close();
  await other.close();
});

const send = (path: string, extra: Partial<HttpRequest> = {}) =>
  sendHttp({
    method: 'GET',
    url: `${main.url}${path}`,
    headers: {},
    timeoutMs: 10_000,
    retries: 0,
    redirects: 5,
    maxBytes: MiB,
    ...extra,
  });

async function failure(promise: Promise<unknown>): Promise<HttpError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(HttpError);
    return error as HttpError;
  }
  throw new Error('expected an HttpError');
}

describe('sendHttp: responses', () => {
  it('parses a JSON body and reports headers, size and hash', async () => {
    const result = await send('/json');
    const raw = '{"hello":"wörld","n":[1,2]}';
    expect(result).toMatchObject({
      status: 200,
      json: { hello: 'wörld', n: [1, 2] },
      body: raw,
      truncated: false,
      attempts: 1,
      url: `${main.url}/json`,
    });
    expect(result.bytes).toBe(Buffer.byteLength(raw));
    expect(result.sha256).toBe(createHash('sha256').update(raw).digest('hex'));
    expect(result.headers['content-type']).toBe('application/problem+json');
    expect(result.ms).toBeGreaterThanOrEqual(0);
  });

  it('sends method, headers and body', async () => {
    const result = await send('/echo', {
      method: 'post',
      headers: { 'content-type': 'text/plain', 'x-token': 'abc' },
      body: 'hello body',
    });
    expect(result.headers['x-echo']).toBe('yes');
    expect(result.json).toMatchObject({
      method: 'POST',
      body: 'hello body',
      headers: { 'x-token': 'abc', 'content-type': 'text/plain' },
    });
  });

  it('returns a 500 as a status, not an error', async () => {
    const result = await send('/fail', { retries: 3 });
    expect(result).toMatchObject({ status: 500, body: 'boom', attempts: 1 });
    expect(result.json).toBeUndefined();
  });

  it('turns credentials in the URL into Basic auth and keeps them out of the result', async () => {
    const result = await sendHttp({
      method: 'GET',
      url: `${main.url.replace('//', '//ann:s%40cret@')}/echo`,
      headers: {},
      timeoutMs: 5000,
      retries: 0,
      redirects: 0,
      maxBytes: MiB,
    });
    expect((result.json as { headers: Record<string, string> }).headers.authorization).toBe(
      `Basic ${Buffer.from('ann:s@cret').toString('base64')}`,
    );
    expect(result.url).toBe(`${main.url}/echo`);
  });

  it('keeps the first maxBytes without cutting a character, and does not parse a truncated JSON body', async () => {
    const result = await send('/utf8', { maxBytes: 8 }); // '"' + 3.5 × 'é'
    expect(result).toMatchObject({ body: '"ééé', truncated: true, bytes: 2002 });
    expect(result.json).toBeNull();
    expect(result.jsonError).toBe('not parsed: the body was cut at 8 bytes (max-bytes) of 2002');
    expect((await send('/utf8')).json).toBe('é'.repeat(1000));
  });

  it('a JSON body nested 100,000 deep is kept as text only: json null, and jsonError says why', async () => {
    const result = await send('/deep');
    expect(result).toMatchObject({
      status: 200,
      json: null,
      jsonError: 'not parsed: the JSON nests deeper than 1000 levels',
      truncated: false,
      bytes: 400_000,
    });
    expect(result.body.startsWith('{"a":[{"a":[')).toBe(true);
    expect(JSON.stringify(result)).toContain('nests deeper'); // nothing in the result recurses that deep
  });

  it('a body labelled JSON that is not: json null, jsonError names the parse error', async () => {
    const result = await send('/not-json');
    expect(result).toMatchObject({ status: 200, json: null, body: '{"cut": ' });
    expect(result.jsonError).toMatch(/^not valid JSON: /);
  });

  it('streams a 100 MiB body: keeps 1 MiB, counts and hashes all of it, never holds it in memory', async () => {
    await send('/big', { maxBytes: MiB }); // warm-up: code, allocator arenas and socket buffers settle first
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const result = await send('/big', { maxBytes: MiB });
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    const hash = createHash('sha256');
    for (let i = 0; i < BIG_CHUNKS; i++) hash.update(bigChunk);
    expect(result).toMatchObject({ status: 200, truncated: true, bytes: BIG_CHUNKS * MiB });
    expect(result.sha256).toBe(hash.digest('hex'));
    expect(Buffer.byteLength(result.body, 'utf8')).toBeLessThanOrEqual(3 * MiB); // 1 MiB of random bytes, decoded
    // Holding the body would add 100 MiB; streaming garbage (chunks awaiting GC) comes and goes.
    expect(peak - before).toBeLessThan(50 * MiB);
  }, 30_000);
});

describe('sendHttp: redirects', () => {
  it('follows redirects and reports the final URL', async () => {
    const result = await send('/chain/3');
    expect(result).toMatchObject({ status: 200, json: { arrived: true }, url: `${main.url}/chain/0` });
  });

  it('stops a redirect loop, and a chain longer than allowed', async () => {
    expect(await failure(send('/loop'))).toMatchObject({ reason: 'too-many-redirects', attempts: 1 });
    const error = await failure(send('/chain/3', { redirects: 2, retries: 2 }));
    expect(error.reason).toBe('too-many-redirects');
    expect(error.message).toMatch(/more than 2/);
  });

  it('with redirects 0, any redirect is too many', async () => {
    expect((await failure(send('/chain/1', { redirects: 0 }))).reason).toBe('too-many-redirects');
  });

  it('303 turns a POST into a GET without body; 307 keeps both', async () => {
    const seeOther = await send('/see-other', {
      method: 'POST',
      body: 'payload',
      headers: { 'content-type': 'text/plain' },
    });
    expect(seeOther.json).toMatchObject({ method: 'GET', url: '/echo?after=303', body: '' });
    expect((seeOther.json as { headers: Record<string, string> }).headers['content-type']).toBeUndefined();
    const temporary = await send('/temporary', { method: 'POST', body: 'payload' });
    expect(temporary.json).toMatchObject({ method: 'POST', url: '/echo?after=307', body: 'payload' });
  });

  it('drops Authorization and Cookie on a cross-origin redirect', async () => {
    const result = await send('/away', { headers: { Authorization: 'Bearer secret', Cookie: 'a=b', 'X-Keep': '1' } });
    const headers = (result.json as { headers: Record<string, string> }).headers;
    expect(result.url).toBe(`${other.url}/echo`);
    expect(headers.authorization).toBeUndefined();
    expect(headers.cookie).toBeUndefined();
    expect(headers['x-keep']).toBe('1');
  });

  it("drops the caller's sensitive headers on a redirect to another origin (another port), keeps the rest", async () => {
    arrivals.length = 0;
    const headers = { 'X-Api-Key': 'k-123', 'x-trace': 't-456', 'Proxy-Authorization': 'Basic eA==', 'X-Keep': '1' };
    const result = await send('/away', { headers, sensitiveHeaders: ['x-api-key', 'X-Trace'] });
    expect(result.url).toBe(`${other.url}/echo`);
    expect(arrivals).toHaveLength(1);
    const received = arrivals[0]!.headers;
    expect(received['x-api-key']).toBeUndefined();
    expect(received['x-trace']).toBeUndefined();
    expect(received['proxy-authorization']).toBeUndefined();
    expect(received['x-keep']).toBe('1');
    // On the same origin they are all sent.
    const same = await send('/temporary', { headers, sensitiveHeaders: ['x-api-key', 'X-Trace'] });
    expect((same.json as { headers: Record<string, string> }).headers).toMatchObject({
      'x-api-key': 'k-123',
      'x-trace': 't-456',
      'x-keep': '1',
    });
  });

  it('never re-sends a sensitive body to another origin (307); an ordinary body follows', async () => {
    arrivals.length = 0;
    const error = await failure(send('/away-307', { method: 'POST', body: '{"token":"s3cret"}', sensitiveBody: true }));
    expect(error.message).toBe(
      `refusing to follow the redirect from ${main.url} to ${other.url}: it would send the request body, which holds values from placeholders, to another origin`,
    );
    expect(arrivals).toHaveLength(0);
    const plain = await send('/away-307', { method: 'POST', body: 'plain' });
    expect(plain.json).toMatchObject({ method: 'POST', body: 'plain' });
    // A 303 drops the body, so it may go on.
    expect(await send('/away', { method: 'POST', body: 's3cret', sensitiveBody: true })).toMatchObject({
      status: 200,
      json: { method: 'GET', body: '' },
    });
  });

  it('refuses a redirect to another scheme', async () => {
    expect((await failure(send('/ftp'))).message).toMatch(/unsupported URL scheme ftp:/);
  });
});

describe('sendHttp: retries', () => {
  it('retries 503 for GET until it succeeds', async () => {
    const result = await send('/flaky?id=get', { retries: 3 });
    expect(result).toMatchObject({ status: 200, attempts: 3, body: 'attempt 3' });
  });

  it('does not retry a POST', async () => {
    expect(await send('/flaky?id=post', { method: 'POST', retries: 3 })).toMatchObject({ status: 503, attempts: 1 });
  });

  it('returns the last 503 when retries run out', async () => {
    expect(await send('/down?id=out', { retries: 1 })).toMatchObject({ status: 503, attempts: 2 });
  });

  it('a Retry-After past the time left is not waited for: the last response comes back at once, saying so; one within it is waited for', async () => {
    const started = Date.now();
    const result = await send('/later?id=long', { retries: 3, timeoutMs: 2000, totalMs: 2000 });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(result).toMatchObject({ status: 503, attempts: 1, retryRefused: { afterMs: 999_999_000 } });
    expect(result.retryRefused!.leftMs).toBeGreaterThan(1000);
    expect(result.retryRefused!.leftMs).toBeLessThanOrEqual(2000);
    // One within the time left is waited for in full.
    const waited = Date.now();
    const short = await send('/later?after=1&id=short', { retries: 1, timeoutMs: 3000, totalMs: 3000 });
    expect(Date.now() - waited).toBeGreaterThanOrEqual(900);
    expect(short).toMatchObject({ status: 503, attempts: 2 });
    expect(short.retryRefused).toBeUndefined();
  });

  it("backoff and attempts keep to the whole request's time limit", async () => {
    let started = Date.now();
    const result = await send('/down?id=budget', { retries: 10, totalMs: 1000 });
    expect(Date.now() - started).toBeLessThan(1300);
    expect(result.status).toBe(503);
    expect(result.attempts).toBeGreaterThan(1);
    expect(result.attempts).toBeLessThan(6);
    started = Date.now();
    const error = await failure(send('/hang', { timeoutMs: 10_000, totalMs: 500 }));
    expect(Date.now() - started).toBeLessThan(1500);
    expect(error).toMatchObject({
      reason: 'timeout',
      message: `no response from ${main.url}/hang within 500ms (the time limit of the request, retries included)`,
    });
  });

  it('honours Retry-After on 429', async () => {
    const started = Date.now();
    const result = await send('/busy?id=429', { retries: 1 });
    expect(result).toMatchObject({ status: 200, attempts: 2 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });
});

describe('sendHttp: failures', () => {
  it('a closed port: a clear connection-refused message, retried for GET', async () => {
    const closed = await start(() => undefined);
    await closed.close();
    const port = new URL(closed.url).port;
    const error = await failure(
      sendHttp({
        method: 'GET',
        url: `http://user:hunter2@127.0.0.1:${port}/x`,
        headers: {},
        timeoutMs: 2000,
        retries: 2,
        redirects: 0,
        maxBytes: 10,
      }),
    );
    expect(error.message).toBe(`cannot connect to 127.0.0.1:${port}: connection refused`);
    expect(error).toMatchObject({ reason: 'error', attempts: 3 });
    expect(error.message).not.toMatch(/hunter2/);
  });

  it('a port fetch blocks (9, discard) is named as such, not retried', async () => {
    const error = await failure(
      sendHttp({
        method: 'GET',
        url: 'http://127.0.0.1:9/',
        headers: {},
        timeoutMs: 1000,
        retries: 3,
        redirects: 0,
        maxBytes: 10,
      }),
    );
    expect(error).toMatchObject({
      reason: 'error',
      attempts: 1,
      message: 'cannot connect to 127.0.0.1:9: fetch refuses port 9 (a blocked port)',
    });
  });

  it('a server that hangs: a timeout in about the timeout', async () => {
    const started = Date.now();
    const error = await failure(send('/hang', { timeoutMs: 500 }));
    const elapsed = Date.now() - started;
    expect(error).toMatchObject({
      reason: 'timeout',
      attempts: 1,
      message: `no response from ${main.url}/hang within 500ms`,
    });
    expect(elapsed).toBeGreaterThanOrEqual(450);
    expect(elapsed).toBeLessThan(2000);
    expect(await failure(send('/hang', { timeoutMs: 200, retries: 1 }))).toMatchObject({
      reason: 'timeout',
      attempts: 2,
    });
    expect((await failure(send('/hang', { timeoutMs: 2000, method: 'POST', retries: 1 }))).message).toMatch(
      / within 2s$/,
    );
  }, 10_000);

  it('an abort through the signal cancels a request, a body download and a backoff', async () => {
    // Each abort comes when the server sees what it should cut, not after a guess at how long that takes.
    let aborted = 0;
    const abortWhen = (what: string, condition: () => boolean): AbortSignal => {
      const controller = new AbortController();
      void until(what, condition).then(() => {
        aborted = Date.now();
        controller.abort();
      });
      return controller.signal;
    };
    // a request the server has received and never answers
    expect(
      await failure(
        send('/hang?id=cancel-request', {
          signal: abortWhen('the request to arrive', () => counters.get('?id=cancel-request') === 1),
          retries: 3,
        }),
      ),
    ).toMatchObject({ reason: 'cancelled', attempts: 1 });
    expect(Date.now() - aborted).toBeLessThan(1000);
    // a body the client is reading (16 MiB of it have left the server, more than socket buffers hold)
    const body = '?stall=16&id=cancel-body';
    expect(
      (
        await failure(
          send(`/big${body}`, {
            signal: abortWhen('the body download to be under way', () => flushed.get(body) === 16),
            maxBytes: 10,
          }),
        )
      ).reason,
    ).toBe('cancelled');
    expect(Date.now() - aborted).toBeLessThan(1000);
    // a backoff after a 503 (the first of up to 11 attempts)
    expect(
      (
        await failure(
          send('/down?id=abort', {
            signal: abortWhen('the first attempt to be answered', () => counters.get('?id=abort') === 1),
            retries: 10,
          }),
        )
      ).reason,
    ).toBe('cancelled');
    expect(Date.now() - aborted).toBeLessThan(1000);
    expect((await failure(send('/json', { signal: AbortSignal.abort() }))).reason).toBe('cancelled');
  });

  it('a header holding CR, LF or NUL is refused before anything is sent', async () => {
    arrivals.length = 0;
    for (const value of ['a\r\nX-Injected: 1', 'a\nb', 'a\u0000b']) {
      const error = await failure(
        sendHttp({
          method: 'GET',
          url: `${other.url}/echo`,
          headers: { 'X-Value': value },
          timeoutMs: 1000,
          retries: 0,
          redirects: 0,
          maxBytes: 10,
        }),
      );
      expect(error).toMatchObject({
        reason: 'error',
        attempts: 0,
        message: 'header `X-Value` holds a line break or NUL character; refused before sending',
      });
    }
    expect(
      (
        await failure(
          sendHttp({
            method: 'GET',
            url: `${other.url}/echo`,
            headers: { 'X-A\r\nB': '1' },
            timeoutMs: 1000,
            retries: 0,
            redirects: 0,
            maxBytes: 10,
          }),
        )
      ).message,
    ).toMatch(/^invalid header name/);
    expect(arrivals).toHaveLength(0);
  });

  it('an invalid URL or scheme is an error without an attempt', async () => {
    expect(
      await failure(
        sendHttp({
          method: 'GET',
          url: 'not a url',
          headers: {},
          timeoutMs: 100,
          retries: 0,
          redirects: 0,
          maxBytes: 1,
        }),
      ),
    ).toMatchObject({ reason: 'error', attempts: 0 });
    expect(
      (
        await failure(
          sendHttp({
            method: 'GET',
            url: 'file:///etc/passwd',
            headers: {},
            timeoutMs: 100,
            retries: 0,
            redirects: 0,
            maxBytes: 1,
          }),
        )
      ).message,
    ).toMatch(/unsupported URL scheme file:/);
  });
});
