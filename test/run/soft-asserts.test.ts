/**
 * Soft assertions (`::assert{severity=warn}`) and expected failures (`expect=fail`) through the
 * real binary, on a real SQLite file and real shell processes: a false soft assertion passes with
 * a warning (exit 0, counted in run.finished and listed under the summary with its file:line), a
 * true one says nothing; an `expect=fail` step passes when it fails on its own and fails when it
 * passes, alone and with on-fail=continue; a timeout is never the failure that was expected; a
 * resumed run does not run a finished expect=fail step again and still counts its warnings.
 */
import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../engine/run/events.js';
import { stepwiseAsync } from '../helpers/cli.js';
import { loopbackServer } from '../helpers/http-server.js';
import { scratch } from '../helpers/scratch.js';

const tmp = scratch('soft');
const dbPath = tmp.path('replica.db');
const db = new Database(dbPath);
db.exec("CREATE TABLE replica (name TEXT, lag_s INTEGER); INSERT INTO replica VALUES ('r1', 12);");
db.close();
const env = { STEPWISE_STORE: tmp.path('store.db') };

const FM = `---\ntargets:\n  db: { kind: sqlite, path: ${dbPath} }\n---\n\n`;
let n = 0;
const runbook = (body: string): string => tmp.write(`soft-${++n}.md`, `${FM}${body}`);

/** Runs headless with --json: the exit code, the events as recorded, and the summary printed on stderr. */
async function run(path: string, ...args: string[]) {
  const r = await stepwiseAsync(['run', '--headless', '--json', path, ...args], { env, cwd: tmp.dir });
  const events = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as RunEvent & { runId: string });
  const finished = (id: string) =>
    events.find((e) => e.type === 'step.finished' && e.data.stepId === id)?.data as Record<string, unknown>;
  const end = events.find((e) => e.type === 'run.finished')?.data as Record<string, unknown>;
  return { code: r.code, events, finished, end, report: r.stderr, runId: events[0]?.runId ?? '' };
}

const LAG = `# Replica

::sql{#lag target=db query="SELECT lag_s FROM replica WHERE name = 'r1'"}

::assert[Replica lag under 5 s]{#fresh that="lag.rows[0].lag_s < 5" severity=warn}
`;

describe('severity=warn', () => {
  it('a false soft assertion passes with a warning: exit 0, counted, listed with file:line, readable later', async () => {
    const path = runbook(`${LAG}
::assert{#seen that="fresh.warned === true && fresh.passed === false && fresh.actual === 12 && fresh.outcome === 'passed'"}
`);
    const r = await run(path);
    expect(r.code, r.report).toBe(0);
    expect(r.finished('fresh')).toMatchObject({
      status: 'passed',
      result: { passed: false, actual: 12, warned: true },
      warning: 'Replica lag under 5 s: `lag.rows[0].lag_s < 5` does not hold (`lag.rows[0].lag_s` is 12)',
    });
    expect(r.finished('seen')).toMatchObject({ status: 'passed' });
    expect(r.end).toMatchObject({ status: 'passed', exitCode: 0, warnings: 1, counts: { passed: 3, failed: 0 } });
    expect(r.report).toMatch(/^! fresh +assert .*warning: Replica lag under 5 s/m);
    expect(r.report).toMatch(/^PASSED with 1 warning {2}3 passed, 0 failed, 0 skipped in /m);
    // The assert directive is on line 10: four lines of frontmatter, a blank line, the heading, the query.
    expect(r.report).toContain(`  ! fresh (${path}:10): Replica lag under 5 s: \`lag.rows[0].lag_s < 5\``);
  });

  it('a true soft assertion says nothing: no warning field, no count, the summary as before', async () => {
    const r = await run(runbook(LAG.replace('< 5', '< 60')));
    expect(r.code).toBe(0);
    expect(r.finished('fresh')).toEqual({
      stepId: 'fresh',
      status: 'passed',
      ms: expect.any(Number),
      result: { passed: true, actual: 12 },
    });
    expect(r.end).not.toHaveProperty('warnings');
    expect(r.report).toMatch(/^PASSED {2}2 passed, 0 failed, 0 skipped in /m);
  });

  it('severity=error (the default) still fails the run', async () => {
    const r = await run(runbook(LAG.replace(' severity=warn', ' severity=error')));
    expect(r.code).toBe(1);
    expect(r.finished('fresh')).toMatchObject({ status: 'failed' });
    expect(r.finished('fresh')).not.toHaveProperty('warning');
  });

  it('warnings and a failure: the run fails, and the summary still lists the warnings', async () => {
    const r = await run(runbook(`${LAG}\n::shell{#broken readonly run="exit 2"}\n`));
    expect(r.code).toBe(1);
    expect(r.end).toMatchObject({ status: 'failed', warnings: 1 });
    expect(r.report).toMatch(/^FAILED with 1 warning {2}2 passed, 1 failed/m);
    expect(r.report).toMatch(/^ {2}! fresh \(/m);
  });
});

describe('the printed summary, without --json', () => {
  it('./bin/stepwise.js run: PASSED with 2 warnings, then each warning with its step id and file:line', async () => {
    const path = runbook(`${LAG}
::assert[Both replicas answer]{#both that="lag.rowCount == 2" severity=warn}

::shell{#diag readonly expect=fail run="exit 3"}
`);
    const r = await stepwiseAsync(['run', '--headless', path], { env, cwd: tmp.dir });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    const summary = lines.findIndex((l) => l.startsWith('PASSED'));
    expect(lines[summary]).toMatch(
      /^PASSED with 2 warnings {2}4 passed, 0 failed, 0 skipped in [\d.]+s {2}exit 0 · run /,
    );
    expect(lines.slice(summary + 1, summary + 3)).toEqual([
      `  ! fresh (${path}:10): Replica lag under 5 s: \`lag.rows[0].lag_s < 5\` does not hold (\`lag.rows[0].lag_s\` is 12)`,
      `  ! both (${path}:12): Both replicas answer: \`lag.rowCount == 2\` does not hold (\`lag.rowCount\` is 1)`,
    ]);
    expect(lines[summary + 3]).toMatch(/^transcript \S+: \d+ events, sha256:/);
    expect(r.stdout).toMatch(/^✓ diag +shell .*failed as expected: exit code 3/m);
    // `show` says the same from the transcript.
    const show = await stepwiseAsync(['show', 'last'], { env, cwd: tmp.dir });
    expect(show.stdout).toMatch(/ ! fresh {2}passed in \d+ ms {2}warning: Replica lag under 5 s/);
    expect(show.stdout).toMatch(/ ✓ diag {2}passed in \d+ ms {2}failed as expected: exit code 3/);
    expect(show.stdout).toMatch(/ PASSED with 2 warnings {2}exit 0, 4 passed, 0 failed, 0 skipped in /);
  });
});

describe('expect=fail', () => {
  it('a failing step passes as expected, keeping its result and error for later steps', async () => {
    const r = await run(
      runbook(`::shell{#diag readonly expect=fail run="echo crash-looping; exit 3"}

::assert{#read that="diag.outcome === 'passed' && diag.exitCode === 3 && diag.error.startsWith('exit code 3')"}
`),
    );
    expect(r.code, r.report).toBe(0);
    expect(r.finished('diag')).toMatchObject({
      status: 'passed',
      result: { exitCode: 3, stdout: 'crash-looping\n' },
      expectedFailure: expect.stringMatching(/^exit code 3/),
    });
    expect(r.finished('read')).toMatchObject({ status: 'passed' });
    expect(r.report).toMatch(/^✓ diag +shell .*failed as expected: exit code 3/m);
  });

  it('a failing SQL statement on SQLite passes as expected', async () => {
    const r = await run(runbook('::sql{#gone target=db query="SELECT * FROM no_such_table" expect=fail}\n'));
    expect(r.code, r.report).toBe(0);
    expect(r.finished('gone')).toMatchObject({
      status: 'passed',
      expectedFailure: expect.stringContaining('no_such_table'),
    });
  });

  it('http on a loopback server: a 503 passes as expected, a 200 fails; expect=503 still means the status', async () => {
    const api = await loopbackServer({
      '/crash': (_q, r) => {
        r.writeHead(503);
        r.end('crash looping');
      },
      '/ok': (_q, r) => {
        r.writeHead(200);
        r.end('fine');
      },
    });
    try {
      const path = tmp.write(
        `http-${++n}.md`,
        `---\ntargets:\n  api: ${api.url}\n---\n\n::http{#crash target=api path=/crash expect=fail}\n\n::http{#exact target=api path=/crash expect=503}\n\n::http{#ok target=api path=/ok expect=fail on-fail=continue}\n`,
      );
      const r = await run(path);
      expect(r.code).toBe(1);
      expect(r.finished('crash')).toMatchObject({
        status: 'passed',
        result: { status: 503 },
        expectedFailure: expect.stringContaining('503'),
      });
      expect(r.finished('exact')).toMatchObject({ status: 'passed', result: { status: 503 } });
      expect(r.finished('exact')).not.toHaveProperty('expectedFailure');
      expect(r.finished('ok')).toMatchObject({
        status: 'failed',
        error: 'expected to fail, but it passed',
        result: { status: 200 },
      });
    } finally {
      await api.close();
    }
  });

  it('a passing step fails: exit 1, and the run stops there', async () => {
    const r = await run(
      runbook('::shell{#ok readonly expect=fail run="echo fine"}\n\n::shell{#next readonly run="true"}\n'),
    );
    expect(r.code).toBe(1);
    expect(r.finished('ok')).toMatchObject({
      status: 'failed',
      error: 'expected to fail, but it passed',
      result: { exitCode: 0, stdout: 'fine\n' },
    });
    expect(r.finished('next')).toBeUndefined();
    expect(r.report).toMatch(/^✗ ok +shell .*expected to fail, but it passed/m);
  });

  it('with on-fail=continue: a passing step fails and the run goes on (exit 1); a failing one passes (exit 0)', async () => {
    const passes = await run(
      runbook('::shell{#ok readonly expect=fail on-fail=continue run="true"}\n\n::shell{#next readonly run="true"}\n'),
    );
    expect(passes.code).toBe(1);
    expect(passes.finished('ok')).toMatchObject({ status: 'failed', error: 'expected to fail, but it passed' });
    expect(passes.finished('next')).toMatchObject({ status: 'passed' });
    const fails = await run(
      runbook(
        '::shell{#bad readonly expect=fail on-fail=continue run="false"}\n\n::shell{#next readonly run="true"}\n',
      ),
    );
    expect(fails.code).toBe(0);
    expect(fails.finished('bad')).toMatchObject({ status: 'passed' });
    expect(fails.end).toMatchObject({ status: 'passed', counts: { passed: 2, failed: 0 } });
  });

  it('a timeout is never the failure that was expected', async () => {
    const r = await run(runbook('::shell{#slow readonly expect=fail timeout=500ms run="sleep 10"}\n'));
    expect(r.code).toBe(1);
    expect(r.finished('slow')).toMatchObject({ status: 'timed-out' });
  }, 30_000);

  it('an assert expected to fail passes when it does not hold', async () => {
    const r = await run(runbook('::assert{#no that="1 === 2" expect=fail}\n'));
    expect(r.code).toBe(0);
    expect(r.finished('no')).toMatchObject({
      status: 'passed',
      expectedFailure: expect.stringContaining('assertion failed'),
    });
  });

  it('expect=fail does not stand in for a guard: an unguarded script is refused, and that refusal is no expected failure', async () => {
    const r = await run(runbook('::shell{#write expect=fail run="exit 1"}\n'));
    expect(r.code).toBe(1);
    expect(r.finished('write')).toMatchObject({ status: 'failed', error: expect.stringContaining('refusing to run') });
  });
});

describe('bad input', () => {
  it('expect=fail on a confirm, or severity=loud: the run refuses the runbook (exit 2) and nothing runs', async () => {
    const marks = tmp.path('never.log');
    for (const body of [
      `::shell{#first readonly run="echo x >> ${marks}"}\n\n::confirm[Go?]{#go expect=fail}\n`,
      `::shell{#first readonly run="echo x >> ${marks}"}\n\n::assert{#a that="1 == 1" severity=loud}\n`,
    ]) {
      const r = await stepwiseAsync(['run', '--headless', runbook(body)], { env, cwd: tmp.dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/expect-fail-invalid|`loud` is not one of error, warn/);
    }
    expect(existsSync(marks)).toBe(false);
  });
});

describe('resume', () => {
  it('a finished expect=fail step is not run again; its error and the earlier warnings still count', async () => {
    const marks = tmp.path('diag-runs.log');
    const path = runbook(`${LAG}
::shell{#diag readonly expect=fail run="echo x >> ${marks}; exit 4"}

::confirm[Go on?]{#go}

::assert{#after that="diag.outcome === 'passed' && diag.exitCode === 4 && diag.error !== null && fresh.warned === true"}
`);
    const first = await run(path);
    expect(first.code).toBe(3); // the confirm has no answer headless
    const resumed = await stepwiseAsync(['resume', first.runId, '--yes', '--json'], { env, cwd: tmp.dir });
    expect(resumed.code, resumed.stderr).toBe(0);
    const events = resumed.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as RunEvent);
    expect(events.filter((e) => e.type === 'step.started').map((e) => e.data.stepId)).toEqual(['go', 'after']);
    expect(events.find((e) => e.type === 'run.finished')?.data).toMatchObject({ status: 'passed', warnings: 1 });
    // The summary lists the warning recorded before the resume, with its place.
    expect(resumed.stderr).toMatch(/^PASSED with 1 warning {2}/m);
    expect(resumed.stderr).toContain(`  ! fresh (${path}:10): Replica lag under 5 s`);
    expect(readFileSync(marks, 'utf8')).toBe('x\n');
  });
});
