/**
 * Embedded PostgreSQL (PGlite: Postgres compiled to WebAssembly) for `pglite:` targets:
 * `pglite:` or `pglite:memory` in memory, `pglite:./dir` persisted in a folder. The module is
 * loaded only when such a target is opened. Same semantics as the PostgreSQL driver where PGlite
 * allows: one transaction per query or script (`BEGIN READ ONLY` for read-only steps), values
 * kept exact and JSON-friendly, the first max-rows kept, every row counted and hashed.
 *
 * What PGlite cannot do, and what we do instead:
 * - It runs single-threaded inside this process, and statement_timeout never fires in it (the
 *   WASM backend has no timer signal), so a running statement cannot be interrupted. A timeout or
 *   an abort is reported as soon as the event loop gets control, and the transaction is then
 *   ROLLED BACK instead of committed: nothing past its time limit or cancelled ever commits. But
 *   the statement itself runs to its end (blocking this process meanwhile), and the next query
 *   waits for it.
 * - It hands back the whole result at once, so a huge result is held in memory while it is
 *   hashed; only what we keep is bounded.
 * - Queries run one at a time (one session), in the order they were asked, also across
 *   connections: every opener of a data folder in this process shares one instance
 *   (pglite-instances.ts), since two backends on one folder would corrupt it.
 */
import { leasePglite, type PgliteLease } from './pglite-instances.js';
import { rowDigest } from './row-digest.js';
import {
  refusingTransactionControl,
  SqlError,
  type QueryOptions,
  type SqlConnection,
  type SqlResult,
} from './sql-result.js';

type Statement = { sql: string; params: unknown[] };

/** `pglite:`, `pglite:memory`, `pglite:./dir` (also `pglite://./dir`) → the data dir, or undefined for memory. */
export function pgliteDir(location: string): string | undefined {
  const dir = location.replace(/^pglite:(\/\/)?/i, '');
  return dir === '' || dir === 'memory' || dir === ':memory:' ? undefined : dir;
}

export async function openPglite(
  location: string,
  options: { relaxedDurability?: boolean } = {},
): Promise<SqlConnection> {
  const dir = pgliteDir(location);
  let lease: PgliteLease;
  try {
    lease = await leasePglite(dir, options);
  } catch (error) {
    throw new SqlError(
      `cannot open PGlite ${dir === undefined ? 'in memory' : `data directory ${dir}`}: ${(error as Error).message}`,
      'error',
    );
  }
  const { db } = lease;

  const run = (statements: Statement[], options: QueryOptions): Promise<SqlResult> => {
    if (options.signal?.aborted)
      return Promise.reject(new SqlError('query was cancelled before it started', 'cancelled'));
    /** Set when the time limit passes or the step is cancelled: the transaction must not commit. */
    let stop: SqlError | null = null;
    let fail: (error: SqlError) => void = () => {};
    const stopped = new Promise<never>((_, reject) => (fail = reject));
    stopped.catch(() => {});
    const halt = (error: SqlError): void => {
      stop ??= error;
      fail(stop);
    };
    const timedOut = (): SqlError =>
      new SqlError(
        `query timed out after ${seconds(options.timeoutMs)}; PGlite cannot interrupt a running statement, so it was rolled back when it ended`,
        'timeout',
      );
    const timer = setTimeout(() => halt(timedOut()), Math.max(1, options.timeoutMs));
    const onAbort = (): void =>
      halt(
        new SqlError(
          'query was cancelled; PGlite cannot interrupt a running statement, so it was rolled back when it ended',
          'cancelled',
        ),
      );
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const started = performance.now();
    const deadline = started + options.timeoutMs;
    const check = (): void => {
      // A statement that blocked the event loop past the deadline never let the timer fire: check the clock too.
      if (!stop && performance.now() > deadline) halt(timedOut());
      if (stop) throw stop;
    };

    const work = lease.exclusive(async (): Promise<SqlResult> => {
      let open = false;
      try {
        check();
        // The SELECT takes the snapshot, so the transaction cannot be switched to read-write later.
        await db.exec(options.readonly ? 'BEGIN READ ONLY; SELECT' : 'BEGIN');
        open = true;
        let last:
          | {
              rows: Record<string, unknown>[];
              fields: { name: string; dataTypeID: number }[];
              affectedRows?: number;
              command?: string;
            }
          | undefined;
        for (const { sql, params } of statements) {
          check();
          last = await db.query<Record<string, unknown>>(sql, params, { rowMode: 'object' });
        }
        if (!options.readonly) {
          // The statements blocked the event loop: an abort (Ctrl-C, a timer) that came meanwhile
          // is still queued. Let a whole turn of the loop run before deciding to commit.
          await new Promise((resolve) => setTimeout(resolve, 0));
          await new Promise((resolve) => setImmediate(resolve));
        }
        check();
        await db.exec('COMMIT');
        open = false;
        const digest = rowDigest(options.maxRows);
        for (const row of last?.rows ?? []) digest.add(row);
        const rows = digest.done();
        const command = last?.command ?? (/^\s*(\w+)/.exec(statements.at(-1)?.sql ?? '')?.[1] ?? '').toUpperCase();
        return {
          rows: rows.rows,
          rowCount: rows.count > 0 || command === 'SELECT' ? rows.count : (last?.affectedRows ?? 0),
          fields: (last?.fields ?? []).map((f) => ({ name: f.name, type: String(f.dataTypeID) })),
          command,
          truncated: rows.truncated,
          sha256: rows.sha256,
          ...(rows.truncatedBy ? { truncatedBy: rows.truncatedBy } : {}),
          ...(rows.truncatedCells ? { truncatedCells: rows.truncatedCells } : {}),
          ms: Math.round(performance.now() - started),
        };
      } catch (error) {
        if (open) await db.exec('ROLLBACK').catch(() => {});
        if (error instanceof SqlError) throw error;
        if (stop) throw stop;
        const e = error as Error & { code?: string };
        if (e.code === '25006')
          throw new SqlError(
            `${e.message}: this statement writes; mark the step readonly=false and put a confirm before it`,
            'error',
            e.code,
          );
        throw new SqlError(e.message, 'error', e.code);
      }
    });
    return Promise.race([work, stopped]).finally(() => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    });
  };

  return refusingTransactionControl({
    dialect: 'postgres',
    query: (sql, params, options) => run([{ sql, params }], options),
    script: (statements, options) => run(statements, options),
    close: () => lease.release(),
  });
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms} ms`;
}
