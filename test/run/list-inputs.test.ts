/**
 * `list` inputs (engine/document/input-value.ts): a list in the frontmatter (`ports: [7000, 7010]`
 * or `{ type: list, of: number, default: [...] }`) that a loop walks, replaced by
 * `--input ports=8000,8001`; each item judged as an input of its type, wherever the value comes
 * from (the frontmatter, --input, a profile, an include's `with`), with the problem at its place.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../engine/check/check.js';
import { inputValue, MAX_LIST_ITEMS } from '../../engine/document/input-value.js';
import { stepwise, stepwiseAsync } from '../helpers/cli.js';
import { scratch } from '../helpers/scratch.js';

const { dir, write } = scratch('list-inputs');
const store = join(dir, 'store.db');

const diagnostics = (source: string) =>
  checkSource(source, join(dir, 'inline.md'), () => {
    throw Object.assign(new Error('none'), { code: 'ENOENT' });
  }).diagnostics.map((d) => `${d.span.start.line}:${d.span.start.column} ${d.rule}: ${d.message}`);

describe('list input values', () => {
  const ports = { name: 'ports', type: 'list' as const, of: 'number' as const };

  it('takes a YAML list as it is, and text split at commas, each item as its type', () => {
    expect(inputValue(ports, [7000, 7010])).toEqual({ ok: true, value: [7000, 7010] });
    expect(inputValue(ports, '8000, 8001,8002')).toEqual({ ok: true, value: [8000, 8001, 8002] });
    expect(inputValue(ports, '')).toEqual({ ok: true, value: [] });
    expect(inputValue({ name: 'names', type: 'list' }, 'a,b')).toEqual({ ok: true, value: ['a', 'b'] });
  });

  it('refuses an item of another type, an item that is not a value, and too many items, saying which', () => {
    expect(inputValue(ports, '80,x')).toEqual({ ok: false, why: 'item 2: `x` is not a number' });
    expect(inputValue(ports, [80, { port: 81 }])).toEqual({ ok: false, why: 'item 2 is not a number' });
    expect(inputValue({ ...ports, pattern: '^7\\d{3}$' }, '7000,8000')).toEqual({
      ok: false,
      why: 'item 2: `8000` does not match ^7\\d{3}$',
    });
    const many = inputValue(
      ports,
      Array.from({ length: MAX_LIST_ITEMS + 1 }, (_, i) => i),
    );
    expect(many).toEqual({ ok: false, why: 'it has 10,001 items, more than 10,000' });
  });
});

describe('list inputs in check', () => {
  it('reads a list written as the input, and a declared one, and a loop walks either without complaint', () => {
    const found = diagnostics(`---
inputs:
  ports: [7000, 7010]
  names: { type: list, default: [a, b] }
---
# Sweep

::::each{items="inputs.ports" as=port}
::note[port {{ port }}]{#p}
::::

::::each{items="inputs.names" as=n}
::note[name {{ n }}]{#q}
::::
`);
    expect(found).toEqual([]);
  });

  it('reports a bad item type, a default that is no list, a wrong item, and `of` on another type, at their place', () => {
    expect(
      diagnostics(`---
inputs:
  a: { type: list, of: date }
  b: { type: list, default: "7000,7010" }
  c: { type: list, of: number, default: [1, two] }
  d: { type: string, of: number }
  e: [1, {x: 2}]
---
# x

::note[x]
`),
    ).toEqual([
      "3:24 input-invalid: input `a`: a list's items are string or number, not `date`",
      '4:29 input-invalid: input `b`: the default of a list is a YAML list, e.g. default: [7000, 7010]',
      '5:41 input-invalid: input `c`: its default: item 2: `two` is not a number',
      '6:26 input-invalid: input `d`: `of` is for a list input (type: list)',
      '7:6 input-invalid: input `e`: its default: item 2 is not a string',
    ]);
  });

  it('a string input walked by a loop is still an error, whose hint offers the list type', () => {
    const found = diagnostics(`---
inputs:
  ports: { type: string, default: "7000,7010" }
---
# x

::::each{items="inputs.ports" as=port}
::note[port {{ port }}]{#p}
::::
`);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain('each-items');
  });
});

describe('list inputs at run time', () => {
  const runbook = write(
    'sweep.md',
    `---
inputs:
  ports: { type: list, of: number, default: [7000, 7010] }
---
# Sweep

::::each{items="inputs.ports" as=port}
::note[port {{ port }} is a {{ typeof port }}]{#p}
::::

::assert[all ports]{that="inputs.ports.length == p.length"}
`,
  );

  it('a loop walks the default, or the list given with --input, its items typed', async () => {
    const byDefault = await stepwiseAsync(['run', '--headless', '--store', store, runbook]);
    expect(byDefault.code).toBe(0);
    expect(byDefault.stdout).toContain('p[1]');
    expect(byDefault.stdout).toContain('port 7010 is a number');
    const given = await stepwiseAsync([
      'run',
      '--headless',
      '--store',
      store,
      '--input',
      'ports=8000,8001,8002',
      runbook,
    ]);
    expect(given.code).toBe(0);
    expect(given.stdout).toContain('port 8002 is a number');
    expect(given.stdout).not.toContain('7000');
  });

  it('an item --input cannot read as the type is a usage error before anything runs', () => {
    const bad = stepwise(['run', '--headless', '--store', store, '--input', 'ports=8000,http', runbook]);
    expect(bad.code).toBe(4);
    expect(bad.stderr).toContain('input `ports`: item 2: `http` is not a number');
    expect(bad.stdout).not.toContain('p[0]');
  });
});
