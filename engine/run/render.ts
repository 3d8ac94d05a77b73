/**
 * Templates with values: plain text (labels, headers), URL parts (each value URL-encoded), and SQL
 * (each value a bind parameter, never text). Shell scripts are not rendered here: their values go
 * through the environment (engine/shell/script.ts).
 */
import type { Expression, Template } from '../document/model.js';
import { scanTemplate } from '../expr/template.js';
import { bindPlaceholders } from '../sql/classify.js';
import type { RenderMode } from './context.js';
import { stringify } from '../expr/stringify.js';

export { stringify };

/** A placeholder in a command has no value: the step fails before anything runs. */
export class MissingValueError extends Error {
  constructor(
    readonly expression: Expression,
    why: string,
  ) {
    super(
      `\`{{ ${clipSource(expression.source)} }}\` has no value (${why}), so nothing was run; test it in the step's \`when\`, or give it a default: \`{{ ${clipSource(expression.source)} ?? '' }}\``,
    );
  }
}

function clipSource(source: string): string {
  const line = source.replace(/\s+/g, ' ').trim();
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}

export function renderTemplate(
  template: Template,
  evaluate: (e: Expression) => unknown,
  mode: RenderMode = 'text',
): string {
  let out = '';
  for (const part of template.parts) {
    if (part.type === 'text') out += part.text;
    else {
      const text = stringify(evaluate(part.expression));
      out += mode === 'url' ? encodeURIComponent(text) : text;
    }
  }
  return out;
}

export function bindTemplate(
  template: Template,
  evaluate: (e: Expression) => unknown,
  dialect: 'postgres' | 'sqlite',
): { text: string; params: unknown[] } {
  const slots = scanTemplate(template.source).slots;
  const expressions = template.parts.flatMap((p) => (p.type === 'expr' ? [p.expression] : []));
  const bound = bindPlaceholders(template.source, slots, dialect);
  const params = bound.params.map((i) => toParam(evaluate(expressions[i]!)));
  // Placeholders left in strings or comments stay as written (check warns about the former).
  return { text: bound.text.replaceAll('\\{{', '{{'), params };
}

function toParam(value: unknown): unknown {
  if (value === undefined) return null;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return JSON.stringify(value);
  return value;
}
