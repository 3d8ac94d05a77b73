/**
 * `::::each` through the built binary, end to end: `check` prints a loop's mistakes as
 * file:line:col with their rule and exits 2, `graph` marks the loop's steps, `run` records each
 * iteration under its own id and a report of the run lists them.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { stepwise, stepwiseAsync } from '../helpers/cli.js';
import { scratch } from '../helpers/scratch.js';

const { dir, write } = scratch('cli-loops');
const store = join(dir, 'store.db');

const good = `# Ports

::::each{items="[7000, 7001, 7002]" as=port}
::note[probing {{ port }} ({{ loop.index + 1 }} of {{ loop.count }})]{#probe}
::::

::assert[three probed]{that="probe.length == 3 && probe[2].text == 'probing 7002 (3 of 3)'"}
`;

describe('stepwise with ::::each', () => {
  it('check: each mistake at file:line:col with its rule, exit 2', () => {
    const path = write(
      'bad.md',
      `# Bad\n\n::::each{items="5" as=port max=20000}\n::note[{{ port }}]{#probe}\n::::\n\n::assert[x]{that="probe.text == 'a'"}\n\n::each{items="[1]" as=x}\n`,
    );
    const r = stepwise(['check', path]);
    expect(r.code).toBe(2);
    const out = r.stdout + r.stderr;
    expect(out).toContain(`${path}:3:17: error: \`each\` walks a list, but \`items="5"\` is the number [each-items]`);
    expect(out).toContain(
      `${path}:3:32: error: \`max=20000\` is not a number of items from 1 to 10,000 [attribute-invalid]`,
    );
    expect(out).toMatch(new RegExp(`${path.replace(/[.\\/]/g, '\\$&')}:7:19: error: .*\\[loop-result-array\\]`));
    expect(out).toMatch(/hint: read one item's result, `probe\[i\]\.text`/);
    expect(out).toContain(`${path}:9:1: error: \`each\` marks a region`);
  });

  it('check passes a valid loop; graph marks its steps', () => {
    const path = write('good.md', good);
    expect(stepwise(['check', path]).code).toBe(0);
    const graph = stepwise(['graph', path]);
    expect(graph.code).toBe(0);
    expect(graph.stdout).toMatch(/probe +note .*↻ each port in \[7000, 7001, 7002\]/);
  });

  it('run records each iteration as id[i]; the report lists them', async () => {
    const path = write('good-run.md', good);
    const r = await stepwiseAsync(['run', '--headless', '--store', store, path]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/↻ `each` over `\[7000, 7001, 7002\]` \(good-run\.md:3\): 3 items, as `port`/);
    expect(r.stdout).toMatch(/✓ probe\[0\] +note .*probing 7000 \(1 of 3\)/);
    expect(r.stdout).toMatch(/✓ probe\[2\] +note .*probing 7002 \(3 of 3\)/);
    const runId = /run (\d{8}-\d{6}-[0-9a-f]+)/.exec(r.stdout)![1]!;
    const report = stepwise(['render', runId, '--store', store, '--format', 'md']);
    expect(report.code).toBe(0);
    expect(report.stdout).toMatch(/\| 3 \| probe\\\[2\\\] \| note \| ✓ passed/);
    expect(report.stdout).not.toMatch(/never reached/);
  });
});
