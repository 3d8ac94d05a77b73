/**
 * The executed notebook: the runbook exactly as it ran (the source recorded in run.started, secrets
 * masked), with each step's recorded outcome inserted right after the step as a blockquote:
 * status, who and when, what it ran as rendered, and its bounded output. It reads on GitHub like
 * the runbook itself, filled in. What is inserted is plain Markdown (escaped text, fenced output,
 * tables), never a directive, and always set off by blank lines, so `stepwise check` reads the same
 * steps in it as in the runbook.
 */
import { mdFence, mdInline } from './escape.js';
import { duration, MARKS, stepEvidence, valueText, when } from './evidence.js';
import type { ReportFormat } from './format.js';
import type { ReportStep, RunReport } from './model.js';
import { blockLines } from './markdown.js';
import { countsLine, ReportText, verificationWarning, verifyCommand } from './text.js';

export const notebook = {
  name: 'notebook',
  summary: 'the runbook as it ran (Markdown), each step followed by its recorded outcome and output',
  extension: 'md',
  locate: true,
  render(report): string {
    return notebook.build(report).text();
  },
  build(report) {
    const source = report.runbook.source;
    const inserts: { at: number; text: string }[] = [];
    const loose: ReportStep[] = [];
    for (const s of report.steps) {
      if (s.span && s.span.end <= source.length) inserts.push({ at: lineEnd(source, s.span.end), text: outcome(s) });
      else loose.push(s);
    }
    inserts.push({ at: afterFrontmatter(source), text: header(report) });
    inserts.sort((a, b) => a.at - b.at);
    // Parts joined once at the end (appending to one string and asking how it ends is quadratic).
    const parts = new ReportText('');
    let tail = '';
    const push = (text: string): void => {
      if (text === '') return;
      parts.push(text);
      tail = text.length >= 2 ? text.slice(-2) : (tail + text).slice(-2);
    };
    let from = 0;
    for (const insert of inserts) {
      push(source.slice(from, insert.at));
      const before = parts.empty || tail === '\n\n' ? '' : tail.endsWith('\n') ? '\n' : '\n\n';
      push(`${before}${insert.text}\n\n`);
      from = insert.at;
      // The source's own blank line after the step is already there: do not double it.
      if (source[from] === '\n') from++;
    }
    push(source.slice(from));
    if (loose.length) {
      if (!tail.endsWith('\n')) push('\n');
      push(
        `\n**Steps recorded in this run that are not in this file** (from included runbooks):\n\n${loose.map((s) => outcome(s)).join('\n\n')}\n`,
      );
    }
    if (!tail.endsWith('\n')) push('\n');
    return parts;
  },
} satisfies ReportFormat;

/** The offset just after the newline ending the line that holds `offset` (or the end of the text). */
function lineEnd(source: string, offset: number): number {
  if (offset > 0 && source[offset - 1] === '\n') return offset;
  const nl = source.indexOf('\n', offset);
  return nl < 0 ? source.length : nl + 1;
}

/** Where the frontmatter ends (it must stay first), else 0. */
function afterFrontmatter(source: string): number {
  const match = /^---\r?\n[\s\S]*?\r?\n(---|\.\.\.)[ \t]*(\r?\n|$)/.exec(source);
  return match ? match[0].length : 0;
}

function header(report: RunReport): string {
  const lines: string[] = [];
  const warning = verificationWarning(report);
  if (warning) lines.push('> [!CAUTION]', `> **${mdInline(warning.headline)}** ${mdInline(warning.detail)}`, '');
  lines.push(
    `> **Executed notebook** of run ${mdInline(report.runId)}: **${mdInline(report.outcome.toUpperCase())}**${report.exitCode === null ? '' : ` (exit ${report.exitCode})`}, ${mdInline(countsLine(report))}`,
    `> by ${mdInline(report.operators.join(', '))} on ${mdInline(report.host)}, ${mdInline(when(report.start))} to ${mdInline(when(report.end))} (${mdInline(duration(report.durationMs))})`,
    `> runbook sha256 ${mdInline(report.runbook.sha256)}; ${report.events.length} events, ${report.verification.ok ? `final digest sha256:${mdInline(report.verification.head)}` : '**the transcript does not verify**'}; check with ${mdInline(verifyCommand(report))}`,
  );
  return lines.join('\n');
}

function outcome(s: ReportStep): string {
  const lines: string[] = [];
  const status = `${MARKS[s.status] ?? ''} ${s.status === 'not-run' ? 'not run' : s.status}`;
  if (s.status === 'not-run') {
    lines.push(`> **${status}** · ${mdInline(s.id)} · ${mdInline(s.reason ?? '')}`);
    return lines.join('\n');
  }
  lines.push(
    `> **${mdInline(status)}** · ${mdInline(s.id)} · ${mdInline(s.kind)} · by ${mdInline(s.by)} · ${mdInline(when(s.startedAt ?? s.finishedAt))}${s.ms === undefined ? '' : ` · ${mdInline(duration(s.ms))}`}${s.attempts > 1 ? ` · ${s.attempts} attempts` : ''}`,
  );
  if (s.reason) lines.push('>', `> skipped: ${mdInline(s.reason)}`);
  if (s.warning !== undefined) lines.push('>', `> **⚠ warning:** ${mdInline(s.warning)}`);
  if (s.expectedFailure !== undefined) lines.push('>', `> failed as expected: ${mdInline(s.expectedFailure)}`);
  if (s.decision)
    lines.push(
      '>',
      `> answered **${s.decision.kind === 'confirm' ? (s.decision.answer ? 'yes' : 'no') : mdInline(valueText(s.decision.answer))}** by ${mdInline(s.decision.by)} (${mdInline(s.decision.via)}) at ${mdInline(when(s.decision.at))}; shown:`,
      '>',
      mdFence(s.decision.shown, 'text', '> '),
    );
  for (const block of stepEvidence(s)) lines.push('>', ...blockLines(block, '> '));
  return lines.join('\n');
}
