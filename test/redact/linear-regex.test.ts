/**
 * Author-supplied patterns (`redact` regexes, input `pattern`s) run on RE2: the classic ReDoS
 * shapes, which take a backtracking engine seconds on a few dozen characters, finish in
 * milliseconds; what RE2 cannot express is refused with a reason; streaming redaction still
 * masks a match split across chunks.
 */
import { describe, expect, it } from 'vitest';
import { compileLinear, linearPatternProblem, matchesFrom, PatternError } from '../../engine/redact/linear-regex.js';
import { createRedactor, RedactionError } from '../../engine/redact/redactor.js';
import { coerceInput } from '../../engine/run/prepare.js';

/** Pattern, and an input that makes JavaScript's engine backtrack for seconds (measured with RegExp: 6 s, 12 s, 51 s and 27 s at 2 fewer `a`s). */
const REDOS: [pattern: string, input: string][] = [
  ['(a+)+b', `${'a'.repeat(28)}!`],
  ['(a|a)*b', `${'a'.repeat(28)}!`],
  ['(a|aa)+$', `${'a'.repeat(42)}!`],
  ['^(\\w+\\s?)*$', `${'a'.repeat(30)}!`],
];

const timed = <T>(fn: () => T): { value: T; ms: number } => {
  const t0 = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t0 };
};

describe('redact regexes run in linear time', () => {
  it.each(REDOS)(
    '%s against a backtracking input finishes in milliseconds',
    (pattern, input) => {
      const redactor = createRedactor({
        secrets: {},
        patterns: [{ name: pattern, span: undefined as never, regex: pattern }],
      });
      const { value, ms } = timed(() => redactor.text(`output: ${input}\n`));
      expect(value).toContain(input.slice(0, 20)); // nothing matched: the text is as it was
      expect(ms).toBeLessThan(500);
    },
    5_000,
  );

  it.each(REDOS)(
    '%s over a stream of 1-character chunks finishes in milliseconds',
    (pattern, input) => {
      const redactor = createRedactor({
        secrets: {},
        patterns: [{ name: pattern, span: undefined as never, regex: pattern }],
      });
      const { value, ms } = timed(() => {
        const stream = redactor.stream();
        let out = '';
        for (const c of input.repeat(20)) out += stream.push(c);
        return out + stream.end();
      });
      expect(value).toBe(input.repeat(20));
      expect(ms).toBeLessThan(1000);
    },
    5_000,
  );

  it('masks what the pattern matches, also split across chunks and at every split point', () => {
    const redactor = createRedactor({
      secrets: {},
      patterns: [{ name: 'ticket', span: undefined as never, regex: 'TCK-[0-9]{6}' }],
    });
    const text = 'opened TCK-123456 and TCK-654321 today\n';
    expect(redactor.text(text)).toBe('opened [REDACTED:regex] and [REDACTED:regex] today\n');
    for (let i = 1; i < text.length; i++) {
      const stream = redactor.stream();
      expect(stream.push(text.slice(0, i)) + stream.push(text.slice(i)) + stream.end(), `split at ${i}`).toBe(
        'opened [REDACTED:regex] and [REDACTED:regex] today\n',
      );
    }
  });

  it('reads JavaScript escapes RE2 spells differently (\\u00e9, \\u{1F600}, \\cJ) and named groups', () => {
    const redactor = createRedactor({
      secrets: {},
      patterns: [{ name: 'x', span: undefined as never, regex: 'caf\\u00e9-(?<n>\\d+)' }],
    });
    expect(redactor.text('a café-42 b')).toBe('a [REDACTED:regex] b');
    expect([...matchesFrom(compileLinear('\\u{1F600}+'), 'x😀😀y', 0)]).toEqual([[1, 5]]);
    expect([...matchesFrom(compileLinear('a\\cJb'), 'a\nb', 0)]).toEqual([[0, 3]]);
  });

  it('runs lookbehinds (without groups inside) in linear time too, across chunks', () => {
    const redactor = createRedactor({
      secrets: {},
      patterns: [{ name: 'lb', span: undefined as never, regex: '(?<=(?:a+)+x=)\\w+' }],
    });
    const text = `${'a'.repeat(5000)}x=value1 and ${'a'.repeat(5000)}!`;
    const { value, ms } = timed(() => {
      const stream = redactor.stream();
      let out = '';
      for (let i = 0; i < text.length; i += 7) out += stream.push(text.slice(i, i + 7));
      return out + stream.end();
    });
    expect(value).toBe(text.replace('value1', '[REDACTED:regex]'));
    expect(ms).toBeLessThan(2000);
    expect(linearPatternProblem('(?<!x)ab')).toBeUndefined();
  });

  it('sees the text before `from` as context, as a JavaScript lastIndex does (^, \\b), in UTF-16 offsets', () => {
    expect([...matchesFrom(compileLinear('^b'), 'abb', 1)]).toEqual([]);
    expect([...matchesFrom(compileLinear('\\bb+'), 'ab bb', 1)]).toEqual([[3, 5]]);
    expect([...matchesFrom(compileLinear('b+'), '😀😀abbbc', 0)]).toEqual([[5, 8]]);
    expect([...matchesFrom(compileLinear('x*'), 'axxb', 0)]).toEqual([[1, 3]]); // empty matches are stepped over
  });

  it('a pattern RE2 cannot express is refused with a reason, never rewritten: a redactor with it fails closed', () => {
    const cases: [string, RegExp][] = [
      ['(a)\\1', /backreference \(\\1\)/],
      ['(?<x>a)\\k<x>', /named backreference \(\\k<x>\)/],
      ['(?=a)a', /lookahead/],
      ['(?!a)b', /negative lookahead/],
      ['(?<=(a)b)c', /capturing group inside a lookbehind .*write the group as \(\?:\.\.\.\)/],
    ];
    for (const [pattern, why] of cases) {
      const problem = linearPatternProblem(pattern);
      expect(problem, pattern).toMatch(why);
      expect(problem, pattern).toMatch(
        /RE2 cannot express; Stepwise runs patterns with RE2, in time linear in the text, so that no pattern can stall a run/,
      );
      expect(() => compileLinear(pattern)).toThrow(PatternError);
      expect(() =>
        createRedactor({ secrets: {}, patterns: [{ name: pattern, span: undefined as never, regex: pattern }] }),
      ).toThrow(RedactionError);
    }
    // Inside a class or escaped, they are characters.
    for (const fine of ['[(?=]', '\\(?=a\\)', 'a\\\\1']) expect(linearPatternProblem(fine), fine).toBeUndefined();
    expect(linearPatternProblem('[')).toMatch(/does not compile: missing closing \]/);
    expect(linearPatternProblem('a{2000}')).toMatch(/repeat count over 1000/);
  });
});

describe('input patterns run in linear time', () => {
  it.each(REDOS)(
    '%s rejects a backtracking value in milliseconds',
    (pattern, input) => {
      const { ms } = timed(() =>
        expect(() => coerceInput({ name: 'x', type: 'string', pattern }, input)).toThrow(/does not match/),
      );
      expect(ms).toBeLessThan(500);
    },
    5_000,
  );

  it('still accepts what matches, and a pattern RE2 cannot run fails the value with the reason', () => {
    expect(coerceInput({ name: 'mail', type: 'string', pattern: '^[^@]+@[^@]+$' }, 'a@b')).toBe('a@b');
    expect(() => coerceInput({ name: 'x', type: 'string', pattern: '(a)\\1' }, 'aa')).toThrow(
      /input `x`: its pattern uses a backreference/,
    );
  });
});
