/** No input crashes the parser or the graph: each gets clear diagnostics or a clean pass. */
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../engine/check/check.js';
import { bigProse, junk, manySteps, nestedIfs, nestedLists } from '../helpers/generate.js';

const check = (source: string) =>
  checkSource(source, '/tmp/robust.md', () => {
    throw Object.assign(new Error('no includes here'), { code: 'ENOENT' });
  });

describe('hostile and huge input', () => {
  it('an empty file passes', () => {
    expect(check('').diagnostics).toEqual([]);
  });

  it('binary junk without NUL bytes is prose, not a crash', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const result = check(junk(4096, seed));
      expect(result.diagnostics.every((d) => d.span.start.line >= 1)).toBe(true);
    }
  });

  it('5 MB of Markdown passes', () => {
    const result = check(bigProse(5 * 1024 * 1024));
    expect(result.diagnostics).toEqual([]);
    expect(result.document.blocks.length).toBeGreaterThan(0);
  }, 180_000);

  it('200 nested lists pass', () => {
    expect(check(nestedLists(200)).diagnostics).toEqual([]);
  });

  it('30 nested if regions give the innermost step every condition', () => {
    const result = check(nestedIfs(30));
    expect(result.diagnostics).toEqual([]);
    expect(result.document.steps[0]!.conditions).toHaveLength(30);
  });

  it('a long document is parsed in chunks without losing a step or shifting a position', () => {
    const head = bigProse(20_000);
    const source = `${head}\n::note[after the prose]{#late}\n\n${bigProse(20_000)}\n\n::::if{that="true"}\n\n${bigProse(9000)}\n\n::note[inside]{#inside}\n::::\n`;
    const result = check(source);
    expect(result.diagnostics).toEqual([]);
    const late = result.document.steps.find((s) => s.id === 'late')!;
    expect(source.slice(late.span.start.offset, late.span.end.offset)).toBe('::note[after the prose]{#late}');
    expect(late.span.start.line).toBe(head.split('\n').length + 1);
    expect(result.document.steps.find((s) => s.id === 'inside')!.conditions.map((c) => c.source)).toEqual(['true']);
  });

  it('a 10,000-step runbook parses into a linear-size graph', () => {
    const result = check(manySteps(5000));
    expect(result.diagnostics).toEqual([]);
    expect(result.graph.nodes).toHaveLength(10_000);
    expect(result.graph.edges.length).toBeLessThan(30_000);
    expect(result.graph.order).toHaveLength(10_000);
  });

  it.each([
    ['unterminated fence', '# T\n\n```sql\nSELECT 1\n'],
    ['unterminated container', '# T\n\n:::note\ntext\n'],
    ['unterminated attributes', '::note[x]{#a when="1 >\n'],
    ['unterminated label', '::note[x {#a}\n'],
    ['unterminated frontmatter', '---\ntitle: x\n'],
    ['unterminated placeholder', '::note[{{ 1 + ]\n'],
    ['lone braces', '::note[}} {{ }} {{]\n'],
  ])('%s: no crash', (_name, source) => {
    expect(() => check(source)).not.toThrow();
  });

  it('an unterminated placeholder is reported where it starts', () => {
    const result = check('# T\n\n::note[value {{ 1 + 2]\n');
    expect(result.diagnostics.map((d) => [d.rule, d.span.start.line])).toContainEqual(['expression-syntax', 3]);
  });

  it('CRLF line endings keep positions and bodies right', () => {
    const source =
      '---\r\ntargets:\r\n  db: { kind: sqlite, path: x.db }\r\n---\r\n\r\n:::sql{#a}\r\n```sql\r\nSELECT 1\r\n```\r\n:::\r\n\r\n::assert[ok]{that="a.rowCount ="}\r\n';
    const result = check(source);
    expect(result.document.steps[0]!.body!.template.source).toBe('SELECT 1');
    expect(result.diagnostics.map((d) => [d.rule, d.span.start.line])).toEqual([['expression-syntax', 12]]);
  });

  it('CR-only line endings (old Mac files) are line endings: positions are lines as an editor shows them', () => {
    const lf =
      '---\ntargets:\n  db: { kind: sqlite, path: x.db }\n---\n\n# T\n\n:::sql{#a}\n```sql\nSELECT 1\n```\n:::\n\n::assert[ok]{that="a.rowCount ="}\n';
    const cr = lf.replaceAll('\n', '\r');
    const result = check(cr);
    expect(result.diagnostics.map((d) => [d.rule, d.span.start.line, d.span.start.column])).toEqual([
      ['expression-syntax', 14, 32],
    ]);
    expect(result.document.steps.map((s) => [s.id, s.span.start.line])).toEqual([
      ['a', 8],
      ['assert-ok', 14],
    ]);
    expect(result.document.steps[0]!.body!.template.source).toBe('SELECT 1');
    expect(result.document.title).toBe('T');
    // Offsets still index the file as read.
    const step = result.document.steps[1]!;
    expect(cr.slice(step.span.start.offset, step.span.end.offset)).toBe('::assert[ok]{that="a.rowCount ="}');
  });

  it('a byte-order mark is ignored', () => {
    const result = check('\uFEFF---\ntitle: With BOM\n---\n\n::note[hi]\n');
    expect(result.diagnostics).toEqual([]);
    expect(result.document.title).toBe('With BOM');
  });

  it('a NUL byte is a clear error', () => {
    const result = check('# T\n\u0000\n');
    expect(result.diagnostics).toEqual([expect.objectContaining({ rule: 'not-text' })]);
  });
});
