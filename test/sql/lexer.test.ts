import { describe, expect, it } from 'vitest';
import { lexSql } from '../../engine/sql/lexer.js';

const types = (sql: string, opaque: { start: number; end: number }[] = []) =>
  lexSql(sql, opaque).filter((t) => t.type !== 'space').map((t) => `${t.type}:${t.text}`);

describe('lexSql', () => {
  it.each([
    ['strings with doubled quotes', "SELECT 'it''s'", ['word:SELECT', "string:'it''s'"]],
    ['escape strings', "E'\\n[x]\\''", ["string:E'\\n[x]\\''"]],
    ['dollar quotes', 'DO $$ BEGIN DELETE FROM t; END $$', ['word:DO', 'string:$$ BEGIN DELETE FROM t; END $$']],
    ['tagged dollar quotes', '$fn$ a $$ b $fn$', ['string:$fn$ a $$ b $fn$']],
    ['casts are not parameters', "'{}'::jsonb", ["string:'{}'", 'punct:::', 'word:jsonb']],
    ['positional parameters', 'a = $1 AND b = ? AND c = :name', ['word:a', 'punct:=', 'param:$1', 'word:AND', 'word:b', 'punct:=', 'param:?', 'word:AND', 'word:c', 'punct:=', 'param::name']],
    ['nested block comments', '/* a /* b */ c */ x', ['comment:/* a /* b */ c */', 'word:x']],
    ['line comments', '-- UPDATE t\nSELECT', ['comment:-- UPDATE t', 'word:SELECT']],
    ['quoted identifiers', 'SELECT "update" FROM "a""b"', ['word:SELECT', 'quoted-ident:"update"', 'word:FROM', 'quoted-ident:"a""b"']],
    ['array subscripts are not bracket identifiers', 'a[1]', ['word:a', 'punct:[', 'number:1', 'punct:]']],
  ])('%s', (_name, sql, expected) => {
    expect(types(sql)).toEqual(expected);
  });

  it('treats a placeholder as one unit, even with quotes inside', () => {
    const sql = "WHERE x = {{ y == 'a' }} AND z = 'q'";
    const start = sql.indexOf('{{');
    const end = sql.indexOf('}}') + 2;
    expect(types(sql, [{ start, end }])).toEqual(['word:WHERE', 'word:x', 'punct:=', "template:{{ y == 'a' }}", 'word:AND', 'word:z', 'punct:=', "string:'q'"]);
  });

  it('a placeholder inside a string stays part of the string', () => {
    const sql = "name = '{{ a == 'b' }}'";
    const start = sql.indexOf('{{');
    const end = sql.indexOf('}}') + 2;
    expect(types(sql, [{ start, end }])).toEqual(['word:name', 'punct:=', "string:'{{ a == 'b' }}'"]);
  });

  it('flags unterminated strings and comments', () => {
    expect(lexSql("SELECT 'abc").at(-1)).toMatchObject({ type: 'string', unterminated: true });
    expect(lexSql('SELECT /* abc').at(-1)).toMatchObject({ type: 'comment', unterminated: true });
    expect(lexSql('SELECT $x$ abc').at(-1)).toMatchObject({ type: 'string', unterminated: true });
  });

  it('is linear on 5 MB', () => {
    const sql = "SELECT a, 'text', \"id\", $1 FROM t WHERE x = 1; -- c\n".repeat(100_000);
    const start = performance.now();
    const tokens = lexSql(sql);
    expect(tokens.length).toBeGreaterThan(1_000_000);
    expect(performance.now() - start).toBeLessThan(15_000);
  });
});
