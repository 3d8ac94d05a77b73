/** Shell commands → one shell step: `readonly` when every command only reads, else a confirm before it. */
import { DANGER, shellPhrase } from './danger.js';
import { stepId, suffixId } from './ids.js';
import { emptyNeeds } from './needs.js';
import { addGroup, type Plan } from './plan.js';
import { readOnly } from './read-only.js';
import type { ShellCommand } from './shell-lines.js';
import { shellTemplate } from './shell-template.js';
import { firstLine, firstWords } from './text.js';
import type { Context } from './types.js';
import { confirm, container, type Unit } from './units.js';

export function shellStep(plan: Plan, commands: ShellCommand[], ctx: Context, contentLine: number): void {
  const needs = emptyNeeds();
  const line = contentLine + commands[0]!.line;
  const script = commands
    .map((c) => [...c.comments.map((x) => `# ${x}`), c.text.replace(/^\s+/, '')].join('\n'))
    .join('\n');
  const body = shellTemplate(script, needs, line);
  const readonly = commands.every((c) => readOnly(c.text));
  const lead = commands[0]!.comments[0];
  const id = stepId(plan, ctx.title || lead || firstWords(commands[0]!.text), 'shell');
  const units: Unit[] = [];
  if (!readonly) {
    const first = firstLine(commands[0]!.text.trim());
    const danger = DANGER.test(ctx.around) || DANGER.test(commands.map((c) => c.comments.join(' ')).join(' '));
    units.push(
      confirm(
        suffixId(plan, id),
        `Run \`${first}\`${commands.length > 1 ? ` and ${commands.length - 1} more command${commands.length > 2 ? 's' : ''}` : ''}?`,
        danger ? shellPhrase(first) : null,
      ),
    );
  }
  units.push(container('shell', id, readonly ? 'readonly' : '', 'bash', body));
  addGroup(plan, {
    after: ctx.after,
    indent: ctx.indent,
    line,
    units,
    needs,
    what: `shell${readonly ? ' (read-only)' : ''}: ${firstLine(commands[0]!.text.trim())}`,
    review: [],
  });
}
