/**
 * The inputs `check`'s output is pinned on (check-output.test.ts) and the fuzz test mutates
 * (test/check/fuzz.test.ts): the seeds, the repository's runbooks, the plain-Markdown fixtures,
 * generated runbooks (the drill benchmark's, many steps, nesting), and seeded mutations of the
 * runbooks. Everything here is deterministic: the same seed gives the same corpus.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bigProse, junk, manySteps, nestedIfs, nestedLists } from '../../helpers/generate.js';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** Repository-relative paths of the real runbooks: seeds, runbooks/, plain-Markdown fixtures. */
export function realRunbooks(): string[] {
  const md = (dir: string): string[] =>
    readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.md'))
      .map((f) => join(dir, f))
      .sort();
  const seeds = readdirSync(join(ROOT, 'fixtures'))
    .sort()
    .filter((name) => existsSync(join(ROOT, 'fixtures', name, 'seed')))
    .flatMap((name) => md(join('fixtures', name, 'seed')));
  const runbooks = md('runbooks').filter((p) => !p.endsWith('README.md'));
  return [...seeds, ...runbooks, 'runbooks/README.md', ...md('test/fixtures-plain')];
}

/** The drill benchmark's runbook (test/bench/drill.mjs): `steps` × sql count, assert, http GET, assert. */
export function drillRunbook(steps = 500): string {
  const lines = [
    '---',
    'title: Throughput drill',
    'targets:',
    '  db: { kind: postgres, url: "postgres://postgres@127.0.0.1:5432/test?options=-c%20search_path%3Dbench_1" }',
    '  api: { kind: http, base: "http://127.0.0.1:40000" }',
    '---',
    '',
  ];
  for (let i = 0; i < steps; i++) {
    lines.push(
      `::sql{#c${i} target=db query="SELECT count(*)::int AS n FROM items"}`,
      '',
      `::assert[count ${i}]{that="c${i}.rows[0].n == 100"}`,
      '',
      `::http{#h${i} target=api path=/health}`,
      '',
      `::assert[health ${i}]{that='h${i}.json.status == "ok"'}`,
      '',
    );
  }
  return lines.join('\n');
}

/** A small deterministic generator (a 32-bit LCG), so a failing input can be made again from its seed. */
export function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

/** What a mutation inserts: the pieces of syntax a runbook is made of, and some that break it. */
const TOKENS = [
  ':::',
  '::::',
  ':::sql{#x}',
  '::assert[a]{that="1 == 1"}',
  '::::if{that="true"}',
  ':::if{that="true"}\n',
  '{#dup}',
  '```',
  '```sql\n',
  '~~~',
  '- ',
  '- - - ',
  '> ',
  '> > ',
  '1. ',
  '---\n',
  '[',
  ']',
  '](',
  '*',
  '**',
  '_',
  '`',
  '"',
  "'",
  '{',
  '}',
  '{{ ',
  ' }}',
  '\n',
  '\n\n',
  '<!--',
  '-->',
  '<div>',
  '|',
  '| a | b |\n|---|---|\n',
  '\\',
  '&amp;',
  '[x]: http://x\n',
  '    ',
  '\t',
  '#',
  '## ',
  ':a[',
  '::b{',
  'é',
  '\u200b',
];

/** 1 to `ops` random edits of a runbook: delete, duplicate or swap lines, insert syntax, cut. */
export function mutate(source: string, seed: number, ops = 3): string {
  const next = random(seed);
  const pick = (n: number): number => Math.floor(next() * n);
  let text = source;
  const count = 1 + pick(ops);
  for (let i = 0; i < count; i++) {
    const lines = text.split('\n');
    switch (pick(7)) {
      case 0:
        lines.splice(pick(lines.length), 1 + pick(3));
        text = lines.join('\n');
        break;
      case 1: {
        const at = pick(lines.length);
        lines.splice(at, 0, ...lines.slice(at, at + 1 + pick(6)));
        text = lines.join('\n');
        break;
      }
      case 2: {
        const a = pick(lines.length);
        const b = pick(lines.length);
        [lines[a], lines[b]] = [lines[b]!, lines[a]!];
        text = lines.join('\n');
        break;
      }
      case 3:
      case 4: {
        const at = pick(text.length + 1);
        text =
          text.slice(0, at) + TOKENS[pick(TOKENS.length)]!.repeat(1 + (pick(8) === 0 ? pick(40) : 0)) + text.slice(at);
        break;
      }
      case 5: {
        const at = pick(text.length + 1);
        text = text.slice(0, at) + text.slice(at + pick(200));
        break;
      }
      default:
        text = text.slice(0, pick(text.length + 1));
    }
  }
  return text;
}

export interface CorpusEntry {
  name: string;
  source: string;
}

/**
 * The generated part of the corpus: synthetic runbooks, and `perFile` mutations of each real one
 * (half of them light, up to 3 edits; half heavy, up to 12, so that many rules fire).
 */
export function generatedCorpus(perFile = 4): CorpusEntry[] {
  const entries: CorpusEntry[] = [
    { name: 'drill-500.md', source: drillRunbook(500) },
    { name: 'many-steps-300.md', source: manySteps(300) },
    { name: 'nested-ifs-30.md', source: nestedIfs(30) },
    { name: 'nested-lists-60.md', source: nestedLists(60) },
    { name: 'prose-64k.md', source: bigProse(64 * 1024) },
    { name: 'junk-1.md', source: junk(4096, 1) },
    { name: 'junk-2.md', source: junk(4096, 2) },
  ];
  let seed = 1;
  for (const path of realRunbooks()) {
    const source = readFileSync(join(ROOT, path), 'utf8');
    const base = path.replaceAll('/', '__');
    for (let i = 0; i < perFile; i++, seed++)
      entries.push({ name: `mut-${seed}-${base}`, source: mutate(source, seed * 7919, i < perFile / 2 ? 3 : 12) });
  }
  return entries;
}
