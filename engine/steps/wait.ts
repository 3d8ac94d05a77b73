import type { StepHandler } from './handler.js';

/** `wait`: re-runs a step until an expression holds. */
export const wait = {
  kind: 'wait',
  summary: 're-runs a step every interval until an expression holds, or times out',
  result: ['passed', 'attempts'],
  changes: 're-runs a step that changes something',
  /** Only as much as the step it re-runs: the graph gives a wait the effect of its step. */
  effect: () => false,
  attributes: {
    step: { type: 'step-ref', required: true, doc: 'the step to re-run' },
    until: { type: 'expression', required: true, doc: 'the expression that ends the wait' },
    every: { type: 'duration', doc: 'interval between attempts (default 5s)' },
  },
  label: 'optional',
  content: 'none',
  plan(ctx) {
    const target = ctx.step.attributes.step;
    const until = ctx.step.attributes.until;
    const every = ctx.step.attributes.every;
    return { summary: `re-run ${target?.type === 'step-ref' ? target.id : '?'} every ${every?.type === 'duration' ? every.ms / 1000 : 5}s until ${until?.type === 'expression' ? until.expression.source : '?'}`, effect: ctx.node.effect };
  },
  async execute(ctx) {
    const target = ctx.step.attributes.step;
    const until = ctx.step.attributes.until;
    const every = ctx.step.attributes.every;
    if (target?.type !== 'step-ref' || until?.type !== 'expression') return { status: 'failed', error: 'wait needs `step` and `until`' };
    const waitFor = ctx.node.id.includes('.') && !target.id.includes('.') ? `${ctx.node.id.slice(0, ctx.node.id.lastIndexOf('.'))}.${target.id}` : target.id;
    const interval = every?.type === 'duration' ? every.ms : 5000;
    for (let attempt = 1; ; attempt++) {
      const outcome = await ctx.rerun(waitFor, attempt);
      if (ctx.signal.aborted) return { status: 'failed', error: `\`${until.expression.source}\` did not hold after ${attempt} attempts`, result: { passed: false, attempts: attempt } };
      if (outcome.status === 'passed' && ctx.evaluate(until.expression)) return { status: 'passed', result: { passed: true, attempts: attempt } };
      const aborted = await sleep(interval, ctx.signal);
      if (aborted) return { status: 'failed', error: `\`${until.expression.source}\` did not hold after ${attempt} attempts`, result: { passed: false, attempts: attempt } };
    }
  },
} satisfies StepHandler;

/** Resolves true if the signal aborted during the sleep. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(true);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(false);
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
