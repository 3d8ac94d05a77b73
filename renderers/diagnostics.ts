/**
 * Diagnostics for people (`file:line:col: error: message`) and for editors (JSON). Both list
 * each file's diagnostics in position order (its included files' grouped after it), whatever
 * order the rules found them in.
 */
import { sortDiagnostics, type Diagnostic } from '../engine/document/diagnostic.js';

export interface FileDiagnostics {
  file: string;
  diagnostics: Diagnostic[];
}

export function formatText(results: FileDiagnostics[], color: boolean): string {
  const paint = (code: string, text: string): string => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const lines: string[] = [];
  for (const { file, diagnostics } of results) {
    for (const d of sortDiagnostics([...diagnostics], file)) {
      const where = `${d.file ?? file}:${d.span.start.line}:${d.span.start.column}`;
      const severity = d.severity === 'error' ? paint('31;1', 'error') : paint('33;1', 'warning');
      lines.push(`${where}: ${severity}: ${d.message} ${paint('2', `[${d.rule}]`)}`);
      if (d.hint) lines.push(`    ${paint('2', `hint: ${d.hint.replaceAll('\n', '\n          ')}`)}`);
    }
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

export function formatJson(results: FileDiagnostics[]): string {
  const out = results.flatMap(({ file, diagnostics }) =>
    sortDiagnostics([...diagnostics], file).map((d) => ({
      file: d.file ?? file,
      line: d.span.start.line,
      column: d.span.start.column,
      endLine: d.span.end.line,
      endColumn: d.span.end.column,
      severity: d.severity,
      rule: d.rule,
      message: d.message,
      ...(d.hint ? { hint: d.hint } : {}),
    })),
  );
  return `${JSON.stringify(out, null, 2)}\n`;
}

export function summary(results: FileDiagnostics[]): string {
  const count = (s: Diagnostic['severity']): number =>
    results.reduce((n, r) => n + r.diagnostics.filter((d) => d.severity === s).length, 0);
  const errors = count('error');
  const warnings = count('warning');
  const files = results.length === 1 ? '1 file' : `${results.length} files`;
  if (errors === 0 && warnings === 0) return `${files} checked: no problems`;
  return `${files} checked: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
}
