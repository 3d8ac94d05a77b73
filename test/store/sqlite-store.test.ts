/**
 * The SQLite store against real files, plus what only it does: WAL, durability settings, finding
 * the store; the forms --store takes; creating a store (never a missing folder); opening one to
 * read without creating or changing anything.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../engine/store/sqlite-store.js';
import {
  locateStore,
  NoStoreError,
  openStore,
  openStoreForReading,
  storeLocation,
  StoreSpecError,
} from '../../engine/store/open.js';
import { bareTempDir } from '../helpers/bare-dir.js';
import { describeStore, runEvents } from './store-suite.js';

// No store above it: these tests find (or do not find) the nearest .stepwise/stepwise.db upwards.
const dir = bareTempDir('stepwise-store-');
mkdirSync(join(dir, 'nested'));
const file = join(dir, 'nested', 'stepwise.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeStore('SQLite', async () => openSqliteStore(file), { openSecond: async () => openSqliteStore(file) });

describe('SQLite store specifics', () => {
  it('is created on first use, in WAL mode, and readable by plain SQLite', async () => {
    mkdirSync(join(dir, 'fresh'));
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
    old
      .prepare("INSERT INTO runs VALUES (?, 'runbooks/x.md', 'X', 'ann', 'box', 'headless', 'running', ?, ?, 0, ?)")
      .run(id, events[0]!.ts, events[0]!.ts, events[0]!.hash);
    const put = old.prepare('INSERT INTO events VALUES (?, ?, ?, ?, ?, ?)');
    for (const e of events.slice(0, 4)) put.run(id, e.seq, e.type, e.ts, e.hash, JSON.stringify(e));
    old.close();

    const store = openSqliteStore(path);
    expect(await store.run(id)).toMatchObject({
      status: 'running',
      events: 4,
      head: last.hash,
      updatedAt: last.ts,
      runbookTitle: 'X',
    });
    await store.append(events.slice(4), false);
    expect(await store.run(id)).toMatchObject({ status: 'passed', events: events.length, head: events.at(-1)!.hash });
    await store.close();
    const db = new Database(path, { readonly: true });
    expect((db.pragma('table_info(runs)') as { name: string }[]).map((c) => c.name)).toEqual([
      'run_id',
      'runbook_path',
      'runbook_title',
      'operator',
      'host',
      'mode',
      'status',
      'started_at',
    ]);
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
    const dead = {
      runId: 'dead',
      operator: 'bob',
      host: hostname(),
      pid: 2 ** 22 + 7,
      since: new Date().toISOString(),
    };
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

  it("a new store in a .stepwise folder keeps itself out of git; a folder of the user's own is left alone", async () => {
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
    mkdirSync(own);
    await (await openStore(join(own, 'evidence.db'))).close();
    expect(existsSync(join(own, '.gitignore'))).toBe(false);
  });
});

describe('--store and STEPWISE_STORE values', () => {
  const root = join(dir, 'forms');

  it('take a file path, sqlite:PATH, sqlite:///abs/path, a Windows drive path, or a postgres:// or postgresql:// URL', () => {
    expect(storeLocation('sqlite:runs/x.db', {}, root)).toBe(join(root, 'runs', 'x.db'));
    expect(storeLocation('sqlite:/var/x.db', {}, root)).toBe('/var/x.db');
    expect(storeLocation('sqlite:///var/x.db', {}, root)).toBe('/var/x.db');
    expect(storeLocation(undefined, { STEPWISE_STORE: 'SQLite:x.db' }, root)).toBe(join(root, 'x.db'));
    expect(storeLocation('./odd:name.db', {}, root)).toBe(join(root, 'odd:name.db'));
    expect(storeLocation('C:x.db', {}, root)).toBe(join(root, 'C:x.db')); // a drive letter, not a scheme
    expect(locateStore('postgresql://u@h/db', {}, root)).toEqual({
      kind: 'postgres',
      url: 'postgresql://u@h/db',
      from: 'option',
    });
    expect(locateStore(undefined, { STEPWISE_STORE: 'x.db' }, root)).toEqual({
      kind: 'sqlite',
      path: join(root, 'x.db'),
      from: 'env',
      cwd: root,
    });
  });

  it.each([
    ['http://example.com/store', '`http://` is neither'],
    ['mysql://ops:Pw-9f2@db/x', '`mysql://` is neither'],
    ['file:///tmp/x.db', '`file://` is neither'],
    ['runs:2024.db', '`runs:` is neither (a file whose name has a colon: write ./runs:…)'],
    ['postgres:db', '`postgres:` needs //, as in postgres://user@host/db'],
    ['sqlite://host/x.db', '`sqlite://` names a host; write sqlite:PATH, or sqlite:///abs/path'],
    ['sqlite:', '`sqlite:` names no file'],
    ['sqlite::memory:', 'an in-memory store would keep nothing'],
  ])('refuse %j, naming the accepted forms and no more of the value than its scheme', (value, why) => {
    for (const [option, env, source] of [
      [value, {}, '--store'],
      [undefined, { STEPWISE_STORE: value }, 'STEPWISE_STORE'],
    ] as const) {
      let message = '';
      try {
        locateStore(option, env, root);
      } catch (error) {
        expect(error).toBeInstanceOf(StoreSpecError);
        message = (error as Error).message;
      }
      expect(message).toBe(
        `${source} takes a file path (or sqlite:PATH, sqlite:///abs/path), or a postgres:// or postgresql:// URL; ${why}`,
      );
      expect(message).not.toContain('Pw-9f2');
    }
    expect(storeLocation(value, {}, root)).toBe(value); // for openStore to refuse
  });

  it('openStore refuses them too, creating nothing', async () => {
    mkdirSync(root, { recursive: true });
    const before = process.cwd();
    process.chdir(root);
    try {
      await expect(openStore('sqlite://host/x.db')).rejects.toThrow(StoreSpecError);
      await expect(openStore('http://example.com/x')).rejects.toThrow(StoreSpecError);
    } finally {
      process.chdir(before);
    }
    expect(readdirSync(root)).toEqual([]);
  });
});

describe('creating a store for a run', () => {
  it('creates its file, but never a missing folder above it', async () => {
    const missing = join(dir, 'no-such-folder');
    await expect(openStore(join(missing, 'x.db'))).rejects.toThrow(
      `cannot create the transcript store ${join(missing, 'x.db')}: folder ${missing} does not exist (create it first, or choose another --store)`,
    );
    await expect(openStore(join(missing, '.stepwise', 'stepwise.db'))).rejects.toThrow(
      `folder ${join(missing, '.stepwise')} does not exist`,
    );
    expect(existsSync(missing)).toBe(false);
    writeFileSync(join(dir, 'a-file'), '');
    await expect(openStore(join(dir, 'a-file', 'x.db'))).rejects.toThrow(`${join(dir, 'a-file')} is not a folder`);
    mkdirSync(join(dir, 'a-folder.db'));
    await expect(openStore(join(dir, 'a-folder.db'))).rejects.toThrow('is a folder; name a file');
  });

  it('except the .stepwise folder of the default place, created with its .gitignore', async () => {
    const project = join(dir, 'default-place');
    mkdirSync(project);
    await (await openStore(storeLocation(undefined, {}, project))).close();
    expect(readdirSync(join(project, '.stepwise')).sort()).toEqual(['.gitignore', 'stepwise.db']);
  });
});

describe('opening a store to read (runs, show, export, verify)', () => {
  const read = (option: string | undefined, env: NodeJS.ProcessEnv, cwd: string) =>
    openStoreForReading(locateStore(option, env, cwd));

  it('creates nothing where there is no store, and says where it looked', async () => {
    const empty = join(dir, 'nothing-here', 'deeper');
    mkdirSync(empty, { recursive: true });
    await expect(read(undefined, {}, empty)).rejects.toThrow(
      new NoStoreError(
        `no transcript store: no .stepwise/stepwise.db in ${empty} or any folder above it; \`stepwise run\` records one there (or pass --store, or set STEPWISE_STORE)`,
      ),
    );
    await expect(read(join(empty, 'x.db'), {}, empty)).rejects.toThrow(
      `no transcript store at ${join(empty, 'x.db')} (from --store); a run records one there`,
    );
    await expect(read(undefined, { STEPWISE_STORE: 'sqlite:y.db' }, empty)).rejects.toThrow(
      `no transcript store at ${join(empty, 'y.db')} (from STEPWISE_STORE)`,
    );
    await expect(read(join(dir, 'no-such-folder', 'x.db'), {}, empty)).rejects.toThrow(NoStoreError);
    expect(readdirSync(empty)).toEqual([]);
    expect(existsSync(join(dir, 'no-such-folder'))).toBe(false);
  });

  it('reads an existing store without writing to it or leaving anything in its folder', async () => {
    const folder = join(dir, 'existing', '.stepwise');
    mkdirSync(folder, { recursive: true });
    const path = join(folder, 'stepwise.db');
    const writer = openSqliteStore(path); // no .gitignore: openSqliteStore is not openStore
    await writer.append(runEvents('r-read', 1), false);
    await writer.close();
    const before = { files: readdirSync(folder).sort(), bytes: readFileSync(path) };
    const store = await read(undefined, {}, join(dir, 'existing'));
    expect((await store.runs()).map((r) => r.runId)).toEqual(['r-read']);
    expect((await store.events('r-read')).length).toBe(4);
    await expect(store.append(runEvents('r-other', 1), false)).rejects.toThrow(/readonly/);
    await store.close();
    expect(readdirSync(folder).sort()).toEqual(before.files);
    expect(readFileSync(path).equals(before.bytes)).toBe(true);
  });

  it('sees what a run appends while it reads (show --follow)', async () => {
    mkdirSync(join(dir, 'live'));
    const path = join(dir, 'live', 'x.db');
    const writer = openSqliteStore(path);
    const events = runEvents('r-live', 2);
    await writer.append(events.slice(0, 2), false);
    const reader = await read(path, {}, dir);
    expect(await reader.events('r-live')).toHaveLength(2);
    await writer.append(events.slice(2), true);
    expect(await reader.events('r-live')).toHaveLength(events.length);
    await reader.close();
    await writer.close();
  });

  it('a file without the tables holds no runs; a newer schema is refused; neither is changed', async () => {
    const empty = join(dir, 'empty.db');
    writeFileSync(empty, '');
    await expect(read(empty, {}, dir)).rejects.toThrow(
      `no runs recorded in ${empty}: it holds no transcript tables yet`,
    );
    expect(readFileSync(empty).length).toBe(0);
    const newer = join(dir, 'newer-read.db');
    (await openSqliteStore(newer)).close();
    const db = new Database(newer);
    db.prepare("UPDATE stepwise_meta SET value = '99' WHERE key = 'schema'").run();
    db.close();
    await expect(read(newer, {}, dir)).rejects.toThrow(/written by a newer Stepwise \(schema 99\)/);
  });
});
