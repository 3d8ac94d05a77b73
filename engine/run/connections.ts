/** One SQL connection (a pool, for PostgreSQL) per target, opened when first used, closed at the end. */
import type { SqlConnection } from '../drivers/sql-result.js';
import type { ResolvedTarget } from './targets.js';

export interface Connections {
  sql(target: ResolvedTarget): Promise<SqlConnection>;
  closeAll(): Promise<void>;
}

export function connections(): Connections {
  const open = new Map<string, Promise<SqlConnection>>();
  return {
    sql(target) {
      let connection = open.get(target.name);
      if (connection === undefined) {
        connection = connect(target);
        open.set(target.name, connection);
        connection.catch(() => open.delete(target.name));
      }
      return connection;
    },
    async closeAll() {
      const all = [...open.values()];
      open.clear();
      await Promise.allSettled(all.map(async (c) => (await c).close()));
    },
  };
}

async function connect(target: ResolvedTarget): Promise<SqlConnection> {
  if (target.kind === 'sqlite') return (await import('../drivers/sqlite.js')).openSqlite(target.path, { readonly: target.readonly });
  if (target.kind === 'postgres') {
    if (/^pglite:/i.test(target.url)) return (await import('../drivers/pglite.js')).openPglite(target.url);
    return (await import('../drivers/postgres.js')).openPostgres(target.url);
  }
  throw new Error(`target \`${target.name}\` is an http target, not a database`);
}
