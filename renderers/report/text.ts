/** Sentences every format says the same way: the counts, the verification warning, the verify command. */
import type { ReportStep, ReportWarning, RunReport } from './model.js';

export function countsLine(report: RunReport): string {
  const c = report.counts;
  const failed = c.failed + c['timed-out'] + c.interrupted;
  const parts = [`${c.passed} passed`, `${failed} failed`];
  if (c.cancelled) parts.push(`${c.cancelled} cancelled`);
  parts.push(`${c.skipped} skipped`);
  if (c['not-run']) parts.push(`${c['not-run']} not reached`);
  const w = report.warnings.length;
  if (w) parts.push(`${w} warning${w === 1 ? '' : 's'}`);
  return parts.join(', ');
}

/** Where a warning's step is written: `path:line`, or the path when the line is not known. */
export function warningPlace(report: RunReport, w: ReportWarning): string {
  return w.line === undefined ? report.runbook.path : `${report.runbook.path}:${w.line}`;
}

/** What a pass says beside its status: `with a warning`, `failed as expected`, or nothing. */
export function passNote(s: ReportStep): string {
  if (s.warning !== undefined) return 'with a warning';
  if (s.expectedFailure !== undefined) return 'failed as expected';
  return '';
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

/** Lines a chunk gathers before it is joined: about 100-500 KB of report text. */
const CHUNK_LINES = 2048;

/**
 * A report's text as it is written: pieces joined by `separator` (a newline by default). Every
 * few thousand pieces are joined into one flat string, so the many small strings a long report is
 * made of die young, where collecting them costs nothing, instead of all living until the end
 * (copying them from one heap generation to the next cost more than building them).
 */
export class ReportText {
  private readonly chunks: string[] = [];
  private pieces: string[] = [];
  constructor(private readonly separator = '\n') {}

  push(...pieces: string[]): void {
    for (const piece of pieces) this.pieces.push(piece);
    if (this.pieces.length >= CHUNK_LINES) this.flush();
  }

  get empty(): boolean {
    return this.chunks.length === 0 && this.pieces.length === 0;
  }

  /** Everything pushed, handed to `sink` piece by piece: joined, the pieces are text(). */
  write(sink: (text: string) => void): void {
    this.flush();
    this.chunks.forEach((chunk, i) => {
      if (i > 0 && this.separator !== '') sink(this.separator);
      sink(chunk);
    });
  }

  /** Everything pushed, joined by the separator. */
  text(): string {
    this.flush();
    return this.chunks.join(this.separator);
  }

  private flush(): void {
    if (this.pieces.length === 0) return;
    this.chunks.push(this.pieces.join(this.separator));
    this.pieces = [];
  }
}
