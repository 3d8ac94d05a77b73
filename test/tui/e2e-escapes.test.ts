/**
 * Untrusted output is inert in a real terminal: a shell step, an HTTP body and an error message
 * carry every kind of escape and control sequence; through tmux, the pane's title, the clipboard
 * (tmux's paste buffers, with set-clipboard on) and the screen are unchanged. A control pane
 * printing the same bytes raw shows that each check would catch them.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { loopbackServer } from '../helpers/http-server.js';
import { scratch } from '../helpers/scratch.js';
import { hasTmux, terminalCommand, Tmux } from './tmux.js';

const tmp = scratch('tui-escapes');
const tmux = new Tmux();
let api: { url: string; close(): Promise<void> };

/** Every kind, as printf escapes (a shell step's script) and as the bytes themselves (an HTTP body). */
const PRINTF = String.raw`printf '\033[2J\033[H\033[10;10Hmoved\n'
printf 'progress 10%%\rDONE\n'
printf '\033]0;pwned-title\007\033]2;pwned-title2\033\\\n'
printf '\033]52;c;cHduZWQ=\007\033]52;c;?\007\n'
printf '\033]8;;http://evil.example\007click\033]8;;\007\n'
printf '\033Pq#0;2;0;0;0\033\\\033_Gf=100;AAAA\033\\\n'
printf '\302\2332J\302\2350;c1-title\007\n'
printf 'abc\342\200\256dcba\n'
printf '\033[>0q\n'
printf '\033]0;unterminated-title'`;
const BYTES = [
  '\u001b[2J\u001b[H\u001b[10;10Hmoved',
  'progress 10%\rDONE',
  '\u001b]0;pwned-title\u0007\u001b]2;pwned-title2\u001b\\',
  '\u001b]52;c;cHduZWQ=\u0007\u001b]52;c;?\u0007',
  '\u001b]8;;http://evil.example\u0007click\u001b]8;;\u0007',
  '\u001bPq#0;2;0;0;0\u001b\\\u001b_Gf=100;AAAA\u001b\\',
  '\u009b2J\u009d0;c1-title\u0007',
  'abc\u202edcba',
  '\u001b[>0q',
  '\u001b]0;unterminated-title',
].join('\n');

beforeAll(async () => {
  api = await loopbackServer({
    '/hostile': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(BYTES);
    },
  });
});
afterAll(async () => {
  tmux.kill();
  await api?.close();
  rmSync(tmp.dir, { recursive: true, force: true });
});

const buffers = (): string => tmux.run(['list-buffers', '-F', '#{buffer_name}:#{buffer_sample}']);
const title = (target: string): string => tmux.run(['display-message', '-p', '-t', target, '#{pane_title}']).trim();

describe.skipIf(!hasTmux())('inert output in a real terminal', () => {
  it('a control pane shows that raw bytes would set the title and the clipboard', async () => {
    tmux.start('control', 'sh', { cwd: tmp.dir });
    tmux.run(['set-option', '-s', 'set-clipboard', 'on']);
    await tmux.waitFor('control', /\$|#/);
    tmux.type('control', String.raw`printf '\033]2;raw-title\007\033]52;c;cmF3LWNsaXA=\007'; echo done`);
    tmux.keys('control', 'Enter');
    await tmux.waitFor('control', /^done/m);
    expect(title('control')).toBe('raw-title');
    expect(buffers()).toContain('raw-clip');
    tmux.run(['delete-buffer']);
    expect(buffers()).toBe('');
  });

  it('shows every escape kind visibly; the title, the clipboard and the screen stay as they were', async () => {
    const file = tmp.write(
      'hostile.md',
      `---
title: Hostile output
targets:
  api: { kind: http, base: "${api.url}" }
---

# Hostile output

:::shell{#hostile readonly}
\`\`\`bash
${PRINTF}
\`\`\`
:::

::http{#hostile-http target=api method=GET path=/hostile}

:::shell{#hostile-error readonly on-fail=continue}
\`\`\`bash
printf 'bad \\033[2J\\033]0;err-title\\007 news' >&2; exit 4
\`\`\`
:::
`,
    );
    tmux.start('ui', terminalCommand([BIN, 'run', file, '--store', tmp.path('s.db'), '--operator', 'dave']), {
      cwd: tmp.dir,
      columns: 100,
      rows: 40,
    });
    tmux.run(['set-option', '-s', 'set-clipboard', 'on']);
    const before = title('ui');
    await tmux.waitFor('ui', 'waiting: Enter runs hostile');
    tmux.keys('ui', 'a');
    let screen = await tmux.waitFor('ui', 'r retry · s skip · Enter keep the failure');
    expect(screen).toContain('bad \\x1b[2J\\x1b]0;err-title\\x07 news');
    tmux.keys('ui', 'Enter');
    await tmux.waitFor('ui', /FAILED +2 passed, 1 failed/);
    tmux.keys('ui', 'k', 'k');
    screen = await tmux.waitFor('ui', 'stdout: 10 lines');
    // The screen: header and outline still where they were, every sequence shown as text.
    const lines = screen.split('\n');
    expect(lines[0]).toContain('Hostile output');
    expect(screen).toContain('✓ hostile shell');
    expect(screen).toContain('\\x1b[2J\\x1b[H\\x1b[10;10Hmoved');
    expect(screen).toContain('progress 10%\\rDONE');
    expect(screen).toContain('\\x1b]0;pwned-title\\x07\\x1b]2;pwned-title2\\x1b\\');
    expect(screen).toContain('\\x1b]52;c;cHduZWQ=\\x07\\x1b]52;c;?\\x07');
    expect(screen).toContain('\\x1b]8;;http://evil.example\\x07click');
    expect(screen).toContain('\\x1bPq#0;2;0;0;0\\x1b\\\\x1b_Gf=100;AAAA');
    expect(screen).toContain('\\x9b2J\\x9d0;c1-title\\x07');
    expect(screen).toContain('abc<U+202E>dcba');
    expect(screen).toContain('\\x1b[>0q');
    expect(screen).toContain('\\x1b]0;unterminated-title');
    tmux.keys('ui', 'j');
    screen = await tmux.waitFor('ui', '200 OK');
    expect(screen).toContain('\\x1b]52;c;cHduZWQ=');
    expect(screen).toContain('\\x9b2J');
    // Nothing reached the terminal as a sequence: the title and the clipboard are unchanged.
    expect(title('ui')).toBe(before);
    expect(buffers()).toBe('');
    tmux.keys('ui', 'q');
    await tmux.waitFor('ui', /transcript \S+: \d+ events/);
    expect(title('ui')).toBe(before);
    expect(buffers()).toBe('');
  }, 120_000);
});
