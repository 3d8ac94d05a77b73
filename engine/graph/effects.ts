/**
 * Which steps have side effects, and so order the steps around them and need a confirm that
 * guards them (runbooks/README.md, "Safety defaults"). Each step kind decides in its spec; a kind
 * whose spec does not say is taken to change something, so a new kind fails safe.
 */
import type { Step } from '../document/model.js';
import { stepSpec } from '../steps/registry.js';

/** An ordering barrier: a side effect, or a gate (a confirm or input waits for a person). */
export function hasEffect(step: Step): boolean {
  const spec = stepSpec(step.kind);
  return spec.gate === true || (spec.effect ? spec.effect(step) : true);
}

/** A gate asks a person; it changes nothing itself and needs no guard. */
export function isGate(step: Step): boolean {
  return stepSpec(step.kind).gate === true;
}
