/**
 * `stepwise import`: a plain-Markdown runbook → an annotated draft. Every original line stays
 * as it was; step directives are inserted after the blocks they come from (found with the
 * project's Markdown parser, at source positions, never by re-serialising the tree), and the
 * frontmatter declares the targets, inputs, secrets and env names they use. What cannot be
 * mapped stays prose and is listed in a comment at the top with its line. The draft is checked
 * before it is returned: a step `check` finds an error in is taken out again and listed.
 */
import type { Code, ListItem, Nodes, Root, RootContent } from 'mdast';
import { toString as textOf } from 'mdast-util-to-string';
import { parse as parseYaml } from 'yaml';
import { checkSource } from '../check/check.js';
import { parseMarkdown } from '../document/markdown.js';
import { classifySql, type SqlStatement } from '../sql/classify.js';
import { lexSql } from '../sql/lexer.js';
import { stepSpecs } from '../steps/registry.js';
import {
  emptyNeeds,
  escapeBraces,
  findPlaceholders,
  inputName,
  isReserved,
  isShellOwn,
  mergeNeeds,
  type Needs,
  SECRETISH,
  secretName,
  templatize,
  valueTemplate,
} from './needs.js';
import { curlRequest, methodLine, type PlainRequest, powershellRequest, powershellWords } from './request.js';
import { literal, parseWords, type ShellCommand, shellCommands, type Word } from './shell-lines.js';
import { attr, confirm, container, leaf, phrase, type Unit } from './units.js';

/** The first line of the comment block a draft starts with; a file holding it is not imported again. */
export const MARKER = '<!-- stepwise import:';

export interface ImportOptions {
  /** Targets to use instead of inferring them (`--targets FILE`): name → declaration. */
  targets?: Record<string, unknown>;
  /** The runbook's path, for check (relative includes) and messages. */
  path?: string;
}

export interface PlannedStep {
  /** Line in the plain runbook. */
  line: number;
  id: string;
  kind: string;
  what: string;
}

export interface Leftover {
  /** Line in the plain runbook. */
  line: number;
  why: string;
}

export interface ImportResult {
  text: string;
  changed: boolean;
  steps: PlannedStep[];
  /** Places left as prose. */
  leftovers: Leftover[];
  /** Steps made that the author should look at (check warnings, guessed conditions). */
  review: Leftover[];
  /** Why nothing was imported, when nothing was. */
  note: string | null;
}

interface Group {
  /** Insert after this line of the plain runbook (1-based; 0 = at the top). */
  after: number;
  line: number;
  units: Unit[];
  needs: Needs;
  what: string;
  review: string[];
}

interface Context {
  /** The block's line (its fence, or the paragraph's first line). */
  line: number;
  after: number;
  /** Headings above, outermost first. */
  headings: string[];
  /** A short title: the list item's lead text, else the nearest heading. */
  title: string;
  /** Text around the block that may say it is dangerous. */
  around: string;
}

const SQL_LANGS = new Set(['sql', 'psql', 'pgsql', 'postgres', 'postgresql', 'plpgsql', 'sqlite', 'sqlite3', 'mysql']);
const SHELL_LANGS = new Set([
  'bash',
  'sh',
  'shell',
  'zsh',
  'ksh',
  'console',
  'terminal',
  'shell-session',
  'shellsession',
  'sh-session',
  'bash-session',
]);
const POWERSHELL_LANGS = new Set(['powershell', 'pwsh', 'ps1', 'ps', 'posh', 'psm1']);
const DATA_LANGS = new Set([
  'json',
  'jsonc',
  'json5',
  'yaml',
  'yml',
  'text',
  'txt',
  'plaintext',
  'plain',
  'output',
  'log',
  'logs',
  'xml',
  'toml',
  'ini',
  'csv',
  'diff',
  'patch',
  'markdown',
  'md',
  'mermaid',
  'ascii',
  'env',
  'dotenv',
  'properties',
  'conf',
  'nginx',
  'dockerfile',
  'hcl',
  'http-response',
]);
const DANGER =
  /\b(danger(ous)?|destructive|emergency|irreversibl[ey]|cannot be undone|can't be undone|data loss|nuclear|last resort|caution)\b|⚠/i;
const COMMAND_START =
  /^(sudo\s+)?(curl|wget|psql|sqlite3|mysql|kubectl|docker|podman|systemctl|journalctl|service|helm|git|npm|npx|yarn|pnpm|node|python3?|pip|uv|go|make|ssh|scp|rsync|tail|head|cat|grep|ls|ps|kill|pkill|df|du|free|ss|netstat|top|uptime|redis-cli|aws|gcloud|az|gsutil|terraform|ansible|export|echo|cd|rm|mv|cp|mkdir|chmod|chown|find|tar|gzip|gunzip|openssl|dig|nslookup|ping|watch|until|while|for|pg_dump|pg_restore|pg_isready|vercel|supabase|fly|heroku|wrangler|\.\/|\.\.\/)\b/;

/** Commands that only read: no confirm needed. */
const READ_ONLY = new Set([
  'cat',
  'head',
  'tail',
  'grep',
  'egrep',
  'fgrep',
  'rg',
  'zgrep',
  'zcat',
  'ls',
  'll',
  'df',
  'du',
  'free',
  'uptime',
  'ps',
  'pgrep',
  'ss',
  'netstat',
  'lsof',
  'wc',
  'sort',
  'uniq',
  'cut',
  'awk',
  'jq',
  'yq',
  'echo',
  'printf',
  'date',
  'whoami',
  'id',
  'hostname',
  'uname',
  'env',
  'printenv',
  'which',
  'stat',
  'file',
  'dig',
  'nslookup',
  'host',
  'traceroute',
  'nproc',
  'lscpu',
  'lsblk',
  'vmstat',
  'iostat',
  'mpstat',
  'test',
  'true',
  'basename',
  'dirname',
  'realpath',
  'tr',
  'column',
  'getent',
  'nvidia-smi',
  'pg_isready',
  'sleep',
  'base64',
  'sha256sum',
  'md5sum',
  'diff',
  'tree',
  'nc',
  'timeout',
  'time',
  'xargs',
]);
const READ_SUBCOMMANDS: Record<string, RegExp> = {
  kubectl:
    /^(get|describe|logs|top|explain|version|api-resources|api-versions|cluster-info|events|auth|config|rollout\s+(status|history)|diff)\b/,
  docker: /^(ps|logs|inspect|images|stats|version|info|top|port|events)\b/,
  podman: /^(ps|logs|inspect|images|stats|version|info|top|port)\b/,
  systemctl: /^(status|is-active|is-enabled|is-failed|list-units|list-timers|show|cat)\b/,
  git: /^(status|log|diff|show|branch|remote|rev-parse|describe|blame|tag\s*$)/,
  helm: /^(list|ls|status|get|history|show|search|version)\b/,
  gsutil: /^(ls|du|cat|stat)\b/,
  journalctl: /^/,
  sed: /^(?!.*\s-i)/,
  find: /^(?!.*\s-(delete|exec|execdir|ok|fprint)\b)/,
  openssl: /^(rand|s_client|x509|version)\b/,
  'redis-cli':
    /^(?:.*\s)?(ping|info|get|mget|keys|scan|ttl|type|llen|hget|hgetall|dbsize|memory\s+usage|slowlog\s+get|client\s+list)\b/i,
  aws: /^\S+\s+(describe|list|get)-/,
  gcloud: /^(.*\s)?(list|describe)\b/,
  npm: /^(ls|list|view|outdated|audit)\b/,
  ping: /-c\s*\d/,
};
/** Commands that never end on their own, or wait for a person. */
const INTERACTIVE =
  /^crontab\s+-e\b|^visudo\b|^(sudoedit|sudo\s+-e)\b|^\$EDITOR\b|^(top|htop|less|more|vi|vim|nano|emacs|tmux|screen|man)(\s|$)|^(tail|journalctl|kubectl|docker)\b.*\s(-f|-F|--follow)\b|^(kubectl|docker)\s+(exec|run)\b.*\s-\w*i\w*t|^kubectl\s+(port-forward|proxy|edit)\b|^ssh\s+\S+\s*$|^(npm|yarn|pnpm)\s+(run\s+)?(start|dev|serve|watch)\b|^(uvicorn|gunicorn|flask\s+run|rails\s+s)\b|^ping\s+(?!.*-c)/;
const CRON = /^(@(reboot|daily|hourly|weekly|monthly|yearly)|([\d*/,-]+\s+){4}[\d*/,-]+)\s/;

export function importRunbook(source: string, options: ImportOptions = {}): ImportResult {
  const unchanged = (note: string, leftovers: Leftover[] = []): ImportResult => ({
    text: source,
    changed: false,
    steps: [],
    leftovers,
    review: [],
    note,
  });
  if (source.includes('\u0000')) return unchanged('the file holds NUL bytes: it is not a Markdown runbook');
  if (source.includes(MARKER)) return unchanged('already a draft of `stepwise import`');
  if (/\r(?!\n)/.test(source)) return unchanged('lone CR line endings: convert the file to LF or CRLF first');
  const path = options.path ?? 'runbook.md';
  const noIncludes = (p: string): string => {
    throw Object.assign(new Error(`not read during import: ${p}`), { code: 'ENOENT' });
  };
  const importer = new Importer(source, options);
  if (importer.annotated()) return unchanged('already annotated: it has steps, so import changes nothing');
  const frontmatterProblem = importer.readFrontmatter();
  if (frontmatterProblem !== null) return unchanged(frontmatterProblem, [{ line: 1, why: frontmatterProblem }]);
  importer.walk();
  return importer.finish(path, noIncludes);
}

class Importer {
  readonly lines: string[];
  readonly eol: string;
  readonly tree: Root;
  groups: Group[] = [];
  leftovers: Leftover[] = [];
  ids = new Set<string>();
  /** The frontmatter's closing `---` line (1-based), or 0 when there is none. */
  frontmatterEnd = 0;
  hints: { pgVar: string | null; sqlitePath: string | null; mysql: boolean };
  httpTargets = new Map<string, string>();
  /** The origin most requests in the runbook go to: where a bare `GET /path` goes. */
  primary: string | null = null;
  sqlTargets = new Map<string, string>();
  consumed = new Set<Nodes>();

  constructor(
    readonly source: string,
    readonly options: ImportOptions,
  ) {
    this.eol = source.includes('\r\n') ? '\r\n' : '\n';
    this.lines = source.split('\n');
    this.tree = parseMarkdown(source);
    const pgVar =
      /\bpsql\s+(?:-\S+\s+)*["']?\$\{?([A-Za-z_]\w*)\}?/.exec(source)?.[1] ??
      (/\bDATABASE_URL\b/.test(source) ? 'DATABASE_URL' : null);
    const sqlitePath = /\bsqlite3\s+(?:-\S+\s+)*["']?([^\s"'|;]+\.(?:db|sqlite3?))\b/.exec(source)?.[1] ?? null;
    this.hints = { pgVar, sqlitePath, mysql: /\bmysql\s+(-\S+\s+)*-e\b/.test(source) };
    const origins = new Map<string, number>();
    for (const m of source.matchAll(
      /\b(?:curl|iwr|GET|POST|PUT|PATCH|DELETE|Invoke-\w+)\s[^\n]*?(https?:\/\/[\w.-]+(?::\d+)?)/gi,
    ))
      origins.set(m[1]!.toLowerCase(), (origins.get(m[1]!.toLowerCase()) ?? 0) + 1);
    if (origins.size === 0)
      for (const m of source.matchAll(/(?<!\]\()(https?:\/\/[\w.-]+(?::\d+)?)/gi))
        origins.set(m[1]!.toLowerCase(), (origins.get(m[1]!.toLowerCase()) ?? 0) + 1);
    this.primary = [...origins].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  }

  /** Whether the runbook already has steps: directives named like a step kind (a `:::note` admonition aside). */
  annotated(): boolean {
    const kinds = new Set([...Object.keys(stepSpecs), 'if']);
    kinds.delete('note');
    const stack: Nodes[] = [this.tree];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if ((node.type === 'leafDirective' || node.type === 'containerDirective') && kinds.has(node.name)) return true;
      if ('children' in node) for (const child of node.children as Nodes[]) stack.push(child);
    }
    return false;
  }

  /** Null when the frontmatter (if any) can take the draft's declarations; else why not. */
  readFrontmatter(): string | null {
    const yaml = this.tree.children.find((c) => c.type === 'yaml');
    if (!yaml) return null;
    this.frontmatterEnd = yaml.position!.end.line;
    let value: unknown;
    try {
      value = parseYaml(yaml.value);
    } catch {
      return 'the frontmatter is not YAML (a template?): Stepwise cannot add its declarations to it';
    }
    if (value === null || value === undefined) return null;
    if (typeof value !== 'object' || Array.isArray(value))
      return 'the frontmatter is not a YAML map: Stepwise cannot add its declarations to it';
    const taken = ['targets', 'inputs', 'secrets', 'env'].filter((k) => k in (value as object));
    if (taken.length > 0)
      return `the frontmatter already has ${taken.map((k) => `\`${k}\``).join(', ')}: declare the steps' needs there by hand`;
    return null;
  }

  // ---- walking the Markdown ----

  walk(): void {
    const headings: string[] = [];
    const children = this.tree.children;
    for (let i = 0; i < children.length; i++) {
      const node = children[i]!;
      if (this.consumed.has(node)) continue;
      if (node.type === 'heading') {
        headings.length = node.depth - 1;
        headings[node.depth - 1] = textOf(node);
        continue;
      }
      if (node.type === 'yaml' || node.type === 'html') continue;
      const after = node.position!.end.line;
      const heads = headings.filter((h) => h !== undefined);
      const base: Omit<Context, 'line' | 'title' | 'around'> = { after, headings: heads };
      const previous = children[i - 1];
      const lead = previous?.type === 'paragraph' ? textOf(previous) : '';
      if (node.type === 'code') {
        const ctx = this.context(node, base, heads[heads.length - 1] ?? '', lead);
        this.code(node, ctx, children, i);
        continue;
      }
      this.visit(node, base, heads, lead, children, i);
    }
  }

  context(node: Nodes, base: Omit<Context, 'line' | 'title' | 'around'>, title: string, lead: string): Context {
    return {
      ...base,
      line: node.position!.start.line,
      title,
      around: `${base.headings.join(' ')} ${title} ${lead}`,
    };
  }

  visit(
    root: RootContent,
    base: Omit<Context, 'line' | 'title' | 'around'>,
    heads: string[],
    lead: string,
    siblings: RootContent[],
    index: number,
  ): void {
    const checklist: ListItem[] = [];
    const seen = new Set<string>();
    const walk = (node: Nodes, title: string, said = ''): void => {
      if (node.type === 'listItem') {
        const first = node.children[0];
        const itemText = first?.type === 'paragraph' ? textOf(first) : '';
        const itemTitle = itemText !== '' ? leadText(itemText) : title;
        if (node.checked === true || node.checked === false) checklist.push(node);
        for (const child of node.children) walk(child, itemTitle || title, `${said} ${itemText}`);
        return;
      }
      if (node.type === 'code') {
        this.code(node, this.context(node, base, title, `${lead} ${said}`), siblings, index);
        return;
      }
      if (node.type === 'paragraph' || node.type === 'table') {
        // Inline code and links, read from the source: the block parse may leave inline content unparsed.
        for (const span of inlineSpans(this.source, node)) {
          if (span.kind === 'link') {
            this.link(span.text, span.url, span.line, root);
            continue;
          }
          const key = span.text.trim();
          if (seen.has(key)) continue;
          seen.add(key);
          const ctx = this.context(node, base, title, `${lead} ${said}`);
          this.inline(span.text, span.line, ctx, root);
        }
        return;
      }
      if ('children' in node) for (const child of node.children as Nodes[]) walk(child, title, said);
    };
    walk(root, heads[heads.length - 1] ?? '');
    for (const item of checklist) this.checkItem(item, base);
  }

  // ---- code blocks ----

  code(node: Code, ctx: Context, siblings: RootContent[], index: number): void {
    const lang = (node.lang ?? '').toLowerCase();
    const value = node.value;
    if (SQL_LANGS.has(lang)) return this.sqlBlock(node, ctx, lang);
    if (SHELL_LANGS.has(lang)) return this.shellBlock(node, ctx, lang, siblings, index);
    if (POWERSHELL_LANGS.has(lang)) return this.powershellBlock(node, ctx);
    if (lang === 'http' || lang === 'rest') return this.httpBlock(node, ctx);
    if (lang === 'promql' || lang === 'prometheus')
      return this.leave(ctx.line, 'a PromQL query: run it in Prometheus (or as an http step against its API)');
    if (lang === 'cmd' || lang === 'bat' || lang === 'batch')
      return this.leave(ctx.line, 'a Windows-only command block');
    if (DATA_LANGS.has(lang)) return;
    if (lang !== '') return this.leave(ctx.line, `a \`${lang}\` block: Stepwise runs SQL, HTTP and shell only`);
    // No language: look at what it holds.
    const first = value
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '' && !l.startsWith('#') && !l.startsWith('--') && !l.startsWith('//'));
    if (first === undefined) return;
    if (/^\$ /.test(first) || COMMAND_START.test(first)) return this.shellBlock(node, ctx, 'sh', siblings, index);
    if (methodLine(first) !== null) return this.httpBlock(node, ctx);
    if (/^(SELECT|WITH|UPDATE|DELETE|INSERT|ALTER|DROP|TRUNCATE|VACUUM|ANALYZE|CREATE|EXPLAIN|SHOW)\b/i.test(first)) {
      const { statements } = classifySql(value);
      if (statements.length > 0 && statements.every((s) => s.assumed !== true)) return this.sqlBlock(node, ctx, 'sql');
    }
  }

  sqlBlock(node: Code, ctx: Context, lang: string): void {
    const contentLine = ctx.line + 1;
    const lines = node.value.split('\n');
    const session = lines.some((l) => /^\s*([\w-]*[=-][#>]|sqlite>|mysql>|\s*\.\.\.>)\s?/.test(l));
    const kept: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      let l = lines[i]!;
      if (session) {
        const m = /^\s*(?:[\w-]*[=-][#>]|sqlite>|mysql>|\s*\.\.\.>|->)\s?(.*)$/.exec(l);
        if (!m) {
          kept.push('');
          continue;
        }
        l = m[1]!;
      }
      const trimmed = l.trim();
      if (trimmed.startsWith('\\')) {
        this.leave(contentLine + i, `a psql meta-command (\`${trimmed.split(/\s+/)[0]}\`): run it in psql`);
        kept.push('');
        continue;
      }
      if (/^(psql|sqlite3|mysql|mariadb)\b/.test(trimmed)) {
        const cmd = { text: trimmed, comments: [], line: i, lastLine: i, expected: null };
        this.sqlCommand(cmd, ctx, contentLine + i, 'psql');
        kept.push('');
        continue;
      }
      kept.push(l);
    }
    const text = kept.join('\n');
    const kind = lang.startsWith('sqlite') ? 'sqlite' : lang === 'mysql' ? 'mysql' : null;
    this.sqlText(text, ctx, contentLine, kind === null ? null : { kind, where: null });
  }

  /** One or more SQL statements (a block's text, or a one-liner's argument) → sql steps. */
  sqlText(
    text: string,
    ctx: Context,
    firstLine: number,
    target: { kind: 'postgres' | 'sqlite' | 'mysql'; where: string | null } | null,
  ): void {
    let { statements } = classifySql(text);
    // A line that is not SQL (`pql dbname`, a shell line) run into the statement after it: leave
    // that line, and read the statement from the line where it starts.
    for (let round = 0; round < 8; round++) {
      const bad = statements.find(
        (s) =>
          s.assumed === true &&
          text
            .slice(s.start, s.end)
            .split('\n')
            .slice(1)
            .some((l) => SQL_START.test(l)),
      );
      if (bad === undefined) break;
      const body = text.slice(bad.start, bad.end);
      const bodyLines = body.split('\n');
      let at = bad.start + bodyLines[0]!.length + 1;
      for (let k = 1; k < bodyLines.length && !SQL_START.test(bodyLines[k]!); k++) at += bodyLines[k]!.length + 1;
      this.leave(
        firstLine + lineOf(text, bad.start),
        `\`${firstLine2(body)}\` is not SQL Stepwise recognises: left as written`,
      );
      text = text.slice(0, bad.start) + text.slice(bad.start, at).replace(/[^\n]/g, ' ') + text.slice(at);
      statements = classifySql(text).statements;
    }
    if (statements.length === 0) return;
    const control = /^(BEGIN|COMMIT|ROLLBACK|END|ABORT|START|SAVEPOINT|RELEASE)$/;
    const unknown = statements.filter((s) => s.assumed === true && !control.test(s.keyword));
    for (const s of unknown)
      this.leave(
        firstLine + lineOf(text, s.start),
        s.keyword === ''
          ? 'a SQL statement Stepwise cannot classify'
          : `\`${s.keyword}\` is not a statement Stepwise recognises: left as written`,
      );
    const meaningful = statements.filter(
      (s) => (!control.test(s.keyword) || s.keyword === 'SAVEPOINT') && s.assumed !== true,
    );
    if (meaningful.length === 0) return;
    const transaction = meaningful.length < statements.length && meaningful.length > 1;
    const pieces = (
      list: SqlStatement[],
    ): { text: string; source: string; line: number; statements: SqlStatement[] }[] => {
      const out: { text: string; source: string; line: number; statements: SqlStatement[] }[] = [];
      let cursor = 0;
      for (const s of statements) {
        const end = text[s.end] === ';' ? s.end + 1 : s.end;
        if (list.includes(s)) {
          const lead = text.slice(cursor, s.start);
          const comments = lead
            .split('\n')
            .filter((l) => /^\s*--/.test(l))
            .join('\n');
          const body = `${comments === '' ? '' : `${comments}\n`}${text.slice(s.start, end)}`;
          out.push({ text: body, source: text, line: firstLine + lineOf(text, s.start), statements: [s] });
        }
        cursor = end;
      }
      return out;
    };
    if (transaction) {
      const all = pieces(meaningful);
      const first = all[0]!;
      this.sqlStep(
        {
          text: all.map((p) => p.text).join('\n\n'),
          source: text,
          line: first.line,
          statements: meaningful,
        },
        ctx,
        target,
        true,
      );
      return;
    }
    for (const piece of pieces(meaningful)) this.sqlStep(piece, ctx, target, false);
  }

  sqlStep(
    piece: { text: string; source: string; line: number; statements: SqlStatement[] },
    ctx: Context,
    target: { kind: 'postgres' | 'sqlite' | 'mysql'; where: string | null } | null,
    script: boolean,
  ): void {
    const needs = emptyNeeds();
    const converted = sqlPlaceholders(piece.text, needs, piece.line);
    if (converted === null) {
      this.leave(piece.line, 'a placeholder inside a SQL string: write the statement with a bind value by hand');
      return;
    }
    const targetName = this.sqlTarget(target, needs);
    const writes = piece.statements.some((s) => s.writes);
    const comment = /^\s*--\s*(.+)$/m.exec(piece.text)?.[1];
    const first = piece.statements[0]!;
    const table = tableOf(piece.source.slice(first.start, first.end), first.keyword);
    const base =
      comment ?? (writes ? `${first.keyword} ${table ?? ''}` : ctx.title || `${first.keyword} ${table ?? ''}`);
    const id = this.id(base, 'sql');
    const units: Unit[] = [];
    const review: string[] = [];
    const attrs = [`target=${targetName}`];
    if (script) attrs.push('script=true');
    if (writes) {
      const noWhere = piece.statements.some(
        (s) =>
          /^(UPDATE|DELETE|TRUNCATE|DROP)$/.test(s.keyword) && !/\bWHERE\b/i.test(piece.source.slice(s.start, s.end)),
      );
      const effect = /pg_terminate_backend|pg_cancel_backend/i.test(piece.text);
      const danger = noWhere || effect || DANGER.test(ctx.around) || DANGER.test(comment ?? '');
      const what = piece.statements
        .filter((s) => s.writes)
        .map((s) => {
          const t = piece.source.slice(s.start, s.end);
          const fn = /\b(pg_terminate_backend|pg_cancel_backend|pg_advisory_unlock\w*|pg_reload_conf)\b/i.exec(t)?.[1];
          if (fn !== undefined) return fn;
          const table = tableOf(t, s.keyword);
          return `${s.keyword || 'a statement'}${table ? ` ${table}` : ''}`;
        })
        .join(', ');
      units.push(
        confirm(
          this.suffixId(id),
          `Run ${what} on ${targetName}?${comment ? ` (${comment})` : ''}`,
          danger ? phrase(what) : null,
        ),
      );
      if (first.keyword === 'VACUUM' || /\bCONCURRENTLY\b/i.test(piece.text))
        review.push('VACUUM and CONCURRENTLY cannot run inside a transaction, and Stepwise runs each step in one');
      if (piece.statements.some((s) => s.assumed === true))
        review.push(`Stepwise does not recognise \`${first.keyword}\`: it is treated as a write`);
    }
    units.push(container('sql', id, attrs.join(' '), 'sql', converted));
    this.add({
      after: ctx.after,
      line: piece.line,
      units,
      needs,
      what: `sql ${writes ? 'write' : 'query'} on ${targetName}`,
      review,
    });
  }

  /** `psql … -c "…"`, `sqlite3 FILE "…"`, `mysql -e "…"` → sql steps; false when it is not such a line. */
  sqlCommand(cmd: ShellCommand, ctx: Context, line: number, _from: string): boolean {
    if (/(^|\s)["']?[A-Za-z]:\\/.test(cmd.text)) return this.sqlCommandPs(cmd.text, ctx, line);
    const parsed = parseWords(cmd.text);
    const words = stripPrefix(parsed.words);
    const name = literal(words[0] ?? []);
    if (name === null) return false;
    let sql: Word | null = null;
    let where: string | null = null;
    let kind: 'postgres' | 'sqlite' | 'mysql';
    const positional: Word[] = [];
    if (name === 'psql') {
      kind = 'postgres';
      for (let i = 1; i < words.length; i++) {
        const t = literal(words[i]!);
        if (t === '-c' || t === '--command') sql = words[++i] ?? null;
        else if (t?.startsWith('--command=')) sql = [{ lit: t.slice(10) }];
        else if (t === '-f' || t === '--file') return false;
        else if (t === '-d' || t === '--dbname') positional.push(words[++i] ?? []);
        else if (t !== null && /^-[hUpvPoFRTW]$/.test(t)) i++;
        else if (t?.startsWith('-')) continue;
        else positional.push(words[i]!);
      }
    } else if (name === 'sqlite3') {
      kind = 'sqlite';
      for (let i = 1; i < words.length; i++) {
        const t = literal(words[i]!);
        if (t !== null && /^-(cmd|separator|nullvalue|newline|init)$/.test(t)) i++;
        else if (t?.startsWith('-')) continue;
        else positional.push(words[i]!);
      }
      sql = positional[1] ?? null;
      positional.splice(1);
    } else if (name === 'mysql' || name === 'mariadb') {
      kind = 'mysql';
      for (let i = 1; i < words.length; i++) {
        const t = literal(words[i]!);
        if (t === '-e' || t === '--execute') sql = words[++i] ?? null;
        else if (t !== null && /^-[hupPD]$/.test(t)) i++;
      }
    } else return false;
    if (sql === null) {
      if (parsed.operator === '<' || parsed.operator === '|') return false;
      this.leave(line, `an interactive \`${name}\` session: Stepwise runs statements, not a prompt`);
      return true;
    }
    const sqlText = literal(sql);
    if (sqlText === null) {
      this.leave(line, `\`${name}\` with SQL built from shell variables: write it as a sql step by hand`);
      return true;
    }
    if (parsed.rest !== '' && !/^\s*\|/.test(parsed.rest) && parsed.operator !== '>')
      this.leave(line, `what follows the \`${name}\` command (\`${parsed.rest.trim().slice(0, 40)}\`)`);
    const conn = positional[0];
    if (conn !== undefined) {
      const v = conn.length === 1 && 'variable' in conn[0]! ? conn[0].variable : null;
      const t = literal(conn);
      if (v !== null) where = `$${v}`;
      else if (t !== null && (kind === 'sqlite' || /^postgres(ql)?:\/\//.test(t) || /^[A-Za-z_][\w-]*$/.test(t)))
        where = t;
    }
    this.sqlText(sqlText, ctx, line, { kind, where });
    return true;
  }

  sqlTarget(target: { kind: 'postgres' | 'sqlite' | 'mysql'; where: string | null } | null, needs: Needs): string {
    const given = this.options.targets;
    if (given !== undefined) {
      const names = Object.keys(given);
      const sqlish = names.find((n) => {
        const d = given[n];
        const text = typeof d === 'string' ? d : JSON.stringify(d);
        return /postgres|sqlite|mysql|mariadb|pglite|\.db\b/.test(text);
      });
      if (sqlish !== undefined) {
        needs.targets.set(sqlish, flow(given[sqlish]));
        return sqlish;
      }
    }
    let kind = target?.kind ?? null;
    let where = target?.where ?? null;
    if (kind === null || (where === null && kind === 'postgres')) {
      if (kind === null && this.hints.pgVar === null && this.hints.sqlitePath !== null) kind = 'sqlite';
      else if (kind === null && this.hints.pgVar === null && this.hints.mysql) kind = 'mysql';
      kind ??= 'postgres';
      if (where === null)
        where =
          kind === 'postgres' && this.hints.pgVar !== null
            ? `$${this.hints.pgVar}`
            : kind === 'sqlite'
              ? this.hints.sqlitePath
              : null;
    }
    if (kind === 'sqlite' && where === null) where = this.hints.sqlitePath ?? './data.db';
    const key = `${kind}:${where ?? ''}`;
    let name = this.sqlTargets.get(key);
    let decl: string;
    if (kind === 'sqlite') {
      decl = `{ kind: sqlite, path: ${JSON.stringify(where)} }`;
    } else if (kind === 'mysql') {
      decl = `{ kind: mysql, url: "\${MYSQL_URL:-mysql://root@127.0.0.1:3306/mysql}" }`;
    } else if (where?.startsWith('$')) {
      decl = `{ kind: postgres, url: "\${${where.slice(1)}:-postgres://postgres@127.0.0.1:5432/postgres}" }`;
    } else if (where !== null && /^postgres(ql)?:\/\//.test(where)) {
      decl = `{ kind: postgres, url: ${JSON.stringify(`\${DATABASE_URL:-${withoutPassword(where)}}`)} }`;
    } else if (where !== null) {
      decl = `{ kind: postgres, url: ${JSON.stringify(`\${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/${where}}`)} }`;
    } else {
      decl = `{ kind: postgres, url: "\${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}" }`;
    }
    if (name === undefined) {
      const base =
        this.sqlTargets.size === 0
          ? 'db'
          : `db_${inputName(kind === 'sqlite' ? (where ?? 'file').replace(/^.*[\\/]/, '').replace(/\.\w+$/, '') : (where ?? kind).replace(/^\$/, ''))}`;
      name = base;
      for (let n = 2; [...this.sqlTargets.values(), ...this.httpTargets.values()].includes(name); n++)
        name = `${base}_${n}`;
      this.sqlTargets.set(key, name);
    }
    needs.targets.set(name, decl);
    return name;
  }

  // ---- shell ----

  shellBlock(node: Code, ctx: Context, lang: string, siblings: RootContent[], index: number): void {
    const contentLine = ctx.line + 1;
    let text = node.value;
    const lines = text.split('\n');
    if (lang === 'console' || lang === 'terminal' || lines.some((l) => /^\s*\$ /.test(l))) {
      // A session: commands after `$ `, the rest is output.
      text = lines.map((l) => (/^\s*\$ /.test(l) ? l.replace(/^\s*\$ /, '') : '')).join('\n');
    }
    const commands = shellCommands(text);
    if (commands.length > 0 && commands.every((c) => /^\s*(export\s+)?[A-Za-z_]\w*=\S*\s*(#.*)?$/.test(c.text))) {
      this.leave(
        ctx.line,
        'variable settings only: each step runs in a process of its own, so set them in the environment (and list them under `env:`)',
      );
      return;
    }
    let pending: ShellCommand[] = [];
    let converted = 0;
    const flush = (): void => {
      if (pending.length > 0) {
        this.shellStep(pending, ctx, contentLine);
        converted++;
      }
      pending = [];
    };
    let expectedFromSiblings: { text: string; node: RootContent } | null = null;
    const next = siblings[index + 1];
    const after = siblings[index + 2];
    if (
      node === siblings[index] &&
      next?.type === 'paragraph' &&
      /^(expected|example|sample)?\s*(response|output|result|returns?)?[^\n]{0,30}:$/i.test(textOf(next).trim()) &&
      /expect|respon|output|return/i.test(textOf(next)) &&
      after?.type === 'code'
    )
      expectedFromSiblings = { text: after.value, node: after };
    const curls = commands.filter((c) => /^\s*(sudo\s+)?curl\b/.test(c.text)).length;
    const assigned = new Set<string>();
    for (const cmd of commands) {
      const line = contentLine + cmd.line;
      const trimmed = cmd.text.trim();
      const lead = cmd.comments.join(' ');
      if (/^(or|alternatively|alternative)\b/i.test(lead) && converted + pending.length > 0) {
        flush();
        this.leave(line, `an alternative to the command before it (\`${firstLine(trimmed)}\`): pick one`);
        continue;
      }
      if (CRON.test(trimmed)) {
        this.leave(line, 'a crontab entry: schedule it with cron, not in a runbook run');
        continue;
      }
      const watch = /^watch\s+(?:-\S+\s+(?:\d+\s+)?)*(["']?)(.+)\1\s*$/s.exec(trimmed);
      const until = /^until\s+(.+?);\s*do\s+(?:[^;]*;\s*)?sleep\s+(\d+)\s*;?\s*done\s*$/s.exec(trimmed);
      if (watch || until) {
        flush();
        const every = Number(/-n\s*(\d+)/.exec(trimmed)?.[1] ?? until?.[2] ?? 5);
        this.loop((watch?.[2] ?? until?.[1])!, ctx, line, every, until !== null);
        converted++;
        continue;
      }
      const parsed = parseWords(cmd.text);
      const words = stripPrefix(parsed.words);
      const name = literal(words[0] ?? []) ?? '';
      const usesLocal = words.some((w) => w.some((p) => 'variable' in p && assigned.has(p.variable)));
      for (const m of cmd.text.matchAll(/(?:^|[\s;(])(?:export\s+|local\s+)?([A-Za-z_]\w*)=/g)) assigned.add(m[1]!);
      if (usesLocal) {
        // it reads a variable an earlier command of the block set: it stays in that script
        pending.push(cmd);
        continue;
      }
      if (name === 'curl') {
        const request = curlRequest(words);
        if (request === null) {
          this.leave(line, 'a curl command without a URL');
          continue;
        }
        flush();
        let expected = cmd.expected;
        if (expected === null && expectedFromSiblings !== null && curls === 1) {
          expected = expectedFromSiblings.text;
          this.consumed.add(expectedFromSiblings.node);
          ctx = { ...ctx, after: expectedFromSiblings.node.position!.end.line };
        }
        this.http(request, ctx, line, expected, parsed.rest);
        converted++;
        continue;
      }
      if (name === 'psql' || name === 'sqlite3' || name === 'mysql' || name === 'mariadb') {
        const before = this.groups.length;
        if (this.sqlCommand(cmd, ctx, line, 'shell')) {
          // the commands before it run first: their step goes before the sql step
          const added = this.groups.splice(before);
          flush();
          this.groups.push(...added);
          converted++;
          continue;
        }
      }
      const plain = stripPrefixText(trimmed);
      if (INTERACTIVE.test(plain)) {
        flush();
        this.leave(line, `\`${firstLine(trimmed)}\` waits for a person or never ends: run it in a terminal`);
        continue;
      }
      pending.push(cmd);
    }
    flush();
  }

  shellStep(commands: ShellCommand[], ctx: Context, contentLine: number): void {
    const needs = emptyNeeds();
    const line = contentLine + commands[0]!.line;
    const script = commands
      .map((c) => [...c.comments.map((x) => `# ${x}`), c.text.replace(/^\s+/, '')].join('\n'))
      .join('\n');
    const body = shellTemplate(script, needs, line);
    const readonly = commands.every((c) => readOnly(c.text));
    const lead = commands[0]!.comments[0];
    const id = this.id(ctx.title || lead || firstWords(commands[0]!.text), 'shell');
    const units: Unit[] = [];
    if (!readonly) {
      const first = firstLine(commands[0]!.text.trim());
      const danger = DANGER.test(ctx.around) || DANGER.test(commands.map((c) => c.comments.join(' ')).join(' '));
      units.push(
        confirm(
          this.suffixId(id),
          `Run \`${first}\`${commands.length > 1 ? ` and ${commands.length - 1} more command${commands.length > 2 ? 's' : ''}` : ''}?`,
          danger ? shellPhrase(first) : null,
        ),
      );
    }
    units.push(container('shell', id, readonly ? 'readonly' : '', 'bash', body));
    this.add({
      after: ctx.after,
      line,
      units,
      needs,
      what: `shell${readonly ? ' (read-only)' : ''}: ${firstLine(commands[0]!.text.trim())}`,
      review: [],
    });
  }

  /** `watch -n 5 "cmd"` / `until cmd; do sleep 5; done` → the command as a step, and a wait on it. */
  loop(inner: string, ctx: Context, line: number, every: number, isUntil: boolean): void {
    const parsed = parseWords(inner);
    const words = stripPrefix(parsed.words);
    const request = literal(words[0] ?? []) === 'curl' ? curlRequest(words) : null;
    const before = this.groups.length;
    if (request !== null) this.http(request, ctx, line, null, '');
    else if (readOnly(inner))
      this.shellStep([{ text: inner, comments: [], line: 0, lastLine: 0, expected: null }], ctx, line);
    else {
      this.leave(line, `a loop over \`${firstLine(inner)}\`, which changes something: repeat it by hand`);
      return;
    }
    const group = this.groups[before];
    if (group === undefined) return;
    const step = group.units[group.units.length - 1]!;
    const passed =
      step.kind === 'http' ? `${step.id}.status >= 200 && ${step.id}.status < 300` : `${step.id}.exitCode == 0`;
    group.units.push(
      leaf('wait', this.suffixId(step.id!, 'wait'), null, [
        `step=${step.id}`,
        `until=${attr(passed)}`,
        `every=${Math.max(1, every)}s`,
        'timeout=5m',
      ]),
    );
    if (!isUntil)
      group.review.push(
        `\`watch\` shows the output again and again: the wait ends when it first succeeds; write the condition to wait for in \`until\``,
      );
  }

  // ---- PowerShell ----

  powershellBlock(node: Code, ctx: Context): void {
    const contentLine = ctx.line + 1;
    const lines = node.value.split('\n');
    const windowsOnly: string[] = [];
    let firstWindows = -1;
    for (let i = 0; i < lines.length; i++) {
      let text = lines[i]!.trim();
      const start = i;
      while (text.endsWith('`') && i + 1 < lines.length) text = `${text.slice(0, -1)} ${lines[++i]!.trim()}`;
      if (text === '' || text.startsWith('#')) continue;
      const { words } = powershellWords(text);
      const name = literal(words[0] ?? [])?.toLowerCase() ?? '';
      const request = powershellRequest(words);
      if (request !== null) {
        this.http(request, ctx, contentLine + start, null, '');
        continue;
      }
      if ((name === 'sqlite3' || name === 'psql') && this.sqlCommandPs(text, ctx, contentLine + start)) continue;
      if (firstWindows === -1) firstWindows = contentLine + start;
      windowsOnly.push(text);
    }
    if (windowsOnly.length > 0)
      this.leave(
        firstWindows,
        `PowerShell (Windows-only): ${windowsOnly
          .slice(0, 3)
          .map((t) => `\`${t.slice(0, 50)}\``)
          .join(', ')}${windowsOnly.length > 3 ? ` and ${windowsOnly.length - 3} more` : ''}`,
      );
  }

  /** `sqlite3 S:\data\x.db "SQL"` in PowerShell (no backslash escapes there). */
  sqlCommandPs(text: string, ctx: Context, line: number): boolean {
    const { words } = powershellWords(text);
    const name = literal(words[0] ?? []);
    const args = words.slice(1).filter((w) => !(literal(w) ?? '').startsWith('-'));
    const sql = args[name === 'sqlite3' ? 1 : -1] !== undefined ? literal(args[1]!) : null;
    if (name === 'sqlite3' && args.length >= 2 && sql !== null) {
      const file = literal(args[0]!);
      if (file === null) return false;
      this.sqlText(sql, ctx, line, { kind: 'sqlite', where: file });
      return true;
    }
    if (name === 'psql') {
      const i = words.findIndex((w) => literal(w) === '-c');
      const s = i >= 0 && words[i + 1] ? literal(words[i + 1]!) : null;
      if (s === null) return false;
      this.sqlText(s, ctx, line, { kind: 'postgres', where: null });
      return true;
    }
    return false;
  }

  // ---- HTTP ----

  httpBlock(node: Code, ctx: Context): void {
    const lines = node.value.split('\n');
    const first = lines.findIndex((l) => l.trim() !== '');
    const request = methodLine(lines[first] ?? '');
    if (request === null) {
      this.leave(ctx.line, 'an HTTP block Stepwise cannot read');
      return;
    }
    let i = first + 1;
    for (; i < lines.length && lines[i]!.trim() !== ''; i++) {
      const m = /^([\w-]+):\s*(.*)$/.exec(lines[i]!);
      if (!m) break;
      request.headers.push({ name: m[1]!, value: [{ lit: m[2]! }] });
    }
    const body = lines
      .slice(i + 1)
      .join('\n')
      .trim();
    if (body !== '') request.body = [{ lit: body }];
    this.http(request, ctx, ctx.line + 1 + first, null, '');
  }

  http(request: PlainRequest, ctx: Context, line: number, expected: string | null, rest: string): void {
    if (request.problem !== null) {
      this.leave(line, `a request with ${request.problem}: Stepwise cannot send it as written`);
      return;
    }
    const needs = emptyNeeds();
    const url = this.urlParts(request.url, needs, line);
    if (url === null) {
      this.leave(line, 'a request whose URL is built by the shell (`$(…)`)');
      return;
    }
    const headers: string[] = [];
    for (const h of request.headers) {
      const value = headerValue(h.name, h.value, needs, line);
      if (value === null) {
        this.leave(line, `a request whose \`${h.name}\` header is built by the shell`);
        return;
      }
      headers.push(`${h.name}: ${value}`);
    }
    let body: string | null = null;
    if (request.body !== null) {
      body = wordTemplate(request.body, needs, line, true);
      if (body === null) {
        this.leave(line, 'a request whose body is built by the shell');
        return;
      }
    }
    const method = request.method;
    if ((method === 'GET' || method === 'HEAD') && body !== null) {
      this.leave(line, `a ${method} request with a body`);
      return;
    }
    const segments = url.rawPath
      .replace(/[?#].*$/, '')
      .split('/')
      .filter((s) => s !== '' && !/^(api|v\d+)$/i.test(s) && !/[<>{}]/.test(s) && !s.startsWith('$'));
    const pathName = segments.slice(-2).join('_') || 'root';
    const base = method === 'GET' ? pathName : `${method.toLowerCase()}_${segments.slice(-2).join('_') || 'root'}`;
    const id = this.id(base, 'http');
    const units: Unit[] = [];
    const review: string[] = [];
    const effect = !['GET', 'HEAD', 'OPTIONS'].includes(method);
    if (effect) {
      const danger = DANGER.test(ctx.around);
      units.push(
        confirm(
          this.suffixId(id),
          `Send ${method} ${url.rawPath.replace(/\?.*$/, '')} to ${url.target}?`,
          danger ? phrase(`${method} ${segments[segments.length - 1] ?? ''}`) : null,
        ),
      );
    }
    if (headers.length === 0 && body === null) {
      units.push(leaf('http', id, null, [`target=${url.target}`, `method=${method}`, `path=${attr(url.path)}`]));
    } else {
      const request = [`${method} ${url.path}`, ...headers];
      const text = body === null ? request.join('\n') : `${request.join('\n')}\n\n${body}`;
      units.push(container('http', id, `target=${url.target}`, 'http', text));
    }
    if (/^\s*\|/.test(rest) && /\bjq\b/.test(rest))
      review.push(`the output went through \`${rest.trim().slice(0, 40)}\`: read it as \`${id}.json\``);
    if (expected !== null) {
      const assertion = expectation(expected, id);
      if (assertion !== null)
        units.push(
          leaf('assert', null, `The response shows ${assertion.says}`, [
            `that=${attr(assertion.that)}`,
            ...(effect ? [`when=${attr(`${id}.outcome == 'passed'`)}`] : []),
          ]),
        );
    }
    this.add({ after: ctx.after, line, units, needs, what: `http ${method} ${url.path}`, review });
  }

  /** The target a URL goes to, and its path as a template. */
  urlParts(word: Word, needs: Needs, line: number): { target: string; path: string; rawPath: string } | null {
    let text = '';
    const vars: string[] = [];
    for (const p of word) {
      if ('lit' in p) text += p.lit;
      else if ('variable' in p) {
        text += `\u0001${vars.length}\u0001`;
        vars.push(p.variable);
      } else return null;
    }
    const m = /^(?:([a-z][\w+.-]*):\/\/)?([^/?#\s]*)(.*)$/is.exec(text.trim())!;
    let scheme = m[1] ?? null;
    let host = m[2]!;
    let rest = m[3]!;
    if (text.trim().startsWith('/')) {
      host = '';
      rest = text.trim();
    }
    if (scheme === null && host !== '' && !host.includes('\u0001') && !/[.:]|^localhost$/.test(host)) {
      // `curl health` is not a URL we can read: keep it as a path on the default target
      rest = `/${host}${rest}`;
      host = '';
    }
    let target: string;
    const given = this.options.targets;
    const givenHttp =
      given === undefined
        ? undefined
        : Object.keys(given).find(
            (n) => /http|base/.test(JSON.stringify(given[n] ?? '')) || /^https?:/.test(String(given[n])),
          );
    if (givenHttp !== undefined) {
      target = givenHttp;
      needs.targets.set(target, flow(given![target]));
    } else {
      let base: string;
      let key: string;
      const onlyVar = /^\u0001(\d+)\u0001$/.exec(host);
      const envName = (name: string): string => `${secretName(name)}_URL`;
      if (host === '' && this.primary !== null) {
        key = this.primary;
        base = key;
        host = key.replace(/^\w+:\/\//, '');
      } else if (host === '') {
        key = '';
        base = '';
      } else if (onlyVar && scheme === null) {
        const v = vars[Number(onlyVar[1])]!;
        key = `$${v}`;
        base = `\${${v}:-http://localhost}`;
      } else if (host.includes('\u0001')) {
        const hostText = host.replace(/\u0001(\d+)\u0001/g, (_, n: string) => `\${${vars[Number(n)]}:-localhost}`);
        scheme ??= 'http';
        key = `${scheme}://${host}`;
        base = `${scheme}://${hostText}`;
      } else {
        scheme ??= 'http';
        key = `${scheme}://${host.toLowerCase()}`;
        base = key;
      }
      const existing = this.httpTargets.get(key);
      if (existing !== undefined) target = existing;
      else {
        const all = [...this.httpTargets.values(), ...this.sqlTargets.values()];
        let name = 'api';
        if (all.includes('api') || (this.httpTargets.size > 0 && key !== '')) {
          const bare = host.replace(/\u0001\d+\u0001/g, 'host');
          const port = /:(\d+)$/.exec(bare)?.[1];
          const hostname = bare.replace(/:\d+$/, '');
          if (/^(localhost|[\d.]+|\[[\d:a-f]+\])$/i.test(hostname)) name = port ? `api_${port}` : 'api';
          else {
            const labels = hostname.split('.').filter((l) => !/^(www|api|com|org|net|io|app|dev|co)$/.test(l));
            name = inputName(labels.slice(0, 2).join('_') || 'api');
          }
        }
        for (let n = 2; all.includes(name); n++) name = `${name.replace(/_\d+$/, '')}_${n}`;
        if (base === '') base = `\${${envName(name)}:-http://localhost:8000}`;
        else if (!base.startsWith('${')) base = `\${${envName(name)}:-${base}}`;
        this.httpTargets.set(key, name);
        this.httpTargetDecls.set(name, `{ kind: http, base: ${JSON.stringify(base)} }`);
        target = name;
      }
      needs.targets.set(target, this.httpTargetDecls.get(target)!);
    }
    if (rest === '' || rest.startsWith('?')) rest = `/${rest}`;
    const rawPath = rest.replace(/\u0001(\d+)\u0001/g, (_, n: string) => `$${vars[Number(n)]}`);
    let path = '';
    let cursor = 0;
    for (const v of rest.matchAll(/\u0001(\d+)\u0001/g)) {
      path += templatize(rest.slice(cursor, v.index), needs, line, true, true);
      path += variableTemplate(vars[Number(v[1])]!, needs, false);
      cursor = v.index + v[0].length;
    }
    path += templatize(rest.slice(cursor), needs, line, true, true);
    return { target, path, rawPath };
  }
  httpTargetDecls = new Map<string, string>();

  // ---- inline code, links, checklists ----

  inline(value: string, line: number, ctx: Context, root: RootContent): void {
    const text = value.trim();
    const inTable = root.type === 'table';
    if (/^(sudo\s+)?curl\s/.test(text)) {
      const parsed = parseWords(text);
      const request = curlRequest(stripPrefix(parsed.words));
      if (request !== null) this.http(request, ctx, line, null, parsed.rest);
      return;
    }
    const method = methodLine(text);
    if (method !== null) return this.http(method, ctx, line, null, '');
    if (/^(psql|sqlite3|mysql)\s/.test(text)) {
      this.sqlCommand({ text, comments: [], line: 0, lastLine: 0, expected: null }, ctx, line, 'inline');
      return;
    }
    if (/^(iwr|irm|invoke-webrequest|invoke-restmethod)\s/i.test(text)) {
      const request = powershellRequest(powershellWords(text).words);
      if (request !== null) this.http(request, ctx, line, null, '');
      return;
    }
    if (/^\/[\w\-./{}<>?=&%:]*$/.test(text) && !/\.\w{1,5}$/.test(text.replace(/\?.*$/, '')) && !inTable) {
      if (/^\/api\//.test(text) || /\/(healthz?|readyz?|livez|ready|ping|status|metrics)(\?|$)/.test(text)) {
        this.http(methodLine(`GET ${text}`)!, ctx, line, null, '');
      }
      return;
    }
    const health = /https?:\/\/[^\s'"`)]+\/(healthz?|readyz?|livez|ping)\b[^\s'"`)]*/.exec(text);
    if (health) {
      const request = methodLine(`GET ${health[0]}`);
      if (request !== null) this.http(request, ctx, line, null, '');
      return;
    }
    if (/^(Copy-Item|Get-|Set-|Remove-|Start-|Stop-|Restart-|New-|Invoke-)\w*/.test(text))
      this.leave(line, `PowerShell (Windows-only): \`${text.slice(0, 60)}\``);
  }

  link(linkText: string, url: string, line: number, root: RootContent): void {
    if (!/^https?:\/\//.test(url)) return;
    const around = textOf(root);
    const host = /^https?:\/\/([^/]+)/.exec(url)?.[1] ?? '';
    if (
      /dashboard|console|grafana|kibana|datadog|new relic|pagerduty|sentry|status page/i.test(linkText) ||
      /^status\./.test(host) ||
      (/dashboard|status page|console/i.test(around) && root.type !== 'list')
    )
      this.leave(line, `a dashboard or status page to look at: ${url}`);
  }

  checkItem(item: ListItem, base: Omit<Context, 'line' | 'title' | 'around'>): void {
    const first = item.children[0];
    const text = plain(first?.type === 'paragraph' ? textOf(first) : textOf(item));
    if (text === '') return;
    const id = this.id(text, 'check');
    this.add({
      after: base.after,
      line: item.position!.start.line,
      units: [confirm(id, `${text.replace(/[?.:]$/, '')}: done?`, null, false)],
      needs: emptyNeeds(),
      what: 'checklist item',
      review: [],
    });
  }

  // ---- bookkeeping ----

  leave(line: number, why: string): void {
    this.leftovers.push({ line, why });
  }

  add(group: Group): void {
    this.groups.push(group);
  }

  /** `<id>_ok`, `<id>_wait` (and `_2`, … when taken): a step made for another step. */
  suffixId(id: string, suffix = 'ok'): string {
    let out = `${id}_${suffix}`;
    for (let n = 2; this.ids.has(out); n++) out = `${id}_${suffix}_${n}`;
    this.ids.add(out);
    return out;
  }

  id(text: string, fallback: string): string {
    let base = text
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .toLowerCase()
      .replace(/`[^`]*`/g, (m) => m.slice(1, -1))
      .replace(/[^a-z0-9]+/g, ' ')
      .trim()
      .split(' ')
      .filter((w) => w !== '' && !/^(the|a|an|of|to|for|and|or|via|on|in|with|step|\d+)$/.test(w))
      .slice(0, 5)
      .join('_')
      .slice(0, 40)
      .replace(/_+$/, '');
    if (base === '' || !/^[a-z]/.test(base)) base = base === '' ? fallback : `${fallback}_${base}`;
    if (isReserved(base)) base = `${base}_step`;
    let id = base;
    for (let n = 2; this.ids.has(id); n++) id = `${base}_${n}`;
    this.ids.add(id);
    return id;
  }

  // ---- the draft ----

  finish(path: string, noIncludes: (p: string) => string): ImportResult {
    let kept = [...this.groups];
    const dropped: Leftover[] = [];
    let review: Leftover[] = [];
    if (kept.length === 0) {
      // Nothing to check: at most a comment listing what stays prose.
      const text = this.assemble([], this.leftovers, []).text;
      const leftovers = [...this.leftovers].sort((a, b) => a.line - b.line);
      return { text, changed: text !== this.source, steps: [], leftovers, review: [], note: 'nothing became a step' };
    }
    // Each round drops at least one group, so this ends; a draft with no group left checks as the original.
    for (;;) {
      const built = this.assemble(kept, [...this.leftovers, ...dropped], []);
      const result = checkSource(built.text, path, noIncludes);
      const bad = new Set<Group>();
      const warnings: Leftover[] = [];
      for (const d of result.diagnostics) {
        if (d.file !== undefined && d.file !== path) continue;
        const at = d.span.start.line;
        const group = built.ranges.find((r) => at >= r.start && at <= r.end)?.group;
        if (group === undefined) continue;
        if (d.severity === 'error' || DROP_ON.has(d.rule)) {
          if (!bad.has(group))
            dropped.push({ line: group.line, why: `not converted (${group.what}): ${d.message} [${d.rule}]` });
          bad.add(group);
        } else warnings.push({ line: group.line, why: `warning: ${d.message} [${d.rule}]` });
      }
      if (bad.size > 0) {
        kept = kept.filter((g) => !bad.has(g));
        continue;
      }
      const outside = result.diagnostics.find(
        (d) =>
          d.severity === 'error' &&
          !built.ranges.some((r) => d.span.start.line >= r.start && d.span.start.line <= r.end),
      );
      if (
        outside !== undefined &&
        !checkSource(this.source, path, noIncludes).diagnostics.some((d) => d.severity === 'error')
      )
        return {
          text: this.source,
          changed: false,
          steps: [],
          leftovers: [...this.leftovers, ...dropped],
          review: [],
          note: `the draft would not pass check (${outside.message} [${outside.rule}]); nothing was written`,
        };
      review = [...warnings, ...kept.flatMap((g) => g.review.map((why) => ({ line: g.line, why })))];
      break;
    }
    // Only the comment block changes from the draft checked above: it lists the review items too.
    const draft = this.assemble(kept, [...this.leftovers, ...dropped], review).text;
    const steps: PlannedStep[] = kept.flatMap((g) =>
      g.units
        .filter((u) => u.id !== null)
        .map((u) => ({ line: g.line, id: u.id!, kind: u.kind, what: u.kind === 'confirm' ? 'confirm' : g.what })),
    );
    const leftovers = [...this.leftovers, ...dropped].sort((a, b) => a.line - b.line);
    const changed = draft !== this.source;
    return { text: draft, changed, steps, leftovers, review, note: changed ? null : 'nothing to convert' };
  }

  assemble(
    groups: Group[],
    leftovers: Leftover[],
    review: Leftover[],
  ): { text: string; ranges: { start: number; end: number; group: Group }[] } {
    const eol = this.eol;
    const nl = (lines: string[]): string[] => (eol === '\r\n' ? lines.map((l) => `${l}\r`) : lines);
    const inserts = new Map<number, { lines: string[]; group: Group | null }[]>();
    const push = (after: number, lines: string[], group: Group | null): void => {
      const list = inserts.get(after) ?? [];
      list.push({ lines, group });
      inserts.set(after, list);
    };
    const needs = emptyNeeds();
    for (const g of groups) mergeNeeds(needs, g.needs);
    if (groups.length === 0 && leftovers.length === 0) return { text: this.source, ranges: [] };
    for (const g of [...groups].sort((a, b) => a.after - b.after)) {
      const lines: string[] = [];
      for (const u of g.units) lines.push('', ...u.text.split('\n'));
      push(g.after, lines, g);
    }
    // Frontmatter declarations.
    const declarations = frontmatterLines(needs);
    const hasFrontmatter = this.frontmatterEnd > 0;
    if (declarations.length > 0) {
      if (hasFrontmatter) push(this.frontmatterEnd - 1, ['# declared by stepwise import:', ...declarations], null);
      else push(0, ['---', ...declarations, '---'], null);
    }
    // The comment block: leftovers and review items, with their lines in the draft.
    const items = [
      ...leftovers.map((l) => ({ ...l, kind: 'prose' as const })),
      ...review.map((l) => ({ ...l, kind: 'review' as const })),
    ];
    const commentAt = hasFrontmatter ? this.frontmatterEnd : 0;
    const comment = (lineOf: (l: number) => number): string[] => {
      const out = [
        `${MARKER} a draft; read every step before running it, then \`stepwise check\` this file.`,
        `${groups.length} place${groups.length === 1 ? '' : 's'} became steps; the original text is unchanged around them.`,
      ];
      const prose = items.filter((i) => i.kind === 'prose').sort((a, b) => a.line - b.line);
      const rev = items.filter((i) => i.kind === 'review').sort((a, b) => a.line - b.line);
      if (prose.length > 0) {
        out.push('Left as prose (do these by hand, or write the steps yourself):');
        for (const i of prose) out.push(`- line ${lineOf(i.line)}: ${safeComment(i.why)}`);
      }
      if (rev.length > 0) {
        out.push('For the author to decide:');
        for (const i of rev) out.push(`- line ${lineOf(i.line)}: ${safeComment(i.why)}`);
      }
      out.push('-->', '');
      return out;
    };
    const placeholderComment = comment(() => 0);
    push(commentAt, placeholderComment, null);
    // Where each original line lands.
    const afters = [...inserts.keys()].sort((a, b) => a - b);
    const shift = (line: number): number => {
      let n = 0;
      for (const a of afters) if (a < line) for (const ins of inserts.get(a)!) n += ins.lines.length;
      return n;
    };
    const real = comment((l) => l + shift(l));
    const list = inserts.get(commentAt)!;
    list[list.length - 1]!.lines = real;
    // Put the frontmatter (at the top) before the comment when both are at 0.
    const out: string[] = [];
    const ranges: { start: number; end: number; group: Group }[] = [];
    const emit = (after: number): void => {
      const list = inserts.get(after);
      if (list === undefined) return;
      const ordered =
        after === commentAt
          ? [
              ...list.filter((x) => x.group === null && x.lines !== real),
              ...list.filter((x) => x.group !== null),
              ...list.filter((x) => x.lines === real),
            ]
          : list;
      let groupsHere = false;
      for (const ins of ordered) {
        const start = out.length + 1;
        out.push(...nl(ins.lines));
        if (ins.group !== null) {
          ranges.push({ start, end: out.length, group: ins.group });
          groupsHere = true;
        }
      }
      const nextLine = this.lines[after];
      if (groupsHere && nextLine !== undefined && nextLine.trim() !== '') out.push(...nl(['']));
    };
    // BOM stays first.
    const lines = [...this.lines];
    let bom = '';
    if (lines[0]?.charCodeAt(0) === 0xfeff) {
      bom = '\ufeff';
      lines[0] = lines[0].slice(1);
    }
    emit(0);
    for (let i = 0; i < lines.length; i++) {
      out.push(lines[i]!);
      emit(i + 1);
    }
    return { text: bom + out.join('\n'), ranges };
  }
}

/** Diagnostics in a step group that take the group out of the draft (besides every error). */
const DROP_ON = new Set([
  'write-without-confirm',
  'reads-skippable-step',
  'decline-skips-nothing',
  'unknown-attribute',
]);

/** The frontmatter lines a draft's needs take. */
function frontmatterLines(needs: Needs): string[] {
  const out: string[] = [];
  if (needs.targets.size > 0) {
    out.push('targets:');
    for (const [name, decl] of needs.targets) out.push(`  ${name}: ${decl}`);
  }
  if (needs.inputs.size > 0) {
    out.push('inputs:');
    for (const [name, input] of [...needs.inputs].sort()) {
      out.push(`  ${name}: { type: ${input.type}, description: ${JSON.stringify(input.description)} }`);
    }
  }
  if (needs.secrets.size > 0) out.push(`secrets: [${[...needs.secrets].sort().join(', ')}]`);
  if (needs.env.size > 0) out.push(`env: [${[...needs.env].sort().join(', ')}]`);
  return out;
}

function flow(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  return JSON.stringify(value);
}

function safeComment(text: string): string {
  return text.replace(/\s+/g, ' ').replaceAll('-->', '->').replaceAll('--', '-');
}

function lineOf(text: string, offset: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function firstLine(text: string): string {
  const l = text.split('\n')[0]!.replace(/\s*\\$/, '');
  return l.length > 60 ? `${l.slice(0, 59)}…` : l;
}

/** Markdown inline syntax taken out of a text (links to their text, no emphasis marks). */
function plain(text: string): string {
  return text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__|~~)(.+?)\1/g, '$2')
    .replace(/\s+/g, ' ')
    .trim();
}

type InlineSpan =
  | { kind: 'code'; text: string; line: number }
  | { kind: 'link'; text: string; url: string; line: number };

/** Code spans and links in a paragraph or table, from the source text (CommonMark's backtick rule). */
function inlineSpans(source: string, node: Nodes): InlineSpan[] {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  if (start === undefined || end === undefined) return [];
  const text = source.slice(start, end);
  const firstLine = node.position!.start.line;
  const lineAt = (i: number): number => firstLine + lineOf(text, i);
  const spans: InlineSpan[] = [];
  const code: [number, number][] = [];
  for (const m of text.matchAll(/(?<!`)(`+)(?!`)([\s\S]*?[^`])\1(?!`)/g)) {
    if (m.index > 0 && text[m.index - 1] === '\\') continue;
    let value = m[2]!.replace(/\r?\n/g, ' ');
    if (/^ .* $/.test(value) && value.trim() !== '') value = value.slice(1, -1);
    spans.push({ kind: 'code', text: value, line: lineAt(m.index) });
    code.push([m.index, m.index + m[0].length]);
  }
  for (const m of text.matchAll(/\[([^\]\n]*)\]\((https?:\/\/[^)\s]+)\)/g)) {
    if (code.some(([a, b]) => m.index >= a && m.index < b)) continue;
    spans.push({ kind: 'link', text: m[1]!, url: m[2]!, line: lineAt(m.index) });
  }
  return spans.sort((a, b) => a.line - b.line);
}

/** A danger phrase for a command: its name, and its subcommand for git, kubectl and the like. */
function shellPhrase(command: string): string {
  const words = stripPrefixText(command).split(/\s+/);
  const two =
    /^(git|kubectl|docker|podman|helm|npm|yarn|systemctl|service|aws|gcloud|az|terraform|vercel|supabase|fly|heroku)$/;
  return phrase(two.test(words[0] ?? '') && words[1] !== undefined ? `${words[0]} ${words[1]}` : (words[0] ?? 'run'));
}

function firstLine2(text: string): string {
  return firstLine(text.trim());
}

const SQL_START =
  /^\s*(SELECT|WITH|UPDATE|DELETE|INSERT|ALTER|DROP|TRUNCATE|VACUUM|ANALYZE|CREATE|EXPLAIN|SHOW|CALL|GRANT|REVOKE|REINDEX|CLUSTER|PRAGMA|REFRESH|COPY)\b/i;

function firstWords(text: string): string {
  return text.split(/\s+/).slice(0, 3).join(' ');
}

/** The bold lead of a list item (`**Restart Application**:`), or its first few words. */
function leadText(text: string): string {
  const t = text.split('\n')[0]!.replace(/[:.]\s*$/, '');
  return t.length > 60 ? t.split(/[:.(]/)[0]!.slice(0, 60) : t;
}

/** Words before the command itself: `sudo`, `time`, `VAR=value`. */
function stripPrefix(words: Word[]): Word[] {
  let i = 0;
  while (i < words.length) {
    const t = literal(words[i]!);
    const w = words[i]!;
    const assignment = w[0] !== undefined && 'lit' in w[0] && /^[A-Za-z_]\w*=/.test(w[0].lit);
    if (t === 'sudo' || t === 'time' || t === 'nice' || t === 'command' || assignment) i++;
    else if (t === '-u' || t === '-E') i++;
    else break;
  }
  return words.slice(i);
}

function stripPrefixText(text: string): string {
  return text.replace(/^((sudo|time|nice)\s+(-\S+\s+)*|[A-Za-z_]\w*=\S*\s+)*/, '').trim();
}

/** Whether a command (a pipeline, a list) only reads. */
export function readOnly(text: string): boolean {
  const noQuotes = text.replace(/<[A-Za-z][\w.-]{0,40}>/g, 'x').replace(/'[^']*'|"(?:[^"\\]|\\.)*"/g, '""');
  if (/(^|[^0-9&>])>{1,2}\s*(?!&|\/dev\/null)/.test(noQuotes.replace(/2>&1|&>\/dev\/null|>\s*\/dev\/null/g, '')))
    return false;
  if (/--dry-run\b|--check-only\b|--help\b|--version\b/.test(text)) return true;
  const parts = noQuotes.split(/\|\||&&|[|;\n]/);
  return parts.every((part) => {
    const cmd = stripPrefixText(
      part
        .trim()
        .replace(/^\(|\)$/g, '')
        .replace(/^((if|then|else|elif|do|while|until|!)\s+)+/, ''),
    );
    if (cmd === '' || /^(fi|done|then|else|do|esac|\{|\})$/.test(cmd) || /^(for|select)\s+\w+\s+in\b/.test(cmd))
      return true;
    const m = /^(\S+)\s*(.*)$/s.exec(cmd)!;
    const name = m[1]!.replace(/^.*\//, '');
    const args = m[2]!;
    if (name === 'tee' || name === 'xargs') return false;
    const sub = READ_SUBCOMMANDS[name];
    if (sub !== undefined) return sub.test(args) && !(name === 'journalctl' && /--vacuum|--rotate/.test(args));
    return READ_ONLY.has(name);
  });
}

/** A shell script with placeholders as templates, secrets as `{{ secrets.X }}`, other variables declared as env. */
function shellTemplate(script: string, needs: Needs, line: number): string {
  const local = new Set<string>();
  for (const m of script.matchAll(
    /(?:^|[\s;(])(?:export\s+|local\s+|readonly\s+|declare\s+(?:-\w+\s+)*)?([A-Za-z_]\w*)=/gm,
  ))
    local.add(m[1]!);
  for (const m of script.matchAll(/\b(?:for|select)\s+([A-Za-z_]\w*)\s+in\b/g)) local.add(m[1]!);
  for (const m of script.matchAll(/\bread\s+(?:-\w+\s+(?:\S+\s+)?)*([A-Za-z_]\w*)/g)) local.add(m[1]!);
  const placeholders = findPlaceholders(script, false);
  let out = '';
  let quote: '' | "'" | '"' = '';
  let p = 0;
  for (let i = 0; i < script.length; i++) {
    const ph = placeholders[p];
    if (ph !== undefined && i === ph.start) {
      out += valueTemplate(ph, needs, line);
      i = ph.end - 1;
      p++;
      continue;
    }
    const c = script[i]!;
    if (c === '{' && script[i + 1] === '{') {
      out += '\\{{';
      i++;
      continue;
    }
    if (quote === "'") {
      if (c === "'") quote = '';
      out += c;
      continue;
    }
    if (c === '\\') {
      out += script.slice(i, i + 2);
      i++;
      continue;
    }
    if (c === "'" && quote === '') quote = "'";
    else if (c === '"') quote = quote === '"' ? '' : '"';
    else if (c === '$') {
      const m = /^\$(?:\{([A-Za-z_]\w*)\}|([A-Za-z_]\w*))/.exec(script.slice(i));
      if (m) {
        const name = (m[1] ?? m[2])!;
        if (!local.has(name) && !isShellOwn(name)) {
          if (SECRETISH.test(name)) {
            needs.secrets.add(secretName(name));
            out += `{{ secrets.${secretName(name)} }}`;
            i += m[0].length - 1;
            continue;
          }
          needs.env.add(name);
        }
      }
    }
    out += c;
  }
  return out;
}

/** A word (with variables) as an HTTP template; null when it holds a command substitution. */
function wordTemplate(word: Word, needs: Needs, line: number, braces: boolean): string | null {
  let out = '';
  for (const p of word) {
    if ('lit' in p) out += templatize(p.lit, needs, line, braces);
    else if ('variable' in p) out += variableTemplate(p.variable, needs, false);
    else return null;
  }
  return out;
}

function variableTemplate(name: string, needs: Needs, secret: boolean): string {
  if (secret || SECRETISH.test(name)) {
    const s = secretName(name);
    needs.secrets.add(s);
    return `{{ secrets.${s} }}`;
  }
  needs.env.add(name);
  return `{{ env.${name} }}`;
}

const SECRET_HEADER = /^(authorization|proxy-authorization|cookie|x-api-key|api-key|apikey)$|-(token|secret|key)$/i;

/** A header value: credentials become declared secrets, never literals. */
function headerValue(name: string, value: Word, needs: Needs, line: number): string | null {
  if (!SECRET_HEADER.test(name)) return wordTemplate(value, needs, line, true);
  const scheme =
    value[0] !== undefined && 'lit' in value[0] ? /^(Bearer|Token|Basic|Bot)\s+/i.exec(value[0].lit) : null;
  const prefix = scheme?.[0] ?? '';
  const rest: Word = scheme
    ? [{ lit: (value[0] as { lit: string }).lit.slice(prefix.length) }, ...value.slice(1)]
    : value;
  const cleaned = rest.filter((p) => !('lit' in p) || p.lit !== '');
  if (cleaned.length === 1 && 'variable' in cleaned[0]!)
    return `${prefix}${variableTemplate(cleaned[0].variable, needs, true)}`;
  const text = literal(cleaned);
  if (text === null) return null;
  const placeholder = findPlaceholders(text, true);
  const fromName =
    placeholder.length === 1 && placeholder[0]!.start === 0 && placeholder[0]!.end === text.length
      ? secretName(text.replace(/^<|>$|^\{|\}$/g, '').replace(/^your[-_]/i, ''))
      : secretName(name === 'Authorization' || /^authorization$/i.test(name) ? 'API_TOKEN' : name);
  needs.secrets.add(fromName);
  return `${prefix}{{ secrets.${fromName} }}`;
}

/** SQL with placeholders as bind values; null when one stands inside a string it does not fill. */
function sqlPlaceholders(text: string, needs: Needs, line: number): string | null {
  const tokens = lexSql(text);
  let out = '';
  let cursor = 0;
  for (const t of tokens) {
    if (t.type === 'string') {
      const inner = t.text.replace(/^[EeNn]?'|'$/g, '');
      const found = findPlaceholders(inner, true);
      if (found.length === 1 && found[0]!.start === 0 && found[0]!.end === inner.length) {
        out += escapeBraces(text.slice(cursor, t.start));
        out += valueTemplate(found[0]!, needs, line);
        cursor = t.end;
      } else if (found.length > 0 || inner.includes('{{')) return null;
      continue;
    }
    if (t.type === 'comment' || t.type === 'quoted-ident') {
      if (t.text.includes('{{')) return null;
    }
  }
  const rest = text.slice(cursor);
  // Placeholders outside strings and comments.
  const opaque = lexSql(rest).filter((t) => t.type === 'string' || t.type === 'comment' || t.type === 'quoted-ident');
  let result = '';
  let c = 0;
  for (const ph of findPlaceholders(rest, true)) {
    if (opaque.some((t) => ph.start < t.end && ph.end > t.start)) continue;
    if (ph.start < c) continue;
    result += escapeBraces(rest.slice(c, ph.start));
    result += valueTemplate(ph, needs, line);
    c = ph.end;
  }
  result += escapeBraces(rest.slice(c));
  return out + result;
}

function tableOf(text: string, keyword: string): string | null {
  const re: Record<string, RegExp> = {
    UPDATE: /\bUPDATE\s+(?:ONLY\s+)?([\w."]+)/i,
    DELETE: /\bDELETE\s+FROM\s+(?:ONLY\s+)?([\w."]+)/i,
    INSERT: /\bINSERT\s+INTO\s+([\w."]+)/i,
    TRUNCATE: /\bTRUNCATE\s+(?:TABLE\s+)?([\w."]+)/i,
    DROP: /\bDROP\s+\w+\s+(?:IF\s+EXISTS\s+)?([\w."]+)/i,
    ALTER: /\bALTER\s+\w+\s+(?:IF\s+EXISTS\s+)?([\w."]+)/i,
    SELECT: /\bFROM\s+([\w."]+)/i,
  };
  const m = re[keyword]?.exec(text);
  return m ? m[1]!.replaceAll('"', '') : null;
}

function withoutPassword(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]+):[^@/]*@/, '$1:${PGPASSWORD}@');
}

/** An "Expected" block → an assertion on the status and the JSON fields it shows. */
function expectation(text: string, id: string): { that: string; says: string } | null {
  const status = /^\s*(?:HTTP\/[\d.]+\s+)?(\d{3})\b/.exec(text.trim());
  if (status && !text.trim().startsWith('{')) {
    return { that: `${id}.status == ${status[1]}`, says: `status ${status[1]}` };
  }
  const json = looseJson(text);
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return null;
  const terms: string[] = [];
  const says: string[] = [];
  for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
    if (!/^[A-Za-z_$][\w$]*$/.test(key)) continue;
    if (
      /time|date|_at$|At$|version|^id$|_id$|Id$|uptime|count|total|latency|duration|url|hash|sha|commit|tokens|rate/i.test(
        key,
      )
    )
      continue;
    if (typeof value === 'boolean') {
      terms.push(`${id}.json.${key} == ${value}`);
      says.push(`${key} ${value}`);
    } else if (
      typeof value === 'string' &&
      /^[A-Za-z][\w -]{0,30}$/.test(value) &&
      !/^\d|^[0-9a-f-]{16,}$/i.test(value)
    ) {
      terms.push(`${id}.json.${key} == ${JSON.stringify(value)}`);
      says.push(`${key} ${value}`);
    }
    if (terms.length === 3) break;
  }
  if (terms.length === 0) return null;
  return { that: terms.join(' && '), says: says.join(', ') };
}

/** JSON as runbooks show it: with `#` and `//` comments and trailing commas. */
function looseJson(text: string): unknown {
  const cleaned = text
    .split('\n')
    .map((l) => {
      let inString = false;
      for (let i = 0; i < l.length; i++) {
        const c = l[i]!;
        if (c === '\\') i++;
        else if (c === '"') inString = !inString;
        else if (!inString && (c === '#' || (c === '/' && l[i + 1] === '/'))) return l.slice(0, i);
      }
      return l;
    })
    .join('\n')
    .replace(/,(\s*[}\]])/g, '$1')
    .trim();
  try {
    return JSON.parse(cleaned);
  } catch {
    return null;
  }
}
