/**
 * A transcript as a readable timeline for `stepwise show`: one line per event that matters to a
 * person (time, what happened, who, the outcome), step output indented under its step; verbose,
 * each step's plan (statements with their bind values, scripts with their environment values,
 * requests) and its result (renderers/results/). Text from outside (errors, output, answers) has
 * control sequences removed, so hostile output cannot drive the terminal; it was already redacted
 * when it was recorded.
 */
import { resumeDoubts } from './resumed.js';
import type { RunStartedData, StepPlan } from '../engine/run/events.js';
import type { ChainedEvent } from '../engine/transcript/chain.js';
import { clean } from './clean.js';
import { describePlan, describeResult, kindOfPlan } from './results/index.js';

export interface TimelineOptions {
  color: boolean;
  /** Show each step's full text (SQL, request, script), output and result. */
  verbose: boolean;
}

/** What the timeline knows of the steps that started: their kinds and plans, for their results. */
export type StartedSteps = Map<string, { kind: string; plan: StepPlan }>;

/** Kinds whose result the timeline already shows, on their own answer or note event. */
const ANSWERED_BY_EVENTS = new Set(['confirm', 'input', 'note']);

/** Plans in `show --verbose` are what ran: kept long, as the transcript holds them. */
const PLAN_BOUNDS = { planWidth: 1000, planLines: 200 };

/**
 * A timeline over a stream of events (`show`, `show --follow`). Step output arrives in chunks
 * cut anywhere (mid-line, mid-escape-sequence): it is joined and printed a whole line at a time,
 * a partial line when the next event comes or the transcript ends.
 */
export function timeline(options: TimelineOptions): { lines(event: ChainedEvent): string[]; end(): string[] } {
  let partial = '';
  const started: StartedSteps = new Map();
  const flush = (): string[] => {
    if (partial === '') return [];
    const out = outputLines(partial, options);
    partial = '';
    return out;
  };
  return {
    lines(event) {
      if (event.type === 'step.started')
        started.set(event.data.stepId, { kind: event.data.kind, plan: event.data.plan });
      if (event.type !== 'step.output') return [...flush(), ...timelineLines(event, options, started)];
      if (!options.verbose) return [];
      const text = partial + event.data.chunk;
      const cut = text.lastIndexOf('\n');
      partial = text.slice(cut + 1);
      return cut < 0 ? [] : outputLines(text.slice(0, cut), options);
    },
    end: flush,
  };
}

function outputLines(text: string, options: TimelineOptions): string[] {
  return text
    .split('\n')
    .map((line) => `              ${options.color ? `\u001b[2m${clean(line, 4000)}\u001b[0m` : clean(line, 4000)}`);
}

/**
 * The lines of one event on its own (step output as it was chunked); `timeline` joins output.
 * `started` gives a finished step's kind and plan, for its result.
 */
export function timelineLines(
  event: ChainedEvent,
  options: TimelineOptions,
  started: StartedSteps = new Map(),
): string[] {
  const paint = (code: string, text: string): string => (options.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const time = paint('2', event.ts.slice(11, 23));
  const at = (text: string): string => `${time}  ${text}`;
  const more = (text: string): string[] =>
    options.verbose
      ? clean(text, 4000, true)
          .split('\n')
          .map((l) => `              ${paint('2', l)}`)
      : [];
  const under = (lines: string[]): string[] => (options.verbose ? lines.map((l) => `              ${l}`) : []);
  const planLines = (kind: string, plan: StepPlan): string[] =>
    plan.text ? under(describePlan(kind, plan, { paint, ...PLAN_BOUNDS })) : [];
  switch (event.type) {
    case 'run.started': {
      const d = event.data;
      const inputs = Object.entries(d.inputs)
        .map(([k, v]) => `${k}=${clean(JSON.stringify(v) ?? '', 40)}`)
        .join(' ');
      return [
        at(
          `${paint('1', 'run started')}  ${clean(d.runbook.title || d.runbook.path, 80)} (${clean(d.runbook.path, 80)}) by ${clean(d.operator, 40)} on ${clean(d.host, 40)}, ${d.mode}${d.profile ? `, profile ${clean(d.profile, 40)}` : ''}, stepwise ${d.engineVersion}`,
        ),
        ...(inputs ? [`              inputs: ${inputs}`] : []),
        ...(d.scope ? [`              scope: ${scopeText(d.scope)}`] : []),
        ...Object.entries(d.targets).map(
          ([name, t]) => `              target ${name}: ${t.kind} ${clean(t.location, 100)}`,
        ),
      ];
    }
    case 'step.started':
      return [
        at(
          `${paint('36', '▶')} ${event.data.stepId}  ${clean(event.data.plan.summary, 120)}${event.data.attempt > 1 ? ` (attempt ${event.data.attempt})` : ''}`,
        ),
        ...planLines(event.data.kind, event.data.plan),
      ];
    case 'step.output':
      return options.verbose ? more(event.data.chunk) : [];
    case 'step.finished': {
      const d = event.data;
      const warned = d.status === 'passed' && d.warning !== undefined;
      const mark = warned
        ? paint('33', '!')
        : d.status === 'passed'
          ? paint('32', '✓')
          : d.status === 'skipped'
            ? paint('2', '-')
            : paint('31', '✗');
      const detail =
        d.status === 'passed'
          ? d.warning !== undefined
            ? `  ${paint('33', `warning: ${clean(d.warning, 200)}`)}`
            : d.expectedFailure !== undefined
              ? `  ${paint('2', `failed as expected: ${clean(d.expectedFailure, 200)}`)}`
              : ''
          : d.status === 'skipped'
            ? `  ${paint('2', clean(d.reason, 120))}`
            : `  ${paint('31', clean(d.error, 200))}`;
      const step = started.get(d.stepId);
      const kind = step?.kind ?? '';
      // Output was printed as it came, so a shell result need not repeat its tail.
      const result =
        d.status !== 'skipped' && d.result !== undefined && !ANSWERED_BY_EVENTS.has(kind)
          ? under(describeResult(kind, d.result, { paint, streamed: true, ...(step ? { plan: step.plan } : {}) }))
          : [];
      // A dry run's steps never start: the plan is on their end, and its shape says the kind.
      const plan = d.status === 'skipped' && d.plan ? planLines(kind || kindOfPlan(d.plan), d.plan) : [];
      return [
        at(`${mark} ${d.stepId}  ${d.status}${d.status === 'skipped' ? '' : ` in ${d.ms} ms`}${detail}`),
        ...plan,
        ...result,
      ];
    }
    case 'confirm.answered':
      return [
        at(
          `${paint('33', '?')} ${event.data.stepId}  ${event.data.rerun ? 'run again' : 'confirmed'}: ${event.data.answer ? 'yes' : 'no'} by ${clean(event.data.by, 40)} (${event.data.via})`,
        ),
      ];
    case 'input.answered':
      return [
        at(
          `${paint('33', '?')} ${event.data.stepId}  = ${clean(JSON.stringify(event.data.value) ?? '', 80)} by ${clean(event.data.by, 40)} (${event.data.via})`,
        ),
      ];
    case 'assert.evaluated':
      return [
        at(
          `${event.data.passed ? paint('32', '✓') : paint('31', '✗')} ${event.data.stepId}  ${clean(event.data.expression, 100)}${event.data.passed ? '' : `  (actual: ${clean(JSON.stringify(event.data.actual) ?? 'undefined', 80)})`}`,
        ),
      ];
    case 'note.added':
      return [
        at(
          `${paint('35', '✎')} ${event.data.stepId ?? ''}  ${clean(event.data.text, 200)} (${clean(event.data.by, 40)})`,
        ),
      ];
    case 'run.interrupted':
      return [at(paint('33', `interrupted: ${clean(event.data.reason, 120)}`))];
    case 'run.resumed':
      return [
        at(
          paint(
            '33',
            `resumed by ${clean(event.data.operator, 40)} on ${clean(event.data.host, 40)} after seq ${event.data.afterSeq}${resumeDoubts(event.data)}`,
          ),
        ),
      ];
    case 'run.finished': {
      const d = event.data;
      const cancelled = d.counts.cancelled > 0 ? `${d.counts.cancelled} cancelled, ` : '';
      const w = d.warnings ?? 0;
      const warnings = w > 0 ? ` ${paint('33;1', `with ${w} warning${w === 1 ? '' : 's'}`)}` : '';
      return [
        at(
          `${paint(d.status === 'passed' ? '32;1' : '31;1', d.status.toUpperCase())}${warnings}  exit ${d.exitCode}, ${d.counts.passed} passed, ${d.counts.failed + d.counts['timed-out'] + (d.counts.interrupted ?? 0)} failed, ${cancelled}${d.counts.skipped} skipped in ${(d.ms / 1000).toFixed(1)}s`,
        ),
      ];
    }
    case 'head.signed':
      return [at(paint('2', `signed head seq ${event.data.seq} with ${event.data.key}`))];
    default:
      return [at(paint('2', (event as { type: string }).type))];
  }
}

/** A run started at a section: `--from apply`, with the gates before it answered from --answers. */
function scopeText(scope: NonNullable<RunStartedData['scope']>): string {
  // A transcript read from a file may hold anything: say what it holds, never fail on it.
  const { from, only, answered } = scope as { from?: unknown; only?: unknown; answered?: unknown };
  const flag = from !== undefined ? `--from ${clean(String(from), 80)}` : `--only ${clean(String(only), 80)}`;
  const also =
    Array.isArray(answered) && answered.length > 0 ? ` (also answered: ${clean(answered.join(', '), 200)})` : '';
  return `${flag}${also}`;
}
