/**
 * The responder's cancel of one step (the TUI's first Ctrl-C): the running step alone is
 * cancelled (the shell's process group killed, the query cancelled on the PostgreSQL server),
 * recorded `cancelled by OPERATOR`, and the run stays on that step: the responder runs it again,
 * skips it, or stops. A skipped confirm skips what it guards (fail safe). Real bash, a real
 * PostgreSQL server, a real SQLite store.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import type { StepDecision, StepTurn } from '../../engine/run/responder.js';
import { runSession } from '../../engine/run/session.js';
import { resolveTargets } from '../../engine/run/targets.js';
import { testDatabase, type TestDatabase } from '../helpers/postgres.js';
import { scratch } from '../helpers/scratch.js';
import { checked, uninterruptedRun, until } from '../tui/helpers.js';

const tmp = scratch('step-cancel');
const db: TestDatabase = await testDatabase();
afterAll(async () => {
  await db.close();
  rmSync(tmp.dir, { recursive: true, force: true });
});

const marker = `stepcancel_${process.pid}`;
const runbook = (url: string) => `---
title: Cancel one step
targets:
  pg: { kind: postgres, url: "${url}" }
---

# Cancel one step

:::shell{#slow readonly}
\`\`\`bash
echo $$ > ./slow.pid
if [ -f ./again ]; then echo second; exit 0; fi
touch ./again
sleep 60
\`\`\`
:::

:::sql{#sleep target=pg}
\`\`\`sql
SELECT pg_sleep(60) AS ${marker}
\`\`\`
:::

:::shell{#after readonly}
\`\`\`bash
echo after
\`\`\`
:::

::confirm[Restart it?]{#go}

:::shell{#write}
\`\`\`bash
echo written > ./written
\`\`\`
:::
`;

const activeQueries = async (): Promise<number> =>
  (
    await db.query(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE $1 AND state = 'active' AND pid <> pg_backend_pid()",
      [`%AS ${marker}%`],
    )
  ).rows[0].n;

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('a responder cancels the running step, not the run', () => {
  // Server-side cancel and pg_stat_activity need a real PostgreSQL server (the embedded fallback has neither).
  it.skipIf(db.server !== 'postgres')(
    'the shell group is killed, the query is gone from the server, and the run goes on as the responder says',
    async () => {
      const source = runbook(db.url);
      const file = tmp.write('rb.md', source);
      const { document, graph } = checked(source, file);
      const turns: { id: string; attempt: number; status?: string; error?: string }[] = [];
      const run = new AbortController();
      let cancelled: Promise<void> = Promise.resolve();
      const beforeStep = async (turn: StepTurn): Promise<StepDecision> => {
        turns.push({
          id: turn.stepId,
          attempt: turn.attempt,
          ...(turn.failed ? { status: turn.failed.status, error: turn.failed.error } : {}),
        });
        const cancel = new AbortController();
        if (turn.stepId === 'slow' && turn.attempt === 1) {
          cancelled = until(() => existsSync(tmp.path('again')), 10_000, 'the script').then(() => cancel.abort());
          return { action: 'run', cancel: cancel.signal };
        }
        if (turn.stepId === 'slow') {
          // The cancelled attempt's process group is gone before the responder is asked again.
          expect(alive(Number(readFileSync(tmp.path('slow.pid'), 'utf8')))).toBe(false);
          return { action: 'run', cancel: cancel.signal };
        }
        if (turn.stepId === 'sleep' && turn.attempt === 1) {
          cancelled = (async () => {
            // Cancelled once the server runs it.
            for (let i = 0; i < 200 && (await activeQueries()) === 0; i++) await new Promise((r) => setTimeout(r, 50));
            expect(await activeQueries()).toBe(1);
            cancel.abort();
          })();
          return { action: 'run', cancel: cancel.signal };
        }
        if (turn.stepId === 'sleep') {
          expect(await activeQueries()).toBe(0);
          return { action: 'skip', reason: 'the database is busy' };
        }
        if (turn.stepId === 'go') return { action: 'skip', reason: 'not tonight' };
        return { action: 'run' };
      };
      const started = Date.now();
      const outcome = await runSession({
        file,
        source,
        document,
        graph,
        runId: 'c1',
        mode: 'interactive',
        operator: 'alice',
        inputs: {},
        secrets: {},
        env: {},
        hostEnv: { PATH: process.env.PATH, HOME: tmp.dir },
        targets: resolveTargets(document.frontmatter.targets, {}, process.env, tmp.dir),
        responder: {
          beforeStep,
          confirm: async () => ({ answered: false, why: 'not asked in this test' }),
          input: async () => ({ answered: false, why: 'not asked in this test' }),
        },
        maskAlso: {},
        options: { allowWrites: false, yes: false, parallel: 1, force: false },
        storeLocation: tmp.path('s.db'),
        sinks: [],
        signal: run.signal,
        host: hostname(),
        pid: process.pid,
        engineVersion: 'test',
      });
      await cancelled;
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(outcome.kind).toBe('ran');
      if (outcome.kind !== 'ran') return;
      // Nothing stopped the run: the cancelled steps were run again or skipped, as the responder said.
      expect(outcome.summary.status).toBe('passed');
      expect(turns.map((t) => [t.id, t.attempt, t.status ?? null])).toEqual([
        ['slow', 1, null],
        ['slow', 2, 'cancelled'],
        ['sleep', 1, null],
        ['sleep', 2, 'cancelled'],
        ['after', 1, null],
        ['go', 1, null],
      ]);
      expect(turns[1]!.error).toMatch(/^cancelled by alice/);
      expect(existsSync(tmp.path('written'))).toBe(false);

      const { ends: of } = await uninterruptedRun(tmp.path('s.db'), 'c1');
      expect(of('slow')).toEqual([
        ['cancelled', expect.stringMatching(/^cancelled by alice/)],
        ['passed', undefined],
      ]);
      expect(of('sleep')).toEqual([
        ['cancelled', expect.stringMatching(/^cancelled by alice/)],
        ['skipped', 'skipped by alice: the database is busy'],
      ]);
      expect(of('go')).toEqual([['skipped', 'skipped by alice: not tonight']]);
      // Fail safe: what the skipped confirm guards does not run, and says why.
      expect(of('write')).toEqual([['skipped', 'its confirm `go` was skipped by alice: not tonight']]);
    },
    30_000,
  );
});
