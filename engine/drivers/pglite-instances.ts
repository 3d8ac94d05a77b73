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
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
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
  const { PGlite } = await import('@electric-sql/pglite');
  const settings: PGliteOptions = {
    ...(await prebuilt()),
    parsers: PARSERS,
    ...(options.relaxedDurability ? { relaxedDurability: true } : {}),
  };
  const db = dir === undefined ? new PGlite(settings) : new PGlite(dir, settings);
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
