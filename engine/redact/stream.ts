/**
 * Redacting a stream of text chunks (shell output, an HTTP body read in pieces): hold back just
 * enough that no secret, encoding or pattern can straddle what is emitted, never split a match,
 * and after an error emit nothing more.
 */
import { findAll, render, type Engine } from './engine.js';
import { failClosed, RedactionError } from './errors.js';
import { partials } from './partials.js';
import { isHeaderLine, mayBeHeaderLine, type Match } from './patterns.js';

/** Emitted text kept as context, for lookbehinds, `^` and whole-token checks at the next chunk's start. */
const CONTEXT = 256;
/** An unfinished last token (no whitespace yet) is held up to this size: URLs, JWTs, emails. */
const TOKEN_HOLD = 8 * 1024;
/** An unfinished sensitive header line is held up to this size, then masked to its end. */
const HEADER_HOLD = 8 * 1024;
/** A single match still growing past this size is an error rather than unbounded memory. */
const MAX_HELD = 4 * 1024 * 1024;

/**
 * How much new text a stream waits for before scanning again. Each scan reads the whole held
 * window, so scanning on every 1-character push would cost hold × length; waiting for a quarter
 * of the hold keeps streams linear. Waiting is always safe: it only emits later, never differently.
 */
function scanStep(engine: Engine): number {
  const hold = Math.max(engine.plainHold, engine.wrappedHold, engine.regexHold);
  return hold === 0 ? 0 : Math.min(1024, Math.max(16, hold >> 2));
}

/**
 * A redacting stream. Invariant: `context + pending` is a window of the input whose first
 * `context.length` characters were already emitted; no match found in it crosses that boundary.
 * After an error every later call throws: it must not emit what it had held back.
 */
export function createStream(engine: Engine) {
  let context = '';
  let pending = '';
  let swallowing = false; // inside an over-long header value: drop until the line ends
  let state: 'open' | 'ended' | 'failed' = 'open';
  let scanned = 0; // pending.length after the last scan
  const step = scanStep(engine);

  const guarded = <T>(fn: () => T): T => {
    if (state === 'failed') throw new RedactionError('this redaction stream failed earlier');
    try {
      return failClosed(fn);
    } catch (e) {
      state = 'failed';
      pending = '';
      throw e;
    }
  };

  /** Emits `buffer[from, cut)`, keeps the rest. */
  const emit = (buffer: string, from: number, cut: number, matches: Match[]): string => {
    const out = render(buffer, from, cut, matches);
    context = buffer.slice(Math.max(0, cut - CONTEXT), cut);
    pending = buffer.slice(cut);
    scanned = pending.length;
    return out;
  };

  const skipSwallowed = (chunk: string): string => {
    const eol = chunk.search(/[\r\n\u2028\u2029]/);
    const dropped = eol === -1 ? chunk : chunk.slice(0, eol);
    context = (context + dropped).slice(-CONTEXT);
    if (eol === -1) return '';
    swallowing = false;
    return chunk.slice(eol);
  };

  return {
    push(chunk: string): string {
      return guarded(() => {
        if (state === 'ended') throw new RedactionError('push() after end()');
        if (typeof chunk !== 'string') throw new RedactionError(`push() needs a string, got ${typeof chunk}`);
        pending += swallowing ? skipSwallowed(chunk) : chunk;
        // Nothing can be emitted while the pending text fits in the hold; and see scanStep.
        if (pending.length <= Math.max(engine.plainHold, engine.regexHold) || pending.length - scanned < step)
          return '';
        const buffer = context + pending;
        const from = context.length;
        const { matches, settled } = findAll(engine, buffer, from, true);
        const cut = safeCut(buffer, from, matches, settled);
        if (cut === 'swallow') {
          swallowing = true;
          return emit(buffer, from, buffer.length, matches);
        }
        if (buffer.length - cut > MAX_HELD)
          throw new RedactionError(`a single match grew past ${MAX_HELD} characters; refusing to hold more`);
        return emit(buffer, from, cut, matches);
      });
    },
    end(): string {
      return guarded(() => {
        if (state === 'ended') return '';
        state = 'ended';
        const buffer = context + pending;
        const { matches } = findAll(engine, buffer, context.length);
        partials(engine, buffer, context.length, false, matches); // output cut off at its size limit
        const out = emit(buffer, context.length, buffer.length, matches);
        context = '';
        return out;
      });
    },
  };
}

/**
 * How far into `buffer` the stream may emit: before anything a longer input could still turn
 * into a match (the secret and pattern holds, an unfinished token, an unfinished header line),
 * and never inside a match. 'swallow' means an over-long header line: emit all and mask the
 * rest of its value as it arrives.
 */
function safeCut(buffer: string, from: number, matches: Match[], settled: number): number | 'swallow' {
  let cut = Math.min(settled, unfinishedToken(buffer));
  const line = lastLineStart(buffer);
  if (line >= from && mayBeHeaderLine(buffer.slice(line))) {
    if (buffer.length - line <= HEADER_HOLD) cut = Math.min(cut, line);
    else if (isHeaderLine(buffer.slice(line))) return 'swallow';
  }
  cut = Math.max(cut, from);
  for (let moved = true; moved; ) {
    moved = false;
    for (const m of matches) {
      // Not inside a match, nor between what a rule recognises it by (a header's name) and its value.
      const first = Math.max(from, Math.min(m.anchor ?? m.start, m.start));
      if (first < cut && cut < m.end) {
        cut = first;
        moved = true;
      }
    }
    // Never split a surrogate pair between two outputs: each is often written out on its own.
    if (cut > from && cut < buffer.length && isHighSurrogate(buffer.charCodeAt(cut - 1))) {
      cut--;
      moved = true;
    }
  }
  return cut;
}

/**
 * Start of the trailing run of non-whitespace, if it is short enough to hold. A longer one
 * (minified JSON on one line) is cut after its last quote, comma, bracket or `&` instead of
 * anywhere, so a URL or token inside it is held whole.
 */
function unfinishedToken(buffer: string): number {
  let i = buffer.length;
  while (i > 0 && buffer.length - i <= TOKEN_HOLD && !/\s/.test(buffer[i - 1] ?? '')) i--;
  if (buffer.length - i <= TOKEN_HOLD) return i;
  const start = buffer.length - TOKEN_HOLD;
  for (let k = buffer.length - 1; k >= start; k--) if (STRUCTURAL.has(buffer[k]!)) return k + 1;
  return buffer.length;
}

/** Characters a URL, a JWT or a base64 token never contains, where a long run of text may be cut. */
const STRUCTURAL = new Set(['"', "'", ',', '{', '}', '[', ']', '<', '>', '`', '|', ';']);

function lastLineStart(buffer: string): number {
  for (let i = buffer.length - 1; i >= 0; i--) {
    const c = buffer.charCodeAt(i);
    if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) return i + 1;
  }
  return 0;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
