import { describe, expect, it } from 'vitest';
import { hasPlaceholder, scanTemplate } from '../../engine/expr/template.js';

describe('scanTemplate', () => {
  it.each([
    ['plain text', 'no placeholders', []],
    ['one', 'a {{ x }} b', [{ start: 2, end: 9, exprStart: 5, source: 'x' }]],
    ['no spaces', '{{x}}', [{ start: 0, end: 5, exprStart: 2, source: 'x' }]],
    ['object literal inside', '{{ rows.map(r => ({ id: r.id })) }}', [{ start: 0, end: 35, exprStart: 3, source: 'rows.map(r => ({ id: r.id }))' }]],
    ['a string holding }}', '{{ "}}" }}', [{ start: 0, end: 10, exprStart: 3, source: '"}}"' }]],
    ['nested braces', '{{ {a:{b:1}}.a }}', [{ start: 0, end: 17, exprStart: 3, source: '{a:{b:1}}.a' }]],
    ['two', '{{a}}-{{ b.c }}', [{ start: 0, end: 5, exprStart: 2, source: 'a' }, { start: 6, end: 15, exprStart: 9, source: 'b.c' }]],
    ['escaped', '\\{{ x }} and {{y}}', [{ start: 13, end: 18, exprStart: 15, source: 'y' }]],
    ['multi-line', '{{\n  a +\n  b\n}}', [{ start: 0, end: 15, exprStart: 5, source: 'a +\n  b' }]],
  ])('%s', (_name, text, slots) => {
    const scan = scanTemplate(text);
    expect(scan.errors).toEqual([]);
    expect(scan.slots).toEqual(slots);
  });

  it.each([
    ['empty', 'a {{ }} b', 2, /empty placeholder/],
    ['unterminated', 'a {{ x + 1', 2, /unterminated/],
    ['syntax error', 'x {{ a + }}', 9, /Unexpected token/],
    ['junk after the expression', '{{ a b }}', 5, /expected `}}`/],
  ])('%s', (_name, text, offset, message) => {
    const scan = scanTemplate(text);
    expect(scan.errors[0]).toMatchObject({ offset });
    expect(scan.errors[0]!.message).toMatch(message);
  });

  it('keeps going after a bad placeholder', () => {
    const scan = scanTemplate('{{ a + }} then {{ ok }}');
    expect(scan.errors).toHaveLength(1);
    expect(scan.slots.map((s) => s.source)).toEqual(['ok']);
  });

  it('never throws on junk and stays fast on large input', () => {
    const junk = ['{{', '}}', '{', '}', '"', "'", '`', '(', ')', '\\', ' ', 'a', '\n', '\u2028', '/*'];
    let seed = 7;
    for (let n = 0; n < 300; n++) {
      let text = '';
      for (let i = 0; i < 60; i++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        text += junk[seed % junk.length];
      }
      expect(() => scanTemplate(text)).not.toThrow();
    }
    const big = 'x {{ a.b }} y '.repeat(70_000);
    const start = performance.now();
    expect(scanTemplate(big).slots).toHaveLength(70_000);
    expect(performance.now() - start).toBeLessThan(5000);
  });

  it('hasPlaceholder ignores escaped braces', () => {
    expect(hasPlaceholder('a {{ b }}')).toBe(true);
    expect(hasPlaceholder('a \\{{ b }}')).toBe(false);
    expect(hasPlaceholder('a { b }')).toBe(false);
  });
});
