/**
 * What every report format renders: a recorded run read from its transcript alone (never a live
 * system), as a summary, the steps in the order they ran (with those never reached, from the
 * runbook source the transcript holds), a timeline of every event that matters to a person, the
 * decisions, the assertions, interruptions and resumptions, and the verdict of the hash chain.
 * A transcript that does not verify is still read (every event that parses), and the verdict says
 * where it breaks, so no format can present it as trusted evidence.
 */
import type { Step } from '../../engine/document/model.js';
import { stepSpecs } from '../../engine/steps/registry.js';
import { locateSteps } from './locate.js';
import type { RunStartedData, StepPlan, StepStatus } from '../../engine/run/events.js';
import { verifyChain, type ChainedEvent } from '../../engine/transcript/chain.js';
import { ownStepId } from '../../engine/document/iteration-id.js';

export type ReportStepStatus = StepStatus | 'not-run';

export interface ReportStep {
  id: string;
  kind: string;
  /** What it ran, in one line (its plan's summary); for a step never reached, its label as written. */
  label: string;
  status: ReportStepStatus;
  /** How many times it started (a resumed run may start a step again). */
  attempts: number;
  startedAt?: string;
  finishedAt?: string;
  ms?: number;
  /** Who ran it: the operator of the session it ran in. */
  by: string;
  plan?: StepPlan;
  /** Why it failed, timed out, was cancelled or interrupted. */
  error?: string;
  /** Why it was skipped, or why it was never reached. */
  reason?: string;
  /** A pass with a warning: a soft assertion (severity=warn) that did not hold. */
  warning?: string;
  /** A pass of an `expect=fail` step: the error it failed with, as it was supposed to. */
  expectedFailure?: string;
  result?: unknown;
  /** Its output as it streamed (joined chunks). */
  stdout: string;
  stderr: string;
  assertion?: { expression: string; passed: boolean; actual: unknown; at: string };
  decision?: Decision;
  /** Where the runbook source has it (0-based offsets into run.started's source), when it is in that file. */
  span?: { start: number; end: number };
}

export interface Decision {
  stepId: string;
  kind: 'confirm' | 'input';
  /** What was shown when it was answered: the gate's text as rendered. */
  shown: string;
  answer: unknown;
  by: string;
  via: string;
  at: string;
  seq: number;
  rerun: boolean;
}

export type TimelineKind =
  | 'run'
  | 'step-started'
  | 'step-finished'
  | 'decision'
  | 'assert'
  | 'note'
  | 'interrupted'
  | 'resumed'
  | 'finished'
  | 'signed';

export interface TimelineEntry {
  seq: number;
  ts: string;
  kind: TimelineKind;
  stepId?: string;
  /** One line of plain text (from the transcript: escape it for the format). */
  text: string;
  /** For step ends: the status. */
  status?: ReportStepStatus;
}

/** A step that passed with a warning, and where the runbook has it (1-based line, when known). */
export interface ReportWarning {
  stepId: string;
  text: string;
  line?: number;
}

export type Verification =
  | { ok: true; count: number; head: string }
  | { ok: false; seq: number; reason: string; verifiedCount: number; verifiedHead: string | null };

export interface RunReport {
  runId: string;
  runbook: { path: string; id: string; title: string; sha256: string; source: string };
  mode: string;
  engineVersion: string;
  host: string;
  inputs: Record<string, unknown>;
  targets: Record<string, { kind: string; location: string }>;
  /** The environment profile the run used (run.started's `profile`), when it used one. */
  profile?: string;
  /** Everyone who ran, resumed or answered, in order of appearance. */
  operators: string[];
  start: string;
  end: string;
  /** Wall-clock time from the first event to the last. */
  durationMs: number;
  /** The run's outcome: its last run.finished status, or `stopped` when it never recorded one. */
  outcome: string;
  exitCode: number | null;
  counts: Record<ReportStepStatus, number>;
  /** Steps that passed with a warning (soft assertions that did not hold), in the order they ran. */
  warnings: ReportWarning[];
  steps: ReportStep[];
  timeline: TimelineEntry[];
  decisions: Decision[];
  notes: { stepId?: string; text: string; by: string; at: string; seq: number }[];
  interruptions: { at: string; seq: number; reason: string; signal?: string }[];
  resumptions: {
    at: string;
    seq: number;
    operator: string;
    host: string;
    afterSeq: number;
    interrupted: string[];
    uncertain: string[];
  }[];
  signatures: { at: string; seq: number; signedSeq: number; key: string }[];
  events: ChainedEvent[];
  /** The hash of the last event as recorded (trust it only when `verification.ok`). */
  lastHash: string;
  verification: Verification;
}

const STATUSES: ReportStepStatus[] = [
  'passed',
  'failed',
  'timed-out',
  'cancelled',
  'interrupted',
  'skipped',
  'not-run',
];

export interface ReadOptions {
  /** Find where each step stands in the runbook source (the notebook needs it): parses the source. */
  locate?: boolean;
}

/** Reads a transcript (events as recorded, or lines of an exported file) into a report. */
export async function readTranscript(items: readonly unknown[], options: ReadOptions = {}): Promise<RunReport> {
  const verdict = verifyChain(items);
  // Verified or not, every item that reads as an event is rendered; the verdict says which to trust.
  const events: ChainedEvent[] = verdict.ok ? verdict.events : items.flatMap((item) => asEvent(item));
  const verification: Verification = verdict.ok
    ? { ok: true, count: verdict.count, head: verdict.head }
    : {
        ok: false,
        seq: verdict.broken.seq,
        reason: verdict.broken.reason,
        verifiedCount: verdict.count,
        verifiedHead: verdict.head,
      };
  return buildReport(events, verification, options);
}

function asEvent(item: unknown): ChainedEvent[] {
  let value = item;
  if (typeof item === 'string') {
    try {
      value = JSON.parse(item);
    } catch {
      return [];
    }
  }
  if (!isRecord(value) || typeof value.type !== 'string' || !isRecord(value.data)) return [];
  return [
    {
      ...(value as ChainedEvent),
      seq: typeof value.seq === 'number' ? value.seq : 0,
      ts: typeof value.ts === 'string' ? value.ts : '',
      runId: typeof value.runId === 'string' ? value.runId : '',
      hash: typeof value.hash === 'string' ? value.hash : '',
    },
  ];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown, fallback = ''): string => (typeof value === 'string' ? value : fallback);

export async function buildReport(
  events: ChainedEvent[],
  verification: Verification,
  options: ReadOptions = {},
): Promise<RunReport> {
  const started = events.find((e) => e.type === 'run.started');
  const data = (started?.data ?? {}) as Partial<RunStartedData>;
  const runbook = {
    path: str(data.runbook?.path),
    id: str(data.runbook?.id),
    title: str(data.runbook?.title),
    sha256: str(data.runbook?.sha256),
    source: str(data.runbook?.source),
  };
  const steps = new Map<string, ReportStep>();
  const timeline: TimelineEntry[] = [];
  const decisions: Decision[] = [];
  const notes: RunReport['notes'] = [];
  const interruptions: RunReport['interruptions'] = [];
  const resumptions: RunReport['resumptions'] = [];
  const signatures: RunReport['signatures'] = [];
  const operators: string[] = [];
  const addOperator = (name: string): void => {
    if (name !== '' && !operators.includes(name)) operators.push(name);
  };
  let operator = str(data.operator);
  addOperator(operator);
  let outcome = 'stopped';
  let exitCode: number | null = null;
  const step = (id: string): ReportStep => {
    let s = steps.get(id);
    if (!s) {
      s = { id, kind: '', label: '', status: 'not-run', attempts: 0, by: operator, stdout: '', stderr: '' };
      steps.set(id, s);
    }
    return s;
  };
  const unlisted = (id: string): ReportStep => ({
    id,
    kind: 'confirm',
    label: '',
    status: 'not-run',
    attempts: 0,
    by: operator,
    stdout: '',
    stderr: '',
  });
  for (const event of events) {
    const at = event.ts;
    const seq = event.seq;
    const d = event.data as Record<string, unknown>;
    switch (event.type) {
      case 'run.started':
        timeline.push({
          seq,
          ts: at,
          kind: 'run',
          text: `run started by ${str(d.operator)} on ${str(d.host)} (${str(d.mode)}, stepwise ${str(d.engineVersion)})`,
        });
        break;
      case 'step.started': {
        const s = step(str(d.stepId));
        s.kind = str(d.kind, s.kind);
        if (isRecord(d.plan)) s.plan = d.plan as unknown as StepPlan;
        s.attempts++;
        s.startedAt = at;
        s.by = operator;
        // A step started again (after a resume) shows its latest attempt's output.
        s.stdout = '';
        s.stderr = '';
        timeline.push({
          seq,
          ts: at,
          kind: 'step-started',
          stepId: s.id,
          text: `${s.id} started: ${str(s.plan?.summary)}${s.attempts > 1 ? ` (attempt ${s.attempts})` : ''}`,
        });
        break;
      }
      case 'step.output': {
        const s = step(str(d.stepId));
        if (d.stream === 'stderr') s.stderr += str(d.chunk);
        else s.stdout += str(d.chunk);
        break;
      }
      case 'step.finished': {
        const s = step(str(d.stepId));
        const status = str(d.status) as StepStatus;
        s.status = STATUSES.includes(status) ? status : 'failed';
        s.finishedAt = at;
        s.ms = typeof d.ms === 'number' ? d.ms : 0;
        s.result = d.result;
        delete s.error;
        delete s.reason;
        delete s.warning;
        delete s.expectedFailure;
        if (s.status === 'passed' && typeof d.warning === 'string') s.warning = d.warning;
        if (s.status === 'passed' && typeof d.expectedFailure === 'string') s.expectedFailure = d.expectedFailure;
        if (s.status === 'skipped') {
          s.reason = str(d.reason);
          if (isRecord(d.plan) && !s.plan) s.plan = d.plan as unknown as StepPlan;
        } else if (s.status !== 'passed') s.error = str(d.error);
        timeline.push({
          seq,
          ts: at,
          kind: 'step-finished',
          stepId: s.id,
          status: s.status,
          text: `${s.id} ${s.status}${s.status === 'skipped' ? `: ${s.reason}` : ` in ${s.ms} ms${s.error ? `: ${s.error}` : ''}${passNote(s)}`}`,
        });
        break;
      }
      case 'confirm.answered':
      case 'input.answered': {
        // A profile's start question (`profile:NAME`, engine/run/profile-start.ts) is a decision, not a step.
        const s = str(d.stepId).startsWith('profile:') ? unlisted(str(d.stepId)) : step(str(d.stepId));
        const confirm = event.type === 'confirm.answered';
        const decision: Decision = {
          stepId: s.id,
          kind: confirm ? 'confirm' : 'input',
          shown: shownAt(s.plan),
          answer: confirm ? d.answer === true : d.value,
          by: str(d.by),
          via: str(d.via),
          at,
          seq,
          rerun: d.rerun === true,
        };
        addOperator(decision.by);
        s.decision = decision;
        decisions.push(decision);
        timeline.push({
          seq,
          ts: at,
          kind: 'decision',
          stepId: s.id,
          text: confirm
            ? `${s.id} ${decision.rerun ? 'run again' : 'confirmed'}: ${decision.answer ? 'yes' : 'no'} by ${decision.by} (${decision.via})`
            : `${s.id} answered ${JSON.stringify(decision.answer) ?? 'nothing'} by ${decision.by} (${decision.via})`,
        });
        break;
      }
      case 'assert.evaluated': {
        const s = step(str(d.stepId));
        s.assertion = { expression: str(d.expression), passed: d.passed === true, actual: d.actual, at };
        timeline.push({
          seq,
          ts: at,
          kind: 'assert',
          stepId: s.id,
          text: `${s.id} ${s.assertion.passed ? 'holds' : 'does not hold'}: ${s.assertion.expression}`,
        });
        break;
      }
      case 'note.added': {
        const note = { text: str(d.text), by: str(d.by), at, seq, ...(d.stepId ? { stepId: str(d.stepId) } : {}) };
        notes.push(note);
        timeline.push({
          seq,
          ts: at,
          kind: 'note',
          ...(note.stepId ? { stepId: note.stepId } : {}),
          text: `note by ${note.by}: ${note.text}`,
        });
        break;
      }
      case 'run.interrupted':
        interruptions.push({
          at,
          seq,
          reason: str(d.reason),
          ...(typeof d.signal === 'string' ? { signal: d.signal } : {}),
        });
        timeline.push({ seq, ts: at, kind: 'interrupted', text: `interrupted: ${str(d.reason)}` });
        break;
      case 'run.resumed': {
        operator = str(d.operator, operator);
        addOperator(operator);
        const r = {
          at,
          seq,
          operator,
          host: str(d.host),
          afterSeq: typeof d.afterSeq === 'number' ? d.afterSeq : 0,
          interrupted: Array.isArray(d.interrupted) ? d.interrupted.map(String) : [],
          uncertain: Array.isArray(d.uncertain) ? d.uncertain.map(String) : [],
        };
        resumptions.push(r);
        outcome = 'stopped';
        exitCode = null;
        timeline.push({
          seq,
          ts: at,
          kind: 'resumed',
          text: `resumed by ${r.operator} on ${r.host} after seq ${r.afterSeq}${r.interrupted.length ? `; interrupted mid-step: ${r.interrupted.join(', ')}` : ''}`,
        });
        break;
      }
      case 'run.finished':
        outcome = str(d.status, 'stopped');
        exitCode = typeof d.exitCode === 'number' ? d.exitCode : null;
        timeline.push({
          seq,
          ts: at,
          kind: 'finished',
          text: `run ${outcome} (exit ${exitCode ?? '?'})${typeof d.ms === 'number' ? ` after ${(d.ms / 1000).toFixed(1)} s` : ''}`,
        });
        break;
      case 'head.signed':
        signatures.push({ at, seq, signedSeq: typeof d.seq === 'number' ? d.seq : 0, key: str(d.key) });
        timeline.push({ seq, ts: at, kind: 'signed', text: `signed head seq ${String(d.seq)} with ${str(d.key)}` });
        break;
      default:
        break;
    }
  }
  // A warning is listed with its line: the steps are located when there is one.
  const warned = [...steps.values()].some((s) => s.warning !== undefined);
  const ordered = await withUnreached(runbook, [...steps.values()], options.locate === true || warned);
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<ReportStepStatus, number>;
  for (const s of ordered) counts[s.status]++;
  const first = events[0];
  const last = events.at(-1);
  const start = first?.ts ?? '';
  const end = last?.ts ?? '';
  const durationMs = Math.max(0, Date.parse(end) - Date.parse(start)) || 0;
  return {
    runId: first?.runId ?? '',
    runbook,
    mode: str(data.mode),
    engineVersion: str(data.engineVersion),
    host: str(data.host),
    inputs: isRecord(data.inputs) ? data.inputs : {},
    targets: isRecord(data.targets) ? (data.targets as RunReport['targets']) : {},
    ...(typeof data.profile === 'string' ? { profile: data.profile } : {}),
    operators,
    start,
    end,
    durationMs,
    outcome,
    exitCode,
    counts,
    warnings: warningsOf(ordered, runbook.source),
    steps: ordered,
    timeline,
    decisions,
    notes,
    interruptions,
    resumptions,
    signatures,
    events,
    lastHash: last?.hash ?? '',
    verification,
  };
}

/** What a pass says beside its status in the timeline: its warning, or the failure it expected. */
function passNote(s: ReportStep): string {
  if (s.warning !== undefined) return `, with a warning: ${s.warning}`;
  if (s.expectedFailure !== undefined) return `, failed as expected: ${s.expectedFailure}`;
  return '';
}

function warningsOf(steps: readonly ReportStep[], source: string): ReportWarning[] {
  return steps.flatMap((s) =>
    s.warning === undefined
      ? []
      : [{ stepId: s.id, text: s.warning, ...(s.span ? { line: lineAt(source, s.span.start) } : {}) }],
  );
}

/** The 1-based line of an offset into the source. */
function lineAt(source: string, offset: number): number {
  let line = 1;
  for (let i = source.indexOf('\n'); i >= 0 && i < offset; i = source.indexOf('\n', i + 1)) line++;
  return line;
}

/** What a gate showed: its rendered text (the confirm's question, the input's prompt). */
function shownAt(plan: StepPlan | undefined): string {
  if (!plan) return '';
  return plan.text && plan.text !== plan.summary ? `${plan.summary}\n${plan.text}` : plan.summary;
}

/**
 * The steps as they ran, each with its place in the runbook source; then the steps of the runbook
 * that never started (the run stopped before them), in document order. The source is the
 * transcript's own copy: nothing is read from disk (an `::include` is not followed).
 */
async function withUnreached(runbook: RunReport['runbook'], ran: ReportStep[], locate: boolean): Promise<ReportStep[]> {
  for (const s of ran) s.label = s.plan?.summary ?? '';
  // Parsing the source costs more than everything else a report does: only when steps may be
  // missing from the transcript (more step directives in the source than steps recorded), or
  // when asked to locate them.
  if (runbook.source === '') return ran;
  const scanned = scanStepDirectives(runbook.source);
  for (const s of ran) if (!s.kind) s.kind = scanned.kinds.get(ownStepId(s.id)) ?? '';
  if (!locate && scanned.count <= ran.length) return ran;
  const documentSteps =
    locatedSteps(runbook, ran) ?? (await documentStepsOf(runbook, new Set(ran.map((s) => ownStepId(s.id)))));
  const byId = new Map(documentSteps.map((d) => [d.id, d]));
  for (const s of ran) {
    const d = byId.get(ownStepId(s.id));
    if (d) {
      if (!s.kind) s.kind = d.kind;
      if (d.span) s.span = d.span;
    }
  }
  const reached = new Set(ran.map((s) => ownStepId(s.id)));
  const unreached = documentSteps
    .filter((d) => !reached.has(d.id))
    .map(
      (d): ReportStep => ({
        id: d.id,
        kind: d.kind,
        label: d.label,
        status: 'not-run',
        attempts: 0,
        by: '',
        stdout: '',
        stderr: '',
        reason: 'never reached: the run stopped before it',
        ...(d.span ? { span: d.span } : {}),
      }),
    );
  return [...ran, ...unreached];
}

/** A step of the runbook as a report needs it: where it stands (when in this file), its kind and label. */
interface SourceStep {
  id: string;
  kind: string;
  label: string;
  span?: { start: number; end: number };
}

/** The steps found by scanning the source's lines (locate.ts), when that is certain and knows every recorded step. */
function locatedSteps(runbook: RunReport['runbook'], ran: ReportStep[]): SourceStep[] | null {
  const located = locateSteps(runbook.source, new Set(Object.keys(stepSpecs)));
  if (!located) return null;
  const ids = new Set(located.map((l) => l.id));
  if (!ran.every((s) => ids.has(ownStepId(s.id)))) return null;
  return located.map((l) => ({ id: l.id, kind: l.kind, label: '', span: { start: l.start, end: l.end } }));
}

/**
 * The step directives written in this file (`::sql{...}`, `:::shell`): how many (an upper bound on
 * its steps), and the kind of each with an explicit `{#id}` (a step skipped before it started
 * recorded no kind).
 */
function scanStepDirectives(source: string): { count: number; kinds: Map<string, string> } {
  const known = new Set(Object.keys(stepSpecs));
  const kinds = new Map<string, string>();
  let count = 0;
  for (const match of source.matchAll(/^[ \t]*(?:(?:[-*+]|\d+[.)]|>)[ \t]*)*:{2,}([A-Za-z][\w-]*)(.*)$/gm)) {
    if (!known.has(match[1]!)) continue;
    count++;
    const id = /\{[^}]*?#([\w.:-]+)/.exec(match[2]!)?.[1];
    if (id !== undefined) kinds.set(id, match[1]!);
  }
  return { count, kinds };
}

/** A report reads the transcript alone: an `::include` is not followed to the disk. */
const NO_FILES = (path: string): string => {
  throw new Error(`${path} is not read: a report reads only the transcript`);
};

/** The runbook's steps, with ids as the run gave them (content-derived, or by position as 0.1.0 did). */
async function documentStepsOf(runbook: RunReport['runbook'], recorded: Set<string>): Promise<SourceStep[]> {
  try {
    // Loaded only here: the Markdown parser is most of what a report would otherwise load.
    const { parseRunbook } = await import('../../engine/document/parse.js');
    const knows = (steps: Step[]): boolean => {
      const ids = new Set(steps.map((s) => s.id));
      return [...recorded].every((id) => ids.has(id));
    };
    // Parsed only (no graph, no rules): a report needs the steps and where they stand.
    const parse = (generatedIds: 'content' | 'position'): Step[] =>
      parseRunbook(runbook.source, runbook.path, { specs: stepSpecs, readFile: NO_FILES, generatedIds }).document.steps;
    const content = parse('content');
    const legacy = knows(content) ? content : parse('position');
    const steps = knows(legacy) ? legacy : content;
    return steps.map((d) => ({
      id: d.id,
      kind: d.kind,
      label: d.label ? d.label.source : '',
      ...(d.file === runbook.path ? { span: { start: d.span.start.offset, end: d.span.end.offset } } : {}),
    }));
  } catch {
    return [];
  }
}

export const FAILED: ReadonlySet<ReportStepStatus> = new Set(['failed', 'timed-out', 'cancelled', 'interrupted']);

/** Whether a step did not do what it should: failed, timed out, cancelled or interrupted. */
export const isFailure = (s: ReportStep): boolean => FAILED.has(s.status);
