/**
 * A content-addressed cache of what checking a runbook found (its document and diagnostics), so
 * that `check` and `run` on a runbook that has not changed skip the Markdown parse, the costly
 * part (issue #13). It works the way ESLint's and TypeScript's caches do:
 *
 * - the key is a sha256 of the Stepwise version, the parse options, the runbook's path (as given
 *   and resolved: diagnostics print it, includes resolve from it) and its source; the entry also
 *   lists every file the runbook included with a sha256 of what was read (or why it could not
 *   be), and is used only if each still reads the same;
 * - each runbook path has one slot (a file named by a sha256 of the key without the source), so
 *   editing a runbook a thousand times replaces one entry instead of adding a thousand; and the
 *   folder is bounded: when a write adds a slot and the folder holds more than MAX_ENTRIES entries
 *   or MAX_BYTES, the least recently used entries (a hit touches its file) are removed;
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
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import type { Diagnostic } from './diagnostic.js';
import type { Block, RunbookDocument, Step } from './model.js';
import type { StepGraph } from '../graph/model.js';

/**
 * Bumped when the entry's shape changes; entries of another format are ignored. 2: include blocks
 * carry what a parameterised include binds (`binding`); steps carry their `loop`. 3: entries hold the
 * step graph, and the blocks hold each step as its index in the steps. 4: an entry is two lines,
 * its head (what `check` prints) and its body (the document and graph a run needs), so that
 * `check` reads only the head: the body of the 2,000-step drill is 3 MB, and reading and parsing
 * it was most of a cached check.
 */
const FORMAT = 4;

/** The folder's bounds: past either, a write that adds a slot removes the least recently used entries. */
export const MAX_ENTRIES = 500;
export const MAX_BYTES = 256 * 1024 * 1024;
/** A temporary file older than this was left by a process that died while writing: removed when pruning. */
const STALE_TEMPORARY_MS = 10 * 60 * 1000;

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
  /** The step graph check built from the document: a run needs it, and reading it is cheaper than building it. */
  graph: StepGraph;
}

/** What `check` needs of an entry: its diagnostics, and the secrets the runbook declares (for its warning about short ones). */
export interface CacheHead {
  diagnostics: Diagnostic[];
  secrets: RunbookDocument['frontmatter']['secrets'];
}

/** An entry's first line: what it is for, what it read, and what `check` prints. */
interface StoredHead extends CacheHead {
  format: number;
  key: string;
  version: string;
  reads: Read[];
}

/**
 * An entry's second line: the document's blocks hold each step as its index in `document.steps`
 * (a step is in both, and writing it twice doubled the entry), put back as the same object on
 * reading, as the parse made them.
 */
interface StoredBody {
  key: string;
  document: Omit<RunbookDocument, 'blocks'> & { blocks: StoredBlock[] };
  graph: StepGraph;
}

/** A block as written: a step as its index in `document.steps`, the blocks it holds likewise. */
type StoredBlock = { type: string; step?: number; blocks?: StoredBlock[]; [field: string]: unknown };

/** Every kind of block is written the same way: its `step` (if any) as an index, its `blocks` (if any) likewise. */
function storeBlocks(blocks: readonly Block[], index: ReadonlyMap<Step, number>): StoredBlock[] {
  return blocks.map((block): StoredBlock => {
    const stored: StoredBlock = { ...block } as StoredBlock;
    if ('step' in block) stored.step = index.get(block.step)!;
    if ('blocks' in block) stored.blocks = storeBlocks(block.blocks, index);
    return stored;
  });
}

/** The blocks with their steps back; throws on an index that is not a step (a damaged entry). */
function readBlocks(blocks: readonly StoredBlock[], steps: readonly Step[]): Block[] {
  return blocks.map((stored): Block => {
    const block: Record<string, unknown> = { ...stored };
    if (stored.step !== undefined) {
      const step = steps[stored.step];
      if (step === undefined) throw new Error(`no step ${stored.step}`);
      block.step = step;
    }
    if (stored.blocks !== undefined) block.blocks = readBlocks(stored.blocks, steps);
    return block as unknown as Block;
  });
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Where an entry is looked for, and what it must hold to be used. */
export interface CacheAddress {
  /** The entry's file name (without `.json`): one per runbook path, version and options. */
  slot: string;
  /** The whole key, the source included: an entry for another source is not used. */
  key: string;
}

export function cacheKey(input: CacheKeyInput): CacheAddress {
  const options = Object.entries(input.options)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const head = `stepwise-check-cache\0${FORMAT}\0${input.version}\0${options}\0${input.path}\0${resolve(input.path)}\0`;
  return {
    slot: createHash('sha256').update(head).digest('hex'),
    key: createHash('sha256').update(head).update(input.source).digest('hex'),
  };
}

/** The cache folder for a working folder. */
export function cacheDir(cwd: string): string {
  return join(cwd, '.stepwise', 'cache');
}

/** An entry's head, if it is one for `key` and `version` whose included files all still read the same. */
function soundHead(line: string, key: string, version: string, reread: (path: string) => Read): StoredHead | undefined {
  let head: StoredHead;
  try {
    head = JSON.parse(line) as StoredHead;
  } catch {
    return undefined;
  }
  if (
    head === null ||
    typeof head !== 'object' ||
    head.format !== FORMAT ||
    head.key !== key ||
    head.version !== version ||
    !Array.isArray(head.reads) ||
    !Array.isArray(head.diagnostics) ||
    typeof head.secrets !== 'object' ||
    head.secrets === null
  )
    return undefined;
  for (const read of head.reads) {
    const now = reread(read.path);
    if (now.sha256 !== read.sha256 || now.error !== read.error) return undefined;
  }
  return head;
}

/**
 * The first line of a file (an entry's head), read without reading the rest; undefined if it
 * cannot be read or has no line after it (an entry without its body is damaged).
 */
function firstLine(file: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const chunks: Buffer[] = [];
    const chunk = Buffer.allocUnsafe(64 * 1024);
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) return undefined;
      // A line ending is one byte in UTF-8, never part of another character.
      const newline = chunk.subarray(0, n).indexOf(10);
      if (newline !== -1) {
        chunks.push(Buffer.from(chunk.subarray(0, newline)));
        return Buffer.concat(chunks).toString('utf8');
      }
      chunks.push(Buffer.from(chunk.subarray(0, n)));
    }
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * What `check` prints for `key`, from the head of a sound entry whose included files all still
 * read the same (`reread` reads a file again the way the parse did); else undefined.
 */
export function readCacheHead(
  dir: string,
  { slot, key }: CacheAddress,
  version: string,
  reread: (path: string) => Read,
): CacheHead | undefined {
  const file = join(dir, `${slot}.json`);
  const line = firstLine(file);
  const head = line === undefined ? undefined : soundHead(line, key, version, reread);
  if (head === undefined) return undefined;
  touch(file);
  return { diagnostics: head.diagnostics, secrets: head.secrets };
}

/**
 * The entry for `key`, if there is a sound one whose included files all still read the same
 * (`reread` reads a file again the way the parse did); else undefined.
 */
export function readCacheEntry(
  dir: string,
  { slot, key }: CacheAddress,
  version: string,
  reread: (path: string) => Read,
): CacheEntry | undefined {
  const file = join(dir, `${slot}.json`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const newline = text.indexOf('\n');
  const head = newline === -1 ? undefined : soundHead(text.slice(0, newline), key, version, reread);
  if (head === undefined) return undefined;
  let document: RunbookDocument;
  let graph: StepGraph;
  try {
    const body = JSON.parse(text.slice(newline + 1)) as StoredBody;
    if (body.key !== key || typeof body.graph !== 'object' || body.graph === null) return undefined;
    document = { ...body.document, blocks: readBlocks(body.document.blocks, body.document.steps) };
    graph = body.graph;
  } catch {
    return undefined;
  }
  touch(file);
  return { document, diagnostics: head.diagnostics, graph };
}

/** Writes the entry atomically; any failure (a read-only folder, a full disk) is ignored. */
export function writeCacheEntry(
  dir: string,
  { slot, key }: CacheAddress,
  version: string,
  reads: readonly Read[],
  entry: CacheEntry,
): void {
  const file = join(dir, `${slot}.json`);
  const temporary = `${file}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
  try {
    mkdirSync(dir, { recursive: true });
    try {
      writeFileSync(join(dir, '.gitignore'), '# Stepwise cache: safe to delete\n*\n', { flag: 'wx' });
    } catch {
      // already there
    }
    const { document } = entry;
    const index = new Map(document.steps.map((step, i) => [step, i]));
    const head: StoredHead = {
      format: FORMAT,
      key,
      version,
      reads: [...reads],
      diagnostics: entry.diagnostics,
      secrets: document.frontmatter.secrets,
    };
    const body: StoredBody = {
      key,
      document: { ...document, blocks: storeBlocks(document.blocks, index) },
      graph: entry.graph,
    };
    // JSON.stringify writes no line ending of its own: the first is the one between the two.
    writeFileSync(temporary, `${JSON.stringify(head)}\n${JSON.stringify(body)}`);
    const added = !existsSync(file);
    renameSync(temporary, file);
    if (added) pruneCache(dir);
  } catch {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // nothing was written
    }
  }
}

/** Marks an entry used, so pruning keeps it longer; failing to (a read-only folder) changes nothing. */
function touch(file: string): void {
  try {
    const now = new Date();
    utimesSync(file, now, now);
  } catch {
    // the entry is still good
  }
}

/**
 * Keeps the folder within MAX_ENTRIES entries and MAX_BYTES: removes the least recently used
 * entries (oldest modification time first) past either bound, and temporary files a process
 * left behind when it died. Files it did not write (the `.gitignore`, anything else) are kept.
 */
export function pruneCache(dir: string, bounds = { entries: MAX_ENTRIES, bytes: MAX_BYTES }): void {
  const entries: { path: string; mtimeMs: number; size: number }[] = [];
  const now = Date.now();
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    try {
      const stat = statSync(path);
      if (name.endsWith('.tmp')) {
        if (now - stat.mtimeMs > STALE_TEMPORARY_MS) rmSync(path, { force: true });
      } else if (/^[0-9a-f]{64}\.json$/.test(name)) entries.push({ path, mtimeMs: stat.mtimeMs, size: stat.size });
    } catch {
      // removed meanwhile by another process
    }
  }
  let bytes = entries.reduce((sum, e) => sum + e.size, 0);
  if (entries.length <= bounds.entries && bytes <= bounds.bytes) return;
  entries.sort((a, b) => a.mtimeMs - b.mtimeMs);
  let count = entries.length;
  for (const entry of entries) {
    if (count <= bounds.entries && bytes <= bounds.bytes) break;
    rmSync(entry.path, { force: true });
    count--;
    bytes -= entry.size;
  }
}
