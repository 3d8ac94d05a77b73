/**
 * A store shared across processes, through the real binary, as a team uses it: one process runs
 * a runbook while another follows it live with `show --follow` (LISTEN/NOTIFY on PostgreSQL,
 * polling on SQLite), and a third responder is kept out by the lock and told who holds it. The
 * PostgreSQL half needs a real server: the embedded PGlite serves every connection from one
 * session (no notifications across connections, re-entrant locks), so there it is skipped.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnStepwise, stepwise, stepwiseAsync } from '../helpers/cli.js';
import { testDatabase } from '../helpers/postgres.js';
import { until } from '../helpers/until.js';

const pg = await testDatabase();
afterAll(() => pg.close());

const dir = mkdtempSync(join(tmpdir(), 'stepwise-shared-'));
const STORES = [
  { name: 'PostgreSQL', location: pg.url, skip: pg.server === 'pglite' },
  { name: 'SQLite', location: join(dir, 'store.db'), skip: false },
];

describe.each(STORES)('a $name store shared across processes', ({ name, location, skip }) => {
  const env = { STEPWISE_STORE: location };
  const go = join(dir, `go-${name}`);
  const runbook = join(dir, `shared-${name}.md`);
  writeFileSync(
    runbook,
    `---
title: Shared store drill
---

::shell{#before run="echo before the gate"}

::shell{#hold run="while [ ! -f ${go} ]; do sleep 0.05; done; echo released"}

::shell{#after run="echo after the gate"}
`,
  );

  it.skipIf(skip)(
    'a run started in one process is followed live from another, to its signed final digest',
    async () => {
      expect(stepwise(['keygen', '-o', join(dir, `team-${name}`)]).code).toBe(0);
      const runner = spawnStepwise(
        [
          'run',
          '--allow-writes',
          runbook,
          '--headless',
          '--operator',
          'alice',
          '--sign-key',
          join(dir, `team-${name}.key`),
        ],
        { env, timeoutMs: 30_000 },
      );
      let runId = '';
      await until('the run to start in the store', async () => {
        const listed = await stepwiseAsync(['runs', '--json'], { env });
        runId = (JSON.parse(listed.stdout || '[]') as { runId: string }[])[0]?.runId ?? '';
        return runId !== '';
      });
      const follower = spawnStepwise(['show', runId, '--follow'], { env, timeoutMs: 30_000 });
      await until('the follower to see the gate step start', () => follower.stdout().includes('hold'));
      // The run is held at the gate: the follower has what happened so far, and not the end.
      expect(follower.stdout()).toMatch(/before the gate/);
      expect(follower.stdout()).not.toMatch(/PASSED/);
      const released = Date.now();
      writeFileSync(go, '');
      const [ran, followed] = await Promise.all([runner.done, follower.done]);
      expect(ran.code, runner.stdout() + runner.stderr()).toBe(0);
      expect(followed.code, follower.stdout() + follower.stderr()).toBe(0);
      // What happened after the release reached the follower as it happened, not at the end.
      const afterGate = follower.chunks.find((c) => c.text.includes('after the gate'))!;
      expect(afterGate.at - released).toBeLessThan(2_000);
      // It ended by itself with the run, at the same signed head the run printed.
      const digest = /transcript (\S+): (\d+) events, sha256:([0-9a-f]{64}) \(signed\)/.exec(runner.stdout())!;
      expect(digest[1]).toBe(runId);
      expect(follower.stdout()).toMatch(/PASSED/);
      expect(follower.stdout()).toMatch(/signed head seq \d+ with sha256:/);
      expect(follower.stdout()).toContain(`transcript ${runId}: ${digest[2]} events, sha256:${digest[3]}`);
      // The follower printed the same timeline `show` prints afterwards.
      expect(follower.stdout()).toBe(stepwise(['show', runId], { env }).stdout);
      expect(stepwise(['verify', runId, '--public-key', join(dir, `team-${name}.pub`)], { env }).code).toBe(0);
    },
    60_000,
  );

  it.skipIf(skip)(
    'a follower of a run whose process is killed stops following and says how to continue',
    async () => {
      const never = join(dir, `never-${name}.md`);
      writeFileSync(never, `---\ntitle: Killed drill\n---\n\n::shell{#hold run="sleep 30"}\n`);
      const runner = spawnStepwise(['run', '--allow-writes', never, '--headless'], { env, timeoutMs: 30_000 });
      let runId = '';
      await until('the run to start', async () => {
        const listed = JSON.parse((await stepwiseAsync(['runs', '--json'], { env })).stdout || '[]') as {
          runId: string;
          runbookTitle: string;
          status: string;
        }[];
        const row = listed.find((r) => r.runbookTitle === 'Killed drill');
        runId = row?.runId ?? '';
        return row?.status === 'running';
      });
      const follower = spawnStepwise(['show', runId, '--follow'], { env, timeoutMs: 30_000 });
      await until('the follower to see the step start', () => follower.stdout().includes('hold'));
      runner.child.kill('SIGKILL');
      const killed = Date.now();
      const followed = await follower.done;
      expect(followed.code).toBe(0);
      expect(followed.at - killed).toBeLessThan(5_000);
      expect(follower.stderr()).toContain(`run ${runId} stopped without finishing`);
      expect(follower.stderr()).toContain(`stepwise resume ${runId}`);
    },
    60_000,
  );

  it.skipIf(skip)(
    'a second responder on another process is refused while the first holds the runbook, and told who',
    async () => {
      const gate = join(dir, `locked-go-${name}`);
      const locked = join(dir, `locked-${name}.md`);
      writeFileSync(
        locked,
        `---\ntitle: Locked drill\n---\n\n::shell{#hold run="while [ ! -f ${gate} ]; do sleep 0.05; done"}\n`,
      );
      const first = spawnStepwise(['run', '--allow-writes', locked, '--headless', '--operator', 'alice'], {
        env,
        timeoutMs: 30_000,
      });
      await until('the first run to start', async () => {
        const listed = await stepwiseAsync(['runs', '--json'], { env });
        return (JSON.parse(listed.stdout || '[]') as { runbookTitle: string; status: string }[]).some(
          (r) => r.runbookTitle === 'Locked drill' && r.status === 'running',
        );
      });
      const second = await stepwiseAsync(['run', '--allow-writes', locked, '--headless', '--operator', 'bob'], { env });
      expect(second.code).toBe(3);
      expect(second.stderr).toMatch(
        /Locked drill is already running against these targets: run \S+ by alice on \S+ \(pid \d+\)/,
      );
      // Nor can anyone resume the live run, even with --force: two writers would break its transcript.
      const runId = /run (\S+) by alice/.exec(second.stderr)![1]!;
      const resumed = await stepwiseAsync(['resume', runId, '--allow-writes', '--force', '--yes'], { env });
      expect(resumed.code).toBe(3);
      expect(resumed.stderr).toContain(`run ${runId} is still running in another process`);
      writeFileSync(gate, '');
      expect((await first.done).code).toBe(0);
      // Released with the run: the next responder gets in.
      expect(
        (await stepwiseAsync(['run', '--allow-writes', locked, '--headless', '--operator', 'bob'], { env })).code,
      ).toBe(0);
    },
    60_000,
  );
});
