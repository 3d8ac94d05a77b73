/**
 * The PostgreSQL store against a real server (the local one at 127.0.0.1:5432, else an embedded
 * PGlite behind a socket), through the shared store suite, plus what only it does: exact JSON
 * text, schema version, credentials kept out of messages, LISTEN/NOTIFY, advisory locks that die
 * with their process. Skipped on PGlite, which serves every connection from one session (no
 * per-connection search_path, no notifications across connections, one lock holder): the
 * search_path isolation, notification latency and killed-holder tests.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../engine/run/events.js';
import { advisoryLockKeys, openPostgresStore } from '../../engine/store/postgres-store.js';
import { StoreError } from '../../engine/store/store.js';
import { seal, verifyChain } from '../../engine/transcript/chain.js';
import { testDatabase, type TestDatabase } from '../helpers/postgres.js';
import { until } from '../helpers/until.js';
import { describeStore, runEvents } from './store-suite.js';

/** The tables as schema 1 (0.1.0) created them: a migration test starts from this. */
const SCHEMA_1 = `
CREATE TABLE stepwise_meta (key text PRIMARY KEY, value text NOT NULL);
INSERT INTO stepwise_meta VALUES ('schema', '1');
CREATE TABLE runs (
  run_id text COLLATE "C" PRIMARY KEY, runbook_path text NOT NULL, runbook_title text NOT NULL, operator text NOT NULL,
  host text NOT NULL, mode text NOT NULL, status text NOT NULL, started_at text COLLATE "C" NOT NULL, updated_at text NOT NULL,
  events integer NOT NULL, head text NOT NULL);
CREATE INDEX runs_started ON runs (started_at);
CREATE TABLE events (
  run_id text COLLATE "C" NOT NULL REFERENCES runs (run_id), seq integer NOT NULL, type text NOT NULL, ts text NOT NULL,
  hash text NOT NULL, event text NOT NULL, PRIMARY KEY (run_id, seq));
CREATE TABLE locks (key text PRIMARY KEY, holder json NOT NULL, pid integer NOT NULL)`;

// Top-level, so `it.skipIf` knows at collection time which server the tests run against.
const db: TestDatabase = await testDatabase();
const onPglite = db.server === 'pglite';
afterAll(() => db.close());

describeStore('PostgreSQL', () => openPostgresStore(db.url), { openSecond: () => openPostgresStore(db.url) });

describe('PostgreSQL store specifics', () => {
  it('keeps each event as the exact JSON text that was hashed', async () => {
    const store = await openPostgresStore(db.url);
    const id = `r-${Date.now()}-json`;
    const [start] = runEvents(id, 0, { finish: false });
    const odd = 'ü \u2028 \u2029 "quoted" back\\slash 😀 {"a":1} NULL \t end';
    const step: RunEvent = {
      type: 'step.finished',
      data: {
        stepId: 's1',
        status: 'passed',
        ms: 1,
        result: { rows: [{ odd, [odd]: 1e21, small: 5e-7 }], rowCount: 1 },
      },
    };
    const events = [start!, seal(step, { seq: 2, ts: start!.ts, runId: id, prev: start!.hash })];
    await store.append(events, true);
    const raw = await db.query(`SELECT event FROM ${db.schema}.events WHERE run_id = $1 ORDER BY seq`, [id]);
    expect(raw.rows.map((r) => r.event)).toEqual(events.map((e) => JSON.stringify(e)));
    expect(await store.events(id)).toEqual(events);
    await store.close();
  });

  it('a batch that starts and finishes a run leaves the row finished', async () => {
    const store = await openPostgresStore(db.url);
    const id = `r-${Date.now()}-whole`;
    const events = runEvents(id, 3);
    await store.append(events, false);
    expect(await store.run(id)).toMatchObject({
      status: 'passed',
      events: events.length,
      head: events.at(-1)!.hash,
      startedAt: events[0]!.ts,
      updatedAt: events.at(-1)!.ts,
    });
    await expect(store.append(runEvents(id, 1).slice(0, 1), false)).rejects.toThrow(StoreError);
    await store.close();
  });

  it('a store written by a newer schema is refused with a clear message', async () => {
    await db.query(`UPDATE ${db.schema}.stepwise_meta SET value = '99' WHERE key = 'schema'`);
    try {
      await expect(openPostgresStore(db.url)).rejects.toThrow(
        /the store .* was written by a newer Stepwise \(schema 99\); upgrade to read it/,
      );
    } finally {
      await db.query(`UPDATE ${db.schema}.stepwise_meta SET value = '2' WHERE key = 'schema'`);
    }
  });

  it.skipIf(onPglite)(
    'brings a schema-1 store to schema 2 once, keeping its runs readable and appendable',
    async () => {
      const schema = `${db.schema}_v1`;
      await db.query(`CREATE SCHEMA ${schema}`);
      try {
        // Schema 1 as 0.1.0 created it, holding one unfinished run whose row was advanced at each append.
        await db.query(`SET search_path = ${schema}; ${SCHEMA_1}; SET search_path = ${db.schema}`);
        const id = 'r-from-v1';
        const events = runEvents(id, 2);
        const last = events[3]!;
        await db.query(
          `INSERT INTO ${schema}.runs VALUES ($1, 'runbooks/x.md', 'X', 'ann', 'box', 'headless', 'running', $2, $3, $4, $5)`,
          [id, events[0]!.ts, last.ts, last.seq, last.hash],
        );
        for (const e of events.slice(0, 4))
          await db.query(`INSERT INTO ${schema}.events VALUES ($1, $2, $3, $4, $5, $6)`, [
            id,
            e.seq,
            e.type,
            e.ts,
            e.hash,
            JSON.stringify(e),
          ]);
        const url = db.url.replace(/\?options=.*$/, `?options=${encodeURIComponent(`-c search_path=${schema}`)}`);
        const stores = await Promise.all(Array.from({ length: 3 }, () => openPostgresStore(url)));
        expect(await stores[0]!.run(id)).toMatchObject({
          status: 'running',
          events: 4,
          head: last.hash,
          updatedAt: last.ts,
          runbookTitle: 'X',
        });
        await stores[1]!.append(events.slice(4), false);
        expect(await stores[2]!.run(id)).toMatchObject({
          status: 'passed',
          events: events.length,
          head: events.at(-1)!.hash,
        });
        expect(verifyChain(await stores[0]!.events(id)).ok).toBe(true);
        await Promise.all(stores.map((s) => s.close()));
        const columns = await db.query(
          "SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'runs' ORDER BY ordinal_position",
          [schema],
        );
        expect(columns.rows.map((r) => r.column_name)).toEqual([
          'run_id',
          'runbook_path',
          'runbook_title',
          'operator',
          'host',
          'mode',
          'status',
          'started_at',
        ]);
        expect((await db.query(`SELECT value FROM ${schema}.stepwise_meta`)).rows).toEqual([{ value: '2' }]);
      } finally {
        await db.query(`DROP SCHEMA ${schema} CASCADE`);
      }
    },
  );

  it.skipIf(onPglite)(
    'opened to read (runs, show, export, verify), a schema without the tables holds no runs, and gets none',
    async () => {
      const schema = `${db.schema}_empty`;
      await db.query(`CREATE SCHEMA ${schema}`);
      try {
        const url = db.url.replace(/\?options=.*$/, `?options=${encodeURIComponent(`-c search_path=${schema}`)}`);
        const error = await openPostgresStore(url, { readonly: true }).then(
          () => null,
          (e: Error) => e,
        );
        expect(error).toBeInstanceOf(StoreError);
        expect(error!.message).toMatch(
          /^no runs recorded in 127\.0\.0\.1:\d+\/\w+: it holds no transcript tables yet$/,
        );
        const tables = await db.query('SELECT table_name FROM information_schema.tables WHERE table_schema = $1', [
          schema,
        ]);
        expect(tables.rows).toEqual([]);
        // The store with its tables reads as usual.
        const store = await openPostgresStore(db.url, { readonly: true });
        expect(Array.isArray(await store.runs())).toBe(true);
        await store.close();
      } finally {
        await db.query(`DROP SCHEMA ${schema} CASCADE`);
      }
    },
  );

  it('never shows the password: not in its location, not when the server cannot be reached', async () => {
    const withPassword = db.url.replace('postgres://postgres@', 'postgres://postgres:hunter22@');
    const store = await openPostgresStore(withPassword);
    expect(store.location).toMatch(/^127\.0\.0\.1:\d+\/\w+$/);
    await store.close();
    const error = await openPostgresStore('postgres://alice:s3cr3t@127.0.0.1:1/x').then(
      () => null,
      (e: Error) => e,
    );
    expect(error).toBeInstanceOf(StoreError);
    expect(error!.message).toMatch(/^cannot reach the transcript store at 127\.0\.0\.1:1\/x: /);
    expect(error!.message).not.toMatch(/s3cr3t|alice/);
  });

  it.skipIf(onPglite)('creates its tables in the connection search_path, once, however many open at once', async () => {
    const schema = `${db.schema}_fresh`;
    await db.query(`CREATE SCHEMA ${schema}`);
    try {
      const url = db.url.replace(/\?options=.*$/, `?options=${encodeURIComponent(`-c search_path=${schema}`)}`);
      const stores = await Promise.all(Array.from({ length: 4 }, () => openPostgresStore(url)));
      await stores[0]!.append(runEvents('r-fresh', 1), false);
      await Promise.all(stores.map((s) => s.close()));
      const tables = await db.query(
        'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1',
        [schema],
      );
      expect(tables.rows.map((r) => r.table_name)).toEqual(['events', 'locks', 'runs', 'stepwise_meta']);
      expect((await db.query(`SELECT value FROM ${schema}.stepwise_meta`)).rows).toEqual([{ value: '2' }]);
      expect((await db.query(`SELECT count(*)::int AS n FROM ${schema}.events`)).rows[0].n).toBe(4);
    } finally {
      await db.query(`DROP SCHEMA ${schema} CASCADE`);
    }
  });

  it.skipIf(onPglite)('follow hears of an append by NOTIFY, well before the 1 s poll', async () => {
    const writer = await openPostgresStore(db.url);
    const reader = await openPostgresStore(db.url);
    const id = `r-${Date.now()}-notify`;
    const events = runEvents(id, 1);
    await writer.append(events.slice(0, 1), false);
    const arrivals: number[] = [];
    const controller = new AbortController();
    const following = reader.follow(id, 0, (batch) => arrivals.push(...batch.map(() => Date.now())), controller.signal);
    // Past the first read (LISTEN is set up before it): the append below can only arrive by NOTIFY or the poll.
    await until('the first read', () => arrivals.length === 1);
    const sent = Date.now();
    await writer.append(events.slice(1), false);
    await following;
    expect(arrivals).toHaveLength(events.length);
    expect(arrivals.at(-1)! - sent).toBeLessThan(500);
    await writer.close();
    await reader.close();
  });

  it.skipIf(onPglite)('a lock dies with the process that held it, and its leftover row does not block', async () => {
    const store = await openPostgresStore(db.url);
    const key = `runbook-${Date.now()}-kill`;
    const [k1, k2] = advisoryLockKeys(key);
    const pgModule = pathToFileURL(createRequire(import.meta.url).resolve('pg')).href;
    const holder = { runId: 'child-run', operator: 'bob', host: 'elsewhere', pid: 0, since: new Date().toISOString() };
    const script = `
      import pg from ${JSON.stringify(pgModule)};
      const client = new pg.Client({ connectionString: process.env.URL });
      await client.connect();
      const { rows } = await client.query('SELECT pg_try_advisory_lock($1, $2) AS ok', [${k1}, ${k2}]);
      await client.query('INSERT INTO locks (key, holder, pid) VALUES ($1, $2, pg_backend_pid())', [process.env.KEY, process.env.HOLDER]);
      console.log(rows[0].ok ? 'locked' : 'refused');
      setInterval(() => {}, 60000);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, URL: db.url, KEY: key, HOLDER: JSON.stringify(holder) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const said = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
        child.on('exit', (code) => reject(new Error(`the child exited with ${code}`)));
      });
      expect(said).toBe('locked');
      expect(await store.lock(key, { ...holder, runId: 'mine', pid: process.pid })).toMatchObject({
        ok: false,
        heldBy: { runId: 'child-run', operator: 'bob' },
      });
      child.kill('SIGKILL');
      let taken = await store.lock(key, { ...holder, runId: 'mine', pid: process.pid });
      for (let i = 0; i < 50 && !taken.ok; i++) {
        await new Promise((r) => setTimeout(r, 100));
        taken = await store.lock(key, { ...holder, runId: 'mine', pid: process.pid });
      }
      expect(taken.ok).toBe(true);
      const row = await db.query(`SELECT holder FROM ${db.schema}.locks WHERE key = $1`, [key]);
      expect(row.rows[0].holder).toMatchObject({ runId: 'mine' });
      if (taken.ok) await taken.release();
      expect(
        (await db.query(`SELECT count(*)::int AS n FROM ${db.schema}.locks WHERE key = $1`, [key])).rows[0].n,
      ).toBe(0);
    } finally {
      child.kill('SIGKILL');
      await store.close();
    }
  });

  it('close() releases the locks it holds', async () => {
    const a = await openPostgresStore(db.url);
    const b = await openPostgresStore(db.url);
    const key = `runbook-${Date.now()}-close`;
    const holder = { runId: 'run-a', operator: 'ann', host: 'box', pid: process.pid, since: new Date().toISOString() };
    expect((await a.lock(key, holder)).ok).toBe(true);
    expect((await b.lock(key, { ...holder, runId: 'run-b' })).ok).toBe(false);
    await a.close();
    const again = await b.lock(key, { ...holder, runId: 'run-b' });
    expect(again.ok).toBe(true);
    await b.close();
  });
});
