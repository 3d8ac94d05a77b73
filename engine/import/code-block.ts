/** A fenced code block → the converter for what it holds: by its language tag, else by its first line. */
import type { Code, RootContent } from 'mdast';
import { classifySql } from '../sql/classify.js';
import { httpBlock } from './http-block.js';
import { COMMAND_START, DATA_LANGS, POWERSHELL_LANGS, SHELL_LANGS, SQL_LANGS } from './languages.js';
import { leave, type Plan } from './plan.js';
import { powershellBlock } from './powershell.js';
import { methodLine } from './request.js';
import { shellBlock } from './shell-block.js';
import { sqlBlock } from './sql-block.js';
import type { Context } from './types.js';

export function codeBlock(plan: Plan, node: Code, ctx: Context, siblings: RootContent[], index: number): void {
  const lang = (node.lang ?? '').toLowerCase();
  const value = node.value;
  if (SQL_LANGS.has(lang)) return sqlBlock(plan, node, ctx, lang);
  if (SHELL_LANGS.has(lang)) return shellBlock(plan, node, ctx, lang, siblings, index);
  if (POWERSHELL_LANGS.has(lang)) return powershellBlock(plan, node, ctx);
  if (lang === 'http' || lang === 'rest') return httpBlock(plan, node, ctx);
  if (lang === 'promql' || lang === 'prometheus')
    return leave(plan, ctx.line, 'a PromQL query: run it in Prometheus (or as an http step against its API)');
  if (lang === 'cmd' || lang === 'bat' || lang === 'batch')
    return leave(plan, ctx.line, 'a Windows-only command block');
  if (DATA_LANGS.has(lang)) return;
  if (lang !== '') return leave(plan, ctx.line, `a \`${lang}\` block: Stepwise runs SQL, HTTP and shell only`);
  // No language: look at what it holds.
  const first = value
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '' && !l.startsWith('#') && !l.startsWith('--') && !l.startsWith('//'));
  if (first === undefined) return;
  if (/^\$ /.test(first) || COMMAND_START.test(first)) return shellBlock(plan, node, ctx, 'sh', siblings, index);
  if (methodLine(first) !== null) return httpBlock(plan, node, ctx);
  if (/^(SELECT|WITH|UPDATE|DELETE|INSERT|ALTER|DROP|TRUNCATE|VACUUM|ANALYZE|CREATE|EXPLAIN|SHOW)\b/i.test(first)) {
    const { statements } = classifySql(value);
    if (statements.length > 0 && statements.every((s) => s.assumed !== true)) return sqlBlock(plan, node, ctx, 'sql');
  }
}
