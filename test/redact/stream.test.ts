/**
 * stream(): a secret split across chunks at every point and across 4 KiB boundaries, secrets
 * longer than a chunk, header lines and URLs arriving in pieces, random chunkings that must give
 * exactly text(all input), prompt output, and failing closed.
 */
import { describe, expect, it } from 'vitest';
import type { RedactRule } from '../../engine/document/frontmatter-model.js';
import { encodedForms } from '../../engine/redact/encodings.js';
import { createRedactor, RedactionError, type Redactor } from '../../engine/redact/redactor.js';

const CANARY = 's3cr3t-Canary-Value-1234';
const SPECIAL = `p@ss/w0rd "quoted" & <tag> 'x' é+ünï`;
const K = '[REDACTED:K]';
const span = { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };
const patterns: RedactRule[] = (['email', 'bearer', 'card', 'phone', 'ipv4', 'jwt', 'aws-key'] as const).map(
  (pattern) => ({ name: pattern, span, pattern }),
);

/** Pushes the pieces and ends; returns every output piece (the last one from end()). */
function run(r: Redactor, pieces: string[]): string[] {
  const s = r.stream();
  return [...pieces.map((p) => s.push(p)), s.end()];
}

/** A small seeded PRNG (mulberry32) so a failing chunking can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomPieces(text: string, rand: () => number, maxPiece: number): string[] {
  const pieces: string[] = [];
  for (let at = 0; at < text.length; ) {
    const n = 1 + Math.floor(rand() * Math.min(maxPiece, text.length - at));
    pieces.push(text.slice(at, at + n));
    at += n;
  }
  return pieces;
}

describe('stream(): secrets across chunk boundaries', () => {
  const r = createRedactor({ secrets: { K: CANARY }, patterns: [] });

  it('masks a secret split at every possible point', () => {
    const text = `before ${CANARY} after\n`;
    for (let i = 0; i <= text.length; i++) {
      const out = run(r, [text.slice(0, i), text.slice(i)]);
      expect(out.join(''), `split at ${i}`).toBe(`before ${K} after\n`);
      for (const piece of out) expect(piece).not.toContain('Canary');
    }
  });

  it.each(['correct horse battery staple', 'my pw'])(
    'masks the secret %j, which contains spaces, split at every possible point',
    (spaced) => {
      // Not just the last word may be held back: the whole secret must be.
      const rs = createRedactor({ secrets: { S: spaced }, patterns: [] });
      const text = `${'lorem ipsum '.repeat(12)}${spaced} tail\n`;
      for (let i = 0; i <= text.length; i++) {
        const out = run(rs, [text.slice(0, i), text.slice(i)]);
        expect(out.join(''), `split at ${i}`).toBe(`${'lorem ipsum '.repeat(12)}[REDACTED:S] tail\n`);
      }
    },
  );

  it('masks base64 broken by indented line breaks every few characters, split at every point', () => {
    const broken = Buffer.from(CANARY).toString('base64').replace(/.{4}/g, '$&\n    ');
    const text = `${'lorem ipsum '.repeat(12)}key:\n    ${broken}\ndone\n`;
    const whole = r.text(text);
    expect(whole).toContain(K);
    for (let i = 0; i <= text.length; i++)
      expect(run(r, [text.slice(0, i), text.slice(i)]).join(''), `split at ${i}`).toBe(whole);
  });

  it('masks an encoded secret (base64, hex, ANSI, over-percent-encoded) split at every possible point', () => {
    const b64 = Buffer.from(`xy${CANARY}`).toString('base64');
    const text = `a ${b64} b ${Buffer.from(CANARY).toString('hex')} c s3cr3t\x1b[0m-Canary-Value-1234 d ${CANARY.replace(/-/g, '%2D')} e`;
    const whole = r.text(text);
    expect(whole).toMatch(/b \[REDACTED:K\] c \[REDACTED:K\] d \[REDACTED:K\] e$/);
    expect(whole).not.toContain(b64.slice(4, -4)); // the base64 at an offset: only its edges, which carry other bytes, stay
    for (let i = 0; i <= text.length; i++)
      expect(run(r, [text.slice(0, i), text.slice(i)]).join(''), `split at ${i}`).toBe(whole);
  });

  it('masks a secret that straddles 4 KiB chunk boundaries', () => {
    const text = `${'x'.repeat(4096 - 10)}${CANARY}${'y'.repeat(4096 - 14)}${CANARY}${'z'.repeat(100)}`;
    const pieces = [text.slice(0, 4096), text.slice(4096, 8192), text.slice(8192)];
    const out = run(r, pieces);
    expect(out.join('')).toBe(r.text(text));
    expect(out.join('')).not.toContain('Canary');
    expect(out.join('').match(/\[REDACTED:K\]/g)).toHaveLength(2);
  });

  it('masks a 5 KiB secret arriving in 1 KiB chunks (longer than a chunk)', () => {
    const big = Array.from(
      { length: 5 * 1024 },
      (_, i) => 'abcdefghijklmnopqrstuvwxyz0123456789'[(i * 7 + (i >> 5)) % 36],
    ).join('');
    const rb = createRedactor({ secrets: { BIG: big }, patterns: [] });
    const text = `start ${big} middle ${Buffer.from(big).toString('base64')} end`;
    const out = run(
      rb,
      randomPieces(text, () => 0.999, 1024),
    );
    expect(out.join('')).toBe('start [REDACTED:BIG] middle [REDACTED:BIG] end');
    for (const piece of out) expect(piece).not.toContain(big.slice(0, 64));
  });

  it('masks MIME-wrapped base64 arriving in small chunks', () => {
    const blob = Buffer.concat([Buffer.alloc(50, 0x41), Buffer.from(CANARY), Buffer.alloc(100, 0x42)]);
    const text = `${blob.toString('base64').replace(/.{76}/g, '$&\r\n')}\r\n`;
    const rand = prng(7);
    for (let k = 0; k < 50; k++) expect(run(r, randomPieces(text, rand, 9)).join('')).toBe(r.text(text));
    expect(r.text(text)).toContain(K);
  });
});

describe('stream(): always-on rules across chunks', () => {
  const plain = createRedactor({ secrets: {}, patterns: [] });

  it('masks a header line whose name or value is split at every point', () => {
    const text = 'GET /x HTTP/1.1\n> Authorization: Bearer abc.def\nAccept: */*\n';
    for (let i = 0; i <= text.length; i++) {
      expect(run(plain, [text.slice(0, i), text.slice(i)]).join(''), `split at ${i}`).toBe(
        'GET /x HTTP/1.1\n> Authorization: [REDACTED]\nAccept: */*\n',
      );
    }
  });

  it('masks URL credentials split at every point', () => {
    const text = 'connecting to postgres://app:hunter2@db.internal:5432/prod ok\n';
    for (let i = 0; i <= text.length; i++) {
      expect(run(plain, [text.slice(0, i), text.slice(i)]).join(''), `split at ${i}`).toBe(
        'connecting to postgres://[REDACTED]@db.internal:5432/prod ok\n',
      );
    }
  });

  it('masks the rest of a header line longer than the 8 KiB hold, without holding it', () => {
    const value = 'v'.repeat(20_000);
    const text = `Cookie: ${value}\nnext line\n`;
    const pieces = randomPieces(text, prng(3), 1500);
    const out = run(plain, pieces);
    expect(out.join('')).toBe('Cookie: [REDACTED]\nnext line\n');
    expect(out.join('')).toBe(plain.text(text));
    expect(out.slice(0, -1).join('')).toContain('Cookie: [REDACTED]'); // emitted before the line ended
  });
});

describe('stream(): random chunkings equal text()', () => {
  const forms = encodedForms(CANARY).map((f) => f.text);
  const special = encodedForms(SPECIAL).map((f) => f.text);
  const pem =
    '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\nVJTUt9Us8cKjMzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDu\n-----END PRIVATE KEY-----';
  const wrapped = Buffer.concat([Buffer.alloc(51, 0x20), Buffer.from(CANARY), Buffer.alloc(90, 0x7e)])
    .toString('base64')
    .replace(/.{76}/g, '$&\n');
  const text = [
    'Starting step 1: fetch 🚀 data\n',
    ...forms.map((f, i) => `form ${i}: ${f} ;\n`),
    ...special.map((f, i) => `special ${i}: <${f}>\n`),
    `pem:\n${pem}\r\n${pem.replace(/\n/g, '\r\n')}\n`,
    `wrapped:\n${wrapped}\n`,
    `ansi: \x1b[31ms3cr\x1b[0m3t-Canary-Value-1234 and s3cr3t-Ca\x1b]0;title\x07nary-Value-1234\n`,
    `percent: ${Array.from(Buffer.from(CANARY), (b) => `%${b.toString(16)}`).join('')} and ${CANARY.replace(/-/g, '%2D')} at 100%\n`,
    '> Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-nature_1\n',
    'url postgres://u:pw@db/x, mail ops@example.com, card 4111 1111 1111 1111, ip 10.0.0.1, phone +44 20 7946 0958\n',
    'aws AKIAIOSFODNN7EXAMPLE and a pass word with pass in it 😀\n',
  ].join('');
  const r = createRedactor({ secrets: { K: CANARY, S: SPECIAL, PEM: pem, P: 'pass' }, patterns });
  const whole = r.text(text);

  it('masks every form in text() itself', () => {
    for (const f of [...forms, ...special]) expect(whole).not.toContain(f);
    expect(whole).not.toContain('MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7');
    expect(whole.replace(/\n/g, '')).not.toContain('s3cr3t');
  });

  it.each([
    ['tiny pieces', 3, 7],
    ['small pieces', 40, 11],
    ['pieces around 4 KiB', 4096, 13],
  ])('gives exactly text(all) for 100 random chunkings into %s', (_name, maxPiece, seed) => {
    const rand = prng(seed);
    for (let k = 0; k < 100; k++) {
      const pieces = randomPieces(text, rand, maxPiece);
      const out = run(r, pieces);
      expect(out.join(''), `chunking ${k}`).toBe(whole);
      // Plain checks: an expect() per piece and form would dominate the run time.
      const leaks = out.filter((piece) => forms.some((f) => piece.includes(f)));
      const splitPairs = out.filter((piece) => /[\ud800-\udbff]$/.test(piece)); // a surrogate pair is never split between pieces
      expect({ leaks, splitPairs }).toEqual({ leaks: [], splitPairs: [] });
    }
  });
});

describe('stream(): promptness and lifecycle', () => {
  it('emits everything that can no longer be part of a match', () => {
    const plain = createRedactor({ secrets: {}, patterns: [] });
    const s = plain.stream();
    expect(s.push('line one\nline two\n')).toBe('line one\nline two\n');
    expect(s.push('partial')).toBe('');
    expect(s.end()).toBe('partial');

    const r = createRedactor({ secrets: { K: CANARY }, patterns: [] });
    const t = r.stream();
    const out = t.push(`${'ordinary text '.repeat(1000)}\n`);
    expect(out.length).toBeGreaterThan(14_000 - 200);
  });

  it('throws on push() after end(), and end() twice returns nothing more', () => {
    const s = createRedactor({ secrets: {}, patterns: [] }).stream();
    s.push('a');
    expect(s.end()).toBe('a');
    expect(s.end()).toBe('');
    expect(() => s.push('b')).toThrow(RedactionError);
  });

  it('fails closed: after an error it never flushes what it held', () => {
    const s = createRedactor({ secrets: { K: CANARY }, patterns: [] }).stream();
    expect(s.push('held s3cr3t-Canary-Val')).toBe('');
    expect(() => s.push(42 as unknown as string)).toThrow(RedactionError);
    expect(() => s.end()).toThrow(RedactionError);
    expect(() => s.push('ue-1234')).toThrow(RedactionError);
  });
});

describe('stream(): one long line with no whitespace (minified JSON)', () => {
  it('a URL credential or JWT straddling a chunk boundary past the 8 KiB token hold is masked whole', () => {
    const plain = createRedactor({ secrets: {}, patterns: [] });
    const withJwt = createRedactor({ secrets: {}, patterns: [{ name: 'jwt', span, pattern: 'jwt' }] });
    const filler = `{"items":[${'{"id":1,"name":"x"},'.repeat(3300)}`;
    const jwt = `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ sub: 'admin', roles: 'x'.repeat(300) })).toString('base64url')}.Zk3SigNatureValue_abcdefgh`;
    const line = `${filler}"db":"postgres://app:Kq9-Db-Pass-4471@db.internal/x","token":"${jwt}"}]}\n`;
    for (const [r, cutAt] of [
      [plain, line.indexOf('Kq9') + 3],
      [withJwt, line.indexOf(jwt) + 200],
    ] as const) {
      const out = run(r, [line.slice(0, cutAt), line.slice(cutAt)]);
      expect(out.join(''), `cut at ${cutAt}`).not.toMatch(/Kq9|Db-Pass|Zk3Sig/);
      expect(out.join('')).toContain('"db":"postgres://[REDACTED]@db.internal/x"');
    }
    expect(
      run(withJwt, [line.slice(0, line.indexOf(jwt) + 200), line.slice(line.indexOf(jwt) + 200)]).join(''),
    ).toContain('"token":"[REDACTED:jwt]"');
  });
});

describe('stream(): a header line cut after its name', () => {
  it('never emits the name alone, so the value that follows is still recognised (secrets declared or not)', () => {
    for (const r of [
      createRedactor({ secrets: { K: CANARY }, patterns: [] }),
      createRedactor({ secrets: {}, patterns: [] }),
    ]) {
      const s = r.stream();
      const out = [
        s.push('Authorization: Bearer ZzUnDeclaredToken987ue9'),
        s.push('\nX-Vault-Token: ZzUnDeclaredToken987ue9'),
        s.push('\n'),
        s.end(),
      ];
      expect(out.join('')).toBe('Authorization: [REDACTED]\nX-Vault-Token: [REDACTED]\n');
    }
  });
});
