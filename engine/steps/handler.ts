/**
 * How a step kind runs: it plans the step (renders what it will do with the values known when
 * it starts: the statements and their parameters, the request, the script and its environment),
 * says what the transcript records of that plan (`step.started`), and executes it. The runner
 * loads a kind's handler only when a run has a step of that kind (engine/steps/registry.ts).
 */
import type { StepContext, StepOutcome } from '../run/context.js';
import type { StepPlan } from '../run/events.js';

export interface StepHandler<Plan> {
  /** What the step will do, rendered: exactly what `execute` needs, built once. May throw (a missing value). */
  plan(ctx: StepContext): Plan;
  /** What `step.started` records of the plan: shown before the step runs, and kept in the transcript. */
  record(plan: Plan): StepPlan;
  execute(ctx: StepContext, plan: Plan): Promise<StepOutcome>;
}
