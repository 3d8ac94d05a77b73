/** A CLI command: its help and its entry point. Commands are loaded lazily by cli/main.ts. */

/** A command's one-line summary lives in cli/main.ts's registry, beside how it is loaded. */
export interface Command {
  name: string;
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

export { EXIT } from '../engine/run/exit-codes.js';

export class UsageError extends Error {}

export function wantsColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}
