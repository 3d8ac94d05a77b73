import type { StepHandler } from './handler.js';

/** `set`: computes named values, each attribute an expression (`::set{#calc total="a.rowCount + 1"}`). */
export const set = {
  kind: 'set',
  summary: 'computes named values: each attribute is an expression; results are `id.name`',
  result: [],
  effect: () => false,
  pure: true,
  attributes: {},
  anyAttribute: { type: 'expression', doc: 'a value to compute' },
  label: 'optional',
  content: 'none',
  plan(ctx) {
    return { summary: `set ${Object.keys(ctx.step.attributes).join(', ')}`, effect: false };
  },
  async execute(ctx) {
    const result: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(ctx.step.attributes)) if (value.type === 'expression') result[name] = ctx.evaluate(value.expression);
    return { status: 'passed', result };
  },
} satisfies StepHandler;
