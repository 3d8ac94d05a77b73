/**
 * Results a responder can see without `export | jq`, through the real binary: `run --verbose`
 * against a SQLite file and a loopback HTTP server shows the rows, the status and the JSON;
 * `show --verbose` shows the same from the transcript, with the SQL's bind values; `run --dry-run`
 * lists bind values apart from the statement.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { stepwise, stepwiseAsync } from '../helpers/cli.js';
import { loopbackServer } from '../helpers/http-server.js';

const dir = mkdtempSync(join(tmpdir(), 'stepwise-verbose-'));
const dbPath = join(dir, 'shop.db');
let api: Awaited<ReturnType<typeof loopbackServer>>;

beforeAll(async () => {
  api = await loopbackServer({
    '/health': (_q, r) => {
      r.writeHead(200, { 'content-type': 'application/json' });
      r.end(JSON.stringify({ status: 'degraded', queue: { depth: 12, oldest: '2026-11-23T09:00:00Z' } }));
    },
  });
});
afterAll(() => api.close());

beforeEach(() => {
  const db = new Database(dbPath);
  db.exec(`DROP TABLE IF EXISTS orders; CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT, status TEXT, note TEXT);
    INSERT INTO orders VALUES (7, '東京 shop', 'PROCESSING', NULL), (1001, 'ann@example.com', 'PROCESSING', 'retry'), (1002, 'bob', 'PAID', NULL);`);
  db.close();
});

const runbook = (): string => {
  const path = join(dir, 'verbose.md');
  writeFileSync(
    path,
    `---
title: Verbose drill
targets:
  shop: { kind: sqlite, path: ${dbPath} }
  api: { kind: http, base: "${api.url}" }
inputs:
  status: { type: string, default: PROCESSING }
---

::http{#health target=api path=/health}

:::sql{#stuck target=shop}
\`\`\`sql
SELECT id, customer, note FROM orders WHERE status = {{ inputs.status }} ORDER BY id
\`\`\`
:::

::confirm[Fail {{ stuck.rowCount }} orders?]{#go}

:::sql{#fix target=shop}
\`\`\`sql
UPDATE orders SET status = 'FAILED' WHERE status = {{ inputs.status }}
\`\`\`
:::
`,
  );
  return path;
};

const TABLE = [
  '  id  customer         note',
  '----  ---------------  -----',
  '   7  東京 shop        NULL',
  '1001  ann@example.com  retry',
  '2 rows',
];
const JSON_EXCERPT = ['{', '  "status": "degraded",', '  "queue": {', '    "depth": 12,'];
const BINDS = ['bind values, not part of the SQL text (one per ?, in order):', "  ?1 = 'PROCESSING'"];
/** The lines of an output with their indentation removed. */
const lines = (text: string): string[] => text.split('\n').map((l) => l.trim());
const trimmed = (list: string[]): string[] => list.map((l) => l.trim());

describe('run --verbose', () => {
  it("shows the rows as a table, the HTTP status and its JSON, and a write's count", async () => {
    const r = await stepwiseAsync(['run', '--allow-writes', '--headless', '--yes', '--verbose', runbook()]);
    expect(r.code, r.stderr).toBe(0);
    const out = lines(r.stdout);
    const table = out.indexOf(trimmed(TABLE)[0]!);
    expect(out.slice(table, table + TABLE.length)).toEqual(trimmed(TABLE));
    expect(out).toContainEqual(expect.stringMatching(/^200 OK {2}\d+ bytes · \d+ ms$/));
    expect(out).toContain('content-type: application/json');
    const json = out.indexOf('{');
    expect(out.slice(json, json + JSON_EXCERPT.length)).toEqual(trimmed(JSON_EXCERPT));
    expect(out).toContain('UPDATE 2');
    expect(out).toContainEqual(expect.stringMatching(/^answered yes by \S+ at \d{4}-/));
    // The columns line up in terminal cells: 東京 takes four.
    const row = r.stdout.split('\n').find((l) => l.includes('東京 shop'))!;
    expect(row).toBe(`      ${TABLE[2]}`);
    // Without it, one line per step.
    const plain = await stepwiseAsync(['run', '--allow-writes', '--headless', '--yes', runbook()]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).not.toContain('ann@example.com');
    expect(plain.stdout).not.toContain('"degraded"');
  });

  it('a failed step shows the statement it ran with its bind values', async () => {
    const path = join(dir, 'broken.md');
    writeFileSync(
      path,
      `---\ntargets:\n  shop: { kind: sqlite, path: ${dbPath} }\n---\n\n::sql{#bad target=shop query="SELECT nope FROM orders WHERE id = {{ 7 }}"}\n`,
    );
    const r = await stepwiseAsync(['run', '--allow-writes', '--headless', '--verbose', path]);
    expect(r.code).toBe(1);
    const out = lines(r.stdout);
    const at = out.indexOf('SELECT nope FROM orders WHERE id = ?');
    expect(at).toBeGreaterThan(0);
    expect(out.slice(at + 1, at + 3)).toEqual([
      'bind values, not part of the SQL text (one per ?, in order):',
      '?1 = 7',
    ]);
  });
});

describe('secrets', () => {
  it('a secret in rows, a JSON body, bind values and output is masked in every verbose view', async () => {
    const secret = 'Verbose-Canary-Token-5d1e';
    const path = join(dir, 'secret.md');
    writeFileSync(
      path,
      `---
targets:
  shop: { kind: sqlite, path: ${dbPath} }
secrets: [CANARY]
---

::sql{#row target=shop query="SELECT {{ secrets.CANARY }} AS token, id FROM orders WHERE status = {{ secrets.CANARY }} OR id = 7"}

:::shell{#echo}
\`\`\`bash
echo token={{ secrets.CANARY }}
printf '{"t": "%s"}\\n' {{ secrets.CANARY }}
\`\`\`
:::
`,
    );
    const env = { CANARY: secret };
    const r = await stepwiseAsync(['run', '--allow-writes', '--headless', '--verbose', path], { env });
    expect(r.code, r.stderr).toBe(0);
    const shown = stepwise(['show', '--verbose', 'last'], { env });
    const dry = await stepwiseAsync(['run', '--dry-run', path], { env });
    for (const text of [r.stdout, shown.stdout, dry.stdout]) {
      expect(text).toContain('[REDACTED:CANARY]');
      expect(text).not.toContain(secret);
      expect(text).not.toContain(Buffer.from(secret).toString('base64'));
    }
    expect(lines(r.stdout)).toContainEqual(expect.stringMatching(/^\[REDACTED[^\]]*\] +7$/));
  });
});

describe('show --verbose', () => {
  it('shows the same results from the transcript, and the bind values each statement ran with', async () => {
    const r = await stepwiseAsync(['run', '--allow-writes', '--headless', '--yes', runbook()]);
    expect(r.code).toBe(0);
    const shown = stepwise(['show', '--verbose', 'last']);
    expect(shown.code).toBe(0);
    const out = lines(shown.stdout);
    const table = out.indexOf(trimmed(TABLE)[0]!);
    expect(out.slice(table, table + TABLE.length)).toEqual(trimmed(TABLE));
    const json = out.indexOf('{');
    expect(out.slice(json, json + JSON_EXCERPT.length)).toEqual(trimmed(JSON_EXCERPT));
    expect(out).toContain('UPDATE 2');
    const select = out.indexOf('SELECT id, customer, note FROM orders WHERE status = ? ORDER BY id');
    expect(out.slice(select + 1, select + 3)).toEqual(trimmed(BINDS));
    const update = out.indexOf("UPDATE orders SET status = 'FAILED' WHERE status = ?");
    expect(out.slice(update + 1, update + 3)).toEqual(trimmed(BINDS));
  });
});

describe('run --dry-run', () => {
  it("lists each statement's bind values, marked as such, apart from the text that would run", async () => {
    const r = await stepwiseAsync(['run', '--dry-run', runbook(), '--input', "status=it's"]);
    expect(r.code, r.stderr).toBe(0);
    const out = lines(r.stdout);
    const select = out.indexOf('SELECT id, customer, note FROM orders WHERE status = ? ORDER BY id');
    expect(select).toBeGreaterThan(0);
    expect(out.slice(select + 1, select + 3)).toEqual([
      'bind values, not part of the SQL text (one per ?, in order):',
      "?1 = 'it\\'s'",
    ]);
    // Nothing ran.
    expect(out).not.toContain('UPDATE 2');
  });
});
