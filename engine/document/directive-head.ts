/**
 * Where the parts of a directive's opening line stand in the source: the name, the `[label]`
 * and each `{attribute}`. remark-directive gives the values but no positions for them; this
 * scan follows the same grammar so that diagnostics can point at the attribute itself.
 */

export interface AttributeSite {
  /** `id` for `#x`, `class` for `.x`, else the written name. */
  name: string;
  nameStart: number;
  nameEnd: number;
  valueStart: number;
  valueEnd: number;
}

export interface DirectiveHead {
  label: { start: number; end: number } | null;
  attributes: AttributeSite[];
  /** Offset just after the head (after `]` or `}`), i.e. where a container's content may start. */
  end: number;
}

const NAME_CHAR = /[\w-]/;

export function scanDirectiveHead(source: string, start: number): DirectiveHead {
  let i = start;
  while (source[i] === ':') i++;
  while (i < source.length && NAME_CHAR.test(source[i]!)) i++;
  let label: DirectiveHead['label'] = null;
  if (source[i] === '[') {
    const close = matchBracket(source, i);
    label = { start: i + 1, end: close };
    i = close + 1;
  }
  const attributes: AttributeSite[] = [];
  if (source[i] === '{') i = scanAttributes(source, i + 1, attributes);
  return { label, attributes, end: i };
}

function matchBracket(source: string, open: number): number {
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return i;
    else if (c === '\n' && source[i + 1] === '\n') break;
  }
  return source.length;
}

function scanAttributes(source: string, i: number, out: AttributeSite[]): number {
  while (i < source.length) {
    const c = source[i]!;
    if (c === '}') return i + 1;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '#' || c === '.') {
      const valueStart = i + 1;
      let j = valueStart;
      while (j < source.length && !/[\s}#.'"=<>`]/.test(source[j]!)) j++;
      out.push({ name: c === '#' ? 'id' : 'class', nameStart: i, nameEnd: i + 1, valueStart, valueEnd: j });
      i = j;
      continue;
    }
    const nameStart = i;
    while (i < source.length && !/[\s}='"]/.test(source[i]!)) i++;
    const nameEnd = i;
    if (nameEnd === nameStart) return i + 1; // not an attribute: give up quietly, remark decides
    let valueStart = nameEnd;
    let valueEnd = nameEnd;
    let k = i;
    while (source[k] === ' ' || source[k] === '\t') k++;
    if (source[k] === '=') {
      k++;
      while (source[k] === ' ' || source[k] === '\t') k++;
      const quote = source[k];
      if (quote === '"' || quote === "'") {
        valueStart = k + 1;
        const close = source.indexOf(quote, valueStart);
        valueEnd = close === -1 ? source.length : close;
        i = valueEnd + 1;
      } else {
        valueStart = k;
        while (k < source.length && !/[\s}'"=<>`]/.test(source[k]!)) k++;
        valueEnd = k;
        i = k;
      }
    }
    out.push({ name: source.slice(nameStart, nameEnd), nameStart, nameEnd, valueStart, valueEnd });
  }
  return i;
}
