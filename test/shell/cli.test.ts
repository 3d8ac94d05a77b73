/**
 * No value is ever shell code, end to end through the real `stepwise` binary and real bash:
 * hostile values from --input, from --answers (an ::input step) and from a field of an HTTP
 * response (a real loopback server) reach a script in every safe quoting context byte for byte,
 * create no marker file, and an unsafe context is refused. The responder's environment is reset.
 * Runs pass --allow-writes: no confirm guards these scripts, and that is not what is tested.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stepwise, stepwiseAsync } from '../helpers/cli.js';
import { loopbackServer } from '../helpers/http-server.js';

const dir = realpathSync(mkdtempSync(join(tmpdir(), 'stepwise-shell-cli-')));
const MARK = join(dir, 'PWNED');

/** Every trick against the old single-quoting, a newline and heredoc delimiters. */
const HOSTILE = `$(touch ${MARK}) \`touch ${MARK}\` '; touch ${MARK}; ' "; touch ${MARK}; " \\ \\" * ~ {a,b} $HOME \${HOME}\nEND\nsecond line: a[$(touch ${MARK})] %s`;

let api: Awaited<ReturnType<typeof loopbackServer>>;
beforeAll(async () => {
  api = await loopbackServer({
    '/profile': (_q, r) => {
      r.writeHead(200, { 'content-type': 'application/json' });
      r.end(JSON.stringify({ name: HOSTILE }));
    },
  });
});
afterAll(async () => {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A script that writes the value, from each safe context, to a file of its own under `out`. */
function script(expr: string, out: string): string {
  const E = `{{ ${expr} }}`;
  return [
    `printf '%s' ${E} > ${out}/bare`,
    `printf '%s' pre-${E}-post > ${out}/glued`,
    `printf '%s' "dq: ${E}" > ${out}/dq`,
    `echo "api said: ${E}" > ${out}/echo-dq`,
    `printf '%s' 'sq: '"${E}"' end' > ${out}/sq-closed`,
    `cat <<END > ${out}/heredoc`,
    `hd: ${E}`,
    'END',
    `cat <<-END > ${out}/heredoc-dash`,
    `\thd: ${E}`,
    '\tEND',
    `x="$(printf '%s.' ${E})"; printf '%s' "\${x%.}" > ${out}/subst`,
    `printf '%s' "<$(printf '%s' "in ${E}")>" > ${out}/nested`,
    `y=${E}; printf '%s' "$y" > ${out}/assign`,
    `bash -c 'printf "%s" "$1"' _ ${E} > ${out}/arg`,
    `cat <<< ${E} > ${out}/herestring`,
    `# ${E} $(touch ${MARK})`,
  ].join('\n');
}

const EXPECTED: Record<string, string> = {
  bare: HOSTILE,
  glued: `pre-${HOSTILE}-post`,
  dq: `dq: ${HOSTILE}`,
  'echo-dq': `api said: ${HOSTILE}\n`,
  'sq-closed': `sq: ${HOSTILE} end`,
  heredoc: `hd: ${HOSTILE}\n`,
  'heredoc-dash': `hd: ${HOSTILE}\n`,
  subst: HOSTILE,
  nested: `<in ${HOSTILE}>`,
  assign: HOSTILE,
  arg: HOSTILE,
  herestring: `${HOSTILE}\n`,
};

function outDir(name: string): string {
  const out = join(dir, name);
  mkdirSync(out, { recursive: true });
  return out;
}

function expectArrived(out: string): void {
  for (const [file, expected] of Object.entries(EXPECTED)) {
    expect(
      readFileSync(join(out, file)).equals(Buffer.from(expected)),
      `${file}: ${readFileSync(join(out, file), 'utf8')}`,
    ).toBe(true);
  }
  expect(existsSync(MARK)).toBe(false);
}

const container = (id: string, body: string): string => `:::shell{#${id}}\n\`\`\`bash\n${body}\n\`\`\`\n:::`;

describe('hostile values reach bash byte for byte, and run nothing', () => {
  it('from --input', async () => {
    const out = outDir('input');
    const path = join(dir, 'input.md');
    writeFileSync(path, `---\ninputs:\n  x: { type: string }\n---\n\n${container('s', script('inputs.x', out))}\n`);
    const r = await stepwiseAsync(['run', '--headless', '--allow-writes', '--input', `x=${HOSTILE}`, path]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expectArrived(out);
  });

  it('from --answers, for an ::input step', async () => {
    const out = outDir('answers');
    const path = join(dir, 'answers.md');
    writeFileSync(path, `::input[Who?]{#who}\n\n${container('s', script('who.value', out))}\n`);
    const answers = join(dir, 'answers.yaml');
    writeFileSync(answers, `who: ${JSON.stringify(HOSTILE)}\n`);
    const r = await stepwiseAsync(['run', '--headless', '--allow-writes', '--answers', answers, path]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expectArrived(out);
  });

  it('from a field of an HTTP response', async () => {
    const out = outDir('http');
    const path = join(dir, 'http.md');
    writeFileSync(
      path,
      `---\ntargets:\n  api: { kind: http, base: "${api.url}" }\n---\n\n::http{#profile target=api path=/profile}\n\n${container('s', script('profile.json.name', out))}\n`,
    );
    const r = await stepwiseAsync(['run', '--headless', '--allow-writes', path]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expectArrived(out);
  });

  it('the transcript records the script with references and the values beside it', async () => {
    const store = join(dir, 'transcript.db');
    const path = join(dir, 'transcript.md');
    writeFileSync(
      path,
      `---\ninputs:\n  x: { type: string }\n---\n\n::shell{#s run="echo {{ inputs.x }} > /dev/null"}\n`,
    );
    const r = await stepwiseAsync(['run', '--headless', '--allow-writes', '--json', '--input', `x=${HOSTILE}`, path], {
      env: { STEPWISE_STORE: store },
    });
    expect(r.code, r.stderr).toBe(0);
    const started = r.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .find((e) => e.type === 'step.started');
    expect(started.data.plan.text).toBe('echo "$STEPWISE_V1" > /dev/null');
    expect(started.data.plan.env).toEqual({ STEPWISE_V1: HOSTILE });
    expect(existsSync(MARK)).toBe(false);
  });

  it('an unsafe context is refused: the HTTP field in single quotes runs nothing', async () => {
    const path = join(dir, 'unsafe.md');
    writeFileSync(
      path,
      `---\ntargets:\n  api: { kind: http, base: "${api.url}" }\n---\n\n::http{#profile target=api path=/profile}\n\n::shell{#s run="echo 'api said: {{ profile.json.name }}'"}\n`,
    );
    const r = await stepwiseAsync(['run', '--headless', '--allow-writes', path]);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toMatch(
      /unsafe\.md:8:36: error: `\{\{ profile\.json\.name \}\}` is inside single quotes.*\[shell-placeholder-context\]/,
    );
    expect(existsSync(MARK)).toBe(false);
  });
});

describe("the responder's environment", () => {
  it('a variable outside the base set and env: is not visible to `env` in a shell step; a declared one is', () => {
    const path = join(dir, 'env.md');
    writeFileSync(path, '---\nenv: [DEPLOY_REGION]\n---\n\n::shell{#s run="env"}\n');
    const r = stepwise(['run', '--headless', '--allow-writes', '--json', path], {
      env: { T_STRIPE_KEY: 'sk_live_4eC39HqLyjWDarjtT1zdp7dc', DEPLOY_REGION: 'eu-west-1' },
    });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const finished = r.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .find((e) => e.type === 'step.finished');
    const seen: string = finished.data.result.stdout;
    expect(seen).toContain('DEPLOY_REGION=eu-west-1\n');
    expect(seen).toContain('PATH=');
    expect(seen).not.toContain('T_STRIPE_KEY');
    expect(seen).not.toContain('sk_live_');
  });
});
