/**
 * `resume` finds a run's finished steps by the ids the transcript recorded. Steps without `{#id}`
 * get ids from their content now; runs recorded by Stepwise 0.1.0 named them `section-slug-N`.
 * Both resume without running a finished step again.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../engine/store/sqlite-store.js';
import { seal, type ChainedEvent } from '../../engine/transcript/chain.js';
import type { RunEvent } from '../../engine/run/events.js';
import { stepwise } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'stepwise-resume-ids-'));
const marks = join(dir, 'marks.log');
const flag = join(dir, 'flag');
const runbook = join(dir, 'drill.md');
writeFileSync(
  runbook,
  `# Drill\n\n::shell[First]{readonly run="echo first >> ${marks}"}\n\n::shell[Gate]{readonly run="test -f ${flag}"}\n\n::shell[Last]{readonly run="echo last >> ${marks}"}\n`,
);

/** Runs the drill until its second step fails, and returns the run's transcript. */
function failedRun(store: string): ChainedEvent[] {
  const r = stepwise(['run', '--headless', runbook, '--store', store]);
  expect(r.code).toBe(1);
  const runId = /transcript (\S+):/.exec(r.stderr + r.stdout)?.[1] ?? '';
  const out = join(dir, `${runId || 'run'}.jsonl`);
  expect(stepwise(['export', runId || 'last', '-o', out, '--store', store]).code).toBe(0);
  return readFileSync(out, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as ChainedEvent);
}

/** The same events with step ids renamed, chained again (what 0.1.0 would have recorded). */
function renamed(events: ChainedEvent[], ids: Record<string, string>): ChainedEvent[] {
  const rename = (value: unknown): unknown => {
    if (typeof value === 'string') return ids[value] ?? value;
    if (Array.isArray(value)) return value.map(rename);
    if (value !== null && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [ids[k] ?? k, rename(v)]));
    return value;
  };
  const out: ChainedEvent[] = [];
  for (const event of events) {
    const sealed = seal({ type: event.type, data: rename(event.data) } as RunEvent, {
      seq: event.seq,
      ts: event.ts,
      runId: event.runId,
      prev: out.at(-1)?.hash ?? null,
    });
    out.push(sealed);
  }
  return out;
}

const stepIds = (events: ChainedEvent[]): string[] => [
  ...new Set(events.filter((e) => e.type === 'step.started').map((e) => (e.data as { stepId: string }).stepId)),
];

describe('resume and generated step ids', () => {
  it('a run recorded with content ids, and one recorded with 0.1.0 section-slug-N ids, each resume after their last finished step', async () => {
    const store = join(dir, 'store.db');
    const events = failedRun(store);
    expect(stepIds(events)).toEqual(['shell-first', 'shell-gate']);
    writeFileSync(flag, '');
    const runId = events[0]!.runId;
    expect(stepwise(['resume', runId, '--store', store]).code).toBe(0);
    expect(readFileSync(marks, 'utf8')).toBe('first\nlast\n');

    // The same failed run as 0.1.0 recorded it, in a store of its own.
    writeFileSync(marks, '');
    const legacyStore = join(dir, 'legacy.db');
    const legacy = renamed(events, { 'shell-first': 'drill-1', 'shell-gate': 'drill-2', 'shell-last': 'drill-3' });
    expect(stepIds(legacy)).toEqual(['drill-1', 'drill-2']);
    const s = openSqliteStore(legacyStore);
    await s.append(legacy, true);
    await s.close();
    const resumed = stepwise(['resume', runId, '--store', legacyStore]);
    expect(resumed.code).toBe(0);
    expect(readFileSync(marks, 'utf8')).toBe('last\n');
  });
});
