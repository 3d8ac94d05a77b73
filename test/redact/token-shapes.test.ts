/**
 * Always-on redaction of credentials recognised by their shape (as secret scanners find them):
 * vendor tokens, JWTs, AWS key ids and private key blocks, declared or not; look-alikes that must
 * stay; private keys split across stream chunks; and what it costs.
 *
 * The tokens are built from parts at run time, so this file itself holds nothing a secret scanner
 * would flag.
 */
import { describe, expect, it } from 'vitest';
import type { RedactRule } from '../../engine/document/frontmatter-model.js';
import { createRedactor, type Redactor } from '../../engine/redact/redactor.js';

/** This process's CPU time so far, in ms (user and system). */
const cpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

const plain = createRedactor({ secrets: {}, patterns: [] });
const span = { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };

/** `n` characters drawn in turn from `alphabet`, varied so no run is all one character. */
function chars(n: number, alphabet: string, seed = 7): string {
  let out = '';
  for (let i = 0; i < n; i++) out += alphabet[(i * 7 + seed * 13 + Math.floor(i / 3)) % alphabet.length];
  return out;
}
const ALNUM = 'aB3cD4eF5gH6iJ7kL8mN9oP0qR1sT2uVwXyZ';
const HEX = '0123456789abcdef';
const B64URL = `${ALNUM}_-`;
const p = (...parts: string[]): string => parts.join('');

/** [kind, token] — each masked as [REDACTED:kind] wherever it stands. */
const TOKENS: [string, string][] = [
  ['stripe', p('sk_', 'live_', chars(24, ALNUM))],
  ['stripe', p('rk_', 'live_', chars(24, ALNUM, 2))],
  ['stripe', p('sk_', 'test_', chars(99, ALNUM, 3))],
  ['stripe', p('whs', 'ec_', chars(32, ALNUM, 4))],
  ['github', p('gh', 'p_', chars(36, ALNUM))],
  ['github', p('gh', 'o_', chars(36, ALNUM, 1))],
  ['github', p('gh', 'u_', chars(36, ALNUM, 2))],
  ['github', p('gh', 's_', chars(36, ALNUM, 3))],
  ['github', p('gh', 'r_', chars(36, ALNUM, 4))],
  ['github', p('github', '_pat_', chars(22, ALNUM), '_', chars(59, ALNUM, 5))],
  ['slack', p('xo', 'xb-', '263594206564-', '2343594206574-', chars(24, ALNUM))],
  ['slack', p('xo', 'xp-', '263594206564-', '2343594206574-', '2370893920497-', chars(32, HEX))],
  ['slack', p('xo', 'xa-2-', '263594206564-', chars(40, ALNUM))],
  ['slack', p('xoxe.', 'xo', 'xp-1-', chars(160, ALNUM.toUpperCase()))],
  ['slack', p('xa', 'pp-1-', 'A0123456789-', '1234567890123-', chars(64, HEX))],
  ['gitlab', p('gl', 'pat-', chars(20, B64URL))],
  ['gitlab', p('gl', 'pat-', chars(27, B64URL, 2), '.01.', chars(9, HEX))],
  ['gitlab', p('gl', 'dt-', chars(20, B64URL, 3))],
  ['npm', p('np', 'm_', chars(36, ALNUM))],
  ['pypi', p('py', 'pi-', 'AgEIcHlwaS5vcmc', chars(160, B64URL))],
  ['aws-key', p('AK', 'IA', 'IOSFODNN7EXAMPLE')],
  ['aws-key', p('AS', 'IA', 'Y34FZKBOKMUTVV7A')],
  ['google-api-key', p('AI', 'za', chars(35, B64URL))],
  ['openai', p('sk', '-proj-', chars(156, B64URL))],
  ['openai', p('sk', '-svcacct-', chars(80, B64URL, 2))],
  ['openai', p('sk', '-', chars(20, ALNUM), 'T3BlbkFJ', chars(20, ALNUM, 3))],
  ['anthropic', p('sk', '-ant-', 'api03-', chars(93, B64URL), 'AA')],
  ['anthropic', p('sk', '-ant-', 'admin01-', chars(93, B64URL, 2), 'AA')],
  ['sendgrid', p('SG', '.', chars(22, B64URL), '.', chars(43, B64URL, 2))],
  ['twilio', p('S', 'K', chars(32, HEX))],
  ['shopify', p('shp', 'at_', chars(32, HEX))],
  ['shopify', p('shp', 'ss_', chars(32, HEX, 2))],
  ['digitalocean', p('do', 'p_v1_', chars(64, HEX))],
  ['vault', p('hv', 's.', 'CAESI', chars(90, B64URL))],
  ['atlassian', p('ATA', 'TT3', chars(180, B64URL), '=', chars(8, HEX.toUpperCase()))],
  ['databricks', p('da', 'pi', chars(32, HEX))],
  ['databricks', p('da', 'pi', chars(32, HEX, 2), '-2')],
  ['jwt', p('ey', 'JhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9', '.eyJzdWIiOiIxMjM0In0.', chars(43, B64URL))],
];

/** Where tokens turn up: the token is masked, the text around it kept. */
const CONTEXTS = [
  (t: string) => [`token ${t} used`, 'token # used'],
  (t: string) => [`"key":"${t}",`, '"key":"#",'],
  (t: string) => [`--token=${t}\n`, '--token=#\n'],
  (t: string) => [`(${t})`, '(#)'],
  (t: string) => [t, '#'],
];

describe('tokens recognised by their shape, declared or not', () => {
  it.each(TOKENS)('masks a %s token', (kind, token) => {
    const mask = `[REDACTED:${kind}]`;
    for (const context of CONTEXTS) {
      const [input, expected] = context(token);
      expect(plain.text(input!)).toBe(expected!.replace('#', mask));
    }
  });

  it('masks them in values and in recorded sources, also with secrets and patterns declared', () => {
    const [, gh] = TOKENS.find(([k]) => k === 'github')!;
    expect(plain.value({ note: `pushed with ${gh}` })).toEqual({ note: 'pushed with [REDACTED:github]' });
    expect(plain.source(`::shell{run="curl -H 'X: ${gh}'"}`)).not.toContain(gh);
    const busy = createRedactor({
      secrets: { K: 'some-Declared-Secret-42' },
      patterns: [{ name: 'email', span, pattern: 'email' }],
    });
    expect(busy.text(`a@b.example ${gh} some-Declared-Secret-42`)).toBe(
      '[REDACTED:email] [REDACTED:github] [REDACTED:K]',
    );
  });

  it('a declared secret with the same value keeps its own name in the mask; an undeclared one is named by its kind', () => {
    const [gh, other] = TOKENS.filter(([k]) => k === 'github').map(([, t]) => t);
    expect(createRedactor({ secrets: { GH_TOKEN: gh! }, patterns: [] }).text(`t ${gh} ${other} .`)).toBe(
      't [REDACTED:GH_TOKEN] [REDACTED:github] .',
    );
  });

  it('jwt and aws-key need not be listed any more, and mask the same when they are', () => {
    const [, jwt] = TOKENS.find(([k]) => k === 'jwt')!;
    const listed = createRedactor({
      secrets: {},
      patterns: (['jwt', 'aws-key'] as const).map((pattern): RedactRule => ({ name: pattern, span, pattern })),
    });
    for (const r of [plain, listed])
      expect(r.text(`${jwt} AKIAIOSFODNN7EXAMPLE`)).toBe('[REDACTED:jwt] [REDACTED:aws-key]');
  });

  it('a token inside a longer run of token characters is not cut out of it, and is masked once it stands alone', () => {
    for (const [kind, token] of TOKENS.filter(
      ([k]) => !['jwt', 'slack', 'pypi', 'openai', 'anthropic', 'gitlab', 'vault', 'atlassian'].includes(k),
    )) {
      expect(plain.text(`x${token} ${token}`), token).toBe(`x${token} [REDACTED:${kind}]`);
    }
  });
});

/** Text that must come back unchanged. */
const LOOK_ALIKES = [
  'set sk_live to your key; keys look like sk_live_… and rk_live_…',
  p('sk_', 'live_', 'short123'),
  'commit 3f9c2e1d4b5a69788c0d1e2f3a4b5c6d7e8f9a0b fixed it',
  'request 123e4567-e89b-12d3-a456-426614174000 done',
  'a github_pat in prose, and github_pat_short, ghp_ alone, ghp_tooShort123',
  'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  'md5 d41d8cd98f00b204e9800998ecf8427e and SKU-12345 and SKIP',
  'npm_config_cache=/tmp/x and npm_package_version',
  'lorem dapibus ipsum, dapi alone, xoxb- alone, xapp-1 alone, glpat- alone',
  'AKIA is the prefix, AIza too; hvs. and SG. and dop_v1_ alone',
  'a-sk-not-a-key and task-queue-worker-7f9c and the desk-lamp-service',
  'pypi-AgE alone, pypi-package, whsec_ alone, shpat_ alone',
  'eyJhbGciOiJIUzI1NiJ9 alone, and eyJustice.is.served',
  '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUZ\n-----END CERTIFICATE-----\n',
  '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n',
  'the phrase BEGIN PRIVATE KEY in prose, and ----- a rule -----',
  `a base64 blob ${chars(400, `${ALNUM}+/`)} ends`,
];

describe('look-alikes stay', () => {
  const [, token] = TOKENS.find(([k]) => k === 'stripe')!;
  it.each(LOOK_ALIKES)('leaves %j alone (and masks a real token after it)', (text) => {
    expect(plain.text(`${text}\n${token}`)).toBe(`${text}\n[REDACTED:stripe]`);
  });
});

const PEM_BODY = [chars(64, `${ALNUM}+/`), chars(64, `${ALNUM}+/`, 3), `${chars(20, ALNUM, 5)}==`];
const pem = (label: string, headers: string[] = []): string =>
  [`-----BEGIN ${label}-----`, ...headers, ...PEM_BODY, `-----END ${label}-----`].join('\n');

describe('private key blocks', () => {
  it.each([
    'PRIVATE KEY',
    'RSA PRIVATE KEY',
    'EC PRIVATE KEY',
    'OPENSSH PRIVATE KEY',
    'ENCRYPTED PRIVATE KEY',
    'PGP PRIVATE KEY BLOCK',
  ])('masks a %s block whole', (label) => {
    expect(plain.text(`key:\n${pem(label)}\ndone`)).toBe('key:\n[REDACTED:private-key]\ndone');
  });

  it('with armor headers, CRLF line ends, indentation, or as \\n escapes in a JSON string', () => {
    expect(
      plain.text(`${pem('RSA PRIVATE KEY', ['Proc-Type: 4,ENCRYPTED', 'DEK-Info: AES-128-CBC,5B7B0E6F2C1A', ''])}\n`),
    ).toBe('[REDACTED:private-key]\n');
    expect(plain.text(`a\r\n${pem('PRIVATE KEY').replace(/\n/g, '\r\n')}\r\nb`)).toBe(
      'a\r\n[REDACTED:private-key]\r\nb',
    );
    expect(plain.text(`tls:\n  key: |\n${pem('EC PRIVATE KEY').replace(/^/gm, '    ')}\n  cert: x\n`)).toBe(
      'tls:\n  key: |\n    [REDACTED:private-key]\n  cert: x\n',
    );
    const json = JSON.stringify({ type: 'service_account', pk: `${pem('PRIVATE KEY')}\n`, client: 'x' });
    expect(plain.text(json)).toBe('{"type":"service_account","pk":"[REDACTED:private-key]\\n","client":"x"}');
  });

  it('masks a block cut short (no END line) through its last line of key', () => {
    const cut = [`-----BEGIN OPENSSH PRIVATE KEY-----`, ...PEM_BODY.slice(0, 2)].join('\n');
    expect(plain.text(`${cut}\n(output truncated)\n`)).toBe('[REDACTED:private-key]\n(output truncated)\n');
    expect(plain.text(cut)).toBe('[REDACTED:private-key]');
    expect(plain.text(JSON.stringify({ k: cut.slice(0, 80) }))).toBe('{"k":"[REDACTED:private-key]"}');
  });

  it('a declared secret holding the key keeps its own name in the mask; another key is named private-key', () => {
    const key = pem('PRIVATE KEY');
    const other = pem('EC PRIVATE KEY');
    expect(createRedactor({ secrets: { TLS_KEY: key }, patterns: [] }).text(`k:\n${key}\n${other}\n`)).toBe(
      'k:\n[REDACTED:TLS_KEY]\n[REDACTED:private-key]\n',
    );
  });

  it('masks a key written in chunks split at every point, and never emits a line of it', () => {
    const key = pem('RSA PRIVATE KEY');
    const text = `before\n${key}\nafter\n`;
    for (let i = 0; i <= text.length; i++) {
      const s = plain.stream();
      const out = [s.push(text.slice(0, i)), s.push(text.slice(i)), s.end()];
      expect(out.join(''), `split at ${i}`).toBe('before\n[REDACTED:private-key]\nafter\n');
      for (const piece of out) for (const line of PEM_BODY) expect(piece).not.toContain(line.slice(0, 12));
    }
  });

  it('masks a key written line by line, as a process prints it, and emits what came before at once', () => {
    const s = plain.stream();
    const out = [s.push('loading key\n')];
    expect(out[0]).toBe('loading key\n');
    for (const line of pem('OPENSSH PRIVATE KEY').split('\n')) out.push(s.push(`${line}\n`));
    out.push(s.push('loaded\n'), s.end());
    expect(out.join('')).toBe('loading key\n[REDACTED:private-key]\nloaded\n');
  });

  it('random chunkings of text with keys and tokens give exactly text(all)', () => {
    const text = [
      'start\n',
      ...TOKENS.map(([, t], i) => `${i % 2 ? 'tok ' : '"t":"'}${t}${i % 2 ? ' ' : '"\n'}`),
      `${pem('PRIVATE KEY')}\n`,
      `${pem('PGP PRIVATE KEY BLOCK', ['Version: GnuPG v2', ''])}\r\n`,
      `${JSON.stringify({ k: pem('EC PRIVATE KEY') })}\n`,
      '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
      `${pem('RSA PRIVATE KEY').split('\n').slice(0, 3).join('\n')}\nerror: cut short\n`,
      'end\n',
    ].join('');
    const whole = plain.text(text);
    expect(whole).not.toContain(PEM_BODY[0]!.slice(0, 16));
    for (const [, t] of TOKENS) expect(whole).not.toContain(t);
    let seed = 11;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (const max of [3, 40, 700]) {
      for (let k = 0; k < 40; k++) {
        const s = plain.stream();
        const out: string[] = [];
        for (let at = 0; at < text.length; ) {
          const n = 1 + Math.floor(rand() * max);
          out.push(s.push(text.slice(at, at + n)));
          at += n;
        }
        out.push(s.end());
        expect(out.join(''), `max ${max}, chunking ${k}`).toBe(whole);
      }
    }
  });
});

describe('cost', () => {
  const line = (i: number) =>
    `2024-01-15T10:00:${String(i % 60).padStart(2, '0')}Z INFO request id=${i} path=/api/v1/items status=200 took=${i % 97}ms user=alice note: all good\n`;
  const ordinary = (size: number): string => {
    const parts: string[] = [];
    for (let i = 0, n = 0; n < size; i++) {
      parts.push(line(i));
      n += parts[parts.length - 1]!.length;
    }
    return parts.join('').slice(0, size);
  };
  /**
   * The fastest of 7 timings of each text, taken in turns: a loaded machine (other test files
   * beside this one) slows some turns of each alike, and the fastest is the redactor's own cost. Timed
   * in CPU time, so the turns another process was given do not count.
   */
  const fastest = (r: Redactor, ...texts: string[]): number[] => {
    const best = texts.map(() => Number.POSITIVE_INFINITY);
    for (let k = 0; k < 7; k++)
      texts.forEach((text, i) => {
        const t = cpuMs();
        r.text(text);
        best[i] = Math.min(best[i]!, cpuMs() - t);
      });
    return best;
  };

  const [, token] = TOKENS.find(([k]) => k === 'npm')!;

  it('stays linear on runs of token prefixes and BEGIN lines with no END', () => {
    const runs = (size: number) =>
      [
        'sk-',
        'ghp_',
        'xoxb-1-',
        'eyJ_',
        'glpat-',
        'AKIA',
        `sk-${'a'.repeat(300)} `,
        '-----BEGIN PRIVATE KEY-----',
        `-----BEGIN PRIVATE KEY-----\n${'QUJD'.repeat(40)}\n`,
      ]
        .map((unit) => unit.repeat(Math.ceil(size / 9 / unit.length)))
        .join('\n');
    expect(plain.text(`${runs(1 << 16)}\n${token}\n`)).toMatch(/\n\[REDACTED:npm\]\n$/);
    const [one, two] = fastest(plain, runs(1 << 20), runs(2 << 20)) as [number, number];
    console.log(`adversarial token runs: 1 MB ${one.toFixed(1)} ms, 2 MB ${two.toFixed(1)} ms`);
    expect(two).toBeLessThan(3 * one + 20);
    expect(one).toBeLessThan(1000);
  });

  it('adds little to 1 MB of ordinary log text, and finds the 3 tokens in it', () => {
    const text = ordinary(1 << 20);
    const mb = `${text.slice(0, 1000)} ${token} ${text.slice(1000, 500_000)} ${token} ${text.slice(500_000)} ${token}`;
    expect(plain.text(mb).match(/\[REDACTED:npm\]/g)).toHaveLength(3);
    const [t] = fastest(plain, mb) as [number];
    console.log(`1 MB of log lines, nothing declared: ${t.toFixed(1)} ms`);
    expect(t).toBeLessThan(500);
  });
});
