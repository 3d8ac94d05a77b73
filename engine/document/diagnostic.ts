import type { Span } from './position.js';
import type { RuleId, Severity } from './rule-ids.js';

export type { RuleId, Severity } from './rule-ids.js';

/**
 * A problem found in a runbook, as a value: where it is, which rule found it,
 * what is wrong and (in `hint`) what to do about it.
 */
export interface Diagnostic {
  severity: Severity;
  /** Stable rule id, e.g. `unknown-reference`, from the catalogue (rule-ids.ts); editors and tests key on it. */
  rule: RuleId;
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

/**
 * Position order: the runbook's own diagnostics first, then each included file's grouped under
 * it (by path); within a file by line, then column; errors before warnings at the same place,
 * then by rule and message, so the order never depends on which rule found a problem first.
 * `mainFile` is the runbook's path: a diagnostic naming it counts as the runbook's own.
 */
export function sortDiagnostics(diagnostics: Diagnostic[], mainFile?: string): Diagnostic[] {
  const fileOf = (d: Diagnostic): string => (d.file === undefined || d.file === mainFile ? '' : d.file);
  const text = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return diagnostics.sort(
    (a, b) =>
      text(fileOf(a), fileOf(b)) ||
      a.span.start.line - b.span.start.line ||
      a.span.start.column - b.span.start.column ||
      (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) ||
      text(a.rule, b.rule) ||
      text(a.message, b.message),
  );
}
