/**
 * Attribute schemas: what each step kind accepts, and the typed values validation produces.
 * A step module declares its attributes with these; engine/document/attributes.ts validates them.
 */
import type { AttributeSpec } from '../document/attribute-types.js';
import type { Step } from '../document/model.js';

export type { AttributeSpec, AttributeType, AttributeValue, StatusRange } from '../document/attribute-types.js';

/** What a kind of step is, statically: enough to parse, validate and place it in the graph. */
export interface StepSpec {
  kind: string;
  /** One line for `--help` and the format reference. */
  summary: string;
  /**
   * The fields of the step's result, as expressions read them (`stuck.rowCount`). A step that
   * did not pass (failed, skipped, not yet run) still has every one of them, as null, beside
   * `outcome` and `error` (engine/run/step-value.ts). `set` adds its own names.
   */
  result: readonly string[];
  /**
   * Whether this step changes something (a writing statement, a non-GET request, a script), so
   * that it needs a confirm guarding it and orders the steps around it. Absent means yes: a kind
   * that forgets to say fails safe.
   */
  effect?: (step: Step) => boolean;
  /** What a side effect of this kind does, for messages: `writes`, `runs a script, which may change something`. */
  changes?: string;
  /** How to say that a step of this kind changes nothing, for the unguarded-side-effect hint. */
  guardHint?: string;
  /** Only evaluates expressions (no driver, no person, no effect): a dry run runs it (`set`). */
  pure?: true;
  /** A gate (confirm, input): waits for a person, orders the steps around it, changes nothing itself. */
  gate?: true;
  attributes: Record<string, AttributeSpec>;
  /** Spec for attributes not listed (only `set`, whose attributes are its values). */
  anyAttribute?: AttributeSpec;
  /** Whether the `[label]` is required (confirm's question, assert's claim). */
  label: 'required' | 'optional';
  /**
   * What a container holds: `code`, exactly one fenced code block (SQL, HTTP request, script);
   * `markdown`, free text (a note's or a confirm's explanation); `none`, nothing.
   */
  content: 'code' | 'markdown' | 'none';
  /** For `code` kinds, the attribute that can carry the body in the leaf form instead. */
  leafBody?: string;
  /** What this step needs of a target (engine/targets/kind.ts `capability`); absent when it uses none. */
  target?: 'sql' | 'http';
  /** A step that names where it goes itself (an http step with an absolute URL) needs no target. */
  needsNoTarget?: (step: Step) => boolean;
}

/** Attributes every step accepts. */
export const commonAttributes: Record<string, AttributeSpec> = {
  when: { type: 'expression', doc: 'run the step only when this expression is true (otherwise recorded as skipped)' },
  needs: { type: 'step-refs', doc: 'comma-separated step ids this step must come after' },
  'on-fail': { type: 'enum', values: ['stop', 'continue'], doc: 'what a failure does to the run (default stop)' },
  idempotent: { type: 'boolean', doc: 'safe to repeat when a run is resumed' },
  timeout: { type: 'duration', doc: 'time limit (default 30s), e.g. 500ms, 10s, 5m' },
};
