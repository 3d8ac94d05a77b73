/**
 * What analysing an expression finds (analyze.ts from acorn's tree, simple.ts without it): a
 * module of its own, so that the two readers share it without importing each other.
 */
export interface ExprReference {
  /** The free identifier: `stuck`, `inputs`, `steps`, `Math`, ... */
  root: string;
  /** Static member chain after the root: `steps['my-id'].rows[0].id` → ['my-id', 'rows', '0', 'id']. */
  path: string[];
  /** Offset of the root identifier in the expression source. */
  start: number;
  /** End offset of the whole static chain. */
  end: number;
}

export type ExprAnalysis = { ok: true; references: ExprReference[] } | { ok: false; message: string; offset: number };
