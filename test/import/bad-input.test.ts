/**
 * No input crashes `stepwise import`: the bad-input corpus the parser and check are held to
 * (test/golden/check/corpus.ts: junk, deep nesting, big prose, and seeded mutations of every
 * real runbook, the plain seeds among them) and hostile edge cases. Whatever comes in, a draft
 * adds no error to what the input already had, and keeps every original line.
 */
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../engine/check/check.js';
import { importRunbook } from '../../engine/import/import.js';
import { generatedCorpus } from '../golden/check/corpus.js';
import { junk, nestedLists } from '../helpers/generate.js';
import { proseDiff } from './strip.js';

const noIncludes = (path: string): string => {
  throw Object.assign(new Error(`no includes here: ${path}`), { code: 'ENOENT' });
};
const errors = (text: string) =>
  checkSource(text, '/tmp/bad-input.md', noIncludes)
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => `${d.rule}: ${d.message}`)
    .sort();

function holds(source: string): void {
  const result = importRunbook(source, { path: '/tmp/bad-input.md' });
  expect(typeof result.text).toBe('string');
  if (!result.changed) {
    expect(result.text).toBe(source);
    return;
  }
  expect(proseDiff(result.text, source)).toBeNull();
  const added = errors(result.text);
  // (the input's own errors are looked up only when the draft has some: a check costs)
  if (added.length > 0) expect(added).toEqual(errors(source));
  // and a second import leaves the draft alone
  expect(importRunbook(result.text).text).toBe(result.text);
}

describe('import on bad input', () => {
  it.each([
    ['empty', ''],
    ['only a heading', '# T'],
    ['unterminated fence', '# T\n\n```sql\nSELECT 1\n'],
    ['unterminated shell fence', '```bash\ncurl -X POST http://x/y \\\n'],
    ['unterminated container', '# T\n\n:::note\ntext\n```bash\nuptime\n```\n'],
    ['unterminated frontmatter', '---\ntitle: x\n\n```sql\nSELECT 1;\n```\n'],
    ['frontmatter that is a list', '---\n- a\n- b\n---\n\n```sql\nSELECT 1;\n```\n'],
    ['frontmatter with targets already', '---\ntargets: {}\n---\n\n```sql\nSELECT 1;\n```\n'],
    ['unclosed quote in shell', "```bash\necho 'oops\nrm -rf /tmp/x\n```\n"],
    ['unclosed heredoc', '```bash\ncat <<EOF\nno end\n```\n'],
    ['braces everywhere', "```bash\necho {{ }} }} {{\n```\n\n```sql\nSELECT '{{x}}';\n```\n"],
    ['a curl with no URL', '```bash\ncurl -X POST -H "A: b"\n```\n'],
    ['curl with command substitution', '```bash\ncurl "$(cat url.txt)"\n```\n'],
    ['a GET with a body', "```bash\ncurl -X GET http://x/y -d 'a=1'\n```\n"],
    ['placeholder inside a SQL string', "```sql\nSELECT * FROM t WHERE name LIKE '%<name>%';\n```\n"],
    ['NUL byte', '# T\n\u0000\n```sql\nSELECT 1\n```\n'],
    ['lone CR', '# T\r```sql\rSELECT 1\r```\r'],
    ['BOM', '\uFEFF# T\n\n```sql\nSELECT 1;\n```\n'],
    ['no final newline', '```sql\nDELETE FROM t\n```'],
    ['a fence inside a list inside a quote', '> 1. step\n>    ```bash\n>    kill -9 1\n>    ```\n'],
    ['directive-looking prose', 'host:9090 and image:latest and ::sq and :::frob\n\n```bash\nuptime\n```\n'],
    ['a broken directive already there', '::frobnicate{#x target=db}\n\n```sql\nSELECT 1;\n```\n'],
    ['HTML block holding a fence', '<div>\n\n```bash\nuptime\n```\n\n</div>\n'],
    ['very long line', `\`\`\`bash\necho ${'x'.repeat(50_000)}\n\`\`\`\n`],
    ['200 nested lists', nestedLists(200)],
    ['150 code blocks', Array.from({ length: 150 }, (_, i) => `\`\`\`sql\nSELECT ${i};\n\`\`\`\n`).join('\n')],
  ])('%s', (_name, source) => {
    holds(source);
  });

  it('binary junk', () => {
    for (let seed = 1; seed <= 10; seed++) holds(junk(4096, seed));
  });

  it('the check corpus: synthetic runbooks and seeded mutations of every real one (the plain seeds too)', () => {
    const corpus = generatedCorpus(2);
    expect(corpus.length).toBeGreaterThan(20);
    for (const entry of corpus) {
      try {
        holds(entry.source);
      } catch (error) {
        throw new Error(`${entry.name}: ${(error as Error).message}`);
      }
    }
  }, 120_000);
});
