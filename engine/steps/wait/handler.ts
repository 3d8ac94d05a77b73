import type { StepPlan } from '../../run/events.js';
import type { StepHandler } from '../handler.js';
import { attrNumber } from '../step-attributes.js';
import { DEFAULT_WAIT_ATTEMPTS, MIN_WAIT_INTERVAL_MS } from './spec.js';

const DEFAULT_INTERVAL_MS = 5000;

/**
 * `wait`: re-runs a step until an expression holds. Bounded three ways: attempts are at least
 * MIN_WAIT_INTERVAL_MS apart, at most `attempts` of them (default 1000), and the whole wait,
 * attempts included, ends at its `timeout` (default 30 s, as for every step).
 */
export const waitHandler = {
  plan(ctx) {
    const target = ctx.step.attributes.step;
    const until = ctx.step.attributes.until;
    return {
      summary: `re-run ${target?.type === 'step-ref' ? target.id : '?'} every ${duration(interval(ctx.step))} until ${until?.type === 'expression' ? until.expression.source : '?'} (at most ${maxAttempts(ctx.step)} attempts within ${duration(ctx.timeoutMs)})`,
      effect: ctx.node.effect,
    };
  },
  record(plan) {
    return plan;
  },
  async execute(ctx) {
    const target = ctx.step.attributes.step;
    const until = ctx.step.attributes.until;
    if (target?.type !== 'step-ref' || until?.type !== 'expression')
      return { status: 'failed', error: 'wait needs `step` and `until`' };
    const waitFor =
      ctx.node.id.includes('.') && !target.id.includes('.')
        ? `${ctx.node.id.slice(0, ctx.node.id.lastIndexOf('.'))}.${target.id}`
        : target.id;
    const every = interval(ctx.step);
    const most = maxAttempts(ctx.step);
    const started = performance.now();
    const notYet = (attempt: number, why: string) => ({
      status: 'failed' as const,
      error: `\`${until.expression.source}\` did not hold after ${attempt} attempt${attempt === 1 ? '' : 's'}${why}`,
      result: { passed: false, attempts: attempt },
    });
    for (let attempt = 1; ; attempt++) {
      const outcome = await ctx.rerun(waitFor, attempt);
      if (ctx.signal.aborted) return notYet(attempt, '');
      if (outcome.status === 'passed' && ctx.evaluate(until.expression))
        return { status: 'passed', result: { passed: true, attempts: attempt } };
      if (attempt >= most) {
        const set = ctx.step.attributes.attempts !== undefined;
        return notYet(
          attempt,
          `: ${set ? `attempts=${most}` : `a wait makes at most ${most} attempts`}; raise attempts= (or every=) to wait longer`,
        );
      }
      // The next attempt would start past the wait's time limit: stop now, as a timeout.
      if (performance.now() - started + every >= ctx.timeoutMs)
        return {
          ...notYet(
            attempt,
            ` in ${duration(ctx.timeoutMs)}, the wait's time limit; raise its timeout= to wait longer`,
          ),
          timedOut: true,
        };
      const aborted = await sleep(every, ctx.signal);
      if (aborted) return notYet(attempt, '');
    }
  },
} satisfies StepHandler<StepPlan>;

function interval(step: Parameters<typeof attrNumber>[0]): number {
  const every = step.attributes.every;
  return Math.max(MIN_WAIT_INTERVAL_MS, every?.type === 'duration' ? every.ms : DEFAULT_INTERVAL_MS);
}

function maxAttempts(step: Parameters<typeof attrNumber>[0]): number {
  return attrNumber(step, 'attempts') ?? DEFAULT_WAIT_ATTEMPTS;
}

function duration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${ms / 1000}s`;
}

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
