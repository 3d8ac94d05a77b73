/**
 * `::::each` loops at run time, through the real binary: a loop over the rows of a real SQLite
 * file, over a literal list of ports each served by a real loopback server, a confirm per item
 * answered from --answers, the bounds (10,001 items, a list that is not one), an empty list, a
 * failing iteration, a dry run and a resume that does not re-run finished iterations.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stepwise, stepwiseAsync } from '../helpers/cli.js';
import { loopbackServer } from '../helpers/http-server.js';
import { scratch } from '../helpers/scratch.js';

const { dir, write } = scratch('loops');
const store = join(dir, 'store.db');

type Event = { seq: number; type: string; data: Record<string, unknown> };

const run = (path: string, ...args: string[]) => stepwiseAsync(['run', '--headless', '--store', store, ...args, path]);
const runIdOf = (stdout: string): string => /run (\d{8}-\d{6}-[0-9a-f]+)/.exec(stdout)![1]!;
const events = (stdout: string): Event[] =>
  stepwise(['export', runIdOf(stdout), '--store', store])
    .stdout.trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Event);
const finished = (es: Event[]) =>
  es.filter((e) => e.type === 'step.finished').map((e) => `${e.data.stepId}:${e.data.status}`);

const servers: Awaited<ReturnType<typeof loopbackServer>>[] = [];
const hits: string[] = [];

beforeAll(async () => {
  for (let i = 0; i < 3; i++) {
    const server = await loopbackServer({
      '/health': (_q, r) => {
        hits.push(server.url);
        r.writeHead(i === 1 ? 503 : 200, { 'content-type': 'application/json' });
        r.end(JSON.stringify({ ok: i !== 1 }));
      },
    });
    servers.push(server);
  }
});
afterAll(async () => {
  for (const s of servers) await s.close();
});

function dlqDb(name: string, rows: number): string {
  const path = join(dir, name);
  const db = new Database(path);
  db.exec('CREATE TABLE dlq (id INTEGER PRIMARY KEY, body TEXT, replayed INTEGER NOT NULL DEFAULT 0)');
  const insert = db.prepare('INSERT INTO dlq (id, body) VALUES (?, ?)');
  for (let i = 1; i <= rows; i++) insert.run(i, `letter ${i}`);
  db.close();
  return path;
}

const replayRunbook = (db: string, extra = '') => `---
targets:
  db: { kind: sqlite, path: "${db}" }
---
# Replay the dead letters

:::sql{#dlq target=db}
\`\`\`sql
SELECT id, body FROM dlq WHERE replayed = 0 ORDER BY id
\`\`\`
:::

## Replay

::confirm[Replay {{ dlq.rows.length }} letters?]{#go}

::::each{items="dlq.rows" as=letter${extra}}
:::sql{#replay target=db}
\`\`\`sql
UPDATE dlq SET replayed = 1 WHERE id = {{ letter.id }} AND body = {{ letter.body }}
\`\`\`
:::

::note[replayed {{ letter.id }} ({{ loop.index + 1 }} of {{ loop.count }}): {{ replay.rowCount }} row]{#said}
::::

::assert[every letter replayed]{that="replay.length == 3 && replay.every(r => r.outcome == 'passed' && r.rowCount == 1) && said[2].text == 'replayed 3 (3 of 3): 1 row'"}
`;

describe('a loop over the rows of a SQLite query', () => {
  it('runs its body once per row, in order, each iteration recorded as id[i]; after it, the id is the list', async () => {
    const db = dlqDb('replay.db', 3);
    const path = write('replay.md', replayRunbook(db));
    const answers = write('go.yml', 'go: yes\n');
    const r = await run(path, '--answers', answers);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const es = events(r.stdout);
    expect(finished(es)).toEqual([
      'dlq:passed',
      'go:passed',
      'replay[0]:passed',
      'said[0]:passed',
      'replay[1]:passed',
      'said[1]:passed',
      'replay[2]:passed',
      'said[2]:passed',
      'assert-every-letter-replayed:passed',
    ]);
    // The confirm before the loop asked with the count; the loop's note records it too.
    const started = es.find((e) => e.type === 'step.started' && e.data.stepId === 'go')!;
    expect((started.data.plan as { summary: string }).summary).toMatch(/Replay 3 letters\?/);
    const note = es.find((e) => e.type === 'note.added')!;
    expect(note.data).toMatchObject({ stepId: 'replay' });
    expect(note.data.text).toMatch(/^`each` over `dlq\.rows` \(replay\.md:\d+\): 3 items, as `letter`$/);
    // The rows changed: every letter replayed, each by its own bound parameters.
    const check = new Database(db, { readonly: true });
    expect(check.prepare('SELECT count(*) AS n FROM dlq WHERE replayed = 1').get()).toEqual({ n: 3 });
    check.close();
    const plan = es.find((e) => e.type === 'step.started' && e.data.stepId === 'replay[1]')!.data.plan as {
      params: unknown[];
    };
    expect(plan.params).toEqual([2, 'letter 2']);
    expect(r.stdout).toMatch(/↻ `each` over `dlq\.rows` \(replay\.md:\d+\): 3 items/);
    expect(stepwise(['verify', runIdOf(r.stdout), '--store', store]).code).toBe(0);
  });

  it('an empty list skips the body, saying there were no items; after it the ids are empty lists', async () => {
    const db = dlqDb('empty.db', 0);
    const path = write(
      'empty.md',
      replayRunbook(db).replace(
        /::assert\[every letter replayed\]\{that="[^"]*"\}/,
        '::assert[none]{that="replay.length == 0"}',
      ),
    );
    const r = await run(path, '--answers', write('go-empty.yml', 'go: yes\n'));
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const es = events(r.stdout);
    expect(finished(es)).toEqual(['dlq:passed', 'go:passed', 'replay:skipped', 'said:skipped', 'assert-none:passed']);
    const skip = es.find((e) => e.type === 'step.finished' && e.data.stepId === 'replay')!;
    expect(skip.data.reason).toBe('no items: `dlq.rows` is an empty list');
  });

  it('a dry run shows the first iteration rendered and says how many there would be', async () => {
    const path = write(
      'dry.md',
      `# Dry\n\n::::each{items="['a', 'b', 'c']" as=name}\n::shell{#greet run="echo hello {{ name }}"}\n::::\n`,
    );
    const r = await run(path, '--dry-run');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/3 items, as `name`; dry run: 3 iterations, the first shown/);
    expect(r.stdout).toMatch(/- greet\[0\] +shell +would run: bash: echo hello "\$STEPWISE_V1"/);
    expect(r.stdout).toMatch(/\$STEPWISE_V1 = 'a'/);
    expect(r.stdout).not.toMatch(/greet\[1\]/);
  });
});

describe('a loop over a literal list of ports', () => {
  it('probes each port with a real request; a failing one with on-fail=continue does not stop the loop', async () => {
    hits.length = 0;
    const ports = servers.map((s) => Number(new URL(s.url).port));
    const path = write(
      'ports.md',
      `# Ports\n\n::::each{items="[${ports.join(', ')}]" as=port}\n::http{#probe method=GET url="http://127.0.0.1:{{ port }}/health" on-fail=continue}\n::::\n\n::assert[only one down]{that="probe.filter(p => p.status == 503).length == 1 && probe[1].json.ok === false"}\n`,
    );
    const r = await run(path);
    expect(r.code, r.stdout + r.stderr).toBe(1); // a failed step fails the run, even with on-fail=continue
    expect(hits).toEqual(servers.map((s) => s.url));
    expect(finished(events(r.stdout))).toEqual([
      'probe[0]:passed',
      'probe[1]:failed',
      'probe[2]:passed',
      'assert-only-one-down:passed',
    ]);
  });

  it('a failing iteration stops the loop and the run (on-fail=stop)', async () => {
    hits.length = 0;
    const ports = servers.map((s) => Number(new URL(s.url).port));
    const path = write(
      'ports-stop.md',
      `# Ports\n\n::::each{items="[${ports.join(', ')}]" as=port}\n::http{#probe method=GET url="http://127.0.0.1:{{ port }}/health"}\n::::\n`,
    );
    const r = await run(path);
    expect(r.code).toBe(1);
    expect(hits).toHaveLength(2);
    expect(finished(events(r.stdout))).toEqual(['probe[0]:passed', 'probe[1]:failed']);
    expect(r.stdout).toMatch(/HTTP 503|503/);
  });
});

describe('confirms in a loop', () => {
  const restart = `# Restart

## Workers

::::each{items="['w1', 'w2', 'w3']" as=worker}
::confirm[Restart {{ worker }}?]{#one on-decline=skip}

::shell{#restart run="echo restarting {{ worker }}"}
::::
`;

  it('a confirm inside the loop asks once per item: answers by id[i], else by id', async () => {
    const path = write('restart.md', restart);
    const r = await run(path, '--answers', write('per-item.yml', "one: yes\n'one[1]': no\n"));
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const es = events(r.stdout);
    expect(es.filter((e) => e.type === 'confirm.answered').map((e) => `${e.data.stepId}=${e.data.answer}`)).toEqual([
      'one[0]=true',
      'one[1]=false',
      'one[2]=true',
    ]);
    // "no" skipped what it guards for that item only.
    expect(finished(es)).toEqual([
      'one[0]:passed',
      'restart[0]:passed',
      'one[1]:passed',
      'restart[1]:skipped',
      'one[2]:passed',
      'restart[2]:passed',
    ]);
  });

  it('without an answer for an item, the run stops there, naming it', async () => {
    const path = write('restart-stop.md', restart.replace(' on-decline=skip', ''));
    const r = await run(path, '--answers', write('first-only.yml', "'one[0]': yes\n"));
    expect(r.code).toBe(3);
    expect(r.stdout + r.stderr).toMatch(/one\[1\]/);
    expect(finished(events(r.stdout))).toEqual(['one[0]:passed', 'restart[0]:passed', 'one[1]:failed']);
  });

  it('a write in a loop that no confirm guards is refused headless', async () => {
    const path = write(
      'unguarded.md',
      `# Unguarded\n\n::::each{items="[1, 2]" as=n}\n::shell{#touch run="echo {{ n }}"}\n::::\n`,
    );
    const r = await run(path);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/touch\[0\].*refusing to run/);
  });
});

describe('bad items', () => {
  it('10,001 items fail the loop before any iteration runs, saying the count and the max', async () => {
    const path = write(
      'huge.md',
      `---\ninputs:\n  n: { type: number, default: 10001 }\n---\n# Huge\n\n::::each{items="Array.from({ length: inputs.n }, (_, i) => i)" as=i}\n::note[item {{ i }}]{#item}\n::::\n`,
    );
    const r = await run(path);
    expect(r.code).toBe(1);
    const es = events(r.stdout);
    expect(es.filter((e) => e.type === 'step.started')).toEqual([]);
    const failed = es.find((e) => e.type === 'step.finished')!;
    expect(failed.data).toMatchObject({ stepId: 'item', status: 'failed' });
    expect(failed.data.error).toMatch(/has 10,001 items, more than its max of 1,000; no iteration ran/);
    // With max=10000 (the most a loop may have) it still fails: 10,001 is past any max.
    const max = write(
      'huge-max.md',
      (await import('node:fs')).readFileSync(path, 'utf8').replace('as=i}', 'as=i max=10000}'),
    );
    const again = await run(max);
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/10,001 items, more than its max of 10,000/);
  });

  it('items that are not a list fail the run at the loop, naming it and what it got', async () => {
    const path = write(
      'scalar.md',
      `---\ninputs:\n  ports: { type: string, default: "7000,7001" }\n---\n# Scalar\n\n::set{#cfg ports="inputs.ports"}\n\n::::each{items="cfg.ports" as=port}\n::note[port {{ port }}]{#p}\n::::\n`,
    );
    expect(stepwise(['check', path]).code).toBe(0); // not known before the run
    const r = await run(path);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /✗ p .*`each` over `cfg\.ports` \(scalar\.md:9\) needs a list, but `cfg\.ports` is a string \("7000,7001"\); no iteration ran/,
    );
  });

  it('the same list split from an input runs', async () => {
    const path = write(
      'split.md',
      `---\ninputs:\n  ports: { type: string, default: "7000,7001" }\n---\n# Split\n\n::::each{items="inputs.ports.split(',').map(Number)" as=port}\n::note[port {{ port + 1 }}]{#p}\n::::\n`,
    );
    const r = await run(path, '--input', 'ports=8000,8001,8002');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/✓ p\[2\] +note .*port 8003/);
  });
});

describe('resume', () => {
  it('does not run finished iterations again', async () => {
    const flag = join(dir, 'flag');
    const log = join(dir, 'probes.log');
    const path = write(
      'resume.md',
      `# Resume\n\n::::each{items="[1, 2, 3]" as=n}\n::shell{#probe readonly run="echo {{ n }} >> ${log}; test {{ n }} != 2 || test -f ${flag}"}\n::::\n\n::assert[all]{that="probe.length == 3 && probe.every(p => p.outcome == 'passed')"}\n`,
    );
    const first = await run(path);
    expect(first.code).toBe(1);
    expect(finished(events(first.stdout))).toEqual(['probe[0]:passed', 'probe[1]:failed']);
    write('flag', '');
    const runId = runIdOf(first.stdout);
    const resumed = await stepwiseAsync(['resume', runId, '--headless', '--store', store]);
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    const es = events(first.stdout);
    const after = es.slice(es.findIndex((e) => e.type === 'run.resumed'));
    expect(finished(after)).toEqual(['probe[1]:passed', 'probe[2]:passed', 'assert-all:passed']);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(log, 'utf8')).toBe('1\n2\n2\n3\n');
  });
});
