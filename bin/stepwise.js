#!/usr/bin/env node
// The installed command. The CLI is bundled into dist/cli.cjs by `npm ci` / `npm install` (the
// prepare script, scripts/build.mjs). It is compiled here with V8's code cache, dist/cli.code-cache:
// the bytecode of every function an earlier command ran, so a command starts without parsing
// and compiling what it runs again. V8 checks the cache against the source, its own version and
// its flags, and compiles from the source when it does not match; the first command after a
// change (a rebuild, another Node) then writes a new cache as it exits. The cache is safe to
// delete, and a folder stepwise cannot write to only makes it start slower.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const bundle = fileURLToPath(new URL('../dist/cli.cjs', import.meta.url));
const cacheFile = fileURLToPath(new URL('../dist/cli.code-cache', import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write(
    'stepwise: dist/cli.cjs is missing; run `npm install` (or `npm run build`) in the stepwise folder first.\n',
  );
  process.exit(4);
}

let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  // No cache yet: this command writes one.
}
// The wrapper Node puts around a CommonJS module, on the source's first line so positions in
// stack traces stay the bundle's. The bundle is ASCII (scripts/build.mjs): read as latin1, it is
// what UTF-8 would give, without the decoding.
const script = new Script(
  `(function (exports, require, module, __filename, __dirname) { ${readFileSync(bundle, 'latin1')}\n})`,
  { filename: bundle, cachedData },
);
if (cachedData === undefined || script.cachedDataRejected) {
  process.once('exit', () => {
    const temporary = `${cacheFile}.${process.pid}`;
    try {
      // Written whole beside the cache and renamed over it: a command starting meanwhile reads
      // the old cache or the new one, never part of one.
      writeFileSync(temporary, script.createCachedData());
      renameSync(temporary, cacheFile);
    } catch {
      rmSync(temporary, { force: true });
    }
  });
}
const module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dirname(bundle));
