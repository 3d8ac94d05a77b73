/**
 * The terminal UI end to end: the real `stepwise` in a real terminal (tmux), against SQLite,
 * PostgreSQL and a loopback HTTP server, with its transcript in PostgreSQL. Keys go through a
 * runbook with a confirm, a danger gate, an input, a secret input, a failing assertion, a retry,
 * a skip and a note; the screen and the transcript are both checked, and a second pane follows
 * the same run read-only through the store.
 */
import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../engine/store/open.js';
import { verifyChain } from '../../engine/transcript/chain.js';
import { BIN, stepwise } from '../helpers/cli.js';
import { loopbackServer } from '../helpers/http-server.js';
import { testDatabase, type TestDatabase } from '../helpers/postgres.js';
import { scratch } from '../helpers/scratch.js';
import { hasTmux, terminalCommand, Tmux } from './tmux.js';

const tmp = scratch('tui-e2e');
const tmux = new Tmux();
let db: TestDatabase;
let api: { url: string; close(): Promise<void> };
const SECRET = 's3cr3t-token-xyz-123';

beforeAll(async () => {
  db = await testDatabase();
  await db.query(
    "CREATE TABLE orders (id int PRIMARY KEY, status text); INSERT INTO orders VALUES (1, 'PROCESSING'), (2, 'PROCESSING'), (3, 'DONE')",
  );
  const shop = new Database(tmp.path('shop.db'));
  shop.exec(
    "CREATE TABLE orders (id INTEGER PRIMARY KEY, status TEXT); INSERT INTO orders VALUES (1, 'PROCESSING'), (2, 'PROCESSING'), (3, 'DONE');",
  );
  shop.close();
  api = await loopbackServer({
    '/health': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'ok', queue: 2 }));
    },
  });
});

afterAll(async () => {
  tmux.kill();
  await api?.close();
  await db?.close();
  rmSync(tmp.dir, { recursive: true, force: true });
});

function runbook(): string {
  return `---
title: E2E incident
targets:
  shop: { kind: sqlite, path: "${tmp.path('shop.db')}" }
  pg: { kind: postgres, url: "${db.url}" }
  api: { kind: http, base: "${api.url}" }
inputs:
  reason: { type: string, default: "stuck orders", description: why this runs }
---

# E2E incident

Orders stay in **PROCESSING** when the worker dies; metrics at localhost:9090.

## Look

::http{#health target=api method=GET path=/health}

:::sql{#stuck target=shop}
\`\`\`sql
SELECT id, status FROM orders WHERE status = 'PROCESSING'
\`\`\`
:::

:::shell{#flaky readonly}
\`\`\`bash
if [ -f ./flag ]; then echo recovered; else touch ./flag; echo 'not yet' >&2; exit 3; fi
\`\`\`
:::

:::shell{#extra-logs readonly}
\`\`\`bash
echo more logs
\`\`\`
:::

::assert[All orders are done]{#all-done that='stuck.rowCount == 0' on-fail=continue}

## Fix

::input[How many orders to fix?]{#how-many type=number}

::input[The API token]{#token type=secret}

::confirm[Mark them failed?]{#go}

:::sql{#fix target=pg}
\`\`\`sql
UPDATE orders SET status = 'FAILED' WHERE status = 'PROCESSING'
\`\`\`
:::

::confirm[Really drop the cache?]{#drop danger phrase=drop-cache}

:::shell{#drop-cache}
\`\`\`bash
echo dropped
\`\`\`
:::
`;
}

describe.skipIf(!hasTmux())('the terminal UI in a real terminal', () => {
  it('steps through a runbook by keys; the screen and the transcript agree; a second pane follows read-only', async () => {
    const file = tmp.write('incident.md', runbook());
    const store = db.url;
    const run = 'run';
    tmux.start(run, terminalCommand([BIN, 'run', file, '--store', store, '--operator', 'carol']), { cwd: tmp.dir });

    // The runbook's inputs are asked first, defaults offered.
    let screen = await tmux.waitFor(run, 'Inputs (1 of 1)');
    expect(screen).toContain('default: stuck orders');
    tmux.keys(run, 'Enter');

    screen = await tmux.waitFor(run, 'waiting: Enter runs health');
    const lines = screen.split('\n');
    expect(lines[0]).toContain('E2E incident');
    expect(lines[1]).toMatch(/run \d{8}-\d{6}-[0-9a-f]+ · carol · shop=\/.*shop\.db/);
    expect(screen).toContain('▶? health http');
    expect(screen).toContain('GET http://127.0.0.1:');
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(80);

    tmux.keys(run, 'Enter');
    await tmux.waitFor(run, 'waiting: Enter runs stuck');
    // k views the finished step's result without changing the run; Esc goes back.
    tmux.keys(run, 'k');
    screen = await tmux.waitFor(run, '200 OK');
    // Every response header, then the body: PgDn scrolls to it.
    expect(screen).toContain('content-type: application/json');
    expect(screen).toContain('viewing health');
    tmux.keys(run, 'PageDown');
    screen = await tmux.waitFor(run, '"status": "ok"');
    tmux.keys(run, 'Escape');
    await tmux.waitFor(run, 'waiting: Enter runs stuck');

    // A second responder follows the run read-only, through the PostgreSQL store.
    const watch = 'watch';
    tmux.start(watch, terminalCommand([BIN, 'show', 'last', '--follow', '--store', store]), {
      cwd: tmp.dir,
      columns: 100,
      rows: 30,
    });
    // The header may come a frame before the transcript's steps.
    screen = await tmux.waitFor(watch, /^(?=[\s\S]*following · read-only)(?=[\s\S]*✓ health)/);
    expect(screen).toContain('✓ health');

    tmux.keys(run, 'Enter');
    await tmux.waitFor(run, 'waiting: Enter runs flaky');
    tmux.keys(run, 'k');
    screen = await tmux.waitFor(run, /2 rows/);
    expect(screen).toMatch(/id +status/);
    expect(screen).toMatch(/2 +PROCESSING/);
    tmux.keys(run, 'Escape');
    // The view closed before the next key: an Escape and a key read together are Alt and that key.
    await tmux.waitFor(run, /^(?![\s\S]*viewing stuck)[\s\S]*waiting: Enter runs flaky/);

    // A note, recorded with the operator's name.
    tmux.keys(run, 'n');
    await tmux.waitFor(run, 'A note about `flaky`');
    tmux.type(run, 'checked the dashboard');
    tmux.keys(run, 'Enter');
    await tmux.waitFor(run, 'note recorded');

    // The flaky script fails, and is retried.
    tmux.keys(run, 'Enter');
    screen = await tmux.waitFor(run, 'r retry · s skip · Enter keep the failure');
    expect(screen).toContain('not yet');
    tmux.keys(run, 'r');
    await tmux.waitFor(run, 'waiting: Enter runs extra-logs');

    // A skip asks why.
    tmux.keys(run, 's');
    await tmux.waitFor(run, 'Skip `extra-logs`: why?');
    tmux.type(run, 'not needed tonight');
    tmux.keys(run, 'Enter');
    await tmux.waitFor(run, 'waiting: Enter runs all-done');

    // The watching pane has seen the steps finish.
    screen = await tmux.waitFor(watch, '- extra-logs');
    expect(screen).toContain('✓ stuck');
    expect(screen).toContain('✓ flaky');

    // A failing assertion shows expected and actual; Enter keeps the failure (on-fail=continue goes on).
    tmux.keys(run, 'Enter');
    screen = await tmux.waitFor(run, 'does not hold');
    expect(screen).toContain('expected  == 0');
    expect(screen).toContain('actual    2');
    tmux.keys(run, 'Enter');

    // An input with validation.
    screen = await tmux.waitFor(run, 'How many orders to fix?');
    tmux.type(run, 'x');
    tmux.keys(run, 'Enter');
    await tmux.waitFor(run, 'is not a number');
    tmux.keys(run, 'BSpace');
    tmux.type(run, '2');
    tmux.keys(run, 'Enter');

    // A secret input: masked as typed, never on screen.
    await tmux.waitFor(run, 'secret: never shown');
    tmux.type(run, SECRET);
    screen = await tmux.waitFor(run, '•'.repeat(SECRET.length));
    expect(screen).not.toContain(SECRET);
    tmux.keys(run, 'Enter');

    // The confirm shows what it guards. Its prompt is on screen a frame before the
    // gate is (the step is running, the ran pane echoes it), so wait for the gate.
    screen = await tmux.waitFor(run, 'it guards: sql fix on pg');
    expect(screen).toContain('Mark them failed?');
    expect(screen).toContain("UPDATE orders SET status = 'FAILED'");
    tmux.keys(run, 'y');
    await tmux.waitFor(run, 'waiting: Enter runs fix');
    tmux.keys(run, 'Enter');

    // The danger gate needs its phrase.
    await tmux.waitFor(run, 'DANGER');
    tmux.type(run, 'drop-it');
    tmux.keys(run, 'Enter');
    await tmux.waitFor(run, 'the phrase does not match');
    for (let i = 0; i < 'drop-it'.length; i++) tmux.keys(run, 'BSpace');
    tmux.type(run, 'drop-cache');
    tmux.keys(run, 'Enter');
    await tmux.waitFor(run, 'waiting: Enter runs drop-cache');
    tmux.keys(run, 'Enter');

    screen = await tmux.waitFor(run, /FAILED +\d+ passed/);
    expect(screen).toContain('q exit');
    expect(screen).not.toContain(SECRET);
    // The follower sees the run end.
    await tmux.waitFor(watch, /FAILED/);
    tmux.keys(run, 'q');
    screen = await tmux.waitFor(run, /transcript \S+: \d+ events, sha256:[0-9a-f]{64}/);
    const runId = /transcript (\S+):/.exec(screen)![1]!;
    // The summary may have scrolled a line up as the terminal left the UI's screen: read it back too.
    expect(tmux.scrollback(run)).toContain('FAILED  9 passed, 1 failed, 1 skipped');

    // The database was changed by the confirmed step.
    const rows = await db.query("SELECT count(*)::int AS n FROM orders WHERE status = 'FAILED'");
    expect(rows.rows[0].n).toBe(2);

    // The transcript: same format as headless, verifies, says who did what, holds no secret.
    const s = await openStore(store);
    const events = await s.events(runId);
    await s.close();
    expect(verifyChain(events).ok).toBe(true);
    expect(JSON.stringify(events)).not.toContain(SECRET);
    const started = events[0]!;
    expect(started.type === 'run.started' && started.data.mode).toBe('interactive');
    const data = (type: string) => events.filter((e) => e.type === type).map((e) => e.data as Record<string, unknown>);
    expect(data('confirm.answered')).toEqual([
      { stepId: 'go', answer: true, by: 'carol', via: 'terminal' },
      { stepId: 'drop', answer: true, by: 'carol', via: 'terminal' },
    ]);
    expect(data('input.answered')).toEqual([
      { stepId: 'how-many', value: 2, by: 'carol', via: 'terminal' },
      { stepId: 'token', value: '***', by: 'carol', via: 'terminal' },
    ]);
    expect(data('note.added')).toEqual(
      expect.arrayContaining([
        { stepId: 'flaky', text: 'checked the dashboard', by: 'carol' },
        { stepId: 'flaky', text: 'retry: attempt 2 after failed', by: 'carol' },
      ]),
    );
    expect(data('step.finished').find((d) => d.stepId === 'extra-logs')).toMatchObject({
      status: 'skipped',
      reason: 'skipped by carol: not needed tonight',
    });
    expect(
      data('step.started')
        .filter((d) => d.stepId === 'flaky')
        .map((d) => d.attempt),
    ).toEqual([1, 2]);
    const verify = stepwise(['verify', runId, '--store', store]);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain(events.at(-1)!.hash);
  }, 240_000);
});
