/** The headless reporter: results under each step with --verbose, plans of failed and dry-run steps. */
import { describe, expect, it } from 'vitest';
import type { RunEvent, StepPlan } from '../../engine/run/events.js';
import type { RecordedEvent } from '../../engine/run/recorder.js';
import { headlessReporter } from '../../renderers/headless.js';

function report(events: RunEvent[], options: { verbose?: boolean; kinds?: Map<string, string> } = {}): string {
  let out = '';
  const reporter = headlessReporter({ write: (t) => (out += t), color: false, tty: false, ...options });
  for (const [i, e] of events.entries())
    reporter.sink({ ...e, seq: i + 1, ts: '2026-11-23T10:00:00.000Z', runId: 'r' } as RecordedEvent);
  reporter.stop();
  return out;
}

const QUERY: StepPlan = {
  summary: 'SELECT id, status FROM orders on shop',
  text: 'SELECT id, status FROM orders WHERE status = ?',
  params: ['PROCESSING'],
  target: 'shop',
  effect: false,
};
const SCRIPT: StepPlan = {
  summary: 'bash: kill -TERM "$STEPWISE_V1"',
  text: 'kill -TERM "$STEPWISE_V1"',
  env: { STEPWISE_V1: '4242' },
  effect: true,
};
const rows = {
  rows: [
    { id: 1, status: 'PROCESSING' },
    { id: 22, status: 'PROCESSING' },
  ],
  rowCount: 2,
  fields: [{ name: 'id' }, { name: 'status' }],
  command: 'SELECT',
  truncated: false,
  sha256: 'ab'.repeat(32),
  ms: 2,
};

describe('headless reporter', () => {
  const passed: RunEvent[] = [
    { type: 'step.started', data: { stepId: 'stuck', kind: 'sql', plan: QUERY, attempt: 1 } },
    { type: 'step.finished', data: { stepId: 'stuck', status: 'passed', ms: 2, result: rows } },
  ];

  it("--verbose prints a passed step's result under its line", () => {
    const lines = report(passed, { verbose: true }).split('\n');
    expect(lines[0]).toMatch(/^✓ stuck +sql +2 ms {2}SELECT 2 rows$/);
    expect(lines.slice(1, 6)).toEqual([
      '      id  status',
      '      --  ----------',
      '       1  PROCESSING',
      '      22  PROCESSING',
      '      2 rows',
    ]);
    // Without it, one line per step as before.
    expect(report(passed).trimEnd().split('\n')).toHaveLength(1);
  });

  it('--verbose prints what a failed step ran (with its environment values) and how it ended', () => {
    const out = report(
      [
        { type: 'step.started', data: { stepId: 'kill', kind: 'shell', plan: SCRIPT, attempt: 1 } },
        {
          type: 'step.finished',
          data: {
            stepId: 'kill',
            status: 'failed',
            ms: 5,
            error: 'exit code 1 (expected 0): no such process',
            result: { exitCode: 1, stdout: '', stderr: 'kill: (4242) - No such process\n', ms: 5, truncated: false },
          },
        },
      ],
      { verbose: true },
    );
    expect(out.split('\n').slice(1, 7)).toEqual([
      '      kill -TERM "$STEPWISE_V1"',
      '      environment values (the script reads them as variables; never part of its text):',
      "        $STEPWISE_V1 = '4242'",
      '      exit 1  5 ms',
      '      stderr:',
      '        kill: (4242) - No such process',
    ]);
  });

  it('a dry run shows each statement with its bind values, and a script with its environment values', () => {
    const out = report(
      [
        { type: 'step.finished', data: { stepId: 'stuck', status: 'skipped', ms: 0, reason: 'dry run', plan: QUERY } },
        { type: 'step.finished', data: { stepId: 'kill', status: 'skipped', ms: 0, reason: 'dry run', plan: SCRIPT } },
        {
          type: 'step.finished',
          data: {
            stepId: 'go',
            status: 'skipped',
            ms: 0,
            reason: 'dry run',
            plan: { summary: 'confirm: Kill it?', effect: true },
          },
        },
      ],
      {
        kinds: new Map([
          ['stuck', 'sql'],
          ['kill', 'shell'],
          ['go', 'confirm'],
        ]),
      },
    );
    expect(out.split('\n')).toEqual([
      expect.stringMatching(/^- stuck +sql +would run: SELECT id, status FROM orders on shop$/),
      '      SELECT id, status FROM orders WHERE status = ?',
      '      bind values, not part of the SQL text (one per ?, in order):',
      "        ?1 = 'PROCESSING'",
      expect.stringMatching(/^- kill +shell +would run: bash: kill -TERM "\$STEPWISE_V1"$/),
      '      kill -TERM "$STEPWISE_V1"',
      '      environment values (the script reads them as variables; never part of its text):',
      "        $STEPWISE_V1 = '4242'",
      expect.stringMatching(/^- go +confirm +would run: confirm: Kill it\?$/),
      '',
    ]);
  });

  it('hostile output in a result cannot drive the terminal', () => {
    const out = report(
      [
        {
          type: 'step.started',
          data: { stepId: 's', kind: 'shell', plan: { summary: 'bash: x', text: 'x', effect: true }, attempt: 1 },
        },
        {
          type: 'step.finished',
          data: {
            stepId: 's',
            status: 'passed',
            ms: 1,
            result: {
              exitCode: 0,
              stdout: '\u001b]0;pwned\u0007\u001b[2J\u009b2Jok \u202eevil\n',
              stderr: '',
              ms: 1,
              truncated: false,
            },
          },
        },
      ],
      { verbose: true },
    );
    expect(out).not.toMatch(/[\u001b\u0080-\u009f\u202a-\u202e]/);
    expect(out).toContain('2Jok <U+202E>evil');
  });
});
