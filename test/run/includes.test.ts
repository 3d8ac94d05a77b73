/**
 * Parameterised includes end to end: one shared health.md included three times, each include with
 * its own inputs and its own target, against three real loopback HTTP servers; a SQL runbook
 * included against a real SQLite file through a target binding; and what a run does with a value
 * it cannot bind, or an --input naming an input an include binds.
 */
import Database from 'better-sqlite3';
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stepwise, stepwiseAsync } from '../helpers/cli.js';
import { loopbackServer, type Handler } from '../helpers/http-server.js';
import { scratch } from '../helpers/scratch.js';

const files = scratch('run-includes');
type Server = Awaited<ReturnType<typeof loopbackServer>>;
const servers: Record<string, Server> = {};
/** The request paths each server was asked for, in order. */
const hits: Record<string, string[]> = { gateway: [], billing: [], search: [] };

/** A server that answers its own health path with `status`, and records every path asked for. */
const service = (name: string, path: string, status: number): Record<string, Handler> => ({
  [path]: (q, r) => {
    hits[name]!.push(q.url ?? '');
    r.writeHead(status, { 'content-type': 'application/json' });
    r.end(JSON.stringify({ service: name }));
  },
});

beforeAll(async () => {
  servers.gateway = await loopbackServer(service('gateway', '/healthz', 200));
  servers.billing = await loopbackServer(service('billing', '/health', 204));
  servers.search = await loopbackServer(service('search', '/status', 200));
});
afterAll(async () => {
  for (const s of Object.values(servers)) await s.close();
});

const HEALTH = `---
targets:
  api: { kind: http, base: "http://127.0.0.1:1" }
inputs:
  service: { type: string }
  path: { type: string, default: health }
  expect_status: { type: number, default: 200 }
---

# Health of {{ inputs.service }}

::http{#health target=api path="/{{ inputs.path }}"}

::assert[{{ inputs.service }} answers {{ inputs.expect_status }}]{#up that="health.status === inputs.expect_status && (health.status === 204 || health.json.service === inputs.service)"}

::set{#shout name="inputs.service.toUpperCase()"}
`;

function main(extra = ''): string {
  return `---
targets:
  gw: { kind: http, base: "${servers.gateway!.url}" }
  billing: { kind: http, base: "${servers.billing!.url}" }
  search: { kind: http, base: "${servers.search!.url}" }
inputs:
  gw_path: { type: string, default: healthz }
---

# Services

::include{src=health.md as=gateway with="service=gateway path={{ inputs.gw_path }}" target=gw}

::include{src=health.md as=billing with="service=billing expect_status=204" target=billing}

::include{src=./health.md as=search with="service=search path=status" target="api=search"}

::assert[every service answered]{#all that="gateway.up.passed && billing.up.passed && search.up.passed"}

::assert[each include read its own inputs in the evaluator too]{#names that="[gateway.shout.name, billing.shout.name, search.shout.name].join() === 'GATEWAY,BILLING,SEARCH'"}
${extra}`;
}

interface Event {
  type: string;
  data: Record<string, unknown>;
}
const events = (stdout: string): Event[] =>
  stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Event);

describe('parameterised includes, run', () => {
  it('one health.md checks three services, each with its inputs, against its own server', async () => {
    files.write('health.md', HEALTH);
    const path = files.write('services.md', main());
    // check caches the document (.stepwise/cache/ of the folder); the run reads it from there, bindings included.
    expect(stepwise(['check', path], { cwd: files.dir })).toMatchObject({ code: 0, stdout: '' });
    expect(readdirSync(files.path('.stepwise/cache')).length).toBeGreaterThan(1);
    for (const list of Object.values(hits)) list.length = 0;
    const r = await stepwiseAsync(['run', '--headless', '--json', path], { cwd: files.dir });
    expect(r.code).toBe(0);
    expect(hits).toEqual({ gateway: ['/healthz'], billing: ['/health'], search: ['/status'] });
    const all = events(r.stdout);
    const finished = all.filter((e) => e.type === 'step.finished').map((e) => [e.data.stepId, e.data.status]);
    expect(finished).toEqual([
      ['gateway.health', 'passed'],
      ['gateway.up', 'passed'],
      ['gateway.shout', 'passed'],
      ['billing.health', 'passed'],
      ['billing.up', 'passed'],
      ['billing.shout', 'passed'],
      ['search.health', 'passed'],
      ['search.up', 'passed'],
      ['search.shout', 'passed'],
      ['all', 'passed'],
      ['names', 'passed'],
    ]);
    // The labels were rendered with each include's own inputs.
    const asserted = all.filter((e) => e.type === 'assert.evaluated').map((e) => e.data.stepId);
    expect(asserted).toEqual(['gateway.up', 'billing.up', 'search.up', 'all', 'names']);
    // run.started lists the runbook's inputs; the bound ones are each include's own, recorded at the start.
    const started = all.find((e) => e.type === 'run.started')!;
    expect(started.data.inputs).toEqual({ gw_path: 'healthz', path: 'health', expect_status: 200 });
    const notes = all.filter((e) => e.type === 'note.added').map((e) => e.data.text);
    expect(notes).toEqual([
      'include gateway (health.md): with service="gateway" path="healthz"; target api=gw',
      'include billing (health.md): with service="billing" expect_status=204; target api=billing',
      'include search (./health.md): with service="search" path="status"; target api=search',
    ]);
  });

  it('a `with` placeholder reads the run’s inputs: --input changes what the include is given', async () => {
    files.write('health.md', HEALTH);
    const path = files.write('services-input.md', main());
    for (const list of Object.values(hits)) list.length = 0;
    const r = await stepwiseAsync(['run', '--headless', '--input', 'gw_path=nope', path], { cwd: files.dir });
    expect(r.code).toBe(1);
    expect(hits.gateway).toEqual([]); // the gateway server answers 404 for /nope, which it does not record
    expect(r.stdout).toMatch(/✗ gateway\.health .*HTTP 404 from GET http:\/\/127\.0\.0\.1:\d+\/nope/);
  });

  it('an --input naming an input an include binds is refused: it is not this runbook’s', async () => {
    files.write('health.md', HEALTH);
    const path = files.write('services-bound.md', main());
    const r = await stepwiseAsync(['run', '--headless', '--input', 'service=x', path], { cwd: files.dir });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/the runbook declares no input `service`/);
  });

  it('a value that cannot be bound leaves the input missing: the step using it fails before it runs', async () => {
    files.write('health.md', HEALTH);
    const path = files.write(
      'unbound.md',
      `---\ntargets:\n  gw: { kind: http, base: "${servers.gateway!.url}" }\ninputs:\n  code: { type: string, default: abc }\n---\n\n::include{src=health.md as=gateway with="service=gateway path=healthz expect_status={{ inputs.code }}" target=gw}\n`,
    );
    const r = await stepwiseAsync(['run', '--headless', '--json', path], { cwd: files.dir });
    expect(r.code).toBe(1);
    const all = events(r.stdout);
    expect(all.find((e) => e.type === 'note.added')!.data.text).toBe(
      'include gateway (health.md): with service="gateway" path="healthz"; target api=gw; not bound: expect_status: input `expect_status`: `abc` is not a number',
    );
    const up = all.find((e) => e.type === 'step.finished' && e.data.stepId === 'gateway.up')!;
    expect(up.data).toMatchObject({ status: 'failed' });
    expect(String(up.data.error)).toMatch(/inputs\.expect_status .*has no value/);
  });

  it('a secret input bound to a secret reaches the request, and is masked in the record', async () => {
    const secret = 'tok-3f9a1c7e5b2d';
    let seen: string | undefined;
    const api = await loopbackServer({
      '/me': (q, r) => {
        seen = q.headers.authorization;
        r.writeHead(200);
        r.end('ok');
      },
    });
    try {
      files.write(
        'whoami.md',
        '---\ntargets:\n  api: { kind: http, base: "http://127.0.0.1:1" }\ninputs:\n  token: { type: secret }\n---\n\n:::http{#me target=api}\n```http\nGET /me\nAuthorization: Bearer {{ inputs.token }}\n```\n:::\n',
      );
      const path = files.write(
        'secret.md',
        `---\ntargets:\n  ops: { kind: http, base: "${api.url}" }\nsecrets: [OPS_TOKEN]\n---\n\n::include{src=whoami.md as=who with="token={{ secrets.OPS_TOKEN }}" target=ops}\n`,
      );
      const r = await stepwiseAsync(['run', '--headless', '--json', path], {
        cwd: files.dir,
        env: { OPS_TOKEN: secret },
      });
      expect(r.code).toBe(0);
      expect(seen).toBe(`Bearer ${secret}`);
      // Recorded as *** (a secret input), which the recorder's credential pattern masks again.
      expect(events(r.stdout).find((e) => e.type === 'note.added')!.data.text).toMatch(
        /^include who \(whoami\.md\): with token="(\*\*\*|\[REDACTED\])"; target api=ops$/,
      );
      expect(r.stdout + r.stderr).not.toContain(secret);
    } finally {
      await api.close();
    }
  });

  it('a SQL runbook included against a real SQLite file through a target binding', async () => {
    const db = files.path('shop.db');
    const sqlite = new Database(db);
    sqlite.exec(`CREATE TABLE orders (id INTEGER PRIMARY KEY, status TEXT);
      INSERT INTO orders (status) VALUES ('stuck'), ('stuck'), ('paid'), ('stuck'), ('paid');`);
    sqlite.close();
    files.write(
      'count.md',
      `---\ntargets:\n  db: { kind: sqlite, path: ./nowhere.db }\ninputs:\n  status: { type: string }\n  expected: { type: number }\n---\n\n::sql{#count query="SELECT count(*) AS n FROM orders WHERE status = {{ inputs.status }}"}\n\n::assert[{{ inputs.expected }} {{ inputs.status }} orders]{#ok that="count.rows[0].n === inputs.expected"}\n`,
    );
    const path = files.write(
      'orders.md',
      `---\ntargets:\n  shop: { kind: sqlite, path: ./shop.db, readonly: true }\n---\n\n::include{src=count.md as=stuck with="status=stuck expected=3" target=shop}\n\n::include{src=count.md as=paid with="status=paid expected=2" target="db=shop"}\n\n::assert[both]{that="stuck.count.rows[0].n + paid.count.rows[0].n === 5"}\n`,
    );
    expect(stepwise(['check', '--no-cache', path])).toMatchObject({ code: 0, stdout: '' });
    const r = await stepwiseAsync(['run', '--headless', '--json', path], { cwd: files.dir });
    expect(r.code).toBe(0);
    const all = events(r.stdout);
    const started = all.filter((e) => e.type === 'step.started').map((e) => e.data.plan as { params?: unknown[] });
    expect(started.slice(0, 1)[0]!.params).toEqual(['stuck']);
    expect(all.filter((e) => e.type === 'step.finished').map((e) => e.data.status)).toEqual([
      'passed',
      'passed',
      'passed',
      'passed',
      'passed',
    ]);
    expect((all[0]!.data.targets as Record<string, unknown>).db).toBeUndefined(); // the included target was bound, not merged
  });
});
