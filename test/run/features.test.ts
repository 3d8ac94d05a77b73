/** Inputs, secrets, targets, includes, wait, set, --parallel and the embedded PGlite target, end to end. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stepwiseAsync } from '../helpers/cli.js';
import { loopbackServer } from '../helpers/http-server.js';

const dir = mkdtempSync(join(tmpdir(), 'stepwise-features-'));
const write = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
let api: Awaited<ReturnType<typeof loopbackServer>>;
let polls = 0;
let inFlight = 0;
let maxInFlight = 0;

beforeAll(async () => {
  api = await loopbackServer({
    '/whoami': (q, r) => {
      r.writeHead(200, { 'content-type': 'application/json' });
      r.end(JSON.stringify({ auth: q.headers.authorization ?? null }));
    },
    '/slow': (_q, r) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      setTimeout(() => {
        inFlight--;
        r.writeHead(200);
        r.end('ok');
      }, 150);
    },
    '/state': (_q, r) => {
      polls++;
      r.writeHead(200, { 'content-type': 'application/json' });
      r.end(JSON.stringify({ state: polls >= 3 ? 'closed' : 'open' }));
    },
  });
});
afterAll(() => api.close());

describe('run-time features', () => {
  it('an embedded PostgreSQL target (pglite:) needs no server', async () => {
    const path = write(
      'pglite.md',
      `---\ntargets:\n  db: pglite:memory\n---\n\n::confirm[Create?]{#go}\n\n:::sql{#make target=db}\n\`\`\`sql\nCREATE TABLE t AS SELECT generate_series(1, 10) AS n\n\`\`\`\n:::\n\n::sql{#sum target=db query="SELECT sum(n)::int AS s FROM t"}\n\n::assert[sum]{that="sum.rows[0].s == 55"}\n`,
    );
    const r = await stepwiseAsync(['run', '--headless', '--yes', path]);
    expect(r.stdout).toMatch(/PASSED/);
    expect(r.code).toBe(0);
  }, 60_000);

  it('secrets come from the environment or --secrets, and fill target headers', async () => {
    const path = write(
      'secret.md',
      `---\ntargets:\n  api: { kind: http, base: "\${TEST_API}", headers: { Authorization: "Bearer {{ secrets.API_KEY }}" } }\nsecrets: [API_KEY]\n---\n\n::http{#me target=api path=/whoami}\n\n::assert[auth sent]{that="me.json.auth == 'Bearer s3cr3t-value'"}\n`,
    );
    const fromEnv = await stepwiseAsync(['run', '--headless', path], {
      env: { TEST_API: api.url, API_KEY: 's3cr3t-value' },
    });
    expect(fromEnv.code).toBe(0);
    const file = write('secrets.env', 'API_KEY=s3cr3t-value\n');
    const fromFile = await stepwiseAsync(['run', '--headless', '--secrets', file, path], {
      env: { TEST_API: api.url, API_KEY: '' },
    });
    expect(fromFile.code).toBe(0);
    const missing = await stepwiseAsync(['run', '--headless', path], { env: { TEST_API: api.url, API_KEY: '' } });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/secret not set: API_KEY/);
  });

  it('an unset ${VAR} without a default stops before running, naming it', async () => {
    const path = write(
      'env.md',
      '---\ntargets:\n  api: { kind: http, base: "${NOT_SET_ANYWHERE}" }\n---\n\n::http{#h target=api path=/x}\n',
    );
    const r = await stepwiseAsync(['run', '--headless', path]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/NOT_SET_ANYWHERE is not set/);
  });

  it('--target overrides a target', async () => {
    const path = write(
      'override.md',
      '---\ntargets:\n  api: { kind: http, base: "http://127.0.0.1:1" }\n---\n\n::http{#h target=api path=/whoami}\n',
    );
    const r = await stepwiseAsync(['run', '--headless', '--target', `api=${api.url}`, path]);
    expect(r.code).toBe(0);
  });

  it('inputs are typed and validated', async () => {
    const path = write(
      'inputs.md',
      '---\ninputs:\n  n: { type: number }\n  mail: { type: string, pattern: "^[^@]+@[^@]+$" }\n---\n\n::assert[typed]{that="inputs.n + 1 == 43"}\n',
    );
    expect((await stepwiseAsync(['run', '--headless', '--input', 'n=42', '--input', 'mail=a@b', path])).code).toBe(0);
    const bad = await stepwiseAsync(['run', '--headless', '--input', 'n=forty', '--input', 'mail=a@b', path]);
    expect(bad.code).toBe(4);
    expect(bad.stderr).toMatch(/`forty` is not a number/);
    const missing = await stepwiseAsync(['run', '--headless', '--input', 'n=1', path]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/input `mail` needs a value/);
  });

  it('an input step takes its value from the answers file, and choices are checked', async () => {
    const path = write(
      'input-step.md',
      '::set{#opts list="[\'eu\', \'us\']"}\n\n::input[Region?]{#region type=choice options="{{ opts.list }}"}\n\n::assert[picked]{that="region.value == \'us\'"}\n',
    );
    const good = write('a-good.yaml', 'region: us\n');
    expect((await stepwiseAsync(['run', '--headless', '--answers', good, path])).code).toBe(0);
    const bad = write('a-bad.yaml', 'region: mars\n');
    const r = await stepwiseAsync(['run', '--headless', '--answers', bad, path]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/`mars` is not one of eu, us/);
    expect((await stepwiseAsync(['run', '--headless', path])).code).toBe(3);
  });

  it('wait re-runs a step until its condition holds', async () => {
    polls = 0;
    const path = write(
      'wait.md',
      `---\ntargets:\n  api: { kind: http, base: "${api.url}" }\n---\n\n::http{#breaker target=api path=/state}\n\n::wait[Breaker closes]{#w step=breaker until='breaker.json.state == "closed"' every=100ms timeout=10s}\n\n::assert[closed]{that="w.attempts == 2 && breaker.json.state == 'closed'"}\n`,
    );
    const r = await stepwiseAsync(['run', '--headless', path]);
    expect(r.stdout).toMatch(/✓ w\s+wait .* after 2 attempts/);
    expect(r.code).toBe(0);
  });

  it('a wait that never holds fails at its timeout', async () => {
    polls = -1000;
    const path = write(
      'wait-fail.md',
      `---\ntargets:\n  api: { kind: http, base: "${api.url}" }\n---\n\n::http{#breaker target=api path=/state}\n\n::wait[Breaker closes]{#w step=breaker until='breaker.json.state == "closed"' every=200ms timeout=1s}\n`,
    );
    const r = await stepwiseAsync(['run', '--headless', path]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/did not hold after \d+ attempts/);
  });

  it('included steps run under their namespace', async () => {
    write(
      'health.md',
      `---\ntargets:\n  api: { kind: http, base: "${api.url}" }\n---\n\n::http{#me target=api path=/whoami}\n\n::assert[ok]{#ok that="me.status == 200"}\n`,
    );
    const path = write(
      'main.md',
      '::include{src=./health.md as=health}\n\n::assert[included result]{that="health.me.status == 200"}\n',
    );
    const r = await stepwiseAsync(['run', '--headless', path]);
    expect(r.stdout).toMatch(/✓ health\.me/);
    expect(r.code).toBe(0);
  });

  it('--parallel runs independent read-only steps together; without it, one at a time', async () => {
    const reads = Array.from({ length: 6 }, (_, i) => `::http{#h${i} url="${api.url}/slow"}`).join('\n\n');
    const path = write('parallel.md', `${reads}\n\n::shell{#after readonly run="true"}\n`);
    maxInFlight = 0;
    expect((await stepwiseAsync(['run', '--headless', path])).code).toBe(0);
    expect(maxInFlight).toBe(1);
    maxInFlight = 0;
    const r = await stepwiseAsync(['run', '--headless', '--parallel', '4', path]);
    expect(r.code).toBe(0);
    expect(maxInFlight).toBeGreaterThan(1);
    expect(maxInFlight).toBeLessThanOrEqual(4);
  });

  it('a script runs its statements in one transaction: all or nothing', async () => {
    const db = join(dir, 'script.db');
    const body = (last: string) =>
      `---\ntargets:\n  db: { kind: sqlite, path: ${db} }\ninputs:\n  n: { type: number, default: 5 }\n---\n\n::confirm[Go?]{#go}\n\n:::sql{#s target=db script}\n\`\`\`sql\nCREATE TABLE IF NOT EXISTS t (n int);\nINSERT INTO t VALUES ({{ inputs.n }});\n${last}\n\`\`\`\n:::\n`;
    const ok = await stepwiseAsync([
      'run',
      '--headless',
      '--yes',
      write('script-ok.md', body('SELECT count(*) AS c FROM t;')),
    ]);
    expect(ok.stdout).toMatch(/✓ s\s+sql .* SELECT 1 row/);
    const failing = await stepwiseAsync([
      'run',
      '--headless',
      '--yes',
      write('script-fail.md', body('INSERT INTO nope VALUES (1);')),
    ]);
    expect(failing.code).toBe(1);
    const check = await stepwiseAsync([
      'run',
      '--headless',
      write(
        'script-check.md',
        `---\ntargets:\n  db: { kind: sqlite, path: ${db} }\n---\n\n::sql{#c target=db query="SELECT count(*) AS c FROM t"}\n\n::assert[rolled back]{that="c.rows[0].c == 1"}\n`,
      ),
    ]);
    expect(check.code).toBe(0);
  });
});
