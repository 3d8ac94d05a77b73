/**
 * `stepwise import` as an author runs it (the real binary, child processes): the draft, the
 * dry run, --targets, the errors; and the import → check → run path end to end, on a real
 * SQLite file and a loopback HTTP server: the draft runs headless, its confirms answered, and
 * does what the plain runbook said, with the bearer token coming from a declared secret.
 */
import { existsSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stepwise, stepwiseAsync } from '../helpers/cli.js';
import { loopbackServer } from '../helpers/http-server.js';
import { scratch } from '../helpers/scratch.js';

const SEED = 'fixtures/solvereign/seed/solvereign-v3.3a-operations.md';
const tmp = scratch('import');

describe('stepwise import (CLI)', () => {
  it('writes a draft that check passes, and says what it did', () => {
    const out = tmp.path('solvereign-draft.md');
    const result = stepwise(['import', SEED, '-o', out]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/\d+ steps, 2 places left as prose/);
    const check = stepwise(['check', out]);
    expect(check.code).toBe(0);
    expect(check.stdout + check.stderr).toContain('no problems');
  });

  it('prints the draft on stdout without -o', () => {
    const result = stepwise(['import', SEED]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('<!-- stepwise import:');
    expect(result.stdout).toContain(readFileSync(SEED, 'utf8').split('\n').slice(0, 5).join('\n'));
  });

  it('--dry-run lists the planned steps and what stays prose with their lines, and writes nothing', () => {
    const out = tmp.path('not-written.md');
    const result = stepwise(['import', SEED, '--dry-run', '-o', out]);
    expect(result.code).toBe(0);
    expect(existsSync(out)).toBe(false);
    const source = readFileSync(SEED, 'utf8').split('\n');
    const locked = /^.*:(\d+): sql #check_locked_plans /m.exec(result.stdout);
    expect(locked).not.toBeNull();
    expect(source[Number(locked![1]) - 1]).toBe('SELECT id, status, locked_at, locked_by');
    const python = /:(\d+): stays prose: a `python` block/.exec(result.stdout)!;
    expect(source[Number(python[1]) - 1]).toBe('```python');
    expect(result.stdout).toMatch(/\n\d+ steps planned, 2 places left as prose\n$/);
  });

  it('--targets: the steps go to the targets given', () => {
    const targets = tmp.write(
      'targets.yaml',
      'main: postgres://postgres@127.0.0.1:5432/test\nweb: { kind: http, base: "http://127.0.0.1:9" }\n',
    );
    const result = stepwise(['import', SEED, '--targets', targets]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('  main: "postgres://postgres@127.0.0.1:5432/test"');
    expect(result.stdout).toMatch(/::http\{#health target=web /);
    expect(result.stdout).toMatch(/:::sql\{#check_locked_plans target=main\}/);
    expect(result.stdout).not.toContain('DATABASE_URL');
  });

  it('an unreadable file is exit 2, a usage error exit 4; --help and the command list name it', () => {
    expect(stepwise(['import', tmp.path('missing.md')]).code).toBe(2);
    expect(stepwise(['import']).code).toBe(4);
    expect(stepwise(['import', SEED, '--frobnicate']).code).toBe(4);
    expect(stepwise(['import', '--help']).stdout).toContain('stepwise import PLAIN.md');
    expect(stepwise(['--help']).stdout).toMatch(/\n {2}import +turn a plain-Markdown runbook/);
  });
});

describe('import → check → run', () => {
  const requests: { method: string; url: string; auth: string | undefined }[] = [];
  let server: Awaited<ReturnType<typeof loopbackServer>>;
  beforeAll(async () => {
    const record =
      (status: number, body: string) =>
      (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
        requests.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization });
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(body);
      };
    server = await loopbackServer({
      '/health': record(200, '{"status":"ok","version":"1.2.3"}'),
      '/api/jobs/retry': record(202, '{"queued":2}'),
    });
  });
  afterAll(async () => server.close());

  it('the draft of a plain runbook runs headless and does what it says', async () => {
    const db = tmp.path('shop.db');
    const sqlite = new Database(db);
    sqlite.exec(
      "CREATE TABLE orders (id INTEGER PRIMARY KEY, status TEXT); INSERT INTO orders (status) VALUES ('STUCK'), ('STUCK'), ('PAID');",
    );
    sqlite.close();
    const plain = tmp.write(
      'plain.md',
      [
        '# Stuck orders',
        '',
        '## Check the API',
        '',
        '```bash',
        `curl ${server.url}/health`,
        '```',
        '',
        'Expected response:',
        '',
        '```json',
        '{"status": "ok", "version": "1.2.3"}',
        '```',
        '',
        '## Find them',
        '',
        '```bash',
        `sqlite3 ${db} "SELECT id FROM orders WHERE status = 'STUCK';"`,
        '```',
        '',
        '## Fix them',
        '',
        '```sql',
        "UPDATE orders SET status = 'FAILED' WHERE status = 'STUCK';",
        '```',
        '',
        'Then retry the jobs:',
        '',
        '```bash',
        `curl -X POST ${server.url}/api/jobs/retry -H "Authorization: Bearer $OPS_TOKEN"`,
        '```',
        '',
      ].join('\n'),
    );
    const draft = tmp.path('draft.md');
    expect(stepwise(['import', plain, '-o', draft]).code).toBe(0);
    const text = readFileSync(draft, 'utf8');
    expect(text).toContain('secrets: [OPS_TOKEN]');
    expect(stepwise(['check', draft]).code).toBe(0);
    const secret = 's3cret-token-value-42';
    const run = await stepwiseAsync(['run', draft, '--headless', '--yes', '--json', '--store', tmp.path('store.db')], {
      cwd: tmp.dir,
      env: { OPS_TOKEN: secret },
    });
    expect(run.stderr).toContain('PASSED');
    expect(run.code).toBe(0);
    const after = new Database(db, { readonly: true });
    expect(after.prepare("SELECT count(*) AS n FROM orders WHERE status = 'FAILED'").get()).toEqual({ n: 2 });
    after.close();
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /health', 'POST /api/jobs/retry']);
    expect(requests[1]!.auth).toBe(`Bearer ${secret}`);
    expect(run.stdout).not.toContain(secret);
  }, 60_000);

  it("a psql one-liner's -h/-p/-U/-d make the URL the run connects with (the test PostgreSQL)", async () => {
    const plain = tmp.write(
      'psql.md',
      '# Answer\n\n```bash\npsql -h localhost -p 5432 -U postgres -d test -c "SELECT 41 + 1 AS answer;"\n```\n',
    );
    const draft = tmp.path('psql-draft.md');
    expect(stepwise(['import', plain, '-o', draft]).code).toBe(0);
    expect(readFileSync(draft, 'utf8')).toContain('url: "${DATABASE_URL:-postgres://postgres@localhost:5432/test}"');
    const env = { ...process.env, DATABASE_URL: undefined };
    const run = await stepwiseAsync(['run', draft, '--headless', '--yes', '--json', '--store', tmp.path('psql.db')], {
      cwd: tmp.dir,
      env,
    });
    expect(run.code).toBe(0);
    const started = JSON.parse(run.stdout.split('\n')[0]!) as {
      data: { targets: Record<string, { location: string }> };
    };
    expect(started.data.targets.db!.location).toBe('postgres://postgres@localhost:5432/test');
    expect(run.stdout).toContain('"answer":42');
  }, 60_000);
});
