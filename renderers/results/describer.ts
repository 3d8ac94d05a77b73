/**
 * A step kind's describer: a few compact lines of plain text for a step's recorded result and for
 * its plan. One module per kind under renderers/results/, found through index.ts. A describer
 * returns lines of raw text (each one line; it splits multi-line text itself) with an optional
 * style; index.ts removes control sequences from every line, cuts it to the width and paints it,
 * so no describer can let hostile output drive the terminal.
 */
import type { StepPlan } from '../../engine/run/events.js';

/** A line of text and its colour (an SGR code: '2' dim, '1' bold, '31' red, '36' cyan, ...). */
export type Line = string | { text: string; style: string };

/** Colours a text with an SGR code; the identity when colour is off. */
export type Paint = (code: string, text: string) => string;

export interface DescribeContext {
  /** Terminal cells per result line. */
  width: number;
  /** Terminal cells per plan line (statements, scripts, requests: cut late, they are what ran). */
  planWidth: number;
  /** Lines of a body excerpt or an output tail. */
  lines: number;
  /** Lines of a plan's text. */
  planLines: number;
  /** Rows of a result table. */
  rows: number;
  /** Terminal cells per table cell. */
  cell: number;
  /** The step's output was already shown as it came (show --verbose): a result need not repeat it. */
  streamed: boolean;
  /** Every response header, not only those worth a line (the terminal UI, which scrolls). */
  allHeaders: boolean;
  /** The plan the step ran with, when known (an assert's expression). */
  plan?: StepPlan;
}

export interface ResultDescriber {
  /** A finished step's result in a few words for a one-line report (`SELECT 3 rows`, `200 (52 bytes)`); absent: nothing. */
  summary?(result: Record<string, unknown>): string;
  /** Lines for a finished step's result; absent: a JSON excerpt. */
  result?(result: Record<string, unknown>, context: DescribeContext): Line[];
  /** Lines for a plan; absent: its text, else its summary. */
  plan?(plan: StepPlan, context: DescribeContext): Line[];
}

export const dim = (text: string): Line => ({ text, style: '2' });
export const styled = (style: string, text: string): Line => ({ text, style });

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Control characters shown as escapes (`\n`, `\t`, `\u001b`), so a value stays on its line and inert. */
export function escapeControls(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/**
 * A value as read (never as executed): strings in single quotes with `\` escapes for quotes,
 * backslashes and control characters; null as NULL; numbers and booleans as they are; the rest as
 * JSON. Cut to `max` characters, saying how long it was.
 */
export function literal(value: unknown, max = 200): string {
  let text: string;
  if (value === null || value === undefined) text = 'NULL';
  else if (typeof value === 'string') text = `'${escapeControls(value.replace(/\\/g, '\\\\').replace(/'/g, "\\'"))}'`;
  else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') text = String(value);
  else text = escapeControls(JSON.stringify(value) ?? String(value));
  const chars = Array.from(text);
  return chars.length > max
    ? `${chars.slice(0, max - 1).join('')}… (${typeof value === 'string' ? `${Array.from(value).length} characters` : `${chars.length} characters as JSON`})`
    : text;
}

/** The first `max` lines of a text, and a line saying how many more there were. */
export function head(lines: string[], max: number, indent = ''): Line[] {
  if (lines.length <= max) return lines.map((l) => indent + l);
  return [...lines.slice(0, max).map((l) => indent + l), dim(`${indent}… ${plural(lines.length - max, 'more line')}`)];
}

/** The last `max` lines of a text, after a line saying how many came before. */
export function tail(lines: string[], max: number, indent = ''): Line[] {
  if (lines.length <= max) return lines.map((l) => indent + l);
  return [dim(`${indent}… ${plural(lines.length - max, 'earlier line')}`), ...lines.slice(-max).map((l) => indent + l)];
}

/** A text's lines, without the empty line a final newline leaves. */
export function textLines(text: string): string[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** A value as indented JSON, at most `max` lines. */
export function jsonExcerpt(value: unknown, max: number, indent = ''): Line[] {
  let text: string | undefined;
  try {
    text = JSON.stringify(value, null, 2);
  } catch {
    text = undefined;
  }
  return head(textLines(text ?? String(value)), max, indent);
}

/** The first characters of a digest, enough to compare by eye. */
export function shortDigest(sha256: unknown): string {
  return typeof sha256 === 'string' && sha256 !== '' ? `sha256 ${sha256.slice(0, 16)}…` : '';
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
export const asNumber = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;
export const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
