/**
 * A new temporary folder with no `.stepwise/stepwise.db` in it or in any folder above it, for
 * tests of what Stepwise does where there is no store. The system's temp folder may itself have
 * one above it (a `stepwise run` started in /tmp makes /tmp/.stepwise), so the first candidate
 * base without one is used.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

function storeAbove(dir: string): string | null {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (existsSync(join(d, '.stepwise', 'stepwise.db'))) return join(d, '.stepwise', 'stepwise.db');
    if (dirname(d) === d) return null;
  }
}

export function bareTempDir(prefix: string): string {
  const candidates = [tmpdir(), '/var/tmp', '/dev/shm', homedir()];
  for (const base of candidates) {
    if (existsSync(base) && storeAbove(base) === null) return mkdtempSync(join(base, prefix));
  }
  throw new Error(
    `every temp folder has a Stepwise store above it (${candidates.map(storeAbove).join(', ')}); remove one to run this test`,
  );
}
