/**
 * A real terminal for end-to-end tests: tmux on a socket of its own (`-L stepwise-test-<pid>`),
 * so a test never touches another tmux session; the server is killed when the test ends.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const TMUX = ['/usr/bin/tmux', '/usr/local/bin/tmux'].find((p) => existsSync(p)) ?? 'tmux';

export function hasTmux(): boolean {
  try {
    execFileSync(TMUX, ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export class Tmux {
  readonly socket = `stepwise-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  run(args: string[]): string {
    return execFileSync(TMUX, ['-L', this.socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  }

  /** A new session (or window) running `command` in `cwd`, `columns`×`rows`. */
  start(name: string, command: string, options: { cwd: string; columns?: number; rows?: number }): void {
    const size = ['-x', String(options.columns ?? 80), '-y', String(options.rows ?? 24)];
    this.run(['new-session', '-d', '-s', name, ...size, '-c', options.cwd, command]);
    // The pane stays after its command exits, so the test can read what it printed last.
    this.run(['set-option', '-t', name, 'remain-on-exit', 'on']);
  }

  screen(target: string): string {
    return this.run(['capture-pane', '-p', '-J', '-t', target]);
  }

  /** The screen with the lines scrolled above it (up to `lines`): what a person scrolls back to. */
  scrollback(target: string, lines = 200): string {
    return this.run(['capture-pane', '-p', '-J', '-S', String(-lines), '-t', target]);
  }

  keys(target: string, ...keys: string[]): void {
    this.run(['send-keys', '-t', target, ...keys]);
  }

  type(target: string, text: string): void {
    this.run(['send-keys', '-t', target, '-l', text]);
  }

  /** Waits until the pane shows `text`; returns the screen. */
  async waitFor(target: string, text: string | RegExp, ms = 30_000): Promise<string> {
    const end = Date.now() + ms;
    let screen = '';
    for (;;) {
      screen = this.screen(target);
      if (typeof text === 'string' ? screen.includes(text) : text.test(screen)) return screen;
      if (Date.now() > end)
        throw new Error(`timed out waiting for ${String(text)} in ${target}; the screen:\n${screen}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  kill(): void {
    try {
      this.run(['kill-server']);
    } catch {
      // already gone
    }
  }
}

/** The environment a person's terminal gives stepwise: not CI, no colour (so the screen reads plainly). */
export function terminalCommand(args: string[], env: Record<string, string> = {}): string {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const vars = Object.entries({ NO_COLOR: '1', TERM: 'xterm-256color', ...env }).map(([k, v]) => `${k}=${quote(v)}`);
  return `env -u CI -u CONTINUOUS_INTEGRATION ${vars.join(' ')} ${quote(process.execPath)} ${args.map(quote).join(' ')}`;
}
