import { formatTable } from '../../renderers/table.js';
import { clean } from '../../renderers/headless.js';
import { parse } from '../args.js';
import { EXIT, UsageError, type Command } from '../command.js';
import type { RunRow, TranscriptStore } from '../../engine/store/store.js';
import { withStore } from '../store-access.js';

export const runs: Command = {
  name: 'runs',
  help: `Usage: stepwise runs [--store PATH-or-URL] [--limit N] [--json]

Lists the runs in the transcript store, newest first: id, runbook, status, operator,
started, duration. A run whose process is still going shows as running; one whose process
is gone without finishing it (killed, crashed, the machine went down) shows as stopped,
and \`stepwise resume RUN\` continues it.

Like show, export and verify, it only reads: it never creates a store, and where there is
none it says where it looked (exit 2).

Options:
  --store PATH-or-URL   the store: a file (or sqlite:PATH) or a postgres:// URL (default: the
                        nearest .stepwise/stepwise.db upwards, or $STEPWISE_STORE)
  --limit N             at most N runs (default 50)
  --json                one JSON array of runs on stdout
  -h, --help            this help

Exit codes: 0 listed (or the store holds no runs yet), 2 no store or it cannot be read, 4 usage error.`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, {
      store: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (positionals.length > 0) throw new UsageError('runs takes no arguments');
    const limit = values.limit === undefined ? 50 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit takes a whole number of runs, 1 or more');
    return withStore(io, values.store, 'runs', async (store) => {
      const rows = await withLiveness(store, await store.runs(limit));
      if (values.json) {
        io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return EXIT.ok;
      }
      if (rows.length === 0) {
        io.stderr.write(`no runs recorded in ${store.location} yet\n`);
        return EXIT.ok;
      }
      const table = rows.map((r) => [
        r.runId,
        clean(r.runbookTitle || r.runbookPath, 40),
        r.status,
        clean(r.operator, 20),
        r.startedAt.replace('T', ' ').slice(0, 19),
        duration(r.startedAt, r.updatedAt),
        String(r.events),
      ]);
      io.stdout.write(
        formatTable(['RUN', 'RUNBOOK', 'STATUS', 'OPERATOR', 'STARTED (UTC)', 'DURATION', 'EVENTS'], table),
      );
      return EXIT.ok;
    });
  },
};

/** Runs recorded as running whose process is gone are `stopped`. */
async function withLiveness(
  store: TranscriptStore,
  rows: RunRow[],
): Promise<(Omit<RunRow, 'status'> & { status: RunRow['status'] | 'stopped' })[]> {
  const open = rows.filter((r) => r.status === 'running').map((r) => r.runId);
  const live = await store.liveRuns(open);
  return rows.map((r) => (r.status === 'running' && !live.has(r.runId) ? { ...r, status: 'stopped' } : r));
}

function duration(from: string, to: string): string {
  const ms = Date.parse(to) - Date.parse(from);
  if (!Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)}m${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')}s`;
  return `${Math.floor(ms / 3_600_000)}h${String(Math.floor((ms % 3_600_000) / 60_000)).padStart(2, '0')}m`;
}
