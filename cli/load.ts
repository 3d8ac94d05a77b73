/** Reads a runbook file for a command; a file that cannot be read is a diagnostic, not a crash. */
import type { Diagnostic } from '../engine/document/diagnostic.js';
import { FileReadError, readTextFile } from '../engine/io/read-bounded.js';

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
