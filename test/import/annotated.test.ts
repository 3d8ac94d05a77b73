/** The step directives import takes as "already annotated" are the registry's step kinds (engine/import/annotated.ts). */
import { describe, expect, it } from 'vitest';
import { STEP_DIRECTIVES } from '../../engine/import/annotated.js';
import { stepSpecs } from '../../engine/steps/registry.js';

describe('STEP_DIRECTIVES', () => {
  it('is every step kind of the registry but note, and if', () => {
    const kinds = [...Object.keys(stepSpecs).filter((k) => k !== 'note'), 'if'].sort();
    expect([...STEP_DIRECTIVES].sort()).toEqual(kinds);
  });
});
