/**
 * Every opener of one PGlite data folder in a process shares one instance (two PGlite backends
 * on one folder would corrupt it): two targets naming the same `pglite:DIR`, or a drill's fixture
 * loader, its run and its final checks. Work is queued across openers, and the last to close
 * closes the instance.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../engine/drivers/pglite.js';
import { leasePglite } from '../../engine/drivers/pglite-instances.js';
import { pgliteTemplate } from '../../engine/drill/databases.js';
import type { QueryOptions } from '../../engine/drivers/sql-result.js';

const read: QueryOptions = { readonly: true, timeoutMs: 30_000, maxRows: 100 };
const write: QueryOptions = { readonly: false, timeoutMs: 30_000, maxRows: 100 };
const root = mkdtempSync(join(tmpdir(), 'stepwise-pglite-shared-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A new data folder, copied from the initialised one drills keep (initdb takes seconds). */
async function folder(name: string): Promise<string> {
  const dir = join(root, name);
  cpSync(await pgliteTemplate(), dir, { recursive: true });
  return dir;
}

describe('PGlite instances per data folder', () => {
  it('two connections to one folder share its instance; the last to close closes it, and the data persists', async () => {
    const dir = await folder('a');
    const first = await openPglite(`pglite:${dir}`);
    const second = await openPglite(`pglite://${dir}/`);
    await first.query('CREATE TABLE t (n int)', [], write);
    // Both at once: each is its own transaction, queued on the one backend, none interleaved.
    const writes = Array.from({ length: 20 }, (_, i) =>
      (i % 2 ? first : second).script(
        [
          { sql: 'INSERT INTO t VALUES ($1)', params: [i] },
          { sql: 'SELECT count(*)::int AS n FROM t', params: [] },
        ],
        write,
      ),
    );
    const counts = (await Promise.all(writes)).map((r) => r.rows[0]!.n);
    expect(counts).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    await first.close();
    // The other connection still works after the first one closed.
    expect((await second.query('SELECT count(*)::int AS n FROM t', [], read)).rows).toEqual([{ n: 20 }]);
    await second.close();
    // Closed for good: a new opener starts a new instance on the same files.
    const again = await openPglite(`pglite:${dir}`);
    expect((await again.query('SELECT count(*)::int AS n FROM t', [], read)).rows).toEqual([{ n: 20 }]);
    await again.close();
  }, 120_000);

  it('a lease held open keeps the instance for later openers (the drill loads the fixture, then the run reads it)', async () => {
    const dir = await folder('b');
    const lease = await leasePglite(dir, { relaxedDurability: true });
    await lease.exclusive(() => lease.db.exec('CREATE TABLE seeded (v text); INSERT INTO seeded VALUES ($$x$$)'));
    const run = await openPglite(`pglite:${dir}`);
    expect((await run.query('SELECT v FROM seeded', [], read)).rows).toEqual([{ v: 'x' }]);
    await run.close();
    // The run closing does not close the lease holder's instance.
    expect((await lease.exclusive(() => lease.db.query('SELECT count(*)::int AS n FROM seeded'))).rows).toEqual([
      { n: 1 },
    ]);
    await lease.release();
    await lease.release(); // idempotent
    expect(lease.db.closed).toBe(true);
  }, 120_000);
});
