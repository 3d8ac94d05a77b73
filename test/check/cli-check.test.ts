/**
 * `stepwise check` as a user runs it (the built bundle): one file that breaks check does not
 * hide the others, output is in position order, and plain Markdown runbooks print nothing.
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, stepwise } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'stepwise-check-'));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const before = file(
  'before.md',
  '---\ntargets:\n  db: { kind: sqlite, path: x.db }\n---\n\n::sql{#a target=dbx query="select 1"}\n',
);
const after = file('after.md', '# After\n\n::assert[ok]{that="1 =="}\n');
// No input is known to crash check any more (20,000 nested block quotes did, before nesting was
// bounded): the CLI fails on the file STEPWISE_TEST_CHECK_FAULT names, as a bug would.
const crashing = file('crashing.md', '# Fine\n');
const fault = { env: { ...process.env, STEPWISE_TEST_CHECK_FAULT: crashing } };

interface Item {
  file: string;
  line: number;
  column: number;
  severity: string;
  rule: string;
  message: string;
}

describe('an internal error on one file', () => {
  it("is that file's internal-error diagnostic; the other files are still reported, and check exits 70", () => {
    const r = stepwise(['check', before, crashing, after], fault);
    expect(r.code).toBe(70);
    const lines = r.stdout.split('\n').filter((l) => !l.startsWith('    hint:') && l !== '');
    expect(lines).toEqual([
      `${before}:6:17: error: unknown target \`dbx\`; did you mean \`db\`? [unknown-target]`,
      expect.stringMatching(
        new RegExp(
          `^${escapeRegex(crashing)}:1:1: error: stepwise failed while checking ${escapeRegex(crashing)} \\(fault injected by STEPWISE_TEST_CHECK_FAULT\\); this is a bug in Stepwise, not in the runbook: please report it, with the file if you can \\[internal-error\\]$`,
        ),
      ),
      expect.stringMatching(new RegExp(`^${escapeRegex(after)}:3:\\d+: error: expression .* \\[expression-syntax\\]$`)),
    ]);
    expect(r.stderr).toContain(
      `stepwise check: internal error on ${crashing}:\nError: fault injected by STEPWISE_TEST_CHECK_FAULT`,
    );
    expect(r.stderr).toContain('3 files checked: 3 errors, 0 warnings');
  });

  it("is in the JSON too, beside every other file's diagnostics", () => {
    const r = stepwise(['check', '--format', 'json', before, crashing, after], fault);
    expect(r.code).toBe(70);
    const items = JSON.parse(r.stdout) as Item[];
    expect(items.map((i) => [i.file, i.rule])).toEqual([
      [before, 'unknown-target'],
      [crashing, 'internal-error'],
      [after, 'expression-syntax'],
    ]);
    expect(items[1]!.message).toMatch(/fault injected by STEPWISE_TEST_CHECK_FAULT.*a bug in Stepwise/);
  });
});

describe('check output is in position order', () => {
  const inc = file(
    'inc.md',
    '---\ntargets: {}\n---\n\n::sql{#q target=nowhere query="select 1"}\n\n::http{#h path=/x?a=1}\n',
  );
  const main = file(
    'main.md',
    '---\ntargets:\n  db: { kind: sqlite, path: x.db }\n---\n\n::http{#slow path=/slow\n::sql{#b target=nope query="select 1"}\n\n::include{src=./inc.md}\n\n::assert[ok]{that="b.rowCount =="}\n',
  );

  it('by file (the runbook, then each included file under it), line and column, in text and JSON', () => {
    const text = stepwise(['check', main]);
    expect(text.code).toBe(2);
    const where = text.stdout
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('    hint:'))
      .map((l) => /^(.*?):(\d+):(\d+): \w+: .*\[([\w-]+)\]$/.exec(l)!.slice(1).join(' '));
    expect(where).toEqual([
      `${main} 6 7 malformed-directive`,
      `${main} 7 17 unknown-target`,
      `${main} 11 33 expression-syntax`,
      `${inc} 5 17 unknown-target`,
      `${inc} 7 20 malformed-directive`,
    ]);
    const json = JSON.parse(stepwise(['check', '--format', 'json', main]).stdout) as Item[];
    expect(json.map((i) => `${i.file} ${i.line} ${i.column} ${i.rule}`)).toEqual(where);
  });
});

describe('plain Markdown runbooks', () => {
  it('a folder of Hugo/Docsy pages (weight, aliases, bookCollapseSection, an archetype, admonitions) prints nothing and exits 0', () => {
    const folder = join(ROOT, 'test/fixtures-plain/hugo');
    const files = [
      ...readdirSync(folder)
        .filter((f) => f.endsWith('.md'))
        .map((f) => join(folder, f)),
      join(folder, 'archetypes/default.md'),
    ];
    expect(files.length).toBeGreaterThanOrEqual(5);
    const r = stepwise(['check', ...files]);
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(r.stderr).toBe(`${files.length} files checked: no problems\n`);
    const json = stepwise(['check', '--format', 'json', ...files]);
    expect(json).toMatchObject({ code: 0, stdout: '[]\n' });
  });
});

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
