/**
 * The UI draws lines it laid out itself: each a list of styled segments, already cut to the
 * width, so every view knows its height and the screen fits 80×24 exactly. Segment text is
 * always inert (see escape.ts); styles are the only escape sequences the UI sends, through Ink.
 */
import { cutToWidth } from '../table.js';
import { displayWidth, graphemes } from '../width.js';
import { visible } from './escape.js';

export interface Style {
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  inverse?: boolean;
  color?: 'red' | 'green' | 'yellow' | 'cyan' | 'magenta' | 'blue' | 'gray';
}

export interface Segment {
  text: string;
  style?: Style;
}

export type StyledLine = Segment[];

export const seg = (text: string, style?: Style): Segment => (style ? { text, style } : { text });
export const line = (text: string, style?: Style): StyledLine => [seg(text, style)];

export function lineWidth(l: StyledLine): number {
  let w = 0;
  for (const s of l) w += displayWidth(s.text);
  return w;
}

/** A line cut to `width` cells (with `…` where it was cut). */
export function cutLine(l: StyledLine, width: number): StyledLine {
  if (lineWidth(l) <= width) return l;
  const out: StyledLine = [];
  let used = 0;
  for (const s of l) {
    const w = displayWidth(s.text);
    if (used + w <= width - 1) {
      out.push(s);
      used += w;
      continue;
    }
    const room = width - used;
    if (room > 0) out.push({ ...s, text: cutToWidth(s.text, room) });
    else if (out.length > 0) {
      const last = out[out.length - 1]!;
      out[out.length - 1] = { ...last, text: cutToWidth(last.text, displayWidth(last.text)) };
    }
    break;
  }
  return out;
}

/** Wraps styled segments to `width` cells, at spaces where it can; `indent` starts continuation lines. */
export function wrapSegments(segments: Segment[], width: number, indent = ''): StyledLine[] {
  const lines: StyledLine[] = [];
  let current: StyledLine = [];
  let used = 0;
  const push = (): void => {
    lines.push(current);
    current = indent ? [seg(indent)] : [];
    used = displayWidth(indent);
  };
  const room = Math.max(10, width);
  for (const s of segments) {
    // Words with the spaces after them; a word wider than the line is split by graphemes.
    for (const word of s.text.split(/(?<= )/)) {
      const w = displayWidth(word);
      if (used + displayWidth(word.trimEnd()) > room && used > displayWidth(indent)) push();
      if (w > room) {
        let piece = '';
        let pw = 0;
        for (const { segment } of graphemes(word)) {
          const gw = displayWidth(segment);
          if (used + pw + gw > room) {
            current.push({ ...s, text: piece });
            piece = '';
            pw = 0;
            push();
          }
          piece += segment;
          pw += gw;
        }
        if (piece) {
          current.push({ ...s, text: piece });
          used += pw;
        }
        continue;
      }
      current.push({ ...s, text: word });
      used += w;
    }
  }
  if (current.length > 0 && !(current.length === 1 && current[0]!.text === indent)) lines.push(current);
  return lines.length > 0 ? lines : [[]];
}

/** Untrusted multi-line text as plain lines, control characters shown as escapes, each cut to the width. */
export function textBlock(text: string, width: number, style?: Style, indent = ''): StyledLine[] {
  return visible(text)
    .split('\n')
    .map((l) => cutLine([seg(indent + l, style)], width));
}
