/**
 * Inputs are what was declared and what was written: an undeclared name is refused whatever it
 * is called (`__proto__`, `constructor`, `toString` too), and a number input that a double
 * cannot hold exactly is refused rather than rounded, from --input and from --answers.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Frontmatter } from '../../engine/document/frontmatter-model.js';
import { coerceInput, PrepareError, prepareInputs } from '../../engine/run/prepare.js';
import { stepwiseAsync } from '../helpers/cli.js';

const declared = {
  n: { name: 'n', span: undefined as never, type: 'number', required: true },
  label: { name: 'label', span: undefined as never, type: 'string', required: false, default: 'x' },
} as unknown as Frontmatter['inputs'];

describe('input names', () => {
  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'zz'])(
    '`%s` is not declared, so it is refused',
    (name) => {
      const given = Object.defineProperty({ n: '1' } as Record<string, string>, name, { value: '1', enumerable: true });
      expect(() => prepareInputs(declared, given)).toThrow(
        new PrepareError(`--input ${name}=...: the runbook declares no input \`${name}\` (it has: n, label)`, 4),
      );
    },
  );

  it('a declared input named like an Object.prototype member is read from what was given, not from the prototype', () => {
    const odd = {
      constructor: { name: 'constructor', span: undefined as never, type: 'string', required: true },
    } as unknown as Frontmatter['inputs'];
    expect(() => prepareInputs(odd, {})).toThrow(/input `constructor` needs a value/);
    expect(prepareInputs(odd, { constructor: 'c' } as Record<string, string>)).toEqual({ constructor: 'c' });
  });
});

describe('number inputs are exact or refused', () => {
  const number = (raw: unknown) => coerceInput({ name: 'n', type: 'number' }, raw);

  it.each([
    ['42', 42],
    [' 7 ', 7],
    ['-0.5', -0.5],
    ['1.10', 1.1],
    ['1e3', 1000],
    ['0.1', 0.1],
    ['9007199254740991', 9007199254740991],
    ['-9007199254740991', -9007199254740991],
    ['1234567890123456e-5', 12345678901.23456],
    ['0x10', 16],
  ])('%s is %s', (text, value) => {
    expect(number(text)).toBe(value);
  });

  it.each([
    ['9007199254740993', '9007199254740992'],
    ['12345678901234567891', '12345678901234567000'],
    ['0.1000000000000000055511151231257827', '0.1'],
    ['1.00000000000000001', '1'],
  ])('%s cannot be held exactly: refused, saying what it would become', (text, becomes) => {
    expect(() => number(text)).toThrow(
      `input \`n\`: \`${text}\` cannot be represented exactly as a number (it would become ${becomes}); numbers are exact up to 9007199254740991 and to 15 significant digits; for a longer value declare the input as a string`,
    );
  });

  it('a number already parsed (an answers file) past 2^53 is refused: it may have been rounded on the way', () => {
    expect(() => number(9007199254740992)).toThrow(/9007199254740992 is past the integers a number holds exactly/);
    expect(number(9007199254740991)).toBe(9007199254740991);
    expect(number(0.25)).toBe(0.25);
  });

  it('still refuses what is not a number', () => {
    expect(() => number('forty')).toThrow('input `n`: `forty` is not a number');
    expect(() => number('')).toThrow(/is not a number/);
  });
});

describe('through the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-inputs-'));
  const runbook = join(dir, 'inputs.md');
  writeFileSync(
    runbook,
    '---\ninputs:\n  n: { type: number }\n---\n\n::input[How many?]{#count type=number}\n\n::note[{{ inputs.n }} and {{ count.value }}]\n',
  );
  const env = { STEPWISE_STORE: join(dir, 'store.db') };

  it('--input __proto__=1 is refused like any undeclared name (exit 4), not dropped', async () => {
    const r = await stepwiseAsync(['run', '--headless', '--input', '__proto__=1', '--input', 'n=1', runbook], { env });
    expect(r.stderr).toMatch(/--input __proto__=\.\.\.: the runbook declares no input `__proto__` \(it has: n\)/);
    expect(r.code).toBe(4);
  });

  it('--input n=9007199254740993 is refused (exit 4), not rounded', async () => {
    const r = await stepwiseAsync(['run', '--headless', '--input', 'n=9007199254740993', runbook], { env });
    expect(r.stderr).toMatch(
      /input `n`: `9007199254740993` cannot be represented exactly as a number \(it would become 9007199254740992\)/,
    );
    expect(r.code).toBe(4);
  });

  it('an ::input number answered in --answers with a value past 2^53 fails the step instead of recording a rounded value', async () => {
    const answers = join(dir, 'answers.yaml');
    writeFileSync(answers, 'count: 9007199254740993\n');
    const r = await stepwiseAsync(['run', '--headless', '--input', 'n=1', '--answers', answers, runbook], { env });
    expect(r.stdout).toMatch(/✗ count .*past the integers a number holds exactly/);
    expect(r.code).toBe(1);
    writeFileSync(answers, 'count: "9007199254740993"\n');
    const quoted = await stepwiseAsync(['run', '--headless', '--input', 'n=1', '--answers', answers, runbook], { env });
    expect(quoted.stdout).toMatch(/✗ count .*cannot be represented exactly as a number/);
    writeFileSync(answers, 'count: 12\n');
    expect(
      (await stepwiseAsync(['run', '--headless', '--input', 'n=1', '--answers', answers, runbook], { env })).code,
    ).toBe(0);
  });
});
