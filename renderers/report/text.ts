/** Sentences every format says the same way: the counts, the verification warning, the verify command. */
import type { RunReport } from './model.js';

export function countsLine(report: RunReport): string {
  const c = report.counts;
  const failed = c.failed + c['timed-out'] + c.interrupted;
  const parts = [`${c.passed} passed`, `${failed} failed`];
  if (c.cancelled) parts.push(`${c.cancelled} cancelled`);
  parts.push(`${c.skipped} skipped`);
  if (c['not-run']) parts.push(`${c['not-run']} not reached`);
  return parts.join(', ');
}

/** Null for a transcript that verifies; otherwise what to say first, before anything it holds. */
export function verificationWarning(report: RunReport): { headline: string; detail: string } | null {
  const v = report.verification;
  if (v.ok) return null;
  return {
    headline: `This transcript does not verify: broken at seq ${v.seq}.`,
    detail: `${v.reason}. ${v.verifiedCount > 0 ? `Only the first ${v.verifiedCount} events verify${v.verifiedHead ? ` (up to sha256:${v.verifiedHead})` : ''}; ` : 'No event verifies; '}what follows is shown as recorded and must not be trusted as evidence.`,
  };
}

export function verifyCommand(report: RunReport): string {
  return `stepwise verify ${/^[\w.-]+$/.test(report.runId) ? report.runId : 'RUN'}`;
}
