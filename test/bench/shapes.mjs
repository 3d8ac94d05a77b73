#!/usr/bin/env node
// Search for slow shapes: documents of one small unit repeated to --kb kilobytes (default 64), each
// unit a container prefix (a quote, an item, a footnote definition, indented 1 to 3 spaces or by a
// tab) before the first line of a block, with a blank line after it or not: 21 × 20 × 2 = 840
// shapes. Each is parsed as `check` parses (engine/document/markdown.ts, parseMarkdown) in a child
// process of its own, stopped at --cap ms (default 10,000), and the slowest are printed with what
// the same size of prose takes: a shape many times the prose's is read by micromark block by
// block, or (worse than linear, found by timing it at two sizes) as one chunk it cannot cut.
// The 2 s a megabyte of issue #13 is about 130 ms at 64 KB. Bundles the parser with esbuild.
// A shape nested past MAX_NESTING is stopped as check stops it (nesting-too-deep) and timed so.
// Run after `npm ci`: node test/bench/shapes.mjs [--kb 64] [--cap 10000] [--top 40]
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const arg = (name, fallback) =>
  process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback;
const KB = arg('--kb', 64);
const CAP = arg('--cap', 10_000);
const TOP = arg('--top', 40);
const root = fileURLToPath(new URL('../..', import.meta.url));
const out = join(root, 'node_modules/.cache/stepwise-bench-shapes');
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(root, 'engine/document/markdown.ts'), join(root, 'engine/document/nesting.ts')],
  outdir: out,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
});
// The child: the unit repeated to the size (`@` a different word each time), parsed once, its ms
// printed. As `check` does (engine/document/parse.ts), a text nested past MAX_NESTING is not parsed:
// its time is findTooDeep's, and the child says so after it.
const child = join(out, 'parse-one.mjs');
writeFileSync(
  child,
  `import { parseMarkdown } from './markdown.mjs';
import { findTooDeep } from './nesting.mjs';
const [unit, bytes] = [JSON.parse(process.argv[2]), Number(process.argv[3])];
let text = '';
for (let i = 0; text.length < bytes; i++) text += unit.replace(/@/g, () => 'w' + (i++).toString(36));
const start = performance.now();
const tooDeep = findTooDeep(text) !== null;
if (!tooDeep) parseMarkdown(text);
console.log((performance.now() - start).toFixed(0) + (tooDeep ? ' too-deep' : ''));
`,
);

const PREFIXES = [
  '> ',
  '> > ',
  ' > ',
  '   > ',
  '- ',
  '1. ',
  '2) ',
  '- > ',
  '> - ',
  '- - ',
  '  - ',
  '   - ',
  '\t',
  '> \t',
];
PREFIXES.push('-\t', '[^@]: ', '* ', '- [ ] ', '> 1. ', '>', '> > > ');
const FIRSTS = ['@ @', '# @', '***', '---', '===', '- @', '1. @', '| @ | 1 |', '```', '~~~', '<div>', '<!-- @ -->'];
FIRSTS.push('::sql{#q@ target=db}', '[@]: http://x', '[^@]: @', '- [ ] @', '    @', '> @', ':::if{that="true"}', ':::');

/** Shapes `check` stops at MAX_NESTING (nesting-too-deep) before parsing them. */
const tooDeep = new Set();

/** Milliseconds to parse `unit` repeated to `kb` KB, or null when it ran past the cap. */
function time(unit, kb) {
  const r = spawnSync(process.execPath, [child, JSON.stringify(unit), String(kb * 1024)], {
    encoding: 'utf8',
    timeout: CAP,
  });
  if (r.status !== 0) return null;
  const [ms, deep] = r.stdout.trim().split(' ');
  if (deep !== undefined) tooDeep.add(unit);
  return Number(ms);
}

const prose = time('Some prose here, @ and more.\n\n', KB);
console.log(`shapes: ${PREFIXES.length * FIRSTS.length * 2} units, each to ${KB} KB; prose takes ${prose} ms`);
const results = [];
for (const prefix of PREFIXES)
  for (const first of FIRSTS)
    for (const after of ['\n', '\n\n']) {
      const unit = `${prefix}${first}${after}`;
      results.push({ unit, ms: time(unit, KB) });
    }
results.sort((a, b) => (b.ms ?? Infinity) - (a.ms ?? Infinity));
const slow = results.filter((r) => r.ms === null || r.ms > 4 * prose);
console.log(`${slow.length} of ${results.length} take over 4x the prose (${4 * prose} ms); the slowest ${TOP}:`);
for (const { unit, ms } of slow.slice(0, TOP)) {
  // Worse than linear: a quarter of the size takes less than an eighth of the time (a quarter if
  // linear, a sixteenth if quadratic).
  const quarter = ms === null ? null : time(unit, KB / 4);
  const grows = ms === null || (quarter !== null && quarter * 8 < ms) ? '   (worse than linear)' : '';
  const deep = tooDeep.has(unit) ? '   (nesting-too-deep: not parsed)' : '';
  console.log(`  ${JSON.stringify(unit).padEnd(36)} ${ms === null ? `over ${CAP}` : ms} ms${grows}${deep}`);
}
if (tooDeep.size > 0) console.log(`${tooDeep.size} shapes nest past MAX_NESTING: check stops them before parsing`);
