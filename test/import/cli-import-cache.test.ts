/**
 * `stepwise import` checks its draft through `check`'s cache (.stepwise/cache/ of the working
 * folder), as the file it writes: the entry is written on the first import and read on the next
 * (the same import, or a --dry-run with the same -o) and by `check OUT.md`, with the same result
 * as a draft checked afresh; --no-cache neither reads nor writes it. An entry planted with an
 * error shows that the import, and check after it, take the result from the entry.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, stepwise } from '../helpers/cli.js';
import { scratch } from '../helpers/scratch.js';

const SEED = join(ROOT, 'fixtures/solvereign/seed/solvereign-v3.3a-operations.md');
const entries = (cwd: string): string[] => {
  const dir = join(cwd, '.stepwise', 'cache');
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
};

describe('stepwise import and the check cache', () => {
  it('writes the entry once, reads it again, and gives the same draft and plan as a fresh check', () => {
    const cached = scratch('import-cache');
    const fresh = scratch('import-nocache');
    const first = stepwise(['import', SEED, '-o', cached.path('a.md')], { cwd: cached.dir });
    expect(first.code).toBe(0);
    expect(entries(cached.dir)).toHaveLength(1);
    const text = readFileSync(cached.path('a.md'), 'utf8');
    const again = stepwise(['import', SEED, '-o', cached.path('a.md')], { cwd: cached.dir });
    expect(again.stderr).toBe(first.stderr);
    expect(readFileSync(cached.path('a.md'), 'utf8')).toBe(text);
    expect(entries(cached.dir)).toHaveLength(1);
    const dryRun = stepwise(['import', SEED, '--dry-run', '-o', cached.path('a.md')], { cwd: cached.dir });
    expect(entries(cached.dir)).toHaveLength(1);
    const noCache = stepwise(['import', SEED, '--dry-run', '--no-cache'], { cwd: fresh.dir });
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toBe(noCache.stdout);
    expect(existsSync(join(fresh.dir, '.stepwise'))).toBe(false);
    const written = stepwise(['import', SEED, '-o', fresh.path('c.md'), '--no-cache'], { cwd: fresh.dir });
    expect(written.code).toBe(0);
    expect(readFileSync(fresh.path('c.md'), 'utf8')).toBe(text);
    expect(existsSync(join(fresh.dir, '.stepwise'))).toBe(false);
  });

  it("takes the draft's check from the entry: an error planted there drops the step; --no-cache ignores it", () => {
    const tmp = scratch('import-entry');
    const plain = tmp.write('plain.md', '# Orders\n\n## Count them\n\n```sql\nSELECT count(*) FROM orders;\n```\n');
    const draft = tmp.path('draft.md');
    expect(stepwise(['import', plain, '-o', draft], { cwd: tmp.dir }).code).toBe(0);
    const [entry] = entries(tmp.dir);
    expect(entry).toBeDefined();
    // the draft has nothing for the author to decide, so the text checked is the text written
    const line = readFileSync(draft, 'utf8').split('\n').indexOf(':::sql{#count_them target=db}') + 1;
    expect(line).toBeGreaterThan(0);
    const file = join(tmp.dir, '.stepwise', 'cache', entry!);
    // An entry is two lines: its head (what check prints) and its body (engine/document/cache.ts).
    const [headLine, body] = readFileSync(file, 'utf8').split('\n');
    const stored = JSON.parse(headLine!) as { diagnostics: unknown[] };
    const at = { line, column: 1, offset: 0 };
    stored.diagnostics.push({
      severity: 'error',
      rule: 'unknown-target',
      message: 'planted',
      span: { start: at, end: at },
    });
    writeFileSync(file, `${JSON.stringify(stored)}\n${body}`);
    // the draft was checked as draft.md, where it is: `check draft.md` reads the same entry
    const check = stepwise(['check', draft], { cwd: tmp.dir });
    expect(check.stdout).toContain(`${draft}:${line}:1: error: planted [unknown-target]`);
    const planted = stepwise(['import', plain, '--dry-run', '-o', draft], { cwd: tmp.dir });
    expect(planted.stdout).toMatch(
      /plain\.md:6: stays prose: not converted \(sql query on db\): planted \[unknown-target\]/,
    );
    expect(planted.stdout).toMatch(/\n0 steps planned/);
    const ignored = stepwise(['import', plain, '--dry-run', '-o', draft, '--no-cache'], { cwd: tmp.dir });
    expect(ignored.stdout).toContain('sql #count_them');
    expect(ignored.stdout).not.toContain('planted');
  });
});
