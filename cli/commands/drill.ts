import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import {
  type DrillRunbook,
  DrillError,
  type DrillOptions,
  namedFixture,
  prepareDrill,
  runScenario,
  type ScenarioResult,
} from '../../engine/drill/drill.js';
import { type PostgresHost, postgresReachable } from '../../engine/drill/databases.js';
import { drillJunit } from '../../engine/drill/junit.js';
import type { Scenario } from '../../engine/drill/fixture.js';
import { readTextFile } from '../../engine/io/read-bounded.js';
import { parse } from '../args.js';
import { EXIT, UsageError, wantsColor, type Command, type Io } from '../command.js';
import { pairs, safeUser } from '../run-options.js';
import { VERSION } from '../version.js';

const REPORT_FORMATS = ['junit'] as const;

export const drill: Command = {
  name: 'drill',
  help: `Usage: stepwise drill FILE --fixture DIR [options]
       stepwise drill DIR [options]

Runs a runbook against a fixture instead of real systems, once per scenario, and checks what
the scenario expects. Each scenario gets its own database (a fresh PostgreSQL database, an
embedded PGlite copy, or a temporary SQLite file) loaded with the fixture's SQL, and the
fixture's HTTP routes on a free loopback port; the runbook's targets are pointed at them, it
runs headless with the scenario's answers, the expectations are checked (step outcomes, SQL
and HTTP checks of the final state), and everything is removed again, also on Ctrl-C.
A runbook names its fixture with \`fixture: ../fixtures/NAME\` in its frontmatter; with a
folder, every runbook in it that names one is drilled in every scenario.

Options:
  --fixture DIR          the fixture folder (default: the one the runbook's frontmatter names)
  --scenario NAME        run only this scenario (repeatable)
  --list-scenarios       print the scenario names, one a line, and run nothing
  --parallel N           run up to N scenarios at once (default 1)
  --shard I/N            run only the I-th of N deterministic slices of the scenarios
  --report junit=FILE    also write the results as JUnit XML (repeatable)
  --target name=URL      create the drill database for target \`name\` on this PostgreSQL server
  --embedded             use the embedded PGlite even when STEPWISE_TEST_PG is set
  --store PATH-or-URL    keep the drills' transcripts there (default: not kept)
  --verbose              print every step of every run as it finishes
  -h, --help             this help

PostgreSQL targets run on the server at --target or $STEPWISE_TEST_PG when it answers, else on
the embedded PGlite (nothing to install). Exit codes: 0 every expectation held, 1 one missed
or a drill could not run, 2 a runbook or fixture is invalid, 4 usage error, 5 interrupted.`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, {
      fixture: { type: 'string' },
      scenario: { type: 'string', multiple: true },
      'list-scenarios': { type: 'boolean' },
      parallel: { type: 'string' },
      shard: { type: 'string' },
      report: { type: 'string', multiple: true },
      target: { type: 'string', multiple: true },
      embedded: { type: 'boolean' },
      store: { type: 'string' },
      verbose: { type: 'boolean' },
    });
    if (positionals.length === 0) throw new UsageError('name a runbook (with --fixture DIR) or a folder of runbooks');
    const parallel = whole('parallel', values.parallel ?? '1', 1, 64);
    const shard = shardOption(values.shard);
    const reports = (values.report ?? []).map(reportOption);
    const overrides = pairs('target', values.target);
    if (values.fixture !== undefined && (positionals.length !== 1 || isDir(positionals[0]!)))
      throw new UsageError('--fixture goes with one runbook file');

    const files = positionals.flatMap((p) => (isDir(p) ? drillableIn(p) : [p]));
    if (files.length === 0) {
      io.stderr.write(`stepwise drill: no runbook in ${positionals.join(', ')} names a fixture\n`);
      return EXIT.invalid;
    }
    const drills: DrillRunbook[] = [];
    try {
      for (const file of files) drills.push(prepareDrill(file, values.fixture));
    } catch (error) {
      if (error instanceof DrillError) {
        io.stderr.write(`stepwise drill: ${error.message}\n`);
        return EXIT.invalid;
      }
      throw error;
    }
    for (const [name] of Object.entries(overrides))
      if (!drills.some((d) => d.document.frontmatter.targets[name]?.kind === 'postgres'))
        throw new UsageError(`--target ${name}=...: no runbook drilled here has a PostgreSQL target \`${name}\``);

    let jobs: { drill: DrillRunbook; scenario: Scenario }[] = drills.flatMap((d) =>
      d.fixture.scenarios.map((scenario) => ({ drill: d, scenario })),
    );
    const wanted = values.scenario;
    if (wanted) {
      const names = new Set(jobs.map((j) => j.scenario.name));
      const unknown = wanted.filter((w) => !names.has(w));
      if (unknown.length > 0)
        throw new UsageError(
          `no scenario ${unknown.map((u) => `\`${u}\``).join(', ')}; there are: ${[...names].join(', ')}`,
        );
      jobs = jobs.filter((j) => wanted.includes(j.scenario.name));
    }
    jobs.sort((a, b) => key(a).localeCompare(key(b)));
    if (shard) jobs = jobs.filter((_, i) => i % shard.of === shard.index - 1);
    if (values['list-scenarios']) {
      const many = drills.length > 1;
      for (const j of jobs) io.stdout.write(`${many ? `${relative(io.cwd, j.drill.file)}\t` : ''}${j.scenario.name}\n`);
      return EXIT.ok;
    }
    if (jobs.length === 0) {
      io.stdout.write('no scenarios to run in this shard\n');
      return EXIT.ok;
    }

    const postgres = await postgresHosts(drills, overrides, io, values.embedded === true);
    if (typeof postgres === 'number') return postgres;
    const color = wantsColor(io.stdout, io.env);
    const paint = (code: string, text: string): string => (color ? `\u001b[${code}m${text}\u001b[0m` : text);

    const interrupt = new AbortController();
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals): void => {
      signals++;
      if (signals === 1) {
        io.stderr.write(`stepwise drill: ${signal}: stopping; removing the drill databases and fixtures\n`);
        interrupt.abort(signal);
      } else if (signals === 2) {
        io.stderr.write('stepwise drill: still cleaning up; press Ctrl-C again to leave the drill databases behind\n');
      } else process.exit(130);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);

    const options: DrillOptions = {
      postgres,
      env: io.env,
      signal: interrupt.signal,
      operator: safeUser(),
      engineVersion: VERSION,
      ...(values.store ? { store: resolve(io.cwd, values.store) } : {}),
      ...(values.verbose
        ? {
            onEvent: (scenario, event) => {
              if (event.type === 'step.finished')
                io.stdout.write(`    ${scenario}: ${event.data.status.padEnd(9)} ${event.data.stepId}\n`);
            },
          }
        : {}),
    };
    const started = performance.now();
    const results: ScenarioResult[] = new Array(jobs.length);
    const name = (j: { drill: DrillRunbook }): string => relative(io.cwd, j.drill.file) || j.drill.file;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < jobs.length && !interrupt.signal.aborted) {
        const index = next++;
        const job = jobs[index]!;
        const result = await runScenario(job.drill, job.scenario, options);
        results[index] = result;
        const mark =
          result.result === 'passed'
            ? paint('32', '✓')
            : result.result === 'failed'
              ? paint('31', '✗')
              : paint('31', '!');
        io.stdout.write(`${mark} ${name(job)}  ${job.scenario.name}  ${seconds(result.ms)}\n`);
        for (const m of result.misses)
          io.stdout.write(`    ${m.expectation}: expected ${m.expected}, got ${m.actual}\n`);
        if (result.error) io.stdout.write(`    ${result.error}\n`);
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(parallel, jobs.length) }, worker));
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    const ms = performance.now() - started;
    const done = results.filter((r): r is ScenarioResult => r !== undefined);
    io.stdout.write(`\n${table(done, io.cwd)}\n`);
    const passed = done.filter((r) => r.result === 'passed').length;
    const failed = done.filter((r) => r.result === 'failed').length;
    const errors = done.filter((r) => r.result === 'error').length;
    const interrupted = interrupt.signal.aborted;
    const verdict = interrupted
      ? paint('33', 'INTERRUPTED')
      : failed + errors === 0
        ? paint('32', 'PASSED')
        : paint('31', 'FAILED');
    io.stdout.write(
      `${verdict}  ${done.length} scenario${done.length === 1 ? '' : 's'}: ${passed} passed, ${failed} failed, ${errors} could not run${interrupted ? `, ${jobs.length - done.length} not run` : ''} in ${seconds(ms)}${parallel > 1 ? ` (--parallel ${parallel})` : ''}\n`,
    );
    for (const report of reports) {
      const path = resolve(io.cwd, report.file);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, drillJunit(done, io.cwd, ms));
      io.stdout.write(`report ${report.format}: ${relative(io.cwd, path) || path}\n`);
    }
    if (interrupted) return EXIT.interrupted;
    return failed + errors === 0 ? EXIT.ok : EXIT.failed;
  },
};

function key(j: { drill: DrillRunbook; scenario: Scenario }): string {
  return `${j.drill.file}\u0000${j.scenario.name}`;
}

function table(results: ScenarioResult[], cwd: string): string {
  const rows = [
    ['runbook', 'scenario', 'result', 'steps', 'time', 'run'],
    ...results.map((r) => [
      relative(cwd, r.runbook) || r.runbook,
      r.scenario,
      r.result === 'failed' ? `failed (${r.misses.length} missed)` : r.result === 'error' ? 'could not run' : r.result,
      String(r.steps),
      seconds(r.ms),
      r.runStatus ?? '-',
    ]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, c) => cell.padEnd(widths[c]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

function whole(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} takes a whole number from ${min} to ${max}`);
  return n;
}

function shardOption(value: string | undefined): { index: number; of: number } | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(value);
  const index = Number(m?.[1]);
  const of = Number(m?.[2]);
  if (!m || of < 1 || index < 1 || index > of)
    throw new UsageError('--shard takes I/N with 1 <= I <= N, e.g. --shard 1/3');
  return { index, of };
}

function reportOption(value: string): { format: (typeof REPORT_FORMATS)[number]; file: string } {
  const eq = value.indexOf('=');
  const format = value.slice(0, eq);
  if (eq <= 0 || eq === value.length - 1 || !(REPORT_FORMATS as readonly string[]).includes(format))
    throw new UsageError(`--report takes FORMAT=FILE, with FORMAT one of: ${REPORT_FORMATS.join(', ')}`);
  return { format: format as 'junit', file: value.slice(eq + 1) };
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The runbooks in a folder (and below) whose frontmatter names a fixture, in name order. */
function drillableIn(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.'))
      out.push(...drillableIn(path));
    else if (entry.isFile() && entry.name.endsWith('.md')) {
      try {
        if (namedFixture(path, readTextFile(path, { what: 'runbook file' }))) out.push(path);
      } catch {
        /* not readable: not drillable */
      }
    }
  }
  return out;
}

/**
 * Where PostgreSQL targets get their databases: `--target name=URL` (which must answer), else
 * $STEPWISE_TEST_PG when it answers, else the embedded PGlite.
 */
async function postgresHosts(
  drills: DrillRunbook[],
  overrides: Record<string, string>,
  io: Io,
  embedded: boolean,
): Promise<DrillOptions['postgres'] | number> {
  const hosts: Record<string, PostgresHost> = {};
  for (const [name, url] of Object.entries(overrides)) {
    if (!/^postgres(ql)?:\/\//i.test(url))
      throw new UsageError(`--target ${name}=...: a drill creates its database on a postgres:// server`);
    if (!(await postgresReachable(url))) {
      io.stderr.write(`stepwise drill: --target ${name}: no PostgreSQL answers there\n`);
      return EXIT.invalid;
    }
    hosts[name] = { kind: 'server', url };
  }
  const usesPostgres = drills.some((d) =>
    Object.values(d.document.frontmatter.targets).some((t) => t.kind === 'postgres'),
  );
  let fallback: PostgresHost = { kind: 'pglite' };
  const env = io.env.STEPWISE_TEST_PG;
  if (usesPostgres && !embedded && env) {
    if (await postgresReachable(env)) fallback = { kind: 'server', url: env };
    else io.stderr.write('stepwise drill: STEPWISE_TEST_PG does not answer; using the embedded PGlite\n');
  }
  return { ...hosts, default: fallback };
}
