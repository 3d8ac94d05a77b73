/**
 * The TUI's model with `::::each`: events of one iteration (`probe[1]`) show on the loop step's
 * own row, which follows the loop as it goes; the loop's note lands on its first step.
 */
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../engine/check/check.js';
import type { RecordedEvent } from '../../engine/run/recorder.js';
import { applyEvent, buildModel, stepOf } from '../../renderers/tui/model.js';

const source = `# Ports

::::each{items="[7000, 7001]" as=port}
::note[probing {{ port }}]{#probe}
::::
`;

let seq = 0;
const event = (e: Omit<RecordedEvent, 'seq' | 'ts' | 'runId'>): RecordedEvent =>
  ({ ...e, seq: ++seq, ts: new Date(0).toISOString(), runId: 'r' }) as RecordedEvent;

describe('the TUI model and loops', () => {
  it("maps an iteration's events to the step's row", () => {
    const { document, graph } = checkSource(source, '/tmp/tui-loops.md');
    const model = buildModel(document, graph, 'r');
    expect(model.order).toEqual(['probe']);
    applyEvent(
      model,
      event({ type: 'note.added', data: { stepId: 'probe', text: '`each` over ...: 2 items', by: 'me' } }),
    );
    const plan = { summary: 'note', effect: false };
    applyEvent(model, event({ type: 'step.started', data: { stepId: 'probe[0]', kind: 'note', plan, attempt: 1 } }));
    expect(model.steps.get('probe')!.mark).toBe('running');
    applyEvent(
      model,
      event({
        type: 'step.finished',
        data: { stepId: 'probe[0]', status: 'passed', ms: 1, result: { text: 'probing 7000' } },
      }),
    );
    applyEvent(model, event({ type: 'step.started', data: { stepId: 'probe[1]', kind: 'note', plan, attempt: 1 } }));
    applyEvent(
      model,
      event({ type: 'step.finished', data: { stepId: 'probe[1]', status: 'failed', ms: 1, error: 'boom' } }),
    );
    const row = model.steps.get('probe')!;
    expect(row.mark).toBe('failed');
    expect(row.error).toBe('boom');
    expect(row.evidence.join('\n')).toMatch(/2 items/);
    expect(stepOf(model, 'probe[12]')).toBe(row);
    expect(stepOf(model, 'nope[1]')).toBeUndefined();
  });
});
