/**
 * What a step kind is, statically: enough to parse and validate a step, place it in the graph,
 * and say what it does, without loading anything that runs it. Each kind's spec is
 * engine/steps/<kind>/spec.ts; engine/steps/registry.ts lists them, and the parser is given them
 * (ParseOptions `specs`), so the document imports nothing from steps/.
 */
import type { AttributeSpec } from './attribute-types.js';
import type { Step } from './model.js';

export interface StepSpec {
  kind: string;
  /** One line for `--help` and the format reference. */
  summary: string;
  /**
   * The fields of the step's result, as expressions read them (`stuck.rowCount`). A step that
   * did not pass (failed, skipped, not yet run) still has every one of them, as null, beside
   * `outcome` and `error` (engine/run/step-value.ts).
   */
  result: readonly string[];
  /** The result's fields when they depend on the step (`set`: the names it computes); else `result`. */
  resultFields?: (step: Step) => readonly string[];
  /**
   * Whether this step changes something (a writing statement, a non-GET request, a script), so
   * that it needs a confirm guarding it and orders the steps around it. Absent means yes: a kind
   * that forgets to say fails safe.
   */
  effect?: (step: Step) => boolean;
  /** What a side effect of this kind does, for messages: `writes`, `runs a script, which may change something`. */
  changes?: string;
  /**
   * What this step changes when it says more than `changes` (SQL taken to write only because
   * Stepwise did not recognise it: `is treated as a write (…)`); undefined: `changes` says it.
   */
  changesHere?: (step: Step) => string | undefined;
  /** How to say that a step of this kind changes nothing, for the unguarded-side-effect hint. */
  guardHint?: string;
  /** Only evaluates expressions (no driver, no person, no effect): a dry run runs it (`set`). */
  pure?: true;
  /** A gate (confirm, input): waits for a person, orders the steps around it, changes nothing itself. */
  gate?: true;
  /**
   * Its answer guards side effects (confirm): the ones that follow it in its section, and any
   * whose condition requires `id.answer` (engine/graph/guards.ts).
   */
  guard?: true;
  /**
   * The parser replaces it with what it names (include): its own step is in the document, but it
   * is no node of the graph, has no value in expressions, and never runs.
   */
  inlines?: true;
  /** The `step-ref` attribute naming a step this one re-runs (wait): it comes after it, and has its effect. */
  reruns?: string;
  /**
   * A resumed run replays a step that finished before from its recorded result, unless this says
   * the record cannot stand in for it (a secret input, recorded masked, is asked again).
   */
  notReplayed?: (step: Step) => boolean;
  attributes: Record<string, AttributeSpec>;
  /** Spec for attributes not listed (only `set`, whose attributes are its values). */
  anyAttribute?: AttributeSpec;
  /** Why a name cannot be one of the `anyAttribute` ones (`set`: it must read as `id.name`); null when it can. */
  anyAttributeName?: (name: string) => { message: string; hint: string } | null;
  /** Whether the `[label]` is required (confirm's question, assert's claim). */
  label: 'required' | 'optional';
  /** What a missing required label should be, for the message (default `the text to show`). */
  labelIs?: string;
  /**
   * What a container holds: `code`, exactly one fenced code block (SQL, HTTP request, script);
   * `markdown`, free text (a note's or a confirm's explanation); `none`, nothing.
   */
  content: 'code' | 'markdown' | 'none';
  /** For `code` kinds, the attribute that can carry the body in the leaf form instead. */
  leafBody?: string;
  /**
   * For `code` kinds whose leaf form runs without a `leafBody` (http: `path` or `url`): whether
   * this leaf step has something to run, and what to give it when not.
   */
  leafRuns?: { has: (step: Step) => boolean; what: string };
  /** For `code` kinds, what the fenced code block holds, for messages (`statement`, `request`, `script`). */
  codeIs?: string;
  /** One line saying what the step does, for the graph; undefined: the first line of its text or label. */
  describe?: (step: Step) => string | undefined;
  /**
   * The text a step without `{#id}` gets its id from, in the leaf form (engine/document/step-id.ts),
   * given its attributes as text; absent: the names of the attributes it was written with.
   */
  idText?: (attr: (name: string) => string) => string;
  /** What this step needs of a target (engine/targets/kind.ts `capability`); absent when it uses none. */
  target?: 'sql' | 'http';
  /** A step that names where it goes itself (an http step with an absolute URL) needs no target. */
  needsNoTarget?: (step: Step) => boolean;
}

/** The kinds the parser knows, by directive name (engine/steps/registry.ts `stepSpecs`). */
export type StepSpecs = Readonly<Record<string, StepSpec>>;

/** Attributes every step accepts. */
export const commonAttributes: Record<string, AttributeSpec> = {
  when: { type: 'expression', doc: 'run the step only when this expression is true (otherwise recorded as skipped)' },
  needs: { type: 'step-refs', doc: 'comma-separated step ids this step must come after' },
  'on-fail': { type: 'enum', values: ['stop', 'continue'], doc: 'what a failure does to the run (default stop)' },
  idempotent: { type: 'boolean', doc: 'safe to repeat when a run is resumed' },
  timeout: { type: 'duration', doc: 'time limit (default 30s), e.g. 500ms, 10s, 5m' },
  expect: {
    type: 'enum',
    values: ['pass', 'fail'],
    doc: '`fail`: the step is supposed to fail; it passes when it fails, and fails when it passes (default pass)',
  },
};

/**
 * `expect=pass|fail` is the common attribute on every kind, also where a kind has an `expect` of
 * its own (http's accepted statuses) or takes any name (`set`): there any other value is the
 * kind's own.
 */
export function isExpectation(name: string, value: string): boolean {
  return name === 'expect' && ['pass', 'fail'].includes(value.toLowerCase());
}

/** Names every step value has besides its kind's fields; a `set` step cannot use them. */
export const RESERVED_RESULT_NAMES = ['outcome', 'error'] as const;
