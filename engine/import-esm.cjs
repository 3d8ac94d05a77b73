// import() of an ES-module package (Ink, PGlite), from a file Node loads itself. The CLI's bundle
// (dist/cli.cjs) is compiled with V8's code cache (bin/stepwise.js), and on Node 20 a function
// read from that cache cannot call import() (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING): the bundle
// imports through this file instead, shipped beside it. Packages resolve from here as from the
// sources (Ink from its bundle beside this file, when there is one), and the namespaces are kept
// so the bundle's static imports of Ink can read them.
'use strict';

const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const imported = new Map();

/**
 * Where `specifier` is imported from: a bundle of the package beside this file (dist/ink.mjs,
 * scripts/build.mjs), or else the package itself (in the sources, which have no such bundle).
 */
function source(specifier) {
  const bundled = join(__dirname, `${specifier}.mjs`);
  return /^[a-z-]+$/.test(specifier) && existsSync(bundled) ? pathToFileURL(bundled).href : specifier;
}

/** Imports `specifier` and keeps its namespace. */
exports.importEsm = async (specifier) => {
  const namespace = await import(source(specifier));
  imported.set(specifier, namespace);
  return namespace;
};

/** The namespace an earlier importEsm(specifier) loaded: what the bundle's `import … from 'ink'` reads. */
exports.importedEsm = (specifier) => {
  if (!imported.has(specifier))
    throw new Error(`stepwise: ${specifier} was used before it was imported (engine/import-esm.ts importEsm)`);
  return imported.get(specifier);
};
