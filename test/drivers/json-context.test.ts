/** The JSON-context scanner: string literal vs bare position, escaped quotes; and nesting depth without recursion. */
import { describe, expect, it } from 'vitest';
import { JsonContext, jsonDepth, jsonStringContent, jsonValue } from '../../engine/drivers/json-context.js';

const positionAfter = (...pieces: string[]): string => {
  const scan = new JsonContext();
  for (const piece of pieces) scan.feed(piece);
  return scan.position;
};

describe('JsonContext', () => {
  it('tells a string literal from a bare value position', () => {
    expect(positionAfter('{"id": ')).toBe('bare');
    expect(positionAfter('{"name": "')).toBe('string');
    expect(positionAfter('{"name": "a b ')).toBe('string');
    expect(positionAfter('{"name": "x", "n": ')).toBe('bare');
    expect(positionAfter('[')).toBe('bare');
    expect(positionAfter('{"')).toBe('string'); // a key
  });

  it('understands escaped quotes and backslashes inside strings', () => {
    expect(positionAfter('{"a": "say \\"')).toBe('string'); // \" does not end the string
    expect(positionAfter('{"a": "dir\\\\"')).toBe('bare'); // \\ then " ends it
    expect(positionAfter('{"a": "dir\\\\", "b": ')).toBe('bare');
    expect(positionAfter('{"a": "x\\')).toBe('escape'); // the next character would be escaped
  });

  it('keeps its state across pieces (the text between placeholders)', () => {
    expect(positionAfter('{"a": "', '", "b": ')).toBe('bare');
    expect(positionAfter('{"a": "x\\', '"', ' still inside ')).toBe('string');
    expect(positionAfter('{"a": ', ', "b": "')).toBe('string');
  });

  it('brackets and braces inside strings change nothing', () => {
    expect(positionAfter('{"a": "{[}]", "b": "')).toBe('string');
  });
});

describe('jsonStringContent and jsonValue', () => {
  it('escapes a value for inside a string literal, without quotes', () => {
    const hostile = '"; }, "admin": true, "x": "\\\r\n\u0000\u2028';
    const text = `{"v": "${jsonStringContent(hostile)}"}`;
    expect(JSON.parse(text)).toEqual({ v: hostile });
  });

  it('turns a value into a whole JSON value', () => {
    expect(jsonValue(42)).toBe('42');
    expect(jsonValue('a"b')).toBe('"a\\"b"');
    expect(jsonValue({ a: [1, null] })).toBe('{"a":[1,null]}');
    expect(jsonValue(null)).toBe('null');
    expect(jsonValue(true)).toBe('true');
    expect(jsonValue(Number.NaN)).toBeUndefined();
    expect(jsonValue(Infinity)).toBeUndefined();
    expect(jsonValue(10n)).toBeUndefined();
    expect(jsonValue(() => 1)).toBeUndefined();
  });
});

describe('jsonDepth', () => {
  it('measures nesting, ignoring brackets inside strings', () => {
    expect(jsonDepth('1')).toBe(0);
    expect(jsonDepth('{"a": [1, {"b": 2}]}')).toBe(3);
    expect(jsonDepth('["[[[[", "\\"[[["]')).toBe(1);
  });

  it('stops past the limit, and never recurses: 1,000,000 levels', () => {
    const deep = `${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`;
    expect(jsonDepth(deep, 1000)).toBe(1001);
    expect(jsonDepth(deep)).toBe(1_000_000);
  });
});
