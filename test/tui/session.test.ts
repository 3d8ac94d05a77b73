/**
 * The TUI's controller as the engine session's responder and sink, without a screen: a real
 * session against SQLite and bash, answered the way keys answer it. The transcript it leaves
 * verifies, and says who skipped, retried, noted and answered.
 */
import { hostname } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, rmSync } from 'node:fs';
import { runSession } from '../../engine/run/session.js';
import { openStore } from '../../engine/store/open.js';
import { verifyChain } from '../../engine/transcript/chain.js';
import { resolveTargets } from '../../engine/run/targets.js';
import { TuiController } from '../../renderers/tui/controller.js';
import { dialogLines } from '../../renderers/tui/dialogs.js';
import { scratch } from '../helpers/scratch.js';
import { checked, uninterruptedRun, until } from './helpers.js';

const tmp = scratch('tui-session');
afterAll(() => rmSync(tmp.dir, { recursive: true, force: true }));

const RUNBOOK = `---
title: Session trial
targets:
  db: { kind: sqlite, path: "./t.db" }
---

# Session trial

## Look

:::sql{#count target=db}
\`\`\`sql
SELECT 1 AS one
\`\`\`
:::

:::shell{#flaky readonly}
\`\`\`bash
if [ -f ./flag ]; then echo ok; else touch ./flag; echo nope >&2; exit 3; fi
\`\`\`
:::

:::shell{#later readonly}
\`\`\`bash
echo later
\`\`\`
:::

## Fix

::confirm[Go ahead?]{#go}

:::shell{#write}
\`\`\`bash
echo written
\`\`\`
:::
`;

async function start(
  controller: TuiController,
  source: string,
  store: string,
  secrets: Record<string, string> = {},
  inputs: Record<string, unknown> = {},
) {
  const file = tmp.write('rb.md', source);
  const { document, graph } = checked(source, file);
  return runSession({
    file,
    source,
    document,
    graph,
    runId: 'r1',
    mode: 'interactive',
    operator: 'alice',
    inputs,
    secrets,
    env: {},
    hostEnv: { PATH: process.env.PATH, HOME: tmp.dir },
    targets: resolveTargets(document.frontmatter.targets, {}, process.env, tmp.dir),
    responder: controller.responder,
    maskAlso: {},
    options: { allowWrites: false, yes: false, parallel: 1, force: false },
    storeLocation: store,
    sinks: [controller.sink],
    signal: controller.abort.signal,
    host: hostname(),
    pid: process.pid,
    engineVersion: 'test',
  });
}

describe('the controller drives a real session', () => {
  it('runs, retries, skips, notes and confirms; the transcript says who did what and verifies', async () => {
    const store = tmp.path('s.db');
    const { document, graph } = checked(RUNBOOK, tmp.path('rb.md'));
    const controller = new TuiController({ document, graph, runId: 'r1', operator: 'alice' });
    const done = start(controller, RUNBOOK, store);
    const turnFor = (id: string, failed = false) =>
      until(
        () =>
          controller.pending?.type === 'turn' &&
          controller.pending.turn.stepId === id &&
          (controller.pending.turn.failed !== undefined) === failed,
        10_000,
        `the turn of ${id}`,
      );
    await turnFor('count');
    // The plan is shown before the step runs.
    expect(controller.model.steps.get('count')!.plan?.text).toContain('SELECT 1 AS one');
    expect(controller.model.steps.get('count')!.planPreview).toBe(true);
    controller.run();
    await turnFor('flaky');
    // The finished step's result reached the sink before the next turn.
    await until(() => controller.model.steps.get('count')!.mark === 'passed', 2000, 'count passed');
    controller.run();
    await turnFor('flaky', true);
    expect(controller.model.steps.get('flaky')!.mark).toBe('failed');
    controller.retry();
    await turnFor('later');
    // The retried attempt's end reaches the sink with the recorder's next flush, right after this turn.
    await until(() => controller.model.steps.get('flaky')!.mark === 'passed', 2000, 'flaky passed');
    controller.note('looked fine');
    controller.skip('not needed tonight');
    await until(() => controller.pending?.type === 'confirm', 10_000, 'the confirm');
    controller.answerConfirm(true);
    await turnFor('write');
    controller.run();
    const outcome = await done;
    expect(outcome.kind).toBe('ran');
    if (outcome.kind === 'ran') expect(outcome.summary.status).toBe('passed');

    const s = await openStore(store);
    const events = await s.events('r1');
    await s.close();
    expect(verifyChain(events).ok).toBe(true);
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('run.started');
    expect(events[0]!.type === 'run.started' && events[0]!.data.mode).toBe('interactive');
    const flaky = events.filter((e) => 'stepId' in e.data && e.data.stepId === 'flaky').map((e) => e.type);
    // Who retried is noted as the responder decides; the failed attempt is recorded, then the next one.
    expect(flaky).toEqual([
      'step.started',
      'step.output',
      'note.added',
      'step.finished',
      'step.started',
      'step.output',
      'step.finished',
    ]);
    const notes = events.flatMap((e) => (e.type === 'note.added' ? [e.data] : []));
    expect(notes).toContainEqual({ stepId: 'flaky', text: 'retry: attempt 2 after failed', by: 'alice' });
    expect(notes).toContainEqual({ stepId: 'later', text: 'looked fine', by: 'alice' });
    const skipped = events.find((e) => e.type === 'step.finished' && e.data.stepId === 'later');
    expect(skipped?.data).toMatchObject({ status: 'skipped', reason: 'skipped by alice: not needed tonight' });
    const answered = events.find((e) => e.type === 'confirm.answered');
    expect(answered?.data).toMatchObject({ stepId: 'go', answer: true, by: 'alice', via: 'terminal' });
  });

  it('quitting records run.interrupted and the run can be resumed', async () => {
    const store = tmp.path('q.db');
    rmSync(tmp.path('flag'), { force: true });
    const { document, graph } = checked(RUNBOOK, tmp.path('rb.md'));
    const controller = new TuiController({ document, graph, runId: 'r1', operator: 'bob' });
    const done = start(controller, RUNBOOK, store);
    await until(() => controller.pending?.type === 'turn', 10_000, 'the first turn');
    controller.interrupt(new Error('quit by bob'));
    const outcome = await done;
    expect(outcome.kind === 'ran' && outcome.summary.status).toBe('interrupted');
    const s = await openStore(store);
    const events = await s.events('r1');
    await s.close();
    expect(events.find((e) => e.type === 'run.interrupted')?.data).toMatchObject({ reason: 'quit by bob' });
    expect(verifyChain(events).ok).toBe(true);
  });

  it('Ctrl-C cancels only the running step; s skips an input and a confirm (what it guards does not run)', async () => {
    const source = `---
title: Cancel and skip
inputs:
  who: { type: string, default: ops }
secrets: [TOKEN]
---

# Cancel and skip

:::shell{#slow readonly}
\`\`\`bash
touch ./slow-started
sleep 60
\`\`\`
:::

::input[Ticket number]{#ticket}

::confirm[Restart it?]{#go}

:::shell{#write}
\`\`\`bash
echo "{{ inputs.who }} {{ secrets.TOKEN }}" > ./written
\`\`\`
:::

:::shell{#tag}
\`\`\`bash
echo "{{ ticket.value }}" > ./tagged
\`\`\`
:::

:::shell{#after readonly}
\`\`\`bash
echo "ticket {{ ticket.value }}"
\`\`\`
:::
`;
    const store = tmp.path('cancel.db');
    const { document, graph } = checked(source, tmp.path('rb.md'));
    const controller = new TuiController({ document, graph, runId: 'r1', operator: 'alice' });
    const done = start(controller, source, store, { TOKEN: 'tok-very-secret-123' }, { who: 'ops' });
    await until(() => controller.pending?.type === 'turn', 10_000, 'the first turn');
    controller.run();
    await until(() => existsSync(tmp.path('slow-started')), 10_000, 'the script');
    const started = Date.now();
    expect(controller.cancelStep()).toBe(true);
    await until(
      () => controller.pending?.type === 'turn' && controller.pending.turn.failed?.status === 'cancelled',
      10_000,
      'the turn after the cancel',
    );
    expect(Date.now() - started).toBeLessThan(5000);
    expect(controller.abort.signal.aborted).toBe(false);
    controller.skip('not needed');
    await until(() => controller.pending?.type === 'input', 10_000, 'the input');
    controller.skipAsking('no ticket yet');
    await until(() => controller.pending?.type === 'confirm', 10_000, 'the confirm');
    // The dialog shows the guarded steps as they will run: values filled in, the secret masked,
    // and says which value is not known yet.
    const dialog = dialogLines(
      controller.model,
      controller.pending,
      undefined,
      { text: '', choice: 0, error: '', index: 0 },
      100,
      (t) => t,
      () => '',
    )!
      .map((l) => l.map((x) => x.text).join(''))
      .join('\n');
    expect(dialog).toContain('ops');
    expect(dialog).not.toContain('tok-very-secret-123');
    expect(dialog).not.toContain('{{ inputs.who }}');
    expect(dialog).toMatch(/not known yet, shown as written: .*ticket/);
    controller.skipAsking('not tonight');
    await until(
      () => controller.pending?.type === 'turn' && controller.pending.turn.stepId === 'after',
      10_000,
      'after',
    );
    controller.run();
    // It reads the skipped input: it fails before anything runs; Enter keeps the failure.
    await until(
      () => controller.pending?.type === 'turn' && controller.pending.turn.failed !== undefined,
      10_000,
      'after failing',
    );
    controller.run();
    const outcome = await done;
    expect(outcome.kind === 'ran' && outcome.summary.status).toBe('failed');
    expect(existsSync(tmp.path('written'))).toBe(false);
    expect(existsSync(tmp.path('tagged'))).toBe(false);

    const { ends: of } = await uninterruptedRun(store, 'r1');
    expect(of('slow')).toEqual([
      ['cancelled', expect.stringMatching(/^cancelled by alice/)],
      ['skipped', 'skipped by alice: not needed'],
    ]);
    expect(of('ticket').at(-1)).toEqual(['skipped', 'skipped by alice: no ticket yet']);
    expect(of('go').at(-1)).toEqual(['skipped', 'skipped by alice: not tonight']);
    expect(of('write')).toEqual([['skipped', 'its confirm `go` was skipped by alice: not tonight']]);
    expect(of('tag')).toEqual([['skipped', 'its confirm `go` was skipped by alice: not tonight']]);
    // A step reading the skipped input fails before it runs, as for any absent value.
    expect(of('after')).toEqual([['failed', expect.stringMatching(/ticket/)]]);
  });
});
