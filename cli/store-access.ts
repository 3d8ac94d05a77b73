/** Opening the transcript store and finding a run in it, for the commands that read runs. */
import { openStore, storeLocation } from '../engine/store/open.js';
import { AmbiguousRunError, StoreError, type TranscriptStore } from '../engine/store/store.js';
import type { Io } from './command.js';

/** A problem finding the store or the run: said on stderr with this exit code. */
export class AccessError extends Error {
  constructor(message: string, readonly exitCode: number) {
    super(message);
  }
}

export async function openStoreFor(io: Io, option: string | undefined): Promise<TranscriptStore> {
  const location = storeLocation(option, io.env, io.cwd);
  try {
    return await openStore(location);
  } catch (error) {
    throw new AccessError(error instanceof StoreError ? error.message : `cannot open the transcript store ${location}: ${(error as Error).message}`, 2);
  }
}

/** A run id, a unique prefix of one, or `last`. */
export async function findRun(store: TranscriptStore, ref: string): Promise<string> {
  try {
    const runId = await store.resolve(ref);
    if (runId === null) throw new AccessError(`no run \`${ref}\` in ${store.location}; \`stepwise runs\` lists the runs there (or pass --store)`, 2);
    return runId;
  } catch (error) {
    if (error instanceof AmbiguousRunError) throw new AccessError(error.message, 4);
    throw error;
  }
}

/** Runs a command body with the store open, turning AccessErrors into their message and exit code. */
export async function withStore(io: Io, option: string | undefined, name: string, body: (store: TranscriptStore) => Promise<number>): Promise<number> {
  let store: TranscriptStore | undefined;
  try {
    store = await openStoreFor(io, option);
    return await body(store);
  } catch (error) {
    if (error instanceof AccessError) {
      io.stderr.write(`stepwise ${name}: ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  } finally {
    await store?.close().catch(() => {});
  }
}
