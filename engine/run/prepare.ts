/**
 * Before a run: input values (from --input, typed and validated against their declarations),
 * secret values (environment, --secrets file, or a secret manager's command) and targets.
 * Problems are PrepareErrors that say which value is wrong and how to give it.
 */
import { execFileSync } from 'node:child_process';
import type { Frontmatter, InputDecl } from '../document/frontmatter-model.js';
import { compileLinear, type LinearRegex } from '../redact/linear-regex.js';
import { createRedactor } from '../redact/redactor.js';

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

/** `out[name] = value`, also for `__proto__` (an own key, never the prototype). */
function setOwn(out: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
}

export function coerceInput(decl: Pick<InputDecl, 'name' | 'type' | 'pattern' | 'options'>, raw: unknown): unknown {
  const text = String(raw);
  const fail = (why: string): never => {
    throw new PrepareError(`input \`${decl.name}\`: ${why}`, 4);
  };
  let value: unknown = text;
  if (decl.type === 'number') {
    value = typeof raw === 'number' ? raw : Number(text);
    if (text.trim() === '' || !Number.isFinite(value)) fail(`\`${text}\` is not a number`);
    const inexact = inexactNumber(raw, text, value as number);
    if (inexact !== undefined) fail(inexact);
  } else if (decl.type === 'boolean') {
    const v = text.toLowerCase();
    if (['true', 'yes', '1', 'on'].includes(v)) value = true;
    else if (['false', 'no', '0', 'off'].includes(v)) value = false;
    else fail(`\`${text}\` is not true or false`);
  } else if (decl.type === 'choice' && decl.options && !decl.options.map(String).includes(text)) {
    fail(`\`${text}\` is not one of ${decl.options.join(', ')}`);
  }
  if (decl.pattern !== undefined) {
    let re: LinearRegex;
    try {
      re = compileLinear(decl.pattern);
    } catch (error) {
      return fail(`its pattern ${(error as Error).message}`);
    }
    if (!re.test(text)) fail(`\`${decl.type === 'secret' ? '***' : text}\` does not match ${decl.pattern}`);
  }
  if (decl.type === 'choice' && typeof raw === 'number') value = raw;
  return value;
}

/**
 * Why a number input's value is not the number it reads as, or undefined. A double holds every
 * integer up to 2^53 and 15 to 17 significant digits: `9007199254740993` would silently become
 * ...992, so it is refused rather than rounded. A value already parsed (an answers file's YAML
 * number) can only be judged by its range: past 2^53 it may have been rounded on the way.
 */
function inexactNumber(raw: unknown, text: string, value: number): string | undefined {
  const hint =
    'numbers are exact up to 9007199254740991 and to 15 significant digits; for a longer value declare the input as a string';
  if (typeof raw === 'number')
    return Number.isInteger(raw) && !Number.isSafeInteger(raw)
      ? `${text} is past the integers a number holds exactly (it may have been rounded from what was written); ${hint}`
      : undefined;
  const written = decimalDigits(text.trim());
  if (written === undefined)
    return Number.isInteger(value) && !Number.isSafeInteger(value)
      ? `\`${text}\` cannot be represented exactly as a number; ${hint}`
      : undefined;
  const held = decimalDigits(String(value));
  if (held === undefined || held.digits !== written.digits || held.exponent !== written.exponent)
    return `\`${text}\` cannot be represented exactly as a number (it would become ${String(value)}); ${hint}`;
  return undefined;
}

/** A decimal number's significant digits and the power of ten of its last one (`1.50e2` → 15, 1), or undefined when it is not written in decimal. */
function decimalDigits(text: string): { digits: string; exponent: number } | undefined {
  const m = /^[+-]?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) return undefined;
  const whole = m[1]!;
  const fraction = m[2] ?? '';
  let digits = (whole + fraction).replace(/^0+/, '');
  let exponent = Number(m[3] ?? 0) - fraction.length;
  const trailing = /0*$/.exec(digits)![0].length;
  digits = digits.slice(0, digits.length - trailing);
  exponent += trailing;
  return digits === '' ? { digits: '', exponent: 0 } : { digits, exponent };
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
