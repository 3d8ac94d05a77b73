/**
 * The runner: walks the graph, evaluates conditions, asks each step's handler to plan and then
 * execute it under a time limit, and records every event. It never throws for a step's sake:
 * a broken expression, a failing server or a hung query fails that step, not the process.
 */
import { dirname } from 'node:path';
import type { RunbookDocument, Step } from '../document/model.js';
import type { GraphNode, StepGraph } from '../graph/model.js';
import { unguardedEffects, whatItChanges } from '../check/rules/write-without-confirm.js';
import { isSecretInputStep } from '../steps/input.js';
import { stepHandler, stepSpec } from '../steps/registry.js';
import type { StepContext, StepOutcome } from './context.js';
import type { RunMode, RunStatus, StepPlan, StepStatus } from './events.js';
import type { Recorder } from './recorder.js';
import type { Responder } from './responder.js';
import { Sandbox } from './sandbox.js';
import { bindings, stepsRead } from './bindings.js';
import { bindTemplate, MissingValueError, renderTemplate } from './render.js';
import { RUN_EXIT } from './exit-codes.js';
import { schedule } from './scheduler.js';
import { stepValue, type StepOutcomeName } from './step-value.js';
import { shellEnvironment } from './shell-env.js';
import type { ResolvedTarget } from './targets.js';
import type { Connections } from './connections.js';
import type { Redactor } from '../redact/redactor.js';
import { UnrecordableError } from '../transcript/recorder.js';
import type { ResumeState } from './resume-state.js';

export const DEFAULT_TIMEOUT_MS = 30_000;

export interface RunSetup {
  document: RunbookDocument;
  graph: StepGraph;
  runId: string;
  inputs: Record<string, unknown>;
  secrets: Record<string, string>;
  env: Record<string, string>;
  /** The process environment shell steps draw their reset environment from (default: process.env). */
  hostEnv?: Readonly<Record<string, string | undefined>>;
  targets: Record<string, ResolvedTarget>;
  operator: string;
  mode: RunMode;
  recorder: Recorder;
  /** Masks secrets in output streamed while a step runs (split chunks too) and in messages. */
  redactor: Redactor;
  responder: Responder;
  /** Continuing a recorded run: what already finished, and what started and never finished. */
  resume?: ResumeState;
  connections: Connections;
  options: { allowWrites: boolean; yes: boolean; parallel: number; expressionTimeoutMs?: number };
  /** Aborted on SIGINT/SIGTERM. */
  signal: AbortSignal;
  startedAt: Date;
  /** The run's clock (the session's): what gates record as `at`. Default: the system's. */
  now?: () => Date;
}

export interface RunSummary {
  status: RunStatus;
  exitCode: number;
  counts: Record<StepStatus, number>;
  ms: number;
  notRun: string[];
  /** The first reason the run stopped early, for the summary line. */
  stoppedBy?: string;
}

type Executed = { outcome: StepOutcome; status: StepStatus; ms: number };


export async function runRunbook(setup: RunSetup): Promise<RunSummary> {
  const started = performance.now();
  const { document, graph, recorder } = setup;
  const steps = new Map(document.steps.map((s) => [s.id, s]));
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const sandbox = new Sandbox(setup.options.expressionTimeoutMs ?? 1000);
  sandbox.set(['inputs'], setup.inputs);
  sandbox.set(['secrets'], setup.secrets);
  sandbox.set(['env'], setup.env);
  sandbox.set(['run'], { id: setup.runId, startedAt: setup.startedAt.toISOString(), operator: setup.operator });
  const refuseWrites = setup.mode === 'headless' && !setup.options.allowWrites ? new Set(unguardedEffects(document, graph).map((s) => s.id)) : new Set<string>();
  const counts: Record<StepStatus, number> = { passed: 0, failed: 0, skipped: 0, 'timed-out': 0, cancelled: 0, interrupted: 0 };
  let status: RunStatus = 'passed';
  let stoppedBy: string | undefined;
  const resolverFor = bindings(document);
  const readSteps = stepsRead(document);
  /** How each step ended so far; expressions see it as `id.outcome`. */
  const outcomes = new Map<string, StepOutcomeName>();
  /** Makes a step's value visible to later expressions, whatever its outcome (step-value.ts). */
  const publish = (step: Step, outcome: StepOutcomeName, result?: unknown, error?: string | null): void => {
    outcomes.set(step.id, outcome);
    const value = stepValue(step, outcome, result, error);
    sandbox.set(['steps', step.id], value);
    if (step.id.includes('.')) sandbox.set(['__ns', ...step.id.split('.')], value);
  };
  for (const step of document.steps) if (step.kind !== 'include') publish(step, 'pending');
  /** Steps a declined confirm (on-decline=skip) guards: skipped, with who declined. */
  const declined = new Map<string, string>();
  /** Per step and stream: output held back until a secret split across chunks can be masked whole. */
  const outputs = new Map<string, ReturnType<Redactor['stream']>>();
  const flushOutput = async (stepId: string): Promise<void> => {
    for (const stream of ['stdout', 'stderr'] as const) {
      const key = `${stepId}\u0000${stream}`;
      const redacting = outputs.get(key);
      if (!redacting) continue;
      outputs.delete(key);
      const rest = redacting.end();
      if (rest !== '') await recorder.record({ type: 'step.output', data: { stepId, stream, chunk: rest } });
    }
  };
  const shellEnv = shellEnvironment(setup.hostEnv ?? process.env, Object.keys(document.frontmatter.env));

  const contextFor = (step: Step, node: GraphNode, signal: AbortSignal, timeoutMs: number): StepContext => {
    const evaluate = (e: Parameters<StepContext['evaluate']>[0]): unknown => sandbox.evaluate(e, resolverFor(step));
    const value = (e: Parameters<StepContext['evaluate']>[0]): unknown => {
      const v = evaluate(e);
      if (v === undefined) throw new MissingValueError(e, 'it is undefined');
      if (v === null) {
        const unfinished = readSteps(e, step).find((id) => outcomes.get(id) !== 'passed');
        if (unfinished !== undefined) throw new MissingValueError(e, `it reads \`${unfinished}\`, which ${describeOutcome(outcomes.get(unfinished) ?? 'pending')}`);
      }
      return v;
    };
    return {
      step,
      node,
      timeoutMs,
      signal,
      evaluate,
      value,
      render: (template, mode) => renderTemplate(template, value, mode),
      bind: (template, dialect) => bindTemplate(template, value, dialect),
      target: (name) => {
        const target = setup.targets[name];
        if (!target) throw new Error(`target \`${name}\` is not defined`);
        return target;
      },
      sql: (name) => setup.connections.sql(setup.targets[name]!),
      output: (stream, chunk) => {
        const key = `${step.id}\u0000${stream}`;
        let redacting = outputs.get(key);
        if (!redacting) outputs.set(key, (redacting = setup.redactor.stream()));
        const safe = redacting.push(chunk);
        if (safe !== '') void recorder.record({ type: 'step.output', data: { stepId: step.id, stream, chunk: safe } }).catch(() => {});
      },
      mask: (name, value) => setup.redactor.add(name, value),
      responder: setup.responder,
      operator: setup.operator,
      now: setup.now ?? (() => new Date()),
      runbookDir: dirname(step.file),
      env: shellEnv,
      options: { allowWrites: setup.options.allowWrites, yes: setup.options.yes },
      rerun: async (id, attempt) => {
        const rerun = await record(steps.get(id)!, await execute(steps.get(id)!, nodes.get(id)!, attempt, signal));
        return rerun.outcome;
      },
      record: {
        assert: (expression, passed, actual) => void recorder.record({ type: 'assert.evaluated', data: { stepId: step.id, expression, passed, actual } }),
        note: (text) => void recorder.record({ type: 'note.added', data: { stepId: step.id, text, by: setup.operator } }),
        confirm: (answer, via) => void recorder.record({ type: 'confirm.answered', data: { stepId: step.id, answer, by: setup.operator, via: via as never } }),
        input: (value, via) => void recorder.record({ type: 'input.answered', data: { stepId: step.id, value, by: setup.operator, via: via as never } }),
      },
    };
  };

  /** Plans and executes one step (or a re-run of it, for `wait`), recording start and finish. */
  const execute = async (step: Step, node: GraphNode, attempt: number, outer: AbortSignal): Promise<Executed> => {
    const timeoutMs = step.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(outer.reason);
    outer.addEventListener('abort', onAbort, { once: true });
    const ctx = contextFor(step, node, controller.signal, timeoutMs);
    const handler = stepHandler(step.kind);
    const t0 = performance.now();
    let plan: StepPlan;
    try {
      plan = handler.plan(ctx);
    } catch (error) {
      outer.removeEventListener('abort', onAbort);
      return { outcome: { status: 'failed', error: `cannot prepare the step: ${(error as Error).message}` }, status: 'failed', ms: 0 };
    }
    if (refuseWrites.has(step.id)) {
      outer.removeEventListener('abort', onAbort);
      const instead = stepSpec(step.kind).guardHint;
      return { outcome: { status: 'failed', error: `refusing to run: it ${whatItChanges(step)} and no confirm guards it; add a ::confirm above it in its section${instead ? `, ${instead}` : ''}, or pass --allow-writes` }, status: 'failed', ms: 0 };
    }
    try {
      await recorder.record({ type: 'step.started', data: { stepId: step.id, kind: step.kind, plan, attempt } }, { durable: plan.effect });
    } catch (error) {
      outer.removeEventListener('abort', onAbort);
      if (!(error instanceof UnrecordableError)) throw error;
      return { outcome: { status: 'failed', error: `not run: ${error.message}` }, status: 'failed', ms: 0 };
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
    }
    const ms = Math.round(performance.now() - t0);
    let stepStatus: StepStatus = outcome.status === 'passed' ? 'passed' : 'failed';
    if (outcome.status !== 'passed' && controller.signal.aborted) stepStatus = outer.aborted ? 'cancelled' : 'timed-out';
    else if (outcome.status === 'failed' && outcome.timedOut === true) stepStatus = 'timed-out';
    return { outcome, status: stepStatus, ms };
  };

  const runStep = async (id: string): Promise<boolean> => {
    const step = steps.get(id)!;
    const node = nodes.get(id)!;
    if (setup.signal.aborted) return false;
    if (setup.resume) {
      const done = setup.resume.finished.get(id);
      // A secret input's answer was recorded masked: it is asked again, never replayed as the mask.
      if (done && !isSecretInputStep(step)) return restore(step, done);
      const ended = setup.resume.uncertain.get(id);
      if (ended !== undefined && !(await mayRerun(step, ended))) return false;
    }
    const declinedBy = declined.get(id);
    if (declinedBy !== undefined) {
      counts.skipped++;
      publish(step, 'skipped');
      await recorder.record({ type: 'step.finished', data: { stepId: id, status: 'skipped', ms: 0, reason: declinedBy } });
      return true;
    }
    const unknownConditions: string[] = [];
    try {
      for (const condition of [...step.conditions, ...(step.when ? [step.when] : [])]) {
        if (setup.mode === 'dry-run') {
          // A condition on results a dry run does not produce is not known: the step may run.
          const unrun = readSteps(condition, step).filter((read) => outcomes.get(read) !== 'passed');
          if (unrun.length > 0) {
            unknownConditions.push(`\`${condition.source}\` (needs ${unrun.join(', ')})`);
            continue;
          }
        }
        const value = sandbox.evaluate(condition, resolverFor(step));
        if (!value) {
          counts.skipped++;
          publish(step, 'skipped');
          const why = `\`${condition.source}\` is ${JSON.stringify(value) ?? 'undefined'}`;
          await recorder.record({ type: 'step.finished', data: { stepId: id, status: 'skipped', ms: 0, reason: setup.mode === 'dry-run' ? `dry run: would be skipped: ${why}` : why } });
          return true;
        }
      }
    } catch (error) {
      return finish(step, { outcome: { status: 'failed', error: (error as Error).message }, status: 'failed', ms: 0 });
    }
    // A dry run evaluates what has no effect and needs nothing outside (a `set` of constants), and plans the rest.
    if (setup.mode === 'dry-run' && !(stepSpec(step.kind).pure === true && unknownConditions.length === 0)) return plan(step, node, unknownConditions);
    return finish(step, await execute(step, node, 1, setup.signal));
  };

  /** Resuming: a step that finished before is not run again; its recorded result is visible again. */
  const restore = (step: Step, done: { status: 'passed' | 'skipped'; result?: unknown }): boolean => {
    counts[done.status]++;
    publish(step, done.status, done.status === 'passed' ? done.result : undefined);
    return true;
  };

  /**
   * Resuming: a side-effecting step that started and never finished, or was cancelled or timed
   * out after it started, may have taken effect. It runs again only if it is marked idempotent or
   * the responder confirms (headless: `rerun: { id: yes }` in answers).
   */
  const mayRerun = async (step: Step, ended: string): Promise<boolean> => {
    if (step.idempotent) return true;
    const how = ended === 'never finished' ? 'started but never finished when the run was interrupted' : ended === 'timed-out' ? 'timed out after it started' : `was ${ended} after it started`;
    const answer = await setup.responder.confirm({ stepId: step.id, question: `Step \`${step.id}\` ${how}; it may have taken effect. Run it again?`, danger: false, phrase: null, rerun: true, ended: how });
    if (answer.answered && answer.value) {
      await recorder.record({ type: 'confirm.answered', data: { stepId: step.id, answer: true, by: answer.by, via: answer.via, rerun: true } });
      return true;
    }
    const why = answer.answered ? `declined to run \`${step.id}\` again` : answer.why;
    if (answer.answered) await recorder.record({ type: 'confirm.answered', data: { stepId: step.id, answer: false, by: answer.by, via: answer.via, rerun: true } });
    status = answer.answered ? 'declined' : 'blocked';
    stoppedBy ??= setup.redactor.text(`${step.id}: ${why}`);
    return false;
  };

  /** A dry run shows each step rendered with the values known, and executes nothing. */
  const plan = async (step: Step, node: GraphNode, unknownConditions: string[]): Promise<boolean> => {
    counts.skipped++;
    publish(step, 'skipped');
    const onlyIf = unknownConditions.length > 0 ? `: runs only if ${unknownConditions.join(' and ')}` : '';
    try {
      const planned = stepHandler(step.kind).plan(contextFor(step, node, setup.signal, step.timeoutMs ?? DEFAULT_TIMEOUT_MS));
      await recorder.record({ type: 'step.finished', data: { stepId: step.id, status: 'skipped', ms: 0, reason: `dry run${onlyIf}`, plan: planned } });
    } catch (error) {
      const needs = error instanceof MissingValueError ? graph.edges.filter((e) => e.to === step.id && e.why === 'reference' && outcomes.get(e.from) !== 'passed').map((e) => e.from) : [];
      const why = needs.length > 0 ? `needs the results of ${needs.join(', ')}, which a dry run does not produce` : (error as Error).message;
      await recorder.record({ type: 'step.finished', data: { stepId: step.id, status: 'skipped', ms: 0, reason: `dry run: ${why}${onlyIf ? `; ${onlyIf.slice(2)}` : ''}` } });
    }
    return true;
  };

  /**
   * Records a step's end and makes a passed step's result visible to later expressions. A result
   * that cannot be recorded safely (redaction failed) fails the step instead: nothing unredacted
   * is written, and nothing later may build on a result the transcript does not hold.
   */
  const record = async (step: Step, executed: Executed): Promise<Executed> => {
    const { outcome, status: stepStatus, ms } = executed;
    const commit = nodes.get(step.id)?.effect === true; // a side effect's end is committed before the next step
    await flushOutput(step.id);
    if (outcome.status === 'passed') {
      try {
        await recorder.record({ type: 'step.finished', data: { stepId: step.id, status: 'passed', ms, result: outcome.result } }, { commit });
      } catch (error) {
        if (!(error instanceof UnrecordableError)) throw error;
        const failed: Executed = { outcome: { status: 'failed', error: error.message }, status: 'failed', ms };
        publish(step, 'failed', undefined, error.message);
        await recorder.record({ type: 'step.finished', data: { stepId: step.id, status: 'failed', ms, error: error.message } }, { commit });
        return failed;
      }
      publish(step, 'passed', outcome.result);
      return executed;
    }
    publish(step, outcome.status === 'declined' ? 'declined' : stepStatus, outcome.status !== 'blocked' ? outcome.result : undefined, outcome.error);
    const data = { stepId: step.id, status: stepStatus as 'failed', ms, error: outcome.error, ...(outcome.status !== 'blocked' && outcome.result !== undefined ? { result: outcome.result } : {}) };
    try {
      await recorder.record({ type: 'step.finished', data }, { commit });
    } catch (error) {
      if (!(error instanceof UnrecordableError)) throw error;
      await recorder.record({ type: 'step.finished', data: { stepId: step.id, status: stepStatus as 'failed', ms, error: error.message } }, { commit });
    }
    return executed;
  };

  const finish = async (step: Step, done: Executed): Promise<boolean> => {
    const executed = await record(step, done);
    const { outcome } = executed;
    counts[executed.status]++;
    if (outcome.status === 'passed') {
      if (outcome.skipsGuarded !== undefined) for (const guarded of nodes.get(step.id)?.guards ?? []) declined.set(guarded, outcome.skipsGuarded);
      return true;
    }
    if (outcome.status === 'declined' || outcome.status === 'blocked') {
      status = setup.signal.aborted ? 'interrupted' : outcome.status;
      stoppedBy ??= setup.redactor.text(`${step.id}: ${outcome.error}`);
      return false;
    }
    if (setup.signal.aborted) {
      status = 'interrupted';
      return false;
    }
    if (status === 'passed') status = 'failed';
    if (step.onFail === 'continue') return true;
    stoppedBy ??= setup.redactor.text(`${step.id}: ${outcome.error}`);
    return false;
  };

  const notRun = await schedule(graph, { parallel: setup.options.parallel, run: (id) => runStep(id).catch(() => false), stopped: () => setup.signal.aborted });
  if (setup.signal.aborted) {
    status = 'interrupted';
    await recorder.record({ type: 'run.interrupted', data: { reason: String((setup.signal.reason as Error)?.message ?? setup.signal.reason ?? 'interrupted'), ...(typeof setup.signal.reason === 'string' ? { signal: setup.signal.reason } : {}) } });
  }
  const ms = Math.round(performance.now() - started);
  const exitCode = RUN_EXIT[status];
  await recorder.record({ type: 'run.finished', data: { status, exitCode, ms, counts } });
  return { status, exitCode, counts, ms, notRun, ...(stoppedBy ? { stoppedBy } : {}) };
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

export function formatMs(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)}s`;
  return `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`;
}
