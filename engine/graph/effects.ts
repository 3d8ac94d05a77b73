/**
 * Which steps have side effects, and so order the steps around them and need a confirm that
 * guards them (runbooks/README.md, "Safety defaults"). Each step kind decides in its spec; a kind
 * whose spec does not say is taken to change something, so a new kind fails safe.
 */
import type { Step } from '../document/model.js';
import { stepSpec } from '../steps/registry.js';
import type { StepGraph } from './model.js';

/** An ordering barrier: a side effect, or a gate (a confirm or input waits for a person). */
export function hasEffect(step: Step): boolean {
  const spec = stepSpec(step.kind);
  return spec.gate === true || (spec.effect ? spec.effect(step) : true);
}

/** A gate asks a person; it changes nothing itself and needs no guard. */
export function isGate(step: Step): boolean {
  return stepSpec(step.kind).gate === true;
}

/** The side effects no confirm guards (check warns; a headless run refuses them without --allow-writes). */
export function unguardedEffects(steps: readonly Step[], graph: StepGraph): Step[] {
  const unguarded = new Set(graph.nodes.filter((n) => n.sideEffect && n.guardedBy.length === 0).map((n) => n.id));
  return steps.filter((s) => unguarded.has(s.id));
}

/**
 * What a step changes, for messages: its kind's spec says (`writes`, `runs a script, which may
 * change something`), or the step itself when it says more (SQL taken to write only because
 * Stepwise did not recognise it).
 */
export function whatItChanges(step: Step): string {
  const spec = stepSpec(step.kind);
  return spec.changesHere?.(step) ?? spec.changes ?? 'has side effects';
}
