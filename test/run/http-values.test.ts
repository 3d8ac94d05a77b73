/**
 * Values in HTTP requests, end to end: the real `stepwise run` against real loopback servers that
 * record exactly what arrives. Hostile values from --input, from --answers (an `::input` step)
 * and from an HTTP response field land as exactly one header, path segment, query parameter or
 * JSON value; CR/LF in a header is refused; a missing value sends nothing; credentials stay on
 * their origin; a far Retry-After and a deeply nested JSON body fail or pass cleanly.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { stepwiseAsync } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'stepwise-http-values-'));
const write = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

/** Shell, SQL, query-string, path and JSON metacharacters, and a traversal: no CR, LF or NUL. */
const HOSTILE = `$(touch ${dir}/pwned) \`id\` '; rm -rf /tmp/x; ' "q" a&b=c#d /../.. + %2F é x=1;y`;
const CRLF = 'ok\r\nX-Injected: 1\r\n\r\nGET /smuggled';
const NUL = 'a\u0000b';

interface Arrival {
  server: 'api' | 'other';
  method: string;
  url: string;
  raw: string[];
  body: string;
}
const arrivals: Arrival[] = [];
/** Every value the request carried for a header name (raw, so a second or injected header would show). */
const headerValues = (a: Arrival, name: string): string[] =>
  a.raw.flatMap((v, i) => (i % 2 === 0 && v.toLowerCase() === name ? [a.raw[i + 1]!] : []));
const arrivedAt = (prefix: string): Arrival[] => arrivals.filter((a) => a.url.startsWith(prefix));

interface Loopback {
  url: string;
  close(): Promise<void>;
}

async function start(
  name: Arrival['server'],
  handler: (q: IncomingMessage, r: ServerResponse) => void,
): Promise<Loopback> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((q, r) => {
    const chunks: Buffer[] = [];
    q.on('data', (d: Buffer) => chunks.push(d));
    q.on('end', () => {
      arrivals.push({
        server: name,
        method: q.method ?? '',
        url: q.url ?? '',
        raw: q.rawHeaders,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      handler(q, r);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

let api: Loopback;
let other: Loopback;

beforeAll(async () => {
  other = await start('other', (_q, r) => {
    r.writeHead(200, { 'content-type': 'application/json' });
    r.end('{"other":true}');
  });
  api = await start('api', (q, r) => {
    const path = (q.url ?? '/').split('?')[0]!;
    const json = (status: number, body: string, extra: Record<string, string> = {}): void => {
      r.writeHead(status, { 'content-type': 'application/json', ...extra });
      r.end(body);
    };
    if (path === '/api/hostile')
      return json(
        200,
        JSON.stringify({ field: HOSTILE, crlf: CRLF, nul: NUL, dots: '..', n: 42, obj: { k: [1, 'two', null] } }),
      );
    if (path === '/away') {
      r.writeHead(302, { location: `${other.url}/record` });
      return void r.end();
    }
    if (path === '/busy') return json(503, '{"busy":true}', { 'retry-after': '999999' });
    if (path === '/deep') return json(200, `${'{"a":['.repeat(50_000)}${']}'.repeat(50_000)}`);
    json(200, '{"ok":true}');
  });
});
afterAll(async () => {
  await api.close();
  await other.close();
});
beforeEach(() => {
  arrivals.length = 0;
});

const frontmatter = (extra = ''): string =>
  `---\ntargets:\n  api: { kind: http, base: "${api.url}"${extra} }\ninputs:\n  v: { type: string, default: unset }\n  base: { type: string, default: unset }\nsecrets: [APIKEY]\n---\n\n`;
const env = { APIKEY: 'k-1234567890-secret' };

/** Step `a` reads the hostile JSON; step `ask` takes a value from --answers. */
const SOURCES = `::http{#a target=api path=/api/hostile}\n\n::input[Value?]{#ask}\n\n`;

/** A container request putting `value` in a path segment, a query parameter, a header, a JSON string and a bare JSON position. */
const everywhere = (id: string, value: string): string => `:::http{#${id} target=api}
\`\`\`http
POST /echo/${id}/{{ ${value} }}?q={{ ${value} }}&n=1
Content-Type: application/json
X-Value: {{ ${value} }}

{"s": "{{ ${value} }}", "b": {{ ${value} }}, "n": {{ a.json.n }}, "o": {{ a.json.obj }}}
\`\`\`
:::
`;

/** What must have arrived for `everywhere(id, …)` holding `value`. */
function expectEverywhere(id: string, value: string): void {
  const [arrival, ...more] = arrivedAt(`/echo/${id}/`);
  expect(more).toHaveLength(0);
  expect(arrival).toBeDefined();
  const [path, query] = arrival!.url.split('?') as [string, string];
  const segments = path.split('/');
  expect(segments).toHaveLength(4); // '', 'echo', id, the value: one segment
  expect(decodeURIComponent(segments[3]!)).toBe(value);
  const params = new URLSearchParams(query);
  expect([...params.keys()]).toEqual(['q', 'n']);
  expect(params.get('q')).toBe(value);
  expect(headerValues(arrival!, 'x-value')).toEqual([value]);
  expect(headerValues(arrival!, 'x-injected')).toEqual([]);
  expect(JSON.parse(arrival!.body)).toEqual({ s: value, b: value, n: 42, o: { k: [1, 'two', null] } });
}

const run = (path: string, ...args: string[]) =>
  stepwiseAsync(['run', '--headless', '--allow-writes', ...args, path], { env });

describe('hostile values arrive as exactly one header, path segment, query parameter and JSON value', () => {
  it('from --input, from --answers, and from an HTTP response field', async () => {
    const answers = write('hostile-answers.yaml', `ask: ${JSON.stringify(HOSTILE)}\n`);
    const path = write(
      'hostile.md',
      `${frontmatter()}${SOURCES}${everywhere('input', 'inputs.v')}\n${everywhere('answer', 'ask.value')}\n${everywhere('response', 'a.json.field')}`,
    );
    const r = await run(path, '--input', `v=${HOSTILE}`, '--answers', answers);
    expect(r.stdout).toMatch(/PASSED/);
    expect(r.code).toBe(0);
    expectEverywhere('input', HOSTILE);
    expectEverywhere('answer', HOSTILE);
    expectEverywhere('response', HOSTILE);
  });

  it('CR/LF and NUL in a path, query or JSON body arrive intact, inside their one value', async () => {
    const answers = write('nul-answers.yaml', `ask: ${JSON.stringify(NUL)}\n`);
    const inBody = (id: string, value: string): string =>
      `:::http{#${id} target=api}\n\`\`\`http\nPUT /echo/${id}/{{ ${value} }}?q={{ ${value} }}\nContent-Type: application/json\n\n{"s": "{{ ${value} }}", "b": {{ ${value} }}}\n\`\`\`\n:::\n`;
    const path = write(
      'crlf-body.md',
      `${frontmatter()}${SOURCES}${inBody('input', 'inputs.v')}\n${inBody('answer', 'ask.value')}\n${inBody('response', 'a.json.crlf')}`,
    );
    const r = await run(path, '--input', `v=${CRLF}`, '--answers', answers);
    expect(r.code).toBe(0);
    for (const [id, value] of [
      ['input', CRLF],
      ['answer', NUL],
      ['response', CRLF],
    ] as const) {
      const [arrival] = arrivedAt(`/echo/${id}/`);
      const [p, q] = arrival!.url.split('?') as [string, string];
      expect(decodeURIComponent(p.split('/')[3]!)).toBe(value);
      expect(new URLSearchParams(q).get('q')).toBe(value);
      expect(JSON.parse(arrival!.body)).toEqual({ s: value, b: value });
      expect(headerValues(arrival!, 'x-injected')).toEqual([]);
    }
    expect(arrivals.filter((a) => a.url.startsWith('/smuggled'))).toEqual([]);
  });

  it('CR/LF or NUL in a header is refused before sending, naming the header, from every source', async () => {
    const answers = write('crlf-answers.yaml', `ask: ${JSON.stringify(CRLF)}\n`);
    const header = (id: string, value: string): string =>
      `:::http{#${id} target=api on-fail=continue}\n\`\`\`http\nGET /refused/${id}\nX-Value: {{ ${value} }}\n\`\`\`\n:::\n`;
    const path = write(
      'crlf-header.md',
      `${frontmatter()}${SOURCES}${header('input', 'inputs.v')}\n${header('answer', 'ask.value')}\n${header('response', 'a.json.crlf')}\n${header('nul', 'a.json.nul')}\n::http{#leaf target=api path=/refused/leaf on-fail=continue}\n`,
    );
    const r = await stepwiseAsync(
      ['run', '--headless', '--allow-writes', '--input', `v=${CRLF}`, '--answers', answers, path],
      { env },
    );
    expect(r.code).toBe(1);
    for (const id of ['input', 'answer', 'response']) {
      expect(r.stdout).toMatch(
        new RegExp(
          `✗ ${id} .*header \`X-Value\`: the value of \`\\{\\{ [a-z.]+ \\}\\}\` holds a line break \\(CR or LF\\)`,
        ),
      );
    }
    expect(r.stdout).toMatch(/✗ nul .*header `X-Value`: the value of `\{\{ a\.json\.nul \}\}` holds a NUL character/);
    expect(arrivedAt('/refused/').map((a) => a.url)).toEqual(['/refused/leaf']); // only the step without the value
  });

  it('a value that would make a path segment `..` is refused; in the query it is just a value', async () => {
    const path = write(
      'dots.md',
      `${frontmatter()}${SOURCES}::http{#up target=api path="/echo/dots/{{ a.json.dots }}/admin" on-fail=continue}\n\n::http{#q target=api path="/echo/q?to={{ a.json.dots }}"}\n\n::http{#inside target=api path="/echo/in/{{ a.json.dots }}x"}\n`,
    );
    const r = await run(path, '--answers', write('empty.yaml', 'ask: x\n'));
    expect(r.stdout).toMatch(
      /✗ up .*the value of `\{\{ a\.json\.dots \}\}` makes the URL path segment `\.\.`, which would move the request up the path; refused/,
    );
    expect(arrivals.map((a) => a.url)).toEqual(['/api/hostile', '/echo/q?to=..', '/echo/in/..x']);
  });
});

describe('a missing value fails the step before any request', () => {
  it('in a header, a path, a query, a JSON body and a target header', async () => {
    const steps = [
      ':::http{#header target=api on-fail=continue}\n```http\nGET /missing/header\nX-Value: {{ a.json.nope }}\n```\n:::',
      '::http{#path target=api path="/missing/path/{{ a.json.nope }}" on-fail=continue}',
      '::http{#query target=api path="/missing/query?q={{ a.json.nope }}" on-fail=continue}',
      ':::http{#body target=api on-fail=continue}\n```http\nPOST /missing/body\n\n{"id": {{ a.json.nope }}}\n```\n:::',
      ':::http{#string target=api on-fail=continue}\n```http\nPOST /missing/string\n\n{"id": "{{ a.json.nope }}"}\n```\n:::',
    ].join('\n\n');
    const path = write('missing.md', `${frontmatter()}${SOURCES}${steps}\n`);
    const r = await run(path, '--answers', write('ask.yaml', 'ask: x\n'));
    expect(r.code).toBe(1);
    for (const id of ['header', 'path', 'query', 'body', 'string']) {
      expect(r.stdout).toMatch(
        new RegExp(
          `✗ ${id} .*\`\\{\\{ a\\.json\\.nope \\}\\}\` has no value \\(it is undefined\\), so nothing was run`,
        ),
      );
    }
    expect(arrivedAt('/missing')).toEqual([]);
    const target = write(
      'missing-target.md',
      `---\ntargets:\n  api: { kind: http, base: "${api.url}", headers: { X-Tenant: "{{ inputs.tenant.id }}" } }\ninputs:\n  tenant: { type: string, default: acme }\n---\n\n::http{#t target=api path=/missing/target}\n`,
    );
    const t = await run(target);
    expect(t.code).toBe(1);
    expect(t.stdout).toMatch(/`\{\{ inputs\.tenant\.id \}\}` has no value/);
    expect(arrivedAt('/missing')).toEqual([]);
  });
});

describe('bodies by content type', () => {
  it('form-encoded values are encoded one by one; text/plain values go as they are; a leaf body starting with { is JSON', async () => {
    const steps = [
      ':::http{#form target=api}\n```http\nPOST /echo/form\nContent-Type: application/x-www-form-urlencoded\n\na={{ inputs.v }}&b=2\n```\n:::',
      ':::http{#text target=api}\n```http\nPOST /echo/text\nContent-Type: text/plain\n\nv={{ inputs.v }}\n```\n:::',
      `::http{#leaf target=api method=POST path=/echo/leaf body='{"v": "{{ inputs.v }}", "n": {{ inputs.v.length }}}'}`,
    ].join('\n\n');
    const r = await run(write('bodies.md', `${frontmatter()}${steps}\n`), '--input', `v=${HOSTILE}`);
    expect(r.code).toBe(0);
    const form = new URLSearchParams(arrivedAt('/echo/form')[0]!.body);
    expect([...form.keys()]).toEqual(['a', 'b']);
    expect(form.get('a')).toBe(HOSTILE);
    expect(arrivedAt('/echo/text')[0]!.body).toBe(`v=${HOSTILE}`);
    expect(JSON.parse(arrivedAt('/echo/leaf')[0]!.body)).toEqual({ v: HOSTILE, n: HOSTILE.length });
  });
});

describe('a whole-URL placeholder', () => {
  it('gives scheme and host only when its value is an absolute http(s) URL; otherwise it is encoded', async () => {
    const steps = [
      '::http{#whole url="{{ inputs.base }}/echo/whole?q={{ inputs.v }}"}',
      ':::http{#line}\n```http\nGET {{ inputs.base }}/echo/line\n```\n:::',
      // A path never gives the host: the URL is one encoded segment under the target.
      '::http{#path target=api path="{{ inputs.base }}/echo/path"}',
      // With a target, a value that is not an absolute URL is encoded under the target's base.
      ':::http{#relative target=api}\n```http\nGET {{ inputs.v }}/echo/relative\n```\n:::',
    ].join('\n\n');
    const r = await run(
      write('whole.md', `${frontmatter()}${steps}\n`),
      '--input',
      `base=${other.url}`,
      '--input',
      'v=evil.example/../x?y#z',
    );
    expect(r.code).toBe(0);
    expect(arrivals.map((a) => `${a.server} ${a.url}`)).toEqual([
      'other /echo/whole?q=evil.example%2F..%2Fx%3Fy%23z',
      'other /echo/line',
      `api /${encodeURIComponent(other.url)}/echo/path`,
      'api /evil.example%2F..%2Fx%3Fy%23z/echo/relative',
    ]);
  });

  it('without a target, a value that is not an absolute http(s) URL fails the step before sending', async () => {
    for (const base of ['127.0.0.1:1/x', `${other.url}/x?q=1`, 'ftp://127.0.0.1/', `${other.url}/a b`]) {
      const r = await run(
        write('no-target.md', `${frontmatter()}::http{#w url="{{ inputs.base }}/echo/nope"}\n`),
        '--input',
        `base=${base}`,
      );
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(
        /`\{\{ inputs\.base \}\}` gives no absolute http\(s\) URL \(scheme and host; no query or fragment\) and the step has no target/,
      );
    }
    expect(arrivals).toEqual([]);
  });
});

describe('credentials stay on their origin', () => {
  it('a redirect to another port drops the target headers and headers built from placeholders, keeps literal ones', async () => {
    const step = ':::http{#go target=api}\n```http\nGET /away\nX-Trace: {{ inputs.v }}\nX-Plain: 1\n```\n:::';
    const path = write(
      'redirect.md',
      `${frontmatter(', headers: { X-Api-Key: "{{ secrets.APIKEY }}", X-Static: "static" }')}${step}\n`,
    );
    const r = await run(path, '--input', 'v=trace-1');
    expect(r.code).toBe(0);
    const [first, second] = arrivals;
    expect(first).toMatchObject({ server: 'api', url: '/away' });
    expect(headerValues(first!, 'x-api-key')).toEqual([env.APIKEY]);
    expect(headerValues(first!, 'x-trace')).toEqual(['trace-1']);
    expect(second).toMatchObject({ server: 'other', url: '/record' });
    expect(headerValues(second!, 'x-api-key')).toEqual([]);
    expect(headerValues(second!, 'x-static')).toEqual([]);
    expect(headerValues(second!, 'x-trace')).toEqual([]);
    expect(headerValues(second!, 'x-plain')).toEqual(['1']);
  });
});

describe('robustness', () => {
  it('a Retry-After past the timeout is not waited for: the step fails at once naming the 503', async () => {
    const path = write('busy.md', `${frontmatter()}::http{#busy target=api path=/busy retries=3 timeout=2s}\n`);
    const r = await stepwiseAsync(['run', '--headless', '--allow-writes', '--json', path], { env });
    expect(r.code).toBe(1);
    const finished = r.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { type: string; data: { stepId?: string; ms: number; error?: string } })
      .find((e) => e.type === 'step.finished' && e.data.stepId === 'busy')!;
    expect(finished.data.error).toBe(
      `HTTP 503 from GET ${api.url}/busy; the server asked to retry after 999999 s, past the step's 2 s timeout (expected 2xx)`,
    );
    expect(finished.data.ms).toBeLessThan(1500);
    expect(arrivedAt('/busy')).toHaveLength(1);
  });

  it('a JSON response nested 100,000 deep: the step passes on its status, json is null and jsonError says why', async () => {
    const path = write(
      'deep.md',
      `${frontmatter()}::http{#deep target=api path=/deep}\n\n::assert[kept as text]{that="deep.status == 200 && deep.json === null && deep.jsonError.includes('deeper than 1000 levels') && deep.body.length == 400000"}\n`,
    );
    const r = await run(path);
    expect(r.stdout).toMatch(/✓ deep\s+http/);
    expect(r.code).toBe(0);
  });
});

describe('the plan', () => {
  it('shows the request exactly as it is sent', async () => {
    const path = write('plan.md', `${frontmatter()}${SOURCES}${everywhere('plan', 'a.json.field')}`);
    const r = await stepwiseAsync(
      ['run', '--headless', '--allow-writes', '--json', '--answers', write('plan.yaml', 'ask: x\n'), path],
      { env },
    );
    expect(r.code).toBe(0);
    const started = r.stdout
      .split('\n')
      .filter(Boolean)
      .map(
        (l) => JSON.parse(l) as { type: string; data: { stepId?: string; plan?: { text: string; summary: string } } },
      )
      .find((e) => e.type === 'step.started' && e.data.stepId === 'plan')!;
    const [arrival] = arrivedAt('/echo/plan/');
    expect(started.data.plan!.summary).toBe(`POST ${api.url}${arrival!.url}`);
    expect(started.data.plan!.text).toBe(
      `POST ${api.url}${arrival!.url}\nContent-Type: application/json\nX-Value: ${HOSTILE}\n\n${arrival!.body}`,
    );
  });

  it('a method attribute that disagrees with the request line fails before sending', async () => {
    const step = ':::http{#m target=api method=GET}\n```http\nDELETE /echo/method\n```\n:::';
    const r = await run(write('method.md', `${frontmatter()}${step}\n`));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/method=GET but the request line says DELETE/);
    expect(arrivals).toEqual([]);
  });

  it('a GET with a body fails before sending, instead of dropping the body the plan shows', async () => {
    const r = await run(write('get-body.md', `${frontmatter()}::http{#g target=api path=/echo/get body='{"a": 1}'}\n`));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/a GET request carries no body: use POST, PUT or PATCH, or remove the body/);
    expect(arrivals).toEqual([]);
  });
});
