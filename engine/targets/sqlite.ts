/** `sqlite`: a SQLite file (`./data.db`, `sqlite:/abs/x.db`), relative to the runbook's folder. */
import { isAbsolute, resolve } from 'node:path';
import type { TargetKind } from './kind.js';

export const sqlite: TargetKind = {
  kind: 'sqlite',
  field: 'path',
  capability: 'sql',
  params: '?',
  keys: ['readonly'],
  claims: (location) => /^sqlite:/i.test(location) || /\.(db|sqlite3?)$/i.test(location) || location === ':memory:',
  locate(location, runbookDir) {
    const path = location.replace(/^sqlite:(\/\/)?/i, '');
    return path === ':memory:' || isAbsolute(path) ? path : resolve(runbookDir, path);
  },
  describe: (location) => location,
  credentials: () => ({}),
  async connect(target) {
    return (await import('../drivers/sqlite.js')).openSqlite(target.location, { readonly: target.readonly });
  },
};
