/** The HTTP and shell drivers against real loopback servers and real processes. */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError, sendHttp } from '../../engine/drivers/http-request.js';
import { runShell } from '../../engine/drivers/shell-process.js';
import { loopbackServer } from '../helpers/http-server.js';
import { alive } from '../helpers/process.js';
import { until } from '../helpers/until.js';

let server: Awaited<ReturnType<typeof loopbackServer>>;
let flaky = 0;
/** Chunks /big has written so far (it waits for the client to read when the socket is full). */
let bigSent = 0;
const MB = 1024 * 1024;

beforeAll(async () => {
  server = await loopbackServer({
    '/big': (q, r) => {
      r.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(MB, 97);
      // ?stall=N: N chunks, then the response stays open (a download that is under way until cut)
      const last = Number(new URL(q.url ?? '/', 'http://x').searchParams.get('stall') ?? 100);
      let sent = 0;
      const pump = (): void => {
        while (sent < last) {
          sent++;
          bigSent++;
          if (!r.write(chunk)) return void r.once('drain', pump);
        }
        if (last === 100) r.end();
      };
      pump();
    },
    '/flaky': (_q, r) => {
      flaky++;
      r.writeHead(flaky < 3 ? 503 : 200);
      r.end(String(flaky));
    },
    '/loop': (_q, r) => {
      r.writeHead(302, { location: '/loop' });
      r.end();
    },
    '/moved': (_q, r) => {
      r.writeHead(301, { location: '/final' });
      r.end();
    },
    '/final': (_q, r) => {
      r.writeHead(200, { 'content-type': 'application/json' });
      r.end('{"ok":true}');
    },
  });
});
afterAll(() => server.close());

const request = (path: string, extra: Partial<Parameters<typeof sendHttp>[0]> = {}) =>
  sendHttp({
    method: 'GET',
    url: `${server.url}${path}`,
    headers: {},
    timeoutMs: 10_000,
    retries: 0,
    redirects: 5,
    maxBytes: MB,
    ...extra,
  });

describe('sendHttp', () => {
  it('a 300 MB body keeps 1 MiB, counts and hashes the rest, and never holds it in memory', async () => {
    // The server runs in its own process so that only the client's memory is measured here.
    const { spawn } = await import('node:child_process');
    const child = spawn(
      process.execPath,
      [
        '-e',
        `
      const chunk = Buffer.alloc(${MB}, 97);
      require('node:http').createServer((q, r) => {
        r.writeHead(200);
        let sent = 0;
        const pump = () => { while (sent < 300) { sent++; if (!r.write(chunk)) return r.once('drain', pump); } r.end(); };
        pump();
      }).listen(0, '127.0.0.1', function () { console.log(this.address().port); });`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const port = await new Promise<string>((resolve) =>
      child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())),
    );
    const before = process.memoryUsage().rss;
    const result = await sendHttp({
      method: 'GET',
      url: `http://127.0.0.1:${port}/big`,
      headers: {},
      timeoutMs: 20_000,
      retries: 0,
      redirects: 0,
      maxBytes: MB,
    });
    child.kill();
    expect(result.bytes).toBe(300 * MB);
    expect(result.body).toHaveLength(MB);
    expect(result.truncated).toBe(true);
    const hash = createHash('sha256');
    const chunk = Buffer.alloc(MB, 97);
    for (let i = 0; i < 300; i++) hash.update(chunk);
    expect(result.sha256).toBe(hash.digest('hex'));
    // Garbage from streaming comes and goes; holding the body would add 300 MB.
    expect(process.memoryUsage().rss - before).toBeLessThan(150 * MB);
  }, 30_000);

  it('retries 503 with backoff for GET, not for POST', async () => {
    flaky = 0;
    const ok = await request('/flaky', { retries: 3 });
    expect(ok).toMatchObject({ status: 200, attempts: 3 });
    flaky = 0;
    const post = await request('/flaky', { method: 'POST', retries: 3 });
    expect(post).toMatchObject({ status: 503, attempts: 1 });
  });

  it('follows redirects and stops a redirect loop', async () => {
    expect(await request('/moved')).toMatchObject({ status: 200, json: { ok: true } });
    await expect(request('/loop')).rejects.toMatchObject({ reason: 'too-many-redirects' });
  });

  it('a cancel stops the request', async () => {
    const controller = new AbortController();
    bigSent = 0;
    // Cancel once the body is under way (16 MiB written, each once the socket took the one before:
    // the client is reading), not after a guess at how long that takes.
    void until('the body download to be under way', () => bigSent === 16).then(() => controller.abort());
    const error: unknown = await request('/big?stall=16', { signal: controller.signal, maxBytes: 10 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ reason: 'cancelled' });
  });
});

describe('runShell', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-shell-'));
  const base = { shell: 'bash', cwd: dir, env: { PATH: process.env.PATH ?? '' }, timeoutMs: 10_000, maxBytes: MB };

  it('a timeout kills the whole process group, background children too', async () => {
    const pidFile = join(dir, 'pid');
    const result = await runShell({ ...base, script: `sleep 60 & echo $! > ${pidFile}; wait`, timeoutMs: 500 });
    expect(result.timedOut).toBe(true);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await until(`the background sleep (${pid}) to be killed with its group`, () => !alive(pid), 5000);
  });

  it('output is bounded', async () => {
    const result = await runShell({ ...base, script: 'yes | head -c 10000000', maxBytes: 1000 });
    expect(result.stdout).toHaveLength(1000);
    expect(result.stdoutBytes).toBe(10_000_000);
    expect(result.truncated).toBe(true);
  });

  it('a value from the environment is one word, whatever it holds', async () => {
    const value = `'; rm -rf ${dir}/x; echo '$(id) \`id\` "q"`;
    const result = await runShell({ ...base, env: { ...base.env, V: value }, script: `printf '%s|' "$V"` });
    expect(result.stdout).toBe(`${value}|`);
  });

  it('a missing working directory is a clear error', async () => {
    await expect(runShell({ ...base, cwd: join(dir, 'nope'), script: 'true' })).rejects.toThrow(/does not exist/);
    expect(existsSync(dir)).toBe(true);
  });
});
