/**
 * The CLI's side of a run, for `run`, `resume` and `demo`: reads the signing key, prints the
 * headless report (and --json events), turns SIGINT/SIGTERM into a cancel (a second signal exits
 * at once), and says how the run ended. The run itself (store, lock, redaction, recorder,
 * run.started) is the engine's session: engine/run/session.ts.
 */
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { readTextFile } from '../engine/io/read-bounded.js';
import type { EventSink } from '../engine/run/recorder.js';
import type { ResumeState } from '../engine/run/resume-state.js';
import { runSession as runEngineSession, type SessionRequest } from '../engine/run/session.js';
import { storeLocation } from '../engine/store/open.js';
import type { ChainedEvent } from '../engine/transcript/chain.js';
import { KeyError, readPrivateKey } from '../engine/transcript/sign.js';
import { headlessReporter } from '../renderers/headless.js';
import { EXIT, wantsColor, type Io } from './command.js';
import type { ReportRequest } from './run-options.js';
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
  | 'responder'
  | 'maskAlso'
> & {
  io: Io;
  options: {
    allowWrites: boolean;
    yes: boolean;
    parallel: number;
    json: boolean;
    store?: string;
    signKey?: string;
    force: boolean;
    verbose?: boolean;
    /** Reports to write when the run ends, however it ends (`--report FORMAT=FILE`). */
    reports?: ReportRequest[];
  };
  /** `resume`: the run's own store location and what its transcript already holds (its events, for reports). */
  resume?: { state: ResumeState; storeLocation: string; events?: readonly ChainedEvent[] };
};

export async function runSession(s: Session): Promise<number> {
  const { io } = s;
  const fail = (message: string, code: number): number => {
    io.stderr.write(`stepwise ${s.resume ? 'resume' : 'run'}: ${message}\n`);
    return code;
  };
  let signingKey;
  try {
    signingKey = s.options.signKey
      ? readPrivateKey(readTextFile(s.options.signKey, { what: 'key file', maxBytes: 64 * 1024 }), s.options.signKey)
      : undefined;
  } catch (error) {
    return fail(
      error instanceof KeyError
        ? error.message
        : `cannot read the signing key ${s.options.signKey}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      EXIT.usage,
    );
  }
  const reportTo = s.options.json ? io.stderr : io.stdout;
  const out = bufferedWriter(reportTo);
  const reporter = headlessReporter({
    kinds: new Map(s.graph.nodes.map((n) => [n.id, n.kind])),
    write: out.write,
    color: wantsColor(reportTo, io.env),
    tty: reportTo.isTTY === true,
    verbose: s.options.verbose === true,
  });
  const json = bufferedWriter(io.stdout);
  const sinks: EventSink[] = [reporter.sink];
  if (s.options.json) sinks.push((event) => json.write(`${JSON.stringify(event)}\n`));
  // Reports read the transcript as sealed: what the run recorded before (a resume), then every event now.
  const recorded: unknown[] = [...(s.resume?.events ?? [])];
  if (s.options.reports?.length) sinks.push((event) => recorded.push(event));

  const interrupt = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupt.signal.aborted) process.exit(130);
    interrupt.abort(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let outcome;
  try {
    outcome = await runEngineSession({
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
      hostEnv: io.env,
      targets: s.targets,
      responder: s.responder,
      maskAlso: s.maskAlso,
      options: {
        allowWrites: s.options.allowWrites,
        yes: s.options.yes,
        parallel: s.options.parallel,
        force: s.options.force,
      },
      storeLocation: s.resume?.storeLocation ?? storeLocation(s.options.store, io.env, io.cwd),
      ...(signingKey ? { signingKey } : {}),
      sinks,
      signal: interrupt.signal,
      host: hostname(),
      pid: process.pid,
      engineVersion: VERSION,
      warn: (message) => io.stderr.write(`stepwise: warning: ${message}\n`),
      ...(s.resume ? { resume: s.resume.state } : {}),
    });
  } finally {
    reporter.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    out.flush();
    json.flush();
  }
  if (s.options.reports?.length) {
    if (recorded.length > 0) await writeReports(io, reportTo, s.options.reports, recorded);
    else io.stderr.write('stepwise: no transcript was recorded, so no report was written\n');
  }
  switch (outcome.kind) {
    case 'not-started':
      return fail(outcome.message, EXIT.invalid);
    case 'locked':
      return fail(
        `${s.document.title || s.file} is already running against these targets: ${outcome.heldBy}.\nWait for it to finish, or pass --force to run anyway (the transcript records that you did).`,
        EXIT.declined,
      );
    case 'incomplete':
      io.stderr.write(
        `stepwise: the transcript could not be completed: ${outcome.message}\n${outcome.head ? `it verifies up to seq ${outcome.head.seq}; \`stepwise resume ${s.runId}\` continues from there\n` : ''}`,
      );
      return EXIT.interrupted;
    case 'ran': {
      const { summary, head } = outcome;
      if (summary.stoppedBy && summary.exitCode === EXIT.declined)
        io.stderr.write(`stepwise: stopped at ${summary.stoppedBy}\n`);
      if (head)
        reportTo.write(
          `transcript ${s.runId}: ${head.seq} events, sha256:${head.hash}${outcome.signed ? ' (signed)' : ''}\n`,
        );
      return summary.exitCode;
    }
  }
}

/**
 * `--report FORMAT=FILE`: each report rendered from the transcript the run left (as `stepwise
 * render` would from the store), however the run ended. A report that cannot be written is said
 * on stderr; it does not change how the run ended.
 */
async function writeReports(
  io: Io,
  out: NodeJS.WritableStream,
  reports: ReportRequest[],
  events: unknown[],
): Promise<void> {
  const { readOptionsFor, readTranscript, reportFormats } = await import('../renderers/report/index.js');
  const report = await readTranscript(events, readOptionsFor(reports.map((r) => r.format)));
  for (const { format, file } of reports) {
    try {
      writeFileSync(resolve(io.cwd, file), reportFormats[format].render(report));
      out.write(`report ${format}: ${file}\n`);
    } catch (error) {
      io.stderr.write(
        `stepwise: cannot write the ${format} report ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`,
      );
    }
  }
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
