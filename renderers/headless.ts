/**
 * The headless reporter: one line per finished step (status, id, kind, duration, a short result),
 * a spinner with elapsed time for a long step when the output is a terminal, and a summary. A
 * dry run's step shows its plan (statements with their bind values, a script's environment
 * values); with `verbose`, each step's result follows its line, and a failed step's plan too.
 * Everything it prints from outside (errors, output) has control characters removed.
 */
import { resumeDoubts } from './resumed.js';
import type { StepFinishedData, StepPlan } from '../engine/run/events.js';
import type { RecordedEvent } from '../engine/run/recorder.js';
import { clean } from './clean.js';
import { describePlan, describeResult, summarizeResult } from './results/index.js';
import { ownStepId } from '../engine/document/iteration-id.js';

export { clean } from './clean.js';

export interface ReporterOptions {
  write(text: string): void;
  /** Step kinds by id, for steps that finish without starting (skipped). */
  kinds?: Map<string, string>;
  color: boolean;
  tty: boolean;
  /** Each step's result under its line, and the plan of a step that failed. */
  verbose?: boolean;
  /** Where each step is written (`file:line`), by id: the summary lists warnings with it. */
  places?: Map<string, string>;
  /** What a resumed run recorded before: its warnings are listed under the summary too. */
  earlier?: readonly { type: string; data: unknown }[];
}

/** The note a loop records when it starts (engine/run/loop.ts). */
const LOOP_NOTE = /^`each` over /;

const ICON = { passed: '✓', failed: '✗', skipped: '-', 'timed-out': '⏱', cancelled: '⊘', interrupted: '↯' } as const;

export function headlessReporter(options: ReporterOptions): { sink: (event: RecordedEvent) => void; stop(): void } {
  const paint = (code: string, text: string): string => (options.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const kinds = new Map<string, string>(options.kinds ?? []);
  // Step ids line up in one column: as wide as the longest id the run has (24 to 40 characters).
  const idWidth = Math.min(40, Math.max(24, ...[...kinds.keys()].map((id) => id.length)));
  const plans = new Map<string, StepPlan>();
  /** Steps that passed with a warning (soft assertions that did not hold), listed under the summary. */
  const warnings: { stepId: string; text: string }[] = [];
  for (const event of options.earlier ?? []) {
    const d = event.data as Partial<StepFinishedData> & { warning?: unknown };
    if (event.type === 'step.finished' && typeof d.warning === 'string' && typeof d.stepId === 'string')
      warnings.push({ stepId: d.stepId, text: d.warning });
  }
  const planOf = (stepId: string): { plan?: StepPlan } => {
    const plan = plans.get(stepId);
    return plan ? { plan } : {};
  };
  let spinner: NodeJS.Timeout | undefined;
  let spinning = '';
  const clearSpinner = (): void => {
    if (spinner) clearInterval(spinner);
    spinner = undefined;
    if (spinning) options.write('\r\u001b[2K');
    spinning = '';
  };
  const sink = (event: RecordedEvent): void => {
    switch (event.type) {
      case 'run.started':
        options.write(
          `${paint('1', event.data.runbook.title)}  ${paint('2', `run ${event.runId} · ${event.data.mode}${event.data.profile ? ` · profile ${clean(event.data.profile, 40)}` : ''} · ${event.data.operator}`)}\n`,
        );
        break;
      case 'step.started': {
        kinds.set(event.data.stepId, event.data.kind);
        plans.set(event.data.stepId, event.data.plan);
        if (options.tty) {
          clearSpinner();
          const started = Date.now();
          const frames = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';
          let i = 0;
          spinner = setInterval(() => {
            spinning = `${frames[i++ % frames.length]} ${event.data.stepId} ${clean(event.data.plan.summary, 50)} ${((Date.now() - started) / 1000).toFixed(1)}s`;
            options.write(`\r\u001b[2K${paint('2', spinning)}`);
          }, 250);
          spinner.unref();
        }
        break;
      }
      case 'step.finished': {
        clearSpinner();
        const d = event.data;
        // One iteration of a loop's step (`replay[3]`) has the step's kind.
        const kind = kinds.get(d.stepId) ?? kinds.get(ownStepId(d.stepId)) ?? '';
        const warned = d.status === 'passed' && d.warning !== undefined;
        const icon = warned ? '!' : ICON[d.status];
        const colour = warned ? '33' : d.status === 'passed' ? '32' : d.status === 'skipped' ? '2' : '31';
        let detail: string;
        if (d.status === 'passed' && d.warning !== undefined) {
          detail = `warning: ${clean(d.warning, 200)}`;
          warnings.push({ stepId: d.stepId, text: d.warning });
        } else if (d.status === 'passed' && d.expectedFailure !== undefined)
          detail = `failed as expected: ${clean(d.expectedFailure, 200)}`;
        else if (d.status === 'passed') detail = summarizeResult(kind, d.result);
        else if (d.status === 'skipped')
          detail = d.plan ? dryRunLine(d.plan.summary, d.reason) : `skipped: ${clean(d.reason, 100)}`;
        else detail = clean(d.error, 200);
        const ms = d.status === 'skipped' ? '' : `${d.ms} ms`;
        options.write(
          `${paint(colour, icon)} ${d.stepId.padEnd(idWidth)} ${kind.padEnd(8)} ${ms.padStart(8)}  ${d.status === 'passed' || d.status === 'skipped' ? paint('2', detail) : paint('31', detail)}\n`,
        );
        const more: string[] = [];
        if (d.status === 'skipped' && d.plan && hasText(d.plan)) more.push(...describePlan(kind, d.plan, { paint }));
        else if (options.verbose && d.status === 'passed')
          more.push(...describeResult(kind, d.result, { paint, ...planOf(d.stepId) }));
        else if (options.verbose && d.status !== 'skipped') {
          const plan = plans.get(d.stepId);
          if (plan && hasText(plan)) more.push(...describePlan(kind, plan, { paint }));
          if (d.result !== undefined) more.push(...describeResult(kind, d.result, { paint, ...planOf(d.stepId) }));
        }
        if (more.length > 0) options.write(`${indent(more.join('\n'))}\n`);
        plans.delete(d.stepId); // kept only while the step runs: a long run's memory stays flat
        break;
      }
      case 'note.added':
        // A loop's start (engine/run/loop.ts): how many items it walks.
        if (LOOP_NOTE.test(event.data.text)) {
          clearSpinner();
          options.write(`${paint('2', `↻ ${clean(event.data.text, 200)}`)}\n`);
        }
        break;
      case 'run.interrupted':
        clearSpinner();
        options.write(`${paint('33', `interrupted: ${clean(event.data.reason, 200)}`)}\n`);
        break;
      case 'run.resumed':
        options.write(
          `${paint('33', `resumed by ${clean(event.data.operator, 60)} after seq ${event.data.afterSeq}${resumeDoubts(event.data)}`)}\n`,
        );
        break;
      case 'run.finished': {
        clearSpinner();
        const c = event.data.counts;
        // A step stopped by Ctrl-C did not fail: it is counted apart, when there is one.
        const parts = [
          `${c.passed} passed`,
          `${c.failed + c['timed-out'] + (c.interrupted ?? 0)} failed`,
          ...(c.cancelled > 0 ? [`${c.cancelled} cancelled`] : []),
          `${c.skipped} skipped`,
        ];
        const colour = event.data.status === 'passed' ? '32;1' : '31;1';
        const count = event.data.warnings ?? 0;
        const withWarnings = count > 0 ? ` ${paint('33;1', `with ${count} warning${count === 1 ? '' : 's'}`)}` : '';
        options.write(
          `${paint(colour, event.data.status.toUpperCase())}${withWarnings}  ${parts.join(', ')} in ${(event.data.ms / 1000).toFixed(1)}s  ${paint('2', `exit ${event.data.exitCode} · run ${event.runId}`)}\n`,
        );
        for (const w of warnings) {
          const place = options.places?.get(w.stepId);
          options.write(`  ${paint('33', '!')} ${w.stepId}${place ? ` (${place})` : ''}: ${clean(w.text, 200)}\n`);
        }
        break;
      }
    }
  };
  return { sink, stop: clearSpinner };
}

/** A plan with more to show than its summary line: a statement, a request, a script. */
function hasText(plan: StepPlan): boolean {
  return plan.text !== undefined && plan.text !== '';
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n');
}

/** A dry run's planned step: `would run: …`, or `may run: … (only if …)` when its condition needs results a dry run lacks. */
function dryRunLine(summary: string, reason: string): string {
  const onlyIf = /^dry run: runs only if (.*)$/s.exec(reason);
  return onlyIf
    ? `may run: ${clean(summary, 80)} (only if ${clean(onlyIf[1]!, 100)})`
    : `would run: ${clean(summary, 100)}`;
}
