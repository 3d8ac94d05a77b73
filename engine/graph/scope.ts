/**
 * What names an expression may use, and how a reference resolves to a step: step ids (also
 * `steps['id']`), include namespaces (`ns.step`), and the run-wide names of runbooks/README.md, "Expressions and placeholders".
 */
import type { Frontmatter } from '../document/frontmatter-model.js';
import type { Step } from '../document/model.js';
import type { ExprReference } from '../expr/analyze.js';

export const RUN_FIELDS = ['id', 'startedAt', 'operator'] as const;
export const SCOPE_ROOTS = ['inputs', 'secrets', 'env', 'run', 'steps'] as const;

export interface Names {
  steps: Map<string, Step>;
  /** Include namespaces: `ns` and nested `ns.inner`. */
  namespaces: Set<string>;
  frontmatter: Frontmatter;
}

export function collectNames(steps: Step[], frontmatter: Frontmatter): Names {
  const byId = new Map<string, Step>();
  const namespaces = new Set<string>();
  for (const step of steps) {
    if (!byId.has(step.id)) byId.set(step.id, step);
    if (step.scope) {
      const parts = step.scope.split('.');
      for (let i = 1; i <= parts.length; i++) namespaces.add(parts.slice(0, i).join('.'));
    }
  }
  return { steps: byId, namespaces, frontmatter };
}

export type Resolution =
  | { kind: 'step'; id: string }
  | { kind: 'builtin' }
  | { kind: 'run-name'; root: (typeof SCOPE_ROOTS)[number] }
  | { kind: 'unknown' };

/**
 * Resolves a reference's root as seen from a step in `scope`: the step's own namespace first
 * (an included runbook refers to its own steps by their short ids), then the top level.
 */
export function resolve(
  ref: ExprReference,
  scope: string | null,
  names: Names,
  isGlobal: (name: string) => boolean,
): Resolution {
  if ((SCOPE_ROOTS as readonly string[]).includes(ref.root)) {
    if (ref.root === 'steps' && ref.path[0] !== undefined) {
      const id = qualify(ref.path[0], ref.path.slice(1), scope, names);
      return id ? { kind: 'step', id } : { kind: 'unknown' };
    }
    return { kind: 'run-name', root: ref.root as (typeof SCOPE_ROOTS)[number] };
  }
  const id = qualify(ref.root, ref.path, scope, names);
  if (id) return { kind: 'step', id };
  return isGlobal(ref.root) ? { kind: 'builtin' } : { kind: 'unknown' };
}

function qualify(root: string, path: string[], scope: string | null, names: Names): string | undefined {
  const prefixes = scope ? scopeChain(scope) : [''];
  for (const prefix of prefixes) {
    let name = prefix + root;
    if (names.steps.has(name)) return name;
    for (const part of path) {
      if (!names.namespaces.has(name)) break;
      name = `${name}.${part}`;
      if (names.steps.has(name)) return name;
    }
  }
  return undefined;
}

/** `a.b` → ['a.b.', 'a.', ''] */
function scopeChain(scope: string): string[] {
  const parts = scope.split('.');
  const out: string[] = [];
  for (let i = parts.length; i > 0; i--) out.push(`${parts.slice(0, i).join('.')}.`);
  out.push('');
  return out;
}

/** A step id as an author would write it from `scope`. */
export function qualifyId(id: string, scope: string | null, names: Names): string | undefined {
  return qualify(id.split('.')[0]!, id.split('.').slice(1), scope, names);
}
