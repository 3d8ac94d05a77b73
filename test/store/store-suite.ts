/**
 * One test suite every transcript store must pass (SQLite and PostgreSQL): appending, reading
 * back exactly what was hashed, listing and resolving runs, following a live run, locks.
 */
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../engine/run/events.js';
import { seal, verifyChain, type ChainedEvent } from '../../engine/transcript/chain.js';
import { AmbiguousRunError, type LockHolder, type TranscriptStore } from '../../engine/store/store.js';

export function runEvents(runId: string, steps: number, opts: { finish?: boolean; ts?: number } = {}): ChainedEvent[] {
  const events: RunEvent[] = [
    {
      type: 'run.started',
      data: {
        runbook: {
          path: `runbooks/${runId}.md`,
          id: runId,
          title: `Runbook ${runId}`,
          sha256: 'a'.repeat(64),
          // What a store must keep as written: escapes of every kind in the event's JSON text.
          source:
            '# T\n\nsome ünïcödé \u2028 text, "quotes" and \\ backslashes, a NUL \u0000, \u001b[31m, 🚒, a lone \ud800\n',
        },
        inputs: { big: 2n ** 70n },
        targets: { db: { kind: 'postgres', location: '127.0.0.1:5432/test' } },
        operator: 'ann',
        host: 'box',
        engineVersion: '0.1.0',
        mode: 'headless',
        formatVersion: 1,
      },
    },
  ];
  for (let i = 1; i <= steps; i++) {
    events.push({
      type: 'step.started',
      data: {
        stepId: `s${i}`,
        kind: 'sql',
        plan: { summary: `SELECT ${i}`, text: `SELECT ${i}`, params: [i], effect: false },
        attempt: 1,
      },
    });
    events.push({
      type: 'step.finished',
      data: { stepId: `s${i}`, status: 'passed', ms: i, result: { rows: [{ n: i, nz: -0, nan: NaN }], rowCount: 1 } },
    });
  }
  if (opts.finish !== false)
    events.push({
      type: 'run.finished',
      data: {
        status: 'passed',
        exitCode: 0,
        ms: 10,
        counts: { passed: steps, failed: 0, skipped: 0, 'timed-out': 0, cancelled: 0, interrupted: 0 },
      },
    });
  const base = opts.ts ?? Date.UTC(2026, 10, 23, 8, 0, 0);
  const out: ChainedEvent[] = [];
  for (const e of events)
    out.push(
      seal(e, {
        seq: out.length + 1,
        ts: new Date(base + out.length * 1000).toISOString(),
        runId,
        prev: out.at(-1)?.hash ?? null,
      }),
    );
  return out;
}

const holder = (runId: string, pid = process.pid): LockHolder => ({
  runId,
  operator: 'ann',
  host: `box-${runId}`,
  pid,
  since: new Date().toISOString(),
});

export function describeStore(
  name: string,
  open: () => Promise<TranscriptStore>,
  opts: { openSecond: () => Promise<TranscriptStore> },
): void {
  describe(`${name} store`, () => {
    it('appends events and reads back exactly what was hashed: the chain verifies', async () => {
      const store = await open();
      const id = `r-${Date.now()}-a`;
      const events = runEvents(id, 5);
      await store.append(events.slice(0, 1), true);
      await store.append(events.slice(1, 6), false);
      await store.append(events.slice(6), true);
      const back = await store.events(id);
      expect(back).toEqual(events);
      expect(verifyChain(back)).toMatchObject({ ok: true, count: events.length, head: events.at(-1)!.hash });
      expect(await store.events(id, 9)).toEqual(events.slice(9));
      await store.close();
    });

    it('keeps a run row up to date: status, event count, head', async () => {
      const store = await open();
      const id = `r-${Date.now()}-b`;
      const events = runEvents(id, 2);
      await store.append(events.slice(0, 3), false);
      expect(await store.run(id)).toMatchObject({
        runId: id,
        status: 'running',
        events: 3,
        head: events[2]!.hash,
        operator: 'ann',
        runbookTitle: `Runbook ${id}`,
      });
      await store.append(events.slice(3), false);
      expect(await store.run(id)).toMatchObject({
        status: 'passed',
        events: events.length,
        head: events.at(-1)!.hash,
        updatedAt: events.at(-1)!.ts,
      });
      expect(await store.run('nope')).toBeNull();
      await store.close();
    });

    it('refuses a seq twice, and events of a run it never saw start', async () => {
      const store = await open();
      const id = `r-${Date.now()}-c`;
      const events = runEvents(id, 2);
      await store.append(events.slice(0, 2), false);
      await expect(store.append(events.slice(1, 2), false)).rejects.toThrow();
      await expect(store.append(runEvents(`${id}-x`, 2).slice(1, 3), false)).rejects.toThrow(/no run.started/);
      expect((await store.events(id)).length).toBe(2);
      await store.close();
    });

    it('lists runs newest first and resolves ids, prefixes and `last`', async () => {
      const store = await open();
      const stamp = Date.now();
      const older = `zz${stamp}-old`;
      const newer = `zz${stamp}-new`;
      await store.append(runEvents(older, 1, { ts: Date.UTC(2030, 0, 1) }), false);
      await store.append(runEvents(newer, 1, { ts: Date.UTC(2030, 0, 2) }), false);
      const runs = await store.runs(1000);
      const at = (id: string): number => runs.findIndex((r) => r.runId === id);
      expect(at(newer)).toBeGreaterThanOrEqual(0);
      expect(at(newer)).toBeLessThan(at(older));
      expect(await store.resolve(newer)).toBe(newer);
      expect(await store.resolve(`zz${stamp}-n`)).toBe(newer);
      await expect(store.resolve(`zz${stamp}-`)).rejects.toThrow(AmbiguousRunError);
      expect(await store.resolve('no-such-run')).toBeNull();
      expect(await store.resolve('last')).toBe(newer);
      await store.close();
    });

    it('follows a live run written by another connection until it finishes', async () => {
      const writer = await open();
      const reader = await opts.openSecond();
      const id = `r-${Date.now()}-f`;
      const events = runEvents(id, 4);
      await writer.append(events.slice(0, 2), false);
      const seen: number[] = [];
      const controller = new AbortController();
      const following = reader.follow(id, 1, (batch) => seen.push(...batch.map((e) => e.seq)), controller.signal);
      for (let i = 2; i < events.length; i++) {
        await new Promise((r) => setTimeout(r, 60));
        await writer.append(events.slice(i, i + 1), false);
      }
      await Promise.race([
        following,
        new Promise((_, reject) => setTimeout(() => reject(new Error('follow did not end at run.finished')), 5000)),
      ]);
      expect(seen).toEqual(events.slice(1).map((e) => e.seq));
      controller.abort();
      await writer.close();
      await reader.close();
    });

    it('follow stops when aborted', async () => {
      const store = await open();
      const id = `r-${Date.now()}-g`;
      await store.append(runEvents(id, 1, { finish: false }), false);
      const controller = new AbortController();
      let aborted = 0;
      // Abort once it has caught up (it delivered what there is) and waits for more, not after a guess.
      const caughtUp = (): void =>
        void setImmediate(() => {
          aborted = Date.now();
          controller.abort();
        });
      await store.follow(id, 0, caughtUp, controller.signal);
      expect(aborted).toBeGreaterThan(0);
      expect(Date.now() - aborted).toBeLessThan(2000);
      await store.close();
    });

    it('a lock is exclusive across connections, says who holds it, and is free again after release', async () => {
      const a = await open();
      const b = await opts.openSecond();
      const key = `runbook-${Date.now()}`;
      const first = await a.lock(key, holder('run-1'));
      expect(first.ok).toBe(true);
      const second = await b.lock(key, holder('run-2'));
      expect(second).toMatchObject({ ok: false, heldBy: { runId: 'run-1', operator: 'ann' } });
      if (first.ok) await first.release();
      const third = await b.lock(key, holder('run-3'));
      expect(third.ok).toBe(true);
      if (third.ok) await third.release();
      await a.close();
      await b.close();
    });

    it('a run is live while its process holds a lock, seen from another connection, and not after', async () => {
      const a = await open();
      const b = await opts.openSecond();
      const id = `r-${Date.now()}-live`;
      expect(await b.liveRuns([id])).toEqual(new Set());
      const lock = await a.lock(`runbook-${id}`, holder(id));
      expect(lock.ok).toBe(true);
      expect(await b.liveRuns([id, 'another-run'])).toEqual(new Set([id]));
      expect(await b.liveRuns([])).toEqual(new Set());
      if (lock.ok) await lock.release();
      expect(await b.liveRuns([id])).toEqual(new Set());
      await a.close();
      await b.close();
    });
  });
}
