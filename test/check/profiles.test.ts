/**
 * `profiles:` and `default-profile:` in the frontmatter: read into plain data, and every problem a
 * diagnostic at its YAML name (line:col), with the closest declared name where there is one.
 */
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../engine/check/check.js';
import { stepwise } from '../helpers/cli.js';
import { scratch } from '../helpers/scratch.js';

const tmp = scratch('check-profiles');
const HEAD = `targets:
  db: { kind: sqlite, path: ./base.db }
  api: { kind: http, base: "http://127.0.0.1:9" }
inputs:
  age: { type: number, default: 30 }
  mode: { type: choice, options: [fast, safe], default: safe }
  code: { type: string, pattern: "^[A-Z]+$", default: ABC }
  dry: { type: boolean, default: false }
`;
const STEPS = `
::sql{#q target=db query="SELECT {{ inputs.age }}, {{ inputs.mode }}, {{ inputs.code }}, {{ inputs.dry }}"}

::http{#h target=api path=/health}
`;
const runbook = (profiles: string, path = tmp.path('r.md')) =>
  checkSource(`---\n${HEAD}${profiles}---\n${STEPS}`, path);
/** `line:col severity rule message` for each diagnostic about profiles (the frontmatter starts on line 2). */
const found = (profiles: string): string[] =>
  runbook(profiles).diagnostics.map(
    (d) => `${d.span.start.line}:${d.span.start.column} ${d.severity} ${d.rule} ${d.message}`,
  );

describe('valid profiles', () => {
  it('are read with their overrides and start question, and report nothing', () => {
    const { document, diagnostics } = runbook(`profiles:
  staging:
    description: the staging stack
    targets: { db: ./staging.db, api: { base: "https://staging.example.com", headers: { X-Env: staging } } }
    inputs: { age: 10, mode: fast, code: XYZ, dry: yes }
  prod:
    targets: { db: { path: "\${PROD_DB}", readonly: true } }
    confirm-start: true
  live:
    confirm-start: Really?
  empty:
default-profile: staging
`);
    expect(diagnostics).toEqual([]);
    const profiles = document.frontmatter.profiles!;
    expect(Object.keys(profiles)).toEqual(['staging', 'prod', 'live', 'empty']);
    expect(profiles.staging!.targets.db).toMatchObject({ location: './staging.db' });
    expect(profiles.staging!.targets.api).toMatchObject({
      location: 'https://staging.example.com',
      headers: { 'X-Env': 'staging' },
    });
    expect(profiles.staging!.inputs.age!.value).toBe(10);
    expect(profiles.staging!.confirmStart).toBeNull();
    expect(profiles.prod!.targets.db).toMatchObject({ location: '${PROD_DB}', readonly: true });
    expect(profiles.prod!.confirmStart).toBe('You are about to run against PROD. Continue?');
    expect(profiles.live!.confirmStart).toBe('Really?');
    expect(profiles.empty).toMatchObject({ targets: {}, inputs: {}, confirmStart: null });
    expect(document.frontmatter.defaultProfile!.name).toBe('staging');
  });

  it('may override a target that an included runbook declares', () => {
    const inc = tmp.write(
      'inc.md',
      '---\ntargets:\n  cache: { kind: sqlite, path: ./cache.db }\n---\n\n::sql{#c target=cache query="SELECT 1"}\n',
    );
    const main = tmp.write('main.md', '');
    const { diagnostics, document } = checkSource(
      `---\n${HEAD}profiles:\n  staging: { targets: { cache: ./staging-cache.db } }\n---\n${STEPS}\n::include{src=./inc.md}\n`,
      main,
    );
    expect(diagnostics).toEqual([]);
    expect(document.frontmatter.profiles!.staging!.targets.cache).toBeDefined();
    expect(inc).toBeTruthy();
  });

  it("an included runbook's profiles are not the run's", () => {
    tmp.write('inc-profiles.md', '---\nprofiles:\n  theirs: { confirm-start: true }\n---\n\n::note[hi]\n');
    const { diagnostics, document } = checkSource(
      `---\n${HEAD}profiles:\n  ours: {}\n---\n${STEPS}\n::include{src=./inc-profiles.md}\n`,
      tmp.path('main2.md'),
    );
    expect(diagnostics).toEqual([]);
    expect(Object.keys(document.frontmatter.profiles!)).toEqual(['ours']);
  });
});

describe('bad profiles', () => {
  it('an undeclared target or input, at its name, with the closest declared name', () => {
    expect(found('profiles:\n  staging:\n    targets: { dbb: ./x.db }\n    inputs: { agee: 3 }\n')).toEqual([
      '12:16 error profile-invalid profile `staging`: the runbook declares no target `dbb`; did you mean `db`?',
      '13:15 error profile-invalid profile `staging`: the runbook declares no input `agee`; did you mean `age`?',
    ]);
  });

  it("changing a target's kind, written or read from a URL", () => {
    expect(
      found(
        'profiles:\n  a:\n    targets: { db: "postgres://u@h/db" }\n  b:\n    targets: { db: { kind: http, base: x } }\n',
      ),
    ).toEqual([
      '12:16 error profile-invalid profile `a`: target `db` is declared sqlite, and a profile cannot make it postgres',
      '14:16 error profile-invalid profile `b`: target `db` is declared sqlite, and a profile cannot make it http',
    ]);
  });

  it('input values --input would refuse: not a number, not an option, not matching, not a boolean, not a value', () => {
    expect(
      found(
        'profiles:\n  p:\n    inputs:\n      age: soon\n      mode: slow\n      code: abc\n      dry: maybe\n      age2: [1]\n',
      ),
    ).toEqual([
      '13:7 error profile-invalid profile `p`: input `age`: `soon` is not a number',
      '14:7 error profile-invalid profile `p`: input `mode`: `slow` is not one of fast, safe',
      '15:7 error profile-invalid profile `p`: input `code`: `abc` does not match ^[A-Z]+$',
      '16:7 error profile-invalid profile `p`: input `dry`: `maybe` is not true or false',
      '17:13 error profile-invalid profile `p`: input `age2` must be a single value (text, a number, true or false)',
    ]);
  });

  it('a secret input cannot be given a value: the runbook would hold it in plain text', () => {
    const { diagnostics } = checkSource(
      '---\ninputs:\n  token: { type: secret, required: false }\nprofiles:\n  p: { inputs: { token: abc } }\n---\n\n::note[{{ inputs.token }}]\n',
      tmp.path('secret.md'),
    );
    expect(diagnostics.map((d) => `${d.span.start.line}:${d.span.start.column} ${d.rule} ${d.message}`)).toEqual([
      '5:18 profile-invalid profile `p`: input `token`: it is a secret input, and a profile would keep its value in the runbook for anyone who reads it; give it with --input, or read it from a declared secret',
    ]);
  });

  it('wrong shapes: profiles not a mapping, a profile not a mapping, a bad name, a bad confirm-start, a bad readonly', () => {
    expect(found('profiles: [staging]\n')).toEqual([
      '10:11 error profile-invalid `profiles` must be a mapping of name: { targets, inputs, confirm-start }',
    ]);
    expect(
      found(
        'profiles:\n  staging: yes\n  "bad name": {}\n  p:\n    confirm-start: 3\n    targets: { db: { readonly: maybe }, api: 5 }\n',
      ),
    ).toEqual([
      '11:12 error profile-invalid profile `staging` must be a mapping like { targets: ..., inputs: ... }',
      '12:3 error profile-invalid profile name `bad name` cannot be given as --profile NAME',
      '14:20 error profile-invalid profile `p`: `confirm-start` must be true, false or the question to ask',
      '15:32 error profile-invalid profile `p`: target `db`: readonly must be true or false',
      '15:46 error profile-invalid profile `p`: target `api` must be a URL or a mapping like { url: ..., readonly: true }',
    ]);
  });

  it('a wrongly written confirm-start still asks (fail safe)', () => {
    const { document } = runbook('profiles:\n  p: { confirm-start: [yes] }\n');
    expect(document.frontmatter.profiles!.p!.confirmStart).toBe('You are about to run against P. Continue?');
  });

  it('unknown keys warn, with the closest known one', () => {
    expect(found('profiles:\n  p:\n    input: { age: 3 }\n    targets: { db: { readonli: true } }\n')).toEqual([
      '12:5 warning profile-unknown-key profile `p`: unknown key `input`; did you mean `inputs`?; it is ignored',
      '13:16 warning profile-unknown-key profile `p`: target `db`: unknown key `readonli`; did you mean `readonly`?; it is ignored',
    ]);
  });

  it('a default-profile naming no profile, with the closest one', () => {
    expect(found('profiles:\n  staging: {}\ndefault-profile: stagin\n')).toEqual([
      '12:18 error profile-invalid default-profile `stagin` is not one of the profiles; did you mean `staging`?',
    ]);
    expect(found('default-profile: [a]\n')).toEqual([
      '10:18 error profile-invalid `default-profile` must be the name of a profile',
    ]);
  });

  it('a typo of `profiles` is a likely-typo warning', () => {
    expect(found('profile:\n  staging: {}\n')).toEqual([
      '10:1 warning frontmatter-unknown-key unknown frontmatter key `profile`; did you mean `profiles`?',
    ]);
  });
});

describe("placeholders in a profile's targets", () => {
  it('may use declared inputs, secrets and env names only, as the targets themselves', () => {
    expect(
      found(
        'secrets: [KEY]\nprofiles:\n  p:\n    targets: { api: { base: "http://x", headers: { A: "{{ secrets.KEY }}", B: "{{ secrets.NOPE }}", C: "{{ q.rows }}" } } }\n',
      ),
    ).toEqual([
      '13:16 error target-invalid profile `p`: target `api`: `q` cannot be used in a target; only inputs, secrets and env',
      '13:16 error undeclared-secret profile `p`: target `api`: secret `NOPE` is not declared',
    ]);
  });
});

describe('the graph and the check command', () => {
  it('profiles change no step, edge or target a step names: the graph is the one without them', () => {
    const plain = runbook('# the same lines\n# without profiles\n');
    const withProfiles = runbook('profiles:\n  staging: { targets: { db: ./staging.db }, inputs: { age: 1 } }\n');
    expect(withProfiles.diagnostics).toEqual([]);
    expect(JSON.stringify(withProfiles.graph)).toBe(JSON.stringify(plain.graph));
  });

  it('`stepwise check` reports a profile problem at its place, in text and JSON, with exit 2', () => {
    const file = tmp.write('cli.md', `---\n${HEAD}profiles:\n  staging: { targets: { dbb: ./x.db } }\n---\n${STEPS}`);
    const text = stepwise(['check', file, '--no-cache']);
    expect(text.code).toBe(2);
    expect(text.stdout + text.stderr).toContain(
      `${file}:11:25: error: profile \`staging\`: the runbook declares no target \`dbb\`; did you mean \`db\`? [profile-invalid]`,
    );
    const json = stepwise(['check', file, '--no-cache', '--format', 'json']);
    expect(json.stdout).toContain('"rule": "profile-invalid"');
  });
});
