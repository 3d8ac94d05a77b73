import { runShell } from '../drivers/shell-process.js';
import { isAbsolute, resolve } from 'node:path';
import type { Template } from '../document/model.js';
import type { StepContext } from '../run/context.js';
import type { StepPlan } from '../run/events.js';
import { stringify } from '../run/render.js';
import { INTERPRETER_PLACEHOLDER, shellScript, UnsafePlaceholderError } from '../shell/script.js';
import { attrNumber, attrTemplate, firstLine, type StepHandler } from './handler.js';

const MAX_OUTPUT = 1024 * 1024;

/** Where each planned script runs: decided (and its placeholders evaluated) when the step is planned. */
const planned = new WeakMap<StepPlan, { cwd: string; shell: string }>();

/**
 * `shell`: a script run with `bash -c` (or `shell=`), no TTY. No value is ever script text: each
 * placeholder's value goes to the process as an environment variable (`plan.env`), and the script
 * holds a reference to it (engine/shell/script.ts).
 */
export const shell = {
  kind: 'shell',
  summary: 'runs a script with `bash -c` (or `shell=`), without a terminal',
  result: ['exitCode', 'stdout', 'stderr', 'truncated', 'ms'],
  changes: 'runs a script, which may change something',
  guardHint: 'mark it readonly if the script only reads (oc get, kubectl logs, curl -s)',
  /** A script changes things unless its author says it only reads (`readonly`). */
  effect: (step) => !(step.attributes.readonly?.type === 'boolean' && step.attributes.readonly.value),
  attributes: {
    readonly: {
      type: 'boolean',
      doc: 'the script changes nothing (oc get, kubectl logs, curl -s): it needs no confirm and may run in --parallel',
    },
    cwd: { type: 'template', doc: 'working directory (default: the runbook folder)' },
    'expect-exit': { type: 'integer', min: 0, doc: 'the exit code that counts as success (default 0)' },
    shell: { type: 'template', doc: 'the interpreter (default bash); written literally, never a placeholder' },
    run: { type: 'template', doc: 'the command, for the leaf form `::shell{run="..."}`' },
  },
  label: 'optional',
  content: 'code',
  leafBody: 'run',
  plan(ctx) {
    const shellName = interpreter(ctx);
    const script = shellScript(
      ctx.step.body?.template ?? attrTemplate(ctx.step, 'run')!,
      (e) => ctx.value(e),
      shellName,
    );
    const cwd = workingDirectory(ctx);
    const plan: StepPlan = { summary: `${shellName}: ${firstLine(script.text)}`, text: script.text, effect: true };
    if (Object.keys(script.env).length > 0) plan.env = script.env;
    planned.set(plan, { cwd, shell: shellName });
    return plan;
  },
  async execute(ctx, plan) {
    const { cwd, shell: shellName } = planned.get(plan) ?? { cwd: workingDirectory(ctx), shell: interpreter(ctx) };
    const result = await runShell({
      script: plan.text!,
      shell: shellName,
      cwd,
      // The reset environment (PATH, HOME, … and the runbook's `env:` names) and the script's values.
      env: { ...ctx.env, ...plan.env },
      timeoutMs: ctx.timeoutMs,
      maxBytes: MAX_OUTPUT,
      signal: ctx.signal,
      onOutput: (stream, chunk) => ctx.output(stream, chunk),
    });
    // Output past the limit keeps its first bytes; then the evidence also holds each stream's whole
    // size and sha256 (only then: the text itself is the evidence otherwise, and a digest of a short
    // output could be guessed back).
    const whole = result.truncated
      ? {
          stdoutBytes: result.stdoutBytes,
          stdoutSha256: result.stdoutSha256,
          stderrBytes: result.stderrBytes,
          stderrSha256: result.stderrSha256,
        }
      : {};
    const value = {
      exitCode: result.exitCode,
      stdout: result.stdout,
      stderr: result.stderr,
      ms: result.ms,
      truncated: result.truncated,
      ...whole,
    };
    if (result.timedOut)
      return {
        status: 'failed',
        error: `timed out after ${ctx.timeoutMs} ms; the process group was killed`,
        result: value,
        timedOut: true,
      };
    if (result.cancelled) return { status: 'failed', error: 'cancelled; the process group was killed', result: value };
    const expected = attrNumber(ctx.step, 'expect-exit') ?? 0;
    if (result.exitCode !== expected) {
      const why = result.exitCode === null ? `killed by ${result.signal}` : `exit code ${result.exitCode}`;
      const tail = firstLine(result.stderr.split('\n').filter(Boolean).slice(-1)[0] ?? '', 120);
      return { status: 'failed', error: `${why} (expected ${expected})${tail ? `: ${tail}` : ''}`, result: value };
    }
    return { status: 'passed', result: value };
  },
} satisfies StepHandler;

/** The `shell=` interpreter, written literally: a value never chooses what runs the script. */
function interpreter(ctx: StepContext): string {
  const template = attrTemplate(ctx.step, 'shell');
  if (!template) return 'bash';
  if (template.parts.some((p) => p.type === 'expr'))
    throw new UnsafePlaceholderError(`${INTERPRETER_PLACEHOLDER.message}; ${INTERPRETER_PLACEHOLDER.hint}`);
  const name = template.parts
    .map((p) => (p.type === 'text' ? p.text : ''))
    .join('')
    .trim();
  return name === '' ? 'bash' : name;
}

/** `cwd=`, with its placeholders as plain text (strict: a missing value fails the step), from the runbook's folder. */
function workingDirectory(ctx: StepContext): string {
  const template = attrTemplate(ctx.step, 'cwd');
  if (!template) return ctx.runbookDir;
  const path = plainText(template, ctx);
  if (path.includes('\u0000')) throw new UnsafePlaceholderError('the working directory (cwd=) holds a NUL byte');
  const cwd = resolve(ctx.runbookDir, path);
  return isAbsolute(cwd) ? cwd : resolve(cwd);
}

function plainText(template: Template, ctx: StepContext): string {
  return template.parts.map((p) => (p.type === 'text' ? p.text : stringify(ctx.value(p.expression)))).join('');
}
