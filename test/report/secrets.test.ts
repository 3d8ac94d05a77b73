/**
 * No report holds a secret. A run carries canary secrets (from the environment and a --secrets
 * file) through an HTTP header echoed back, a URL, a SQL bind value and a query result, and shell
 * output in the encodings redaction promises; then every format, rendered by `stepwise render`
 * from the store and written by `run --report`, is searched for every form of every canary.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_FORMAT_NAMES } from '../../renderers/report/index.js';
import { stepwise, stepwiseAsync } from '../helpers/cli.js';
import { loopbackServer } from '../helpers/http-server.js';

const TOKEN = 'Report-Canary-Token-4e8d1c~~>';
const PASS = 'Report-Canary-Pass-93b7a2';
const ODD = 'Odd/Report<&>Canary-17';

/** The forms a canary must never appear in (as test/cli/secrets.test.ts checks the store). */
function forms(secret: string): string[] {
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  return [
    secret,
    b64(secret),
    b64(secret).replace(/=+$/, ''),
    b64(`${secret}\n`),
    Buffer.from(secret).toString('base64url'),
    Buffer.from(secret).toString('hex'),
    encodeURIComponent(secret),
    JSON.stringify(secret).slice(1, -1),
    secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
    secret.replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`),
    secret.replace(/[\\`*_[\]<>#!|~&$]/g, (c) => `\\${c}`),
  ];
}
const CANARIES = [...forms(TOKEN), ...forms(PASS), ...forms(ODD), 'Canary-Token', 'Canary-Pass', 'Report<&>Canary'];

const dir = mkdtempSync(join(tmpdir(), 'stepwise-report-secrets-'));
const env = { STEPWISE_STORE: join(dir, 'store.db'), OPS_TOKEN: TOKEN };
let api: Awaited<ReturnType<typeof loopbackServer>>;

beforeAll(async () => {
  api = await loopbackServer({
    '/echo': (q, r) => {
      r.writeHead(200, { 'content-type': 'application/json', 'set-cookie': `session=${TOKEN}` });
      r.end(JSON.stringify({ url: q.url, headers: q.headers }));
    },
  });
  const db = new Database(join(dir, 'vault.db'));
  db.exec('CREATE TABLE creds (name TEXT, value TEXT)');
  db.prepare('INSERT INTO creds VALUES (?, ?)').run('db', PASS);
  db.close();
  writeFileSync(join(dir, 'secrets.yml'), `DB_PASS: ${PASS}\nODD_SECRET: '${ODD}'\n`);
  writeFileSync(
    join(dir, 'leaky.md'),
    `---
title: Leaky report
targets:
  api: { kind: http, base: "${api.url}", headers: { Authorization: "Bearer {{ secrets.OPS_TOKEN }}" } }
  db: { kind: sqlite, path: ${join(dir, 'vault.db')} }
secrets: [OPS_TOKEN, DB_PASS, ODD_SECRET]
---

::http{#headers target=api path=/echo}

::http{#inurl target=api path="/echo?token={{ secrets.OPS_TOKEN }}"}

::sql{#bind target=db query="SELECT name, value FROM creds WHERE value = {{ secrets.DB_PASS }}"}

::assert[The password is not there]{#leak that="bind.rowCount == 0" on-fail=continue}

:::shell{#encodings readonly}
\`\`\`bash
t={{ secrets.OPS_TOKEN }}
o={{ secrets.ODD_SECRET }}
echo "raw $t $o"
printf %s "$t" | base64
printf %s "$t" | od -An -tx1 | tr -d ' \\n'; echo
printf '%s\\n' "$o" | sed 's/&/\\&amp;/g; s/</\\&lt;/g; s/>/\\&gt;/g'
\`\`\`
:::
`,
  );
}, 60_000);
afterAll(() => api?.close());

describe('reports hold no secret', () => {
  it('in any format, rendered from the store or written by run --report', async () => {
    const reports = REPORT_FORMAT_NAMES.map((f) => [f, join(dir, `report.${f}`)] as const);
    const run = await stepwiseAsync(
      [
        'run',
        join(dir, 'leaky.md'),
        '--secrets',
        join(dir, 'secrets.yml'),
        ...reports.flatMap(([f, file]) => ['--report', `${f}=${file}`]),
      ],
      { env, timeoutMs: 120_000 },
    );
    expect(run.code, run.stdout + run.stderr).toBe(1); // the assertion fails: the row is there
    const runId = /transcript (\S+):/.exec(run.stdout)![1]!;
    const places: Record<string, string> = {};
    for (const [format, file] of reports) {
      places[`run --report ${format}`] = readFileSync(file, 'utf8');
      const rendered = stepwise(['render', runId, '--format', format], { env });
      expect(rendered.code).toBe(0);
      places[`render --format ${format}`] = rendered.stdout;
    }
    for (const [place, text] of Object.entries(places)) {
      for (const canary of CANARIES) expect(text.includes(canary), `${place} holds ${canary}`).toBe(false);
      expect(text, place).toContain('REDACTED');
    }
    // The evidence is still there, masked: the row came back, the script ran.
    expect(places['render --format md']).toMatch(/\| db \| \\\[REDACTED:DB\\_PASS\\\] \|/);
    expect(places['render --format md']).toContain('raw [REDACTED:OPS_TOKEN] [REDACTED:ODD_SECRET]');
  }, 240_000);
});
