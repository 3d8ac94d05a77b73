/** Reads a runbook file for a command; a file that cannot be read is a diagnostic, not a crash. */
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  type CacheAddress,
  type CacheHead,
  cacheDir,
  cacheKey,
  readCacheEntry,
  readCacheHead,
  type Read,
  sha256,
  writeCacheEntry,
} from '../engine/document/cache.js';
import type { Diagnostic } from '../engine/document/diagnostic.js';
import type { RunbookDocument } from '../engine/document/model.js';
import type { StepGraph } from '../engine/graph/model.js';
import { FileReadError, readTextFile } from '../engine/io/read-bounded.js';
import { BUILD, VERSION } from './version.js';

/** What cache entries are written for: this version, built from these sources (an edited build never reads an older one's entries). */
const CACHE_VERSION = `${VERSION}+${BUILD}`;

export type Loaded = { ok: true; source: string } | { ok: false; diagnostic: Diagnostic };

/** Only a regular file of at most 10 MiB: never a device, a FIFO or a directory (see read-bounded.ts). */
export function loadRunbook(path: string): Loaded {
  const at = { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };
  try {
    return { ok: true, source: readTextFile(path, { what: 'runbook file' }) };
  } catch (error) {
    if (!(error instanceof FileReadError)) throw error;
    return {
      ok: false,
      diagnostic: {
        severity: 'error',
        rule: error.reason === 'too-large' ? 'too-large' : 'cannot-read',
        message: error.message,
        span: at,
      },
    };
  }
}

export interface CacheOptions {
  /** The working folder: the cache is its `.stepwise/cache/` (engine/document/cache.ts). */
  cwd: string;
  /** false (`--no-cache`): neither read nor write the cache. */
  use: boolean;
  /**
   * Whether writing an entry may create the working folder's `.stepwise/`. `check` may; `run`
   * may only when that folder is where its store goes (the default store, which creates it
   * anyway): a run creates no folder but its store's (README: Transcripts, Where), so with
   * another store it writes entries only where a `.stepwise/` already is, and otherwise only reads them.
   */
  create: boolean;
}

/** What `check` needs of a runbook: its document and every diagnostic, in document order; and its step graph, for `run`. */
export interface Checked {
  document: RunbookDocument;
  diagnostics: Diagnostic[];
  graph: StepGraph;
}

/**
 * checkSource (engine/check/check.ts) through the cache: a runbook (and its includes) unchanged
 * since the last check is not parsed again. On a hit neither the parser nor the check rules are
 * loaded. The result is the same either way (test/golden/check/check-output.test.ts).
 */
export async function checkCached(source: string, path: string, cache: CacheOptions): Promise<Checked> {
  const address = addressOf(source, path);
  if (cache.use) {
    const hit = readCacheEntry(cacheDir(cache.cwd), address, CACHE_VERSION, reread);
    if (hit) return hit;
  }
  return checkAndStore(source, path, cache, address);
}

/**
 * What `check` prints of a runbook, through the cache: on a hit only the entry's head is read
 * (its document and graph are most of it, and `check` needs neither).
 */
export async function checkDiagnostics(source: string, path: string, cache: CacheOptions): Promise<CacheHead> {
  const address = addressOf(source, path);
  if (cache.use) {
    const hit = readCacheHead(cacheDir(cache.cwd), address, CACHE_VERSION, reread);
    if (hit) return hit;
  }
  const checked = await checkAndStore(source, path, cache, address);
  return { diagnostics: checked.diagnostics, secrets: checked.document.frontmatter.secrets };
}

function addressOf(source: string, path: string): CacheAddress {
  return cacheKey({ version: CACHE_VERSION, path, source, options: { generatedIds: 'content' } });
}

/** Reads an included file again, as the parse read it, for the cache's comparison. */
const reread = (file: string): Read => readOnce(readIncludedFile, file).read;

/** Parses and checks the runbook, and writes what it found to the cache (where options allow). */
async function checkAndStore(
  source: string,
  path: string,
  cache: CacheOptions,
  address: CacheAddress,
): Promise<Checked> {
  const dir = cacheDir(cache.cwd);
  const { checkSource } = await import('../engine/check/check.js');
  const reads: Read[] = [];
  const readFile = (file: string): string => {
    const { read, text, error } = readOnce(readIncludedFile, file);
    reads.push(read);
    if (error !== undefined) throw error;
    return text!;
  };
  const checked = checkSource(source, path, readFile);
  if (cache.use && (cache.create || existsSync(dirname(dir))))
    writeCacheEntry(dir, address, CACHE_VERSION, reads, checked);
  return { document: checked.document, diagnostics: checked.diagnostics, graph: checked.graph };
}

/** How included runbooks are read, as engine/document/include.ts's readIncludedFile (not imported: it would load the parser). */
function readIncludedFile(path: string): string {
  return readTextFile(path, { what: 'runbook file' });
}

/** Reads an included file as the parse does, and what the cache records of it. */
function readOnce(read: (path: string) => string, path: string): { read: Read; text?: string; error?: unknown } {
  try {
    const text = read(path);
    return { read: { path, sha256: sha256(text) }, text };
  } catch (error) {
    const why =
      error instanceof FileReadError && error.code === undefined
        ? error.message
        : ((error as NodeJS.ErrnoException).code ?? (error as Error).message);
    return { read: { path, error: String(why) }, error };
  }
}
