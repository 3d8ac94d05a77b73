/**
 * A SQL block → sql steps. A psql/sqlite3/mysql session (`db=# …` prompts) is read for its
 * statements; psql meta-commands stay prose; a client command line inside it is read as one.
 */
import type { Code } from 'mdast';
import { leave, type Plan } from './plan.js';
import { sqlCommand } from './sql-command.js';
import { sqlText } from './sql-steps.js';
import type { Context } from './types.js';

export function sqlBlock(plan: Plan, node: Code, ctx: Context, lang: string): void {
  const contentLine = ctx.line + 1;
  const lines = node.value.split('\n');
  const session = lines.some((l) => /^\s*([\w-]*[=-][#>]|sqlite>|mysql>|\s*\.\.\.>)\s?/.test(l));
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    let l = lines[i]!;
    if (session) {
      const m = /^\s*(?:[\w-]*[=-][#>]|sqlite>|mysql>|\s*\.\.\.>|->)\s?(.*)$/.exec(l);
      if (!m) {
        kept.push('');
        continue;
      }
      l = m[1]!;
    }
    const trimmed = l.trim();
    if (trimmed.startsWith('\\')) {
      leave(plan, contentLine + i, `a psql meta-command (\`${trimmed.split(/\s+/)[0]}\`): run it in psql`);
      kept.push('');
      continue;
    }
    if (/^(psql|sqlite3|mysql|mariadb)\b/.test(trimmed)) {
      const cmd = { text: trimmed, comments: [], line: i, lastLine: i, expected: null };
      sqlCommand(plan, cmd, ctx, contentLine + i);
      kept.push('');
      continue;
    }
    kept.push(l);
  }
  const text = kept.join('\n');
  const kind = lang.startsWith('sqlite') ? 'sqlite' : lang === 'mysql' ? 'mysql' : null;
  sqlText(plan, text, ctx, contentLine, kind === null ? null : { kind, where: null });
}
