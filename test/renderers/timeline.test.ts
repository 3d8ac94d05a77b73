/** The timeline `show` prints: step output joined across the chunks it was recorded in. */
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../engine/run/events.js';
import { seal, type ChainedEvent } from '../../engine/transcript/chain.js';
import { timeline } from '../../renderers/timeline.js';

function chain(events: RunEvent[]): ChainedEvent[] {
  const out: ChainedEvent[] = [];
  for (const e of events)
    out.push(
      seal(e, { seq: out.length + 1, ts: '2026-11-23T10:00:00.000Z', runId: 'r', prev: out.at(-1)?.hash ?? null }),
    );
  return out;
}
const output = (chunk: string): RunEvent => ({ type: 'step.output', data: { stepId: 's', stream: 'stdout', chunk } });
const render = (events: ChainedEvent[], verbose = true): string[] => {
  const t = timeline({ color: false, verbose });
  return [...events.flatMap((e) => t.lines(e)), ...t.end()].map((l) => l.trim());
};

describe('timeline', () => {
  it('joins output cut mid-line and mid-escape-sequence, a whole line at a time', () => {
    const events = chain([
      output('pin [REDACTED:PIN] i'),
      output('n x\nsecond \u001b[3'),
      output('1mred\u001b[0m line\nno newline at the end'),
    ]);
    expect(render(events)).toEqual(['pin [REDACTED:PIN] in x', 'second red line', 'no newline at the end']);
  });

  it('prints a partial line before the next event, and no output unless verbose', () => {
    const events = chain([output('half a line'), { type: 'note.added', data: { text: 'a note', by: 'ann' } }]);
    expect(render(events)).toEqual(['half a line', '10:00:00.000  ✎   a note (ann)']);
    expect(render(events, false)).toEqual(['10:00:00.000  ✎   a note (ann)']);
  });
});

describe('show --verbose: plans and results', () => {
  const plan = {
    summary: 'SELECT id FROM orders on db',
    text: 'SELECT id FROM orders WHERE status = $1',
    params: ['PROCESSING'],
    target: 'db',
    effect: false,
  };
  const result = {
    rows: [{ id: 7 }, { id: 1001 }],
    rowCount: 2,
    fields: [{ name: 'id' }],
    command: 'SELECT',
    truncated: false,
    sha256: 'ab'.repeat(32),
    ms: 1,
  };

  it("each step's statement with its bind values, and its result under its end", () => {
    const events = chain([
      { type: 'step.started', data: { stepId: 'q', kind: 'sql', plan, attempt: 1 } },
      { type: 'step.finished', data: { stepId: 'q', status: 'passed', ms: 1, result } },
    ]);
    expect(render(events)).toEqual([
      '10:00:00.000  ▶ q  SELECT id FROM orders on db',
      'SELECT id FROM orders WHERE status = $1',
      'bind values, not part of the SQL text:',
      "$1 = 'PROCESSING'",
      '10:00:00.000  ✓ q  passed in 1 ms',
      'id',
      '----',
      '7',
      '1001',
      '2 rows',
    ]);
    expect(render(events, false)).toEqual([
      '10:00:00.000  ▶ q  SELECT id FROM orders on db',
      '10:00:00.000  ✓ q  passed in 1 ms',
    ]);
  });

  it("a shell step's output is printed once, as it came; its result adds the exit code", () => {
    const events = chain([
      {
        type: 'step.started',
        data: {
          stepId: 's',
          kind: 'shell',
          plan: { summary: 'bash: echo', text: 'echo "$STEPWISE_V1"', env: { STEPWISE_V1: 'hi' }, effect: true },
          attempt: 1,
        },
      },
      output('hi\n'),
      {
        type: 'step.finished',
        data: {
          stepId: 's',
          status: 'passed',
          ms: 3,
          result: { exitCode: 0, stdout: 'hi\n', stderr: '', ms: 3, truncated: false },
        },
      },
    ]);
    expect(render(events)).toEqual([
      '10:00:00.000  ▶ s  bash: echo',
      'echo "$STEPWISE_V1"',
      'environment values (the script reads them as variables; never part of its text):',
      "$STEPWISE_V1 = 'hi'",
      'hi',
      '10:00:00.000  ✓ s  passed in 3 ms',
      'exit 0  3 ms',
    ]);
  });

  it("a dry run's plans, which are on the steps' ends", () => {
    const events = chain([
      { type: 'step.finished', data: { stepId: 'q', status: 'skipped', ms: 0, reason: 'dry run', plan } },
    ]);
    expect(render(events)).toEqual([
      '10:00:00.000  - q  skipped  dry run',
      'SELECT id FROM orders WHERE status = $1',
      'bind values, not part of the SQL text:',
      "$1 = 'PROCESSING'",
    ]);
  });
});
