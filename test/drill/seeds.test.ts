/**
 * The five seed systems as executable runbooks (issue 16):
 * - each runbook passes `check` with no diagnostic at all;
 * - each covers its seed's procedures: every SQL statement of the seed (its ```sql blocks, the
 *   `psql -c` / `sqlite3` one-liners and inline queries) and every curl / HTTP / health command is
 *   found as a step, or is listed below as a documented exception with the reason;
 * - every scenario of every system passes `stepwise drill`, against the PostgreSQL server when one
 *   answers (STEPWISE_TEST_PG, default 127.0.0.1:5432) and on the embedded PGlite, and a drill
 *   leaves no database behind.
 * The seeds are kept verbatim in fixtures/<system>/seed/. A step a runbook brings in with
 * `::include` (the shared health check) counts as its own, with the include's `with=` values in
 * place of the placeholders that read them. test/drill/seed-loops.test.ts proves the loops and
 * includes the conversions use.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ROOT, stepwiseAsync } from '../helpers/cli.js';

const SYSTEMS = {
  phase5: 'phase5-recovery-sop',
  solvereign: 'solvereign-v3.3a-operations',
  sonia: 'sonia-operations',
  algorhythmic: 'algorhythmic-operations',
  voxyz: 'voxyz-ops-loop-operations',
} as const;
type System = keyof typeof SYSTEMS;

/**
 * What a runbook deliberately does not turn into a step, by system: a distinctive part of the
 * seed's statement or `METHOD /path`, and why.
 */
const EXCEPTIONS: Record<System, { item: string; why: string }[]> = {
  phase5: [],
  solvereign: [],
  sonia: [
    {
      item: 'wal_checkpoint(TRUNCATE)',
      why: 'the diagnosis checkpoint; the runbook runs the remediation’s FULL checkpoint once, after the writers are stopped',
    },
    { item: 'POST /v1/turn', why: 'the Quick Reference’s list of endpoints, not a procedure' },
    { item: 'POST /v1/sessions', why: 'the Quick Reference’s list of endpoints, not a procedure' },
  ],
  algorhythmic: [
    {
      item: 'VACUUM ANALYZE',
      why: 'VACUUM cannot run inside a transaction and every step is one; the step runs ANALYZE',
    },
    { item: 'REINDEX DATABASE', why: 'REINDEX DATABASE cannot run inside a transaction either: run from psql' },
  ],
  voxyz: [
    { item: 'ADD COLUMN metadata', why: 'an example of an additive migration, not a procedure' },
    { item: 'ADD COLUMN new_field', why: 'an example of a phased migration, not a procedure' },
    { item: 'SET new_field = old_field', why: 'an example of a phased migration, not a procedure' },
    { item: 'DROP COLUMN old_field', why: 'an example of a phased migration, not a procedure' },
    { item: 'DROP COLUMN new_field', why: 'an example of a reverse migration, written per migration' },
    { item: 'VACUUM ANALYZE', why: 'VACUUM cannot run inside a transaction and every step is one' },
    { item: '[recovery_db]', why: 'pseudo-SQL: the recovered database is another Supabase project' },
    { item: 'TRUNCATE ops_mission_steps', why: 'part of the same recovery from another project (above)' },
    { item: 'FROM ops_mission_steps_backup', why: 'part of the same recovery from another project (above)' },
    {
      item: 'ENABLE ROW LEVEL SECURITY',
      why: 'needs Supabase’s service_role and anon roles, which are cluster-wide: not a drill’s to create',
    },
    { item: 'TO service_role', why: 'Supabase roles (as above)' },
    { item: 'TO anon', why: 'Supabase roles (as above)' },
  ],
};

interface SeedItem {
  kind: 'sql' | 'http';
  text: string;
  tokens?: Set<string>;
  method?: string;
  path?: string;
}

const SQL_NOISE = /'(?:[^']|'')*'|"[^"]*"|<[^>]*>/g;
function tokens(sql: string): Set<string> {
  const text = sql
    .replace(/\{\{[\s\S]*?\}\}/g, ' ')
    .replace(/--[^\n]*/g, ' ')
    .replace(/E'(?:[^'\\]|\\.)*'/g, ' ')
    .replace(SQL_NOISE, ' ');
  return new Set((text.match(/[a-z_][a-z0-9_]*/gi) ?? []).map((t) => t.toLowerCase()));
}

/** `psql … -c "SQL"` and `sqlite3 FILE "SQL"` as the SQL they run. */
function oneLiners(text: string): string[] {
  return [...text.matchAll(/\bpsql\b[^"\n]*?-c\s+"([^"]+)"|\bsqlite3\s+\S+\s+"([^"]+)"/g)].map((m) => (m[1] ?? m[2])!);
}

function statements(block: string): string[] {
  const body = block
    .split('\n')
    .map((l) => (/^\s*(?:psql|pql)\s+\S+\s*$/.test(l) ? '' : l))
    .join('\n')
    .replace(/^\s*psql[^"\n]*"([^"]+)"\s*$/gm, '$1');
  return body
    .replace(/--[^\n]*/g, '')
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function httpItem(method: string, url: string): SeedItem {
  const path = url.replace(/^["']|["']$/g, '').replace(/^(?:https?:\/\/)?[^/\s]*/, '') || '/';
  return { kind: 'http', text: `${method} ${path}`, method, path };
}

function seedItems(seed: string): SeedItem[] {
  const items: SeedItem[] = [];
  const fences = [...seed.matchAll(/^([ \t]*)```(\w*)[^\n]*\n([\s\S]*?)\n[ \t]*```/gm)];
  for (const [, , lang, body] of fences) {
    if (lang === 'sql') for (const s of statements(body!)) items.push({ kind: 'sql', text: s });
    else for (const s of oneLiners(body!)) for (const t of statements(s)) items.push({ kind: 'sql', text: t });
  }
  const inline = [...seed.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!);
  for (const code of inline) {
    for (const s of oneLiners(code)) for (const t of statements(s)) items.push({ kind: 'sql', text: t });
    if (/^(SELECT|UPDATE|INSERT|DELETE)\b(?! \/)/i.test(code))
      items.push({ kind: 'sql', text: code.replace(/;$/, '') });
  }
  const code = [...fences.map((f) => f[3]!), ...inline].join('\n');
  for (const m of code.matchAll(/\bcurl\b((?:[^\n\\]|\\\n)*)/g)) {
    const args = m[1]!
      .replace(/\\\n/g, ' ')
      .replace(/-(?:H|d)\s+(["'])[\s\S]*?\1/g, ' ')
      .split('|')[0]!;
    const method = /-X\s+([A-Z]+)/.exec(args)?.[1] ?? (/\s-d\s/.test(m[1]!) ? 'POST' : 'GET');
    const url = args
      .split(/\s+/)
      .find((a) => a !== '' && !a.startsWith('-') && a !== method && /\//.test(a) && !/^\$/.test(a));
    if (url) items.push(httpItem(method, url));
  }
  for (const m of code.matchAll(/\b(?:iwr|httpx\.get\()\s*["']?((?:https?:\/\/)?[\w.-]+:\d+\/[^\s"')|]*)/g))
    items.push(httpItem('GET', m[1]!));
  for (const m of code.matchAll(/(?:^|[\s(`])(GET|POST|PUT|PATCH|DELETE) (\/[^\s`),]*)/g))
    items.push(httpItem(m[1]!, m[2]!));
  // A bare path in inline code, or a loopback URL in a diagram, names an endpoint without a method.
  for (const c of inline)
    if (/^\/(?:api|v1|healthz|readyz|health|metrics|status)\b\S*$/.test(c)) items.push(httpItem('*', c));
  for (const m of code.matchAll(/(?<![\w/])(?:https?:\/\/)?(?:127\.0\.0\.1|localhost):\d+(\/[\w./-]+)/g))
    if (!/curl|iwr|httpx/.test(code.slice(Math.max(0, m.index! - 40), m.index!))) items.push(httpItem('*', m[1]!));
  // One item per distinct statement or request.
  const seen = new Set<string>();
  return items.filter((i) => {
    const key = `${i.kind} ${i.text.replace(/\s+/g, ' ')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

interface RunbookSteps {
  sql: Set<string>[];
  http: { method: string; path: string }[];
}

/**
 * The included runbooks' sources, each with the `{{ inputs.NAME }}` its include binds with
 * `with="NAME=value ..."` replaced by the value (what its steps ask of this runbook's service).
 */
function includedSources(source: string, dir: string): string[] {
  // An include shown as an example (in a ~~~ fence) is not one.
  const outside = source.replace(/^~~~[\s\S]*?^~~~/gm, '');
  return [...outside.matchAll(/^::include\{([^\n]*)\}$/gm)].map((m) => {
    const src = /src=(\S+?)(?=\s|$)/.exec(m[1]!)![1]!;
    const bound = new Map(
      [...(/with="([^"]*)"/.exec(m[1]!)?.[1]?.matchAll(/(\w+)=(\S+)/g) ?? [])].map((p) => [p[1]!, p[2]!]),
    );
    return readFileSync(join(dir, src), 'utf8').replace(
      /\{\{\s*inputs\.(\w+)\s*\}\}/g,
      (whole, name: string) => bound.get(name) ?? whole,
    );
  });
}

function runbookSteps(source: string, dir = join(ROOT, 'runbooks')): RunbookSteps {
  const included = includedSources(source, dir).map((s) => runbookSteps(s, dir));
  const sql = [...source.matchAll(/^:::(sql|shell)\{[^\n]*\}\n```\w*\n([\s\S]*?)\n```\n:::/gm)].map((m) =>
    m[1] === 'sql' ? tokens(m[2]!) : new Set((m[2]!.match(/[a-z_][a-z0-9_]*/gi) ?? []).map((t) => t.toLowerCase())),
  );
  const http: RunbookSteps['http'] = [];
  for (const m of source.matchAll(/^::http\{([^\n]*)\}$/gm)) {
    const attrs = m[1]!;
    const method = /method=(\w+)/.exec(attrs)?.[1] ?? 'GET';
    const path = /path=(?:"([^"]*)"|([^\s"]+))/.exec(attrs);
    if (path) http.push({ method, path: path[1] ?? path[2]! });
  }
  for (const m of source.matchAll(/^:::http\{[^\n]*\}\n```http\n(\w+) ([^\n]+)/gm))
    http.push({
      method: m[1]!,
      path: m[2]!
        .replace(/\{\{[^}]*\}\}/g, '*')
        .replace(/ HTTP\/[\d.]+$/, '')
        .trim(),
    });
  for (const inc of included) {
    sql.push(...inc.sql);
    http.push(...inc.http);
  }
  return { sql, http };
}

function samePath(seed: string, step: string): boolean {
  const [seedPath, seedQuery = ''] = seed.split('?');
  const [stepPath, stepQuery = ''] = step.replace(/\{\{[^}]*\}\}/g, '*').split('?');
  const a = seedPath!.replace(/\/$/, '').split('/');
  const b = stepPath!.replace(/\/$/, '').split('/');
  const wild = (s: string): boolean => /^(\{.*\}|<.*>|\*|\[.*\])$/.test(s);
  if (a.length !== b.length || !a.every((s, i) => s === b[i] || wild(s) || wild(b[i]!))) return false;
  const keys = (q: string): string[] =>
    q
      .split('&')
      .filter(Boolean)
      .map((kv) => kv.split('=')[0]!);
  return keys(seedQuery).every((k) => keys(stepQuery).includes(k));
}

function covered(item: SeedItem, steps: RunbookSteps): boolean {
  if (item.kind === 'sql') {
    const want = tokens(item.text);
    return want.size > 0 && steps.sql.some((s) => [...want].every((t) => s.has(t)));
  }
  return steps.http.some((s) => (item.method === '*' || s.method === item.method) && samePath(item.path!, s.path));
}

const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

describe('the seed runbooks', () => {
  it('each passes check with no diagnostic at all', async () => {
    const files = [...Object.values(SYSTEMS).map((f) => `runbooks/${f}.md`), 'runbooks/shared/health-check.md'];
    const r = await stepwiseAsync(['check', ...files]);
    expect(r.stdout + r.stderr).toBe(`${files.length} files checked: no problems\n`);
    expect(r.code).toBe(0);
  }, 120_000);

  for (const [system, file] of Object.entries(SYSTEMS) as [System, string][]) {
    it(`${system}: every SQL statement and HTTP/health command of the seed is a step or a documented exception`, () => {
      const seed = read(`fixtures/${system}/seed/${file}.md`);
      const steps = runbookSteps(read(`runbooks/${file}.md`));
      const items = seedItems(seed);
      expect(items.filter((i) => i.kind === 'sql').length + items.filter((i) => i.kind === 'http').length).toBe(
        items.length,
      );
      const missing = items.filter((i) => !covered(i, steps));
      const exceptions = EXCEPTIONS[system];
      const unexplained = missing.filter((i) => !exceptions.some((e) => i.text.includes(e.item)));
      expect(unexplained.map((i) => `${i.kind}: ${i.text.replace(/\s+/g, ' ').slice(0, 120)}`)).toEqual([]);
      // Every exception is still needed: it names an item of the seed that is not a step.
      const stale = exceptions.filter((e) => !missing.some((i) => i.text.includes(e.item)));
      expect(stale.map((e) => e.item)).toEqual([]);
      // The seed has procedures to cover, and most of them are steps.
      expect(items.length).toBeGreaterThan(3);
      expect(missing.length).toBeLessThan(items.length / 2);
    });
  }
});

const SERVER = process.env.STEPWISE_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

async function drillDatabases(): Promise<string[] | undefined> {
  const client = new pg.Client({ connectionString: SERVER, connectionTimeoutMillis: 2000 });
  client.on('error', () => {});
  try {
    await client.connect();
    const r = await client.query("SELECT datname FROM pg_database WHERE datname LIKE 'stepwise_drill_%'");
    return r.rows.map((row: { datname: string }) => row.datname);
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => {});
  }
}

function junitCounts(xml: string): { tests: number; failures: number; errors: number } {
  const m = /<testsuites [^>]*tests="(\d+)" failures="(\d+)" errors="(\d+)"/.exec(xml)!;
  return { tests: Number(m[1]), failures: Number(m[2]), errors: Number(m[3]) };
}

describe('every scenario of every system', () => {
  it('passes against the PostgreSQL server, and leaves no drill database behind', async (ctx) => {
    const before = await drillDatabases();
    if (before === undefined) ctx.skip(`no PostgreSQL answers at ${SERVER}; the PGlite test below still runs`);
    const list = await stepwiseAsync(['drill', 'runbooks/', '--list-scenarios']);
    const count = list.stdout.trim().split('\n').length;
    const report = join(ROOT, 'node_modules/.cache/stepwise-test/drill-postgres.xml');
    // An advisory lock held on another database of the server (as a transcript store's lock, or
    // another team's solver, holds one): a drill sees only its own database's (a CI run once took
    // the solvereign runbook's force-unlock branch for a lock another test held).
    const other = new pg.Client({ connectionString: SERVER });
    await other.connect();
    await other.query('SELECT pg_advisory_lock(4242)');
    const r = await stepwiseAsync(['drill', 'runbooks/', '--parallel', '2', '--report', `junit=${report}`], {
      env: { STEPWISE_TEST_PG: SERVER },
      timeoutMs: 290_000,
    }).finally(() => other.end());
    expect(r.stdout).toMatch(new RegExp(`PASSED {2}${count} scenarios: ${count} passed, 0 failed, 0 could not run`));
    expect(r.code).toBe(0);
    expect(junitCounts(readFileSync(report, 'utf8'))).toEqual({ tests: count, failures: 0, errors: 0 });
    for (const system of Object.keys(SYSTEMS)) expect(r.stdout).toContain(system);
    expect(await drillDatabases()).toEqual(before);
  }, 300_000);

  it('passes on the embedded PGlite (the PostgreSQL systems)', async () => {
    const files = ['solvereign', 'algorhythmic', 'voxyz'].map((s) => `runbooks/${SYSTEMS[s as System]}.md`);
    const r = await stepwiseAsync(['drill', ...files, '--embedded', '--parallel', '2'], { timeoutMs: 590_000 });
    const count = files
      .map(
        (f) =>
          readdirSync(
            join(
              ROOT,
              'fixtures',
              f.includes('solvereign') ? 'solvereign' : f.includes('algorhythmic') ? 'algorhythmic' : 'voxyz',
              'scenarios',
            ),
          ).length,
      )
      .reduce((a, b) => a + b, 0);
    expect(r.stdout).toMatch(new RegExp(`PASSED {2}${count} scenarios: ${count} passed, 0 failed, 0 could not run`));
    expect(r.stdout).not.toContain('PostgreSQL database stepwise_drill_');
    expect(r.code).toBe(0);
  }, 600_000);
});
