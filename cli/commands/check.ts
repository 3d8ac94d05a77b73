import { hasErrors, sortDiagnostics, type Diagnostic } from '../../engine/document/diagnostic.js';
import { formatJson, formatText, summary, type FileDiagnostics } from '../../renderers/diagnostics.js';
import { oneOf, parse } from '../args.js';
import { EXIT, UsageError, wantsColor, type Command } from '../command.js';
import { checkDiagnostics, loadRunbook } from '../load.js';

export const check: Command = {
  name: 'check',
  help: `Usage: stepwise check FILE... [--format text|json] [--quiet] [--secrets FILE]

Parses each runbook, builds its step graph and reports every problem at once:
  path:line:col: error|warning: message [rule]

Declared secrets set in the environment or in --secrets FILE are checked for length
(a secret under 8 characters is masked only as a whole word); only their lengths are
read, and a secret's command is never run.

Options:
  --format text|json   text for people (default), json for editors
  --quiet, -q          print errors only, no warnings or summary
  --secrets FILE       secret values, as \`run\` takes them, to check their lengths
  --no-cache           parse every runbook again: neither read nor write the cache
                       (.stepwise/cache/ of the working folder, safe to delete)
  -h, --help           this help

Exit codes: 0 no errors (warnings allowed), 2 an error in any file, 4 usage error,
70 an internal error (a bug in stepwise) on some file: it is reported as that file's
[internal-error] diagnostic, and every other file is still checked and reported.`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, {
      format: { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
      secrets: { type: 'string' },
      'no-cache': { type: 'boolean' },
    });
    const format = oneOf('format', values.format, ['text', 'json'] as const, 'text');
    if (positionals.length === 0) throw new UsageError('name at least one runbook: stepwise check FILE...');
    // Loaded only when needed: a cached check of a runbook without secrets loads little more than the CLI.
    const secretFile = values.secrets ? (await import('../option-files.js')).readSecretsFile(values.secrets) : {};
    let internal = false;
    const cache = { cwd: io.cwd, use: values['no-cache'] !== true, create: true };
    const results: FileDiagnostics[] = [];
    for (const file of positionals) results.push(await checkOne(file));
    async function checkOne(file: string): Promise<FileDiagnostics> {
      try {
        // No input is known to crash check; tests reach this path by naming a file here.
        if (io.env.STEPWISE_TEST_CHECK_FAULT === file) throw new Error('fault injected by STEPWISE_TEST_CHECK_FAULT');
        const loaded = loadRunbook(file);
        if (!loaded.ok) return { file, diagnostics: [loaded.diagnostic] };
        const checked = await checkDiagnostics(loaded.source, file, cache);
        const secrets = checked.secrets;
        const short =
          Object.keys(secrets).length === 0
            ? []
            : (await import('../../engine/check/short-secrets.js')).shortSecretWarnings(secrets, io.env, secretFile);
        const diagnostics = sortDiagnostics([...checked.diagnostics, ...short], file);
        return { file, diagnostics: values.quiet ? diagnostics.filter((d) => d.severity === 'error') : diagnostics };
      } catch (error) {
        // One file that breaks check must not hide what it found in the others.
        internal = true;
        io.stderr.write(
          `stepwise check: internal error on ${file}:\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
        );
        return { file, diagnostics: [internalError(file, error)] };
      }
    }
    if (format === 'json') io.stdout.write(formatJson(results));
    else {
      io.stdout.write(formatText(results, wantsColor(io.stdout, io.env)));
      if (!values.quiet) io.stderr.write(`${summary(results)}\n`);
    }
    if (internal) return EXIT_INTERNAL;
    return results.some((r) => hasErrors(r.diagnostics)) ? EXIT.invalid : EXIT.ok;
  },
};

/** EX_SOFTWARE, as the CLI exits on any internal error (cli/entry.ts). */
const EXIT_INTERNAL = 70;

function internalError(file: string, error: unknown): Diagnostic {
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
  return {
    severity: 'error',
    rule: 'internal-error',
    message: `stepwise failed while checking ${file} (${message}); this is a bug in Stepwise, not in the runbook: please report it, with the file if you can`,
    span: { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } },
    hint: 'the stack trace is on stderr',
  };
}
