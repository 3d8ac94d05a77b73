/** The real `stepwise` binary: check and graph output, exit codes, help, usage errors. */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, stepwise } from '../helpers/cli.js';
import { loadedModules, moduleLogEnv } from '../helpers/module-log.js';

const dir = mkdtempSync(join(tmpdir(), 'stepwise-cli-'));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const invalid = file(
  'invalid.md',
  '---\ntargets:\n  db: { kind: postgres, url: "postgres://x" }\n---\n\n::sql{#a target=dbx query="select 1"}\n\n::assert[ok]{that="a.rowCount =="}\n',
);
const valid = join(ROOT, 'runbooks/demo.md');

describe('stepwise check', () => {
  it('prints file:line:col diagnostics and exits 2 on errors', () => {
    const r = stepwise(['check', invalid]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`${invalid}:6:17: error: unknown target \`dbx\`; did you mean \`db\`? [unknown-target]`);
    expect(r.stdout).toMatch(new RegExp(`${invalid.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:8:\\d+: error: expression`));
    expect(r.stderr).toContain('1 file checked: 2 errors, 0 warnings');
  });

  it('exits 0 on a valid runbook and says so on stderr', () => {
    const r = stepwise(['check', valid]);
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(r.stderr).toContain('no problems');
  });

  it('warns, at its declaration, of a declared secret under 8 characters from the environment or --secrets, never printing it', () => {
    const runbook = file(
      'short-secrets.md',
      '---\nsecrets: [API_KEY, PIN, LONG_ONE]\n---\n\n::shell{#a readonly run="echo {{ secrets.API_KEY }}"}\n',
    );
    const secrets = file('short.yml', 'PIN: "4711"\n');
    const r = stepwise(['check', runbook, '--secrets', secrets], {
      env: { API_KEY: 'k3y!x', LONG_ONE: 'long-enough-value' },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `${runbook}:2:11: warning: secret \`API_KEY\` (from $API_KEY) is only 5 characters long: a secret shorter than 8 is masked only where it stands as a whole word, so it would show inside a longer word [short-secret]`,
    );
    expect(r.stdout).toContain(`${runbook}:2:20: warning: secret \`PIN\` (from --secrets) is only 4 characters long`);
    expect(r.stdout).not.toMatch(/LONG_ONE|k3y!x|4711/);
    // Unset secrets, and secrets a command would fetch, are not checked: check runs nothing.
    const unset = stepwise(['check', runbook], { env: { API_KEY: '', LONG_ONE: '' } });
    expect(unset).toMatchObject({ code: 0, stdout: '' });
    expect(stepwise(['check', runbook, '--secrets', join(dir, 'missing.yml')]).code).toBe(4);
  });

  it('gives JSON for editors', () => {
    const r = stepwise(['check', '--format', 'json', invalid, valid]);
    expect(r.code).toBe(2);
    const items = JSON.parse(r.stdout) as {
      file: string;
      line: number;
      column: number;
      severity: string;
      rule: string;
    }[];
    expect(items).toContainEqual(
      expect.objectContaining({ file: invalid, line: 6, column: 17, severity: 'error', rule: 'unknown-target' }),
    );
    expect(items.every((i) => i.file === invalid)).toBe(true);
  });

  it('a missing file is an error at the file, not a crash', () => {
    const r = stepwise(['check', join(dir, 'nope.md')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('nope.md:1:1: error: cannot read');
  });

  it('warnings alone exit 0', () => {
    const path = file(
      'warn.md',
      '---\ntargets:\n  db: { kind: sqlite, path: x.db }\n---\n\n::sql{query="DELETE FROM t"}\n',
    );
    const r = stepwise(['check', path]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('warning: ');
  });
});

describe('stepwise graph', () => {
  it('prints the documented JSON shape', () => {
    const r = stepwise(['graph', valid, '--format', 'json']);
    expect(r.code).toBe(0);
    const graph = JSON.parse(r.stdout) as {
      nodes: { id: string; kind: string; line: number }[];
      edges: { from: string; to: string; why: string }[];
    };
    expect(graph.nodes[0]).toMatchObject({ id: 'health', kind: 'http', line: 19 });
    expect(graph.edges).toContainEqual(expect.objectContaining({ from: 'stuck', to: 'go', why: 'reference' }));
  });

  it.each([
    ['text', /stuck\s+sql @shop/],
    ['mermaid', /^flowchart TD/],
    ['dot', /^digraph "Stuck orders \(demo\)" \{/],
  ])('--format %s', (format, pattern) => {
    const r = stepwise(['graph', valid, '--format', format]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(pattern);
  });

  it('refuses an invalid runbook with its errors on stderr', () => {
    const r = stepwise(['graph', invalid]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('unknown-target');
  });
});

describe('the command line', () => {
  it('--version and --help', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(stepwise(['--version'])).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
    expect(stepwise(['--help']).stdout).toMatch(/Commands:[\s\S]*check[\s\S]*graph/);
    for (const command of ['check', 'graph']) {
      const r = stepwise([command, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: stepwise ${command}`));
    }
  });

  it.each([
    [['chek', 'x.md'], /unknown command `chek`; did you mean `check`/],
    [['check', '--formt', 'json', 'x.md'], /unknown option --formt; did you mean --format/],
    [['check', '--format', 'xml', 'x.md'], /--format must be one of text, json/],
    [['check'], /name at least one runbook/],
    [['graph', 'a.md', 'b.md'], /name one runbook/],
  ])('usage errors exit 4: %j', (args, message) => {
    const r = stepwise(args);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(message);
  });

  it('check never loads drivers, the sandbox or the TUI', () => {
    const log = join(dir, 'check-modules.log');
    const runbooks = readdirSync(join(ROOT, 'runbooks'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => join(ROOT, 'runbooks', f));
    const r = stepwise(['check', '--no-cache', invalid, ...runbooks], { env: moduleLogEnv(dir, log) });
    expect(r.code).toBe(2);
    const loaded = loadedModules(log);
    // The log works: it lists the command's own file and the builtins the bundle requires.
    expect(loaded.some((m) => m.endsWith('/bin/stepwise.js'))).toBe(true);
    expect(loaded.some((m) => /^(node:)?fs$/.test(m))).toBe(true);
    expect(loaded.filter((m) => /\/node_modules\/(pg|vm2|ink|react|better-sqlite3|@electric-sql)/.test(m))).toEqual([]);
  });
});
