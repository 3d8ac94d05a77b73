/** The directives a draft inserts, written out: confirms, sql/http/shell steps, asserts, waits. */

export interface Unit {
  kind: string;
  id: string | null;
  text: string;
}

/** An attribute value, quoted when it has to be. */
export function attr(value: string): string {
  if (/^[^\s"'=<>`?{}]+$/.test(value)) return value;
  if (!value.includes('"')) return `"${value}"`;
  if (!value.includes("'")) return `'${value}'`;
  return `"${value.replaceAll('"', '&quot;')}"`;
}

/** A label: one line, no brackets or backslashes, `{{` as a literal. */
export function label(text: string, max = 140): string {
  let s = text
    .replace(/\s+/g, ' ')
    .replace(/[[\]]/g, (c) => (c === '[' ? '(' : ')'))
    .replace(/\\/g, '/')
    .trim();
  if (s.length > max) s = `${s.slice(0, max - 1).trimEnd()}…`;
  return s.replaceAll('{{', '\\{{');
}

/** A fence longer than any run of backticks in the body. */
export function fence(body: string): string {
  let longest = 2;
  for (const m of body.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  return '`'.repeat(longest + 1);
}

export function container(kind: string, id: string, attrs: string, lang: string, body: string): Unit {
  const f = fence(body);
  return {
    kind,
    id,
    text: `:::${kind}{#${id}${attrs === '' ? '' : ` ${attrs}`}}\n${f}${lang}\n${body.replace(/\n+$/, '')}\n${f}\n:::`,
  };
}

export function confirm(id: string, question: string, phrase: string | null, onDeclineSkip = true): Unit {
  const parts = [`#${id}`];
  if (phrase !== null) parts.push('danger', `phrase=${attr(phrase)}`);
  if (onDeclineSkip) parts.push('on-decline=skip');
  return { kind: 'confirm', id, text: `::confirm[${label(question)}]{${parts.join(' ')}}` };
}

export function leaf(kind: string, id: string | null, labelText: string | null, attrs: string[]): Unit {
  const head = labelText === null ? '' : `[${label(labelText)}]`;
  const all = id === null ? attrs : [`#${id}`, ...attrs];
  return { kind, id, text: `::${kind}${head}{${all.join(' ')}}` };
}

/** A phrase for a danger gate: a few plain words naming what changes. */
export function phrase(text: string): string {
  const words = text
    .toLowerCase()
    .replace(/[^a-z0-9_. /-]+/g, ' ')
    .split(/\s+/)
    .filter((w) => w !== '')
    .slice(0, 3);
  return words.length === 0 ? 'go ahead' : words.join(' ');
}
