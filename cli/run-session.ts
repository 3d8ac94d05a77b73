/**
 * The CLI's headless side of a run, for `run`, `resume` and `demo`: prints the headless report
 * (and --json events) and says how the run ended; the session request, the signing key and the
 * signals are session-request.ts's, shared with the terminal UI. The run itself (store, lock, redaction, recorder,
 * run.started) is the engine's session: engine/run/session.ts.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { EventSink } from '../engine/run/recorder.js';
import { runSession as runEngineSession } from '../engine/run/session.js';
import { headlessReporter } from '../renderers/headless.js';
import { EXIT, wantsColor, type Io } from './command.js';
import type { ReportRequest } from './run-options.js';
import { engineRequest, onStopSignals, readSigningKey, type Session } from './session-request.js';

export type { Session } from './session-request.js';

export async function runSession(s: Session): Promise<number> {
  const { io } = s;
  const fail = (message: string, code: number): number => {
    io.stderr.write(`stepwise ${s.resume ? 'resume' : 'run'}: ${message}\n`);
    return code;
  };
  const signing = readSigningKey(s.options.signKey);
  if ('error' in signing) return fail(signing.error, signing.code);
  const reportTo = s.options.json ? io.stderr : io.stdout;
  const out = bufferedWriter(reportTo);
  const reporter = headlessReporter({
    kinds: new Map(s.graph.nodes.map((n) => [n.id, n.kind])),
    places: new Map(s.document.steps.map((step) => [step.id, `${step.file}:${step.span.start.line}`])),
    earlier: s.resume?.events ?? [],
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
  const offSignals = onStopSignals(interrupt.signal, (signal) => interrupt.abort(signal));
  let outcome;
  try {
    outcome = await runEngineSession(
      await engineRequest(s, {
        options: {
          allowWrites: s.options.allowWrites,
          yes: s.options.yes,
          parallel: s.options.parallel,
          force: s.options.force,
        },
        ...(signing.key ? { signingKey: signing.key } : {}),
        sinks,
        signal: interrupt.signal,
        warn: (message) => io.stderr.write(`stepwise: warning: ${message}\n`),
      }),
    );
  } finally {
    reporter.stop();
    offSignals();
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
