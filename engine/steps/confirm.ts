import { attrTemplate, type StepHandler } from './handler.js';

/** `confirm`: a human gate; the label is the question. */
export const confirm = {
  kind: 'confirm',
  summary: 'a human gate: the label is the question; `danger` gates need a typed `phrase`',
  result: ['answer', 'by', 'at'],
  attributes: {
    danger: { type: 'boolean', doc: 'a dangerous gate: never auto-answered by --yes; the responder types `phrase`' },
    phrase: { type: 'template', doc: 'the text a responder must type to pass a danger gate' },
  },
  label: 'required',
  content: 'markdown',
  plan(ctx) {
    return { summary: `confirm: ${ctx.render(ctx.step.label!)}`, effect: true };
  },
  async execute(ctx) {
    const danger = ctx.step.attributes.danger;
    const phrase = attrTemplate(ctx.step, 'phrase');
    const question = ctx.render(ctx.step.label!);
    const answer = await ctx.responder.confirm({ stepId: ctx.step.id, question, danger: danger?.type === 'boolean' && danger.value, phrase: phrase ? ctx.render(phrase) : null });
    if (!answer.answered) return { status: 'blocked', error: answer.why };
    ctx.record.confirm(answer.value, answer.via);
    const result = { answer: answer.value, by: answer.by, at: new Date().toISOString() };
    return answer.value ? { status: 'passed', result } : { status: 'declined', error: `declined: ${question}`, result };
  },
} satisfies StepHandler;
