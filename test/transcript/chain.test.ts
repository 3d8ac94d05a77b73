/** The hash chain and signed heads: every kind of tampering fails verify at the right seq. */
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../engine/run/events.js';
import { canonicalJson, normalize } from '../../engine/transcript/canonical.js';
import { eventHash, seal, sealCanonical, verifyChain, type ChainedEvent } from '../../engine/transcript/chain.js';
import {
  generateSigningKeys,
  readPrivateKey,
  readPublicKey,
  signHead,
  verifySignatures,
} from '../../engine/transcript/sign.js';

const started: RunEvent = {
  type: 'run.started',
  data: {
    runbook: { path: 'r.md', id: 'r', title: 'R', sha256: 'a'.repeat(64), source: '# R\n' },
    inputs: { n: 1 },
    targets: {},
    operator: 'ann',
    host: 'h',
    engineVersion: '0.1.0',
    mode: 'headless',
    formatVersion: 1,
  },
};
const step = (i: number): RunEvent => ({
  type: 'step.finished',
  data: { stepId: `s${i}`, status: 'passed', ms: i, result: { rows: [{ id: BigInt(i) * 10n ** 20n }], n: i } },
});

function chainOf(runId: string, events: RunEvent[], key?: ReturnType<typeof generateSigningKeys>): ChainedEvent[] {
  const out: ChainedEvent[] = [];
  const push = (e: RunEvent): void => {
    out.push(
      seal(e, {
        seq: out.length + 1,
        ts: new Date(Date.UTC(2026, 0, 1, 0, 0, out.length)).toISOString(),
        runId,
        prev: out.at(-1)?.hash ?? null,
      }),
    );
  };
  for (const e of events) push(e);
  if (key) push({ type: 'head.signed', data: signHead(out.at(-1)!, readPrivateKey(key.privatePem, 'k')) });
  return out;
}

const clone = (events: ChainedEvent[]): ChainedEvent[] => JSON.parse(JSON.stringify(events));
/** Recomputes every prev and hash from `from` on, as someone who can write the store would. */
function rechain(events: ChainedEvent[], from = 0): ChainedEvent[] {
  for (let i = from; i < events.length; i++) {
    const e = events[i]!;
    e.prev = i === 0 ? null : events[i - 1]!.hash;
    e.hash = eventHash(e);
  }
  return events;
}

const base = chainOf('run-a', [started, ...[1, 2, 3, 4, 5, 6].map(step)]);
const lines = (events: ChainedEvent[]): string[] => events.map((e) => JSON.stringify(e));

describe('verifyChain', () => {
  it('an untouched chain verifies, from objects and from JSON lines, and names its head', () => {
    const verdict = verifyChain(base);
    expect(verdict).toMatchObject({ ok: true, runId: 'run-a', count: 7, head: base[6]!.hash });
    expect(verifyChain(lines(base))).toMatchObject({ ok: true, head: base[6]!.hash });
  });

  it('bigint values were normalised, so the chain survives export and re-import', () => {
    expect((base[1]!.data as { result: { rows: { id: unknown }[] } }).result.rows[0]!.id).toBe('100000000000000000000');
    expect(verifyChain(clone(base)).ok).toBe(true);
  });

  const k = 4; // index of the event we tamper with; its seq is k + 1
  const cases: [string, (e: ChainedEvent[]) => ChainedEvent[], number][] = [
    ['one byte of data changed', (e) => (((e[k]!.data as { ms: number }).ms += 1), e), k + 1],
    ['a string in the result changed', (e) => (((e[k]!.data as { stepId: string }).stepId = 's9'), e), k + 1],
    ['prev changed', (e) => ((e[k]!.prev = 'f'.repeat(64)), e), k + 1],
    ['the timestamp changed', (e) => ((e[k]!.ts = '2030-01-01T00:00:00.000Z'), e), k + 1],
    ['an event deleted', (e) => (e.splice(k, 1), e), k + 1],
    ['two events swapped', (e) => (([e[k], e[k + 1]] = [e[k + 1]!, e[k]!]), e), k + 1],
    ['an event duplicated', (e) => (e.splice(k, 0, clone([e[k]!])[0]!), e), k + 2],
    ['events renumbered after a deletion', (e) => (e.splice(k, 1), e.slice(k).map((x) => (x.seq -= 1)), e), k + 1],
    [
      'an event inserted',
      (e) => (e.splice(k, 0, { ...clone([e[k]!])[0]!, seq: k + 1 }), e.slice(k + 1).map((x) => (x.seq += 1)), e),
      k + 2,
    ],
    [
      'an event copied in from another run',
      (e) => ((e[k] = chainOf('run-b', [started, ...[1, 2, 3, 4, 5, 6].map(step)])[k]!), e),
      k + 1,
    ],
    [
      'an event copied in from another run, with its runId rewritten',
      (e) => ((e[k] = { ...chainOf('run-b', [started, ...[1, 2, 3, 4, 5, 6].map(step)])[k]!, runId: 'run-a' }), e),
      k + 1,
    ],
  ];
  it.each(cases)('%s: fails at the right seq', (_name, tamper, seq) => {
    const verdict = verifyChain(tamper(clone(base)));
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.broken.seq).toBe(seq);
  });

  it('a garbage line is an error at its place, not skipped', () => {
    const l = lines(base);
    l.splice(3, 0, 'not json at all');
    const verdict = verifyChain(l);
    expect(verdict).toMatchObject({
      ok: false,
      broken: { seq: 4, reason: expect.stringMatching(/line 4 is not a JSON event/) },
    });
  });

  it('a hostile garbage line is quoted with every terminal control escaped (C0, C1 CSI, bidi override)', () => {
    const l = lines(base);
    l.splice(1, 0, 'x\u001b[2J\u009b31m\u202eevil\u0007');
    const verdict = verifyChain(l);
    expect(verdict.ok).toBe(false);
    const reason = verdict.ok ? '' : verdict.broken.reason;
    expect(reason).toContain('"x\\u001b[2J\\u009b31m\\u202eevil\\u0007"');
    expect(reason).not.toMatch(/[\u0000-\u001f\u0080-\u009f\u202a-\u202e]/);
  });

  it('an event with an extra field, a missing hash or a bad seq is refused', () => {
    for (const change of [
      (e: Record<string, unknown>) => (e.extra = 1),
      (e: Record<string, unknown>) => delete e.hash,
      (e: Record<string, unknown>) => (e.seq = '3'),
    ]) {
      const events = clone(base) as unknown as Record<string, unknown>[];
      change(events[2]!);
      const verdict = verifyChain(events);
      expect(verdict.ok).toBe(false);
      if (!verdict.ok) expect(verdict.broken.seq).toBe(3);
    }
  });

  it('the first event must be run.started with prev null; an empty transcript fails', () => {
    expect(verifyChain(base.slice(1)).ok).toBe(false);
    expect(verifyChain([])).toMatchObject({ ok: false, broken: { reason: 'the transcript has no events' } });
  });

  it('a chain recomputed after an edit passes on its own (why heads are signed)', () => {
    const edited = clone(base);
    (edited[k]!.data as { ms: number }).ms = 999;
    expect(verifyChain(rechain(edited)).ok).toBe(true);
  });
});

describe('signed heads', () => {
  const key = generateSigningKeys();
  const other = generateSigningKeys();
  const publicKey = readPublicKey(key.publicPem, 'k.pub');
  const signed = chainOf('run-a', [started, ...[1, 2, 3, 4, 5, 6].map(step)], key);

  it('a signed transcript verifies with its public key', () => {
    expect(verifyChain(signed).ok).toBe(true);
    expect(verifySignatures(signed, publicKey)).toEqual({ ok: true, signed: 1, lastSignedSeq: 7 });
    expect(signed.at(-1)!.data).toMatchObject({
      seq: 7,
      hash: signed[6]!.hash,
      algorithm: 'ed25519',
      key: key.fingerprint,
    });
  });

  it('a recomputed chain after an edit passes alone but fails against the signed head', () => {
    const edited = clone(signed);
    (edited[2]!.data as { ms: number }).ms = 999;
    rechain(edited);
    expect(verifyChain(edited).ok).toBe(true);
    expect(verifySignatures(edited, publicKey)).toMatchObject({
      ok: false,
      seq: 8,
      reason: expect.stringMatching(/rewritten/),
    });
  });

  it('a rechained edit that also rewrites the signed hash fails the signature', () => {
    const edited = clone(signed);
    (edited[2]!.data as { ms: number }).ms = 999;
    rechain(edited);
    (edited[7]!.data as { hash: string }).hash = edited[6]!.hash;
    rechain(edited, 7);
    expect(verifyChain(edited).ok).toBe(true);
    expect(verifySignatures(edited, publicKey)).toMatchObject({
      ok: false,
      seq: 8,
      reason: expect.stringMatching(/does not verify/),
    });
  });

  it('a truncated tail fails: the last signed head is gone', () => {
    const cut = clone(signed).slice(0, 5);
    expect(verifyChain(cut).ok).toBe(true);
    expect(verifySignatures(cut, publicKey)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/no signed head/),
    });
  });

  it('events appended after the signed head fail', () => {
    const extended = clone(signed);
    extended.push(seal(step(7), { seq: 9, ts: '2026-01-01T00:01:00.000Z', runId: 'run-a', prev: extended[7]!.hash }));
    expect(verifyChain(extended).ok).toBe(true);
    expect(verifySignatures(extended, publicKey)).toMatchObject({
      ok: false,
      seq: 8,
      reason: expect.stringMatching(/not covered by a signature/),
    });
  });

  it('another key does not verify, and says whose key signed', () => {
    expect(verifySignatures(signed, readPublicKey(other.publicPem, 'o.pub'))).toMatchObject({
      ok: false,
      reason: expect.stringContaining(key.fingerprint),
    });
  });

  it('a key that is not ed25519 or not a key at all is refused clearly', () => {
    expect(() => readPrivateKey('nope', 'x.key')).toThrow(/not a private key.*stepwise keygen/);
    expect(() => readPublicKey(key.privatePem.replace('PRIVATE', 'PUBLIC'), 'x.pub')).toThrow(/not a public key/);
  });
});

describe('sealCanonical (the recorder seals around the data text it measured)', () => {
  const events: RunEvent[] = [
    started,
    step(1),
    {
      type: 'step.output',
      data: { stepId: 'é\u2028"q"', chunk: 'ünï\u0000code 🚀 \\ </script>', stream: 'stdout' },
    } as unknown as RunEvent,
    { type: 'note', data: { b: [1.5, -0, 1e21, null, true], a: { z: 1, A: 2, _: 3, é: 4 } } } as unknown as RunEvent,
    { type: 'run.finished', data: { status: 'passed' } } as unknown as RunEvent,
  ];
  it('gives the hash seal() gives, event after event, with any runId, ts and prev', () => {
    let prev: string | null = null;
    for (const [i, e] of events.entries()) {
      const at = { seq: i + 1, ts: `2026-11-29T10:00:0${i}.123Z`, runId: `run-"${i}"-ü`, prev };
      const data = normalize(e.data);
      const expected = seal({ ...e, data } as RunEvent, at, true);
      const got = sealCanonical({ ...e, data } as RunEvent, at, canonicalJson(data));
      expect(got).toEqual(expected);
      prev = got.hash;
    }
  });
});
