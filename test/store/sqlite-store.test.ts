/** The SQLite store against real files, plus what only it does: WAL, durability settings, finding the store. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../engine/store/sqlite-store.js';
import { openStore, storeLocation } from '../../engine/store/open.js';
import { describeStore, runEvents } from './store-suite.js';

const dir = mkdtempSync(join(tmpdir(), 'stepwise-store-'));
const file = join(dir, 'nested', 'stepwise.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeStore('SQLite', async () => openSqliteStore(file), { openSecond: async () => openSqliteStore(file) });

describe('SQLite store specifics', () => {
  it('is created on first use, in WAL mode, and readable by plain SQLite', async () => {
    const path = join(dir, 'fresh', 'x.db');
    const store = openSqliteStore(path);
    await store.append(runEvents('r-wal', 1), true);
    await store.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare("SELECT count(*) FROM events WHERE run_id = 'r-wal'").pluck().get()).toBe(4);
    db.close();
  });

  it('a store written by a newer schema is refused with a clear message', async () => {
    const path = join(dir, 'newer.db');
    (await openSqliteStore(path)).close();
    const db = new Database(path);
    db.prepare("UPDATE stepwise_meta SET value = '99' WHERE key = 'schema'").run();
    db.close();
    expect(() => openSqliteStore(path)).toThrow(/newer Stepwise/);
  });

  it('brings a schema-1 store to schema 2, keeping its runs readable and appendable', async () => {
    const path = join(dir, 'v1.db');
    const id = 'r-from-v1';
    const events = runEvents(id, 2);
    const last = events[3]!;
    const old = new Database(path);
    old.exec(`
      CREATE TABLE stepwise_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      INSERT INTO stepwise_meta VALUES ('schema', '1');
      CREATE TABLE runs (
        run_id TEXT PRIMARY KEY, runbook_path TEXT NOT NULL, runbook_title TEXT NOT NULL, operator TEXT NOT NULL,
        host TEXT NOT NULL, mode TEXT NOT NULL, status TEXT NOT NULL, started_at TEXT NOT NULL, updated_at TEXT NOT NULL,
        events INTEGER NOT NULL, head TEXT NOT NULL);
      CREATE INDEX runs_started ON runs (started_at);
      CREATE TABLE events (
        run_id TEXT NOT NULL, seq INTEGER NOT NULL, type TEXT NOT NULL, ts TEXT NOT NULL, hash TEXT NOT NULL, event TEXT NOT NULL,
        PRIMARY KEY (run_id, seq)) WITHOUT ROWID;
      CREATE TABLE locks (key TEXT PRIMARY KEY, holder TEXT NOT NULL);`);
    // 0.1.0 wrote the start's values into updated_at/events/head and never again.
    old.prepare("INSERT INTO runs VALUES (?, 'runbooks/x.md', 'X', 'ann', 'box', 'headless', 'running', ?, ?, 0, ?)").run(id, events[0]!.ts, events[0]!.ts, events[0]!.hash);
    const put = old.prepare('INSERT INTO events VALUES (?, ?, ?, ?, ?, ?)');
    for (const e of events.slice(0, 4)) put.run(id, e.seq, e.type, e.ts, e.hash, JSON.stringify(e));
    old.close();

    const store = openSqliteStore(path);
    expect(await store.run(id)).toMatchObject({ status: 'running', events: 4, head: last.hash, updatedAt: last.ts, runbookTitle: 'X' });
    await store.append(events.slice(4), false);
    expect(await store.run(id)).toMatchObject({ status: 'passed', events: events.length, head: events.at(-1)!.hash });
    await store.close();
    const db = new Database(path, { readonly: true });
    expect((db.pragma('table_info(runs)') as { name: string }[]).map((c) => c.name)).toEqual(['run_id', 'runbook_path', 'runbook_title', 'operator', 'host', 'mode', 'status', 'started_at']);
    expect(db.prepare("SELECT value FROM stepwise_meta WHERE key = 'schema'").pluck().get()).toBe('2');
    db.close();
  });

  it('a file that is not a database is refused with the path in the message', () => {
    const path = join(dir, 'junk.db');
    writeFileSync(path, 'this is not sqlite'.repeat(100));
    expect(() => openSqliteStore(path)).toThrow(/cannot open the transcript store .*junk\.db/);
  });

  it('a lock left by a process that is gone is taken over', async () => {
    const store = openSqliteStore(join(dir, 'locks.db'));
    const { hostname } = await import('node:os');
    const dead = { runId: 'dead', operator: 'bob', host: hostname(), pid: 2 ** 22 + 7, since: new Date().toISOString() };
    expect((await store.lock('k', dead)).ok).toBe(true);
    expect(await store.liveRuns(['dead'])).toEqual(new Set()); // recorded as holding, but its process is gone
    const next = await store.lock('k', { ...dead, runId: 'alive', pid: process.pid });
    expect(next.ok).toBe(true);
    await store.close();
  });

  it('finds the nearest .stepwise/stepwise.db upwards, else puts one in the current folder', () => {
    const root = join(dir, 'project');
    mkdirSync(join(root, '.stepwise'), { recursive: true });
    writeFileSync(join(root, '.stepwise', 'stepwise.db'), '');
    mkdirSync(join(root, 'a', 'b'), { recursive: true });
    expect(storeLocation(undefined, {}, join(root, 'a', 'b'))).toBe(join(root, '.stepwise', 'stepwise.db'));
    expect(storeLocation(undefined, {}, dir)).toBe(join(dir, '.stepwise', 'stepwise.db'));
    expect(storeLocation('x.db', {}, root)).toBe(join(root, 'x.db'));
    expect(storeLocation(undefined, { STEPWISE_STORE: 'postgres://u@h/db' }, root)).toBe('postgres://u@h/db');
  });

  it('a new store in a .stepwise folder keeps itself out of git; a folder of the user\'s own is left alone', async () => {
    const repo = join(dir, 'repo');
    mkdirSync(repo);
    await (await openStore(storeLocation(undefined, {}, repo))).close();
    expect(readFileSync(join(repo, '.stepwise', '.gitignore'), 'utf8')).toMatch(/^\*$/m);
    // also when the folder was there first (`stepwise demo` puts its database there before the store)
    const demo = join(dir, 'demo-first');
    mkdirSync(join(demo, '.stepwise'), { recursive: true });
    writeFileSync(join(demo, '.stepwise', 'demo.db'), '');
    await (await openStore(join(demo, '.stepwise', 'stepwise.db'))).close();
    expect(existsSync(join(demo, '.stepwise', '.gitignore'))).toBe(true);
    const own = join(dir, 'own');
    await (await openStore(join(own, 'evidence.db'))).close();
    expect(existsSync(join(own, '.gitignore'))).toBe(false);
  });
});
