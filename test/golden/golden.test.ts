/**
 * Format stability: transcripts written by Stepwise 0.1.0 (formatVersion 1), kept as files.
 * Every later version must still verify them (chain and signed heads) and read them back:
 * into a store, as a timeline, and as the state `resume` continues from.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resumeState } from '../../engine/run/resume-state.js';
import { openSqliteStore } from '../../engine/store/sqlite-store.js';
import { verifyChain, type ChainedEvent } from '../../engine/transcript/chain.js';
import { readPublicKey, verifySignatures } from '../../engine/transcript/sign.js';
import { stepwise } from '../helpers/cli.js';

const here = import.meta.dirname;
const lines = (name: string): string[] => readFileSync(join(here, name), 'utf8').trimEnd().split('\n');

describe('golden transcripts from 0.1.0', () => {
  it('the passed demo run verifies, from the file and through the CLI', () => {
    const verdict = verifyChain(lines('demo-passed.jsonl'));
    expect(verdict).toMatchObject({ ok: true, count: 22 });
    expect(verdict.ok && verdict.events[0]!.type).toBe('run.started');
    const cli = stepwise(['verify', join(here, 'demo-passed.jsonl')]);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain(`final digest sha256:${verdict.head}`);
  });

  it('the signed, interrupted run verifies with its public key and holds no secret', () => {
    const verdict = verifyChain(lines('interrupted-signed.jsonl'));
    expect(verdict.ok).toBe(true);
    if (!verdict.ok) return;
    const key = readPublicKey(readFileSync(join(here, 'interrupted-signed.pub'), 'utf8'), 'pub');
    expect(verifySignatures(verdict.events, key)).toMatchObject({ ok: true, signed: 2 });
    expect(readFileSync(join(here, 'interrupted-signed.jsonl'), 'utf8')).not.toContain('golden-canary-token');
    expect(
      stepwise(['verify', join(here, 'interrupted-signed.jsonl'), '--public-key', join(here, 'interrupted-signed.pub')])
        .code,
    ).toBe(0);
  });

  it('imports into a store, shows as a timeline, and gives resume its state', async () => {
    const store = join(mkdtempSync(join(tmpdir(), 'stepwise-golden-')), 'store.db');
    const s = openSqliteStore(store);
    const events = lines('interrupted-signed.jsonl').map((l) => JSON.parse(l) as ChainedEvent);
    await s.append(events, true);
    await s.close();
    const runId = events[0]!.runId;
    const shown = stepwise(['show', runId], { env: { STEPWISE_STORE: store } });
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/run started\s+Golden interrupted/);
    expect(shown.stdout).toMatch(/interrupted: SIGINT/);
    expect(stepwise(['verify', runId], { env: { STEPWISE_STORE: store } }).code).toBe(0);
    const state = resumeState(events);
    expect([...state.finished.keys()]).toEqual(['first']);
    expect(state.interrupted).toEqual([]);
    expect(state.finishedRun).toEqual({ status: 'interrupted' });
    expect(state.last.seq).toBe(events.length);
  });
});
