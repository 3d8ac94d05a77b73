import { describe, expect, it } from 'vitest';
import { lexSql, type SqlToken } from '../../engine/sql/lexer.js';
import { spansOf, type Span } from '../helpers/sql.js';

const show = (tokens: SqlToken[]): string[] =>
  tokens.filter((t) => t.type !== 'space').map((t) => `${t.type}:${t.text}${t.unterminated ? ' (unterminated)' : ''}`);
const lex = (sql: string, opaque: Span[] = []): string[] => show(lexSql(sql, opaque));
/** The tokens must cover the text exactly, in order, each non-empty, each `text` its slice. */
const expectCoverage = (sql: string, tokens: SqlToken[]): void => {
  let at = 0;
  for (const t of tokens) {
    if (t.start !== at || t.end <= t.start || t.text !== sql.slice(t.start, t.end))
      throw new Error(`bad token at ${at}: ${JSON.stringify(t)}`);
    at = t.end;
  }
  expect(at).toBe(sql.length);
};

describe('lexSql: tokens', () => {
  it.each([
    ['a keyword and a number', 'SELECT 1', ['word:SELECT', 'number:1']],
    ['doubled quotes', "SELECT 'it''s'", ['word:SELECT', "string:'it''s'"]],
    ['backslash is plain in standard strings', "'C:\\' , 'x'", ["string:'C:\\'", 'punct:,', "string:'x'"]],
    ['E strings: backslash escapes', "E'\\n[x]\\''", ["string:E'\\n[x]\\''"]],
    ['lower-case e strings', "e'a\\'b' x", ["string:e'a\\'b'", 'word:x']],
    [
      'E string from a seed runbook',
      "notes || E'\\n[MANUAL_RESET] ' || NOW()::text",
      [
        'word:notes',
        'punct:|',
        'punct:|',
        "string:E'\\n[MANUAL_RESET] '",
        'punct:|',
        'punct:|',
        'word:NOW',
        'punct:(',
        'punct:)',
        'punct:::',
        'word:text',
      ],
    ],
    ['bit, hex and national strings', "B'0101' x'ff' N'näme'", ["string:B'0101'", "string:x'ff'", "string:N'näme'"]],
    ['unicode escape strings', "U&'d\\0061t' UESCAPE '!'", ["string:U&'d\\0061t'", 'word:UESCAPE', "string:'!'"]],
    ['unicode escape identifiers', 'U&"d\\0061t"', ['quoted-ident:U&"d\\0061t"']],
    ['a word ending in E is not a prefix', "TYPE'x'", ['word:TYPE', "string:'x'"]],
    ['dollar quotes', 'DO $$ BEGIN DELETE FROM t; END $$', ['word:DO', 'string:$$ BEGIN DELETE FROM t; END $$']],
    ['tagged dollar quotes', '$fn$ a $$ b $fn$', ['string:$fn$ a $$ b $fn$']],
    [
      'a dollar-quoted function body',
      "CREATE FUNCTION f() RETURNS void AS $body$\nBEGIN\n  UPDATE t SET a = 'x;'; -- ;\nEND;\n$body$ LANGUAGE plpgsql;",
      [
        'word:CREATE',
        'word:FUNCTION',
        'word:f',
        'punct:(',
        'punct:)',
        'word:RETURNS',
        'word:void',
        'word:AS',
        "string:$body$\nBEGIN\n  UPDATE t SET a = 'x;'; -- ;\nEND;\n$body$",
        'word:LANGUAGE',
        'word:plpgsql',
        'semicolon:;',
      ],
    ],
    ['dollar in identifiers is not a quote', 'a$b$ c$$', ['word:a$b$', 'word:c$$']],
    [
      'quoted identifiers',
      'SELECT "update" FROM "a""b"',
      ['word:SELECT', 'quoted-ident:"update"', 'word:FROM', 'quoted-ident:"a""b"'],
    ],
    [
      'backtick identifiers',
      'SELECT `a``b` FROM `t`',
      ['word:SELECT', 'quoted-ident:`a``b`', 'word:FROM', 'quoted-ident:`t`'],
    ],
    [
      'bracket identifiers after keywords',
      'SELECT [my col] FROM [my table]',
      ['word:SELECT', 'quoted-ident:[my col]', 'word:FROM', 'quoted-ident:[my table]'],
    ],
    [
      'bracket identifiers after punctuation',
      'SELECT a, [b;c] FROM t',
      ['word:SELECT', 'word:a', 'punct:,', 'quoted-ident:[b;c]', 'word:FROM', 'word:t'],
    ],
    ['array subscripts are not bracket identifiers', 'a[1]', ['word:a', 'punct:[', 'number:1', 'punct:]']],
    [
      'subscripts after ) and ]',
      '(f(x))[1][2]',
      [
        'punct:(',
        'word:f',
        'punct:(',
        'word:x',
        'punct:)',
        'punct:)',
        'punct:[',
        'number:1',
        'punct:]',
        'punct:[',
        'number:2',
        'punct:]',
      ],
    ],
    [
      'subscripts after quoted identifiers and params',
      '"a"[1] $1[2]',
      ['quoted-ident:"a"', 'punct:[', 'number:1', 'punct:]', 'param:$1', 'punct:[', 'number:2', 'punct:]'],
    ],
    [
      'ARRAY constructors and array types',
      "ARRAY[1,2] '{}'::int[]",
      [
        'word:ARRAY',
        'punct:[',
        'number:1',
        'punct:,',
        'number:2',
        'punct:]',
        "string:'{}'",
        'punct:::',
        'word:int',
        'punct:[',
        'punct:]',
      ],
    ],
    ['casts are not parameters', "'{}'::jsonb", ["string:'{}'", 'punct:::', 'word:jsonb']],
    [
      'positional parameters',
      'a = $1 AND b = $12',
      ['word:a', 'punct:=', 'param:$1', 'word:AND', 'word:b', 'punct:=', 'param:$12'],
    ],
    [
      'question-mark parameters',
      'a = ? AND b = ?3',
      ['word:a', 'punct:=', 'param:?', 'word:AND', 'word:b', 'punct:=', 'param:?3'],
    ],
    [
      'named parameters',
      'c = :name AND d = @p AND e = $v',
      [
        'word:c',
        'punct:=',
        'param::name',
        'word:AND',
        'word:d',
        'punct:=',
        'param:@p',
        'word:AND',
        'word:e',
        'punct:=',
        'param:$v',
      ],
    ],
    [
      'array slices are not named parameters',
      'a[lo:hi]',
      ['word:a', 'punct:[', 'word:lo', 'punct::', 'word:hi', 'punct:]'],
    ],
    ['operators made of @ stay punctuation', 'a @> b', ['word:a', 'punct:@', 'punct:>', 'word:b']],
    ['line comments', '-- UPDATE t\nSELECT', ['comment:-- UPDATE t', 'word:SELECT']],
    ['line comments end at CR too', '-- x\r\nSELECT', ['comment:-- x', 'word:SELECT']],
    ['a comment at the very end', 'SELECT 1 --', ['word:SELECT', 'number:1', 'comment:--']],
    ['block comments', 'a /* ; */ b', ['word:a', 'comment:/* ; */', 'word:b']],
    ['nested block comments', '/* a /* b */ c */ x', ['comment:/* a /* b */ c */', 'word:x']],
    [
      'numbers',
      '1 1.5 .5 1e10 2.5E-3 0x1F 1_000',
      ['number:1', 'number:1.5', 'number:.5', 'number:1e10', 'number:2.5E-3', 'number:0x1F', 'number:1_000'],
    ],
    ['a dot between names', 'public.t.c', ['word:public', 'punct:.', 'word:t', 'punct:.', 'word:c']],
    [
      'unicode words',
      'SELECT größe, 名前 FROM tëst',
      ['word:SELECT', 'word:größe', 'punct:,', 'word:名前', 'word:FROM', 'word:tëst'],
    ],
    ['semicolons', 'a;b', ['word:a', 'semicolon:;', 'word:b']],
    ['a byte-order mark is space', '\uFEFFSELECT 1', ['word:SELECT', 'number:1']],
  ])('%s', (_name, sql, expected) => {
    expect(lex(sql)).toEqual(expected);
    expectCoverage(sql, lexSql(sql));
  });

  it('keeps whitespace as space tokens', () => {
    expect(lexSql('a \t\n b').map((t) => t.type)).toEqual(['word', 'space', 'word']);
  });
});

describe('lexSql: unterminated input runs to the end', () => {
  it.each([
    ['string', "SELECT 'abc", 'string'],
    ['E string ending in a backslash', "SELECT E'abc\\", 'string'],
    ['quoted identifier', 'SELECT "abc', 'quoted-ident'],
    ['backtick identifier', 'SELECT `abc', 'quoted-ident'],
    ['bracket identifier', 'SELECT [abc', 'quoted-ident'],
    ['block comment', 'SELECT /* abc', 'comment'],
    ['nested block comment', 'SELECT /* a /* b */', 'comment'],
    ['dollar quote', 'SELECT $$ abc', 'string'],
    ['tagged dollar quote', 'SELECT $x$ abc $y$', 'string'],
  ])('%s', (_name, sql, type) => {
    const tokens = lexSql(`${sql}; DELETE FROM t`);
    expect(tokens.at(-1)).toMatchObject({ type, unterminated: true, end: sql.length + 15 });
  });

  it('does not flag terminated ones', () => {
    expect(lexSql('\'a\' "b" /* c */ $$d$$').some((t) => t.unterminated)).toBe(false);
  });
});

describe('lexSql: placeholders', () => {
  it('a placeholder is one template token', () => {
    const sql = 'WHERE id = {{ inputs.id }}';
    expect(lex(sql, spansOf(sql))).toEqual(['word:WHERE', 'word:id', 'punct:=', 'template:{{ inputs.id }}']);
  });

  it.each([
    [
      'quotes inside a placeholder do not start a string',
      "WHERE x = {{ y == 'a' }} AND z = 'q'",
      ['word:WHERE', 'word:x', 'punct:=', "template:{{ y == 'a' }}", 'word:AND', 'word:z', 'punct:=', "string:'q'"],
    ],
    [
      'double quotes and semicolons inside',
      'x = {{ a ? "b;" : `c` }};',
      ['word:x', 'punct:=', 'template:{{ a ? "b;" : `c` }}', 'semicolon:;'],
    ],
    [
      'comment markers inside',
      'x = {{ a -- b }} + 1',
      ['word:x', 'punct:=', 'template:{{ a -- b }}', 'punct:+', 'number:1'],
    ],
    [
      'inside a string it is part of the string',
      "name = '{{ a == 'b' }}'",
      ['word:name', 'punct:=', "string:'{{ a == 'b' }}'"],
    ],
    ['inside an E string', "E'\\{{ a }}'", ["string:E'\\{{ a }}'"]],
    ['inside a dollar quote', "$$ {{ '$$' }} $$", ["string:$$ {{ '$$' }} $$"]],
    ['inside a quoted identifier', '"{{ a + "x" }}"', ['quoted-ident:"{{ a + "x" }}"']],
    ['inside a bracket identifier', 'SELECT [{{ "]" }}]', ['word:SELECT', 'quoted-ident:[{{ "]" }}]']],
    ['inside a line comment', "-- {{ a\n'b' }}\nSELECT", ["comment:-- {{ a\n'b' }}", 'word:SELECT']],
    ['inside a block comment', '/* {{ "*/" }} */ x', ['comment:/* {{ "*/" }} */', 'word:x']],
    [
      'next to words and parameters',
      'a{{ x }}b $1{{ y }}',
      ['word:a', 'template:{{ x }}', 'word:b', 'param:$1', 'template:{{ y }}'],
    ],
    ['a subscript after a placeholder', '{{ a }}[1]', ['template:{{ a }}', 'punct:[', 'number:1', 'punct:]']],
  ])('%s', (_name, sql, expected) => {
    expect(lex(sql, spansOf(sql))).toEqual(expected);
    expectCoverage(sql, lexSql(sql, spansOf(sql)));
  });

  it('ignores spans that are out of order, overlapping, empty or out of range', () => {
    const sql = 'SELECT {{ a }}, {{ b }}';
    const bad = [
      { start: 7, end: 14 },
      { start: 10, end: 20 },
      { start: 3, end: 3 },
      { start: 16, end: 999 },
      { start: 1.5, end: 2 },
      null as unknown as Span,
    ];
    const tokens = lexSql(sql, bad);
    expectCoverage(sql, tokens);
    expect(show(tokens)).toEqual([
      'word:SELECT',
      'template:{{ a }}',
      'punct:,',
      'punct:{',
      'punct:{',
      'word:b',
      'punct:}',
      'punct:}',
    ]);
  });

  it('survives spans that start inside other tokens', () => {
    const sql = "SELECT 'abc' -- x\nFROM t";
    for (let start = 0; start < sql.length; start++) {
      for (const len of [1, 2, 5]) {
        const opaque = start + len <= sql.length ? [{ start, end: start + len }] : [];
        expectCoverage(sql, lexSql(sql, opaque));
      }
    }
  });
});

describe('lexSql: robustness', () => {
  it('never throws on junk and always covers the text', () => {
    let seed = 42;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet = [
      "'",
      '"',
      '`',
      '[',
      ']',
      '$',
      '$$',
      '$a$',
      '-',
      '--',
      '/*',
      '*/',
      '/',
      '*',
      '\\',
      "E'",
      'U&',
      ':',
      '::',
      '?',
      '@',
      ';',
      '\n',
      ' ',
      'a',
      '1',
      '.',
      '{{',
      '}}',
      '(',
      ')',
      'é',
      '\uFEFF',
      '\u0000',
      '\uD83D',
    ];
    for (let n = 0; n < 400; n++) {
      let sql = '';
      for (let k = 0; k < 60; k++) sql += alphabet[Math.floor(random() * alphabet.length)];
      expectCoverage(sql, lexSql(sql));
      expectCoverage(sql, lexSql(sql, spansOf(sql)));
    }
  });

  it('handles empty input', () => {
    expect(lexSql('')).toEqual([]);
  });

  it('is linear on 5 MB of SQL', () => {
    const line = 'SELECT a, \'text\', "id", $1, x::int FROM t WHERE x = 1 /* c */; -- c\n';
    const sql = line.repeat(75_000);
    expect(sql.length).toBeGreaterThan(5_000_000);
    // Linear: ten times the input takes about ten times as long (quadratic would be a hundred),
    // measured against a tenth of it here and now, whatever else the machine is doing.
    const tenth = line.repeat(7_500);
    lexSql(tenth); // warm
    const before = performance.now();
    lexSql(tenth);
    const tenthMs = performance.now() - before;
    const started = performance.now();
    const tokens = lexSql(sql);
    expect(performance.now() - started).toBeLessThan(Math.max(5_000, 30 * tenthMs));
    expect(tokens.length).toBeGreaterThan(1_500_000);
    expect(tokens.at(-1)!.end).toBe(sql.length);
  });

  it.each([
    ['one 5 MB string', `'${'x'.repeat(5_000_000)}'`],
    ['one 5 MB unterminated dollar quote full of dollars', `$tag$${'$ta'.repeat(1_700_000)}`],
    ['5 MB of open brackets', '['.repeat(5_000_000)],
    ['5 MB of nested comment openers', '/*'.repeat(2_500_000)],
    ['5 MB of colons after words', 'a:b'.repeat(1_700_000)],
    ['5 MB of placeholders', '{{ x }}'.repeat(700_000)],
  ])('is fast on pathological input: %s', (_name, sql) => {
    // 5 s, or 4 times what 5 MB of ordinary SQL takes here and now when the machine is loaded
    // (the suite runs several files at once): a quadratic shape still fails it by far.
    const ordinary = 'SELECT a, b FROM t WHERE x = 1;\n'.repeat(Math.ceil(sql.length / 32)).slice(0, sql.length);
    const before = performance.now();
    lexSql(ordinary, spansOf(ordinary));
    const limit = Math.max(5_000, 4 * (performance.now() - before));
    const started = performance.now();
    const tokens = lexSql(sql, spansOf(sql));
    expect(performance.now() - started).toBeLessThan(limit);
    expect(tokens.at(-1)!.end).toBe(sql.length);
  });
});
