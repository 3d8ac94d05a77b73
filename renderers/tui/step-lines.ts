/**
 * The current step's view as lines: the heading and prose before it, the step exactly as it will
 * run (or ran), its live output, its result, the answers and notes about it, earlier attempts, and
 * the prose after it. Plans and results are described by each step kind's own describer
 * (renderers/results), after every string in them has been made inert (escape.ts).
 */
import type { StepPlan } from '../../engine/run/events.js';
import { describePlan, describeResult } from '../results/index.js';
import { visibleDeep, visibleLine } from './escape.js';
import { cutLine, line, seg, textBlock, type Style, type StyledLine } from './lines.js';
import { renderMarkdown } from './markdown.js';
import type { Model, OutputTail, StepState } from './model.js';
import { MARK, markStyle, SPINNER } from './frame-lines.js';

export { MARK, markStyle, SPINNER } from './frame-lines.js';

/** Marks for the outline and the step's title line. */
/** Describer lines carry their style in-band as \u0001CODE\u0002TEXT\u0003 (added after cleaning, so never from the data). */
const paint = (code: string, text: string): string => `\u0001${code}\u0002${text}\u0003`;

function sgrStyle(code: string): Style {
  const style: Style = {};
  for (const part of code.split(';')) {
    if (part === '1') style.bold = true;
    else if (part === '2') style.dim = true;
    else if (part === '31') style.color = 'red';
    else if (part === '32') style.color = 'green';
    else if (part === '33') style.color = 'yellow';
    else if (part === '36') style.color = 'cyan';
    else if (part === '35') style.color = 'magenta';
  }
  return style;
}

/** A described line (maybe painted in-band) as styled segments. */
export function fromDescribed(text: string, indent = ''): StyledLine {
  const out: StyledLine = indent ? [seg(indent)] : [];
  const re = /\u0001([0-9;]*)\u0002([^\u0003]*)\u0003/g;
  let at = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > at) out.push(seg(text.slice(at, m.index)));
    out.push(seg(m[2]!, sgrStyle(m[1]!)));
    at = m.index + m[0].length;
  }
  if (at < text.length) out.push(seg(text.slice(at)));
  // Whatever was left is stripped of any control character a describer might have let through.
  return out.map((s) => ({ ...s, text: s.text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '') }));
}

export interface StepViewOptions {
  width: number;
  /** Lines of output to show per stream. */
  outputLines: number;
  /** Masks secrets in text taken from the runbook itself (its prose and steps as written). */
  shown: (text: string) => string;
  /** The step as written, for a step not yet planned. */
  source: (step: StepState) => string;
  frame: number;
}

export interface StepLines {
  lines: StyledLine[];
  /** Where the step itself starts (the view scrolls there first). */
  anchor: number;
}

const rule = (title: string, width: number, style: Style = { dim: true }): StyledLine =>
  cutLine([seg(`── ${title} `, style), seg('─'.repeat(Math.max(0, width - title.length - 4)), { dim: true })], width);

export function stepLines(model: Model, step: StepState, o: StepViewOptions): StepLines {
  const { width } = o;
  const lines: StyledLine[] = [];
  const context = model.context.get(step.id) ?? { before: [], after: [] };
  for (const item of context.before) {
    if (item.type === 'heading')
      lines.push(
        cutLine(line(`${'#'.repeat(item.depth)} ${visibleLine(o.shown(item.text))}`, { bold: true }), width),
        [],
      );
    else lines.push(...renderMarkdown(o.shown(item.markdown), width));
  }
  if (lines.length > 0 && lines[lines.length - 1]!.length !== 0) lines.push([]);
  const anchor = lines.length;

  const mark = step.mark === 'running' ? SPINNER[o.frame % SPINNER.length]! : (MARK[step.mark] ?? '?');
  const target = step.node.target ? ` · on ${visibleLine(step.node.target)}` : '';
  const attempt = step.attempt > 1 ? ` · attempt ${step.attempt}` : '';
  const ms = step.ms !== undefined && step.mark !== 'running' && step.mark !== 'waiting' ? ` · ${step.ms} ms` : '';
  lines.push(
    cutLine(
      [
        seg(`${mark} `, markStyle(step.mark)),
        seg(step.kind, { bold: true }),
        seg(`  ${visibleLine(step.id)}`),
        seg(`${target}${attempt}${ms}  `, { dim: true }),
        seg(step.mark, markStyle(step.mark)),
      ],
      width,
    ),
  );
  if (step.node.label) lines.push(cutLine(line(visibleLine(o.shown(step.node.label)), { italic: true }), width));

  // What it runs.
  const plan = step.plan;
  if (plan) {
    lines.push(rule(step.planPreview ? 'will run' : step.mark === 'skipped' ? 'would have run' : 'ran', width));
    lines.push(...describe(() => describePlan(step.kind, visibleDeep(plan), describeOptions(width)), width));
  } else {
    lines.push(rule('as written (values are filled in when it is about to run)', width));
    lines.push(...textBlock(o.shown(o.source(step)), width, { color: 'cyan' }));
    if (step.planError !== undefined)
      lines.push(...textBlock(`cannot be prepared yet: ${step.planError}`, width, { color: 'yellow' }));
  }

  // Live output (kept as a tail with counts).
  for (const stream of ['stdout', 'stderr'] as const) {
    const tail = step.output[stream];
    if (tail.count === 0 && tail.partial === '') continue;
    lines.push(rule(`${stream}: ${tailSummary(tail, o.outputLines)}`, width));
    const all = [...tail.lines, ...(tail.partial ? [tail.partial] : [])];
    for (const l of all.slice(-o.outputLines)) lines.push(cutLine(line(visibleLine(l)), width));
  }

  // How it ended.
  if (step.mark === 'passed' && step.passNote !== undefined)
    lines.push(
      rule(step.passNote.warning ? 'warning' : 'passed', width, { color: step.passNote.warning ? 'yellow' : 'green' }),
      ...textBlock(step.passNote.text, width, step.passNote.warning ? { color: 'yellow' } : {}),
    );
  if (step.mark === 'passed' && step.result !== undefined) {
    lines.push(rule('result', width, { color: 'green' }));
    lines.push(
      ...describe(
        () => describeResult(step.kind, visibleDeep(step.result), resultOptions(width, step.plan, hasOutput(step))),
        width,
      ),
    );
  } else if (step.mark === 'skipped') {
    lines.push(rule('skipped', width));
    lines.push(...textBlock(step.reason ?? '', width));
  } else if (step.error !== undefined && step.mark !== 'running' && step.mark !== 'waiting') {
    lines.push(rule(step.mark, width, { color: 'red', bold: true }));
    lines.push(...textBlock(step.error, width, { color: 'red' }));
    if (step.result !== undefined)
      lines.push(
        ...describe(
          () => describeResult(step.kind, visibleDeep(step.result), resultOptions(width, step.plan, hasOutput(step))),
          width,
        ),
      );
  }
  if (step.evidence.length > 0) {
    lines.push(rule('answers and notes', width));
    for (const e of step.evidence) lines.push(...textBlock(e, width));
  }
  const earlier = step.attempts.filter((a) => a.attempt !== step.attempt || step.mark === 'running');
  if (earlier.length > 0) {
    lines.push(rule('earlier attempts', width));
    for (const a of earlier)
      lines.push(
        cutLine(
          line(`attempt ${a.attempt}: ${a.status} after ${a.ms} ms: ${visibleLine(a.error ?? '')}`, { dim: true }),
          width,
        ),
      );
  }
  if (context.after.length > 0) {
    lines.push([]);
    for (const item of context.after)
      if (item.type === 'prose') lines.push(...renderMarkdown(o.shown(item.markdown), width));
  }
  return { lines, anchor };
}

function hasOutput(step: StepState): boolean {
  return (
    step.output.stdout.count + step.output.stderr.count > 0 ||
    step.output.stdout.partial + step.output.stderr.partial !== ''
  );
}

function tailSummary(tail: OutputTail, shown: number): string {
  const count = tail.count + (tail.partial ? 1 : 0);
  const kb = tail.bytes >= 10_000 ? `, ${Math.round(tail.bytes / 1024)} KiB` : '';
  return count > shown
    ? `${count} lines${kb}, showing the last ${shown}`
    : `${count} line${count === 1 ? '' : 's'}${kb}`;
}

function describeOptions(width: number) {
  return {
    paint,
    width: width - 1,
    planWidth: width - 1,
    planLines: 200,
    lines: 20,
    rows: 15,
    cell: 30,
    maxLines: 240,
  };
}

function resultOptions(width: number, plan: StepPlan | undefined, streamed: boolean) {
  // Every response header: the view scrolls (PgUp/PgDn), so nothing a responder may need is left out.
  return { ...describeOptions(width), streamed, allHeaders: true, ...(plan ? { plan: visibleDeep(plan) } : {}) };
}

function describe(make: () => string[], width: number): StyledLine[] {
  let described: string[];
  try {
    described = make();
  } catch (error) {
    described = [`(cannot be shown: ${visibleLine((error as Error).message)})`];
  }
  return described.map((l) => cutLine(fromDescribed(l), width));
}
