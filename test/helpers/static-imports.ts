/**
 * A module's static import graph, read from the TypeScript sources: what loads the moment it is
 * imported (type-only imports and `import()` do not count).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Strips comments, so an import written in a doc comment is not taken for one. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

/** The modules a file imports or re-exports at load time (not `import type`, not `import()`): relative ones as paths, packages by name. */
export function staticSpecifiers(file: string): string[] {
  const text = code(readFileSync(file, 'utf8'));
  const out: string[] = [];
  const statement = /^\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]/gm;
  for (const m of text.matchAll(statement)) {
    if (m[2] !== undefined) continue; // `import type …`, `export type …`
    const clause = m[3]!;
    // `import { type A, type B } from …` imports only types too.
    const named = /^\{([^}]*)\}$/.exec(clause.trim());
    if (named && named[1]!.split(',').every((n) => n.trim() === '' || /^type\s/.test(n.trim()))) continue;
    out.push(m[4]!);
  }
  for (const m of text.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm)) out.push(m[1]!); // side-effect imports
  return out.map((spec) => {
    if (!spec.startsWith('.')) return spec;
    const path = resolve(dirname(file), spec);
    const ts = path.replace(/\.js$/, '.ts');
    if (existsSync(ts)) return ts;
    const tsx = path.replace(/\.js$/, '.tsx');
    return existsSync(tsx) ? tsx : path;
  });
}

/** The relative modules a file imports or re-exports at load time, as paths. */
export function staticImports(file: string): string[] {
  return staticSpecifiers(file).filter((spec) => spec.startsWith('/'));
}

/** Every file reachable from `entry` by static imports, with the path it was reached by. */
export function reachable(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>([[entry, [entry]]]);
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (!existsSync(file)) continue;
    for (const next of staticImports(file)) {
      if (seen.has(next)) continue;
      seen.set(next, [...seen.get(file)!, next]);
      queue.push(next);
    }
  }
  return seen;
}
