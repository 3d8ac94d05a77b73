import { dirname, resolve } from 'node:path';
import { hasErrors } from '../../engine/document/diagnostic.js';
import type { RunMode } from '../../engine/run/events.js';
import { headlessResponder } from '../../engine/run/headless-responder.js';
import { availableSecrets, PrepareError, prepareInputs, prepareSecrets } from '../../engine/run/prepare.js';
import { resolveTargets } from '../../engine/run/targets.js';
import { targetLocation } from '../../engine/store/open.js';
import { chooseProfile, profileInputs, profileTargets, runProfile } from '../../engine/run/profile.js';
import { formatText } from '../../renderers/diagnostics.js';
import { parse } from '../args.js';
import { EXIT, UsageError, wantsColor, type Command, type Io } from '../command.js';
import { drawFirstFrame } from '../first-frame.js';
import { interactiveWanted, loadInteractive } from '../interactive-wanted.js';
import { checkCached, loadRunbook } from '../load.js';
import { runSession } from '../run-session.js';
import { locateRunStore } from '../store-access.js';
import { newRunId, pairs, parallelOption, RUN_OPTIONS, reportOptions, safeUser } from '../run-options.js';
import { scopeFor, SCOPE_OPTIONS, scopeRequest } from '../scope-option.js';
import { sessionRequest } from '../session-request.js';

export const run: Command = {
  name: 'run',
  help: `Usage: stepwise run FILE [options]

Runs a runbook step by step. Headless runs (CI, drills, scripts) answer gates from
--answers and --yes and stop with exit 3 at a gate they cannot answer.

Options:
  --headless             run without the terminal UI (it opens when stdin and stdout
                         are terminals, unless --json, --dry-run or CI is set)
  --input k=v            an input value (repeatable)
  --target name=url      override a target's URL or path (repeatable)
  --profile NAME         use one of the runbook's environment profiles (profiles: in its
                         frontmatter): its targets and input values; --target and --input
                         still win over it
  --secrets FILE         secret values (YAML map or KEY=VALUE lines)
  --answers FILE         answers for confirms and inputs (YAML: id: yes | {answer, phrase} | value)
  --yes                  confirm every gate that is not a danger gate
  --allow-writes         run side effects (writing SQL, non-GET HTTP, scripts not
                         marked readonly) that no confirm guards
  --dry-run              show every step rendered with the values known (SQL with its bind
                         values, a script with its environment values); execute nothing
  --from SECTION         start at a section (a heading's slug or text): the steps above it
                         are recorded as skipped, "not in scope"
  --only SECTION         run just that section and the sub-sections under it
  --parallel N           run up to N independent read-only steps at once (default 1)
  --operator NAME        who runs it (default: the OS user)
  --verbose              show each step's result under its line (rows, status and body,
                         output's last lines), and what a failed step ran
  --json                 print events as NDJSON on stdout (the report goes to stderr)
  --store PATH-or-URL    where the transcript goes (default: the nearest .stepwise/stepwise.db
                         upwards, else ./.stepwise/stepwise.db; or $STEPWISE_STORE)
  --sign-key FILE        sign the transcript's head with this ed25519 key (stepwise keygen)
  --force                run even though the same runbook is running against the same targets
  --report FORMAT=FILE   when the run ends, however it ends, write a report of its transcript
                         (repeatable; FORMAT: md, html, junit, json, notebook; see stepwise render)
  -h, --help             this help

Every run records a hash-chained, secret-free transcript; the last line names its run id
and final digest (see: stepwise runs, show, verify, export, resume).

Exit codes: 0 passed, 1 a step failed, 2 invalid runbook or cannot load,
3 a gate was declined or had no answer (or the runbook is already running),
4 usage error, 5 interrupted (resume can continue).`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, { ...RUN_OPTIONS, ...SCOPE_OPTIONS, 'dry-run': { type: 'boolean' } });
    if (positionals.length !== 1) throw new UsageError('name one runbook: stepwise run FILE');
    const file = positionals[0]!;
    const parallel = parallelOption(values.parallel);
    const reports = await reportOptions(values.report);
    const scopeAsked = scopeRequest(values);
    const store = locateRunStore(values.store, io);
    const inputs = pairs('input', values.input);
    // On a terminal the run opens the terminal UI; loading it starts now, while the runbook is checked.
    const tui = interactiveWanted(io, { headless: values.headless, json: values.json, dryRun: values['dry-run'] })
      ? loadInteractive()
      : undefined;
    tui?.catch(() => {});
    const overrides = pairs('target', values.target);
    const answers = values.answers ? (await import('../option-files.js')).readYamlMap('answers', values.answers) : {};
    const secretFile = values.secrets ? (await import('../option-files.js')).readSecretsFile(values.secrets) : {};

    const loaded = loadRunbook(file);
    if (!loaded.ok)
      return fail(
        io,
        formatText([{ file, diagnostics: [loaded.diagnostic] }], wantsColor(io.stderr, io.env)),
        EXIT.invalid,
      );
    // A runbook unchanged since it was last checked here is not parsed again (.stepwise/cache/). A run
    // that will create .stepwise/ for its store anyway (the default store: no --store, no
    // STEPWISE_STORE, none found upwards) may create the cache there too.
    const create = store.from === 'default';
    const checked = await checkCached(loaded.source, file, { cwd: io.cwd, use: true, create });
    if (hasErrors(checked.diagnostics)) {
      const errors = checked.diagnostics.filter((d) => d.severity === 'error');
      return fail(
        io,
        `${formatText([{ file, diagnostics: errors }], wantsColor(io.stderr, io.env))}stepwise run: the runbook has ${errors.length} error${errors.length === 1 ? '' : 's'}; nothing was run\n`,
        EXIT.invalid,
      );
    }
    const { document, graph } = checked;
    // --from/--only: before anything runs, every in-scope step that needs a step left out is an error.
    const scoped = scopeFor(file, document, graph, scopeAsked, tui ? { interactive: true } : { given: answers });
    if ('error' in scoped) return fail(io, scoped.error, EXIT.usage);
    for (const { id, why } of tui ? [] : (scoped.scope?.pulledIn ?? []))
      io.stderr.write(`stepwise: \`${id}\` runs although it is outside the scope: ${why}\n`);
    const mode: RunMode = values['dry-run'] ? 'dry-run' : 'headless';
    let prepared;
    try {
      // The runbook's definitions, then the profile's, then --target and --input.
      const profile = chooseProfile(document.frontmatter, values.profile);
      const targets = resolveTargets(
        profileTargets(document.frontmatter.targets, profile),
        overrides,
        io.env,
        dirname(resolve(file)),
      );
      const given = { ...profileInputs(profile), ...inputs };
      prepared = {
        targets,
        profile: runProfile(profile),
        given,
        // The terminal UI asks for the inputs not given (defaults offered) before it checks them.
        inputs: tui ? {} : prepareInputs(document.frontmatter.inputs, given),
        // A dry run fetches nothing (no secret commands) and needs no secret set, but masks those it can see.
        secrets:
          mode === 'dry-run'
            ? availableSecrets(document.frontmatter.secrets, io.env, secretFile)
            : prepareSecrets(document.frontmatter.secrets, io.env, secretFile),
      };
    } catch (error) {
      const code = error instanceof PrepareError ? error.exitCode : EXIT.invalid;
      return fail(io, `stepwise run: ${(error as Error).message}\n`, code);
    }
    const operator = values.operator ?? safeUser();
    const runId = newRunId();
    // On a terminal, the header and outline are on screen now, while the terminal UI loads.
    if (tui) drawFirstFrame(io, document, graph, runId, operator, prepared.profile?.name);
    const session = sessionRequest({
      io,
      file,
      source: loaded.source,
      document,
      graph,
      runId,
      operator,
      storeLocation: targetLocation(store),
      secrets: prepared.secrets,
      targets: prepared.targets,
      ...(prepared.profile ? { profile: prepared.profile } : {}),
      answers,
      flags: values,
      parallel,
      reports,
      ...(scoped.scope ? { scope: scoped.scope } : {}),
    });
    if (tui)
      return (await tui).runInteractive({
        ...session,
        givenInputs: prepared.given,
        ask: Object.keys(document.frontmatter.inputs).filter((name) => !Object.hasOwn(prepared.given, name)),
      });
    return runSession({
      ...session,
      mode,
      inputs: prepared.inputs,
      responder: headlessResponder(answers, values.yes === true, operator),
    });
  },
};

function fail(io: Io, message: string, code: number): number {
  io.stderr.write(message);
  return code;
}
