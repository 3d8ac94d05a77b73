/** Placeholders in SQL (`'<plan_id>'`, `{id}`) → bind values; text is never spliced into the statement. */
import { lexSql } from '../sql/lexer.js';
import { escapeBraces, findPlaceholders, type Needs, valueTemplate } from './needs.js';

/** SQL with placeholders as bind values; null when one stands inside a string it does not fill. */
export function sqlPlaceholders(text: string, needs: Needs, line: number): string | null {
  const tokens = lexSql(text);
  let out = '';
  let cursor = 0;
  for (const t of tokens) {
    if (t.type === 'string') {
      const inner = t.text.replace(/^[EeNn]?'|'$/g, '');
      const found = findPlaceholders(inner, true);
      if (found.length === 1 && found[0]!.start === 0 && found[0]!.end === inner.length) {
        out += escapeBraces(text.slice(cursor, t.start));
        out += valueTemplate(found[0]!, needs, line);
        cursor = t.end;
      } else if (found.length > 0 || inner.includes('{{')) return null;
      continue;
    }
    if (t.type === 'comment' || t.type === 'quoted-ident') {
      if (t.text.includes('{{')) return null;
    }
  }
  const rest = text.slice(cursor);
  // Placeholders outside strings and comments.
  const opaque = (cursor === 0 ? tokens : lexSql(rest)).filter(
    (t) => t.type === 'string' || t.type === 'comment' || t.type === 'quoted-ident',
  );
  let result = '';
  let c = 0;
  for (const ph of findPlaceholders(rest, true)) {
    if (opaque.some((t) => ph.start < t.end && ph.end > t.start)) continue;
    if (ph.start < c) continue;
    result += escapeBraces(rest.slice(c, ph.start));
    result += valueTemplate(ph, needs, line);
    c = ph.end;
  }
  result += escapeBraces(rest.slice(c));
  return out + result;
}
