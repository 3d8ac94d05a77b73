/** Example values a plain runbook shows for its placeholders (engine/import/examples.ts). */
import { describe, expect, it } from 'vitest';
import { readExamples } from '../../engine/import/examples.js';

describe('readExamples', () => {
  it.each([
    ['Find `<plan_id>` (e.g. `plan_8f2k`).', 'plan_id', 'plan_8f2k'],
    ['Look back `<minutes>` minutes, for example 30.', 'minutes', '30'],
    ['The tenant `{tenant}`, for instance "acme-eu".', 'tenant', 'acme-eu'],
    ['Use user-id-here, such as u_42.', 'user_id', 'u_42'],
    ['Replace <region> with your region, example: eu-west-1', 'region', 'eu-west-1'],
  ])('%s', (line, name, value) => {
    expect(readExamples(`# T\n\n${line}\n`)).toEqual(new Map([[name, value]]));
  });

  it.each([
    ['two placeholders on the line', 'Move `<from_id>` to `<to_id>`, e.g. `a1`.'],
    ['the example before the placeholder', 'For example `a1` is a `<plan_id>`.'],
    ['a secret', 'Your `<api_key>`, e.g. `sk_live_1`.'],
    ['a template as the example', 'The `<region>`, e.g. `{{ inputs.x }}`.'],
    ['a placeholder as the example', 'The `<region>`, e.g. `<eu>`.'],
    ['no example marker', 'The `<region>` is `eu-west-1`.'],
  ])('none for %s', (_why, line) => {
    expect(readExamples(`${line}\n`)).toEqual(new Map());
  });

  it('the first example of a placeholder wins', () => {
    expect(readExamples('`<plan_id>`, e.g. `p1`.\n`<plan_id>`, e.g. `p2`.\n')).toEqual(new Map([['plan_id', 'p1']]));
  });
});
