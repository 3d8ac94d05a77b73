/** The process exit codes (README.md, "Commands"), in one place for the engine and the CLI. */
import type { RunStatus } from './events.js';

export const EXIT = { ok: 0, failed: 1, invalid: 2, declined: 3, usage: 4, interrupted: 5, unverified: 6 } as const;

/** What each code means, for `--help`. */
export const EXIT_MEANING: Record<keyof typeof EXIT, string> = {
  ok: 'ok',
  failed: 'a step failed',
  invalid: 'invalid runbook or cannot load',
  declined: 'declined or unanswered gate',
  usage: 'usage error',
  interrupted: 'interrupted',
  unverified: 'transcript failed verification',
};

/** How a run's status ends the process. */
export const RUN_EXIT: Record<RunStatus, number> = {
  passed: EXIT.ok,
  failed: EXIT.failed,
  invalid: EXIT.invalid,
  declined: EXIT.declined,
  blocked: EXIT.declined,
  interrupted: EXIT.interrupted,
};
