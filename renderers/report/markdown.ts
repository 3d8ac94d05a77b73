/**
 * An incident report in Markdown, shaped like the incident template teams already keep: summary,
 * impact (for people to fill), timeline, decisions, evidence, assertions, skipped steps,
 * interruptions and resumptions, follow-up actions (for people to fill), and the transcript's
 * final digest with the command that checks it. Text from the transcript is escaped inline
 * (escape.ts) or fenced, so it cannot start a heading, a link, an image or raw HTML.
 */
import { mdCell, mdFence, mdInline } from './escape.js';
import { assertionParts, duration, MARKS, stepEvidence, valueText, when, type EvidenceBlock } from './evidence.js';
import type { ReportFormat } from './format.js';
import { isFailure, type ReportStep } from './model.js';
import { countsLine, passNote, ReportText, verificationWarning, verifyCommand, warningPlace } from './text.js';

export const md = {
  name: 'md',
  summary: 'an incident report in Markdown (summary, timeline, decisions, evidence, digest)',
  extension: 'md',
  render(report): string {
    return md.build(report).text();
  },
  build(report) {
    const out = new ReportText();
    const title = report.runbook.title || report.runbook.path || report.runId;
    out.push(`# Incident report: ${mdInline(title)}`, '');
    const warning = verificationWarning(report);
    if (warning) out.push('> [!CAUTION]', `> **${mdInline(warning.headline)}** ${mdInline(warning.detail)}`, '');

    out.push('## Summary', '', '| | |', '|---|---|');
    const row = (name: string, value: string): void => {
      out.push(`| ${name} | ${value} |`);
    };
    row('Runbook', mdCell(report.runbook.title || '(untitled)'));
    row('Path', mdCell(report.runbook.path));
    row('Runbook sha256', mdCell(report.runbook.sha256));
    row('Run id', mdCell(report.runId));
    row('Operators', mdCell(report.operators.join(', ')));
    row('Started', mdCell(when(report.start)));
    row('Ended', mdCell(when(report.end)));
    row('Duration', mdCell(duration(report.durationMs)));
    row(
      'Outcome',
      `**${mdCell(report.outcome.toUpperCase())}**${report.exitCode === null ? '' : ` (exit ${report.exitCode})`}: ${mdCell(countsLine(report))}`,
    );
    row('Host', mdCell(report.host));
    row('Mode', mdCell(`${report.mode}, stepwise ${report.engineVersion}`));
    if (report.profile !== undefined) row('Profile', mdCell(report.profile));
    const inputs = Object.entries(report.inputs);
    if (inputs.length) row('Inputs', mdCell(inputs.map(([k, v]) => `${k}=${valueText(v, 80)}`).join(', ')));
    for (const [name, t] of Object.entries(report.targets))
      row(`Target ${mdCell(name)}`, mdCell(`${t.kind} ${t.location}`));
    out.push('');
    const failures = report.steps.filter(isFailure);
    if (failures.length) {
      out.push(`**Failed steps:** ${failures.map((s) => `${mdInline(s.id)} (${mdInline(s.status)})`).join(', ')}`, '');
    }
    if (report.warnings.length) {
      out.push('**Warnings:**', '');
      for (const w of report.warnings)
        out.push(`- ${mdInline(w.stepId)} (${mdInline(warningPlace(report, w))}): ${mdInline(w.text)}`);
      out.push('');
    }

    out.push(
      '## Impact',
      '',
      '_For the responders to fill in: who and what was affected, how badly, from when to when._',
      '',
      '- Severity:',
      '- Users affected:',
      '- Root cause:',
      '- Resolution:',
      '',
    );

    out.push('## Timeline', '', '| time (UTC) | seq | what happened |', '|---|---:|---|');
    for (const entry of report.timeline) {
      const mark = entry.status ? `${MARKS[entry.status] ?? ''} ` : '';
      out.push(`| ${mdCell(when(entry.ts))} | ${entry.seq} | ${mark}${mdCell(entry.text, 400)} |`);
    }
    out.push('');

    out.push('## Decisions', '');
    if (report.decisions.length === 0) out.push('No gate was answered in this run.', '');
    else {
      out.push('| when (UTC) | step | shown | answer | by | via |', '|---|---|---|---|---|---|');
      for (const d of report.decisions)
        out.push(
          `| ${mdCell(when(d.at))} | ${mdCell(d.stepId)} | ${mdCell(d.shown, 400)} | ${mdCell(d.kind === 'confirm' ? `${d.rerun ? 'run again: ' : ''}${d.answer ? 'yes' : 'no'}` : valueText(d.answer))} | ${mdCell(d.by)} | ${mdCell(d.via)} |`,
        );
      out.push('');
    }

    out.push(
      '## Steps',
      '',
      '| # | step | kind | status | started (UTC) | took | by |',
      '|---:|---|---|---|---|---:|---|',
    );
    report.steps.forEach((s, i) => {
      out.push(
        `| ${i + 1} | ${mdCell(s.id)} | ${mdCell(s.kind)} | ${s.warning !== undefined ? '⚠' : (MARKS[s.status] ?? '')} ${mdCell(s.status)}${passNote(s) ? `, ${passNote(s)}` : ''} | ${mdCell(when(s.startedAt))} | ${s.ms === undefined ? '' : mdCell(duration(s.ms))} | ${mdCell(s.by)} |`,
      );
    });
    out.push('');

    out.push('## Evidence', '');
    for (const s of report.steps) {
      if (s.status === 'not-run') continue;
      stepSection(s, out);
    }

    out.push('## Assertions', '');
    const asserts = report.steps.filter((s) => s.assertion);
    if (asserts.length === 0) out.push('No assertion was evaluated.', '');
    else {
      out.push('| step | expression | expected | actual | outcome |', '|---|---|---|---|---|');
      for (const s of asserts) {
        const a = assertionParts(s)!;
        out.push(
          `| ${mdCell(s.id)} | ${mdCell(a.expression)} | ${mdCell(a.expected)} | ${mdCell(a.actual)} | ${s.assertion!.passed ? '✓ holds' : s.warning !== undefined ? '⚠ does not hold (a warning)' : '✗ **does not hold**'} |`,
        );
      }
      out.push('');
    }

    out.push('## Skipped steps', '');
    const skipped = report.steps.filter((s) => s.status === 'skipped' || s.status === 'not-run');
    if (skipped.length === 0) out.push('None.', '');
    else {
      out.push('| step | kind | reason |', '|---|---|---|');
      for (const s of skipped) out.push(`| ${mdCell(s.id)} | ${mdCell(s.kind)} | ${mdCell(s.reason ?? '', 400)} |`);
      out.push('');
    }

    out.push('## Interruptions and resumptions', '');
    const breaks = [
      ...report.interruptions.map((i) => ({
        seq: i.seq,
        line: `- ${mdInline(when(i.at))} (seq ${i.seq}): interrupted: ${mdInline(i.reason)}`,
      })),
      ...report.resumptions.map((r) => ({
        seq: r.seq,
        line: `- ${mdInline(when(r.at))} (seq ${r.seq}): resumed by ${mdInline(r.operator)} on ${mdInline(r.host)} after seq ${r.afterSeq}${r.interrupted.length ? `; interrupted mid-step: ${mdInline(r.interrupted.join(', '))}` : ''}${r.uncertain.length ? `; may have taken effect: ${mdInline(r.uncertain.join(', '))}` : ''}`,
      })),
    ].sort((a, b) => a.seq - b.seq);
    if (breaks.length === 0) out.push('None: the run went from start to end in one session.', '');
    else out.push(...breaks.map((b) => b.line), '');

    if (report.notes.length) {
      out.push('## Notes from the run', '');
      for (const n of report.notes)
        out.push(
          `- ${mdInline(when(n.at))} ${mdInline(n.by)}${n.stepId ? ` (${mdInline(n.stepId)})` : ''}: ${mdInline(n.text)}`,
        );
      out.push('');
    }

    out.push(
      '## Follow-up actions',
      '',
      '_For the responders to fill in._',
      '',
      '- [ ] ',
      '',
      '## Lessons learned',
      '',
      '_For the responders to fill in._',
      '',
    );

    out.push('## Transcript', '');
    out.push(`- ${report.events.length} events, run ${mdInline(report.runId)}`);
    if (report.verification.ok) out.push(`- Final digest: sha256:${mdInline(report.verification.head)}`);
    else
      out.push(
        `- **Does not verify**: broken at seq ${report.verification.seq}: ${mdInline(report.verification.reason)}`,
        `- The first ${report.verification.verifiedCount} events verify${report.verification.verifiedHead ? ` (up to sha256:${mdInline(report.verification.verifiedHead)})` : ''}`,
      );
    for (const sig of report.signatures)
      out.push(`- Signed head at seq ${sig.signedSeq} with key ${mdInline(sig.key)}`);
    out.push(
      `- Check it: \`${verifyCommand(report).replace(/`/g, "'")}\` (or \`stepwise verify FILE.jsonl\` on the exported transcript${report.signatures.length ? ', with --public-key for its signed heads' : ''})`,
      '',
    );
    out.push('');
    return out;
  },
} satisfies ReportFormat;

function stepSection(s: ReportStep, out: ReportText): void {
  const label = s.label && s.label !== s.id ? `: ${mdInline(s.label, 200)}` : '';
  out.push(
    `### ${MARKS[s.status] ?? ''} ${mdInline(s.id)}${label}`,
    '',
    `${mdInline(s.kind)} · **${mdInline(s.status)}**${s.ms === undefined ? '' : ` in ${mdInline(duration(s.ms))}`} · by ${mdInline(s.by)} · started ${mdInline(when(s.startedAt))}, ended ${mdInline(when(s.finishedAt))}${s.attempts > 1 ? ` · ${s.attempts} attempts` : ''}`,
    '',
  );
  if (s.reason) out.push(`Skipped: ${mdInline(s.reason)}`, '');
  if (s.warning !== undefined) out.push(`Warning: ${mdInline(s.warning)}`, '');
  if (s.expectedFailure !== undefined) out.push(`Failed as expected: ${mdInline(s.expectedFailure)}`, '');
  if (s.decision)
    out.push(
      `Answered ${s.decision.kind === 'confirm' ? (s.decision.answer ? 'yes' : 'no') : mdInline(valueText(s.decision.answer))} by ${mdInline(s.decision.by)} (${mdInline(s.decision.via)}) at ${mdInline(when(s.decision.at))}`,
      '',
    );
  for (const block of stepEvidence(s)) out.push(...blockLines(block), '');
}

/** One evidence block as Markdown lines: a table, a fenced text, or a short list. */
export function blockLines(block: EvidenceBlock, indent = ''): string[] {
  const p = (line: string): string => `${indent}${line}`.trimEnd();
  switch (block.type) {
    case 'table':
      return [
        p(`**${mdInline(block.title)}** (${mdInline(block.note)})`),
        p(''),
        p(`| ${block.columns.map((c) => mdCell(c)).join(' | ')} |`),
        p(`|${block.columns.map(() => '---').join('|')}|`),
        ...block.rows.map((r) => p(`| ${r.map((c) => mdCell(c)).join(' | ')} |`)),
      ];
    case 'text':
      return [
        p(`**${mdInline(block.title)}**${block.note ? ` (${mdInline(block.note)})` : ''}`),
        p(''),
        mdFence(block.text, block.language, indent),
      ];
    case 'facts':
      return [p(`**${mdInline(block.title)}**`), p(''), ...block.lines.map((l) => p(`- ${mdInline(l)}`))];
  }
}
