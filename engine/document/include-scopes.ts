/**
 * Which include namespaces bind inputs of their own, for the graph (what `inputs.x` may name in
 * an included step) and the run (what it reads). Seen from a step in namespace `a.b`, `inputs`
 * is the run's inputs, then what `a` binds, then what `a.b` binds: the innermost binding wins.
 */
import type { IncludeBinding } from './include-types.js';
import type { Block, Step } from './model.js';

export interface BoundInclude {
  /** The include step: its `with` placeholders are evaluated where it stands (its own scope). */
  step: Step;
  binding: IncludeBinding;
}

/** The parameterised includes, outer ones before the ones inside them. */
export function boundIncludes(blocks: readonly Block[], out: BoundInclude[] = []): BoundInclude[] {
  for (const block of blocks) {
    if (block.type === 'if') boundIncludes(block.blocks, out);
    else if (block.type === 'include') {
      if (block.binding) out.push({ step: block.step, binding: block.binding });
      boundIncludes(block.blocks, out);
    }
  }
  return out;
}

/** The input names each namespace binds itself (only namespaces that bind some). */
export function boundInputNames(blocks: readonly Block[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const { binding } of boundIncludes(blocks))
    if (binding.inputs.length > 0) out.set(binding.scope, new Set(binding.inputs.map((b) => b.name)));
  return out;
}

/** `a.b` → ['a.b', 'a']: a step's namespace and the ones around it, innermost first. */
export function scopeChain(scope: string | null): string[] {
  if (scope === null) return [];
  const parts = scope.split('.');
  return parts.map((_, i) => parts.slice(0, parts.length - i).join('.'));
}

/** Whether `inputs.name` is bound by an include around a step in `scope`. */
export function isBoundInput(
  bound: ReadonlyMap<string, ReadonlySet<string>>,
  scope: string | null,
  name: string,
): boolean {
  return scopeChain(scope).some((s) => bound.get(s)?.has(name) === true);
}

/** The innermost namespace around `scope` that binds inputs, or null: the run's own inputs. */
export function inputScope(bound: ReadonlyMap<string, unknown>, scope: string | null): string | null {
  return scopeChain(scope).find((s) => bound.has(s)) ?? null;
}
