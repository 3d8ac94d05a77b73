/**
 * `--parallel N` on a real PostgreSQL and a loopback HTTP server: read-only steps overlap (the
 * server sees several requests at once), a side effect after a confirm overlaps nothing, and the
 * transcript lists the same events for the same steps in the same order as a serial run's, also
 * when a step fails and stops the run while later steps were already running ahead.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stepwiseAsync } from '../helpers/cli.js';
import { loopbackServer } from '../helpers/http-server.js';
import { testDatabase, type TestDatabase } from '../helpers/postgres.js';

let db: TestDatabase;
let api: Awaited<ReturnType<typeof loopbackServer>>;
const dir = mkdtempSync(join(tmpdir(), 'stepwise-parallel-'));
/** Every request the server saw: its path, when it came and when it was answered. */
let seen: { path: string; from: number; to: number }[] = [];
let inFlight = 0;
let mostAtOnce = 0;

beforeAll(async () => {
  db = await testDatabase();
  await db.query('CREATE TABLE items (id int)');
  await db.query('INSERT INTO items SELECT generate_series(1, 10)');
  const slow =
    (status: number, ms: number) =>
    (request: import('node:http').IncomingMessage, response: import('node:http').ServerResponse): void => {
      const from = performance.now();
      inFlight++;
      mostAtOnce = Math.max(mostAtOnce, inFlight);
      request.resume();
      setTimeout(() => {
        inFlight--;
        seen.push({ path: `${request.method} ${request.url}`, from, to: performance.now() });
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ ok: status === 200, url: request.url }));
      }, ms);
    };
  api = await loopbackServer({ '/slow': slow(200, 150), '/post': slow(200, 150), '/broken': slow(500, 150) });
}, 60_000);
afterAll(async () => {
  await api?.close();
  await db?.close();
});

const runbook = (name: string, body: string): string => {
  const path = join(dir, name);
  writeFileSync(
    path,
    `---\ntitle: Parallel order\ntargets:\n  db: { kind: postgres, url: "${db.url}" }\n  api: { kind: http, base: "${api.url}" }\n---\n\n${body}\n`,
  );
  return path;
};

type Event = { seq: number; type: string; data: Record<string, unknown> };

/** The run's transcript as exported, and how it ended. */
async function run(path: string, parallel: number): Promise<{ code: number | null; events: Event[]; stdout: string }> {
  const store = join(dir, `store-${parallel}.db`);
  seen = [];
  inFlight = mostAtOnce = 0;
  const r = await stepwiseAsync(['run', '--headless', '--yes', '--parallel', String(parallel), '--store', store, path]);
  const runId = /run (\d{8}-\d{6}-[0-9a-f]+)/.exec(r.stdout)?.[1];
  expect(runId, r.stdout + r.stderr).toBeDefined();
  const exported = await stepwiseAsync(['export', runId!, '--store', store]);
  expect(exported.code, exported.stderr).toBe(0);
  const events = exported.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Event);
  const verified = await stepwiseAsync(['verify', runId!, '--store', store]);
  expect(verified.code, verified.stdout + verified.stderr).toBe(0);
  return { code: r.code, events, stdout: r.stdout };
}

/** What must match between a serial and a parallel run: each event's type, step, status, plan and result. */
function shape(events: Event[]): unknown[] {
  return events
    .filter((e) => e.type !== 'run.started' && e.type !== 'run.finished')
    .map((e) => {
      const d = e.data as {
        stepId?: string;
        status?: string;
        plan?: { summary: string };
        result?: { rows?: unknown; status?: number; json?: unknown };
        passed?: boolean;
        answer?: boolean;
      };
      const result = d.result ? { rows: d.result.rows, status: d.result.status, json: d.result.json } : undefined;
      return [e.seq, e.type, d.stepId, d.status, d.plan?.summary, result, d.passed, d.answer];
    });
}

describe('--parallel', () => {
  it('overlaps read-only steps, keeps side effects apart, and records the same transcript as a serial run', async () => {
    const path = runbook(
      'mixed.md',
      [
        '## Look',
        '::sql{#s1 target=db query="SELECT pg_sleep(0.15), count(*)::int AS n FROM items"}',
        '::http{#g1 target=api path="/slow?i=1"}',
        '::http{#g2 target=api path="/slow?i=2"}',
        '::sql{#s2 target=db query="SELECT pg_sleep(0.15), 2 AS n"}',
        '::http{#g3 target=api path="/slow?i=3"}',
        '::assert[looked]{that="s1.rows[0].n == 10 && g1.json.ok && g2.json.ok"}',
        '::http{#g4 target=api path="/slow?i=4" when="s2.rows[0].n == 2"}',
        '## Act',
        '::confirm[Post it?]{#go}',
        '::http{#post target=api method=POST path=/post}',
        '## Check',
        '::http{#g5 target=api path="/slow?i=5"}',
        '::http{#g6 target=api path="/slow?i=6"}',
        '::sql{#s3 target=db query="SELECT {{ s2.rows[0].n }}::int + 1 AS n"}',
        '::assert[after]{that="s3.rows[0].n == 3 && g6.json.ok"}',
      ].join('\n\n'),
    );
    const serial = await run(path, 1);
    expect(serial.code, serial.stdout).toBe(0);
    expect(mostAtOnce).toBe(1);
    const parallel = await run(path, 4);
    expect(parallel.code, parallel.stdout).toBe(0);
    expect(mostAtOnce).toBeGreaterThan(1);
    // The side effect overlaps nothing: every other request ended before it came or came after it ended.
    const post = seen.find((r) => r.path === 'POST /post')!;
    for (const r of seen.filter((r) => r !== post)) expect(r.to <= post.from || r.from >= post.to, r.path).toBe(true);
    expect(shape(parallel.events)).toEqual(shape(serial.events));
    // The step lines come out in the same order too.
    const lines = (out: string): string[] => out.split('\n').flatMap((l) => /^[✓✗-] (\S+)/.exec(l)?.slice(1) ?? []);
    expect(lines(parallel.stdout)).toEqual(lines(serial.stdout));
  }, 60_000);

  it('a failure stops the run at the same step: what ran ahead of it leaves nothing in the transcript', async () => {
    const path = runbook(
      'stops.md',
      [
        '::http{#g1 target=api path="/slow?i=1"}',
        '::sql{#s1 target=db query="SELECT pg_sleep(0.15), 1 AS n"}',
        '::http{#bad target=api path=/broken}',
        '::http{#g2 target=api path="/slow?i=2"}',
        '::sql{#s2 target=db query="SELECT 2 AS n"}',
        '::http{#g3 target=api path="/slow?i=3"}',
      ].join('\n\n'),
    );
    const serial = await run(path, 1);
    expect(serial.code).toBe(1);
    const parallel = await run(path, 4);
    expect(parallel.code).toBe(1);
    expect(shape(parallel.events)).toEqual(shape(serial.events));
    const steps = new Set(parallel.events.map((e) => e.data.stepId).filter(Boolean));
    expect([...steps]).toEqual(['g1', 's1', 'bad']);
  }, 60_000);
});
