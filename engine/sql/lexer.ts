/**
 * A SQL tokenizer for PostgreSQL and SQLite: enough to tell strings, comments, identifiers and
 * placeholders apart, so that statement splitting, write detection and bind parameters never
 * look inside a string or a comment. Placeholder spans (`{{ ... }}`) are opaque units.
 * Linear time; never throws; unterminated constructs run to the end, flagged.
 */

export type SqlTokenType = 'word' | 'quoted-ident' | 'string' | 'number' | 'param' | 'template' | 'comment' | 'punct' | 'semicolon' | 'space';

export interface SqlToken {
  type: SqlTokenType;
  start: number;
  end: number;
  text: string;
  unterminated?: boolean;
}

export interface Span {
  start: number;
  end: number;
}

const WORD_START = /[\p{L}_]/u;
const WORD_PART = /[\p{L}\p{N}_$]/u;

export function lexSql(text: string, opaque: ReadonlyArray<Span> = []): SqlToken[] {
  const tokens: SqlToken[] = [];
  const opaqueAt = new Map(opaque.map((s) => [s.start, s.end]));
  /** Skips over an opaque span starting at i, if any; returns the new index. */
  const skipOpaque = (i: number): number => opaqueAt.get(i) ?? i;
  let i = 0;
  const push = (type: SqlTokenType, start: number, end: number, unterminated = false): void => {
    const token: SqlToken = { type, start, end, text: text.slice(start, end) };
    if (unterminated) token.unterminated = true;
    tokens.push(token);
    i = end;
  };
  /** Scans to the closing `close`, honouring `doubled` escapes ('') and backslashes when asked. */
  const until = (from: number, close: string, backslash: boolean): { end: number; ok: boolean } => {
    let j = from;
    while (j < text.length) {
      const skipped = skipOpaque(j);
      if (skipped !== j) {
        j = skipped;
        continue;
      }
      const c = text[j];
      if (backslash && c === '\\') j += 2;
      else if (text.startsWith(close, j)) {
        if (close.length === 1 && text[j + 1] === close) j += 2;
        else return { end: j + close.length, ok: true };
      } else j++;
    }
    return { end: text.length, ok: false };
  };
  while (i < text.length) {
    const start = i;
    const opaqueEnd = opaqueAt.get(i);
    if (opaqueEnd !== undefined) {
      push('template', start, opaqueEnd);
      continue;
    }
    const c = text[i]!;
    const next = text[i + 1];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') {
      let j = i + 1;
      while (j < text.length && /\s/.test(text[j]!) && !opaqueAt.has(j)) j++;
      push('space', start, j);
    } else if (c === '-' && next === '-') {
      const nl = text.indexOf('\n', i);
      push('comment', start, nl === -1 ? text.length : nl);
    } else if (c === '/' && next === '*') {
      let depth = 1;
      let j = i + 2;
      while (j < text.length && depth > 0) {
        const skipped = skipOpaque(j);
        if (skipped !== j) j = skipped;
        else if (text.startsWith('/*', j)) (depth++, (j += 2));
        else if (text.startsWith('*/', j)) (depth--, (j += 2));
        else j++;
      }
      push('comment', start, j, depth > 0);
    } else if (c === "'") {
      const r = until(i + 1, "'", false);
      push('string', start, r.end, !r.ok);
    } else if ((c === 'E' || c === 'e') && next === "'") {
      const r = until(i + 2, "'", true);
      push('string', start, r.end, !r.ok);
    } else if (/[BbXxNn]/.test(c) && next === "'") {
      const r = until(i + 2, "'", false);
      push('string', start, r.end, !r.ok);
    } else if ((c === 'U' || c === 'u') && next === '&' && (text[i + 2] === "'" || text[i + 2] === '"')) {
      const quote = text[i + 2]!;
      const r = until(i + 3, quote, false);
      push(quote === "'" ? 'string' : 'quoted-ident', start, r.end, !r.ok);
    } else if (c === '"') {
      const r = until(i + 1, '"', false);
      push('quoted-ident', start, r.end, !r.ok);
    } else if (c === '`') {
      const r = until(i + 1, '`', false);
      push('quoted-ident', start, r.end, !r.ok);
    } else if (c === '[' && bracketIdentAllowed(tokens)) {
      const close = text.indexOf(']', i + 1);
      push('quoted-ident', start, close === -1 ? text.length : close + 1, close === -1);
    } else if (c === '$') {
      const tag = /^\$([A-Za-z_][\w]*)?\$/.exec(text.slice(i, i + 64));
      if (tag) {
        const close = text.indexOf(tag[0], i + tag[0].length);
        push('string', start, close === -1 ? text.length : close + tag[0].length, close === -1);
      } else if (/[0-9]/.test(next ?? '')) {
        let j = i + 1;
        while (j < text.length && /[0-9]/.test(text[j]!)) j++;
        push('param', start, j);
      } else push('punct', start, i + 1);
    } else if (c === '?') {
      let j = i + 1;
      while (j < text.length && /[0-9]/.test(text[j]!)) j++;
      push('param', start, j);
    } else if ((c === ':' || c === '@') && next !== undefined && WORD_START.test(next) && text[i - 1] !== ':') {
      let j = i + 1;
      while (j < text.length && WORD_PART.test(text[j]!)) j++;
      push('param', start, j);
    } else if (c === ';') {
      push('semicolon', start, i + 1);
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(next ?? ''))) {
      const m = /^(?:0[xX][0-9a-fA-F_]+|[0-9_]*\.?[0-9_]+(?:[eE][+-]?[0-9]+)?)/.exec(text.slice(i, i + 128));
      push('number', start, i + Math.max(1, m?.[0].length ?? 1));
    } else if (WORD_START.test(c)) {
      let j = i + 1;
      while (j < text.length && WORD_PART.test(text[j]!)) j++;
      push('word', start, j);
    } else if (c === ':' && next === ':') {
      push('punct', start, i + 2);
    } else {
      push('punct', start, i + 1);
    }
  }
  return tokens;
}

/** `[name]` is an SQLite identifier, except after something that can be subscripted (PostgreSQL arrays). */
function bracketIdentAllowed(tokens: SqlToken[]): boolean {
  for (let k = tokens.length - 1; k >= 0; k--) {
    const t = tokens[k]!;
    if (t.type === 'space' || t.type === 'comment') continue;
    if (t.type === 'word' || t.type === 'quoted-ident' || t.type === 'param' || t.type === 'template') return false;
    if (t.type === 'punct' && (t.text === ')' || t.text === ']')) return false;
    return true;
  }
  return true;
}
