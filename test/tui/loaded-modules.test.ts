/**
 * Headless runs never load Ink or React: the real CLI runs with hooks that list every module it
 * requires or imports (test/helpers/module-log.ts). Piped, --json, and --headless on a real
 * terminal (tmux) load neither; the interactive run on the same terminal does (so the check can
 * see them).
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, stepwise } from '../helpers/cli.js';
import { loadedModules as loaded, moduleLogEnv } from '../helpers/module-log.js';
import { scratch } from '../helpers/scratch.js';
import { hasTmux, terminalCommand, Tmux } from './tmux.js';

const tmp = scratch('tui-modules');
const tmux = new Tmux();
afterAll(() => {
  tmux.kill();
  rmSync(tmp.dir, { recursive: true, force: true });
});

const RUNBOOK = tmp.write('rb.md', '---\ntitle: t\n---\n\n# t\n\n:::shell{#hi readonly}\n```bash\necho hi\n```\n:::\n');

// Ink is loaded from its bundle beside the CLI's (dist/ink.mjs, scripts/build.mjs).
const ui = (urls: string[]) => urls.filter((u) => /\/node_modules\/(ink|react|yoga-layout)\/|\/dist\/ink[.-]/.test(u));

describe('headless runs load neither Ink nor React', () => {
  it('piped and --json', () => {
    for (const extra of [[], ['--json']]) {
      const log = tmp.path(`piped${extra.length}.log`);
      const result = stepwise(['run', RUNBOOK, '--store', tmp.path('s.db'), ...extra], {
        cwd: tmp.dir,
        env: moduleLogEnv(tmp.dir, log),
      });
      expect(result.code).toBe(0);
      const urls = loaded(log);
      // The log works: the store's driver was required.
      expect(urls.some((u) => u.includes('/node_modules/better-sqlite3/'))).toBe(true);
      expect(ui(urls)).toEqual([]);
    }
  });

  it.skipIf(!hasTmux())(
    '--headless on a terminal loads neither; the terminal UI does',
    async () => {
      const headless = tmp.path('tty-headless.log');
      const env = moduleLogEnv(tmp.dir, headless);
      tmux.start('h', terminalCommand([BIN, 'run', RUNBOOK, '--headless', '--store', tmp.path('s.db')], env), {
        cwd: tmp.dir,
      });
      await tmux.waitFor('h', /transcript \S+: \d+ events/);
      expect(ui(loaded(headless))).toEqual([]);

      const interactive = tmp.path('tty-ui.log');
      tmux.start(
        'i',
        terminalCommand([BIN, 'run', RUNBOOK, '--store', tmp.path('s.db')], moduleLogEnv(tmp.dir, interactive)),
        { cwd: tmp.dir },
      );
      await tmux.waitFor('i', 'waiting: Enter runs hi');
      tmux.keys('i', 'q');
      await tmux.waitFor('i', 'Quit?');
      tmux.keys('i', 'y');
      await tmux.waitFor('i', /transcript \S+: \d+ events/);
      const urls = ui(loaded(interactive));
      expect(urls.some((u) => u.endsWith('/dist/ink.mjs'))).toBe(true);
      expect(urls.some((u) => u.includes('/node_modules/react/'))).toBe(true);
    },
    60_000,
  );
});
