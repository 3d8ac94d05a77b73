/**
 * Crashes and resumes through the real binary, on both stores: SIGINT ends a run `interrupted`
 * (exit 5) with a transcript that verifies; kill -9 at random moments always leaves a transcript
 * that verifies and a run that `resume` continues, asking before it re-runs a step that started
 * and never finished. The PostgreSQL half needs a real server (skipped on the embedded PGlite,
 * which keeps a killed process's advisory lock: it serves every connection from one session).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../engine/store/open.js';
import type { TranscriptStore } from '../../engine/store/store.js';
import type { ChainedEvent } from '../../engine/transcript/chain.js';
import { spawnStepwise, stepwise } from '../helpers/cli.js';
import { testDatabase } from '../helpers/postgres.js';
import { until } from '../helpers/until.js';

const dir = mkdtempSync(join(tmpdir(), 'stepwise-resume-'));
const pg = await testDatabase();
afterAll(() => pg.close());
const marks = join(dir, 'marks.log');
/** While this file exists, step `two` keeps running (so a test can kill the run in the middle of it). */
const holdTwo = join(dir, 'hold-two');

const runbook = join(dir, 'crash.md');
writeFileSync(
  runbook,
  `---
title: Crash drill
---

::shell{#one run="echo one >> ${marks}; sleep 0.05"}

::shell{#two run="echo two >> ${marks}; while [ -f ${holdTwo} ]; do sleep 0.05; done; sleep 0.15"}

::set{#mid x="1 + 1"}

::shell{#three run="echo three >> ${marks}; sleep 0.1"}

::shell{#safe idempotent run="echo safe >> ${marks}"}

::shell{#four run="echo four >> ${marks}"}
`,
);

const answers = join(dir, 'answers.yml');
writeFileSync(answers, 'rerun:\n  one: yes\n  two: yes\n  three: yes\n  four: yes\n');

async function withStore<T>(location: string, read: (store: TranscriptStore) => Promise<T>): Promise<T> {
  const store = await openStore(location);
  try {
    return await read(store);
  } finally {
    await store.close();
  }
}

const STORES = [
  { name: 'SQLite', location: join(dir, 'store.db'), kills: 50, skip: false },
  { name: 'PostgreSQL', location: pg.url, kills: 20, skip: pg.server === 'pglite' },
];

describe.each(STORES)('interruption, on the $name store', ({ name, location, kills, skip }) => {
  const env = { STEPWISE_STORE: location };
  const runCount = (): Promise<number> => withStore(location, async (store) => (await store.runs(10_000)).length);
  const lastRun = (): Promise<{ runId: string; events: ChainedEvent[] }> =>
    withStore(location, async (store) => {
      const runId = (await store.resolve('last'))!;
      return { runId, events: await store.events(runId) };
    });

  it.skipIf(skip)(
    'SIGINT during a shell step cancels it, records run.interrupted, exits 5, and the transcript verifies',
    async () => {
      const slow = join(dir, `slow-${name}.md`);
      const fixed = join(dir, `fixed-${name}`);
      const napping = join(dir, `napping-${name}`);
      writeFileSync(
        slow,
        `::shell{#nap run="touch ${napping}; test -f ${fixed} || sleep 20"}\n\n::shell{#after run="echo after"}\n`,
      );
      const { child, done } = spawnStepwise(['run', '--allow-writes', slow, '--yes'], { env });
      // Signal once the step runs (it touches its marker), not after a fixed time: a loaded machine may take longer to get there.
      await until('the shell step to start', () => existsSync(napping), 20_000);
      child.kill('SIGINT');
      const result = await done;
      expect(result.code).toBe(5);
      const { runId, events } = await lastRun();
      expect(events.map((e) => e.type)).toEqual([
        'run.started',
        'step.started',
        'step.finished',
        'run.interrupted',
        'run.finished',
      ]);
      expect(events[2]!.data).toMatchObject({ stepId: 'nap', status: 'cancelled' });
      expect(stepwise(['verify', runId], { env }).code).toBe(0);
      writeFileSync(fixed, ''); // the responder fixed what made `nap` hang
      // Cancelled after it started, `nap` may have taken effect: --yes does not run it again, a rerun answer does.
      const refused = stepwise(['resume', runId, '--allow-writes', '--yes'], { env });
      expect(refused.code).toBe(3);
      expect(refused.stderr).toMatch(/step `nap` was cancelled after it started[\s\S]*rerun:\n\s+nap: yes/);
      const rerun = join(dir, `rerun-nap-${name}.yml`);
      writeFileSync(rerun, 'rerun:\n  nap: yes\n');
      const resumed = stepwise(['resume', runId, '--allow-writes', '--yes', '--answers', rerun], { env });
      expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
      expect(resumed.stdout).toMatch(/✓ nap/);
      expect(stepwise(['verify', runId], { env }).code).toBe(0);
    },
  );

  it.skipIf(skip)(
    'resume asks before re-running a step that started and never finished; headless needs rerun in --answers',
    async () => {
      // kill while `two` runs: it holds until the test lets it go, so the kill cannot come too late
      writeFileSync(holdTwo, '');
      const { child, done } = spawnStepwise(['run', '--allow-writes', runbook, '--yes'], { env });
      try {
        await until(
          '`two` to start',
          () => readFileSync(marks, { encoding: 'utf8', flag: 'a+' }).trimEnd().endsWith('two'),
          20_000,
        );
      } finally {
        child.kill('SIGKILL');
        await done;
        rmSync(holdTwo, { force: true }); // its orphaned script ends; the rerun on resume does not hold
      }
      const { runId, events } = await lastRun();
      expect(events.at(-1)!.type).toBe('step.started');
      expect(stepwise(['verify', runId], { env }).code).toBe(0);
      // Its process is gone: runs says stopped, show says how to continue, and --follow does not wait forever.
      const listed = JSON.parse(stepwise(['runs', '--json'], { env }).stdout) as { runId: string; status: string }[];
      expect(listed.find((r) => r.runId === runId)?.status).toBe('stopped');
      const followed = stepwise(['show', runId, '--follow'], { env, timeout: 10_000 });
      expect(followed.code).toBe(0);
      expect(followed.stderr).toContain(
        `run ${runId} stopped without finishing: its process is gone (killed, crashed, or its machine went down); \`stepwise resume ${runId}\` continues it`,
      );
      const refused = stepwise(['resume', runId, '--allow-writes'], { env });
      expect(refused.code).toBe(3);
      expect(refused.stderr).toMatch(/step `two` started but never finished[\s\S]*rerun:\n\s+two: yes/);
      const resumed = stepwise(['resume', runId, '--allow-writes', '--answers', answers], { env });
      expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
      const after = (await lastRun()).events;
      const types = after.map(
        (e) => `${e.type}${'stepId' in (e.data as object) ? `:${(e.data as { stepId: string }).stepId}` : ''}`,
      );
      expect(types).toContain('run.resumed');
      expect(
        after.find((e) => e.type === 'step.finished' && (e.data as { status: string }).status === 'interrupted')!.data,
      ).toMatchObject({ stepId: 'two' });
      expect(
        after.filter((e) => e.type === 'step.started' && (e.data as { stepId: string }).stepId === 'one'),
      ).toHaveLength(1);
      expect(stepwise(['verify', runId], { env }).code).toBe(0);
    },
  );

  it.skipIf(skip)(
    `kill -9 at ${kills} random moments: every transcript verifies, and resume finishes every run`,
    async () => {
      let killedBeforeStart = 0;
      for (let i = 0; i < kills; i++) {
        const before = await runCount();
        const live = spawnStepwise(['run', '--allow-writes', runbook, '--yes'], { env });
        let ended = false;
        void live.done.then(() => (ended = true));
        // A random moment of the run, counted from its start (its header line), not from the spawn: a
        // loaded machine can take longer than any fixed delay just to load the CLI.
        await until('the run to start', () => ended || live.stdout().includes('Crash drill'), 20_000);
        setTimeout(() => live.child.kill('SIGKILL'), Math.floor(Math.random() * 600));
        const result = await live.done;
        if ((await runCount()) === before) {
          killedBeforeStart++; // killed while loading: no run.started, so nothing ran
          continue;
        }
        const { runId, events } = await lastRun();
        const verified = stepwise(['verify', runId], { env });
        expect(verified.code, `iteration ${i}: ${verified.stdout}`).toBe(0);
        if (result.signal !== 'SIGKILL') continue; // it finished before the kill
        const open = new Set<string>();
        for (const e of events) {
          if (e.type === 'step.started') open.add(e.data.stepId);
          if (e.type === 'step.finished') open.delete(e.data.stepId);
        }
        const resumed = stepwise(['resume', runId, '--allow-writes', '--answers', answers], { env });
        expect(resumed.code, `iteration ${i}: ${resumed.stdout}${resumed.stderr}`).toBe(0);
        expect(stepwise(['verify', runId], { env }).code).toBe(0);
        const after = (await lastRun()).events;
        for (const id of open)
          expect(
            after.some((e) => e.type === 'step.finished' && e.data.stepId === id && e.data.status === 'interrupted'),
          ).toBe(true);
        expect(after.at(-1)!.type).toBe('run.finished');
      }
      expect(killedBeforeStart).toBeLessThan(kills / 2);
    },
    // 50 runs, each killed, verified, resumed and verified again: 75 s on a quiet machine, over
    // 240 s while two other test files run beside it.
    600_000,
  );
});
