/**
 * Real headless Chromium (Debian's `chromium`, which .ci/run installs when missing) loading a file
 * and dumping its DOM after load, with the page's console on stderr: what a person opening the
 * report would get, scripts and Content-Security-Policy included.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM = ['chromium', 'chromium-browser'].find(
  (bin) => spawnSync(bin, ['--version'], { encoding: 'utf8' }).status === 0,
);

export interface Loaded {
  /** The DOM as serialised after load (scripts, had any run, would have changed it). */
  dom: string;
  /** What the page said on its console (CSP violations among it). */
  console: string[];
}

export function loadInChromium(file: string): Loaded {
  if (!CHROMIUM) throw new Error('chromium is not installed');
  const profile = mkdtempSync(join(tmpdir(), 'stepwise-chromium-'));
  try {
    const r = spawnSync(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        `--user-data-dir=${profile}`,
        '--enable-logging=stderr',
        '--v=0',
        '--dump-dom',
        `file://${file}`,
      ],
      { encoding: 'utf8', timeout: 90_000, maxBuffer: 64 * 1024 * 1024 },
    );
    if (r.status !== 0) throw new Error(`chromium exited ${r.status}: ${r.stderr.slice(-2000)}`);
    return { dom: r.stdout, console: r.stderr.split('\n').filter((l) => l.includes(':CONSOLE')) };
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/** The element names in a serialised DOM (tags as Chromium writes them, lower case). */
export function elements(dom: string): Set<string> {
  return new Set([...dom.matchAll(/<([a-z][a-z0-9-]*)[\s>/]/g)].map((m) => m[1]!));
}

/** The attribute names on the elements of a serialised DOM (text content is escaped there, so `<` starts only tags). */
export function attributes(dom: string): Set<string> {
  const out = new Set<string>();
  for (const tag of dom.matchAll(/<[a-z][a-z0-9-]*((?:\s+[^\s=>]+(?:="[^"]*")?)*)\s*\/?>/g))
    for (const attr of (tag[1] ?? '').matchAll(/\s+([^\s=>]+)/g)) out.add(attr[1]!.toLowerCase());
  return out;
}
