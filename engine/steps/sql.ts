import { SqlError } from '../drivers/sql-result.js';
import { attrNumber, attrTemplate, firstLine, type StepHandler } from './handler.js';

/** `sql`: one statement (or a script) against a postgres or sqlite target. */
export const sql = {
  kind: 'sql',
  summary: 'runs one SQL statement (or a script with `script`) against a postgres or sqlite target',
  attributes: {
    target: { type: 'target', doc: 'the postgres or sqlite target (optional when the runbook declares only one)' },
    readonly: { type: 'boolean', doc: 'true: run in a read-only transaction even if it looks like a write; false: treat as a write' },
    'max-rows': { type: 'integer', min: 1, doc: 'rows kept in the result (default 500); the rest are counted and hashed' },
    script: { type: 'boolean', doc: 'run several statements in one go' },
    query: { type: 'template', doc: 'the statement, for the leaf form `::sql{query="..."}`' },
  },
  label: 'optional',
  content: 'code',
  leafBody: 'query',
  targets: ['postgres', 'sqlite'],
  plan(ctx) {
    const target = ctx.target(ctx.node.target!);
    const template = ctx.step.body?.template ?? attrTemplate(ctx.step, 'query')!;
    const { text, params } = ctx.bind(template, target.kind === 'sqlite' ? 'sqlite' : 'postgres');
    return { summary: `${firstLine(text)} on ${target.name}`, text, params, target: target.name, effect: ctx.node.effect };
  },
  async execute(ctx, plan) {
    const readonlyAttr = ctx.step.attributes.readonly;
    const readonly = readonlyAttr?.type === 'boolean' ? readonlyAttr.value : !ctx.node.effect;
    const connection = await ctx.sql(plan.target!);
    const options = { readonly, timeoutMs: ctx.timeoutMs, maxRows: attrNumber(ctx.step, 'max-rows') ?? 500, signal: ctx.signal };
    try {
      const result = await connection.query(plan.text!, plan.params ?? [], options);
      return { status: 'passed', result };
    } catch (error) {
      return { status: 'failed', error: error instanceof SqlError || error instanceof Error ? error.message : String(error) };
    }
  },
} satisfies StepHandler;
