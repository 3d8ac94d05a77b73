/**
 * engine/ has no import cycle (type-only imports count too: a cycle of types is still two
 * modules that cannot be read apart), and `check`'s path loads no driver eagerly.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

const ENGINE = join(ROOT, 'engine');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|cjs)$/.test(name) ? [path] : [];
  });
}

/** Relative imports and re-exports of a module (static ones; `import()` is lazy and does not count). */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"](\.[^'"]+)['"]/gm)) {
    out.push(resolve(dirname(file), m[1]!.replace(/\.js$/, '.ts')));
  }
  return out;
}

function cycles(files: string[]): string[][] {
  const graph = new Map(files.map((f) => [f, imports(f).filter((i) => graph0.has(i))]));
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string): void => {
    state.set(f, 'open');
    stack.push(f);
    for (const next of graph.get(f) ?? []) {
      if (state.get(next) === 'open')
        found.push([...stack.slice(stack.indexOf(next)), next].map((p) => relative(ROOT, p)));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of files) if (!state.has(f)) visit(f);
  return found;
}

const files = sources(ENGINE);
const graph0 = new Set(files);

describe('the engine module structure', () => {
  it('has no import cycle', () => {
    expect(cycles(files)).toEqual([]);
  });

  it('the document (model, parser, step builder) imports nothing from steps/ or run/', () => {
    // The parser is given the step kinds' specs (ParseOptions `specs`); it names no kind itself.
    const document = files.filter((f) => f.includes('/engine/document/'));
    for (const f of document)
      expect(
        imports(f).filter((i) => /\/engine\/(steps|run)\//.test(i)),
        relative(ROOT, f),
      ).toEqual([]);
  });
});
