import { runShell } from '../drivers/shell-process.js';
import { isAbsolute, resolve } from 'node:path';
import { attrNumber, attrTemplate, firstLine, type StepHandler } from './handler.js';

const MAX_OUTPUT = 1024 * 1024;

/** `shell`: a script run with `bash -c` (or `shell=`), no TTY. */
export const shell = {
  kind: 'shell',
  summary: 'runs a script with `bash -c` (or `shell=`), without a terminal',
  result: ['exitCode', 'stdout', 'stderr', 'truncated', 'ms'],
  attributes: {
    cwd: { type: 'template', doc: 'working directory (default: the runbook folder)' },
    'expect-exit': { type: 'integer', min: 0, doc: 'the exit code that counts as success (default 0)' },
    shell: { type: 'template', doc: 'the interpreter (default bash)' },
    run: { type: 'template', doc: 'the command, for the leaf form `::shell{run="..."}`' },
  },
  label: 'optional',
  content: 'code',
  leafBody: 'run',
  plan(ctx) {
    const script = ctx.render(ctx.step.body?.template ?? attrTemplate(ctx.step, 'run')!, 'shell');
    const shellName = attrTemplate(ctx.step, 'shell') ? ctx.render(attrTemplate(ctx.step, 'shell')!) : 'bash';
    return { summary: `${shellName}: ${firstLine(script)}`, text: script, effect: true };
  },
  async execute(ctx, plan) {
    const cwdTemplate = attrTemplate(ctx.step, 'cwd');
    const cwd = cwdTemplate ? resolve(ctx.runbookDir, ctx.render(cwdTemplate)) : ctx.runbookDir;
    const shellName = attrTemplate(ctx.step, 'shell') ? ctx.render(attrTemplate(ctx.step, 'shell')!) : 'bash';
    const result = await runShell({
      script: plan.text!,
      shell: shellName,
      cwd: isAbsolute(cwd) ? cwd : resolve(cwd),
      env: ctx.env,
      timeoutMs: ctx.timeoutMs,
      maxBytes: MAX_OUTPUT,
      signal: ctx.signal,
      onOutput: (stream, chunk) => ctx.output(stream, chunk),
    });
    // Output past the limit keeps its first bytes; then the evidence also holds each stream's whole
    // size and sha256 (only then: the text itself is the evidence otherwise, and a digest of a short
    // output could be guessed back).
    const whole = result.truncated ? { stdoutBytes: result.stdoutBytes, stdoutSha256: result.stdoutSha256, stderrBytes: result.stderrBytes, stderrSha256: result.stderrSha256 } : {};
    const value = { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr, ms: result.ms, truncated: result.truncated, ...whole };
    if (result.timedOut) return { status: 'failed', error: `timed out after ${ctx.timeoutMs} ms; the process group was killed`, result: value };
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
