/** runShell with real processes: output, exit codes, process-group kills, bounded output, values through the environment. */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runShell, type ShellRequest } from '../../engine/drivers/shell-process.js';
import { alive } from '../helpers/process.js';
import { until } from '../helpers/until.js';

const dir = realpathSync(mkdtempSync(join(tmpdir(), 'stepwise-shell-')));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = {
  shell: 'bash',
  cwd: dir,
  env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
  timeoutMs: 10_000,
  maxBytes: 1024 * 1024,
};
const run = (script: string, extra: Partial<ShellRequest> = {}) => runShell({ ...base, script, ...extra });

async function gone(pid: number, withinMs = 1000): Promise<boolean> {
  for (const end = Date.now() + withinMs; Date.now() < end; ) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return !alive(pid);
}

describe('runShell', () => {
  it('returns stdout, stderr and the exit code, in cwd with env', async () => {
    const result = await run('echo "out $FOO"; pwd; echo err >&2; exit 3', { env: { ...base.env, FOO: 'bar' } });
    expect(result).toMatchObject({
      exitCode: 3,
      signal: null,
      stdout: `out bar\n${dir}\n`,
      stderr: 'err\n',
      stdoutBytes: 8 + dir.length + 1,
      stderrBytes: 4,
      truncated: false,
      timedOut: false,
      cancelled: false,
    });
    expect(result.ms).toBeGreaterThanOrEqual(0);
    expect(await run('true')).toMatchObject({ exitCode: 0, stdout: '', stderr: '' });
  });

  it('a non-zero exit is a result, not an error', async () => {
    expect((await run('false')).exitCode).toBe(1);
    expect((await run('kill -9 $$')).signal).toBe('SIGKILL');
  });

  it('a timeout kills the whole process group, background children too', async () => {
    const pidFile = join(dir, 'timeout.pid');
    const started = Date.now();
    const result = await run(`sleep 100 & echo $! > ${pidFile}; sleep 100; wait`, { timeoutMs: 300 });
    expect(result).toMatchObject({ timedOut: true, cancelled: false, exitCode: null, signal: 'SIGTERM' });
    expect(Date.now() - started).toBeLessThan(2000);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(pid).toBeGreaterThan(0);
    expect(await gone(pid)).toBe(true);
  });

  it('a child that ignores SIGTERM gets SIGKILL after the grace period', async () => {
    const pidFile = join(dir, 'stubborn.pid');
    const started = Date.now();
    const result = await run(`(trap '' TERM; exec sleep 100) & echo $! > ${pidFile}; wait`, { timeoutMs: 200 });
    const elapsed = Date.now() - started;
    expect(result.timedOut).toBe(true);
    expect(elapsed).toBeGreaterThanOrEqual(2000);
    expect(elapsed).toBeLessThan(5000);
    expect(await gone(Number(readFileSync(pidFile, 'utf8')))).toBe(true);
  }, 10_000);

  it('an abort through the signal kills the group and reports cancelled', async () => {
    const pidFile = join(dir, 'cancel.pid');
    const controller = new AbortController();
    // Abort once the script has started its background child (not after a guess at how long bash takes to start).
    void until(
      'the background sleep to start',
      () => existsSync(pidFile) && readFileSync(pidFile, 'utf8').endsWith('\n'),
    ).then(() => controller.abort());
    const result = await run(`sleep 100 & echo $! > ${pidFile}; wait`, { signal: controller.signal });
    expect(result).toMatchObject({ cancelled: true, timedOut: false });
    expect(await gone(Number(readFileSync(pidFile, 'utf8')))).toBe(true);
  });

  it('an already aborted signal runs nothing', async () => {
    const marker = join(dir, 'ran');
    const result = await run(`touch ${marker}`, { signal: AbortSignal.abort() });
    expect(result).toMatchObject({ cancelled: true, exitCode: null });
    expect(existsSync(marker)).toBe(false);
  });

  it('output is bounded per stream, the rest counted, and onOutput is bounded too', async () => {
    let seen = 0;
    const result = await run('yes | head -c 10000000; echo done >&2', {
      maxBytes: 1000,
      onOutput: (stream, chunk) => stream === 'stdout' && (seen += chunk.length),
    });
    expect(result.stdout).toBe('y\n'.repeat(500));
    expect(result).toMatchObject({ stdoutBytes: 10_000_000, stderr: 'done\n', truncated: true });
    // The whole stream's digest, not the kept part's: what was produced can be checked later.
    expect(result.stdoutSha256).toBe(createHash('sha256').update('y\n'.repeat(5_000_000)).digest('hex'));
    expect(result.stderrSha256).toBe(createHash('sha256').update('done\n').digest('hex'));
    expect(seen).toBe(1000);
  });

  it('decodes UTF-8 split across chunks, and leaves out a character cut at the limit', async () => {
    const whole = await run(`for i in $(seq 1 50000); do printf 'é€'; done`);
    expect(whole.stdout).toBe('é€'.repeat(50000));
    const cut = await run(`printf 'ééé'`, { maxBytes: 5 });
    expect(cut).toMatchObject({ stdout: 'éé', stdoutBytes: 6, truncated: true });
  });

  it('onOutput receives the chunks of both streams', async () => {
    const chunks: [string, string][] = [];
    await run('echo one; sleep 0.1; echo two >&2', { onOutput: (stream, chunk) => chunks.push([stream, chunk]) });
    expect(
      chunks
        .filter(([s]) => s === 'stdout')
        .map(([, c]) => c)
        .join(''),
    ).toBe('one\n');
    expect(
      chunks
        .filter(([s]) => s === 'stderr')
        .map(([, c]) => c)
        .join(''),
    ).toBe('two\n');
    const survived = await run('echo fine', {
      onOutput: () => {
        throw new Error('listener bug');
      },
    });
    expect(survived.stdout).toBe('fine\n');
  });

  it('returns hostile output as-is (escape sequences, control characters)', async () => {
    const result = await run(`printf '\\033[2J\\033]0;pwned\\007\\r\\b\\000end'`);
    expect(result.stdout).toBe('\u001b[2J\u001b]0;pwned\u0007\r\b\u0000end');
  });

  it('a missing shell or working directory is a clear rejection, never a synchronous throw', async () => {
    await expect(run('true', { shell: 'no-such-shell-stepwise' })).rejects.toThrow(
      'cannot start no-such-shell-stepwise: no such file',
    );
    await expect(run('true', { cwd: '/x/no/such/dir' })).rejects.toThrow(
      'working directory /x/no/such/dir does not exist',
    );
    writeFileSync(join(dir, 'file'), '');
    await expect(run('true', { cwd: join(dir, 'file') })).rejects.toThrow(/is not a directory/);
    let promise: Promise<unknown> | undefined;
    expect(() => (promise = run('echo \0'))).not.toThrow();
    await expect(promise).rejects.toThrow(/cannot start bash/);
  });
});

describe('values through the environment', () => {
  it('a hostile value comes back byte for byte from "$V", and runs nothing', async () => {
    const victim = join(dir, 'x');
    mkdirSync(victim, { recursive: true });
    for (const value of [
      `'; rm -rf ${victim}; echo '`,
      `$(rm -rf ${victim}) \`id\` "q" \\ * ~ $HOME`,
      'line\nbreak',
      "''",
      '',
      'ünï\tcode 🚀',
    ]) {
      const result = await run(`set -- "$V"; printf '%s|%s' "$#" "$1"`, { env: { ...base.env, V: value } });
      expect(result.stdout).toBe(`1|${value}`);
    }
    expect(existsSync(victim)).toBe(true);
  });

  it('an environment too large for one process is a clear error (E2BIG)', async () => {
    await expect(run('true', { env: { ...base.env, V: 'x'.repeat(200 * 1024) } })).rejects.toThrow(
      /too large for one process \(E2BIG\)/,
    );
  });
});
