/**
 * Runs a script with `<shell> -c` (no TTY, stdin closed) as the leader of its own process group,
 * so a timeout or a cancel kills everything it started: SIGTERM to the group, SIGKILL two seconds
 * later if anything is still there. Output is bounded: the first maxBytes of each stream are kept
 * (and passed to onOutput), the rest only counted. Output is returned as-is; callers sanitise.
 * The result arrives when both output pipes are closed, i.e. when every process holding them ended.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';

export interface ShellRequest {
  script: string;
  /** The interpreter, run as `<shell> -c <script>` ('bash' by default in callers). */
  shell: string;
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  /** Bytes kept per stream. */
  maxBytes: number;
  signal?: AbortSignal;
  onOutput?: (stream: 'stdout' | 'stderr', chunk: string) => void;
}

export interface ShellResult {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  stdoutBytes: number;
  stderrBytes: number;
  /** sha256 (hex) of each whole stream, including what was not kept. */
  stdoutSha256: string;
  stderrSha256: string;
  truncated: boolean;
  ms: number;
  timedOut: boolean;
  cancelled: boolean;
}

const KILL_GRACE_MS = 2000;
const MAX_TIMER_MS = 2 ** 31 - 1;

export async function runShell(request: ShellRequest): Promise<ShellResult> {
  const started = performance.now();
  await checkDirectory(request.cwd);
  if (request.signal?.aborted) {
    // Cancelled before it started: run nothing.
    return {
      exitCode: null,
      signal: null,
      stdout: '',
      stderr: '',
      stdoutBytes: 0,
      stderrBytes: 0,
      stdoutSha256: EMPTY_SHA256,
      stderrSha256: EMPTY_SHA256,
      truncated: false,
      ms: 0,
      timedOut: false,
      cancelled: true,
    };
  }
  return new Promise<ShellResult>((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawn(request.shell, ['-c', request.script], {
        cwd: request.cwd,
        env: request.env,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
    } catch (error) {
      reject(new Error(`cannot start ${request.shell}: ${whyNotStarted(error as NodeJS.ErrnoException)}`));
      return;
    }
    const streams = { stdout: collector(request.maxBytes), stderr: collector(request.maxBytes) };
    let timedOut = false;
    let cancelled = false;
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;

    const signalGroup = (signal: NodeJS.Signals): boolean => {
      if (child.pid === undefined) return false;
      try {
        process.kill(-child.pid, signal);
        return true;
      } catch {
        return false; // the group is gone already
      }
    };
    const killGroup = (): void => {
      if (killTimer) return;
      signalGroup('SIGTERM');
      killTimer = setTimeout(() => signalGroup('SIGKILL'), KILL_GRACE_MS);
    };
    const timer =
      Number.isFinite(request.timeoutMs) && request.timeoutMs >= 0
        ? setTimeout(
            () => {
              if (cancelled) return;
              timedOut = true;
              killGroup();
            },
            Math.min(request.timeoutMs, MAX_TIMER_MS),
          )
        : undefined;
    const onAbort = (): void => {
      if (timedOut) return;
      cancelled = true;
      killGroup();
    };
    request.signal?.addEventListener('abort', onAbort, { once: true });
    const cleanUp = (): void => {
      settled = true;
      clearTimeout(timer);
      clearTimeout(killTimer);
      request.signal?.removeEventListener('abort', onAbort);
    };

    for (const name of ['stdout', 'stderr'] as const) {
      child[name]!.on('data', (chunk: Buffer) => {
        const text = streams[name].add(chunk);
        if (text === '' || !request.onOutput) return;
        try {
          request.onOutput(name, text);
        } catch {
          /* a failing listener must not take the run down */
        }
      });
    }
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (settled) return;
      cleanUp();
      signalGroup('SIGKILL');
      reject(new Error(`cannot start ${request.shell}: ${whyNotStarted(error)}`));
    });
    child.on('close', (code, signal) => {
      if (settled) return;
      cleanUp();
      // The shell is gone and the pipes are closed; whatever it left behind in its group goes too.
      if (timedOut || cancelled) signalGroup('SIGKILL');
      const out = streams.stdout.done();
      const err = streams.stderr.done();
      resolve({
        exitCode: code,
        signal,
        stdout: out.text,
        stderr: err.text,
        stdoutBytes: out.bytes,
        stderrBytes: err.bytes,
        stdoutSha256: out.sha256,
        stderrSha256: err.sha256,
        truncated: out.bytes > request.maxBytes || err.bytes > request.maxBytes,
        ms: Math.round(performance.now() - started),
        timedOut,
        cancelled,
      });
    });
  });
}

function whyNotStarted(error: NodeJS.ErrnoException): string {
  if (error.code === 'ENOENT') return 'no such file';
  if (error.code === 'EACCES') return 'permission denied';
  if (error.code === 'E2BIG') return 'the script and its environment are too large for one process (E2BIG)';
  return error.message;
}

async function checkDirectory(cwd: string): Promise<void> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(cwd)).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new Error(`working directory ${cwd} does not exist`);
    throw new Error(`working directory ${cwd} cannot be used: ${(error as Error).message}`);
  }
  if (!isDirectory) throw new Error(`working directory ${cwd} is not a directory`);
}

const EMPTY_SHA256 = createHash('sha256').digest('hex');

/** Keeps the first maxBytes of a stream as text (UTF-8 safe across chunks), and counts and hashes all of it. */
function collector(maxBytes: number) {
  const decoder = new StringDecoder('utf8');
  const hash = createHash('sha256');
  let bytes = 0;
  let text = '';
  return {
    /** Adds a chunk; returns the newly kept text ('' once the limit is reached). */
    add(chunk: Buffer): string {
      const room = maxBytes - bytes;
      bytes += chunk.length;
      hash.update(chunk);
      if (room <= 0) return '';
      const decoded = decoder.write(chunk.length > room ? chunk.subarray(0, room) : chunk);
      text += decoded;
      return decoded;
    },
    /** A character cut at the limit is left out rather than shown as U+FFFD. */
    done(): { text: string; bytes: number; sha256: string } {
      return { text: bytes > maxBytes ? text : text + decoder.end(), bytes, sha256: hash.digest('hex') };
    },
  };
}
