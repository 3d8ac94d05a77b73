/**
 * A check rule: looks at a parsed runbook and its graph and says what it finds. Rules never throw.
 * Every rule is made by `defineRule` (or `stepRule`, for a rule about one step kind) and listed
 * once in engine/check/registry.ts; the ids a rule reports, and their severities, come from the
 * catalogue (engine/document/rule-ids.ts), so a rule says only what it found and where.
 */
import type { Diagnostic } from '../document/diagnostic.js';
import type { RunbookDocument, Step } from '../document/model.js';
import type { Span } from '../document/position.js';
import { RULE_IDS, type RuleId } from '../document/rule-ids.js';
import type { StepKind } from '../steps/registry.js';
import type { StepGraph } from '../graph/model.js';

export interface RuleInput {
  document: RunbookDocument;
  graph: StepGraph;
}

/** What a rule found: a diagnostic but for its severity, which the catalogue gives. */
export interface Finding<Id extends RuleId = RuleId> {
  rule: Id;
  message: string;
  span: Span;
  hint?: string;
  /** The step it is about: when that step stands in an included file, the diagnostic names the file. */
  step?: { file: string };
}

export interface CheckRule {
  /** The rule's name, e.g. `confirm-decline` (its module's name). */
  readonly name: string;
  /** The diagnostic ids it reports. */
  readonly reports: readonly RuleId[];
  /** The step kind it looks at, for a rule made by `stepRule`. */
  readonly kind?: StepKind;
  run(input: RuleInput): Diagnostic[];
}

/**
 * A rule over the whole runbook. `check` yields what it finds, each with one of the ids in
 * `reports` (the compiler holds it to them); the factory adds the severity and the file.
 *
 * ```ts
 * export const dangerPhrase = defineRule({
 *   name: 'danger-phrase',
 *   reports: ['danger-without-phrase'],
 *   *check({ document }) { ... yield { rule: 'danger-without-phrase', message, span, step }; },
 * });
 * ```
 */
export function defineRule<const Ids extends readonly RuleId[]>(def: {
  name: string;
  reports: Ids;
  check: (input: RuleInput) => Iterable<Finding<Ids[number]>>;
}): CheckRule {
  return {
    name: def.name,
    reports: def.reports,
    run: (input) => Array.from(def.check(input), (finding) => diagnostic(finding, input.document)),
  };
}

/** A rule about one step kind: `check` is handed each step of that kind, in document order. */
export function stepRule<const Ids extends readonly RuleId[]>(
  kind: StepKind,
  def: {
    name: string;
    reports: Ids;
    check: (step: Step, input: RuleInput) => Iterable<Omit<Finding<Ids[number]>, 'step'>>;
  },
): CheckRule {
  return {
    name: def.name,
    reports: def.reports,
    kind,
    run: (input) =>
      input.document.steps
        .filter((step) => step.kind === kind)
        .flatMap((step) =>
          Array.from(def.check(step, input), (found) => diagnostic({ ...found, step }, input.document)),
        ),
  };
}

function diagnostic(finding: Finding, document: RunbookDocument): Diagnostic {
  const { step, rule, message, span, hint } = finding;
  const out: Diagnostic = { severity: RULE_IDS[rule].severity, rule, message, span };
  if (hint !== undefined) out.hint = hint;
  if (step !== undefined && step.file !== document.path) out.file = step.file;
  return out;
}
