import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { checkSource } from '../../engine/check/check.js';
import { hasErrors } from '../../engine/document/diagnostic.js';
import { headlessResponder } from '../../engine/run/headless-responder.js';
import { PrepareError, prepareInputs, prepareSecrets } from '../../engine/run/prepare.js';
import { resumeState } from '../../engine/run/resume-state.js';
import { formatScopeProblem, recordedScope } from '../../engine/run/scope.js';
import { resolveTargets } from '../../engine/run/targets.js';
import { profileTargets, recordedProfile, runProfile } from '../../engine/run/profile.js';
import { readTextFile } from '../../engine/io/read-bounded.js';
import { storeLocation } from '../../engine/store/open.js';
import { verifyChain, type ChainedEvent } from '../../engine/transcript/chain.js';
import { formatText } from '../../renderers/diagnostics.js';
import { parse } from '../args.js';
import { EXIT, UsageError, wantsColor, type Command } from '../command.js';
import { pairs, parallelOption, RUN_OPTIONS, reportOptions, safeUser } from '../run-options.js';
import { sessionRequest } from '../session-request.js';
import { runSession } from '../run-session.js';
import { AccessError, findRun, openStoreFor } from '../store-access.js';
import { interactiveWanted, loadInteractive } from '../interactive-wanted.js';

export const resume: Command = {
  name: 'resume',
  help: `Usage: stepwise resume RUN [options]

Continues a run after its last finished step, in the same transcript: the steps that
passed are not run again (later steps see their recorded results), the rest run as in
\`stepwise run\`. The runbook is the source recorded when the run started, not the file
as it is now. A step that started and never finished (the run was killed mid-step) is
recorded \`interrupted\`; it, and a side-effecting step that was cancelled or timed out
after it started, may have taken effect, so it runs again only after a confirm
(--yes never implies it); headless, that needs
  rerun:
    STEP_ID: yes
in the --answers file (exit 3 otherwise). A step marked \`idempotent\` runs again
without asking. RUN is a run id, a unique prefix of one, or \`last\`.

Options: --answers FILE, --yes, --secrets FILE, --input k=v, --target name=url,
--allow-writes, --parallel N, --operator NAME, --verbose, --json, --sign-key FILE, --force,
--report FORMAT=FILE and --store PATH-or-URL, as for \`stepwise run\` (a report covers the whole
run, before and after the resume). Inputs are those the run started with
(give a secret input again with --input). A run started with --from or --only keeps its scope.
The run keeps the profile it started with (--profile may only repeat it); a profile marked
confirm-start asks again.

Exit codes: as for \`stepwise run\`; 6 if the transcript does not verify (it is not resumed).`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, RUN_OPTIONS);
    if (positionals.length !== 1) throw new UsageError('name one run: stepwise resume RUN (see stepwise runs)');
    const parallel = parallelOption(values.parallel);
    const reports = await reportOptions(values.report);
    const givenInputs = pairs('input', values.input);
    const overrides = pairs('target', values.target);
    const answers = values.answers ? (await import('../option-files.js')).readYamlMap('answers', values.answers) : {};
    const secretFile = values.secrets ? (await import('../option-files.js')).readSecretsFile(values.secrets) : {};
    const location = storeLocation(values.store, io.env, io.cwd);
    let runId: string;
    let events: ChainedEvent[];
    let live: boolean;
    try {
      const store = await openStoreFor(io, location);
      try {
        runId = await findRun(store, positionals[0]!);
        events = await store.events(runId);
        live = (await store.liveRuns([runId])).has(runId);
      } finally {
        await store.close();
      }
    } catch (error) {
      if (!(error instanceof AccessError)) throw error;
      io.stderr.write(`stepwise resume: ${error.message}\n`);
      return error.exitCode;
    }
    if (live) {
      // Two processes appending to one transcript would break it, whatever --force says.
      io.stderr.write(
        `stepwise resume: run ${runId} is still running in another process; follow it with \`stepwise show ${runId} --follow\`, or resume it once it has stopped\n`,
      );
      return EXIT.declined;
    }
    const verdict = verifyChain(events);
    if (!verdict.ok) {
      io.stderr.write(
        `stepwise resume: run ${runId} does not verify (seq ${verdict.broken.seq}: ${verdict.broken.reason}); it is not resumed\n`,
      );
      return EXIT.unverified;
    }
    const state = resumeState(events);
    if (state.finishedRun?.status === 'passed') {
      io.stderr.write(`stepwise resume: run ${runId} already finished and passed; nothing to resume\n`);
      return EXIT.ok;
    }
    const started = events[0]!;
    if (started.type !== 'run.started') throw new Error('unreachable: a verified chain starts with run.started');
    const { path: file, sha256 } = started.data.runbook;
    // The transcript's copy of the source has its secrets masked; the file itself, when it is still
    // exactly what ran (same sha256), is the runbook as written.
    const source = unchangedSource(resolve(io.cwd, file), sha256) ?? started.data.runbook.source;
    let checked = checkSource(source, file);
    // A run recorded before generated ids came from step content names its steps `section-slug-N`:
    // read the runbook that way too, or its finished steps would look unrun and run again.
    const recorded = [...state.finished.keys(), ...state.uncertain.keys()];
    const known = (c: typeof checked): boolean => {
      const ids = new Set(c.document.steps.map((s) => s.id));
      return recorded.every((id) => ids.has(id));
    };
    if (!known(checked)) {
      const legacy = checkSource(source, file, undefined, 'position');
      if (known(legacy)) checked = legacy;
    }
    if (hasErrors(checked.diagnostics)) {
      io.stderr.write(
        `${formatText([{ file, diagnostics: checked.diagnostics.filter((d) => d.severity === 'error') }], wantsColor(io.stderr, io.env))}stepwise resume: the recorded runbook no longer loads here (an included file changed?); nothing was run\n`,
      );
      return EXIT.invalid;
    }
    const { document, graph } = checked;
    // A run started at a section (--from/--only) goes on in the same scope.
    const scoped = started.data.scope ? recordedScope(document, graph, started.data.scope) : undefined;
    if (scoped && !scoped.ok) {
      io.stderr.write(
        `${scoped.problems.map((p) => formatScopeProblem(p, file)).join('')}stepwise resume: the scope the run recorded no longer fits the runbook; nothing was run\n`,
      );
      return EXIT.invalid;
    }
    // On a terminal the run reopens in the terminal UI, which asks again for the secret inputs not given.
    const tui = interactiveWanted(io, { headless: values.headless, json: values.json }) ? loadInteractive() : undefined;
    let ask: string[] = [];
    let prepared;
    try {
      // A secret input was recorded masked: it must be given again, never replayed as the mask.
      const secretInputs = Object.entries(document.frontmatter.inputs)
        .filter(([, d]) => d.type === 'secret')
        .map(([name]) => name);
      const missing = secretInputs.filter(
        (name) => state.inputs[name] !== undefined && givenInputs[name] === undefined,
      );
      if (tui) ask = missing;
      else if (missing.length > 0)
        throw new PrepareError(
          `${missing.map((n) => `\`${n}\``).join(', ')} ${missing.length === 1 ? 'is a secret input' : 'are secret inputs'}, recorded masked: give ${missing.length === 1 ? 'it' : 'them'} again with ${missing.map((n) => `--input ${n}=...`).join(' ')}`,
          EXIT.usage,
        );
      const recorded = Object.fromEntries(
        Object.entries(state.inputs)
          .filter(([k]) => !secretInputs.includes(k))
          .map(([k, v]) => [k, String(v)]),
      );
      const profile = recordedProfile(document.frontmatter, started.data.profile, values.profile);
      prepared = {
        profile: runProfile(profile),
        targets: resolveTargets(
          profileTargets(document.frontmatter.targets, profile),
          overrides,
          io.env,
          dirname(resolve(io.cwd, file)),
        ),
        given: { ...recorded, ...givenInputs },
        inputs: tui ? {} : prepareInputs(document.frontmatter.inputs, { ...recorded, ...givenInputs }),
        secrets: prepareSecrets(document.frontmatter.secrets, io.env, secretFile),
      };
    } catch (error) {
      io.stderr.write(`stepwise resume: ${(error as Error).message}\n`);
      return error instanceof PrepareError ? error.exitCode : EXIT.invalid;
    }
    const operator = values.operator ?? safeUser();
    const session = sessionRequest({
      io,
      file,
      source,
      document,
      graph,
      runId,
      operator,
      secrets: prepared.secrets,
      targets: prepared.targets,
      ...(prepared.profile ? { profile: prepared.profile } : {}),
      answers,
      flags: values,
      parallel,
      reports,
      storeLocation: location,
      resume: { state, events },
      ...(scoped?.ok ? { scope: scoped.scope } : {}),
    });
    if (tui)
      return (await tui).runInteractive({
        ...session,
        givenInputs: prepared.given,
        ask,
      });
    return runSession({
      ...session,
      mode: 'headless',
      inputs: prepared.inputs,
      responder: headlessResponder(answers, values.yes === true, operator),
    });
  },
};

/** The file's text if it still hashes to what the run recorded, else null. */
function unchangedSource(path: string, sha256: string): string | null {
  try {
    const text = readTextFile(path, { what: 'runbook file' });
    return createHash('sha256').update(text).digest('hex') === sha256 ? text : null;
  } catch {
    return null;
  }
}
