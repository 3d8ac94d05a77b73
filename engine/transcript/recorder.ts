/**
 * The transcript recorder: the Recorder the runner talks to. For each event it redacts the data
 * (failing closed: an event that cannot be redacted is not written, and the caller's step fails),
 * seals it onto the hash chain, hands it to the sinks (reporter, --json) and appends it to the
 * store. Events are committed in groups: a run/step boundary or an answered gate commits at
 * once, so nothing is lost once its step has finished; a `durable` event (the start of a step
 * with side effects) is fsync'd before record() returns, so before the side effect begins. With a
 * signing key, the head is signed at run.finished and at every run.interrupted.
 */
import type { KeyObject } from 'node:crypto';
import type { Redactor } from '../redact/redactor.js';
import type { RunEvent } from '../run/events.js';
import type { EventSink, Recorder, RecordedEvent } from '../run/recorder.js';
import type { TranscriptStore } from '../store/store.js';
import { seal, type ChainedEvent } from './chain.js';
import { signHead } from './sign.js';

/** Events that end a step or change the run: committed before record() returns. */
const COMMITS = new Set<RunEvent['type']>(['run.started', 'step.finished', 'confirm.answered', 'input.answered', 'run.interrupted', 'run.resumed', 'run.finished', 'head.signed']);

export interface TranscriptRecorderOptions {
  runId: string;
  store: TranscriptStore;
  redactor: Redactor;
  sinks: EventSink[];
  signingKey?: KeyObject;
  now?: () => Date;
  /** Continuing an existing transcript (resume): its last seq and hash. */
  after?: { seq: number; hash: string };
}

export interface TranscriptRecorder extends Recorder {
  /** The last event recorded: its seq and hash (the digest a run prints when it ends). */
  head(): { seq: number; hash: string } | null;
  /** The first error writing to the store, if any: the transcript is incomplete from there. */
  failure(): Error | null;
}

/** Why an event could not be recorded safely; nothing of it was written. */
export class UnrecordableError extends Error {}

export function transcriptRecorder(options: TranscriptRecorderOptions): TranscriptRecorder {
  const { runId, store, redactor, sinks } = options;
  const now = options.now ?? (() => new Date());
  let seq = options.after?.seq ?? 0;
  let prev: string | null = options.after?.hash ?? null;
  let pending: ChainedEvent[] = [];
  let writing: Promise<void> = Promise.resolve();
  let failed: Error | null = null;
  let scheduled = false;

  /** Appends what is pending, after every earlier append (the store sees events in order). */
  const flush = (durable: boolean): Promise<void> => {
    const batch = pending;
    pending = [];
    if (batch.length === 0 && !durable) return writing;
    writing = writing.then(async () => {
      if (failed) throw failed;
      try {
        await store.append(batch, durable);
      } catch (error) {
        failed = error as Error;
        throw failed;
      }
    });
    return writing;
  };

  const record = async (event: RunEvent, durable: boolean): Promise<ChainedEvent> => {
    if (failed) throw failed;
    let sealed: ChainedEvent;
    try {
      sealed = seal({ type: event.type, data: redactor.value(event.data) } as RunEvent, { seq: seq + 1, ts: now().toISOString(), runId, prev });
    } catch (error) {
      throw new UnrecordableError(`the ${event.type} event could not be redacted and recorded safely, so nothing of it was written: ${(error as Error).message}`);
    }
    seq = sealed.seq;
    prev = sealed.hash;
    pending.push(sealed);
    for (const sink of sinks) sink(sealed as RecordedEvent);
    if (durable || COMMITS.has(event.type)) {
      await flush(durable);
    } else if (!scheduled) {
      scheduled = true;
      setImmediate(() => {
        scheduled = false;
        flush(false).catch(() => {}); // remembered in `failed`; the next record() throws it
      });
    }
    if (options.signingKey && (event.type === 'run.finished' || event.type === 'run.interrupted')) {
      await record({ type: 'head.signed', data: signHead(sealed, options.signingKey) }, true);
    }
    return sealed;
  };

  return {
    record: (event, opts) => record(event, opts?.durable === true) as Promise<RecordedEvent>,
    async close() {
      await flush(false).catch(() => {});
    },
    head: () => (prev === null ? null : { seq, hash: prev }),
    failure: () => failed,
  };
}
