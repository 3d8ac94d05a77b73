/**
 * Where the real `stepwise` keeps transcripts, through the binary: the commands that only read
 * (runs, show, export, verify) never create a store, and say where they looked when there is none;
 * --store and STEPWISE_STORE take exactly a file path (also sqlite:PATH, sqlite:///abs/path) or a
 * postgres:// URL; a run creates its store's file but never a missing folder, except the default
 * ./.stepwise. Each test works in a folder with no store in it or above it, and checks that the
 * folder holds nothing new afterwards.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { bareTempDir } from '../helpers/bare-dir.js';
import { stepwise, type CliResult } from '../helpers/cli.js';
import { testDatabase, type TestDatabase } from '../helpers/postgres.js';
import { runEvents } from '../store/store-suite.js';

const root = bareTempDir('stepwise-store-access-');
let n = 0;
/** A new empty folder (and a runbook beside it, outside it). */
function folder(): { cwd: string; runbook: string } {
  const cwd = join(root, `case-${++n}`);
  mkdirSync(cwd);
  const runbook = join(root, `ok-${n}.md`);
  writeFileSync(runbook, '# Fine\n\n::note[all good]\n');
  return { cwd, runbook };
}
/** `stepwise` in `cwd` with no STEPWISE_STORE unless given. */
const sw = (args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): CliResult =>
  stepwise(args, { cwd, env: { STEPWISE_STORE: undefined, ...env } });
/** Every file under `dir`, relative to it. */
const tree = (dir: string): string[] => (readdirSync(dir, { recursive: true }) as string[]).sort();

const READS = [
  ['runs'],
  ['runs', '--json'],
  ['show', 'last'],
  ['export', 'last'],
  ['verify', 'last'],
  ['verify', '--all'],
];
const FORMS = 'takes a file path (or sqlite:PATH, sqlite:///abs/path), or a postgres:// or postgresql:// URL';

describe('reading commands never create a store', () => {
  it.each(READS.map((args) => [args.join(' '), args]))(
    '`%s` with no store says where it looked (exit 2) and writes nothing',
    (_name, args) => {
      const { cwd } = folder();
      const r = sw(args as string[], cwd);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(
        `: no transcript store: no .stepwise/stepwise.db in ${cwd} or any folder above it; \`stepwise run\` records one there (or pass --store, or set STEPWISE_STORE)`,
      );
      expect(r.stdout).toBe('');
      expect(tree(cwd)).toEqual([]);
    },
  );

  it('with --store or STEPWISE_STORE naming a missing file, name it and where it came from (exit 2), creating nothing', () => {
    const { cwd } = folder();
    for (const args of READS) {
      const byOption = sw([...args, '--store', 'sqlite:records/x.db'], cwd);
      expect(byOption.code, byOption.stderr).toBe(2);
      expect(byOption.stderr).toContain(`no transcript store at ${join(cwd, 'records', 'x.db')} (from --store)`);
      const byEnv = sw(args, cwd, { STEPWISE_STORE: join(cwd, 'y.db') });
      expect(byEnv.code, byEnv.stderr).toBe(2);
      expect(byEnv.stderr).toContain(`no transcript store at ${join(cwd, 'y.db')} (from STEPWISE_STORE)`);
    }
    expect(tree(cwd)).toEqual([]);
  });

  it('read an old (schema 1) store found upwards as it is: no migration, no change to its file or folder', () => {
    const { cwd } = folder();
    mkdirSync(join(cwd, '.stepwise'));
    mkdirSync(join(cwd, 'sub'));
    const path = join(cwd, '.stepwise', 'stepwise.db');
    const events = runEvents('r-schema-1', 1);
    const old = new Database(path);
    old.pragma('journal_mode = WAL');
    old.exec(SCHEMA_1);
    old
      .prepare("INSERT INTO runs VALUES (?, 'runbooks/x.md', 'Old', 'ann', 'box', 'headless', 'passed', ?, ?, ?, ?)")
      .run('r-schema-1', events[0]!.ts, events.at(-1)!.ts, events.length, events.at(-1)!.hash);
    for (const e of events)
      old
        .prepare('INSERT INTO events VALUES (?, ?, ?, ?, ?, ?)')
        .run(e.runId, e.seq, e.type, e.ts, e.hash, JSON.stringify(e));
    old.close();
    const before = { bytes: readFileSync(path), files: tree(cwd) };
    for (const args of READS) {
      const r = sw(args, join(cwd, 'sub'));
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
    expect(JSON.parse(sw(['runs', '--json'], cwd).stdout)).toMatchObject([
      { runId: 'r-schema-1', runbookTitle: 'Old', events: events.length },
    ]);
    expect(sw(['show', 'last'], cwd).stdout).toContain(
      `transcript r-schema-1: ${events.length} events, sha256:${events.at(-1)!.hash}`,
    );
    expect(tree(cwd)).toEqual(before.files);
    expect(readFileSync(path).equals(before.bytes)).toBe(true);
  });
});

/** The tables as schema 1 (0.1.0) created them. */
const SCHEMA_1 = `
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
CREATE TABLE locks (key TEXT PRIMARY KEY, holder TEXT NOT NULL);`;

describe('--store and STEPWISE_STORE forms', () => {
  it('sqlite:PATH and sqlite:///abs/path are file paths', () => {
    const { cwd, runbook } = folder();
    const abs = join(cwd, 'abs.db');
    expect(sw(['run', runbook, '--store', `sqlite://${abs}`], cwd).code).toBe(0);
    expect(sw(['run', runbook, '--store', 'sqlite:rel.db'], cwd).code).toBe(0);
    expect(tree(cwd)).toEqual(['abs.db', 'rel.db']); // no ./sqlite: folder
    expect(JSON.parse(sw(['runs', '--json'], cwd, { STEPWISE_STORE: `sqlite:${abs}` }).stdout)).toHaveLength(1);
    expect(sw(['verify', '--all', '--store', 'sqlite:rel.db'], cwd).code).toBe(0);
  });

  it.each([
    ['http://example.com/runs', '`http://` is neither'],
    ['mysql://ops:Pw-Canary-3@db/x', '`mysql://` is neither'],
    ['sqlite://host/x.db', '`sqlite://` names a host; write sqlite:PATH, or sqlite:///abs/path'],
  ])(
    'any other scheme is a usage error naming the accepted forms (exit 4), for reading and for running: %s',
    (value, why) => {
      const { cwd, runbook } = folder();
      for (const args of [['runs'], ['show', 'last'], ['verify', 'last'], ['run', runbook], ['resume', 'last']]) {
        for (const [extra, env, source] of [
          [['--store', value], {}, '--store'],
          [[], { STEPWISE_STORE: value }, 'STEPWISE_STORE'],
        ] as const) {
          const r = sw([...args, ...extra], cwd, env);
          expect(r.code, `${args.join(' ')} ${extra.join(' ')}: ${r.stderr}`).toBe(4);
          expect(r.stderr).toContain(`${source} ${FORMS}; ${why}`);
          expect(r.stderr).not.toContain('Pw-Canary');
        }
      }
      expect(tree(cwd)).toEqual([]);
    },
  );

  it('a run never creates a missing folder for its store (exit 2), only the default ./.stepwise', () => {
    const { cwd, runbook } = folder();
    const missing = join(cwd, 'no', 'such');
    const r = sw(['run', runbook, '--store', join(missing, 'x.db')], cwd);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`folder ${missing} does not exist`);
    const e = sw(['run', runbook], cwd, { STEPWISE_STORE: join(missing, '.stepwise', 'stepwise.db') });
    expect(e.code, e.stderr).toBe(2);
    expect(e.stderr).toContain(`folder ${join(missing, '.stepwise')} does not exist`);
    expect(tree(cwd)).toEqual([]);
    expect(sw(['run', runbook, '--store', join(cwd, 'here.db')], cwd).code).toBe(0); // the file itself is created
    expect(sw(['run', runbook], cwd).code).toBe(0); // and the default ./.stepwise, with its .gitignore
    // (and its check cache: the run creates .stepwise/ anyway, so it keeps the runbook's parse there too)
    expect(tree(cwd).map((path) => path.replace(/[0-9a-f]{64}\.json$/, 'ENTRY.json'))).toEqual([
      '.stepwise',
      join('.stepwise', '.gitignore'),
      join('.stepwise', 'cache'),
      join('.stepwise', 'cache', '.gitignore'),
      join('.stepwise', 'cache', 'ENTRY.json'),
      join('.stepwise', 'stepwise.db'),
      'here.db',
    ]);
  });
});

describe('a PostgreSQL store with no tables yet', () => {
  let db: TestDatabase;
  afterAll(async () => {
    await db?.close();
  });

  it('reading commands say "no runs recorded in …" (exit 2) and create no tables', async () => {
    db = await testDatabase();
    const { cwd } = folder();
    for (const args of READS) {
      const r = sw([...args, '--store', db.url], cwd);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(/no runs recorded in 127\.0\.0\.1:\d+\/\w+: it holds no transcript tables yet/);
    }
    const tables = await db.query('SELECT table_name FROM information_schema.tables WHERE table_schema = $1', [
      db.schema,
    ]);
    expect(tables.rows).toEqual([]);
  }, 60_000);
});
