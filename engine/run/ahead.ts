/**
 * `--parallel N`: steps started ahead of their turn. The scheduler walks the steps one at a time
 * in the serial order, and meanwhile starts up to N - 1 later steps whose dependencies have all
 * finished; the runner allows that only for steps without effect, gate or condition that use a
 * target (a query, a GET), the ones that spend their time waiting on the network. Such a step runs
 * exactly as it would in its turn, but the events it records (its start, output, assertion) are
 * held here, by step id, until its turn comes: then they go to the transcript in order, followed
 * by its end. So a parallel run's transcript lists the same steps in the same order as a serial
 * run's; only its times show the overlap. A step whose turn never comes (the run stopped before
 * it) leaves nothing in the transcript, as in a serial run.
 */
import { UnrecordableError } from '../transcript/chain-recorder.js';
import type { RunEvent } from './events.js';
import type { Recorder, RecordedEvent } from './recorder.js';

type Held = { event: RunEvent; options?: { durable?: boolean; commit?: boolean } };

interface Early<T> {
  events: Held[];
  work: Promise<T>;
}

export class Ahead<T> {
  private readonly early = new Map<string, Early<T>>();
  private readonly controller = new AbortController();
  /** The recorder the run uses: events of a step running ahead are held, the rest pass through. */
  readonly recorder: Recorder;

  constructor(
    private readonly inner: Recorder,
    outer: AbortSignal,
  ) {
    const onAbort = (): void => this.controller.abort(outer.reason);
    if (outer.aborted) onAbort();
    else outer.addEventListener('abort', onAbort, { once: true });
    this.recorder = {
      record: (event, options) => {
        const stepId = (event.data as { stepId?: unknown }).stepId;
        const held = typeof stepId === 'string' ? this.early.get(stepId) : undefined;
        if (held === undefined) return inner.record(event, options);
        held.events.push(options === undefined ? { event } : { event, options });
        // Numbered when its turn comes; nothing reads the placeholder's seq.
        return Promise.resolve({ ...event, seq: 0, ts: '', runId: '' } as RecordedEvent);
      },
      close: () => inner.close(),
    };
  }

  /** Aborted when the run is (the steps started ahead are cancelled), or when it stops early. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Starts `stepId` ahead of its turn; resolves when its work is over. */
  start(stepId: string, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const entry: Early<T> = { events: [], work: Promise.resolve(undefined as T) };
    this.early.set(stepId, entry);
    entry.work = run(this.controller.signal);
    return entry.work;
  }

  /**
   * The step's turn: undefined when it was not started ahead; otherwise waits for its work and
   * records what it held, in order. When its start cannot be recorded, nothing more of it is (in
   * its turn it would not have run): `notRecorded` says what to make of it instead.
   */
  take(stepId: string, notRecorded: (message: string) => T): Promise<T> | undefined {
    const entry = this.early.get(stepId);
    if (entry === undefined) return undefined;
    return (async () => {
      let done: T;
      try {
        done = await entry.work;
      } finally {
        this.early.delete(stepId);
      }
      for (const { event, options } of entry.events) {
        try {
          await this.inner.record(event, options);
        } catch (error) {
          if (!(error instanceof UnrecordableError)) throw error;
          if (event.type === 'step.started') return notRecorded(error.message);
          // Output or an assertion past the size limit is left out, as in the step's turn.
        }
      }
      return done;
    })();
  }

  /** The run stopped: the steps still running ahead are cancelled, and what they held is dropped. */
  abandon(): void {
    this.controller.abort(new Error('the run stopped before this step'));
  }
}
