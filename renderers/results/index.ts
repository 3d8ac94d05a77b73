/**
 * Step results and plans as a few compact lines, by step kind (the describers below, one module
 * each); a kind without one gets a JSON excerpt of its result and the text of its plan. Every line
 * has its control sequences removed and bidi controls shown (clean), is cut to a width in terminal
 * cells, and only then painted: hostile output cannot drive the terminal.
 */
import type { StepPlan } from '../../engine/run/events.js';
import { clean } from '../clean.js';
import { cutToWidth } from '../table.js';
import { assert } from './assert.js';
import { confirm } from './confirm.js';
import {
  head,
  isRecord,
  jsonExcerpt,
  textLines,
  type DescribeContext,
  type Line,
  type Paint,
  type ResultDescriber,
} from './describer.js';
import { http } from './http.js';
import { input } from './input.js';
import { note } from './note.js';
import { set } from './set.js';
import { shell } from './shell.js';
import { sql } from './sql.js';
import { wait } from './wait.js';

export const resultDescribers = { sql, http, shell, assert, confirm, input, wait, set, note } as const satisfies Record<
  string,
  ResultDescriber
>;
export type DescribedKind = keyof typeof resultDescribers;
export type { Paint } from './describer.js';

export interface DescribeOptions extends Partial<Omit<DescribeContext, 'plan'>> {
  /** Colours (off by default). */
  paint?: Paint;
  /** The plan the step ran with, for a result (an assert's expression). */
  plan?: StepPlan;
  /** Lines in all, whatever a describer returns. */
  maxLines?: number;
}

const DEFAULTS: Omit<DescribeContext, 'plan'> = {
  width: 120,
  planWidth: 400,
  lines: 12,
  planLines: 60,
  rows: 10,
  cell: 40,
  streamed: false,
  allHeaders: false,
};

/** A finished step's result as lines (no indentation, no newline). */
export function describeResult(kind: string, result: unknown, options: DescribeOptions = {}): string[] {
  const context = contextOf(options);
  const describer = describerOf(kind);
  const generic = (): Line[] =>
    result === undefined || (isRecord(result) && Object.keys(result).length === 0)
      ? []
      : jsonExcerpt(result, context.lines);
  let lines: Line[];
  try {
    lines = describer?.result && isRecord(result) ? describer.result(result, context) : generic();
  } catch {
    // A result of an unexpected shape (an older or hand-made transcript) still shows as JSON.
    lines = generic();
  }
  return finish(lines, context.width, options);
}

/** What a step runs, as lines: the statement and its bind values, the script and its environment values, the request. */
export function describePlan(kind: string, plan: StepPlan, options: DescribeOptions = {}): string[] {
  const context = contextOf(options);
  const describer = describerOf(kind);
  const generic = (): Line[] => head(textLines(plan.text ?? plan.summary), context.planLines);
  let lines: Line[];
  try {
    lines = describer?.plan ? describer.plan(plan, context) : generic();
  } catch {
    lines = generic();
  }
  return finish(lines, context.planWidth, options);
}

/** The kind a plan's shape gives away, for a step whose kind was not recorded (a dry run's). */
export function kindOfPlan(plan: StepPlan): DescribedKind | '' {
  return plan.params !== undefined ? 'sql' : plan.env !== undefined ? 'shell' : '';
}

function contextOf(options: DescribeOptions): DescribeContext {
  const context: DescribeContext = { ...DEFAULTS };
  for (const key of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[])
    if (options[key] !== undefined) (context as unknown as Record<string, unknown>)[key] = options[key];
  if (options.plan) context.plan = options.plan;
  return context;
}

/** A finished step's result in a few words, after its status in a one-line report; '' when its kind says nothing. */
export function summarizeResult(kind: string, result: unknown): string {
  const summary = describerOf(kind)?.summary;
  if (!summary) return '';
  try {
    return summary(isRecord(result) ? result : {});
  } catch {
    return '';
  }
}

function describerOf(kind: string): ResultDescriber | undefined {
  return Object.hasOwn(resultDescribers, kind) ? resultDescribers[kind as DescribedKind] : undefined;
}

function finish(lines: Line[], width: number, options: DescribeOptions): string[] {
  const paint = options.paint ?? ((_code: string, text: string) => text);
  const max = options.maxLines ?? 80;
  const kept =
    lines.length > max
      ? [...lines.slice(0, max - 1), { text: `… ${lines.length - max + 1} more lines`, style: '2' }]
      : lines;
  return kept.map((line) => {
    const { text, style } = typeof line === 'string' ? { text: line, style: '' } : line;
    const shown = cutToWidth(clean(text, Number.MAX_SAFE_INTEGER), width).trimEnd();
    return style ? paint(style, shown) : shown;
  });
}
