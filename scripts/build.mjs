// Bundles the CLI into dist/ with esbuild. Each command is its own chunk, loaded only when used,
// so `stepwise check` loads the parser and nothing else. Drivers, the sandbox and the TUI stay
// external: they are native, read their own files, or are only needed by `run`.
import { build } from 'esbuild';
import { copyFileSync, readFileSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { cli: 'cli/entry.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  define: { __STEPWISE_VERSION__: JSON.stringify(pkg.version) },
  external: ['vm2', 'pg', 'pg-native', 'better-sqlite3', 'ink', 'react', 'react/jsx-runtime', '@electric-sql/*', 'yoga-layout'],
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
});
// The SQLite worker runs as its own process: it is shipped as is, beside the chunks.
copyFileSync(new URL('../engine/drivers/sqlite-worker.cjs', import.meta.url), new URL('../dist/sqlite-worker.cjs', import.meta.url));
