/**
 * A headless run starts by loading what every run needs and no more: the YAML parser (answers and
 * secrets files), RE2 (authors' patterns), string-width (non-ASCII text), acorn (expressions
 * other than simple comparisons, templates: engine/expr/acorn.ts) and the report formats load
 * when a run meets them, by `import()` or a first-use `require`. Each was tens of ms of every
 * run's start-up (README, Performance).
 */
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { reachable, staticSpecifiers } from '../helpers/static-imports.js';

const LAZY_PACKAGES = ['yaml', 're2js', 'string-width', 'acorn'];
const LAZY_FOLDERS = ['renderers/report/', 'engine/document/parse', 'engine/check/rules/'];

describe("a headless run's static import graph (cli/commands/run.ts)", () => {
  const graph = reachable(join(ROOT, 'cli/commands/run.ts'));
  const shown = (path: string[]): string => path.map((p) => relative(ROOT, p)).join(' → ');

  it('reaches the runner and the headless reporter', () => {
    const files = [...graph.keys()].map((f) => relative(ROOT, f));
    expect(files).toContain('engine/run/runner.ts');
    expect(files).toContain('renderers/headless.ts');
  });

  it('imports no YAML parser, RE2, string-width or acorn at load time', () => {
    const bad: string[] = [];
    for (const [file, path] of graph)
      for (const spec of staticSpecifiers(file))
        if (LAZY_PACKAGES.some((name) => spec === name || spec.startsWith(`${name}/`)))
          bad.push(`${shown(path)} → ${spec}`);
    expect(bad).toEqual([]);
  });

  it('reaches no report format, Markdown parser or check rule', () => {
    const bad = [...graph.entries()]
      .filter(([file]) => LAZY_FOLDERS.some((dir) => relative(ROOT, file).startsWith(dir)))
      .map(([, path]) => shown(path));
    expect(bad).toEqual([]);
  });
});
