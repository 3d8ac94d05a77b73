// Bundles the CLI into one CommonJS file, dist/cli.cjs, with esbuild. One script, not ES module
// chunks, because Node 20 caches compiled code only for scripts: bin/stepwise.js compiles the
// bundle with V8's code cache (dist/cli.code-cache), which saves every command the parse and lazy
// compilation of the code it runs (a third of a small `check`). Each command's modules still
// run only when the command is used (esbuild wraps what is reached by `import()` in a lazy init),
// so `stepwise check` runs the parser and nothing else. Drivers, vm2, acorn and the TUI's
// packages stay external: they are native, read their own files, or are loaded only when needed
// (acorn by engine/expr/acorn.ts, on the first expression that is not a simple comparison). So
// does mysql2: with iconv-lite it would be 1.4 MB of the bundle's 3.3, which every command reads.
// The bundle is built beside dist/ and swapped in with two renames, so a `stepwise` started
// while it builds (a test, a benchmark, a second terminal) finds a whole dist/, old or new.
import { parse } from 'acorn';
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { copyFileSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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
/**
 * Makes the bundle ASCII: V8 keeps a source holding any other character as two bytes a character,
 * and bin/stepwise.js reads it as latin1, a copy, where decoding UTF-8 takes several milliseconds.
 * esbuild writes every other character in code as an escape (its default charset, ascii); what is
 * left is in the comments it keeps, where each UTF-16 unit becomes a `?`, so the source map's
 * columns still hold. A character outside a comment stops the build rather than be changed.
 */
function asciiOnly(file) {
  const text = readFileSync(file, 'utf8');
  const others = [...text.matchAll(/[^\0-\x7f]/g)].map((m) => m.index);
  if (others.length === 0) return;
  const comments = [];
  parse(text, { ecmaVersion: 'latest', onComment: (_block, _text, start, end) => comments.push([start, end]) });
  const outside = others.filter((at) => !comments.some(([start, end]) => start <= at && at < end));
  if (outside.length > 0)
    throw new Error(
      `characters outside ASCII in code that esbuild does not escape (regular expressions), to write as \\u escapes:\n${outside
        .map((at) => `  ${file}:${text.slice(0, at).split('\n').length}: ${text.slice(at - 30, at + 10)}`)
        .join('\n')}`,
    );
  writeFileSync(file, text.replace(/[^\0-\x7f]/g, '?'));
}
const next = at(`dist.next-${process.pid}`);
const old = at(`dist.old-${process.pid}`);
rmSync(next, { recursive: true, force: true });
/**
 * Ink is an ES module with top-level await (yoga-layout's), which require() cannot load.
 * cli/interactive-wanted.ts imports it through engine/import-esm.ts before the terminal UI loads;
 * the bundle's static imports of 'ink' read the namespace that import kept.
 */
const inkFromImport = {
  name: 'ink-from-import',
  setup(bundler) {
    bundler.onResolve({ filter: /^ink$/ }, () => ({ path: 'ink', namespace: 'ink-from-import' }));
    bundler.onLoad({ filter: /.*/, namespace: 'ink-from-import' }, () => ({
      loader: 'js',
      contents: "module.exports = require('./import-esm.cjs').importedEsm('ink');",
    }));
  },
};
await build({
  entryPoints: ['cli/entry.ts'],
  outfile: `${next}/cli.cjs`,
  bundle: true,
  format: 'cjs',
  // No import() in the bundle: Node 20 cannot run one in code read from V8's cache. Packages
  // that are CommonJS are required; ES-module ones go through engine/import-esm.ts.
  supported: { 'dynamic-import': false },
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  define: {
    __STEPWISE_VERSION__: JSON.stringify(pkg.version),
    __STEPWISE_BUILD__: JSON.stringify(sourceFingerprint()),
    // The sources are ES modules; in the bundle, their own URL is the bundle's.
    'import.meta.url': '__bundleUrl',
  },
  plugins: [inkFromImport],
  external: [
    'vm2',
    'acorn',
    'pg',
    'pg-native',
    'mysql2',
    'better-sqlite3',
    'ink',
    'react',
    'react/jsx-runtime',
    '@electric-sql/*',
    'yoga-layout',
    './import-esm.cjs',
  ],
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
});
asciiOnly(`${next}/cli.cjs`);
/**
 * Ink and what it loads (react-reconciler, chalk, wrap-ansi, ...), bundled into dist/ink.mjs: as
 * its 90-odd module files, Node took 350-420 ms to load them; bundled, 110-150 ms, which is that
 * much sooner the terminal UI is ready for keys. An ES module, as Ink is (yoga-layout, which stays
 * a package, has top-level await); engine/import-esm.cjs imports it in Ink's place. React stays
 * the package, the one instance the CLI's bundle requires too; react-devtools-core, which Ink
 * imports only with DEV=true, stays a package in a chunk of its own.
 */
await build({
  entryPoints: { ink: createRequire(import.meta.url).resolve('ink') },
  outdir: next,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'ink-[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  legalComments: 'none',
  logLevel: 'warning',
  external: ['react', 'yoga-layout', 'react-devtools-core'],
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
});
// The SQLite worker and the expression sandbox's evaluator run as their own processes (the
// sandbox's file is also its broker thread), and import-esm.cjs is loaded by Node itself: they are
// shipped as is, beside the bundle, where their callers look for them (new URL('./…',
// import.meta.url), createRequire(import.meta.url)).
copyFileSync(at('engine/drivers/sqlite-worker.cjs'), `${next}/sqlite-worker.cjs`);
copyFileSync(at('engine/run/sandbox-worker.cjs'), `${next}/sandbox-worker.cjs`);
copyFileSync(at('engine/import-esm.cjs'), `${next}/import-esm.cjs`);
if (existsSync(at('dist'))) renameSync(at('dist'), old);
renameSync(next, at('dist'));
rmSync(old, { recursive: true, force: true });
// The first command run writes dist/cli.code-cache (bin/stepwise.js): let it be a `check` of the
// repository's runbooks, so the cache holds the parser's compiled code, which every command
// runs. Without a cache (no runbooks here, a read-only folder) stepwise only starts slower.
const runbooks = existsSync(at('runbooks'))
  ? readdirSync(at('runbooks'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => at(`runbooks/${f}`))
  : [];
spawnSync(process.execPath, [at('bin/stepwise.js'), 'check', '--no-cache', ...runbooks], { stdio: 'ignore' });
