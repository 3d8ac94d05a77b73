/**
 * Which store a command uses: `--store` (a path, or a postgres:// URL), else $STEPWISE_STORE,
 * else the nearest `.stepwise/stepwise.db` in the current folder or above (as git finds .git),
 * else a new one in the current folder.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { openSqliteStore } from './sqlite-store.js';
import type { TranscriptStore } from './store.js';

export const STORE_DIR = '.stepwise';
export const STORE_FILE = 'stepwise.db';

export function isPostgresUrl(spec: string): boolean {
  return /^postgres(ql)?:\/\//i.test(spec);
}

/** The store's location: a URL or an absolute path (not opened). */
export function storeLocation(option: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string {
  const spec = option ?? env.STEPWISE_STORE;
  if (spec) return isPostgresUrl(spec) ? spec : resolve(cwd, spec);
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const candidate = join(dir, STORE_DIR, STORE_FILE);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) break;
  }
  return join(resolve(cwd), STORE_DIR, STORE_FILE);
}

export async function openStore(location: string): Promise<TranscriptStore> {
  if (isPostgresUrl(location)) {
    const { openPostgresStore } = await import('./postgres-store.js');
    return openPostgresStore(location);
  }
  const dir = dirname(location);
  if (basename(dir) === STORE_DIR && !existsSync(location) && !existsSync(join(dir, '.gitignore'))) {
    // A new store in a .stepwise folder, in someone's repository: keep it out of git (share a run with `stepwise export`).
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '.gitignore'), '# Stepwise transcript store: share a run with `stepwise export RUN`, not this database.\n*\n');
  }
  return openSqliteStore(location);
}
