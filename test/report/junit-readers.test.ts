/**
 * The JUnit report read by the code CI tools really read it with, not only by the schema:
 * test-results-parser (npm: the parser of testbeats, which posts CI results to Slack, Teams and
 * dashboards), junit-to-ctrf (npm: its CLI feeds the CTRF GitHub Actions their test summary) and,
 * when Debian's python3-junitparser is installed, junitparser (the library the widely used
 * publish-unit-test-result GitHub Action reads JUnit files with). Each must read the counts, each
 * case's name and outcome, and the failure messages, from a transcript with a step of every
 * status and names full of XML specials, and from the same transcript tampered with.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../engine/run/events.js';
import { seal } from '../../engine/transcript/chain.js';
import { readTranscript } from '../../renderers/report/index.js';
import { junit } from '../../renderers/report/junit.js';

const require = createRequire(import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'stepwise-junit-readers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RUNBOOK = 'readers-drill';
const SOURCE = [
  '---',
  'title: Readers & <drill> "one"',
  'targets:',
  '  db: { kind: sqlite, path: ./r.db }',
  '---',
  '',
  '# Readers',
  '',
  '::sql{#rows target=db query="SELECT id FROM t"}',
  '',
  '::shell{#broken readonly run="exit 1"}',
  '',
  '::shell{#slow readonly run="sleep 60"}',
  '',
  '::assert[Nothing left & <done>]{#check that="rows.rowCount == 0"}',
  '',
  '::shell{#prod-only readonly when="false" run="echo never"}',
  '',
  '::shell{#cancelled readonly run="sleep 5"}',
  '',
  '::shell{#cut readonly run="sleep 9"}',
  '',
  '::shell{#never readonly run="echo too late"}',
  '',
].join('\n');

const started = (stepId: string, kind: string, summary: string, text = summary): RunEvent =>
  ({ type: 'step.started', data: { stepId, kind, plan: { summary, text, effect: false }, attempt: 1 } }) as RunEvent;
const finished = (stepId: string, data: Record<string, unknown>): RunEvent =>
  ({ type: 'step.finished', data: { stepId, ms: 1500, ...data } }) as RunEvent;

/** A run with a step of every status (the last never reached), sealed by the engine's own chain. */
const EVENTS = [
  {
    type: 'run.started',
    data: {
      runbook: {
        path: 'readers.md',
        id: RUNBOOK,
        title: 'Readers & <drill> "one"',
        sha256: '0'.repeat(64),
        source: SOURCE,
      },
      inputs: {},
      targets: { db: { kind: 'sqlite', location: './r.db' } },
      operator: 'ops',
      host: 'ci',
      engineVersion: '0.1.0',
      mode: 'headless',
      formatVersion: 1,
    },
  } as RunEvent,
  started('rows', 'sql', 'SELECT id FROM t on db'),
  finished('rows', {
    status: 'passed',
    result: { rows: [{ id: 1 }], rowCount: 1, fields: [{ name: 'id' }], command: 'SELECT', truncated: false },
  }),
  started('broken', 'shell', 'bash: exit 1 # <b>&"x"</b>'),
  {
    type: 'step.output',
    data: { stepId: 'broken', stream: 'stderr', chunk: 'boom <script>alert(1)</script>\n' },
  } as RunEvent,
  finished('broken', { status: 'failed', error: 'exit code 1: <script>alert("x")</script> & more' }),
  started('slow', 'shell', 'bash: sleep 60'),
  finished('slow', { status: 'timed-out', error: 'timed out after 30 s' }),
  started('check', 'assert', 'assert rows.rowCount == 0'),
  {
    type: 'assert.evaluated',
    data: { stepId: 'check', expression: 'rows.rowCount == 0', passed: false, actual: 1 },
  } as RunEvent,
  finished('check', { status: 'failed', error: 'assertion does not hold', result: { passed: false, actual: 1 } }),
  finished('prod-only', { status: 'skipped', ms: 0, reason: '`false` is false' }),
  started('cancelled', 'shell', 'bash: sleep 5'),
  finished('cancelled', { status: 'cancelled', error: 'cancelled: the process group was killed' }),
  started('cut', 'shell', 'bash: sleep 9'),
  finished('cut', { status: 'interrupted', error: 'interrupted by SIGINT' }),
  { type: 'run.interrupted', data: { reason: 'SIGINT', signal: 'SIGINT' } } as RunEvent,
  {
    type: 'run.finished',
    data: { status: 'interrupted', exitCode: 5, ms: 9000, counts: {} },
  } as RunEvent,
];

function transcriptLines(): string[] {
  let prev: string | null = null;
  return EVENTS.map((event, i) => {
    const sealed = seal(event, {
      seq: i + 1,
      ts: new Date(Date.parse('2026-11-29T08:00:00.000Z') + i * 1000).toISOString(),
      runId: '20261129-080000-abcdef',
      prev,
    });
    prev = sealed.hash;
    return JSON.stringify(sealed);
  });
}

/** What every reader must find: each case's name and outcome, in order. */
const CASES: [name: string, outcome: 'passed' | 'failure' | 'error' | 'skipped'][] = [
  ['rows SELECT id FROM t on db', 'passed'],
  ['broken bash: exit 1 # <b>&"x"</b>', 'failure'],
  ['slow bash: sleep 60', 'failure'],
  ['check assert rows.rowCount == 0', 'failure'],
  ['prod-only', 'skipped'],
  ['cancelled bash: sleep 5', 'error'],
  ['cut bash: sleep 9', 'error'],
  ['never', 'skipped'],
];
const VERIFICATION_CASE = 'transcript verification';

async function writeReport(name: string, lines: string[]): Promise<string> {
  const file = join(dir, `${name}.xml`);
  writeFileSync(file, junit.render(await readTranscript(lines)));
  return file;
}

const verified = await writeReport('verified', transcriptLines());
const tamperedLines = transcriptLines();
// The recorded row count changed after the fact: the chain breaks at seq 3.
tamperedLines[2] = tamperedLines[2]!.replace('"rowCount":1', '"rowCount":0');
const tampered = await writeReport('tampered', tamperedLines);

const REPORTS = [
  { name: 'a transcript that verifies', file: verified, cases: CASES },
  {
    name: 'a tampered transcript',
    file: tampered,
    cases: [[VERIFICATION_CASE, 'failure'], ...CASES] as typeof CASES,
  },
];

const count = (cases: typeof CASES, outcome: string): number => cases.filter(([, o]) => o === outcome).length;

describe.each(REPORTS)('the JUnit report of $name', ({ file, cases }) => {
  it('reads in test-results-parser (testbeats) with its counts, names, outcomes and messages', () => {
    const { parse } = require('test-results-parser') as typeof import('test-results-parser');
    const result = parse({ type: 'junit', files: [file] });
    expect(result.suites).toHaveLength(1);
    const suite = result.suites[0]!;
    expect(suite.name).toBe('Readers & <drill> "one"');
    // It counts skipped cases out of the total, and failures and errors apart.
    expect(suite.total).toBe(cases.length - count(cases, 'skipped'));
    expect(suite.failed).toBe(count(cases, 'failure'));
    expect(suite.errors).toBe(count(cases, 'error'));
    expect(suite.skipped).toBe(count(cases, 'skipped'));
    expect(suite.passed).toBe(count(cases, 'passed'));
    expect(suite.status).toBe('FAIL');
    const statuses = { passed: 'PASS', failure: 'FAIL', error: 'FAIL', skipped: 'SKIP' } as const;
    expect(suite.cases.map((c) => [c.name, c.status])).toEqual(cases.map(([n, o]) => [n, statuses[o]]));
    const broken = suite.cases.find((c) => c.name.startsWith('broken '))!;
    expect(broken.failure).toBe('failed: exit code 1: <script>alert("x")</script> & more');
    expect(suite.cases.find((c) => c.name.startsWith('check '))!.failure).toBe(
      'assertion does not hold: rows.rowCount == 0; expected == 0; actual 1  (rows.rowCount)',
    );
    expect(suite.metadata).toMatchObject({ 'run.id': '20261129-080000-abcdef', 'run.outcome': 'interrupted' });
    const verification = suite.cases.find((c) => c.name === VERIFICATION_CASE);
    if (file === tampered)
      expect(verification?.failure).toBe(
        'the transcript does not verify: broken at seq 3: seq 3: its content does not match its hash (the event was changed)',
      );
    else expect(verification).toBeUndefined();
  });

  it('converts with the junit-to-ctrf CLI (the CTRF GitHub Actions) to the same summary and tests', () => {
    const out = join(dir, `${file.endsWith('tampered.xml') ? 'tampered' : 'verified'}.ctrf.json`);
    const cli = require.resolve('junit-to-ctrf/dist/cli.js');
    const r = spawnSync(process.execPath, [cli, file, '-o', out], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const ctrf = JSON.parse(readFileSync(out, 'utf8')) as {
      results: {
        summary: { tests: number; passed: number; failed: number; skipped: number };
        tests: { name: string; status: string; message?: string; duration: number }[];
      };
    };
    expect(ctrf.results.summary).toMatchObject({
      tests: cases.length,
      passed: count(cases, 'passed'),
      failed: count(cases, 'failure') + count(cases, 'error'),
      skipped: count(cases, 'skipped'),
    });
    const statuses = { passed: 'passed', failure: 'failed', error: 'failed', skipped: 'skipped' } as const;
    expect(ctrf.results.tests.map((t) => [t.name, t.status])).toEqual(
      cases.map(([n, o]) => [`Readers & <drill> "one": ${n}`, statuses[o]]),
    );
    const broken = ctrf.results.tests.find((t) => t.name.endsWith(': broken bash: exit 1 # <b>&"x"</b>'))!;
    expect(broken.message).toBe('failed: exit code 1: <script>alert("x")</script> & more');
    expect(broken.duration).toBe(1500);
  });

  it(`reads in Python's junitparser (publish-unit-test-result-action)${WITHOUT_JUNITPARSER}`, (context) => {
    if (!JUNITPARSER) return context.skip();
    const script = `
import json, sys
from junitparser import JUnitXml
out = []
for suite in JUnitXml.fromfile(sys.argv[1]):
    out.append({
        "name": suite.name, "tests": suite.tests, "failures": suite.failures, "errors": suite.errors,
        "skipped": suite.skipped, "time": suite.time,
        "properties": {p.name: p.value for p in suite.properties()},
        "cases": [{"name": c.name, "classname": c.classname, "time": c.time,
                   "results": [[type(r).__name__, r.message, r.text] for r in c.result]} for c in suite],
    })
print(json.dumps(out))
`;
    const r = spawnSync(JUNITPARSER, ['-c', script, file], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const suites = JSON.parse(r.stdout) as {
      name: string;
      tests: number;
      failures: number;
      errors: number;
      skipped: number;
      time: number;
      properties: Record<string, string>;
      cases: { name: string; classname: string; time: number; results: [string, string | null, string | null][] }[];
    }[];
    expect(suites).toHaveLength(1);
    const suite = suites[0]!;
    expect(suite).toMatchObject({
      name: 'Readers & <drill> "one"',
      tests: cases.length,
      failures: count(cases, 'failure'),
      errors: count(cases, 'error'),
      skipped: count(cases, 'skipped'),
    });
    expect(suite.properties['transcript.verified']).toBe(String(file === verified));
    const kinds = { passed: [], failure: ['Failure'], error: ['Error'], skipped: ['Skipped'] } as const;
    expect(suite.cases.map((c) => [c.name, c.results.map(([kind]) => kind)])).toEqual(
      cases.map(([n, o]) => [n, kinds[o]]),
    );
    for (const c of suite.cases) expect(c.classname).toBe(RUNBOOK);
    const skipped = suite.cases.find((c) => c.name === 'prod-only')!;
    expect(skipped.results[0]![2]).toBe('`false` is false');
    const cut = suite.cases.find((c) => c.name.startsWith('cut '))!;
    expect(cut.results[0]![1]).toBe('interrupted: interrupted by SIGINT');
    expect(cut.time).toBe(1.5);
  });
});

/** Debian's python3 with junitparser (python3-junitparser), or null. */
function findJunitparser(): string | null {
  for (const python of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(python, ['-c', 'import junitparser'], { encoding: 'utf8' });
    if (r.status === 0) return python;
  }
  return null;
}
const JUNITPARSER = findJunitparser();
const WITHOUT_JUNITPARSER = JUNITPARSER
  ? ''
  : ' [skipped: Python junitparser is not installed (Debian python3-junitparser); .ci/run installs it]';
