import type { StepHandler } from '../handler.js';

/** A note, planned: its text, with its values (recorded as shown). */
export interface NotePlan {
  text: string;
}

/** `note`: text recorded in the transcript. */
export const noteHandler = {
  plan(ctx) {
    const template = ctx.step.label ?? ctx.step.body?.template;
    return { text: template ? ctx.render(template) : '' };
  },
  record({ text }) {
    return { summary: `note: ${text}`, effect: false };
  },
  async execute(ctx, { text }) {
    ctx.record.note(text);
    return { status: 'passed', result: { text } };
  },
} satisfies StepHandler<NotePlan>;
