import type { StepSpec } from '../../document/step-spec.js';

/** The shortest interval between attempts: `check` refuses a shorter `every`, and a run never waits less. */
export const MIN_WAIT_INTERVAL_MS = 100;
/** Attempts a wait makes at most unless `attempts=` says otherwise: every attempt is recorded, so a wait is bounded. */
export const DEFAULT_WAIT_ATTEMPTS = 1000;

/**
 * `wait`: re-runs a step until an expression holds. Bounded three ways: attempts are at least
 * MIN_WAIT_INTERVAL_MS apart, at most `attempts` of them (default 1000), and the whole wait,
 * attempts included, ends at its `timeout` (default 30 s, as for every step).
 */
export const waitSpec = {
  kind: 'wait',
  summary: 're-runs a step every interval until an expression holds, or times out',
  result: ['passed', 'attempts'],
  changes: 're-runs a step that changes something',
  /** Only as much as the step it re-runs: the graph gives a wait the effect of its step. */
  effect: () => false,
  attributes: {
    step: { type: 'step-ref', required: true, doc: 'the step to re-run' },
    until: { type: 'expression', required: true, doc: 'the expression that ends the wait' },
    every: { type: 'duration', doc: `interval between attempts (default 5s, at least ${MIN_WAIT_INTERVAL_MS}ms)` },
    attempts: {
      type: 'integer',
      min: 1,
      doc: `attempts at most (default ${DEFAULT_WAIT_ATTEMPTS}); the whole wait also ends at its timeout`,
    },
  },
  label: 'optional',
  content: 'none',
  reruns: 'step',
  idText: (attr) => `${attr('step')} ${attr('until')}`,
} satisfies StepSpec;
