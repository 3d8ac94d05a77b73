// Bundles the CLI into dist/ with esbuild. Each command is its own chunk, loaded only when used,
// so `stepwise check` loads the parser and nothing else. Drivers, vm2, acorn and the TUI stay
// external: they are native, read their own files, or are loaded only when needed (acorn by
// engine/expr/acorn.ts, on the first expression that is not a simple comparison).
// The bundle is built beside dist/ and swapped in with two renames, so a `stepwise` started
// while it builds (a test, a benchmark, a second terminal) finds a whole dist/, old or new.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const at = (path) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const pkg = JSON.parse(readFileSync(at('package.json'), 'utf8'));

/**
 * A fingerprint of the sources bundled: what the check cache (engine/document/cache.ts) is keyed
 * by besides the version, so a build from changed sources never reads entries an older build of
 * the same version wrote.
 */
function sourceFingerprint() {
  const hash = createHash('sha256');
  for (const folder of ['cli', 'engine', 'renderers']) {
    const files = readdirSync(at(folder), { recursive: true })
      .map(String)
      .filter((f) => /\.(ts|tsx|cjs|mjs|js)$/.test(f))
      .sort();
    for (const file of files)
      hash
        .update(`${folder}/${file}\0`)
        .update(readFileSync(at(`${folder}/${file}`)))
        .update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}
const next = at(`dist.next-${process.pid}`);
const old = at(`dist.old-${process.pid}`);
rmSync(next, { recursive: true, force: true });
await build({
  entryPoints: { cli: 'cli/entry.ts' },
  outdir: next,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  define: {
    __STEPWISE_VERSION__: JSON.stringify(pkg.version),
    __STEPWISE_BUILD__: JSON.stringify(sourceFingerprint()),
  },
  external: [
    'vm2',
    'acorn',
    'pg',
    'pg-native',
    'better-sqlite3',
    'ink',
    'react',
    'react/jsx-runtime',
    '@electric-sql/*',
    'yoga-layout',
  ],
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
});
// The SQLite worker and the expression sandbox's evaluator run as their own processes (the
// sandbox's file is also its broker thread): they are shipped as is, beside the chunks, where
// sqlite.ts and sandbox.ts look for them (new URL('./…', import.meta.url)).
copyFileSync(at('engine/drivers/sqlite-worker.cjs'), `${next}/sqlite-worker.cjs`);
copyFileSync(at('engine/run/sandbox-worker.cjs'), `${next}/sandbox-worker.cjs`);
if (existsSync(at('dist'))) renameSync(at('dist'), old);
renameSync(next, at('dist'));
rmSync(old, { recursive: true, force: true });
