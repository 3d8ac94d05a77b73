/**
 * Finds `{{ expr }}` placeholders in text. The end of each placeholder is found by parsing the
 * expression with acorn, so `{{ rows.map(r => ({ id: r.id })) }}` and `{{ "}}" }}` work.
 * `\{{` is a literal `{{`. Never throws; problems come back as errors with offsets.
 */
import { parseExpressionAt } from 'acorn';

export interface TemplateSlot {
  /** Offset of the opening `{{`. */
  start: number;
  /** Offset just after the closing `}}`. */
  end: number;
  /** Offset of the expression's first non-space character. */
  exprStart: number;
  /** The expression text, trimmed. */
  source: string;
}

export interface ExprError {
  message: string;
  offset: number;
}

export interface TemplateScan {
  slots: TemplateSlot[];
  errors: ExprError[];
}

export function hasPlaceholder(text: string): boolean {
  let i = text.indexOf('{{');
  while (i !== -1) {
    if (i === 0 || text[i - 1] !== '\\') return true;
    i = text.indexOf('{{', i + 2);
  }
  return false;
}

export function scanTemplate(text: string): TemplateScan {
  const slots: TemplateSlot[] = [];
  const errors: ExprError[] = [];
  let from = 0;
  for (;;) {
    const open = text.indexOf('{{', from);
    if (open === -1) break;
    if (open > 0 && text[open - 1] === '\\') {
      from = open + 2;
      continue;
    }
    const inner = open + 2;
    let exprStart = inner;
    while (exprStart < text.length && isSpace(text.charCodeAt(exprStart))) exprStart++;
    if (text.startsWith('}}', exprStart)) {
      errors.push({ message: 'empty placeholder: put an expression between {{ and }}', offset: open });
      from = exprStart + 2;
      continue;
    }
    const close = text.indexOf('}}', inner);
    if (close === -1) {
      errors.push({ message: 'unterminated placeholder: `{{` has no closing `}}`', offset: open });
      break;
    }
    const parsed = parseAt(text, exprStart);
    if (!parsed.ok) {
      errors.push({ message: parsed.message, offset: Math.min(parsed.offset, close) });
      from = close + 2;
      continue;
    }
    let after = parsed.end;
    while (after < text.length && isSpace(text.charCodeAt(after))) after++;
    if (!text.startsWith('}}', after)) {
      errors.push({ message: 'expected `}}` after the expression', offset: after });
      const resync = text.indexOf('}}', after);
      if (resync === -1) break;
      from = resync + 2;
      continue;
    }
    slots.push({ start: open, end: after + 2, exprStart, source: text.slice(exprStart, parsed.end).trim() });
    from = after + 2;
  }
  return { slots, errors };
}

type Parsed = { ok: true; end: number } | { ok: false; message: string; offset: number };

function parseAt(text: string, at: number): Parsed {
  try {
    // acorn counts the lines before its start position, so parse a slice (O(1) in V8), not at an offset.
    const node = parseExpressionAt(text.slice(at), 0, { ecmaVersion: 'latest', preserveParens: true, allowAwaitOutsideFunction: true });
    return { ok: true, end: at + node.end };
  } catch (error) {
    const e = error as SyntaxError & { pos?: number };
    return { ok: false, message: cleanMessage(e.message), offset: typeof e.pos === 'number' ? at + e.pos : at };
  }
}

/** acorn ends messages with ` (line:column)`, which means nothing to a runbook author. */
export function cleanMessage(message: string): string {
  return message.replace(/\s*\(\d+:\d+\)$/, '');
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}
