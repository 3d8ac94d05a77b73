/**
 * import() of an ES-module package that must load asynchronously (Ink has top-level await, which
 * require() cannot load; PGlite is loaded only when a drill needs it). It goes through
 * import-esm.cjs, a file Node loads itself, because the CLI's bundle is compiled from V8's code
 * cache, where Node 20 cannot run import() (bin/stepwise.js, scripts/build.mjs).
 */
import { createRequire } from 'node:module';

const esm = createRequire(import.meta.url)('./import-esm.cjs') as {
  importEsm(specifier: string): Promise<unknown>;
};

export function importEsm<T>(specifier: string): Promise<T> {
  return esm.importEsm(specifier) as Promise<T>;
}
