/**
 * Every step id always has a value: a failed, skipped or not yet run step reads as its outcome
 * with its kind's fields null, so conditions never throw on it; a placeholder in a command that
 * reads such a field (or an absent one) fails that step before anything runs.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stepwise, stepwiseAsync } from '../helpers/cli.js';
import { loopbackServer } from '../helpers/http-server.js';
import { scratch } from '../helpers/scratch.js';

const { dir, write } = scratch('values');
const store = join(dir, 'store.db');
let api: Awaited<ReturnType<typeof loopbackServer>>;

beforeAll(async () => {
  api = await loopbackServer({
    '/down': (_q, r) => {
      r.writeHead(500, { 'content-type': 'application/json' });
      r.end('{"error":"down"}');
    },
    '/up': (_q, r) => {
      r.writeHead(200, { 'content-type': 'application/json' });
      r.end('{"name":"ok"}');
    },
  });
});
afterAll(() => api.close());

const run = (path: string, ...args: string[]) =>
  stepwiseAsync(['run', '--headless', '--allow-writes', '--store', store, ...args, path], { env: { API: api.url } });
const events = (runId: string) =>
  stepwise(['export', runId, '--store', store])
    .stdout.trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string; data: Record<string, unknown> });
const runIdOf = (stdout: string) => /run (\d{8}-\d{6}-[0-9a-f]+)/.exec(stdout)![1]!;

describe('step values', () => {
  it('a failed step (on-fail=continue) reads as its outcome: a condition on it is false, not an exception', async () => {
    const path = write(
      'failed.md',
      `---\ntargets:\n  api: { kind: http, base: "\${API}" }\n---\n\n::http{#gw_health target=api path=/down on-fail=continue}\n\n::::if{that="gw_health.status == 200"}\n::note[gateway up]{#up}\n::::\n\n::assert[outcome is visible]{#seen that="gw_health.outcome == 'failed' && gw_health.status == 500 && gw_health.error.includes('HTTP 500')"}\n`,
    );
    const r = await run(path);
    expect(r.stdout).not.toMatch(/Cannot read properties/);
    expect(r.code).toBe(1); // the failure still counts
    const finished = events(runIdOf(r.stdout))
      .filter((e) => e.type === 'step.finished')
      .map((e) => [e.data.stepId, e.data.status]);
    expect(finished).toEqual([
      ['gw_health', 'failed'],
      ['up', 'skipped'],
      ['seen', 'passed'],
    ]);
  });

  it('a label and a condition that read a skipped step see null fields and its outcome', async () => {
    const path = write(
      'skipped.md',
      `---\ntargets:\n  api: { kind: http, base: "\${API}" }\n---\n\n::http{#probe target=api path=/up when="false"}\n\n::assert[skipped reads as skipped]{#a that="probe.outcome == 'skipped' && probe.status === null && probe.json === null && probe.error === null"}\n\n::::if{that="probe.status == 200"}\n::note[never]{#never}\n::::\n`,
    );
    const r = await run(path);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/✓ a /);
  });

  it('a placeholder in a command that reads a skipped step fails that step before anything runs', async () => {
    const marker = join(dir, 'ran-skipped');
    const path = write(
      'missing-skipped.md',
      `---\ntargets:\n  api: { kind: http, base: "\${API}" }\n---\n\n::http{#probe target=api path=/up when="false"}\n\n::shell{#use run="touch ${marker} {{ probe.json }}"}\n`,
    );
    const r = await run(path);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/`\{\{ probe\.json \}\}` has no value \(it reads `probe`, which was skipped\)/);
    expect(existsSync(marker)).toBe(false);
  });

  it('an absent field in a command fails the step: never an empty string (rm -rf {{ base.nope }}/tmp-x)', async () => {
    const victim = join(dir, 'tmp-x');
    writeFileSync(victim, 'keep me');
    const path = write(
      'missing-field.md',
      `---\ntargets:\n  api: { kind: http, base: "\${API}" }\n---\n\n::http{#base target=api path=/up}\n\n::shell{#rm run="rm -f {{ base.json.nope }}${victim}"}\n`,
    );
    const r = await run(path);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/`\{\{ base\.json\.nope \}\}` has no value \(it is undefined\)/);
    expect(existsSync(victim)).toBe(true);
  });

  it('a missing value in an HTTP path and in a SQL bind value fails the step before it is sent', async () => {
    const db = join(dir, 'values.db');
    const path = write(
      'missing-http-sql.md',
      `---\ntargets:\n  api: { kind: http, base: "\${API}" }\n  db: { kind: sqlite, path: "${db}" }\n---\n\n::http{#base target=api path=/up}\n\n::http{#next target=api path="/up/{{ base.json.nope }}" on-fail=continue}\n\n::sql{#q target=db query="SELECT {{ base.json.nope }} AS v" on-fail=continue}\n`,
    );
    const r = await run(path);
    expect(r.code).toBe(1);
    const finished = events(runIdOf(r.stdout)).filter((e) => e.type === 'step.finished');
    expect(finished.map((e) => [e.data.stepId, e.data.status])).toEqual([
      ['base', 'passed'],
      ['next', 'failed'],
      ['q', 'failed'],
    ]);
    for (const e of finished.slice(1)) expect(String(e.data.error)).toMatch(/has no value/);
    // Nothing was sent for the failed request: it never started.
    expect(
      events(runIdOf(r.stdout))
        .filter((e) => e.type === 'step.started')
        .map((e) => e.data.stepId),
    ).toEqual(['base']);
  });

  it('SQL NULL from a step that passed is a value: it binds as NULL', async () => {
    const db = join(dir, 'nulls.db');
    const path = write(
      'null-bind.md',
      `---\ntargets:\n  db: { kind: sqlite, path: "${db}" }\n---\n\n::sql{#a target=db query="SELECT NULL AS v"}\n\n::sql{#b target=db query="SELECT {{ a.rows[0].v }} IS NULL AS was_null"}\n\n::assert[null bound]{that="b.rows[0].was_null == 1"}\n`,
    );
    const r = await run(path);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });
});

describe('dry runs', () => {
  it('evaluate set steps of constants, fill in bind values, and say would run only for steps that would', async () => {
    const db = join(dir, 'dry.db');
    const path = write(
      'dry.md',
      `---\ninputs:\n  max_age: { type: number, default: 30 }\ntargets:\n  db: { kind: sqlite, path: "${db}" }\n---\n\n::set{#calc limit="inputs.max_age * 60"}\n\n::sql{#stuck target=db query="SELECT {{ calc.limit }} AS n"}\n\n::note[never]{#quiet when="inputs.max_age > 100"}\n\n::confirm[Fix {{ stuck.rowCount }}?]{#go when="stuck.rowCount > 0"}\n\n::sql{#fix target=db when="go.answer" query="UPDATE t SET a = {{ calc.limit }}"}\n`,
    );
    const r = await stepwiseAsync(['run', '--dry-run', '--store', store, path]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/✓ calc +set/);
    expect(r.stdout).toMatch(
      /would run: SELECT \? AS n on db\n\s+SELECT \? AS n\n\s+bind values, not part of the SQL text.*\n\s+\?1 = 1800/,
    );
    expect(r.stdout).toMatch(/- quiet .*would be skipped: `inputs\.max_age > 100` is false/);
    expect(r.stdout).not.toMatch(/quiet .*would run/);
    expect(r.stdout).toMatch(/- go .*needs the results of stuck/);
    expect(r.stdout).toMatch(/- fix .*may run: UPDATE t SET a = \? on db \(only if `go\.answer` \(needs go\)\)/);
    expect(existsSync(db)).toBe(false); // nothing ran against the database
  });
});
