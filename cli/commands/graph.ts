import { checkSource } from '../../engine/check/check.js';
import { hasErrors } from '../../engine/document/diagnostic.js';
import { formatText } from '../../renderers/diagnostics.js';
import { graphFormats, type GraphFormatName } from '../../renderers/graph/index.js';
import { oneOf, parse } from '../args.js';
import { EXIT, UsageError, wantsColor, type Command } from '../command.js';
import { loadRunbook } from '../load.js';

export const graph: Command = {
  name: 'graph',
  help: `Usage: stepwise graph FILE [--format text|mermaid|dot|json]

Prints the runbook's step graph: which step uses which step's results, and the
ordering around side effects (shell, confirm, input, writing sql, non-GET http).

Options:
  --format text|mermaid|dot|json   default text; json is
                                   { "nodes": [{ "id", "kind", "line", ... }], "edges": [{ "from", "to", "why" }] }
  -h, --help                       this help

Exit codes: 0 printed, 2 the runbook has errors (printed on stderr), 4 usage error.`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, { format: { type: 'string' } });
    const format = oneOf('format', values.format, Object.keys(graphFormats) as GraphFormatName[], 'text');
    if (positionals.length !== 1) throw new UsageError('name one runbook: stepwise graph FILE');
    const file = positionals[0]!;
    const loaded = loadRunbook(file);
    if (!loaded.ok) {
      io.stderr.write(formatText([{ file, diagnostics: [loaded.diagnostic] }], wantsColor(io.stderr, io.env)));
      return EXIT.invalid;
    }
    const result = checkSource(loaded.source, file);
    if (hasErrors(result.diagnostics)) {
      io.stderr.write(
        formatText(
          [{ file, diagnostics: result.diagnostics.filter((d) => d.severity === 'error') }],
          wantsColor(io.stderr, io.env),
        ),
      );
      return EXIT.invalid;
    }
    io.stdout.write(graphFormats[format].render(result.graph, result.document.title));
    return EXIT.ok;
  },
};
