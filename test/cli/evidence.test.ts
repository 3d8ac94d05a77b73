/**
 * The evidence commands end to end through the real binary: every run leaves a transcript in the
 * store; runs, show, export and verify read it; tampering with the store or an export fails
 * verify at the right seq; signed heads catch a recomputed chain and a cut-off tail; a second
 * responder is kept out by the runbook lock.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventHash, type ChainedEvent } from '../../engine/transcript/chain.js';
import { stepwise, stepwiseAsync } from '../helpers/cli.js';
import { until } from '../helpers/until.js';

const dir = mkdtempSync(join(tmpdir(), 'stepwise-evidence-'));
const store = join(dir, 'store.db');
const env = { STEPWISE_STORE: store };
const dbPath = join(dir, 'shop.db');
const db = new Database(dbPath);
db.exec("CREATE TABLE orders (id INTEGER PRIMARY KEY, status TEXT); INSERT INTO orders VALUES (1, 'NEW'), (2, 'NEW');");
db.close();

const runbook = join(dir, 'evidence.md');
writeFileSync(
  runbook,
  `---
title: Evidence drill
targets:
  shop: { kind: sqlite, path: ${dbPath} }
---

# Evidence

::sql{#count target=shop query="SELECT count(*) AS n FROM orders"}

::assert[Two orders]{that="count.rows[0].n == 2"}

::shell{#hello run="echo hello from shell"}

::confirm[Mark them?]{#go}

::sql{#mark target=shop query="UPDATE orders SET status = 'DONE'"}
`,
);

const runIdOf = (output: string): string => /transcript (\S+): (\d+) events, sha256:([0-9a-f]{64})/.exec(output)![1]!;
const digestOf = (output: string): string => /sha256:([0-9a-f]{64})/.exec(output)![1]!;

function events(runId: string): ChainedEvent[] {
  const d = new Database(store, { readonly: true });
  const rows = d.prepare('SELECT event FROM events WHERE run_id = ? ORDER BY seq').pluck().all(runId) as string[];
  d.close();
  return rows.map((r) => JSON.parse(r) as ChainedEvent);
}
function rewrite(runId: string, change: (events: ChainedEvent[]) => void): void {
  const all = events(runId);
  change(all);
  const d = new Database(store);
  const update = d.prepare('UPDATE events SET event = ?, hash = ? WHERE run_id = ? AND seq = ?');
  for (const e of all) update.run(JSON.stringify(e), e.hash, runId, e.seq);
  d.close();
}
function rechain(all: ChainedEvent[], from: number): void {
  for (let i = from; i < all.length; i++) {
    all[i]!.prev = i === 0 ? null : all[i - 1]!.hash;
    all[i]!.hash = eventHash(all[i]!);
  }
}

describe('a run leaves a transcript that the evidence commands read', () => {
  const first = stepwise(['run', '--allow-writes', runbook, '--yes'], { env });
  const runId = runIdOf(first.stdout);

  it('run ends by naming the run and its final digest', () => {
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/transcript \S+: \d+ events, sha256:[0-9a-f]{64}/);
  });

  it('runs lists it, as a table and as JSON', () => {
    const table = stepwise(['runs'], { env });
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^RUN\s+RUNBOOK\s+STATUS\s+OPERATOR/);
    expect(table.stdout).toContain(runId);
    expect(table.stdout).toMatch(/Evidence drill\s+passed/);
    const json = JSON.parse(stepwise(['runs', '--json'], { env }).stdout) as {
      runId: string;
      status: string;
      head: string;
    }[];
    expect(json.find((r) => r.runId === runId)).toMatchObject({ status: 'passed', head: digestOf(first.stdout) });
  });

  it('show prints the timeline: start, steps, the answered gate, the end', () => {
    const shown = stepwise(['show', runId], { env });
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/run started\s+Evidence drill/);
    expect(shown.stdout).toMatch(/✓ count\s+passed/);
    expect(shown.stdout).toMatch(/\? go\s+confirmed: yes by .* \(yes\)/);
    expect(shown.stdout).toMatch(/PASSED\s+exit 0/);
    const verbose = stepwise(['show', 'last', '--verbose'], { env });
    expect(verbose.stdout).toContain("UPDATE orders SET status = 'DONE'");
    expect(verbose.stdout).toContain('hello from shell');
  });

  it('verify checks the run in the store and prints the same final digest', () => {
    const v = stepwise(['verify', runId], { env });
    expect(v.code).toBe(0);
    expect(v.stdout).toContain(`final digest sha256:${digestOf(first.stdout)}`);
  });

  it('export writes JSON Lines that verify on their own, with no store', () => {
    const file = join(dir, 'export.jsonl');
    expect(stepwise(['export', runId, '-o', file], { env }).code).toBe(0);
    const v = stepwise(['verify', file], { env: { STEPWISE_STORE: join(dir, 'elsewhere.db') } });
    expect(v.code).toBe(0);
    expect(v.stdout).toContain(digestOf(first.stdout));
    expect(stepwise(['export', runId], { env }).stdout).toBe(readFileSync(file, 'utf8'));
  });

  it('an edited, removed, swapped or garbage line in an export fails verify at its seq (exit 6)', () => {
    const lines = stepwise(['export', runId], { env }).stdout.trimEnd().split('\n');
    const check = (changed: string[], seq: number): void => {
      const file = join(dir, `bad-${seq}-${Math.random()}.jsonl`);
      writeFileSync(file, `${changed.join('\n')}\n`);
      const v = stepwise(['verify', file]);
      expect(v.code, v.stdout + v.stderr).toBe(6);
      expect(v.stdout).toContain(`broken at seq ${seq}`);
    };
    expect(lines[3]).toContain('"attempt":1');
    check(
      lines.map((l, i) => (i === 3 ? l.replace('"attempt":1', '"attempt":2') : l)),
      4,
    );
    check(
      lines.filter((_, i) => i !== 2),
      3,
    );
    check([...lines.slice(0, 2), lines[3]!, lines[2]!, ...lines.slice(4)], 3);
    check([...lines.slice(0, 5), 'garbage', ...lines.slice(5)], 6);
    check([...lines.slice(0, 5), '', ...lines.slice(5)], 6);
  });

  it('a byte changed in the store fails verify at that seq, naming it', () => {
    const runId2 = runIdOf(stepwise(['run', '--allow-writes', runbook, '--yes'], { env }).stdout);
    rewrite(runId2, (all) => {
      expect(all[5]!.type).toBe('step.finished');
      (all[5]!.data as { ms: number }).ms += 1;
    });
    const v = stepwise(['verify', runId2], { env });
    expect(v.code).toBe(6);
    expect(v.stdout).toMatch(/broken at seq 6: seq 6: its content does not match its hash/);
  });

  it('verify --all audits every run in the store and names the ones that fail', () => {
    const listed = JSON.parse(stepwise(['runs', '--json', '--limit', '1000'], { env }).stdout) as { runId: string }[];
    const all = stepwise(['verify', '--all'], { env });
    expect(all.code).toBe(6);
    // Only failures are printed, then the count: the run tampered with above, at its seq.
    expect(all.stdout).toMatch(
      /^FAILED {2}run \S+: broken at seq 6: seq 6: its content does not match its hash \(the event was changed\)\n/,
    );
    expect(all.stdout).toContain(`FAILED  1 of ${listed.length} runs in ${store} do not verify`);
    const json = stepwise(['verify', '--all', '--json'], { env })
      .stdout.trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { ok: boolean; runId: string });
    expect(json).toHaveLength(listed.length);
    expect(json.filter((v) => !v.ok)).toHaveLength(1);
    expect(stepwise(['verify', '--all', 'extra'], { env }).code).toBe(4);
  });

  it('unknown runs, bad files and ambiguous prefixes are clear errors', () => {
    const none = stepwise(['show', 'no-such-run'], { env });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no run `no-such-run` in .*store\.db/);
    const ambiguous = stepwise(['show', '2'], { env });
    expect(ambiguous.code).toBe(4);
    expect(ambiguous.stderr).toMatch(/matches several runs/);
    // A path is read as a file, never looked up as a run id.
    const missing = stepwise(['verify', join(dir, 'gone.jsonl')], { env });
    expect(missing).toMatchObject({ code: 2, stdout: '' });
    expect(missing.stderr).toContain(`cannot read ${join(dir, 'gone.jsonl')}: no such file`);
    const folder = stepwise(['verify', dir], { env });
    expect(folder.code).toBe(2);
    expect(folder.stderr).toMatch(/is not a regular file \(a directory\); give a transcript file/);
    const binary = join(dir, 'noise.jsonl');
    writeFileSync(binary, Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 37 + 11) % 256)));
    const noise = stepwise(['verify', binary], { env });
    expect(noise.code).toBe(6);
    expect(noise.stdout).toMatch(/^FAILED {2}.*noise\.jsonl: broken at seq 1: line 1 is not a JSON event/);
    expect(noise.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/); // no raw control bytes reach the terminal
  });
});

describe('bounded output', () => {
  it("a shell step past 1 MB of output keeps its first MB, and the evidence holds each whole stream's size and sha256", () => {
    const loud = join(dir, 'loud.md');
    writeFileSync(
      loud,
      `---\ntitle: Loud\n---\n\n::shell{#loud run="yes stepwise | head -c 3000000; echo warn >&2"}\n\n::shell{#quiet run="echo hi"}\n`,
    );
    const r = stepwise(['run', '--allow-writes', loud, '--headless'], { env });
    expect(r.code, r.stderr).toBe(0);
    const finished = events(runIdOf(r.stdout)).filter((e) => e.type === 'step.finished');
    const loudResult = finished.find((e) => e.data.stepId === 'loud')!.data as { result: Record<string, unknown> };
    expect(loudResult.result).toMatchObject({
      truncated: true,
      stdoutBytes: 3_000_000,
      stderrBytes: 5,
      stderrSha256: createHash('sha256').update('warn\n').digest('hex'),
    });
    expect(loudResult.result.stdoutSha256).toBe(
      createHash('sha256').update('stepwise\n'.repeat(333_334).slice(0, 3_000_000)).digest('hex'),
    );
    expect((loudResult.result.stdout as string).length).toBe(1024 * 1024);
    // A whole output is its own evidence: no digest that a short output could be guessed back from.
    const quietResult = finished.find((e) => e.data.stepId === 'quiet')!.data as { result: Record<string, unknown> };
    expect(quietResult.result).toEqual({
      exitCode: 0,
      stdout: 'hi\n',
      stderr: '',
      ms: expect.any(Number),
      truncated: false,
    });
  });
});

describe('signed heads', () => {
  const key = join(dir, 'ops');
  const made = stepwise(['keygen', '-o', key]);

  it('keygen writes a private key only its owner reads, and a public key', () => {
    expect(made.code).toBe(0);
    expect(made.stdout).toMatch(/fingerprint sha256:[0-9a-f]{32}/);
    expect(readFileSync(`${key}.key`, 'utf8')).toMatch(/BEGIN PRIVATE KEY/);
    expect(stepwise(['keygen', '-o', key]).code).toBe(4);
  });

  it('a signed run verifies with the public key; a recomputed chain or a cut tail does not', () => {
    const r = stepwise(['run', '--allow-writes', runbook, '--yes', '--sign-key', `${key}.key`], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/sha256:[0-9a-f]{64} \(signed\)/);
    const runId = runIdOf(r.stdout);
    const ok = stepwise(['verify', runId, '--public-key', `${key}.pub`], { env });
    expect(ok.code, ok.stdout).toBe(0);
    expect(ok.stdout).toMatch(/1 signed head, the last at seq \d+/);

    const file = join(dir, 'signed.jsonl');
    stepwise(['export', runId, '-o', file], { env });
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    writeFileSync(join(dir, 'cut.jsonl'), `${lines.slice(0, -3).join('\n')}\n`);
    expect(stepwise(['verify', join(dir, 'cut.jsonl')]).code).toBe(0);
    const cut = stepwise(['verify', join(dir, 'cut.jsonl'), '--public-key', `${key}.pub`]);
    expect(cut.code).toBe(6);
    expect(cut.stdout).toMatch(/no signed head/);

    rewrite(runId, (all) => {
      expect(all[2]!.type).toBe('step.finished');
      (all[2]!.data as { ms: number }).ms += 1;
      rechain(all, 2);
    });
    expect(stepwise(['verify', runId], { env }).code).toBe(0);
    const forged = stepwise(['verify', runId, '--public-key', `${key}.pub`], { env });
    expect(forged.code).toBe(6);
    expect(forged.stdout).toMatch(/rewritten/);
  });

  it('a run resumed by a responder with another key verifies against both keys, not against one', () => {
    const other = join(dir, 'oncall-2');
    expect(stepwise(['keygen', '-o', other]).code).toBe(0);
    const stopped = stepwise(['run', '--allow-writes', runbook, '--sign-key', `${key}.key`], { env }); // no answer for the gate: stops, signed
    expect(stopped.code).toBe(3);
    const runId = /run (\S+)/.exec(stopped.stdout)![1]!;
    const resumed = stepwise(['resume', runId, '--allow-writes', '--yes', '--sign-key', `${other}.key`], { env });
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    const firstOnly = stepwise(['verify', runId, '--public-key', `${key}.pub`], { env });
    expect(firstOnly.code).toBe(6);
    expect(firstOnly.stdout).toMatch(/is signed by key sha256:[0-9a-f]{32}, not by sha256:/);
    const both = stepwise(['verify', runId, '--public-key', `${key}.pub`, '--public-key', `${other}.pub`], { env });
    expect(both.code, both.stdout).toBe(0);
    expect(both.stdout).toMatch(/[2-9] signed heads/);
  });

  it('a bad key file is a usage error', () => {
    writeFileSync(join(dir, 'junk.key'), 'nope');
    const r = stepwise(['run', '--allow-writes', runbook, '--yes', '--sign-key', join(dir, 'junk.key')], { env });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/not a private key/);
  });
});

describe('the runbook lock', () => {
  const slow = join(dir, 'slow.md');
  const holding = join(dir, 'slow.holding');
  const release = join(dir, 'slow.release');
  // The first run to reach the step holds it (and so the runbook) until the test releases it; later runs pass straight through.
  writeFileSync(
    slow,
    `---\ntitle: Slow one\ntargets:\n  shop: { kind: sqlite, path: ${dbPath} }\n---\n\n::shell{#wait run="if mkdir ${join(dir, 'slow.first')} 2>/dev/null; then touch ${holding}; while [ ! -f ${release} ]; do sleep 0.05; done; fi"}\n`,
  );

  it('a second responder is told who holds it; --force runs anyway and says so in the transcript', async () => {
    const first = stepwiseAsync(['run', '--allow-writes', slow, '--yes', '--operator', 'alice'], { env });
    await until("alice's run to hold the runbook (its step started)", () => existsSync(holding), 30_000);
    const second = stepwise(['run', '--allow-writes', slow, '--yes', '--operator', 'bob'], { env });
    expect(second.code).toBe(3);
    expect(second.stderr).toMatch(
      /Slow one is already running against these targets: run \S+ by alice on .* \(pid \d+\)/,
    );
    expect(second.stderr).toMatch(/--force/);
    const forced = stepwise(['run', '--allow-writes', slow, '--yes', '--operator', 'bob', '--force', '--json'], {
      env,
    });
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/"type":"note.added".*started with --force while run \S+ by alice/);
    writeFileSync(release, '');
    expect((await first).code).toBe(0);
    expect(stepwise(['run', '--allow-writes', slow, '--yes'], { env }).code).toBe(0);
  });
});
