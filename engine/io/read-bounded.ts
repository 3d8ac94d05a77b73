/**
 * Reading a text file a user named (a runbook, an include, an answers, secrets or key file, an
 * exported transcript) only when it is a regular file, and only up to a size limit: `/dev/zero`
 * would otherwise grow to gigabytes, a FIFO would block forever, a directory gives a confusing
 * EISDIR. The file is stat'ed before it is opened (a FIFO or a device is never opened), opened
 * non-blocking, and its descriptor fstat'ed again (it may have been swapped since); the read stops
 * one byte past the limit (a file may grow while it is read).
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';

/** The default limit: no runbook, include, answers or secrets file comes near it. */
export const MAX_TEXT_FILE_BYTES = 10 * 1024 * 1024;

export interface ReadTextOptions {
  /** What the file should be, for messages: `runbook file` gives "…; give a runbook file". */
  what: string;
  /** Larger files are refused (default MAX_TEXT_FILE_BYTES). */
  maxBytes?: number;
}

/**
 * Why a file was not read. `message` is a whole sentence naming the path; `code` is the system
 * error's (ENOENT, EACCES, ...) when there was one, and unset when the file is not a regular file
 * (`reason: 'not-regular'`) or is too large (`reason: 'too-large'`).
 */
export class FileReadError extends Error {
  constructor(
    message: string,
    readonly path: string,
    readonly reason: 'not-regular' | 'too-large' | 'unreadable',
    readonly code?: string,
  ) {
    super(message);
  }
}

/** Opened this way, a FIFO does not wait for a writer, nor a terminal become the controlling one. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

/** The file's text (UTF-8), or a FileReadError saying why not. */
export function readTextFile(path: string, options: ReadTextOptions): string {
  const maxBytes = options.maxBytes ?? MAX_TEXT_FILE_BYTES;
  check(
    path,
    stat(path, () => statSync(path)),
    options.what,
    maxBytes,
  );
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (error) {
    throw systemError(path, error, options.what);
  }
  try {
    check(
      path,
      stat(path, () => fstatSync(fd)),
      options.what,
      maxBytes,
    );
    let buffer = Buffer.allocUnsafe(Math.min(fstatSync(fd).size, maxBytes) + 1);
    let total = 0;
    for (;;) {
      if (total === buffer.length) {
        // Grew since the stat (or a size the kernel does not report, as /proc files): read on, in bounds.
        const larger = Buffer.allocUnsafe(Math.min(Math.max(buffer.length * 2, 64 * 1024), maxBytes + 1));
        buffer.copy(larger, 0, 0, total);
        buffer = larger;
      }
      let n: number;
      try {
        n = readSync(fd, buffer, total, buffer.length - total, null);
      } catch (error) {
        throw systemError(path, error, options.what);
      }
      if (n === 0) break;
      total += n;
      if (total > maxBytes) throw tooLarge(path, total, maxBytes, options.what, 'more than ');
    }
    return buffer.toString('utf8', 0, total);
  } finally {
    closeSync(fd);
  }
}

function stat(path: string, how: () => Stats): Stats {
  try {
    return how();
  } catch (error) {
    throw systemError(path, error, '');
  }
}

function check(path: string, stats: Stats, what: string, maxBytes: number): void {
  if (!stats.isFile())
    throw new FileReadError(
      `\`${path}\` is not a regular file (${kindOf(stats)}); give ${article(what)} ${what}`,
      path,
      'not-regular',
    );
  if (stats.size > maxBytes) throw tooLarge(path, stats.size, maxBytes, what, '');
}

function tooLarge(path: string, size: number, maxBytes: number, what: string, more: string): FileReadError {
  return new FileReadError(
    `\`${path}\` is ${more}${bytes(size)}, over the ${bytes(maxBytes)} limit for ${article(what)} ${what}`,
    path,
    'too-large',
  );
}

function systemError(path: string, error: unknown, what: string): FileReadError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EISDIR')
    return new FileReadError(
      `\`${path}\` is not a regular file (a directory)${what ? `; give ${article(what)} ${what}` : ''}`,
      path,
      'not-regular',
    );
  const why =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'ENOTDIR'
          ? 'a folder on the way is a file'
          : (code ?? (error as Error).message);
  return new FileReadError(`cannot read ${path}: ${why}`, path, 'unreadable', code);
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  return 'not a file';
}

function article(noun: string): string {
  return /^[aeiou]/i.test(noun) ? 'an' : 'a';
}

/** 11534336 → "11.0 MiB"; the limit itself reads "10 MiB". */
function bytes(n: number): string {
  const units: [number, string][] = [
    [1024 ** 3, 'GiB'],
    [1024 ** 2, 'MiB'],
    [1024, 'KiB'],
  ];
  for (const [size, unit] of units) {
    if (n >= size) return `${Number.isInteger(n / size) ? n / size : (n / size).toFixed(1)} ${unit}`;
  }
  return `${n} bytes`;
}
