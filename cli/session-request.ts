/**
 * What `run` and `resume` ask of a run, built once for both front ends (the terminal UI and the
 * headless reporter): the session options from the command line, the engine session's request,
 * the signing key, and SIGINT/SIGTERM. Kept apart from run-session.ts (the headless reporter)
 * and interactive.ts (Ink, React), so each front end loads only itself.
 */
import { hostname } from 'node:os';
import type { RunbookDocument } from '../engine/document/model.js';
import { readTextFile } from '../engine/io/read-bounded.js';
import type { ResumeState } from '../engine/run/resume-state.js';
import type { SessionRequest } from '../engine/run/session.js';
import type { ChainedEvent } from '../engine/transcript/chain.js';
import { KeyError, readPrivateKey } from '../engine/transcript/sign.js';
import { EXIT, type Io } from './command.js';
import { declaredEnv, type ReportRequest, secretAnswers } from './run-options.js';
import { VERSION } from './version.js';

/** What `run` and `resume` prepared: the engine session's request, less what the CLI supplies itself. */
export type Session = Pick<
  SessionRequest,
  | 'file'
  | 'source'
  | 'document'
  | 'graph'
  | 'runId'
  | 'mode'
  | 'operator'
  | 'inputs'
  | 'secrets'
  | 'env'
  | 'targets'
  | 'profile'
  | 'responder'
  | 'maskAlso'
  | 'scope'
> & {
  io: Io;
  options: SessionOptions;
  /**
   * Where the transcript goes, as the command located it once: `run`'s store (--store,
   * STEPWISE_STORE, found upwards or the default), `resume`'s the store the run is in.
   */
  storeLocation: string;
  /** `resume`: what the run's transcript already holds (its events, for reports). */
  resume?: { state: ResumeState; events?: readonly ChainedEvent[] };
};

export interface SessionOptions {
  allowWrites: boolean;
  yes: boolean;
  parallel: number;
  json: boolean;
  signKey?: string;
  force: boolean;
  verbose?: boolean;
  /** Reports to write when the run ends, however it ends (`--report FORMAT=FILE`). */
  reports?: ReportRequest[];
}

/** The command line's run options, as `run` and `resume` parse them (RUN_OPTIONS). */
export interface RunFlags {
  'allow-writes'?: boolean;
  yes?: boolean;
  json?: boolean;
  'sign-key'?: string;
  force?: boolean;
  verbose?: boolean;
}

/** A session as both front ends need it: everything but the mode, the inputs and the responder. */
export type SessionBase = Omit<Session, 'responder' | 'inputs' | 'mode'>;

/** The one builder of a run's session request from what `run` or `resume` read and prepared. */
export function sessionRequest(parts: {
  io: Io;
  file: string;
  source: string;
  document: RunbookDocument;
  graph: Session['graph'];
  runId: string;
  operator: string;
  storeLocation: string;
  secrets: Record<string, string>;
  targets: Session['targets'];
  /** The environment profile chosen (`--profile`, `default-profile:`), if any. */
  profile?: Session['profile'];
  /** The --answers file: the secret answers in it are masked too. */
  answers: Record<string, unknown>;
  flags: RunFlags;
  parallel: number;
  reports: ReportRequest[];
  resume?: Session['resume'];
  /** Started at a section (`--from`/`--only`, or the scope a resumed run recorded). */
  scope?: Session['scope'];
}): SessionBase {
  const { io, document, flags } = parts;
  return {
    io,
    file: parts.file,
    source: parts.source,
    document,
    graph: parts.graph,
    runId: parts.runId,
    operator: parts.operator,
    storeLocation: parts.storeLocation,
    secrets: parts.secrets,
    env: declaredEnv(document.frontmatter.env, io.env),
    targets: parts.targets,
    ...(parts.profile ? { profile: parts.profile } : {}),
    maskAlso: secretAnswers(document, parts.answers),
    options: {
      allowWrites: flags['allow-writes'] === true,
      yes: flags.yes === true,
      parallel: parts.parallel,
      json: flags.json === true,
      ...(flags['sign-key'] !== undefined ? { signKey: flags['sign-key'] } : {}),
      force: flags.force === true,
      verbose: flags.verbose === true,
      reports: parts.reports,
    },
    ...(parts.resume ? { resume: parts.resume } : {}),
    ...(parts.scope ? { scope: parts.scope } : {}),
  };
}

/** The engine session's request for a prepared session: what either front end adds is passed in. */
export async function engineRequest(
  s: Session,
  front: Pick<SessionRequest, 'sinks' | 'signal' | 'warn' | 'options'> & { signingKey?: SessionRequest['signingKey'] },
): Promise<SessionRequest> {
  return {
    file: s.file,
    source: s.source,
    document: s.document,
    graph: s.graph,
    runId: s.runId,
    mode: s.mode,
    operator: s.operator,
    inputs: s.inputs,
    secrets: s.secrets,
    env: s.env,
    hostEnv: s.io.env,
    targets: s.targets,
    ...(s.profile ? { profile: s.profile } : {}),
    responder: s.responder,
    maskAlso: s.maskAlso,
    options: front.options,
    storeLocation: s.storeLocation,
    ...(front.signingKey ? { signingKey: front.signingKey } : {}),
    sinks: front.sinks,
    signal: front.signal,
    host: hostname(),
    pid: process.pid,
    engineVersion: VERSION,
    ...(front.warn ? { warn: front.warn } : {}),
    ...(s.resume ? { resume: s.resume.state } : {}),
    ...(s.scope ? { scope: s.scope } : {}),
  };
}

/** `--sign-key FILE` read once, for either front end: the key, or what to say and the exit code. */
export function readSigningKey(
  path: string | undefined,
): { key?: ReturnType<typeof readPrivateKey> } | { error: string; code: number } {
  if (!path) return {};
  try {
    return { key: readPrivateKey(readTextFile(path, { what: 'key file', maxBytes: 64 * 1024 }), path) };
  } catch (error) {
    return {
      error:
        error instanceof KeyError
          ? error.message
          : `cannot read the signing key ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      code: EXIT.usage,
    };
  }
}

/**
 * SIGINT and SIGTERM from outside (kill -INT, kill -TERM), for either front end: the first one
 * stops the run (`stop`: the running step is cancelled, run.interrupted recorded); a second one,
 * once `stopped` says so, exits at once. Returns the function that unwires them.
 */
export function onStopSignals(stopped: AbortSignal, stop: (signal: NodeJS.Signals) => void): () => void {
  const handler = (signal: NodeJS.Signals): void => {
    if (stopped.aborted) process.exit(130);
    stop(signal);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
