/**
 * `::::each` loops in the parser, the graph and `check`: the region's steps carry the loop, the
 * graph keeps the body together, and each mistake is reported by its rule at its place.
 */
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../engine/check/check.js';
import type { Diagnostic } from '../../engine/document/diagnostic.js';

const FM = `---
targets:
  db: { kind: sqlite, path: /tmp/loops-check.db }
inputs:
  port: { type: number, default: 7000 }
  ports: { type: string, default: "7000,7001" }
---
`; // 7 lines: the body below starts at line 8

const DLQ = `
::sql{#dlq target=db query="SELECT id FROM dlq"}
`; // lines 8-9: `dlq` stands at line 9

const check = (body: string) => checkSource(`${FM}${body}`, '/tmp/loops-case.md');
const shown = (ds: Diagnostic[]): string =>
  ds.map((d) => `${d.span.start.line}:${d.span.start.column} ${d.rule} ${d.message}`).join('\n');

interface Expected {
  rule: string;
  line: number;
  column?: number;
  severity?: 'error' | 'warning';
  message?: RegExp;
}

const cases: [string, string, Expected[]][] = [
  ['a leaf ::each', `\n::each{items="[1]" as=x}\n`, [{ rule: 'each-form', line: 9, column: 1, message: /container/ }]],
  [
    'an each without items',
    `\n::::each{as=x}\n::note[n]{#a}\n::::\n`,
    [{ rule: 'missing-attribute', line: 9, column: 1, message: /needs `items`/ }],
  ],
  [
    'an each without as',
    `\n::::each{items="[1]"}\n::note[n]{#a}\n::::\n`,
    [{ rule: 'missing-attribute', line: 9, message: /needs `as`/ }],
  ],
  [
    'an `as` that is not a name',
    `\n::::each{items="[1]" as=my-item}\n::note[n]{#a}\n::::\n`,
    [{ rule: 'each-name', line: 9, column: 25, message: /not a name/ }],
  ],
  [
    'an `as` that a scope name already has',
    `\n::::each{items="[1]" as=inputs}\n::note[n]{#a}\n::::\n`,
    [{ rule: 'each-name', line: 9, column: 25, message: /already use/ }],
  ],
  [
    'an `as` that is a step id',
    `${DLQ}\n::::each{items="dlq.rows" as=dlq}\n::note[n]{#a}\n::::\n`,
    [{ rule: 'each-name', line: 11, column: 30, message: /also a step id/ }],
  ],
  [
    'a max over 10,000',
    `\n::::each{items="[1]" as=x max=10001}\n::note[n]{#a}\n::::\n`,
    [{ rule: 'attribute-invalid', line: 9, column: 31, message: /from 1 to 10,000/ }],
  ],
  [
    'a max that is not a number',
    `\n::::each{items="[1]" as=x max=lots}\n::note[n]{#a}\n::::\n`,
    [{ rule: 'attribute-invalid', line: 9, column: 31, message: /`max=lots`/ }],
  ],
  [
    'an unknown attribute on each',
    `\n::::each{items="[1]" as=x maxx=3}\n::note[n]{#a}\n::::\n`,
    [{ rule: 'unknown-attribute', line: 9, column: 27, severity: 'warning' }],
  ],
  [
    'an each inside an each',
    `\n::::::each{items="[1]" as=x}\n::::each{items="[2]" as=y}\n::note[n]{#a}\n::::\n::::::\n`,
    [{ rule: 'each-form', line: 10, column: 1, message: /inside another/ }],
  ],
  [
    'items that is a literal number',
    `\n::::each{items="5" as=x}\n::note[n]{#a}\n::::\n`,
    [{ rule: 'each-items', line: 9, column: 17, message: /is the number/ }],
  ],
  [
    'items that is a literal string',
    `\n::::each{items="'a,b'" as=x}\n::note[n]{#a}\n::::\n`,
    [{ rule: 'each-items', line: 9, column: 17, message: /is the string/ }],
  ],
  [
    'items that is a number input',
    `\n::::each{items="inputs.port" as=x}\n::note[n]{#a}\n::::\n`,
    [{ rule: 'each-items', line: 9, column: 17, message: /a number input/ }],
  ],
  [
    'items that is a string input: the hint says how to split it',
    `\n::::each{items="inputs.ports" as=x}\n::note[n]{#a}\n::::\n`,
    [{ rule: 'each-items', line: 9, column: 17, message: /a string input/ }],
  ],
  [
    "items that is a step's whole result",
    `${DLQ}\n::::each{items="dlq" as=row}\n::note[n]{#a}\n::::\n`,
    [{ rule: 'each-items', line: 11, column: 17, message: /whole result of step `dlq`/ }],
  ],
  [
    'items reading an unknown step',
    `\n::::each{items="nope.rows" as=x}\n::note[n]{#a}\n::::\n`,
    [{ rule: 'unknown-reference', line: 9, column: 17 }],
  ],
  [
    'items that is not JavaScript',
    `\n::::each{items="dlq.rows[" as=x}\n::note[n]{#a}\n::::\n`,
    [{ rule: 'expression-syntax', line: 9 }],
  ],
  [
    'the item used outside its loop',
    `\n::::each{items="[1]" as=x}\n::note[n]{#a}\n::::\n\n::note[{{ x }}]{#b}\n`,
    [{ rule: 'unknown-reference', line: 13, column: 11 }],
  ],
  [
    'a body step read from outside as one result',
    `\n::::each{items="[1, 2]" as=x}\n::note[n {{ x }}]{#replay}\n::::\n\n::assert[ok]{that="replay.text == 'n 1'"}\n`,
    [
      {
        rule: 'loop-result-array',
        line: 13,
        column: 20,
        message: /outside the loop it is a list of results, so `replay.text` is undefined/,
      },
    ],
  ],
  [
    "another loop's items reading a body step as one result",
    `\n::::each{items="[1, 2]" as=x}\n::note[n {{ x }}]{#replay}\n::::\n\n::::each{items="replay.rows" as=y}\n::note[m]{#b}\n::::\n`,
    [{ rule: 'loop-result-array', line: 13, column: 17, message: /`replay\.rows` is undefined/ }],
  ],
  [
    'a body step reading a later body step: a cycle',
    `\n::::each{items="[1]" as=x}\n::note[{{ b.text }}]{#a}\n::note[n]{#b}\n::::\n`,
    [{ rule: 'cycle', line: 10 }],
  ],
];

describe('check reports each loop mistake at its place', () => {
  it.each(cases)('%s', (_name, body, expected) => {
    const { diagnostics } = check(body);
    for (const want of expected) {
      const found = diagnostics.find(
        (d) =>
          d.rule === want.rule &&
          d.span.start.line === want.line &&
          (want.column === undefined || d.span.start.column === want.column),
      );
      expect(found, `${want.rule} at ${want.line}:${want.column ?? '*'} in:\n${shown(diagnostics)}`).toBeDefined();
      expect(found!.severity).toBe(want.severity ?? 'error');
      if (want.message) expect(found!.message).toMatch(want.message);
    }
  });

  it('the hint for a body step read as one result says how to read it', () => {
    const { diagnostics } = check(
      `\n::::each{items="[1, 2]" as=x}\n::note[n {{ x }}]{#replay}\n::::\n\n::assert[ok]{that="replay.text == 'n 1'"}\n`,
    );
    const d = diagnostics.find((x) => x.rule === 'loop-result-array');
    expect(d?.hint).toMatch(/`replay\[i\]\.text`/);
  });
});

describe('a valid loop', () => {
  const body = `${DLQ}
## Replay

::confirm[Replay {{ dlq.rows.length }} letters?]{#go}

::::each{items="dlq.rows" as=letter max=50}
::note[letter {{ letter.id }} ({{ loop.index + 1 }} of {{ loop.count }})]{#replay}

::sql{#mark target=db query="UPDATE dlq SET done = 1 WHERE id = {{ letter.id }}"}
::::

::assert[all replayed]{that="replay.length == dlq.rowCount && mark.every(m => m.outcome == 'passed') && replay[0].text != null"}
`;

  it('has no diagnostics: the item, loop, this iteration and the lists after are all known', () => {
    const { diagnostics } = check(body);
    expect(shown(diagnostics)).toBe('');
  });

  it('its steps carry the loop; the graph holds each once, with the loop', () => {
    const { document, graph } = check(body);
    const replay = document.steps.find((s) => s.id === 'replay')!;
    expect(replay.loop).toMatchObject({ as: 'letter', max: 50 });
    expect(replay.loop!.items.source).toBe('dlq.rows');
    expect(replay.loop!.items.span.start).toMatchObject({ line: 15, column: 17 });
    expect(document.steps.find((s) => s.id === 'go')!.loop).toBeUndefined();
    expect(graph.nodes.filter((n) => n.id === 'replay')).toHaveLength(1);
    expect(graph.nodes.find((n) => n.id === 'mark')!.loop).toEqual({ items: 'dlq.rows', as: 'letter', max: 50 });
    expect(graph.nodes.find((n) => n.id === 'dlq')!.loop).toBeUndefined();
  });

  it("the graph: the items' step before the first body step, the body in order, readers after the last", () => {
    const { graph } = check(body);
    const edge = (from: string, to: string) => graph.edges.find((e) => e.from === from && e.to === to);
    expect(edge('dlq', 'replay')?.why).toBe('reference');
    expect(edge('replay', 'mark')).toBeDefined();
    expect(edge('mark', 'assert-all-replayed')).toBeDefined();
    expect(graph.order).toEqual(['dlq', 'go', 'replay', 'mark', 'assert-all-replayed']);
  });

  it('the confirm before the loop guards the write in it', () => {
    const { graph } = check(body);
    expect(graph.nodes.find((n) => n.id === 'mark')!.guardedBy).toEqual(['go']);
  });

  it('a confirm inside a loop guards only the steps of its loop', () => {
    const { graph, diagnostics } = check(`
## Restart

::::each{items="[7000, 7001]" as=port}
::confirm[Restart {{ port }}?]{#one}

::shell{#restart run="echo {{ port }}"}
::::

::shell{#after run="echo done"}
`);
    expect(graph.nodes.find((n) => n.id === 'restart')!.guardedBy).toEqual(['one']);
    expect(graph.nodes.find((n) => n.id === 'after')!.guardedBy).toEqual([]);
    expect(diagnostics.filter((d) => d.rule === 'write-without-confirm').map((d) => d.span.start.line)).toEqual([17]);
  });

  it('steps of a loop are in the outline under their heading', () => {
    const { document } = check(body);
    expect(document.outline.find((s) => s.title === 'Replay')!.steps).toEqual([
      'go',
      'replay',
      'mark',
      'assert-all-replayed',
    ]);
  });

  it('steps an include brings into a loop are steps of that loop', () => {
    const files: Record<string, string> = { '/tmp/common.md': '# Common\n\n::note[checking]{#check}\n' };
    const { document, graph, diagnostics } = checkSource(
      `# Main\n\n::::each{items="['a', 'b']" as=name}\n::note[for {{ name }}]{#say}\n\n::include{src=./common.md as=common}\n::::\n\n::assert[ok]{that="common.check.length == 2"}\n`,
      '/tmp/main.md',
      (path) => files[path]!,
    );
    expect(shown(diagnostics)).toBe('');
    const check = document.steps.find((s) => s.id === 'common.check')!;
    expect(check.loop?.file).toBe('/tmp/main.md');
    expect(document.steps.find((s) => s.kind === 'include')!.loop).toBeUndefined();
    expect(graph.order).toEqual(['say', 'common.check', 'assert-ok']);
  });

  it("a second loop may walk the first one's results", () => {
    const { diagnostics, graph } = check(`
::::each{items="[1, 2]" as=x}
::note[n {{ x }}]{#first}
::::

::::each{items="first" as=result}
::note[again {{ result.text }}]{#second}
::::
`);
    expect(shown(diagnostics)).toBe('');
    expect(graph.edges.find((e) => e.from === 'first' && e.to === 'second')?.why).toBe('reference');
  });

  it('a step outside the loop that the loop reads runs before it, whatever its place', () => {
    const { graph, diagnostics } = check(`
::::each{items="[1]" as=x}
::note[{{ later.text }} {{ x }}]{#a}

::note[n]{#b}
::::

::note[later]{#later}
`);
    expect(shown(diagnostics)).toBe('');
    expect(graph.order.indexOf('later')).toBeLessThan(graph.order.indexOf('a'));
    expect(graph.edges.find((e) => e.from === 'later' && e.to === 'a')).toBeDefined();
  });
});
