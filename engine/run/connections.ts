/** One SQL connection (a pool, for PostgreSQL) per target, opened when first used, closed at the end. */
import type { SqlConnection } from '../drivers/sql-result.js';
import type { ConnectOptions, ResolvedTarget } from '../targets/kind.js';
import { targetKind } from '../targets/registry.js';

export interface Connections {
  sql(target: ResolvedTarget): Promise<SqlConnection>;
  closeAll(): Promise<void>;
}

/** `poolSize`: sessions each database target may hold at once (--parallel N overlaps N steps). */
export function connections(options: ConnectOptions = {}): Connections {
  const open = new Map<string, Promise<SqlConnection>>();
  return {
    sql(target) {
      let connection = open.get(target.name);
      if (connection === undefined) {
        connection = connect(target, options);
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

async function connect(target: ResolvedTarget, options: ConnectOptions): Promise<SqlConnection> {
  const kind = targetKind(target.kind);
  if (!kind.connect) throw new Error(`target \`${target.name}\` is an ${target.kind} target, not a database`);
  return kind.connect(target, options);
}
