/**
 * The default transcript store: an embedded SQLite database in WAL mode, created on first use (in
 * a folder that exists). Appends are one transaction each. With synchronous=NORMAL a commit
 * survives the process being killed (it is in the WAL); a durable append switches to
 * synchronous=FULL for its commit, so the WAL is fsync'd before a side effect starts. Other
 * processes read it while a run writes (`show --follow` polls). Opened `readonly` (the commands
 * that only read), an existing file is read as it is: nothing is created, migrated or written, and
 * its folder is left as it was.
 */
import { hostname } from 'node:os';
import Database from 'better-sqlite3';
import type { ChainedEvent } from '../transcript/chain.js';
import {
  AmbiguousRunError,
  rowFromStart,
  statusAfter,
  StoreError,
  type LockHolder,
  type LockResult,
  type RunRow,
  type TranscriptStore,
} from './store.js';

/** 2: the run row no longer keeps updated_at, events and head (they are read from the newest event). */
const SCHEMA_VERSION = 2;
const POLL_MS = 200;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS stepwise_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
  run_id TEXT PRIMARY KEY, runbook_path TEXT NOT NULL, runbook_title TEXT NOT NULL, operator TEXT NOT NULL,
  host TEXT NOT NULL, mode TEXT NOT NULL, status TEXT NOT NULL, started_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS runs_started ON runs (started_at);
CREATE TABLE IF NOT EXISTS events (
  run_id TEXT NOT NULL, seq INTEGER NOT NULL, type TEXT NOT NULL, ts TEXT NOT NULL, hash TEXT NOT NULL, event TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS locks (key TEXT PRIMARY KEY, holder TEXT NOT NULL);
`;

/** A run row with its event count, head and last time taken from its newest event. */
const RUN_ROW = `SELECT r.run_id, r.runbook_path, r.runbook_title, r.operator, r.host, r.mode, r.status, r.started_at,
  e.ts AS updated_at, e.seq AS events, e.hash AS head
  FROM runs r JOIN events e ON e.run_id = r.run_id AND e.seq = (SELECT max(seq) FROM events WHERE run_id = r.run_id)`;

type RunRecord = {
  run_id: string;
  runbook_path: string;
  runbook_title: string;
  operator: string;
  host: string;
  mode: string;
  status: string;
  started_at: string;
  updated_at: string;
  events: number;
  head: string;
};

export function openSqliteStore(path: string, options: { readonly?: boolean } = {}): TranscriptStore {
  const readonly = options.readonly === true;
  let db: Database.Database;
  try {
    if (readonly) {
      // Not SQLite's read-only mode: that leaves a -wal and a -shm behind in the store's folder. A
      // connection that may not write (query_only) and, being the last to close, removes them.
      db = new Database(path, { fileMustExist: true, timeout: 10_000 });
      db.pragma('query_only = ON');
      readable(db, path);
    } else {
      db = new Database(path, { timeout: 10_000 });
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      // Checkpoint the WAL into the database every ~40 MB instead of every 4 MB: a checkpoint fsyncs,
      // and a long drill commits at every step's end. close() checkpoints what is left.
      db.pragma('wal_autocheckpoint = 10000');
      db.exec(SCHEMA);
      db.transaction(() => migrate(db, path)).immediate();
    }
  } catch (error) {
    if (error instanceof StoreError) throw error;
    throw new StoreError(`cannot open the transcript store ${path}: ${(error as Error).message}`);
  }

  const insertEvent = db.prepare('INSERT INTO events (run_id, seq, type, ts, hash, event) VALUES (?, ?, ?, ?, ?, ?)');
  const insertRun = db.prepare(
    'INSERT INTO runs (run_id, runbook_path, runbook_title, operator, host, mode, status, started_at) VALUES (@runId, @runbookPath, @runbookTitle, @operator, @host, @mode, @status, @startedAt)',
  );
  const setStatus = db.prepare('UPDATE runs SET status = ? WHERE run_id = ?');
  const known = db.prepare('SELECT 1 FROM runs WHERE run_id = ?').pluck();
  const selectEvents = db.prepare('SELECT event FROM events WHERE run_id = ? AND seq > ? ORDER BY seq').pluck();
  const selectRun = db.prepare(`${RUN_ROW} WHERE r.run_id = ?`);
  // Prepared once: a durable append switches to FULL for its commit without parsing a pragma each time.
  const syncFull = readonly ? null : db.prepare('PRAGMA synchronous = FULL');
  const syncNormal = readonly ? null : db.prepare('PRAGMA synchronous = NORMAL');

  /**
   * Only events are written per append; the run row changes only when the run starts or its
   * status does (its event count, head and last time are read from the events), so a commit
   * touches one or two pages: the drill's 2,000 step-end commits stay cheap.
   */
  const started = new Set<string>();
  const appendAll = db.transaction((events: readonly ChainedEvent[]) => {
    const first = events[0]!;
    if (first.type !== 'run.started' && !started.has(first.runId)) {
      if (!known.get(first.runId)) throw new StoreError(`run ${first.runId} has no run.started in this store`);
      started.add(first.runId);
    }
    for (const event of events) {
      const row = rowFromStart(event);
      if (row) insertRun.run(row);
      insertEvent.run(event.runId, event.seq, event.type, event.ts, event.hash, JSON.stringify(event));
      const status = statusAfter(event);
      if (status) setStatus.run(status, event.runId);
    }
  });

  const resolve = (ref: string): string | null => {
    if (ref === 'last' || ref === 'latest')
      return (
        (db.prepare('SELECT run_id FROM runs ORDER BY started_at DESC, run_id DESC LIMIT 1').pluck().get() as
          | string
          | undefined) ?? null
      );
    const exact = db.prepare('SELECT run_id FROM runs WHERE run_id = ?').pluck().get(ref) as string | undefined;
    if (exact) return exact;
    const matches = db
      .prepare('SELECT run_id FROM runs WHERE substr(run_id, 1, length(?)) = ? ORDER BY run_id LIMIT 6')
      .pluck()
      .all(ref, ref) as string[];
    if (matches.length > 1)
      throw new AmbiguousRunError(
        `\`${ref}\` matches several runs (${matches.slice(0, 5).join(', ')}${matches.length > 5 ? ', ...' : ''}); give more of the id`,
      );
    return matches[0] ?? null;
  };

  return {
    location: path,
    async append(events, durable) {
      if (events.length === 0) return;
      try {
        if (durable) syncFull!.run();
        appendAll(events);
      } catch (error) {
        throw error instanceof StoreError
          ? error
          : new StoreError(`cannot write to the transcript store ${path}: ${(error as Error).message}`);
      } finally {
        if (durable) syncNormal!.run();
      }
    },
    async runs(limit = 50) {
      return (db.prepare(`${RUN_ROW} ORDER BY r.started_at DESC, r.run_id DESC LIMIT ?`).all(limit) as RunRecord[]).map(
        toRow,
      );
    },
    async run(runId) {
      const r = selectRun.get(runId) as RunRecord | undefined;
      return r ? toRow(r) : null;
    },
    async events(runId, afterSeq = 0) {
      return (selectEvents.all(runId, afterSeq) as string[]).map((text) => JSON.parse(text) as ChainedEvent);
    },
    async resolve(ref) {
      return resolve(ref);
    },
    async follow(runId, afterSeq, onEvents, signal) {
      let seq = afterSeq;
      while (!signal.aborted) {
        const batch = (selectEvents.all(runId, seq) as string[]).map((text) => JSON.parse(text) as ChainedEvent);
        if (batch.length > 0) {
          seq = batch[batch.length - 1]!.seq;
          onEvents(batch);
          if (batch.some((e) => e.type === 'run.finished')) return;
        }
        await sleep(POLL_MS, signal);
      }
    },
    async lock(key, holder) {
      const take = db.transaction((): LockHolder | null => {
        const current = db.prepare('SELECT holder FROM locks WHERE key = ?').pluck().get(key) as string | undefined;
        if (current) {
          const held = JSON.parse(current) as LockHolder;
          if (alive(held)) return held;
        }
        db.prepare('INSERT OR REPLACE INTO locks VALUES (?, ?)').run(key, JSON.stringify(holder));
        return null;
      });
      const heldBy = take.immediate();
      if (heldBy) return { ok: false, heldBy } satisfies LockResult;
      let released = false;
      const release = async (): Promise<void> => {
        if (released) return;
        released = true;
        process.off('exit', onExit);
        db.prepare("DELETE FROM locks WHERE key = ? AND json_extract(holder, '$.runId') = ?").run(key, holder.runId);
      };
      const onExit = (): void => void release();
      process.once('exit', onExit);
      return { ok: true, release };
    },
    async liveRuns(runIds) {
      const wanted = new Set(runIds);
      const holders = (db.prepare('SELECT holder FROM locks').pluck().all() as string[]).map(
        (text) => JSON.parse(text) as LockHolder,
      );
      return new Set(holders.filter((h) => wanted.has(h.runId) && alive(h)).map((h) => h.runId));
    },
    async close() {
      if (!db.open) return;
      if (readonly) {
        db.close(); // nothing of its own to checkpoint; as the last connection SQLite removes the WAL it opened
        return;
      }
      try {
        db.pragma('wal_checkpoint(PASSIVE)');
      } catch {
        // another process is reading or writing: its own close will checkpoint
      }
      db.close();
    },
  };
}

/**
 * Whether a store opened read-only can be read as it is: a file without the tables holds no runs
 * (an empty file, or a database a run has only just created), and one from a newer Stepwise is
 * refused. A schema-1 store reads as it is (RUN_ROW does not use the columns 2 dropped).
 */
function readable(db: Database.Database, path: string): void {
  const tables = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
  if (!['runs', 'events', 'locks', 'stepwise_meta'].every((t) => tables.has(t)))
    throw new StoreError(`no runs recorded in ${path}: it holds no transcript tables yet`);
  const version = db.prepare("SELECT value FROM stepwise_meta WHERE key = 'schema'").pluck().get() as
    | string
    | undefined;
  if (version !== undefined && Number(version) > SCHEMA_VERSION)
    throw new StoreError(`the store ${path} was written by a newer Stepwise (schema ${version}); upgrade to read it`);
}

/**
 * Brings the schema to this version, in the caller's IMMEDIATE transaction (so two processes
 * opening an old store migrate it once). Refuses a store from a newer Stepwise.
 */
function migrate(db: Database.Database, path: string): void {
  const version = db.prepare("SELECT value FROM stepwise_meta WHERE key = 'schema'").pluck().get() as
    | string
    | undefined;
  if (version !== undefined && Number(version) > SCHEMA_VERSION)
    throw new StoreError(`the store ${path} was written by a newer Stepwise (schema ${version}); upgrade to read it`);
  if (version === '1') {
    // 1 -> 2: these were written when a run started and never again; RUN_ROW reads them from its newest event.
    for (const column of ['updated_at', 'events', 'head']) db.exec(`ALTER TABLE runs DROP COLUMN ${column}`);
  }
  if (version !== String(SCHEMA_VERSION))
    db.prepare("INSERT OR REPLACE INTO stepwise_meta VALUES ('schema', ?)").run(String(SCHEMA_VERSION));
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

/** A lock left by a process on this machine that is gone no longer holds. */
function alive(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
