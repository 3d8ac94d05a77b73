/**
 * Patterns an author supplies (`redact` regexes, input `pattern`s) run on RE2 (the re2js port),
 * whose matching time is linear in the text: no pattern, however written, can stall a run on what
 * a system returns or a responder types. JavaScript's backtracking engine takes seconds on
 * `(a+)+b` against thirty `a`s and exponentially more after that.
 *
 * Patterns are written as JavaScript regexes (no slashes, no flags). Lookbehinds without capturing
 * groups inside run too (re2js matches them in linear time), so `(?<=token=)\w+` masks the value
 * and keeps the name. What RE2 cannot express (backreferences, lookaheads) is refused with a
 * reason, never rewritten into something that means less: re2js's own translation turns
 * `\k<name>` into the letters `k<name>`.
 */
import { createRequire } from 'node:module';
import type { RE2JS } from 're2js';

export type LinearRegex = RE2JS;

let re2: typeof RE2JS | undefined;

/**
 * re2js, loaded the first time a pattern is compiled: most runs have none, and loading it (275 KB)
 * was a start-up cost of every run.
 */
function linearEngine(): typeof RE2JS {
  re2 ??= (createRequire(import.meta.url)('re2js') as typeof import('re2js')).RE2JS;
  return re2;
}

/** A pattern that cannot run in linear time, or is not a regular expression; the message says why. */
export class PatternError extends Error {
  override name = 'PatternError';
}

const LINEAR = 'Stepwise runs patterns with RE2, in time linear in the text, so that no pattern can stall a run';

/**
 * Compiles `pattern` for RE2. Throws a PatternError whose message completes "the pattern ..."
 * (`uses a backreference (\1), which ...`, `is not a valid regular expression: ...`).
 */
export function compileLinear(pattern: string): LinearRegex {
  if (typeof pattern !== 'string') throw new PatternError('is not text');
  const unsupported = unsupportedConstruct(pattern);
  if (unsupported) throw new PatternError(`uses ${unsupported}, which RE2 cannot express; ${LINEAR}: write it without`);
  try {
    const engine = linearEngine();
    return engine.compile(engine.translateRegExp(pattern), engine.LOOKBEHINDS);
  } catch (error) {
    const why = (error as Error).message.replace(/^error parsing regexp:\s*/, '');
    if (/invalid repeat count/.test(why))
      throw new PatternError(`has a repeat count over 1000 (${why}), which RE2 cannot express; ${LINEAR}`);
    if (/capture in lookbehind/.test(why))
      throw new PatternError(
        `has a capturing group inside a lookbehind (${why}), which RE2 cannot express; ${LINEAR}: write the group as (?:...)`,
      );
    throw new PatternError(`does not compile: ${why} (${LINEAR})`);
  }
}

/** Why `pattern` cannot be compiled, or undefined when it can: for `check`. */
export function linearPatternProblem(pattern: string): string | undefined {
  try {
    compileLinear(pattern);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * Every non-empty match starting at or after `from`, as [start, end) in UTF-16 units. Text
 * before `from` is context: `^` and `\b` see it, as they do with a JavaScript regex's lastIndex.
 */
export function* matchesFrom(re: LinearRegex, text: string, from: number): Generator<[number, number]> {
  if (from > text.length) return;
  const m = re.matcher(text);
  let at = Math.max(0, from);
  while (at <= text.length && m.find(at)) {
    const start = m.start();
    const end = m.end();
    if (end === start) {
      at = end + 1; // an empty match masks nothing: step past it so the loop ends
      continue;
    }
    yield [start, end];
    at = end;
  }
}

/**
 * The construct of a JavaScript regex that RE2 cannot run (a backreference, a lookahead), described
 * for the author, or undefined.
 * Looks outside character classes (where `(?=` and `\1` mean other things) and past escapes.
 */
function unsupportedConstruct(pattern: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      if (!inClass && /[1-9]/.test(next)) return `a backreference (\\${/^\d+/.exec(pattern.slice(i + 1))![0]})`;
      if (!inClass && next === 'k' && pattern[i + 2] === '<')
        return `a named backreference (${pattern.slice(i, pattern.indexOf('>', i) + 1 || i + 3)})`;
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true; // JavaScript closes a class at its first unescaped `]`, even right away (`[]`, `[^]`)
      continue;
    }
    if (c === '(' && pattern[i + 1] === '?') {
      const rest = pattern.slice(i + 2, i + 4);
      if (rest.startsWith('=')) return 'a lookahead `(?=...)`';
      if (rest.startsWith('!')) return 'a negative lookahead `(?!...)`';
    }
  }
  return undefined;
}
