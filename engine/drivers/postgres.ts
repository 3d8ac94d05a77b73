/**
 * PostgreSQL through a pg Pool (max 4, or --parallel N when more). Every query or script runs in its own transaction on one
 * pooled session, sent as one pipeline (postgres-pipeline.ts): `BEGIN [READ ONLY]`, `SET LOCAL
 * statement_timeout`, the statements, and for a read `COMMIT`, in one round trip. The server
 * itself cancels a statement past its time limit (the backend stops; nothing keeps running after
 * we give up), and nothing a statement SETs for the session (statement_timeout = 0,
 * default_transaction_read_only = off) can weaken the next query. A read-only transaction takes
 * its snapshot at once, so a later `SET transaction_read_only = off` is refused. An abort sends
 * pg_cancel_backend from a separate connection (the pool may be full). Rows stream from the
 * socket into a digest: the first max-rows are kept, the rest only counted and hashed, so huge
 * results stay bounded. Values stay JSON-friendly and exact: int8/numeric as text, timestamps as
 * ISO text.
 */
import type pg from 'pg';
import { pg as pgModule } from './pg-module.js';
import { runPipeline, type PipelineStatement } from './postgres-pipeline.js';
import { passwordOf, safeUrl, scrub } from './postgres-url.js';
import { rowDigest } from './row-digest.js';
import {
  refusingTransactionControl,
  SqlError,
  type QueryOptions,
  type SqlConnection,
  type SqlResult,
} from './sql-result.js';

/** If the server has not stopped the statement this long after its time limit, we cancel it ourselves. */
const BACKSTOP_MS = 1500;

type Statement = { sql: string; params: unknown[] };

export async function openPostgres(url: string, options: { poolSize?: number } = {}): Promise<SqlConnection> {
  const where = safeUrl(url);
  const password = passwordOf(url);
  const types = typeParsers();
  const pool = new pgModule.Pool({
    connectionString: url,
    max: Math.max(4, options.poolSize ?? 0),
    types,
    connectionTimeoutMillis: 10_000,
  });
  pool.on('error', () => {}); // an idle client's error must not crash the run; the next query reports it
  // Nor a checked-out client's between queries (the pool listens only while a client is idle).
  pool.on('connect', (client) => client.on('error', () => {}));
  const clean = (message: string): string => scrub(message, password);

  const onClient = async (statements: Statement[], options: QueryOptions): Promise<SqlResult> => {
    if (options.signal?.aborted) throw new SqlError('query was cancelled before it started', 'cancelled');
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      const e = error as Error & { code?: string };
      throw new SqlError(`cannot connect to PostgreSQL at ${where}: ${clean(e.message)}`, 'error', e.code);
    }
    let broken = false;
    try {
      return await run(client, url, types, statements, options, clean);
    } catch (error) {
      broken = !(error instanceof SqlError) || error.code === undefined; // unknown state: do not reuse the session
      throw error;
    } finally {
      client.release(broken);
    }
  };

  return refusingTransactionControl({
    dialect: 'postgres',
    query: (sql, params, options) => onClient([{ sql, params }], options),
    script: (statements, options) => onClient(statements, options),
    async close() {
      await pool.end();
    },
  });
}

async function run(
  client: pg.PoolClient,
  url: string,
  types: pg.CustomTypesConfig,
  statements: Statement[],
  options: QueryOptions,
  clean: (message: string) => string,
): Promise<SqlResult> {
  const started = performance.now();
  const timeoutMs = Math.max(1, Math.round(options.timeoutMs));
  const pid = (client as unknown as { processID: number }).processID;
  let cancelled = false;
  let timedOut = false;
  const cancel = (): void => void cancelBackend(url, pid);
  const onAbort = (): void => {
    cancelled = true;
    cancel();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const backstop = setTimeout(() => {
    timedOut = true;
    cancel();
  }, timeoutMs + BACKSTOP_MS);
  let open = false;
  try {
    // One round trip: open the transaction, set its time limit, (read-only: take the snapshot that
    // locks read-only mode in), run the statements, and for a read commit too. A write commits in
    // a round trip of its own, so a cancel that lands after the last statement still rolls back.
    const head: PipelineStatement[] = [
      { text: options.readonly ? 'BEGIN READ ONLY' : 'BEGIN' },
      { text: `SET LOCAL statement_timeout = ${timeoutMs}` },
      ...(options.readonly ? [{ text: 'SELECT' }] : []),
    ];
    const body = statements.map((s, i) => ({ text: s.sql, values: s.params, collect: i === statements.length - 1 }));
    const digest = rowDigest(options.maxRows);
    open = true;
    const outcomes = await runPipeline(
      client,
      [...head, ...body, ...(options.readonly ? [{ text: 'COMMIT' }] : [])],
      types,
      (row) => digest.add(row),
    );
    const last = outcomes[head.length + body.length - 1]!;
    if (!options.readonly) {
      if (cancelled) throw Object.assign(new Error('cancelled'), { code: '57014' }); // asked to stop before COMMIT: roll back
      await client.query('COMMIT');
    }
    open = false;
    const rows = digest.done();
    return {
      rows: rows.rows,
      rowCount: rows.count > 0 || last.command === 'SELECT' ? rows.count : (last.rowCount ?? 0),
      fields: last.fields,
      command: last.command,
      truncated: rows.truncated,
      sha256: rows.sha256,
      ...(rows.truncatedBy ? { truncatedBy: rows.truncatedBy } : {}),
      ...(rows.truncatedCells ? { truncatedCells: rows.truncatedCells } : {}),
      ms: Math.round(performance.now() - started),
    };
  } catch (error) {
    if (open) await client.query('ROLLBACK').catch(() => {});
    const e = error as Error & { code?: string };
    if (cancelled) throw new SqlError('query was cancelled on the server', 'cancelled', e.code);
    if (e.code === '57014') {
      const extra = timedOut ? ' (the server did not stop it in time; it was cancelled with pg_cancel_backend)' : '';
      throw new SqlError(
        `query timed out after ${seconds(timeoutMs)} and was cancelled on the server${extra}`,
        'timeout',
        e.code,
      );
    }
    if (e.code === '25006')
      throw new SqlError(
        `${e.message}: this statement writes; mark the step readonly=false and put a confirm before it`,
        'error',
        e.code,
      );
    throw new SqlError(clean(e.message), 'error', e.code);
  } finally {
    clearTimeout(backstop);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/** pg_cancel_backend from a connection of its own: the pool may have no free session. */
async function cancelBackend(url: string, pid: number): Promise<void> {
  const client = new pgModule.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT pg_cancel_backend($1)', [pid]);
  } catch {
    // nothing more we can do; the statement timeout still applies on the server
  } finally {
    await client.end().catch(() => {});
  }
}

/** Parsers for this pool only (pg's global parsers stay untouched). */
function typeParsers(): pg.CustomTypesConfig {
  const { types } = pgModule;
  const text = (v: string): string => v;
  const textArray = (types.getTypeParser as (oid: number, format: 'text') => (v: string) => string[])(1009, 'text'); // text[]: elements as strings
  const isoArray = (utc: boolean) => (v: string) => textArray(v).map((x) => (x === null ? x : iso(x, utc)));
  const parsers: Record<number, (v: string) => unknown> = {
    20: text, // int8
    1700: text, // numeric
    1016: textArray, // int8[]
    1231: textArray, // numeric[]
    1082: text, // date
    1182: textArray, // date[]
    1186: text, // interval
    1187: textArray, // interval[]
    1114: (v) => iso(v, true), // timestamp without time zone, read as UTC
    1184: (v) => iso(v, false), // timestamptz
    1115: isoArray(true),
    1185: isoArray(false),
  };
  const getTypeParser = (oid: number, format?: 'text' | 'binary') =>
    parsers[oid] ?? types.getTypeParser(oid, format ?? 'text');
  return { getTypeParser } as pg.CustomTypesConfig;
}

const TIMESTAMP =
  /^(\d{4,})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d+))?(?:([+-])(\d\d)(?::?(\d\d))?(?::?(\d\d))?)?$/;

/** PostgreSQL timestamp text → ISO 8601 in UTC, keeping microseconds; infinity and BC dates stay as PostgreSQL wrote them. */
export function iso(value: string, utc: boolean): string {
  const m = TIMESTAMP.exec(value);
  if (!m || (!utc && m[8] === undefined)) return value;
  const [, y, mo, d, h, mi, s, frac, sign, oh, om, os] = m;
  const date = new Date(0);
  date.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h), Number(mi), Number(s), 0);
  const offset = sign ? (sign === '-' ? -1 : 1) * (Number(oh) * 3600 + Number(om ?? 0) * 60 + Number(os ?? 0)) : 0;
  const time = date.getTime() - offset * 1000;
  if (!Number.isFinite(time)) return value;
  return new Date(time).toISOString().replace(/\.\d{3}Z$/, `.${(frac ?? '').padEnd(3, '0')}Z`);
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms} ms`;
}
