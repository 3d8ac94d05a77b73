/**
 * bin/stepwise.js compiles the bundle with V8's code cache (dist/cli.code-cache). A cache that is
 * missing, damaged or cannot be written never changes what a command does: it only starts slower,
 * and the command writes a cache V8 takes the next time. Each case runs a copy of bin/ and dist/,
 * so the checkout's own cache is left alone.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { scratch } from '../helpers/scratch.js';

const tmp = scratch('code-cache');
afterAll(() => rmSync(tmp.dir, { recursive: true, force: true }));
const RUNBOOK = tmp.write('rb.md', '---\ntitle: t\n---\n\n# t\n\n::shell{#hi readonly run="echo hi"}\n');

/** A copy of the installed command: bin/, dist/ without its cache, the checkout's packages. */
function install(name: string): { bin: string; cache: string; dist: string } {
  const dir = tmp.path(name);
  mkdirSync(join(dir, 'dist'), { recursive: true });
  cpSync(join(ROOT, 'bin'), join(dir, 'bin'), { recursive: true });
  for (const file of readdirSync(join(ROOT, 'dist')))
    if (file !== 'cli.code-cache' && !file.endsWith('.map')) cpSync(join(ROOT, 'dist', file), join(dir, 'dist', file));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return { bin: join(dir, 'bin/stepwise.js'), cache: join(dir, 'dist/cli.code-cache'), dist: join(dir, 'dist') };
}

function check(bin: string) {
  const result = spawnSync(process.execPath, [bin, 'check', '--no-cache', RUNBOOK], {
    cwd: tmp.dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the code cache', () => {
  it('is written by the first command and taken by the next', () => {
    const { bin, cache } = install('fresh');
    expect(check(bin)).toEqual({ code: 0, stdout: '', stderr: '1 file checked: no problems\n' });
    const written = statSync(cache);
    expect(written.size).toBeGreaterThan(100_000);
    expect(check(bin).code).toBe(0);
    // Taken: a rejected cache is written again, as a new file renamed over the old one.
    expect(statSync(cache).ino).toBe(written.ino);
  });

  it('a damaged cache is rejected by V8, the command runs from the source and writes a good one', () => {
    const { bin, cache } = install('damaged');
    writeFileSync(cache, Buffer.alloc(300_000, 7));
    const damaged = statSync(cache).ino;
    expect(check(bin)).toEqual({ code: 0, stdout: '', stderr: '1 file checked: no problems\n' });
    const rewritten = statSync(cache);
    expect(rewritten.ino).not.toBe(damaged);
    expect(check(bin).code).toBe(0);
    expect(statSync(cache).ino).toBe(rewritten.ino);
  });

  it('a cache that cannot be written costs nothing but time: no error, no file left behind', () => {
    const { bin, cache, dist } = install('unwritable');
    mkdirSync(join(cache, 'in-the-way'), { recursive: true }); // neither readable as a file nor replaceable
    const before = readdirSync(dist).sort();
    expect(check(bin)).toEqual({ code: 0, stdout: '', stderr: '1 file checked: no problems\n' });
    expect(readdirSync(dist).sort()).toEqual(before);
    expect(statSync(cache).isDirectory()).toBe(true);
  });
});
