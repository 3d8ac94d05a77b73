/**
 * Database client command lines → sql steps: `psql … -c "…"`, `sqlite3 FILE "…"`, `mysql -e "…"`,
 * and their PowerShell forms (no backslash escapes there). An interactive session, SQL built from
 * shell variables, or `-f FILE` stays prose.
 */
import { stripPrefix } from './command-words.js';
import { leave, type Plan } from './plan.js';
import { type PsqlFlags, psqlUrl } from './psql-url.js';
import { powershellWords } from './request.js';
import { literal, parseWords, type ShellCommand, type Word } from './shell-lines.js';
import { sqlText } from './sql-steps.js';
import type { Context } from './types.js';

/** `psql … -c "…"`, `sqlite3 FILE "…"`, `mysql -e "…"` → sql steps; false when it is not such a line. */
export function sqlCommand(plan: Plan, cmd: ShellCommand, ctx: Context, line: number): boolean {
  if (/(^|\s)["']?[A-Za-z]:\\/.test(cmd.text)) return sqlCommandPs(plan, cmd.text, ctx, line);
  const parsed = parseWords(cmd.text);
  const words = stripPrefix(parsed.words);
  const name = literal(words[0] ?? []);
  if (name === null) return false;
  let sql: Word | null = null;
  let where: string | null = null;
  let kind: 'postgres' | 'sqlite' | 'mysql';
  const positional: Word[] = [];
  const flags: PsqlFlags = {};
  if (name === 'psql') {
    kind = 'postgres';
    for (let i = 1; i < words.length; i++) {
      const t = literal(words[i]!);
      const flag = t === null ? null : connectionFlag(t);
      if (t === '-c' || t === '--command') sql = words[++i] ?? null;
      else if (t?.startsWith('--command=')) sql = [{ lit: t.slice(10) }];
      else if (t === '-f' || t === '--file') return false;
      else if (t === '-d' || t === '--dbname') positional.push(words[++i] ?? []);
      else if (t?.startsWith('--dbname=')) positional.push([{ lit: t.slice(9) }]);
      else if (flag !== null) flags[flag.key] = flag.value ?? words[++i] ?? [];
      // -W (ask for a password) takes no value
      else if (t !== null && /^-[vPoFRT]$/.test(t)) i++;
      else if (t?.startsWith('-')) continue;
      else positional.push(words[i]!);
    }
  } else if (name === 'sqlite3') {
    kind = 'sqlite';
    for (let i = 1; i < words.length; i++) {
      const t = literal(words[i]!);
      if (t !== null && /^-(cmd|separator|nullvalue|newline|init)$/.test(t)) i++;
      else if (t?.startsWith('-')) continue;
      else positional.push(words[i]!);
    }
    sql = positional[1] ?? null;
    positional.splice(1);
  } else if (name === 'mysql' || name === 'mariadb') {
    kind = 'mysql';
    for (let i = 1; i < words.length; i++) {
      const t = literal(words[i]!);
      if (t === '-e' || t === '--execute') sql = words[++i] ?? null;
      else if (t !== null && /^-[hupPD]$/.test(t)) i++;
    }
  } else return false;
  if (sql === null) {
    if (parsed.operator === '<' || parsed.operator === '|') return false;
    leave(plan, line, `an interactive \`${name}\` session: Stepwise runs statements, not a prompt`);
    return true;
  }
  const statements = literal(sql);
  if (statements === null) {
    leave(plan, line, `\`${name}\` with SQL built from shell variables: write it as a sql step by hand`);
    return true;
  }
  if (parsed.rest !== '' && !/^\s*\|/.test(parsed.rest) && parsed.operator !== '>')
    leave(plan, line, `what follows the \`${name}\` command (\`${parsed.rest.trim().slice(0, 40)}\`)`);
  const conn = positional[0];
  if (conn !== undefined) {
    const v = conn.length === 1 && 'variable' in conn[0]! ? conn[0].variable : null;
    const t = literal(conn);
    if (v !== null) where = `$${v}`;
    else if (t !== null && (kind === 'sqlite' || /^postgres(ql)?:\/\//.test(t) || /^[A-Za-z_][\w-]*$/.test(t)))
      where = t;
  }
  // -h/-U/-p with a database name (or none): the URL they make
  if (kind === 'postgres' && (where === null || /^[A-Za-z_][\w-]*$/.test(where)))
    where = psqlUrl({ ...flags, ...(conn === undefined ? {} : { db: conn }) }) ?? where;
  sqlText(plan, statements, ctx, line, { kind, where });
  return true;
}

/** `sqlite3 S:\data\x.db "SQL"` in PowerShell (no backslash escapes there). */
export function sqlCommandPs(plan: Plan, text: string, ctx: Context, line: number): boolean {
  const { words } = powershellWords(text);
  const name = literal(words[0] ?? []);
  const args = words.slice(1).filter((w) => !(literal(w) ?? '').startsWith('-'));
  const sql = args[name === 'sqlite3' ? 1 : -1] !== undefined ? literal(args[1]!) : null;
  if (name === 'sqlite3' && args.length >= 2 && sql !== null) {
    const file = literal(args[0]!);
    if (file === null) return false;
    sqlText(plan, sql, ctx, line, { kind: 'sqlite', where: file });
    return true;
  }
  if (name === 'psql') {
    const i = words.findIndex((w) => literal(w) === '-c');
    const s = i >= 0 && words[i + 1] ? literal(words[i + 1]!) : null;
    if (s === null) return false;
    sqlText(plan, s, ctx, line, { kind: 'postgres', where: null });
    return true;
  }
  return false;
}

/** psql's `-h HOST`, `--host HOST`, `--host=HOST` (and -U, -p): which flag, and its value when attached. */
function connectionFlag(text: string): { key: 'host' | 'user' | 'port'; value?: Word } | null {
  const m = /^(?:-([hUp])|--(host|username|port))(?:=(.*))?$/s.exec(text);
  if (m === null || (m[1] !== undefined && m[3] !== undefined)) return null;
  const which = m[1] ?? m[2]!;
  const key = which === 'h' || which === 'host' ? 'host' : which === 'p' || which === 'port' ? 'port' : 'user';
  return m[3] === undefined ? { key } : { key, value: [{ lit: m[3] }] };
}
