/**
 * Builds Template and Expression values from text that stands somewhere in the runbook,
 * mapping offsets in the text back to source positions (for diagnostics at file:line:col).
 */
import { scanTemplate } from '../expr/template.js';
import type { Diagnostic } from './diagnostic.js';
import type { Expression, Template, TemplatePart } from './model.js';
import type { SourceMap } from './position.js';

/** Maps an offset in a piece of text to an offset in the runbook source. */
export type OffsetMap = (offset: number) => number;

export const shifted =
  (start: number): OffsetMap =>
  (offset) =>
    start + offset;

/**
 * For a fenced code block's value: remark strips the fence's indentation from each line, so map
 * line by line. `firstLine` is the 1-based source line of the value's first line.
 */
export function linesFrom(map: SourceMap, text: string, firstLine: number, indent: number): OffsetMap {
  const lineOffsets = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineOffsets.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = lineOffsets.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineOffsets[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return map.lineStart(firstLine + lo) + indent + (offset - lineOffsets[lo]!);
  };
}

export function makeTemplate(
  text: string,
  at: OffsetMap,
  map: SourceMap,
  diagnostics: Diagnostic[],
  file?: string,
): Template {
  const span = map.span(at(0), at(text.length));
  if (!text.includes('{{')) return { source: text, span, parts: text === '' ? [] : [{ type: 'text', text }] };
  const scan = scanTemplate(text);
  for (const error of scan.errors) {
    const diagnostic: Diagnostic = {
      severity: 'error',
      rule: 'expression-syntax',
      message: error.message,
      span: map.span(at(error.offset), at(error.offset)),
      hint: 'placeholders are {{ javascript expression }}; write \\{{ for literal braces',
    };
    if (file !== undefined) diagnostic.file = file;
    diagnostics.push(diagnostic);
  }
  const parts: TemplatePart[] = [];
  let cursor = 0;
  const pushText = (end: number): void => {
    if (end > cursor) parts.push({ type: 'text', text: text.slice(cursor, end).replaceAll('\\{{', '{{') });
  };
  for (const slot of scan.slots) {
    pushText(slot.start);
    parts.push({
      type: 'expr',
      expression: { source: slot.source, span: map.span(at(slot.exprStart), at(slot.exprStart + slot.source.length)) },
    });
    cursor = slot.end;
  }
  pushText(text.length);
  return { source: text, span, parts };
}

export function makeExpression(text: string, at: OffsetMap, map: SourceMap): Expression {
  return { source: text, span: map.span(at(0), at(text.length)) };
}

/** The expressions inside a template, in order. */
export function templateExpressions(template: Template): Expression[] {
  const out: Expression[] = [];
  for (const part of template.parts) if (part.type === 'expr') out.push(part.expression);
  return out;
}
