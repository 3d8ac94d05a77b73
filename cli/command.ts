/** A CLI command: its help and its entry point. Commands are loaded lazily by cli/main.ts. */

export interface Command {
  name: string;
  summary: string;
  /** Full `--help` text. */
  help: string;
  /** Returns the process exit code. */
  run(argv: string[], io: Io): Promise<number>;
}

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** Exit codes (cli-and-evidence.md). */
export const EXIT = { ok: 0, failed: 1, invalid: 2, declined: 3, usage: 4, interrupted: 5, unverified: 6 } as const;

export class UsageError extends Error {}

export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}
