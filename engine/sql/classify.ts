/**
 * SQL statements: where they are, and which of them write (format.md §7: a writing statement
 * needs a confirm). Also which placeholders sit inside string literals, and turning placeholders
 * into bind parameters. Keywords inside strings and comments never count.
 */
import { lexSql, type Span, type SqlToken } from './lexer.js';
import { CONTROL_KEYWORDS, DATA_MODIFYING, LOCK_STRENGTH, READ_KEYWORDS, WRITE_KEYWORDS } from './keywords.js';

export interface SqlStatement {
  start: number;
  end: number;
  /** Upper-cased first keyword; '' when the statement starts with something else. */
  keyword: string;
  writes: boolean;
  reason: string;
}

export interface SqlClassification {
  statements: SqlStatement[];
  writes: boolean;
}

const significant = (t: SqlToken): boolean => t.type !== 'space' && t.type !== 'comment';

export function splitStatements(tokens: SqlToken[]): SqlToken[][] {
  const statements: SqlToken[][] = [];
  let current: SqlToken[] = [];
  let triggerBody = 0; // inside CREATE TRIGGER ... BEGIN ... END (SQLite), semicolons do not split
  for (const token of tokens) {
    if (token.type === 'semicolon' && triggerBody === 0) {
      if (current.some(significant)) statements.push(current);
      current = [];
      continue;
    }
    current.push(token);
    if (token.type === 'word') {
      const word = token.text.toUpperCase();
      const words = current.filter((t) => t.type === 'word');
      if (word === 'BEGIN' && words.length > 1 && words[0]!.text.toUpperCase() === 'CREATE' && words.some((w) => w.text.toUpperCase() === 'TRIGGER')) triggerBody++;
      else if (word === 'END' && triggerBody > 0) triggerBody--;
    }
  }
  if (current.some(significant)) statements.push(current);
  return statements;
}

export function classifySql(text: string, opaque: ReadonlyArray<Span> = []): SqlClassification {
  const statements = splitStatements(lexSql(text, opaque)).map(classifyStatement);
  return { statements, writes: statements.some((s) => s.writes) };
}

function classifyStatement(tokens: SqlToken[]): SqlStatement {
  const sig = tokens.filter(significant);
  const start = sig[0]!.start;
  const end = sig[sig.length - 1]!.end;
  const words = withDepth(sig);
  const first = sig[0]!;
  const keyword = first.type === 'word' ? first.text.toUpperCase() : '';
  const out = (writes: boolean, reason: string): SqlStatement => ({ start, end, keyword, writes, reason });
  if (first.type === 'punct' && first.text === '(') {
    return anyWord(words, DATA_MODIFYING) ? out(true, 'a parenthesised data-modifying statement') : out(false, 'a parenthesised query reads');
  }
  if (keyword === '') return out(true, `a statement starting with \`${first.text.slice(0, 20)}\` is not recognised: assumed to write`);
  if (keyword === 'WITH') {
    const modifying = words.find((w) => DATA_MODIFYING.has(w.word));
    return modifying ? out(true, `WITH ... ${modifying.word} is a data-modifying statement`) : lockingOrInto(words, out, 'WITH ... SELECT reads');
  }
  if (keyword === 'EXPLAIN') {
    const analyze = words.slice(1, 6).some((w) => w.word === 'ANALYZE' || w.word === 'ANALYSE');
    const modifying = words.find((w) => DATA_MODIFYING.has(w.word));
    return analyze && modifying ? out(true, `EXPLAIN ANALYZE runs the ${modifying.word}`) : out(false, 'EXPLAIN reads');
  }
  if (keyword === 'COPY') {
    return words.some((w) => w.word === 'FROM' && w.depth === 0) ? out(true, 'COPY ... FROM loads rows') : out(false, 'COPY ... TO reads');
  }
  if (keyword === 'PRAGMA') {
    return sig.some((t) => t.type === 'punct' && t.text === '=') ? out(true, 'PRAGMA ... = changes a setting') : out(false, 'PRAGMA reads a setting');
  }
  if (keyword === 'SELECT' || keyword === 'VALUES' || keyword === 'TABLE') return lockingOrInto(words, out, `${keyword} reads`);
  if (READ_KEYWORDS.has(keyword)) return out(false, `${keyword} reads`);
  if (CONTROL_KEYWORDS.has(keyword)) return out(false, `${keyword} is session or transaction control`);
  const reason = WRITE_KEYWORDS[keyword];
  return reason ? out(true, reason) : out(true, `unknown statement ${keyword}: assumed to write`);
}

type Word = { word: string; depth: number; token: SqlToken };

function lockingOrInto(words: Word[], out: (writes: boolean, reason: string) => SqlStatement, readReason: string): SqlStatement {
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w.word === 'FOR' && LOCK_STRENGTH.has(words[i + 1]?.word ?? '')) return out(true, `SELECT ... FOR ${words[i + 1]!.word === 'NO' ? 'NO KEY UPDATE' : words[i + 1]!.word} takes row locks`);
    if (w.word === 'INTO' && w.depth === 0) return out(true, 'SELECT ... INTO creates a table');
  }
  return out(false, readReason);
}

function anyWord(words: Word[], set: Set<string>): boolean {
  return words.some((w) => set.has(w.word));
}

/** Each significant token with its upper-cased word (if a word) and parenthesis depth. */
function withDepth(tokens: SqlToken[]): Word[] {
  let depth = 0;
  return tokens.map((token) => {
    if (token.type === 'punct' && token.text === ')') depth = Math.max(0, depth - 1);
    const word = { word: token.type === 'word' ? token.text.toUpperCase() : '', depth, token };
    if (token.type === 'punct' && token.text === '(') depth++;
    return word;
  });
}

/** Indexes (into `opaque`) of placeholders that stand inside a string literal or quoted identifier. */
export function placeholdersInStrings(text: string, opaque: ReadonlyArray<Span>): number[] {
  if (opaque.length === 0) return [];
  const quoted = lexSql(text, opaque).filter((t) => t.type === 'string' || t.type === 'quoted-ident');
  const out: number[] = [];
  let q = 0;
  opaque.forEach((span, index) => {
    while (q < quoted.length && quoted[q]!.end <= span.start) q++;
    const token = quoted[q];
    if (token && token.start < span.start && span.end <= token.end) out.push(index);
  });
  return out;
}

/** Placeholders outside strings and comments become `$1, $2, ...` (postgres) or `?` (sqlite). */
export function bindPlaceholders(text: string, opaque: ReadonlyArray<Span>, dialect: 'postgres' | 'sqlite'): { text: string; params: number[] } {
  const index = new Map(opaque.map((s, i) => [s.start, i]));
  const params: number[] = [];
  let result = '';
  for (const token of lexSql(text, opaque)) {
    if (token.type === 'template') {
      params.push(index.get(token.start)!);
      result += dialect === 'postgres' ? `$${params.length}` : '?';
    } else result += token.text;
  }
  return { text: result, params };
}
