/**
 * Guards and declines through the real binary: a confirm guards what it is meant to, a side
 * effect no confirm guards is refused headless without --allow-writes (every kind), and a
 * confirm with on-decline=skip lets "no" skip what it guards while the run goes on.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stepwise, stepwiseAsync } from '../helpers/cli.js';
import { loopbackServer } from '../helpers/http-server.js';
import { scratch } from '../helpers/scratch.js';

const { dir, write } = scratch('guards');
const store = join(dir, 'store.db');
let api: Awaited<ReturnType<typeof loopbackServer>>;
const methods: string[] = [];
beforeAll(async () => {
  api = await loopbackServer({
    '/cache': (q, r) => {
      methods.push(q.method ?? '');
      r.writeHead(204);
      r.end();
    },
  });
});
afterAll(() => api.close());

const run = (path: string, ...args: string[]) => stepwiseAsync(['run', '--headless', '--store', store, ...args, path]);
const exported = (stdout: string) => {
  const runId = /run (\d{8}-\d{6}-[0-9a-f]+)/.exec(stdout)![1]!;
  return stepwise(['export', runId, '--store', store])
    .stdout.trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string; data: Record<string, unknown> });
};

function plans(db: string): string {
  return `---
targets:
  db: { kind: sqlite, path: "${db}" }
---

## Mark stuck plans

::sql{#setup target=db readonly=false query="CREATE TABLE IF NOT EXISTS plans AS SELECT 1 AS id, 'SOLVING' AS status"}

::sql{#stuck target=db query="SELECT id FROM plans WHERE status = 'SOLVING'"}

::confirm[Mark {{ stuck.rowCount }} plans as FAILED?]{#go when="stuck.rowCount > 0"}

:::sql{#mark target=db when="go.answer"}
\`\`\`sql
UPDATE plans SET status = 'FAILED' WHERE status = 'SOLVING'
\`\`\`
:::
`;
}

describe('guards at run time', () => {
  it('a confirm with a `when` guards the write whose condition requires its answer: no --allow-writes needed', async () => {
    const db = join(dir, 'plans.db');
    const path = write('plans.md', plans(db).replace('::sql{#setup', '::confirm[Set up?]{#prep}\n\n::sql{#setup'));
    const answers = write('plans-yes.yml', 'prep: yes\ngo: yes\n');
    const checked = stepwise(['check', path]);
    expect(checked.stdout + checked.stderr).not.toMatch(/write-without-confirm/);
    const r = await run(path, '--answers', answers);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/✓ mark /);
    // Nothing stuck now: the confirm is skipped, its answer is null, and the write does not run.
    const again = await run(path, '--answers', answers);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toMatch(/- go .*skipped/);
    expect(again.stdout).toMatch(/- mark .*skipped/);
  });

  it('the graph records which steps each confirm guards', () => {
    const path = write('graph.md', plans(join(dir, 'graph.db')));
    const graph = JSON.parse(stepwise(['graph', path, '--format', 'json']).stdout) as {
      nodes: { id: string; guards: string[]; guardedBy: string[] }[];
    };
    expect(graph.nodes.find((n) => n.id === 'go')!.guards).toEqual(['mark']);
    expect(graph.nodes.find((n) => n.id === 'mark')!.guardedBy).toEqual(['go']);
  });

  it.each([
    ['shell', (marker: string) => `::shell{#act run="touch ${marker}"}`],
    ['HTTP DELETE', () => `::http{#act target=api method=DELETE path=/cache}`],
  ])('an unguarded %s step is refused headless without --allow-writes, and runs with it', async (_kind, step) => {
    const marker = join(dir, `marker-${methods.length}-${Date.now()}`);
    const path = write(
      `unguarded-${Date.now()}.md`,
      `---\ntargets:\n  api: { kind: http, base: "${api.url}" }\n---\n\n${step(marker)}\n`,
    );
    const before = methods.length;
    const refused = await run(path);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/refusing to run: it (runs a script|sends a request).*no confirm guards it/);
    expect(existsSync(marker)).toBe(false);
    expect(methods.length).toBe(before);
    const allowed = await run(path, '--allow-writes');
    expect(allowed.code, allowed.stdout).toBe(0);
  });

  it('a readonly shell step needs no confirm, and readonly steps are no ordering barrier', () => {
    const path = write('readonly.md', '::shell{#a readonly run="sleep 0.1"}\n\n::shell{#b readonly run="sleep 0.1"}\n');
    const graph = JSON.parse(stepwise(['graph', path, '--format', 'json']).stdout) as {
      edges: { from: string; to: string }[];
    };
    expect(graph.edges).toEqual([]);
  });
});

describe('declines', () => {
  const body = (onDecline: string) => `## Clean up

::confirm[Delete the cache?]{#go ${onDecline}}

::shell{#wipe run="touch ${join(dir, 'wiped')}"}

## Report

::shell{#report readonly run="echo report"}
`;

  it('by default "no" stops the run: exit 3, nothing it guards runs', async () => {
    const path = write('decline-stop.md', body(''));
    const r = await run(path, '--answers', write('no.yml', 'go: no\n'));
    expect(r.code).toBe(3);
    expect(existsSync(join(dir, 'wiped'))).toBe(false);
  });

  it('with on-decline=skip "no" skips what the confirm guards, records who declined, and the run goes on', async () => {
    const path = write('decline-skip.md', body('on-decline=skip'));
    const r = await run(path, '--answers', write('no2.yml', 'go: no\n'), '--operator', 'alice');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(existsSync(join(dir, 'wiped'))).toBe(false);
    expect(r.stdout).toMatch(/- wipe .*declined by alice at `go`/);
    expect(r.stdout).toMatch(/✓ report /);
    const events = exported(r.stdout);
    expect(events.find((e) => e.type === 'confirm.answered')!.data).toMatchObject({
      stepId: 'go',
      answer: false,
      by: 'alice',
      via: 'answers-file',
    });
    expect(events.find((e) => e.type === 'step.finished' && e.data.stepId === 'wipe')!.data).toMatchObject({
      status: 'skipped',
    });
  });
});
