import { writeFileSync } from 'node:fs';
import { parse } from '../args.js';
import { EXIT, UsageError, type Command } from '../command.js';
import { findRun, withStore } from '../store-access.js';

export const exportRun: Command = {
  name: 'export',
  help: `Usage: stepwise export RUN [-o FILE] [--store PATH-or-URL]

Writes the run's transcript as JSON Lines, one event a line, exactly as recorded: each
carries seq, ts, runId, type, data, prev and hash, so \`stepwise verify FILE\` checks the
file with no store at all. RUN is a run id, a unique prefix of one, or \`last\`.

Options:
  -o, --output FILE     write to FILE instead of stdout
  --store PATH-or-URL   the store (default: the nearest .stepwise/stepwise.db upwards, or $STEPWISE_STORE)
  -h, --help            this help`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, { output: { type: 'string', short: 'o' }, store: { type: 'string' } });
    if (positionals.length !== 1) throw new UsageError('name one run: stepwise export RUN (see stepwise runs)');
    return withStore(io, values.store, 'export', async (store) => {
      const runId = await findRun(store, positionals[0]!);
      const text = (await store.events(runId)).map((e) => `${JSON.stringify(e)}\n`).join('');
      if (values.output) {
        try {
          writeFileSync(values.output, text);
        } catch (error) {
          io.stderr.write(
            `stepwise export: cannot write ${values.output}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`,
          );
          return EXIT.invalid;
        }
      } else io.stdout.write(text);
      return EXIT.ok;
    });
  },
};
