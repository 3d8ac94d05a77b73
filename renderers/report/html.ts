/**
 * The report as one self-contained HTML file: no script, no external asset, nothing fetched; a
 * Content-Security-Policy in the file itself (`default-src 'none'`, the one style sheet allowed by
 * its hash), so even an escape this code missed could not run. Every text from the transcript is
 * escaped (escape.ts: `& < > " '`), an HTML response body included: it shows as text, never as
 * markup. Outputs fold into `<details>`; failed steps are listed at the top, linked, and open.
 * Readable on screen and in print (where every `<details>` prints open).
 */
import { createHash } from 'node:crypto';
import { html as h } from './escape.js';
import { assertionParts, duration, MARKS, stepEvidence, valueText, when, type EvidenceBlock } from './evidence.js';
import type { ReportFormat } from './format.js';
import { isFailure, type ReportStep } from './model.js';
import { countsLine, passNote, ReportText, verificationWarning, verifyCommand, warningPlace } from './text.js';

const CSS = `
:root { color-scheme: light; --fail: #b00020; --pass: #1b5e20; --muted: #5f6368; --line: #dadce0; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #202124; }
h1 { font-size: 1.6rem; margin-bottom: .3rem; } h2 { border-bottom: 1px solid var(--line); padding-bottom: .2rem; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .3rem; }
table { border-collapse: collapse; margin: .5rem 0; font-size: .9rem; }
th, td { border: 1px solid var(--line); padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: #f1f3f4; }
td.num { text-align: right; }
pre { background: #f8f9fa; border: 1px solid var(--line); padding: .5rem; overflow-x: auto; white-space: pre-wrap; word-break: break-word; font-size: .85rem; }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
.status-passed { color: var(--pass); } .status-skipped, .status-not-run, .muted, .note { color: var(--muted); }
.status-failed, .status-timed-out, .status-cancelled, .status-interrupted { color: var(--fail); font-weight: bold; }
.step { border-left: 4px solid var(--line); padding-left: .8rem; margin: 1rem 0; }
.step.failure { border-left-color: var(--fail); background: #fdf3f4; }
.banner { border: 3px solid var(--fail); background: #fdecee; color: #5f0010; padding: .8rem 1rem; font-weight: bold; }
.failures { border: 2px solid var(--fail); padding: .5rem 1rem; }
.outcome-passed { color: var(--pass); } .outcome-failed, .outcome-interrupted, .outcome-declined, .outcome-blocked, .outcome-stopped, .outcome-invalid { color: var(--fail); }
details > summary { cursor: pointer; color: var(--muted); }
.fill { border: 1px dashed var(--line); padding: .5rem 1rem; color: var(--muted); }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  details::details-content { content-visibility: visible; display: block; }
  details > summary { list-style: none; }
  .step, tr { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
`;

const STYLE_HASH = createHash('sha256').update(CSS).digest('base64');

/** Nothing loads, nothing runs: only the style sheet above, by its hash. */
export const CONTENT_SECURITY_POLICY = `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; img-src 'none'; script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'`;

/** A step's anchor: its id with anything but letters, digits, `-` and `_` spelled out. */
export function anchor(id: string): string {
  return `step-${id.replace(/[^A-Za-z0-9_-]/g, (c) => `.${c.codePointAt(0)!.toString(16)}.`)}`;
}

export const html = {
  name: 'html',
  summary: 'one self-contained HTML file: no script, a strict CSP, outputs folded, failures linked at the top',
  extension: 'html',
  render(report): string {
    return html.build(report).text();
  },
  build(report) {
    const title = report.runbook.title || report.runbook.path || report.runId;
    const out = new ReportText();
    out.push(
      '<!DOCTYPE html>',
      '<html lang="en">',
      '<head>',
      '<meta charset="utf-8">',
      `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`,
      '<meta name="referrer" content="no-referrer">',
      '<meta name="viewport" content="width=device-width, initial-scale=1">',
      `<title>Incident report: ${h(title, false)}</title>`,
      `<style>${CSS}</style>`,
      '</head>',
      '<body>',
      `<h1>Incident report: ${h(title, false)}</h1>`,
    );
    const warning = verificationWarning(report);
    if (warning)
      out.push(`<p class="banner" id="unverified" role="alert">⚠ ${h(warning.headline)} ${h(warning.detail)}</p>`);
    const failures = report.steps.filter(isFailure);
    out.push(
      `<p class="outcome-${h(cssName(report.outcome))}"><strong>${h(report.outcome.toUpperCase())}</strong>${report.exitCode === null ? '' : ` (exit ${report.exitCode})`}: ${h(countsLine(report))}</p>`,
    );
    if (failures.length)
      out.push(
        '<nav class="failures" id="failures" aria-label="Failed steps">',
        `<strong>${failures.length} failed step${failures.length === 1 ? '' : 's'}:</strong>`,
        '<ul>',
        ...failures.map(
          (s) =>
            `<li><a href="#${anchor(s.id)}">${h(s.id)}</a> <span class="status-${cssName(s.status)}">${h(s.status)}</span>${s.error ? `: ${h(firstLine(s.error))}` : ''}</li>`,
        ),
        '</ul>',
        '</nav>',
      );
    // No style of its own: a new rule would change the style sheet's hash in every report's CSP.
    if (report.warnings.length)
      out.push(
        '<nav id="warnings" aria-label="Warnings">',
        `<strong>⚠ ${report.warnings.length} warning${report.warnings.length === 1 ? '' : 's'}:</strong>`,
        '<ul>',
        ...report.warnings.map(
          (w) =>
            `<li><a href="#${anchor(w.stepId)}">${h(w.stepId)}</a> (<code>${h(warningPlace(report, w))}</code>): ${h(w.text)}</li>`,
        ),
        '</ul>',
        '</nav>',
      );

    out.push('<h2 id="summary">Summary</h2>', '<table class="summary"><tbody>');
    const row = (name: string, value: string): void => {
      out.push(`<tr><th scope="row">${name}</th><td>${value}</td></tr>`);
    };
    row('Runbook', h(report.runbook.title || '(untitled)'));
    row('Path', `<code>${h(report.runbook.path)}</code>`);
    row('Runbook sha256', `<code>${h(report.runbook.sha256)}</code>`);
    row('Run id', `<code>${h(report.runId)}</code>`);
    row('Operators', h(report.operators.join(', ')));
    row('Started', h(when(report.start)));
    row('Ended', h(when(report.end)));
    row('Duration', h(duration(report.durationMs)));
    row('Outcome', `${h(report.outcome)}${report.exitCode === null ? '' : ` (exit ${report.exitCode})`}`);
    row('Host', h(report.host));
    row('Mode', h(`${report.mode}, stepwise ${report.engineVersion}`));
    if (report.profile !== undefined) row('Profile', h(report.profile));
    const inputs = Object.entries(report.inputs);
    if (inputs.length) row('Inputs', h(inputs.map(([k, v]) => `${k}=${valueText(v, 80)}`).join(', ')));
    for (const [name, t] of Object.entries(report.targets)) row(`Target ${h(name)}`, h(`${t.kind} ${t.location}`));
    out.push('</tbody></table>');

    out.push(
      '<h2 id="impact">Impact</h2>',
      '<div class="fill"><p>For the responders to fill in: who and what was affected, how badly, from when to when; root cause; resolution.</p></div>',
    );

    out.push(
      '<h2 id="timeline">Timeline</h2>',
      '<table class="timeline"><thead><tr><th>time (UTC)</th><th>seq</th><th>what happened</th></tr></thead><tbody>',
    );
    for (const e of report.timeline) {
      const text = e.stepId
        ? h(e.text).replace(h(e.stepId), `<a href="#${anchor(e.stepId)}">${h(e.stepId)}</a>`)
        : h(e.text);
      out.push(
        `<tr${e.status ? ` class="status-${cssName(e.status)}"` : ''}><td>${h(when(e.ts))}</td><td class="num">${e.seq}</td><td>${e.status ? `${MARKS[e.status] ?? ''} ` : ''}${text}</td></tr>`,
      );
    }
    out.push('</tbody></table>');

    out.push('<h2 id="decisions">Decisions</h2>');
    if (report.decisions.length === 0) out.push('<p>No gate was answered in this run.</p>');
    else {
      out.push(
        '<table><thead><tr><th>when (UTC)</th><th>step</th><th>shown</th><th>answer</th><th>by</th><th>via</th></tr></thead><tbody>',
      );
      for (const d of report.decisions)
        out.push(
          `<tr><td>${h(when(d.at))}</td><td><a href="#${anchor(d.stepId)}">${h(d.stepId)}</a></td><td>${h(d.shown)}</td><td>${h(d.kind === 'confirm' ? `${d.rerun ? 'run again: ' : ''}${d.answer ? 'yes' : 'no'}` : valueText(d.answer))}</td><td>${h(d.by)}</td><td>${h(d.via)}</td></tr>`,
        );
      out.push('</tbody></table>');
    }

    out.push(
      '<h2 id="steps">Steps</h2>',
      '<table><thead><tr><th>#</th><th>step</th><th>kind</th><th>status</th><th>started (UTC)</th><th>took</th><th>by</th></tr></thead><tbody>',
    );
    report.steps.forEach((s, i) => {
      out.push(
        `<tr><td class="num">${i + 1}</td><td>${s.status === 'not-run' ? h(s.id) : `<a href="#${anchor(s.id)}">${h(s.id)}</a>`}</td><td>${h(s.kind)}</td><td class="status-${cssName(s.status)}">${MARKS[s.status] ?? ''} ${h(s.status)}</td><td>${h(when(s.startedAt))}</td><td class="num">${s.ms === undefined ? '' : h(duration(s.ms))}</td><td>${h(s.by)}</td></tr>`,
      );
    });
    out.push('</tbody></table>');

    out.push('<h2 id="evidence">Evidence</h2>');
    for (const s of report.steps) if (s.status !== 'not-run') out.push(stepSection(s));

    out.push('<h2 id="assertions">Assertions</h2>');
    const asserts = report.steps.filter((s) => s.assertion);
    if (asserts.length === 0) out.push('<p>No assertion was evaluated.</p>');
    else {
      out.push(
        '<table><thead><tr><th>step</th><th>expression</th><th>expected</th><th>actual</th><th>outcome</th></tr></thead><tbody>',
      );
      for (const s of asserts) {
        const a = assertionParts(s)!;
        out.push(
          `<tr><td><a href="#${anchor(s.id)}">${h(s.id)}</a></td><td><code>${h(a.expression)}</code></td><td><code>${h(a.expected)}</code></td><td><code>${h(a.actual)}</code></td><td class="status-${s.assertion!.passed ? 'passed' : 'failed'}">${s.assertion!.passed ? '✓ holds' : '✗ does not hold'}</td></tr>`,
        );
      }
      out.push('</tbody></table>');
    }

    out.push('<h2 id="skipped">Skipped steps</h2>');
    const skipped = report.steps.filter((s) => s.status === 'skipped' || s.status === 'not-run');
    if (skipped.length === 0) out.push('<p>None.</p>');
    else {
      out.push('<table><thead><tr><th>step</th><th>kind</th><th>reason</th></tr></thead><tbody>');
      for (const s of skipped)
        out.push(`<tr><td>${h(s.id)}</td><td>${h(s.kind)}</td><td>${h(s.reason ?? '')}</td></tr>`);
      out.push('</tbody></table>');
    }

    out.push('<h2 id="interruptions">Interruptions and resumptions</h2>');
    const breaks = [
      ...report.interruptions.map((i) => ({
        seq: i.seq,
        line: `${h(when(i.at))} (seq ${i.seq}): interrupted: ${h(i.reason)}`,
      })),
      ...report.resumptions.map((r) => ({
        seq: r.seq,
        line: `${h(when(r.at))} (seq ${r.seq}): resumed by ${h(r.operator)} on ${h(r.host)} after seq ${r.afterSeq}${r.interrupted.length ? `; interrupted mid-step: ${h(r.interrupted.join(', '))}` : ''}${r.uncertain.length ? `; may have taken effect: ${h(r.uncertain.join(', '))}` : ''}`,
      })),
    ].sort((a, b) => a.seq - b.seq);
    out.push(
      breaks.length === 0
        ? '<p>None: the run went from start to end in one session.</p>'
        : `<ul>${breaks.map((b) => `<li>${b.line}</li>`).join('')}</ul>`,
    );

    if (report.notes.length) {
      out.push('<h2 id="notes">Notes from the run</h2><ul>');
      for (const n of report.notes)
        out.push(`<li>${h(when(n.at))} ${h(n.by)}${n.stepId ? ` (${h(n.stepId)})` : ''}: ${h(n.text)}</li>`);
      out.push('</ul>');
    }

    out.push(
      '<h2 id="follow-up">Follow-up actions</h2>',
      '<div class="fill"><p>For the responders to fill in.</p></div>',
      '<h2 id="transcript">Transcript</h2>',
      '<ul>',
      `<li>${report.events.length} events, run <code>${h(report.runId)}</code></li>`,
    );
    if (report.verification.ok) out.push(`<li>Final digest: <code>sha256:${h(report.verification.head)}</code></li>`);
    else
      out.push(
        `<li class="status-failed">Does not verify: broken at seq ${report.verification.seq}: ${h(report.verification.reason)}</li>`,
        `<li>The first ${report.verification.verifiedCount} events verify${report.verification.verifiedHead ? ` (up to <code>sha256:${h(report.verification.verifiedHead)}</code>)` : ''}</li>`,
      );
    for (const sig of report.signatures)
      out.push(`<li>Signed head at seq ${sig.signedSeq} with key <code>${h(sig.key)}</code></li>`);
    out.push(
      `<li>Check it: <code>${h(verifyCommand(report))}</code> (or <code>stepwise verify FILE.jsonl</code> on the exported transcript)</li>`,
      '</ul>',
      '</body>',
      '</html>',
      '',
    );
    return out;
  },
} satisfies ReportFormat;

function stepSection(s: ReportStep): string {
  const failure = isFailure(s);
  const label = s.label && s.label !== s.id ? `: ${h(s.label)}` : '';
  const parts = [
    `<section class="step${failure ? ' failure' : ''}" id="${anchor(s.id)}">`,
    `<h3><span class="status-${cssName(s.status)}">${MARKS[s.status] ?? ''}</span> ${h(s.id)}${label}</h3>`,
    `<p class="muted">${h(s.kind)} · <span class="status-${cssName(s.status)}">${h(s.status)}</span>${passNote(s) ? `, ${h(passNote(s))}` : ''}${s.ms === undefined ? '' : ` in ${h(duration(s.ms))}`} · by ${h(s.by)} · started ${h(when(s.startedAt))}, ended ${h(when(s.finishedAt))}${s.attempts > 1 ? ` · ${s.attempts} attempts` : ''}</p>`,
  ];
  if (s.reason) parts.push(`<p>Skipped: ${h(s.reason)}</p>`);
  if (s.warning !== undefined) parts.push(`<p><strong>⚠ Warning:</strong> ${h(s.warning)}</p>`);
  if (s.expectedFailure !== undefined) parts.push(`<p>Failed as expected: ${h(s.expectedFailure)}</p>`);
  if (s.decision)
    parts.push(
      `<p>Answered <strong>${h(s.decision.kind === 'confirm' ? (s.decision.answer ? 'yes' : 'no') : valueText(s.decision.answer))}</strong> by ${h(s.decision.by)} (${h(s.decision.via)}) at ${h(when(s.decision.at))}</p>`,
    );
  for (const block of stepEvidence(s)) parts.push(blockHtml(block, failure || block.title === 'error'));
  parts.push('</section>');
  return parts.join('\n');
}

function blockHtml(block: EvidenceBlock, open: boolean): string {
  switch (block.type) {
    case 'facts':
      return `<ul class="facts">${block.lines.map((l) => `<li>${h(l)}</li>`).join('')}</ul>`;
    case 'table':
      return `<details${open ? ' open' : ''}><summary>${h(block.title)} (${h(block.note)})</summary><table><thead><tr>${block.columns.map((c) => `<th>${h(c)}</th>`).join('')}</tr></thead><tbody>${block.rows.map((r) => `<tr>${r.map((c) => `<td>${h(c)}</td>`).join('')}</tr>`).join('')}</tbody></table></details>`;
    case 'text':
      return `<details${open ? ' open' : ''}><summary>${h(block.title)}${block.note ? ` (${h(block.note)})` : ''}</summary><pre>${h(block.text)}</pre></details>`;
  }
}

function cssName(text: string): string {
  return text.replace(/[^a-z-]/g, '');
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}
