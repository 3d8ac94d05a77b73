/**
 * The screen's header and outline as lines, and the first frame drawn from them without Ink:
 * `run` draws it as soon as the runbook is checked, while Ink and React load (they take longer
 * than the runbook to read); Ink's first frame then replaces it. Nothing here loads Ink or React.
 */
import { visibleLine } from './escape.js';
import { cutLine, seg, type Style, type StyledLine } from './lines.js';
import type { Model } from './model.js';

export const MARK: Record<string, string> = {
  pending: '·',
  running: '⠋',
  waiting: '?',
  passed: '✓',
  failed: '✗',
  skipped: '-',
  'timed-out': '⏱',
  cancelled: '⊘',
  interrupted: '↯',
};
export const SPINNER = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';

export function markStyle(mark: string): Style | undefined {
  if (mark === 'passed') return { color: 'green' };
  if (mark === 'failed' || mark === 'timed-out' || mark === 'interrupted' || mark === 'cancelled')
    return { color: 'red', bold: true };
  if (mark === 'waiting') return { color: 'yellow', bold: true };
  if (mark === 'running') return { color: 'cyan' };
  if (mark === 'skipped' || mark === 'pending') return { dim: true };
  return undefined;
}

export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(sec).padStart(2, '0')}s`;
}

export function headerLines(model: Model, width: number, now: number, readOnly: boolean): StyledLine[] {
  const run = model.run;
  const elapsed =
    run.since !== undefined ? formatElapsed((run.finished ? run.since + run.finished.ms : now) - run.since) : '';
  const right = `${readOnly ? 'following · read-only · ' : ''}${elapsed}`;
  const title = visibleLine(run.title || model.document.path);
  const room = Math.max(10, width - right.length - 2);
  const first = cutLine([seg(title, { bold: true })], room);
  const used = first.reduce((n, s) => n + s.text.length, 0);
  const pad = Math.max(1, width - right.length - Math.min(used, room));
  return [
    [...first, seg(' '.repeat(pad)), seg(right, { dim: true })],
    cutLine(
      [
        seg(`run ${visibleLine(run.runId || '(starting)')}`, { dim: true }),
        seg(` · ${visibleLine(run.operator)}`, { dim: true }),
        ...(run.profile ? [seg(' · profile ', { dim: true }), seg(visibleLine(run.profile), { bold: true })] : []),
        ...(run.targets ? [seg(` · ${visibleLine(run.targets)}`, { dim: true })] : []),
      ],
      width,
    ),
  ];
}

/** The outline: sections and steps with their marks; `height` rows around the viewed step. */
export function outlineLines(
  model: Model,
  viewed: string | undefined,
  width: number,
  height: number,
  frame: number,
): StyledLine[] {
  const rows: StyledLine[] = [];
  let at = 0;
  for (const row of model.outline) {
    if (row.type === 'section') {
      rows.push(
        cutLine(
          [seg(`${'  '.repeat(Math.max(0, row.depth - 2))}${visibleLine(row.title)}`, { bold: true, dim: true })],
          width,
        ),
      );
      continue;
    }
    const s = model.steps.get(row.id)!;
    const mark = s.mark === 'running' ? SPINNER[frame % SPINNER.length]! : (MARK[s.mark] ?? '?');
    const here = row.id === viewed;
    const current = row.id === model.current;
    if (here) at = rows.length;
    rows.push(
      cutLine(
        [
          seg(current ? '▶' : ' ', current ? { bold: true } : undefined),
          seg(`${mark} `, markStyle(s.mark)),
          seg(
            visibleLine(row.id),
            here ? { inverse: true } : s.mark === 'pending' ? undefined : { bold: s.mark === 'waiting' },
          ),
          seg(` ${s.kind}`, { dim: true }),
        ],
        width,
      ),
    );
  }
  if (rows.length <= height) return rows;
  const start = Math.max(0, Math.min(at - Math.floor(height / 3), rows.length - height));
  return rows.slice(start, start + height);
}

const SGR_COLOR: Record<string, string> = { red: '31', green: '32', yellow: '33', blue: '34', cyan: '36' };

/** A line as terminal text: its segments' styles as SGR codes (colours only when `color`). */
function ansiLine(l: StyledLine, color: boolean): string {
  return l
    .map(({ text, style }) => {
      const codes = sgrCodes(style, color);
      return codes ? `\u001b[${codes}m${text}\u001b[0m` : text;
    })
    .join('');
}

function sgrCodes(style: Style | undefined, color: boolean): string {
  if (!style) return '';
  const codes = [
    style.bold ? '1' : '',
    style.dim ? '2' : '',
    style.italic ? '3' : '',
    style.underline ? '4' : '',
    style.inverse ? '7' : '',
    color && style.color ? (SGR_COLOR[style.color] ?? '') : '',
  ].filter(Boolean);
  return codes.join(';');
}

/**
 * The first frame, as the bytes to write: the alternate screen, the header, the outline and a line
 * saying what is still loading. Every text in it went through visibleLine (escape.ts).
 */
export function firstFrame(model: Model, columns: number, rows: number, color: boolean, progress: string): string {
  const header = headerLines(model, columns, Date.now(), false);
  const outline = outlineLines(model, undefined, Math.min(columns, 80), Math.max(1, rows - header.length - 3), 0);
  const lines = [...header, [seg('─'.repeat(columns), { dim: true })], ...outline];
  const body = lines.map((l) => ansiLine(l, color));
  while (body.length < rows - 2) body.push('');
  body.push(ansiLine(cutLine([seg(progress, { dim: true })], columns), color));
  return `\u001b[?1049h\u001b[H\u001b[2J${body.join('\r\n')}`;
}
