import type { Span } from './position.js';

export type Severity = 'error' | 'warning';

/**
 * A problem found in a runbook, as a value: where it is, which rule found it,
 * what is wrong and (in `hint`) what to do about it.
 */
export interface Diagnostic {
  severity: Severity;
  /** Stable rule id, e.g. `unknown-reference`; editors and tests key on it. */
  rule: string;
  message: string;
  span: Span;
  /** What to do, or the suggestion ("did you mean `sql`?"). */
  hint?: string;
  /** The file the problem is in, when it is not the runbook itself (an included file). */
  file?: string;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Document order, errors before warnings at the same place. */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort(
    (a, b) =>
      (a.file ?? '').localeCompare(b.file ?? '') ||
      a.span.start.offset - b.span.start.offset ||
      (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) ||
      a.rule.localeCompare(b.rule),
  );
}
