/**
 * Starting at a section (engine/run/scope.ts): which heading a SECTION names, which steps are in
 * scope, what is pulled in (guarding confirms, answered gates) and what is refused before
 * anything runs; then real runs on a SQLite file through the CLI, reading the events.
 */
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../engine/check/check.js';
import type { RunEvent } from '../../engine/run/events.js';
import { type RunScope, recordedScope, runScope, type ScopeRequest } from '../../engine/run/scope.js';
import { sections } from '../../engine/run/scope-sections.js';
import { stepwise } from '../helpers/cli.js';
import { scratch } from '../helpers/scratch.js';

const RUNBOOK = `---
targets:
  db: { kind: sqlite, path: ./shop.db }
---

# Shop

::sql{#top target=db query="SELECT 1 AS one"}

## Check orders

::sql{#stuck target=db query="SELECT count(*) AS n FROM orders WHERE status = 'PROCESSING'"}

::input[Which order?]{#order}

## Fix stuck orders

::confirm[Mark them failed?]{#go}

### Apply

:::sql{#mark target=db}
\`\`\`sql
UPDATE orders SET status = 'FAILED' WHERE status = 'PROCESSING'
\`\`\`
:::

## Re-check

::sql{#again target=db query="SELECT count(*) AS n FROM orders WHERE status = 'PROCESSING'"}

::assert[none left]{#none that="again.rows[0].n == 0"}

## Report

::note[Done]{#report}
`;

function checked(source: string) {
  const result = checkSource(source, 'rb.md');
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return result;
}

function scoped(source: string, request: ScopeRequest, answerable: string[] = []): RunScope {
  const { document, graph } = checked(source);
  const result = runScope(document, graph, request, { answerable: new Set(answerable) });
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
  return result.scope;
}

function problems(source: string, request: ScopeRequest, answerable: string[] = []) {
  const { document, graph } = checked(source);
  const result = runScope(document, graph, request, { answerable: new Set(answerable) });
  if (result.ok) throw new Error(`expected problems, got a scope of ${[...result.scope.inScope].join(', ')}`);
  return result.problems;
}

describe('naming a section', () => {
  it.each([
    ['re-check', 're-check'],
    ['Re-check', 're-check'],
    ['RE-CHECK', 're-check'],
    ['  Fix stuck orders ', 'fix-stuck-orders'],
    ['#apply', 'apply'],
  ])('%j names the heading %s (its slug exactly, else its text in any case)', (name, slug) => {
    expect(scoped(RUNBOOK, { from: name }).section.slug).toBe(slug);
  });

  it('gives headings that share a slug the anchors GitHub gives them, and calls the shared title ambiguous', () => {
    const source = '# A\n\n## Setup\n\n::note[one]{#one}\n\n## Setup\n\n::note[two]{#two}\n';
    const { document } = checked(source);
    expect(sections(document).headings.map((h) => h.slug)).toEqual(['a', 'setup', 'setup-1']);
    expect([...scoped(source, { only: 'setup-1' }).inScope]).toEqual(['two']);
    expect([...scoped(source, { only: 'setup' }).inScope]).toEqual(['one']);
    const [problem] = problems(source, { from: 'SETUP' });
    expect(problem!.message).toBe(
      '--from "SETUP": 2 sections have that title: `setup` ("Setup", line 3), `setup-1` ("Setup", line 7)',
    );
    expect(problem!.hint).toBe('name one by its slug: --from setup-1');
    expect(problem!.at).toBeUndefined();
  });

  it('suggests the nearest heading for one that does not exist, and lists the nearby ones', () => {
    const [problem] = problems(RUNBOOK, { from: 'fix-stuk-orders' });
    expect(problem!.message).toBe(
      '--from "fix-stuk-orders": no section has that slug or title; did you mean `fix-stuck-orders`?',
    );
    expect(problem!.hint).toMatch(/^nearby sections: `fix-stuck-orders` \("Fix stuck orders", line 16\), /);
    const [far] = problems(RUNBOOK, { only: 'zzzzzzzzzzzz' });
    expect(far!.message).toBe('--only "zzzzzzzzzzzz": no section has that slug or title');
  });

  it('says so when the runbook has no headings at all', () => {
    const [problem] = problems('::note[x]{#x}\n', { from: 'x' });
    expect(problem!.message).toBe('--from "x": the runbook has no headings');
  });
});

describe('included runbooks', () => {
  it("counts an included runbook's headings and steps where the include stands", () => {
    const tmp = scratch('scope-include');
    tmp.write('part.md', '## Part one\n\n::note[in part]{#x}\n');
    const main = tmp.write(
      'main.md',
      '# Main\n\n::note[first]{#first}\n\n::include{src=./part.md as=part}\n\n## After\n\n::note[after]{#after}\n',
    );
    const { document, graph } = checkSource(readFileSync(main, 'utf8'), main);
    expect(sections(document).headings.map((h) => [h.slug, h.line, h.included])).toEqual([
      ['main', 1, null],
      ['part-one', 1, './part.md'],
      ['after', 7, null],
    ]);
    const from = runScope(document, graph, { from: 'part one' });
    expect(from.ok && [...from.scope.inScope].sort()).toEqual(['after', 'part.x']);
    const only = runScope(document, graph, { only: 'part-one' });
    expect(only.ok && [...only.scope.inScope]).toEqual(['part.x']);
    const missing = runScope(document, graph, { from: 'part on' });
    expect(!missing.ok && missing.problems[0]!.hint).toContain('`part-one` ("Part one", line 1 of ./part.md)');
  });
});

describe('which steps are in scope', () => {
  it('--from: the section and everything after it, in document order; the rest recorded "not in scope"', () => {
    const scope = scoped(RUNBOOK, { from: 're-check' });
    expect([...scope.inScope].sort()).toEqual(['again', 'none', 'report']);
    expect(Object.fromEntries(scope.outOfScope)).toEqual({
      top: 'not in scope (--from "Re-check")',
      stuck: 'not in scope (--from "Re-check")',
      order: 'not in scope (--from "Re-check")',
      go: 'not in scope (--from "Re-check")',
      mark: 'not in scope (--from "Re-check")',
    });
    expect(scope.record).toEqual({ from: 're-check' });
  });

  it('--only: the section and its sub-sections, not the sections after it', () => {
    const scope = scoped(RUNBOOK, { only: 'fix-stuck-orders' });
    expect([...scope.inScope].sort()).toEqual(['go', 'mark']);
    expect(scope.outOfScope.get('again')).toBe('not in scope (--only "Fix stuck orders")');
    expect(scope.record).toEqual({ only: 'fix-stuck-orders' });
    expect([...scoped(RUNBOOK, { only: 'shop' }).inScope]).toHaveLength(8);
  });

  it('pulls in the confirm that guards an in-scope side effect, and says why (the write keeps its guard)', () => {
    const scope = scoped(RUNBOOK, { from: 'apply' });
    expect([...scope.inScope].sort()).toEqual(['again', 'go', 'mark', 'none', 'report']);
    expect(scope.pulledIn).toEqual([{ id: 'go', why: 'it guards `mark`, which is in scope' }]);
    expect(scope.outOfScope.has('go')).toBe(false);
  });

  it('does not refuse a step for reading a confirm that another step in scope pulls in', () => {
    const source = RUNBOOK.replace(':::\n\n## Re-check', ':::\n\n::note[by {{ go.by }}]{#who}\n\n## Re-check');
    const scope = scoped(source, { only: 'apply' });
    expect([...scope.inScope].sort()).toEqual(['go', 'mark', 'who']);
  });

  it('pulls in a confirm that guards by its answer (when="go.answer") from another section', () => {
    const source = RUNBOOK.replace('### Apply', '## Apply').replace(
      ':::sql{#mark target=db}',
      ':::sql{#mark target=db when="go.answer"}',
    );
    const scope = scoped(source, { only: 'apply' });
    expect([...scope.inScope].sort()).toEqual(['go', 'mark']);
  });
});

describe('what an in-scope step needs from outside the scope', () => {
  const reads = RUNBOOK.replace(
    '::note[Done]{#report}',
    '::note[Was {{ stuck.rowCount }}, order {{ order.value }}]{#report}',
  );

  it('is an error at the reading step, naming what it reads and where to start instead', () => {
    const found = problems(reads, { from: 're-check' });
    expect(found).toEqual([
      {
        message:
          '`report` reads `stuck` (`stuck.rowCount`), which --from "Re-check" leaves out: it stands under "Check orders" (line 10) and would not run',
        hint: 'start at its section (--from check-orders)',
        at: { file: 'rb.md', line: 36, column: 1 },
      },
      {
        message:
          '`report` reads `order` (`order.value`), which --from "Re-check" leaves out: it stands under "Check orders" (line 10) and would not run',
        hint: 'start at its section (--from check-orders), or give `order` its answer in --answers (order: ...)',
        at: { file: 'rb.md', line: 36, column: 1 },
      },
    ]);
  });

  it('pulls in an input step whose answer is given, and keeps the one that is not an error', () => {
    const found = problems(reads, { from: 're-check' }, ['order']);
    expect(found.map((p) => p.message)).toEqual([expect.stringMatching(/^`report` reads `stuck`/)]);
    const source = reads.replace('{{ stuck.rowCount }}', 'n/a');
    const scope = scoped(source, { from: 're-check' }, ['order']);
    expect(scope.pulledIn).toEqual([{ id: 'order', why: '`report` reads its answer, which --answers gives' }]);
    expect(scope.record).toEqual({ from: 're-check', answered: ['order'] });
    // An answer for a step that is no gate supplies nothing: a query's result cannot be answered.
    expect(problems(reads, { from: 're-check' }, ['order', 'stuck'])).toHaveLength(1);
  });

  it('follows a pulled-in confirm: what it reads must be in scope too', () => {
    const source = RUNBOOK.replace(
      '::confirm[Mark them failed?]{#go}',
      '::confirm[Mark {{ stuck.rowCount }} failed?]{#go}',
    );
    const [problem] = problems(source, { from: 'apply' });
    expect(problem!.message).toBe(
      '`go` (run because it guards `mark`, which is in scope) reads `stuck` (`stuck.rowCount`), which --from "Apply" leaves out: it stands under "Check orders" (line 10) and would not run',
    );
    expect(problem!.at).toEqual({ file: 'rb.md', line: 18, column: 1 });
  });

  it('counts needs= and a wait re-running a step, and a step above the first heading', () => {
    const source = `# T\n\n::sql{#first target=db query="SELECT 1"}\n\n## Later\n\n::note[x]{#x needs=first}\n\n::wait{#w step=first until="first.rowCount > 0" every=100ms}\n`;
    const withTarget = `---\ntargets:\n  db: { kind: sqlite, path: ./x.db }\n---\n\n${source.replace('# T\n\n', '')}`;
    const found = problems(withTarget, { from: 'later' });
    expect(found.map((p) => [p.message, p.hint])).toEqual([
      [
        '`x` needs `first`, which --from "Later" leaves out: it stands above the first heading and would not run',
        'run the whole runbook',
      ],
      [
        '`w` reads `first` (`first.rowCount`), which --from "Later" leaves out: it stands above the first heading and would not run',
        'run the whole runbook',
      ],
    ]);
  });

  it('reads conditions of if regions too', () => {
    const source = RUNBOOK.replace(
      '## Report\n\n::note[Done]{#report}',
      '## Report\n\n::::if{that="stuck.rowCount > 0"}\n::note[Done]{#report}\n::::',
    );
    expect(problems(source, { only: 'report' }).map((p) => p.message)).toEqual([
      expect.stringMatching(/^`report` reads `stuck` \(`stuck.rowCount`\)/),
    ]);
  });
});

describe('resume', () => {
  it('rebuilds the scope a run recorded, with the gates it answered', () => {
    const source = RUNBOOK.replace('::note[Done]{#report}', '::note[order {{ order.value }}]{#report}');
    const { document, graph } = checked(source);
    const first = runScope(document, graph, { from: 're-check' }, { answerable: new Set(['order']) });
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    const again = recordedScope(document, graph, first.scope.record);
    expect(again.ok && [...again.scope.inScope].sort()).toEqual([...first.scope.inScope].sort());
  });
});

describe('a real run on SQLite', () => {
  const tmp = scratch('scope-run');
  const seed = (): void => {
    const db = new Database(tmp.path('shop.db'));
    db.exec(
      "DROP TABLE IF EXISTS orders; CREATE TABLE orders (id INTEGER, status TEXT); INSERT INTO orders VALUES (1, 'PROCESSING'), (2, 'PAID');",
    );
    db.close();
  };
  const statuses = (): string[] => {
    const db = new Database(tmp.path('shop.db'), { readonly: true });
    const rows = db.prepare('SELECT status FROM orders ORDER BY id').all() as { status: string }[];
    db.close();
    return rows.map((r) => r.status);
  };
  const events = (stdout: string): RunEvent[] =>
    stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as RunEvent);
  const finished = (list: RunEvent[]) =>
    Object.fromEntries(
      list.flatMap((e) =>
        e.type === 'step.finished'
          ? [[e.data.stepId, e.data.status === 'skipped' ? e.data.reason : e.data.status]]
          : [],
      ),
    );

  it('--from skips the earlier steps, recorded "not in scope", and runs the rest with its guarding confirm', () => {
    seed();
    const file = tmp.write('rb.md', RUNBOOK);
    const store = tmp.path('store.db');
    const result = stepwise(['run', file, '--json', '--yes', '--from', 'Apply', '--store', store], { cwd: tmp.dir });
    expect(result.stderr).toContain(
      'stepwise: `go` runs although it is outside the scope: it guards `mark`, which is in scope',
    );
    expect(result.code).toBe(0);
    const list = events(result.stdout);
    const started = list[0]!;
    expect(started.type === 'run.started' && started.data.scope).toEqual({ from: 'apply' });
    expect(finished(list)).toEqual({
      top: 'not in scope (--from "Apply")',
      stuck: 'not in scope (--from "Apply")',
      order: 'not in scope (--from "Apply")',
      go: 'passed',
      mark: 'passed',
      again: 'passed',
      none: 'passed',
      report: 'passed',
    });
    expect(list.some((e) => e.type === 'step.started' && ['top', 'stuck', 'order'].includes(e.data.stepId))).toBe(
      false,
    );
    expect(list.find((e) => e.type === 'note.added')?.data).toMatchObject({
      stepId: 'go',
      text: 'runs outside the scope: it guards `mark`, which is in scope',
    });
    expect(statuses()).toEqual(['FAILED', 'PAID']);
  });

  it('refuses before anything runs when an in-scope step needs a result left out: no write, no transcript', () => {
    seed();
    const file = tmp.write(
      'reads.md',
      RUNBOOK.replace('::note[Done]{#report}', '::note[was {{ stuck.rowCount }}]{#report}'),
    );
    const store = tmp.path('refused.db');
    const result = stepwise(['run', file, '--headless', '--yes', '--from', 'apply', '--store', store], {
      cwd: tmp.dir,
    });
    expect(result.code).toBe(4);
    expect(result.stderr).toContain(
      `${file}:36:1: error: \`report\` reads \`stuck\` (\`stuck.rowCount\`), which --from "Apply" leaves out`,
    );
    expect(result.stderr).toContain('hint: start at its section (--from check-orders)');
    expect(result.stdout).toBe('');
    expect(statuses()).toEqual(['PROCESSING', 'PAID']);
    expect(stepwise(['runs', '--store', store], { cwd: tmp.dir }).code).toBe(2);
  });

  it('runs an input step left out when --answers gives its answer', () => {
    seed();
    const file = tmp.write(
      'order.md',
      RUNBOOK.replace('::note[Done]{#report}', '::note[order {{ order.value }}]{#report}'),
    );
    const answers = tmp.write('answers.yaml', 'order: "42"\n');
    const result = stepwise(
      ['run', file, '--json', '--only', 'report', '--answers', answers, '--store', tmp.path('answers.db')],
      { cwd: tmp.dir },
    );
    expect(result.code).toBe(0);
    const list = events(result.stdout);
    expect(list[0]!.type === 'run.started' && list[0]!.data.scope).toEqual({ only: 'report', answered: ['order'] });
    expect(list.find((e) => e.type === 'input.answered')?.data).toMatchObject({
      stepId: 'order',
      value: '42',
      via: 'answers-file',
    });
    expect(finished(list)).toMatchObject({
      order: 'passed',
      report: 'passed',
      stuck: 'not in scope (--only "Report")',
    });
    const notes = list.flatMap((e) => (e.type === 'note.added' ? [e.data] : []));
    expect(notes.find((n) => n.stepId === 'report')?.text).toBe('order 42');
    expect(statuses()).toEqual(['PROCESSING', 'PAID']);
  });
});
