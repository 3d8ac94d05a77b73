/**
 * A step's evidence as format-neutral blocks: what it ran, SQL rows as a table, an HTTP status and
 * body, a script's output, an assertion's expected and actual value, an error. Every block is
 * bounded (rows, cells, lines, characters) and says what was cut; every text has its control
 * sequences removed and bidi controls shown (renderers/clean.ts). Formats escape the text for
 * themselves: nothing here is markup.
 */
import { STATUS_CODES } from 'node:http';
import { clean } from './escape.js';
import { describePlan, describeResult } from '../results/index.js';
import { escapeControls, literal } from '../results/describer.js';
import type { ReportStep } from './model.js';

export type EvidenceBlock =
  | { type: 'table'; title: string; columns: string[]; rows: string[][]; note: string }
  | { type: 'text'; title: string; text: string; language: string; note: string }
  | { type: 'facts'; title: string; lines: string[] };

export interface Bounds {
  rows: number;
  cell: number;
  lines: number;
  chars: number;
}

export const BOUNDS: Bounds = { rows: 50, cell: 200, lines: 200, chars: 16_000 };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const plural = (n: number, word: string): string => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/** A multi-line text, cleaned and cut to `lines` lines and `chars` characters (its head, or its tail). */
export function bounded(
  raw: string,
  bounds: Pick<Bounds, 'lines' | 'chars'>,
  from: 'head' | 'tail' = 'head',
): { text: string; note: string } {
  const cleaned = clean(raw.includes('\r\n') ? raw.replace(/\r\n/g, '\n') : raw, Number.MAX_SAFE_INTEGER, true);
  const text = cleaned.endsWith('\n') ? cleaned.slice(0, -1) : cleaned;
  if (text.length <= bounds.chars && fewerLines(text, bounds.lines)) return { text, note: '' };
  let lines = text.split('\n');
  const totalLines = lines.length;
  const cutLines = Math.max(0, totalLines - bounds.lines);
  if (cutLines > 0) lines = from === 'head' ? lines.slice(0, bounds.lines) : lines.slice(-bounds.lines);
  let kept = lines.join('\n');
  let cutChars = 0;
  if (kept.length > bounds.chars) {
    cutChars = kept.length - bounds.chars;
    kept = from === 'head' ? kept.slice(0, bounds.chars) : kept.slice(-bounds.chars);
  }
  const notes: string[] = [];
  if (cutLines > 0)
    notes.push(
      `${from === 'head' ? 'first' : 'last'} ${plural(bounds.lines, 'line')} of ${plural(totalLines, 'line')} shown`,
    );
  if (cutChars > 0) notes.push(`${plural(cutChars, 'more character')} cut`);
  return { text: kept, note: notes.join('; ') };
}

/** Whether `text` has at most `lines` lines, counted without splitting it. */
function fewerLines(text: string, lines: number): boolean {
  let at = -1;
  for (let n = 1; n <= lines; n++) {
    at = text.indexOf('\n', at + 1);
    if (at < 0) return true;
  }
  return false;
}

/** A value as one line of inert text: NULL for null, control characters as escapes, JSON for objects; cut to `max`. */
export function cell(value: unknown, max: number): { text: string; cut: boolean } {
  const raw =
    value === null || value === undefined
      ? 'NULL'
      : typeof value === 'string'
        ? value
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value);
  const text = clean(escapeControls(raw), Number.MAX_SAFE_INTEGER);
  return text.length > max ? { text: `${text.slice(0, max - 1)}…`, cut: true } : { text, cut: false };
}

const LANGUAGES: Record<string, string> = { sql: 'sql', shell: 'bash', http: 'http' };

/** Everything a report shows of one step, bounded. */
export function stepEvidence(step: ReportStep, bounds: Bounds = BOUNDS): EvidenceBlock[] {
  const blocks: EvidenceBlock[] = [];
  if (step.plan?.text) {
    const lines = describePlan(step.kind, step.plan, {
      planWidth: 100_000,
      planLines: bounds.lines,
      maxLines: bounds.lines + 64,
    });
    const { text, note } = bounded(lines.join('\n'), bounds);
    blocks.push({ type: 'text', title: 'ran', text, language: LANGUAGES[step.kind] ?? 'text', note });
  }
  if (step.assertion) {
    const a = assertionParts(step)!;
    blocks.push({
      type: 'facts',
      title: 'assertion',
      lines: [
        `${step.assertion.passed ? 'holds' : 'does not hold'}: ${clean(a.expression, 2000)}`,
        `expected ${a.expected}`,
        `actual ${a.actual}`,
      ],
    });
  } else if (step.result !== undefined && step.status !== 'skipped') {
    blocks.push(...resultBlocks(step, bounds));
  } else if (step.stdout !== '' || step.stderr !== '') {
    blocks.push(...streams(step.stdout, step.stderr, bounds));
  }
  if (step.error) {
    const { text, note } = bounded(step.error, bounds);
    blocks.push({ type: 'text', title: 'error', text, language: 'text', note });
  }
  return blocks;
}

function resultBlocks(step: ReportStep, bounds: Bounds): EvidenceBlock[] {
  const result = step.result;
  if (!isRecord(result)) return generic(step, bounds);
  switch (step.kind) {
    case 'sql':
      if (Array.isArray(result.statements) && result.statements.length > 0)
        return result.statements.flatMap((s, i) =>
          isRecord(s) ? sqlBlocks(s, bounds, `statement ${i + 1}: `) : generic(step, bounds),
        );
      return sqlBlocks(result, bounds, '');
    case 'http':
      return httpBlocks(result, bounds);
    case 'shell': {
      const out = streams(
        typeof result.stdout === 'string' ? result.stdout : step.stdout,
        typeof result.stderr === 'string' ? result.stderr : step.stderr,
        bounds,
      );
      const exit = result.exitCode === null ? 'killed by a signal (no exit code)' : `exit ${String(result.exitCode)}`;
      const facts = [exit];
      if (result.truncated === true)
        for (const stream of ['stdout', 'stderr'] as const) {
          const bytes = result[`${stream}Bytes`];
          if (typeof bytes === 'number')
            facts.push(
              `${stream}: ${plural(bytes, 'byte')} in all, the transcript keeps its first bytes${typeof result[`${stream}Sha256`] === 'string' ? ` (sha256 ${String(result[`${stream}Sha256`])})` : ''}`,
            );
        }
      return [{ type: 'facts', title: 'result', lines: facts }, ...out];
    }
    case 'confirm':
    case 'input':
    case 'note':
      return [];
    default:
      return generic(step, bounds);
  }
}

function generic(step: ReportStep, bounds: Bounds): EvidenceBlock[] {
  const lines = describeResult(step.kind, step.result, {
    width: 100_000,
    lines: bounds.lines,
    maxLines: bounds.lines,
    ...(step.plan ? { plan: step.plan } : {}),
  });
  if (lines.length === 0) return [];
  const { text, note } = bounded(lines.join('\n'), bounds);
  return [{ type: 'text', title: 'result', text, language: 'text', note }];
}

function streams(stdout: string, stderr: string, bounds: Bounds): EvidenceBlock[] {
  const out: EvidenceBlock[] = [];
  for (const [title, raw] of [
    ['stdout', stdout],
    ['stderr', stderr],
  ] as const) {
    if (raw === '') continue;
    const { text, note } = bounded(raw, bounds, 'tail');
    out.push({ type: 'text', title, text, language: 'text', note });
  }
  return out;
}

const WRITES = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'REPLACE', 'UPSERT', 'COPY']);

function sqlBlocks(result: Record<string, unknown>, bounds: Bounds, prefix: string): EvidenceBlock[] {
  const rows = Array.isArray(result.rows) ? result.rows.filter(isRecord) : [];
  const fields = Array.isArray(result.fields)
    ? result.fields.map((f) => (isRecord(f) ? String(f.name ?? '') : String(f)))
    : [];
  const columns = fields.length > 0 ? fields : rows[0] ? Object.keys(rows[0]) : [];
  const rowCount = typeof result.rowCount === 'number' ? result.rowCount : rows.length;
  const command = (typeof result.command === 'string' ? result.command : '').toUpperCase();
  if (columns.length === 0 || WRITES.has(command))
    return [
      {
        type: 'facts',
        title: `${prefix}result`,
        lines: [
          WRITES.has(command) ? `${command} ${rowCount}` : `${command ? `${command} ` : ''}${plural(rowCount, 'row')}`,
        ],
      },
    ];
  const shown = rows.slice(0, bounds.rows);
  let cutCells = 0;
  const cells = (values: unknown[]): string[] =>
    values.map((v) => {
      const c = cell(v, bounds.cell);
      if (c.cut) cutCells++;
      return c.text;
    });
  const header = cells(columns);
  const body = shown.map((row) => cells(columns.map((c) => row[c])));
  const notes = [
    shown.length < rowCount ? `${plural(rowCount, 'row')}, showing ${shown.length}` : plural(rowCount, 'row'),
  ];
  if (rows.length < rowCount) notes.push(`the transcript keeps ${plural(rows.length, 'row')}`);
  if (cutCells > 0) notes.push(`${plural(cutCells, 'cell')} cut to ${bounds.cell} characters`);
  if (shown.length < rowCount && typeof result.sha256 === 'string') notes.push(`sha256 of all rows ${result.sha256}`);
  return [{ type: 'table', title: `${prefix}rows`, columns: header, rows: body, note: notes.join('; ') }];
}

const SHOWN_HEADERS = ['content-type', 'location', 'retry-after', 'content-length'];

function httpBlocks(result: Record<string, unknown>, bounds: Bounds): EvidenceBlock[] {
  const status = typeof result.status === 'number' ? result.status : undefined;
  const facts = [`${status ?? '?'} ${status === undefined ? '' : (STATUS_CODES[status] ?? '')}`.trimEnd()];
  const headers = isRecord(result.headers) ? result.headers : {};
  for (const name of SHOWN_HEADERS) {
    const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
    if (key !== undefined) facts.push(`${name}: ${cell(headers[key], bounds.cell).text}`);
  }
  if (typeof result.bytes === 'number')
    facts.push(`${plural(result.bytes, 'byte')}${result.truncated === true ? ', truncated in the transcript' : ''}`);
  if (typeof result.attempts === 'number' && result.attempts > 1) facts.push(`${result.attempts} attempts`);
  const blocks: EvidenceBlock[] = [{ type: 'facts', title: 'response', lines: facts }];
  const body =
    result.json !== undefined
      ? (JSON.stringify(result.json, null, 2) ?? '')
      : typeof result.body === 'string'
        ? result.body
        : '';
  if (body !== '') {
    const { text, note } = bounded(body, bounds);
    const digest =
      result.truncated === true && typeof result.sha256 === 'string' ? `sha256 of the whole body ${result.sha256}` : '';
    blocks.push({
      type: 'text',
      title: 'body',
      text,
      language: result.json !== undefined ? 'json' : 'text',
      note: [note, digest].filter(Boolean).join('; '),
    });
  }
  return blocks;
}

/** A value as read in a report (strings quoted), for answers, inputs and actual values. */
export function valueText(value: unknown, max = 200): string {
  return clean(literal(value, max), Number.MAX_SAFE_INTEGER);
}

/** An assertion's expression, what it expected and the value it found, as lines of plain text. */
const assertionCache = new WeakMap<ReportStep, { expression: string; expected: string; actual: string }>();
/**
 * What the describer said, by everything it reads (holds or not, the plan's summary, the actual
 * value as JSON): the same assertion over many steps (a check in a loop) is parsed once.
 */
const describedAssertions = new Map<string, string[]>();

export function assertionParts(step: ReportStep): { expression: string; expected: string; actual: string } | null {
  if (!step.assertion) return null;
  const cached = assertionCache.get(step);
  if (cached) return cached;
  const lines = describedAssertion(step, step.assertion);
  const part = (name: string): string =>
    lines
      .find((l) => l.trimStart().startsWith(name))
      ?.trim()
      .slice(name.length)
      .trim() ?? '';
  const parts = { expression: step.assertion.expression, expected: part('expected'), actual: part('actual') };
  assertionCache.set(step, parts);
  return parts;
}

function describedAssertion(step: ReportStep, assertion: NonNullable<ReportStep['assertion']>): string[] {
  let key: string | null = null;
  try {
    const actual = JSON.stringify(assertion.actual);
    const summary: unknown = step.plan ? step.plan.summary : '\u0001';
    if (actual !== undefined && typeof summary === 'string') key = `${assertion.passed}\u0000${summary}\u0000${actual}`;
  } catch {
    key = null; // a value JSON cannot write (a bigint from a live run): described afresh
  }
  const known = key === null ? undefined : describedAssertions.get(key);
  if (known) return known;
  const lines = describeResult(
    'assert',
    { passed: assertion.passed, actual: assertion.actual },
    { width: 100_000, ...(step.plan ? { plan: step.plan } : {}) },
  );
  if (key !== null) {
    if (describedAssertions.size >= 10_000) describedAssertions.clear();
    describedAssertions.set(key, lines);
  }
  return lines;
}

/** A duration for people: 850 ms, 4.2 s, 3 min 20 s, 2 h 5 min. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** An event time as `2026-11-23 09:55:30.696Z` (the transcript's own, in UTC). */
export function when(ts: string | undefined): string {
  return ts ? ts.replace('T', ' ') : '';
}

export const MARKS: Record<string, string> = {
  passed: '✓',
  failed: '✗',
  'timed-out': '✗',
  cancelled: '✗',
  interrupted: '✗',
  skipped: '–',
  'not-run': '·',
};
