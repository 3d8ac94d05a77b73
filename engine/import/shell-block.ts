/**
 * A shell block → steps. Commands run together in one shell step (a confirm before it unless
 * every command only reads); curl lines become http steps, database clients sql steps, `watch`
 * and `until` loops waits. Crontab lines, alternatives ("# or …"), interactive commands and
 * blocks that only set variables stay prose.
 */
import type { Code, RootContent } from 'mdast';
import { toString as textOf } from 'mdast-util-to-string';
import { stripPrefix, stripPrefixText } from './command-words.js';
import { http } from './http-step.js';
import { leave, type Plan } from './plan.js';
import { INTERACTIVE } from './read-only.js';
import { curlRequest } from './request.js';
import { literal, parseWords, type ShellCommand, shellCommands } from './shell-lines.js';
import { shellStep } from './shell-step.js';
import { sqlCommand } from './sql-command.js';
import { firstLine } from './text.js';
import type { Context } from './types.js';
import { loop } from './waits.js';
import { append } from '../append.js';

/** A crontab line. */
const CRON = /^(@(reboot|daily|hourly|weekly|monthly|yearly)|([\d*/,-]+\s+){4}[\d*/,-]+)\s/;

export function shellBlock(
  plan: Plan,
  node: Code,
  ctx: Context,
  lang: string,
  siblings: RootContent[],
  index: number,
): void {
  const contentLine = ctx.line + 1;
  let text = node.value;
  const lines = text.split('\n');
  if (lang === 'console' || lang === 'terminal' || lines.some((l) => /^\s*\$ /.test(l))) {
    // A session: commands after `$ `, the rest is output.
    text = lines.map((l) => (/^\s*\$ /.test(l) ? l.replace(/^\s*\$ /, '') : '')).join('\n');
  }
  const commands = shellCommands(text);
  if (commands.length > 0 && commands.every((c) => /^\s*(export\s+)?[A-Za-z_]\w*=\S*\s*(#.*)?$/.test(c.text))) {
    leave(
      plan,
      ctx.line,
      'variable settings only: each step runs in a process of its own, so set them in the environment (and list them under `env:`)',
    );
    return;
  }
  let pending: ShellCommand[] = [];
  let converted = 0;
  const flush = (): void => {
    if (pending.length > 0) {
      shellStep(plan, pending, ctx, contentLine);
      converted++;
    }
    pending = [];
  };
  let expectedFromSiblings: { text: string; node: RootContent } | null = null;
  const next = siblings[index + 1];
  const after = siblings[index + 2];
  if (
    node === siblings[index] &&
    next?.type === 'paragraph' &&
    /^(expected|example|sample)?\s*(response|output|result|returns?)?[^\n]{0,30}:$/i.test(textOf(next).trim()) &&
    /expect|respon|output|return/i.test(textOf(next)) &&
    after?.type === 'code'
  )
    expectedFromSiblings = { text: after.value, node: after };
  const curls = commands.filter((c) => /^\s*(sudo\s+)?curl\b/.test(c.text)).length;
  const assigned = new Set<string>();
  for (const cmd of commands) {
    const line = contentLine + cmd.line;
    const trimmed = cmd.text.trim();
    const lead = cmd.comments.join(' ');
    if (/^(or|alternatively|alternative)\b/i.test(lead) && converted + pending.length > 0) {
      flush();
      leave(plan, line, `an alternative to the command before it (\`${firstLine(trimmed)}\`): pick one`);
      continue;
    }
    if (CRON.test(trimmed)) {
      leave(plan, line, 'a crontab entry: schedule it with cron, not in a runbook run');
      continue;
    }
    const watch = /^watch\s+(?:-\S+\s+(?:\d+\s+)?)*(["']?)(.+)\1\s*$/s.exec(trimmed);
    const until = /^until\s+(.+?);\s*do\s+(?:[^;]*;\s*)?sleep\s+(\d+)\s*;?\s*done\s*$/s.exec(trimmed);
    if (watch || until) {
      flush();
      const every = Number(/-n\s*(\d+)/.exec(trimmed)?.[1] ?? until?.[2] ?? 5);
      loop(plan, (watch?.[2] ?? until?.[1])!, ctx, line, every, until !== null);
      converted++;
      continue;
    }
    const parsed = parseWords(cmd.text);
    const words = stripPrefix(parsed.words);
    const name = literal(words[0] ?? []) ?? '';
    const usesLocal = words.some((w) => w.some((p) => 'variable' in p && assigned.has(p.variable)));
    for (const m of cmd.text.matchAll(/(?:^|[\s;(])(?:export\s+|local\s+)?([A-Za-z_]\w*)=/g)) assigned.add(m[1]!);
    if (usesLocal) {
      // it reads a variable an earlier command of the block set: it stays in that script
      pending.push(cmd);
      continue;
    }
    if (name === 'curl') {
      const request = curlRequest(words);
      if (request === null) {
        leave(plan, line, 'a curl command without a URL');
        continue;
      }
      flush();
      let expected = cmd.expected;
      if (expected === null && expectedFromSiblings !== null && curls === 1) {
        expected = expectedFromSiblings.text;
        plan.consumed.add(expectedFromSiblings.node);
        ctx = { ...ctx, after: expectedFromSiblings.node.position!.end.line };
      }
      http(plan, request, ctx, line, expected, parsed.rest);
      converted++;
      continue;
    }
    if (name === 'psql' || name === 'sqlite3' || name === 'mysql' || name === 'mariadb') {
      const before = plan.groups.length;
      if (sqlCommand(plan, cmd, ctx, line)) {
        // the commands before it run first: their step goes before the sql step
        const added = plan.groups.splice(before);
        flush();
        append(plan.groups, added);
        converted++;
        continue;
      }
    }
    const plain = stripPrefixText(trimmed);
    if (INTERACTIVE.test(plain)) {
      flush();
      leave(plan, line, `\`${firstLine(trimmed)}\` waits for a person or never ends: run it in a terminal`);
      continue;
    }
    pending.push(cmd);
  }
  flush();
}
