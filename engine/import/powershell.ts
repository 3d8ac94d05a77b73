/**
 * A PowerShell block: `Invoke-WebRequest`/`iwr`/`Invoke-RestMethod` lines become http steps,
 * sqlite3/psql lines sql steps; the rest is Windows-only and stays prose, listed in one place.
 */
import type { Code } from 'mdast';
import { http } from './http-step.js';
import { leave, type Plan } from './plan.js';
import { powershellRequest, powershellWords } from './request.js';
import { literal } from './shell-lines.js';
import { sqlCommandPs } from './sql-command.js';
import type { Context } from './types.js';

export function powershellBlock(plan: Plan, node: Code, ctx: Context): void {
  const contentLine = ctx.line + 1;
  const lines = node.value.split('\n');
  const windowsOnly: string[] = [];
  let firstWindows = -1;
  for (let i = 0; i < lines.length; i++) {
    let text = lines[i]!.trim();
    const start = i;
    while (text.endsWith('`') && i + 1 < lines.length) text = `${text.slice(0, -1)} ${lines[++i]!.trim()}`;
    if (text === '' || text.startsWith('#')) continue;
    const { words } = powershellWords(text);
    const name = literal(words[0] ?? [])?.toLowerCase() ?? '';
    const request = powershellRequest(words);
    if (request !== null) {
      http(plan, request, ctx, contentLine + start, null, '');
      continue;
    }
    if ((name === 'sqlite3' || name === 'psql') && sqlCommandPs(plan, text, ctx, contentLine + start)) continue;
    if (firstWindows === -1) firstWindows = contentLine + start;
    windowsOnly.push(text);
  }
  if (windowsOnly.length > 0)
    leave(
      plan,
      firstWindows,
      `PowerShell (Windows-only): ${windowsOnly
        .slice(0, 3)
        .map((t) => `\`${t.slice(0, 50)}\``)
        .join(', ')}${windowsOnly.length > 3 ? ` and ${windowsOnly.length - 3} more` : ''}`,
    );
}
