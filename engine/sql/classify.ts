/**
 * SQL statements: where they are, and which of them write (runbooks/README.md, "Safety defaults": a writing statement
 * needs a confirm). Also which placeholders sit inside quotes, and turning placeholders into bind
 * parameters. Keywords inside strings and comments never count. When unsure, a statement writes:
 * the read-only session a reading step runs in is only the backstop.
 */
import { isIdentPart, lexSql, type Span, type SqlToken } from './lexer.js';
import {
  ACTION_PRAGMAS,
  DATA_MODIFYING,
  EFFECT_FUNCTION_PREFIXES,
  EFFECT_FUNCTIONS,
  READ_PRAGMAS_WITH_ARGUMENT,
  READS,
  WRITES,
} from './keywords.js';

export interface SqlStatement {
  start: number;
  end: number;
  /** Upper-cased first keyword (the first word, past any leading `(`); '' when there is none. */
  keyword: string;
  writes: boolean;
  /** Why, for the author: 'UPDATE modifies rows', 'SELECT reads', ... */
  reason: string;
  /** The statement was not recognised, so it is taken to write: `readonly=true` may say otherwise. */
  assumed?: true;
}

export interface SqlClassification {
  statements: SqlStatement[];
  writes: boolean;
}

type Verdict = { writes: boolean; reason: string; assumed?: true };
/** One statement's significant tokens; `up` holds upper-cased words and the text of punctuation and numbers ('' otherwise); `depth` the parenthesis depth (a `(` and its `)` are outside). */
type Statement = { t: SqlToken[]; up: string[]; depth: number[] };

const MAX_NESTING = 8;
const reads = (reason: string): Verdict => ({ writes: false, reason });
const writes = (reason: string): Verdict => ({ writes: true, reason });
/** Not recognised, so taken to write (the safe side). */
const assumedWrite = (reason: string): Verdict => ({
  writes: true,
  reason: `${reason}: assumed to write`,
  assumed: true,
});

/**
 * Recent answers, by text and opaque spans: a runbook repeats its queries (a drill runs the same
 * count thousands of times), and check asks about each sql step more than once (the graph whether
 * it writes, the rules what its statements are and whether one ends the transaction). Bounded,
 * oldest out. Answers are shared with later callers, so nothing may change one.
 */
const MAX_REMEMBERED = 512;

function remembered<T>(memo: Map<string, T>, text: string, opaque: ReadonlyArray<Span>, compute: () => T): T {
  // The spans hold no NUL, so the first one ends them: no two (text, spans) share a key.
  const key = `${opaque.map((o) => `${o.start},${o.end}`).join(';')}\u0000${text}`;
  let found = memo.get(key);
  if (found === undefined) {
    found = compute();
    if (memo.size >= MAX_REMEMBERED) memo.delete(memo.keys().next().value!);
    memo.set(key, found);
  }
  return found;
}

const classified = new Map<string, SqlClassification>();

/** The statements of `text` and which write (shared: see `remembered`). */
export function classifySql(text: string, opaque: ReadonlyArray<Span> = []): SqlClassification {
  return remembered(classified, text, opaque, () => classifyText(text, opaque));
}

function classifyText(text: string, opaque: ReadonlyArray<Span>): SqlClassification {
  const statements = splitStatements(lexSql(text, opaque)).map((t): SqlStatement => {
    const s = prepare(t);
    const verdict = classify(s, 0, t.length, 0);
    const first = s.up.findIndex((w) => w !== '(');
    const keyword = first >= 0 && t[first]!.type === 'word' ? s.up[first]! : '';
    return { start: t[0]!.start, end: t[t.length - 1]!.end, keyword, ...verdict };
  });
  return { statements, writes: statements.some((s) => s.writes) };
}

/**
 * The significant tokens (no space or comment) of each non-empty statement, split on `;`. A
 * SQLite `CREATE TRIGGER ... BEGIN ... END`, a PostgreSQL `BEGIN ATOMIC ... END` routine body and
 * a `CREATE RULE ... (a; b)` stay whole.
 */
export function splitStatements(tokens: readonly SqlToken[]): SqlToken[][] {
  const out: SqlToken[][] = [];
  let current: SqlToken[] = [];
  let create = false,
    trigger = false,
    routine = false,
    rule = false,
    body = false;
  let cases = 0,
    depth = 0,
    previous = '';
  for (const token of tokens) {
    if (token.type === 'space' || token.type === 'comment') continue;
    if (token.type === 'semicolon' && !body && !(rule && depth > 0)) {
      if (current.length > 0) out.push(current);
      current = [];
      create = trigger = routine = rule = body = false;
      cases = depth = 0;
      previous = '';
      continue;
    }
    current.push(token);
    if (token.type === 'punct') depth += token.text === '(' ? 1 : token.text === ')' && depth > 0 ? -1 : 0;
    if (token.type !== 'word') continue;
    const word = token.text.toUpperCase();
    if (current.length === 1) create = word === 'CREATE';
    else if (body) {
      if (word === 'CASE') cases++;
      else if (word === 'END' && cases > 0) cases--;
      else if (word === 'END') body = false;
    } else if (create) {
      if (word === 'TRIGGER') trigger = true;
      else if (word === 'FUNCTION' || word === 'PROCEDURE') routine = true;
      else if (word === 'RULE') rule = true;
      else if ((word === 'BEGIN' && trigger) || (word === 'ATOMIC' && previous === 'BEGIN' && routine))
        (body = true), (cases = 0);
    }
    previous = word;
  }
  if (current.length > 0) out.push(current);
  return out;
}

function prepare(t: SqlToken[]): Statement {
  const up: string[] = [];
  const depth: number[] = [];
  let d = 0;
  for (const token of t) {
    const isPunct = token.type === 'punct';
    if (isPunct && token.text === ')' && d > 0) d--;
    depth.push(d);
    up.push(token.type === 'word' ? token.text.toUpperCase() : isPunct || token.type === 'number' ? token.text : '');
    if (isPunct && token.text === '(') d++;
  }
  return { t, up, depth };
}

/** The statement in tokens [from, to). */
function classify(s: Statement, from: number, to: number, nesting: number): Verdict {
  const first = s.t[from];
  if (!first || from >= to) return assumedWrite('no statement found');
  if (nesting > MAX_NESTING) return assumedWrite('too deeply nested to classify');
  const kw = s.up[from]!;
  if (kw === '(') return query(s, from, to, 'a parenthesised query', true);
  if (first.type !== 'word')
    return assumedWrite(`a statement starting with \`${first.text.slice(0, 24)}\` is not recognised`);
  switch (kw) {
    case 'SELECT':
    case 'VALUES':
    case 'TABLE':
    case 'WITH':
      return query(s, from, to, kw, false);
    case 'EXPLAIN':
      return explain(s, from, to, nesting);
    case 'COPY':
      return copy(s, from, to, nesting);
    case 'PRAGMA':
      return pragma(s, from, to);
    case 'DECLARE': {
      const at = find(s, from, to, (w, i) => w === 'FOR' && s.depth[i] === s.depth[from]);
      if (at < 0) return assumedWrite('DECLARE without FOR');
      const inner = classify(s, at + 1, to, nesting + 1);
      return { ...inner, reason: `DECLARE ... CURSOR FOR: ${inner.reason}` };
    }
    case 'SET':
    case 'RESET':
    case 'BEGIN':
    case 'START':
      if (liftsReadOnly(s, from, to)) return writes(`${kw} ... can turn off read-only mode`);
      return kw === 'SET' || kw === 'RESET' ? reads(`${kw} changes a session setting, not data`) : reads(READS[kw]!);
    case 'COMMIT':
      if (s.up[from + 1] === 'PREPARED') return writes('COMMIT PREPARED commits the changes of a prepared transaction');
  }
  const read = READS[kw];
  if (read !== undefined) return reads(read);
  const write = WRITES[kw];
  return write !== undefined ? writes(write) : assumedWrite(`unknown statement ${kw}`);
}

/**
 * SELECT, VALUES, TABLE, WITH or `(query)`: reads, unless it modifies data (a data-modifying CTE
 * or main statement), takes row locks, creates a table (SELECT ... INTO at the top level, at any
 * level inside parentheses) or calls a function with effects.
 */
function query(s: Statement, from: number, to: number, what: string, intoAnyDepth: boolean): Verdict {
  const top = s.depth[from]!;
  for (let i = from; i < to; i++) {
    const w = s.up[i]!;
    const next = s.up[i + 1];
    if (w === 'FOR') {
      const lock =
        next === 'UPDATE' || next === 'SHARE'
          ? next
          : next === 'NO' && s.up[i + 2] === 'KEY' && s.up[i + 3] === 'UPDATE'
            ? 'NO KEY UPDATE'
            : next === 'KEY' && s.up[i + 2] === 'SHARE'
              ? 'KEY SHARE'
              : '';
      if (lock) return writes(`${what} ... FOR ${lock} takes row locks`);
    } else if (w === 'INTO' && s.t[i]!.type === 'word' && (intoAnyDepth || s.depth[i] === top)) {
      return writes(`${what} ... INTO creates a table`);
    } else if (
      s.t[i]!.type === 'word' &&
      next !== '(' &&
      (DATA_MODIFYING.has(w) || (w === 'REPLACE' && next === 'INTO'))
    ) {
      const before = s.up[i - 1];
      if (i > from && (before === 'FOR' || before === 'KEY' || before === '.')) continue;
      if (what === 'WITH' && s.depth[i] === top) return writes(`WITH ... ${WRITES[w]}`);
      return writes(
        what === 'WITH' ? `WITH ... ${w} is a data-modifying CTE` : `${what} contains a data-modifying ${w}`,
      );
    } else if (next === '(' && s.t[i]!.type === 'word' && effectFunction(s, i)) {
      return writes(`${what} calls ${s.t[i]!.text}(), which has effects beyond the query`);
    }
  }
  return reads(what === 'WITH' ? 'WITH ... SELECT reads' : `${what} reads`);
}

function effectFunction(s: Statement, i: number): boolean {
  const name = s.up[i]!;
  if (EFFECT_FUNCTIONS.has(name) || EFFECT_FUNCTION_PREFIXES.some((p) => name.startsWith(p))) return true;
  const argument = s.t[i + 2];
  return name === 'SET_CONFIG' && argument?.type === 'string' && /read_only/i.test(argument.text);
}

/** EXPLAIN only plans, unless ANALYZE (legacy or in the option list, not `ANALYZE false`) runs the statement. */
function explain(s: Statement, from: number, to: number, nesting: number): Verdict {
  let i = from + 1;
  let analyze = false;
  const isAnalyze = (w: string | undefined): boolean => w === 'ANALYZE' || w === 'ANALYSE';
  if (s.up[i] === '(') {
    const close = matching(s, i, to);
    for (let j = i + 1; j < close; j++) {
      if (isAnalyze(s.up[j]) && s.depth[j] === s.depth[i]! + 1)
        analyze = !['FALSE', 'OFF', '0', 'NO'].includes(s.up[j + 1] ?? '');
    }
    i = close + 1;
  } else {
    for (; s.up[i] === 'VERBOSE' || isAnalyze(s.up[i]); i++) analyze ||= isAnalyze(s.up[i]);
  }
  if (!analyze) return reads('EXPLAIN only shows the plan');
  const inner = classify(s, i, to, nesting + 1);
  return inner.writes
    ? writes(`EXPLAIN ANALYZE runs the statement: ${inner.reason}`)
    : reads(`EXPLAIN ANALYZE of a read: ${inner.reason}`);
}

/** COPY ... FROM loads rows; COPY ... TO STDOUT reads; TO a server file or PROGRAM acts on the server. */
function copy(s: Statement, from: number, to: number, nesting: number): Verdict {
  let i = from + 1;
  if (s.up[i] === '(') {
    const close = matching(s, i, to);
    const inner = classify(s, i + 1, close, nesting + 1);
    if (inner.writes) return writes(`COPY (...) runs a statement that writes: ${inner.reason}`);
    i = close + 1;
  }
  const at = find(s, i, to, (w, j) => (w === 'FROM' || w === 'TO') && s.depth[j] === s.depth[from]);
  if (at < 0) return assumedWrite('COPY without FROM or TO');
  if (s.up[at] === 'FROM') return writes('COPY ... FROM loads rows into a table');
  if (s.up[at + 1] === 'STDOUT') return reads('COPY ... TO STDOUT reads');
  return s.up[at + 1] === 'PROGRAM'
    ? writes('COPY ... TO PROGRAM runs a program on the server')
    : writes('COPY ... TO a file writes a file on the server');
}

/** SQLite: `PRAGMA name` and `PRAGMA table_info(t)` read; `PRAGMA name = v`, `PRAGMA name(v)` and actions write. */
function pragma(s: Statement, from: number, to: number): Verdict {
  let i = from + 1;
  let name = '';
  for (; i < to && (s.t[i]!.type === 'word' || s.t[i]!.type === 'quoted-ident' || s.up[i] === '.'); i++) {
    if (s.up[i] !== '.') name = s.up[i] || s.t[i]!.text.slice(1, -1).toUpperCase();
  }
  const label = `PRAGMA ${name.toLowerCase()}`;
  if (i >= to)
    return ACTION_PRAGMAS.has(name) ? writes(`${label} changes the database`) : reads(`${label} reads a setting`);
  if (s.up[i] === '(')
    return READ_PRAGMAS_WITH_ARGUMENT.has(name)
      ? reads(`${label}(...) reads`)
      : writes(`${label}(...) changes a setting`);
  return s.up[i] === '='
    ? writes(`${label} = ... changes a setting`)
    : assumedWrite(`${label} in an unrecognised form`);
}

/** `READ WRITE`, a `*transaction_read_only` setting, or `RESET ALL`: these would lift the read-only backstop. */
function liftsReadOnly(s: Statement, from: number, to: number): boolean {
  if (s.up[from] === 'RESET' && s.up[from + 1] === 'ALL') return true;
  return (
    find(
      s,
      from,
      to,
      (w, i) =>
        (w === 'READ' && s.up[i + 1] === 'WRITE') ||
        ((s.t[i]!.type === 'word' || s.t[i]!.type === 'quoted-ident') && /transaction_read_only/i.test(s.t[i]!.text)),
    ) >= 0
  );
}

function find(s: Statement, from: number, to: number, test: (word: string, i: number) => boolean): number {
  for (let i = from; i < to; i++) if (test(s.up[i]!, i)) return i;
  return -1;
}

/** The `)` closing the `(` at `open`, or `to`. */
function matching(s: Statement, open: number, to: number): number {
  const i = find(s, open + 1, to, (w, j) => w === ')' && s.depth[j] === s.depth[open]);
  return i < 0 ? to : i;
}

/** Indexes (into `opaque`) of placeholders inside a string literal or a quoted identifier: literal text, never a value. */
export function placeholdersInStrings(text: string, opaque: ReadonlyArray<Span>): number[] {
  return enclosedPlaceholders(text, opaque)
    .filter((p) => p.within !== 'comment')
    .map((p) => p.index);
}

/**
 * The placeholders (indexes into `opaque`) that stand inside a string literal, a quoted
 * identifier or a comment, with which: none of them is a bind parameter. Linear in the text.
 */
export function enclosedPlaceholders(
  text: string,
  opaque: ReadonlyArray<Span>,
): { index: number; within: 'string' | 'quoted-ident' | 'comment' }[] {
  if (opaque.length === 0) return [];
  const enclosing = lexSql(text, opaque).filter(
    (t) => t.type === 'string' || t.type === 'quoted-ident' || t.type === 'comment',
  );
  const out: { index: number; within: 'string' | 'quoted-ident' | 'comment' }[] = [];
  let q = 0;
  opaque.forEach((span, index) => {
    while (q < enclosing.length && enclosing[q]!.end <= span.start) q++;
    const token = enclosing[q];
    if (token && token.start < span.start && span.end <= token.end)
      out.push({ index, within: token.type as 'string' | 'quoted-ident' | 'comment' });
  });
  return out;
}

/**
 * Placeholders outside strings and comments become `$1, $2, ...` (postgres) or `?` (sqlite);
 * `params[n]` is the index into `opaque` of parameter n + 1. A space keeps a parameter from
 * merging with a neighbouring word or digit (`{{ a }}0` is `$1 0`, never `$10`).
 */
export function bindPlaceholders(
  text: string,
  opaque: ReadonlyArray<Span>,
  dialect: 'postgres' | 'sqlite',
): { text: string; params: number[] } {
  const index = new Map<number, number>();
  opaque.forEach((span, i) => {
    if (!index.has(span.start)) index.set(span.start, i);
  });
  const params: number[] = [];
  const parts: string[] = [];
  let cursor = 0;
  let lastChar = -1; // the last character written, when it is not text[cursor - 1]
  for (const token of lexSql(text, opaque)) {
    const slot = token.type === 'template' ? index.get(token.start) : undefined;
    if (slot === undefined) continue;
    params.push(slot);
    const previous = cursor === token.start && lastChar >= 0 ? lastChar : text.charCodeAt(token.start - 1);
    const param = dialect === 'postgres' ? `$${params.length}` : '?';
    const before = isIdentPart(previous) ? ' ' : '';
    const after = isIdentPart(text.charCodeAt(token.end)) ? ' ' : '';
    parts.push(text.slice(cursor, token.start), before, param, after);
    cursor = token.end;
    lastChar = (after || param).charCodeAt((after || param).length - 1);
  }
  parts.push(text.slice(cursor));
  return { text: parts.join(''), params };
}

/**
 * Statements that open, end or abandon a transaction (BEGIN, COMMIT, ROLLBACK without TO, END,
 * ABORT, START TRANSACTION, PREPARE TRANSACTION, COMMIT/ROLLBACK PREPARED). A sql step already runs
 * in a transaction of its own, read-only for a read; a COMMIT inside it would end that transaction
 * and let the statements after it run outside, with no read-only backstop and no all-or-nothing.
 * SAVEPOINT, RELEASE and ROLLBACK TO stay inside the transaction and are fine.
 */
export function transactionControl(
  text: string,
  opaque: ReadonlyArray<Span> = [],
): { start: number; end: number; phrase: string }[] {
  return remembered(controls, text, opaque, () => findControl(text, opaque));
}

const controls = new Map<string, { start: number; end: number; phrase: string }[]>();

function findControl(text: string, opaque: ReadonlyArray<Span>): { start: number; end: number; phrase: string }[] {
  const out: { start: number; end: number; phrase: string }[] = [];
  for (const t of splitStatements(lexSql(text, opaque))) {
    const words = t
      .filter((x) => x.type !== 'punct' || x.text !== '(')
      .slice(0, 2)
      .map((x) => (x.type === 'word' ? x.text.toUpperCase() : ''));
    const [first = '', second = ''] = words;
    const ends =
      ['BEGIN', 'COMMIT', 'END', 'ABORT'].includes(first) ||
      (first === 'ROLLBACK' && second !== 'TO') ||
      (first === 'START' && second === 'TRANSACTION') ||
      (first === 'PREPARE' && second === 'TRANSACTION');
    if (ends)
      out.push({
        start: t[0]!.start,
        end: t[t.length - 1]!.end,
        phrase:
          second && second !== 'TO' && ['START', 'PREPARE', 'COMMIT', 'ROLLBACK'].includes(first) && second !== 'WORK'
            ? `${first} ${second}`
            : first,
      });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// What check and the runner say about statements they cannot run as written

/** 1-based line and column of `offset` in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** The first words of a statement, for a message: `SELECT 2`, cut at 40 characters. */
export function statementHead(text: string, statement: { start: number; end: number }): string {
  const words = text.slice(statement.start, statement.end).replace(/\s+/g, ' ').trim();
  return words.length > 40 ? `${words.slice(0, 39)}…` : words;
}

/**
 * A sql step that holds more than one statement without `script=true`: PostgreSQL and SQLite run
 * one statement per query. `where` places the second statement (a file position for check, the
 * statement text's own line and column for the runner).
 */
export function severalStatementsMessage(
  count: number,
  head: string,
  where: string,
): { message: string; hint: string } {
  return {
    message: `this sql step holds ${count} statements (the second, \`${head}\`, begins at ${where}), but a sql step runs one statement unless it is marked script=true`,
    hint: 'add script=true to run them in order in one transaction (all or nothing), or put each statement in a sql step of its own',
  };
}

/**
 * Why a statement Stepwise did not recognise is taken to write, naming its first word: check warns
 * with it, and a run that refuses the step (no confirm guards it) says the same.
 */
export function unrecognisedStatement(statement: Pick<SqlStatement, 'keyword' | 'reason'>): string {
  return `${unrecognised(statement)}, so it is treated as a write, which needs a confirm before it, unless the step is marked readonly=true`;
}

/** `\`SELEC\` is not a statement Stepwise recognises`, or why it could not tell. */
export function unrecognised(statement: Pick<SqlStatement, 'keyword' | 'reason'>): string {
  return statement.keyword !== '' && /^unknown statement /.test(statement.reason)
    ? `\`${statement.keyword}\` is not a statement Stepwise recognises`
    : `Stepwise cannot classify this statement (${statement.reason.replace(/: assumed to write$/, '')})`;
}

/** The first statement of a sql text that is taken to write only because it was not recognised, when nothing else in it writes. */
export function onlyAssumedWrite(text: string, opaque: ReadonlyArray<Span> = []): SqlStatement | undefined {
  const { statements } = classifySql(text, opaque);
  if (statements.some((s) => s.writes && s.assumed !== true)) return undefined;
  return statements.find((s) => s.assumed === true);
}
