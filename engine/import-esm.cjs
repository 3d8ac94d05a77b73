// import() of an ES-module package (Ink, PGlite), from a file Node loads itself. The CLI's bundle
// (dist/cli.cjs) is compiled with V8's code cache (bin/stepwise.js), and on Node 20 a function
// read from that cache cannot call import() (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING): the bundle
// imports through this file instead, shipped beside it. Packages resolve from here as from the
// sources, and the namespaces are kept so the bundle's static imports of Ink can read them.
'use strict';

const imported = new Map();

/** Imports `specifier` and keeps its namespace. */
exports.importEsm = async (specifier) => {
  const namespace = await import(specifier);
  imported.set(specifier, namespace);
  return namespace;
};

/** The namespace an earlier importEsm(specifier) loaded: what the bundle's `import … from 'ink'` reads. */
exports.importedEsm = (specifier) => {
  if (!imported.has(specifier))
    throw new Error(`stepwise: ${specifier} was used before it was imported (engine/import-esm.ts importEsm)`);
  return imported.get(specifier);
};
