import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { checkSource } from '../../engine/check/check.js';
import { hasErrors } from '../../engine/document/diagnostic.js';
import { connections } from '../../engine/run/connections.js';
import type { RunMode } from '../../engine/run/events.js';
import { headlessResponder } from '../../engine/run/headless-responder.js';
import { PrepareError, prepareInputs, prepareSecrets } from '../../engine/run/prepare.js';
import { fanOutRecorder, type EventSink } from '../../engine/run/recorder.js';
import { runRunbook } from '../../engine/run/runner.js';
import { describeLocation, resolveTargets } from '../../engine/run/targets.js';
import { formatText } from '../../renderers/diagnostics.js';
import { headlessReporter } from '../../renderers/headless.js';
import { parse } from '../args.js';
import { EXIT, UsageError, useColor, type Command, type Io } from '../command.js';
import { VERSION } from '../version.js';
import { loadRunbook } from '../load.js';

export const run: Command = {
  name: 'run',
  summary: 'run a runbook (headless for now; the TUI comes later)',
  help: `Usage: stepwise run FILE [options]

Runs a runbook step by step. Headless runs (CI, drills, scripts) answer gates from
--answers and --yes and stop with exit 3 at a gate they cannot answer.

Options:
  --headless             run without the interactive UI
  --input k=v            an input value (repeatable)
  --target name=url      override a target's URL or path (repeatable)
  --secrets FILE         secret values (YAML map or KEY=VALUE lines)
  --answers FILE         answers for confirms and inputs (YAML: id: yes | {answer, phrase} | value)
  --yes                  confirm every gate that is not a danger gate
  --allow-writes         run writing SQL even without a confirm before it
  --dry-run              show every step rendered with the values known; execute nothing
  --parallel N           run up to N independent read-only steps at once (default 1)
  --operator NAME        who runs it (default: the OS user)
  --json                 print events as NDJSON on stdout (the report goes to stderr)
  -h, --help             this help

Exit codes: 0 passed, 1 a step failed, 2 invalid runbook or cannot load,
3 a gate was declined or had no answer, 4 usage error, 5 interrupted.`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, {
      headless: { type: 'boolean' },
      input: { type: 'string', multiple: true },
      target: { type: 'string', multiple: true },
      secrets: { type: 'string' },
      answers: { type: 'string' },
      yes: { type: 'boolean', short: 'y' },
      'allow-writes': { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      parallel: { type: 'string' },
      operator: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (positionals.length !== 1) throw new UsageError('name one runbook: stepwise run FILE');
    const file = positionals[0]!;
    const parallel = values.parallel === undefined ? 1 : Number(values.parallel);
    if (!Number.isInteger(parallel) || parallel < 1 || parallel > 64) throw new UsageError('--parallel takes a whole number from 1 to 64');
    const inputs = pairs('input', values.input);
    const overrides = pairs('target', values.target);
    const answers = values.answers ? readYamlMap('answers', values.answers) : {};
    const secretFile = values.secrets ? readSecretsFile(values.secrets) : {};

    const loaded = loadRunbook(file);
    if (!loaded.ok) return fail(io, formatText([{ file, diagnostics: [loaded.diagnostic] }], useColor(io.stderr, io.env)), EXIT.invalid);
    const checked = checkSource(loaded.source, file);
    if (hasErrors(checked.diagnostics)) {
      const errors = checked.diagnostics.filter((d) => d.severity === 'error');
      return fail(io, `${formatText([{ file, diagnostics: errors }], useColor(io.stderr, io.env))}stepwise run: the runbook has ${errors.length} error${errors.length === 1 ? '' : 's'}; nothing was run\n`, EXIT.invalid);
    }
    const { document, graph } = checked;
    const mode: RunMode = values['dry-run'] ? 'dry-run' : 'headless';
    if (!values.headless && !values['dry-run'] && io.stdout.isTTY && process.stdin.isTTY) io.stderr.write('(the interactive terminal UI is not available yet; running headless)\n');
    let prepared;
    try {
      const targets = resolveTargets(document.frontmatter.targets, overrides, io.env, dirname(resolve(file)));
      prepared = {
        targets,
        inputs: prepareInputs(document.frontmatter.inputs, inputs),
        secrets: mode === 'dry-run' ? {} : prepareSecrets(document.frontmatter.secrets, io.env, secretFile),
      };
    } catch (error) {
      const code = error instanceof PrepareError ? error.exitCode : EXIT.invalid;
      return fail(io, `stepwise run: ${(error as Error).message}\n`, code);
    }
    const operator = values.operator ?? safeUser();
    const runId = newRunId();
    const sinks: EventSink[] = [];
    const reportTo = values.json ? io.stderr : io.stdout;
    const out = bufferedWriter(reportTo);
    const reporter = headlessReporter({ kinds: new Map(graph.nodes.map((n) => [n.id, n.kind])), write: out.write, color: useColor(reportTo, io.env), tty: reportTo.isTTY === true });
    sinks.push(reporter.sink);
    const json = bufferedWriter(io.stdout);
    if (values.json) sinks.push((event) => json.write(`${JSON.stringify(event)}\n`));
    const recorder = fanOutRecorder(runId, sinks);
    const interrupt = new AbortController();
    const onSignal = (signal: NodeJS.Signals): void => {
      if (interrupt.signal.aborted) process.exit(130);
      interrupt.abort(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const env: Record<string, string> = {};
    for (const name of Object.keys(document.frontmatter.env)) if (io.env[name] !== undefined) env[name] = io.env[name]!;
    const pool = connections();
    try {
      await recorder.record({
        type: 'run.started',
        data: {
          runbook: { path: file, id: document.id, title: document.title, sha256: createHash('sha256').update(loaded.source).digest('hex'), source: loaded.source },
          inputs: prepared.inputs,
          targets: Object.fromEntries(Object.values(prepared.targets).map((t) => [t.name, { kind: t.kind, location: describeLocation(t) }])),
          operator,
          host: hostname(),
          engineVersion: VERSION,
          mode,
          formatVersion: 1,
        },
      });
      const summary = await runRunbook({
        document,
        graph,
        runId,
        inputs: prepared.inputs,
        secrets: prepared.secrets,
        env,
        targets: prepared.targets,
        operator,
        mode,
        recorder,
        responder: headlessResponder(answers, values.yes === true, operator),
        connections: pool,
        options: { allowWrites: values['allow-writes'] === true, yes: values.yes === true, parallel },
        signal: interrupt.signal,
        startedAt: new Date(),
      });
      if (summary.stoppedBy && summary.exitCode === EXIT.declined) io.stderr.write(`stepwise run: stopped at ${summary.stoppedBy}\n`);
      return summary.exitCode;
    } finally {
      reporter.stop();
      out.flush();
      json.flush();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await pool.closeAll();
    }
  },
};

function fail(io: Io, message: string, code: number): number {
  io.stderr.write(message);
  return code;
}

function pairs(option: string, list: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--${option} takes name=value, got \`${item}\``);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

function readYamlMap(what: string, path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the ${what} file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    throw new UsageError(`the ${what} file ${path} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new UsageError(`the ${what} file ${path} must be a mapping of id: value`);
  return value as Record<string, unknown>;
}

/** A YAML map, or dotenv-style KEY=VALUE lines. */
function readSecretsFile(path: string): Record<string, string> {
  const text = (() => {
    try {
      return readFileSync(path, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read the secrets file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  })();
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
  if (lines.length > 0 && lines.every((l) => /^\s*(export\s+)?[A-Za-z_][A-Za-z0-9_]*=/.test(l))) {
    return Object.fromEntries(lines.map((l) => {
      const [, key, raw] = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(l)!;
      return [key!, raw!.replace(/^(['"])(.*)\1$/, '$2')];
    }));
  }
  return Object.fromEntries(Object.entries(readYamlMap('secrets', path)).map(([k, v]) => [k, String(v)]));
}

function safeUser(): string {
  try {
    return process.env.USER || userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** Sortable and readable: 20261123-071502-3fa9c1 */
function newRunId(): string {
  const iso = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${iso}-${randomBytes(3).toString('hex')}`;
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
