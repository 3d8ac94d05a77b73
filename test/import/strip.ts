/**
 * What a draft of `stepwise import` holds besides the original: the frontmatter it added (or
 * the keys it added to one), the comment block at the top, and the directives it inserted
 * (each after one blank line, a blank line after a group when the original went on at once).
 * `prose` strips those and says whether what is left is the original, line by line.
 */
const STEP = /^(:{2,})(sql|http|shell|confirm|assert|wait|input|set|note|include)[[{]/;

export function strip(draft: string): (string | typeof GAP)[] {
  const lines = draft.split('\n');
  const out: (string | typeof GAP)[] = [];
  let i = 0;
  const bare = lines.map((l) => l.replace(/\r$/, ''));
  if (bare[0] === '---' && !bare.includes('# declared by stepwise import:')) {
    // A frontmatter the draft added: a `---` line, declarations, `---`.
    const close = bare.indexOf('---', 1);
    const body = bare.slice(1, close);
    if (close > 0 && body.every((l) => /^(targets|inputs|secrets|env):|^ {2}\w+: /.test(l))) i = close + 1;
  }
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (bare[i] === '# declared by stepwise import:') {
      while (i + 1 < lines.length && lines[i + 1]!.replace(/\r$/, '') !== '---') i++;
      continue;
    }
    if (line.startsWith('<!-- stepwise import:')) {
      while (i < lines.length && lines[i]!.replace(/\r$/, '') !== '-->') i++;
      i++; // the blank line after it
      continue;
    }
    const m = STEP.exec(line);
    if (m) {
      if (out.length > 0 && (out[out.length - 1] === '' || out[out.length - 1] === '\r')) out.pop();
      else throw new Error(`line ${i + 1}: a directive without the blank line before it: ${line}`);
      if (m[1]!.length >= 3) {
        // a container: up to its closing colons
        const close = m[1]!;
        i++;
        while (i < lines.length && lines[i]!.replace(/\r$/, '') !== close) i++;
      }
      if (out[out.length - 1] !== GAP) out.push(GAP);
      continue;
    }
    out.push(line);
  }
  return out;
}

export const GAP = Symbol('gap');

/** The first line where the stripped draft and the original differ, or null when they agree. */
export function proseDiff(draft: string, original: string): string | null {
  const stripped = strip(draft);
  const lines = original.split('\n');
  let o = 0;
  for (let s = 0; s < stripped.length; s++) {
    const line = stripped[s]!;
    if (line === GAP) {
      // the blank line inserted after a group, when the original went on at once
      const next = stripped[s + 1];
      if ((next === '' || next === '\r') && lines[o] !== undefined && lines[o]!.replace(/\r$/, '') !== '') s++;
      continue;
    }
    if (lines[o] !== line)
      return `original line ${o + 1}: expected ${JSON.stringify(lines[o])}, got ${JSON.stringify(line)}`;
    o++;
  }
  if (o !== lines.length) return `the draft ends at original line ${o + 1} of ${lines.length}`;
  return null;
}
