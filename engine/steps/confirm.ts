import { attrTemplate, type StepHandler } from './handler.js';

/** `confirm`: a human gate; the label is the question. */
export const confirm = {
  kind: 'confirm',
  summary: 'a human gate: the label is the question; `danger` gates need a typed `phrase`',
  result: ['answer', 'by', 'at'],
  gate: true,
  attributes: {
    danger: { type: 'boolean', doc: 'a dangerous gate: never auto-answered by --yes; the responder types `phrase`' },
    phrase: { type: 'template', doc: 'the text a responder must type to pass a danger gate' },
    'on-decline': {
      type: 'enum',
      values: ['stop', 'skip'],
      doc: 'what "no" does: stop the run (default, exit 3), or skip the steps this confirm guards and go on',
    },
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
} satisfies StepHandler;
