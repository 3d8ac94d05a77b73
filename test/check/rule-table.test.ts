/**
 * The rule table in runbooks/README.md ("What `check` reports") is what users read to learn what
 * an id means: it lists exactly the ids of the catalogue (engine/document/rule-ids.ts), each once,
 * at the catalogue's severity. And every check rule reports only catalogued ids, under one name.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULE_IDS, type RuleId, severityText } from '../../engine/document/rule-ids.js';
import { CHECK_RULES } from '../../engine/check/registry.js';
import { ROOT } from '../helpers/cli.js';

/** The table's rows after the "What `check` reports" heading: each row's ids and its severity cell. */
function ruleTable(): { ids: string[]; severity: string; line: string }[] {
  const text = readFileSync(join(ROOT, 'runbooks/README.md'), 'utf8');
  const lines = text.split('\n');
  const heading = lines.indexOf('## What `check` reports');
  expect(heading, 'runbooks/README.md has a "What `check` reports" section').toBeGreaterThan(-1);
  const section = lines.slice(heading + 1);
  const end = section.findIndex((l) => /^#{1,2} /.test(l));
  const rows = (end === -1 ? section : section.slice(0, end)).filter((l) => l.startsWith('|'));
  expect(rows[0]).toMatch(/^\| rule \| severity \| what \|$/);
  return rows.slice(2).map((line) => {
    const cells = line.split(' | ');
    const ids = [...cells[0]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
    return { ids, severity: cells[1]!.trim(), line };
  });
}

describe("runbooks/README.md's rule table", () => {
  const rows = ruleTable();
  const listed = rows.flatMap((r) => r.ids);

  it('lists every id of the catalogue', () => {
    const missing = Object.keys(RULE_IDS).filter((id) => !listed.includes(id));
    expect(missing).toEqual([]);
  });

  it('lists no id the catalogue does not have', () => {
    expect(listed.filter((id) => !Object.hasOwn(RULE_IDS, id))).toEqual([]);
  });

  it('lists each id once', () => {
    expect(listed.filter((id, i) => listed.indexOf(id) !== i)).toEqual([]);
  });

  it("gives each id the catalogue's severity", () => {
    const wrong = rows.flatMap((row) =>
      row.ids
        .filter((id): id is RuleId => Object.hasOwn(RULE_IDS, id))
        .filter((id) => severityText(id) !== row.severity)
        .map((id) => `${id}: README says "${row.severity}", the catalogue "${severityText(id)}"`),
    );
    expect(wrong).toEqual([]);
  });
});

describe('the check rules', () => {
  it('each have a name of their own', () => {
    const names = CHECK_RULES.map((r) => r.name);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it('report only catalogued ids', () => {
    expect(CHECK_RULES.flatMap((r) => r.reports).filter((id) => !Object.hasOwn(RULE_IDS, id))).toEqual([]);
  });
});
