/** An "Expected:" block after a request → an assert on the status and the JSON fields it shows. */

/** An "Expected" block → an assertion on the status and the JSON fields it shows. */
export function expectation(text: string, id: string): { that: string; says: string } | null {
  const status = /^\s*(?:HTTP\/[\d.]+\s+)?(\d{3})\b/.exec(text.trim());
  if (status && !text.trim().startsWith('{')) {
    return { that: `${id}.status == ${status[1]}`, says: `status ${status[1]}` };
  }
  const json = looseJson(text);
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return null;
  const terms: string[] = [];
  const says: string[] = [];
  for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
    if (!/^[A-Za-z_$][\w$]*$/.test(key)) continue;
    if (
      /time|date|_at$|At$|version|^id$|_id$|Id$|uptime|count|total|latency|duration|url|hash|sha|commit|tokens|rate/i.test(
        key,
      )
    )
      continue;
    if (typeof value === 'boolean') {
      terms.push(`${id}.json.${key} == ${value}`);
      says.push(`${key} ${value}`);
    } else if (
      typeof value === 'string' &&
      /^[A-Za-z][\w -]{0,30}$/.test(value) &&
      !/^\d|^[0-9a-f-]{16,}$/i.test(value)
    ) {
      terms.push(`${id}.json.${key} == ${JSON.stringify(value)}`);
      says.push(`${key} ${value}`);
    }
    if (terms.length === 3) break;
  }
  if (terms.length === 0) return null;
  return { that: terms.join(' && '), says: says.join(', ') };
}

/** JSON as runbooks show it: with `#` and `//` comments and trailing commas. */
function looseJson(text: string): unknown {
  const cleaned = text
    .split('\n')
    .map((l) => {
      let inString = false;
      for (let i = 0; i < l.length; i++) {
        const c = l[i]!;
        if (c === '\\') i++;
        else if (c === '"') inString = !inString;
        else if (!inString && (c === '#' || (c === '/' && l[i + 1] === '/'))) return l.slice(0, i);
      }
      return l;
    })
    .join('\n')
    .replace(/,(\s*[}\]])/g, '$1')
    .trim();
  try {
    return JSON.parse(cleaned);
  } catch {
    return null;
  }
}
