/** 1-based line and column, as editors and `file:line:col` diagnostics use them. */
export interface Point {
  line: number;
  column: number;
  /** 0-based offset into the runbook source. */
  offset: number;
}

export interface Span {
  start: Point;
  end: Point;
}

/**
 * Maps offsets of one source text to line/column points.
 * Built once per file; lookups are a binary search, so a 10,000-step runbook stays linear; one
 * on the line of the last lookup or the next is found without it (parse.ts asks in document
 * order: a megabyte of one-line blocks made 400,000 lookups of 18 steps each).
 */
export class SourceMap {
  private readonly lineStarts: number[];
  /** The line (from 0) of the last lookup. */
  private last = 0;

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) starts.push(i + 1);
    }
    this.lineStarts = starts;
  }

  point(offset: number): Point {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const line = this.lineOf(clamped);
    return { line: line + 1, column: clamped - this.lineStarts[line]! + 1, offset: clamped };
  }

  /** The line (from 0) `offset` is on: the last one starting at or before it. */
  private lineOf(offset: number): number {
    const starts = this.lineStarts;
    const last = this.last;
    if (starts[last]! <= offset) {
      const next = starts[last + 1];
      if (next === undefined || offset < next) return last;
      const after = starts[last + 2];
      if (after === undefined || offset < after) return (this.last = last + 1);
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return (this.last = lo);
  }

  span(start: number, end: number): Span {
    return { start: this.point(start), end: this.point(end) };
  }

  /** Offset of the first character of a 1-based line. */
  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line - 1, this.lineStarts.length - 1))]!;
  }
}
