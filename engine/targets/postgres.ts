/** `postgres`: a PostgreSQL server (`postgres://`), or an embedded PGlite (`pglite:memory`, `pglite:./dir`). */
import type { TargetKind } from './kind.js';
import { passwordsIn, withoutCredentials } from './url-credentials.js';

export const postgres: TargetKind = {
  kind: 'postgres',
  field: 'url',
  capability: 'sql',
  params: '$n',
  keys: ['readonly'],
  claims: (location) => /^(postgres|postgresql|pglite):/i.test(location),
  locate: (location) => location,
  describe: withoutCredentials,
  credentials: passwordsIn,
  async connect(target, options) {
    if (/^pglite:/i.test(target.location)) return (await import('../drivers/pglite.js')).openPglite(target.location);
    return (await import('../drivers/postgres.js')).openPostgres(target.location, options);
  },
};
