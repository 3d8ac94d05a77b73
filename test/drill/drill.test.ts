/**
 * `stepwise drill`: the stateful YAML HTTP fixture, the fixture and scenario format, expectation
 * checks, and the command end to end (a broken scenario names the expectation it missed, shards
 * partition the scenarios, --list-scenarios, the JUnit report, cleanup after Ctrl-C).
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkFixtureState, checkSqlResult, matches } from '../../engine/drill/expect.js';
import { FixtureError, loadFixture } from '../../engine/drill/fixture.js';
import { startStatefulHttpFixture } from '../../engine/fixtures/http-fixture.js';
import { FixtureSpecError, parseStatefulSpec, statefulRouter } from '../../engine/fixtures/http-routes.js';
import { ROOT, spawnStepwise, stepwiseAsync } from '../helpers/cli.js';

const temp: string[] = [];
const tempDir = (prefix: string): string => {
  const dir = mkdtempSync(join(tmpdir(), `stepwise-test-${prefix}-`));
  temp.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of temp) rmSync(dir, { recursive: true, force: true });
});

const BREAKER = `
state: { breaker: open }
routes:
  - match: GET /breaker
    when: { breaker: open }
    json: { state: OPEN }
    set: { breaker: half_open }
  - match: GET /breaker
    when: { breaker: half_open }
    json: { state: HALF_OPEN }
  - match: POST /breaker/reset
    when: { breaker: [open, half_open] }
    status: 202
    set: { breaker: closed }
  - match: GET /breaker
    when: { breaker: closed }
    json: { state: CLOSED }
  - match: POST /letters/{id}/replay
    query: { dry_run: "true" }
    json: { dry: true }
  - match: POST /letters/{id}/replay
    json: { dry: false }
`;

describe('stateful YAML HTTP fixture', () => {
  it('answers by state and moves it: open, then half-open, then closed after a reset', async () => {
    const server = await startStatefulHttpFixture(parseStatefulSpec(BREAKER, 'breaker.yaml'));
    try {
      const get = async (path: string, method = 'GET') => {
        const r = await fetch(`${server.url}${path}`, { method });
        return { status: r.status, body: await r.text() };
      };
      expect(JSON.parse((await get('/breaker')).body)).toEqual({ state: 'OPEN' });
      expect(JSON.parse((await get('/breaker')).body)).toEqual({ state: 'HALF_OPEN' });
      expect((await get('/breaker/reset', 'POST')).status).toBe(202);
      expect(JSON.parse((await get('/breaker')).body)).toEqual({ state: 'CLOSED' });
      // Path parameters and query matches; the first matching route answers.
      expect(JSON.parse((await get('/letters/7/replay?dry_run=true', 'POST')).body)).toEqual({ dry: true });
      expect(JSON.parse((await get('/letters/7/replay', 'POST')).body)).toEqual({ dry: false });
      const missing = await get('/nope');
      expect(missing.status).toBe(404);
      expect(missing.body).toContain('no fixture route for GET /nope');
      const snap = server.snapshot();
      expect(snap.state).toEqual({ breaker: 'closed' });
      expect(snap.requests['GET /breaker']).toBe(3);
      expect(snap.requests['POST /letters/7/replay']).toBe(2);
      expect(snap.requests['POST /letters/{id}/replay']).toBe(2);
    } finally {
      await server.close();
    }
  });

  it('a scenario can start it in another state', () => {
    const router = statefulRouter(parseStatefulSpec(BREAKER, 'b.yaml'), { breaker: 'closed' });
    expect(JSON.parse(router.answer('GET', '/breaker').body)).toEqual({ state: 'CLOSED' });
  });

  it('refuses a mistake with the file, the route and the key', () => {
    const bad = (text: string) => () => parseStatefulSpec(text, 'api.yaml');
    expect(bad('routes: [{ match: GET /x, when: { nope: 1 } }]')).toThrow(
      /api.yaml: routes\[0\] \(GET \/x\): `when.nope`: no state variable `nope`/,
    );
    expect(bad('routes: [{ match: /x }]')).toThrow(/`match` must be `METHOD \/path`/);
    expect(bad('routes: [{ match: GET /x, stauts: 200 }]')).toThrow(/unknown key `stauts`/);
    expect(bad('routes: [{ match: GET /x, json: {}, body: "" }]')).toThrow(/not both/);
    expect(bad('state: {}\nroutes: []')).toThrow(FixtureSpecError);
  });

  it('still serves the demo’s JSON routes', async () => {
    const { loadRoutes, startHttpFixture } = await import('../../engine/fixtures/http-fixture.js');
    const server = await startHttpFixture(loadRoutes(join(ROOT, 'fixtures/demo/api.json')));
    try {
      const r = await fetch(`${server.url}/health`);
      expect(r.status).toBe(200);
      expect(((await r.json()) as { status: string }).status).toBe('ok');
    } finally {
      await server.close();
    }
  });
});

describe('expectations', () => {
  it('numbers match their exact text (PostgreSQL counts), objects match on the keys given', () => {
    expect(matches(2, '2')).toBe(true);
    expect(matches(2, '3')).toBe(false);
    expect(matches({ a: 1 }, { a: '1', b: 2 })).toBe(true);
    expect(matches([{ a: 1 }], [{ a: 1 }, { a: 2 }])).toBe(false);
    expect(matches(true, 1)).toBe(true);
    expect(matches(null, undefined)).toBe(true);
  });

  it('a miss names the expectation and shows expected against actual', () => {
    const misses = checkSqlResult({ target: 'db', query: 'SELECT count(*) FROM plans', value: 0 }, 0, {
      rows: [{ count: '2' }],
      rowCount: 1,
    });
    expect(misses).toEqual([
      { expectation: 'sql[0] (SELECT count(*) FROM plans on db) value', expected: '0', actual: '"2"' },
    ]);
    expect(
      checkFixtureState(
        'api',
        { state: { breaker: 'closed' }, requests: { 'POST /reset': 1 } },
        { state: { breaker: 'open' }, requests: {} },
      ),
    ).toEqual([
      { expectation: 'state.api.breaker', expected: '"closed"', actual: '"open"' },
      { expectation: 'requests.api["POST /reset"]', expected: '1 request', actual: '0 requests' },
    ]);
  });

  it('a fixture must cover every target of the runbook, and scenarios name only its targets', () => {
    const dir = tempDir('fixture');
    cpSync(join(ROOT, 'fixtures/phase5'), dir, { recursive: true });
    expect(() => loadFixture(dir, { db: 'sql', api: 'http', extra: 'http' })).toThrow(
      /the runbook's target `extra` has no fixture/,
    );
    expect(() => loadFixture(dir, { db: 'http', api: 'http' })).toThrow(/is an HTTP target; give it `routes: FILE`/);
    writeFileSync(
      join(dir, 'scenarios/zz.yaml'),
      'expect:\n  sql:\n    - { target: nope, query: SELECT 1, value: 1 }\n',
    );
    expect(() => loadFixture(dir, { db: 'sql', api: 'http' })).toThrow(
      /zz.yaml: expect.sql\[0\]: `nope` is not one of the fixture's database targets \(db\)/,
    );
    writeFileSync(join(dir, 'scenarios/zz.yaml'), 'expect:\n  stpes: {}\n');
    expect(() => loadFixture(dir, { db: 'sql', api: 'http' })).toThrow(FixtureError);
  });
});

describe('stepwise drill', () => {
  it('--list-scenarios prints one scenario a line; the shards of N partition them', async () => {
    const one = await stepwiseAsync(['drill', 'runbooks/phase5-recovery-sop.md', '--list-scenarios']);
    expect(one.code).toBe(0);
    expect(one.stdout.trim().split('\n')).toEqual(['backend-down', 'healthy', 'provider-outage', 'retry-storm']);
    const all = await stepwiseAsync(['drill', 'runbooks/', '--list-scenarios']);
    const lines = all.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(10);
    for (const system of ['phase5', 'solvereign', 'sonia', 'algorhythmic'])
      expect(lines.filter((l) => l.includes(system)).length).toBeGreaterThanOrEqual(2);
    const shards = await Promise.all(
      [1, 2].map((i) => stepwiseAsync(['drill', 'runbooks/', '--list-scenarios', '--shard', `${i}/2`])),
    );
    const union = shards.flatMap((s) => s.stdout.trim().split('\n').filter(Boolean));
    expect([...union].sort()).toEqual([...lines].sort());
    expect(new Set(union).size).toBe(union.length);
    // Deterministic: a shard is every N-th scenario of the sorted list.
    expect(shards[1]!.stdout.trim().split('\n')).toEqual(lines.filter((_, i) => i % 2 === 1));
  }, 180_000);

  it('a broken scenario (wrong fixture state) fails naming each expectation it missed, in the output and the JUnit report', async () => {
    const dir = tempDir('broken');
    cpSync(join(ROOT, 'fixtures/phase5'), dir, { recursive: true });
    // The fixture's data no longer has the one retry of task 9, and the scenario expects task 7 paused.
    const data = join(dir, 'data.sql');
    writeFileSync(
      data,
      readFileSync(data, 'utf8').replace("'run-102', 9, 'retry_scheduled'", "'run-102', 9, 'succeeded'"),
    );
    const healthy = join(dir, 'scenarios/healthy.yaml');
    writeFileSync(healthy, readFileSync(healthy, 'utf8').replace('api: { task: running', 'api: { task: paused'));
    const report = join(dir, 'out/junit.xml');
    const r = await stepwiseAsync([
      'drill',
      'runbooks/phase5-recovery-sop.md',
      '--fixture',
      dir,
      '--scenario',
      'healthy',
      '--report',
      `junit=${report}`,
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ runbooks/phase5-recovery-sop.md  healthy');
    expect(r.stdout).toContain('steps.run_logs: expected passed, got skipped (`storm.rowCount > 0` is false)');
    expect(r.stdout).toContain(
      "sql[0] (SELECT count(*) AS n FROM task_runs WHERE run_status = 'r... on db) value: expected 1, got 0",
    );
    expect(r.stdout).toContain('state.api.task: expected "paused", got "running"');
    expect(r.stdout).toMatch(/FAILED {2}1 scenario: 0 passed, 1 failed, 0 could not run/);
    const xml = readFileSync(report, 'utf8');
    expect(xml).toContain('<testsuites name="stepwise drill" tests="1" failures="1" errors="0"');
    expect(xml).toContain('<failure message="3 expectations missed: steps.run_logs" type="expectation">');
    expect(xml).toContain('state.api.task: expected &quot;paused&quot;, got &quot;running&quot;');
  }, 120_000);

  it('an unknown scenario and a runbook without a fixture are refused before anything runs', async () => {
    const unknown = await stepwiseAsync(['drill', 'runbooks/phase5-recovery-sop.md', '--scenario', 'nope']);
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toContain(
      'no scenario `nope`; there are: backend-down, healthy, provider-outage, retry-storm',
    );
    const none = await stepwiseAsync(['drill', 'runbooks/demo.md']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('names no fixture: give --fixture DIR');
    const shard = await stepwiseAsync(['drill', 'runbooks/', '--shard', '3/2']);
    expect(shard.code).toBe(4);
  }, 120_000);

  it('Ctrl-C stops the drill, removes its databases and temporary folders, and exits 5', async () => {
    const tmp = tempDir('sigint');
    const live = spawnStepwise(['drill', 'runbooks/sonia-operations.md', '--scenario', 'breaker-open', '--verbose'], {
      env: { TMPDIR: tmp },
    });
    // Wait until the run is inside the breaker's wait (its temporary folder exists), then interrupt.
    const deadline = Date.now() + 30_000;
    while (!live.stdout().includes('breaker_now') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(readdirSync(tmp).some((n) => n.startsWith('stepwise-drill-'))).toBe(true);
    live.child.kill('SIGINT');
    const done = await live.done;
    expect(done.code).toBe(5);
    expect(live.stderr()).toContain('SIGINT: stopping; removing the drill databases and fixtures');
    expect(live.stdout()).toContain('INTERRUPTED');
    expect(readdirSync(tmp).filter((n) => n.startsWith('stepwise-drill-'))).toEqual([]);
    expect(existsSync(tmp)).toBe(true);
  }, 120_000);
});
