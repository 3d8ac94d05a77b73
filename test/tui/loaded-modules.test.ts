/**
 * Headless runs never load Ink or React: the real CLI runs with a module-resolution hook that
 * lists every module it loads. Piped, --json, and --headless on a real terminal (tmux) load
 * neither; the interactive run on the same terminal does (so the check can see them).
 */
import { readFileSync, rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, stepwise } from '../helpers/cli.js';
import { scratch } from '../helpers/scratch.js';
import { hasTmux, terminalCommand, Tmux } from './tmux.js';

const tmp = scratch('tui-modules');
const tmux = new Tmux();
afterAll(() => {
  tmux.kill();
  rmSync(tmp.dir, { recursive: true, force: true });
});

const HOOK = tmp.write(
  'hook.mjs',
  `import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(\`
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (process.env.STEPWISE_MODULE_LOG) appendFileSync(process.env.STEPWISE_MODULE_LOG, result.url + '\\\\n');
  return result;
}\`));
`,
);
const RUNBOOK = tmp.write('rb.md', '---\ntitle: t\n---\n\n# t\n\n:::shell{#hi readonly}\n```bash\necho hi\n```\n:::\n');

const loaded = (log: string): string[] => readFileSync(log, 'utf8').split('\n').filter(Boolean);
const ui = (urls: string[]) => urls.filter((u) => /\/node_modules\/(ink|react|yoga-layout)\//.test(u));

describe('headless runs load neither Ink nor React', () => {
  it('piped and --json', () => {
    for (const extra of [[], ['--json']]) {
      const log = tmp.path(`piped${extra.length}.log`);
      const result = stepwise(['run', RUNBOOK, '--store', tmp.path('s.db'), ...extra], {
        cwd: tmp.dir,
        env: { NODE_OPTIONS: `--import ${HOOK}`, STEPWISE_MODULE_LOG: log },
      });
      expect(result.code).toBe(0);
      const urls = loaded(log);
      expect(urls.some((u) => u.includes('/dist/'))).toBe(true);
      expect(ui(urls)).toEqual([]);
    }
  });

  it.skipIf(!hasTmux())(
    '--headless on a terminal loads neither; the terminal UI does',
    async () => {
      const headless = tmp.path('tty-headless.log');
      const env = { NODE_OPTIONS: `--import ${HOOK}`, STEPWISE_MODULE_LOG: headless };
      tmux.start('h', terminalCommand([BIN, 'run', RUNBOOK, '--headless', '--store', tmp.path('s.db')], env), {
        cwd: tmp.dir,
      });
      await tmux.waitFor('h', /transcript \S+: \d+ events/);
      expect(ui(loaded(headless))).toEqual([]);

      const interactive = tmp.path('tty-ui.log');
      tmux.start(
        'i',
        terminalCommand([BIN, 'run', RUNBOOK, '--store', tmp.path('s.db')], {
          ...env,
          STEPWISE_MODULE_LOG: interactive,
        }),
        { cwd: tmp.dir },
      );
      await tmux.waitFor('i', 'waiting: Enter runs hi');
      tmux.keys('i', 'q');
      await tmux.waitFor('i', 'Quit?');
      tmux.keys('i', 'y');
      await tmux.waitFor('i', /transcript \S+: \d+ events/);
      const urls = ui(loaded(interactive));
      expect(urls.some((u) => u.includes('/node_modules/ink/'))).toBe(true);
      expect(urls.some((u) => u.includes('/node_modules/react/'))).toBe(true);
    },
    60_000,
  );
});
