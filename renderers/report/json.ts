/**
 * The transcript for other tools: its events exactly as recorded, and a summary derived from them.
 *
 * ```
 * {
 *   "format": "stepwise-report", "version": 1,
 *   "runId": "20261123-095530-b9bb5c",
 *   "runbook": { "path", "id", "title", "sha256" },          // the source itself is in events[0]
 *   "verification": { "ok": true, "events": 22, "digest": "sha256:…" }
 *                 | { "ok": false, "brokenAtSeq": 7, "reason": "…", "verifiedEvents": 6, "verifiedDigest": "sha256:…" | null },
 *   "summary": {
 *     "outcome": "passed" | "failed" | "declined" | "blocked" | "interrupted" | "invalid" | "stopped",
 *     "exitCode": 0 | null,                                  // null: the run never recorded its end
 *     "start", "end": RFC 3339 times of the first and last event, "durationMs": the wall-clock time between them,
 *     "operators": [names], "host", "mode", "profile" (only when the run used one), "engineVersion",
 *     "counts": { "passed", "failed", "timed-out", "cancelled", "interrupted", "skipped", "not-run" },
 *     "signedHeads": [{ "seq", "key" }],
 *     "interruptions": [{ "at", "seq", "reason" }], "resumptions": [{ "at", "seq", "operator", "afterSeq" }],
 *     "warnings"?: [{ "stepId", "text", "line"? }]             // only when a step passed with a warning (severity=warn)
 *   },
 *   "steps": [{                                               // in the order they first started; then those never reached
 *     "id", "kind", "label", "status" (as counts' keys), "attempts", "startedAt", "finishedAt", "ms",
 *     "by", "error"?, "reason"?, "warning"?, "expectedFailure"? (expect=fail: the error it failed with), "assertion"?: { "expression", "passed", "actual" },
 *     "decision"?: { "kind", "shown", "answer", "by", "via", "at" }
 *   }],
 *   "events": [ChainedEvent, …]                               // exactly as recorded, one a line, as `stepwise export` writes them
 * }
 * ```
 */
import type { ReportFormat } from './format.js';
import { ReportText } from './text.js';

export const json = {
  name: 'json',
  summary: 'the events and a derived summary (per-step status, durations, outcome) as JSON, for other tools',
  extension: 'json',
  render(report): string {
    return json.build(report).text();
  },
  build(report) {
    const v = report.verification;
    const value = {
      format: 'stepwise-report',
      version: 1,
      runId: report.runId,
      runbook: {
        path: report.runbook.path,
        id: report.runbook.id,
        title: report.runbook.title,
        sha256: report.runbook.sha256,
      },
      verification: v.ok
        ? { ok: true, events: v.count, digest: `sha256:${v.head}` }
        : {
            ok: false,
            brokenAtSeq: v.seq,
            reason: v.reason,
            verifiedEvents: v.verifiedCount,
            verifiedDigest: v.verifiedHead ? `sha256:${v.verifiedHead}` : null,
          },
      summary: {
        outcome: report.outcome,
        exitCode: report.exitCode,
        start: report.start,
        end: report.end,
        durationMs: report.durationMs,
        operators: report.operators,
        host: report.host,
        mode: report.mode,
        ...(report.profile !== undefined ? { profile: report.profile } : {}),
        engineVersion: report.engineVersion,
        counts: report.counts,
        signedHeads: report.signatures.map((s) => ({ seq: s.signedSeq, key: s.key })),
        interruptions: report.interruptions.map((i) => ({ at: i.at, seq: i.seq, reason: i.reason })),
        resumptions: report.resumptions.map((r) => ({
          at: r.at,
          seq: r.seq,
          operator: r.operator,
          afterSeq: r.afterSeq,
        })),
        ...(report.warnings.length > 0 ? { warnings: report.warnings } : {}),
      },
      steps: report.steps.map((s) => ({
        id: s.id,
        kind: s.kind,
        label: s.label,
        status: s.status,
        attempts: s.attempts,
        startedAt: s.startedAt ?? null,
        finishedAt: s.finishedAt ?? null,
        ms: s.ms ?? null,
        by: s.by,
        ...(s.error !== undefined ? { error: s.error } : {}),
        ...(s.reason !== undefined ? { reason: s.reason } : {}),
        ...(s.warning !== undefined ? { warning: s.warning } : {}),
        ...(s.expectedFailure !== undefined ? { expectedFailure: s.expectedFailure } : {}),
        ...(s.assertion
          ? {
              assertion: { expression: s.assertion.expression, passed: s.assertion.passed, actual: s.assertion.actual },
            }
          : {}),
        ...(s.decision
          ? {
              decision: {
                kind: s.decision.kind,
                shown: s.decision.shown,
                answer: s.decision.answer,
                by: s.decision.by,
                via: s.decision.via,
                at: s.decision.at,
              },
            }
          : {}),
      })),
      events: report.events,
    };
    // The summary indented for people; the events one to a line (as `stepwise export` writes them), so a
    // 20,000-step run stays one compact line per event. `<`, `>` and `&` as \u escapes: the same JSON, and
    // inert if a page ever embeds it.
    const { events, ...head } = value;
    const top = inert(JSON.stringify(head, null, 2).replace(/\n}$/, ''));
    const out = new ReportText(',\n');
    if (events.length === 0) {
      out.push(`${top},\n  "events": []\n}\n`);
      return out;
    }
    const last = events.length - 1;
    events.forEach((event, i) => {
      const line = `    ${inert(JSON.stringify(event))}`;
      out.push(`${i === 0 ? `${top},\n  "events": [\n` : ''}${line}${i === last ? '\n  ]\n}\n' : ''}`);
    });
    return out;
  },
} satisfies ReportFormat;

const UNSAFE = /[<>&\u2028\u2029]/g;
const UNSAFE_ANY = /[<>&\u2028\u2029]/;

/** JSON text with `<`, `>`, `&`, U+2028 and U+2029 as \u escapes (only ever inside strings: the same JSON). */
function inert(text: string): string {
  return UNSAFE_ANY.test(text)
    ? text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    : text;
}
