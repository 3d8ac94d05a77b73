/**
 * Whether `run`, `resume` and `show --follow` open the terminal UI: stdin and stdout are terminals,
 * neither --headless nor --json (nor --dry-run) is given, and this is not CI. Kept apart from
 * cli/interactive.ts so that deciding loads nothing: Ink and React load only on the interactive path.
 */
import type { Io } from './command.js';

export function interactiveWanted(io: Io, flags: { headless?: boolean; json?: boolean; dryRun?: boolean }): boolean {
  if (flags.headless || flags.json || flags.dryRun) return false;
  if (io.stdout.isTTY !== true || process.stdin.isTTY !== true) return false;
  const set = (key: string): boolean => key in io.env && io.env[key] !== '0' && io.env[key] !== 'false';
  return !(set('CI') || set('CONTINUOUS_INTEGRATION'));
}
