/**
 * Inline code and links in prose: a `curl …`, `GET /path`, `psql -c …` or health-check URL in
 * backticks becomes a step; a dashboard or status-page link, and inline PowerShell, stay prose.
 */
import type { RootContent } from 'mdast';
import { toString as textOf } from 'mdast-util-to-string';
import { stripPrefix } from './command-words.js';
import { http } from './http-step.js';
import { leave, type Plan } from './plan.js';
import { curlRequest, methodLine, powershellRequest, powershellWords } from './request.js';
import { parseWords } from './shell-lines.js';
import { sqlCommand } from './sql-command.js';
import type { Context } from './types.js';

export function inline(plan: Plan, value: string, line: number, ctx: Context, root: RootContent): void {
  const text = value.trim();
  const inTable = root.type === 'table';
  if (/^(sudo\s+)?curl\s/.test(text)) {
    const parsed = parseWords(text);
    const request = curlRequest(stripPrefix(parsed.words));
    if (request !== null) http(plan, request, ctx, line, null, parsed.rest);
    return;
  }
  const method = methodLine(text);
  if (method !== null) return http(plan, method, ctx, line, null, '');
  if (/^(psql|sqlite3|mysql)\s/.test(text)) {
    sqlCommand(plan, { text, comments: [], line: 0, lastLine: 0, expected: null }, ctx, line);
    return;
  }
  if (/^(iwr|irm|invoke-webrequest|invoke-restmethod)\s/i.test(text)) {
    const request = powershellRequest(powershellWords(text).words);
    if (request !== null) http(plan, request, ctx, line, null, '');
    return;
  }
  if (/^\/[\w\-./{}<>?=&%:]*$/.test(text) && !/\.\w{1,5}$/.test(text.replace(/\?.*$/, '')) && !inTable) {
    if (/^\/api\//.test(text) || /\/(healthz?|readyz?|livez|ready|ping|status|metrics)(\?|$)/.test(text)) {
      http(plan, methodLine(`GET ${text}`)!, ctx, line, null, '');
    }
    return;
  }
  const health = /https?:\/\/[^\s'"`)]+\/(healthz?|readyz?|livez|ping)\b[^\s'"`)]*/.exec(text);
  if (health) {
    const request = methodLine(`GET ${health[0]}`);
    if (request !== null) http(plan, request, ctx, line, null, '');
    return;
  }
  if (/^(Copy-Item|Get-|Set-|Remove-|Start-|Stop-|Restart-|New-|Invoke-)\w*/.test(text))
    leave(plan, line, `PowerShell (Windows-only): \`${text.slice(0, 60)}\``);
}

export function link(plan: Plan, linkText: string, url: string, line: number, root: RootContent): void {
  if (!/^https?:\/\//.test(url)) return;
  const around = textOf(root);
  const host = /^https?:\/\/([^/]+)/.exec(url)?.[1] ?? '';
  if (
    /dashboard|console|grafana|kibana|datadog|new relic|pagerduty|sentry|status page/i.test(linkText) ||
    /^status\./.test(host) ||
    (/dashboard|status page|console/i.test(around) && root.type !== 'list')
  )
    leave(plan, line, `a dashboard or status page to look at: ${url}`);
}
