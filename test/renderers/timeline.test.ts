/** The timeline `show` prints: step output joined across the chunks it was recorded in. */
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../engine/run/events.js';
import { seal, type ChainedEvent } from '../../engine/transcript/chain.js';
import { timeline } from '../../renderers/timeline.js';

function chain(events: RunEvent[]): ChainedEvent[] {
  const out: ChainedEvent[] = [];
  for (const e of events) out.push(seal(e, { seq: out.length + 1, ts: '2026-11-23T10:00:00.000Z', runId: 'r', prev: out.at(-1)?.hash ?? null }));
  return out;
}
const output = (chunk: string): RunEvent => ({ type: 'step.output', data: { stepId: 's', stream: 'stdout', chunk } });
const render = (events: ChainedEvent[], verbose = true): string[] => {
  const t = timeline({ color: false, verbose });
  return [...events.flatMap((e) => t.lines(e)), ...t.end()].map((l) => l.trim());
};

describe('timeline', () => {
  it('joins output cut mid-line and mid-escape-sequence, a whole line at a time', () => {
    const events = chain([output('pin [REDACTED:PIN] i'), output('n x\nsecond \u001b[3'), output('1mred\u001b[0m line\nno newline at the end')]);
    expect(render(events)).toEqual(['pin [REDACTED:PIN] in x', 'second red line', 'no newline at the end']);
  });

  it('prints a partial line before the next event, and no output unless verbose', () => {
    const events = chain([output('half a line'), { type: 'note.added', data: { text: 'a note', by: 'ann' } }]);
    expect(render(events)).toEqual(['half a line', '10:00:00.000  ✎   a note (ann)']);
    expect(render(events, false)).toEqual(['10:00:00.000  ✎   a note (ann)']);
  });
});
