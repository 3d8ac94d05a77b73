/**
 * `stepwise run --headless` end to end on SQLite files, a loopback HTTP server and real shell
 * processes: gates, exit codes, injection, hostile values, --dry-run, --json.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stepwise, stepwiseAsync } from '../helpers/cli.js';
import { loopbackServer } from '../helpers/http-server.js';

const dir = mkdtempSync(join(tmpdir(), 'stepwise-run-'));
const dbPath = join(dir, 'shop.db');
let api: Awaited<ReturnType<typeof loopbackServer>>;

function seed(): void {
  const db = new Database(dbPath);
  db.exec(`DROP TABLE IF EXISTS orders; CREATE TABLE orders (id INTEGER PRIMARY KEY, status TEXT, note TEXT);
    INSERT INTO orders VALUES (1, 'PROCESSING', NULL), (2, 'PROCESSING', NULL), (3, 'PAID', NULL);`);
  db.close();
}
const statuses = (): string[] => {
  const db = new Database(dbPath, { readonly: true });
  const rows = db.prepare('SELECT status FROM orders ORDER BY id').all() as { status: string }[];
  db.close();
  return rows.map((r) => r.status);
};
const runbook = (name: string, body: string): string => {
  const path = join(dir, name);
  writeFileSync(
    path,
    `---\ntargets:\n  shop: { kind: sqlite, path: ${dbPath} }\n  api: { kind: http, base: "${api.url}" }\ninputs:\n  who: { type: string, default: nobody }\n---\n\n${body}\n`,
  );
  return path;
};

beforeAll(async () => {
  api = await loopbackServer({
    '/health': (_q, r) => {
      r.writeHead(200, { 'content-type': 'application/json' });
      r.end('{"status":"ok"}');
    },
    '/boom': (_q, r) => {
      r.writeHead(500);
      r.end('internal error');
    },
    '/hang': () => {},
    '/echo': (q, r) => {
      r.writeHead(200, { 'content-type': 'application/json' });
      r.end(JSON.stringify({ url: q.url }));
    },
  });
});
afterAll(() => api.close());

let closedPort = 0;
beforeAll(async () => {
  const gone = await loopbackServer({});
  closedPort = Number(new URL(gone.url).port);
  await gone.close();
});

const RECOVER = `::http{#health target=api path=/health}

:::sql{#stuck target=shop}
\`\`\`sql
SELECT id FROM orders WHERE status = 'PROCESSING'
\`\`\`
:::

::confirm[Fail {{ stuck.rowCount }} orders?]{#go}

:::sql{#fix target=shop}
\`\`\`sql
UPDATE orders SET status = 'FAILED' WHERE status = 'PROCESSING'
\`\`\`
:::

::assert[Nothing left]{that="stuck.rowCount == 2"}`;

describe('gates', () => {
  it('an unanswered gate stops with exit 3, names the gate, and changes no data', async () => {
    seed();
    const r = await stepwiseAsync(['run', '--headless', runbook('gate.md', RECOVER)]);
    expect(r.code).toBe(3);
    expect(r.stdout + r.stderr).toMatch(/`go` needs an answer/);
    expect(statuses()).toEqual(['PROCESSING', 'PROCESSING', 'PAID']);
  });

  it('a declined confirm stops with exit 3 and changes no data', async () => {
    seed();
    const answers = join(dir, 'no.yaml');
    writeFileSync(answers, 'go: no\n');
    const r = await stepwiseAsync(['run', '--headless', '--answers', answers, runbook('declined.md', RECOVER)]);
    expect(r.code).toBe(3);
    expect(statuses()).toEqual(['PROCESSING', 'PROCESSING', 'PAID']);
  });

  it('an answered gate lets the write run: exit 0', async () => {
    seed();
    const answers = join(dir, 'yes.yaml');
    writeFileSync(answers, 'go: yes\n');
    const r = await stepwiseAsync(['run', '--headless', '--answers', answers, runbook('yes.md', RECOVER)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✓ fix\s+sql .* UPDATE 2 rows/);
    expect(statuses()).toEqual(['FAILED', 'FAILED', 'PAID']);
  });

  it('--yes never answers a danger gate', async () => {
    const r = await stepwiseAsync([
      'run',
      '--headless',
      '--yes',
      runbook('danger.md', '::confirm[Drop it?]{#kill danger phrase="drop orders"}'),
    ]);
    expect(r.code).toBe(3);
    expect(r.stdout + r.stderr).toMatch(/danger gate: --yes never answers it/);
  });

  it('a danger gate passes with the exact phrase in the answers file', async () => {
    const answers = join(dir, 'danger.yaml');
    writeFileSync(answers, 'kill: { answer: yes, phrase: drop orders }\n');
    const r = await stepwiseAsync([
      'run',
      '--headless',
      '--answers',
      answers,
      runbook('danger2.md', '::confirm[Drop it?]{#kill danger phrase="drop orders"}'),
    ]);
    expect(r.code).toBe(0);
  });

  it('a write with no confirm before it is refused without --allow-writes', async () => {
    seed();
    const path = runbook('unguarded.md', ":::sql{#fix target=shop}\n```sql\nUPDATE orders SET status = 'X'\n```\n:::");
    const refused = await stepwiseAsync(['run', '--headless', path]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/refusing to run: it writes and no confirm guards it/);
    expect(statuses()).toEqual(['PROCESSING', 'PROCESSING', 'PAID']);
    const allowed = await stepwiseAsync(['run', '--headless', '--allow-writes', path]);
    expect(allowed.code).toBe(0);
    expect(statuses()).toEqual(['X', 'X', 'X']);
  });
});

describe('values stay values', () => {
  const hostile = "x'); DROP TABLE orders; --";

  it('an input reaches SQLite only as a bind value', async () => {
    seed();
    const path = runbook(
      'inject-sql.md',
      ':::sql{#q target=shop}\n```sql\nSELECT count(*) AS n FROM orders WHERE note = {{ inputs.who }}\n```\n:::\n\n::assert[no match]{that="q.rows[0].n == 0"}',
    );
    const r = await stepwiseAsync(['run', '--headless', '--input', `who=${hostile}`, path]);
    expect(r.code).toBe(0);
    expect(statuses()).toHaveLength(3);
  });

  it('an input reaches the shell only through the environment, as a word or inside double quotes', async () => {
    const out = join(dir, 'words.txt');
    const path = runbook(
      'inject-shell.md',
      `:::shell{#s}\n\`\`\`bash\nprintf '%s\\n' {{ inputs.who }} "dq: {{ inputs.who }}" > ${out}\n\`\`\`\n:::`,
    );
    const value = `${hostile} $(touch ${dir}/pwned) \`id\``;
    const r = await stepwiseAsync(['run', '--headless', '--allow-writes', '--input', `who=${value}`, path]);
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(`${value}\ndq: ${value}\n`);
    expect(() => readFileSync(join(dir, 'pwned'))).toThrow();
  });

  it('an input in an HTTP path is URL-encoded', async () => {
    // & and = must not start a new parameter; a space the URL parser would encode anyway.
    const path = runbook(
      'inject-url.md',
      '::http{#e target=api path="/echo?q={{ inputs.who }}"}\n\n::assert[encoded]{that="e.json.url === \'/echo?q=a%20b%26c%3Dd\'"}',
    );
    const r = await stepwiseAsync(['run', '--headless', '--input', 'who=a b&c=d', path]);
    expect(r.code).toBe(0);
  });
});

describe('failures fail their step, not the process', () => {
  it.each([
    ['an HTTP 500', '::http{#h target=api path=/boom}', /HTTP 500 from GET .*\/boom \(expected 2xx\)/],
    [
      'a refused connection',
      '::http{#h url="http://127.0.0.1:CLOSED/x"}',
      /cannot connect to 127\.0\.0\.1:\d+: connection refused/,
    ],
    ['a hang past the timeout', '::http{#h target=api path=/hang timeout=1s}', /no response from .*\/hang within 1s/],
    [
      'a broken expression',
      '::set{#a n="1"}\n\n::assert[x]{that="a.rows[5].id == 1"}',
      /expression `a\.rows\[5\]\.id == 1` failed: Cannot read properties of undefined/,
    ],
    ['an expression that loops forever', '::set{#s x="(() => { while (true) {} })()"}', /did not finish within/],
    ['a failing shell command', '::shell{#s readonly run="echo oops >&2; exit 3"}', /exit code 3 \(expected 0\): oops/],
    ['a shell command past its timeout', '::shell{#s readonly run="sleep 30" timeout=1s}', /timed out/],
    [
      'a failed assertion',
      '::set{#a n="2"}\n\n::assert[n is one]{that="a.n == 1"}',
      /assertion failed: n is one: `a\.n == 1` does not hold \(`a\.n` is 2\)/,
    ],
    ['SQL against a missing table', '::sql{#q target=shop query="SELECT * FROM nope"}', /no such table: nope/],
  ])('%s', async (_name, body, message) => {
    const r = await stepwiseAsync([
      'run',
      '--headless',
      runbook('fail.md', body.replace('CLOSED', String(closedPort))),
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(message);
    expect(r.stdout).toMatch(/FAILED .* exit 1/);
  });

  it('a SQLite query past its timeout is stopped, and the next query works', async () => {
    const slow =
      'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) SELECT count(*) FROM c';
    const path = runbook(
      'sqlite-slow.md',
      `::sql{#slow target=shop timeout=1s on-fail=continue query="${slow}"}\n\n::sql{#next target=shop query="SELECT count(*) AS n FROM orders"}\n\n::assert[works]{that="next.rows[0].n == 3"}`,
    );
    seed();
    const r = await stepwiseAsync(['run', '--headless', path]);
    expect(r.stdout).toMatch(/slow .*query timed out after 1s; the SQLite worker was stopped/);
    expect(r.stdout).toMatch(/✓ next/);
    expect(r.ms).toBeLessThan(8000);
  });

  it('on-fail=continue records the failure and goes on; the run still exits 1', async () => {
    const r = await stepwiseAsync([
      'run',
      '--headless',
      runbook('continue.md', '::shell{#a readonly run="exit 1" on-fail=continue}\n\n::note[after]{#b}'),
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✓ b\s+note/);
  });

  it('a skipped step records its condition', async () => {
    const r = await stepwiseAsync([
      'run',
      '--headless',
      runbook('skip.md', '::note[x]{#a when="1 > 2"}\n\n::::if{that="false"}\n::note[y]{#b}\n::::'),
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/- a\s+note\s+skipped: `1 > 2` is false/);
  });
});

describe('modes and output', () => {
  it('--dry-run renders steps and executes nothing', async () => {
    seed();
    const r = await stepwiseAsync(['run', '--dry-run', runbook('dry.md', RECOVER)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/would run: SELECT id FROM orders/);
    expect(r.stdout).toMatch(/needs the results of stuck/);
    expect(statuses()).toEqual(['PROCESSING', 'PROCESSING', 'PAID']);
  });

  it('--json prints NDJSON events, the first run.started with the runId', async () => {
    seed();
    const r = await stepwiseAsync(['run', '--headless', '--yes', '--json', runbook('json.md', RECOVER)]);
    expect(r.code).toBe(0);
    const events = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; runId: string; seq: number });
    expect(events[0]).toMatchObject({ type: 'run.started', seq: 1 });
    expect(events.every((e) => e.runId === events[0]!.runId)).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'run.finished' });
    expect(events.map((e) => e.type)).toContain('confirm.answered');
  });

  it('hostile output is shown without its control sequences, in the report and in show', async () => {
    // OSC title, SGR colour, a C1 CSI (U+009B) clearing the screen, and a bidi override that would reverse what follows.
    const r = await stepwiseAsync([
      'run',
      '--headless',
      runbook(
        'ansi.md',
        '::shell{#s readonly run="printf \'\\033]0;pwned\\007\\033[31mred\\033[0m \\302\\2332J \\342\\200\\256desrever\'"}',
      ),
    ]);
    expect(r.code).toBe(0);
    const shown = stepwise(['show', 'last', '--verbose']);
    for (const out of [r.stdout, shown.stdout]) {
      expect(out).not.toMatch(/[\u001b\u0080-\u009f\u202a-\u202e]/);
      expect(out).toMatch(/red \s*2J <U\+202E>desrever/);
    }
  });

  it('an invalid runbook runs nothing: exit 2', () => {
    const r = stepwise(['run', '--headless', runbook('bad.md', '::sql{#q target=nope query="select 1"}')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown target `nope`/);
  });

  it('usage errors exit 4', () => {
    expect(stepwise(['run', '--parallel', 'x', 'a.md']).code).toBe(4);
    expect(stepwise(['run', '--headless', '--input', 'nope=1', runbook('u.md', '::note[x]')]).code).toBe(4);
  });

  it('stepwise demo runs end to end', async () => {
    const r = await stepwiseAsync(['demo'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/PASSED {2}8 passed, 0 failed, 0 skipped/);
  });
});
