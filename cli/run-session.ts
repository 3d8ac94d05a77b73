/**
 * One run from start to end, for `run` and `resume`: opens the transcript store, takes the
 * runbook's lock, builds the redacting, hash-chaining recorder with the reporter and --json as its
 * sinks, runs, and prints the transcript's final digest. SIGINT/SIGTERM cancel the running step
 * and end the run `interrupted` (exit 5); a second signal exits at once.
 */
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { SHORT_SECRET_HINT, shortSecretMessage } from '../engine/check/short-secrets.js';
import { urlCredentials } from '../engine/drivers/url-credentials.js';
import type { RunbookDocument } from '../engine/document/model.js';
import type { StepGraph } from '../engine/graph/model.js';
import { readTextFile } from '../engine/io/read-bounded.js';
import { createRedactor, isShortSecret, type Redactor } from '../engine/redact/redactor.js';
import { connections } from '../engine/run/connections.js';
import type { RunEvent, RunMode } from '../engine/run/events.js';
import type { EventSink } from '../engine/run/recorder.js';
import type { Responder } from '../engine/run/responder.js';
import type { ResumeState } from '../engine/run/resume-state.js';
import { runRunbook, type RunSummary } from '../engine/run/runner.js';
import { describeLocation, type ResolvedTarget } from '../engine/run/targets.js';
import { openStore, storeLocation } from '../engine/store/open.js';
import { StoreError, type TranscriptStore } from '../engine/store/store.js';
import { transcriptRecorder } from '../engine/transcript/recorder.js';
import { KeyError, readPrivateKey } from '../engine/transcript/sign.js';
import { headlessReporter } from '../renderers/headless.js';
import { EXIT, useColor, type Io } from './command.js';
import { VERSION } from './version.js';

export interface Session {
  io: Io;
  file: string;
  source: string;
  document: RunbookDocument;
  graph: StepGraph;
  runId: string;
  mode: RunMode;
  operator: string;
  inputs: Record<string, unknown>;
  secrets: Record<string, string>;
  env: Record<string, string>;
  targets: Record<string, ResolvedTarget>;
  responder: Responder;
  /** More values to mask, by name: answers to secret input steps. */
  maskAlso: Record<string, string>;
  options: { allowWrites: boolean; yes: boolean; parallel: number; json: boolean; store?: string; signKey?: string; force: boolean; verbose?: boolean };
  /** `resume`: the run's own store location and what its transcript already holds. */
  resume?: { state: ResumeState; storeLocation: string };
}

export async function runSession(s: Session): Promise<number> {
  const { io } = s;
  const fail = (message: string, code: number): number => {
    io.stderr.write(`stepwise ${s.resume ? 'resume' : 'run'}: ${message}\n`);
    return code;
  };
  let signingKey;
  try {
    signingKey = s.options.signKey ? readPrivateKey(readTextFile(s.options.signKey, { what: 'key file', maxBytes: 64 * 1024 }), s.options.signKey) : undefined;
  } catch (error) {
    return fail(error instanceof KeyError ? error.message : `cannot read the signing key ${s.options.signKey}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, EXIT.usage);
  }
  let redactor: Redactor;
  try {
    redactor = createRedactor({ secrets: { ...s.secrets, ...secretInputs(s.document, s.inputs), ...targetCredentials(s.targets), ...s.maskAlso }, patterns: s.document.frontmatter.redact });
  } catch (error) {
    return fail(`cannot set up redaction, so nothing was run: ${(error as Error).message}`, EXIT.invalid);
  }
  for (const [name, value] of Object.entries(s.secrets)) {
    if (isShortSecret(value)) io.stderr.write(`stepwise: warning: ${shortSecretMessage(name, Array.from(value).length, 'as given to this run')}; ${SHORT_SECRET_HINT}\n`);
  }
  const location = s.resume?.storeLocation ?? storeLocation(s.options.store, io.env, io.cwd);
  let store: TranscriptStore;
  try {
    store = await openStore(location);
  } catch (error) {
    return fail(error instanceof StoreError ? error.message : `cannot open the transcript store: ${(error as Error).message}`, EXIT.invalid);
  }
  const since = new Date();
  const holder = { runId: s.runId, operator: s.operator, host: hostname(), pid: process.pid, since: since.toISOString() };
  let release = async (): Promise<void> => {};
  let forcedPast: string | null = null;
  if (s.mode !== 'dry-run') {
    const key = lockKey(s.document, s.targets);
    const lock = await store.lock(key, holder);
    if (lock.ok) release = lock.release;
    else {
      const who = lock.heldBy ? `run ${lock.heldBy.runId} by ${lock.heldBy.operator} on ${lock.heldBy.host} (pid ${lock.heldBy.pid}) since ${lock.heldBy.since}` : 'another run';
      if (!s.options.force) {
        await store.close();
        return fail(`${s.document.title || s.file} is already running against these targets: ${who}.\nWait for it to finish, or pass --force to run anyway (the transcript records that you did).`, EXIT.declined);
      }
      forcedPast = who;
      // A lock of this run's own, so `runs` can tell it is alive while it goes on.
      const own = await store.lock(`${key}#${s.runId}`, holder);
      if (own.ok) release = own.release;
    }
  }

  const reportTo = s.options.json ? io.stderr : io.stdout;
  const out = bufferedWriter(reportTo);
  const reporter = headlessReporter({ kinds: new Map(s.graph.nodes.map((n) => [n.id, n.kind])), write: out.write, color: useColor(reportTo, io.env), tty: reportTo.isTTY === true, verbose: s.options.verbose === true });
  const json = bufferedWriter(io.stdout);
  const sinks: EventSink[] = [reporter.sink];
  if (s.options.json) sinks.push((event) => json.write(`${JSON.stringify(event)}\n`));
  const recorder = transcriptRecorder({ runId: s.runId, store, redactor, sinks, ...(signingKey ? { signingKey } : {}), ...(s.resume ? { after: s.resume.state.last } : {}) });

  const interrupt = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupt.signal.aborted) process.exit(130);
    interrupt.abort(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const pool = connections();
  let summary: RunSummary | undefined;
  let crashed: Error | undefined;
  try {
    for (const event of openingEvents(s, forcedPast)) await recorder.record(event);
    summary = await runRunbook({
      document: s.document,
      graph: s.graph,
      runId: s.runId,
      inputs: s.inputs,
      secrets: s.secrets,
      env: s.env,
      hostEnv: io.env,
      targets: s.targets,
      operator: s.operator,
      mode: s.mode,
      recorder,
      redactor,
      responder: s.responder,
      connections: pool,
      options: { allowWrites: s.options.allowWrites, yes: s.options.yes, parallel: s.options.parallel },
      signal: interrupt.signal,
      startedAt: since,
      ...(s.resume ? { resume: s.resume.state } : {}),
    });
  } catch (error) {
    crashed = error as Error;
  } finally {
    reporter.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await recorder.close();
    await pool.closeAll();
    await release().catch(() => {});
    await store.close().catch(() => {});
    out.flush();
    json.flush();
  }
  const head = recorder.head();
  const failure = recorder.failure();
  if (failure || crashed) {
    const why = redactor.text((failure ?? crashed)!.message);
    io.stderr.write(`stepwise: the transcript could not be completed: ${why}\n${head ? `it verifies up to seq ${head.seq}; \`stepwise resume ${s.runId}\` continues from there\n` : ''}`);
    return EXIT.interrupted;
  }
  if (summary!.stoppedBy && summary!.exitCode === EXIT.declined) io.stderr.write(`stepwise: stopped at ${summary!.stoppedBy}\n`);
  if (head) reportTo.write(`transcript ${s.runId}: ${head.seq} events, sha256:${head.hash}${signingKey ? ' (signed)' : ''}\n`);
  return summary!.exitCode;
}

/** run.started for a new run; run.resumed and the interrupted steps' ends for a resumed one. */
function openingEvents(s: Session, forcedPast: string | null): RunEvent[] {
  const events: RunEvent[] = [];
  if (s.resume) {
    const { state } = s.resume;
    events.push({ type: 'run.resumed', data: { operator: s.operator, host: hostname(), engineVersion: VERSION, afterSeq: state.last.seq, interrupted: state.interrupted, uncertain: [...state.uncertain.keys()] } });
    for (const stepId of state.interrupted) {
      events.push({ type: 'step.finished', data: { stepId, status: 'interrupted', ms: 0, error: 'the run stopped while this step was running; whether it took effect is unknown' } });
    }
  } else {
    events.push({
      type: 'run.started',
      data: {
        runbook: { path: s.file, id: s.document.id, title: s.document.title, sha256: createHash('sha256').update(s.source).digest('hex'), source: s.source },
        inputs: s.inputs,
        targets: Object.fromEntries(Object.values(s.targets).map((t) => [t.name, { kind: t.kind, location: describeLocation(t) }])),
        operator: s.operator,
        host: hostname(),
        engineVersion: VERSION,
        mode: s.mode,
        formatVersion: 1,
      },
    });
  }
  if (forcedPast) events.push({ type: 'note.added', data: { text: `started with --force while ${forcedPast} held the lock`, by: s.operator } });
  return events;
}

/** The same runbook against the same targets: its id and where each target points. */
function lockKey(document: RunbookDocument, targets: Record<string, ResolvedTarget>): string {
  const where = Object.values(targets).map((t) => `${t.name}=${describeLocation(t)}`).sort();
  return createHash('sha256').update(JSON.stringify([document.id, where])).digest('hex');
}

/**
 * Passwords in target URLs (typed in, or from `${ENV}`), masked like declared secrets wherever
 * they appear, and `user:password`, whose base64 is the Basic Authorization a server may echo.
 */
function targetCredentials(targets: Record<string, ResolvedTarget>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const target of Object.values(targets)) {
    const url = target.kind === 'postgres' ? target.url : target.kind === 'http' ? target.base : '';
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      continue;
    }
    if (!parsed.password) continue;
    // As the http driver decodes them for its Basic header, so the echoed header is masked too.
    const { user, password } = urlCredentials(parsed);
    // A dictionary word (postgres:postgres on a laptop) alone would mask every mention of it.
    if (password !== user && !/^[a-z]{1,12}$/.test(password)) out[`target.${target.name}`] = password;
    out[`target.${target.name}.basic`] = `${user}:${password}`;
  }
  return out;
}

/** Values of inputs declared `type: secret`: redacted like declared secrets. */
function secretInputs(document: RunbookDocument, inputs: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, decl] of Object.entries(document.frontmatter.inputs)) {
    if (decl.type === 'secret' && inputs[name] !== undefined) out[`inputs.${name}`] = String(inputs[name]);
  }
  return out;
}

/**
 * Lines written in a burst go out in one write: a 2,000-step drill would otherwise make 2,000
 * system calls. Flushed on the next turn of the event loop, so a person watching sees each
 * line as its step ends.
 */
function bufferedWriter(stream: NodeJS.WritableStream): { write(text: string): void; flush(): void } {
  let pending = '';
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (pending === '') return;
    const text = pending;
    pending = '';
    stream.write(text);
  };
  return {
    write(text) {
      pending += text;
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}
