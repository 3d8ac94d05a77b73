/** Step results and plans as compact lines, per kind: bounded, aligned, and inert whatever they hold. */
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import type { StepPlan } from '../../engine/run/events.js';
import { describePlan, describeResult, resultDescribers } from '../../renderers/results/index.js';
import { cutToWidth } from '../../renderers/table.js';

/** Control sequences, C1 controls and bidi overrides: none may reach the terminal. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const HOSTILE = 'ok\u001b]0;pwned\u0007\u001b[31mred\u001b[0m \u009b2J \u202edesrever\r\nnext';

const sqlResult = (rows: Record<string, unknown>[], more: Record<string, unknown> = {}) => ({
  rows,
  rowCount: rows.length,
  fields: Object.keys(rows[0] ?? {}).map((name) => ({ name })),
  command: 'SELECT',
  truncated: false,
  sha256: 'ab'.repeat(32),
  ms: 3,
  ...more,
});

describe('sql results', () => {
  it('aligns columns in terminal cells: wide characters, NULLs, numbers to the right', () => {
    const lines = describeResult(
      'sql',
      sqlResult([
        { id: 7, name: '東京タワー', note: null },
        { id: 1234, name: 'ab', note: 'x' },
      ]),
    );
    expect(lines).toEqual([
      '  id  name        note',
      '----  ----------  ----',
      '   7  東京タワー  NULL',
      '1234  ab          x',
      '2 rows',
    ]);
    // The third column starts at the same terminal column on every row, though 東京タワー is 5 characters and 10 cells.
    const third = lines.slice(0, 4).map((l) => stringWidth(l.slice(0, l.lastIndexOf('  ') + 2)));
    expect(new Set(third).size).toBe(1);
  });

  it('500 rows show 10, with the total count and the digest of them all', () => {
    const rows = Array.from({ length: 500 }, (_, i) => ({ n: i + 1, label: `row ${i + 1}` }));
    const lines = describeResult('sql', sqlResult(rows, { rowCount: 1200, truncated: true }));
    expect(lines).toHaveLength(2 + 10 + 1);
    expect(lines[2]).toBe(' 1  row 1');
    expect(lines[11]).toBe('10  row 10');
    expect(lines.at(-1)).toBe(`1200 rows, showing 10 (the transcript keeps 500); sha256 ${'ab'.repeat(8)}…`);
    expect(describeResult('sql', sqlResult(rows.slice(0, 12))).at(-1)).toBe(
      `12 rows, showing 10; sha256 ${'ab'.repeat(8)}…`,
    );
  });

  it('escapes newlines and control characters in cells, and cuts wide cells to a width', () => {
    const lines = describeResult(
      'sql',
      sqlResult([{ body: 'line one\nline two\ttab', long: 'x'.repeat(100), bidi: 'a\u202eb' }]),
    );
    expect(lines[2]).toContain('line one\\nline two\\ttab');
    expect(lines[2]).toContain(`${'x'.repeat(39)}…`);
    expect(lines[2]).toContain('a<U+202E>b');
    for (const line of lines) expect(line).not.toMatch(UNSAFE);
  });

  it('leaves out the columns past the width and says so', () => {
    const row = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`column_${i}`, 'v'.repeat(20)]));
    const lines = describeResult('sql', sqlResult([row]), { width: 80 });
    expect(lines.every((l) => stringWidth(l) <= 80)).toBe(true);
    expect(lines[0]).toMatch(/^column_0 +column_1 +column_2$/);
    expect(lines.at(-1)).toBe('1 row; 9 more columns not shown');
  });

  it('a write shows its command tag; an empty result its header and 0 rows', () => {
    expect(
      describeResult('sql', {
        rows: [],
        rowCount: 3,
        fields: [],
        command: 'UPDATE',
        truncated: false,
        sha256: '',
        ms: 1,
      }),
    ).toEqual(['UPDATE 3']);
    expect(describeResult('sql', sqlResult([], { fields: [{ name: 'id' }], rowCount: 0 }))).toEqual([
      'id',
      '--',
      '0 rows',
    ]);
    expect(describeResult('sql', sqlResult([{ id: 1 }], { command: 'INSERT' })).at(-1)).toBe('INSERT 1');
  });

  it("a script's per-statement results, each under its number", () => {
    const lines = describeResult('sql', {
      statements: [{ rows: [], rowCount: 2, fields: [], command: 'DELETE' }, sqlResult([{ n: 0 }])],
    });
    expect(lines).toEqual(['statement 1:', '  DELETE 2', 'statement 2:', '  n', '  -', '  0', '  1 row']);
  });
});

describe('sql plans', () => {
  it('keeps the statement as it ran and lists its bind values apart, marked as such', () => {
    const plan: StepPlan = {
      summary: 'UPDATE orders on db',
      text: 'UPDATE orders SET note = $1\nWHERE id = $2 AND tag = $3',
      params: ["it's\nme", 42, null],
      effect: true,
    };
    expect(describePlan('sql', plan)).toEqual([
      'UPDATE orders SET note = $1',
      'WHERE id = $2 AND tag = $3',
      'bind values, not part of the SQL text:',
      "  $1 = 'it\\'s\\nme'",
      '  $2 = 42',
      '  $3 = NULL',
    ]);
  });

  it("SQLite's ? placeholders are numbered in order", () => {
    const plan: StepPlan = {
      summary: 'SELECT on shop',
      text: "SELECT * FROM t WHERE a = ? AND b = '?' AND c = ?",
      params: ['x', 2],
      effect: false,
    };
    expect(describePlan('sql', plan).slice(1)).toEqual([
      'bind values, not part of the SQL text (one per ?, in order):',
      "  ?1 = 'x'",
      '  ?2 = 2',
    ]);
  });

  it("a script's statements each with their own bind values", () => {
    const plan: StepPlan = {
      summary: 'script of 2 statements on db',
      text: 'DELETE FROM a WHERE id = $1;\nUPDATE b SET n = $1 WHERE m = $2;',
      params: [[1], ['two', 3]],
      effect: true,
    };
    expect(describePlan('sql', plan)).toEqual([
      'DELETE FROM a WHERE id = $1;',
      'bind values, not part of the SQL text:',
      '  $1 = 1',
      'UPDATE b SET n = $1 WHERE m = $2;',
      'bind values, not part of the SQL text:',
      "  $1 = 'two'",
      '  $2 = 3',
    ]);
  });

  it('hostile bind values are escaped, long ones cut saying how long they were', () => {
    const plan: StepPlan = { summary: 's', text: 'SELECT $1, $2', params: [HOSTILE, 'y'.repeat(500)], effect: false };
    const lines = describePlan('sql', plan);
    for (const line of lines) expect(line).not.toMatch(UNSAFE);
    expect(lines[2]).toBe(
      "  $1 = 'ok\\u001b]0;pwned\\u0007\\u001b[31mred\\u001b[0m \\u009b2J <U+202E>desrever\\r\\nnext'",
    );
    expect(lines[3]).toMatch(/^ {2}\$2 = 'y+… \(500 characters\)$/);
  });
});

describe('http results', () => {
  const json = { status: 'degraded', checks: Array.from({ length: 20 }, (_, i) => ({ name: `c${i}` })) };
  it('status and reason, the interesting headers, a JSON excerpt of the first lines', () => {
    const lines = describeResult('http', {
      status: 503,
      headers: { 'Content-Type': 'application/json', location: '/elsewhere', 'x-other': 'no' },
      body: JSON.stringify(json),
      json,
      bytes: 480,
      truncated: false,
      sha256: 'cd'.repeat(32),
      ms: 12,
      attempts: 1,
    });
    expect(lines.slice(0, 6)).toEqual([
      '503 Service Unavailable  480 bytes · 12 ms',
      'content-type: application/json',
      'location: /elsewhere',
      '{',
      '  "status": "degraded",',
      '  "checks": [',
    ]);
    expect(lines).toHaveLength(3 + 12 + 1);
    expect(lines.at(-1)).toMatch(/^… \d+ more lines$/);
  });

  it('a body that is not JSON shows its first lines; a cut body says so', () => {
    const body = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join('\n');
    const lines = describeResult('http', {
      status: 200,
      headers: { 'content-type': 'text/plain' },
      body,
      bytes: 5_000_000,
      truncated: true,
      sha256: 'ef'.repeat(32),
      ms: 40,
    });
    expect(lines[2]).toBe('line 1');
    expect(lines).toContain('… 18 more lines');
    expect(lines.at(-1)).toBe(`(5000000 bytes, truncated; sha256 ${'ef'.repeat(8)}…)`);
  });

  it('a plan is the request as sent', () => {
    expect(
      describePlan('http', {
        summary: 'POST http://x/y',
        text: 'POST http://x/y\ncontent-type: application/json\n\n{"a":1}',
        effect: true,
      }),
    ).toEqual(['POST http://x/y', 'content-type: application/json', '', '{"a":1}']);
  });
});

describe('shell results', () => {
  it('the exit code and the tail of stdout and stderr', () => {
    const stdout = `${Array.from({ length: 40 }, (_, i) => `out ${i + 1}`).join('\n')}\n`;
    const lines = describeResult('shell', { exitCode: 2, stdout, stderr: 'boom\n', ms: 8, truncated: false });
    expect(lines).toEqual([
      'exit 2  8 ms',
      'stdout:',
      '  … 28 earlier lines',
      ...Array.from({ length: 12 }, (_, i) => `  out ${i + 29}`),
      'stderr:',
      '  boom',
    ]);
  });

  it('says when output was cut, and leaves the tail out when the output was already shown', () => {
    const result = {
      exitCode: 0,
      stdout: 'a\n',
      stderr: '',
      ms: 1,
      truncated: true,
      stdoutBytes: 3_000_000,
      stdoutSha256: '01'.repeat(32),
      stderrBytes: 0,
      stderrSha256: '',
    };
    expect(describeResult('shell', result, { streamed: true })).toEqual([
      'exit 0  1 ms',
      `truncated: the transcript keeps each stream's first bytes; stdout 3000000 bytes in all (sha256 ${'01'.repeat(8)}…)`,
    ]);
  });

  it('a plan is the script, then the environment values it reads, marked as values', () => {
    const plan: StepPlan = {
      summary: 'bash: kill',
      text: 'kill -TERM "$STEPWISE_V1"\necho "$STEPWISE_V2"',
      env: { STEPWISE_V1: '4242', STEPWISE_V2: "a'b\nc" },
      effect: true,
    };
    expect(describePlan('shell', plan)).toEqual([
      'kill -TERM "$STEPWISE_V1"',
      'echo "$STEPWISE_V2"',
      'environment values (the script reads them as variables; never part of its text):',
      "  $STEPWISE_V1 = '4242'",
      "  $STEPWISE_V2 = 'a\\'b\\nc'",
    ]);
  });
});

describe('the other kinds', () => {
  it('assert: the expression, what it expected and the actual value', () => {
    const plan: StepPlan = { summary: 'assert stuck.rowCount == 0', effect: false };
    expect(describeResult('assert', { passed: false, actual: 2 }, { plan })).toEqual([
      'does not hold: stuck.rowCount == 0',
      '  expected  == 0',
      '  actual    2  (stuck.rowCount)',
    ]);
    expect(
      describeResult(
        'assert',
        { passed: true, actual: 'ok' },
        { plan: { summary: 'assert health.ok', effect: false } },
      ),
    ).toEqual(['holds: health.ok', '  expected  a true value', "  actual    'ok'"]);
  });

  it('confirm, input, wait, set, note', () => {
    expect(describeResult('confirm', { answer: true, by: 'ann', at: '2026-11-23T10:00:00.000Z' })).toEqual([
      'answered yes by ann at 2026-11-23T10:00:00.000Z',
    ]);
    expect(describeResult('input', { value: '***' })).toEqual(["= '***'"]);
    expect(describeResult('wait', { passed: true, attempts: 3 })).toEqual(['held after 3 attempts']);
    expect(describeResult('set', { total: 4, who: 'ann', list: [1, 2] })).toEqual([
      'total = 4',
      "who = 'ann'",
      'list = [1,2]',
    ]);
    expect(describeResult('note', { text: 'first\nsecond' })).toEqual(['first', 'second']);
  });

  it('a kind with no describer gets a JSON excerpt; an empty result nothing', () => {
    expect(Object.keys(resultDescribers).sort()).toEqual([
      'assert',
      'confirm',
      'http',
      'input',
      'note',
      'set',
      'shell',
      'sql',
      'wait',
    ]);
    expect(describeResult('custom', { a: 1, b: [true] })).toEqual([
      '{',
      '  "a": 1,',
      '  "b": [',
      '    true',
      '  ]',
      '}',
    ]);
    expect(describeResult('include', {})).toEqual([]);
    expect(describeResult('toString', { a: 1 })).toHaveLength(3);
  });

  it('a result of an unexpected shape still shows, as JSON', () => {
    expect(describeResult('sql', { rows: 'not rows', rowCount: 'x' })).toEqual(['0 rows']);
    expect(describeResult('http', 'a string')).toEqual(['"a string"']);
  });
});

describe('every describer, given hostile text', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['sql', sqlResult([{ [HOSTILE]: HOSTILE }])],
    [
      'http',
      {
        status: 200,
        headers: { 'content-type': HOSTILE, location: HOSTILE },
        body: HOSTILE,
        bytes: 10,
        truncated: false,
      },
    ],
    ['http', { status: 200, headers: {}, body: '', json: { [HOSTILE]: HOSTILE }, bytes: 10, truncated: false }],
    ['shell', { exitCode: 0, stdout: HOSTILE, stderr: HOSTILE, truncated: false }],
    ['assert', { passed: false, actual: HOSTILE }],
    ['confirm', { answer: true, by: HOSTILE, at: HOSTILE }],
    ['input', { value: HOSTILE }],
    ['set', { [HOSTILE]: HOSTILE }],
    ['note', { text: HOSTILE }],
    ['custom', { [HOSTILE]: HOSTILE }],
  ];
  it.each(cases)('%s: no control sequence, bidi override or line break gets through', (kind, result) => {
    const lines = describeResult(kind, result, {
      plan: { summary: `assert ${HOSTILE}`, effect: false },
      width: 300,
      cell: 100,
    });
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).not.toMatch(UNSAFE);
    expect(lines.join('\n')).toContain('<U+202E>desrever');
  });

  it.each(['sql', 'http', 'shell', 'custom'])('%s plan: the same', (kind) => {
    const lines = describePlan(kind, {
      summary: HOSTILE,
      text: `${HOSTILE}\n${HOSTILE}`,
      params: [HOSTILE],
      env: { V: HOSTILE },
      effect: true,
    });
    for (const line of lines) expect(line).not.toMatch(UNSAFE);
  });

  it('colour comes only from the paint given, after the text was cleaned and cut', () => {
    const paint = (code: string, text: string): string => `\u001b[${code}m${text}\u001b[0m`;
    const lines = describeResult('sql', sqlResult([{ a: HOSTILE }]), { paint });
    expect(lines[0]).toBe('\u001b[1ma\u001b[0m');
    expect(lines[2]).not.toMatch(UNSAFE);
  });
});

describe('bounds', () => {
  it('every line fits the width, counted in terminal cells', () => {
    const wide = '界'.repeat(200);
    const results: [string, unknown][] = [
      ['sql', sqlResult([{ a: wide, b: wide, c: wide }])],
      ['http', { status: 200, headers: {}, body: wide, bytes: 600, truncated: false }],
      ['shell', { exitCode: 0, stdout: wide, stderr: '', truncated: false }],
      ['note', { text: wide }],
    ];
    for (const [kind, result] of results)
      for (const line of describeResult(kind, result, { width: 60 })) expect(stringWidth(line)).toBeLessThanOrEqual(60);
  });

  it('cutToWidth never splits a wide character or an emoji', () => {
    expect(cutToWidth('ab界界', 4)).toBe('ab…');
    expect(cutToWidth('👩‍💻👩‍💻👩‍💻', 5)).toBe('👩‍💻👩‍💻…');
    expect(cutToWidth('short', 10)).toBe('short');
  });
});
