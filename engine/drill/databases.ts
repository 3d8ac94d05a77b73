/**
 * An isolated database for each drill scenario, loaded with the fixture's SQL, and removed after:
 *
 * - PostgreSQL server (`--target db=postgres://…` or STEPWISE_TEST_PG): a fresh database
 *   `stepwise_drill_<random>`, dropped (WITH FORCE) at the end;
 * - embedded PGlite (the default, nothing to install): a copy of an initialised data folder in the
 *   scenario's temporary folder (`pglite:/tmp/…`). Initialising one takes seconds, copying one
 *   a tenth of a second, so the empty data folder is made once and kept in the system's temporary
 *   folder for later drills. The instance that loads the fixture stays open for the run and the
 *   checks after it (one PGlite start per scenario, not three);
 * - SQLite: a new file in the scenario's temporary folder.
 *
 * Fixture SQL runs as whole scripts, as psql or sqlite3 would run the file.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { cp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { leasePglite, pgliteVersion } from '../drivers/pglite-instances.js';

export class DrillDatabaseError extends Error {}

export interface DrillDatabase {
  /** Where the run's target points: a URL, `pglite:DIR`, or a file path. */
  location: string;
  /** What it is, for the report: `PostgreSQL database stepwise_drill_1a2b3c4d`, `PGlite`, `SQLite`. */
  describe: string;
  close(): Promise<void>;
}

export type PostgresHost = { kind: 'server'; url: string } | { kind: 'pglite' };

/** Whether a PostgreSQL server answers at `url` (within 2 s). */
export async function postgresReachable(url: string): Promise<boolean> {
  const { pg } = await import('../drivers/pg-module.js');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

export async function provisionPostgres(
  host: PostgresHost,
  scripts: { file: string; text: string }[],
  workDir: string,
  label: string,
): Promise<DrillDatabase> {
  if (host.kind === 'pglite') return provisionPglite(scripts, workDir, label);
  const { pg } = await import('../drivers/pg-module.js');
  const name = `stepwise_drill_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: host.url, connectionTimeoutMillis: 5000 });
  admin.on('error', () => {});
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
  } catch (error) {
    await admin.end().catch(() => {});
    throw new DrillDatabaseError(`cannot create a drill database on ${safeUrl(host.url)}: ${(error as Error).message}`);
  }
  await admin.end().catch(() => {});
  const url = new URL(host.url);
  url.pathname = `/${name}`;
  const location = url.toString();
  const drop = async (): Promise<void> => {
    const again = new pg.Client({ connectionString: host.url, connectionTimeoutMillis: 5000 });
    again.on('error', () => {});
    try {
      await again.connect();
      await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } finally {
      await again.end().catch(() => {});
    }
  };
  const client = new pg.Client({ connectionString: location });
  client.on('error', () => {});
  try {
    await client.connect();
    // Notices (`DROP TABLE IF EXISTS` on nothing) are not the fixture's business.
    await client.query('SET client_min_messages = warning');
    for (const script of scripts) {
      try {
        await client.query(script.text);
      } catch (error) {
        throw new DrillDatabaseError(`${script.file}: ${(error as Error).message}`);
      }
    }
  } catch (error) {
    await client.end().catch(() => {});
    await drop().catch(() => {});
    throw error instanceof DrillDatabaseError ? error : new DrillDatabaseError((error as Error).message);
  }
  await client.end().catch(() => {});
  return { location, describe: `PostgreSQL database ${name}`, close: drop };
}

async function provisionPglite(
  scripts: { file: string; text: string }[],
  workDir: string,
  label: string,
): Promise<DrillDatabase> {
  const template = await pgliteTemplate();
  const dir = join(workDir, `${label}.pglite`);
  await cp(template, dir, { recursive: true });
  // The lease is held until the drill is over, so the run and the final-state checks (which
  // open `pglite:DIR` in this process) share this instance instead of starting PGlite again.
  // A throwaway folder needs no fsync per commit.
  const lease = await leasePglite(dir, { relaxedDurability: true });
  const remove = async (): Promise<void> => {
    await lease.release().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await lease.exclusive(async () => {
      await lease.db.exec('SET client_min_messages = warning');
      for (const script of scripts) {
        try {
          await lease.db.exec(script.text);
        } catch (error) {
          throw new DrillDatabaseError(`${script.file}: ${(error as Error).message}`);
        }
      }
      await lease.db.exec('RESET client_min_messages');
    });
  } catch (error) {
    await remove();
    throw error;
  }
  return { location: `pglite:${dir}`, describe: 'PGlite (embedded)', close: remove };
}

let templateMade: Promise<string> | undefined;

/** An initialised, empty PGlite data folder, made once per PGlite version and user, and kept. */
export function pgliteTemplate(): Promise<string> {
  templateMade ??= (async () => {
    const version = pgliteVersion();
    const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
    const dir = join(tmpdir(), `stepwise-pglite-template-${version}-${uid}`);
    if (existsSync(join(dir, 'PG_VERSION'))) return dir;
    const building = `${dir}.tmp-${process.pid}-${randomBytes(3).toString('hex')}`;
    await (await leasePglite(building)).release();
    try {
      renameSync(building, dir);
    } catch {
      // Another drill made it meanwhile: use theirs.
      rmSync(building, { recursive: true, force: true });
    }
    return dir;
  })();
  templateMade.catch(() => (templateMade = undefined));
  return templateMade;
}

export async function provisionSqlite(
  scripts: { file: string; text: string }[],
  workDir: string,
  label: string,
): Promise<DrillDatabase> {
  const Database = (await import('better-sqlite3')).default;
  mkdirSync(workDir, { recursive: true });
  const path = join(workDir, `${label}.db`);
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    for (const script of scripts) {
      try {
        db.exec(script.text);
      } catch (error) {
        throw new DrillDatabaseError(`${script.file}: ${(error as Error).message}`);
      }
    }
  } finally {
    db.close();
  }
  return {
    location: path,
    describe: 'SQLite (temporary file)',
    close: async () => {
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
    },
  };
}

function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(an invalid URL)';
  }
}
