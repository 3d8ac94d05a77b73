import { isAbsolute, resolve } from 'node:path';
import { runShell } from '../../drivers/shell-process.js';
import type { Template } from '../../document/model.js';
import { stringify } from '../../expr/stringify.js';
import type { StepContext } from '../../run/context.js';
import type { StepPlan } from '../../run/events.js';
import { INTERPRETER_PLACEHOLDER, shellScript, UnsafePlaceholderError } from '../../shell/script.js';
import type { StepHandler } from '../handler.js';
import { firstLine } from '../first-line.js';
import { attrNumber, attrTemplate } from '../step-attributes.js';

const MAX_OUTPUT = 1024 * 1024;

/** A shell step, planned: the script (values only as environment references), their values, where and with what it runs. */
export interface ShellPlan {
  script: string;
  /** The values the script reads, by variable name (`STEPWISE_V1`). */
  env: Record<string, string>;
  cwd: string;
  shell: string;
}

/**
 * `shell`: a script run with `bash -c` (or `shell=`), no TTY. No value is ever script text: each
 * placeholder's value goes to the process as an environment variable (`env`), and the script
 * holds a reference to it (engine/shell/script.ts).
 */
export const shellHandler = {
  plan(ctx) {
    const shellName = interpreter(ctx);
    const script = shellScript(
      ctx.step.body?.template ?? attrTemplate(ctx.step, 'run')!,
      (e) => ctx.value(e),
      shellName,
    );
    return { script: script.text, env: script.env, cwd: workingDirectory(ctx), shell: shellName };
  },
  record(plan) {
    const recorded: StepPlan = { summary: `${plan.shell}: ${firstLine(plan.script)}`, text: plan.script, effect: true };
    if (Object.keys(plan.env).length > 0) recorded.env = plan.env;
    return recorded;
  },
  async execute(ctx, plan) {
    const result = await runShell({
      script: plan.script,
      shell: plan.shell,
      cwd: plan.cwd,
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
} satisfies StepHandler<ShellPlan>;

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
