/** Command-line options with node:util parseArgs; unknown options and bad values are usage errors (exit 4). */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { closest } from '../engine/document/suggest.js';
import { UsageError } from './command.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parse<O extends Options>(argv: string[], options: O) {
  try {
    return parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(message)?.[1];
    if (unknown) {
      const hint = closest(unknown.replace(/^-+/, ''), Object.keys(options));
      throw new UsageError(`unknown option ${unknown}${hint ? `; did you mean --${hint}?` : ''}`);
    }
    throw new UsageError(message.replace(/\. To specify a positional argument.*$/s, ''));
  }
}

export function oneOf<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  const hint = closest(value, allowed);
  throw new UsageError(`--${name} must be one of ${allowed.join(', ')}${hint ? `; did you mean ${hint}?` : ''}`);
}
