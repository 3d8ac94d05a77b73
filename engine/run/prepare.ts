/**
 * Before a run: input values (from --input, typed and validated against their declarations),
 * secret values (environment, --secrets file, or a secret manager's command) and targets.
 * Problems are PrepareErrors that say which value is wrong and how to give it.
 */
import { execFileSync } from 'node:child_process';
import type { Frontmatter } from '../document/frontmatter-model.js';
import { inputValue, type InputValueDecl } from '../document/input-value.js';
import { createRedactor } from '../redact/redactor.js';
import { setOwn } from './own-property.js';

export class PrepareError extends Error {
  constructor(
    message: string,
    readonly exitCode: 2 | 3 | 4,
  ) {
    super(message);
  }
}

/**
 * The run's input values: each given one checked against its declaration, defaults for the rest.
 * Names are looked up as own keys only, so `__proto__`, `constructor` or `toString` is an
 * undeclared name like any other, never something every object has.
 */
export function prepareInputs(declared: Frontmatter['inputs'], given: Record<string, string>): Record<string, unknown> {
  for (const name of Object.keys(given)) {
    if (!Object.hasOwn(declared, name))
      throw new PrepareError(
        `--input ${name}=...: the runbook declares no input \`${name}\` (it has: ${Object.keys(declared).join(', ') || 'none'})`,
        4,
      );
  }
  const values: Record<string, unknown> = {};
  for (const [name, decl] of Object.entries(declared)) {
    const raw = Object.hasOwn(given, name) ? given[name] : undefined;
    if (raw === undefined) {
      if (decl.default !== undefined) setOwn(values, name, decl.default);
      else if (decl.required)
        throw new PrepareError(
          `input \`${name}\` needs a value: pass --input ${name}=...${decl.description ? ` (${decl.description})` : ''}`,
          3,
        );
      continue;
    }
    setOwn(values, name, coerceInput(decl, raw));
  }
  return values;
}

/**
 * A value given for an input (--input, an answers file, a default, a profile), as its declared
 * type: engine/document/input-value.ts; a value it refuses is a usage error (exit 4).
 */
export function coerceInput(decl: InputValueDecl, raw: unknown): unknown {
  const coerced = inputValue(decl, raw);
  if (!coerced.ok) throw new PrepareError(`input \`${decl.name}\`: ${coerced.why}`, 4);
  return coerced.value;
}

/**
 * The declared secrets that can be read without running anything (the --secrets file, the
 * environment), for a dry run to mask; a missing one is simply absent.
 */
export function availableSecrets(
  declared: Frontmatter['secrets'],
  env: NodeJS.ProcessEnv,
  fromFile: Record<string, string>,
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, decl] of Object.entries(declared)) {
    const value = fromFile[name] ?? (decl.source.from === 'env' ? env[decl.source.env] : undefined);
    if (value !== undefined && value !== '') values[name] = value;
  }
  return values;
}

/** Reads each declared secret; a secret that cannot be read stops the run before it starts. */
export function prepareSecrets(
  declared: Frontmatter['secrets'],
  env: NodeJS.ProcessEnv,
  fromFile: Record<string, string>,
): Record<string, string> {
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const [name, decl] of Object.entries(declared)) {
    if (fromFile[name] !== undefined) values[name] = fromFile[name]!;
    else if (decl.source.from === 'env') {
      const value = env[decl.source.env];
      if (value === undefined || value === '')
        missing.push(decl.source.env === name ? name : `${name} (from $${decl.source.env})`);
      else values[name] = value;
    } else {
      try {
        values[name] = execFileSync('bash', ['-c', decl.source.command], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
          timeout: 30_000,
        }).trim();
      } catch (error) {
        // Its first line of stderr says why, with the secrets read so far (and credentials) masked.
        const why =
          String((error as { stderr?: string }).stderr ?? (error as Error).message)
            .trim()
            .split('\n')[0] ?? '';
        throw new PrepareError(
          `secret \`${name}\`: its command failed: ${createRedactor({ secrets: values, patterns: [] }).text(why)}`,
          2,
        );
      }
      if (values[name] === '') throw new PrepareError(`secret \`${name}\`: its command printed nothing`, 2);
    }
  }
  if (missing.length > 0)
    throw new PrepareError(
      `secret${missing.length > 1 ? 's' : ''} not set: ${missing.join(', ')}; set the environment variable or pass --secrets FILE`,
      2,
    );
  return values;
}
