/**
 * The parts of a request as templates: variables as `{{ env.X }}`, credentials as declared secrets
 * (never literals), placeholders as inputs.
 */
import { findPlaceholders, type Needs, SECRETISH, secretName, templatize } from './needs.js';
import { literal, type Word } from './shell-lines.js';

/** A word (with variables) as an HTTP template; null when it holds a command substitution. */
export function wordTemplate(word: Word, needs: Needs, line: number, braces: boolean): string | null {
  let out = '';
  for (const p of word) {
    if ('lit' in p) out += templatize(p.lit, needs, line, braces);
    else if ('variable' in p) out += variableTemplate(p.variable, needs, false);
    else return null;
  }
  return out;
}

export function variableTemplate(name: string, needs: Needs, secret: boolean): string {
  if (secret || SECRETISH.test(name)) {
    const s = secretName(name);
    needs.secrets.add(s);
    return `{{ secrets.${s} }}`;
  }
  needs.env.add(name);
  return `{{ env.${name} }}`;
}

const SECRET_HEADER = /^(authorization|proxy-authorization|cookie|x-api-key|api-key|apikey)$|-(token|secret|key)$/i;

/** A header value: credentials become declared secrets, never literals. */
export function headerValue(name: string, value: Word, needs: Needs, line: number): string | null {
  if (!SECRET_HEADER.test(name)) return wordTemplate(value, needs, line, true);
  const scheme =
    value[0] !== undefined && 'lit' in value[0] ? /^(Bearer|Token|Basic|Bot)\s+/i.exec(value[0].lit) : null;
  const prefix = scheme?.[0] ?? '';
  const rest: Word = scheme
    ? [{ lit: (value[0] as { lit: string }).lit.slice(prefix.length) }, ...value.slice(1)]
    : value;
  const cleaned = rest.filter((p) => !('lit' in p) || p.lit !== '');
  if (cleaned.length === 1 && 'variable' in cleaned[0]!)
    return `${prefix}${variableTemplate(cleaned[0].variable, needs, true)}`;
  const text = literal(cleaned);
  if (text === null) return null;
  const placeholder = findPlaceholders(text, true);
  const fromName =
    placeholder.length === 1 && placeholder[0]!.start === 0 && placeholder[0]!.end === text.length
      ? secretName(text.replace(/^<|>$|^\{|\}$/g, '').replace(/^your[-_]/i, ''))
      : secretName(name === 'Authorization' || /^authorization$/i.test(name) ? 'API_TOKEN' : name);
  needs.secrets.add(fromName);
  return `${prefix}{{ secrets.${fromName} }}`;
}
