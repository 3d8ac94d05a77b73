/**
 * PostgreSQL through a pg Pool. Each statement runs in its own implicit transaction, in a
 * session set to read-only unless the step writes, with the step's statement_timeout, so a
 * timed-out query is cancelled by the server itself; a cancel (interrupt) sends
 * pg_cancel_backend. The settings are sent only when they change for that pooled session,
 * so a query usually costs one round trip. Rows stream through a cursor:
 * the first max-rows are kept, the rest counted and hashed, so huge results stay bounded.
 */
import pg from 'pg';
import Cursor from 'pg-cursor';
import { rowDigest } from './row-digest.js';
import { SqlError, type QueryOptions, type SqlConnection, type SqlResult } from './sql-result.js';

const BATCH = 1000;

/** int8 and numeric as exact strings, timestamps as ISO text, json parsed (pg's default). */
function typeParsers(): pg.CustomTypesConfig {
  const { types } = pg;
  const asText = (value: string): string => value;
  const parsers: Record<number, (value: string) => unknown> = {
    20: asText, // int8
    1700: asText, // numeric
    1114: (v) => new Date(`${v.replace(' ', 'T')}Z`).toISOString(), // timestamp without time zone, read as UTC
    1184: (v) => new Date(v).toISOString(), // timestamptz
    1082: asText, // date
  };
  return { getTypeParser: ((oid: number, format?: string) => parsers[oid] ?? types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'] };
}

export async function openPostgres(url: string): Promise<SqlConnection> {
  const pool = new pg.Pool({ connectionString: url, max: 4, types: typeParsers(), connectionTimeoutMillis: 10_000 });
  pool.on('error', () => {}); // an idle client's error must not crash the run; the next query reports it
  const where = safeUrl(url);
  /** One pooled session for the statements; a single statement needs no explicit transaction. */
  const onClient = async (statements: { sql: string; params: unknown[] }[], options: QueryOptions, transaction: boolean): Promise<SqlResult> => {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw new SqlError(`cannot connect to ${where}: ${(error as Error).message}`, 'error', (error as { code?: string }).code);
    }
    try {
      return await run(client, pool, statements, options, transaction);
    } finally {
      client.release();
    }
  };
  return {
    dialect: 'postgres',
    query: (sql, params, options) => onClient([{ sql, params }], options, false),
    script: (statements, options) => onClient(statements, options, true),
    async close() {
      await pool.end();
    },
  };
}

async function run(client: pg.PoolClient, pool: pg.Pool, statements: { sql: string; params: unknown[] }[], options: QueryOptions, transaction: boolean): Promise<SqlResult> {
  const started = performance.now();
  const pid = (client as unknown as { processID: number }).processID;
  let cancelled = false;
  const onAbort = (): void => {
    cancelled = true;
    void pool.query('SELECT pg_cancel_backend($1)', [pid]).catch(() => {});
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await configure(client, options.readonly, Math.max(1, Math.round(options.timeoutMs)));
    if (transaction) await client.query(options.readonly ? 'BEGIN READ ONLY' : 'BEGIN');
    let digest = rowDigest(options.maxRows);
    let meta: { _result?: { command?: string; rowCount?: number | null; fields?: { name: string; dataTypeID: number }[] } } = {};
    for (const { sql, params } of statements) {
      const cursor = client.query(new Cursor(sql, params as unknown[]));
      digest = rowDigest(options.maxRows);
      for (;;) {
        const batch = (await cursor.read(BATCH)) as Record<string, unknown>[];
        for (const row of batch) digest.add(row);
        if (batch.length < BATCH) break;
      }
      meta = cursor as unknown as typeof meta;
      await cursor.close();
    }
    if (transaction) await client.query('COMMIT');
    const rows = digest.done();
    const command = meta._result?.command ?? '';
    const affected = meta._result?.rowCount;
    return {
      rows: rows.rows,
      rowCount: rows.count > 0 || command === 'SELECT' ? rows.count : (affected ?? 0),
      fields: (meta._result?.fields ?? []).map((f) => ({ name: f.name, type: String(f.dataTypeID) })),
      command,
      truncated: rows.truncated,
      sha256: rows.sha256,
      ms: Math.round(performance.now() - started),
    };
  } catch (error) {
    if (transaction) await client.query('ROLLBACK').catch(() => {});
    const e = error as Error & { code?: string };
    if (e.code === '57014' && !cancelled) throw new SqlError(`query timed out after ${formatSeconds(options.timeoutMs)} and was cancelled on the server`, 'timeout', e.code);
    if (e.code === '57014' || cancelled) throw new SqlError('query was cancelled on the server', 'cancelled', e.code);
    if (e.code === '25006') throw new SqlError(`${e.message}: this statement writes; mark the step readonly=false and put a confirm before it`, 'error', e.code);
    throw new SqlError(e.message, 'error', e.code);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}

const sessions = new WeakMap<pg.PoolClient, { readonly: boolean; timeoutMs: number }>();

/** Puts the session in the mode the statement needs; one simple-protocol round trip, when anything changes. */
async function configure(client: pg.PoolClient, readonly: boolean, timeoutMs: number): Promise<void> {
  const current = sessions.get(client);
  if (current && current.readonly === readonly && current.timeoutMs === timeoutMs) return;
  sessions.delete(client);
  await client.query(`SET default_transaction_read_only = ${readonly ? 'on' : 'off'}; SET statement_timeout = ${timeoutMs}`);
  sessions.set(client, { readonly, timeoutMs });
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms} ms`;
}

export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || 'localhost'}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'the database';
  }
}
