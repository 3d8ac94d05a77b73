/**
 * A running step's output on its way into the transcript: each stream goes through its own
 * redacting stream, so a secret split across chunks is masked whole, and what is held back is
 * flushed when the step ends.
 */
import type { Redactor } from '../redact/redactor.js';
import type { Recorder } from './recorder.js';

export interface StepOutputs {
  /** Records the safe part of a chunk now (without waiting: output must not slow the step). */
  push(stepId: string, stream: 'stdout' | 'stderr', chunk: string): void;
  /** Records what each of the step's streams still holds. */
  flush(stepId: string): Promise<void>;
}

export function stepOutputs(redactor: Redactor, recorder: Recorder): StepOutputs {
  const streams = new Map<string, ReturnType<Redactor['stream']>>();
  const key = (stepId: string, stream: string): string => `${stepId}\u0000${stream}`;
  return {
    push(stepId, stream, chunk) {
      let redacting = streams.get(key(stepId, stream));
      if (!redacting) streams.set(key(stepId, stream), (redacting = redactor.stream()));
      const safe = redacting.push(chunk);
      if (safe !== '')
        void recorder.record({ type: 'step.output', data: { stepId, stream, chunk: safe } }).catch(() => {});
    },
    async flush(stepId) {
      for (const stream of ['stdout', 'stderr'] as const) {
        const redacting = streams.get(key(stepId, stream));
        if (!redacting) continue;
        streams.delete(key(stepId, stream));
        const rest = redacting.end();
        if (rest !== '') await recorder.record({ type: 'step.output', data: { stepId, stream, chunk: rest } });
      }
    },
  };
}
