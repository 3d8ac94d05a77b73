/**
 * A `stepwise` killed with kill -9 in the middle of a long SQLite query leaves no worker behind:
 * the worker's main thread notices its parent's channel close while the statement runs in its
 * own thread, and ends the process (engine/drivers/sqlite-worker.cjs). Before, such a worker kept
 * running its query, orphaned, at full CPU until the query ended (hours for this one).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnStepwise } from '../helpers/cli.js';
import { scratch } from '../helpers/scratch.js';
import { until } from '../helpers/until.js';

const { dir, write } = scratch('sqlite-orphan');

/** The pids of SQLite workers serving `db` (a path no other test uses). */
function workersOf(db: string): number[] {
  try {
    return execFileSync('pgrep', ['-f', `sqlite-worker\\.cjs ${db.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `], {
      encoding: 'utf8',
    })
      .trim()
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

describe('the SQLite worker', () => {
  it.runIf(process.platform === 'linux')('ends when the stepwise that started it is killed mid-query', async () => {
    const db = join(dir, 'long.db');
    const runbook = write(
      'long.md',
      `---\ntargets:\n  db: { kind: sqlite, path: "${db}" }\n---\n\n::sql{#slow target=db timeout=5m query="WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 2000000000) SELECT count(*) AS n FROM c"}\n`,
    );
    const live = spawnStepwise(['run', '--headless', '--store', join(dir, 'store.db'), runbook]);
    await until('the query to be running in a worker', () => workersOf(db).length > 0, 30_000);
    const worker = workersOf(db)[0]!;
    live.child.kill('SIGKILL');
    await live.done;
    await until('the orphaned worker to end', () => !workersOf(db).includes(worker), 10_000);
    expect(workersOf(db)).toEqual([]);
  });
});
