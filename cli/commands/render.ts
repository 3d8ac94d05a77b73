import { closeSync, existsSync, openSync, writeSync } from 'node:fs';
import { FileReadError, readTextFile } from '../../engine/io/read-bounded.js';
import {
  readOptionsFor,
  readTranscript,
  reportFormatHelp,
  reportFormats,
  REPORT_FORMAT_NAMES,
} from '../../renderers/report/index.js';
import { oneOf, parse } from '../args.js';
import { EXIT, UsageError, type Command, type Io } from '../command.js';
import type { RunReport } from '../../renderers/report/model.js';
import type { ReportText } from '../../renderers/report/text.js';

export const render: Command = {
  name: 'render',
  help: `Usage: stepwise render RUN-or-FILE [--format FORMAT] [-o FILE] [--store PATH-or-URL]

Renders a recorded run as a report, from the store (RUN: a run id, a unique prefix of one,
or \`last\`) or from a JSON Lines file written by \`stepwise export\`. A report reads only
the transcript, never a live system: the same transcript gives the same report, from the
store or from its export. Secrets were masked when the run was recorded.

A transcript that does not verify is still rendered, with a warning at the top naming the
first bad seq, and the command exits 6 after writing it.

Formats (--format, default md):
${reportFormatHelp()}

Options:
  --format FORMAT       ${REPORT_FORMAT_NAMES.join(', ')}
  -o, --output FILE     write to FILE instead of stdout
  --store PATH-or-URL   the store, for a RUN (default: the nearest .stepwise/stepwise.db upwards, or $STEPWISE_STORE)
  -h, --help            this help

Exit codes: 0 rendered, 2 cannot read the transcript or write the report, 4 usage error,
6 rendered, but the transcript failed verification.`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, {
      format: { type: 'string', short: 'f' },
      output: { type: 'string', short: 'o' },
      store: { type: 'string' },
    });
    if (positionals.length !== 1) throw new UsageError('name one run or file: stepwise render RUN-or-FILE');
    const format = oneOf('format', values.format, REPORT_FORMAT_NAMES, 'md');
    const target = positionals[0]!;
    const write = (report: RunReport): number => {
      const code = writeReport(io, reportFormats[format].build(report), values.output);
      if (code !== EXIT.ok) return code;
      if (report.verification.ok) return EXIT.ok;
      io.stderr.write(
        `stepwise render: warning: the transcript does not verify: broken at seq ${report.verification.seq}: ${report.verification.reason}; the report says so at the top\n`,
      );
      return EXIT.unverified;
    };
    if (existsSync(target) || looksLikeFile(target)) {
      let lines: string[];
      try {
        lines = transcriptFileLines(target);
      } catch (error) {
        if (!(error instanceof FileReadError)) throw error;
        io.stderr.write(`stepwise render: ${error.message}\n`);
        return EXIT.invalid;
      }
      return write(await readTranscript(lines, readOptionsFor([format])));
    }
    // Loaded only for a run in a store: the SQLite driver is a native module, slow to load.
    const { findRun, withStore } = await import('../store-access.js');
    return withStore(io, values.store, 'render', async (store) => {
      const runId = await findRun(store, target);
      return write(await readTranscript(await store.events(runId), readOptionsFor([format])));
    });
  },
};

/**
 * Writes the report piece by piece, each as its bytes: never one string of the whole report (a
 * 20,000-step HTML report is tens of MB, and joining it, then encoding it, cost more than writing).
 */
function writeReport(io: Io, text: ReportText, output: string | undefined): number {
  if (!output) {
    text.write((piece) => io.stdout.write(piece));
    return EXIT.ok;
  }
  let fd: number | null = null;
  try {
    fd = openSync(output, 'w');
    const file = fd;
    text.write((piece) => {
      const bytes = Buffer.from(piece, 'utf8');
      for (let at = 0; at < bytes.length; ) at += writeSync(file, bytes, at);
    });
    closeSync(fd);
    fd = null;
    return EXIT.ok;
  } catch (error) {
    if (fd !== null) closeSync(fd);
    io.stderr.write(
      `stepwise render: cannot write ${output}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`,
    );
    return EXIT.invalid;
  }
}

/** A run id never holds a path separator or a file extension; a path usually does. */
function looksLikeFile(target: string): boolean {
  return /[\\/]/.test(target) || /\.(jsonl|ndjson|json|txt|log)$/i.test(target);
}

/** An exported transcript: about the longest text a JavaScript string holds. */
const TRANSCRIPT_FILE_BYTES = 500 * 1024 * 1024;

/** The file's lines (never a device, FIFO or folder); only the newline ending the last line is not a line of its own. */
export function transcriptFileLines(path: string): string[] {
  const text = readTextFile(path, { what: 'transcript file (from stepwise export)', maxBytes: TRANSCRIPT_FILE_BYTES });
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}
