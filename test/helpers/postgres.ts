/**
 * A PostgreSQL for tests: the local server at 127.0.0.1:5432 when it answers, else an embedded
 * PGlite behind a socket (real Postgres, one connection at a time). Each test file gets its own
 * schema. `server` says which, so tests that need a real server (cancel, pg_stat_activity) skip.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { postgresReachable } from '../../engine/drill/databases.js';

export interface TestDatabase {
  /** A URL whose search_path is this file's schema. */
  url: string;
  server: 'postgres' | 'pglite';
  schema: string;
  query(sql: string, params?: unknown[]): Promise<pg.QueryResult>;
  close(): Promise<void>;
}

/** STEPWISE_TEST_PG points the tests elsewhere; an unreachable URL forces the embedded server. */
const LOCAL = process.env.STEPWISE_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function testDatabase(): Promise<TestDatabase> {
  const schema = `t_${randomBytes(4).toString('hex')}`;
  let base = LOCAL;
  let server: TestDatabase['server'] = 'postgres';
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!(await postgresReachable(LOCAL))) {
    const { PGlite } = await import('@electric-sql/pglite');
    const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
    const db = await PGlite.create();
    const socket = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 16 });
    await socket.start();
    const port = Number(/:(\d+)$/.exec(String(socket.getServerConn()))?.[1]);
    base = `postgres://postgres@127.0.0.1:${port}/postgres`;
    server = 'pglite';
    stopEmbedded = async () => {
      await socket.stop();
      await db.close();
    };
  }
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.query(`SET search_path = ${schema}`);
  return {
    url: `${base}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    server,
    schema,
    query: (sql, params) => admin.query(sql, params),
    async close() {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`).catch(() => {});
      await admin.end();
      await stopEmbedded?.();
    },
  };
}
