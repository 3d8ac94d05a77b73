/**
 * Signed heads. A hash chain alone can be recomputed by whoever can write the store, and a cut-off
 * tail leaves no trace. With a key, the recorder signs the chain's head (runId, seq, hash) at
 * run.finished and at every run.interrupted, in a `head.signed` event that is itself chained.
 * `verify --public-key` then checks every signature, that each signed hash is the hash actually at
 * that seq, and that the transcript ends with a signed head: a rewritten chain or a truncated
 * tail fails. ed25519 through node:crypto.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import type { HeadSignature } from '../run/events.js';
import type { ChainedEvent } from './chain.js';

export type { HeadSignature } from '../run/events.js';

export class KeyError extends Error {}

export function generateSigningKeys(): { privatePem: string; publicPem: string; fingerprint: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    fingerprint: fingerprint(publicKey),
  };
}

/** `sha256:` and the first 32 hex digits of the sha256 of the public key's DER (SPKI) form. */
export function fingerprint(publicKey: KeyObject): string {
  return `sha256:${createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 32)}`;
}

export function readPrivateKey(pem: string, path: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (error) {
    throw new KeyError(
      `${path} is not a private key in PEM form (${(error as Error).message}); make one with: stepwise keygen -o NAME`,
    );
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new KeyError(
      `${path} is a ${key.asymmetricKeyType} key; Stepwise signs with ed25519 (stepwise keygen -o NAME)`,
    );
  return key;
}

export function readPublicKey(pem: string, path: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (error) {
    throw new KeyError(`${path} is not a public key in PEM form (${(error as Error).message})`);
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new KeyError(`${path} is a ${key.asymmetricKeyType} key; Stepwise verifies ed25519 signatures`);
  return key;
}

const message = (runId: string, seq: number, hash: string): Buffer =>
  Buffer.from(`stepwise-head-v1\n${runId}\n${seq}\n${hash}`, 'utf8');

/** Signs the head of a chain: the event `head` (its runId, seq and hash). */
export function signHead(head: Pick<ChainedEvent, 'runId' | 'seq' | 'hash'>, privateKey: KeyObject): HeadSignature {
  const publicKey = createPublicKey(privateKey);
  return {
    seq: head.seq,
    hash: head.hash,
    algorithm: 'ed25519',
    key: fingerprint(publicKey),
    signature: sign(null, message(head.runId, head.seq, head.hash), privateKey).toString('base64'),
  };
}

export type SignatureVerdict =
  | { ok: true; signed: number; lastSignedSeq: number }
  | { ok: false; seq: number; reason: string };

/**
 * Checks the signed heads of a chain that already verified: each `head.signed` must be by one of
 * the trusted keys (a run resumed by another responder carries their signatures too; a team
 * rotates keys), over the hash really at its seq, and the last event must be a signature of the
 * one before.
 */
export function verifySignatures(
  events: readonly ChainedEvent[],
  trusted: KeyObject | readonly KeyObject[],
): SignatureVerdict {
  const keys = new Map(
    (Array.isArray(trusted) ? trusted : [trusted as KeyObject]).map((k) => [fingerprint(k), k] as const),
  );
  const names = [...keys.keys()].join(', ');
  let signed = 0;
  let lastSignedSeq = 0;
  for (const event of events) {
    if (event.type !== 'head.signed') continue;
    const s = event.data;
    const target = events[s.seq - 1];
    const publicKey = keys.get(s.key);
    if (!publicKey)
      return {
        ok: false,
        seq: event.seq,
        reason: `seq ${event.seq} is signed by key ${s.key}, not by ${keys.size === 1 ? names : `any of ${names}`}`,
      };
    if (!target || target.hash !== s.hash || s.seq >= event.seq)
      return {
        ok: false,
        seq: event.seq,
        reason: `seq ${event.seq} signs hash ${s.hash.slice(0, 12)}… for seq ${s.seq}, but the chain holds ${target ? `${target.hash.slice(0, 12)}…` : 'no such event'} there (the chain was rewritten)`,
      };
    let valid = false;
    try {
      valid = verify(null, message(event.runId, s.seq, s.hash), publicKey, Buffer.from(s.signature, 'base64'));
    } catch {
      valid = false;
    }
    if (!valid)
      return {
        ok: false,
        seq: event.seq,
        reason: `seq ${event.seq}: the signature does not verify with the public key ${s.key}`,
      };
    signed++;
    lastSignedSeq = s.seq;
  }
  const last = events[events.length - 1];
  if (!last) return { ok: false, seq: 1, reason: 'the transcript has no events' };
  if (signed === 0)
    return {
      ok: false,
      seq: last.seq,
      reason: 'the transcript has no signed head (it was not run with --sign-key, or its signatures were removed)',
    };
  if (last.type !== 'head.signed' || lastSignedSeq !== last.seq - 1) {
    return {
      ok: false,
      seq: lastSignedSeq + 1,
      reason: `events after seq ${lastSignedSeq} are not covered by a signature: the transcript was cut off or extended after its last signed head, or the run was killed before it could sign`,
    };
  }
  return { ok: true, signed, lastSignedSeq };
}
