/**
 * A guard is explicit and local: a confirm guards the side effects after it in its own section
 * until the next confirm, and any step whose condition requires its answer. Every kind with side
 * effects needs one: writing SQL, non-GET HTTP, shell not marked readonly.
 */
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../engine/check/check.js';

const FM = `---
targets:
  db: { kind: sqlite, path: ./x.db }
  api: { kind: http, base: "http://127.0.0.1:8000" }
---
`;

const check = (body: string) => checkSource(`${FM}\n${body}`, 'guards.md');
const warnings = (body: string) =>
  check(body)
    .diagnostics.filter((d) => d.rule === 'write-without-confirm')
    .map((d) => d.message.split('`')[1]);
const guardsOf = (body: string) =>
  Object.fromEntries(
    check(body)
      .graph.nodes.filter((n) => n.kind === 'confirm')
      .map((n) => [n.id, n.guards]),
  );

describe('which confirm guards which side effect', () => {
  it('one confirm does not authorise every later write: only those in its own section, until the next confirm', () => {
    const body = `# Keys

## Expire idempotency keys

::confirm[Delete expired idempotency keys?]{#go}

::sql{#expire target=db query="DELETE FROM keys WHERE expired"}

## Something else entirely

::sql{#mark target=db query="UPDATE plans SET status = 'FAILED'"}

::sql{#drop target=db query="DROP TABLE audit"}
`;
    expect(guardsOf(body)).toEqual({ go: ['expire'] });
    expect(warnings(body)).toEqual(['mark', 'drop']);
  });

  it('a reset whose own confirm was removed is unguarded, though an unrelated confirm sits further up', () => {
    const body = `# Recovery

## Restart the worker

::confirm[Restart the worker?]{#restart}

::shell{#kick run="systemctl restart worker"}

## Reset a stuck plan

::http{#reset target=api method=POST path=/plans/1/reset}
`;
    expect(warnings(body)).toEqual(['reset']);
  });

  it('a confirm covers the subsections under its heading, and its range ends at the next confirm', () => {
    const body = `## Fix

::confirm[Fix it?]{#go}

### Step one

::sql{#one target=db query="UPDATE a SET x = 1"}

::confirm[Also the second part?]{#second}

::sql{#two target=db query="UPDATE b SET x = 1"}

### Step three

::sql{#three target=db query="UPDATE c SET x = 1"}
`;
    // \`second\` stands in "Step one", so it does not reach "Step three"; \`go\`'s range ended at \`second\`.
    expect(guardsOf(body)).toEqual({ go: ['one'], second: ['two'] });
    expect(warnings(body)).toEqual(['three']);
  });

  it('a confirm with a `when` guards the write whose condition requires its answer (the natural pattern)', () => {
    const body = `## Mark stuck plans

::sql{#stuck target=db query="SELECT id FROM plans WHERE status = 'SOLVING'"}

::confirm[Mark {{ stuck.rowCount }} plans as FAILED?]{#go when="stuck.rowCount > 0"}

:::sql{#mark target=db when="go.answer"}
\`\`\`sql
UPDATE plans SET status = 'FAILED' WHERE status = 'SOLVING'
\`\`\`
:::
`;
    expect(guardsOf(body)).toEqual({ go: ['mark'] });
    expect(warnings(body)).toEqual([]);
  });

  it('a condition that requires the answer guards wherever the step stands; one that merely mentions it does not', () => {
    const body = `## Ask

::confirm[Proceed?]{#go when="true"}

## Later

::shell{#a when="go.answer"}

::shell{#b when="1 < 2 && (go.answer === true)"}

::shell{#c when="steps['go'].answer"}

::shell{#d when="!go.answer"}

::shell{#e when="go.answer || true"}
`.replace(/::shell\{#(\w) when="([^"]*)"\}/g, '::shell{#$1 when="$2" run="true"}');
    expect(guardsOf(body)).toEqual({ go: ['a', 'b', 'c'] });
    expect(warnings(body)).toEqual(['d', 'e']);
  });

  it('a confirm inside an if region does not guard a write after the region', () => {
    const body = `## Fix

::::if{that="true"}
::confirm[Fix?]{#go}
::::

::sql{#w target=db query="UPDATE a SET x = 1"}
`;
    expect(warnings(body)).toEqual(['w']);
  });

  it('every kind with side effects needs a guard: HTTP DELETE, POST, shell; readonly shell, GET and a read do not', () => {
    const body = `## Things

::http{#del target=api method=DELETE path=/cache}

:::http{#post target=api}
\`\`\`http
POST /restart
\`\`\`
:::

::shell{#rm run="rm -rf /tmp/x"}

::shell{#look readonly run="oc get pods"}

::http{#get target=api path=/health}

::sql{#read target=db query="SELECT 1"}
`;
    expect(warnings(body)).toEqual(['del', 'post', 'rm']);
    const graph = check(body).graph;
    expect(graph.nodes.filter((n) => n.sideEffect).map((n) => n.id)).toEqual(['del', 'post', 'rm']);
    expect(graph.nodes.find((n) => n.id === 'look')).toMatchObject({ effect: false, sideEffect: false });
  });

  it('the message and hint name what the step does and how to say it changes nothing', () => {
    const d = check('::shell{#rm run="rm -rf /tmp/x"}\n').diagnostics.find((x) => x.rule === 'write-without-confirm')!;
    expect(d.severity).toBe('warning');
    expect(d.message).toBe(
      '`rm` runs a script, which may change something, but no confirm guards it; a headless run will refuse it without --allow-writes',
    );
    expect(d.hint).toMatch(/mark it readonly if the script only reads/);
  });
});

describe('readonly and decline', () => {
  it('readonly=true on a statement that writes is an error, at the attribute', () => {
    const r = check('::sql{#u target=db readonly=true query="UPDATE plans SET status = 1"}\n');
    const d = r.diagnostics.find((x) => x.rule === 'readonly-write')!;
    expect(d).toMatchObject({ severity: 'error', span: { start: { line: 7 } } });
    expect(d.message).toMatch(/marked readonly=true, but its statement writes \(UPDATE/);
  });

  it('readonly=true may still declare a statement Stepwise does not recognise', () => {
    const r = check('::sql{#s target=db readonly=true query="SHOW TABLES"}\n');
    expect(r.diagnostics.filter((x) => x.rule === 'readonly-write')).toEqual([]);
  });

  it('on-fail=continue on a confirm is an error that points to on-decline=skip', () => {
    const r = check('::confirm[Go?]{#go on-fail=continue}\n\n::shell{#s run="true"}\n');
    const d = r.diagnostics.find((x) => x.rule === 'confirm-on-fail')!;
    expect(d.severity).toBe('error');
    expect(d.hint).toMatch(/on-decline=skip/);
  });

  it('on-decline=skip on a confirm that guards nothing is a warning', () => {
    const r = check('::confirm[Go?]{#go on-decline=skip}\n\n::sql{#r target=db query="SELECT 1"}\n');
    expect(r.diagnostics.map((x) => x.rule)).toContain('decline-skips-nothing');
    expect(
      check('::confirm[Go?]{#go on-decline=skip}\n\n::shell{#s run="true"}\n').diagnostics.map((x) => x.rule),
    ).not.toContain('decline-skips-nothing');
  });
});

describe('reading a step that may not have passed', () => {
  const skippable = (body: string) => check(body).diagnostics.filter((d) => d.rule === 'reads-skippable-step');

  it('warns where a placeholder reads a step that can be skipped, at the reference', () => {
    const found = skippable(
      '::sql{#probe target=db when="false" query="SELECT 1 AS n"}\n\n::note[got {{ probe.rows[0].n }}]{#say}\n',
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'warning', span: { start: { line: 9, column: 15 } } });
    expect(found[0]!.message).toBe(
      '`say` reads `probe.rows[0].n`, but `probe` may not have passed when it runs (it runs only when `false`); then its fields are null',
    );
    expect(found[0]!.hint).toMatch(/when="probe.outcome == 'passed'"/);
  });

  it('warns for a step that may fail (on-fail=continue), one in an if region, and one a decline skips', () => {
    const body = `::http{#gw target=api path=/health on-fail=continue}

::note[{{ gw.json.version }}]{#a}

::::if{that="true"}
::sql{#inner target=db query="SELECT 1 AS n"}
::::

::note[{{ inner.rowCount }}]{#b}

::confirm[Clean?]{#go on-decline=skip}

::shell{#clean run="echo cleaned"}

::note[{{ clean.stdout }}]{#c}
`;
    expect(skippable(body).map((d) => d.message.split('`')[1])).toEqual(['a', 'b', 'c']);
  });

  it('is silent when the reader tests the outcome, shares the condition, reads one field in a condition, or the step always runs', () => {
    const body = `::http{#gw target=api path=/health on-fail=continue}

::::if{that="gw.status == 200"}
::note[up]{#up}
::::

::note[{{ gw.json.version }}]{#tested when="gw.outcome == 'passed'"}

::::if{that="true"}
::sql{#inner target=db query="SELECT 1 AS n"}

::note[{{ inner.rowCount }}]{#same}
::::

::sql{#always target=db query="SELECT 1 AS n"}

::note[{{ always.rowCount }}]{#plain}

::assert[gateway up]{that="gw.outcome == 'passed' && gw.json.status == 'ok'"}

::note[{{ gw.outcome == 'passed' ? gw.json.version : 'unknown' }}]{#either}
`;
    expect(skippable(body)).toEqual([]);
  });

  it("still warns when only another step's outcome is tested in the expression", () => {
    const body = `::http{#gw target=api path=/health on-fail=continue}

::http{#mem target=api path=/health on-fail=continue}

::assert[both up]{that="mem.outcome == 'passed' && gw.json.status == 'ok'"}
`;
    expect(skippable(body).map((d) => d.message.split('`')[3])).toEqual(['gw.json.status']);
  });

  it('warns for a deeper read in a condition, which throws on the null', () => {
    const found = skippable(
      '::http{#gw target=api path=/health on-fail=continue}\n\n::note[up]{#up when="gw.json.status == \'ok\'"}\n',
    );
    expect(found.map((d) => d.message.split('`')[3])).toEqual(['gw.json.status']);
  });
});

describe('reserved result names', () => {
  it('a set step cannot name a value outcome or error', () => {
    const r = check('::set{#calc outcome="1" fine="2"}\n');
    const d = r.diagnostics.filter((x) => x.rule === 'reserved-name');
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ severity: 'error', span: { start: { line: 7, column: 13 } } });
  });
});
