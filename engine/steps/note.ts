import type { StepHandler } from './handler.js';

/** `note`: text recorded in the transcript. */
export const note = {
  kind: 'note',
  summary: 'text recorded in the transcript (the label, or the container text)',
  result: ['text'],
  effect: () => false,
  attributes: {},
  label: 'optional',
  content: 'markdown',
  plan(ctx) {
    const template = ctx.step.label ?? ctx.step.body?.template;
    return { summary: `note: ${template ? ctx.render(template) : ''}`, effect: false };
  },
  async execute(ctx) {
    const template = ctx.step.label ?? ctx.step.body?.template;
    const text = template ? ctx.render(template) : '';
    ctx.record.note(text);
    return { status: 'passed', result: { text } };
  },
} satisfies StepHandler;
