/**
 * The terminal UI end to end, continued: Ctrl-C cancels the running step alone (its process group
 * killed, recorded cancelled by the operator) and the run stays on it; a second Ctrl-C stops the
 * run and records run.interrupted; `stepwise resume` on a terminal
 * reopens the run in the same screen, asks before re-running a side effect that may have taken
 * effect, and finishes it in the same transcript; the layout follows a terminal resize.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../engine/store/open.js';
import { verifyChain } from '../../engine/transcript/chain.js';
import { BIN } from '../helpers/cli.js';
import { scratch } from '../helpers/scratch.js';
import { hasTmux, terminalCommand, Tmux } from './tmux.js';

const tmp = scratch('tui-resume');
const tmux = new Tmux();
afterAll(() => {
  tmux.kill();
  rmSync(tmp.dir, { recursive: true, force: true });
});

describe.skipIf(!hasTmux())('interrupt and resume in the terminal UI', () => {
  it('Ctrl-C cancels the running step; resume reopens the run, asks before re-running it, and finishes', async () => {
    const file = tmp.write(
      'slow.md',
      `---
title: Slow fix
---

# Slow fix

## Check

:::shell{#check readonly}
\`\`\`bash
echo checked
\`\`\`
:::

## Fix

::confirm[Restart the worker?]{#go}

:::shell{#restart}
\`\`\`bash
echo $$ > ./restart.pid
if [ -f ./second ]; then echo restarted; exit 0; fi
touch ./second
sleep 60
\`\`\`
:::

:::shell{#after readonly}
\`\`\`bash
echo after
\`\`\`
:::
`,
    );
    const store = tmp.path('s.db');
    tmux.start('a', terminalCommand([BIN, 'run', file, '--store', store, '--operator', 'erin']), { cwd: tmp.dir });
    await tmux.waitFor('a', 'waiting: Enter runs check');
    // A resize: the outline moves beside the step view when there is room.
    tmux.run(['resize-window', '-t', 'a', '-x', '120', '-y', '30']);
    let screen = await tmux.waitFor('a', /^Check {4,}# Slow fix/m);
    expect(screen.split('\n')[0]!.length).toBeGreaterThan(80);
    tmux.run(['resize-window', '-t', 'a', '-x', '80', '-y', '24']);
    await tmux.waitFor('a', /^─{80}$/m);
    tmux.keys('a', 'Enter');
    // The dialog's keys, not its question alone: the running step shows that a frame before.
    await tmux.waitFor('a', /^(?=[\s\S]*Restart the worker\?)(?=[\s\S]*y yes · n no)/);
    tmux.keys('a', 'y');
    await tmux.waitFor('a', 'waiting: Enter runs restart');
    tmux.keys('a', 'Enter');
    await tmux.waitFor('a', 'running restart');
    for (let i = 0; i < 100 && !existsSync(tmp.path('restart.pid')); i++) await new Promise((r) => setTimeout(r, 100));
    const pid = Number(readFileSync(tmp.path('restart.pid'), 'utf8'));
    // The first Ctrl-C cancels the running step alone: its process group is killed, the run stays on it.
    tmux.keys('a', 'C-c');
    screen = await tmux.waitFor('a', 'r retry · s skip');
    expect(screen).toMatch(/cancelled by erin/);
    expect(screen).not.toContain('INTERRUPTED');
    expect(() => process.kill(pid, 0)).toThrow();
    // A second Ctrl-C, with nothing running, stops the run: recorded interrupted, resumable.
    tmux.keys('a', 'C-c');
    screen = await tmux.waitFor('a', /INTERRUPTED/);
    expect(screen).toContain('stepwise resume');
    tmux.keys('a', 'q');
    screen = await tmux.waitFor('a', /transcript (\S+): \d+ events/);
    const runId = /transcript (\S+):/.exec(screen)![1]!;

    // Resume on a terminal: the same screen, the finished steps restored, a re-run asked for.
    tmux.start('b', terminalCommand([BIN, 'resume', runId, '--store', store, '--operator', 'frank']), {
      cwd: tmp.dir,
    });
    screen = await tmux.waitFor('b', 'Run `restart` again?');
    expect(screen).toContain('was cancelled after it started; it may have taken effect');
    tmux.keys('b', 'y');
    screen = await tmux.waitFor('b', 'waiting: Enter runs restart');
    expect(screen).toContain('✓ check');
    expect(screen).toContain('✓ go');
    expect(screen).toContain('run ');
    tmux.keys('b', 'a');
    screen = await tmux.waitFor('b', /PASSED/);
    tmux.keys('b', 'q');
    screen = await tmux.waitFor('b', /transcript \S+: \d+ events/);

    const s = await openStore(store);
    const events = await s.events(runId);
    await s.close();
    expect(verifyChain(events).ok).toBe(true);
    const types = events.map((e) => e.type);
    expect(types).toContain('run.interrupted');
    expect(types).toContain('run.resumed');
    expect(events.find((e) => e.type === 'run.interrupted')?.data).toMatchObject({ reason: 'Ctrl-C pressed by erin' });
    expect(events.filter((e) => e.type === 'confirm.answered').map((e) => e.data as Record<string, unknown>)).toEqual([
      { stepId: 'go', answer: true, by: 'erin', via: 'terminal' },
      { stepId: 'restart', answer: true, by: 'frank', via: 'terminal', rerun: true },
    ]);
    expect(
      events.find((e) => e.type === 'step.finished' && e.data.stepId === 'restart' && e.data.status === 'cancelled'),
    ).toBeDefined();
    const last = events.at(-1)!;
    expect(last.type === 'run.finished' && last.data.status).toBe('passed');
  }, 180_000);
});
