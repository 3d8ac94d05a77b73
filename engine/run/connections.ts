/** One SQL connection (a pool, for PostgreSQL) per target, opened when first used, closed at the end. */
import type { SqlConnection } from '../drivers/sql-result.js';
import type { ResolvedTarget } from '../targets/kind.js';
import { targetKind } from '../targets/registry.js';

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
  const kind = targetKind(target.kind);
  if (!kind.connect) throw new Error(`target \`${target.name}\` is an ${target.kind} target, not a database`);
  return kind.connect(target);
}
