/**
 * The seed runbooks use loops and includes where the seeds repeat themselves (issue 18): SONIA
 * replays and purges its dead letters one `each` iteration per letter and sweeps its eight
 * services' health in one; VoxYZ offers each dead letter for retry in turn; SONIA, SOLVEREIGN and
 * Phase 5 ask their health endpoints through one shared include. Each is proved by a real drill
 * (the fixture's loopback HTTP stand-ins, SQLite or embedded PGlite) and its recorded events.
 * Also here: a drill expectation naming one iteration of a loop step (`replay[1]`), or the step
 * for all of them, and fixture `services:` (HTTP stand-ins that are no target).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type DrillOptions, prepareDrill, runScenario, type ScenarioResult } from '../../engine/drill/drill.js';
import { checkRun } from '../../engine/drill/expect.js';
import { FixtureError, loadFixture } from '../../engine/drill/fixture.js';
import type { RunEvent } from '../../engine/run/events.js';
import { ROOT } from '../helpers/cli.js';

const temp: string[] = [];
afterAll(() => {
  for (const dir of temp) rmSync(dir, { recursive: true, force: true });
});

const OPTIONS: DrillOptions = {
  postgres: { default: { kind: 'pglite' } },
  env: {},
  signal: new AbortController().signal,
  operator: 'seed-loops-test',
  engineVersion: 'test',
};

async function drill(runbook: string, scenario: string): Promise<ScenarioResult> {
  const prepared = prepareDrill(join(ROOT, 'runbooks', runbook));
  const found = prepared.fixture.scenarios.find((s) => s.name === scenario);
  if (!found) throw new Error(`no scenario ${scenario} for ${runbook}`);
  const result = await runScenario(prepared, found, OPTIONS);
  expect(result.misses).toEqual([]);
  expect(result.error).toBeUndefined();
  expect(result.result).toBe('passed');
  return result;
}

/** Step id → how it finished, for every step.finished event. */
function finished(events: RunEvent[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of events) if (e.type === 'step.finished') out.set(e.data.stepId, e.data.status);
  return out;
}

const iterationsOf = (events: RunEvent[], id: string): string[] =>
  [...finished(events).keys()].filter((k) => k.startsWith(`${id}[`));

const notes = (events: RunEvent[]): string[] => events.flatMap((e) => (e.type === 'note.added' ? [e.data.text] : []));

/** The plan each started step showed, as JSON, by step id. */
const plans = (events: RunEvent[]): Map<string, string> =>
  new Map(events.flatMap((e) => (e.type === 'step.started' ? [[e.data.stepId, JSON.stringify(e.data.plan)]] : [])));

describe('SONIA: the dead-letter loop', () => {
  it('dry-runs and replays each of the three letters in its own iteration, and the queue drains', async () => {
    const { events } = await drill('sonia-operations.md', 'dlq-growing');
    expect(iterationsOf(events, 'replay_dry')).toEqual(['replay_dry[0]', 'replay_dry[1]', 'replay_dry[2]']);
    expect(iterationsOf(events, 'replay')).toEqual(['replay[0]', 'replay[1]', 'replay[2]']);
    const done = finished(events);
    for (const i of [0, 1, 2]) expect(done.get(`replay[${i}]`)).toBe('passed');
    const sent = plans(events);
    expect(sent.get('replay[0]')).toContain('/v1/dead-letters/dl-101/replay');
    expect(sent.get('replay[2]')).toContain('/v1/dead-letters/dl-103/replay');
    expect(notes(events).some((n) => /`each` over `dlq\.json\.entries` .*: 3 items, as `letter`/.test(n))).toBe(true);
    expect(done.get('dlq_drained')).toBe('passed');
    // The replay was agreed to, so each letter's purge question and request are skipped.
    expect(iterationsOf(events, 'purge').map((id) => done.get(id))).toEqual(['skipped', 'skipped', 'skipped']);
    expect(iterationsOf(events, 'purge_one').map((id) => done.get(id))).toEqual(['skipped', 'skipped', 'skipped']);
  }, 60_000);

  it('purges only the letters the responder agrees to, each asked for behind the danger gate', async () => {
    const { events } = await drill('sonia-operations.md', 'dlq-purge');
    const answers = events.flatMap((e) => (e.type === 'confirm.answered' ? [[e.data.stepId, e.data.answer]] : []));
    expect(answers).toEqual(
      expect.arrayContaining([
        ['dlq_fixed', false],
        ['purge_ok', true],
        ['purge_one[0]', true],
        ['purge_one[1]', false],
        ['purge_one[2]', true],
      ]),
    );
    const done = finished(events);
    expect([done.get('purge[0]'), done.get('purge[1]'), done.get('purge[2]')]).toEqual(['passed', 'skipped', 'passed']);
    expect(plans(events).get('purge[1]')).toBeUndefined();
  }, 60_000);
});

describe('SONIA: the Service Ports sweep', () => {
  it('asks each of the eight services its /healthz, each on its own stand-in, and sums up', async () => {
    const { events } = await drill('sonia-operations.md', 'healthy');
    const sweep = iterationsOf(events, 'service_health');
    expect(sweep).toHaveLength(8);
    const done = finished(events);
    for (const id of sweep) expect(done.get(id)).toBe('passed');
    const urls = sweep.map((id) => /http:\/\/127\.0\.0\.1:\d+\/healthz/.exec(plans(events).get(id) ?? '')?.[0]);
    expect(new Set(urls).size).toBe(8);
    expect(notes(events)).toContain('Services not answering 200 on /healthz: none.');
    expect(done.get('all_healthy')).toBe('passed');
  }, 60_000);

  it('records a service that is down and goes on to the next', async () => {
    const { events, runStatus } = await drill('sonia-operations.md', 'service-down');
    const done = finished(events);
    expect(iterationsOf(events, 'service_health').map((id) => done.get(id))).toEqual([
      'passed',
      'passed',
      'passed',
      'failed',
      'passed',
      'passed',
      'passed',
      'passed',
    ]);
    expect(notes(events)).toContain('Services not answering 200 on /healthz: pipecat (7030).');
    expect(runStatus).toBe('failed');
  }, 60_000);
});

describe('the shared health check', () => {
  it('runs once per service it is included for, each against its own target', async () => {
    const { events } = await drill('sonia-operations.md', 'healthy');
    const done = finished(events);
    for (const id of ['gateway.health', 'gateway.healthy', 'memory.health', 'memory.healthy'])
      expect(done.get(id)).toBe('passed');
    const text = notes(events);
    expect(text).toContain(
      'include gateway (shared/health-check.md): with name="api-gateway" path="healthz"; target service=gateway',
    );
    expect(text).toContain(
      'include memory (shared/health-check.md): with name="memory-engine" path="healthz"; target service=memory',
    );
    const gateway = plans(events).get('gateway.health')!;
    const memory = plans(events).get('memory.health')!;
    expect(gateway).toMatch(/\/healthz/);
    expect(gateway).not.toBe(memory);
  }, 60_000);

  it('stops Phase 5 at the triage when the backend is down, as the inline check did', async () => {
    const { events } = await drill('phase5-recovery-sop.md', 'backend-down');
    const done = finished(events);
    expect(done.get('backend.health')).toBe('failed');
    expect(done.get('backend.healthy')).toBe('skipped');
    expect(done.get('backend_up')).toBe('failed');
    expect(done.has('storm')).toBe(false);
  }, 60_000);

  it('serves SOLVEREIGN too: /health, its status field checked', async () => {
    const { events } = await drill('solvereign-v3.3a-operations.md', 'healthy');
    expect(plans(events).get('solvereign.health')).toMatch(/\/health"/);
    expect(finished(events).get('solvereign.healthy')).toBe('passed');
  }, 120_000);
});

describe('VoxYZ: the dead-letter retry loop', () => {
  it('offers each dead letter in turn; a "no" keeps that step and the loop goes on', async () => {
    const { events } = await drill('voxyz-ops-loop-operations.md', 'dead-letter-retry');
    const done = finished(events);
    expect(iterationsOf(events, 'retry_step')).toEqual(['retry_step[0]', 'retry_step[1]']);
    expect(done.get('retry_step[0]')).toBe('skipped');
    expect(done.get('retry_step[1]')).toBe('passed');
  }, 120_000);
});

describe('drill expectations on loop steps', () => {
  const ev = (stepId: string, status: string): RunEvent =>
    ({ type: 'step.finished', data: { stepId, status } }) as unknown as RunEvent;
  const end: RunEvent = { type: 'run.finished', data: { status: 'passed' } } as unknown as RunEvent;
  const expectations = (steps: Record<string, string>) => ({
    status: 'passed',
    steps,
    sql: [],
    http: [],
    state: {},
    requests: {},
  });
  const events = [ev('replay[0]', 'passed'), ev('replay[1]', 'failed'), ev('note', 'passed'), end];
  const known = new Set(['replay', 'note']);
  const loops = new Set(['replay']);

  it('name one iteration by its index, and miss when it ended otherwise', () => {
    expect(checkRun(expectations({ 'replay[0]': 'passed' }), events, known, loops)).toEqual([]);
    expect(checkRun(expectations({ 'replay[1]': 'passed' }), events, known, loops)).toEqual([
      { expectation: 'steps.replay[1]', expected: 'passed', actual: 'failed' },
    ]);
    expect(checkRun(expectations({ 'replay[5]': 'passed' }), events, known, loops)).toEqual([
      { expectation: 'steps.replay[5]', expected: 'passed', actual: 'not-run' },
    ]);
  });

  it('name the step for all its iterations: their outcome when they share one, else each counted', () => {
    const allPassed = [ev('replay[0]', 'passed'), ev('replay[1]', 'passed'), end];
    expect(checkRun(expectations({ replay: 'passed' }), allPassed, known, loops)).toEqual([]);
    expect(checkRun(expectations({ replay: 'passed' }), events, known, loops)).toEqual([
      { expectation: 'steps.replay', expected: 'passed', actual: 'passed ×1, failed ×1' },
    ]);
  });

  it('refuse an index on a step outside any loop, and an unknown step', () => {
    expect(checkRun(expectations({ 'note[0]': 'passed' }), events, known, loops)).toEqual([
      {
        expectation: 'steps.note[0]',
        expected: 'passed',
        actual: '`note` is not in an `each` loop: it has no iterations',
      },
    ]);
    expect(checkRun(expectations({ 'nope[0]': 'passed' }), events, known, loops)).toEqual([
      { expectation: 'steps.nope[0]', expected: 'passed', actual: 'no such step in the runbook' },
    ]);
  });
});

describe('fixture services', () => {
  const fixture = (manifest: string): string => {
    const dir = mkdtempSync(join(tmpdir(), 'stepwise-test-services-'));
    temp.push(dir);
    writeFileSync(join(dir, 'fixture.yaml'), manifest);
    writeFileSync(
      join(dir, 'svc.yaml'),
      'state: { health: up }\nroutes:\n  - match: GET /healthz\n    json: { ok: true }\n',
    );
    writeFileSync(join(dir, 'api.yaml'), 'routes:\n  - match: GET /x\n    json: {}\n');
    const scenarios = join(dir, 'scenarios');
    mkdirSync(scenarios);
    writeFileSync(join(scenarios, 'one.yaml'), 'http: { pipecat: { state: { health: up } } }\n');
    return dir;
  };

  it('are HTTP stand-ins beside the targets, whose state a scenario may set', () => {
    const dir = fixture('targets: { api: { routes: api.yaml } }\nservices: { pipecat: { routes: svc.yaml } }\n');
    const loaded = loadFixture(dir, { api: 'http' });
    expect(loaded.targets.pipecat).toMatchObject({ kind: 'http', service: true });
    expect(loaded.targets.api).not.toHaveProperty('service');
    expect(loaded.scenarios[0]!.httpState).toEqual({ pipecat: { health: 'up' } });
  });

  it('refuse a service named like a target, one without routes, and a list', () => {
    const clash = fixture('targets: { api: { routes: api.yaml } }\nservices: { api: { routes: svc.yaml } }\n');
    expect(() => loadFixture(clash, { api: 'http' })).toThrow(/services\.api: `api` is also a target/);
    const bare = fixture('targets: { api: { routes: api.yaml } }\nservices: { pipecat: {} }\n');
    expect(() => loadFixture(bare, { api: 'http' })).toThrow(FixtureError);
    const list = fixture('targets: { api: { routes: api.yaml } }\nservices: [pipecat]\n');
    expect(() => loadFixture(list, { api: 'http' })).toThrow(/`services` maps a name to `\{ routes: FILE \}`/);
  });
});
