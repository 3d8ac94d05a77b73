/**
 * Shell steps through the runner itself, without `check` in front (as a caller that skips it
 * would run them): values reach real bash only through the environment, unsafe placeholders are
 * refused before anything runs, and the environment a script sees is reset.
 */
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRunbook } from '../../engine/document/parse.js';
import { stepSpecs } from '../../engine/steps/registry.js';
import { buildGraph } from '../../engine/graph/build.js';
import { createRedactor } from '../../engine/redact/redactor.js';
import { connections } from '../../engine/run/connections.js';
import type { RunEvent, StepPlan } from '../../engine/run/events.js';
import { headlessResponder } from '../../engine/run/headless-responder.js';
import type { RecordedEvent, Recorder } from '../../engine/run/recorder.js';
import { runRunbook } from '../../engine/run/runner.js';

const dir = realpathSync(mkdtempSync(join(tmpdir(), 'stepwise-shell-runner-')));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MARK = join(dir, 'PWNED');

/** Runs a runbook's source through the runner (no check), collecting its events. */
async function runSource(
  body: string,
  options: { inputs?: Record<string, unknown>; hostEnv?: Record<string, string>; env?: string[] } = {},
) {
  const envDecl = options.env ? `env: [${options.env.join(', ')}]\n` : '';
  const source = `---\ntitle: t\n${envDecl}inputs:\n  x: { type: string, default: "" }\n---\n\n${body}\n`;
  const path = join(dir, 'runbook.md');
  const { document } = parseRunbook(source, path, { specs: stepSpecs });
  const { graph } = buildGraph(document);
  const events: RunEvent[] = [];
  let seq = 0;
  const recorder: Recorder = {
    async record(event) {
      events.push(structuredClone(event));
      return { ...event, seq: ++seq, ts: new Date().toISOString(), runId: 'r' } as RecordedEvent;
    },
    async close() {},
  };
  const pool = connections();
  const summary = await runRunbook({
    document,
    graph,
    runId: 'r',
    inputs: { x: '', ...options.inputs },
    secrets: {},
    env: {},
    hostEnv: options.hostEnv ?? { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    now: () => new Date(),
    targets: {},
    operator: 'tester',
    mode: 'headless',
    recorder,
    redactor: createRedactor({ secrets: {}, patterns: [] }),
    responder: headlessResponder({}, true, 'tester'),
    connections: pool,
    options: { allowWrites: true, yes: true, parallel: 1 }, // no confirm guards these scripts; that is not what is tested
    signal: new AbortController().signal,
    startedAt: new Date(),
  });
  await pool.closeAll();
  const finished = (id: string) =>
    events.find((e) => e.type === 'step.finished' && e.data.stepId === id)?.data as
      | { status: string; error?: string; result?: { stdout: string } }
      | undefined;
  const started = (id: string) =>
    events.find((e) => e.type === 'step.started' && e.data.stepId === id)?.data as { plan: StepPlan } | undefined;
  return { summary, events, finished, started };
}

const HOSTILE = `$(touch ${MARK}) \`touch ${MARK}\` '; touch ${MARK}; ' "; touch ${MARK}; " \\ * \n second line`;

describe('shell steps in the runner', () => {
  it('the plan holds references, the values go in plan.env, and bash gets exactly the value', async () => {
    const out = join(dir, 'out.txt');
    const r = await runSource(
      `:::shell{#s}\n\`\`\`bash\nprintf '%s|' {{ inputs.x }} "dq {{ inputs.x }}" > ${out}\ncat <<END >> ${out}\nhd {{ inputs.x }}\nEND\n\`\`\`\n:::`,
      { inputs: { x: HOSTILE } },
    );
    expect(r.finished('s')?.status).toBe('passed');
    expect(readFileSync(out, 'utf8')).toBe(`${HOSTILE}|dq ${HOSTILE}|hd ${HOSTILE}\n`);
    expect(existsSync(MARK)).toBe(false);
    const plan = r.started('s')!.plan;
    expect(plan.text).toBe(
      `printf '%s|' "$STEPWISE_V1" "dq \${STEPWISE_V1}" > ${out}\ncat <<END >> ${out}\nhd \${STEPWISE_V1}\nEND`,
    );
    expect(plan.env).toEqual({ STEPWISE_V1: HOSTILE });
    expect(plan.text).not.toContain('touch');
  });

  it.each([
    [
      'single quotes',
      `::shell{#s run="echo 'sq: {{ inputs.x }}'"}`,
      /inside single quotes.*close the quotes around it/,
    ],
    [
      'a quoted heredoc',
      ":::shell{#s}\n```bash\ncat <<'END'\n{{ inputs.x }}\nEND\n```\n:::",
      /quoted heredoc.*unquote the heredoc delimiter \(<<END\)/,
    ],
    ['backticks', '::shell{#s run="echo `echo {{ inputs.x }}`"}', /inside backticks/],
    ["$'…'", `::shell{#s run="echo $'{{ inputs.x }}'"}`, /inside \$'…' quotes/],
    ['eval', ':::shell{#s}\n```bash\neval "echo {{ inputs.x }}"\n```\n:::', /argument of eval/],
    [
      'bash -c',
      `::shell{#s run="bash -c 'echo {{ inputs.x }}'"}`,
      /script of a `-c`.*bash -c '…"\$1"' _ \{\{ inputs\.x \}\}/,
    ],
    ['sh -c in double quotes', ':::shell{#s}\n```bash\nsh -c "echo {{ inputs.x }}"\n```\n:::', /script of a `-c`/],
    [
      'a heredoc fed to bash',
      ':::shell{#s}\n```bash\nbash <<END\necho {{ inputs.x }}\nEND\n```\n:::',
      /a shell reads as its script/,
    ],
    ['arithmetic', '::shell{#s run="echo $(( {{ inputs.x }} + 1 ))"}', /arithmetic expression/],
    ['the command name', '::shell{#s run="{{ inputs.x }} --help"}', /the command itself/],
    ['a placeholder in shell=', '::shell{#s shell="{{ inputs.x }}" run="echo hi"}', /placeholder in `shell=`/],
    [
      'a placeholder with a non-POSIX shell=',
      '::shell{#s shell=python3 run="print({{ inputs.x }})"}',
      /only a POSIX shell/,
    ],
  ])('refuses a placeholder in %s before anything runs', async (_name, body, message) => {
    const r = await runSource(`${body}\n\n::note[after]{#after}`, { inputs: { x: `$(touch ${MARK})` } });
    const finished = r.finished('s')!;
    expect(finished.status).toBe('failed');
    expect(finished.error).toMatch(/^cannot prepare the step: /);
    expect(finished.error).toMatch(message);
    expect(r.started('s')).toBeUndefined(); // never started: nothing ran
    expect(existsSync(MARK)).toBe(false);
    expect(r.summary.exitCode).toBe(1);
  });

  it('a value holding NUL fails the step before it starts', async () => {
    const r = await runSource('::shell{#s run="echo {{ inputs.x }}"}', { inputs: { x: 'a\u0000b' } });
    expect(r.finished('s')!.error).toMatch(/holds a NUL byte/);
    expect(r.started('s')).toBeUndefined();
  });

  it('a missing value fails the step before it starts', async () => {
    const r = await runSource(`::shell{#s run="echo {{ inputs.nope }} && touch ${MARK}"}`);
    expect(r.finished('s')!.error).toMatch(/`\{\{ inputs\.nope \}\}` has no value/);
    expect(r.started('s')).toBeUndefined();
    expect(existsSync(MARK)).toBe(false);
  });

  it('cwd takes placeholders as a plain path; a missing one fails before anything runs', async () => {
    const sub = join(dir, "it's $(touch PWNED) dir");
    const { mkdirSync } = await import('node:fs');
    mkdirSync(sub, { recursive: true });
    const r = await runSource('::shell{#s cwd="{{ inputs.x }}" run="pwd"}', { inputs: { x: sub } });
    expect(r.finished('s')!.result!.stdout).toBe(`${sub}\n`);
    expect(existsSync(join(sub, 'PWNED'))).toBe(false);
    const missing = await runSource('::shell{#s cwd="{{ inputs.nope }}" run="pwd"}');
    expect(missing.finished('s')!.error).toMatch(/has no value/);
    expect(missing.started('s')).toBeUndefined();
  });

  it("the responder's other variables are not visible to a script; declared env: names are", async () => {
    const hostEnv = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: '/home/test',
      T_STRIPE_KEY: 'sk_live_4eC39HqLyjWDarjtT1zdp7dc',
      DEPLOY_REGION: 'eu-west-1',
    };
    const r = await runSource('::shell{#s run="env"}', { hostEnv, env: ['DEPLOY_REGION'] });
    const stdout = r.finished('s')!.result!.stdout;
    expect(stdout).not.toContain('T_STRIPE_KEY');
    expect(stdout).not.toContain('sk_live_');
    expect(stdout).toContain('DEPLOY_REGION=eu-west-1\n');
    expect(stdout).toContain('HOME=/home/test\n');
  });
});
