/**
 * The hash chain: every event carries `prev` (the hash of the event before it, null for the first)
 * and `hash` = sha256 over the canonical JSON of the event without `hash`. Changing, removing,
 * reordering, duplicating, renumbering or inserting an event, or copying one in from another run,
 * breaks the chain at that event; `verifyChain` names the first seq where it breaks.
 */
import type { RunEvent } from '../run/events.js';
import { CanonicalError, canonicalJson, normalize, sha256Hex } from './canonical.js';

/** An event as stored: numbered, time-stamped, chained. */
export type ChainedEvent = RunEvent & { seq: number; ts: string; runId: string; prev: string | null; hash: string };

/** The hash an event must carry: over everything but `hash` itself. */
export function eventHash(event: Omit<ChainedEvent, 'hash'> | Record<string, unknown>): string {
  return sha256Hex(canonicalJson(event, 'hash'));
}

/**
 * Seals an event onto a chain: normalises its data (so it hashes the same after a JSON round
 * trip; `normalized` says the caller already did), links it to `prev` and hashes it. Throws
 * CanonicalError if the data cannot be recorded.
 */
export function seal(
  event: RunEvent,
  at: { seq: number; ts: string; runId: string; prev: string | null },
  normalized = false,
): ChainedEvent {
  const data = normalized ? event.data : normalize(event.data);
  const unsealed = { seq: at.seq, ts: at.ts, runId: at.runId, type: event.type, data, prev: at.prev };
  return { ...unsealed, hash: eventHash(unsealed) } as ChainedEvent;
}

/**
 * seal() for an event whose data is normalised and whose data's canonical JSON the caller already
 * has (the recorder measures an event by it): the hashed text is put together around it instead
 * of walking the data again. The same hash as seal(), byte for byte (test/transcript/chain.test.ts).
 */
export function sealCanonical(
  event: RunEvent,
  at: { seq: number; ts: string; runId: string; prev: string | null },
  dataJson: string,
): ChainedEvent {
  // RFC 8785 orders members by their names' UTF-16 units: data, prev, runId, seq, ts, type.
  const text = `{"data":${dataJson},"prev":${canonicalJson(at.prev)},"runId":${recurring(at.runId)},"seq":${canonicalJson(at.seq)},"ts":${canonicalJson(at.ts)},"type":${recurring(event.type)}}`;
  return {
    seq: at.seq,
    ts: at.ts,
    runId: at.runId,
    type: event.type,
    data: event.data,
    prev: at.prev,
    hash: sha256Hex(text),
  } as ChainedEvent;
}

/** canonicalJson() of the strings every event repeats (its run's id, the event types), kept. */
const quotedText = new Map<string, string>();
function recurring(text: string): string {
  let json = quotedText.get(text);
  if (json === undefined) {
    json = canonicalJson(text);
    if (quotedText.size >= 64) quotedText.clear();
    quotedText.set(text, json);
  }
  return json;
}

export type ChainBreak = { seq: number; index: number; reason: string };
export type ChainVerdict =
  | { ok: true; runId: string; count: number; head: string; events: ChainedEvent[] }
  | { ok: false; runId: string | null; count: number; head: string | null; events: ChainedEvent[]; broken: ChainBreak };

const KEYS = new Set(['seq', 'ts', 'runId', 'type', 'data', 'prev', 'hash']);
const HEX64 = /^[0-9a-f]{64}$/;
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

/**
 * Checks a run's events in order. `items` are parsed JSON values or, for a file, raw lines (a
 * line that is not JSON is a break, never skipped). Stops at the first break.
 */
export function verifyChain(items: Iterable<unknown>): ChainVerdict {
  const events: ChainedEvent[] = [];
  let runId: string | null = null;
  let prev: string | null = null;
  let index = 0;
  const broken = (reason: string, seq = index + 1): ChainVerdict => ({
    ok: false,
    runId,
    count: events.length,
    head: prev,
    events,
    broken: { seq, index, reason },
  });
  for (const item of items) {
    let value = item;
    if (typeof item === 'string') {
      try {
        value = JSON.parse(item);
      } catch {
        return broken(`line ${index + 1} is not a JSON event: ${quoted(item.slice(0, 60))}`);
      }
    }
    const shape = shapeProblem(value);
    if (shape)
      return broken(
        `line ${index + 1}: ${shape}`,
        typeof (value as { seq?: unknown })?.seq === 'number' ? (value as { seq: number }).seq : index + 1,
      );
    const event = value as ChainedEvent;
    const expected = index + 1;
    if (event.seq !== expected)
      return broken(
        `expected seq ${expected} here, found seq ${event.seq} (an event was removed, duplicated, reordered or renumbered)`,
        expected,
      );
    if (index === 0) {
      runId = event.runId;
      if (event.type !== 'run.started') return broken(`the first event is ${event.type}, not run.started`);
    } else if (event.runId !== runId) {
      return broken(`seq ${event.seq} belongs to run ${event.runId}, not ${runId} (copied in from another run)`);
    }
    if (event.prev !== prev)
      return broken(
        `seq ${event.seq}: prev does not match the hash of seq ${event.seq - 1}${index === 0 ? ' (the first event must have prev null)' : ''}`,
      );
    let recomputed: string;
    try {
      recomputed = eventHash(event);
    } catch (error) {
      return broken(`seq ${event.seq}: ${error instanceof CanonicalError ? error.message : String(error)}`);
    }
    if (recomputed !== event.hash)
      return broken(`seq ${event.seq}: its content does not match its hash (the event was changed)`);
    events.push(event);
    prev = event.hash;
    index++;
  }
  if (index === 0 || runId === null || prev === null)
    return {
      ok: false,
      runId,
      count: 0,
      head: null,
      events,
      broken: { seq: 1, index: 0, reason: 'the transcript has no events' },
    };
  return { ok: true, runId, count: events.length, head: prev, events };
}

function shapeProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const e = value as Record<string, unknown>;
  for (const key of Object.keys(e)) if (!KEYS.has(key)) return `unexpected field \`${key}\``;
  if (!Number.isSafeInteger(e.seq) || (e.seq as number) < 1) return '`seq` must be a positive whole number';
  if (typeof e.ts !== 'string' || !RFC3339.test(e.ts)) return '`ts` must be an RFC 3339 time';
  if (typeof e.runId !== 'string' || e.runId === '') return '`runId` is missing';
  if (typeof e.type !== 'string' || e.type === '') return '`type` is missing';
  if (!('data' in e)) return '`data` is missing';
  if (e.prev !== null && (typeof e.prev !== 'string' || !HEX64.test(e.prev)))
    return '`prev` must be null or a sha256 hex digest';
  if (typeof e.hash !== 'string' || !HEX64.test(e.hash)) return '`hash` must be a sha256 hex digest';
  return null;
}

/** A line from a file, quoted for a message: JSON escapes, plus C1 controls and bidi overrides escaped too, so it cannot drive a terminal. */
function quoted(text: string): string {
  return JSON.stringify(text).replace(
    /[\u0080-\u009f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
