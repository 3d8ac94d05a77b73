import { describe, expect, it } from 'vitest';
import { hasPlaceholder, scanTemplate, type TemplateSlot } from '../../engine/expr/template.js';

const slot = (start: number, end: number, exprStart: number, source: string): TemplateSlot => ({
  start,
  end,
  exprStart,
  source,
});

describe('scanTemplate: placeholders', () => {
  it.each<[string, string, TemplateSlot[]]>([
    ['plain text', 'no placeholders', []],
    ['empty text', '', []],
    ['one', 'a {{ x }} b', [slot(2, 9, 5, 'x')]],
    ['no spaces', '{{x}}', [slot(0, 5, 2, 'x')]],
    ['a member chain', 'id={{ stuck.rows[0].id }}', [slot(3, 25, 6, 'stuck.rows[0].id')]],
    [
      'an object literal inside an arrow',
      '{{ rows.map(r => ({ id: r.id })) }}',
      [slot(0, 35, 3, 'rows.map(r => ({ id: r.id }))')],
    ],
    ['a string holding }}', '{{ "}}" }}', [slot(0, 10, 3, '"}}"')]],
    ['a string holding {{', '{{ "{{" }}', [slot(0, 10, 3, '"{{"')]],
    ['a template literal holding }}', '{{ `${a}}}` }}', [slot(0, 14, 3, '`${a}}}`')]],
    ['a comment holding {{ inside the expression', '{{ a /* {{ */ + b }}', [slot(0, 20, 3, 'a /* {{ */ + b')]],
    ['nested braces', '{{ {a:{b:1}}.a }}', [slot(0, 17, 3, '{a:{b:1}}.a')]],
    ['an arrow with a block body', '{{ xs.map(x => { return x }) }}', [slot(0, 31, 3, 'xs.map(x => { return x })')]],
    ['parentheses are kept', '{{ (a) }}', [slot(0, 9, 3, '(a)')]],
    ['triple braces: an object literal', '{{{ a }}}', [slot(0, 9, 2, '{ a }')]],
    ['two', '{{a}}-{{ b.c }}', [slot(0, 5, 2, 'a'), slot(6, 15, 9, 'b.c')]],
    ['adjacent', '{{ a }}{{ b }}', [slot(0, 7, 3, 'a'), slot(7, 14, 10, 'b')]],
    ['extra closing braces stay text', '{{ a }}}}', [slot(0, 7, 3, 'a')]],
    ['escaped', '\\{{ x }} and {{y}}', [slot(13, 18, 15, 'y')]],
    ['escaped only', 'literal \\{{ x }}', []],
    ['multi-line', '{{\n  a +\n  b\n}}', [slot(0, 15, 5, 'a +\n  b')]],
    ['CRLF', 'a\r\n{{\r\n x \r\n}}\r\n', [slot(3, 14, 8, 'x')]],
    ['tabs and no-break spaces', '{{\t\u00a0x\u00a0}}', [slot(0, 8, 4, 'x')]],
    ['unicode before and inside', 'é✓ {{ "😀" + é }} ✓', [slot(3, 17, 6, '"😀" + é')]],
    [
      'SQL',
      "SELECT * FROM t WHERE id = {{ inputs.id }} AND s = '{{ x }}'",
      [slot(27, 42, 30, 'inputs.id'), slot(52, 59, 55, 'x')],
    ],
    ['shell with braces around', 'echo ${HOME} {{ env.USER }} {a,b}', [slot(13, 27, 16, 'env.USER')]],
    ['a lone brace', 'a { b } c', []],
    ['only closing braces', '}}}}', []],
    ['await parses (analysis refuses it later)', '{{ await x }}', [slot(0, 13, 3, 'await x')]],
  ])('%s', (_name, text, slots) => {
    const scan = scanTemplate(text);
    expect(scan.errors).toEqual([]);
    expect(scan.slots).toEqual(slots);
    for (const s of scan.slots) expect(text.slice(s.exprStart, s.exprStart + s.source.length)).toBe(s.source);
  });
});

describe('scanTemplate: errors', () => {
  it.each<[string, string, string, number]>([
    ['empty', 'a {{ }} b', 'empty placeholder: put an expression between {{ and }}', 2],
    ['empty, no space', '{{}}', 'empty placeholder: put an expression between {{ and }}', 0],
    ['empty, only a newline', 'x\n{{\n}}', 'empty placeholder: put an expression between {{ and }}', 2],
    ['unterminated', 'a {{ x + 1', 'unterminated placeholder: `{{` has no closing `}}`', 2],
    ['unterminated at the end', 'a {{', 'unterminated placeholder: `{{` has no closing `}}`', 2],
    ['unterminated: the only }} is in a string', '{{ "}}"', 'unterminated placeholder: `{{` has no closing `}}`', 0],
    ['unterminated with a bracket', '::note[value {{ 1 + 2]', 'unterminated placeholder: `{{` has no closing `}}`', 13],
    ['syntax error at the closing braces', 'x {{ a + }}', 'Unexpected token', 9],
    ['syntax error inside', '{{ a ( }}', 'Unexpected token', 7],
    ['unterminated string', '{{ "abc }}', 'Unterminated string constant', 3],
    ['unterminated comment', '{{ a + /* }}', 'Unterminated comment', 7],
    ['unterminated template', '{{ `abc }}', 'Unterminated template', 4],
    ['bad character', '{{ a @ b }}', "Unexpected character '@'", 5],
    ['no hashbang', '{{ #!x }}', "Unexpected character '!'", 4],
    ['junk after the expression', '{{ a b }}', 'expected `}}` after the expression', 5],
    ['a trailing comment', '{{ a /* c */ }}', 'expected `}}` after the expression', 5],
    ['a single closing brace', '{{ a } b }}', 'expected `}}` after the expression', 5],
    ['a placeholder inside a placeholder', '{{ a {{ b }} }}', 'expected `}}` after the expression', 5],
  ])('%s', (_name, text, message, offset) => {
    expect(scanTemplate(text).errors).toEqual([{ message, offset }]);
  });

  it('keeps going after each kind of bad placeholder', () => {
    const scan = scanTemplate('{{ a }} {{ b + }} {{ }} {{ c d }} {{ "x }} {{ ok }} {{ e');
    expect(scan.slots.map((s) => s.source)).toEqual(['a', 'ok']);
    expect(scan.errors).toEqual([
      { message: 'Unexpected token', offset: 15 },
      { message: 'empty placeholder: put an expression between {{ and }}', offset: 18 },
      { message: 'expected `}}` after the expression', offset: 29 },
      { message: 'Unterminated string constant', offset: 37 },
      { message: 'unterminated placeholder: `{{` has no closing `}}`', offset: 52 },
    ]);
  });

  it('an unterminated comment does not hide the next placeholder', () => {
    const scan = scanTemplate('{{ /* }} {{ a }}');
    expect(scan.errors).toEqual([{ message: 'Unterminated comment', offset: 3 }]);
    expect(scan.slots).toEqual([slot(9, 16, 12, 'a')]);
  });
});

describe('scanTemplate: robustness', () => {
  it('never throws on random junk', () => {
    const pieces = [
      '{{',
      '}}',
      '{',
      '}',
      '"',
      "'",
      '`',
      '${',
      '(',
      ')',
      '[',
      ']',
      '\\',
      ' ',
      'a',
      '.',
      '=>',
      '\n',
      '\r\n',
      '\u2028',
      '/*',
      '*/',
      '//',
      '/',
      '#!',
      '\u0000',
      '\uD800',
      '😀',
      'é',
    ];
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
    for (let n = 0; n < 2000; n++) {
      let text = '';
      const length = next() % 80;
      for (let i = 0; i < length; i++) text += pieces[next() % pieces.length];
      const scan = scanTemplate(text);
      for (const s of scan.slots) {
        expect(s.start).toBeLessThan(s.end);
        expect(text.slice(s.start, s.start + 2)).toBe('{{');
        expect(text.slice(s.end - 2, s.end)).toBe('}}');
      }
      for (const e of scan.errors) expect(e.offset).toBeGreaterThanOrEqual(0);
    }
  });

  it('never throws on binary junk', () => {
    let seed = 11;
    let text = '';
    for (let i = 0; i < 200_000; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      text += String.fromCharCode(seed % 0x10000);
    }
    expect(() => scanTemplate(text)).not.toThrow();
    expect(() => scanTemplate(`{{${text}}}`)).not.toThrow();
  });

  it('deep nesting is an error, not a crash', () => {
    const scan = scanTemplate(`{{ ${'('.repeat(200_000)} }}`);
    expect(scan.slots).toEqual([]);
    expect(scan.errors).toHaveLength(1);
  });

  it('many placeholders in a megabyte stay fast', () => {
    const big = 'x {{ a.b }} y '.repeat(75_000);
    const start = performance.now();
    expect(scanTemplate(big).slots).toHaveLength(75_000);
    expect(performance.now() - start).toBeLessThan(10_000);
  });

  it.each([
    ['unterminated comments', '{{ /*}}'],
    ['strings holding {{', '{{ "{{ }}'],
    ['templates holding {{', '{{ `{{ }}'],
    ['regular expressions holding {{', '{{ /x{{ }}'],
    ['long valid prefixes', '{{ (a, b, "}}'],
    ['placeholders inside placeholders', '{{ x => {{ }}'],
  ])('adversarial input stays linear: %s', (_name, unit) => {
    const text = unit.repeat(Math.ceil(300_000 / unit.length));
    const start = performance.now();
    const scan = scanTemplate(text);
    expect(performance.now() - start).toBeLessThan(10_000);
    expect(scan.slots.length + scan.errors.length).toBeGreaterThan(0);
  });
});

describe('hasPlaceholder', () => {
  it.each<[string, boolean]>([
    ['a {{ b }}', true],
    ['{{', true],
    ['a \\{{ b }}', false],
    ['\\{{ a }} {{ b }}', true],
    ['a { b }', false],
    ['}}', false],
    ['', false],
  ])('%j → %s', (text, expected) => {
    expect(hasPlaceholder(text)).toBe(expected);
  });
});
