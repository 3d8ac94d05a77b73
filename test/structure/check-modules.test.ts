/**
 * `check` reads a runbook and says what is wrong with it; it runs nothing. Its static import
 * graph (what loads the moment check.ts is imported) reaches no driver, no runner, no store,
 * no transcript code and no renderer: step handlers and drivers load by `import()` only when a
 * run needs them. Type-only imports and re-exports are erased and do not count.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

const FORBIDDEN = ['engine/drivers/', 'engine/run/', 'engine/store/', 'engine/transcript/', 'renderers/'];

/** Strips comments, so an import written in a doc comment is not taken for one. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

/** The relative modules a file imports or re-exports at load time (not `import type`, not `import()`). */
function staticImports(file: string): string[] {
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
  return out
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => {
      const path = resolve(dirname(file), spec);
      const ts = path.replace(/\.js$/, '.ts');
      return existsSync(ts) ? ts : path;
    });
}

/** Every file reachable from `entry` by static imports, with the path it was reached by. */
function reachable(entry: string): Map<string, string[]> {
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

describe("check's static import graph", () => {
  const graph = reachable(join(ROOT, 'engine/check/check.ts'));

  it('reaches the document, the graph and the step specs', () => {
    const files = [...graph.keys()].map((f) => relative(ROOT, f));
    expect(files).toContain('engine/document/parse.ts');
    expect(files).toContain('engine/graph/build.ts');
  });

  it("loads the step kinds' specs, and their handlers only by import()", () => {
    const registry = staticImports(join(ROOT, 'engine/steps/registry.ts')).map((f) => relative(ROOT, f));
    expect(registry).toContain('engine/steps/sql/spec.ts');
    expect(registry.filter((f) => f.endsWith('/handler.ts'))).toEqual([]);
    expect(readFileSync(join(ROOT, 'engine/steps/registry.ts'), 'utf8')).toContain("import('./sql/handler.js')");
  });

  it('reaches no driver, runner, store, transcript or renderer module', () => {
    const bad = [...graph.entries()]
      .map(([file, path]) => [relative(ROOT, file), path.map((p) => relative(ROOT, p)).join(' → ')] as const)
      .filter(([file]) => FORBIDDEN.some((dir) => file.startsWith(dir)))
      .map(([, path]) => path)
      .sort();
    expect(bad).toEqual([]);
  });
});
