/**
 * Whether `run`, `resume` and `show --follow` open the terminal UI: stdin and stdout are terminals,
 * neither --headless nor --json (nor --dry-run) is given, and this is not CI. Kept apart from
 * cli/interactive.ts so that deciding loads nothing: Ink and React load only on the interactive path.
 */
import { importEsm } from '../engine/import-esm.js';
import type { Io } from './command.js';

export function interactiveWanted(io: Io, flags: { headless?: boolean; json?: boolean; dryRun?: boolean }): boolean {
  if (flags.headless || flags.json || flags.dryRun) return false;
  if (io.stdout.isTTY !== true || process.stdin.isTTY !== true) return false;
  const set = (key: string): boolean => key in io.env && io.env[key] !== '0' && io.env[key] !== 'false';
  return !(set('CI') || set('CONTINUOUS_INTEGRATION'));
}

/**
 * Loads the terminal UI (Ink, React). React is loaded as its production build: the development
 * build checks every element and is several times slower to draw. NODE_ENV is only set while it
 * loads, so nothing the run starts sees it changed.
 */
export function loadInteractive(env: NodeJS.ProcessEnv = process.env): Promise<typeof import('./interactive.js')> {
  const was = env.NODE_ENV;
  if (was === undefined) env.NODE_ENV = 'production';
  // Ink first, through importEsm: the bundle's imports of it read what that loaded.
  const loading = importEsm('ink').then(() => import('./interactive.js'));
  const restore = (): void => {
    if (was === undefined) delete env.NODE_ENV;
  };
  loading.then(restore, restore);
  return loading;
}
