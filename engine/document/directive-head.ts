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

/** What is wrong with a line meant as a directive: where (an offset in the source) and why. */
export interface HeadProblem {
  offset: number;
  reason: string;
  hint: string;
}

const PUNCTUATION = /[\p{P}\p{S}]/u;
const SPACE = /[ \t]/;
/** Names end at whitespace, except a tab: micromark reads tabs as virtual spaces, not whitespace, there. */
const NOT_IN_NAME = /[^\S\t]/;
const QUOTE_HINT =
  'to put a quote inside a value, quote the value with the other kind (`that=\'x == "ok"\'`), or write `&quot;` for " and `&#39;` for \'';

/**
 * Finds the first place where a line that starts like a directive (`::name...` or `:::name...`)
 * leaves the directive grammar (remark-directive's: a leaf or container directive is one line).
 * `start` is the offset of the first colon, `end` the end of the line (before `\r\n` or `\n`).
 * Returns null when the head itself is valid: the line is then not a directive because of where
 * it stands (e.g. indented as code), not how it is written.
 */
export function diagnoseDirectiveLine(source: string, start: number, end: number): HeadProblem | null {
  const at = (offset: number, reason: string, hint: string): HeadProblem => ({ offset, reason, hint });
  const ch = (i: number): string => (i < end ? source[i]! : '');
  let i = start;
  while (ch(i) === ':') i++;
  const nameStart = i;
  while (i < end && !NOT_IN_NAME.test(ch(i)) && (!PUNCTUATION.test(ch(i)) || ch(i) === '-' || ch(i) === '_')) i++;
  if (i === nameStart) return at(i, 'a directive name must follow the colons', 'write e.g. ::sql{...} or :::shell');
  if (ch(i - 1) === '-' || ch(i - 1) === '_')
    return at(
      i - 1,
      `a directive name cannot end with \`${ch(i - 1)}\``,
      'remove it, or write the name of a step kind',
    );
  if (ch(i) === '[') {
    const open = i;
    let balance = 0;
    for (i++; ; i++) {
      const c = ch(i);
      if (c === '')
        return at(
          open,
          "the label's `[` is not closed on this line",
          'a directive is one line: close the label with `]` before the end of the line',
        );
      if (c === '\\' && '[]\\'.includes(ch(i + 1)) && ch(i + 1) !== '') i++;
      else if (c === '[' && ++balance > 32)
        return at(i, 'the label nests `[` more than 32 deep', 'write \\[ for a literal bracket');
      else if (c === ']' && balance-- === 0) break;
    }
    i++;
  }
  if (ch(i) === '{') {
    const problem = diagnoseAttributes(source, end, i);
    if (typeof problem !== 'number') return problem;
    i = problem;
  }
  let j = i;
  while (SPACE.test(ch(j))) j++;
  if (j === end) return null;
  if (j > i && (ch(j) === '{' || ch(j) === '['))
    return at(
      i,
      `no space may stand before \`${ch(j)}\``,
      'write the name, [label] and {attributes} together, e.g. ::sql[Label]{#id ...}',
    );
  if (ch(j) === '{' && ch(i - 1) === '}')
    return at(j, 'a directive has one `{...}`', 'put every attribute in the first {...}');
  return at(
    j,
    `text after the directive: \`${clip(source.slice(j, end))}\``,
    'a directive stands alone on its line: move the text to the next line or into the [label]',
  );
}

/** Scans `{...}` from the `{` at `open`; returns the offset after `}`, or the problem. */
function diagnoseAttributes(source: string, end: number, open: number): number | HeadProblem {
  const ch = (i: number): string => (i < end ? source[i]! : '');
  const at = (offset: number, reason: string, hint: string): HeadProblem => ({ offset, reason, hint });
  const unclosed = at(
    open,
    'the `{` is not closed on this line',
    'a directive is one line: close its attributes with `}` before the end of the line',
  );
  const forbiddenUnquoted = '"\'<=>`';
  let i = open + 1;
  for (;;) {
    const c = ch(i);
    if (c === '') return unclosed;
    if (c === '}') return i + 1;
    if (SPACE.test(c)) {
      i++;
      continue;
    }
    if (c === '#' || c === '.') {
      const what = c === '#' ? 'an id' : 'a class';
      const first = ch(i + 1);
      if (first === '' || SPACE.test(first) || '"#\'.<=>`}'.includes(first))
        return at(i, `\`${c}\` must be followed by ${what}`, c === '#' ? 'write {#my-step}' : 'write {.name}');
      i++;
      while (ch(i) !== '' && !SPACE.test(ch(i)) && !'#.}'.includes(ch(i))) {
        if (forbiddenUnquoted.includes(ch(i)))
          return at(
            i,
            `\`${ch(i)}\` cannot stand in ${what}`,
            c === '#' ? 'ids are letters, digits, _ and -' : 'classes are letters, digits, _ and -',
          );
        i++;
      }
      continue;
    }
    if (PUNCTUATION.test(c) && c !== '-' && c !== '_')
      return at(
        i,
        `unexpected \`${c}\` in the attributes`,
        'attributes are name=value, name="value", #id or .class, separated by spaces',
      );
    const nameStart = i;
    while (ch(i) !== '' && !NOT_IN_NAME.test(ch(i)) && (!PUNCTUATION.test(ch(i)) || '-.:_'.includes(ch(i)))) i++;
    const name = source.slice(nameStart, i);
    let k = i;
    while (SPACE.test(ch(k))) k++;
    if (ch(k) !== '=') continue; // an attribute without a value
    const eq = k;
    k++;
    while (SPACE.test(ch(k))) k++;
    const v = ch(k);
    if (v === '') return at(eq, `\`${name}=\` has no value`, `write ${name}="..."`);
    if ('<=>`}'.includes(v))
      return at(k, `a value cannot start with \`${v}\`: put it in quotes`, `write ${name}="..."`);
    if (v === '"' || v === "'") {
      let close = k + 1;
      while (ch(close) !== '' && ch(close) !== v) close++;
      if (ch(close) === '')
        return at(
          k,
          `the ${v === '"' ? 'double' : 'single'} quote opened here for \`${name}\` is not closed on this line`,
          QUOTE_HINT,
        );
      const after = ch(close + 1);
      if (after !== '' && after !== '}' && !SPACE.test(after)) {
        if (ch(close - 1) === '\\')
          return at(
            close - 1,
            `\`\\${v}\` does not escape a quote: the value of \`${name}\` ends at this ${v}`,
            QUOTE_HINT,
          );
        return at(
          close + 1,
          `the quoted value of \`${name}\` ended at the ${v} before this; a space or \`}\` must follow it`,
          QUOTE_HINT,
        );
      }
      i = close + 1;
      continue;
    }
    while (ch(k) !== '' && ch(k) !== '}' && !SPACE.test(ch(k))) {
      if (forbiddenUnquoted.includes(ch(k))) {
        let valueEnd = k;
        while (ch(valueEnd) !== '' && ch(valueEnd) !== '}' && !SPACE.test(ch(valueEnd))) valueEnd++;
        const value = source.slice(eq + 1, valueEnd).trim();
        const quoted = value.includes('"') ? `'${value}'` : `"${value}"`;
        return at(
          k,
          `\`${ch(k)}\` cannot stand in the unquoted value of \`${name}\``,
          `put the value in quotes: ${name}=${quoted}`,
        );
      }
      k++;
    }
    i = k;
  }
}

function clip(text: string): string {
  return text.length > 30 ? `${text.slice(0, 30)}...` : text;
}
