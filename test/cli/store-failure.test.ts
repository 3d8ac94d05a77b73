/**
 * The shared store going away mid-run, through the real binary: the PostgreSQL store is reached
 * through a loopback TCP proxy the test cuts while a step runs. The run must stop before its next
 * side effect (nothing may happen that the transcript cannot record), say what happened and how
 * to continue, exit 5; and once the store is back, `resume` finishes the run in the same
 * transcript, which verifies. Needs a real server (PGlite keeps a cut client's session, and its
 * advisory lock with it).
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../engine/store/open.js';
import { stepwise, stepwiseAsync } from '../helpers/cli.js';
import { testDatabase } from '../helpers/postgres.js';
import { until } from '../helpers/until.js';

const pg = await testDatabase();
afterAll(() => pg.close());
const dir = mkdtempSync(join(tmpdir(), 'stepwise-store-failure-'));

/** A TCP proxy to the test server; cut() drops every connection and refuses new ones. */
async function proxy(): Promise<{ url: string; cut(): void }> {
  const target = new URL(pg.url);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const url = new URL(pg.url);
  url.host = `127.0.0.1:${port}`;
  return {
    url: url.toString(),
    cut() {
      server.close();
      for (const s of sockets) s.destroy();
    },
  };
}

describe.skipIf(pg.server === 'pglite')('the PostgreSQL store goes away during a run', () => {
  it('the run stops before its next side effect, exits 5, and resume finishes it once the store is back', async () => {
    const gate = join(dir, 'gate');
    const sideEffect = join(dir, 'three-ran');
    const runbook = join(dir, 'cut.md');
    writeFileSync(
      runbook,
      `---\ntitle: Store cut\n---\n\n::shell{#one run="echo one"}\n\n::shell{#two run="while [ ! -f ${gate} ]; do sleep 0.05; done; echo two"}\n\n::shell{#three run="touch ${sideEffect}"}\n`,
    );
    const link = await proxy();
    const running = stepwiseAsync(['run', '--allow-writes', runbook, '--headless'], {
      env: { STEPWISE_STORE: link.url },
    });
    const store = await openStore(pg.url);
    let runId = '';
    await until('step two to start', async () => {
      runId = (await store.resolve('last')) ?? '';
      return (
        runId !== '' && (await store.events(runId)).some((e) => e.type === 'step.started' && e.data.stepId === 'two')
      );
    });
    link.cut();
    writeFileSync(gate, '');
    const ran = await running;
    expect(ran.code, ran.stdout + ran.stderr).toBe(5);
    // Cut mid-write (pg's connection ends under the append) or before it (the next connection is
    // refused): either is said, with where the store is.
    expect(ran.stderr).toMatch(
      /the transcript could not be completed: cannot (?:reach the transcript store at|write to the transcript store) 127\.0\.0\.1:\d+\/\w+/,
    );
    expect(ran.stderr).toContain(`stepwise resume ${runId}`);
    expect(existsSync(sideEffect)).toBe(false); // nothing happened that the transcript could not record
    const env = { STEPWISE_STORE: pg.url };
    expect(stepwise(['verify', runId], { env }).code).toBe(0);
    // `two` started and its end was never recorded: resume asks before running it again.
    writeFileSync(join(dir, 'answers.yml'), 'rerun:\n  two: yes\n');
    const resumed = stepwise(['resume', runId, '--allow-writes', '--answers', join(dir, 'answers.yml')], { env });
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    expect(existsSync(sideEffect)).toBe(true);
    const events = await store.events(runId);
    expect(
      events.find((e) => e.type === 'step.finished' && e.data.stepId === 'two' && e.data.status === 'interrupted'),
    ).toBeDefined();
    expect(events.at(-1)!.type).toBe('run.finished');
    expect(stepwise(['verify', runId], { env }).code).toBe(0);
    await store.close();
  }, 60_000);
});
