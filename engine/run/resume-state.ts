/**
 * What a recorded run already did, read back from its transcript for `resume`: the steps that
 * finished (passed, or skipped by a condition) with their recorded results, the steps that
 * started and never finished (the run died mid-step: the side effect may or may not have
 * happened), the side-effecting steps that were cancelled or timed out after they started (the
 * same doubt), and the last event, which the resumed run chains onto.
 */
import type { ChainedEvent } from '../transcript/chain.js';

export interface ResumeState {
  /** A pass keeps what it recorded beside its result: a warning, or the failure an `expect=fail` step expected. */
  finished: Map<string, FinishedStep>;
  /** Started, never finished: recorded `interrupted`, re-run only after a confirm (or if idempotent). */
  interrupted: string[];
  /**
   * Side-effecting steps that may have taken effect: those in `interrupted`, and those cancelled
   * (Ctrl-C), timed out or interrupted after they started. Each runs again only after a confirm
   * (headless: `rerun: { id: yes }`), unless it is idempotent.
   */
  uncertain: Map<string, 'never finished' | 'cancelled' | 'timed-out' | 'interrupted'>;
  /** Inputs the run started with (as recorded: redacted). */
  inputs: Record<string, unknown>;
  last: { seq: number; hash: string };
  /** The run already ended with run.finished: there is nothing to resume. */
  finishedRun: { status: string } | null;
}

export type FinishedStep = {
  status: 'passed' | 'skipped';
  result?: unknown;
  warning?: string;
  expectedFailure?: string;
};

export function resumeState(events: readonly ChainedEvent[]): ResumeState {
  const finished = new Map<string, FinishedStep>();
  const open = new Set<string>();
  /** Whether each step's latest start had a side effect, and whether it then ended in doubt. */
  const effect = new Map<string, boolean>();
  const doubtful = new Map<string, 'cancelled' | 'timed-out' | 'interrupted'>();
  let inputs: Record<string, unknown> = {};
  let finishedRun: ResumeState['finishedRun'] = null;
  for (const event of events) {
    switch (event.type) {
      case 'run.started':
        inputs = event.data.inputs;
        break;
      case 'step.started':
        open.add(event.data.stepId);
        finished.delete(event.data.stepId);
        doubtful.delete(event.data.stepId);
        effect.set(event.data.stepId, event.data.plan.effect);
        break;
      case 'step.finished': {
        const d = event.data;
        open.delete(d.stepId);
        if (
          (d.status === 'cancelled' || d.status === 'timed-out' || d.status === 'interrupted') &&
          effect.get(d.stepId) === true
        )
          doubtful.set(d.stepId, d.status);
        else doubtful.delete(d.stepId);
        if (d.status === 'passed')
          finished.set(d.stepId, {
            status: 'passed',
            result: d.result,
            ...(d.warning !== undefined ? { warning: d.warning } : {}),
            ...(d.expectedFailure !== undefined ? { expectedFailure: d.expectedFailure } : {}),
          });
        else if (d.status === 'skipped' && !d.reason.startsWith('dry run'))
          finished.set(d.stepId, { status: 'skipped' });
        else finished.delete(d.stepId);
        break;
      }
      case 'run.resumed':
        finishedRun = null;
        break;
      case 'run.finished':
        finishedRun = { status: event.data.status };
        break;
      default:
        break;
    }
  }
  const last = events[events.length - 1]!;
  const interrupted = [...open];
  const uncertain: ResumeState['uncertain'] = new Map(doubtful);
  for (const id of interrupted) if (effect.get(id) !== false) uncertain.set(id, 'never finished');
  return { finished, interrupted, uncertain, inputs, last: { seq: last.seq, hash: last.hash }, finishedRun };
}
