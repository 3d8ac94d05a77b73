/**
 * Files a user names are read only when they are regular files, and only up to 10 MiB: runbooks
 * (check, graph, run), includes, --answers and --secrets files, --sign-key and --public-key files,
 * and verify's exported transcript. /dev/zero would grow to gigabytes and a FIFO would block
 * forever: each is refused at once, naming what it is. The large file is sparse (nothing is
 * written but its size), and every command runs with a time limit, so none of this can hang a
 * test run or fill memory.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stepwise, type CliResult } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'stepwise-read-files-'));
const fifo = join(dir, 'pipe');
execFileSync('mkfifo', [fifo]);
const folder = join(dir, 'folder.md');
mkdirSync(folder);
const big = join(dir, 'big.md');
writeFileSync(big, '');
truncateSync(big, 11 * 1024 * 1024); // sparse: 11 MiB of size, no blocks written
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const ok = file('ok.md', '# Fine\n\n::note[all good]\n');

/** The real binary with a time limit: a FIFO that blocks fails the test instead of hanging it. */
const run = (args: string[]): CliResult => stepwise(args, { cwd: dir, timeout: 15_000 });

const NOT_REGULAR: [string, string, string][] = [
  ['/dev/zero', '/dev/zero', 'a character device'],
  ['a FIFO', fifo, 'a FIFO (named pipe)'],
  ['a directory', folder, 'a directory'],
];

describe('runbooks', () => {
  it.each(NOT_REGULAR)('check, graph and run refuse %s at once, naming what it is', (_name, path, kind) => {
    for (const args of [
      ['check', path],
      ['graph', path],
      ['run', path, '--dry-run'],
    ]) {
      const r = run(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stdout + r.stderr).toContain(`\`${path}\` is not a regular file (${kind}); give a runbook file`);
    }
  });

  it('refuse a file over 10 MiB with its size and the limit (and a missing one is still "no such file")', () => {
    const r = run(['check', big, join(dir, 'nope.md')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(
      `${big}:1:1: error: \`${big}\` is 11 MiB, over the 10 MiB limit for a runbook file [too-large]`,
    );
    expect(r.stdout).toContain(`cannot read ${join(dir, 'nope.md')}: no such file [cannot-read]`);
  });
});

describe('includes', () => {
  it.each([...NOT_REGULAR, ['a file over 10 MiB', big, '']])(
    'an include of %s is an include-unreadable error, at once',
    (_name, path, kind) => {
      const runbook = file(
        `includes-${_name.replace(/\W+/g, '-')}.md`,
        `# Includes\n\n::include{src="${path}" as=other}\n`,
      );
      const r = run(['check', runbook]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toContain('[include-unreadable]');
      expect(r.stdout).toContain(
        kind
          ? `\`${path}\` is not a regular file (${kind}); give a runbook file`
          : `\`${path}\` is 11 MiB, over the 10 MiB limit for a runbook file`,
      );
    },
  );
});

describe('answers, secrets and key files', () => {
  const expectUsage = (r: CliResult, message: string): void => {
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toContain(message);
  };

  it.each(NOT_REGULAR)('--answers, --secrets and --sign-key refuse %s (exit 4)', (_name, path, kind) => {
    expectUsage(
      run(['run', ok, '--dry-run', '--answers', path]),
      `\`${path}\` is not a regular file (${kind}); give an answers file`,
    );
    expectUsage(
      run(['run', ok, '--dry-run', '--secrets', path]),
      `\`${path}\` is not a regular file (${kind}); give a secrets file`,
    );
    expectUsage(
      run(['check', ok, '--secrets', path]),
      `\`${path}\` is not a regular file (${kind}); give a secrets file`,
    );
    expectUsage(
      run(['run', ok, '--dry-run', '--sign-key', path]),
      `\`${path}\` is not a regular file (${kind}); give a key file`,
    );
    expectUsage(
      run(['verify', ok, '--public-key', path]),
      `\`${path}\` is not a regular file (${kind}); give a public key file`,
    );
  });

  it('refuse a file over the limit with its size', () => {
    expectUsage(
      run(['run', ok, '--dry-run', '--answers', big]),
      `\`${big}\` is 11 MiB, over the 10 MiB limit for an answers file`,
    );
    expectUsage(
      run(['run', ok, '--dry-run', '--sign-key', big]),
      `\`${big}\` is 11 MiB, over the 64 KiB limit for a key file`,
    );
  });
});

describe('verify FILE', () => {
  it.each(NOT_REGULAR)('refuses %s as a transcript (exit 2)', (_name, path, kind) => {
    const r = run(['verify', path]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(
      `\`${path}\` is not a regular file (${kind}); give a transcript file (from stepwise export)`,
    );
  });
});
