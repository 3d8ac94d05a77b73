/**
 * What expressions see during a run: inputs, secrets, env, run, and every step's value with its
 * outcome (step-value.ts), in one sandbox. `evaluate` is for conditions and labels' logic;
 * `value` is for placeholders that become part of a command, where a missing value must fail
 * the step instead of becoming an empty string.
 */
import type { Expression, RunbookDocument, Step } from '../document/model.js';
import { bindings, INCLUDE_INPUTS, stepReaders, stepsRead } from './bindings.js';
import { bindIncludeInputs, type IncludeRecord } from './include-inputs.js';
import { MissingValueError } from './render.js';
import { Sandbox } from './sandbox.js';
import { stepValue, type StepOutcomeName } from './step-value.js';
import { stepSpec } from '../steps/registry.js';

export class RunValues {
  private readonly sandbox: Sandbox;
  private readonly resolverFor: ReturnType<typeof bindings>;
  private readonly readSteps: ReturnType<typeof stepsRead>;
  /** How each step ended so far; expressions see it as `id.outcome`. */
  private readonly outcomes = new Map<string, StepOutcomeName>();
  /**
   * For each step a later expression reads, the readers that have not finished yet (null: keep
   * every value). A value no unfinished step reads is dropped from the sandbox: a long run keeps
   * the results expressions still need, not every result it has seen.
   */
  private readonly waiting: Map<string, Set<string>> | null;
  /** Which steps each step reads (the inverse of `waiting`), to release them when it finishes. */
  private readonly readsOf = new Map<string, string[]>();
  /** The step that published last: what it read is released when the next one publishes. */
  private finished: string[] = [];

  constructor(
    document: RunbookDocument,
    scope: { inputs: unknown; secrets: unknown; env: unknown; run: unknown },
    expressionTimeoutMs: number,
    /** Every value stays (an interactive run may retry a step after it recorded a failed attempt). */
    keepAll = false,
  ) {
    this.sandbox = new Sandbox(expressionTimeoutMs);
    for (const [name, value] of Object.entries(scope)) this.sandbox.set([name], value);
    this.resolverFor = bindings(document);
    this.readSteps = stepsRead(document);
    this.waiting = keepAll ? null : stepReaders(document);
    if (this.waiting)
      for (const [id, readers] of this.waiting)
        for (const reader of readers) {
          const list = this.readsOf.get(reader);
          if (list) list.push(id);
          else this.readsOf.set(reader, [id]);
        }
    for (const step of document.steps)
      if (stepSpec(step.kind).inlines !== true && this.kept(step.id)) this.publish(step, 'pending');
    this.includes = bindIncludeInputs(
      document,
      scope.inputs as Record<string, unknown>,
      (e, step) => this.value(e, step),
      (ns, inputs) => this.sandbox.set([INCLUDE_INPUTS, ns], inputs),
    );
  }

  /** What each parameterised include bound (include-inputs.ts), for the transcript. */
  readonly includes: IncludeRecord[];

  /** Makes a step's value visible to later expressions, whatever its outcome. */
  publish(step: Step, outcome: StepOutcomeName, result?: unknown, error?: string | null): void {
    this.outcomes.set(step.id, outcome);
    if (this.kept(step.id)) {
      const value = stepValue(step, outcome, result, error);
      this.sandbox.set(['steps', step.id], value);
      if (step.id.includes('.')) this.sandbox.set(['__ns', ...step.id.split('.')], value);
    }
    if (outcome !== 'pending') {
      // A step may still read after it published (a dry run renders its plan then): its reads are
      // released when the next step publishes.
      const earlier = this.finished;
      this.finished = [step.id];
      for (const reader of earlier) if (reader !== step.id) this.release(reader);
    }
  }

  /** Whether a step's value is still to be read by a step that has not finished. */
  private kept(stepId: string): boolean {
    return this.waiting === null || (this.waiting.get(stepId)?.size ?? 0) > 0;
  }

  /** `reader` has finished: the values only it still needed are dropped. */
  private release(reader: string): void {
    if (this.waiting === null) return;
    for (const id of this.readsOf.get(reader) ?? []) {
      const readers = this.waiting.get(id);
      if (readers === undefined || !readers.delete(reader) || readers.size > 0) continue;
      this.waiting.delete(id);
      this.sandbox.delete(['steps', id]);
      if (id.includes('.')) this.sandbox.delete(['__ns', ...id.split('.')]);
    }
    this.readsOf.delete(reader);
  }

  outcome(stepId: string): StepOutcomeName {
    return this.outcomes.get(stepId) ?? 'pending';
  }

  /** The steps an expression reads, seen from `step`. */
  reads(expression: Expression, step: Step): string[] {
    return this.readSteps(expression, step);
  }

  /** An expression's value as it stands: a missing field reads as undefined, a skipped step's as null. */
  evaluate(expression: Expression, step: Step): unknown {
    return this.sandbox.evaluate(expression, this.resolverFor(step));
  }

  /** A placeholder's value in a command: undefined, or null from a step that did not pass, throws MissingValueError. */
  value(expression: Expression, step: Step): unknown {
    const v = this.evaluate(expression, step);
    if (v === undefined) throw new MissingValueError(expression, 'it is undefined');
    if (v === null) {
      const unfinished = this.reads(expression, step).find((id) => this.outcome(id) !== 'passed');
      if (unfinished !== undefined)
        throw new MissingValueError(
          expression,
          `it reads \`${unfinished}\`, which ${describeOutcome(this.outcome(unfinished))}`,
        );
    }
    return v;
  }
}

function describeOutcome(outcome: StepOutcomeName): string {
  switch (outcome) {
    case 'pending':
      return 'has not run';
    case 'declined':
      return 'was declined';
    case 'timed-out':
      return 'timed out';
    default:
      return `was ${outcome}`;
  }
}
