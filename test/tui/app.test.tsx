/**
 * The terminal UI's views and dialogs, rendered by Ink (ink-testing-library) at 80×24 and wider,
 * driven by the controller exactly as the engine session drives it: recorded events into its
 * sink, turns and questions through its responder, keys through stdin.
 */
import { render } from 'ink-testing-library';
import stringWidth from 'string-width';
import { afterEach, describe, expect, it } from 'vitest';
import type { StepDecision, StepTurn } from '../../engine/run/responder.js';
import { App } from '../../renderers/tui/app.js';
import type { TuiController } from '../../renderers/tui/controller.js';
import { controllerFor, ev, frameWith, plain, tick, until } from './helpers.js';

const RUNBOOK = `---
title: Payments are stuck
targets:
  db: { kind: sqlite, path: "./t.db" }
  api: { kind: http, base: "http://127.0.0.1:9" }
inputs:
  limit: { type: number, default: 5, description: rows to show }
---

# Payments are stuck

Orders stay in **PROCESSING** when the worker dies. Check _first_, then fix.

- metrics at localhost:9090
- the worker runs image:latest
- \`kubectl get pods\`

| name | port |
|------|-----:|
| api  | 8080 |

## Look

:::sql{#stuck target=db}
\`\`\`sql
SELECT id, status FROM orders WHERE status = 'PROCESSING' LIMIT {{ inputs.limit }}
\`\`\`
:::

::http{#health target=api method=GET path=/health}

:::shell{#logs readonly}
\`\`\`bash
tail -n 50 /var/log/worker.log
\`\`\`
:::

::assert[No stuck orders]{#none that='stuck.rowCount == 0'}

## Fix

::input[Which region?]{#region type=choice options="eu,us,ap"}

::input[Ticket number]{#ticket type=number}

::input[The API token]{#token type=secret}

::confirm[Mark them failed?]{#go}

::confirm[Really, on production?]{#kill danger phrase=production}

:::sql{#fix target=db}
\`\`\`sql
UPDATE orders SET status = 'FAILED' WHERE status = 'PROCESSING'
\`\`\`
:::
`;

const size = { columns: 80, rows: 24 };
let instances: { unmount(): void }[] = [];
afterEach(() => {
  for (const i of instances) i.unmount();
  instances = [];
});

function open(controller: TuiController, s = size, color = false) {
  const app = render(<App controller={controller} color={color} size={s} />);
  instances.push(app);
  return app;
}

const noteLog: string[] = [];
function turn(stepId: string, extra: Partial<StepTurn> = {}): StepTurn {
  return {
    stepId,
    attempt: 1,
    note: async (text) => void noteLog.push(text),
    preview: () => ({ planError: 'not previewed in this test' }),
    ...extra,
  };
}

function started(controller: TuiController) {
  controller.sink(
    ev('run.started', {
      runbook: { path: 'rb.md', id: 'rb', title: 'Payments are stuck', sha256: 'x', source: '' },
      inputs: {},
      targets: { db: { kind: 'sqlite', location: '/srv/t.db' }, api: { kind: 'http', location: 'http://127.0.0.1:9' } },
      operator: 'alice',
      host: 'h',
      engineVersion: 't',
      mode: 'interactive',
      formatVersion: 1,
    }),
  );
}

describe('layout', () => {
  it('shows header, outline with marks, the step view and the keys, in 80×24 exactly', async () => {
    const c = controllerFor(RUNBOOK);
    started(c);
    const decision = c.responder.beforeStep!(
      turn('stuck', {
        plan: {
          summary: 'SELECT … on db',
          text: "SELECT id, status FROM orders WHERE status = 'PROCESSING' LIMIT ?",
          params: [5],
          effect: false,
        },
      }),
    );
    const { lastFrame } = open(c);
    const frame = await frameWith(lastFrame, 'waiting: Enter runs stuck');
    const lines = frame.split('\n');
    expect(lines.length).toBeLessThanOrEqual(23);
    for (const l of lines) expect(stringWidth(l)).toBeLessThanOrEqual(80);
    expect(lines[0]).toContain('Payments are stuck');
    expect(lines[1]).toContain('run r1 · alice · db=/srv/t.db api=http://127.0.0.1:9');
    expect(frame).toMatch(/▶\? stuck +sql|▶\? stuck sql/);
    expect(frame).toContain('· health http');
    expect(frame).toContain('Look');
    expect(frame).toContain('── will run');
    expect(frame).toContain("WHERE status = 'PROCESSING' LIMIT ?");
    expect(frame).toContain('?1 = 5');
    expect(frame).toContain('Enter run · s skip · a run to next gate');
    c.run();
    expect(await decision).toMatchObject({ action: 'run' });
  });

  it('lays the outline beside the step view when the terminal is wide, and follows a resize', async () => {
    const c = controllerFor(RUNBOOK);
    started(c);
    void c.responder.beforeStep!(turn('stuck'));
    const app = open(c, { columns: 120, rows: 30 });
    let frame = await frameWith(app.lastFrame, 'waiting: Enter runs stuck');
    const row = frame.split('\n').find((l) => l.includes('health http'))!;
    expect(row.length).toBeGreaterThan(60); // the outline row shares its line with the step view
    app.rerender(<App controller={c} color={false} size={{ columns: 80, rows: 24 }} />);
    await tick();
    frame = plain(app.lastFrame());
    for (const l of frame.split('\n')) expect(stringWidth(l)).toBeLessThanOrEqual(80);
    expect(frame.split('\n').length).toBeLessThanOrEqual(23);
  });

  it('renders the prose as Markdown; text the directive syntax would read stays as written', async () => {
    const c = controllerFor(RUNBOOK);
    started(c);
    void c.responder.beforeStep!(turn('stuck'));
    const { lastFrame, stdin } = open(c, { columns: 100, rows: 60 });
    await frameWith(lastFrame, 'waiting');
    stdin.write('\u001b[5~'); // PgUp: the prose above the step
    const frame = await frameWith(lastFrame, 'metrics at');
    expect(frame).toContain('Orders stay in PROCESSING when the worker dies');
    expect(frame).toContain('• metrics at localhost:9090');
    expect(frame).toContain('• the worker runs image:latest');
    expect(frame).toContain('kubectl get pods');
    expect(frame).toMatch(/name +port/);
    expect(frame).toMatch(/api +8080/);
    expect(frame).not.toContain('**');
  });
});

describe('results', () => {
  it('shows SQL as an aligned table with its row count, HTTP status, headers and JSON, shell output, assertions', async () => {
    const c = controllerFor(RUNBOOK);
    started(c);
    const sqlPlan = { summary: 'SELECT', text: 'SELECT id, status FROM orders', params: [], effect: false };
    c.sink(ev('step.started', { stepId: 'stuck', kind: 'sql', plan: sqlPlan, attempt: 1 }));
    c.sink(
      ev('step.finished', {
        stepId: 'stuck',
        status: 'passed',
        ms: 12,
        result: {
          command: 'SELECT',
          rowCount: 3,
          fields: [{ name: 'id' }, { name: 'status' }],
          rows: [
            { id: 1, status: 'PROCESSING' },
            { id: 22, status: 'PROCESSING' },
            { id: 333, status: 'PROCESSING' },
          ],
        },
      }),
    );
    c.sink(
      ev('step.started', {
        stepId: 'health',
        kind: 'http',
        plan: { summary: 'GET /health', text: 'GET http://127.0.0.1:9/health', effect: false },
        attempt: 1,
      }),
    );
    c.sink(
      ev('step.finished', {
        stepId: 'health',
        status: 'passed',
        ms: 5,
        result: {
          status: 503,
          headers: { 'content-type': 'application/json' },
          bytes: 30,
          json: { status: 'degraded', queue: 12 },
        },
      }),
    );
    c.sink(
      ev('step.started', {
        stepId: 'logs',
        kind: 'shell',
        plan: { summary: 'bash', text: 'tail -n 50 /var/log/worker.log', env: {}, effect: false },
        attempt: 1,
      }),
    );
    c.sink(ev('step.output', { stepId: 'logs', stream: 'stdout', chunk: 'line one\nline two\n' }));
    c.sink(ev('step.output', { stepId: 'logs', stream: 'stderr', chunk: 'warning: slow\n' }));
    c.sink(
      ev('step.finished', {
        stepId: 'logs',
        status: 'passed',
        ms: 7,
        result: { exitCode: 0, stdout: 'line one\nline two\n', stderr: 'warning: slow\n' },
      }),
    );
    c.sink(
      ev('step.started', {
        stepId: 'none',
        kind: 'assert',
        plan: { summary: 'assert stuck.rowCount == 0', effect: false },
        attempt: 1,
      }),
    );
    c.sink(
      ev('step.finished', {
        stepId: 'none',
        status: 'failed',
        ms: 1,
        error: 'assertion failed',
        result: { passed: false, actual: 3 },
      }),
    );
    const { lastFrame, stdin } = open(c, { columns: 100, rows: 40 });
    // The run is at `none`; k moves the view back through the earlier steps without changing the run.
    let frame = await frameWith(lastFrame, 'does not hold: stuck.rowCount == 0');
    expect(frame).toContain('expected  == 0');
    expect(frame).toContain('actual    3');
    stdin.write('k');
    frame = await frameWith(lastFrame, 'stdout: 2 lines');
    expect(frame).toContain('line two');
    expect(frame).toContain('warning: slow');
    expect(frame).toContain('viewing logs');
    stdin.write('k');
    frame = await frameWith(lastFrame, '503 Service Unavailable');
    expect(frame).toContain('content-type: application/json');
    expect(frame).toContain('"status": "degraded"');
    stdin.write('k');
    frame = await frameWith(lastFrame, '3 rows');
    expect(frame).toMatch(/ id +status/);
    expect(frame).toMatch(/333 +PROCESSING/);
    expect(c.model.current).toBe('none');
    stdin.write('\u001b'); // Esc: back to the current step
    await frameWith(lastFrame, 'does not hold');
  });

  it('shows every HTTP response header, scrolled like other long output', async () => {
    const c = controllerFor(RUNBOOK);
    started(c);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    for (let i = 1; i <= 30; i++) headers[`x-h-${String(i).padStart(2, '0')}`] = `value ${i}`;
    headers['set-cookie'] = 'a=1';
    c.sink(
      ev('step.started', {
        stepId: 'health',
        kind: 'http',
        plan: { summary: 'GET /health', text: 'GET http://127.0.0.1:9/health', effect: false },
        attempt: 1,
      }),
    );
    c.sink(
      ev('step.finished', {
        stepId: 'health',
        status: 'passed',
        ms: 5,
        result: { status: 200, headers, bytes: 2, json: { ok: true } },
      }),
    );
    const { lastFrame, stdin } = open(c);
    await frameWith(lastFrame, 'x-h-01: value 1');
    let frame = plain(lastFrame());
    for (let i = 0; i < 10 && !frame.includes('x-h-30: value 30'); i++) {
      stdin.write('\u001b[6~'); // PgDn
      await tick();
      frame = plain(lastFrame());
    }
    expect(frame).toContain('x-h-30: value 30');
    expect(frame).toContain('set-cookie: a=1');
  });

  it('shows the tail and counts of a step printing 100,000 lines, and draws it quickly', async () => {
    const c = controllerFor(RUNBOOK);
    started(c);
    c.sink(
      ev('step.started', {
        stepId: 'logs',
        kind: 'shell',
        plan: { summary: 'bash', text: 'seq 100000', env: {}, effect: false },
        attempt: 1,
      }),
    );
    const { lastFrame, frames } = open(c);
    const t0 = performance.now();
    for (let i = 0; i < 1000; i++) {
      let chunk = '';
      for (let j = 1; j <= 100; j++) chunk += `${i * 100 + j}\n`;
      c.sink(ev('step.output', { stepId: 'logs', stream: 'stdout', chunk }));
    }
    const fed = performance.now() - t0;
    const frame = await frameWith(lastFrame, 'stdout: 100000 lines');
    expect(frame).toContain('100000');
    expect(frame).not.toMatch(/^50000$/m);
    expect(fed).toBeLessThan(3000);
    // Redraws are coalesced: far fewer frames than chunks.
    expect(frames.length).toBeLessThan(100);
  });
});

describe('keys at a step', () => {
  it('s asks for a reason and skips; n records a note; a runs to the next gate', async () => {
    const c = controllerFor(RUNBOOK);
    started(c);
    const { lastFrame, stdin } = open(c);
    let decision: Promise<StepDecision> = c.responder.beforeStep!(turn('stuck'));
    await frameWith(lastFrame, 'waiting: Enter runs stuck');
    stdin.write('s');
    await frameWith(lastFrame, 'Skip `stuck`: why?');
    stdin.write('\r');
    await frameWith(lastFrame, 'say why it is skipped');
    stdin.write('already fixed by hand');
    await frameWith(lastFrame, '> already fixed by hand');
    stdin.write('\r');
    expect(await decision).toEqual({ action: 'skip', reason: 'already fixed by hand' });

    decision = c.responder.beforeStep!(turn('health'));
    await frameWith(lastFrame, 'waiting: Enter runs health');
    // With an earlier step in view (k), a note is about that step, and the prompt says so.
    stdin.write('k');
    await frameWith(lastFrame, 'viewing stuck');
    stdin.write('n');
    await frameWith(lastFrame, 'A note about `stuck`');
    stdin.write('\u001b');
    await until(() => !lastFrame()!.includes('A note about'));
    stdin.write('\u001b');
    await until(() => !lastFrame()!.includes('viewing stuck'));
    stdin.write('n');
    await frameWith(lastFrame, 'A note about `health`');
    stdin.write('paged the payments team');
    await tick();
    stdin.write('\r');
    await until(() => noteLog.includes('paged the payments team'));
    stdin.write('a');
    expect(await decision).toMatchObject({ action: 'run' });
    // Running to the next gate: the next plain step runs without a key.
    expect(await c.responder.beforeStep!(turn('logs'))).toMatchObject({ action: 'run' });
  });

  it('r retries a failed step (noting who retried); Enter keeps the failure', async () => {
    const c = controllerFor(RUNBOOK);
    started(c);
    const { lastFrame, stdin } = open(c);
    const failed = {
      status: 'failed' as const,
      error: 'assertion failed: `stuck.rowCount == 0`',
      result: { passed: false, actual: 2 },
    };
    let decision = c.responder.beforeStep!(turn('none', { attempt: 2, failed }));
    const frame = await frameWith(lastFrame, 'r retry · s skip · Enter keep the failure');
    expect(frame).toContain('✗ none failed: assertion failed');
    stdin.write('r');
    expect(await decision).toMatchObject({ action: 'run' });
    expect(noteLog).toContain('retry: attempt 2 after failed');
    decision = c.responder.beforeStep!(turn('none', { attempt: 3, failed }));
    await frameWith(lastFrame, 'r retry');
    stdin.write('\r');
    expect(await decision).toEqual({ action: 'stop' });
  });

  it('q asks, then interrupts: the run signal aborts and the waiting turn stops', async () => {
    const c = controllerFor(RUNBOOK);
    started(c);
    const { lastFrame, stdin } = open(c);
    const decision = c.responder.beforeStep!(turn('stuck'));
    await frameWith(lastFrame, 'waiting');
    stdin.write('q');
    await frameWith(lastFrame, 'Quit?');
    stdin.write('n');
    await frameWith(lastFrame, 'waiting: Enter runs stuck');
    expect(c.abort.signal.aborted).toBe(false);
    stdin.write('q');
    await frameWith(lastFrame, 'Quit?');
    stdin.write('y');
    expect(await decision).toEqual({ action: 'stop' });
    expect(c.abort.signal.aborted).toBe(true);
    expect(String((c.abort.signal.reason as Error).message)).toBe('quit by alice');
  });

  it('Ctrl-C cancels the running step alone; the run stays on it; Ctrl-C again quits', async () => {
    const c = controllerFor(RUNBOOK);
    started(c);
    const { lastFrame, stdin } = open(c);
    const decision = c.responder.beforeStep!(turn('logs'));
    await frameWith(lastFrame, 'waiting: Enter runs logs');
    stdin.write('\r');
    const run = (await decision) as { action: 'run'; cancel?: AbortSignal };
    expect(run.cancel?.aborted).toBe(false);
    c.sink(ev('step.started', { stepId: 'logs', kind: 'shell', plan: { summary: 'tail', effect: false }, attempt: 1 }));
    await frameWith(lastFrame, 'running logs');
    stdin.write('\u0003');
    await frameWith(lastFrame, 'cancelling `logs`');
    expect(run.cancel?.aborted).toBe(true);
    expect(c.abort.signal.aborted).toBe(false);
    // The engine asks again after the cancelled attempt: r, s or q; a second Ctrl-C quits.
    const again = c.responder.beforeStep!(
      turn('logs', { attempt: 2, failed: { status: 'cancelled', error: 'cancelled by alice' } }),
    );
    await frameWith(lastFrame, 'r retry · s skip');
    stdin.write('\u0003');
    expect(await again).toEqual({ action: 'stop' });
    expect(c.abort.signal.aborted).toBe(true);
    expect(String((c.abort.signal.reason as Error).message)).toBe('Ctrl-C pressed by alice');
  });

  it("Ctrl-C at resume's re-run question is no step's cancel: it stops the run", async () => {
    const c = controllerFor(RUNBOOK);
    await c.responder.beforeStep!(turn('go'));
    expect(c.runningStep()).toBe('go');
    const rerun = c.responder.confirm({
      stepId: 'fix',
      question: 'Step `fix` was cancelled after it started; it may have taken effect. Run it again?',
      danger: false,
      phrase: null,
      rerun: true,
    });
    expect(c.runningStep()).toBeUndefined();
    expect(c.cancelStep()).toBe(false);
    c.interrupt(new Error('Ctrl-C pressed by alice'));
    expect(await rerun).toMatchObject({ answered: false });
    expect(c.abort.signal.aborted).toBe(true);
  });

  it('? shows the keys', async () => {
    const c = controllerFor(RUNBOOK);
    const { lastFrame, stdin } = open(c);
    void c.responder.beforeStep!(turn('stuck'));
    await frameWith(lastFrame, 'waiting');
    stdin.write('?');
    const frame = await frameWith(lastFrame, 'Keys');
    expect(frame).toContain('PgUp/PgDn');
    stdin.write('x');
    await frameWith(lastFrame, 'waiting: Enter runs stuck');
  });
});

describe('gates and inputs', () => {
  it('a confirm shows the plan of what it guards and takes y/n', async () => {
    const c = controllerFor(RUNBOOK);
    started(c);
    const { lastFrame, stdin } = open(c, { columns: 80, rows: 30 });
    const guard = [...c.model.steps.values()].find((s) => s.node.guards.includes('fix'))!.id;
    const answer = c.responder.confirm({ stepId: guard, question: 'Mark them failed?', danger: false, phrase: null });
    const frame = await frameWith(lastFrame, 'Mark them failed?');
    expect(frame).toContain('it guards: sql fix on db');
    expect(frame).toContain("UPDATE orders SET status = 'FAILED'");
    expect(frame).toContain('y yes · n no');
    stdin.write('y');
    expect(await answer).toEqual({ answered: true, value: true, by: 'alice', via: 'terminal' });
    const no = c.responder.confirm({ stepId: 'go', question: 'Mark them failed?', danger: false, phrase: null });
    await frameWith(lastFrame, 'y yes · n no');
    stdin.write('n');
    expect(await no).toMatchObject({ answered: true, value: false });
  });

  it('a confirm shows what it guards rendered with the values known, or says a value is not known yet', async () => {
    const c = controllerFor(RUNBOOK);
    started(c);
    const { lastFrame } = open(c, { columns: 80, rows: 30 });
    const guard = [...c.model.steps.values()].find((s) => s.node.guards.includes('fix'))!.id;
    const rendered = {
      summary: 'UPDATE … on db',
      text: 'UPDATE orders SET note = ? -- rendered',
      params: ['***'],
      effect: true,
    };
    // The gate's turn: the controller previews the steps it guards as the engine would run them now.
    const gate = await c.responder.beforeStep!(turn(guard, { preview: () => ({ plan: rendered }) }));
    expect(gate).toMatchObject({ action: 'run' });
    void c.responder.confirm({ stepId: guard, question: 'Mark them failed?', danger: false, phrase: null });
    let frame = await frameWith(lastFrame, 'UPDATE orders SET note = ? -- rendered');
    expect(frame).toContain('***');
    expect(frame).not.toContain("SET status = 'FAILED'");

    const later = controllerFor(RUNBOOK);
    started(later);
    const other = open(later, { columns: 80, rows: 30 });
    await later.responder.beforeStep!(
      turn(guard, { preview: () => ({ planError: 'needs `stuck`, which has not run yet' }) }),
    );
    void later.responder.confirm({ stepId: guard, question: 'Mark them failed?', danger: false, phrase: null });
    frame = await frameWith(other.lastFrame, 'not known yet');
    expect(frame).toContain('needs `stuck`, which has not run yet');
    expect(frame).toContain("UPDATE orders SET status = 'FAILED'");
  });

  it('s on a confirm and Tab on a typed input skip them with a reason, after saying what follows', async () => {
    const c = controllerFor(RUNBOOK);
    started(c);
    const { lastFrame, stdin } = open(c, { columns: 80, rows: 30 });
    const guard = [...c.model.steps.values()].find((s) => s.node.guards.includes('fix'))!.id;
    const gate = await c.responder.beforeStep!(turn(guard));
    const cancel = (gate as { cancel?: AbortSignal }).cancel!;
    const answer = c.responder.confirm({ stepId: guard, question: 'Mark them failed?', danger: false, phrase: null });
    await frameWith(lastFrame, 's skip');
    stdin.write('s');
    const frame = await frameWith(lastFrame, 'why?');
    expect(frame).toMatch(/skips what it guards: `fix` will not run/);
    stdin.write('not tonight\r');
    // The question stops (the attempt is cancelled); asked again, the run is told to skip it.
    expect(await answer).toMatchObject({ answered: false });
    expect(cancel.aborted).toBe(true);
    expect(c.abort.signal.aborted).toBe(false);
    const again = c.responder.beforeStep!(
      turn(guard, { attempt: 2, failed: { status: 'cancelled', error: 'cancelled by alice' } }),
    );
    expect(await again).toEqual({ action: 'skip', reason: 'not tonight' });

    await c.responder.beforeStep!(turn('ticket'));
    const ticket = c.responder.input({
      stepId: 'ticket',
      question: 'Ticket number',
      type: 'number',
      options: null,
      pattern: null,
      defaultValue: null,
    });
    await frameWith(lastFrame, 'Tab skips');
    stdin.write('\t');
    await frameWith(lastFrame, 'leaves its value absent');
    stdin.write('no ticket yet\r');
    expect(await ticket).toMatchObject({ answered: false });
    expect(
      await c.responder.beforeStep!(turn('ticket', { attempt: 2, failed: { status: 'cancelled', error: 'x' } })),
    ).toEqual({ action: 'skip', reason: 'no ticket yet' });
  });

  it('a danger gate needs its phrase typed exactly; Esc declines', async () => {
    const c = controllerFor(RUNBOOK);
    const { lastFrame, stdin } = open(c, { columns: 80, rows: 30 });
    const answer = c.responder.confirm({
      stepId: 'kill',
      question: 'Really, on production?',
      danger: true,
      phrase: 'production',
    });
    await frameWith(lastFrame, 'DANGER');
    await frameWith(lastFrame, 'Type the phrase `production`');
    stdin.write('prod');
    await frameWith(lastFrame, '> prod');
    stdin.write('\r');
    await frameWith(lastFrame, 'the phrase does not match');
    stdin.write('uction');
    await frameWith(lastFrame, '> production');
    stdin.write('\r');
    expect(await answer).toMatchObject({ answered: true, value: true });
    const declined = c.responder.confirm({ stepId: 'kill', question: 'Really?', danger: true, phrase: 'production' });
    await frameWith(lastFrame, 'DANGER');
    stdin.write('\u001b');
    expect(await declined).toMatchObject({ answered: true, value: false });
  });

  it('keys that arrive together count one by one: Backspace and Enter inside a burst of typing', async () => {
    const c = controllerFor(RUNBOOK);
    const { lastFrame, stdin } = open(c, { columns: 80, rows: 30 });
    const answer = c.responder.confirm({ stepId: 'kill', question: 'Really?', danger: true, phrase: 'production' });
    await frameWith(lastFrame, 'DANGER');
    stdin.write('prox\u007f\u007f\u007f\u007fproduction\r');
    expect(await answer).toMatchObject({ answered: true, value: true });
    const decision = c.responder.beforeStep!(turn('stuck'));
    await frameWith(lastFrame, 'waiting: Enter runs stuck');
    stdin.write('s');
    await frameWith(lastFrame, 'Skip `stuck`: why?');
    stdin.write('done by hand\r');
    expect(await decision).toEqual({ action: 'skip', reason: 'done by hand' });
  });

  it('inputs: a number is validated, a choice is a list, a secret is masked as typed', async () => {
    const c = new (await import('../../renderers/tui/controller.js')).TuiController({
      ...(await import('./helpers.js')).checked(RUNBOOK),
      runId: 'r1',
      operator: 'alice',
      checkInput: (request, value) =>
        request.type === 'number' && !/^\d+$/.test(value)
          ? `input \`${request.stepId}\`: \`${value}\` is not a number`
          : null,
    });
    const { lastFrame, stdin } = open(c);
    const region = c.responder.input({
      stepId: 'region',
      question: 'Which region?',
      type: 'choice',
      options: ['eu', 'us', 'ap'],
      pattern: null,
      defaultValue: null,
    });
    await frameWith(lastFrame, '❯ eu');
    stdin.write('\u001b[B'); // down
    await frameWith(lastFrame, '❯ us');
    stdin.write('\r');
    expect(await region).toMatchObject({ answered: true, value: 'us', via: 'terminal' });

    const ticket = c.responder.input({
      stepId: 'ticket',
      question: 'Ticket number',
      type: 'number',
      options: null,
      pattern: null,
      defaultValue: null,
    });
    await frameWith(lastFrame, 'Ticket number');
    stdin.write('12a');
    await tick();
    stdin.write('\r');
    await frameWith(lastFrame, '`12a` is not a number');
    stdin.write('\u007f'); // backspace
    await tick();
    stdin.write('\r');
    expect(await ticket).toMatchObject({ answered: true, value: '12' });

    const token = c.responder.input({
      stepId: 'token',
      question: 'The API token',
      type: 'secret',
      options: null,
      pattern: null,
      defaultValue: null,
    });
    await frameWith(lastFrame, 'secret: never shown');
    stdin.write('hunter2-s3cret');
    const frame = await frameWith(lastFrame, '> ••••••••••••••');
    expect(frame).not.toContain('hunter2');
    stdin.write('\r');
    expect(await token).toMatchObject({ answered: true, value: 'hunter2-s3cret' });
    expect(plain(lastFrame())).not.toContain('hunter2');
  });

  it("asks the runbook's inputs at the start with their defaults offered", async () => {
    const c = controllerFor(RUNBOOK);
    const { lastFrame, stdin } = open(c);
    const values = c.askInputs([
      {
        name: 'limit',
        question: 'rows to show',
        type: 'number',
        options: null,
        pattern: null,
        defaultValue: 5,
        check: () => null,
      },
      {
        name: 'pw',
        question: 'a password',
        type: 'secret',
        options: null,
        pattern: null,
        defaultValue: undefined,
        check: (v) => (v === '' ? 'a value is needed' : null),
      },
    ]);
    let frame = await frameWith(lastFrame, 'Inputs (1 of 2)');
    expect(frame).toContain('default: 5 (Enter keeps it)');
    expect(frame).toContain('> 5');
    stdin.write('\r');
    frame = await frameWith(lastFrame, 'Inputs (2 of 2)');
    stdin.write('\r');
    await frameWith(lastFrame, 'a value is needed');
    stdin.write('pa55');
    await frameWith(lastFrame, '> ••••');
    stdin.write('\r');
    expect(await values).toEqual({ limit: '5', pw: 'pa55' });
  });
});

describe('inert output and colour', () => {
  const HOSTILE = [
    '\u001b[2J\u001b[H', // clear the screen, cursor home
    '\u001b[10;10H', // cursor move
    'progress 10%\rDONE', // overwrite a line
    '\u001b]0;pwned title\u0007', // OSC 0 window title
    '\u001b]2;pwned title\u001b\\', // OSC 2
    '\u001b]52;c;cHduZWQ=\u0007', // OSC 52 clipboard write
    '\u001b]52;c;?\u0007', // OSC 52 clipboard read
    '\u001b]8;;http://evil.example\u0007click\u001b]8;;\u0007', // OSC 8 link
    '\u001bPq#0;2;0;0;0\u001b\\', // DCS (sixel)
    '\u001b_Gf=100;AAAA\u001b\\', // APC (kitty graphics)
    '\u009b2J', // 8-bit CSI
    '\u009d0;c1 title\u0007', // 8-bit OSC
    'abc\u202edcba\u202c', // bidi override
    '\u001b[>0q', // XTVERSION query
    '\u001b]0;unterminated at the end', // OSC left open
  ];

  it('shows every escape kind visibly, from output, results and errors, and sends none raw', async () => {
    const c = controllerFor(RUNBOOK);
    started(c);
    c.sink(
      ev('step.started', {
        stepId: 'logs',
        kind: 'shell',
        plan: { summary: 'bash', text: 'cat hostile', env: {}, effect: false },
        attempt: 1,
      }),
    );
    c.sink(ev('step.output', { stepId: 'logs', stream: 'stdout', chunk: HOSTILE.join('\n') }));
    c.sink(
      ev('step.finished', {
        stepId: 'logs',
        status: 'failed',
        ms: 3,
        error: `bad \u001b[2J\u001b]0;t\u0007 error`,
        result: { exitCode: 1, stdout: HOSTILE.join('\n'), stderr: '' },
      }),
    );
    const { lastFrame, frames } = open(c, { columns: 120, rows: 50 });
    const frame = await frameWith(lastFrame, 'stdout: 15 lines');
    const everything = frames.join('');
    // Nothing but SGR styles reaches the terminal.
    const withoutSgr = everything.replace(/\u001b\[[0-9;]*m/g, '');
    expect(withoutSgr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(frame).toContain('\\x1b[2J\\x1b[H');
    expect(frame).toContain('progress 10%\\rDONE');
    expect(frame).toContain('\\x1b]0;pwned title\\x07');
    expect(frame).toContain('\\x1b]52;c;cHduZWQ=\\x07');
    expect(frame).toContain('\\x1b]8;;http://evil.example\\x07click');
    expect(frame).toContain('\\x1bPq#0;2;0;0;0\\x1b\\');
    expect(frame).toContain('\\x1b_Gf=100;AAAA');
    expect(frame).toContain('\\x9b2J');
    expect(frame).toContain('\\x9d0;c1 title');
    expect(frame).toContain('abc<U+202E>dcba<U+202C>');
    expect(frame).toContain('\\x1b[>0q');
    expect(frame).toContain('\\x1b]0;unterminated at the end');
    expect(frame).toContain('bad \\x1b[2J\\x1b]0;t\\x07 error');
  });

  it('uses colour only when it is on (NO_COLOR turns it off)', async () => {
    const { default: chalk } = await import('chalk');
    const level = chalk.level;
    chalk.level = 1;
    try {
      for (const color of [true, false]) {
        const c = controllerFor(RUNBOOK);
        started(c);
        c.sink(
          ev('step.started', {
            stepId: 'stuck',
            kind: 'sql',
            plan: { summary: 's', text: 'SELECT 1', params: [], effect: false },
            attempt: 1,
          }),
        );
        c.sink(
          ev('step.finished', {
            stepId: 'stuck',
            status: 'passed',
            ms: 1,
            result: { command: 'SELECT', rowCount: 0, rows: [] },
          }),
        );
        const app = open(c, size, color);
        await frameWith(app.lastFrame, 'SELECT 0');
        const colours = /\u001b\[(3[0-7]|9[0-7]|38;)/.test(app.lastFrame() ?? '');
        expect(colours).toBe(color);
        app.unmount();
      }
    } finally {
      chalk.level = level;
    }
  });

  it('read-only: keys only move the view', async () => {
    const c = controllerFor(RUNBOOK, { readOnly: true });
    started(c);
    c.sink(
      ev('step.started', {
        stepId: 'stuck',
        kind: 'sql',
        plan: { summary: 's', text: 'SELECT 1', params: [], effect: false },
        attempt: 1,
      }),
    );
    const { lastFrame, stdin } = open(c);
    const frame = await frameWith(lastFrame, 'following · read-only');
    expect(frame).toContain('j/k view steps');
    stdin.write('n');
    stdin.write('s');
    await tick();
    expect(plain(lastFrame())).not.toContain('A note');
    expect(plain(lastFrame())).not.toContain('Skip');
    c.sink(
      ev('step.finished', {
        stepId: 'stuck',
        status: 'passed',
        ms: 1,
        result: { command: 'SELECT', rowCount: 0, rows: [] },
      }),
    );
    await frameWith(lastFrame, '✓ stuck');
  });
});
