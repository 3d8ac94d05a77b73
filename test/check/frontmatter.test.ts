/**
 * Frontmatter problems are reported once, where the mistake is; frontmatter that belongs to
 * another tool (a static site generator's page or template) is left alone.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../engine/check/check.js';

const where = (source: string, path = '/tmp/fm.md') =>
  checkSource(source, path).diagnostics.map(
    (d) =>
      `${d.file && d.file !== path ? `${d.file}:` : ''}${d.span.start.line}:${d.span.start.column} ${d.severity} ${d.rule}`,
  );

const STEPS = `
::sql{#a target=db query="select {{ inputs.n }}"}

::http{#b target=api path=/x}

::shell{#c readonly run="echo {{ secrets.K }} {{ env.HOME }}"}

::sql{#d query="select 1"}
`;

describe('a frontmatter that is not valid YAML', () => {
  it('is one error at the line of the mistake, with no follow-on errors about undeclared names', () => {
    const source = `---\ntitle: x\ntargets:\n  db: { kind: sqlite, path: x.db\n  api: { kind: http, base: "http://x" }\ninputs:\n  n: 1\nsecrets: [K]\nenv: [HOME]\n---\n${STEPS}`;
    expect(where(source)).toEqual(['4:7 error frontmatter-yaml']);
  });

  it('an unclosed quote is reported at the quote', () => {
    const source = `---\ntargets:\n  api: { kind: http, base: "http://x }\n  db: { kind: sqlite, path: x.db }\n---\n${STEPS}`;
    expect(where(source)).toEqual(['3:28 error frontmatter-yaml']);
  });

  it("an included runbook's broken frontmatter silences only its own steps' follow-ons", () => {
    const dir = mkdtempSync(join(tmpdir(), 'stepwise-fm-'));
    const inc = join(dir, 'inc.md');
    writeFileSync(inc, '---\ntargets: [\n---\n\n::sql{#q target=mine query="select 1"}\n');
    const main = join(dir, 'main.md');
    const source = `---\ntargets:\n  db: { kind: sqlite, path: x.db }\n---\n\n::include{src=./inc.md}\n\n::sql{#own target=nope query="select 1"}\n`;
    expect(where(source, main)).toEqual(['8:19 error unknown-target', `${inc}:2:10 error frontmatter-yaml`]);
  });
});

describe("frontmatter of a file with no steps is not a runbook's", () => {
  it('a Hugo archetype template (not YAML) is not reported', () => {
    const source =
      '---\ntitle: "{{ replace .Name "-" " " | title }}"\ndate: {{ .Date }}\ndraft: true\n---\n\n# {{ .Name }}\n';
    expect(where(source)).toEqual([]);
  });

  it('other invalid YAML is a warning, not an error', () => {
    expect(where('---\ntitle: x\n  bad: indentation\n---\n\n# Notes\n')).toEqual(['2:8 warning frontmatter-yaml']);
  });

  it('unknown keys are not reported, not even close ones', () => {
    expect(
      where(
        '---\ntitle: Runbooks\nweight: 10\naliases: [/ops/]\nbookCollapseSection: true\ntaregts: {}\n---\n\n# Runbooks\n',
      ),
    ).toEqual([]);
  });
});

describe('unknown frontmatter keys in a runbook', () => {
  it('only a key close to a known one is a warning, as a likely typo; other keys are metadata', () => {
    const source =
      '---\ntaregts:\n  db: { kind: sqlite, path: x.db }\nweight: 10\naliases: [/x/]\nbookCollapseSection: true\nlinkTitle: X\nsecret: [K]\n---\n\n::note[hi]\n';
    const { diagnostics } = checkSource(source, '/tmp/fm.md');
    expect(diagnostics.map((d) => [d.span.start.line, d.severity, d.rule, d.message])).toEqual([
      [2, 'warning', 'frontmatter-unknown-key', 'unknown frontmatter key `taregts`; did you mean `targets`?'],
      [8, 'warning', 'frontmatter-unknown-key', 'unknown frontmatter key `secret`; did you mean `secrets`?'],
    ]);
  });
});
