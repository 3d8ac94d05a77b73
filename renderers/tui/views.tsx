/** The screen's parts: header, outline, step view, dialog box, footer. Each draws lines it was given or laid out. */
import { Box, Text } from 'ink';
import { createContext, useContext } from 'react';
import { visibleLine } from './escape.js';
import { cutLine, line, seg, type Style, type StyledLine } from './lines.js';
import type { Model } from './model.js';
import { MARK, markStyle, SPINNER } from './step-lines.js';

/** Whether colours are on (NO_COLOR turns them off; bold, dim and inverse stay). */
export const ColorContext = createContext(true);

function props(style: Style | undefined, color: boolean) {
  if (!style) return {};
  return {
    ...(style.bold ? { bold: true } : {}),
    ...(style.dim ? { dimColor: true } : {}),
    ...(style.italic ? { italic: true } : {}),
    ...(style.underline ? { underline: true } : {}),
    ...(style.inverse ? { inverse: true } : {}),
    ...(color && style.color ? { color: style.color } : {}),
  };
}

/** Exactly `height` rows: the lines given (cut to it), then blank rows. */
export function Lines({ lines, height, width }: { lines: StyledLine[]; height: number; width: number }) {
  const color = useContext(ColorContext);
  const rows = lines.slice(0, Math.max(0, height));
  return (
    <Box flexDirection="column" height={Math.max(0, height)} width={width} overflow="hidden">
      {rows.map((l, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows are positions on the screen
        <Text key={i} wrap="truncate-end">
          {l.length === 0 || l.every((s) => s.text === '')
            ? ' '
            : l.map((s, j) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: segments are positions in a row
                <Text key={j} {...props(s.style, color)}>
                  {s.text}
                </Text>
              ))}
        </Text>
      ))}
    </Box>
  );
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

export function Rule({ width }: { width: number }) {
  return <Lines lines={[line('─'.repeat(width), { dim: true })]} height={1} width={width} />;
}
