/**
 * What the whole plain runbook says about where its commands go, read once from its text: the
 * variable psql connects with, the SQLite file, whether it uses mysql, and the origin most of its
 * requests go to (where a bare `GET /path` goes).
 */
export interface Hints {
  pgVar: string | null;
  sqlitePath: string | null;
  mysql: boolean;
  /** The origin most requests in the runbook go to. */
  primary: string | null;
}

export function readHints(source: string): Hints {
  const pgVar =
    /\bpsql\s+(?:-\S+\s+)*["']?\$\{?([A-Za-z_]\w*)\}?/.exec(source)?.[1] ??
    (/\bDATABASE_URL\b/.test(source) ? 'DATABASE_URL' : null);
  const sqlitePath = /\bsqlite3\s+(?:-\S+\s+)*["']?([^\s"'|;]+\.(?:db|sqlite3?))\b/.exec(source)?.[1] ?? null;
  const origins = new Map<string, number>();
  for (const m of source.matchAll(
    /\b(?:curl|iwr|GET|POST|PUT|PATCH|DELETE|Invoke-\w+)\s[^\n]*?(https?:\/\/[\w.-]+(?::\d+)?)/gi,
  ))
    origins.set(m[1]!.toLowerCase(), (origins.get(m[1]!.toLowerCase()) ?? 0) + 1);
  if (origins.size === 0)
    for (const m of source.matchAll(/(?<!\]\()(https?:\/\/[\w.-]+(?::\d+)?)/gi))
      origins.set(m[1]!.toLowerCase(), (origins.get(m[1]!.toLowerCase()) ?? 0) + 1);
  return {
    pgVar,
    sqlitePath,
    mysql: /\bmysql\s+(-\S+\s+)*-e\b/.test(source),
    primary: [...origins].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null,
  };
}
