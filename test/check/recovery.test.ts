/**
 * A line meant as a step directive that does not parse is one error, at the column where it goes
 * wrong, and parsing resumes at the next line: the steps written after it are still found.
 */
import { describe, expect, it } from 'vitest';
import type { Nodes, Root } from 'mdast';
import { checkSource } from '../../engine/check/check.js';
import { parseMarkdown } from '../../engine/document/markdown.js';
import { findMalformedLines, type MalformedLine } from '../../engine/document/recover.js';
import { seededRandom } from '../helpers/generate.js';

const FM = `---
targets:
  api: { kind: http, base: "http://127.0.0.1:8000" }
---
`; // 4 lines: the body starts at line 5

const check = (body: string) => checkSource(`${FM}${body}`, '/tmp/recovery.md');
const found = (body: string) => {
  const { diagnostics, document } = check(body);
  return {
    errors: diagnostics
      .filter((d) => d.severity === 'error')
      .map((d) => `${d.span.start.line}:${d.span.start.column} ${d.rule}: ${d.message}`),
    steps: document.steps.map((s) => s.id),
  };
};

const FOLLOWING = '::http{#a target=api path=/a}\n::http{#b target=api path=/b}\n::http{#c target=api path=/c}\n';

describe('a malformed directive line is one error, and the steps after it are found', () => {
  it.each([
    [
      'an unquoted value holding `?` and `=`',
      '::http{#slow target=api path=/slow?s=20 expect=200}',
      37,
      /`=` cannot stand in the unquoted value of `path` \(column 37\)/,
    ],
    ['an unclosed `{`', '::http{#slow target=api path=/slow', 7, /the `\{` is not closed on this line \(column 7\)/],
    [
      'an unclosed double quote',
      '::http{#slow target=api path="/slow expect=200}',
      30,
      /the double quote opened here for `path` is not closed on this line \(column 30\)/,
    ],
    ['an unclosed single quote', "::http{#slow target=api path='/slow}", 30, /single quote/],
    ['an unclosed label', '::http[Slow request{#slow target=api path=/slow}', 7, /the label's `\[` is not closed/],
    [
      'text after the closing brace',
      '::http{#slow target=api path=/slow} and then some',
      37,
      /text after the directive: `and then some`/,
    ],
    ['a space before the attributes', '::http {#slow target=api path=/slow}', 7, /no space may stand before `\{`/],
    ['`\\"` written as an escape', '::http{#slow target=api path="/a \\"b\\"" }', 34, /`\\"` does not escape a quote/],
  ])('%s', (_name, line, column, message) => {
    const { errors, steps } = found(`\n${line}\n${FOLLOWING}\n::note[after]{#after}\n`);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      new RegExp(`^6:${column} malformed-directive: this line looks like a \`http\` step but is not a valid directive`),
    );
    expect(errors[0]).toMatch(message);
    expect(steps).toEqual(['a', 'b', 'c', 'after']);
  });

  it('a malformed line inside a paragraph (after text) is found too, and ends that paragraph', () => {
    const { errors, steps } = found(
      `\nCall the slow endpoint, then the others:\n::http{#slow target=api path=/slow?s=20}\n${FOLLOWING}`,
    );
    expect(errors).toEqual([
      expect.stringMatching(/^7:37 malformed-directive: .*`=` cannot stand in the unquoted value of `path`/),
    ]);
    expect(steps).toEqual(['a', 'b', 'c']);
  });

  it('in a list item and a block quote, each malformed line is one error at its own column', () => {
    const body = `\n1. Call it:\n   ::http{#slow target=api path=/slow?s=20}\n   ::http{#d target=api path=/d}\n\n> ::http{#q target=api path=/q?s=1}\n> ::http{#r target=api path=/r}\n`;
    const { errors, steps } = found(body);
    expect(errors).toEqual([
      expect.stringMatching(/^7:40 malformed-directive/),
      expect.stringMatching(/^10:33 malformed-directive/),
    ]);
    expect(steps).toEqual(['d', 'r']);
  });

  it('several malformed lines in a row are one error each', () => {
    const { errors, steps } = found(
      `\n::http{#x target=api path=/x?a=1}\n::http{#y target=api path="/y}\n::http{#z target=api path=/z}\n`,
    );
    expect(errors.map((e) => e.split(' ')[0])).toEqual(['6:31', '7:27']);
    expect(steps).toEqual(['z']);
  });

  it('a malformed container opening: one error, its closing fence does not end the region around it', () => {
    const body = `
::::if{that="true"}
:::http{#slow target=api expect=200?x=1}
\`\`\`http
GET /slow
\`\`\`
:::

::http{#inside target=api path=/in}
::::

::http{#outside target=api path=/out}
`;
    const { diagnostics, document } = check(body);
    expect(diagnostics.map((d) => `${d.span.start.line}:${d.span.start.column} ${d.rule}`)).toEqual([
      '7:38 malformed-directive',
    ]);
    expect(document.steps.map((s) => [s.id, s.conditions.map((c) => c.source)])).toEqual([
      ['inside', ['true']],
      ['outside', []],
    ]);
    // Its text stays in the document as prose.
    const prose = document.blocks.flatMap((b) => (b.type === 'if' ? b.blocks : [b])).filter((b) => b.type === 'prose');
    expect(prose.map((b) => (b.type === 'prose' ? b.markdown : '')).join('\n')).toContain(
      ':::http{#slow target=api expect=200?x=1}',
    );
  });

  it('names close to a step kind are recovered the same way', () => {
    const { errors, steps } = found(`\n::htp{#slow target=api path=/slow?s=20}\n${FOLLOWING}`);
    expect(errors).toEqual([expect.stringMatching(/^6:36 malformed-directive: this line looks like a `http` step/)]);
    expect(steps).toEqual(['a', 'b', 'c']);
  });
});

describe('quotes inside attribute values', () => {
  it('a character reference puts either kind of quote in a value, and what follows it keeps its column', () => {
    const source = `::set{#a s="'it'" d='"hi"' both="&quot;x&quot; + &#39;y&#39;"}\n\n::shell{#s readonly run="echo &quot;{{ a.s }}&quot; {{ a.d }}"}\n`;
    const { diagnostics, document } = checkSource(source, '/tmp/quotes.md');
    expect(diagnostics).toEqual([]);
    expect(document.steps[0]!.raw.map((a) => [a.name, a.value])).toEqual([
      ['id', 'a'],
      ['s', "'it'"],
      ['d', '"hi"'],
      ['both', `"x" + 'y'`],
    ]);
    const run = document.steps[1]!.attributes.run;
    if (run?.type !== 'template') throw new Error('run is a template');
    expect(run.template.source).toBe('echo "{{ a.s }}" {{ a.d }}');
    const spans = run.template.parts.flatMap((p) => (p.type === 'expr' ? [p.expression.span] : []));
    expect(spans.map((span) => source.slice(span.start.offset, span.end.offset))).toEqual(['a.s', 'a.d']);
  });
});

describe('malformed lines are looked for only where a line starts with two colons', () => {
  /** findMalformedLines as it was, matching HEAD against every line of every paragraph. */
  function referenceMalformed(tree: Root, text: string, isStepName: (name: string) => boolean): MalformedLine[] {
    const HEAD = /^(:{2,})([^\s\p{P}\p{S}][\w-]*)/u;
    const out: MalformedLine[] = [];
    const stack: Nodes[] = [tree];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node.type === 'paragraph') {
        if (node.data && 'directiveLabel' in node.data && node.data.directiveLabel) continue;
        const from = node.position!.start.offset!;
        const to = node.position!.end.offset!;
        let lineStart = from;
        let contentStart = from;
        while (lineStart < to) {
          const newline = text.indexOf('\n', lineStart);
          const lineEnd = newline === -1 ? text.length : newline;
          const end = text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd;
          const m = HEAD.exec(text.slice(contentStart, end));
          if (m && isStepName(m[2]!)) out.push({ start: contentStart, end, name: m[2]!, colons: m[1]!.length });
          if (newline === -1) break;
          lineStart = newline + 1;
          contentStart = lineStart;
          while (
            contentStart < to &&
            (text[contentStart] === ' ' || text[contentStart] === '\t' || text[contentStart] === '>')
          )
            contentStart++;
        }
        continue;
      }
      if ('children' in node) for (const child of node.children) stack.push(child as Nodes);
    }
    return out.sort((a, b) => a.start - b.start);
  }

  it('finds what matching every line found', () => {
    const random = seededRandom(29);
    const pieces = [
      'text',
      '::http{path=/x?a=1}',
      ':::http{',
      '::',
      ':',
      '::a',
      ' ::http[',
      '> ::http{',
      '>',
      '- ::shell{',
      '::é',
      ':::',
      '',
      '',
    ];
    let found = 0;
    for (let k = 0; k < 1500; k++) {
      const lines = Array.from({ length: 1 + random(12) }, () => pieces[random(pieces.length)]!);
      const text = lines.join(random(3) === 0 ? '\r\n' : '\n');
      const tree = parseMarkdown(text);
      const all = () => true;
      const expected = referenceMalformed(tree, text, all);
      expect(findMalformedLines(tree, text, all), JSON.stringify(text)).toEqual(expected);
      found += expected.length;
    }
    expect(found).toBeGreaterThan(500);
  });
});
