/**
 * A scenario's expectations checked against what happened: the run's status, each named step's
 * outcome, SQL queries and HTTP requests against the final state, and the HTTP fixture's own
 * state and request counts. Every miss names the expectation and shows expected against actual.
 */
import type { StateValue } from '../fixtures/http-routes.js';
import type { RunEvent } from '../run/events.js';
import type { Expectations, HttpExpectation, SqlExpectation } from './fixture.js';
import { parseIterationId } from '../document/iteration-id.js';

export interface Miss {
  /** Which expectation: `status`, `steps.recover`, `sql[0] (SELECT count(*) … on db)`, `state.api.breaker`. */
  expectation: string;
  expected: string;
  actual: string;
}

/** What a run's events say about each step: passed, failed, skipped, declined, …; absent: not-run. */
export function stepOutcomes(events: RunEvent[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const event of events) {
    if (event.type === 'step.finished') out.set(event.data.stepId, event.data.status);
    if (event.type === 'confirm.answered' && !event.data.answer) out.set(event.data.stepId, 'declined');
  }
  // A confirm answered "no" ends as declined, whatever its step.finished said.
  for (const event of events)
    if (event.type === 'confirm.answered' && !event.data.answer) out.set(event.data.stepId, 'declined');
  return out;
}

/**
 * The outcome of a loop's step over its iterations (`replay[0]`, `replay[1]`, ...): their outcome
 * when they all share one, else each counted (`passed ×2, declined ×1`, which no expectation
 * names: name the iterations instead). Undefined when no iteration ran.
 */
function loopOutcome(outcomes: Map<string, string>, id: string): string | undefined {
  const seen: string[] = [];
  for (const [stepId, outcome] of outcomes) if (parseIterationId(stepId)?.stepId === id) seen.push(outcome);
  if (seen.length === 0) return undefined;
  const counts = new Map<string, number>();
  for (const o of seen) counts.set(o, (counts.get(o) ?? 0) + 1);
  if (counts.size === 1) return seen[0];
  return [...counts].map(([o, n]) => `${o} ×${n}`).join(', ');
}

export function runStatus(events: RunEvent[]): string {
  for (const event of events) if (event.type === 'run.finished') return event.data.status;
  return 'not-finished';
}

/**
 * `knownSteps` are the runbook's step ids, `loopSteps` those inside an `each`: an expectation may
 * name one iteration of those (`replay[1]`), or the step itself for all its iterations.
 */
export function checkRun(
  expect: Expectations,
  events: RunEvent[],
  knownSteps: Set<string>,
  loopSteps: Set<string> = new Set(),
): Miss[] {
  const misses: Miss[] = [];
  const status = runStatus(events);
  if (status !== expect.status) {
    const stopped = events.find(
      (e) => e.type === 'step.finished' && e.data.status !== 'passed' && e.data.status !== 'skipped',
    );
    misses.push({
      expectation: 'status',
      expected: expect.status,
      actual:
        stopped?.type === 'step.finished' && 'error' in stopped.data
          ? `${status} (${stopped.data.stepId}: ${firstLine(stopped.data.error)})`
          : status,
    });
  }
  const outcomes = stepOutcomes(events);
  for (const [id, expected] of Object.entries(expect.steps)) {
    const iteration = parseIterationId(id);
    if (!knownSteps.has(id) && !(iteration && loopSteps.has(iteration.stepId))) {
      misses.push({
        expectation: `steps.${id}`,
        expected,
        actual:
          iteration && knownSteps.has(iteration.stepId)
            ? `\`${iteration.stepId}\` is not in an \`each\` loop: it has no iterations`
            : 'no such step in the runbook',
      });
      continue;
    }
    const actual = outcomes.get(id) ?? (loopSteps.has(id) ? loopOutcome(outcomes, id) : undefined) ?? 'not-run';
    if (actual !== expected) {
      const finished = events.find((e) => e.type === 'step.finished' && e.data.stepId === id);
      const why =
        finished?.type === 'step.finished'
          ? 'error' in finished.data
            ? finished.data.error
            : 'reason' in finished.data
              ? finished.data.reason
              : ''
          : '';
      misses.push({ expectation: `steps.${id}`, expected, actual: why ? `${actual} (${firstLine(why)})` : actual });
    }
  }
  return misses;
}

export function describeSql(e: SqlExpectation, index: number): string {
  const sql = e.query.replace(/\s+/g, ' ').trim();
  return `sql[${index}] (${sql.length > 60 ? `${sql.slice(0, 57)}...` : sql} on ${e.target})`;
}

export function checkSqlResult(
  e: SqlExpectation,
  index: number,
  result: { rows: Record<string, unknown>[]; rowCount: number },
): Miss[] {
  const name = describeSql(e, index);
  const misses: Miss[] = [];
  if (e.count !== undefined && result.rowCount !== e.count)
    misses.push({ expectation: `${name} count`, expected: String(e.count), actual: String(result.rowCount) });
  if ('value' in e) {
    const row = result.rows[0];
    const actual = row === undefined ? undefined : Object.values(row)[0];
    if (!matches(e.value, actual))
      misses.push({
        expectation: `${name} value`,
        expected: show(e.value),
        actual: row === undefined ? 'no rows' : show(actual),
      });
  }
  if (e.rows !== undefined) {
    const wanted = e.rows;
    const ok = wanted.length === result.rows.length && wanted.every((w, i) => matches(w, result.rows[i]));
    if (!ok)
      misses.push({
        expectation: `${name} rows`,
        expected: show(wanted),
        actual: show(result.rows.map((r, i) => (wanted[i] ? pick(r, Object.keys(wanted[i]!)) : r))),
      });
  }
  return misses;
}

export function checkHttpResult(
  e: HttpExpectation,
  index: number,
  result: { status: number; body: string } | { error: string },
): Miss[] {
  const name = `http[${index}] (${e.request} on ${e.target})`;
  if ('error' in result) return [{ expectation: name, expected: 'a response', actual: result.error }];
  const misses: Miss[] = [];
  if (e.status !== undefined && e.status !== result.status)
    misses.push({ expectation: `${name} status`, expected: String(e.status), actual: String(result.status) });
  if (e.json !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(result.body);
    } catch {
      misses.push({ expectation: `${name} json`, expected: show(e.json), actual: `not JSON: ${clip(result.body)}` });
      return misses;
    }
    if (!matches(e.json, json))
      misses.push({ expectation: `${name} json`, expected: show(e.json), actual: show(json) });
  }
  if (e.contains !== undefined && !result.body.includes(e.contains))
    misses.push({ expectation: `${name} contains`, expected: show(e.contains), actual: clip(result.body) });
  return misses;
}

export function checkFixtureState(
  target: string,
  expected: { state?: Record<string, StateValue>; requests?: Record<string, number> },
  actual: { state: Record<string, StateValue>; requests: Record<string, number> },
): Miss[] {
  const misses: Miss[] = [];
  for (const [name, value] of Object.entries(expected.state ?? {}))
    if (!matches(value, actual.state[name]))
      misses.push({ expectation: `state.${target}.${name}`, expected: show(value), actual: show(actual.state[name]) });
  for (const [request, n] of Object.entries(expected.requests ?? {})) {
    const got = actual.requests[request] ?? 0;
    if (got !== n)
      misses.push({
        expectation: `requests.${target}["${request}"]`,
        expected: `${n} request${n === 1 ? '' : 's'}`,
        actual: `${got} request${got === 1 ? '' : 's'}`,
      });
  }
  return misses;
}

/**
 * `expected` matches `actual` when equal, a number matches its decimal text (PostgreSQL's
 * count(*) and numeric come back as exact strings), and an object matches when each of its keys
 * matches (other keys of `actual` are not compared); arrays match element by element.
 */
export function matches(expected: unknown, actual: unknown): boolean {
  if (expected === null || expected === undefined) return actual === null || actual === undefined;
  if (typeof expected === 'number' || typeof expected === 'bigint')
    return (typeof actual === 'number' || typeof actual === 'string') && Number(actual) === Number(expected);
  if (typeof expected === 'boolean')
    return actual === expected || (typeof actual === 'number' && actual === (expected ? 1 : 0));
  if (typeof expected === 'string')
    return (
      actual === expected ||
      ((typeof actual === 'number' || typeof actual === 'boolean') && String(actual) === expected)
    );
  if (Array.isArray(expected))
    return (
      Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => matches(e, actual[i]))
    );
  if (typeof expected === 'object') {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return false;
    return Object.entries(expected).every(([k, v]) => matches(v, (actual as Record<string, unknown>)[k]));
  }
  return false;
}

function pick(row: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, row[k]]));
}

export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return clip(text ?? String(value));
}

function clip(text: string): string {
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

function firstLine(text: string): string {
  return clip(text.split('\n')[0] ?? '');
}
