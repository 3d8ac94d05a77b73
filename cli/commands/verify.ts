import type { KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { FileReadError, readTextFile } from '../../engine/io/read-bounded.js';
import { verifyChain, type ChainVerdict } from '../../engine/transcript/chain.js';
import { KeyError, readPublicKey, verifySignatures } from '../../engine/transcript/sign.js';
import { parse } from '../args.js';
import { EXIT, UsageError, type Command } from '../command.js';
import { findRun, withStore } from '../store-access.js';

export const verify: Command = {
  name: 'verify',
  help: `Usage: stepwise verify RUN-or-FILE [--public-key FILE] [--store PATH-or-URL] [--json]
       stepwise verify --all [--public-key FILE] [--store PATH-or-URL] [--json]

Recomputes the hash chain of a run in the store, or of a JSON Lines file written by
\`stepwise export\`, and prints the final digest. Any changed, removed, reordered,
duplicated, renumbered or inserted event, an event copied in from another run, or a
line that is not an event fails, naming the first bad seq.

With --public-key, the signed heads must verify too, so a chain recomputed after an edit
and a cut-off tail also fail.

With --all, every run in the store is verified (an audit of the whole store): failures
are printed, then a count; --json prints one verdict a line.

Options:
  --public-key FILE     an ed25519 public key (NAME.pub from stepwise keygen) trusted to sign;
                        repeat it when a run was resumed by someone with another key, or keys rotated
  --store PATH-or-URL   the store, for a RUN (default: the nearest .stepwise/stepwise.db upwards)
  --all                 every run in the store
  --json                the verdict as JSON on stdout
  -h, --help            this help

Exit codes: 0 verified, 2 cannot read it, 4 usage error, 6 verification failed.`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, {
      'public-key': { type: 'string', multiple: true },
      store: { type: 'string' },
      json: { type: 'boolean' },
      all: { type: 'boolean' },
    });
    if (values.all ? positionals.length !== 0 : positionals.length !== 1)
      throw new UsageError(
        'name one run or file (stepwise verify RUN-or-FILE), or pass --all for every run in the store',
      );
    // Every key trusted to have signed: a run resumed by another responder carries their signatures too.
    const trusted: KeyObject[] = [];
    for (const file of values['public-key'] ?? []) {
      try {
        trusted.push(readPublicKey(readTextFile(file, { what: 'public key file', maxBytes: KEY_FILE_BYTES }), file));
      } catch (error) {
        io.stderr.write(
          `stepwise verify: ${error instanceof KeyError || error instanceof FileReadError ? error.message : `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`}\n`,
        );
        return EXIT.usage;
      }
    }
    const publicKey = trusted.length > 0 ? trusted : undefined;
    const report = (verdict: ChainVerdict, source: string, quietWhenOk = false): number => {
      const signatures = verdict.ok && publicKey ? verifySignatures(verdict.events, publicKey) : null;
      const ok = verdict.ok && (signatures === null || signatures.ok);
      if (ok && quietWhenOk && !values.json) return EXIT.ok;
      if (values.json) {
        io.stdout.write(
          `${JSON.stringify({ ok, source, runId: verdict.runId, events: verdict.count, head: verdict.head, ...(verdict.ok ? {} : { broken: verdict.broken }), ...(signatures ? { signatures } : {}) })}\n`,
        );
      } else if (!verdict.ok) {
        io.stdout.write(
          `FAILED  ${source}: broken at seq ${verdict.broken.seq}: ${verdict.broken.reason}\n${verdict.count > 0 ? `the first ${verdict.count} events verify (up to sha256:${verdict.head})\n` : ''}`,
        );
      } else if (signatures && !signatures.ok) {
        io.stdout.write(
          `FAILED  ${source}: the chain is intact (${verdict.count} events, sha256:${verdict.head}) but its signed heads are not: seq ${signatures.seq}: ${signatures.reason}\n`,
        );
      } else {
        io.stdout.write(
          `OK  ${source}: ${source.startsWith('run ') ? '' : `run ${verdict.runId}, `}${verdict.count} events, final digest sha256:${verdict.head}${signatures?.ok ? `; ${signatures.signed} signed head${signatures.signed === 1 ? '' : 's'}, the last at seq ${signatures.lastSignedSeq}` : ''}\n`,
        );
      }
      return ok ? EXIT.ok : EXIT.unverified;
    };
    if (values.all) {
      return withStore(io, values.store, 'verify', async (store) => {
        let failed = 0;
        let count = 0;
        // Newest first, one run's events in memory at a time.
        for (const row of await store.runs(Number.MAX_SAFE_INTEGER)) {
          count++;
          if (report(verifyChain(await store.events(row.runId)), `run ${row.runId}`, true) !== EXIT.ok) failed++;
        }
        if (!values.json)
          io.stdout.write(
            failed === 0
              ? `OK  ${count} run${count === 1 ? '' : 's'} in ${store.location} verify${publicKey ? ', with their signed heads' : ''}\n`
              : `FAILED  ${failed} of ${count} runs in ${store.location} do not verify\n`,
          );
        return failed === 0 ? EXIT.ok : EXIT.unverified;
      });
    }
    const target = positionals[0]!;
    if (existsSync(target) || looksLikeFile(target)) {
      let lines: string[];
      try {
        lines = fileLines(target);
      } catch (error) {
        if (!(error instanceof FileReadError)) throw error;
        io.stderr.write(`stepwise verify: ${error.message}\n`);
        return EXIT.invalid;
      }
      return report(verifyChain(lines), target);
    }
    return withStore(io, values.store, 'verify', async (store) => {
      const runId = await findRun(store, target);
      return report(verifyChain(await store.events(runId)), `run ${runId}`);
    });
  },
};

/** A run id never holds a path separator or a file extension; a path usually does. */
function looksLikeFile(target: string): boolean {
  return /[\\/]/.test(target) || /\.(jsonl|ndjson|json|txt|log)$/i.test(target);
}

/** A key file holds a few hundred bytes. */
const KEY_FILE_BYTES = 64 * 1024;
/** An exported transcript: about the longest text a JavaScript string holds. */
const TRANSCRIPT_FILE_BYTES = 500 * 1024 * 1024;

/** The file's lines; only the newline ending the last line is not a line of its own. Never a device, FIFO or folder. */
function fileLines(path: string): string[] {
  const text = readTextFile(path, { what: 'transcript file (from stepwise export)', maxBytes: TRANSCRIPT_FILE_BYTES });
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}
