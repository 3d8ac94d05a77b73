/**
 * psql's connection flags (`-h HOST -U USER -p PORT -d DB`, and their `--host=` forms) as the
 * URL a draft's target defaults to, with psql's own defaults for what is not given (port 5432,
 * the database named like the user). Null when none is given, or one is not a plain literal (a
 * shell variable, a quoted space): then the target is inferred as before.
 */
import { literal, type Word } from './shell-lines.js';

export interface PsqlFlags {
  host?: Word;
  user?: Word;
  port?: Word;
  db?: Word;
}

const VALID = {
  host: /^(?:[A-Za-z0-9](?:[\w.-]{0,252})|\[[\da-fA-F:]+\])$/,
  user: /^[A-Za-z_][\w.-]{0,62}$/,
  port: /^\d{1,5}$/,
  db: /^[A-Za-z_][\w-]{0,62}$/,
};

export function psqlUrl(flags: PsqlFlags): string | null {
  if (flags.host === undefined && flags.user === undefined && flags.port === undefined) return null;
  const parts: Partial<Record<keyof PsqlFlags, string>> = {};
  for (const key of ['host', 'user', 'port', 'db'] as const) {
    const word = flags[key];
    if (word === undefined) continue;
    const text = literal(word);
    if (text === null || !VALID[key].test(text)) return null;
    parts[key] = text;
  }
  const user = parts.user ?? 'postgres';
  return `postgres://${user}@${parts.host ?? '127.0.0.1'}:${parts.port ?? '5432'}/${parts.db ?? parts.user ?? 'postgres'}`;
}
