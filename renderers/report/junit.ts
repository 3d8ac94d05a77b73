/**
 * JUnit XML for drills in CI: one testsuite for the run, one testcase per step (classname: the
 * runbook, name: the step id and label), `failure` with the message for a failed or timed-out step
 * and a failed assertion, `error` for a step cancelled or interrupted, `skipped` for a skipped or
 * never-reached step (the reason as its text); times in seconds; the run id, the digest and how
 * the run ended as properties. A step that passed with a warning (a soft assertion) is a passing
 * testcase with `warning: …` as its `system-out` (the schema allows no properties on a testcase), and
 * a `run.warnings` property counts them; an `expect=fail` step that failed as expected passes, saying
 * so in its `system-out`. It validates against the Jenkins xUnit plugin's JUnit schema
 * (vendored with its licence as test/report/schema/junit-4.xsd, which test/report/runs.test.ts
 * validates against). A transcript that does not verify adds a failing testcase
 * `transcript verification`, so CI cannot pass it by.
 */
import { clean } from './escape.js';
import { xmlAttr, xmlText } from './escape.js';
import { assertionParts, stepEvidence } from './evidence.js';
import type { ReportFormat } from './format.js';
import type { ReportStep } from './model.js';
import { ReportText } from './text.js';

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
  render(report): string {
    return junit.build(report).text();
  },
  build(report) {
    const classname = token(report.runbook.id || report.runbook.title || report.runbook.path, 'runbook');
    let failures = 0;
    let errors = 0;
    let skipped = 0;
    for (const s of report.steps) {
      const kind = failureKind(s);
      if (kind === 'failure') failures++;
      else if (kind === 'error') errors++;
      else if (s.status === 'skipped' || s.status === 'not-run') skipped++;
    }
    let tests = report.steps.length;
    if (!report.verification.ok) {
      failures++;
      tests++;
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
      ...(report.warnings.length > 0 ? [['run.warnings', String(report.warnings.length)] as [string, string]] : []),
    ];
    const out = new ReportText();
    out.push(
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<testsuites>',
      `  <testsuite name="${xmlAttr(token(report.runbook.title || classname, classname))}" package="${xmlAttr(classname)}" id="0" timestamp="${timestamp(report.start)}" hostname="${xmlAttr(token(report.host, 'localhost'))}" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${seconds(report.durationMs)}">`,
      '    <properties>',
      ...properties.map(([name, value]) => `      <property name="${xmlAttr(name)}" value="${xmlAttr(value)}"/>`),
      '    </properties>',
    );
    if (!report.verification.ok) {
      const v = report.verification;
      const message = `the transcript does not verify: broken at seq ${v.seq}: ${v.reason}`;
      out.push(
        `    <testcase classname="${xmlAttr(classname)}" name="transcript verification" time="0.000">\n      <failure message="${xmlAttr(message)}" type="unverified">${xmlText(`${message}\nthe first ${v.verifiedCount} events verify${v.verifiedHead ? ` (up to sha256:${v.verifiedHead})` : ''}; nothing in this report can be trusted as evidence`)}</failure>\n    </testcase>`,
      );
    }
    for (const s of report.steps) out.push(testcase(s, classname));
    const systemOut = new ReportText();
    systemOut.push(`run ${report.runId}: ${report.outcome}`);
    for (const e of report.timeline) systemOut.push(`${e.ts} #${e.seq} ${e.text}`);
    out.push(
      `    <system-out>${xmlText(systemOut.text())}</system-out>`,
      '    <system-err></system-err>',
      '  </testsuite>',
      '</testsuites>',
      '',
    );
    return out;
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
  if (s.warning !== undefined) {
    const text = clean(s.warning, 1000);
    return `${open}>\n      <system-out>${xmlText(`warning: ${text}`)}</system-out>\n    </testcase>`;
  }
  if (s.expectedFailure !== undefined)
    return `${open}>\n      <system-out>${xmlText(`failed as expected: ${clean(s.expectedFailure, 1000)}`)}</system-out>\n    </testcase>`;
  return `${open}/>`;
}
