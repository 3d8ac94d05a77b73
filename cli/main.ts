/**
 * The `stepwise` command: dispatches to one command module, loaded only when named, so that
 * `check` never loads the TUI, database drivers or the sandbox.
 */
import { EXIT_MEANING } from '../engine/run/exit-codes.js';
import { EXIT, UsageError, type Command, type Io } from './command.js';
import { closest } from '../engine/document/suggest.js';
import { VERSION } from './version.js';

const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  check: {
    summary: 'validate runbooks: file:line:col diagnostics',
    load: async () => (await import('./commands/check.js')).check,
  },
  run: {
    summary: 'run a runbook headless: --input, --answers, --yes, --dry-run, --verbose, --json',
    load: async () => (await import('./commands/run.js')).run,
  },
  demo: {
    summary: 'run the demo runbook end to end: embedded SQLite, loopback HTTP, nothing to install',
    load: async () => (await import('./commands/demo.js')).demo,
  },
  drill: {
    summary: 'run a runbook against its fixture in every scenario and check what each expects',
    load: async () => (await import('./commands/drill.js')).drill,
  },
  graph: {
    summary: 'print the step graph (text, mermaid, dot, json)',
    load: async () => (await import('./commands/graph.js')).graph,
  },
  resume: {
    summary: 'continue an interrupted or stopped run from its transcript',
    load: async () => (await import('./commands/resume.js')).resume,
  },
  runs: { summary: 'list recorded runs', load: async () => (await import('./commands/runs.js')).runs },
  show: {
    summary: "print a run's transcript as a timeline (--follow tails a live run)",
    load: async () => (await import('./commands/show.js')).show,
  },
  verify: {
    summary: "check a transcript's hash chain and signed heads; print its final digest",
    load: async () => (await import('./commands/verify.js')).verify,
  },
  export: {
    summary: 'write a transcript as JSON Lines that verify on their own',
    load: async () => (await import('./commands/export.js')).exportRun,
  },
  render: {
    summary: 'render a recorded run as a report: md, html, junit, json, notebook',
    load: async () => (await import('./commands/render.js')).render,
  },
  import: {
    summary: 'turn a plain-Markdown runbook into an annotated draft (steps inserted, prose kept)',
    load: async () => (await import('./commands/import.js')).importCommand,
  },
  keygen: {
    summary: 'write an ed25519 key pair for signing transcript heads',
    load: async () => (await import('./commands/keygen.js')).keygen,
  },
};

const HELP = `stepwise ${VERSION}: executable Markdown runbooks

Usage: stepwise COMMAND [options]

Commands:
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join('\n')}

Run \`stepwise COMMAND --help\` for a command's options.
Exit codes:
${(Object.keys(EXIT) as (keyof typeof EXIT)[]).map((k) => `  ${EXIT[k]}  ${EXIT_MEANING[k]}`).join('\n')}`;

export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout).write(`${HELP}\n`);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    io.stdout.write(`${VERSION}\n`);
    return EXIT.ok;
  }
  const entry = commands[name];
  if (entry === undefined) {
    const hint = closest(name, Object.keys(commands));
    io.stderr.write(
      `stepwise: unknown command \`${name}\`${hint ? `; did you mean \`${hint}\`?` : ''}\nRun \`stepwise --help\` for the commands.\n`,
    );
    return EXIT.usage;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`${command.help}\n`);
    return EXIT.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`stepwise ${name}: ${error.message}\nRun \`stepwise ${name} --help\` for usage.\n`);
      return EXIT.usage;
    }
    throw error;
  }
}
