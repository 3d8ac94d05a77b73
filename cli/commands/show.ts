import { timelineLines } from '../../renderers/timeline.js';
import { parse } from '../args.js';
import { EXIT, UsageError, useColor, type Command } from '../command.js';
import { findRun, withStore } from '../store-access.js';

export const show: Command = {
  name: 'show',
  summary: "print a run's transcript as a readable timeline (--follow tails a live run)",
  help: `Usage: stepwise show RUN [--follow] [--verbose] [--store PATH-or-URL]

Prints a run's transcript as a timeline: when each step started and finished, what it
did, who answered which gate, and how the run ended. RUN is a run id, a unique prefix of
one, or \`last\`.

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
      for (const event of events) for (const line of timelineLines(event, options)) io.stdout.write(`${line}\n`);
      const last = events[events.length - 1];
      if (!values.follow || last?.type === 'run.finished' || last?.type === 'head.signed') return EXIT.ok;
      const stop = new AbortController();
      const onSignal = (): void => stop.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        await store.follow(runId, last?.seq ?? 0, (batch) => {
          for (const event of batch) for (const line of timelineLines(event, options)) io.stdout.write(`${line}\n`);
        }, stop.signal);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      return EXIT.ok;
    });
  },
};
