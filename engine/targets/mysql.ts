/** `mysql`: a MySQL or MariaDB server (`mysql://user:password@host:3306/database`, or `mariadb://`). */
import type { TargetKind } from './kind.js';
import { passwordsIn, withoutCredentials } from './url-credentials.js';

export const mysql: TargetKind = {
  kind: 'mysql',
  field: 'url',
  capability: 'sql',
  params: '?',
  keys: ['readonly'],
  claims: (location) => /^(mysql|mariadb):\/\//i.test(location),
  locate: (location) => location.replace(/^mariadb:/i, 'mysql:'),
  describe: withoutCredentials,
  credentials: passwordsIn,
  async connect(target, options) {
    return (await import('../drivers/mysql.js')).openMysql(target.location, options);
  },
};
