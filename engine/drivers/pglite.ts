/**
 * Embedded PostgreSQL (PGlite: Postgres compiled to WebAssembly) for `pglite:` targets:
 * `pglite:` or `pglite:memory` in memory, `pglite:./dir` persisted in a folder. It runs in this
 * process and is single-threaded, so a statement cannot be interrupted while it runs: the
 * timeout is reported when it passes, but the statement finishes in the background.
 */
import { rowDigest } from './row-digest.js';
import { SqlError, type SqlConnection } from './sql-result.js';

export async function openPglite(location: string): Promise<SqlConnection> {
  const { PGlite } = await import('@electric-sql/pglite');
  const dir = location.replace(/^pglite:(\/\/)?/i, '');
  const db = dir === '' || dir === 'memory' ? new PGlite() : new PGlite(dir);
  await db.waitReady;
  let queue: Promise<unknown> = Promise.resolve();
  const connection: SqlConnection = {
    dialect: 'postgres',
    query(sql, params, options) {
      return connection.script([{ sql, params }], options);
    },
    script(statements, options) {
      const sql = statements[statements.length - 1]?.sql ?? '';
      const work = queue.then(async () => {
        const started = performance.now();
        try {
          await db.query(options.readonly ? 'BEGIN READ ONLY' : 'BEGIN');
          let result = await db.query<Record<string, unknown>>('SELECT 1 WHERE false');
          for (const statement of statements) result = await db.query<Record<string, unknown>>(statement.sql, statement.params, { rowMode: 'object' });
          await db.query('COMMIT');
          const digest = rowDigest(options.maxRows);
          for (const row of result.rows) digest.add(row);
          const rows = digest.done();
          const command = (/^\s*(\w+)/.exec(sql)?.[1] ?? '').toUpperCase();
          return {
            rows: rows.rows,
            rowCount: result.rows.length > 0 || command === 'SELECT' ? rows.count : (result.affectedRows ?? 0),
            fields: result.fields.map((f) => ({ name: f.name, type: String(f.dataTypeID) })),
            command,
            truncated: rows.truncated,
            sha256: rows.sha256,
            ms: Math.round(performance.now() - started),
          };
        } catch (error) {
          await db.query('ROLLBACK').catch(() => {});
          const e = error as Error & { code?: string };
          if (e.code === '25006') throw new SqlError(`${e.message}: this statement writes; mark the step readonly=false and put a confirm before it`, 'error', e.code);
          throw new SqlError(e.message, 'error', e.code);
        }
      });
      queue = work.catch(() => {});
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new SqlError(`query timed out after ${options.timeoutMs / 1000}s (PGlite cannot interrupt a running statement)`, 'timeout')), options.timeoutMs);
      });
      return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
    },
    async close() {
      await db.close();
    },
  };
  return connection;
}
