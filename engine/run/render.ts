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
  const bound = boundText(template.source, dialect);
  if (bound.params.length === 0) return { text: bound.text, params: [] };
  const expressions = template.parts.flatMap((p) => (p.type === 'expr' ? [p.expression] : []));
  return { text: bound.text, params: bound.params.map((i) => toParam(evaluate(expressions[i]!))) };
}

/**
 * A SQL template's text with its placeholders as bind parameters, and which placeholder each
 * parameter is: it depends only on the source and the dialect, so it is worked out once for the
 * recent MAX_BOUND of them (a drill runs the same query hundreds of times, each lexed anew), if
 * no longer than MAX_BOUND_SOURCE (a long script is worked out each time, as before).
 */
const MAX_BOUND = 1024;
const MAX_BOUND_SOURCE = 4096;
const boundTexts = new Map<string, { text: string; params: readonly number[] }>();
function boundText(source: string, dialect: 'postgres' | 'sqlite'): { text: string; params: readonly number[] } {
  const key = `${dialect}\u0000${source}`;
  let bound = boundTexts.get(key);
  if (bound === undefined) {
    const { text, params } = bindPlaceholders(source, scanTemplate(source).slots, dialect);
    // Placeholders left in strings or comments stay as written (check warns about the former).
    bound = { text: text.replaceAll('\\{{', '{{'), params };
    if (source.length > MAX_BOUND_SOURCE) return bound;
    if (boundTexts.size >= MAX_BOUND) boundTexts.delete(boundTexts.keys().next().value!);
    boundTexts.set(key, bound);
  }
  return bound;
}

function toParam(value: unknown): unknown {
  if (value === undefined) return null;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return JSON.stringify(value);
  return value;
}
