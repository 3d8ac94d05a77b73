/** `run --from SECTION` / `run --only SECTION`: parsed here; the scope itself is the engine's (engine/run/scope.ts). */
import type { RunbookDocument } from '../engine/document/model.js';
import type { StepGraph } from '../engine/graph/model.js';
import { formatScopeProblem, type RunScope, runScope, type ScopeRequest } from '../engine/run/scope.js';
import { UsageError } from './command.js';

export const SCOPE_OPTIONS = {
  from: { type: 'string' },
  only: { type: 'string' },
} as const;

/** The scope asked for, or undefined for the whole runbook; both options at once is a usage error. */
export function scopeRequest(flags: { from?: string; only?: string }): ScopeRequest | undefined {
  if (flags.from !== undefined && flags.only !== undefined)
    throw new UsageError(
      '--from and --only cannot be given together: --from runs from a section to the end, --only that section alone',
    );
  const name = flags.from ?? flags.only;
  if (name === undefined) return undefined;
  const option = flags.from !== undefined ? 'from' : 'only';
  if (name.trim() === '') throw new UsageError(`--${option} needs a section: a heading's slug or its text`);
  return option === 'from' ? { from: name } : { only: name };
}

/**
 * The run's scope, or what to print before exiting with a usage error (4). A SECTION that names
 * no heading, or more than one, is a usage error; in-scope steps that need steps left out are
 * listed each at its place.
 */
export function scopeFor(
  file: string,
  document: RunbookDocument,
  graph: StepGraph,
  request: ScopeRequest | undefined,
  answers: { given: Record<string, unknown> } | { interactive: true },
): { scope?: RunScope } | { error: string } {
  if (request === undefined) return {};
  const result =
    'interactive' in answers
      ? runScope(document, graph, request, {
          answerable: new Set(graph.nodes.map((n) => n.id)),
          answeredBy: 'the responder',
        })
      : runScope(document, graph, request, {
          answerable: new Set(Object.keys(answers.given).filter((id) => Object.hasOwn(answers.given, id))),
        });
  if (result.ok) return { scope: result.scope };
  const [first] = result.problems;
  if (first !== undefined && first.at === undefined) throw new UsageError(`${first.message}\n  ${first.hint}`);
  const flag = 'from' in request ? `--from "${request.from}"` : `--only "${request.only}"`;
  const count = result.problems.length;
  return {
    error: `${result.problems.map((p) => formatScopeProblem(p, file)).join('')}stepwise run: ${flag} leaves out what steps in scope need (${count} problem${count === 1 ? '' : 's'}); nothing was run\n`,
  };
}
