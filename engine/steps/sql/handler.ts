import { targetKind } from '../../targets/registry.js';
import { SqlError } from '../../drivers/sql-result.js';
import type { Template, TemplatePart } from '../../document/model.js';
import { scanTemplate } from '../../expr/template.js';
import { classifySql } from '../../sql/classify.js';
import type { StepHandler } from '../handler.js';
import { firstLine } from '../first-line.js';
import { attrNumber, attrTemplate } from '../step-attributes.js';

/** A sql step, planned: its statements with their bind values, and the target they run on. */
export interface SqlPlan {
  target: string;
  /** One statement, or (`script`) each of a script's statements with its own parameters. */
  statements: { sql: string; params: unknown[] }[];
  script: boolean;
  effect: boolean;
}

/** `sql`: one statement (or a script) against a postgres, sqlite or mysql target. */
export const sqlHandler = {
  plan(ctx) {
    const target = ctx.target(ctx.node.target!);
    const template = ctx.step.body?.template ?? attrTemplate(ctx.step, 'query')!;
    // How bind parameters are written: `$1` for PostgreSQL, `?` for SQLite and MySQL.
    const dialect = targetKind(target.kind).params === '$n' ? 'postgres' : 'sqlite';
    const script = ctx.step.attributes.script;
    const isScript = script?.type === 'boolean' && script.value;
    const statements = (isScript ? splitTemplate(template) : [template])
      .map((t) => ctx.bind(t, dialect))
      .map((b) => ({ sql: b.text, params: b.params }));
    return { target: target.name, statements, script: isScript, effect: ctx.node.effect };
  },
  record(plan) {
    if (plan.script)
      return {
        summary: `script of ${plan.statements.length} statements on ${plan.target}`,
        text: plan.statements.map((st) => `${st.sql};`).join('\n'),
        params: plan.statements.map((st) => st.params),
        target: plan.target,
        effect: plan.effect,
      };
    const { sql: text, params } = plan.statements[0]!;
    return { summary: `${firstLine(text)} on ${plan.target}`, text, params, target: plan.target, effect: plan.effect };
  },
  async execute(ctx, plan) {
    const readonlyAttr = ctx.step.attributes.readonly;
    const readonly = readonlyAttr?.type === 'boolean' ? readonlyAttr.value : !ctx.node.effect;
    const connection = await ctx.sql(plan.target);
    const options = {
      readonly,
      timeoutMs: ctx.timeoutMs,
      maxRows: attrNumber(ctx.step, 'max-rows') ?? 500,
      signal: ctx.signal,
    };
    try {
      const result = plan.script
        ? await connection.script(plan.statements, options)
        : await connection.query(plan.statements[0]!.sql, plan.statements[0]!.params, options);
      return { status: 'passed', result };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return error instanceof SqlError && error.reason === 'timeout'
        ? { status: 'failed', error: message, timedOut: true }
        : { status: 'failed', error: message };
    }
  },
} satisfies StepHandler<SqlPlan>;

/** A script's statements, each as its own template (placeholders numbered per statement). */
function splitTemplate(template: Template): Template[] {
  const source = template.source;
  const slots = scanTemplate(source).slots;
  const expressions = template.parts.flatMap((p) => (p.type === 'expr' ? [p.expression] : []));
  return classifySql(source, slots).statements.map(({ start, end }) => {
    const parts: TemplatePart[] = [];
    let cursor = start;
    slots.forEach((slot, i) => {
      if (slot.start < start || slot.end > end) return;
      if (slot.start > cursor) parts.push({ type: 'text', text: source.slice(cursor, slot.start) });
      parts.push({ type: 'expr', expression: expressions[i]! });
      cursor = slot.end;
    });
    if (end > cursor) parts.push({ type: 'text', text: source.slice(cursor, end) });
    return { source: source.slice(start, end), span: template.span, parts };
  });
}
