/**
 * The step kinds, by directive name: each kind's spec, loaded with this module, and its handler,
 * loaded by `import()` only when a run has a step of that kind, so that `check` loads no driver,
 * runner or store code (test/structure/check-modules.test.ts holds it to that).
 *
 * Adding a step kind is a folder `engine/steps/<kind>/` with its `spec.ts` (a StepSpec,
 * engine/document/step-spec.ts: attributes, label and body, result fields, whether it has an
 * effect, the target capability it needs, and the hooks the parser, the graph and the runner ask
 * instead of naming kinds) and its `handler.ts` (a StepHandler, ./handler.ts: plan, record,
 * execute), and one line below.
 */
import type { StepSpec, StepSpecs } from '../document/step-spec.js';
import type { StepHandler } from './handler.js';
import { assertSpec } from './assert/spec.js';
import { confirmSpec } from './confirm/spec.js';
import { httpSpec } from './http/spec.js';
import { includeSpec } from './include/spec.js';
import { inputSpec } from './input/spec.js';
import { noteSpec } from './note/spec.js';
import { setSpec } from './set/spec.js';
import { shellSpec } from './shell/spec.js';
import { sqlSpec } from './sql/spec.js';
import { waitSpec } from './wait/spec.js';

/** A kind's handler, whatever its plan: the runner passes each plan back to the handler that made it. */
export type AnyStepHandler = StepHandler<unknown>;

interface Kind {
  spec: StepSpec;
  handler: () => Promise<AnyStepHandler>;
}

const kinds = {
  sql: { spec: sqlSpec, handler: async () => (await import('./sql/handler.js')).sqlHandler },
  http: { spec: httpSpec, handler: async () => (await import('./http/handler.js')).httpHandler },
  shell: { spec: shellSpec, handler: async () => (await import('./shell/handler.js')).shellHandler },
  confirm: { spec: confirmSpec, handler: async () => (await import('./confirm/handler.js')).confirmHandler },
  input: { spec: inputSpec, handler: async () => (await import('./input/handler.js')).inputHandler },
  assert: { spec: assertSpec, handler: async () => (await import('./assert/handler.js')).assertHandler },
  wait: { spec: waitSpec, handler: async () => (await import('./wait/handler.js')).waitHandler },
  set: { spec: setSpec, handler: async () => (await import('./set/handler.js')).setHandler },
  note: { spec: noteSpec, handler: async () => (await import('./note/handler.js')).noteHandler },
  include: { spec: includeSpec, handler: async () => (await import('./include/handler.js')).includeHandler },
} as const satisfies Record<string, Kind>;

export type StepKind = keyof typeof kinds;

export const STEP_KINDS = Object.keys(kinds) as StepKind[];

/** Every kind's spec, by name: what the parser is given (engine/document/parse.ts `specs`). */
export const stepSpecs: StepSpecs = Object.fromEntries(STEP_KINDS.map((kind) => [kind, kinds[kind].spec]));

export function isStepKind(name: string): name is StepKind {
  return Object.hasOwn(kinds, name);
}

/** The spec of a step's kind (a step's kind is always one the parser was given). */
export function stepSpec(kind: string): StepSpec {
  if (!isStepKind(kind)) throw new Error(`unknown step kind \`${kind}\``);
  return kinds[kind].spec;
}

/** The handlers of the given kinds, each loaded once (their drivers with them). */
export async function loadHandlers(wanted: Iterable<string>): Promise<Map<string, AnyStepHandler>> {
  const handlers = new Map<string, AnyStepHandler>();
  for (const kind of new Set(wanted)) {
    if (!isStepKind(kind)) throw new Error(`unknown step kind \`${kind}\``);
    handlers.set(kind, await kinds[kind].handler());
  }
  return handlers;
}
