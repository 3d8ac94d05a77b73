/**
 * What a run says about SQL it cannot run as written, in check's words: a statement Stepwise does
 * not recognise is refused as "taken to write" naming the word (not as a plain write), and several
 * statements without script=true are refused before they reach the database, with the fix,
 * instead of the driver's "more than one statement".
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../engine/drivers/pglite.js';
import { openSqlite } from '../../engine/drivers/sqlite.js';
import { SqlError, type SqlConnection } from '../../engine/drivers/sql-result.js';
import { stepwiseAsync } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'stepwise-sql-messages-'));
const open: SqlConnection[] = [];
afterAll(async () => {
  for (const connection of open) await connection.close();
});

describe('several statements in one query', () => {
  const SEVERAL =
    'this sql step holds 2 statements (the second, `SELECT 2`, begins at line 2, column 3 of its SQL), but a sql step runs one statement unless it is marked script=true: add script=true to run them in order in one transaction (all or nothing), or put each statement in a sql step of its own';

  it.each([
    ['sqlite', async () => openSqlite(join(dir, 'x.db'), { readonly: false })],
    ['pglite', async () => openPglite('pglite:memory')],
  ])(
    '%s: refused before the database sees it, saying what to do',
    async (_name, opener) => {
      const connection = await opener();
      open.push(connection);
      const error = await connection
        .query('SELECT 1;\n  SELECT 2;', [], { readonly: true, timeoutMs: 10_000, maxRows: 10 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SqlError);
      expect((error as SqlError).message).toBe(SEVERAL);
      // One statement, with a trailing semicolon and a comment, still runs.
      expect(
        (await connection.query('SELECT 1 AS n; -- done', [], { readonly: true, timeoutMs: 10_000, maxRows: 10 })).rows,
      ).toEqual([{ n: 1 }]);
    },
    60_000,
  );
});

describe('a statement Stepwise does not recognise', () => {
  it('a headless run refuses it naming the word, as check warns', async () => {
    const path = join(dir, 'typo.md');
    writeFileSync(
      path,
      `---\ntargets:\n  db: ${join(dir, 'typo.db')}\n---\n\n::sql{#typo target=db query="SELEC 1"}\n`,
    );
    const r = await stepwiseAsync(['run', '--headless', path], { env: { STEPWISE_STORE: join(dir, 'store.db') } });
    expect(r.stdout).toMatch(
      /✗ typo .*refusing to run: it is treated as a write \(`SELEC` is not a statement Stepwise recognises\) and no confirm guards it; add a ::confirm above it in its section, readonly=true if it does not write/,
    );
    expect(r.code).toBe(1);
    const check = await stepwiseAsync(['check', path]);
    expect(check.stdout).toMatch(
      /typo\.md:6:30: warning: `SELEC` is not a statement Stepwise recognises, so it is treated as a write, which needs a confirm before it, unless the step is marked readonly=true \[sql-unknown-statement\]/,
    );
  });
});
