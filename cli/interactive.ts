/**
 * The interactive path of `run`, `resume` and `show --follow`: the terminal UI (renderers/tui) as
 * one more responder and one more sink of the same engine session a headless run uses. Loaded
 * only with dynamic import, when stdin and stdout are terminals and neither --headless nor --json
 * is given, so headless runs never load Ink or React.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { render } from 'ink';
import { createElement } from 'react';
import type { InputDecl } from '../engine/document/frontmatter-model.js';
import { coerceInput, PrepareError, prepareInputs } from '../engine/run/prepare.js';
import type { RecordedEvent } from '../engine/run/recorder.js';
import type { InputRequest } from '../engine/run/responder.js';
import type { SessionOutcome } from '../engine/run/session.js';
import { targetCredentials } from '../engine/run/targets.js';
import { createRedactor } from '../engine/redact/redactor.js';
import type { TranscriptStore } from '../engine/store/store.js';
import type { ChainedEvent } from '../engine/transcript/chain.js';
import { App } from '../renderers/tui/app.js';
import { type FieldSpec, TuiController } from '../renderers/tui/controller.js';
import { visibleLine } from '../renderers/tui/escape.js';
import { EXIT, wantsColor, type Io } from './command.js';
import { engineRequest, onStopSignals, readSigningKey, type SessionBase } from './session-request.js';

export type InteractiveSession = SessionBase & {
  /** Input values given on the command line (or recorded, for resume), as text. */
  givenInputs: Record<string, string>;
  /** Inputs to ask for before the run starts (with their defaults offered). */
  ask: string[];
};

/** Opens the terminal UI on the alternate screen; returns a function that closes it. */
function openScreen(controller: TuiController, io: Io, shown: (t: string) => string): () => void {
  const stdout = io.stdout as NodeJS.WriteStream;
  // On the alternate screen (run drew its first frame there already), cleared for Ink's first frame.
  stdout.write('\u001b[?1049h\u001b[H\u001b[2J');
  const instance = render(createElement(App, { controller, color: wantsColor(stdout, io.env), shown }), {
    stdout,
    stdin: process.stdin,
    stderr: io.stderr as NodeJS.WriteStream,
    exitOnCtrlC: false,
    patchConsole: false,
    maxFps: 25,
  });
  let closed = false;
  return () => {
    if (closed) return;
    closed = true;
    instance.unmount();
    instance.cleanup();
    stdout.write('\u001b[?1049l');
  };
}

function fieldOf(decl: InputDecl): FieldSpec {
  return {
    name: decl.name,
    question: decl.description ?? '',
    type: decl.type,
    options: decl.options ?? null,
    pattern: decl.pattern ?? null,
    defaultValue: decl.default,
    check: (value) => {
      if (value === '' && decl.default === undefined && decl.required) return 'a value is needed';
      if (value === '') return null;
      try {
        coerceInput(decl, value);
        return null;
      } catch (error) {
        return (error as Error).message;
      }
    },
  };
}

function checkInputStep(request: InputRequest, value: string): string | null {
  try {
    coerceInput(
      {
        name: request.stepId,
        type: request.type,
        ...(request.pattern !== null ? { pattern: request.pattern } : {}),
        ...(request.options ? { options: request.options as (string | number)[] } : {}),
      },
      value,
    );
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

export async function runInteractive(s: InteractiveSession): Promise<number> {
  const { io } = s;
  const command = s.resume ? 'resume' : 'run';
  const fail = (message: string, code: number): number => {
    io.stderr.write(`stepwise ${command}: ${message}\n`);
    return code;
  };
  const signing = readSigningKey(s.options.signKey);
  if ('error' in signing) return fail(signing.error, signing.code);
  const operator = s.operator;
  const controller = new TuiController({
    document: s.document,
    graph: s.graph,
    runId: s.runId,
    operator,
    checkInput: checkInputStep,
  });
  for (const event of s.resume?.events ?? []) controller.sink(event);
  // The runbook's own text (prose, steps as written) is masked like everything recorded; the first
  // frame comes first, and that text shows once its masking is set up.
  let display = (_text: string): string => '';
  const maskWith = (inputs: Record<string, unknown>): void => {
    try {
      const secretInputs: Record<string, string> = {};
      for (const [name, decl] of Object.entries(s.document.frontmatter.inputs))
        if (decl.type === 'secret' && inputs[name] !== undefined) secretInputs[`inputs.${name}`] = String(inputs[name]);
      const redactor = createRedactor({
        secrets: { ...s.secrets, ...secretInputs, ...targetCredentials(s.targets), ...s.maskAlso },
        patterns: s.document.frontmatter.redact,
      });
      display = (text) => redactor.source(text);
    } catch {
      display = () => '(hidden: redaction could not be set up)';
    }
  };
  const close = openScreen(controller, io, (text) => display(text));
  await new Promise((resolve) => setImmediate(resolve));
  maskWith(s.givenInputs);
  controller.changed(true);
  // Signals from outside (kill -INT, kill -TERM): as headless, the run stops; a second one exits at once.
  const offSignals = onStopSignals(controller.abort.signal, (signal) => controller.interrupt(signal, { leave: true }));
  let outcome: SessionOutcome | undefined;
  /** The transcript as the run leaves it, for --report (a resumed run's earlier events first). */
  const recorded: unknown[] = [...(s.resume?.events ?? [])];
  let problem: { message: string; code: number } | undefined;
  try {
    const declared = s.document.frontmatter.inputs;
    const answered = await controller.askInputs(s.ask.filter((n) => declared[n]).map((n) => fieldOf(declared[n]!)));
    if (answered === null)
      problem = { message: 'quit before the run started; nothing was run', code: EXIT.interrupted };
    let inputs: Record<string, unknown> = {};
    if (!problem) {
      try {
        const typed = Object.fromEntries(Object.entries(answered ?? {}).filter(([, v]) => v !== ''));
        inputs = prepareInputs(declared, { ...s.givenInputs, ...typed });
        maskWith(inputs);
      } catch (error) {
        problem = {
          message: (error as Error).message,
          code: error instanceof PrepareError ? error.exitCode : EXIT.invalid,
        };
      }
    }
    if (!problem) {
      // The engine session (store, connections) loads now, after the first frame; the footer says so.
      controller.progress = 'opening the transcript store and the targets…';
      controller.changed(true);
      const { runSession: runEngineSession } = await import('../engine/run/session.js');
      outcome = await runEngineSession(
        await engineRequest(
          { ...s, mode: 'interactive', inputs, responder: controller.responder },
          {
            // Step by step: one step at a time, each after the responder says so.
            options: { allowWrites: s.options.allowWrites, yes: false, parallel: 1, force: s.options.force },
            ...(signing.key ? { signingKey: signing.key } : {}),
            sinks: [
              controller.sink,
              ...(s.options.reports?.length ? [(event: RecordedEvent) => recorded.push(event)] : []),
            ],
            signal: controller.abort.signal,
            warn: (message) => {
              controller.message = `warning: ${message}`;
              controller.changed();
            },
          },
        ),
      );
    }
    const ended = describeOutcome(s, outcome, problem);
    if (s.options.reports?.length && recorded.length > 0) ended.lines.push(...(await writeReports(s, recorded)));
    controller.end(ended);
    // A run that ended by itself, or was stopped by Ctrl-C, stays on screen until the responder
    // leaves; a quit (`q`, a signal) leaves at once.
    if (!controller.leaving || !outcome || outcome.kind !== 'ran') await controller.exited;
    close();
    offSignals();
    for (const l of ended.lines) (ended.code === 0 || outcome?.kind === 'ran' ? io.stdout : io.stderr).write(`${l}\n`);
    return ended.code;
  } finally {
    close();
    offSignals();
  }
}

/** `--report FORMAT=FILE`, as headless: each report rendered from the transcript the run left; lines saying what was written. */
async function writeReports(s: InteractiveSession, events: unknown[]): Promise<string[]> {
  const { readOptionsFor, readTranscript, reportFormats } = await import('../renderers/report/index.js');
  const requests = s.options.reports ?? [];
  const report = await readTranscript(events, readOptionsFor(requests.map((r) => r.format)));
  const lines: string[] = [];
  for (const { format, file } of requests) {
    try {
      writeFileSync(resolve(s.io.cwd, file), reportFormats[format].render(report));
      lines.push(`report ${format}: ${file}`);
    } catch (error) {
      lines.push(
        `stepwise: cannot write the ${format} report ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
  }
  return lines;
}

function describeOutcome(
  s: InteractiveSession,
  outcome: SessionOutcome | undefined,
  problem: { message: string; code: number } | undefined,
): { lines: string[]; code: number } {
  const command = s.resume ? 'resume' : 'run';
  if (problem || !outcome)
    return {
      lines: [`stepwise ${command}: ${problem?.message ?? 'nothing was run'}`],
      code: problem?.code ?? 70,
    };
  switch (outcome.kind) {
    case 'not-started':
      return { lines: [`stepwise ${command}: ${outcome.message}`], code: EXIT.invalid };
    case 'locked':
      return {
        lines: [
          `stepwise ${command}: ${s.document.title || s.file} is already running against these targets: ${outcome.heldBy}. Wait for it to finish, or pass --force to run anyway (the transcript records that you did).`,
        ],
        code: EXIT.declined,
      };
    case 'incomplete':
      return {
        lines: [
          `stepwise: the transcript could not be completed: ${outcome.message}`,
          ...(outcome.head
            ? [`it verifies up to seq ${outcome.head.seq}; \`stepwise resume ${s.runId}\` continues from there`]
            : []),
        ],
        code: EXIT.interrupted,
      };
    case 'ran': {
      const { summary, head } = outcome;
      const c = summary.counts;
      const parts = [
        `${c.passed} passed`,
        `${c.failed + c['timed-out'] + c.interrupted} failed`,
        ...(c.cancelled > 0 ? [`${c.cancelled} cancelled`] : []),
        `${c.skipped} skipped`,
      ];
      return {
        lines: [
          `${summary.status.toUpperCase()}${summary.warnings > 0 ? ` with ${summary.warnings} warning${summary.warnings === 1 ? '' : 's'}` : ''}  ${parts.join(', ')} in ${(summary.ms / 1000).toFixed(1)}s  exit ${summary.exitCode} · run ${s.runId}`,
          ...(summary.stoppedBy && summary.status !== 'passed' ? [`stopped at ${visibleLine(summary.stoppedBy)}`] : []),
          ...(summary.status === 'interrupted' ? [`\`stepwise resume ${s.runId}\` continues it`] : []),
          ...(head
            ? [`transcript ${s.runId}: ${head.seq} events, sha256:${head.hash}${outcome.signed ? ' (signed)' : ''}`]
            : []),
        ],
        code: summary.exitCode,
      };
    }
  }
}

/** `show RUN --follow` on a terminal: the same screen, read-only, fed from the store as the run records events. */
export async function followInteractive(
  io: Io,
  store: TranscriptStore,
  runId: string,
  events: ChainedEvent[],
  live: () => Promise<boolean>,
): Promise<number> {
  const started = events[0];
  if (started?.type !== 'run.started') {
    io.stderr.write(`stepwise show: run ${runId} has no run.started event\n`);
    return EXIT.invalid;
  }
  const { checkSource } = await import('../engine/check/check.js');
  const checked = checkSource(started.data.runbook.source, started.data.runbook.path);
  const controller = new TuiController({
    document: checked.document,
    graph: checked.graph,
    runId,
    operator: started.data.operator,
    readOnly: true,
  });
  let last = 0;
  const take = (batch: readonly ChainedEvent[]): void => {
    for (const event of batch) {
      if (event.seq <= last) continue;
      controller.sink(event);
      last = event.seq;
    }
  };
  take(events);
  const close = openScreen(controller, io, (t) => t);
  const stop = new AbortController();
  const onSignal = (): void => controller.exit();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  void controller.exited.then(() => stop.abort());
  const watch = setInterval(() => {
    live().then(
      (alive) => {
        if (!alive && !controller.model.run.finished) {
          controller.message = `run ${runId} stopped without finishing: its process is gone; \`stepwise resume ${runId}\` continues it`;
          controller.changed();
        }
      },
      () => {},
    );
  }, 2000);
  try {
    if (!controller.model.run.finished) await store.follow(runId, last, take, stop.signal).catch(() => {});
    await controller.exited;
  } finally {
    clearInterval(watch);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    close();
  }
  const head = controller.model.run.last;
  if (head) io.stdout.write(`transcript ${runId}: ${head.seq} events, sha256:${head.hash ?? ''}\n`);
  return EXIT.ok;
}
