/** Opening the transcript store and finding a run in it, for the commands that read runs. */
import {
  locateStore,
  openStore,
  openStoreForReading,
  StoreSpecError,
  type StoreTarget,
  targetLocation,
} from '../engine/store/open.js';
import { AmbiguousRunError, StoreError, type TranscriptStore } from '../engine/store/store.js';
import { EXIT, UsageError, type Io } from './command.js';

/** A problem finding the store or the run: said on stderr with this exit code. */
export class AccessError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/**
 * Where a run's store is, located once, before the command does anything else: the run decides
 * from it whether it may write the check cache, and opens it there. A --store or STEPWISE_STORE
 * value of no accepted form is a usage error (exit 4).
 */
export function locateRunStore(option: string | undefined, io: Pick<Io, 'env' | 'cwd'>): StoreTarget {
  try {
    return locateStore(option, io.env, io.cwd);
  } catch (error) {
    if (error instanceof StoreSpecError) throw new UsageError(error.message);
    throw error;
  }
}

/**
 * The store for `option` (else STEPWISE_STORE, else the nearest one upwards). `readonly`: for the
 * commands that only read, which open an existing store without writing to it and never create
 * one (no store is exit 2, naming where they looked); otherwise it is created as a run creates it.
 */
export async function openStoreFor(
  io: Io,
  option: string | undefined,
  { readonly = false }: { readonly?: boolean } = {},
): Promise<TranscriptStore> {
  let target;
  try {
    // `resume` passes on what storeLocation() found, which for a value of no accepted form is that value: say where it came from.
    target =
      option !== undefined && option === io.env.STEPWISE_STORE
        ? locateStore(undefined, io.env, io.cwd)
        : locateStore(option, io.env, io.cwd);
  } catch (error) {
    if (error instanceof StoreSpecError) throw new AccessError(error.message, EXIT.usage);
    throw error;
  }
  const location = targetLocation(target);
  try {
    return readonly ? await openStoreForReading(target) : await openStore(location);
  } catch (error) {
    throw new AccessError(
      error instanceof StoreError
        ? error.message
        : `cannot open the transcript store ${location}: ${(error as Error).message}`,
      EXIT.invalid,
    );
  }
}

/** A run id, a unique prefix of one, or `last`. */
export async function findRun(store: TranscriptStore, ref: string): Promise<string> {
  try {
    const runId = await store.resolve(ref);
    if (runId === null)
      throw new AccessError(
        `no run \`${ref}\` in ${store.location}; \`stepwise runs\` lists the runs there (or pass --store)`,
        2,
      );
    return runId;
  } catch (error) {
    if (error instanceof AmbiguousRunError) throw new AccessError(error.message, 4);
    throw error;
  }
}

/**
 * Runs a reading command's body with the store open read-only (runs, show, export, verify: they
 * never create a store), turning AccessErrors into their message and exit code.
 */
export async function withStore(
  io: Io,
  option: string | undefined,
  name: string,
  body: (store: TranscriptStore) => Promise<number>,
): Promise<number> {
  let store: TranscriptStore | undefined;
  try {
    store = await openStoreFor(io, option, { readonly: true });
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
