/**
 * Secrets never reach the evidence. Canary secrets given through the environment and a
 * --secrets file travel through an HTTP header, a URL, a SQL bind value, a SQL error message and
 * shell output, in every encoding redaction promises; afterwards a grep over the store (the
 * SQLite file and its WAL, or every row of the PostgreSQL store's tables), the export,
 * `show --verbose`, the --json stream and the report finds none of them.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stepwise, stepwiseAsync } from '../helpers/cli.js';
import { loopbackServer } from '../helpers/http-server.js';
import { testDatabase, type TestDatabase } from '../helpers/postgres.js';

const TOKEN = 'Canary-Token-Value-7f3a9b21~~>'; // its base64 has a +, so base64url differs
const PASS = 'Pg-Canary-Pass-51c2e8d4';
const PEM_LINES = [
  '-----BEGIN PRIVATE KEY-----',
  'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7CanaryLineOne',
  'k3JtqCanaryLineTwoQPt8t4hZ0l9XWxzD2c8wV5yqRNmbCanaryLineTwoEnd',
  '-----END PRIVATE KEY-----',
];
const _PEM = PEM_LINES.join('\n');
const LONG = `Long-Canary-${'x7Q'.repeat(1740)}-end`; // > 5 KiB
/** A secret an API hands back as an object key. */
const KEYED = 'Keyed-Canary-Token-3c1d';
/** Quotes and shell metacharacters: Stepwise's own shell quoting must not give it away. */
const QUOTED = `Quoted'Canary"Value&9`;
/** A secret input answered from its default, taken from the environment. */
const VAULT = 'hvs.Vault-Canary-Token-8e2f';
/** A webhook URL, secret as a whole, used as a target's base through ${...}. */
const HOOK = 'http://127.0.0.1:9/services/T000/B0DEF/Hook-Canary-Path-77';
/** Characters that XML and JSON (`\/`) escape. */
const ODD = 'Odd/Canary<&>Value-51';

const dir = mkdtempSync(join(tmpdir(), 'stepwise-secrets-'));
let api: Awaited<ReturnType<typeof loopbackServer>>;
// Top-level, so `it.skipIf` knows at collection time which server the tests run against.
const db: TestDatabase = await testDatabase();

/** Every form a canary must never appear in. */
function forms(secret: string): string[] {
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  return [
    secret,
    b64(secret),
    b64(secret).replace(/=+$/, ''),
    b64(`${secret}\n`),
    Buffer.from(secret).toString('base64url'),
    Buffer.from(secret).toString('hex'),
    encodeURIComponent(secret),
    JSON.stringify(secret).slice(1, -1),
  ];
}

beforeAll(async () => {
  api = await loopbackServer({
    '/echo': (q, r) => {
      r.writeHead(200, { 'content-type': 'application/json', 'set-cookie': `session=${TOKEN}` });
      r.end(JSON.stringify({ url: q.url, headers: q.headers }));
    },
    // an API that lists tokens as object keys
    '/keys': (_q, r) => {
      r.writeHead(200, { 'content-type': 'application/json' });
      r.end(JSON.stringify({ tokens: { [KEYED]: { owner: 'ops' } } }));
    },
  });
  writeFileSync(
    join(dir, 'secrets.yml'),
    `DB_PASS: ${PASS}\nPEM_KEY: |\n${PEM_LINES.map((l) => `  ${l}`).join('\n')}\nLONG_SECRET: ${LONG}\nODD_SECRET: '${ODD}'\n`,
  );
  writeFileSync(
    join(dir, 'leaky.md'),
    `---
title: Leaky
targets:
  api: { kind: http, base: "${api.url}", headers: { Authorization: "Bearer {{ secrets.OPS_TOKEN }}", X-Api-Key: "{{ secrets.OPS_TOKEN }}" } }
  db: { kind: postgres, url: "${db.url}" }
secrets: [OPS_TOKEN, DB_PASS, PEM_KEY, LONG_SECRET, ODD_SECRET]
---

::http{#headers target=api path=/echo}

::http{#inurl target=api path="/echo?token={{ secrets.OPS_TOKEN }}"}

::sql{#bind target=db query="SELECT {{ secrets.DB_PASS }}::text AS p"}

::sql{#err target=db query="SELECT {{ secrets.DB_PASS }}::int AS n" on-fail=continue}

:::shell{#encodings}
\`\`\`bash
t={{ secrets.OPS_TOKEN }}
echo "raw $t"
printf %s "$t" | base64
echo "$t" | base64
printf 'xx%s' "$t" | base64
printf %s "$t" | base64 | tr '+/' '-_' | tr -d '='
printf %s "$t" | od -An -tx1 | tr -d ' \\n'; echo
printf 'url %s\\n' "$(printf %s "$t" | sed 's/-/%2D/g')"
printf 'json "%s"\\n' "$t"
printf 'ansi \\033[31m%s\\033[0m%s\\n' "\${t:0:10}" "\${t:10}"
printf 'split %s' "\${t:0:13}"; sleep 0.2; printf '%s\\n' "\${t:13}"
echo {{ secrets.PEM_KEY }}
long={{ secrets.LONG_SECRET }}
printf '%s' "$long" | base64
o={{ secrets.ODD_SECRET }}
printf 'odd %s\\n' "$o"
printf '%s\\n' "$o" | sed 's/&/\\&amp;/g; s/</\\&lt;/g; s/>/\\&gt;/g'
printf '%s\\n' "$o" | sed 's#/#\\\\/#g'
printf '%s' "$o" | base64
printf '%s' "\${long:0:4090}"; sleep 0.2; printf '%s\\n' "\${long:4090}"
\`\`\`
:::
`,
  );
}, 60_000);
afterAll(async () => {
  await db?.query(`DROP SCHEMA IF EXISTS ${db.schema}_store CASCADE`).catch(() => {});
  await api?.close();
  await db?.close();
});

/** Everything a store holds, as text. */
const storeContents = {
  async SQLite(): Promise<string> {
    const file = join(dir, 'store.db');
    return [file, `${file}-wal`]
      .filter(existsSync)
      .map((f) => readFileSync(f).toString('latin1'))
      .join('\n');
  },
  async PostgreSQL(): Promise<string> {
    const tables = ['runs', 'events', 'locks', 'stepwise_meta'];
    const dumps = await Promise.all(
      tables.map(async (t) =>
        (await db.query(`SELECT t::text AS row FROM ${db.schema}_store.${t} t`)).rows
          .map((r) => r.row as string)
          .join('\n'),
      ),
    );
    expect(dumps[1]).toContain('[REDACTED'); // the dump reads what the run wrote
    return dumps.join('\n');
  },
};

describe.each(['SQLite', 'PostgreSQL'] as const)('secrets never reach the evidence, on the %s store', (kind) => {
  // Skipped for the PostgreSQL store on the embedded PGlite: it serves every connection from one session, so the store cannot have a schema of its own.
  it.skipIf(kind === 'PostgreSQL' && db.server === 'pglite')(
    'a run through header, URL, bind value, error and shell output leaks no canary anywhere',
    async () => {
      // The PostgreSQL store gets a schema of its own, apart from the one the runbook's queries use.
      const location =
        kind === 'SQLite'
          ? join(dir, 'store.db')
          : db.url.replace(/\?options=.*$/, `?options=${encodeURIComponent(`-c search_path=${db.schema}_store`)}`);
      if (kind === 'PostgreSQL') await db.query(`CREATE SCHEMA IF NOT EXISTS ${db.schema}_store`);
      const env = { OPS_TOKEN: TOKEN, STEPWISE_STORE: location };
      const args = ['run', '--allow-writes', join(dir, 'leaky.md'), '--yes', '--secrets', join(dir, 'secrets.yml')];
      const report = await stepwiseAsync(args, { env });
      expect(report.code, report.stdout + report.stderr).toBe(1); // `err` fails (on-fail=continue), the rest pass
      expect(report.stdout).toMatch(/✓ encodings/);
      const json = await stepwiseAsync([...args, '--json'], { env });
      const runId = /transcript (\S+):/.exec(report.stdout)![1]!;
      const exported = stepwise(['export', runId], { env });
      const shown = stepwise(['show', runId, '--verbose'], { env });
      expect(exported.code).toBe(0);
      expect(exported.stdout).toContain('[REDACTED');
      const places: Record<string, string> = {
        'the report': report.stdout + report.stderr,
        'the --json stream': json.stdout + json.stderr,
        'the export': exported.stdout,
        'show --verbose': shown.stdout,
        [`the ${kind} store`]: await storeContents[kind](),
      };
      const xml = ODD.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      const wrapped = Buffer.from(LONG)
        .toString('base64')
        .match(/.{1,76}/g)!;
      const canaries = [
        ...forms(TOKEN),
        ...forms(PASS),
        ...PEM_LINES.slice(1, 3),
        ...forms(LONG).slice(0, 1),
        LONG.slice(0, 4096),
        ...wrapped.slice(0, -1),
        ...forms(ODD),
        xml,
        ODD.replace(/\//g, '\\/'),
        TOKEN.replace(/-/g, '%2D'),
        Buffer.from(`xx${TOKEN}`).toString('base64').slice(4, -4),
        'x7Q'.repeat(20),
        'Canary-Token',
        'Canary%2DToken',
        'Canary-Pass',
        'Odd/Canary',
      ];
      for (const [place, text] of Object.entries(places)) {
        for (const canary of canaries)
          expect(text.includes(canary), `${place} holds ${canary.slice(0, 40)}`).toBe(false);
      }
      // the evidence is still useful: the step ran and the structure is there
      expect(shown.stdout).toMatch(/raw \[REDACTED:OPS_TOKEN\]/);
      expect(shown.stdout).toMatch(/odd \[REDACTED:ODD_SECRET\]/);
      expect(shown.stdout).toMatch(/url \[REDACTED:OPS_TOKEN\]/);
      expect(shown.stdout).not.toMatch(/command not found/); // every line of the script ran as written
      expect(exported.stdout).toMatch(/"authorization":"\[REDACTED\]"/i);
    },
    60_000,
  );
});

describe('a short secret', () => {
  it('run warns of it without printing it, and masks it where it stands as a word, not inside other words', () => {
    const runbook = join(dir, 'short.md');
    writeFileSync(
      runbook,
      '---\nsecrets: [PIN]\n---\n\n::shell{#say run="echo pin {{ secrets.PIN }} in x{{ secrets.PIN }}y"}\n',
    );
    const env = { PIN: '4711', STEPWISE_STORE: join(dir, 'short.db') };
    const r = stepwise(['run', '--allow-writes', runbook, '--headless'], { env });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stderr).toContain('warning: secret `PIN` (as given to this run) is only 4 characters long');
    expect(r.stderr).not.toContain('4711');
    const shown = stepwise(['show', 'last', '--verbose'], { env });
    expect(shown.stdout).toContain('pin [REDACTED:PIN] in x4711y');
  });
});

describe('what red-teaming the CLI found, closed', () => {
  it('quoted secrets in shell plans, object keys, a secret input answered by its default, a dry run: no canary anywhere', async () => {
    const store = join(dir, 'redteam.db');
    writeFileSync(join(dir, 'redteam-secrets.yml'), `QUOTED: '${QUOTED.replace(/'/g, "''")}'\nKEYED: ${KEYED}\n`);
    writeFileSync(
      join(dir, 'redteam.md'),
      `---
title: Red team
targets:
  api: { kind: http, base: "${api.url}" }
  hook: { kind: http, base: "\${HOOK_URL}" }
secrets: [QUOTED, KEYED, HOOK_URL]
env: [VAULT_TOKEN]
---

::shell{#login run="pw={{ secrets.QUOTED }}; echo logged in"}

::http{#keys target=api path=/keys}

::input[Vault token]{#vt type=secret default="{{ env.VAULT_TOKEN }}"}

::shell{#use run="test -n {{ vt.value }} && echo vault ok"}

::http{#notify target=hook method=POST path=/ body="{}" on-fail=continue}
`,
    );
    const env = { STEPWISE_STORE: store, VAULT_TOKEN: VAULT, HOOK_URL: HOOK };
    const args = [
      'run',
      '--allow-writes',
      join(dir, 'redteam.md'),
      '--yes',
      '--secrets',
      join(dir, 'redteam-secrets.yml'),
    ];
    const dry = await stepwiseAsync([...args, '--dry-run'], { env });
    expect(dry.code, dry.stdout + dry.stderr).toBe(0);
    const report = await stepwiseAsync(args, { env });
    expect(report.stdout).toMatch(/✓ use/);
    const json = await stepwiseAsync([...args, '--json'], { env });
    const runId = /transcript (\S+):/.exec(report.stdout)![1]!;
    const places: Record<string, string> = {
      'the dry run': dry.stdout + dry.stderr,
      'the report': report.stdout + report.stderr,
      'the --json stream': json.stdout + json.stderr,
      'the export': stepwise(['export', runId], { env }).stdout,
      'show --verbose': stepwise(['show', runId, '--verbose'], { env }).stdout,
      'show of the dry run': stepwise(['show', 'last', '--verbose'], { env }).stdout,
      'the SQLite store': [store, `${store}-wal`]
        .filter(existsSync)
        .map((f) => readFileSync(f).toString('latin1'))
        .join('\n'),
    };
    expect(places['the export']).toContain('[REDACTED:KEYED]'); // the key is there, masked
    const canaries = [
      ...forms(QUOTED),
      QUOTED.replace(/'/g, `'\\''`),
      "Quoted'\\''Canary",
      'Canary"Value',
      ...forms(KEYED),
      ...forms(VAULT),
      'Vault-Canary',
      'Hook-Canary-Path',
      'B0DEF/Hook',
    ];
    for (const [place, text] of Object.entries(places)) {
      for (const canary of canaries) expect(text.includes(canary), `${place} holds ${canary}`).toBe(false);
    }
  }, 60_000);
});

describe('the runbook source in run.started', () => {
  it('keeps its templates intact while masking secrets in it, and resume runs the runbook as written', () => {
    const store = join(dir, 'source.db');
    const literal = 'Literal-Canary-In-Source-42';
    const source = `---
title: Source kept
secrets: [PW, LIT]
---

Ask for \`${literal}\` if stuck. The old database was postgres://admin:Url-Canary-Pw-77@old-db/x.

::confirm[Go on?]{#go}

:::shell{#login}
\`\`\`bash
PGPASSWORD={{ secrets.PW }} echo "logged in"
echo password: {{ secrets.PW }} | wc -c
\`\`\`
:::
`;
    writeFileSync(join(dir, 'source.md'), source);
    const env = { STEPWISE_STORE: store, PW: 'Source-Canary-Pw-99', LIT: literal };
    const stopped = stepwise(['run', '--allow-writes', join(dir, 'source.md')], { env }); // stops at the gate
    expect(stopped.code).toBe(3);
    const runId = /run (\S+)/.exec(stopped.stdout)![1]!;
    const started = JSON.parse(stepwise(['export', runId], { env }).stdout.split('\n')[0]!) as {
      data: { runbook: { source: string } };
    };
    // Declared secrets and credentials written into it are masked; its placeholders are not touched.
    expect(started.data.runbook.source).toBe(
      source.replace(literal, '[REDACTED:LIT]').replace('admin:Url-Canary-Pw-77', '[REDACTED]'),
    );
    const resumed = stepwise(['resume', runId, '--allow-writes', '--yes'], { env });
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    expect(stepwise(['show', runId, '--verbose'], { env }).stdout).toMatch(/logged in/);
  });

  it('resume runs the runbook file itself while it is unchanged (same sha256), not the masked copy', () => {
    const store = join(dir, 'unchanged.db');
    const flag = join(dir, 'unchanged-flag');
    const path = join(dir, 'unchanged.md');
    // `password=...` is masked in the recorded source; run from that copy, this check would fail.
    writeFileSync(
      path,
      `---\ntitle: Unchanged\n---\n\n::shell{#check run="test $(echo password=abcdefgh12 | cut -d= -f2) = abcdefgh12 && test -f ${flag}"}\n`,
    );
    const env = { STEPWISE_STORE: store };
    const failed = stepwise(['run', '--allow-writes', path], { env });
    expect(failed.code).toBe(1);
    const runId = /run (\S+)/.exec(failed.stdout)![1]!;
    const started = JSON.parse(stepwise(['export', runId], { env }).stdout.split('\n')[0]!) as {
      data: { runbook: { source: string } };
    };
    expect(started.data.runbook.source).toContain('password=[REDACTED]');
    writeFileSync(flag, '');
    const resumed = stepwise(['resume', runId, '--allow-writes'], { env });
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
  });

  it('resume never replays a secret input as its mask: it must be given again', () => {
    const store = join(dir, 'secret-input.db');
    writeFileSync(
      join(dir, 'secret-input.md'),
      `---\ntitle: Secret input\ninputs:\n  token: { type: secret }\nenv: [EXPECTED]\n---\n\n::confirm[Go on?]{#go}\n\n::shell{#check run="[ {{ inputs.token }} = $EXPECTED ] && echo same"}\n`,
    );
    const env = { STEPWISE_STORE: store, EXPECTED: 'Input-Canary-55' };
    const stopped = stepwise(
      ['run', '--allow-writes', join(dir, 'secret-input.md'), '--input', 'token=Input-Canary-55'],
      { env },
    );
    expect(stopped.code).toBe(3);
    const runId = /run (\S+)/.exec(stopped.stdout)![1]!;
    const refused = stepwise(['resume', runId, '--allow-writes', '--yes'], { env });
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain(
      '`token` is a secret input, recorded masked: give it again with --input token=...',
    );
    const resumed = stepwise(['resume', runId, '--allow-writes', '--yes', '--input', 'token=Input-Canary-55'], { env });
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    expect(stepwise(['show', runId, '--verbose'], { env }).stdout).toMatch(/\bsame\b/);
  });

  it('resume asks a secret input step again: its answer is masked in the resumed run too, and used, not its mask', () => {
    const store = join(dir, 'secret-step.db');
    const flag = join(dir, 'secret-step-flag');
    const conf = join(dir, 'secret-step.conf');
    writeFileSync(
      join(dir, 'secret-step.md'),
      `---\ntitle: Secret step\n---\n\n::input[New password]{#newpw type=secret}\n\n::shell{#write run="echo pass={{ newpw.value }} > ${conf}"}\n\n::shell{#check run="cat ${conf}; test -f ${flag}"}\n`,
    );
    writeFileSync(join(dir, 'secret-step.yml'), 'newpw: Step-Canary-Pw-31\n');
    const env = { STEPWISE_STORE: store };
    const failed = stepwise(
      ['run', '--allow-writes', join(dir, 'secret-step.md'), '--answers', join(dir, 'secret-step.yml')],
      { env },
    );
    expect(failed.code).toBe(1);
    const runId = /run (\S+)/.exec(failed.stdout)![1]!;
    writeFileSync(flag, '');
    const unanswered = stepwise(['resume', runId, '--allow-writes'], { env });
    expect(unanswered.code).toBe(3);
    expect(unanswered.stderr + unanswered.stdout).toMatch(/newpw/);
    const resumed = stepwise(['resume', runId, '--allow-writes', '--answers', join(dir, 'secret-step.yml'), '--json'], {
      env,
    });
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    expect(readFileSync(conf, 'utf8')).toBe('pass=Step-Canary-Pw-31\n');
    for (const text of [
      resumed.stdout,
      resumed.stderr,
      stepwise(['export', runId], { env }).stdout,
      stepwise(['show', runId, '--verbose'], { env }).stdout,
    ]) {
      expect(text).not.toContain('Step-Canary');
    }
  });
});

describe('credentials in target URLs', () => {
  it('are masked wherever they show, and so is the Basic authorization a server echoes', async () => {
    const store = join(dir, 'targets.db');
    const password = 'EnvPass-Target-Canary-9';
    writeFileSync(
      join(dir, 'targets.md'),
      `---\ntitle: Targets\ntargets:\n  api: { kind: http, base: "http://deploy:\${DEPLOY_PW}@${api.url.replace('http://', '')}" }\nenv: [DEPLOY_PW]\n---\n\n::http{#e target=api path=/echo}\n\n::shell{#say run="echo the password is \${DEPLOY_PW}"}\n`,
    );
    const env = { STEPWISE_STORE: store, DEPLOY_PW: password };
    const r = await stepwiseAsync(['run', '--allow-writes', join(dir, 'targets.md'), '--headless', '--json'], { env });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const runId = /"runId":"([^"]+)"/.exec(r.stdout)![1]!;
    const exported = stepwise(['export', runId], { env }).stdout;
    const basic = Buffer.from(`deploy:${password}`).toString('base64');
    for (const text of [r.stdout, r.stderr, exported, stepwise(['show', runId, '--verbose'], { env }).stdout]) {
      expect(text).not.toContain(password);
      expect(text).not.toContain(basic);
    }
    expect(exported).toContain('the password is [REDACTED:target.api]');
  });
});
