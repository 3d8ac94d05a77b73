import { targetKind } from '../targets/registry.js';
import { sqlWrites } from './sql-text.js';
import { SqlError } from '../drivers/sql-result.js';
import type { Template, TemplatePart } from '../document/model.js';
import { scanTemplate } from '../expr/template.js';
import { classifySql } from '../sql/classify.js';
import type { StepPlan } from '../run/events.js';
import { attrNumber, attrTemplate, firstLine, type StepHandler } from './handler.js';

/** The bound statements of a script step, by its plan (planned once, executed once). */
const scripts = new WeakMap<StepPlan, { sql: string; params: unknown[] }[]>();

/** `sql`: one statement (or a script) against a postgres or sqlite target. */
export const sql = {
  kind: 'sql',
  summary: 'runs one SQL statement (or a script with `script`) against a postgres or sqlite target',
  result: ['rows', 'rowCount', 'fields', 'command', 'truncated', 'sha256', 'ms'],
  changes: 'writes',
  guardHint: 'readonly=true if it does not write',
  effect: sqlWrites,
  attributes: {
    target: { type: 'target', doc: 'the postgres or sqlite target (optional when the runbook declares only one)' },
    readonly: {
      type: 'boolean',
      doc: 'true: run in a read-only transaction even if it looks like a write; false: treat as a write',
    },
    'max-rows': {
      type: 'integer',
      min: 1,
      doc: 'rows kept in the result (default 500); the rest are counted and hashed',
    },
    script: { type: 'boolean', doc: 'run several statements in one go' },
    query: { type: 'template', doc: 'the statement, for the leaf form `::sql{query="..."}`' },
  },
  label: 'optional',
  content: 'code',
  leafBody: 'query',
  target: 'sql',
  plan(ctx) {
    const target = ctx.target(ctx.node.target!);
    const template = ctx.step.body?.template ?? attrTemplate(ctx.step, 'query')!;
    // How bind parameters are written: `$1` for PostgreSQL, `?` for SQLite and MySQL.
    const dialect = targetKind(target.kind).params === '$n' ? 'postgres' : 'sqlite';
    const script = ctx.step.attributes.script;
    if (script?.type === 'boolean' && script.value) {
      const statements = splitTemplate(template)
        .map((t) => ctx.bind(t, dialect))
        .map((b) => ({ sql: b.text, params: b.params }));
      const plan: StepPlan = {
        summary: `script of ${statements.length} statements on ${target.name}`,
        text: statements.map((st) => `${st.sql};`).join('\n'),
        params: statements.map((st) => st.params),
        target: target.name,
        effect: ctx.node.effect,
      };
      scripts.set(plan, statements);
      return plan;
    }
    const { text, params } = ctx.bind(template, dialect);
    return {
      summary: `${firstLine(text)} on ${target.name}`,
      text,
      params,
      target: target.name,
      effect: ctx.node.effect,
    };
  },
  async execute(ctx, plan) {
    const readonlyAttr = ctx.step.attributes.readonly;
    const readonly = readonlyAttr?.type === 'boolean' ? readonlyAttr.value : !ctx.node.effect;
    const connection = await ctx.sql(plan.target!);
    const options = {
      readonly,
      timeoutMs: ctx.timeoutMs,
      maxRows: attrNumber(ctx.step, 'max-rows') ?? 500,
      signal: ctx.signal,
    };
    try {
      const statements = scripts.get(plan);
      const result = statements
        ? await connection.script(statements, options)
        : await connection.query(plan.text!, plan.params ?? [], options);
      return { status: 'passed', result };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return error instanceof SqlError && error.reason === 'timeout'
        ? { status: 'failed', error: message, timedOut: true }
        : { status: 'failed', error: message };
    }
  },
} satisfies StepHandler;

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
