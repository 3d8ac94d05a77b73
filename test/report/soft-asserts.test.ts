/**
 * Reports of a run with soft assertions that did not hold and an `expect=fail` step that failed
 * as expected (test/golden/report/transcripts/soft-asserts.jsonl, recorded by the real binary on
 * a SQLite file): every format lists the warnings, with the runbook line where the format has a
 * place for it, and says which step failed as expected; the JUnit XML keeps both as passing
 * testcases and still validates against the JUnit schema.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT, stepwise } from '../helpers/cli.js';

const TRANSCRIPT = join(ROOT, 'test/golden/report/transcripts/soft-asserts.jsonl');
const XSD = fileURLToPath(new URL('schema/junit-4.xsd', import.meta.url));
const XMLLINT = spawnSync('xmllint', ['--version']).status === 0;

const render = (format: string): string => {
  const r = stepwise(['render', TRANSCRIPT, '--format', format]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
};
const FRESH = 'Replica lag under 5 s: `lag.rows[0].lag_s < 5` does not hold (`lag.rows[0].lag_s` is 12)';

describe('a run with warnings and an expected failure', () => {
  it('json: summary.warnings with step and line, and each step says what it passed with', () => {
    const report = JSON.parse(render('json'));
    expect(report.summary.outcome).toBe('passed');
    expect(report.summary.warnings).toEqual([
      { stepId: 'fresh', text: FRESH, line: 12 },
      { stepId: 'answers', text: expect.stringContaining('`lag.rowCount == 2` does not hold'), line: 14 },
    ]);
    const steps = Object.fromEntries(report.steps.map((s: { id: string }) => [s.id, s]));
    expect(steps.fresh).toMatchObject({ status: 'passed', warning: FRESH });
    expect(steps.diag).toMatchObject({ status: 'passed', expectedFailure: 'exit code 3 (expected 0)' });
    expect(steps.lag).not.toHaveProperty('warning');
  });

  it('md: the warnings under the summary with file:line, counted in the outcome, marked in steps and assertions', () => {
    const md = render('md');
    expect(md).toContain('5 passed, 0 failed, 0 skipped, 2 warnings |');
    expect(md).toContain('**Warnings:**\n\n- fresh (soft-asserts.md:12): Replica lag under 5 s');
    expect(md).toContain('- answers (soft-asserts.md:14): Both replicas answer');
    expect(md).toMatch(/\| fresh \| assert \| ⚠ passed, with a warning \|/);
    expect(md).toMatch(/\| diag \| shell \| ✓ passed, failed as expected \|/);
    expect(md).toContain('⚠ does not hold (a warning)');
    expect(md).toContain('Failed as expected: exit code 3 (expected 0)');
  });

  it('html: a warnings list linked to the steps, and the step sections say so', () => {
    const html = render('html');
    expect(html).toContain('<nav id="warnings" aria-label="Warnings">');
    expect(html).toContain('<strong>⚠ 2 warnings:</strong>');
    expect(html).toContain('<li><a href="#step-fresh">fresh</a> (<code>soft-asserts.md:12</code>): Replica lag');
    expect(html).toContain('<p><strong>⚠ Warning:</strong> Replica lag under 5 s');
    expect(html).toContain('<p>Failed as expected: exit code 3 (expected 0)</p>');
    expect(html).not.toContain('id="failures"');
  });

  it('notebook: the warning and the expected failure under their steps', () => {
    const notebook = render('notebook');
    expect(notebook).toContain('> **⚠ warning:** Replica lag under 5 s');
    expect(notebook).toContain('> failed as expected: exit code 3 (expected 0)');
  });

  it('junit: warned and expected-failure steps are passing testcases saying why in system-out', () => {
    const xml = render('junit');
    expect(xml).toMatch(/tests="5" failures="0" errors="0" skipped="0"/);
    expect(xml).toContain('<property name="run.warnings" value="2"/>');
    expect(xml).toMatch(
      /<testcase [^>]*name="fresh [^"]*"[^>]*>\n {6}<system-out>warning: Replica lag under 5 s: `lag.rows\[0\].lag_s &lt; 5` does not hold/,
    );
    expect(xml).toMatch(
      /<testcase [^>]*name="diag [^"]*"[^>]*>\n {6}<system-out>failed as expected: exit code 3 \(expected 0\)<\/system-out>/,
    );
    expect(xml).not.toContain('<failure');
  });

  it.skipIf(!XMLLINT)('junit: validates against the JUnit XSD', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'stepwise-soft-junit-')), 'soft.xml');
    writeFileSync(out, render('junit'));
    const lint = spawnSync('xmllint', ['--noout', '--schema', XSD, out], { encoding: 'utf8' });
    expect(lint.status, lint.stderr).toBe(0);
  });
});
