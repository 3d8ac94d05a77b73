/**
 * The StepContext a handler works with (context.ts), built for one step of one run. Handlers
 * never touch the sandbox, the recorder or the responder directly: they ask the context.
 */
import { dirname } from 'node:path';
import type { Step } from '../document/model.js';
import type { GraphNode } from '../graph/model.js';
import type { StepContext, StepOutcome } from './context.js';
import type { RunSetup } from './run-setup.js';
import type { RunValues } from './run-values.js';
import { bindTemplate, renderTemplate } from './render.js';
import type { StepOutputs } from './step-output.js';
import { UnrecordableError } from '../transcript/chain-recorder.js';

/** An informational event that could not be recorded (too large) is left out; anything else still surfaces. */
const unlessTooLarge = (recording: Promise<unknown>): void =>
  void recording.catch((error: unknown) => {
    if (!(error instanceof UnrecordableError)) throw error;
  });

export interface StepContextParts {
  setup: RunSetup;
  values: RunValues;
  outputs: StepOutputs;
  /** The reset environment shell steps start from. */
  shellEnv: Record<string, string>;
  /** Re-runs another step (for `wait`) and returns its outcome. */
  rerun(stepId: string, attempt: number, signal: AbortSignal): Promise<StepOutcome>;
}

export function stepContext(
  parts: StepContextParts,
  step: Step,
  node: GraphNode,
  signal: AbortSignal,
  timeoutMs: number,
): StepContext {
  const { setup, values, outputs } = parts;
  const { recorder } = setup;
  const value = (e: Parameters<StepContext['value']>[0]): unknown => values.value(e, step);
  return {
    step,
    node,
    timeoutMs,
    signal,
    evaluate: (e) => values.evaluate(e, step),
    value,
    render: (template, mode) => renderTemplate(template, value, mode),
    bind: (template, dialect) => bindTemplate(template, value, dialect),
    target: (name) => {
      const target = setup.targets[name];
      if (!target) throw new Error(`target \`${name}\` is not defined`);
      return target;
    },
    sql: (name) => setup.connections.sql(setup.targets[name]!),
    output: (stream, chunk) => outputs.push(step.id, stream, chunk),
    mask: (name, secret) => setup.redactor.add(name, secret),
    responder: setup.responder,
    operator: setup.operator,
    now: setup.now,
    runbookDir: dirname(step.file),
    env: parts.shellEnv,
    options: { allowWrites: setup.options.allowWrites, yes: setup.options.yes },
    rerun: (id, attempt) => parts.rerun(id, attempt, signal),
    record: {
      // Past the event size limit these are left out: the step's step.finished carries the same value, and fails the step saying so.
      assert: (expression, passed, actual) =>
        unlessTooLarge(
          recorder.record({ type: 'assert.evaluated', data: { stepId: step.id, expression, passed, actual } }),
        ),
      note: (text) =>
        unlessTooLarge(recorder.record({ type: 'note.added', data: { stepId: step.id, text, by: setup.operator } })),
      confirm: (answer, via) =>
        void recorder.record({ type: 'confirm.answered', data: { stepId: step.id, answer, by: setup.operator, via } }),
      input: (answer, via) =>
        void recorder.record({
          type: 'input.answered',
          data: { stepId: step.id, value: answer, by: setup.operator, via },
        }),
    },
  };
}
