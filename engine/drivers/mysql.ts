/**
 * MySQL and MariaDB through mysql2 (a pool of 4, or of --parallel N when more). Every query or script runs in its own
 * transaction on one pooled session (`START TRANSACTION READ ONLY` for a read), with values only
 * as bind parameters of server-side prepared statements (`?`). A statement past its time limit is
 * stopped on the server: MariaDB's `max_statement_time` for the session, and `KILL QUERY` from a
 * connection of its own when the limit (or a cancel) comes first, so nothing keeps running after
 * we give up. Rows stream into a digest: the first max-rows are kept, the rest only counted and
 * hashed. Values stay exact and JSON-friendly: BIGINT and DECIMAL as text, DATETIME and TIMESTAMP
 * as ISO 8601 text (read as UTC), DATE as text.
 */
import mysql from 'mysql2';
import { passwordOf, safeUrl, scrub } from './postgres-url.js';
import { rowDigest } from './row-digest.js';
import {
  refusingTransactionControl,
  SqlError,
  type QueryOptions,
  type SqlConnection,
  type SqlField,
  type SqlResult,
} from './sql-result.js';

/** If the server has not stopped the statement this long after its time limit, we kill it ourselves. */
const BACKSTOP_MS = 1000;

type Statement = { sql: string; params: unknown[] };
type Connection = mysql.PoolConnection;

export async function openMysql(url: string, options: { poolSize?: number } = {}): Promise<SqlConnection> {
  const where = safeUrl(url, 3306);
  const clean = (message: string): string => scrub(message, passwordOf(url));
  const config = connectionConfig(url);
  const pool = mysql.createPool({
    ...config,
    connectionLimit: Math.max(4, options.poolSize ?? 0),
    waitForConnections: true,
  });
  pool.on('connection', (c) => c.on('error', () => {})); // a dropped idle session must not crash the run
  let mariadb: boolean | undefined;

  const onSession = async (statements: Statement[], options: QueryOptions): Promise<SqlResult> => {
    if (options.signal?.aborted) throw new SqlError('query was cancelled before it started', 'cancelled');
    let session: Connection;
    try {
      session = await new Promise<Connection>((resolve, reject) =>
        pool.getConnection((e, c) => (e ? reject(e) : resolve(c))),
      );
    } catch (error) {
      const e = error as Error & { code?: string };
      throw new SqlError(`cannot connect to MySQL at ${where}: ${clean(e.message)}`, 'error', e.code);
    }
    let broken = false;
    try {
      mariadb ??= /mariadb/i.test(String((await command(session, 'SELECT VERSION() AS v', [])).rows[0]?.v ?? ''));
      return await run(session, config, mariadb, statements, options, clean);
    } catch (error) {
      broken = !(error instanceof SqlError) || error.reason !== 'error';
      throw error;
    } finally {
      if (broken) session.destroy();
      else session.release();
    }
  };

  return refusingTransactionControl({
    dialect: 'mysql',
    query: (sql, params, options) => onSession([{ sql, params }], options),
    script: (statements, options) => onSession(statements, options),
    async close() {
      await new Promise<void>((resolve) => pool.end(() => resolve()));
    },
  });
}

function connectionConfig(url: string): mysql.ConnectionOptions {
  const u = new URL(url);
  return {
    host: u.hostname || 'localhost',
    port: u.port ? Number(u.port) : 3306,
    user: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.replace(/^\//, '')) || undefined,
    connectTimeout: 10_000,
    multipleStatements: false,
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
    dateStrings: true,
    typeCast: (field, next) => {
      if (field.type === 'DATETIME' || field.type === 'TIMESTAMP') {
        const text = field.string();
        return text === null ? null : isoUtc(text);
      }
      return next();
    },
  };
}

async function run(
  session: Connection,
  config: mysql.ConnectionOptions,
  mariadb: boolean,
  statements: Statement[],
  options: QueryOptions,
  clean: (m: string) => string,
): Promise<SqlResult> {
  const started = performance.now();
  const timeoutMs = Math.max(1, Math.round(options.timeoutMs));
  let cancelled = false;
  let timedOut = false;
  const kill = (): void => void killQuery(config, session.threadId);
  const onAbort = (): void => {
    cancelled = true;
    kill();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(
    () => {
      timedOut = true;
      kill();
    },
    timeoutMs + (mariadb ? BACKSTOP_MS : 0),
  );
  let open = false;
  try {
    // MariaDB stops the statement itself at the limit; MySQL's max_execution_time covers only
    // SELECT, so there the timer's KILL QUERY is the limit.
    if (mariadb) await command(session, `SET SESSION max_statement_time = ${(timeoutMs / 1000).toFixed(3)}`, []);
    await command(session, options.readonly ? 'START TRANSACTION READ ONLY' : 'START TRANSACTION', []);
    open = true;
    let last: Collected | undefined;
    for (const [i, statement] of statements.entries())
      last = await prepared(session, statement, i === statements.length - 1 ? options.maxRows : 0);
    if (cancelled || timedOut) throw Object.assign(new Error('interrupted'), { errno: 1317 });
    await command(session, 'COMMIT', []);
    open = false;
    const result = last!;
    return {
      ...result.result,
      command: commandOf(statements[statements.length - 1]!.sql),
      ms: Math.round(performance.now() - started),
    };
  } catch (error) {
    if (open) await command(session, 'ROLLBACK', []).catch(() => {});
    const e = error as Error & { code?: string; errno?: number };
    if (cancelled) throw new SqlError('query was cancelled on the server (KILL QUERY)', 'cancelled', e.code);
    if (timedOut || e.errno === 1969 || e.errno === 3024)
      throw new SqlError(
        `query timed out after ${seconds(timeoutMs)} and was stopped on the server`,
        'timeout',
        e.code,
      );
    if (e.errno === 1792)
      throw new SqlError(
        `${clean(e.message)}: this statement writes; mark the step readonly=false and put a confirm before it`,
        'error',
        e.code,
      );
    throw new SqlError(clean(e.message), 'error', e.code);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    if (mariadb) await command(session, 'SET SESSION max_statement_time = 0', []).catch(() => {});
  }
}

interface Collected {
  result: Omit<SqlResult, 'command' | 'ms'>;
}

/** One statement as a server-side prepared statement; rows stream into the digest. */
function prepared(session: Connection, statement: Statement, maxRows: number): Promise<Collected> {
  return new Promise((resolve, reject) => {
    const digest = rowDigest(Math.max(0, maxRows));
    let fields: SqlField[] = [];
    let affected: number | undefined;
    const query = session.execute(statement.sql, statement.params.map(toParam) as never[]);
    query.on('fields', (list: mysql.FieldPacket[] | undefined) => {
      // A statement that returns no rows (UPDATE) sends no field list.
      fields = (list ?? []).map((f) => ({ name: f.name, type: String(f.columnType ?? f.type ?? '') }));
    });
    query.on('result', (row: unknown) => {
      if (isHeader(row)) affected = row.affectedRows;
      else digest.add(row as Record<string, unknown>);
    });
    query.on('error', reject);
    query.on('end', () => {
      const rows = digest.done();
      resolve({
        result: {
          rows: rows.rows,
          rowCount: affected ?? rows.count,
          fields,
          truncated: rows.truncated,
          sha256: rows.sha256,
          ...(rows.truncatedBy ? { truncatedBy: rows.truncatedBy } : {}),
          ...(rows.truncatedCells ? { truncatedCells: rows.truncatedCells } : {}),
        },
      });
    });
  });
}

function command(session: Connection, sql: string, params: unknown[]): Promise<{ rows: Record<string, unknown>[] }> {
  return new Promise((resolve, reject) => {
    session.query(sql, params, (error, rows) =>
      error ? reject(error) : resolve({ rows: Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [] }),
    );
  });
}

/** KILL QUERY from a connection of its own: the session itself is busy running the statement. */
async function killQuery(config: mysql.ConnectionOptions, threadId: number): Promise<void> {
  const connection = mysql.createConnection({ ...config, connectTimeout: 5000 });
  connection.on('error', () => {});
  await new Promise<void>((resolve) => connection.query(`KILL QUERY ${Number(threadId)}`, () => resolve()));
  connection.destroy();
}

function isHeader(row: unknown): row is { affectedRows: number } {
  return row !== null && typeof row === 'object' && 'affectedRows' in row && 'fieldCount' in row;
}

/** A bind value as mysql2 takes it: undefined is NULL, objects are JSON text, booleans are 1/0. */
function toParam(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) return JSON.stringify(value);
  return value;
}

/** The statement's first keyword (MySQL sends no command tag): SELECT, UPDATE, ... */
function commandOf(sql: string): string {
  return /^[\s(]*([A-Za-z]+)/.exec(sql.replace(/^\s*(--[^\n]*\n|\/\*[\s\S]*?\*\/)*/g, ''))?.[1]?.toUpperCase() ?? '';
}

/** `2026-11-29 02:30:28.082202` → `2026-11-29T02:30:28.082202Z`; zero dates stay as written. */
function isoUtc(text: string): string {
  const m = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(\.\d+)?$/.exec(text);
  if (!m || m[1] === '0000') return text;
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] ?? ''}Z`;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
}
