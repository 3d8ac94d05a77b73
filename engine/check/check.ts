/** `check`'s engine: parse, build the graph, run the rules; every problem at once, in document order. */
import { sortDiagnostics, type Diagnostic, type RuleId } from '../document/diagnostic.js';
import type { RunbookDocument } from '../document/model.js';
import { parseRunbook, type ParseOptions } from '../document/parse.js';
import { readIncludedFile } from '../document/include.js';
import { buildGraph } from '../graph/build.js';
import type { StepGraph } from '../graph/model.js';
import { CHECK_RULES } from './registry.js';
import { stepSpecs } from '../steps/registry.js';
import { append } from '../append.js';

export interface CheckResult {
  document: RunbookDocument;
  graph: StepGraph;
  diagnostics: Diagnostic[];
}

export function checkSource(
  source: string,
  path: string,
  readFile: (path: string) => string = readIncludedFile,
  generatedIds: ParseOptions['generatedIds'] = 'content',
): CheckResult {
  const parsed = parseRunbook(source, path, { readFile, generatedIds, specs: stepSpecs });
  const built = buildGraph(parsed.document);
  const diagnostics = [...parsed.diagnostics, ...built.diagnostics];
  const input = { document: parsed.document, graph: built.graph };
  for (const rule of CHECK_RULES) append(diagnostics, rule.run(input));
  const kept = withoutFollowOns(dedupe(diagnostics), parsed.document, path);
  return { document: parsed.document, graph: built.graph, diagnostics: sortDiagnostics(kept, path) };
}

/** What a frontmatter that could not be read makes every reference to it look like. */
const UNDECLARED = new Set<RuleId>([
  'unknown-target',
  'missing-target',
  'target-kind',
  'unknown-input',
  'undeclared-secret',
  'undeclared-env',
]);

/**
 * When a frontmatter is not valid YAML, its YAML error is the one problem: references to the
 * targets, inputs, secrets and env names it declares are not reported as undeclared too (in the
 * whole runbook when it is the runbook's own frontmatter, else in the included file's steps).
 */
function withoutFollowOns(diagnostics: Diagnostic[], document: RunbookDocument, path: string): Diagnostic[] {
  const unreadable = document.frontmatter.unreadable ?? [];
  if (unreadable.length === 0) return diagnostics;
  const everywhere = unreadable.includes(path);
  return diagnostics.filter((d) => !(UNDECLARED.has(d.rule) && (everywhere || unreadable.includes(d.file ?? path))));
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
