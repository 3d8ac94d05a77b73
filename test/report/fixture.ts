/**
 * Real runs for the report tests, through the real binary: a failing drill whose HTTP body, shell
 * output and SQL rows carry XSS payloads (with a failed assertion, a skipped step and a confirm),
 * the same drill in parallel and signed, and a run interrupted by SIGINT and then resumed. Each run
 * is exported too, so a test can render it from the store and from the file.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnStepwise, stepwise, stepwiseAsync } from '../helpers/cli.js';
import { loopbackServer } from '../helpers/http-server.js';
import { until } from '../helpers/until.js';

/** What a script would do if a report ever let it run: change the page's title. */
export const PAYLOADS = [
  `<script>document.title='XSS-script'</script>`,
  `<img src=x onerror="document.title='XSS-img'">`,
  `"><svg onload="document.title='XSS-svg'"></svg>`,
  `'><a href="javascript:document.title='XSS-link'">click</a>`,
  `</script><script>document.title='XSS-close'</script>`,
  `</pre></details></section><iframe srcdoc="<script>parent.document.title='XSS-iframe'</script>"></iframe>`,
  `[click me](javascript:alert(1)) <javascript:alert(1)> ![x](javascript:alert(2))`,
  `# Not a heading | not | a cell`,
  `<!-- comment --> ]]> &amp; \u0007\u001b[31mred\u001b[0m \u202eevil`,
];

export interface RecordedRun {
  name: string;
  runId: string;
  /** The exported transcript (JSON Lines). */
  file: string;
  code: number | null;
}

export interface Fixture {
  dir: string;
  env: { STEPWISE_STORE: string };
  runs: Record<'failing' | 'parallel' | 'signed' | 'interrupted' | 'resumed' | 'passing', RecordedRun>;
  publicKey: string;
  close(): Promise<void>;
}

const runIdOf = (output: string): string => {
  const match = /transcript (\S+): \d+ events/.exec(output);
  if (!match) throw new Error(`no transcript line in:\n${output}`);
  return match[1]!;
};

export async function recordRuns(): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-report-'));
  const env = { STEPWISE_STORE: join(dir, 'store.db') };
  const api = await loopbackServer({
    '/xss': (_q, r) => {
      r.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      r.end(`<html><body>\n${PAYLOADS.join('\n')}\n</body></html>\n`);
    },
    '/health': (_q, r) => {
      r.writeHead(200, { 'content-type': 'application/json' });
      r.end(JSON.stringify({ status: 'ok', note: PAYLOADS[4] }));
    },
  });
  const dbPath = join(dir, 'notes.db');
  const db = new Database(dbPath);
  db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)');
  const insert = db.prepare('INSERT INTO notes (body) VALUES (?)');
  for (const p of PAYLOADS) insert.run(p);
  db.close();

  const drill = join(dir, 'xss-drill.md');
  writeFileSync(
    drill,
    `---
title: XSS drill <script>document.title='XSS-title'</script>
id: xss-drill
targets:
  api: { kind: http, base: "${api.url}" }
  db: { kind: sqlite, path: ${dbPath} }
---

# Hostile evidence

::http{#page target=api path=/xss}

::http{#health target=api path=/health}

::sql{#rows target=db query="SELECT id, body FROM notes ORDER BY id"}

:::shell{#echo readonly}
\`\`\`bash
cat <<'EOF'
${PAYLOADS.slice(0, 7).join('\n')}
EOF
\`\`\`
:::

::assert[No hostile rows]{#clean that="rows.rowCount == 0" on-fail=continue}

::shell{#never readonly when="rows.rowCount < 0" run="echo never"}

::confirm[Carry on with {{ rows.rowCount }} rows?]{#go}

::note[Checked {{ rows.rowCount }} rows]
`,
  );
  const runs = {} as Fixture['runs'];
  const record = async (name: keyof Fixture['runs'], args: string[]): Promise<void> => {
    const r = await stepwiseAsync(args, { env });
    const runId = runIdOf(r.stdout);
    const file = join(dir, `${name}.jsonl`);
    const exported = stepwise(['export', runId, '-o', file], { env });
    if (exported.code !== 0) throw new Error(exported.stderr);
    runs[name] = { name, runId, file, code: r.code };
  };
  await record('failing', ['run', drill, '--yes', '--operator', 'alice']);
  await record('parallel', ['run', drill, '--yes', '--parallel', '4', '--operator', 'bob']);
  const key = join(dir, 'signer');
  if (stepwise(['keygen', '-o', key]).code !== 0) throw new Error('keygen failed');
  await record('signed', ['run', drill, '--yes', '--sign-key', `${key}.key`, '--operator', 'carol']);

  const passing = join(dir, 'passing.md');
  writeFileSync(
    passing,
    `---\ntitle: Passing drill\ntargets:\n  api: { kind: http, base: "${api.url}" }\n---\n\n::http{#health target=api path=/health expect=200}\n\n::assert[Healthy]{that='health.json.status == "ok"'}\n`,
  );
  await record('passing', ['run', passing, '--operator', 'dave']);

  // Interrupted mid-step by SIGINT, then resumed by someone else.
  const hold = join(dir, 'hold');
  const holding = join(dir, 'holding');
  writeFileSync(hold, '');
  const slow = join(dir, 'slow.md');
  writeFileSync(
    slow,
    `---\ntitle: Slow drill\n---\n\n::shell{#first readonly run="echo first"}\n\n::shell{#wait run="touch ${holding}; while [ -f ${hold} ]; do sleep 0.05; done; echo waited"}\n\n::shell{#last readonly run="echo last"}\n`,
  );
  const live = spawnStepwise(['run', slow, '--allow-writes', '--operator', 'erin'], { env });
  await until('the wait step to start', () => existsSync(holding));
  live.child.kill('SIGINT');
  const ended = await live.done;
  const interruptedId = runIdOf(live.stdout());
  const interruptedFile = join(dir, 'interrupted.jsonl');
  stepwise(['export', interruptedId, '-o', interruptedFile], { env });
  runs.interrupted = { name: 'interrupted', runId: interruptedId, file: interruptedFile, code: ended.code };
  rmSync(hold);
  const answers = join(dir, 'answers.yml');
  writeFileSync(answers, 'rerun:\n  wait: yes\n');
  const resumed = await stepwiseAsync(
    ['resume', interruptedId, '--allow-writes', '--answers', answers, '--operator', 'frank'],
    { env },
  );
  const resumedFile = join(dir, 'resumed.jsonl');
  stepwise(['export', interruptedId, '-o', resumedFile], { env });
  runs.resumed = { name: 'resumed', runId: interruptedId, file: resumedFile, code: resumed.code };

  return { dir, env, runs, publicKey: `${key}.pub`, close: () => api.close() };
}
