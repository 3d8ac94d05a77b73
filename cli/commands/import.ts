import { writeFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { DraftChecked } from '../../engine/import/import.js';
import { planImport } from '../../engine/import/plan-import.js';
import { settleAsync } from '../../engine/import/settle.js';
import { FileReadError, readTextFile } from '../../engine/io/read-bounded.js';
import { formatText } from '../../renderers/diagnostics.js';
import { parse } from '../args.js';
import { EXIT, UsageError, wantsColor, type Command } from '../command.js';
import { checkCached, loadRunbook } from '../load.js';

export const importCommand: Command = {
  name: 'import',
  help: `Usage: stepwise import PLAIN.md [-o OUT.md] [--targets FILE] [--dry-run]

Writes an annotated draft of a plain-Markdown runbook: every original line stays as
it was, and directives are inserted after what can run:
  - SQL blocks and psql/sqlite3 one-liners become sql steps (a confirm before
    writes; a danger confirm when the text says dangerous/emergency or an UPDATE or
    DELETE has no WHERE);
  - curl, Invoke-WebRequest and \`GET /path\` lines become http steps (an
    "Expected:" block after them becomes an assert);
  - other shell blocks become shell steps (a confirm before anything not read-only);
    watch/until loops become waits; checklists (- [ ]) become confirms;
  - placeholders (<plan_id>, user-id-here, {id}) become inputs; $TOKEN, Bearer
    tokens and API keys become declared secrets, never literals.
What it cannot map stays prose, listed with its line in a comment at the top.
A runbook that already has steps (or is already a draft) is left as it is.

Options:
  -o, --output FILE   write the draft there (default: stdout)
  --targets FILE      targets to use (a YAML map, as under \`targets:\` in a runbook's
                      frontmatter) instead of the ones inferred from the runbook
  --dry-run           print the planned steps and what stays prose, with line
                      numbers; write nothing
  --no-cache          check the draft again: neither read nor write check's cache
                      (.stepwise/cache/ of the working folder, safe to delete)
  -h, --help          this help

Then: stepwise check OUT.md, review the steps, stepwise run OUT.md --dry-run.

Exit codes: 0 written (or planned), 2 the file cannot be read, 4 usage error.`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, {
      output: { type: 'string', short: 'o' },
      targets: { type: 'string' },
      'dry-run': { type: 'boolean' },
      'no-cache': { type: 'boolean' },
    });
    if (positionals.length !== 1) throw new UsageError('name one plain runbook: stepwise import PLAIN.md');
    const file = positionals[0]!;
    const loaded = loadRunbook(file);
    if (!loaded.ok) {
      io.stderr.write(formatText([{ file, diagnostics: [loaded.diagnostic] }], wantsColor(io.stderr, io.env)));
      return EXIT.invalid;
    }
    let targets: Record<string, unknown> | undefined;
    if (values.targets !== undefined) {
      let text: string;
      try {
        text = readTextFile(values.targets, { what: 'targets file' });
      } catch (error) {
        if (!(error instanceof FileReadError)) throw error;
        io.stderr.write(`stepwise import: ${error.message}\n`);
        return EXIT.invalid;
      }
      let value: unknown;
      try {
        value = parseYaml(text);
      } catch (error) {
        throw new UsageError(`--targets ${values.targets} is not YAML: ${(error as Error).message.split('\n')[0]}`);
      }
      if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'targets' in value)
        value = (value as { targets: unknown }).targets;
      if (value === null || typeof value !== 'object' || Array.isArray(value))
        throw new UsageError(`--targets ${values.targets} must be a YAML map of target names to targets`);
      targets = value as Record<string, unknown>;
    }
    // checked where it will be: `stepwise check OUT.md` then finds this check in the cache
    const path = values.output ?? file;
    const planned = planImport(loaded.source, { path, ...(targets === undefined ? {} : { targets }) });
    const result =
      'result' in planned
        ? planned.result
        : await settleAsync(planned.plan, path, values['no-cache'] === true ? checkAfresh : cachedCheck(io.cwd));
    if (values['dry-run'] === true) {
      const out: string[] = [];
      if (result.note !== null && result.steps.length === 0) out.push(`${file}: ${result.note}`);
      for (const s of result.steps) out.push(`${file}:${s.line}: ${s.kind} #${s.id}  ${s.what}`);
      for (const l of result.leftovers) out.push(`${file}:${l.line}: stays prose: ${l.why}`);
      for (const r of result.review) out.push(`${file}:${r.line}: review: ${r.why}`);
      out.push(
        `${result.steps.length} step${result.steps.length === 1 ? '' : 's'} planned, ${result.leftovers.length} place${result.leftovers.length === 1 ? '' : 's'} left as prose`,
      );
      io.stdout.write(`${out.join('\n')}\n`);
      return EXIT.ok;
    }
    if (values.output !== undefined) {
      writeFileSync(values.output, result.text);
      io.stderr.write(
        `${values.output}: ${result.changed ? `${result.steps.length} steps, ${result.leftovers.length} places left as prose (listed at the top)` : (result.note ?? 'unchanged')}\n`,
      );
    } else {
      io.stdout.write(result.text);
      if (!result.changed && result.note !== null) io.stderr.write(`stepwise import: ${result.note}\n`);
    }
    return EXIT.ok;
  },
};

/**
 * The draft checked as `check` checks a runbook, through its cache (.stepwise/cache/ of the
 * working folder, cli/load.ts). A draft checked before (the same import again, or a --dry-run
 * with the same -o) is not parsed again, and neither is the draft by `stepwise check OUT.md` or
 * `run` after it, unless check warned about a step (the comment then lists the warning, so the
 * text written is not the text checked). Measured on the 41 KB seed, whose draft is 74 KB: the
 * check is about half of an import.
 */
function cachedCheck(cwd: string): (text: string, path: string) => Promise<DraftChecked> {
  return (text, path) => checkCached(text, path, { cwd, use: true, create: true });
}

/** checkSource, loaded only now (with the expression parser and the rules it needs); no include is read. */
async function checkAfresh(text: string, path: string) {
  const { checkSource } = await import('../../engine/check/check.js');
  return checkSource(text, path, (file) => {
    throw Object.assign(new Error(`not read during import: ${file}`), { code: 'ENOENT' });
  });
}
