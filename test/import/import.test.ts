/**
 * `stepwise import` on the five seed runbooks and on the plain runbooks of other shapes in
 * test/fixtures-import/: each draft passes `check` with no error, keeps every original line
 * (the added frontmatter, comment and directives stripped, the rest is the original, line by
 * line), and has a step for every SQL block, curl and health check of the seed (counted here
 * from the seed's own text). Importing an annotated runbook or a draft changes nothing.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../engine/check/check.js';
import { importRunbook } from '../../engine/import/import.js';
import { ROOT } from '../helpers/cli.js';
import { proseDiff } from './strip.js';

const noIncludes = (path: string): string => {
  throw Object.assign(new Error(`no includes here: ${path}`), { code: 'ENOENT' });
};
const diagnostics = (text: string, path: string) => checkSource(text, path, noIncludes).diagnostics;

const seeds = readdirSync(join(ROOT, 'fixtures'))
  .sort()
  .filter((name) => existsSync(join(ROOT, 'fixtures', name, 'seed')))
  .flatMap((name) =>
    readdirSync(join(ROOT, 'fixtures', name, 'seed'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => join('fixtures', name, 'seed', f)),
  );
const fixtures = readdirSync(join(ROOT, 'test/fixtures-import'))
  .filter((f) => f.endsWith('.md'))
  .sort()
  .map((f) => join('test/fixtures-import', f));

const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

/** What the seed holds that must become steps, found from its text alone. */
function mustConvert(source: string): { sqlBlocks: [number, number][]; curls: number[]; health: number[] } {
  const lines = source.split('\n');
  const sqlBlocks: [number, number][] = [];
  const curls: number[] = [];
  const health: number[] = [];
  let fence: { mark: string; lang: string; line: number } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const f = /^\s*(`{3,}|~{3,})\s*([\w-]*)/.exec(line);
    if (fence === null && f) {
      fence = { mark: f[1]!, lang: f[2]!.toLowerCase(), line: i + 1 };
      continue;
    }
    if (fence !== null && f && f[1]!.startsWith(fence.mark) && f[2] === '') {
      const body = lines.slice(fence.line, i).filter((l) => l.trim() !== '' && !/^\s*--/.test(l));
      if (fence.lang === 'sql' && body.length > 0) sqlBlocks.push([fence.line, i + 1]);
      fence = null;
      continue;
    }
    const inShell = fence !== null && /^(bash|sh|shell|powershell|)$/.test(fence.lang);
    if (/\bcurl\s+(-|"|'|https?:|\$|localhost|[\w.-]+[:/])/.test(line) && (inShell || /`[^`]*curl\s[^`]*`/.test(line)))
      curls.push(i + 1);
    else if (
      /`[^`]*\/(healthz?|readyz?)\b[^`]*`/.test(line) ||
      (inShell && /\b(iwr|Invoke-WebRequest|GET)\s+\S*\/(healthz?|readyz?)\b/.test(line))
    )
      health.push(i + 1);
  }
  return { sqlBlocks, curls, health };
}

describe('the five seed runbooks', () => {
  it('are all here', () => {
    expect(seeds).toHaveLength(5);
  });

  it.each(seeds)('%s imports into a draft that checks clean and keeps every line', (path) => {
    const source = read(path);
    const result = importRunbook(source, { path });
    expect(result.changed).toBe(true);
    expect(diagnostics(result.text, path)).toEqual([]);
    expect(proseDiff(result.text, source)).toBeNull();
    // a step for every SQL block, curl and health check of the seed
    const need = mustConvert(source);
    const at = (kind: string, line: number) => result.steps.some((s) => s.kind === kind && s.line === line);
    for (const [open, close] of need.sqlBlocks)
      expect(
        result.steps.some((s) => s.kind === 'sql' && s.line > open && s.line < close),
        `${path}: the SQL block at line ${open} has no sql step`,
      ).toBe(true);
    for (const line of need.curls) expect(at('http', line), `${path}:${line}: curl without an http step`).toBe(true);
    for (const line of need.health)
      expect(at('http', line), `${path}:${line}: a health check without an http step`).toBe(true);
    // importing the draft again changes nothing
    expect(importRunbook(result.text, { path }).text).toBe(result.text);
  });

  it('counts what it converts against the seeds', () => {
    const total = { sql: 0, curl: 0, health: 0 };
    for (const path of seeds) {
      const need = mustConvert(read(path));
      total.sql += need.sqlBlocks.length;
      total.curl += need.curls.length;
      total.health += need.health.length;
    }
    // the counting itself sees the seeds' content (so the test above cannot pass vacuously)
    expect(total.sql).toBeGreaterThanOrEqual(60);
    expect(total.curl).toBeGreaterThanOrEqual(15);
    expect(total.health).toBeGreaterThanOrEqual(3);
  });

  it('SOLVEREIGN: writes get confirms, the emergency ones danger gates, placeholders become inputs', () => {
    const path = 'fixtures/solvereign/seed/solvereign-v3.3a-operations.md';
    const { text } = importRunbook(read(path), { path });
    const result = checkSource(text, path, noIncludes);
    const steps = result.document.steps;
    const terminate = steps.find((s) => s.kind === 'sql' && s.body?.template.source.includes('pg_terminate_backend'))!;
    expect(terminate.body!.template.source).toContain('pg_terminate_backend({{ inputs.pid }})');
    const gates = result.graph.nodes.filter((n) => n.kind === 'confirm');
    expect(gates.length).toBeGreaterThanOrEqual(2);
    const reset = steps.find((s) => s.kind === 'sql' && s.body?.template.source.startsWith('UPDATE plan_versions'))!;
    expect(reset.body!.template.source).toContain('WHERE id = {{ inputs.plan_id }}');
    const resetGate = steps[steps.indexOf(reset) - 1]!;
    expect(resetGate.kind).toBe('confirm');
    expect(resetGate.attributes.danger).toBeDefined();
    expect(Object.keys(result.document.frontmatter.inputs).sort()).toEqual(['pid', 'plan_id']);
    // the health check's "Expected response" became an assertion on its JSON
    expect(text).toMatch(/::assert\[[^\]]*\]\{that='health_2\.json\.status == "ok"/);
    // the Python block and the crontab line stay prose, listed with their lines in the draft
    const lines = text.split('\n');
    const listed = [...text.matchAll(/^- line (\d+): (.*)$/gm)].map((m) => [Number(m[1]), m[2]!] as const);
    const python = listed.find(([, why]) => why.includes('`python` block'))!;
    expect(lines[python[0] - 1]).toBe('```python');
    const cron = listed.find(([, why]) => why.includes('crontab'))!;
    expect(lines[cron[0] - 1]).toMatch(/^\*\/15 \* \* \* \*/);
  });

  it('Algorhythmic: bearer tokens become a declared secret, never a literal', () => {
    const path = 'fixtures/algorhythmic/seed/algorhythmic-operations.md';
    const { text } = importRunbook(read(path), { path });
    const result = checkSource(text, path, noIncludes);
    expect(Object.keys(result.document.frontmatter.secrets)).toContain('TOKEN');
    const authorized = result.document.steps.filter((s) => s.body?.template.source.includes('Authorization'));
    expect(authorized.length).toBeGreaterThanOrEqual(3);
    for (const s of authorized) expect(s.body!.template.source).toContain('Bearer {{ secrets.TOKEN }}');
    // the DELETE without a WHERE-less statement is a plain confirm; VACUUM is listed for the author
    expect(text).toMatch(/For the author to decide:\n(- .*\n)*- line \d+: VACUUM/);
  });
});

describe('plain runbooks of other shapes (test/fixtures-import)', () => {
  it('there are at least 30', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(30);
  });

  it.each(fixtures)('%s imports into a draft that passes check and keeps every line', (path) => {
    const source = read(path);
    const result = importRunbook(source, { path });
    const found = diagnostics(result.text, path);
    expect(found.filter((d) => d.severity === 'error')).toEqual([]);
    expect(found).toEqual([]);
    expect(proseDiff(result.text, source)).toBeNull();
    expect(importRunbook(result.text, { path }).text).toBe(result.text);
  });

  const draft = (name: string) => {
    const path = `test/fixtures-import/${name}`;
    const source = read(path);
    const result = importRunbook(source, { path });
    return { source, result, checked: checkSource(result.text, path, noIncludes) };
  };

  it('kubectl: reads run without a gate, a rollback gets a confirm, a scale-down the text calls dangerous a danger gate', () => {
    const { checked } = draft('k8s-pod-crashlooping.md');
    const steps = checked.document.steps;
    const get = steps.find((s) => s.body?.template.source.includes('kubectl get pods'))!;
    expect(get.attributes.readonly).toBeDefined();
    const logs = steps.find((s) => s.body?.template.source.includes('kubectl logs'))!;
    expect(logs.body!.template.source).toContain('{{ inputs.pod_name }}');
    const undo = steps.findIndex((s) => s.body?.template.source.includes('rollout undo'));
    expect(steps[undo - 1]!.kind).toBe('confirm');
    const scale = steps.findIndex((s) => s.body?.template.source.includes('--replicas=0'));
    expect(steps[scale - 1]!.attributes.danger).toBeDefined();
    expect(checked.document.source).toMatch(/- line \d+: a PromQL query/);
  });

  it('a Hugo template frontmatter cannot take declarations: the file is left as it is, saying why', () => {
    const { source, result } = draft('hugo-template.md');
    expect(result.text).toBe(source);
    expect(result.note).toMatch(/frontmatter is not YAML/);
  });

  it('an existing frontmatter keeps its keys; the declarations are added under them', () => {
    const { checked, result } = draft('hugo-cache-purge.md');
    expect(result.text).toMatch(/^---\ntitle: "Purge the CDN cache"\n[\s\S]*# declared by stepwise import:\ntargets:/);
    expect(Object.keys(checked.document.frontmatter.secrets)).toEqual(['CDN_TOKEN']);
  });

  it('a secret written into a command becomes a declared secret and is never copied into a step', () => {
    const { source, result, checked } = draft('placeholders.md');
    const token = 'sk_live_51HqLyjWDarjtT1zdp7dcXYZabcdef0123456789';
    expect(result.text.split(token).length).toBe(source.split(token).length);
    expect(Object.keys(checked.document.frontmatter.secrets)).toEqual(['API_TOKEN']);
    const refund = checked.document.steps.find((s) => s.kind === 'http')!;
    expect(refund.body!.template.source).toContain('POST /v1/payments/{{ inputs.payment_id }}/refund');
  });

  it('a request that reads a variable set earlier in its block stays in that script; $ADMIN_TOKEN becomes a secret', () => {
    const { checked } = draft('secrets-in-env.md');
    const script = checked.document.steps.find((s) => s.kind === 'shell')!.body!.template.source;
    expect(script).toContain('export WEBHOOK_SECRET=$(openssl rand -hex 32)\ncurl -X PUT');
    expect(script).toContain('X-Admin-Token: {{ secrets.ADMIN_TOKEN }}');
    expect(script).toContain('\\"$WEBHOOK_SECRET\\"');
    expect(Object.keys(checked.document.frontmatter.secrets)).toEqual(['ADMIN_TOKEN']);
    expect(Object.keys(checked.document.frontmatter.env)).toEqual([]);
  });

  it('HTML comments and <details> are not read as steps to run', () => {
    const { checked } = draft('html-comments.md');
    expect(checked.document.steps.some((s) => s.body?.template.source.includes('rm -rf'))).toBe(false);
  });

  it('watch and until loops become waits on the step they repeat', () => {
    const { checked } = draft('watch-loop.md');
    const waits = checked.document.steps.filter((s) => s.kind === 'wait');
    expect(waits).toHaveLength(3);
    const ready = checked.document.steps.find((s) => s.kind === 'http' && s.raw.some((a) => a.value === '/ready'))!;
    expect(waits[0]!.raw.find((a) => a.name === 'step')!.value).toBe(ready.id);
  });

  it('checklists become confirms, one per item', () => {
    const { checked } = draft('checklist-release.md');
    expect(checked.document.steps.filter((s) => s.kind === 'confirm')).toHaveLength(6);
  });

  it('`GET /path` lines and http blocks become http steps; a DELETE gets a confirm and its id an input', () => {
    const { checked } = draft('get-lines.md');
    const steps = checked.document.steps;
    expect(steps.filter((s) => s.kind === 'http')).toHaveLength(6);
    const del = steps.findIndex((s) => s.kind === 'http' && s.raw.some((a) => a.value === 'DELETE'));
    expect(steps[del - 1]!.kind).toBe('confirm');
    expect(Object.keys(checked.document.frontmatter.inputs)).toContain('job_id');
  });

  it('an Expected block becomes an assertion on the status and the JSON fields it shows', () => {
    const { result } = draft('expected-status.md');
    expect(result.text).toContain('{that="healthz.status == 200"}');
    expect(result.text).toContain('status.json.healthy == true && status.json.mode == "active"');
    expect(result.text).not.toContain('uptime ==');
  });

  it('BEGIN … COMMIT becomes one all-or-nothing step without the transaction statements', () => {
    const { checked } = draft('transactions.md');
    const script = checked.document.steps.find((s) => s.attributes.script !== undefined)!;
    expect(script.body!.template.source).not.toMatch(/BEGIN|COMMIT/);
    expect(script.body!.template.source).toContain('INSERT INTO plan_changes');
  });

  it('a fenced block in a list item: its steps follow it in the item, indented like its fence, and run in its place', () => {
    const { source, result, checked } = draft('steps-in-list-items.md');
    const lines = result.text.split('\n');
    // the block's last line, its closing fence, a blank line, then the step
    const follows = (last: string, directive: string) => {
      const at = lines.indexOf(last);
      expect(lines.slice(at + 1, at + 4)).toEqual([last.replace(/\S.*$/, '```'), '', directive]);
    };
    follows('   redis-cli -h cache.internal INFO memory', '   :::shell{#look_at_node readonly}');
    follows(
      '      systemctl stop cache-writer',
      '      ::confirm[Run `systemctl stop cache-writer`?]{#stop_writers_ok on-decline=skip}',
    );
    follows("      SELECT count(*) FROM cache_jobs WHERE state = 'pending';", '      :::sql{#check_queue target=db}');
    follows('   curl http://cache.internal:8080/health', '   ::http{#health target=api method=GET path=/health}');
    // the item goes on after its steps; a block quote and a tab-indented item keep theirs after them
    expect(result.text).toContain('   :::\n\n   Note `used_memory_human`.');
    expect(lines).toContain(':::shell{#quote_steps_go_after_quote readonly}');
    expect(lines).toContain(':::shell{#last_check_disk readonly}');
    expect(checked.document.steps.map((s) => s.id)).toEqual([
      'look_at_node',
      'stop_writers_ok',
      'stop_writers',
      'check_queue',
      'health',
      'quote_steps_go_after_quote',
      'last_check_disk',
    ]);
    expect(result.steps.map((s) => s.id)).toEqual(checked.document.steps.map((s) => s.id));
    expect(proseDiff(result.text, source)).toBeNull();
  });

  it('an example value the text shows for a placeholder becomes its default, unless a step that changes something reads it', () => {
    const { checked } = draft('example-values.md');
    const inputs = checked.document.frontmatter.inputs;
    expect(inputs.plan_id!.default).toBe('plan_8f2k');
    expect(inputs.minutes!.default).toBe(30);
    // the UPDATE reads job_id: a run that takes the defaults must not cancel job_123
    expect(inputs.job_id!.default).toBeUndefined();
    expect(inputs.job_id!.description).toMatch(/for example job_123$/);
    expect(inputs.owner_email!.default).toBeUndefined();
  });

  it('an example is read only from the line of its one placeholder, and never as a template or a secret', () => {
    const source = [
      '# Two',
      '',
      'Move `<from_id>` to `<to_id>`, e.g. `a1`.',
      'The key is `<api_key>`, e.g. `sk_live_1`.',
      'The region is `<region>`, e.g. `{{ x }}`.',
      '',
      '```bash',
      'curl "https://api.example.com/move?from=<from_id>&to=<to_id>&region=<region>" -H "X-Api-Key: <api_key>"',
      '```',
      '',
    ].join('\n');
    const result = importRunbook(source, { path: 'two.md' });
    const inputs = checkSource(result.text, 'two.md', noIncludes).document.frontmatter.inputs;
    expect(Object.keys(inputs).sort()).toEqual(['from_id', 'region', 'to_id']);
    for (const input of Object.values(inputs)) expect(input.default).toBeUndefined();
    expect(result.text).not.toContain('sk_live_1"');
  });

  it('psql -h/-U/-p/-d make the target URL; each database gets its own variable to point it elsewhere', () => {
    const { result, checked } = draft('psql-connection.md');
    const url = (name: string, variable: string, value: string) =>
      expect(result.text).toContain(`  ${name}: { kind: postgres, url: "\${${variable}:-${value}}" }`);
    url('db', 'DATABASE_URL', 'postgres://reporting@replica.internal:5433/orders');
    // -W asks for a password and takes no value: the -c after it is still the SQL
    url('db_primary_orders', 'DB_PRIMARY_ORDERS_URL', 'postgres://ops@primary.internal:5432/orders');
    // psql's default database is the user's name
    url('db_app', 'DB_APP_URL', 'postgres://app@127.0.0.1:5432/app');
    // a host from a shell variable is not guessed: the database name alone, as before
    url('db_orders', 'DB_ORDERS_URL', 'postgres://postgres@127.0.0.1:5432/orders');
    expect(checked.document.steps.map((s) => (s.attributes.target as { name: string }).name)).toEqual([
      'db',
      'db_primary_orders',
      'db_app',
      'db_orders',
    ]);
    expect(result.leftovers).toEqual([]);
  });

  it('a step the draft would hide in text (a fence never closed) is not made, and says why', () => {
    const source = '# Health\n\n```bash\ncurl http://localhost:8080/health\n';
    const result = importRunbook(source, { path: 'open.md' });
    expect(result.steps).toEqual([]);
    expect(result.leftovers).toEqual([
      { line: 4, why: "not converted (http GET /health): the draft's Markdown does not read it as steps" },
    ]);
    expect(result.text).toMatch(/- line \d+: not converted \(http GET \/health\)/);
    expect(checkSource(result.text, 'open.md', noIncludes).document.steps).toEqual([]);
  });

  it('CRLF files stay CRLF', () => {
    const { source, result } = draft('crlf-runbook.md');
    expect(source).toContain('\r\n');
    expect(result.text.split('\n').every((l, i, all) => i === all.length - 1 || l.endsWith('\r'))).toBe(true);
  });
});

describe('the comment at the top', () => {
  it.each([...seeds, ...fixtures])('%s: each "- line N" is the line of the draft that holds what it names', (path) => {
    const source = read(path);
    const result = importRunbook(source, { path });
    // a file left as it is has no comment
    const items = result.changed ? [...result.leftovers, ...result.review.sort((a, b) => a.line - b.line)] : [];
    const said = [...result.text.matchAll(/^- line (\d+): /gm)].map((m) => Number(m[1]));
    expect(said).toHaveLength(items.length);
    const original = source.split('\n');
    const draft = result.text.split('\n');
    for (const [k, line] of said.entries()) expect(draft[line - 1]).toBe(original[items[k]!.line - 1]);
  });
});

describe('annotated runbooks and drafts', () => {
  const runbooks = readdirSync(join(ROOT, 'runbooks'))
    .filter((f) => f.endsWith('.md') && f !== 'README.md')
    .map((f) => join('runbooks', f));

  it.each(runbooks)('%s (already annotated) comes out byte-identical', (path) => {
    const source = read(path);
    const result = importRunbook(source, { path });
    expect(result.text).toBe(source);
    expect(result.changed).toBe(false);
  });
});
