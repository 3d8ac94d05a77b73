/**
 * Which store a command uses: `--store`, else $STEPWISE_STORE, else the nearest
 * `.stepwise/stepwise.db` in the current folder or above (as git finds .git), else a new one in
 * the current folder. A store value is a file path (also written `sqlite:PATH` or
 * `sqlite:///abs/path`) or a `postgres://` / `postgresql://` URL; anything else with a scheme is
 * refused rather than taken for a file name.
 *
 * Commands that record (run, resume, demo) open a store for writing: its file is created when
 * missing, but never a missing folder above it, except the `.stepwise` folder of the default
 * location. Commands that only read (runs, show, export, verify) open it read-only and never
 * create anything: no store is an error naming where they looked.
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { openSqliteStore } from './sqlite-store.js';
import { StoreError, type TranscriptStore } from './store.js';

export const STORE_DIR = '.stepwise';
export const STORE_FILE = 'stepwise.db';

/** The accepted forms, for messages. */
export const STORE_FORMS = 'a file path (or sqlite:PATH, sqlite:///abs/path), or a postgres:// or postgresql:// URL';

/** A --store or STEPWISE_STORE value of no accepted form: a usage error. */
export class StoreSpecError extends StoreError {}

/** There is no store where a reading command looked. */
export class NoStoreError extends StoreError {}

export function isPostgresUrl(spec: string): boolean {
  return /^postgres(ql)?:\/\//i.test(spec);
}

/** Where the store is and how it was chosen: by --store, by $STEPWISE_STORE, found upwards, or the default place. */
export type StoreTarget =
  | { kind: 'postgres'; url: string; from: 'option' | 'env' }
  | { kind: 'sqlite'; path: string; from: 'option' | 'env' | 'found' | 'default'; cwd: string };

const SOURCE = { option: '--store', env: 'STEPWISE_STORE' } as const;

/**
 * A store value as a file path or a PostgreSQL URL. Throws a StoreSpecError naming the accepted
 * forms, and only the scheme of what was given (a URL may hold a password).
 */
export function parseStoreSpec(
  spec: string,
  cwd: string,
  from: 'option' | 'env' = 'option',
): { kind: 'postgres'; url: string } | { kind: 'sqlite'; path: string } {
  const refuse = (why: string): StoreSpecError => new StoreSpecError(`${SOURCE[from]} takes ${STORE_FORMS}; ${why}`);
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(spec);
  // One letter before the colon is a Windows drive (C:\runs\x.db), not a scheme.
  if (!scheme || scheme[1]!.length === 1) return { kind: 'sqlite', path: resolve(cwd, spec) };
  const name = scheme[1]!.toLowerCase();
  let rest = spec.slice(scheme[0].length);
  if (name === 'postgres' || name === 'postgresql') {
    if (rest.startsWith('//')) return { kind: 'postgres', url: spec };
    throw refuse(`\`${scheme[0]}\` needs //, as in postgres://user@host/db`);
  }
  if (name === 'sqlite') {
    if (rest.startsWith('//')) {
      if (!rest.startsWith('///')) throw refuse('`sqlite://` names a host; write sqlite:PATH, or sqlite:///abs/path');
      rest = rest.slice(2);
    }
    if (rest === '' || rest === ':memory:')
      throw refuse(rest === '' ? '`sqlite:` names no file' : 'an in-memory store would keep nothing');
    return { kind: 'sqlite', path: resolve(cwd, rest) };
  }
  throw refuse(
    rest.startsWith('//')
      ? `\`${scheme[0]}//\` is neither`
      : `\`${scheme[0]}\` is neither (a file whose name has a colon: write ./${scheme[0]}…)`,
  );
}

/** Where the store is, and how it was chosen. Throws a StoreSpecError for a value of no accepted form. */
export function locateStore(option: string | undefined, env: NodeJS.ProcessEnv, cwd: string): StoreTarget {
  const from = option ? 'option' : 'env';
  const spec = option || env.STEPWISE_STORE;
  if (spec) {
    const parsed = parseStoreSpec(spec, cwd, from);
    return parsed.kind === 'postgres' ? { ...parsed, from } : { ...parsed, from, cwd };
  }
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const candidate = join(dir, STORE_DIR, STORE_FILE);
    if (existsSync(candidate)) return { kind: 'sqlite', path: candidate, from: 'found', cwd };
    if (dirname(dir) === dir) break;
  }
  return { kind: 'sqlite', path: join(resolve(cwd), STORE_DIR, STORE_FILE), from: 'default', cwd };
}

/** A located store as openStore() takes it: its URL or absolute path. */
export function targetLocation(target: StoreTarget): string {
  return target.kind === 'postgres' ? target.url : target.path;
}

/**
 * The store's location: a URL or an absolute path (not opened). Never throws: a value of no
 * accepted form comes back as given, and openStore() refuses it.
 */
export function storeLocation(option: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string {
  try {
    return targetLocation(locateStore(option, env, cwd));
  } catch (error) {
    if (error instanceof StoreSpecError) return (option || env.STEPWISE_STORE)!;
    throw error;
  }
}

/**
 * Opens (and creates when missing) the store at a location from storeLocation(), for writing. A
 * missing folder above the file is an error, except a `.stepwise` folder whose parent exists (the
 * default place), which is created with a .gitignore.
 */
export async function openStore(location: string): Promise<TranscriptStore> {
  const parsed = parseStoreSpec(location, process.cwd());
  if (parsed.kind === 'postgres') {
    const { openPostgresStore } = await import('./postgres-store.js');
    return openPostgresStore(parsed.url);
  }
  const path = parsed.path;
  const dir = dirname(path);
  const isStoreDir = basename(dir) === STORE_DIR;
  if (!existsSync(dir)) {
    if (!isStoreDir || !isFolder(dirname(dir)))
      throw new StoreError(
        `cannot create the transcript store ${path}: folder ${dir} does not exist (create it first, or choose another --store)`,
      );
    mkdirSync(dir);
  } else if (!isFolder(dir)) {
    throw new StoreError(`cannot create the transcript store ${path}: ${dir} is not a folder`);
  }
  if (isFolder(path))
    throw new StoreError(`the transcript store ${path} is a folder; name a file (such as ${join(path, STORE_FILE)})`);
  if (isStoreDir && !existsSync(path) && !existsSync(join(dir, '.gitignore'))) {
    // A new store in a .stepwise folder, in someone's repository: keep it out of git (share a run with `stepwise export`).
    writeFileSync(
      join(dir, '.gitignore'),
      '# Stepwise transcript store: share a run with `stepwise export RUN`, not this database.\n*\n',
    );
  }
  return openSqliteStore(path);
}

/**
 * Opens an existing store read-only, creating nothing: no store (a missing file; a PostgreSQL
 * schema without Stepwise's tables) is a NoStoreError naming where it looked.
 */
export async function openStoreForReading(target: StoreTarget): Promise<TranscriptStore> {
  if (target.kind === 'postgres') {
    const { openPostgresStore } = await import('./postgres-store.js');
    return openPostgresStore(target.url, { readonly: true });
  }
  if (!existsSync(target.path)) {
    throw new NoStoreError(
      target.from === 'option' || target.from === 'env'
        ? `no transcript store at ${target.path} (from ${SOURCE[target.from]}); a run records one there`
        : `no transcript store: no ${join(STORE_DIR, STORE_FILE)} in ${resolve(target.cwd)} or any folder above it; \`stepwise run\` records one there (or pass --store, or set STEPWISE_STORE)`,
    );
  }
  if (isFolder(target.path))
    throw new StoreError(
      `the transcript store ${target.path} is a folder; name a file (such as ${join(target.path, STORE_FILE)})`,
    );
  return openSqliteStore(target.path, { readonly: true });
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
