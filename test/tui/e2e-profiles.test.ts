/**
 * A profile marked `confirm-start`, in the terminal UI in a real terminal (tmux): the header names
 * the profile, the start question comes before the first step, "n" ends the run declined with
 * nothing run, `q` ends it interrupted, "y" goes on to the first step against the profile's database.
 */
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../engine/store/open.js';
import { BIN } from '../helpers/cli.js';
import { scratch } from '../helpers/scratch.js';
import { until } from '../helpers/until.js';
import { hasTmux, terminalCommand, Tmux } from './tmux.js';

const tmp = scratch('tui-profiles');
const tmux = new Tmux();
afterAll(() => tmux.kill());

for (const name of ['base', 'prod']) {
  const db = new Database(tmp.path(`${name}.db`));
  db.exec('CREATE TABLE log (age INTEGER);');
  db.close();
}
const runbook = tmp.write(
  'prod.md',
  `---
title: Profile in the terminal
targets:
  db: { kind: sqlite, path: ./base.db }
inputs:
  age: { type: number, default: 1 }
profiles:
  prod: { targets: { db: ./prod.db }, inputs: { age: 3 }, confirm-start: true }
---

# Write

:::sql{#write target=db}
\`\`\`sql
SELECT {{ inputs.age }} AS age
\`\`\`
:::
`,
);
const store = tmp.path('store.db');

async function lastEvents(): Promise<{ type: string; data: Record<string, unknown> }[]> {
  const s = await openStore(store);
  try {
    return (await s.events((await s.resolve('last'))!)) as never;
  } finally {
    await s.close();
  }
}

describe.skipIf(!hasTmux())('confirm-start in the terminal UI', () => {
  it('asks before the first step; n declines with nothing run, q interrupts, y goes on', async () => {
    const args = [BIN, 'run', runbook, '--profile', 'prod', '--store', store, '--operator', 'dana'];
    tmux.start('no', terminalCommand(args), { cwd: tmp.dir, columns: 100 });
    let screen = await tmux.waitFor('no', 'You are about to run against PROD. Continue?');
    expect(screen.split('\n')[1]).toMatch(/run \d{8}-\d{6}-[0-9a-f]+ · dana · profile prod · db=\S*prod\.db/);
    tmux.keys('no', 'n');
    await until('the declined run to end', async () => (await lastEvents()).at(-1)?.type === 'run.finished');
    let events = await lastEvents();
    expect(events.map((e) => e.type)).toEqual(['run.started', 'confirm.answered', 'run.finished']);
    expect(events[1]!.data).toMatchObject({ stepId: 'profile:prod', answer: false, by: 'dana', via: 'terminal' });
    expect(events[2]!.data).toMatchObject({ status: 'declined' });

    tmux.start('quit', terminalCommand(args), { cwd: tmp.dir, columns: 100 });
    await tmux.waitFor('quit', 'You are about to run against PROD. Continue?');
    tmux.keys('quit', 'q');
    await tmux.waitFor('quit', 'y quit · n or Esc stay');
    tmux.keys('quit', 'y');
    await until('the quit run to end', async () => (await lastEvents()).at(-1)?.type === 'run.finished');
    events = await lastEvents();
    expect(events.map((e) => e.type)).toEqual(['run.started', 'run.interrupted', 'run.finished']);
    expect(events[2]!.data).toMatchObject({ status: 'interrupted', exitCode: 5 });

    tmux.start('yes', terminalCommand(args), { cwd: tmp.dir, columns: 100 });
    await tmux.waitFor('yes', 'You are about to run against PROD. Continue?');
    tmux.keys('yes', 'y');
    screen = await tmux.waitFor('yes', 'waiting: Enter runs write');
    tmux.keys('yes', 'Enter');
    await tmux.waitFor('yes', '✓ write');
    tmux.keys('yes', 'q');
    events = await lastEvents();
    expect(events[0]!.data.profile).toBe('prod');
    expect(events[1]!.data).toMatchObject({ stepId: 'profile:prod', answer: true, via: 'terminal' });
    expect(events.find((e) => e.type === 'step.finished')?.data).toMatchObject({
      stepId: 'write',
      status: 'passed',
      result: { rows: [{ age: 3 }] },
    });
  });
});
