/** The target kinds, by the name a runbook's frontmatter gives them. Adding a kind is its module and one line here. */
import { http } from './http.js';
import type { TargetKind } from './kind.js';
import { mysql } from './mysql.js';
import { postgres } from './postgres.js';
import { sqlite } from './sqlite.js';

export const targetKinds = { postgres, sqlite, mysql, http } as const satisfies Record<string, TargetKind>;

export const TARGET_KINDS = Object.keys(targetKinds);

export function targetKind(kind: string): TargetKind {
  const found = (targetKinds as Record<string, TargetKind>)[kind];
  if (!found) throw new Error(`unknown target kind \`${kind}\` (kinds: ${TARGET_KINDS.join(', ')})`);
  return found;
}

export function isTargetKind(kind: string): boolean {
  return Object.hasOwn(targetKinds, kind);
}

/** The kind a bare location names (`${VAR:-default}` unwrapped to its default), if any. */
export function kindOfLocation(location: string): TargetKind | undefined {
  const bare = location.replace(/^\$\{[^}]*:-/, '');
  return Object.values(targetKinds).find((k: TargetKind) => k.claims(bare));
}

/** The kinds steps of a capability run against: `postgres, sqlite or mysql`. */
export function kindsWith(capability: TargetKind['capability']): string[] {
  return Object.values(targetKinds)
    .filter((k: TargetKind) => k.capability === capability)
    .map((k) => k.kind);
}
