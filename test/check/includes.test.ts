/**
 * Parameterised includes (`::include{src= as= with= target=}`) as the parser, the graph and
 * `check` see them, over real files in a temporary folder: one shared health.md serving several
 * services, and each kind of bad input reported at the including line and column.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../engine/check/check.js';
import type { Diagnostic } from '../../engine/document/diagnostic.js';
import { splitPairs } from '../../engine/document/include-pairs.js';
import { boundIncludes } from '../../engine/document/include-scopes.js';
import { stepwise } from '../helpers/cli.js';
import { scratch } from '../helpers/scratch.js';

const files = scratch('check-includes');

const HEALTH = `---
targets:
  api: { kind: http, base: "http://127.0.0.1:1" }
inputs:
  service: { type: string, description: the service's name }
  path: { type: string, default: health }
  expect_status: { type: number, default: 200 }
  tier: { type: choice, options: [gold, silver] , default: silver }
---

# Health of {{ inputs.service }}

::http{#health target=api path="/{{ inputs.path }}"}

::assert[{{ inputs.service }} answers]{#up that="health.status == inputs.expect_status"}
`;
files.write('health.md', HEALTH);

const MAIN_FM = `---
targets:
  gw: { kind: http, base: "http://127.0.0.1:8101" }
  billing: { kind: http, base: "http://127.0.0.1:8102" }
  db: { kind: sqlite, path: ./shop.db }
inputs:
  gw_path: { type: string, default: healthz }
---
`; // 8 lines: the body starts at line 9

/** Checks `body` (after the frontmatter) as main.md beside the shared health.md. */
function check(body: string, name = 'main.md'): { diagnostics: Diagnostic[]; result: ReturnType<typeof checkSource> } {
  const path = files.write(name, `${MAIN_FM}\n${body}`);
  const result = checkSource(readFileSync(path, 'utf8'), path);
  return { diagnostics: result.diagnostics, result };
}

const where = (d: Diagnostic) => ({ rule: d.rule, line: d.span.start.line, column: d.span.start.column });
/** The column where `needle` starts in `line` (the `n`th time it occurs, from 1). */
const col = (line: string, needle: string, n = 1): number => {
  let at = -1;
  for (let i = 0; i < n; i++) at = line.indexOf(needle, at + 1);
  if (at === -1) throw new Error(`${needle} is not in ${line}`);
  return at + 1;
};

describe('parameterised includes', () => {
  it('one health.md serves three services: ids under each `as`, inputs bound per include, targets mapped', () => {
    const { diagnostics, result } = check(
      [
        '::include{src=health.md as=gateway with="service=gateway path={{ inputs.gw_path }}" target=gw}',
        '::include{src=health.md as=billing with="service=billing expect_status=204 tier=gold" target=billing}',
        '::include{src=./health.md as=search with="service=\'search api\'" target="api=gw"}',
        '::assert[all up]{that="gateway.up.passed && billing.up.passed && search.up.passed"}',
      ].join('\n\n'),
    );
    expect(diagnostics).toEqual([]);
    const nodes = new Map(result.graph.nodes.map((n) => [n.id, n]));
    expect([...nodes.keys()]).toEqual([
      'gateway.health',
      'gateway.up',
      'billing.health',
      'billing.up',
      'search.health',
      'search.up',
      'assert-all-up',
    ]);
    expect(nodes.get('gateway.health')!.target).toBe('gw');
    expect(nodes.get('billing.health')!.target).toBe('billing');
    expect(nodes.get('search.health')!.target).toBe('gw');
    // Bound inputs and mapped targets stay the include's own; what is left unbound joins this runbook's.
    const fm = result.document.frontmatter;
    expect(Object.keys(fm.inputs).sort()).toEqual(['expect_status', 'gw_path', 'path', 'tier']);
    expect(Object.keys(fm.targets).sort()).toEqual(['billing', 'db', 'gw']);
    const bound = boundIncludes(result.document.blocks).map(({ binding }) => ({
      scope: binding.scope,
      inputs: binding.inputs.map((b) => `${b.name}=${b.value.source}`),
      targets: binding.targets,
    }));
    expect(bound).toEqual([
      { scope: 'gateway', inputs: ['service=gateway', 'path={{ inputs.gw_path }}'], targets: { api: 'gw' } },
      {
        scope: 'billing',
        inputs: ['service=billing', 'expect_status=204', 'tier=gold'],
        targets: { api: 'billing' },
      },
      { scope: 'search', inputs: ['service=search api'], targets: { api: 'gw' } },
    ]);
  });

  it('an unknown input name in `with` is an error at its column, with a did-you-mean', () => {
    const line = '::include{src=health.md as=gw with="service=gw prot=1 servce=x" target=gw}';
    const { diagnostics } = check(`${line}\n`);
    expect(diagnostics.map(where)).toEqual([
      { rule: 'include-unknown-input', line: 10, column: col(line, 'prot') },
      { rule: 'include-unknown-input', line: 10, column: col(line, 'servce') },
    ]);
    expect(diagnostics[0]!.message).toBe('the included runbook declares no input `prot`');
    expect(diagnostics[0]!.hint).toBe('its inputs: service, path, expect_status, tier');
    expect(diagnostics[1]!.message).toBe('the included runbook declares no input `servce`; did you mean `service`?');
  });

  it('a required input neither bound nor declared here is an error at the include line', () => {
    const { diagnostics } = check('Text.\n\n::include{src=health.md as=gw with="path=x" target=gw}\n');
    expect(diagnostics.map(where)).toEqual([{ rule: 'include-missing-input', line: 12, column: 1 }]);
    expect(diagnostics[0]!.message).toBe(
      "the included runbook needs input `service`, which this include does not bind (the service's name)",
    );
    expect(diagnostics[0]!.hint).toMatch(/add service=\.\.\. to `with`, or declare `service` under this runbook's/);
  });

  it('a required input this runbook declares itself is asked for, not an error', () => {
    const path = files.write(
      'declares.md',
      `---\ntargets:\n  gw: { kind: http, base: "http://127.0.0.1:8101" }\ninputs:\n  service: { type: string, description: the service's name }\n---\n\n::include{src=health.md as=gw with="path=x" target=gw}\n`,
    );
    expect(checkSource(readFileSync(path, 'utf8'), path).diagnostics).toEqual([]);
  });

  it('a plain include (no `with`) keeps merging the included inputs, required ones too', () => {
    const { diagnostics, result } = check('::include{src=health.md as=gw target=gw}\n');
    expect(diagnostics).toEqual([]);
    expect(result.document.frontmatter.inputs.service?.required).toBe(true);
  });

  it('`target=` naming a target this runbook does not declare is an error at the name, with a did-you-mean', () => {
    const line = '::include{src=health.md as=gw with="service=gw" target=biling}';
    const { diagnostics } = check(`${line}\n`);
    expect(diagnostics.map(where)).toEqual([{ rule: 'include-target', line: 10, column: col(line, 'biling') }]);
    expect(diagnostics[0]!.message).toBe('this runbook declares no target `biling`; did you mean `billing`?');
    const mappedLine = '::include{src=health.md as=gw with="service=gw" target="api=nope"}';
    const mapped = check(`${mappedLine}\n`, 'mapped.md');
    expect(mapped.diagnostics.map(where)).toEqual([
      { rule: 'include-target', line: 10, column: col(mappedLine, 'nope') },
    ]);
    const theirsLine = '::include{src=health.md as=gw with="service=gw" target="apu=gw"}';
    const theirs = check(`${theirsLine}\n`, 'theirs.md');
    expect(theirs.diagnostics.map(where)).toEqual([
      { rule: 'include-target', line: 10, column: col(theirsLine, 'apu') },
    ]);
    expect(theirs.diagnostics[0]!.message).toBe('the included runbook declares no target `apu`; did you mean `api`?');
  });

  it('an http target bound to a sqlite one is an error: the kinds must agree', () => {
    const line = '::include{src=health.md as=gw with="service=gw" target=db}';
    const { diagnostics } = check(`${line}\n`);
    expect(diagnostics.map(where)).toEqual([{ rule: 'include-target', line: 10, column: col(line, 'db}') }]);
    expect(diagnostics[0]!.message).toBe("`db` is a sqlite target, but the included runbook's `api` is an http one");
  });

  it('a target left unmapped is shared by the run: its headers cannot read an input `with` binds', () => {
    files.write(
      'token.md',
      '---\ntargets:\n  api: { kind: http, base: "http://127.0.0.1:1", headers: { Authorization: "Bearer {{ inputs.token }}" } }\ninputs:\n  token: { type: secret }\n---\n\n::http{#me target=api path=/me}\n',
    );
    const { diagnostics } = check('::include{src=token.md as=t with="token={{ inputs.gw_path }}"}\n');
    const own = diagnostics.filter((d) => d.rule === 'include-target');
    expect(own.map(where)).toEqual([{ rule: 'include-target', line: 10, column: 1 }]);
    expect(own[0]!.message).toBe(
      "the included runbook's target `api` reads `inputs.token` in its headers, which `with` binds for this include only",
    );
    // Mapped to this runbook's target, its headers are this runbook's: nothing to report.
    const mapped = files.write(
      'token-main.md',
      '---\ntargets:\n  gw: { kind: http, base: "http://127.0.0.1:2" }\nsecrets: [API_KEY]\n---\n\n::include{src=token.md as=t with="token={{ secrets.API_KEY }}" target=gw}\n',
    );
    expect(checkSource(readFileSync(mapped, 'utf8'), mapped).diagnostics).toEqual([]);
  });

  it('the one-name form needs an included runbook with exactly one target', () => {
    files.write(
      'two.md',
      '---\ntargets:\n  a: { kind: http, base: "http://127.0.0.1:1" }\n  b: { kind: http, base: "http://127.0.0.1:2" }\n---\n\n::http{#x target=a path=/}\n',
    );
    const line = '::include{src=two.md as=two target=gw}';
    const { diagnostics } = check(`${line}\n`);
    expect(diagnostics.map(where)).toEqual([{ rule: 'include-target', line: 10, column: col(line, 'gw}') }]);
    expect(diagnostics[0]!.hint).toBe('map each: target="a=... b=..."');
  });

  it('literals are typed by the included declaration; a secret is never a literal', () => {
    files.write(
      'typed.md',
      '---\ninputs:\n  n: { type: number }\n  flag: { type: boolean, default: false }\n  tier: { type: choice, options: [gold, silver] }\n  code: { type: string, pattern: "^[A-Z]+$", default: X }\n  token: { type: secret, default: x }\n---\n\n::assert[n]{that="inputs.n > 0"}\n',
    );
    const line = '::include{src=typed.md as=t with="n=ten flag=maybe tier=bronze code=abc token=hunter2 n=2"}';
    const { diagnostics } = check(`${line}\n`);
    expect(diagnostics.map((d) => [d.rule, d.span.start.column])).toEqual([
      ['include-input-invalid', col(line, 'ten')],
      ['include-input-invalid', col(line, 'maybe')],
      ['include-input-invalid', col(line, 'bronze')],
      ['include-input-invalid', col(line, 'abc')],
      ['include-input-invalid', col(line, 'hunter2')],
      ['include-input-invalid', col(line, 'n=2')],
    ]);
    expect(diagnostics.map((d) => d.message)).toEqual([
      '`n=ten`: `ten` is not a number',
      '`flag=maybe`: `maybe` is not true or false',
      '`tier=bronze`: `bronze` is not one of gold, silver',
      '`code=abc`: `abc` does not match ^[A-Z]+$',
      '`token=hunter2`: a secret input is not written in the runbook; bind it to a secret: `{{ secrets.NAME }}`',
      '`with` binds `n` twice',
    ]);
  });

  it('a `with` placeholder reads only what exists when the run starts, declared here', () => {
    const line =
      '::include{src=health.md as=gw with="service={{ q.rows[0] }} path={{ inputs.nope }} tier={{ (}}" target=gw}';
    const { diagnostics } = check(`::sql{#q target=db query="select 1"}\n\n${line}\n`);
    expect(diagnostics.map(where)).toEqual([
      { rule: 'include-input-invalid', line: 12, column: col(line, 'q.rows') },
      { rule: 'include-input-invalid', line: 12, column: col(line, 'inputs.nope') },
      { rule: 'expression-syntax', line: 12, column: col(line, '(}}') + 1 },
    ]);
    expect(diagnostics[0]!.message).toMatch(/reads `q`: a `with` value is bound when the run starts/);
    expect(diagnostics[1]!.message).toMatch(/reads `inputs.nope`, which this runbook does not declare/);
  });

  it('included steps read their bound inputs; an input nobody declares is still unknown, in the included file', () => {
    const inc = files.write(
      'reads.md',
      '---\ninputs:\n  service: { type: string }\n---\n\n::assert[ok]{that="inputs.service != inputs.sevrice"}\n',
    );
    const { diagnostics } = check('::include{src=reads.md as=r with="service=gw"}\n');
    expect(diagnostics.map((d) => ({ ...where(d), file: d.file }))).toEqual([
      { rule: 'unknown-input', line: 6, column: 38, file: inc },
    ]);
  });

  it('an included runbook whose frontmatter is not YAML: its error alone, not every name `with` gives', () => {
    const broken = files.write('broken.md', '---\ninputs: [unclosed\n---\n\n::assert[x]{that="true"}\n');
    const { diagnostics } = check('::include{src=broken.md as=b with="service=gw" target=gw}\n');
    expect(diagnostics.map((d) => [d.rule, d.file])).toEqual([['frontmatter-yaml', broken]]);
  });

  it('two includes with the same `as` are an error at the second `as`', () => {
    const line = '::include{src=health.md as=gw with="service=b" target=gw}';
    const { diagnostics } = check(`::include{src=health.md as=gw with="service=a" target=gw}\n\n${line}\n`);
    expect(diagnostics.map(where)).toEqual([{ rule: 'include-invalid', line: 12, column: col(line, 'gw') }]);
    expect(diagnostics[0]!.message).toBe('`as=gw` is already the namespace of the include at line 10');
  });

  it('a malformed `with` is one error where it stops making sense', () => {
    const line = '::include{src=health.md as=gw with="service=a path:x" target=gw}';
    const { diagnostics } = check(`${line}\n`);
    expect(diagnostics.map(where)).toEqual([{ rule: 'include-invalid', line: 10, column: col(line, ':x') }]);
    expect(diagnostics[0]!.message).toBe('`with` of an include: expected `=` after `path`');
    const bare = check('::include{src=health.md as=gw with="service=a path" target=gw}\n', 'bare.md');
    expect(bare.diagnostics.map((d) => d.message)).toEqual(['`with` binds `path` to nothing']);
  });

  it('an include cycle of three files is an error at the include line that closes it, in its file', () => {
    const a = files.write('cycle-a.md', '# A\n\n::include{src=cycle-b.md as=b}\n');
    files.write('cycle-b.md', '# B\n\nText.\n\n::include{src=cycle-c.md as=c}\n');
    const c = files.write('cycle-c.md', '# C\n\n::assert[c]{that="true"}\n\n\n::include{src=./cycle-a.md as=a}\n');
    const { diagnostics } = checkSource(readFileSync(a, 'utf8'), a);
    expect(diagnostics.map((d) => ({ ...where(d), file: d.file }))).toEqual([
      { rule: 'include-cycle', line: 6, column: 15, file: c },
    ]);
    expect(diagnostics[0]!.message).toContain(
      `would include it again (${a} → ${files.path('cycle-b.md')} → ${c} → ${a})`,
    );
  });

  it('nested includes: an inner include binds from the inputs its own runbook was given', () => {
    files.write(
      'middle.md',
      '---\ntargets:\n  api: { kind: http, base: "http://127.0.0.1:1" }\ninputs:\n  name: { type: string }\n---\n\n::include{src=health.md as=inner with="service={{ inputs.name }}" target=api}\n',
    );
    const { diagnostics, result } = check('::include{src=middle.md as=mid with="name=gateway" target=gw}\n');
    expect(diagnostics).toEqual([]);
    expect(boundIncludes(result.document.blocks).map((b) => b.binding.scope)).toEqual(['mid', 'mid.inner']);
    expect(result.graph.nodes.find((n) => n.id === 'mid.inner.health')!.target).toBe('gw');
  });

  it('stepwise check prints each problem at file:line:col and exits 2', () => {
    const path = files.write('cli.md', `${MAIN_FM}\n::include{src=health.md as=gw with="servce=gw" target=nowhere}\n`);
    const r = stepwise(['check', '--no-cache', path]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(
      `${path}:10:1: error: the included runbook needs input \`service\`, which this include does not bind (the service's name) [include-missing-input]`,
    );
    expect(r.stdout).toContain(
      `${path}:10:37: error: the included runbook declares no input \`servce\`; did you mean \`service\`? [include-unknown-input]`,
    );
    expect(r.stdout).toContain(`${path}:10:55: error: this runbook declares no target \`nowhere\` [include-target]`);
  });
});

describe('splitPairs: the name=value pairs of `with` and `target`', () => {
  it.each([
    [
      'service=gateway port=8101',
      [
        ['service', 'gateway'],
        ['port', '8101'],
      ],
    ],
    [
      '  a=1   b=2 ',
      [
        ['a', '1'],
        ['b', '2'],
      ],
    ],
    [
      'path={{ inputs.base + "/x y" }} n=1',
      [
        ['path', '{{ inputs.base + "/x y" }}'],
        ['n', '1'],
      ],
    ],
    [
      "reason='disk full' ok=yes",
      [
        ['reason', 'disk full'],
        ['ok', 'yes'],
      ],
    ],
    ['api', [['api', undefined]]],
    [
      'db=main api=gw',
      [
        ['db', 'main'],
        ['api', 'gw'],
      ],
    ],
    ['', []],
  ])('%s', (text, expected) => {
    const split = splitPairs(text);
    expect(split.ok && split.pairs.map((p) => [p.name, p.value])).toEqual(expected);
  });

  it.each([
    ['a=1 =2', 4, '`=` cannot start a name'],
    ['a:1', 1, 'expected `=` after `a`'],
    ["a='open", 2, 'the value of `a` opens a quote it never closes'],
  ])('%s is refused at offset %i', (text, offset, reason) => {
    expect(splitPairs(text)).toEqual({ ok: false, offset, reason });
  });
});
