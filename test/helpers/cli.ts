/** Runs the real `stepwise` binary as a child process. */
import { spawn, spawnSync, type ChildProcess, type SpawnSyncOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = fileURLToPath(new URL('../../bin/stepwise.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function stepwise(args: string[], options: SpawnSyncOptions = {}): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    ...options,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
  });
  return { code: result.status, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** Like `stepwise`, without blocking the event loop (so loopback servers in the test can answer). */
export function stepwiseAsync(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<CliResult & { ms: number }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
  });
}

export interface LiveStepwise {
  child: ChildProcess;
  /** stdout as it arrived, each chunk with the time it did. */
  chunks: { at: number; text: string }[];
  stdout(): string;
  stderr(): string;
  /** When the process ends (killed after `timeoutMs`): its exit code or signal, and the time. */
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

/** Starts the real `stepwise` and lets the test watch it run, signal it or kill it. */
export function spawnStepwise(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): LiveStepwise {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const chunks: { at: number; text: string }[] = [];
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => chunks.push({ at: Date.now(), text: d.toString() }));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, at: Date.now() });
    }),
  );
  return { child, chunks, stdout: () => chunks.map((c) => c.text).join(''), stderr: () => stderr, done };
}
