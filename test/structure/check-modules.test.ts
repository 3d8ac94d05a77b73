/**
 * `check` reads a runbook and says what is wrong with it; it runs nothing. Its static import
 * graph (what loads the moment check.ts is imported) reaches no driver, no runner, no store,
 * no transcript code and no renderer: step handlers and drivers load by `import()` only when a
 * run needs them. Type-only imports and re-exports are erased and do not count.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { reachable, staticImports } from '../helpers/static-imports.js';

const FORBIDDEN = ['engine/drivers/', 'engine/run/', 'engine/store/', 'engine/transcript/', 'renderers/'];

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
