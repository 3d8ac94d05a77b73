/** A check rule: looks at a parsed runbook and its graph, returns problems. Rules never throw. */
import type { Diagnostic } from '../document/diagnostic.js';
import type { RunbookDocument } from '../document/model.js';
import type { StepGraph } from '../graph/model.js';

export interface RuleInput {
  document: RunbookDocument;
  graph: StepGraph;
}

export type Rule = (input: RuleInput) => Diagnostic[];

export function at(step: { file: string }, document: RunbookDocument, diagnostic: Diagnostic): Diagnostic {
  return step.file === document.path ? diagnostic : { ...diagnostic, file: step.file };
}
