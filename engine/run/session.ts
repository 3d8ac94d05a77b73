/**
 * One run from start to end, whoever drives it (`run`, `resume`, `demo`, the TUI): builds the
 * redactor, opens the transcript store, takes the runbook's lock, records run.started (or
 * run.resumed), runs the runner with a hash-chaining recorder, and closes everything. The
 * caller supplies only I/O: where recorded events go (sinks), who answers gates (responder),
 * when to stop (signal), and what to say about the outcome.
 */
import { createHash, type KeyObject } from 'node:crypto';
import { SHORT_SECRET_HINT, shortSecretMessage } from '../check/short-secrets.js';
import type { RunbookDocument } from '../document/model.js';
import type { StepGraph } from '../graph/model.js';
import { createRedactor, isShortSecret, type Redactor } from '../redact/redactor.js';
import { openStore } from '../store/open.js';
import { StoreError, type TranscriptStore } from '../store/store.js';
import { transcriptRecorder } from '../transcript/chain-recorder.js';
import { connections } from './connections.js';
import type { RunEvent, RunMode } from './events.js';
import type { EventSink } from './recorder.js';
import type { Responder } from './responder.js';
import type { ResumeState } from './resume-state.js';
import type { RunProfile } from './profile.js';
import { confirmStart } from './profile-start.js';
import { runRunbook, type RunSummary } from './runner.js';
import type { RunScope } from './scope.js';
import { describeLocation, targetCredentials, type ResolvedTarget } from './targets.js';

export interface SessionRequest {
  /** The runbook as given (its path, for run.started and messages) and its source text. */
  file: string;
  source: string;
  document: RunbookDocument;
  graph: StepGraph;
  runId: string;
  mode: RunMode;
  operator: string;
  inputs: Record<string, unknown>;
  secrets: Record<string, string>;
  /** The runbook's declared `env:` names with their values (expressions read them as env.X). */
  env: Record<string, string>;
  /** The process environment shell steps draw their reset environment from. */
  hostEnv: Readonly<Record<string, string | undefined>>;
  targets: Record<string, ResolvedTarget>;
  /** The environment profile chosen (engine/run/profile.ts): recorded in run.started; its start question asked first. */
  profile?: RunProfile;
  responder: Responder;
  /** More values to mask, by name: answers to secret input steps given up front. */
  maskAlso: Record<string, string>;
  options: { allowWrites: boolean; yes: boolean; parallel: number; force: boolean };
  /** Where the transcript goes: a store location (a file path or a postgres:// URL). */
  storeLocation: string;
  signingKey?: KeyObject;
  /** Receive every event as recorded (sealed, redacted): the reporter, --json, the TUI. */
  sinks: EventSink[];
  /** Aborted on SIGINT/SIGTERM (or the TUI's quit): the running step is cancelled. */
  signal: AbortSignal;
  /** Who and where, for run.started and the lock: the host name, the process id, the version. */
  host: string;
  pid: number;
  engineVersion: string;
  /** The session's clock (default: the system's). */
  now?: () => Date;
  /** Warnings the responder should see before the run (short secrets). */
  warn?: (message: string) => void;
  /** Continuing a recorded run: what its transcript already holds. */
  resume?: ResumeState;
  /** Started at a section (engine/run/scope.ts): recorded in run.started; the steps left out are skipped. */
  scope?: Pick<RunScope, 'record' | 'outOfScope' | 'pulledIn'>;
}

/** How a session ended. Every message is already redacted. */
export type SessionOutcome =
  | { kind: 'not-started'; reason: 'redaction' | 'store'; message: string }
  | { kind: 'locked'; heldBy: string }
  | { kind: 'ran'; summary: RunSummary; head: { seq: number; hash: string } | null; signed: boolean }
  /** The transcript could not be completed (the store went away, the engine failed): resume continues. */
  | { kind: 'incomplete'; message: string; head: { seq: number; hash: string } | null };

export async function runSession(request: SessionRequest): Promise<SessionOutcome> {
  const now = request.now ?? (() => new Date());
  let redactor: Redactor;
  try {
    redactor = createRedactor({
      secrets: {
        ...request.secrets,
        ...secretInputs(request.document, request.inputs),
        ...targetCredentials(request.targets),
        ...request.maskAlso,
      },
      patterns: request.document.frontmatter.redact,
    });
  } catch (error) {
    return {
      kind: 'not-started',
      reason: 'redaction',
      message: `cannot set up redaction, so nothing was run: ${(error as Error).message}`,
    };
  }
  for (const [name, value] of Object.entries(request.secrets)) {
    if (isShortSecret(value))
      request.warn?.(
        `${shortSecretMessage(name, Array.from(value).length, 'as given to this run')}; ${SHORT_SECRET_HINT}`,
      );
  }
  let store: TranscriptStore;
  try {
    store = await openStore(request.storeLocation);
  } catch (error) {
    return {
      kind: 'not-started',
      reason: 'store',
      message:
        error instanceof StoreError ? error.message : `cannot open the transcript store: ${(error as Error).message}`,
    };
  }
  const since = now();
  const locked = await takeLock(request, store, since);
  if (locked.kind === 'locked') {
    await store.close();
    return locked;
  }
  const recorder = transcriptRecorder({
    runId: request.runId,
    store,
    redactor,
    sinks: request.sinks,
    ...(request.signingKey ? { signingKey: request.signingKey } : {}),
    ...(request.resume ? { after: request.resume.last } : {}),
  });
  const pool = connections({ poolSize: request.options.parallel });
  let summary: RunSummary | undefined;
  let crashed: Error | undefined;
  try {
    for (const event of openingEvents(request, locked.forcedPast)) await recorder.record(event);
    // A profile's start question first (engine/run/profile-start.ts): a run it ends runs no step.
    summary = (await confirmStart(request, recorder)) ?? undefined;
    summary ??= await runRunbook({
      document: request.document,
      graph: request.graph,
      runId: request.runId,
      inputs: request.inputs,
      secrets: request.secrets,
      env: request.env,
      hostEnv: request.hostEnv,
      targets: request.targets,
      operator: request.operator,
      mode: request.mode,
      recorder,
      redactor,
      responder: request.responder,
      connections: pool,
      options: {
        allowWrites: request.options.allowWrites,
        yes: request.options.yes,
        parallel: request.options.parallel,
      },
      signal: request.signal,
      startedAt: since,
      now,
      ...(request.resume ? { resume: request.resume } : {}),
      ...(request.scope ? { outOfScope: request.scope.outOfScope } : {}),
    });
  } catch (error) {
    crashed = error as Error;
  } finally {
    await recorder.close();
    await pool.closeAll();
    await locked.release().catch(() => {});
    await store.close().catch(() => {});
  }
  const head = recorder.head();
  const failure = recorder.failure() ?? crashed;
  if (failure || summary === undefined)
    return {
      kind: 'incomplete',
      message: redactor.text((failure ?? new Error('the run ended without a summary')).message),
      head,
    };
  return { kind: 'ran', summary, head, signed: request.signingKey !== undefined };
}

/**
 * One responder at a time: the lock on this runbook against these targets. A run with `force`
 * goes on past a held lock (the transcript says so) and takes a lock of its own, so `runs` can
 * tell it is alive. A dry run changes nothing and takes none.
 */
async function takeLock(
  request: SessionRequest,
  store: TranscriptStore,
  since: Date,
): Promise<
  { kind: 'locked'; heldBy: string } | { kind: 'held'; release: () => Promise<void>; forcedPast: string | null }
> {
  if (request.mode === 'dry-run') return { kind: 'held', release: async () => {}, forcedPast: null };
  const holder = {
    runId: request.runId,
    operator: request.operator,
    host: request.host,
    pid: request.pid,
    since: since.toISOString(),
  };
  const key = lockKey(request.document, request.targets);
  const lock = await store.lock(key, holder);
  if (lock.ok) return { kind: 'held', release: lock.release, forcedPast: null };
  const who = lock.heldBy
    ? `run ${lock.heldBy.runId} by ${lock.heldBy.operator} on ${lock.heldBy.host} (pid ${lock.heldBy.pid}) since ${lock.heldBy.since}`
    : 'another run';
  if (!request.options.force) return { kind: 'locked', heldBy: who };
  const own = await store.lock(`${key}#${request.runId}`, holder);
  return { kind: 'held', release: own.ok ? own.release : async () => {}, forcedPast: who };
}

/** run.started for a new run; run.resumed and the interrupted steps' ends for a resumed one. */
function openingEvents(request: SessionRequest, forcedPast: string | null): RunEvent[] {
  const events: RunEvent[] = [];
  if (request.resume) {
    const state = request.resume;
    events.push({
      type: 'run.resumed',
      data: {
        operator: request.operator,
        host: request.host,
        engineVersion: request.engineVersion,
        afterSeq: state.last.seq,
        interrupted: state.interrupted,
        uncertain: [...state.uncertain.keys()],
      },
    });
    for (const stepId of state.interrupted) {
      events.push({
        type: 'step.finished',
        data: {
          stepId,
          status: 'interrupted',
          ms: 0,
          error: 'the run stopped while this step was running; whether it took effect is unknown',
        },
      });
    }
  } else {
    events.push({
      type: 'run.started',
      data: {
        runbook: {
          path: request.file,
          id: request.document.id,
          title: request.document.title,
          sha256: createHash('sha256').update(request.source).digest('hex'),
          source: request.source,
        },
        inputs: request.inputs,
        targets: Object.fromEntries(
          Object.values(request.targets).map((t) => [t.name, { kind: t.kind, location: describeLocation(t) }]),
        ),
        operator: request.operator,
        host: request.host,
        engineVersion: request.engineVersion,
        mode: request.mode,
        ...(request.profile ? { profile: request.profile.name } : {}),
        formatVersion: 1,
        ...(request.scope ? { scope: request.scope.record } : {}),
      },
    });
  }
  // A step outside the scope that runs anyway (a confirm guarding a step in it, an answered gate) says why.
  if (!request.resume)
    for (const { id, why } of request.scope?.pulledIn ?? [])
      events.push({
        type: 'note.added',
        data: { stepId: id, text: `runs outside the scope: ${why}`, by: request.operator },
      });
  if (forcedPast)
    events.push({
      type: 'note.added',
      data: { text: `started with --force while ${forcedPast} held the lock`, by: request.operator },
    });
  return events;
}

/** The same runbook against the same targets: its id and where each target points. */
function lockKey(document: RunbookDocument, targets: Record<string, ResolvedTarget>): string {
  const where = Object.values(targets)
    .map((t) => `${t.name}=${describeLocation(t)}`)
    .sort();
  return createHash('sha256')
    .update(JSON.stringify([document.id, where]))
    .digest('hex');
}

/** Values of inputs declared `type: secret`: redacted like declared secrets. */
function secretInputs(document: RunbookDocument, inputs: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, decl] of Object.entries(document.frontmatter.inputs)) {
    if (decl.type === 'secret' && inputs[name] !== undefined) out[`inputs.${name}`] = String(inputs[name]);
  }
  return out;
}
