/**
 * Fuzzing `check` (issue #13 item 5): a few hundred seeded mutations of the repository's own
 * runbooks (lines deleted, duplicated, swapped; directive, fence, list, quote, link and emphasis
 * syntax inserted, runs of it; the text cut). None may crash check (an exception, or an
 * internal-error diagnostic) or take over 2 s. The seeds are fixed, so a failure names the input
 * to make again: mutate(runbook, seed) from test/golden/check/corpus.ts. Bounded in total time:
 * it stops starting new inputs after its budget.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../engine/check/check.js';
import { mutate, realRunbooks, ROOT } from '../golden/check/corpus.js';

const COUNT = 300;
const BUDGET_MS = 15_000;
/**
 * 2 s on a quiet machine. The suite shares a loaded one, so the bound is 2 s or 8 times the
 * slowest unmutated runbook here and now, whichever is more (a mutation that makes check
 * quadratic still fails it by far), and a slow first try is tried again.
 */
const LIMIT_MS = 2000;

const noIncludes = (): string => {
  throw Object.assign(new Error('no includes here'), { code: 'ENOENT' });
};

describe('check on mutated runbooks', () => {
  it(`${COUNT} seeded mutations: no crash, none over 2 s`, () => {
    const sources = realRunbooks()
      .filter((p) => !p.endsWith('README.md'))
      .map((path) => ({ path, text: readFileSync(join(ROOT, path), 'utf8') }));
    let limit = LIMIT_MS;
    for (const { text } of sources) {
      checkSource(text, '/tmp/fuzz.md', noIncludes); // warm
      const t = performance.now();
      checkSource(text, '/tmp/fuzz.md', noIncludes);
      limit = Math.max(limit, 8 * (performance.now() - t));
    }
    const started = performance.now();
    let done = 0;
    const slow: string[] = [];
    for (let seed = 1; seed <= COUNT && performance.now() - started < BUDGET_MS; seed++) {
      const base = sources[seed % sources.length]!;
      const source = mutate(base.text, seed * 104_729 + 17, 1 + (seed % 12));
      const run = (): number => {
        const t = performance.now();
        let result: ReturnType<typeof checkSource>;
        try {
          result = checkSource(source, '/tmp/fuzz.md', noIncludes);
        } catch (error) {
          throw new Error(`check crashed on mutate(${base.path}, ${seed * 104_729 + 17}): ${String(error)}`);
        }
        for (const d of result.diagnostics)
          expect(d.rule, `mutate(${base.path}, ${seed * 104_729 + 17})`).not.toBe('internal-error');
        return performance.now() - t;
      };
      if (run() > limit && run() > limit) slow.push(`mutate(${base.path}, ${seed * 104_729 + 17})`);
      done++;
    }
    expect(slow).toEqual([]);
    expect(done).toBeGreaterThan(20); // all 300 on a quiet machine; fewer, within the budget, on a loaded one
  }, 120_000);
});
