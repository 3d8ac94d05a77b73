/** readTextFile against real files, devices, a FIFO and a directory: what it reads, what it refuses, and why. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileReadError, MAX_TEXT_FILE_BYTES, readTextFile } from '../../engine/io/read-bounded.js';

const dir = mkdtempSync(join(tmpdir(), 'stepwise-read-bounded-'));
const fifo = join(dir, 'pipe');
execFileSync('mkfifo', [fifo]);

const refusal = (path: string, options: Parameters<typeof readTextFile>[1]): FileReadError => {
  try {
    readTextFile(path, options);
  } catch (error) {
    if (error instanceof FileReadError) return error;
    throw error;
  }
  throw new Error(`${path} was read`);
};

describe('readTextFile', () => {
  it('reads a regular file as UTF-8, up to and including the limit', () => {
    const path = join(dir, 'text.md');
    writeFileSync(path, 'héllo ✓\n');
    expect(readTextFile(path, { what: 'runbook file' })).toBe('héllo ✓\n');
    expect(readTextFile(path, { what: 'runbook file', maxBytes: Buffer.byteLength('héllo ✓\n') })).toBe('héllo ✓\n');
    writeFileSync(join(dir, 'empty.md'), '');
    expect(readTextFile(join(dir, 'empty.md'), { what: 'runbook file' })).toBe('');
  });

  it.each([
    ['/dev/zero', '/dev/zero', 'a character device'],
    ['/dev/null', '/dev/null', 'a character device'],
    ['a FIFO, without waiting for a writer', fifo, 'a FIFO (named pipe)'],
    ['a directory', dir, 'a directory'],
  ])('refuses %s, naming what it is', (_name, path, kind) => {
    const error = refusal(path, { what: 'runbook file' });
    expect(error.message).toBe(`\`${path}\` is not a regular file (${kind}); give a runbook file`);
    expect(error).toMatchObject({ reason: 'not-regular', code: undefined, path });
  });

  it('refuses a file over the limit with its size and the limit, without reading it', () => {
    const path = join(dir, 'big.md');
    writeFileSync(path, '');
    truncateSync(path, MAX_TEXT_FILE_BYTES + 1024 * 1024); // sparse
    expect(refusal(path, { what: 'answers file' }).message).toBe(
      `\`${path}\` is 11 MiB, over the 10 MiB limit for an answers file`,
    );
    writeFileSync(join(dir, 'small.md'), 'x'.repeat(1500));
    expect(refusal(join(dir, 'small.md'), { what: 'key file', maxBytes: 1024 })).toMatchObject({
      reason: 'too-large',
      message: `\`${join(dir, 'small.md')}\` is 1.5 KiB, over the 1 KiB limit for a key file`,
    });
  });

  it('stops one byte past the limit in a file whose size the kernel does not report (/proc)', () => {
    if (!existsSync('/proc/self/maps')) return;
    expect(readTextFile('/proc/self/maps', { what: 'file' }).length).toBeGreaterThan(0);
    expect(refusal('/proc/self/maps', { what: 'file', maxBytes: 16 })).toMatchObject({
      reason: 'too-large',
      message: expect.stringMatching(/is more than 17 bytes, over the 16 bytes limit/),
    });
  });

  it('keeps the system error code for a missing or unreadable file', () => {
    expect(refusal(join(dir, 'nope.md'), { what: 'runbook file' })).toMatchObject({
      code: 'ENOENT',
      reason: 'unreadable',
      message: `cannot read ${join(dir, 'nope.md')}: no such file`,
    });
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'file'), '');
    expect(refusal(join(dir, 'sub', 'file', 'x.md'), { what: 'runbook file' })).toMatchObject({ code: 'ENOTDIR' });
  });
});
