import type { StepHandler } from '../handler.js';
import { attrTemplate } from '../step-attributes.js';

/** A confirm, planned: the question, with its values (asked as shown and recorded). */
export interface ConfirmPlan {
  question: string;
}

/** `confirm`: a human gate; the label is the question. */
export const confirmHandler = {
  plan(ctx) {
    return { question: ctx.render(ctx.step.label!) };
  },
  record({ question }) {
    return { summary: `confirm: ${question}`, effect: true };
  },
  async execute(ctx, { question }) {
    const danger = ctx.step.attributes.danger;
    const phrase = attrTemplate(ctx.step, 'phrase');
    const answer = await ctx.responder.confirm({
      stepId: ctx.step.id,
      question,
      danger: danger?.type === 'boolean' && danger.value,
      phrase: phrase ? ctx.render(phrase) : null,
    });
    if (!answer.answered) return { status: 'blocked', error: answer.why };
    ctx.record.confirm(answer.value, answer.via);
    const result = { answer: answer.value, by: answer.by, at: ctx.now().toISOString() };
    if (answer.value) return { status: 'passed', result };
    const onDecline = ctx.step.attributes['on-decline'];
    // "No" that the author made mean "skip this part": the run goes on without what this confirm guards.
    if (onDecline?.type === 'enum' && onDecline.value === 'skip')
      return { status: 'passed', result, skipsGuarded: `declined by ${answer.by} at \`${ctx.step.id}\`: ${question}` };
    return { status: 'declined', error: `declined: ${question}`, result };
  },
} satisfies StepHandler<ConfirmPlan>;
