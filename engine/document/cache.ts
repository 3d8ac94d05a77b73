/**
 * A content-addressed cache of what checking a runbook found (its document and diagnostics), so
 * that `check` and `run` on a runbook that has not changed skip the Markdown parse, the costly
 * part (issue #13). It works the way ESLint's and TypeScript's caches do:
 *
 * - the key is a sha256 of the Stepwise version, the parse options, the runbook's path (as given
 *   and resolved: diagnostics print it, includes resolve from it) and its source; the entry also
 *   lists every file the runbook included with a sha256 of what was read (or why it could not
 *   be), and is used only if each still reads the same;
 * - entries live in `.stepwise/cache/` of the working folder (beside the run store's
 *   `.stepwise/stepwise.db`: one folder of Stepwise's own state per project, which a read-only
 *   runbook folder does not prevent); the folder holds a `.gitignore` of `*`, and is safe to
 *   delete at any time;
 * - an entry is written to a temporary file and renamed into place, so a reader never sees half of
 *   one; an entry that cannot be read, is not JSON, or was written for another key or version is
 *   ignored (and written again); a folder that cannot be written just means no cache.
 *
 * It imports neither the parser nor the check rules: a command that finds its entry loads neither.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Diagnostic } from './diagnostic.js';
import type { RunbookDocument } from './model.js';

/** Bumped when the entry's shape changes; entries of another format are ignored. */
const FORMAT = 1;

export interface CacheKeyInput {
  version: string;
  path: string;
  source: string;
  /** Anything else the result depends on (the id scheme). */
  options: Record<string, string>;
}

/** One file read while parsing (an include): a sha256 of its text, or why it could not be read. */
export interface Read {
  path: string;
  sha256?: string;
  error?: string;
}

export interface CacheEntry {
  document: RunbookDocument;
  diagnostics: Diagnostic[];
}

interface StoredEntry extends CacheEntry {
  format: number;
  key: string;
  version: string;
  reads: Read[];
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function cacheKey(input: CacheKeyInput): string {
  const options = Object.entries(input.options)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  return createHash('sha256')
    .update(`stepwise-check-cache\0${FORMAT}\0${input.version}\0${options}\0${input.path}\0${resolve(input.path)}\0`)
    .update(input.source)
    .digest('hex');
}

/** The cache folder for a working folder. */
export function cacheDir(cwd: string): string {
  return join(cwd, '.stepwise', 'cache');
}

/**
 * The entry for `key`, if there is a sound one whose included files all still read the same
 * (`reread` reads a file again the way the parse did); else undefined.
 */
export function readCacheEntry(
  dir: string,
  key: string,
  version: string,
  reread: (path: string) => Read,
): CacheEntry | undefined {
  let stored: StoredEntry;
  try {
    stored = JSON.parse(readFileSync(join(dir, `${key}.json`), 'utf8')) as StoredEntry;
  } catch {
    return undefined;
  }
  if (
    stored === null ||
    typeof stored !== 'object' ||
    stored.format !== FORMAT ||
    stored.key !== key ||
    stored.version !== version ||
    !Array.isArray(stored.reads) ||
    !Array.isArray(stored.diagnostics) ||
    typeof stored.document !== 'object' ||
    stored.document === null
  )
    return undefined;
  for (const read of stored.reads) {
    const now = reread(read.path);
    if (now.sha256 !== read.sha256 || now.error !== read.error) return undefined;
  }
  return { document: stored.document, diagnostics: stored.diagnostics };
}

/** Writes the entry atomically; any failure (a read-only folder, a full disk) is ignored. */
export function writeCacheEntry(
  dir: string,
  key: string,
  version: string,
  reads: readonly Read[],
  entry: CacheEntry,
): void {
  const temporary = join(dir, `${key}.json.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`);
  try {
    mkdirSync(dir, { recursive: true });
    try {
      writeFileSync(join(dir, '.gitignore'), '# Stepwise cache: safe to delete\n*\n', { flag: 'wx' });
    } catch {
      // already there
    }
    const stored: StoredEntry = { format: FORMAT, key, version, reads: [...reads], ...entry };
    writeFileSync(temporary, JSON.stringify(stored));
    renameSync(temporary, join(dir, `${key}.json`));
  } catch {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // nothing was written
    }
  }
}
