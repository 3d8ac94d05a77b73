/**
 * What expressions can read during a run (RunValues): a step's value stays while a step that reads
 * it has not finished, however far apart they are, and is dropped after its last reader, so a long
 * run keeps only what is still to be read. Where readers cannot be known ahead (an expression reads
 * `steps` as a whole, a step re-runs another), everything is kept.
 */
import { describe, expect, it } from 'vitest';
import { parseRunbook } from '../../engine/document/parse.js';
import { RunValues } from '../../engine/run/run-values.js';
import { stepSpecs } from '../../engine/steps/registry.js';

function values(body: string, keepAll = false) {
  const { document } = parseRunbook(`---\ntitle: values\n---\n\n${body}\n`, 'values.md', { specs: stepSpecs });
  const run = new RunValues(document, { inputs: {}, secrets: {}, env: {}, run: {} }, 1000, keepAll);
  const step = (id: string) => document.steps.find((s) => s.id === id)!;
  const expression = (id: string) => {
    const s = step(id);
    return (
      s.when ?? (s.attributes.that as { expression: import('../../engine/document/model.js').Expression }).expression
    );
  };
  return {
    finish: (id: string, result: unknown) => run.publish(step(id), 'passed', result),
    /** The step's own expression (`that` or `when`), evaluated as the step would. */
    read: (id: string) => run.evaluate(expression(id), step(id)),
  };
}

const CHAIN = [
  '::set{#a n="1"}',
  '::set{#b n="2"}',
  '::assert[early]{#x that="a.n == 1"}',
  '::set{#c n="3"}',
  '::assert[late]{#y that="a.n + b.n == 3"}',
  '::assert[after]{#z that="c.n == 3"}',
].join('\n\n');

/** Finishes every step of CHAIN in order, each with a result. */
function finishChain(v: ReturnType<typeof values>): void {
  for (const [id, result] of [
    ['a', { n: 1 }],
    ['b', { n: 2 }],
    ['x', {}],
    ['c', { n: 3 }],
    ['y', {}],
    ['z', {}],
  ] as const)
    v.finish(id, result);
}

describe('values kept for expressions', () => {
  it('a value stays until its last reader has finished, then is gone', () => {
    const v = values(CHAIN);
    v.finish('a', { n: 1 });
    v.finish('b', { n: 2 });
    expect(v.read('x')).toBe(true);
    v.finish('x', {});
    v.finish('c', { n: 3 });
    expect(v.read('y')).toBe(true); // a was read by x, and is still kept for y
    v.finish('y', {});
    expect(v.read('z')).toBe(true);
    v.finish('z', {});
    // y, the last reader of a and b, finished (and a step after it): their values are gone.
    expect(() => v.read('y')).toThrow(/undefined/);
  });

  it('an interactive run (keepAll) keeps every value, for a step retried after it recorded a failure', () => {
    const v = values(CHAIN, true);
    finishChain(v);
    expect(v.read('y')).toBe(true);
  });

  it('an expression that reads `steps` as a whole keeps every value', () => {
    const v = values(`${CHAIN}\n\n::assert[all]{#w that="Object.keys(steps).length > 0"}`);
    finishChain(v);
    expect(v.read('y')).toBe(true);
  });
});
