/**
 * PGlite instances, one per data folder per process, shared and counted.
 *
 * PGlite is one PostgreSQL backend inside this process: two instances on the same data folder
 * would be two postmasters writing the same files. So every opener of a folder (two targets with
 * the same `pglite:DIR`, a drill loading the fixture, the run, the drill's final-state checks)
 * gets the same instance, and the last one to let go closes it. Work on an instance is queued
 * (`exclusive`): PGlite has one session, so one transaction at a time, whoever asks.
 *
 * Starting PGlite is the slow part (seconds under load): the WebAssembly module is compiled once
 * per process and its file-system bundle read once, then handed to every instance.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { importEsm } from '../import-esm.js';
import { iso } from './postgres.js';
import type { PGlite as PGliteClass, PGliteOptions } from '@electric-sql/pglite';

type Db = InstanceType<typeof PGliteClass>;

export interface PgliteLease {
  db: Db;
  /** Runs `work` alone on the instance: nothing else queued on it runs meanwhile. */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  /** Lets go of the instance; the last lease closes it. Idempotent. */
  release(): Promise<void>;
}

interface Shared {
  db: Db;
  users: number;
  queue: Promise<unknown>;
}

const text = (v: string): string => v;
/**
 * Values as the PostgreSQL driver gives them: int8, numeric, date and interval as exact text,
 * timestamps as ISO strings. PGlite applies these inside arrays too.
 */
const PARSERS: PGliteOptions['parsers'] = {
  20: text,
  1700: text,
  1082: text,
  1186: text,
  1114: (v: string) => iso(v, true),
  1184: (v: string) => iso(v, false),
};

const byFolder = new Map<string, Promise<Shared>>();

export interface OpenPgliteOptions {
  /**
   * Skip fsync after each commit. Only for throwaway folders (drills): a crash may lose the
   * last commits. Applies when this call creates the instance.
   */
  relaxedDurability?: boolean;
}

/** A lease on the instance for `dir` (undefined: a new in-memory database of its own). */
export async function leasePglite(dir: string | undefined, options: OpenPgliteOptions = {}): Promise<PgliteLease> {
  if (dir === undefined) return lease(await start(undefined, options), undefined);
  const key = resolve(dir);
  let shared = byFolder.get(key);
  if (!shared) {
    shared = start(key, options);
    byFolder.set(key, shared);
    shared.catch(() => byFolder.delete(key));
  }
  return lease(await shared, key);
}

async function start(dir: string | undefined, options: OpenPgliteOptions): Promise<Shared> {
  const { PGlite } = await importEsm<typeof import('@electric-sql/pglite')>('@electric-sql/pglite');
  const settings: PGliteOptions = {
    ...(await prebuilt()),
    parsers: PARSERS,
    ...(options.relaxedDurability ? { relaxedDurability: true } : {}),
  };
  // A new in-memory database starts from a copy of an empty one instead of running initdb.
  const empty = dir === undefined ? await emptyCluster() : undefined;
  const db =
    dir !== undefined
      ? new PGlite(dir, settings)
      : new PGlite(empty ? { ...settings, loadDataDir: new Blob([empty]) } : settings);
  try {
    await db.waitReady;
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
  return { db, users: 0, queue: Promise.resolve() };
}

function lease(shared: Shared, key: string | undefined): PgliteLease {
  shared.users++;
  let released = false;
  return {
    db: shared.db,
    exclusive<T>(work: () => Promise<T>): Promise<T> {
      const next = shared.queue.then(work);
      shared.queue = next.catch(() => {});
      return next;
    },
    async release() {
      if (released) return;
      released = true;
      shared.users--;
      await shared.queue;
      if (shared.users > 0) return;
      if (key !== undefined) byFolder.delete(key);
      await shared.db.close();
    },
  };
}

let modules: Promise<Pick<PGliteOptions, 'pgliteWasmModule' | 'fsBundle'>> | undefined;

/**
 * The compiled WebAssembly module and the file-system bundle, made once per process. Where the
 * package's files cannot be found (a different layout, a bundler), PGlite loads them itself.
 */
function prebuilt(): Promise<Pick<PGliteOptions, 'pgliteWasmModule' | 'fsBundle'>> {
  modules ??= (async () => {
    try {
      const dist = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
      const wasm = readFileSync(join(dist, 'pglite.wasm'));
      const data = readFileSync(join(dist, 'pglite.data'));
      // (Node's WebAssembly global; this project's type library describes only its types.)
      const { compile } = (
        globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<WebAssembly.Module> } }
      ).WebAssembly;
      return { pgliteWasmModule: await compile(wasm), fsBundle: new Blob([data]) };
    } catch {
      return {};
    }
  })();
  return modules;
}

let emptyMade: Promise<Uint8Array | undefined> | undefined;

/**
 * An initialised, empty cluster as a tar file, made once per PGlite version and user and kept in
 * the system's temporary folder: loading it takes a third of the time initdb takes. Undefined
 * when it cannot be made or read (initdb then runs as usual).
 */
export function emptyCluster(): Promise<Uint8Array | undefined> {
  emptyMade ??= (async () => {
    const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
    const file = join(tmpdir(), `stepwise-pglite-empty-${pgliteVersion()}-${uid}.tar`);
    try {
      return readFileSync(file);
    } catch {
      /* not made yet */
    }
    try {
      const { PGlite } = await importEsm<typeof import('@electric-sql/pglite')>('@electric-sql/pglite');
      const db = new PGlite(await prebuilt());
      await db.waitReady;
      const bytes = new Uint8Array(await (await db.dumpDataDir('none')).arrayBuffer());
      await db.close();
      const building = `${file}.tmp-${process.pid}-${randomBytes(3).toString('hex')}`;
      writeFileSync(building, bytes);
      renameSync(building, file);
      return bytes;
    } catch {
      return undefined;
    }
  })();
  return emptyMade;
}

/** The installed PGlite's version: what its data folders and dumps are kept by. */
export function pgliteVersion(): string {
  try {
    let dir = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
    for (let i = 0; i < 4; i++, dir = dirname(dir)) {
      const pkg = join(dir, 'package.json');
      if (existsSync(pkg)) {
        const parsed = JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string; version?: string };
        if (parsed.name === '@electric-sql/pglite' && parsed.version) return parsed.version;
      }
    }
  } catch {
    /* fall through */
  }
  return 'unknown';
}
