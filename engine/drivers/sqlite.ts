/**
 * SQLite through better-sqlite3 in a child process (engine/drivers/sqlite-worker.cjs): a query
 * past its timeout, or cancelled, is stopped by killing the worker; the next query starts a new
 * one. Read-only steps run with `PRAGMA query_only`, so SQLite itself refuses writes.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SqlError, type SqlConnection, type SqlResult } from './sql-result.js';

interface Pending {
  child: ChildProcess;
  resolve(result: SqlResult): void;
  reject(error: Error): void;
}

export async function openSqlite(path: string, options: { readonly: boolean }): Promise<SqlConnection> {
  const workerPath = fileURLToPath(new URL('./sqlite-worker.cjs', import.meta.url));
  let worker: ChildProcess | null = null;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  let openError: string | null = null;

  const start = (): ChildProcess => {
    const child = fork(workerPath, [path, options.readonly ? '1' : '0'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'advanced' });
    child.on('message', (message: { id: number; result?: SqlResult; error?: string; code?: string }) => {
      if (message.id === 0) openError = message.error ?? 'cannot open the database';
      const waiting = pending.get(message.id);
      if (!waiting) return;
      pending.delete(message.id);
      if (message.error !== undefined) waiting.reject(new SqlError(readonlyHint(message.error), 'error', message.code));
      else waiting.resolve(message.result!);
    });
    child.on('exit', (code, signal) => {
      if (worker === child) worker = null;
      for (const [id, waiting] of pending) {
        if (waiting.child !== child) continue; // a query already sent to the next worker
        pending.delete(id);
        waiting.reject(new SqlError(openError ?? `the SQLite worker stopped (${signal ?? `exit ${code}`})`, 'error'));
      }
    });
    return child;
  };

  const connection: SqlConnection = {
    dialect: 'sqlite',
    query(sql, params, queryOptions) {
      return connection.script([{ sql, params }], queryOptions);
    },
    script(statements, queryOptions) {
      worker ??= start();
      const child = worker;
      const id = nextId++;
      return new Promise<SqlResult>((resolve, reject) => {
        const stop = (error: SqlError): void => {
          if (!pending.has(id)) return;
          pending.delete(id);
          if (worker === child) worker = null;
          child.kill('SIGKILL');
          reject(error);
        };
        const timer = setTimeout(() => stop(new SqlError(`query timed out after ${queryOptions.timeoutMs / 1000}s; the SQLite worker was stopped`, 'timeout')), queryOptions.timeoutMs);
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
        child.send({ id, statements, readonly: queryOptions.readonly, maxRows: queryOptions.maxRows });
      });
    },
    async close() {
      worker?.kill();
      worker = null;
    },
  };
  return connection;
}

function readonlyHint(message: string): string {
  return /attempt to write a readonly database|query_only/i.test(message) ? `${message}: this statement writes; mark the step readonly=false and put a confirm before it` : message;
}
