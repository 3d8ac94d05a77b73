import type { ChainedEvent } from '../../engine/transcript/chain.js';
import { timeline } from '../../renderers/timeline.js';
import { parse } from '../args.js';
import { EXIT, UsageError, useColor, type Command } from '../command.js';
import { findRun, withStore } from '../store-access.js';

export const show: Command = {
  name: 'show',
  summary: "print a run's transcript as a readable timeline (--follow tails a live run)",
  help: `Usage: stepwise show RUN [--follow] [--verbose] [--store PATH-or-URL]

Prints a run's transcript as a timeline: when each step started and finished, what it
did, who answered which gate, and how the run ended, then the transcript's event count and
digest (as \`run\` prints them; \`verify\` checks them). RUN is a run id, a unique prefix of
one, or \`last\`. With --follow, it keeps printing a live run's events as they are recorded
(from another process, or with a PostgreSQL store from another machine) until the run ends.

Options:
  --follow              keep printing events as a live run records them, until it ends (Ctrl-C stops)
  --verbose             also the full SQL, requests, scripts and step output
  --store PATH-or-URL   the store (default: the nearest .stepwise/stepwise.db upwards, or $STEPWISE_STORE)
  -h, --help            this help`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, { follow: { type: 'boolean', short: 'f' }, verbose: { type: 'boolean' }, store: { type: 'string' } });
    if (positionals.length !== 1) throw new UsageError('name one run: stepwise show RUN (see stepwise runs)');
    const options = { color: useColor(io.stdout, io.env), verbose: values.verbose === true };
    return withStore(io, values.store, 'show', async (store) => {
      const runId = await findRun(store, positionals[0]!);
      const events = await store.events(runId);
      let last = events[events.length - 1];
      const lines = timeline(options);
      const write = (out: string[]): void => {
        if (out.length > 0) io.stdout.write(`${out.join('\n')}\n`);
      };
      const print = (batch: readonly ChainedEvent[]): void => {
        for (const event of batch) write(lines.lines(event));
      };
      const digest = (): number => {
        write(lines.end());
        if (last) io.stdout.write(`transcript ${runId}: ${last.seq} events, sha256:${last.hash}\n`);
        return EXIT.ok;
      };
      print(events);
      if (!values.follow || ended(events)) return digest();
      const stop = new AbortController();
      const onSignal = (): void => stop.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        await store.follow(runId, last?.seq ?? 0, (batch) => {
          print(batch);
          last = batch[batch.length - 1] ?? last;
        }, stop.signal);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      return digest();
    });
  },
};

/** Whether the run has finished: a run.finished that no later run.resumed reopened. */
function ended(events: readonly ChainedEvent[]): boolean {
  for (let i = events.length - 1; i >= 0; i--) {
    const type = events[i]!.type;
    if (type === 'run.finished') return true;
    if (type === 'run.resumed') return false;
  }
  return false;
}
