/** Expressions and templates as the document holds them: source text with where it stands. */
import type { Span } from './position.js';

/** A bare JavaScript expression (`that`, `when`, `until`, `set` values), where it stands. */
export interface Expression {
  source: string;
  span: Span;
}

/** Text that may hold `{{ expr }}` placeholders (labels, attribute values, bodies). */
export interface Template {
  /** The raw text, placeholders included. */
  source: string;
  span: Span;
  parts: TemplatePart[];
}

export type TemplatePart = { type: 'text'; text: string } | { type: 'expr'; expression: Expression };
