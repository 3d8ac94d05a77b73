/**
 * Runs a script with `bash -c` (no TTY) in its own process group, so a timeout or a cancel kills
 * everything it started. Output is bounded: the first maxBytes of each stream are kept, the rest
 * only counted.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

export interface ShellRequest {
  script: string;
  shell: string;
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
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
  truncated: boolean;
  ms: number;
  timedOut: boolean;
  cancelled: boolean;
}

/** One POSIX shell word: `it's` → `'it'\''s'`. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function runShell(request: ShellRequest): Promise<ShellResult> {
  return new Promise((resolvePromise, reject) => {
    if (!existsSync(request.cwd)) return reject(new Error(`working directory ${request.cwd} does not exist`));
    const started = performance.now();
    const child = spawn(request.shell, ['-c', request.script], { cwd: request.cwd, env: request.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const streams = { stdout: collector(request.maxBytes), stderr: collector(request.maxBytes) };
    let timedOut = false;
    let cancelled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const killGroup = (): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      killTimer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }, 2000);
      killTimer.unref();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, request.timeoutMs);
    const onAbort = (): void => {
      cancelled = true;
      killGroup();
    };
    request.signal?.addEventListener('abort', onAbort, { once: true });
    for (const name of ['stdout', 'stderr'] as const) {
      child[name].on('data', (chunk: Buffer) => {
        const text = streams[name].add(chunk);
        if (text && request.onOutput) request.onOutput(name, text);
      });
    }
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
      reject(new Error(error.code === 'ENOENT' ? `cannot start ${request.shell}: no such file` : `cannot start ${request.shell}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
      if (timedOut || cancelled) {
        // The shell is gone; make sure nothing it started in the background survives.
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
      const out = streams.stdout.done();
      const err = streams.stderr.done();
      resolvePromise({
        exitCode: code,
        signal,
        stdout: out.text,
        stderr: err.text,
        stdoutBytes: out.bytes,
        stderrBytes: err.bytes,
        truncated: out.bytes > request.maxBytes || err.bytes > request.maxBytes,
        ms: Math.round(performance.now() - started),
        timedOut,
        cancelled: cancelled && !timedOut,
      });
    });
  });
}

function collector(maxBytes: number) {
  const decoder = new StringDecoder('utf8');
  let kept = 0;
  let bytes = 0;
  let text = '';
  return {
    add(chunk: Buffer): string {
      bytes += chunk.length;
      if (kept >= maxBytes) return '';
      const part = chunk.length + kept > maxBytes ? chunk.subarray(0, maxBytes - kept) : chunk;
      kept += part.length;
      const decoded = decoder.write(part);
      text += decoded;
      return decoded;
    },
    done(): { text: string; bytes: number } {
      return { text: text + decoder.end(), bytes };
    },
  };
}
