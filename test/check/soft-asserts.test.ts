/**
 * What `check` says about `severity` on assert and `expect` on any step (runbooks/README.md,
 * "Soft assertions and expected failures"): wrong values name the allowed ones, `expect=fail`
 * where it means nothing (a gate, an include, a soft assertion) is an error, `severity` on
 * another kind is an unknown attribute (a warning: ignoring it keeps the step strict), and
 * `expect` keeps its own meaning on http (statuses) and set (a value).
 */
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../engine/check/check.js';

const FM = `---
targets:
  db: { kind: sqlite, path: ./x.db }
  api: { kind: http, base: "http://127.0.0.1:8000" }
---
`;
const FM_LINES = FM.split('\n').length - 1;

const check = (body: string) => checkSource(`${FM}${body}`, 'soft.md');
const found = (body: string) =>
  check(body).diagnostics.map((d) => ({
    rule: d.rule,
    severity: d.severity,
    line: d.span.start.line - FM_LINES,
    column: d.span.start.column,
    message: d.message,
  }));

describe('severity on assert', () => {
  it('warn and error are accepted, and warn is read', () => {
    const result = check('::assert{#a that="1 == 1" severity=warn}\n\n::assert{#b that="1 == 1" severity=error}\n');
    expect(result.diagnostics).toEqual([]);
    const a = result.document.steps.find((s) => s.id === 'a')!;
    expect(a.attributes.severity).toMatchObject({ type: 'enum', value: 'warn' });
  });

  it('severity=loud: an error at the value, naming the allowed values', () => {
    expect(found('::assert{#a that="1 == 1" severity=loud}\n')).toEqual([
      {
        rule: 'attribute-invalid',
        severity: 'error',
        line: 1,
        column: 36,
        message: '`severity`: `loud` is not one of error, warn',
      },
    ]);
  });

  it('severity on another kind: an unknown-attribute warning, and the step stays strict', () => {
    const result = check('::shell{#s readonly run="true" severity=warn}\n');
    expect(
      result.diagnostics.map((d) => [d.rule, d.severity, d.span.start.line - FM_LINES, d.span.start.column]),
    ).toEqual([['unknown-attribute', 'warning', 1, 32]]);
    expect(result.document.steps[0]!.attributes.severity).toBeUndefined();
  });
});

describe('expect on any step', () => {
  it('expect=fail is read on shell, sql, http, assert, wait and set; expect=pass is the default', () => {
    const result = check(`::shell{#s readonly run="false" expect=fail}

::sql{#q target=db query="select nope" expect=fail}

::http{#h target=api path=/crash expect=fail}

::assert{#a that="1 == 2" expect=FAIL}

::set{#v x="1" expect=fail}

::shell{#p readonly run="true" expect=pass}
`);
    expect(result.diagnostics).toEqual([]);
    const byId = new Map(result.document.steps.map((s) => [s.id, s]));
    for (const id of ['s', 'q', 'h', 'a', 'v']) expect(byId.get(id)!.expect, id).toBe('fail');
    expect(byId.get('p')!.expect).toBeUndefined();
    // `expect` as the common attribute is not a value of the set step, nor http's status list.
    expect(Object.keys(byId.get('v')!.attributes)).toEqual(['x']);
    expect(byId.get('h')!.attributes.expect).toBeUndefined();
  });

  it('keeps its own meaning on http (statuses) and set (a value)', () => {
    const result = check('::http{#h target=api path=/x expect=500}\n\n::set{#v expect="1 + 1"}\n');
    expect(result.diagnostics).toEqual([]);
    const [h, v] = result.document.steps;
    expect(h!.attributes.expect).toMatchObject({ type: 'status-list' });
    expect(h!.expect).toBeUndefined();
    expect(v!.attributes.expect).toMatchObject({ type: 'expression' });
  });

  it('expect=maybe: an error at the value, naming the allowed values', () => {
    expect(found('::shell{#s readonly run="true" expect=maybe}\n')).toEqual([
      {
        rule: 'attribute-invalid',
        severity: 'error',
        line: 1,
        column: 39,
        message: '`expect`: `maybe` is not one of pass, fail',
      },
    ]);
  });

  it('expect=fail on a confirm or an input: an error at the value', () => {
    const diagnostics = found('::confirm[Go?]{#go expect=fail}\n\n::input[Plan?]{#plan expect=fail}\n');
    expect(diagnostics).toEqual([
      expect.objectContaining({ rule: 'expect-fail-invalid', severity: 'error', line: 1, column: 27 }),
      expect.objectContaining({ rule: 'expect-fail-invalid', severity: 'error', line: 3, column: 29 }),
    ]);
    expect(diagnostics[0]!.message).toBe('`expect=fail` on the confirm `go`: a gate is answered, it does not fail');
    expect(check('::confirm[Go?]{#go expect=fail}\n').diagnostics[0]!.hint).toContain('on-decline=skip');
  });

  it('expect=pass on a gate is harmless', () => {
    expect(check('::confirm[Go?]{#go expect=pass}\n').diagnostics).toEqual([]);
  });

  it('expect=fail on a severity=warn assert: an error (a soft assertion never fails)', () => {
    expect(found('::assert{#a that="1 == 2" severity=warn expect=fail}\n')).toEqual([
      expect.objectContaining({
        rule: 'expect-fail-invalid',
        line: 1,
        column: 48,
        message: '`expect=fail` on the soft assertion `a`: with severity=warn it never fails',
      }),
    ]);
  });

  it('expect=fail does not change a generated id; a set value named expect still does', () => {
    const ids = (body: string) => check(body).document.steps.map((s) => s.id);
    expect(ids('::set{x="1" expect=fail}\n')).toEqual(ids('::set{x="1"}\n'));
    expect(ids('::set{expect="1 + 1"}\n')).toEqual(['set-expect']);
  });

  it('expect does not change a generated id', () => {
    const plain = check('::wait{step=h until="h.status == 200"}\n\n::http{#h target=api path=/x}\n');
    const failing = check('::wait{step=h until="h.status == 200" expect=fail}\n\n::http{#h target=api path=/x}\n');
    expect(failing.document.steps[0]!.id).toBe(plain.document.steps[0]!.id);
  });
});
