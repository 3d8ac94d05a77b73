/**
 * What expressions see during a run: inputs, secrets, env, run, and every step's value with its
 * outcome (step-value.ts), in one sandbox. `evaluate` is for conditions and labels' logic;
 * `value` is for placeholders that become part of a command, where a missing value must fail
 * the step instead of becoming an empty string.
 */
import type { Expression, RunbookDocument, Step } from '../document/model.js';
import { LOOP_NAME } from '../document/each.js';
import { bindings, INCLUDE_INPUTS, LOOP_SCOPE, stepReaders, stepsRead } from './bindings.js';
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
  /** For each step of the loop that is running, its iterations' values so far. */
  private readonly iterations = new Map<string, unknown[]>();

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

  /**
   * Makes a step's value visible to later expressions, whatever its outcome. One iteration of a
   * loop's step (`replay[3]`) is visible under the step's own id until the loop ends.
   */
  publish(step: Step, outcome: StepOutcomeName, result?: unknown, error?: string | null): void {
    const id = step.iteration?.baseId ?? step.id;
    this.outcomes.set(id, outcome);
    if (this.kept(id)) {
      const value = stepValue(step, outcome, result, error);
      this.setStep(id, value);
      if (step.iteration !== undefined) this.iterations.get(id)?.splice(step.iteration.index, 1, value);
    }
    if (outcome !== 'pending') {
      // A step may still read after it published (a dry run renders its plan then): its reads are
      // released when the next step publishes.
      const earlier = this.finished;
      this.finished = [id];
      for (const reader of earlier) if (reader !== id) this.release(reader);
    }
  }

  private setStep(id: string, value: unknown): void {
    this.sandbox.set(['steps', id], value);
    if (id.includes('.')) this.sandbox.set(['__ns', ...id.split('.')], value);
  }

  /** A loop starts: its body steps' iteration values are gathered from now on. */
  startLoop(body: readonly Step[]): void {
    for (const step of body) this.iterations.set(step.id, []);
  }

  /** The current item of a loop and its index: `as` and `loop.index`, `loop.count` in the body. */
  enterIteration(item: unknown, index: number, count: number): void {
    this.sandbox.set([LOOP_SCOPE, 'item'], item);
    this.sandbox.set([LOOP_SCOPE, LOOP_NAME], { index, count });
  }

  /**
   * A loop ended: each body step's id now means the list of its iterations' values
   * (`replay[3].status`, `replay.length`); its outcome is the first that was not passed or
   * skipped, or passed.
   */
  finishLoop(body: readonly Step[]): void {
    for (const step of body) {
      const values = (this.iterations.get(step.id) ?? []).filter((v) => v !== undefined);
      this.iterations.delete(step.id);
      const outcomes = values.map((v) => (v as { outcome: StepOutcomeName }).outcome);
      this.outcomes.set(step.id, outcomes.find((o) => o !== 'passed' && o !== 'skipped') ?? 'passed');
      this.setStep(step.id, values);
    }
    this.sandbox.delete([LOOP_SCOPE, 'item']);
    this.sandbox.delete([LOOP_SCOPE, LOOP_NAME]);
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
