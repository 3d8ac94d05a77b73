/**
 * Targets as a run uses them: `${NAME}` and `${NAME:-default}` read from the environment,
 * `--target name=url` overrides applied, and each kind's own reading of where it is (a relative
 * SQLite path resolved against the runbook's folder). What a kind is: engine/targets/.
 */
import type { TargetDecl } from '../document/frontmatter-model.js';
import type { ResolvedTarget } from '../targets/kind.js';
import { targetKind } from '../targets/registry.js';

export type { ResolvedTarget } from '../targets/kind.js';

/** `${NAME}` and `${NAME:-default}`; an unset NAME without a default is an error. */
export function expandEnv(text: string, env: NodeJS.ProcessEnv): string {
  return text.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g,
    (_m, name: string, fallback: string | undefined) => {
      const value = env[name];
      if (value !== undefined && value !== '') return value;
      if (fallback !== undefined) return fallback;
      throw new Error(`environment variable ${name} is not set (and \${${name}} has no :-default)`);
    },
  );
}

export function resolveTargets(
  declared: Record<string, TargetDecl>,
  overrides: Record<string, string>,
  env: NodeJS.ProcessEnv,
  runbookDir: string,
): Record<string, ResolvedTarget> {
  const out: Record<string, ResolvedTarget> = {};
  for (const name of Object.keys(overrides)) {
    if (!Object.hasOwn(declared, name))
      throw new Error(
        `--target ${name}=...: the runbook declares no target \`${name}\` (it has: ${Object.keys(declared).join(', ') || 'none'})`,
      );
  }
  for (const [name, decl] of Object.entries(declared)) {
    try {
      const location = targetKind(decl.kind).locate(overrides[name] ?? expandEnv(decl.location, env), runbookDir);
      out[name] = { name, kind: decl.kind, location, readonly: decl.readonly, headers: { ...decl.headers } };
    } catch (error) {
      throw new Error(`target \`${name}\`: ${(error as Error).message}`);
    }
  }
  return out;
}

/** A target's location with any password removed, for the transcript and messages. */
export function describeLocation(target: ResolvedTarget): string {
  return targetKind(target.kind).describe(target.location);
}

/** The credentials written into the targets' locations, by mask name (`target.db`, `target.db.basic`). */
export function targetCredentials(targets: Record<string, ResolvedTarget>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const target of Object.values(targets)) {
    for (const [suffix, value] of Object.entries(targetKind(target.kind).credentials(target.location)))
      out[`target.${target.name}${suffix}`] = value;
  }
  return out;
}
