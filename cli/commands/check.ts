import { checkSource } from '../../engine/check/check.js';
import { hasErrors } from '../../engine/document/diagnostic.js';
import { formatJson, formatText, summary, type FileDiagnostics } from '../../renderers/diagnostics.js';
import { oneOf, parse } from '../args.js';
import { EXIT, UsageError, useColor, type Command } from '../command.js';
import { loadRunbook } from '../load.js';

export const check: Command = {
  name: 'check',
  summary: 'validate runbooks: file:line:col diagnostics, exit 2 on errors',
  help: `Usage: stepwise check FILE... [--format text|json] [--quiet]

Parses each runbook, builds its step graph and reports every problem at once:
  path:line:col: error|warning: message [rule]

Options:
  --format text|json   text for people (default), json for editors
  --quiet, -q          print errors only, no warnings or summary
  -h, --help           this help

Exit codes: 0 no errors (warnings allowed), 2 an error in any file, 4 usage error.`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, { format: { type: 'string' }, quiet: { type: 'boolean', short: 'q' } });
    const format = oneOf('format', values.format, ['text', 'json'] as const, 'text');
    if (positionals.length === 0) throw new UsageError('name at least one runbook: stepwise check FILE...');
    const results: FileDiagnostics[] = positionals.map((file) => {
      const loaded = loadRunbook(file);
      if (!loaded.ok) return { file, diagnostics: [loaded.diagnostic] };
      const { diagnostics } = checkSource(loaded.source, file);
      return { file, diagnostics: values.quiet ? diagnostics.filter((d) => d.severity === 'error') : diagnostics };
    });
    if (format === 'json') io.stdout.write(formatJson(results));
    else {
      io.stdout.write(formatText(results, useColor(io.stdout, io.env)));
      if (!values.quiet) io.stderr.write(`${summary(results)}\n`);
    }
    return results.some((r) => hasErrors(r.diagnostics)) ? EXIT.invalid : EXIT.ok;
  },
};
