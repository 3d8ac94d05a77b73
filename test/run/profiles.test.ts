/**
 * Environment profiles through the real binary, on real SQLite files: the runbook's own targets
 * and inputs, a profile's in their place, `--target`/`--input` over both; run.started records the
 * profile and everything that shows a run names it; a `confirm-start` profile asks before the
 * first step (headless: --yes or `profile:NAME: yes`, exit 3 otherwise, with nothing run); resume
 * keeps the profile the run started with.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../engine/store/open.js';
import type { ChainedEvent } from '../../engine/transcript/chain.js';
import { headerLines } from '../../renderers/tui/frame-lines.js';
import { applyEvent, buildModel } from '../../renderers/tui/model.js';
import { checkSource } from '../../engine/check/check.js';
import { stepwise } from '../helpers/cli.js';
import { scratch } from '../helpers/scratch.js';

const tmp = scratch('profiles');
const DBS = ['base', 'staging', 'prod', 'other'] as const;
for (const name of DBS) {
  const db = new Database(tmp.path(`${name}.db`));
  db.exec(`CREATE TABLE env (name TEXT); INSERT INTO env VALUES ('${name}'); CREATE TABLE log (age INTEGER);`);
  db.close();
}
/** The ages the run wrote into a database's log: which database a run reached, and with what input. */
const logged = (name: (typeof DBS)[number]): number[] => {
  const db = new Database(tmp.path(`${name}.db`), { readonly: true });
  const rows = db.prepare('SELECT age FROM log').all() as { age: number }[];
  db.close();
  return rows.map((r) => r.age);
};
const clear = (): void => {
  for (const name of DBS) {
    const db = new Database(tmp.path(`${name}.db`));
    db.exec('DELETE FROM log');
    db.close();
  }
};

const STEPS = `# Profiles

:::sql{#write target=db}
\`\`\`sql
INSERT INTO log VALUES ({{ inputs.age }})
\`\`\`
:::
`;
const runbook = tmp.write(
  'profiles.md',
  `---
title: Profile drill
targets:
  db: { kind: sqlite, path: ./base.db }
inputs:
  age: { type: number, default: 1 }
profiles:
  staging:
    targets: { db: ./staging.db }
    inputs: { age: 2 }
  local: {}
---

${STEPS}`,
);
const guarded = tmp.write(
  'guarded.md',
  `---
title: Guarded drill
targets:
  db: { kind: sqlite, path: ./base.db }
inputs:
  age: { type: number, default: 1 }
profiles:
  staging: { targets: { db: ./staging.db } }
  prod:
    targets: { db: { path: ./prod.db } }
    inputs: { age: 3 }
    confirm-start: true
---

${STEPS}`,
);
const store = tmp.path('store.db');
const run = (file: string, ...args: string[]) =>
  stepwise(['run', file, '--headless', '--allow-writes', '--store', store, ...args]);

async function lastRun(): Promise<ChainedEvent[]> {
  const s = await openStore(store);
  try {
    return await s.events((await s.resolve('last'))!);
  } finally {
    await s.close();
  }
}
const started = (events: ChainedEvent[]) => {
  const e = events[0]!;
  if (e.type !== 'run.started') throw new Error('no run.started');
  return e.data;
};

describe('targets and inputs', () => {
  it('without --profile the runbook runs with its own definitions, and records no profile', async () => {
    clear();
    const r = run(runbook);
    expect(r.code, r.stderr).toBe(0);
    expect(logged('base')).toEqual([1]);
    const data = started(await lastRun());
    expect(data.profile).toBeUndefined();
    expect(data.targets.db!.location).toBe(tmp.path('base.db'));
  });

  it('--profile staging points db at the staging file and gives its input value, recorded in run.started', async () => {
    clear();
    const r = run(runbook, '--profile', 'staging');
    expect(r.code, r.stderr).toBe(0);
    expect(logged('staging')).toEqual([2]);
    expect(logged('base')).toEqual([]);
    expect(r.stdout.split('\n')[0]).toContain('· profile staging ·');
    const data = started(await lastRun());
    expect(data.profile).toBe('staging');
    expect(data.inputs).toEqual({ age: 2 });
    expect(data.targets.db).toEqual({ kind: 'sqlite', location: tmp.path('staging.db') });
  });

  it('an empty profile changes nothing but is recorded', async () => {
    clear();
    expect(run(runbook, '--profile', 'local').code).toBe(0);
    expect(logged('base')).toEqual([1]);
    expect(started(await lastRun()).profile).toBe('local');
  });

  it('--target and --input win over the profile', async () => {
    clear();
    const r = run(runbook, '--profile', 'staging', '--target', `db=${tmp.path('other.db')}`, '--input', 'age=7');
    expect(r.code, r.stderr).toBe(0);
    expect(logged('other')).toEqual([7]);
    expect(logged('staging')).toEqual([]);
    const data = started(await lastRun());
    expect(data.profile).toBe('staging');
    expect(data.inputs).toEqual({ age: 7 });
  });

  it('--input alone wins over the profile, and the profile still sets the target', async () => {
    clear();
    expect(run(runbook, '--profile', 'staging', '--input', 'age=9').code).toBe(0);
    expect(logged('staging')).toEqual([9]);
  });

  it('an unknown profile is a usage error listing the profiles, with the closest name', () => {
    clear();
    const r = run(runbook, '--profile', 'stagin');
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('no profile `stagin` (did you mean staging?); its profiles: staging, local');
    expect(logged('base')).toEqual([]);
  });

  it('a runbook with no profiles refuses --profile', () => {
    const plain = tmp.write(
      'plain.md',
      `---\ntargets:\n  db: { kind: sqlite, path: ./base.db }\ninputs:\n  age: 1\n---\n\n${STEPS}`,
    );
    const r = run(plain, '--profile', 'prod');
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('--profile prod: the runbook has no profiles');
  });

  it('a runbook whose profile is invalid does not run', () => {
    const bad = tmp.write(
      'bad.md',
      `---\ntargets:\n  db: { kind: sqlite, path: ./base.db }\ninputs:\n  age: 1\nprofiles:\n  staging: { inputs: { age: soon } }\n---\n\n${STEPS}`,
    );
    const r = run(bad, '--profile', 'staging');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'bad.md:7:24: error: profile `staging`: input `age`: `soon` is not a number [profile-invalid]',
    );
    expect(logged('base')).toEqual([]);
  });

  it('default-profile is used when --profile is not given', async () => {
    clear();
    const withDefault = tmp.write(
      'default.md',
      `---\ntargets:\n  db: { kind: sqlite, path: ./base.db }\ninputs:\n  age: 1\nprofiles:\n  staging: { targets: { db: ./staging.db } }\ndefault-profile: staging\n---\n\n${STEPS}`,
    );
    expect(run(withDefault).code).toBe(0);
    expect(logged('staging')).toEqual([1]);
    expect(started(await lastRun()).profile).toBe('staging');
  });
});

describe('confirm-start', () => {
  it('headless without an answer: exit 3 before the first step, nothing run, the run recorded blocked', async () => {
    clear();
    const r = run(guarded, '--profile', 'prod');
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      '`profile:prod` needs an answer: give it in --answers FILE (profile:prod: yes) or pass --yes',
    );
    expect(logged('prod')).toEqual([]);
    const events = await lastRun();
    expect(events.map((e) => e.type)).toEqual(['run.started', 'run.finished']);
    expect(started(events).profile).toBe('prod');
    expect(events[1]!.data).toMatchObject({ status: 'blocked', exitCode: 3 });
  });

  it('--yes answers it: the run goes on against the profile, and the answer is recorded', async () => {
    clear();
    const r = run(guarded, '--profile', 'prod', '--yes');
    expect(r.code, r.stderr).toBe(0);
    expect(logged('prod')).toEqual([3]);
    const events = await lastRun();
    expect(events[1]).toMatchObject({
      type: 'confirm.answered',
      data: { stepId: 'profile:prod', answer: true, via: 'yes' },
    });
  });

  it('an answers file answers it by `profile:NAME`; "no" ends the run declined with nothing run', async () => {
    clear();
    const no = tmp.write('no.yml', 'profile:prod: no\n');
    const r = run(guarded, '--profile', 'prod', '--answers', no);
    expect(r.code).toBe(3);
    expect(logged('prod')).toEqual([]);
    const events = await lastRun();
    expect(events.map((e) => e.type)).toEqual(['run.started', 'confirm.answered', 'run.finished']);
    expect(events[1]!.data).toMatchObject({ stepId: 'profile:prod', answer: false, via: 'answers-file' });
    expect(events[2]!.data).toMatchObject({ status: 'declined', exitCode: 3 });

    const yes = tmp.write('yes.yml', 'profile:prod: yes\n');
    expect(run(guarded, '--profile', 'prod', '--answers', yes).code).toBe(0);
    expect(logged('prod')).toEqual([3]);
  });

  it("another profile's answer does not answer it", () => {
    clear();
    const staging = tmp.write('staging-yes.yml', 'profile:staging: yes\n');
    expect(run(guarded, '--profile', 'prod', '--answers', staging).code).toBe(3);
    expect(logged('prod')).toEqual([]);
  });

  it('a profile without confirm-start runs unasked', () => {
    clear();
    expect(run(guarded, '--profile', 'staging').code).toBe(0);
    expect(logged('staging')).toEqual([1]);
  });

  it('with a confirm-start profile and none chosen, the run refuses to start (exit 4)', () => {
    clear();
    const r = run(guarded);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('`prod` asks to confirm the start: choose one with --profile NAME (staging, prod)');
    expect(logged('base')).toEqual([]);
  });

  it('a dry run does not ask', () => {
    const r = stepwise(['run', guarded, '--dry-run', '--profile', 'prod', '--store', store]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('profile prod');
  });

  it("the question can be the profile's own; --json shows it recorded", () => {
    const own = tmp.write(
      'own.md',
      `---\ntargets:\n  db: { kind: sqlite, path: ./base.db }\ninputs:\n  age: 1\nprofiles:\n  live: { confirm-start: "Really touch the LIVE shop?" }\n---\n\n${STEPS}`,
    );
    const r = run(own, '--profile', 'live', '--yes', '--json');
    expect(r.code, r.stderr).toBe(0);
    const events = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; data: Record<string, unknown> });
    expect(events[0]!.data.profile).toBe('live');
    expect(events[1]).toMatchObject({ type: 'confirm.answered', data: { stepId: 'profile:live' } });
  });
});

describe('resume', () => {
  it('keeps the recorded profile, refuses another, and asks the start question again', async () => {
    clear();
    expect(run(guarded, '--profile', 'prod').code).toBe(3);
    const runId = (await lastRun())[0]!.runId;
    const resume = (...args: string[]) =>
      stepwise(['resume', runId, '--headless', '--allow-writes', '--store', store, ...args]);
    const other = resume('--profile', 'staging');
    expect(other.code).toBe(4);
    expect(other.stderr).toContain('the run started with profile `prod`, and a resumed run keeps it');
    expect(resume().code).toBe(3);
    expect(logged('prod')).toEqual([]);
    const r = resume('--yes');
    expect(r.code, r.stderr).toBe(0);
    expect(logged('prod')).toEqual([3]);
    expect(logged('base')).toEqual([]);
  });
});

describe('what shows a run', () => {
  it('reports name the profile, and its start question is a decision, not a step', async () => {
    clear();
    expect(run(guarded, '--profile', 'prod', '--yes').code).toBe(0);
    const runId = (await lastRun())[0]!.runId;
    const md = stepwise(['render', runId, '--store', store]);
    expect(md.stdout).toContain('| Profile | prod |');
    expect(md.stdout).toContain('profile:prod confirmed: yes');
    const json = JSON.parse(stepwise(['render', runId, '--format', 'json', '--store', store]).stdout) as {
      summary: { profile?: string };
      steps: { id: string }[];
    };
    expect(json.summary.profile).toBe('prod');
    expect(json.steps.map((s) => s.id)).toEqual(['write']);
    expect(stepwise(['render', runId, '--format', 'html', '--store', store]).stdout).toContain('<td>prod</td>');
    expect(stepwise(['verify', runId, '--store', store]).code).toBe(0);
    expect(stepwise(['show', runId, '--store', store]).stdout).toContain('headless, profile prod,');
  });

  it("the terminal UI's header names the profile", async () => {
    clear();
    expect(run(guarded, '--profile', 'prod', '--yes').code).toBe(0);
    const events = await lastRun();
    const { document, graph } = checkSource(started(events).runbook.source, guarded);
    const model = buildModel(document, graph);
    for (const event of events) applyEvent(model, event);
    const text = headerLines(model, 120, Date.now(), false)
      .map((line) => line.map((s) => s.text).join(''))
      .join('\n');
    expect(text).toMatch(/run \S+ · \S+ · profile prod · db=/);
  });
});

describe('drill', () => {
  it("a scenario's `profile:` gives the profile's inputs and asks its start question", () => {
    const fixture = tmp.path('fixture');
    const file = (name: string, text: string) => tmp.write(`fixture/${name}`, text);
    mkdirSync(join(fixture, 'scenarios'), { recursive: true });
    file('fixture.yaml', 'targets:\n  db: { sql: [schema.sql] }\n');
    file('schema.sql', 'CREATE TABLE log (age INTEGER);\n');
    const expectAge = (age: number) =>
      `expect:\n  sql: [{ target: db, query: "SELECT max(age) AS age FROM log", value: ${age} }]\n`;
    file('scenarios/base.yaml', `yes: true\n${expectAge(1)}`);
    file('scenarios/prod-yes.yaml', `profile: prod\nyes: true\n${expectAge(3)}`);
    file(
      'scenarios/prod-unanswered.yaml',
      'profile: prod\nanswers: { go: yes }\nexpect:\n  status: blocked\n  steps: { write: not-run }\n',
    );
    file('scenarios/prod-answered.yaml', `profile: prod\nanswers: { "profile:prod": yes, go: yes }\n${expectAge(3)}`);
    file('scenarios/unknown.yaml', 'profile: prd\n');
    const drilled = tmp.write(
      'drilled.md',
      `---
targets:
  db: { kind: sqlite, path: ./base.db }
inputs:
  age: { type: number, default: 1 }
profiles:
  prod: { inputs: { age: 3 }, confirm-start: true }
---

# Write

::confirm[Write?]{#go}

${STEPS.replace('# Profiles\n', '')}`,
    );
    const r = stepwise(['drill', drilled, '--fixture', fixture]);
    const row = (name: string, result: string, run: string) =>
      new RegExp(`drilled\\.md\\s+${name}\\s+${result}\\s+\\d+\\s+\\S+\\s+${run}\\n`);
    expect(r.stdout, r.stderr).toMatch(row('base', 'passed', 'passed'));
    expect(r.stdout).toMatch(row('prod-yes', 'passed', 'passed'));
    expect(r.stdout).toMatch(row('prod-unanswered', 'passed', 'blocked'));
    expect(r.stdout).toMatch(row('prod-answered', 'passed', 'passed'));
    expect(r.stdout).toMatch(row('unknown', 'could not run', '-'));
    expect(r.stdout + r.stderr).toContain('--profile prd: the runbook has no profile `prd` (did you mean prod?)');
    expect(r.code).toBe(1);
  });
});
