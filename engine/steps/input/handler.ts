import { coerceInput } from '../../run/prepare.js';
import { linearPatternProblem } from '../../redact/linear-regex.js';
import type { StepHandler } from '../handler.js';
import { attrTemplate } from '../step-attributes.js';
import type { Template } from '../../document/model.js';
import type { InputType } from '../../document/frontmatter-model.js';
import type { StepContext } from '../../run/context.js';
import { secretAnswerName } from './secret-answer.js';

/** An input, planned: the question, with its values (asked as shown and recorded). */
export interface InputPlan {
  question: string;
}

/** `input`: asks the responder for a value mid-run. */
export const inputHandler = {
  plan(ctx) {
    return { question: ctx.render(ctx.step.label!) };
  },
  record({ question }) {
    return { summary: `input: ${question}`, effect: true };
  },
  async execute(ctx, { question }) {
    const typeAttr = ctx.step.attributes.type;
    const type = (typeAttr?.type === 'enum' ? typeAttr.value : 'string') as InputType;
    const options = optionsOf(ctx, attrTemplate(ctx.step, 'options'));
    const pattern = attrTemplate(ctx.step, 'pattern');
    const patternText = pattern ? ctx.render(pattern) : null;
    // A pattern is run on RE2 (linear time): one it cannot express fails the step before anyone is asked.
    const problem = patternText === null ? undefined : linearPatternProblem(patternText);
    if (problem !== undefined) return { status: 'failed', error: `input \`${ctx.step.id}\`: pattern ${problem}` };
    const fallback = attrTemplate(ctx.step, 'default');
    const answer = await ctx.responder.input({
      stepId: ctx.step.id,
      question,
      type,
      options,
      pattern: patternText,
      defaultValue: fallback ? ctx.render(fallback) : null,
    });
    if (!answer.answered) return { status: 'blocked', error: answer.why };
    try {
      const decl = {
        name: ctx.step.id,
        type,
        ...(patternText !== null ? { pattern: patternText } : {}),
        ...(options ? { options: options as (string | number)[] } : {}),
      };
      const value = coerceInput(decl, answer.value);
      // However it was answered (typed, --answers, its default under --yes), a secret is masked from here on.
      if (type === 'secret' && value !== '') ctx.mask(secretAnswerName(ctx.step.id), String(value));
      ctx.record.input(type === 'secret' ? '***' : value, answer.via);
      return { status: 'passed', result: { value } };
    } catch (error) {
      return { status: 'failed', error: (error as Error).message };
    }
  },
} satisfies StepHandler<InputPlan>;

/** `options="a,b,c"`, or `options="{{ expr }}"` giving an array. */
function optionsOf(ctx: StepContext, template: Template | undefined): unknown[] | null {
  if (!template) return null;
  const parts = template.parts.filter((p) => p.type !== 'text' || p.text.trim() !== '');
  if (parts.length === 1 && parts[0]!.type === 'expr') {
    const value = ctx.evaluate(parts[0]!.expression);
    return Array.isArray(value) ? value : [value];
  }
  return ctx
    .render(template)
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
}
