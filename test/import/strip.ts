/**
 * What a draft of `stepwise import` may hold besides the original: a frontmatter it added (or
 * declarations added to the original's, after a `# declared by stepwise import:` line), the
 * comment block at the top, blank lines, and the directives it inserted (containers with their
 * code block; indented when they are in a list item). `proseDiff` walks the draft and the original together: every original line must
 * come in order, and every other draft line must be one of those.
 */
const STEP = /^ *(:{2,})(sql|http|shell|confirm|assert|wait|input|set|note|include)[[{]/;

/** The first place where the draft is not the original plus insertions, or null. */
export function proseDiff(draft: string, original: string): string | null {
  const bom = (t: string) => t.charCodeAt(0) === 0xfeff;
  if (bom(draft) !== bom(original)) return 'the byte-order mark was not kept';
  const d = (bom(draft) ? draft.slice(1) : draft).split('\n');
  const o = (bom(original) ? original.slice(1) : original).split('\n');
  const bare = (l: string | undefined) => (l ?? '').replace(/\r$/, '');
  let i = 0;
  let j = 0;
  if (
    bare(d[0]) === '---' &&
    /^(targets|inputs|secrets|env):/.test(bare(d[1])) &&
    !(bare(o[0]) === '---' && bare(o[1]) === bare(d[1]))
  ) {
    // a frontmatter the draft added: declarations only
    const close = d.findIndex((l, k) => k > 0 && bare(l) === '---');
    if (close < 0) return 'an added frontmatter that does not close';
    const body = d.slice(1, close).map(bare);
    if (!body.every((l) => /^(targets|inputs|secrets|env):|^ {2}\w+: /.test(l)))
      return `the added frontmatter holds more than declarations: ${JSON.stringify(body)}`;
    i = close + 1;
  }
  while (i < d.length) {
    const line = d[i]!;
    if (j < o.length && line === o[j]) {
      i++;
      j++;
      continue;
    }
    const b = bare(line);
    if (b === '') {
      i++;
      continue;
    }
    if (b === '# declared by stepwise import:') {
      while (i < d.length && bare(d[i]) !== '---') i++;
      continue;
    }
    if (b.startsWith('<!-- stepwise import:')) {
      while (i < d.length && bare(d[i]) !== '-->') i++;
      i++;
      continue;
    }
    const m = STEP.exec(b);
    if (m) {
      if (m[1]!.length >= 3) {
        i++;
        while (i < d.length && bare(d[i]).trim() !== m[1]) i++;
      }
      i++;
      continue;
    }
    return `draft line ${i + 1} (${JSON.stringify(line)}) is neither original line ${j + 1} (${JSON.stringify(o[j])}) nor an insertion`;
  }
  if (j !== o.length) return `the draft ends before original line ${j + 1} of ${o.length}`;
  return null;
}
