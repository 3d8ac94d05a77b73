/**
 * The check cache (engine/document/cache.ts, cli/load.ts): a second check of an unchanged runbook
 * reads its entry; a change to the runbook or to a file it includes is seen; a corrupt entry or
 * one written by another version is ignored and written again; a folder where the cache cannot be
 * written means no cache, never a failure; --no-cache neither reads nor writes it; the folder
 * stays bounded (one entry per runbook path, least recently used entries removed past the bounds).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { check } from '../../cli/commands/check.js';
import { run } from '../../cli/commands/run.js';
import { checkCached } from '../../cli/load.js';
import { MAX_ENTRIES, pruneCache } from '../../engine/document/cache.js';
import { locateStore } from '../../engine/store/open.js';

const root = mkdtempSync(join(tmpdir(), 'stepwise-cache-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function runCheck(cwd: string, args: string[]): Promise<{ code: number; out: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  stdout.on('data', (d: Buffer) => out.push(d));
  stderr.resume();
  const code = await check.run(['--format', 'json', ...args], { stdout, stderr, env: { NO_COLOR: '1' }, cwd });
  return { code, out: Buffer.concat(out).toString('utf8') };
}

const entries = (cwd: string): string[] =>
  readdirSync(join(cwd, '.stepwise', 'cache')).filter((f) => f.endsWith('.json'));

/** An entry's two lines (engine/document/cache.ts): its head, what check prints, and its body, what a run reads. */
function readEntry(file: string): { head: Record<string, unknown>; body: Record<string, unknown> } {
  const [head, body, ...rest] = readFileSync(file, 'utf8').split('\n');
  expect(rest).toEqual([]);
  return { head: JSON.parse(head!), body: JSON.parse(body!) };
}
const entryText = (entry: { head: unknown; body: unknown }): string =>
  `${JSON.stringify(entry.head)}\n${JSON.stringify(entry.body)}`;

function project(): { cwd: string; main: string; inc: string } {
  const cwd = mkdtempSync(join(root, 'p-'));
  const inc = join(cwd, 'inc.md');
  writeFileSync(inc, '# Inc\n\n::assert[inner]{that="1 == 1"}\n');
  const main = join(cwd, 'main.md');
  writeFileSync(main, '# Main\n\n::include{src=inc.md as=inc}\n\n::assert[outer]{that="1 =="}\n');
  return { cwd, main, inc };
}

describe('the check cache', () => {
  it('is created by check, but a run (create: false) only writes where a .stepwise folder already is', async () => {
    const { cwd, main } = project();
    const source = readFileSync(main, 'utf8');
    await checkCached(source, main, { cwd, use: true, create: false });
    expect(readdirSync(cwd)).not.toContain('.stepwise');
    mkdirSync(join(cwd, '.stepwise'));
    await checkCached(source, main, { cwd, use: true, create: false });
    expect(entries(cwd)).toHaveLength(1);
  });

  it('is written on the first check and read on the second, with the same output', async () => {
    const { cwd, main } = project();
    const first = await runCheck(cwd, [main]);
    expect(first.code).toBe(2);
    expect(JSON.parse(first.out).map((d: { rule: string }) => d.rule)).toEqual(['expression-syntax']);
    expect(entries(cwd)).toHaveLength(1);
    expect(readFileSync(join(cwd, '.stepwise', 'cache', '.gitignore'), 'utf8')).toContain('*');
    // The entry is what the second check prints: change its diagnostics and the change shows.
    const file = join(cwd, '.stepwise', 'cache', entries(cwd)[0]!);
    const entry = readEntry(file);
    (entry.head.diagnostics as { message: string }[])[0]!.message = 'from the cache';
    writeFileSync(file, entryText(entry));
    const second = await runCheck(cwd, [main]);
    expect(JSON.parse(second.out)[0].message).toBe('from the cache');
    // check reads the head alone: a body it cannot parse does not matter to it...
    writeFileSync(file, `${JSON.stringify(entry.head)}\n{"key":`);
    expect(JSON.parse((await runCheck(cwd, [main])).out)[0].message).toBe('from the cache');
    // ...but a run reads the body, and with a damaged one parses again and writes a whole entry.
    const source = readFileSync(main, 'utf8');
    const checked = await checkCached(source, main, { cwd, use: true, create: true });
    expect(checked.document.steps.map((s) => s.kind)).toEqual(['include', 'assert', 'assert']);
    expect(checked.diagnostics.map((d) => d.message)).not.toContain('from the cache');
    expect(readEntry(file).body.key).toBe(entry.body.key);
    // --no-cache parses again.
    const fresh = await runCheck(cwd, ['--no-cache', main]);
    expect(fresh.out).toBe(first.out);
  });

  it('sees a change to the runbook and to a file it includes', async () => {
    const { cwd, main, inc } = project();
    await runCheck(cwd, [main]);
    writeFileSync(inc, '# Inc\n\n::assert[inner]{that="1 =="}\n');
    const changed = await runCheck(cwd, [main]);
    expect(JSON.parse(changed.out).map((d: { file: string; rule: string }) => [d.file, d.rule])).toEqual([
      [main, 'expression-syntax'],
      [inc, 'expression-syntax'],
    ]);
    rmSync(inc);
    const gone = await runCheck(cwd, [main]);
    expect(JSON.parse(gone.out).map((d: { rule: string }) => d.rule)).toContain('include-unreadable');
    writeFileSync(main, '# Main\n\n::assert[outer]{that="1 == 1"}\n');
    expect((await runCheck(cwd, [main])).code).toBe(0);
  });

  it('ignores a corrupt entry, or one of another version or key, and writes it again', async () => {
    const { cwd, main } = project();
    const first = await runCheck(cwd, [main]);
    const file = join(cwd, '.stepwise', 'cache', entries(cwd)[0]!);
    const good = readFileSync(file, 'utf8');
    const { head, body } = readEntry(file);
    for (const bad of [
      '{"format":1,"key":"x',
      'null',
      JSON.stringify({ ...head, body }),
      entryText({ head: { ...head, version: '0.0.1-other', diagnostics: [] }, body }),
      entryText({ head: { ...head, key: 'another', diagnostics: [] }, body }),
      entryText({ head: { ...head, format: 99, diagnostics: [] }, body }),
      entryText({ head: { ...head, secrets: null, diagnostics: [] }, body }),
    ]) {
      writeFileSync(file, bad);
      expect((await runCheck(cwd, [main])).out).toBe(first.out);
      expect(readFileSync(file, 'utf8')).toBe(good);
    }
  });

  it('is no cache at all where it cannot be written, and check still works', async () => {
    const { cwd, main } = project();
    writeFileSync(join(cwd, '.stepwise'), 'a file where the folder would go');
    const result = await runCheck(cwd, [main]);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.out)).toHaveLength(1);
    const other = mkdtempSync(join(root, 'q-'));
    mkdirSync(join(other, '.stepwise'));
    writeFileSync(join(other, '.stepwise', 'cache'), 'a file where the folder would go');
    expect((await runCheck(other, [main])).out).toBe(result.out);
  });

  it('--no-cache writes nothing', async () => {
    const { cwd, main } = project();
    await runCheck(cwd, ['--no-cache', main]);
    expect(() => readdirSync(join(cwd, '.stepwise'))).toThrow();
  });

  it('keeps one entry per runbook however often it is edited', async () => {
    const { cwd, main } = project();
    for (let i = 0; i < 5; i++) {
      writeFileSync(main, `# Main ${i}\n\n::assert[outer]{that="${i} == ${i}"}\n`);
      expect((await runCheck(cwd, [main])).code).toBe(0);
    }
    expect(entries(cwd)).toHaveLength(1);
    const other = join(cwd, 'other.md');
    writeFileSync(other, '# Other\n\n::assert[x]{that="1 == 1"}\n');
    await runCheck(cwd, [other]);
    expect(entries(cwd)).toHaveLength(2);
  });

  it('removes the least recently used entries past its bounds, and stale temporary files', async () => {
    const { cwd } = project();
    const paths: string[] = [];
    for (let i = 0; i < 6; i++) {
      const path = join(cwd, `r${i}.md`);
      writeFileSync(path, `# R${i}\n\n::assert[x]{that="${i} == ${i}"}\n`);
      await runCheck(cwd, [path]);
      paths.push(path);
    }
    const dir = join(cwd, '.stepwise', 'cache');
    const names = entries(cwd);
    expect(names).toHaveLength(6);
    // Age every entry, one minute apart in the order written; then use the oldest (a hit touches it).
    const at = Date.now() / 1000 - 3600;
    const byRunbook = new Map<string, string>();
    for (const name of names) {
      const { body } = readEntry(join(dir, name));
      byRunbook.set((body.document as { path: string }).path, name);
    }
    paths.forEach((path, i) => {
      const file = join(dir, byRunbook.get(path)!);
      utimesSync(file, at + i * 60, at + i * 60);
    });
    await runCheck(cwd, [paths[0]!]);
    const stale = join(dir, `${'a'.repeat(64)}.json.1-x.tmp`);
    writeFileSync(stale, 'half');
    utimesSync(stale, at, at);
    const fresh = join(dir, `${'b'.repeat(64)}.json.1-y.tmp`);
    writeFileSync(fresh, 'being written');
    pruneCache(dir, { entries: 3, bytes: Number.MAX_SAFE_INTEGER });
    const kept = new Set(entries(cwd));
    // r0 (just used), r4 and r5 (the most recent writes) stay; r1, r2, r3 go.
    expect([0, 1, 2, 3, 4, 5].filter((i) => kept.has(byRunbook.get(paths[i]!)!))).toEqual([0, 4, 5]);
    const left = readdirSync(dir);
    expect(left).not.toContain(stale.split('/').pop());
    expect(left).toContain(fresh.split('/').pop());
    expect(left).toContain('.gitignore');
    // A byte bound works the same way: with room for one entry, only the most recently used stays.
    pruneCache(dir, { entries: 100, bytes: readFileSync(join(dir, byRunbook.get(paths[0]!)!)).length });
    expect(entries(cwd)).toEqual([byRunbook.get(paths[0]!)]);
  });

  it('prunes by itself when a check adds an entry past MAX_ENTRIES', async () => {
    const { cwd, main } = project();
    await runCheck(cwd, [main]);
    const dir = join(cwd, '.stepwise', 'cache');
    const old = Date.now() / 1000 - 86_400;
    for (let i = 0; i < MAX_ENTRIES; i++) {
      const file = join(dir, `${i.toString(16).padStart(64, '0')}.json`);
      writeFileSync(file, '{}');
      utimesSync(file, old, old);
    }
    expect(entries(cwd).length).toBe(MAX_ENTRIES + 1);
    const other = join(cwd, 'other.md');
    writeFileSync(other, '# Other\n\n::assert[x]{that="1 == 1"}\n');
    await runCheck(cwd, [other]);
    expect(entries(cwd).length).toBe(MAX_ENTRIES);
    // The two real entries are the most recent: they stay, and the second check of main is a hit.
    expect(entries(cwd).filter((name) => !name.startsWith('0000'))).toHaveLength(2);
  });

  // A store in a folder above the temporary one (someone ran Stepwise in /tmp) would be the run's: skip then.
  it.skipIf(locateStore(undefined, {}, root).from !== 'default')(
    'is written by a run whose store goes in this folder, and by no other run',
    async () => {
      const quiet = (): PassThrough => {
        const stream = new PassThrough();
        stream.resume();
        return stream;
      };
      const runIn = (cwd: string, env: Record<string, string>, file: string): Promise<number> =>
        run.run(['--headless', file], { stdout: quiet(), stderr: quiet(), env: { NO_COLOR: '1', ...env }, cwd });
      const elsewhere = project();
      const store = join(mkdtempSync(join(root, 'store-')), 'runs.db');
      writeFileSync(elsewhere.main, '# Main\n\n::assert[outer]{that="1 == 1"}\n');
      expect(await runIn(elsewhere.cwd, { STEPWISE_STORE: store }, elsewhere.main)).toBe(0);
      expect(readdirSync(elsewhere.cwd)).not.toContain('.stepwise');
      const here = project();
      writeFileSync(here.main, '# Main\n\n::assert[outer]{that="1 == 1"}\n');
      expect(await runIn(here.cwd, {}, here.main)).toBe(0);
      expect(readdirSync(join(here.cwd, '.stepwise')).sort()).toEqual(expect.arrayContaining(['cache', 'stepwise.db']));
      expect(entries(here.cwd)).toHaveLength(1);
    },
  );

  it('gives back the same document and graph it was given, a step in the blocks being the one in the steps', async () => {
    const { cwd, main } = project();
    writeFileSync(
      main,
      '# Main\n\n::include{src=inc.md as=inc}\n\n::::if{that="inc.outcome == \'passed\'"}\n## Then\n::assert[then]{#t that="1 == 1"}\n::::\n\n::::each{items="[1, 2]" as=n}\n::assert[each]{#e that="n > 0"}\n::::\n',
    );
    const source = readFileSync(main, 'utf8');
    const cold = await checkCached(source, main, { cwd, use: false, create: true });
    await checkCached(source, main, { cwd, use: true, create: true });
    const warm = await checkCached(source, main, { cwd, use: true, create: true });
    expect(warm).not.toBe(cold);
    expect(JSON.parse(JSON.stringify(warm))).toEqual(JSON.parse(JSON.stringify(cold)));
    const inBlocks: unknown[] = [];
    const walk = (blocks: typeof warm.document.blocks): void => {
      for (const b of blocks) {
        if ('step' in b) inBlocks.push(b.step);
        if ('blocks' in b) walk(b.blocks);
      }
    };
    walk(warm.document.blocks);
    expect(inBlocks).toHaveLength(warm.document.steps.length);
    expect(warm.document.steps.map((step) => step.id)).toEqual(['include-inc', 'inc.assert-inner', 't', 'e']);
    for (const [i, step] of inBlocks.entries()) expect(step).toBe(warm.document.steps[i]);
    expect(warm.graph.nodes.map((n) => n.id)).toEqual(cold.graph.nodes.map((n) => n.id));
  });
});
