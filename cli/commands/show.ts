import type { ChainedEvent } from '../../engine/transcript/chain.js';
import { timeline } from '../../renderers/timeline.js';
import { parse } from '../args.js';
import { EXIT, UsageError, wantsColor, type Command } from '../command.js';
import { interactiveWanted, loadInteractive } from '../interactive-wanted.js';
import { findRun, withStore } from '../store-access.js';

export const show: Command = {
  name: 'show',
  help: `Usage: stepwise show RUN [--follow] [--verbose] [--store PATH-or-URL]

Prints a run's transcript as a timeline: when each step started and finished, what it
did, who answered which gate, and how the run ended, then the transcript's event count and
digest (as \`run\` prints them; \`verify\` checks them). RUN is a run id, a unique prefix of
one, or \`last\`. With --follow, it keeps printing a live run's events as they are recorded
(from another process, or with a PostgreSQL store from another machine) until the run ends,
or until its process is gone without finishing it (then it says how to resume).

Options:
  --follow              keep printing events as a live run records them, until it ends (Ctrl-C stops);
                        on a terminal, the run's terminal UI, read-only (keys only move the view)
  --verbose             also what each step ran (SQL with its bind values, requests, scripts
                        with their environment values), its output and its result
  --store PATH-or-URL   the store (default: the nearest .stepwise/stepwise.db upwards, or $STEPWISE_STORE)
  -h, --help            this help`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, {
      follow: { type: 'boolean', short: 'f' },
      verbose: { type: 'boolean' },
      store: { type: 'string' },
    });
    if (positionals.length !== 1) throw new UsageError('name one run: stepwise show RUN (see stepwise runs)');
    const options = { color: wantsColor(io.stdout, io.env), verbose: values.verbose === true };
    return withStore(io, values.store, 'show', async (store) => {
      const runId = await findRun(store, positionals[0]!);
      let last: ChainedEvent | undefined;
      let finished = false;
      const lines = timeline(options);
      const write = (out: string[]): void => {
        if (out.length > 0) io.stdout.write(`${out.join('\n')}\n`);
      };
      /** Prints events, and keeps what the end needs: the last one, and whether the run has finished. */
      const take = (batch: readonly ChainedEvent[]): void => {
        for (const event of batch) {
          write(lines.lines(event));
          finished = finishedAfter(finished, event);
          last = event;
        }
      };
      const live = async (): Promise<boolean> => (await store.liveRuns([runId])).has(runId);
      const digest = async (): Promise<number> => {
        write(lines.end());
        if (last) io.stdout.write(`transcript ${runId}: ${last.seq} events, sha256:${last.hash}\n`);
        if (!finished) {
          io.stderr.write(
            (await live())
              ? `run ${runId} is still running${values.follow ? '' : `; follow it with \`stepwise show ${runId} --follow\``}\n`
              : `run ${runId} stopped without finishing: its process is gone (killed, crashed, or its machine went down); \`stepwise resume ${runId}\` continues it\n`,
          );
        }
        return EXIT.ok;
      };
      const initial = await store.events(runId);
      // On a terminal, following a live run opens the terminal UI, read-only.
      if (values.follow && interactiveWanted(io, {}) && !initial.reduce(finishedAfter, false) && (await live()))
        return (await loadInteractive()).followInteractive(io, store, runId, initial, live);
      take(initial);
      if (!values.follow || finished || !(await live())) return digest();
      const stop = new AbortController();
      const onSignal = (): void => stop.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      // A run whose process dies never finishes: stop following it, after one last read.
      let gone = false;
      const watch = setInterval(() => {
        live().then(
          (alive) => {
            gone = !alive;
            if (gone) stop.abort();
          },
          () => {},
        );
      }, LIVENESS_MS);
      try {
        await store.follow(runId, last?.seq ?? 0, take, stop.signal);
        if (gone) take(await store.events(runId, last?.seq ?? 0));
      } finally {
        clearInterval(watch);
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      return digest();
    });
  },
};

/** How often --follow checks that the run's process is still there. */
const LIVENESS_MS = 2000;

/** Whether the run has finished after `event`: a run.finished, until a run.resumed reopens it. */
function finishedAfter(was: boolean, event: ChainedEvent): boolean {
  return event.type === 'run.finished' ? true : event.type === 'run.resumed' ? false : was;
}
