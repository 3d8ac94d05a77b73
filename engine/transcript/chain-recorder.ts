/**
 * The transcript recorder: the Recorder the runner talks to. For each event it redacts the data
 * at once (failing closed: an event that cannot be redacted is not written, and the caller's step
 * fails); then, when it commits, it seals the events onto the hash chain in order, hands them to
 * the sinks (reporter, --json) and appends them to the store. A `durable` event (the start of a
 * step with side effects) and everything before it is fsync'd before record() returns, so before
 * the side effect begins; the end of such a step, a gate's answer and the run's own events are
 * committed before record() returns. The rest (steps without side effects) is group-committed
 * GROUP_COMMIT_MS after the first of them, while the run waits on the network: at most that long
 * of read-only steps can be lost to a crash, and before any side effect nothing is. With a signing
 * key, the head is signed at run.finished and at every run.interrupted.
 */
import type { KeyObject } from 'node:crypto';
import type { Redactor } from '../redact/redactor.js';
import type { RunEvent, RunStartedData } from '../run/events.js';
import type { EventSink, Recorder, RecordedEvent } from '../run/recorder.js';
import type { TranscriptStore } from '../store/store.js';
import { canonicalJson, canonicalSize, normalize } from './canonical.js';
import { sealCanonical, type ChainedEvent } from './chain.js';
import { signHead } from './sign.js';

/** Events that change the run or answer a gate: committed before record() returns. */
const COMMITS = new Set<RunEvent['type']>([
  'run.started',
  'confirm.answered',
  'input.answered',
  'run.interrupted',
  'run.resumed',
  'run.finished',
  'head.signed',
]);

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

/** An event redacted and numbered, with its data's canonical JSON (what it is measured and hashed by). */
interface Numbered {
  event: RecordedEvent;
  dataJson: string;
}

/** Why an event could not be recorded safely; nothing of it was written. */
export class UnrecordableError extends Error {}

/**
 * The largest event a transcript holds: 16 MiB of canonical JSON, as stored (with its seq, ts,
 * runId, type, prev and hash). Results are bounded well below it (SQL cells and results, HTTP
 * bodies, shell output, set values); an event past it is refused and its step fails instead.
 */
export const MAX_EVENT_BYTES = 16 * 1024 * 1024;

/**
 * Read-only steps' events wait this long for company before they are committed: one SQLite
 * transaction for the steps of a few ms instead of one per step (a 2,000-step drill committed
 * 2,000 times, a tenth of its CPU). Side effects, gates and the run's own events never wait.
 */
export const GROUP_COMMIT_MS = 10;

/**
 * The bytes of an event's canonical JSON as stored besides its data: the envelope's fixed text,
 * with `prev` and `hash` as 64 hex digits each (`prev` is null only for the first event: counting
 * it as a digest overstates that one event by 62 bytes, as it always did).
 */
const ENVELOPE = Buffer.byteLength(
  `{"data":,"hash":"${'0'.repeat(64)}","prev":"${'0'.repeat(64)}","runId":,"seq":,"ts":,"type":}`,
);

/** The UTF-8 size of a string's JSON text, for the few strings an envelope holds (runId, type), kept per string. */
const quotedBytes = new Map<string, number>();
function jsonBytes(text: string): number {
  let bytes = quotedBytes.get(text);
  if (bytes === undefined) {
    bytes = Buffer.byteLength(JSON.stringify(text));
    if (quotedBytes.size >= 64) quotedBytes.clear();
    quotedBytes.set(text, bytes);
  }
  return bytes;
}

/**
 * The size of an event as stored: its canonical JSON with `prev` and `hash` (64 hex digits each).
 * `ts` is toISOString()'s text (ASCII, nothing to escape) and `seq` a whole number.
 */
function eventSize(head: { seq: number; ts: string; runId: string; type: string }, dataBytes: number): number {
  const { seq, ts, runId, type } = head;
  return ENVELOPE + jsonBytes(runId) + String(seq).length + ts.length + 2 + jsonBytes(type) + dataBytes;
}

function ofStep(event: RunEvent): string {
  const stepId = (event.data as { stepId?: unknown } | undefined)?.stepId;
  return typeof stepId === 'string' ? ` of step \`${stepId}\`` : '';
}

function tooLarge(event: RunEvent, size: number, atLeast: boolean): UnrecordableError {
  return new UnrecordableError(
    `the ${event.type} event${ofStep(event)} would be ${atLeast ? 'more than ' : ''}${mebibytes(size)} of canonical JSON, over the ${mebibytes(MAX_EVENT_BYTES)} a transcript event may hold, so nothing of it was written; keep less in the step's result (fewer or smaller values, max-rows=, max-bytes=)`,
  );
}

/** `16.2 MiB (17,000,034 bytes)`: near the limit the MiB alone would not tell the two apart. */
function mebibytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MiB (${bytes.toLocaleString('en-US')} bytes)`;
}

export function transcriptRecorder(options: TranscriptRecorderOptions): TranscriptRecorder {
  const { runId, store, redactor, sinks } = options;
  const now = options.now ?? (() => new Date());
  let seq = options.after?.seq ?? 0;
  let prev: string | null = options.after?.hash ?? null;
  let sealedSeq = seq;
  /** Redacted and numbered, not yet sealed, with their data's canonical JSON: hashing waits for the commit. */
  let pending: Numbered[] = [];
  let writing: Promise<void> = Promise.resolve();
  let failed: Error | null = null;
  let scheduled = false;

  /** Seals what is pending onto the chain and shows it; flush() writes it. */
  let sealed: ChainedEvent[] = [];
  const sealPending = (): void => {
    const batch = pending;
    pending = [];
    if (batch.length === 0 || failed) return;
    for (const { event: e, dataJson } of batch) {
      const event = sealCanonical(e, { seq: e.seq, ts: e.ts, runId, prev }, dataJson);
      prev = event.hash;
      sealedSeq = event.seq;
      sealed.push(event);
      for (const sink of sinks) sink(event as RecordedEvent);
    }
  };

  /** Seals what is pending and appends everything sealed, after every earlier append. */
  const flush = (durable: boolean): Promise<void> => {
    sealPending();
    const batch = sealed;
    sealed = [];
    if (batch.length > 0 && !failed) {
      writing = writing.then(async () => {
        if (failed) throw failed;
        try {
          await store.append(batch, durable);
        } catch (error) {
          failed = error as Error;
          throw failed;
        }
      });
    } else if (durable) {
      writing = writing.then(() => {
        if (failed) throw failed;
      });
    }
    return writing;
  };

  /**
   * run.started: the runbook's source is masked without touching its placeholders (the always-on
   * rules would garble `PGPASSWORD={{ ... }}`), so it still reads as the runbook that ran.
   */
  const redactStart = (d: RunStartedData): RunStartedData => {
    const { source, ...runbook } = d.runbook;
    const rest = redactor.value({ ...d, runbook });
    return { ...rest, runbook: { ...rest.runbook, source: redactor.source(source) } };
  };

  /**
   * Redacts and numbers an event; throws UnrecordableError when it cannot be redacted, or when it
   * would be larger than MAX_EVENT_BYTES (checked before redaction too, against a multiple of
   * the limit, so that redacting a huge value costs nothing).
   */
  const numbered = (event: RunEvent): Numbered => {
    let data: unknown;
    let normalized: unknown;
    // At least the size of the event's data (see Meter): a huge one is refused before it is redacted.
    const meter = { bytes: 0 };
    try {
      // Normalise first (bigint, Date, NaN → strings), so redaction sees every value as text.
      normalized = normalize(event.data, new Set(), meter);
    } catch (error) {
      throw new UnrecordableError(
        `the ${event.type} event${ofStep(event)} could not be redacted and recorded safely, so nothing of it was written: ${(error as Error).message}`,
      );
    }
    const rough = meter.bytes;
    if (rough > 4 * MAX_EVENT_BYTES) throw tooLarge(event, rough, true);
    try {
      data = event.type === 'run.started' ? redactStart(normalized as RunStartedData) : redactor.value(normalized);
    } catch (error) {
      throw new UnrecordableError(
        `the ${event.type} event${ofStep(event)} could not be redacted and recorded safely, so nothing of it was written: ${(error as Error).message}`,
      );
    }
    const ts = now().toISOString();
    const head = { seq: seq + 1, ts, runId, type: event.type };
    // A large event is measured before its text is made: the text of one past the limit is never built.
    if (rough > MAX_EVENT_BYTES / 2) {
      const size = eventSize(head, canonicalSize(data, MAX_EVENT_BYTES));
      if (size > MAX_EVENT_BYTES) throw tooLarge(event, size, false);
    }
    let dataJson: string;
    try {
      dataJson = canonicalJson(data);
    } catch (error) {
      throw new UnrecordableError(
        `the ${event.type} event${ofStep(event)} could not be recorded safely, so nothing of it was written: ${(error as Error).message}`,
      );
    }
    // A UTF-16 unit is at most 3 bytes of UTF-8: an event that small even so is not measured exactly.
    if (eventSize(head, 3 * dataJson.length) > MAX_EVENT_BYTES) {
      const size = eventSize(head, Buffer.byteLength(dataJson));
      if (size > MAX_EVENT_BYTES) throw tooLarge(event, size, false);
    }
    seq++;
    return { event: { type: event.type, data, seq: head.seq, ts, runId } as RecordedEvent, dataJson };
  };

  const record = async (event: RunEvent, durable: boolean, commit: boolean): Promise<RecordedEvent> => {
    if (failed) throw failed;
    const numberedEvent = numbered(event);
    const recorded = numberedEvent.event;
    pending.push(numberedEvent);
    if (options.signingKey && (event.type === 'run.finished' || event.type === 'run.interrupted')) {
      // The signature covers this event's hash; both go to the store in one append, so whoever
      // follows the run sees the signed head with the event it signs.
      sealPending();
      pending.push(
        numbered({ type: 'head.signed', data: signHead({ runId, seq: sealedSeq, hash: prev! }, options.signingKey) }),
      );
      await flush(true);
    } else if (durable || commit || COMMITS.has(event.type)) {
      await flush(durable);
    } else if (!scheduled) {
      scheduled = true;
      setTimeout(() => {
        scheduled = false;
        flush(false).catch(() => {}); // remembered in `failed`; the next record() throws it
      }, GROUP_COMMIT_MS);
    }
    return recorded;
  };

  return {
    record: (event, opts) => record(event, opts?.durable === true, opts?.commit === true),
    async close() {
      await flush(false).catch(() => {});
    },
    head: () => (prev === null ? null : { seq: sealedSeq, hash: prev }),
    failure: () => failed,
  };
}
