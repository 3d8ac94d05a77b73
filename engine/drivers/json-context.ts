/**
 * JSON text, scanned without parsing it: where a placeholder stands in a JSON request body
 * (inside a string literal, or bare where a value goes), and how deep a response body nests
 * (so that a hostile body cannot exhaust the stack of whatever walks the parsed value).
 *
 * Both scans are linear and iterative; neither needs the text to be valid JSON.
 */

/** Where the next character of a JSON text stands. */
export type JsonPosition =
  /** Inside a string literal: a value there is JSON-escaped, without quotes. */
  | 'string'
  /** Inside a string literal, right after a backslash: the next character is escaped. */
  | 'escape'
  /** Outside any string: a value there is a whole JSON value (`JSON.stringify`). */
  | 'bare';

/**
 * Follows a JSON text fed in pieces (the literal text between placeholders) and says, between
 * pieces, whether the text so far ends inside a string literal. Escaped quotes (`\"`) and
 * escaped backslashes (`\\`) inside strings are understood.
 */
export class JsonContext {
  private inString = false;
  private escaped = false;

  feed(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (!this.inString) {
        if (c === 34 /* " */) this.inString = true;
      } else if (this.escaped) this.escaped = false;
      else if (c === 92 /* \ */) this.escaped = true;
      else if (c === 34) this.inString = false;
    }
  }

  get position(): JsonPosition {
    return this.inString ? (this.escaped ? 'escape' : 'string') : 'bare';
  }
}

/** Text as it stands inside a JSON string literal: `JSON.stringify` without the quotes. */
export function jsonStringContent(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

/** A value as a whole JSON value; undefined when it has none (a function, a symbol, a BigInt). */
export function jsonValue(value: unknown): string | undefined {
  if (typeof value === 'number' && !Number.isFinite(value)) return undefined; // JSON.stringify would say null
  try {
    return JSON.stringify(value);
  } catch {
    return undefined; // BigInt, a cycle
  }
}

/**
 * How deep a JSON text nests its arrays and objects (brackets inside strings do not count),
 * stopping as soon as it passes `limit`: the result is then `limit + 1`.
 */
export function jsonDepth(text: string, limit = Infinity): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (c === 93 /* ] */ || c === 125 /* } */) depth--;
  }
  return deepest;
}
