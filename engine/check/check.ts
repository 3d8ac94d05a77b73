/** `check`'s engine: parse, build the graph, run the rules; every problem at once, in document order. */
import { sortDiagnostics, type Diagnostic } from '../document/diagnostic.js';
import type { RunbookDocument } from '../document/model.js';
import { parseRunbook } from '../document/parse.js';
import { readIncludedFile } from '../document/include.js';
import { buildGraph } from '../graph/build.js';
import type { StepGraph } from '../graph/model.js';
import type { Rule } from './rule.js';
import { dangerPhrase } from './rules/danger-phrase.js';
import { frontmatterPlaceholders } from './rules/frontmatter-placeholders.js';
import { placeholderInQuotes } from './rules/placeholder-in-quotes.js';
import { readonlyWrite } from './rules/readonly-write.js';
import { confirmDecline } from './rules/confirm-decline.js';
import { readsSkippableStep } from './rules/reads-skippable-step.js';
import { setReservedName } from './rules/set-reserved-name.js';
import { shellPlaceholder } from './rules/shell-placeholder.js';
import { transactionControl } from './rules/transaction-control.js';
import { writeWithoutConfirm } from './rules/write-without-confirm.js';
import { sqlStatements } from './rules/sql-statements.js';
import { inputPattern } from './rules/input-pattern.js';

export const rules: Record<string, Rule> = { writeWithoutConfirm, placeholderInQuotes, transactionControl, dangerPhrase, frontmatterPlaceholders, shellPlaceholder, readonlyWrite, confirmDecline, readsSkippableStep, setReservedName, sqlStatements, inputPattern };

export interface CheckResult {
  document: RunbookDocument;
  graph: StepGraph;
  diagnostics: Diagnostic[];
}

export function checkSource(source: string, path: string, readFile: (path: string) => string = readIncludedFile): CheckResult {
  const parsed = parseRunbook(source, path, { readFile });
  const built = buildGraph(parsed.document);
  const diagnostics = [...parsed.diagnostics, ...built.diagnostics];
  const input = { document: parsed.document, graph: built.graph };
  for (const rule of Object.values(rules)) diagnostics.push(...rule(input));
  return { document: parsed.document, graph: built.graph, diagnostics: sortDiagnostics(dedupe(diagnostics)) };
}

/** The same problem found twice (e.g. a syntax error in an expression shared by several steps' conditions). */
function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.file ?? ''}:${d.span.start.offset}:${d.rule}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
