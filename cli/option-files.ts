/**
 * The files a run's options name: `--answers FILE` and `--secrets FILE`. Loaded only when such an
 * option is given (`await import`), so a run without one does not load the YAML parser.
 */
import { parse as parseYaml } from 'yaml';
import { FileReadError, readTextFile } from '../engine/io/read-bounded.js';
import { UsageError } from './command.js';

/** An answers or secrets file: only a regular file of at most 10 MiB (never /dev/zero or a FIFO). */
function readOptionFile(what: string, path: string): string {
  try {
    return readTextFile(path, { what: `${what} file` });
  } catch (error) {
    if (error instanceof FileReadError && error.code === undefined) throw new UsageError(error.message);
    throw new UsageError(
      `cannot read the ${what} file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

export function readYamlMap(
  what: string,
  path: string,
  text: string = readOptionFile(what, path),
): Record<string, unknown> {
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    throw new UsageError(`the ${what} file ${path} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw new UsageError(`the ${what} file ${path} must be a mapping of id: value`);
  return value as Record<string, unknown>;
}

/** A YAML map, or dotenv-style KEY=VALUE lines. */
export function readSecretsFile(path: string): Record<string, string> {
  const text = readOptionFile('secrets', path);
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
  if (lines.length > 0 && lines.every((l) => /^\s*(export\s+)?[A-Za-z_][A-Za-z0-9_]*=/.test(l))) {
    return Object.fromEntries(
      lines.map((l) => {
        const [, key, raw] = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(l)!;
        return [key!, raw!.replace(/^(['"])(.*)\1$/, '$2')];
      }),
    );
  }
  return Object.fromEntries(Object.entries(readYamlMap('secrets', path, text)).map(([k, v]) => [k, String(v)]));
}
