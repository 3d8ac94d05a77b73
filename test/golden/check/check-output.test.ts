/**
 * `check`'s output does not change when the parser gets faster or cached: for every runbook of
 * the corpus (corpus.ts), `stepwise check --format json` prints byte for byte what it printed
 * when goldens.json was recorded (before the parser was reworked), and parseRunbook returns the
 * same document and diagnostics (compared by a sha256 of their JSON, as the import command and
 * the TUI read them). With the cache too: a first run that writes it, a second that reads it.
 *
 * To record again after an intended change: STEPWISE_RECORD_GOLDENS=1 npx vitest run test/golden/check
 * The corpus includes the format reference (runbooks/README.md) and mutations of it: an edit to
 * that document changes their entries, which are then recorded again (and only theirs change).
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { check } from '../../../cli/commands/check.js';
import { readIncludedFile } from '../../../engine/document/include.js';
import { parseRunbook } from '../../../engine/document/parse.js';
import { stepSpecs } from '../../../engine/steps/registry.js';
import { generatedCorpus, realRunbooks, ROOT } from './corpus.js';

const GOLDENS = join(import.meta.dirname, 'goldens.json');
const record = process.env.STEPWISE_RECORD_GOLDENS === '1';

interface Golden {
  check: string;
  parse: string;
}

const dir = mkdtempSync(join(tmpdir(), 'stepwise-golden-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// The generated runbooks stand beside a copy of what the real ones include (runbooks/shared/), so
// their includes read as the originals' do.
cpSync(join(ROOT, 'runbooks', 'shared'), join(dir, 'shared'), { recursive: true });

/** Every input: its name in goldens.json, the path check is given, and how that path is printed. */
const inputs: { name: string; path: string; shown: string }[] = [
  ...realRunbooks().map((path) => ({ name: path, path: join(ROOT, path), shown: path })),
  ...generatedCorpus().map(({ name, source }) => {
    const path = join(dir, name);
    writeFileSync(path, source);
    return { name: `generated/${name}`, path, shown: `generated/${name}` };
  }),
];

async function runCheck(path: string, shown: string, extra: string[] = []): Promise<string> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  stdout.on('data', (d: Buffer) => out.push(d));
  stderr.resume();
  await check.run(['--format', 'json', ...extra, path], { stdout, stderr, env: { NO_COLOR: '1' }, cwd: dir });
  // The temporary folder's name changes every run: a message naming it (an include's folder) says `<dir>`.
  return Buffer.concat(out).toString('utf8').replaceAll(path, shown).replaceAll(dir, '<dir>');
}

function parseDigest(path: string, shown: string): string {
  const source = readFileSync(path, 'utf8');
  const result = parseRunbook(source, shown, { readFile: readIncludedFile, generatedIds: 'content', specs: stepSpecs });
  // An included runbook's steps carry its absolute path: the checkout's place is not part of the digest.
  const text = JSON.stringify(result).replaceAll(ROOT.replace(/\/$/, ''), '<root>').replaceAll(dir, '<dir>');
  return createHash('sha256').update(text).digest('hex');
}

describe("check's output is what it was before the parser changed", () => {
  const goldens: Record<string, Golden> =
    !record && existsSync(GOLDENS) ? JSON.parse(readFileSync(GOLDENS, 'utf8')) : {};
  const recorded: Record<string, Golden> = {};

  it('the corpus is the one recorded (no input added or lost)', () => {
    if (record) return;
    expect(inputs.map((i) => i.name).sort()).toEqual(Object.keys(goldens).sort());
  });

  it.each(inputs)('$name', async ({ name, path, shown }) => {
    const output = await runCheck(path, shown, record ? [] : ['--no-cache']);
    const parse = parseDigest(path, shown);
    if (record) {
      recorded[name] = { check: output, parse };
      return;
    }
    expect(output).toBe(goldens[name]!.check);
    expect(parse).toBe(goldens[name]!.parse);
  });

  it('the same with the cache, written by one run and read by the next', async () => {
    if (record) return;
    // The cache goes under the working folder's .stepwise/ (here `dir`, the check's cwd).
    for (const { name, path, shown } of inputs.slice(0, 40)) {
      const first = await runCheck(path, shown);
      const second = await runCheck(path, shown);
      expect(first, name).toBe(goldens[name]!.check);
      expect(second, name).toBe(goldens[name]!.check);
    }
  });

  afterAll(() => {
    if (record) writeFileSync(GOLDENS, `${JSON.stringify(recorded, null, 1)}\n`);
  });
});
