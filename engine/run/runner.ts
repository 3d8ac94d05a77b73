/**
 * The runner: walks the graph, evaluates conditions, asks each step's handler to plan and then
 * execute it under a time limit, and records every event. It never throws for a step's sake:
 * a broken expression, a failing server or a hung query fails that step, not the process.
 * Everything a run knows lives in one Run object: its setup (from the session), the values
 * expressions see, and a small state (status, counts, what stopped it, what a decline skips).
 */
import type { Step } from '../document/model.js';
import type { GraphNode } from '../graph/model.js';
import { type AnyStepHandler, loadHandlers, stepSpec } from '../steps/registry.js';
import { UnrecordableError } from '../transcript/chain-recorder.js';
import { unguardedEffects, whatItChanges } from '../graph/effects.js';
import type { StepOutcome } from './context.js';
import type { RunStatus, StepPlan, StepStatus } from './events.js';
import { RUN_EXIT } from './exit-codes.js';
import { judge, passNotes } from './expectation.js';
import { MissingValueError } from './render.js';
import { RunValues } from './run-values.js';
import { describeInclude } from './include-inputs.js';
import { schedule } from './scheduler.js';
import { Ahead } from './ahead.js';
import { baseId, Loops } from './loop.js';
import { shellEnvironment } from './shell-env.js';
import { stepContext, type StepContextParts } from './step-context.js';
import { stepOutputs, type StepOutputs } from './step-output.js';
import type { RunSetup } from './run-setup.js';
import type { Responder } from './responder.js';

export const DEFAULT_TIMEOUT_MS = 30_000;

export type { RunSetup } from './run-setup.js';

export interface RunSummary {
  status: RunStatus;
  exitCode: number;
  counts: Record<StepStatus, number>;
  ms: number;
  notRun: string[];
  /** The first reason the run stopped early, for the summary line. */
  stoppedBy?: string;
  /** Steps that passed with a warning (soft assertions that did not hold). */
  warnings: number;
}

type Executed = { outcome: StepOutcome; status: StepStatus; ms: number };

export async function runRunbook(setup: RunSetup): Promise<RunSummary> {
  const started = performance.now();
  // The handlers (and their drivers) of the kinds this run has, loaded once, before any step runs.
  const handlers = await loadHandlers(setup.graph.nodes.map((n) => n.kind));
  // --parallel: read-only steps may start ahead of their turn, their events held until it (ahead.ts).
  const ahead =
    setup.options.parallel > 1 && setup.mode === 'headless' && !setup.responder.beforeStep && !setup.resume
      ? new Ahead<Executed>(setup.recorder, setup.signal)
      : undefined;
  const run = new Run(ahead ? { ...setup, recorder: ahead.recorder } : setup, handlers, ahead);
  await run.recordIncludes(setup.recorder);
  const notRun = await schedule(setup.graph, {
    parallel: setup.options.parallel,
    run: (id) => run.runStep(id).catch(() => false),
    stopped: () => setup.signal.aborted,
    ...(ahead ? { ahead: (id: string) => run.startAhead(id, ahead), abandon: () => ahead.abandon() } : {}),
  });
  const { recorder, signal } = setup;
  if (signal.aborted) {
    run.state.status = 'interrupted';
    await recorder.record({
      type: 'run.interrupted',
      data: {
        reason: String((signal.reason as Error)?.message ?? signal.reason ?? 'interrupted'),
        ...(typeof signal.reason === 'string' ? { signal: signal.reason } : {}),
      },
    });
  }
  const { status, counts, stoppedBy, warnings } = run.state;
  const ms = Math.round(performance.now() - started);
  const exitCode = RUN_EXIT[status];
  const warned = warnings > 0 ? { warnings } : {};
  await recorder.record({ type: 'run.finished', data: { status, exitCode, ms, counts, ...warned } });
  return { status, exitCode, counts, ms, notRun, warnings, ...(stoppedBy ? { stoppedBy } : {}) };
}

/** What a run has done so far: the only state the runner changes as it goes. */
interface RunState {
  status: RunStatus;
  counts: Record<StepStatus, number>;
  /** The first reason the run stopped early. */
  stoppedBy?: string;
  /** Steps a declined confirm (on-decline=skip) guards, with who declined. */
  declined: Map<string, string>;
  warnings: number;
}

class Run {
  readonly state: RunState = {
    status: 'passed',
    counts: { passed: 0, failed: 0, skipped: 0, 'timed-out': 0, cancelled: 0, interrupted: 0 },
    declined: new Map(),
    warnings: 0,
  };
  private readonly steps: Map<string, Step>;
  private readonly nodes: Map<string, GraphNode>;
  private readonly values: RunValues;
  private readonly outputs: StepOutputs;
  private readonly parts: StepContextParts;
  /** Side effects no confirm guards: a headless run without --allow-writes refuses them. */
  private readonly refused: Set<string>;
  /** `::::each` loops: a body step's turn runs its whole loop (loop.ts). */
  private readonly loops: Loops;

  constructor(
    private readonly setup: RunSetup,
    private readonly handlers: ReadonlyMap<string, AnyStepHandler>,
    private readonly ahead?: Ahead<Executed>,
  ) {
    const { document, graph } = setup;
    this.steps = new Map(document.steps.map((s) => [s.id, s]));
    this.nodes = new Map(graph.nodes.map((n) => [n.id, n]));
    const run = { id: setup.runId, startedAt: setup.startedAt.toISOString(), operator: setup.operator };
    this.values = new RunValues(
      document,
      { inputs: setup.inputs, secrets: setup.secrets, env: setup.env, run },
      setup.options.expressionTimeoutMs ?? 1000,
      setup.responder.beforeStep !== undefined,
    );
    this.outputs = stepOutputs(setup.redactor, setup.recorder);
    this.refused =
      setup.mode === 'headless' && !setup.options.allowWrites
        ? new Set(unguardedEffects(document.steps, graph).map((s) => s.id))
        : new Set();
    this.parts = {
      setup,
      values: this.values,
      outputs: this.outputs,
      shellEnv: shellEnvironment(setup.hostEnv, Object.keys(document.frontmatter.env)),
      rerun: async (id, attempt, signal) => {
        const step = this.loops.now(this.steps.get(id)!);
        return (await this.record(step, await this.execute(step, this.nodes.get(id)!, attempt, signal))).outcome;
      },
    };
    this.loops = new Loops(document.steps, {
      setup,
      values: this.values,
      declined: this.state.declined,
      runOne: (step) => this.runOne(step),
      skip: (step, reason) => this.skip(step, reason),
      fail: (step, error) => this.finish(step, { outcome: { status: 'failed', error }, status: 'failed', ms: 0 }, true),
    });
  }

  /** What each parameterised include bound, once, before the first step (a resumed run recorded it already). */
  async recordIncludes(recorder: RunSetup['recorder']): Promise<void> {
    if (this.setup.resume) return;
    for (const record of this.values.includes)
      await recorder.record({
        type: 'note.added',
        data: { text: describeInclude(record), by: this.setup.operator },
      });
  }

  /** A step's turn; a loop body step's turn runs its whole loop (loop.ts). */
  async runStep(id: string): Promise<boolean> {
    const step = this.steps.get(id)!;
    return step.loop === undefined ? this.runOne(step) : this.loops.run(step);
  }

  /** Runs one step; in a loop, one iteration's copy of a body step (`replay[3]`, loop.ts). */
  private async runOne(step: Step): Promise<boolean> {
    const id = step.id;
    const node = this.nodes.get(baseId(step))!;
    const { setup } = this;
    if (setup.signal.aborted) return false;
    if (setup.resume) {
      const done = setup.resume.finished.get(id);
      // A result recorded masked (a secret input's answer) is asked again, never replayed as the mask.
      if (done && stepSpec(step.kind).notReplayed?.(step) !== true) return this.restore(step, done);
      const ended = setup.resume.uncertain.get(id);
      if (ended !== undefined && !(await this.mayRerun(step, ended))) return false;
    }
    const notInScope = setup.outOfScope?.get(baseId(step));
    if (notInScope !== undefined) return this.skip(step, notInScope);
    const declinedBy = this.state.declined.get(baseId(step));
    if (declinedBy !== undefined) return this.skip(step, declinedBy);
    const unknownConditions: string[] = [];
    try {
      for (const condition of [...step.conditions, ...(step.when ? [step.when] : [])]) {
        if (setup.mode === 'dry-run') {
          // A condition on results a dry run does not produce is not known: the step may run.
          const unrun = this.values.reads(condition, step).filter((read) => this.values.outcome(read) !== 'passed');
          if (unrun.length > 0) {
            unknownConditions.push(`\`${condition.source}\` (needs ${unrun.join(', ')})`);
            continue;
          }
        }
        const value = this.values.evaluate(condition, step);
        if (!value) {
          const why = `\`${condition.source}\` is ${JSON.stringify(value) ?? 'undefined'}`;
          return this.skip(step, setup.mode === 'dry-run' ? `dry run: would be skipped: ${why}` : why);
        }
      }
    } catch (error) {
      return this.finish(step, {
        outcome: { status: 'failed', error: (error as Error).message },
        status: 'failed',
        ms: 0,
      });
    }
    // A dry run evaluates what has no effect and needs nothing outside (a `set` of constants), and plans the rest.
    if (setup.mode === 'dry-run' && !(stepSpec(step.kind).pure === true && unknownConditions.length === 0))
      return this.planOnly(step, node, unknownConditions);
    if (setup.responder.beforeStep)
      return this.interactive(step, node, setup.responder.beforeStep.bind(setup.responder));
    const early = this.ahead?.take(id, (message) => notRecorded(`not run: ${message}`));
    return this.finish(step, await (early ?? this.execute(step, node, 1, setup.signal)));
  }

  /**
   * --parallel: starts a step ahead of its turn when it may overlap others: no effect, gate or
   * condition, and of a kind that waits on a target or URL (sql, http); its dependencies have
   * finished (the scheduler's part).
   */
  startAhead(id: string, ahead: Ahead<Executed>): Promise<unknown> | null {
    const step = this.steps.get(id)!;
    const node = this.nodes.get(id)!;
    const spec = stepSpec(step.kind);
    if (node.effect || spec.target === undefined || spec.gate || spec.reruns !== undefined) return null;
    if (step.when || step.conditions.length > 0 || step.loop !== undefined) return null;
    if (this.refused.has(id) || this.state.declined.has(id)) return null;
    if (this.setup.outOfScope?.has(id)) return null;
    return ahead.start(id, (signal) => this.execute(step, node, 1, signal));
  }

  /**
   * An interactive run: the responder says whether the step runs, is skipped (with its reason) or
   * stops the run, and whether a failed attempt runs again (each attempt is recorded).
   */
  private async interactive(step: Step, node: GraphNode, turn: NonNullable<Responder['beforeStep']>): Promise<boolean> {
    const { setup } = this;
    const by = setup.operator;
    const note = async (text: string, about = step.id): Promise<void> => {
      await setup.recorder.record({ type: 'note.added', data: { stepId: about, text, by } });
    };
    const preview = (id: string): { plan: StepPlan } | { planError: string } => {
      const other = id === step.id ? step : this.steps.get(id);
      const at = id === step.id ? node : this.nodes.get(id);
      if (!other || !at) return { planError: `no step \`${id}\`` };
      try {
        const ctx = stepContext(this.parts, other, at, setup.signal, other.timeoutMs ?? DEFAULT_TIMEOUT_MS);
        const handler = this.handler(other);
        return { plan: setup.redactor.value(handler.record(handler.plan(ctx))) };
      } catch (error) {
        return { planError: setup.redactor.text((error as Error).message) };
      }
    };
    const decision = await turn({ stepId: step.id, attempt: 1, note, preview, ...preview(step.id) });
    if (decision.action === 'skip') return this.skipByResponder(step, decision.reason);
    if (decision.action === 'stop' || setup.signal.aborted) {
      this.stop('interrupted', `${step.id}: stopped by ${by}`);
      return false;
    }
    let executed = await this.execute(step, node, 1, setup.signal, decision.cancel);
    for (let attempt = 2; ; attempt++) {
      const { outcome, status } = executed;
      if (setup.signal.aborted || outcome.status === 'passed') break;
      // Cancelled by the responder alone: the run goes on, and asks what next.
      if (status === 'cancelled')
        executed.outcome = {
          status: 'failed',
          error: `cancelled by ${by}${outcome.error && outcome.error !== 'cancelled' ? `: ${outcome.error}` : ''}`,
          ...(outcome.status !== 'blocked' && outcome.result !== undefined ? { result: outcome.result } : {}),
        };
      else if (outcome.status !== 'failed' || (status !== 'failed' && status !== 'timed-out')) break;
      const ended = executed.outcome as Extract<StepOutcome, { status: 'failed' }>;
      const failed = {
        status,
        error: setup.redactor.text(ended.error),
        ...(ended.result !== undefined ? { result: setup.redactor.value(ended.result) } : {}),
      };
      const again = await turn({ stepId: step.id, attempt, failed, note, preview });
      if (again.action === 'skip' && !setup.signal.aborted) {
        await this.record(step, executed);
        return this.skipByResponder(step, again.reason);
      }
      if (again.action !== 'run' || setup.signal.aborted) break;
      await this.record(step, executed);
      executed = await this.execute(step, node, attempt, setup.signal, again.cancel);
    }
    return this.finish(step, executed);
  }

  /** Skipped by the responder, with their reason; a skipped gate skips what it guards (fail safe). */
  private skipByResponder(step: Step, reason: string): Promise<boolean> {
    const by = this.setup.operator;
    for (const guarded of this.nodes.get(baseId(step))?.guards ?? [])
      this.state.declined.set(guarded, `its confirm \`${step.id}\` was skipped by ${by}: ${reason}`);
    return this.skip(step, `skipped by ${by}: ${reason}`);
  }

  private async skip(step: Step, reason: string): Promise<boolean> {
    this.state.counts.skipped++;
    this.values.publish(step, 'skipped');
    await this.setup.recorder.record({
      type: 'step.finished',
      data: { stepId: step.id, status: 'skipped', ms: 0, reason },
    });
    return true;
  }

  /** Plans and executes one step (or a re-run of it, for `wait`), recording start and finish. */
  private async execute(
    step: Step,
    node: GraphNode,
    attempt: number,
    outer: AbortSignal,
    cancel?: AbortSignal,
  ): Promise<Executed> {
    const timeoutMs = step.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(outer.reason);
    outer.addEventListener('abort', onAbort, { once: true });
    // The responder's cancel of this attempt alone (the TUI's Ctrl-C): the step is cancelled, the run is not.
    const onCancel = (): void => controller.abort(cancel?.reason);
    cancel?.addEventListener('abort', onCancel, { once: true });
    if (cancel?.aborted) onCancel();
    const notRun = (error: string): Executed => {
      outer.removeEventListener('abort', onAbort);
      cancel?.removeEventListener('abort', onCancel);
      return { outcome: { status: 'failed', error }, status: 'failed', ms: 0 };
    };
    const ctx = stepContext(this.parts, step, node, controller.signal, timeoutMs);
    const handler = this.handler(step);
    const t0 = performance.now();
    let plan: unknown;
    let recorded: StepPlan;
    try {
      plan = handler.plan(ctx);
      recorded = handler.record(plan);
    } catch (error) {
      return notRun(`cannot prepare the step: ${(error as Error).message}`);
    }
    if (this.refused.has(baseId(step))) {
      const spec = stepSpec(step.kind);
      return notRun(
        `refusing to run: it ${whatItChanges(step)} and no confirm guards it; add a ::confirm above it in its section${spec.guardHint ? `, ${spec.guardHint}` : ''}, or pass --allow-writes`,
      );
    }
    try {
      await this.setup.recorder.record(
        { type: 'step.started', data: { stepId: step.id, kind: step.kind, plan: recorded, attempt } },
        { durable: recorded.effect },
      );
    } catch (error) {
      if (!(error instanceof UnrecordableError)) throw error;
      return notRun(`not run: ${error.message}`);
    }
    let timer: NodeJS.Timeout | undefined;
    // Drivers enforce the time limit themselves and say precisely what happened (the server
    // cancelled the query, the process group was killed); this deadline is the backstop.
    const deadline = new Promise<StepOutcome>((resolve) => {
      timer = setTimeout(() => {
        controller.abort(new Error('timeout'));
        // Give the handler a moment to cancel cleanly, then stop waiting for it.
        setTimeout(() => resolve({ status: 'failed', error: `timed out after ${formatMs(timeoutMs)}` }), 2000).unref();
      }, timeoutMs + 1000);
    });
    let outcome: StepOutcome;
    try {
      outcome = await Promise.race([handler.execute(ctx, plan), deadline]);
    } catch (error) {
      outcome = { status: 'failed', error: (error as Error).message ?? String(error) };
    } finally {
      clearTimeout(timer);
      outer.removeEventListener('abort', onAbort);
      cancel?.removeEventListener('abort', onCancel);
    }
    const ms = Math.round(performance.now() - t0);
    const status = statusOf(outcome, controller.signal, outer.aborted || cancel?.aborted === true);
    return judge(step, { outcome, status, ms });
  }

  /** Resuming: a step that finished before is not run again; its recorded result is visible again. */
  private restore(
    step: Step,
    done: { status: 'passed' | 'skipped'; result?: unknown; warning?: string; expectedFailure?: string },
  ): boolean {
    this.state.counts[done.status]++;
    if (done.warning !== undefined) this.state.warnings++;
    this.values.publish(step, done.status, done.status === 'passed' ? done.result : undefined, done.expectedFailure);
    return true;
  }

  /**
   * Resuming: a side-effecting step that started and never finished, or was cancelled or timed
   * out after it started, may have taken effect. It runs again only if it is marked idempotent or
   * the responder confirms (headless: `rerun: { id: yes }` in answers).
   */
  private async mayRerun(step: Step, ended: string): Promise<boolean> {
    if (step.idempotent) return true;
    const { recorder, responder } = this.setup;
    const how =
      ended === 'never finished'
        ? 'started but never finished when the run was interrupted'
        : ended === 'timed-out'
          ? 'timed out after it started'
          : `was ${ended} after it started`;
    const answer = await responder.confirm({
      stepId: step.id,
      question: `Step \`${step.id}\` ${how}; it may have taken effect. Run it again?`,
      danger: false,
      phrase: null,
      rerun: true,
      ended: how,
    });
    if (answer.answered)
      await recorder.record({
        type: 'confirm.answered',
        data: { stepId: step.id, answer: answer.value, by: answer.by, via: answer.via, rerun: true },
      });
    if (answer.answered && answer.value) return true;
    this.stop(
      answer.answered ? 'declined' : 'blocked',
      `${step.id}: ${answer.answered ? `declined to run \`${step.id}\` again` : answer.why}`,
    );
    return false;
  }

  /** A dry run shows each step rendered with the values known, and executes nothing. */
  private async planOnly(step: Step, node: GraphNode, unknownConditions: string[]): Promise<boolean> {
    this.state.counts.skipped++;
    this.values.publish(step, 'skipped');
    const onlyIf = unknownConditions.length > 0 ? `runs only if ${unknownConditions.join(' and ')}` : '';
    let data: { reason: string; plan?: StepPlan };
    try {
      const handler = this.handler(step);
      const plan = handler.record(
        handler.plan(stepContext(this.parts, step, node, this.setup.signal, step.timeoutMs ?? DEFAULT_TIMEOUT_MS)),
      );
      data = { reason: onlyIf ? `dry run: ${onlyIf}` : 'dry run', plan };
    } catch (error) {
      const needs =
        error instanceof MissingValueError
          ? this.setup.graph.edges
              .filter((e) => e.to === baseId(step) && e.why === 'reference' && this.values.outcome(e.from) !== 'passed')
              .map((e) => e.from)
          : [];
      const why =
        needs.length > 0
          ? `needs the results of ${needs.join(', ')}, which a dry run does not produce`
          : (error as Error).message;
      data = { reason: `dry run: ${why}${onlyIf ? `; ${onlyIf}` : ''}` };
    }
    await this.setup.recorder.record({
      type: 'step.finished',
      data: { stepId: step.id, status: 'skipped', ms: 0, ...data },
    });
    return true;
  }

  /**
   * Records a step's end and makes its value visible to later expressions. A result that cannot
   * be recorded safely (redaction failed) fails the step instead: nothing unredacted is written,
   * and nothing later may build on a result the transcript does not hold.
   */
  private async record(step: Step, executed: Executed): Promise<Executed> {
    const { outcome, status, ms } = executed;
    const { recorder } = this.setup;
    const commit = this.nodes.get(baseId(step))?.effect === true; // a side effect's end is committed before the next step
    await this.outputs.flush(step.id);
    if (outcome.status === 'passed') {
      try {
        await recorder.record(
          {
            type: 'step.finished',
            data: { stepId: step.id, status: 'passed', ms, result: outcome.result, ...passNotes(outcome) },
          },
          { commit },
        );
      } catch (error) {
        if (!(error instanceof UnrecordableError)) throw error;
        this.values.publish(step, 'failed', undefined, error.message);
        await recorder.record(
          { type: 'step.finished', data: { stepId: step.id, status: 'failed', ms, error: error.message } },
          { commit },
        );
        return { outcome: { status: 'failed', error: error.message }, status: 'failed', ms };
      }
      this.values.publish(step, 'passed', outcome.result, outcome.expectedFailure);
      return executed;
    }
    const ended = status as Exclude<StepStatus, 'passed' | 'skipped'>;
    const result = outcome.status !== 'blocked' ? outcome.result : undefined;
    this.values.publish(step, outcome.status === 'declined' ? 'declined' : ended, result, outcome.error);
    try {
      await recorder.record(
        {
          type: 'step.finished',
          data: {
            stepId: step.id,
            status: ended,
            ms,
            error: outcome.error,
            ...(result !== undefined ? { result } : {}),
          },
        },
        { commit },
      );
    } catch (error) {
      if (!(error instanceof UnrecordableError)) throw error;
      await recorder.record(
        { type: 'step.finished', data: { stepId: step.id, status: ended, ms, error: error.message } },
        { commit },
      );
    }
    return executed;
  }

  /** Records a step's end, counts it, and says whether the run goes on (`stop`: not even with on-fail=continue). */
  private async finish(step: Step, done: Executed, stop = false): Promise<boolean> {
    const { outcome, status } = await this.record(step, done);
    const { signal } = this.setup;
    this.state.counts[status]++;
    if (outcome.status === 'passed') {
      if (outcome.warning !== undefined) this.state.warnings++;
      if (outcome.skipsGuarded !== undefined)
        for (const guarded of this.nodes.get(baseId(step))?.guards ?? [])
          this.state.declined.set(guarded, outcome.skipsGuarded);
      return true;
    }
    if (outcome.status === 'declined' || outcome.status === 'blocked') {
      this.stop(signal.aborted ? 'interrupted' : outcome.status, `${step.id}: ${outcome.error}`);
      return false;
    }
    if (signal.aborted) {
      this.state.status = 'interrupted';
      return false;
    }
    if (this.state.status === 'passed') this.state.status = 'failed';
    if (step.onFail === 'continue' && !stop) return true;
    this.state.stoppedBy ??= this.setup.redactor.text(`${step.id}: ${outcome.error}`);
    return false;
  }

  private handler(step: Step): AnyStepHandler {
    const handler = this.handlers.get(step.kind);
    if (handler === undefined) throw new Error(`no handler loaded for \`${step.kind}\` steps`);
    return handler;
  }

  private stop(status: RunStatus, why: string): void {
    this.state.status = status;
    this.state.stoppedBy ??= this.setup.redactor.text(why);
  }
}

/** A step that did not run: it could not be prepared, or its start could not be recorded. */
function notRecorded(error: string): Executed {
  return { outcome: { status: 'failed', error }, status: 'failed', ms: 0 };
}

/** How a step's end is recorded: a handler's failure after an abort was a cancel or a timeout. */
function statusOf(outcome: StepOutcome, own: AbortSignal, cancelled: boolean): StepStatus {
  if (outcome.status === 'passed') return 'passed';
  if (own.aborted) return cancelled ? 'cancelled' : 'timed-out';
  if (outcome.status === 'failed' && outcome.timedOut === true) return 'timed-out';
  return 'failed';
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)}s`;
  return `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`;
}
