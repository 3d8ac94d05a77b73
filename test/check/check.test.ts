/**
 * `check` over a table of invalid runbooks: each problem is found, by the right rule, at the
 * right line and column. Valid runbooks and the plain seed runbooks pass.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../engine/check/check.js';

const FM = `---
targets:
  db: { kind: postgres, url: "postgres://postgres@127.0.0.1:5432/test" }
  api: { kind: http, base: "http://127.0.0.1:8000" }
inputs:
  max_age: { type: number, default: 30 }
secrets: [API_KEY]
---
`; // 8 lines: the body below starts at line 9

interface Expected {
  rule: string;
  line: number;
  column?: number;
  severity?: 'error' | 'warning';
  message?: RegExp;
}

const cases: [string, string, Expected[]][] = [
  [
    'unknown step directive, with a suggestion',
    `${FM}\n::sq{target=db query="select 1"}\n`,
    [{ rule: 'unknown-directive', line: 10, column: 1, message: /did you mean `sql`/ }],
  ],
  [
    'unknown container directive close to a kind',
    `${FM}\n:::shel\n\`\`\`\nls\n\`\`\`\n:::\n`,
    [{ rule: 'unknown-directive', line: 10, message: /`shell`/ }],
  ],
  [
    'container step without a code block',
    `${FM}\n:::sql{#a target=db}\nSELECT 1\n:::\n`,
    [{ rule: 'container-without-code', line: 10, column: 1 }],
  ],
  [
    'container with a missing closing fence swallows what follows',
    `${FM}\n:::sql{#a target=db}\n\`\`\`sql\nSELECT 1\n\`\`\`\n\n::confirm[Go?]\n`,
    [{ rule: 'container-extra-content', line: 15 }],
  ],
  ['leaf code step with nothing to run', `${FM}\n::shell{#a}\n`, [{ rule: 'missing-body', line: 10 }]],
  [
    'missing target with several candidates',
    `${FM.replace('  api:', '  db2: { kind: sqlite, path: x.db }\n  api:')}\n::sql{#a query="select 1"}\n`,
    [{ rule: 'missing-target', line: 11, message: /several \(db, db2\)/ }],
  ],
  [
    'missing target with none declared',
    `# T\n\n::sql{#a query="select 1"}\n`,
    [{ rule: 'missing-target', line: 3, column: 1 }],
  ],
  [
    'unknown target, with a suggestion',
    `${FM}\n::sql{#a target=dbb query="select 1"}\n`,
    [{ rule: 'unknown-target', line: 10, column: 17, message: /did you mean `db`/ }],
  ],
  [
    'target of the wrong kind',
    `${FM}\n::sql{#a target=api query="select 1"}\n`,
    [{ rule: 'target-kind', line: 10, column: 17 }],
  ],
  [
    'duplicate id',
    `${FM}\n::note[one]{#x}\n\n::note[two]{#x}\n`,
    [{ rule: 'duplicate-id', line: 12, message: /first used at line 10/ }],
  ],
  [
    'reference to an unknown step',
    `${FM}\n::sql{#stuck query="select 1"}\n\n::assert[ok]{that="stuk.rowCount == 0"}\n`,
    [{ rule: 'unknown-reference', line: 12, column: 20, message: /did you mean `stuck`/ }],
  ],
  [
    'reference to an unknown input',
    `${FM}\n::sql{#a query="select {{ inputs.max_agee }}"}\n`,
    [{ rule: 'unknown-input', line: 10, column: 27, message: /inputs\.max_age/ }],
  ],
  [
    'needs an unknown step',
    `${FM}\n::note[x]{#a needs="b,zz"}\n\n::note[y]{#b}\n`,
    [{ rule: 'unknown-reference', line: 10, column: 23 }],
  ],
  [
    'dependency cycle',
    `${FM}\n::set{#a x="b.y + 1"}\n\n::set{#b y="a.x + 1"}\n`,
    [{ rule: 'cycle', line: 10, message: /a → b/ }],
  ],
  ['cycle through needs', `${FM}\n::note[x]{#a needs=b}\n\n::note[y]{#b needs=a}\n`, [{ rule: 'cycle', line: 10 }]],
  [
    'invalid YAML frontmatter, at the YAML error line',
    `---\ntitle: x\ntargets:\n  db: { kind: postgres, url: "unterminated\n---\n\n# T\n\n::note[hi]\n`,
    [{ rule: 'frontmatter-yaml', line: 4 }],
  ],
  [
    'YAML: bad indentation',
    `---\ntitle: x\n  bad: indentation\n---\n\n::note[hi]\n`,
    [{ rule: 'frontmatter-yaml', line: 2 }],
  ],
  [
    'expression syntax error, at the expression',
    `${FM}\n::sql{#a query="select 1"}\n\n::assert[ok]{that="a.rowCount == "}\n`,
    [{ rule: 'expression-syntax', line: 12, column: 34 }],
  ],
  [
    'placeholder syntax error in a body',
    `${FM}\n:::sql{#a target=db}\n\`\`\`sql\nSELECT 1\nWHERE x = {{ inputs.max_age + }}\n\`\`\`\n:::\n`,
    [{ rule: 'expression-syntax', line: 13 }],
  ],
  [
    'writing SQL with no confirm before it',
    `${FM}\n:::sql{#fix target=db}\n\`\`\`sql\nUPDATE plans SET status = 'FAILED'\n\`\`\`\n:::\n`,
    [{ rule: 'write-without-confirm', line: 10, severity: 'warning' }],
  ],
  [
    'a confirm inside a skipped region does not guard a later write',
    `${FM}\n::::if{that="1 == 2"}\n::confirm[Go?]{#go}\n::::\n\n:::sql{#fix target=db}\n\`\`\`sql\nDELETE FROM t\n\`\`\`\n:::\n`,
    [{ rule: 'write-without-confirm', line: 14, severity: 'warning' }],
  ],
  [
    'a placeholder inside quotes in SQL',
    `${FM}\n:::sql{#a target=db}\n\`\`\`sql\nSELECT * FROM t WHERE name = '{{ inputs.max_age }}'\n\`\`\`\n:::\n`,
    [{ rule: 'placeholder-in-quotes', line: 12, severity: 'error' }],
  ],
  [
    'a placeholder inside a SQL comment',
    `${FM}\n:::sql{#a target=db}\n\`\`\`sql\nSELECT 1 -- for {{ inputs.max_age }}\n\`\`\`\n:::\n`,
    [
      {
        rule: 'placeholder-in-quotes',
        line: 12,
        severity: 'error',
        message: /inside a SQL comment, so it is never sent/,
      },
    ],
  ],
  [
    "COMMIT inside a sql script ends the step's own transaction",
    `${FM}\n:::sql{#a target=db script=true}\n\`\`\`sql\nUPDATE t SET a = 1;\nCOMMIT;\nSELECT 1\n\`\`\`\n:::\n`,
    [
      { rule: 'write-without-confirm', line: 10, severity: 'warning' },
      { rule: 'transaction-control', line: 10, message: /`COMMIT` in a sql step/ },
    ],
  ],
  [
    'BEGIN in a leaf sql step',
    `${FM}\n::sql{#a target=db query="begin"}\n`,
    [{ rule: 'transaction-control', line: 10, message: /`BEGIN`/ }],
  ],
  [
    'danger confirm without phrase',
    `${FM}\n::confirm[Drop it?]{#kill danger}\n`,
    [{ rule: 'danger-without-phrase', line: 10 }],
  ],
  [
    'undeclared secret in a step',
    `${FM}\n::shell{#a run="curl -H {{ secrets.TOKEN }} x"}\n`,
    [{ rule: 'undeclared-secret', line: 10, column: 28 }],
  ],
  [
    'undeclared secret in a target header',
    `---\ntargets:\n  api: { kind: http, base: "http://x", headers: { Authorization: "Bearer {{ secrets.OPS_KEY }}" } }\n---\n`,
    [{ rule: 'undeclared-secret', line: 3 }],
  ],
  [
    'unknown attribute warns with a suggestion',
    `${FM}\n::sql{#a target=db query="select 1" max_rows=5}\n`,
    [{ rule: 'unknown-attribute', line: 10, column: 37, severity: 'warning', message: /did you mean `max-rows`/ }],
  ],
  [
    'invalid attribute values',
    `${FM}\n::http{#a target=api path=/x timeout=soon expect=abc}\n`,
    [
      { rule: 'attribute-invalid', line: 10, column: 38 },
      { rule: 'attribute-invalid', line: 10, column: 50 },
    ],
  ],
  ['required attribute missing', `${FM}\n::assert[ok]\n`, [{ rule: 'missing-attribute', line: 10 }]],
  ['confirm without a question', `${FM}\n::confirm{#go}\n`, [{ rule: 'missing-label', line: 10 }]],
  [
    'malformed directive: unclosed attributes',
    `${FM}\n::sql{#a target=db\n`,
    [{ rule: 'malformed-directive', line: 10, column: 6, message: /the `\{` is not closed on this line \(column 6\)/ }],
  ],
  [
    'a directive no step kind is close to, carrying step attributes',
    `${FM}\n::frobnicate{#x target=db}\n`,
    [
      {
        rule: 'unknown-directive',
        line: 10,
        column: 1,
        message: /`frobnicate` is not a step kind, but it carries what only steps carry \(`#x`, `target`\)/,
      },
    ],
  ],
  [
    'a container no step kind is close to, carrying `run`',
    `${FM}\n:::restart{run="systemctl restart worker"}\n:::\n`,
    [{ rule: 'unknown-directive', line: 10, column: 1, message: /`run`/ }],
  ],
  [
    'a leaf directive carrying `that` or `when`',
    `${FM}\n::check[x]{that="1 == 1"}\n\n::ping{when="true"}\n`,
    [
      { rule: 'unknown-directive', line: 10 },
      { rule: 'unknown-directive', line: 12 },
    ],
  ],
  ['if without a condition', `${FM}\n::::if\n::note[x]\n::::\n`, [{ rule: 'missing-attribute', line: 10 }]],
  [
    'if condition with a syntax error',
    `${FM}\n::::if{that="a ==="}\n::note[x]\n::::\n`,
    [{ rule: 'expression-syntax', line: 10 }],
  ],
  [
    'unknown target kind in frontmatter',
    `---\ntargets:\n  db: { kind: postgress, url: "postgres://x" }\n---\n`,
    [{ rule: 'target-invalid', line: 3, message: /did you mean `postgres`/ }],
  ],
  ['unknown input type', `---\ninputs:\n  n: { type: integer }\n---\n`, [{ rule: 'input-invalid', line: 3 }]],
  ['include of a missing file', `${FM}\n::include{src=./nope.md}\n`, [{ rule: 'include-unreadable', line: 10 }]],
  [
    'wait on an unknown step',
    `${FM}\n::wait[x]{step=nothere until="true"}\n`,
    [{ rule: 'unknown-reference', line: 10 }],
  ],
  [
    'assignment in an expression',
    `${FM}\n::set{#a x="1"}\n\n::assert[ok]{that="a.x = 2"}\n`,
    [{ rule: 'expression-syntax', line: 12 }],
  ],
  ['undeclared env name', `${FM}\n::note[{{ env.HOME }}]\n`, [{ rule: 'undeclared-env', line: 10 }]],
  ['binary junk', 'abc\u0000\u0001\u0002', [{ rule: 'not-text', line: 1, column: 4 }]],
];

describe('check finds each problem at its place', () => {
  it.each(cases)('%s', (_name, source, expected) => {
    const { diagnostics } = checkSource(source, '/tmp/case.md');
    for (const want of expected) {
      const found = diagnostics.find(
        (d) =>
          d.rule === want.rule &&
          d.span.start.line === want.line &&
          (want.column === undefined || d.span.start.column === want.column),
      );
      expect(
        found,
        `${want.rule} at ${want.line}:${want.column ?? '*'} in:\n${diagnostics.map((d) => `${d.span.start.line}:${d.span.start.column} ${d.rule} ${d.message}`).join('\n')}`,
      ).toBeDefined();
      expect(found!.severity).toBe(want.severity ?? 'error');
      if (want.message) expect(found!.message).toMatch(want.message);
    }
  });
});

describe('valid runbooks pass', () => {
  it('a runbook using every step kind has no diagnostics', () => {
    const source = `${FM}
# Every kind

::http{#health target=api path=/health expect=200,204 retries=2 timeout=5s}

::assert[Healthy]{that='health.status == 200 && health.json.status == "ok"'}

:::sql{#stuck target=db max-rows=100}
\`\`\`sql
SELECT id FROM plans WHERE created_at < now() - make_interval(mins => {{ inputs.max_age }})
\`\`\`
:::

::input[Which plan?]{#plan type=choice options="{{ stuck.rows.map(r => r.id) }}"}

::confirm[Reset plan {{ plan.value }}?]{#go}

:::sql{#reset target=db}
\`\`\`sql
UPDATE plans SET status = 'FAILED' WHERE id = {{ plan.value }}
\`\`\`
:::

:::http{#notify target=api}
\`\`\`http
POST /events
Content-Type: application/json
Authorization: Bearer {{ secrets.API_KEY }}

{"plan": {{ JSON.stringify(plan.value) }}}
\`\`\`
:::

::::if{that="notify.status != 200"}
## Fallback
:::shell{#log timeout=10s}
\`\`\`bash
echo "notify failed for {{ plan.value }}"
\`\`\`
:::
::::

::wait[Plan settles]{step=stuck until="stuck.rowCount == 0" every=2s timeout=1m}

::set{#calc total="stuck.rowCount + 1"}

::note[Total {{ calc.total }} at {{ run.startedAt }} by {{ run.operator }}]

::confirm[Terminate?]{#kill danger phrase="terminate"}
`;
    const { diagnostics, graph } = checkSource(source, '/tmp/valid.md');
    expect(diagnostics).toEqual([]);
    expect(graph.nodes.map((n) => n.id)).toContain('reset');
    expect(graph.edges).toContainEqual(expect.objectContaining({ from: 'plan', to: 'reset', why: 'reference' }));
    expect(graph.order.indexOf('go')).toBeLessThan(graph.order.indexOf('reset'));
  });

  it('the example runbooks in runbooks/ pass', () => {
    const dir = join(import.meta.dirname, '../../runbooks');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.md') && f !== 'README.md')) {
      const path = join(dir, file);
      const errors = checkSource(readFileSync(path, 'utf8'), path).diagnostics.filter((d) => d.severity === 'error');
      expect(errors, file).toEqual([]);
    }
  });
});

describe('a fence that closes nothing', () => {
  it('warns in a runbook where an inner region closed the outer one early, at the stray line', () => {
    const source = [
      '# Nest',
      '',
      '::::if{that="true"}',
      '::::each{items="[1, 2]" as=n}',
      '::note[n {{ n }}]{#a}',
      '::::',
      '',
      '::note[meant to be in the if]{#b}',
      '::::',
      '',
    ].join('\n');
    const result = checkSource(source, '/tmp/nest.md');
    expect(result.diagnostics.map((d) => [d.rule, d.severity, d.span.start.line, d.span.start.column])).toEqual([
      ['stray-fence', 'warning', 9, 1],
    ]);
    // What it warns about: `b` left the region.
    expect(result.document.steps.find((s) => s.id === 'b')!.conditions).toEqual([]);
  });

  it('is quiet when the outer fence is longer, so each region closes where it should', () => {
    const source =
      '# Nest\n\n:::::if{that="true"}\n::::each{items="[1, 2]" as=n}\n::note[n {{ n }}]{#a}\n::::\n\n::note[in the if]{#b}\n:::::\n';
    const result = checkSource(source, '/tmp/nest.md');
    expect(result.diagnostics).toEqual([]);
    expect(result.document.steps.find((s) => s.id === 'b')!.conditions.map((c) => c.source)).toEqual(['true']);
  });
});

describe('plain Markdown is not an error', () => {
  const seeds = join(import.meta.dirname, '../../../shared/seeds');
  const files = (() => {
    try {
      return readdirSync(seeds).filter((f) => f.endsWith('.md'));
    } catch {
      return [];
    }
  })();

  if (files.length === 0) it.skip('seed runbooks: ../shared/seeds is not beside this checkout', () => {});

  it.each(files)('seed %s has no diagnostics', (file) => {
    const path = join(seeds, file);
    const { diagnostics, document } = checkSource(readFileSync(path, 'utf8'), path);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(document.steps).toEqual([]);
  });

  it.each([
    ['ports and images', 'Run `docker run image:latest` on localhost:8080, then std::vector<int>.\n'],
    ['colons in tables', '| a | b |\n|:--|--:|\n| x::y | :z: |\n'],
    ['a lone container fence in prose', 'Some text\n\n:::\n\nmore text :::\n'],
    ['directive-looking text inside code', '```\n::sql{target=db}\n:::shell\n```\n'],
    ['admonitions that are not steps', ':::warning\nCareful here.\n:::\n\n:::tip\nA tip.\n:::\n'],
    ['emoji shortcodes', 'Status :white_check_mark: and :x:\n'],
  ])('%s', (_name, source) => {
    expect(checkSource(source, '/tmp/plain.md').diagnostics).toEqual([]);
  });
});
