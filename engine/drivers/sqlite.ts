/**
 * SQLite through better-sqlite3, run in a child process (engine/drivers/sqlite-worker.cjs).
 * Why a child process: better-sqlite3 is synchronous and SQLite cannot be interrupted from
 * JavaScript, so in-process a runaway query would freeze the whole run. Here a query past its
 * timeout, or cancelled, is stopped by SIGKILLing the worker (the file stays consistent: the
 * transaction never committed), and the next query starts a fresh worker. Read-only steps run
 * with `PRAGMA query_only`, so SQLite itself refuses writes. Integers stay exact (a string past
 * 2^53), every row is counted and hashed in the worker, and only the first max-rows cross IPC.
 * The worker is plain CommonJS found next to this module, so the build must copy it to dist/.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { refusingTransactionControl, SqlError, type SqlConnection, type SqlResult } from './sql-result.js';

interface Pending {
  child: ChildProcess;
  resolve(result: SqlResult): void;
  reject(error: Error): void;
}

interface Reply {
  id: number;
  result?: SqlResult;
  error?: string;
  code?: string;
}

export async function openSqlite(path: string, options: { readonly: boolean }): Promise<SqlConnection> {
  const workerPath = fileURLToPath(new URL('./sqlite-worker.cjs', import.meta.url));
  let worker: ChildProcess | null = null;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const stopping = new WeakSet<ChildProcess>();

  const start = (): ChildProcess => {
    // process.execPath with no inherited flags: the worker is plain JS and needs no loader.
    const child = fork(workerPath, [path, options.readonly ? '1' : '0'], {
      execArgv: [],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    let openError: string | null = null;
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-2000)));
    child.on('message', (message: Reply) => {
      if (message.id === 0) openError = message.error ?? 'cannot open the SQLite database';
      const waiting = pending.get(message.id);
      if (!waiting) return;
      pending.delete(message.id);
      if (message.error !== undefined) waiting.reject(new SqlError(readonlyHint(message.error), 'error', message.code));
      else waiting.resolve(message.result!);
    });
    child.on('error', () => {}); // spawn/IPC errors surface through 'exit' below
    child.on('exit', (code, signal) => {
      if (worker === child) worker = null;
      const why =
        openError ??
        `the SQLite worker stopped unexpectedly (${signal ?? `exit code ${code}`})${stderr.trim() ? `: ${stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}`;
      for (const [id, waiting] of pending) {
        if (waiting.child !== child) continue; // a query already sent to the next worker
        pending.delete(id);
        waiting.reject(new SqlError(stopping.has(child) ? 'the SQLite connection was closed' : why, 'error'));
      }
    });
    return child;
  };

  const run = (
    statements: { sql: string; params: unknown[] }[],
    queryOptions: { readonly: boolean; timeoutMs: number; maxRows: number; signal?: AbortSignal },
  ): Promise<SqlResult> => {
    if (queryOptions.signal?.aborted)
      return Promise.reject(new SqlError('query was cancelled before it started', 'cancelled'));
    worker ??= start();
    const child = worker;
    const id = nextId++;
    return new Promise<SqlResult>((resolve, reject) => {
      const stop = (error: SqlError): void => {
        if (!pending.has(id)) return;
        pending.delete(id);
        if (worker === child) worker = null;
        stopping.add(child);
        child.kill('SIGKILL');
        done();
        reject(error);
      };
      const timer = setTimeout(
        () =>
          stop(
            new SqlError(
              `query timed out after ${seconds(queryOptions.timeoutMs)}; the SQLite worker was stopped`,
              'timeout',
            ),
          ),
        Math.max(1, queryOptions.timeoutMs),
      );
      const onAbort = (): void => stop(new SqlError('query was cancelled; the SQLite worker was stopped', 'cancelled'));
      queryOptions.signal?.addEventListener('abort', onAbort, { once: true });
      const done = (): void => {
        clearTimeout(timer);
        queryOptions.signal?.removeEventListener('abort', onAbort);
      };
      pending.set(id, {
        child,
        resolve: (r) => (done(), resolve(r)),
        reject: (e) => (done(), reject(e)),
      });
      const message = { id, statements, readonly: queryOptions.readonly, maxRows: queryOptions.maxRows };
      try {
        child.send(message, (error) => {
          if (error) pending.get(id)?.reject(new SqlError(`cannot reach the SQLite worker: ${error.message}`, 'error'));
          if (error) pending.delete(id);
        });
      } catch (error) {
        pending.delete(id);
        done();
        reject(new SqlError(`cannot send the query to the SQLite worker: ${(error as Error).message}`, 'error'));
      }
    });
  };

  return refusingTransactionControl({
    dialect: 'sqlite',
    query: (sql, params, queryOptions) => run([{ sql, params }], queryOptions),
    script: (statements, queryOptions) => run(statements, queryOptions),
    async close() {
      const child = worker;
      worker = null;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      stopping.add(child);
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      if (child.connected)
        child.disconnect(); // the worker closes the database and exits
      else child.kill('SIGKILL');
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(timer);
    },
  });
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms} ms`;
}

function readonlyHint(message: string): string {
  return /attempt to write a readonly database|query_only/i.test(message)
    ? `${message}: this statement writes; mark the step readonly=false and put a confirm before it`
    : message;
}
