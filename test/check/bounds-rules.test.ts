/**
 * What `check` says, at the right place, about what would otherwise stall a run or surprise its
 * responder: patterns RE2 cannot run (frontmatter inputs and redact regexes, `::input` steps), SQL
 * it cannot classify or that holds several statements without script=true, and waits shorter
 * than the minimum interval.
 */
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../engine/check/check.js';

const FM = `---
targets:
  db: { kind: sqlite, path: ./x.db }
---
`; // 4 lines: the body starts at line 5

const diagnostics = (source: string, rule?: string) =>
  checkSource(source, 'bounds.md').diagnostics.filter((d) => rule === undefined || d.rule === rule);
const where = (d: { span: { start: { line: number; column: number } } }) =>
  `${d.span.start.line}:${d.span.start.column}`;

describe('patterns RE2 cannot run', () => {
  it('a frontmatter input pattern: an error at the pattern, saying why and that patterns run in linear time', () => {
    const source = '---\ninputs:\n  tag: { type: string, pattern: "^(\\\\w+)-\\\\1$" }\n---\n\n::note[hi]\n';
    const [d, ...rest] = diagnostics(source, 'input-invalid');
    expect(rest).toEqual([]);
    expect(d!.severity).toBe('error');
    expect(where(d!)).toBe('3:33'); // the quoted pattern
    expect(d!.message).toMatch(
      /^input `tag`: pattern uses a backreference \(\\1\), which RE2 cannot express; Stepwise runs patterns with RE2, in time linear in the text/,
    );
  });

  it('a redact regex with a lookahead: an error at the regex; a lookbehind, or a ReDoS-prone one RE2 can run, is fine', () => {
    const source =
      '---\nredact:\n  - email\n  - { regex: "\\\\w+(?=;)" }\n  - { regex: "(?<=token=)\\\\w+" }\n  - { regex: "(a+)+b" }\n---\n\n::note[hi]\n';
    const found = diagnostics(source, 'redact-invalid');
    expect(found.map(where)).toEqual(['4:14']);
    expect(found[0]!.message).toMatch(/^redact regex uses a lookahead `\(\?=\.\.\.\)`, which RE2 cannot express/);
  });

  it('an ::input step pattern: an error at the attribute; one built from a placeholder waits for the run', () => {
    const source = `${FM}\n::input[Ticket?]{#t pattern="(?=T)T-\\d+"}\n\n::input[Again?]{#u pattern="{{ t.value }}"}\n`;
    const found = diagnostics(source, 'input-invalid');
    expect(found.map(where)).toEqual(['6:30']);
    expect(found[0]!.message).toMatch(/^input `t`: pattern uses a lookahead/);
  });
});

describe('sql statements', () => {
  it('a statement Stepwise does not recognise: a warning naming the word, at the statement, saying it is treated as a write', () => {
    const source = `${FM}\n::confirm[Go?]{#go}\n\n:::sql{#typo target=db}\n\`\`\`sql\n-- the count\nSELEC 1\n\`\`\`\n:::\n`;
    const [d, ...rest] = diagnostics(source, 'sql-unknown-statement');
    expect(rest).toEqual([]);
    expect(d!.severity).toBe('warning');
    expect(where(d!)).toBe('11:1');
    expect(d!.message).toBe(
      '`SELEC` is not a statement Stepwise recognises, so it is treated as a write, which needs a confirm before it, unless the step is marked readonly=true',
    );
    expect(d!.hint).toMatch(/check the spelling of `SELEC`; if the statement only reads, add readonly=true/);
  });

  it('says nothing when readonly says what the statement does, or when it is recognised', () => {
    expect(
      diagnostics(
        `${FM}\n::sql{#a target=db readonly=true query="PRAGMA quick_check"}\n\n::sql{#b target=db query="SELECT 1"}\n`,
        'sql-unknown-statement',
      ),
    ).toEqual([]);
  });

  it('a step that would be refused for want of a confirm says why it is taken to write', () => {
    const [d] = diagnostics(`${FM}\n::sql{#typo target=db query="SELEC 1"}\n`, 'write-without-confirm');
    expect(d!.message).toBe(
      '`typo` is treated as a write (`SELEC` is not a statement Stepwise recognises), but no confirm guards it; a headless run will refuse it without --allow-writes',
    );
  });

  it('several statements without script=true: an error at the second statement, with the fix', () => {
    const source = `${FM}\n:::sql{#two target=db}\n\`\`\`sql\nSELECT 1;\n  SELECT 2;\n\`\`\`\n:::\n\n::sql{#leaf target=db query="SELECT 1; SELECT 2"}\n`;
    const found = diagnostics(source, 'sql-several-statements');
    expect(found.map((d) => d.severity)).toEqual(['error', 'error']);
    expect(found.map(where)).toEqual(['9:3', '13:40']);
    expect(found[0]!.message).toBe(
      'this sql step holds 2 statements (the second, `SELECT 2`, begins at line 9, column 3), but a sql step runs one statement unless it is marked script=true',
    );
    expect(found[0]!.hint).toBe(
      'add script=true to run them in order in one transaction (all or nothing), or put each statement in a sql step of its own',
    );
  });

  it('several statements with script=true, a trailing semicolon or a comment after it are fine', () => {
    const source = `${FM}\n::confirm[Go?]\n\n:::sql{#s target=db script=true}\n\`\`\`sql\nDELETE FROM t;\nDELETE FROM u;\n\`\`\`\n:::\n\n::sql{#one target=db query="SELECT 1; -- done"}\n`;
    expect(diagnostics(source, 'sql-several-statements')).toEqual([]);
  });
});

describe('wait bounds', () => {
  it('every below 100ms: an error at the attribute', () => {
    const source = `${FM}\n::shell{#s readonly run="true"}\n\n::wait{#w step=s until="s.exitCode == 0" every=1ms}\n`;
    const [d, ...rest] = diagnostics(source, 'wait-interval');
    expect(rest).toEqual([]);
    expect(d!.severity).toBe('error');
    expect(where(d!)).toBe('8:48'); // its value, 1ms
    expect(d!.message).toMatch(/every=1ms is too short: a wait re-runs its step at most every 100ms/);
  });

  it('100ms, and attempts=, are fine; attempts=0 is not a number of attempts', () => {
    const ok = `${FM}\n::shell{#s readonly run="true"}\n\n::wait{#w step=s until="true" every=100ms attempts=3}\n`;
    expect(diagnostics(ok).filter((d) => d.severity === 'error')).toEqual([]);
    const zero = diagnostics(ok.replace('attempts=3', 'attempts=0'), 'attribute-invalid');
    expect(zero.map((d) => d.message)).toEqual([expect.stringMatching(/not a whole number of at least 1/)]);
  });
});
