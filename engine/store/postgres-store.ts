/**
 * The team store: PostgreSQL (`--store postgres://...`), tables in the connection's search_path,
 * created on first use. An append is ONE statement in autocommit (insert the run row if this batch
 * starts the run, insert the events, set its status if the batch ends it, pg_notify, set synchronous_commit for
 * this commit): one round trip, atomic on its own. A foreign key from events to runs makes events
 * of a run that never started fail the whole statement. Events are kept as the exact JSON text
 * that was hashed (text, not jsonb, which reorders keys and rewrites numbers). `follow` LISTENs
 * and also polls every second (a missed notification, or PGlite, which delivers none across
 * connections). Locks are session advisory locks on a client of their own: the lock dies with
 * the connection, so with the process; the `locks` row only says who holds it. (Over 300 lines:
 * one store in one file, as sqlite-store.ts.)
 */
import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { pg as pgModule } from '../drivers/pg-module.js';
import { passwordOf, safeUrl, scrub } from '../drivers/postgres-url.js';
import type { ChainedEvent } from '../transcript/chain.js';
import {
  AmbiguousRunError,
  rowFromStart,
  statusAfter,
  StoreError,
  type LockHolder,
  type LockResult,
  type RunRow,
  type RunStart,
  type TranscriptStore,
} from './store.js';

/** 2: the run row no longer keeps updated_at, events and head (they are read from the newest event). */
const SCHEMA_VERSION = 2;
const POLL_MS = 1000;
const CHANNEL = 'stepwise_events';
/** pg_advisory_xact_lock key serialising schema creation: "STEPWISE" in ASCII. */
const SCHEMA_LOCK = '6004500414555837253';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS stepwise_meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
  run_id text COLLATE "C" PRIMARY KEY, runbook_path text NOT NULL, runbook_title text NOT NULL, operator text NOT NULL,
  host text NOT NULL, mode text NOT NULL, status text NOT NULL, started_at text COLLATE "C" NOT NULL);
CREATE INDEX IF NOT EXISTS runs_started ON runs (started_at);
CREATE TABLE IF NOT EXISTS events (
  run_id text COLLATE "C" NOT NULL REFERENCES runs (run_id), seq integer NOT NULL, type text NOT NULL, ts text NOT NULL,
  hash text NOT NULL, event text NOT NULL, PRIMARY KEY (run_id, seq));
CREATE TABLE IF NOT EXISTS locks (key text PRIMARY KEY, holder json NOT NULL, pid integer NOT NULL);
`;

/**
 * $1 the run rows this batch starts, $2 its events, both as JSON arrays of rows (pg serialises a
 * long text[] parameter slowly; json_populate_recordset decodes each string exactly), $3 the
 * batch's run, $4 its new status when the batch changes it, $5 the last seq (for followers),
 * $6 'on' for a durable commit, 'off' otherwise (set_config local to this statement's own
 * transaction: it never outlives the statement). The run row is touched only when the status
 * changes: the event count, head and last time are read from the newest event (RUN_ROW).
 */
const APPEND = `
WITH started AS (
  INSERT INTO runs SELECT * FROM json_populate_recordset(NULL::runs, $1::json)
), appended AS (
  INSERT INTO events SELECT * FROM json_populate_recordset(NULL::events, $2::json)
), advanced AS (
  UPDATE runs SET status = $4::text WHERE run_id = $3::text AND $4::text IS NOT NULL
)
SELECT pg_notify('${CHANNEL}', $3::text || ':' || $5::int4), set_config('synchronous_commit', $6::text, true)`;

/** A run row with its event count, head and last time taken from its newest event. */
const RUN_ROW = `SELECT r.run_id, r.runbook_path, r.runbook_title, r.operator, r.host, r.mode, r.status, r.started_at,
  e.ts AS updated_at, e.seq AS events, e.hash AS head
  FROM runs r CROSS JOIN LATERAL (SELECT ts, seq, hash FROM events WHERE run_id = r.run_id ORDER BY seq DESC LIMIT 1) e`;

/** Held by this session already: PGlite serves every connection from one session, where advisory locks are re-entrant. */
const HELD_HERE =
  "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND classid = $3::oid AND objid = $4::oid AND objsubid = 2 AND granted";
const HOLDER = `SELECT holder FROM locks l WHERE key = $1 AND EXISTS (
  SELECT 1 FROM pg_locks p WHERE p.locktype = 'advisory' AND p.pid = l.pid AND p.classid = $2::oid AND p.objid = $3::oid AND p.objsubid = 2 AND p.granted)`;

type StartRecord = {
  run_id: string;
  runbook_path: string;
  runbook_title: string;
  operator: string;
  host: string;
  mode: string;
  status: string;
  started_at: string;
};
type RunRecord = StartRecord & { updated_at: string; events: number; head: string };

/** The two int4 keys of the advisory lock for `key` (the first 8 bytes of sha256("stepwise:" + key)). */
export function advisoryLockKeys(key: string): [number, number] {
  const digest = createHash('sha256').update(`stepwise:${key}`).digest();
  return [digest.readInt32BE(0), digest.readInt32BE(4)];
}

export async function openPostgresStore(url: string, options: { readonly?: boolean } = {}): Promise<TranscriptStore> {
  const where = safeUrl(url);
  const password = passwordOf(url);
  const clean = (message: string): string => scrub(message, password);
  const failed = (doing: string, error: unknown): StoreError =>
    error instanceof StoreError
      ? error
      : new StoreError(`cannot ${doing} the transcript store ${where}: ${clean((error as Error).message)}`);
  const unreachable = (error: unknown): StoreError =>
    new StoreError(`cannot reach the transcript store at ${where}: ${clean((error as Error).message)}`);

  const pool = new pgModule.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 10_000 });
  pool.on('error', () => {}); // an idle client's error must not crash the run; the next query reports it
  // Nor a checked-out client's between queries (the pool listens only while a client is idle):
  // the connection dropping then surfaces as the next query's error.
  pool.on('connect', (client) => client.on('error', () => {}));
  // APPEND is prepared once per session. Unique names: PGlite serves every connection from one session.
  const names = new WeakMap<pg.ClientBase, string>();
  pool.on('connect', (client) => names.set(client, `stepwise_append_${randomBytes(6).toString('hex')}`));
  const statementName = (client: pg.ClientBase): string => names.get(client)!;
  const closing = new AbortController();
  const open = new Set<Promise<void>>(); // follows and lock releases close() must wait for
  const releases = new Set<() => Promise<void>>();

  const session = async <T>(doing: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    if (closing.signal.aborted) throw new StoreError(`the transcript store ${where} is closed`);
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw unreachable(error);
    }
    let broken = false;
    try {
      return await work(client);
    } catch (error) {
      broken = !(error instanceof StoreError) && !isSqlState(error); // a network error: do not reuse the session
      throw failed(doing, error);
    } finally {
      client.release(broken);
    }
  };
  const query = <R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> =>
    session('read', async (client) => (await client.query<R>(sql, params)).rows);
  const connectClient = async (): Promise<pg.Client> => {
    const client = new pgModule.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
    client.on('error', () => {}); // a dropped connection surfaces on the next query
    try {
      await client.connect();
      return client;
    } catch (error) {
      await client.end().catch(() => {});
      throw unreachable(error);
    }
  };

  try {
    await session('open', (client) => (options.readonly ? readable(client, where) : prepare(client, where)));
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }

  const readEvents = async (runId: string, afterSeq: number): Promise<ChainedEvent[]> =>
    (
      await query<{ event: string }>('SELECT event FROM events WHERE run_id = $1 AND seq > $2 ORDER BY seq', [
        runId,
        afterSeq,
      ])
    ).map((r) => JSON.parse(r.event) as ChainedEvent);

  const follow = async (
    runId: string,
    afterSeq: number,
    onEvents: (events: ChainedEvent[]) => void,
    signal: AbortSignal,
  ): Promise<void> => {
    if (signal.aborted) return;
    let seq = afterSeq;
    let pending = true; // read once at the start
    let wake = (): void => {};
    const nudge = (): void => {
      pending = true;
      wake();
    };
    const stopped = (): boolean => signal.aborted || closing.signal.aborted;
    signal.addEventListener('abort', nudge);
    closing.signal.addEventListener('abort', nudge);
    const listener = await listen(connectClient, (payload) => {
      const at = payload.lastIndexOf(':');
      if (payload.slice(0, at) === runId && Number(payload.slice(at + 1)) > seq) nudge();
    });
    try {
      while (!stopped()) {
        if (!pending) {
          // until a notification for this run, an abort, or the poll that covers a missed notification
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, POLL_MS);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          if (stopped()) break;
        }
        pending = false;
        const batch = await readEvents(runId, seq); // one read at a time: batches never overlap or reorder
        if (stopped() || batch.length === 0) continue;
        seq = batch[batch.length - 1]!.seq;
        onEvents(batch);
        if (batch.some((e) => e.type === 'run.finished')) return;
      }
    } finally {
      signal.removeEventListener('abort', nudge);
      closing.signal.removeEventListener('abort', nudge);
      await listener?.close();
    }
  };

  const lock = async (key: string, holder: LockHolder): Promise<LockResult> => {
    if (closing.signal.aborted) throw new StoreError(`the transcript store ${where} is closed`);
    const client = await connectClient();
    const [k1, k2] = advisoryLockKeys(key);
    try {
      const taken = await client.query<{ ok: boolean }>(
        `SELECT CASE WHEN EXISTS (${HELD_HERE}) THEN false ELSE pg_try_advisory_lock($1, $2) END AS ok`,
        [k1, k2, k1 >>> 0, k2 >>> 0],
      );
      if (!taken.rows[0]!.ok) {
        const row = await client.query<{ holder: LockHolder }>(HOLDER, [key, k1 >>> 0, k2 >>> 0]);
        await client.end().catch(() => {});
        return { ok: false, heldBy: row.rows[0]?.holder ?? null };
      }
      await client.query(
        'INSERT INTO locks (key, holder, pid) VALUES ($1, $2, pg_backend_pid()) ON CONFLICT (key) DO UPDATE SET holder = excluded.holder, pid = excluded.pid',
        [key, JSON.stringify(holder)],
      );
    } catch (error) {
      await client.end().catch(() => {});
      throw failed('take a lock in', error);
    }
    let released: Promise<void> | null = null;
    const release = (): Promise<void> => {
      released ??= (async () => {
        releases.delete(release);
        try {
          await client.query("DELETE FROM locks WHERE key = $1 AND holder->>'runId' = $2", [key, holder.runId]);
          await client.query('SELECT pg_advisory_unlock($1, $2)', [k1, k2]);
        } catch {
          // the connection is gone, and the advisory lock with it
        } finally {
          await client.end().catch(() => {});
        }
      })();
      return released;
    };
    releases.add(release);
    return { ok: true, release };
  };

  const tracked = <T>(work: Promise<T>): Promise<T> => {
    const done = work.then(
      () => {},
      () => {},
    );
    open.add(done);
    void done.then(() => open.delete(done));
    return work;
  };

  return {
    location: where,
    async append(events, durable) {
      if (events.length === 0) return;
      const last = events[events.length - 1]!;
      let status: RunRow['status'] | null = null;
      for (const event of events) status = statusAfter(event) ?? status;
      const starts = events.flatMap((event) => {
        const row = rowFromStart(event);
        if (!row) return [];
        // Rows this statement inserts are invisible to its UPDATE: the last run's row starts with its final status.
        return [toRecord(row.runId === last.runId ? { ...row, status: status ?? row.status } : row)];
      });
      const rows = events.map((e) => ({
        run_id: e.runId,
        seq: e.seq,
        type: e.type,
        ts: e.ts,
        hash: e.hash,
        event: JSON.stringify(e),
      }));
      const values = [
        JSON.stringify(starts),
        JSON.stringify(rows),
        last.runId,
        status,
        last.seq,
        durable ? 'on' : 'off',
      ];
      await session('write to', async (client) => {
        try {
          await client.query({ name: statementName(client), text: APPEND, values });
        } catch (error) {
          if ((error as { code?: string }).code === '23503')
            throw new StoreError(`run ${last.runId} has no run.started in this store`);
          throw error;
        }
      });
    },
    async runs(limit = 50) {
      return (await query<RunRecord>(`${RUN_ROW} ORDER BY r.started_at DESC, r.run_id DESC LIMIT $1`, [limit])).map(
        toRow,
      );
    },
    async run(runId) {
      const [r] = await query<RunRecord>(`${RUN_ROW} WHERE r.run_id = $1`, [runId]);
      return r ? toRow(r) : null;
    },
    events: (runId, afterSeq = 0) => readEvents(runId, afterSeq),
    async resolve(ref) {
      if (ref === 'last' || ref === 'latest')
        return (
          (await query<{ run_id: string }>('SELECT run_id FROM runs ORDER BY started_at DESC, run_id DESC LIMIT 1'))[0]
            ?.run_id ?? null
        );
      const exact = await query<{ run_id: string }>('SELECT run_id FROM runs WHERE run_id = $1', [ref]);
      if (exact[0]) return exact[0].run_id;
      const matches = (
        await query<{ run_id: string }>(
          'SELECT run_id FROM runs WHERE starts_with(run_id, $1) ORDER BY run_id LIMIT 6',
          [ref],
        )
      ).map((r) => r.run_id);
      if (matches.length > 1)
        throw new AmbiguousRunError(
          `\`${ref}\` matches several runs (${matches.slice(0, 5).join(', ')}${matches.length > 5 ? ', ...' : ''}); give more of the id`,
        );
      return matches[0] ?? null;
    },
    follow: (runId, afterSeq, onEvents, signal) => tracked(follow(runId, afterSeq, onEvents, signal)),
    async liveRuns(runIds) {
      if (runIds.length === 0) return new Set();
      // A lock row whose session still holds an advisory lock: the session dies with its process.
      const rows = await query<{ run_id: string }>(
        "SELECT holder->>'runId' AS run_id FROM locks l WHERE holder->>'runId' = ANY($1::text[]) AND EXISTS (SELECT 1 FROM pg_locks p WHERE p.locktype = 'advisory' AND p.pid = l.pid AND p.granted)",
        [runIds],
      );
      return new Set(rows.map((r) => r.run_id));
    },
    lock: (key, holder) => tracked(lock(key, holder)),
    async close() {
      if (closing.signal.aborted) return;
      closing.abort();
      await Promise.all([...releases].map((release) => release()));
      await Promise.all(open);
      await pool.end().catch(() => {});
    },
  };
}

/**
 * Creates the tables on first use and brings an older schema to this version, one process at a
 * time (a transaction-scoped advisory lock); refuses a store from a newer Stepwise. A store
 * already at this version costs two small queries.
 */
async function prepare(client: pg.PoolClient, where: string): Promise<void> {
  const readVersion = async (): Promise<string | undefined> => {
    const present = (
      await client.query<{ present: boolean }>("SELECT to_regclass('stepwise_meta') IS NOT NULL AS present")
    ).rows[0]!.present;
    return present
      ? (await client.query<{ value: string }>("SELECT value FROM stepwise_meta WHERE key = 'schema'")).rows[0]?.value
      : undefined;
  };
  const newer = (version: string | undefined): boolean => version !== undefined && Number(version) > SCHEMA_VERSION;
  const refuse = (version: string | undefined): StoreError =>
    new StoreError(`the store ${where} was written by a newer Stepwise (schema ${version}); upgrade to read it`);
  const seen = await readVersion();
  if (seen === String(SCHEMA_VERSION)) return;
  if (newer(seen)) throw refuse(seen);
  try {
    await client.query(`BEGIN; SELECT pg_advisory_xact_lock(${SCHEMA_LOCK}); ${SCHEMA}`);
    const version = await readVersion(); // another process may have got here first
    if (newer(version)) throw refuse(version);
    if (version === '1') {
      // 1 -> 2: these were advanced at every append; RUN_ROW now reads them from the newest event.
      await client.query('ALTER TABLE runs DROP COLUMN updated_at, DROP COLUMN events, DROP COLUMN head');
    }
    if (version !== String(SCHEMA_VERSION)) {
      await client.query(
        "INSERT INTO stepwise_meta VALUES ('schema', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [String(SCHEMA_VERSION)],
      );
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

/**
 * For the commands that only read: the store must have its tables already (none are created), and
 * not be from a newer Stepwise. A schema-1 store reads as it is (RUN_ROW does not use the columns
 * 2 dropped).
 */
async function readable(client: pg.PoolClient, where: string): Promise<void> {
  const { rows } = await client.query<{ present: boolean }>(
    "SELECT to_regclass('stepwise_meta') IS NOT NULL AND to_regclass('runs') IS NOT NULL AND to_regclass('events') IS NOT NULL AND to_regclass('locks') IS NOT NULL AS present",
  );
  if (!rows[0]!.present) throw new StoreError(`no runs recorded in ${where}: it holds no transcript tables yet`);
  const version = (await client.query<{ value: string }>("SELECT value FROM stepwise_meta WHERE key = 'schema'"))
    .rows[0]?.value;
  if (version !== undefined && Number(version) > SCHEMA_VERSION)
    throw new StoreError(`the store ${where} was written by a newer Stepwise (schema ${version}); upgrade to read it`);
}

/** A client LISTENing on the channel, or null when none can connect (follow then only polls). */
async function listen(
  connect: () => Promise<pg.Client>,
  onPayload: (payload: string) => void,
): Promise<{ close(): Promise<void> } | null> {
  let client: pg.Client;
  try {
    client = await connect();
    client.on('notification', (message) => onPayload(message.payload ?? ''));
    await client.query(`LISTEN ${CHANNEL}`);
  } catch {
    return null;
  }
  return {
    async close() {
      await client.query(`UNLISTEN ${CHANNEL}`).catch(() => {});
      await client.end().catch(() => {});
    },
  };
}

function toRecord(row: RunStart): StartRecord {
  return {
    run_id: row.runId,
    runbook_path: row.runbookPath,
    runbook_title: row.runbookTitle,
    operator: row.operator,
    host: row.host,
    mode: row.mode,
    status: row.status,
    started_at: row.startedAt,
  };
}

function toRow(r: RunRecord): RunRow {
  return {
    runId: r.run_id,
    runbookPath: r.runbook_path,
    runbookTitle: r.runbook_title,
    operator: r.operator,
    host: r.host,
    mode: r.mode,
    status: r.status as RunRow['status'],
    startedAt: r.started_at,
    updatedAt: r.updated_at,
    events: r.events,
    head: r.head,
  };
}

/** An error the server sent (a SQLSTATE), as opposed to a broken connection. */
function isSqlState(error: unknown): boolean {
  return /^[0-9A-Z]{5}$/.test(String((error as { code?: unknown }).code ?? ''));
}
