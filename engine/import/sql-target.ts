/**
 * The target a sql step goes to: one given with `--targets`, else one inferred from the command
 * line (a URL, a database name, `$VARIABLE`, a SQLite file) or from the runbook's hints, declared
 * with an environment variable to override it and a local default. A password is never kept.
 */
import { inputName, type Needs } from './needs.js';
import type { Plan } from './plan.js';
import { flow } from './text.js';
import type { SqlWhere } from './types.js';

export function sqlTarget(plan: Plan, target: SqlWhere | null, needs: Needs): string {
  const given = plan.options.targets;
  if (given !== undefined) {
    const names = Object.keys(given);
    const sqlish = names.find((n) => {
      const d = given[n];
      const text = typeof d === 'string' ? d : JSON.stringify(d);
      return /postgres|sqlite|mysql|mariadb|pglite|\.db\b/.test(text);
    });
    if (sqlish !== undefined) {
      needs.targets.set(sqlish, flow(given[sqlish]));
      return sqlish;
    }
  }
  let kind = target?.kind ?? null;
  let where = target?.where ?? null;
  if (kind === null || (where === null && kind === 'postgres')) {
    if (kind === null && plan.hints.pgVar === null && plan.hints.sqlitePath !== null) kind = 'sqlite';
    else if (kind === null && plan.hints.pgVar === null && plan.hints.mysql) kind = 'mysql';
    kind ??= 'postgres';
    if (where === null)
      where =
        kind === 'postgres' && plan.hints.pgVar !== null
          ? `$${plan.hints.pgVar}`
          : kind === 'sqlite'
            ? plan.hints.sqlitePath
            : null;
  }
  if (kind === 'sqlite' && where === null) where = plan.hints.sqlitePath ?? './data.db';
  const key = `${kind}:${where ?? ''}`;
  let name = plan.sqlTargets.get(key);
  if (name === undefined) {
    const base = plan.sqlTargets.size === 0 ? 'db' : `db_${inputName(targetLabel(kind, where))}`;
    name = base;
    for (let n = 2; [...plan.sqlTargets.values(), ...plan.httpTargets.values()].includes(name); n++)
      name = `${base}_${n}`;
    plan.sqlTargets.set(key, name);
  }
  // each database its own variable to point it elsewhere: DATABASE_URL for the first, DB_ORDERS_URL, …
  const urlVar = name === 'db' ? 'DATABASE_URL' : `${name.toUpperCase()}_URL`;
  let decl: string;
  if (kind === 'sqlite') {
    decl = `{ kind: sqlite, path: ${JSON.stringify(where)} }`;
  } else if (kind === 'mysql') {
    decl = `{ kind: mysql, url: "\${MYSQL_URL:-mysql://root@127.0.0.1:3306/mysql}" }`;
  } else if (where?.startsWith('$')) {
    decl = `{ kind: postgres, url: "\${${where.slice(1)}:-postgres://postgres@127.0.0.1:5432/postgres}" }`;
  } else if (where !== null && /^postgres(ql)?:\/\//.test(where)) {
    decl = `{ kind: postgres, url: ${JSON.stringify(`\${${urlVar}:-${withoutPassword(where)}}`)} }`;
  } else if (where !== null) {
    decl = `{ kind: postgres, url: ${JSON.stringify(`\${${urlVar}:-postgres://postgres@127.0.0.1:5432/${where}}`)} }`;
  } else {
    decl = `{ kind: postgres, url: "\${${urlVar}:-postgres://postgres@127.0.0.1:5432/postgres}" }`;
  }
  needs.targets.set(name, decl);
  return name;
}

/** What a second database target is named after: the file, the host and database of a URL, the variable. */
function targetLabel(kind: SqlWhere['kind'], where: string | null): string {
  if (kind === 'sqlite') return (where ?? 'file').replace(/^.*[\\/]/, '').replace(/\.\w+$/, '');
  const url = where === null ? null : /^postgres(?:ql)?:\/\/(?:[^@/]*@)?([^/:?]+)(?::\d+)?\/([^?]*)/.exec(where);
  if (url === null) return (where ?? kind).replace(/^\$/, '');
  const host = url[1]!.split('.')[0]!;
  if (/^(127\.|localhost$|\[)/.test(url[1]!)) return url[2] || host;
  return url[2] === '' ? host : `${host}_${url[2]}`;
}

function withoutPassword(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]+):[^@/]*@/, '$1:${PGPASSWORD}@');
}
