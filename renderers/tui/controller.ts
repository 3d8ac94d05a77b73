/**
 * The terminal UI's state outside React: the model (document + recorded events), what the run
 * is waiting for (a step's turn, a confirm, an input, the runbook's inputs), and the actions keys
 * take. It is one more sink of the engine session (events in) and its responder (answers out):
 * never a second engine. React reads it through subscribe/version; redraws are coalesced, so a
 * step printing 100,000 lines costs one frame per tick, not one per line.
 */
import type { StepGraph } from '../../engine/graph/model.js';
import type { RunbookDocument } from '../../engine/document/model.js';
import type { RecordedEvent } from '../../engine/run/recorder.js';
import type {
  Answer,
  ConfirmRequest,
  InputRequest,
  Responder,
  StepDecision,
  StepTurn,
} from '../../engine/run/responder.js';
import { applyEvent, buildModel, stepOf, type Model } from './model.js';
import type { InputType } from '../../engine/document/frontmatter-model.js';

/** A value the responder is asked for: a runbook input at the start, or an input step. */
export interface FieldSpec {
  name: string;
  question: string;
  /** A `list` is typed as text with commas. */
  type: InputType;
  options: unknown[] | null;
  pattern: string | null;
  defaultValue: unknown;
  /** Checks a typed value: an error message, or null when it is acceptable. */
  check(value: string): string | null;
}

export type Pending =
  | { type: 'inputs'; fields: FieldSpec[]; resolve(values: Record<string, string> | null): void }
  | { type: 'turn'; turn: StepTurn; resolve(decision: StepDecision): void }
  | { type: 'confirm'; request: ConfirmRequest; guarded: string[]; resolve(answer: Answer<boolean>): void }
  | { type: 'input'; request: InputRequest; field: FieldSpec; resolve(answer: Answer<unknown>): void };

export interface Ended {
  /** Lines saying how the run ended (status, counts, transcript digest, or why it did not start). */
  lines: string[];
  code: number;
}

/** How often the screen may be redrawn at most (ms). */
export const FRAME_MS = 40;

export interface ControllerOptions {
  document: RunbookDocument;
  graph: StepGraph;
  runId?: string;
  operator: string;
  /** Following a run from the store: keys only move the view. */
  readOnly?: boolean;
  /** Check a typed input step value (the engine's coercion); null when fine. */
  checkInput?: (request: InputRequest, value: string) => string | null;
  now?: () => number;
}

export class TuiController {
  readonly model: Model;
  readonly readOnly: boolean;
  readonly operator: string;
  readonly abort = new AbortController();
  /** The responder quit (`q`, a signal): the UI leaves as soon as the run has ended. After Ctrl-C it stays, showing how the run ended. */
  leaving = false;
  pending: Pending | undefined;
  /** `a`: run every step up to the next gate, unguarded side effect or failure. */
  auto = false;
  /** A line for the footer (a warning, what just happened). */
  message = '';
  /** What the run is doing before its first question (opening the store, connecting): the footer says it. */
  progress = '';
  ended: Ended | undefined;
  /** Whether the run's session is over (no more notes can be recorded). */
  closed = false;
  private noteFn: StepTurn['note'] | undefined;
  /** The running attempt's own cancel (Ctrl-C cancels the step alone), and which step it is. */
  private running: { stepId: string; cancel: AbortController } | undefined;
  /** A skip asked for while the step was asking (a confirm, an input): its reason, given once the run asks again. */
  private skipping: { stepId: string; reason: string } | undefined;
  private listeners = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;
  private exitResolve: (() => void) | undefined;
  readonly exited: Promise<void>;
  private readonly checkInput: ControllerOptions['checkInput'];
  readonly now: () => number;

  constructor(options: ControllerOptions) {
    this.model = buildModel(options.document, options.graph, options.runId ?? '');
    this.model.run.operator = options.operator;
    this.operator = options.operator;
    this.readOnly = options.readOnly === true;
    this.checkInput = options.checkInput;
    this.now = options.now ?? Date.now;
    this.exited = new Promise((resolve) => {
      this.exitResolve = resolve;
    });
  }

  // ---- React's side: subscribe and read.

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  version = (): number => this.model.version;

  /** Schedules one redraw for everything that changed within a frame. */
  changed(now = false): void {
    this.model.version++;
    if (now) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      for (const l of this.listeners) l();
      return;
    }
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      for (const l of this.listeners) l();
    }, FRAME_MS);
  }

  // ---- The session's side: events in, questions out.

  sink = (event: RecordedEvent): void => {
    applyEvent(this.model, event, this.now());
    if (event.type === 'run.started' || event.type === 'run.resumed') this.progress = 'preparing the first step…';
    // A step's events reach the sink after they are committed (read-only steps' every 10 ms), so
    // the next step's turn can come before them: the step the run waits on stays the current one
    // (its step.started would make the one before it current again), and a failed attempt's
    // failure stays shown.
    const p = this.pending;
    if (p?.type === 'turn' && stepOf(this.model, p.turn.stepId)) this.model.current = p.turn.stepId;
    if (p?.type === 'turn' && p.turn.failed) this.showFailure(p.turn);
    this.changed();
  };

  private showFailure(turn: StepTurn): void {
    const step = stepOf(this.model, turn.stepId);
    if (!step || !turn.failed) return;
    step.mark = turn.failed.status;
    step.error = turn.failed.error;
    step.result = turn.failed.result;
  }

  readonly responder: Responder = {
    beforeStep: (turn) => this.turn(turn),
    confirm: (request) =>
      this.ask<Answer<boolean>>((resolve) => ({
        type: 'confirm',
        request,
        guarded: stepOf(this.model, request.stepId)?.node.guards ?? [],
        resolve,
      })),
    input: (request) =>
      this.ask<Answer<unknown>>((resolve) => ({
        type: 'input',
        request,
        field: {
          name: request.stepId,
          question: request.question,
          type: request.type,
          options: request.options,
          pattern: request.pattern,
          defaultValue: request.defaultValue,
          check: (value) => this.checkInput?.(request, value) ?? null,
        },
        resolve,
      })),
  };

  /** The runbook's inputs, asked before the run starts; null when the responder quit. */
  askInputs(fields: FieldSpec[]): Promise<Record<string, string> | null> {
    if (fields.length === 0) return Promise.resolve({});
    return new Promise((resolve) => {
      this.pending = {
        type: 'inputs',
        fields,
        resolve: (values) => {
          this.pending = undefined;
          this.changed(true);
          resolve(values);
        },
      };
      this.changed(true);
    });
  }

  private turn(turn: StepTurn): Promise<StepDecision> {
    this.noteFn = turn.note;
    this.progress = '';
    const step = stepOf(this.model, turn.stepId);
    if (step) {
      this.model.current = step.id;
      // A failure is shown at once; the transcript records the attempt once the responder has decided.
      if (turn.failed) this.showFailure(turn);
      else {
        step.mark = 'waiting';
        if (turn.plan) {
          step.plan = turn.plan;
          step.planPreview = true;
          step.planError = undefined;
        } else if (turn.planError !== undefined) step.planError = turn.planError;
      }
    }
    this.running = undefined;
    if (this.abort.signal.aborted) return Promise.resolve({ action: 'stop' });
    const skipping = this.skipping;
    this.skipping = undefined;
    // Skipped while it asked: its attempt was cancelled to stop the question; now it is skipped.
    if (skipping?.stepId === turn.stepId && turn.failed)
      return Promise.resolve({ action: 'skip', reason: skipping.reason });
    const node = step?.node;
    const gate = node?.effect === true && !node.sideEffect;
    // A confirm's dialog shows the steps it guards as they will run, with the values known now.
    if (!turn.failed && gate) for (const id of node.guards) this.preview(id, turn);
    if (!turn.failed && gate) return Promise.resolve(this.runDecision(turn.stepId));
    if (turn.failed) this.auto = false;
    else if (this.auto && node !== undefined && !(node.sideEffect && node.guardedBy.length === 0)) {
      this.changed();
      return Promise.resolve(this.runDecision(turn.stepId));
    } else if (this.auto) {
      this.auto = false;
      this.message = `stopped before \`${turn.stepId}\`: it changes something and no confirm guards it; Enter runs it`;
    }
    return new Promise((resolve) => {
      this.pending = {
        type: 'turn',
        turn,
        resolve: (decision) => {
          this.pending = undefined;
          if (step && decision.action === 'run') step.mark = 'running';
          this.changed(true);
          resolve(decision.action === 'run' ? this.runDecision(turn.stepId) : decision);
        },
      };
      this.changed(true);
    });
  }

  /** Runs a step with a cancel of its own: Ctrl-C cancels this attempt, not the run. */
  private runDecision(stepId: string): StepDecision {
    const cancel = new AbortController();
    this.running = { stepId, cancel };
    return { action: 'run', cancel: cancel.signal };
  }

  /** Another step's plan as it would run now, shown before it runs (a confirm's guarded steps). */
  private preview(id: string, turn: StepTurn): void {
    const other = this.model.steps.get(id);
    if (other?.mark !== 'pending') return;
    const seen = turn.preview(id);
    if ('plan' in seen) {
      other.plan = seen.plan;
      other.planPreview = true;
      other.planError = undefined;
    } else other.planError = seen.planError;
  }

  private ask<T>(make: (resolve: (answer: T) => void) => Pending): Promise<T> {
    this.auto = false;
    this.progress = '';
    return new Promise<T>((resolve) => {
      const pending = make((answer: T) => {
        this.pending = undefined;
        this.changed(true);
        resolve(answer);
      });
      if (this.abort.signal.aborted) {
        pending.resolve({ answered: false, why: 'the run was interrupted' } as never);
        return;
      }
      const stepId = pending.type === 'confirm' || pending.type === 'input' ? pending.request.stepId : undefined;
      const step = stepId ? stepOf(this.model, stepId) : undefined;
      if (step) {
        step.mark = 'waiting';
        this.model.current = step.id;
      }
      this.pending = pending;
      this.changed(true);
    });
  }

  // ---- The keys' side: actions.

  /** Enter at a step's turn: run it (or, after a failure, keep the failure and go on as the runbook says). */
  run(): void {
    const p = this.pending;
    if (p?.type === 'turn') p.resolve(p.turn.failed ? { action: 'stop' } : { action: 'run' });
  }

  /** `a`: run this step and every one after it up to the next gate, unguarded side effect or failure. */
  runAll(): void {
    const p = this.pending;
    if (p?.type !== 'turn' || p.turn.failed) return;
    this.auto = true;
    p.resolve({ action: 'run' });
  }

  /** `s` at a step's turn: skipped with the reason (after a failed or cancelled attempt too). */
  skip(reason: string): void {
    const p = this.pending;
    if (p?.type === 'turn') p.resolve({ action: 'skip', reason });
  }

  retry(): void {
    const p = this.pending;
    if (p?.type !== 'turn' || !p.turn.failed) return;
    const { turn } = p;
    // Who retried is evidence too: a note by the operator, before the new attempt starts.
    turn
      .note(`retry: attempt ${turn.attempt} after ${turn.failed!.status}`)
      .catch(() => {})
      .finally(() => p.resolve({ action: 'run' }));
  }

  /** The step that runs now (or asks, in a dialog), if any: what Ctrl-C cancels. */
  runningStep(): string | undefined {
    const r = this.running;
    const p = this.pending;
    if (!r || r.cancel.signal.aborted || p?.type === 'turn' || p?.type === 'inputs') return undefined;
    // A question that is not the running step's own (resume's "run it again?") is not a running step.
    if (
      (p?.type === 'confirm' || p?.type === 'input') &&
      (p.request.stepId !== r.stepId || (p.type === 'confirm' && p.request.rerun))
    )
      return undefined;
    return r.stepId;
  }

  /**
   * Ctrl-C: cancels the running step alone (the query cancelled on the server, the process group
   * killed); the run then asks whether to retry, skip or quit. False when no step is running.
   */
  cancelStep(why = `cancelled by ${this.operator}`): boolean {
    const id = this.runningStep();
    if (id === undefined || this.running === undefined) return false;
    this.auto = false;
    this.running.cancel.abort(new Error(why));
    // A step that was asking (a confirm, an input) stops asking.
    const p = this.pending;
    if (p?.type === 'confirm' || p?.type === 'input') p.resolve({ answered: false, why: 'cancelled' });
    this.changed(true);
    return true;
  }

  /**
   * `s` while a confirm or an input step asks: the step is skipped with the reason. A skipped
   * confirm's guarded steps do not run (the engine skips them, saying why); a skipped input leaves
   * its value absent.
   */
  skipAsking(reason: string): void {
    const p = this.pending;
    if (p?.type !== 'confirm' && p?.type !== 'input') return;
    this.skipping = { stepId: p.request.stepId, reason };
    if (!this.cancelStep()) this.skipping = undefined;
  }

  answerConfirm(answer: boolean): void {
    const p = this.pending;
    if (p?.type === 'confirm') p.resolve({ answered: true, value: answer, by: this.operator, via: 'terminal' });
  }

  answerInput(value: unknown): void {
    const p = this.pending;
    if (p?.type === 'input') p.resolve({ answered: true, value, by: this.operator, via: 'terminal' });
  }

  submitInputs(values: Record<string, string>): void {
    const p = this.pending;
    if (p?.type === 'inputs') p.resolve(values);
  }

  /** Whether a note can be recorded now (the run is live and has reached its first step). */
  canNote(): boolean {
    return !this.readOnly && !this.closed && this.noteFn !== undefined;
  }

  note(text: string, stepId?: string): void {
    const fn = this.noteFn;
    if (!fn || this.closed) {
      this.message = 'notes are recorded while the run is live';
      this.changed(true);
      return;
    }
    fn(text, stepId).then(
      () => {
        this.message = 'note recorded';
        this.changed();
      },
      (error: Error) => {
        this.message = `the note could not be recorded: ${error.message}`;
        this.changed();
      },
    );
  }

  /**
   * Stops the run: the running step is cancelled (as headless on SIGINT) and run.interrupted is
   * recorded; whatever the run was waiting for is answered "stop".
   */
  interrupt(reason: Error | string, { leave = false }: { leave?: boolean } = {}): void {
    if (leave) this.leaving = true;
    if (!this.abort.signal.aborted) this.abort.abort(reason);
    this.auto = false;
    const p = this.pending;
    if (p?.type === 'turn') p.resolve({ action: 'stop' });
    else if (p?.type === 'confirm' || p?.type === 'input')
      p.resolve({ answered: false, why: 'the run was interrupted' });
    else if (p?.type === 'inputs') p.resolve(null);
    this.changed(true);
  }

  /** The session is over: what to say, and the exit code. */
  end(ended: Ended): void {
    this.ended = ended;
    this.closed = true;
    this.pending = undefined;
    this.changed(true);
  }

  /** Leave the UI (after the run ended, or a second Ctrl-C). */
  exit(): void {
    this.exitResolve?.();
  }

  /** Whether the run is live and not yet over. */
  live(): boolean {
    return !this.readOnly && !this.closed;
  }
}
