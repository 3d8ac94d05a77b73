/** Reads a runbook file for a command; a file that cannot be read is a diagnostic, not a crash. */
import { readFileSync, statSync } from 'node:fs';
import type { Diagnostic } from '../engine/document/diagnostic.js';

const MAX_BYTES = 64 * 1024 * 1024;

export type Loaded = { ok: true; source: string } | { ok: false; diagnostic: Diagnostic };

export function loadRunbook(path: string): Loaded {
  const at = { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) return fail('cannot-read', `${path} is a directory; name a Markdown file`);
    if (stat.size > MAX_BYTES) return fail('too-large', `${path} is ${Math.round(stat.size / 1048576)} MB; runbooks over 64 MB are refused`);
    return { ok: true, source: readFileSync(path, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    return fail('cannot-read', `cannot read ${path}: ${why}`);
  }
  function fail(rule: string, message: string): Loaded {
    return { ok: false, diagnostic: { severity: 'error', rule, message, span: at } };
  }
}
