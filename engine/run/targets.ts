/**
 * Targets as a run uses them: `${NAME:-default}` read from the environment, `--target name=url`
 * overrides applied, relative SQLite paths resolved against the runbook's folder.
 */
import { isAbsolute, resolve } from 'node:path';
import type { TargetDecl } from '../document/frontmatter-model.js';

export type ResolvedTarget =
  | { name: string; kind: 'postgres'; url: string; readonly: boolean }
  | { name: string; kind: 'sqlite'; path: string; readonly: boolean }
  | { name: string; kind: 'http'; base: string; headers: Record<string, string> };

/** `${NAME}` and `${NAME:-default}`; an unset NAME without a default is an error. */
export function expandEnv(text: string, env: NodeJS.ProcessEnv): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_m, name: string, fallback: string | undefined) => {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
    if (fallback !== undefined) return fallback;
    throw new Error(`environment variable ${name} is not set (and \${${name}} has no :-default)`);
  });
}

export function resolveTargets(declared: Record<string, TargetDecl>, overrides: Record<string, string>, env: NodeJS.ProcessEnv, runbookDir: string): Record<string, ResolvedTarget> {
  const out: Record<string, ResolvedTarget> = {};
  for (const name of Object.keys(overrides)) {
    if (declared[name] === undefined) throw new Error(`--target ${name}=...: the runbook declares no target \`${name}\` (it has: ${Object.keys(declared).join(', ') || 'none'})`);
  }
  for (const [name, decl] of Object.entries(declared)) {
    const override = overrides[name];
    try {
      if (decl.kind === 'http') out[name] = { name, kind: 'http', base: override ?? expandEnv(decl.base, env), headers: { ...decl.headers } };
      else if (decl.kind === 'sqlite') {
        const path = (override ?? expandEnv(decl.path, env)).replace(/^sqlite:(\/\/)?/, '');
        out[name] = { name, kind: 'sqlite', path: path === ':memory:' || isAbsolute(path) ? path : resolve(runbookDir, path), readonly: decl.readonly };
      } else out[name] = { name, kind: 'postgres', url: override ?? expandEnv(decl.url, env), readonly: decl.readonly };
    } catch (error) {
      throw new Error(`target \`${name}\`: ${(error as Error).message}`);
    }
  }
  return out;
}

/** A target's location with any password removed, for the transcript and messages. */
export function describeLocation(target: ResolvedTarget): string {
  if (target.kind === 'sqlite') return target.path;
  return withoutCredentials(target.kind === 'http' ? target.base : target.url);
}

export function withoutCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^@/?#]*)@/i, (_m, scheme: string, userinfo: string) => `${scheme}${userinfo.includes(':') ? `${userinfo.split(':')[0]}:***` : userinfo}@`);
}
