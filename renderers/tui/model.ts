/**
 * What the terminal UI shows, built from two things only: the runbook's document (its outline,
 * prose and steps as written) and the run's recorded events (the same sealed, redacted events
 * the store keeps). A live run and a run followed from the store fill it the same way.
 */
import type { Block, RunbookDocument, Step } from '../../engine/document/model.js';
import type { GraphNode, StepGraph } from '../../engine/graph/model.js';
import type { StepPlan, StepStatus } from '../../engine/run/events.js';
import type { RecordedEvent } from '../../engine/run/recorder.js';
import { ownStepId } from '../../engine/document/iteration-id.js';

/** A step's mark in the outline. */
export type Mark = 'pending' | 'running' | 'waiting' | StepStatus;

/** Lines of one output stream: the last ones kept, with counts of all. */
export interface OutputTail {
  lines: string[];
  /** The unfinished last line. */
  partial: string;
  /** Lines in all (finished ones), and bytes in all. */
  count: number;
  bytes: number;
}

/** Lines of output kept per stream: a step printing 100,000 lines keeps its tail and counts. */
export const OUTPUT_KEEP = 400;
/** Characters of one output line kept (the rest is counted, not drawn). */
const LINE_KEEP = 2000;

export interface Attempt {
  attempt: number;
  status: StepStatus;
  ms: number;
  error?: string;
}

export interface StepState {
  id: string;
  kind: string;
  node: GraphNode;
  mark: Mark;
  attempt: number;
  /** The plan the step ran with (step.started), or the one it will run with (the runner's preview). */
  plan?: StepPlan;
  planPreview?: boolean;
  planError?: string;
  result?: unknown;
  error?: string;
  reason?: string;
  /** A pass's note: a soft assertion's warning, or the failure an `expect=fail` step expected. */
  passNote?: { warning: boolean; text: string };
  ms?: number;
  /** When it started, in this process's clock (for the running time). */
  startedAt?: number;
  output: { stdout: OutputTail; stderr: OutputTail };
  /** Answers, assertions and notes about this step, as recorded. */
  evidence: string[];
  /** Earlier attempts that failed (retried). */
  attempts: Attempt[];
}

export type ContextItem = { type: 'heading'; depth: number; text: string } | { type: 'prose'; markdown: string };

export type OutlineRow =
  | { type: 'section'; depth: number; title: string }
  | { type: 'step'; id: string; depth: number };

export interface RunInfo {
  title: string;
  runId: string;
  operator: string;
  targets: string;
  /** The environment profile (run.started's `profile`), when the run uses one. */
  profile?: string;
  mode: string;
  /** Epoch ms of run.started (or of the resume). */
  since?: number;
  finished?: { status: string; exitCode: number; counts: Record<StepStatus, number>; ms: number; warnings: number };
  interrupted?: string;
  resumed: string[];
  /** Notes not about a step. */
  notes: string[];
  last?: { seq: number; hash?: string };
  events: number;
}

export interface Model {
  document: RunbookDocument;
  /** What reads what: a skipped input's readers, a confirm's guarded steps. */
  graph: StepGraph;
  outline: OutlineRow[];
  /** Step ids in outline order (only steps that run: includes are walked into). */
  order: string[];
  steps: Map<string, StepState>;
  /** For each step: the heading above it and the prose before and after it. */
  context: Map<string, { before: ContextItem[]; after: ContextItem[] }>;
  run: RunInfo;
  /** The step the run is at (started last, or waiting for the responder). */
  current?: string;
  /** Bumped on every change. */
  version: number;
}

/**
 * The row of a step id an event names: one iteration of a loop's step (`replay[3]`) shows on the
 * step's own row (`replay`), which follows the loop as it goes.
 */
export function stepOf(model: Model, stepId: string): StepState | undefined {
  return model.steps.get(stepId) ?? model.steps.get(ownStepId(stepId));
}

export function emptyTail(): OutputTail {
  return { lines: [], partial: '', count: 0, bytes: 0 };
}

export function buildModel(document: RunbookDocument, graph: StepGraph, runId = ''): Model {
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const flat: ({ type: 'step'; id: string; depth: number } | (ContextItem & { depth?: number }))[] = [];
  let depth = 0;
  const walk = (blocks: Block[]): void => {
    for (const block of blocks) {
      if (block.type === 'heading') {
        depth = block.depth;
        flat.push({ type: 'heading', depth: block.depth, text: block.text });
      } else if (block.type === 'prose') flat.push({ type: 'prose', markdown: block.markdown });
      else if (block.type === 'step') {
        if (nodes.has(block.step.id)) flat.push({ type: 'step', id: block.step.id, depth });
      } else walk(block.blocks);
    }
  };
  walk(document.blocks);
  // Steps the blocks did not reach (defensive): appended in document order.
  const seen = new Set(flat.filter((f) => f.type === 'step').map((f) => (f as { id: string }).id));
  for (const n of graph.nodes) if (!seen.has(n.id)) flat.push({ type: 'step', id: n.id, depth });

  const outline: OutlineRow[] = [];
  const order: string[] = [];
  const context = new Map<string, { before: ContextItem[]; after: ContextItem[] }>();
  // A loop, not Math.min(...depths): a runbook of 100,000 headings would overflow the stack.
  let minDepth = 9;
  for (const f of flat) if (f.type === 'heading') minDepth = Math.min(minDepth, (f as { depth: number }).depth);
  let heading: ContextItem | undefined;
  let pending: ContextItem[] = [];
  let lastStep: string | undefined;
  for (const item of flat) {
    if (item.type === 'heading') {
      // The document's title (a lone top heading) is the header's, not a section.
      if (!(item.depth === minDepth && item.text === document.title && outline.length === 0))
        outline.push({ type: 'section', depth: item.depth, title: item.text });
      heading = { type: 'heading', depth: item.depth, text: item.text };
      // Everything since the last step is the next step's context: the intro under a title too.
      pending.push(heading);
      lastStep = undefined;
    } else if (item.type === 'prose') {
      pending.push(item);
      if (lastStep) context.get(lastStep)!.after.push(item);
    } else {
      outline.push({ type: 'step', id: item.id, depth: item.depth });
      order.push(item.id);
      const before = pending.some((p) => p.type === 'heading') || !heading ? pending : [heading, ...pending];
      context.set(item.id, { before, after: [] });
      pending = [];
      lastStep = item.id;
    }
  }
  const steps = new Map<string, StepState>();
  for (const id of order) {
    const node = nodes.get(id)!;
    steps.set(id, {
      id,
      kind: node.kind,
      node,
      mark: 'pending',
      attempt: 0,
      output: { stdout: emptyTail(), stderr: emptyTail() },
      evidence: [],
      attempts: [],
    });
  }
  return {
    document,
    graph,
    outline,
    order,
    steps,
    context,
    run: {
      title: document.title,
      runId,
      operator: '',
      targets: '',
      mode: '',
      resumed: [],
      notes: [],
      events: 0,
    },
    version: 0,
  };
}

/** The step as written in the runbook (its directive and body), for a step not yet planned. */
export function stepSource(document: RunbookDocument, step: Step): string {
  if (step.file === document.path || step.file === '') {
    const text = document.source.slice(step.span.start.offset, step.span.end.offset);
    if (text !== '') return text;
  }
  return [
    `::${step.kind}${step.label ? `[${step.label.source}]` : ''}`,
    ...(step.body ? [`\`\`\`${step.body.lang ?? ''}`, step.body.template.source, '```'] : []),
  ].join('\n');
}

/** Appends a chunk to a tail: complete lines kept (the last OUTPUT_KEEP), counted all. */
export function appendOutput(tail: OutputTail, chunk: string): void {
  tail.bytes += Buffer.byteLength(chunk);
  const parts = (tail.partial + chunk).split('\n');
  const partial = parts.pop() ?? '';
  tail.partial = partial.length > LINE_KEEP ? partial.slice(0, LINE_KEEP) : partial;
  tail.count += parts.length;
  const fresh = parts.length > OUTPUT_KEEP ? parts.slice(-OUTPUT_KEEP) : parts;
  for (const line of fresh) tail.lines.push(line.length > LINE_KEEP ? `${line.slice(0, LINE_KEEP)}…` : line);
  if (tail.lines.length > OUTPUT_KEEP) tail.lines.splice(0, tail.lines.length - OUTPUT_KEEP);
}

type AnyEvent = RecordedEvent & { hash?: string };

/** Applies one recorded event. Unknown steps (a runbook changed under a resume) are ignored. */
export function applyEvent(model: Model, event: AnyEvent, now = Date.now()): void {
  model.version++;
  model.run.events++;
  model.run.last = { seq: event.seq, ...(event.hash ? { hash: event.hash } : {}) };
  if (event.runId) model.run.runId = event.runId;
  const at = Date.parse(event.ts);
  switch (event.type) {
    case 'run.started': {
      const d = event.data;
      model.run.title = d.runbook.title || model.run.title;
      model.run.operator = d.operator;
      model.run.mode = d.mode;
      if (d.profile !== undefined) model.run.profile = d.profile;
      model.run.targets = Object.entries(d.targets)
        .map(([name, t]) => `${name}=${t.location}`)
        .join(' ');
      model.run.since = Number.isFinite(at) ? at : now;
      break;
    }
    case 'run.resumed':
      model.run.resumed.push(`resumed by ${event.data.operator} on ${event.data.host}`);
      model.run.operator = event.data.operator;
      model.run.finished = undefined;
      model.run.interrupted = undefined;
      model.run.since = Number.isFinite(at) ? at : now;
      break;
    case 'step.started': {
      const s = stepOf(model, event.data.stepId);
      if (!s) break;
      s.mark = 'running';
      s.kind = event.data.kind;
      s.plan = event.data.plan;
      s.planPreview = false;
      s.planError = undefined;
      s.attempt = event.data.attempt;
      s.startedAt = now;
      s.result = undefined;
      s.error = undefined;
      s.reason = undefined;
      s.passNote = undefined;
      s.output = { stdout: emptyTail(), stderr: emptyTail() };
      model.current = s.id;
      break;
    }
    case 'step.output': {
      const s = stepOf(model, event.data.stepId);
      if (s) appendOutput(s.output[event.data.stream], event.data.chunk);
      break;
    }
    case 'step.finished': {
      const d = event.data;
      const s = stepOf(model, d.stepId);
      if (!s) break;
      s.mark = d.status;
      s.ms = d.ms;
      if (d.status === 'passed') {
        s.result = d.result;
        if (d.warning !== undefined) s.passNote = { warning: true, text: d.warning };
        else if (d.expectedFailure !== undefined)
          s.passNote = { warning: false, text: `failed as expected: ${d.expectedFailure}` };
      } else if (d.status === 'skipped') {
        s.reason = d.reason;
        if (d.plan) {
          s.plan = d.plan;
          s.planPreview = false;
        }
      } else {
        s.error = d.error;
        s.result = d.result;
        // Every failed attempt is kept: a retried step shows what the earlier ones said.
        s.attempts.push({ attempt: s.attempt, status: d.status, ms: d.ms, error: d.error });
      }
      break;
    }
    case 'confirm.answered': {
      const d = event.data;
      stepOf(model, d.stepId)?.evidence.push(
        `${d.rerun ? 'run again' : 'answered'}: ${d.answer ? 'yes' : 'no'} by ${d.by} (${d.via})`,
      );
      break;
    }
    case 'input.answered': {
      const d = event.data;
      stepOf(model, d.stepId)?.evidence.push(`answered: ${JSON.stringify(d.value)} by ${d.by} (${d.via})`);
      break;
    }
    case 'assert.evaluated':
      break;
    case 'note.added': {
      const d = event.data;
      const line = `note by ${d.by}: ${d.text}`;
      const s = d.stepId ? stepOf(model, d.stepId) : undefined;
      if (s) s.evidence.push(line);
      else model.run.notes.push(line);
      break;
    }
    case 'run.interrupted':
      model.run.interrupted = event.data.reason;
      for (const s of model.steps.values()) if (s.mark === 'running' || s.mark === 'waiting') s.mark = 'interrupted';
      break;
    case 'run.finished':
      model.run.finished = {
        status: event.data.status,
        exitCode: event.data.exitCode,
        counts: event.data.counts,
        ms: event.data.ms,
        warnings: event.data.warnings ?? 0,
      };
      for (const s of model.steps.values()) if (s.mark === 'waiting') s.mark = 'pending';
      break;
    default:
      break;
  }
}
