/** Small helpers the SQL tests share. */
import { expect } from 'vitest';
import { SqlError } from '../../engine/drivers/sql-result.js';

export type Span = { start: number; end: number };

/** Naive `{{ ... }}` finder for tests (the real one, scanTemplate, is used where it matters). */
export function spansOf(sql: string): Span[] {
  const out: Span[] = [];
  for (let i = sql.indexOf('{{'); i !== -1; i = sql.indexOf('{{', i)) {
    const close = sql.indexOf('}}', i);
    if (close === -1) break;
    out.push({ start: i, end: close + 2 });
    i = close + 2;
  }
  return out;
}

/** Awaits a query that must fail with a SqlError, and returns that error. */
export async function failure(promise: Promise<unknown>): Promise<SqlError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SqlError);
    return error as SqlError;
  }
  throw new Error('expected the query to fail');
}
