/** psql's connection flags as the URL of a draft's target (engine/import/psql-url.ts), read from real command lines. */
import { describe, expect, it } from 'vitest';
import { psqlUrl } from '../../engine/import/psql-url.js';
import { literal, parseWords, type Word } from '../../engine/import/shell-lines.js';

/** The flags of a psql command line, as sql-command.ts reads them (short and long forms). */
function flags(line: string): Parameters<typeof psqlUrl>[0] {
  const words = parseWords(line).words;
  const out: Record<string, Word> = {};
  const names: Record<string, string> = { '-h': 'host', '-U': 'user', '-p': 'port', '-d': 'db' };
  for (let i = 1; i < words.length; i++) {
    const name = names[literal(words[i]!) ?? ''];
    if (name !== undefined) out[name] = words[++i]!;
  }
  return out;
}

describe('psqlUrl', () => {
  it.each([
    ['psql -h db.internal -U ops -p 5433 -d orders', 'postgres://ops@db.internal:5433/orders'],
    ['psql -h db.internal', 'postgres://postgres@db.internal:5432/postgres'],
    ['psql -U app', 'postgres://app@127.0.0.1:5432/app'],
    ['psql -p 6432 -d pool', 'postgres://postgres@127.0.0.1:6432/pool'],
    ['psql -h [::1] -U postgres -d test', 'postgres://postgres@[::1]:5432/test'],
    ['psql "-h" "replica-2.eu.internal" -d "orders"', 'postgres://postgres@replica-2.eu.internal:5432/orders'],
  ])('%s → %s', (line, url) => {
    expect(psqlUrl(flags(line))).toBe(url);
  });

  it.each([
    ['no host, user or port', 'psql -d orders'],
    ['a host from a variable', 'psql -h $PGHOST -d orders'],
    ['a port that is not a number', 'psql -h db -p five'],
    ['a user with a space', 'psql -h db -U "ops team"'],
    ['a host with a slash (a socket folder)', 'psql -h /var/run/postgresql -d orders'],
    ['a database with a slash', 'psql -h db -d a/b'],
  ])('none for %s', (_why, line) => {
    expect(psqlUrl(flags(line))).toBeNull();
  });
});
