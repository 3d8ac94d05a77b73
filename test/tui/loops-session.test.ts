/**
 * An interactive run of a `::::each` loop through the TUI's controller, without a screen: each
 * iteration's turn comes with its own id (`one[1]`), the confirm in the loop is asked per item,
 * the loop step's row follows the iterations, and the transcript verifies.
 */
import { hostname } from 'node:os';
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { runSession } from '../../engine/run/session.js';
import { openStore } from '../../engine/store/open.js';
import { verifyChain } from '../../engine/transcript/chain.js';
import { TuiController } from '../../renderers/tui/controller.js';
import { scratch } from '../helpers/scratch.js';
import { checked, until } from './helpers.js';

const tmp = scratch('tui-loops');
afterAll(() => rmSync(tmp.dir, { recursive: true, force: true }));

const RUNBOOK = `---
title: Loop trial
---

# Loop trial

## Restart

::::each{items="['a', 'b']" as=worker}
::confirm[Restart {{ worker }}?]{#one on-decline=skip}

::shell{#restart run="echo restarting {{ worker }}"}
::::
`;

describe('an interactive loop', () => {
  it('asks per item, shows the iterations on the loop step rows, and records id[i]', async () => {
    const store = tmp.path('s.db');
    const file = tmp.write('loop.md', RUNBOOK);
    const { document, graph } = checked(RUNBOOK, file);
    const controller = new TuiController({ document, graph, runId: 'r1', operator: 'alice' });
    const done = runSession({
      file,
      source: RUNBOOK,
      document,
      graph,
      runId: 'r1',
      mode: 'interactive',
      operator: 'alice',
      inputs: {},
      secrets: {},
      env: {},
      hostEnv: { PATH: process.env.PATH, HOME: tmp.dir },
      targets: {},
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
    const turnFor = (id: string) =>
      until(
        () => controller.pending?.type === 'turn' && controller.pending.turn.stepId === id,
        10_000,
        `the turn of ${id}`,
      );
    const confirm = () => until(() => controller.pending?.type === 'confirm', 10_000, 'the confirm');
    // A gate has no turn of its own: its question is the turn.
    await confirm();
    expect(controller.pending?.type === 'confirm' && controller.pending.request.stepId).toBe('one[0]');
    expect(controller.model.current).toBe('one');
    controller.answerConfirm(true);
    await turnFor('restart[0]');
    expect(controller.model.steps.get('restart')!.plan?.summary).toMatch(/echo restarting/);
    controller.run();
    await until(() => controller.model.steps.get('restart')!.mark === 'passed', 2000, 'restart[0] passed');
    await confirm();
    expect(controller.pending?.type === 'confirm' && controller.pending.request.stepId).toBe('one[1]');
    controller.answerConfirm(false);
    const outcome = await done;
    expect(outcome.kind === 'ran' && outcome.summary.status).toBe('passed');
    expect(controller.model.steps.get('restart')!.mark).toBe('skipped');

    const s = await openStore(store);
    const events = await s.events('r1');
    await s.close();
    expect(verifyChain(events).ok).toBe(true);
    const ended = events.flatMap((e) => (e.type === 'step.finished' ? [`${e.data.stepId}:${e.data.status}`] : []));
    expect(ended).toEqual(['one[0]:passed', 'restart[0]:passed', 'one[1]:passed', 'restart[1]:skipped']);
    const answers = events.flatMap((e) => (e.type === 'confirm.answered' ? [e.data] : []));
    expect(answers.map((a) => `${a.stepId}=${a.answer}:${a.via}`)).toEqual([
      'one[0]=true:terminal',
      'one[1]=false:terminal',
    ]);
  });
});
