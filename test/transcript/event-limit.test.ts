/**
 * No single event is larger than 16 MiB of canonical JSON: the recorder refuses a larger one
 * (nothing of it is written, and the chain goes on), with an error that names the step and the
 * size, for the runner to fail that step with. canonicalSize measures exactly what is hashed.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../engine/redact/redactor.js';
import { openSqliteStore } from '../../engine/store/sqlite-store.js';
import { canonicalJson, canonicalSize, normalize } from '../../engine/transcript/canonical.js';
import { verifyChain } from '../../engine/transcript/chain.js';
import { MAX_EVENT_BYTES, transcriptRecorder, UnrecordableError } from '../../engine/transcript/chain-recorder.js';

describe('canonicalSize', () => {
  it.each([
    ['plain', { a: 1, b: [true, false, null], c: 'text' }],
    ['escapes and control characters', { 'q"k': 'a"b\\c\n\t\u0001\u001f', e: '' }],
    ['non-ASCII, astral and a lone surrogate (normalised)', { s: 'é€😀', lone: '\ud800x' }],
    ['numbers', [0, -1, 1.5, 1e21, 1e-7, 123456789012345680000, -0.000001, Number.MAX_SAFE_INTEGER]],
    ['nesting, empty containers, undefined members', { a: { b: { c: [[], {}, [undefined]] } }, skip: undefined }],
  ])('%s: the UTF-8 size of the canonical JSON', (_name, value) => {
    const normalized = normalize(value);
    expect(canonicalSize(normalized)).toBe(Buffer.byteLength(canonicalJson(normalized)));
  });

  it('stops counting past the limit, on a huge string without copying it', () => {
    const huge = 'z'.repeat(50_000_000);
    const t0 = performance.now();
    expect(canonicalSize({ huge }, 1000)).toBeGreaterThan(1000);
    expect(performance.now() - t0).toBeLessThan(50);
  });
});

describe('the recorder refuses an event past MAX_EVENT_BYTES', () => {
  it('names the step and the size, writes nothing of it, and the transcript goes on and verifies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stepwise-event-limit-'));
    const store = openSqliteStore(join(dir, 'store.db'));
    const runId = 'r-limit';
    const recorder = transcriptRecorder({
      runId,
      store,
      redactor: createRedactor({ secrets: {}, patterns: [] }),
      sinks: [],
    });
    await recorder.record({
      type: 'run.started',
      data: {
        runbook: { path: 'r.md', id: 'r', title: 'R', sha256: 'a'.repeat(64), source: '# R\n' },
        inputs: {},
        targets: {},
        operator: 'ann',
        host: 'h',
        engineVersion: '0',
        mode: 'headless',
        formatVersion: 1,
      },
    });
    const big = 'y'.repeat(MAX_EVENT_BYTES); // with the rest of the event, just past the limit
    const error = await recorder
      .record({ type: 'step.finished', data: { stepId: 'many', status: 'passed', ms: 1, result: { a: big } } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnrecordableError);
    // The size of the event as it would have been stored: its data, seq, ts, runId, type, prev and hash.
    const wouldBe = {
      seq: 2,
      ts: new Date().toISOString(),
      runId,
      type: 'step.finished',
      data: { stepId: 'many', status: 'passed', ms: 1, result: { a: big } },
      prev: 'f'.repeat(64),
      hash: 'f'.repeat(64),
    };
    const size = Buffer.byteLength(canonicalJson(wouldBe)).toLocaleString('en-US');
    expect((error as Error).message).toBe(
      `the step.finished event of step \`many\` would be 16 MiB (${size} bytes) of canonical JSON, over the 16 MiB (16,777,216 bytes) a transcript event may hold, so nothing of it was written; keep less in the step's result (fewer or smaller values, max-rows=, max-bytes=)`,
    );
    // Far past it (more than 4 × the limit): refused before it is even redacted.
    const huge = await recorder
      .record({
        type: 'step.finished',
        data: { stepId: 'huge', status: 'passed', ms: 1, result: { a: 'y'.repeat(70_000_000) } },
      })
      .catch((e: unknown) => e);
    expect((huge as Error).message).toMatch(
      /^the step\.finished event of step `huge` would be more than 6\d\.\d MiB \([\d,]+ bytes\) of canonical JSON/,
    );
    // Just under it is fine.
    await recorder.record(
      { type: 'step.finished', data: { stepId: 'many', status: 'failed', ms: 1, error: (error as Error).message } },
      { commit: true },
    );
    await recorder.record(
      {
        type: 'step.finished',
        data: { stepId: 'fits', status: 'passed', ms: 1, result: { a: big.slice(0, MAX_EVENT_BYTES - 400) } },
      },
      { commit: true },
    );
    await recorder.close();
    const events = await store.events(runId);
    expect(events.map((e) => (e.data as { stepId?: string }).stepId ?? e.type)).toEqual([
      'run.started',
      'many',
      'fits',
    ]);
    expect(verifyChain(events).ok).toBe(true);
    expect(Buffer.byteLength(canonicalJson(events[2]))).toBeLessThanOrEqual(MAX_EVENT_BYTES);
    await store.close();
  }, 60_000);
});
