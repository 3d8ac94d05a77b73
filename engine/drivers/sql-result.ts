/** What a SQL query gives back, bounded: the first rows, the total count and a hash of them all. */
import { lexSql } from '../sql/lexer.js';
import type { TruncatedCell } from './row-digest.js';
import {
  classifySql,
  lineColumn,
  severalStatementsMessage,
  splitStatements,
  statementHead,
  transactionControl,
} from '../sql/classify.js';

export interface SqlField {
  name: string;
  /** Database type name or OID as text, when the driver says. */
  type?: string;
}

export interface SqlResult {
  /** The first `maxRows` rows, as plain objects (column name → value). */
  rows: Record<string, unknown>[];
  /** Rows the statement returned (all of them, not only those kept), or rows affected by a write. */
  rowCount: number;
  fields: SqlField[];
  /** `SELECT`, `UPDATE`, ...: the command tag. */
  command: string;
  /** More rows came back than were kept. */
  truncated: boolean;
  /** sha256 (hex) over every returned row, each as JSON on its own line, in order. */
  sha256: string;
  /** Why rows were dropped, when they were: `max-rows`, or `size` (the rows kept reached MAX_RESULT_BYTES). */
  truncatedBy?: 'max-rows' | 'size';
  /** Cells kept only in part (over MAX_CELL_BYTES): row index, column, whole size in bytes and sha256. */
  truncatedCells?: TruncatedCell[];
  ms: number;
}

export interface QueryOptions {
  /** Run in a read-only transaction (the database refuses writes). */
  readonly: boolean;
  timeoutMs: number;
  maxRows: number;
  signal?: AbortSignal;
}

/** One connection target: PostgreSQL, PGlite or SQLite. */
export interface SqlConnection {
  readonly dialect: 'postgres' | 'sqlite' | 'mysql';
  query(sql: string, params: unknown[], options: QueryOptions): Promise<SqlResult>;
  /**
   * Runs statements in order, in one transaction on one session (all or nothing), under one
   * time limit; the result is the last statement's.
   */
  script(statements: { sql: string; params: unknown[] }[], options: QueryOptions): Promise<SqlResult>;
  close(): Promise<void>;
}

/** A query failed: carries the database's own message, and whether it was a timeout or a cancel. */
export class SqlError extends Error {
  constructor(
    message: string,
    readonly reason: 'error' | 'timeout' | 'cancelled',
    readonly code?: string,
  ) {
    super(message);
  }
}

/**
 * One query is one statement: PostgreSQL and SQLite refuse more in their own words ("cannot insert
 * multiple commands into a prepared statement"); Stepwise says what to do instead, as `check` does.
 */
function refuseSeveral(sql: string): void {
  // classifySql remembers its answer: a drill's steps run the same few queries again and again.
  if (classifySql(sql).statements.length < 2) return;
  const statements = splitStatements(lexSql(sql));
  const second = statements[1]!;
  const span = { start: second[0]!.start, end: second[second.length - 1]!.end };
  const { line, column } = lineColumn(sql, span.start);
  const { message, hint } = severalStatementsMessage(
    statements.length,
    statementHead(sql, span),
    `line ${line}, column ${column} of its SQL`,
  );
  throw new SqlError(`${message}: ${hint}`, 'error');
}

/**
 * The connection, refusing statements that would end the transaction each query runs in (a
 * COMMIT inside a read-only query would let the statements after it write). `check` reports them
 * to the author; this is the backstop for anything that reaches a driver directly.
 */
export function refusingTransactionControl(connection: SqlConnection): SqlConnection {
  const refuse = (statements: { sql: string }[]): void => {
    for (const { sql } of statements) {
      const found = transactionControl(sql)[0];
      if (found)
        throw new SqlError(
          `${found.phrase} is not allowed in a sql step: each step already runs in a transaction of its own; use script=true for several statements that must all succeed or none`,
          'error',
        );
    }
  };
  return {
    dialect: connection.dialect,
    async query(sql, params, options) {
      refuse([{ sql }]);
      refuseSeveral(sql);
      return connection.query(sql, params, options);
    },
    async script(statements, options) {
      refuse(statements);
      return connection.script(statements, options);
    },
    close: () => connection.close(),
  };
}
