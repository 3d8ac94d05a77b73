/**
 * An HTTP request read from a plain runbook: a `curl` command line, a PowerShell
 * `Invoke-WebRequest`/`iwr`/`Invoke-RestMethod` line, or a `GET /path` line. Variables stay
 * apart (`$TOKEN`), so the draft can declare them instead of writing any value.
 */
import { literal, type Word, type WordPart } from './shell-lines.js';

export interface PlainRequest {
  method: string;
  /** The URL as written (a word, with its variables). */
  url: Word;
  headers: { name: string; value: Word }[];
  body: Word | null;
  /** Why it cannot become a step as it is (an option Stepwise has no equivalent for). */
  problem: string | null;
}

const CURL_FLAGS_WITH_ARGUMENT = new Set([
  '-o',
  '--output',
  '-m',
  '--max-time',
  '--connect-timeout',
  '-w',
  '--write-out',
  '-A',
  '--user-agent',
  '-e',
  '--referer',
  '--retry',
  '--retry-delay',
  '--retry-max-time',
  '-c',
  '--cookie-jar',
  '--cacert',
  '--cert',
  '--key',
  '--resolve',
  '--interface',
  '-x',
  '--proxy',
  '--limit-rate',
  '-r',
  '--range',
  '-y',
  '--speed-time',
  '-Y',
  '--speed-limit',
  '--max-redirs',
  '-D',
  '--dump-header',
  '--trace',
  '--trace-ascii',
  '-z',
  '--time-cond',
]);
const SHORT_WITH_ARGUMENT = new Set([
  'X',
  'H',
  'd',
  'u',
  'o',
  'm',
  'w',
  'A',
  'e',
  'b',
  'c',
  'F',
  'x',
  'r',
  'D',
  'T',
  'z',
]);
const UNSUPPORTED: Record<string, string> = {
  '-u': 'basic authentication (`-u`)',
  '--user': 'basic authentication (`--user`)',
  '-F': 'a multipart form (`-F`)',
  '--form': 'a multipart form (`--form`)',
  '-T': 'an upload (`-T`)',
  '--upload-file': 'an upload (`--upload-file`)',
  '-b': 'a cookie (`-b`)',
  '--cookie': 'a cookie (`--cookie`)',
  '-G': '`-G` (data sent as a query)',
  '--get': '`--get` (data sent as a query)',
  '--data-urlencode': '`--data-urlencode`',
  '-E': 'a client certificate',
  '--cert': 'a client certificate',
  '--unix-socket': 'a Unix socket',
};

/** The request of `curl ARGS` (words[0] is `curl`), or null when these are not curl's words. */
export function curlRequest(words: Word[]): PlainRequest | null {
  const name = literal(words[0] ?? []);
  if (name !== 'curl' && name !== 'curl.exe') return null;
  let method: string | null = null;
  let url: Word | null = null;
  const headers: PlainRequest['headers'] = [];
  let body: Word | null = null;
  let problem: string | null = null;
  let head = false;
  const data = (w: Word | undefined): void => {
    if (w === undefined) return;
    const text = literal(w);
    if (text?.startsWith('@')) problem ??= `a body read from a file (\`${text}\`)`;
    body = body === null ? w : [...body, { lit: '&' }, ...w];
  };
  for (let i = 1; i < words.length; i++) {
    const w = words[i]!;
    const text = literal(w);
    if (text === null || !text.startsWith('-') || text === '-') {
      if (url === null) url = w;
      else problem ??= 'more than one URL';
      continue;
    }
    const eq = text.startsWith('--') ? text.indexOf('=') : -1;
    const flag = eq > 0 ? text.slice(0, eq) : text;
    const inlineValue: Word | undefined = eq > 0 ? [{ lit: text.slice(eq + 1) }] : undefined;
    const next = (): Word | undefined => inlineValue ?? words[++i];
    if (UNSUPPORTED[flag] !== undefined) {
      problem ??= UNSUPPORTED[flag]!;
      if (flag !== '-G' && flag !== '--get') next();
      continue;
    }
    switch (flag) {
      case '-X':
      case '--request':
        method = literal(next() ?? [])?.toUpperCase() ?? null;
        if (method === null) problem ??= 'a method that is a variable';
        continue;
      case '-H':
      case '--header': {
        const h = next();
        if (h !== undefined) pushHeader(headers, h);
        continue;
      }
      case '-d':
      case '--data':
      case '--data-raw':
      case '--data-binary':
      case '--data-ascii':
        data(next());
        continue;
      case '--json':
        data(next());
        headers.push({ name: 'Content-Type', value: [{ lit: 'application/json' }] });
        continue;
      case '--url':
        url = next() ?? null;
        continue;
      case '-I':
      case '--head':
        head = true;
        continue;
    }
    if (flag.startsWith('--')) {
      if (CURL_FLAGS_WITH_ARGUMENT.has(flag) && inlineValue === undefined) i++;
      continue;
    }
    // short flags, possibly bundled: -sSfL, -sX POST, -XPOST
    for (let k = 1; k < text.length; k++) {
      const c = text[k]!;
      if (!SHORT_WITH_ARGUMENT.has(c)) {
        if (c === 'I') head = true;
        if (c === 'G') problem ??= UNSUPPORTED['-G']!;
        continue;
      }
      const rest = text.slice(k + 1);
      const value: Word | undefined = rest !== '' ? [{ lit: rest }] : words[++i];
      if (c === 'X') method = (value && literal(value)?.toUpperCase()) ?? null;
      else if (c === 'H' && value) pushHeader(headers, value);
      else if (c === 'd') data(value);
      else if (c === 'u' || c === 'F' || c === 'b' || c === 'T') problem ??= UNSUPPORTED[`-${c}`]!;
      break;
    }
  }
  if (url === null) return null;
  const m = method ?? (head ? 'HEAD' : body !== null ? 'POST' : 'GET');
  return { method: m, url, headers, body, problem };
}

function pushHeader(headers: PlainRequest['headers'], word: Word): void {
  const first = word[0];
  if (first === undefined || !('lit' in first)) return;
  const colon = first.lit.indexOf(':');
  if (colon <= 0) return;
  const name = first.lit.slice(0, colon).trim();
  const value: Word = [{ lit: first.lit.slice(colon + 1).replace(/^\s+/, '') }, ...word.slice(1)];
  headers.push({ name, value: value.filter((p) => !('lit' in p) || p.lit !== '') });
}

/** PowerShell's words: quotes without backslash escapes, `$env:NAME` and `$NAME` as variables. */
export function powershellWords(line: string): { words: Word[]; rest: string } {
  const words: Word[] = [];
  let parts: WordPart[] = [];
  let lit = '';
  let inWord = false;
  const flush = (): void => {
    if (lit !== '') parts.push({ lit });
    lit = '';
  };
  const end = (): void => {
    flush();
    if (inWord) words.push(parts);
    parts = [];
    inWord = false;
  };
  const variable = (text: string, i: number): number => {
    const m = /^\$(?:env:)?([A-Za-z_]\w*)/i.exec(text.slice(i));
    if (!m) {
      lit += '$';
      return i;
    }
    flush();
    parts.push({ variable: m[1]! });
    return i + m[0].length - 1;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const close = line.indexOf("'", i + 1);
      lit += line.slice(i + 1, close === -1 ? line.length : close);
      inWord = true;
      i = close === -1 ? line.length : close;
      continue;
    }
    if (c === '"') {
      inWord = true;
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '`' && j + 1 < line.length) lit += line[++j];
        else if (line[j] === '$') j = variable(line, j);
        else lit += line[j];
      }
      i = j;
      continue;
    }
    if (c === '@' && line[i + 1] === '{') {
      const close = line.indexOf('}', i);
      const text = line.slice(i, close === -1 ? line.length : close + 1);
      flush();
      parts.push({ lit: text });
      inWord = true;
      i = close === -1 ? line.length : close;
      continue;
    }
    if (c === '$') {
      inWord = true;
      i = variable(line, i);
      continue;
    }
    if (c === ' ' || c === '\t') {
      end();
      continue;
    }
    if (c === '|' || c === ';') {
      end();
      return { words, rest: line.slice(i) };
    }
    if (c === '#' && !inWord) break;
    lit += c;
    inWord = true;
  }
  end();
  return { words, rest: '' };
}

const PS_FETCH = /^(iwr|irm|invoke-webrequest|invoke-restmethod|curl)$/i;

/** The request of a PowerShell `Invoke-WebRequest` line, or null. */
export function powershellRequest(words: Word[]): PlainRequest | null {
  const name = literal(words[0] ?? []);
  if (name === null || !PS_FETCH.test(name)) return null;
  let url: Word | null = null;
  let method = 'GET';
  let body: Word | null = null;
  let problem: string | null = null;
  const headers: PlainRequest['headers'] = [];
  for (let i = 1; i < words.length; i++) {
    const text = literal(words[i]!);
    if (text?.startsWith('-')) {
      const flag = text.toLowerCase();
      const value = words[++i];
      if (value === undefined) break;
      if (flag === '-uri') url = value;
      else if (flag === '-method') method = literal(value)?.toUpperCase() ?? 'GET';
      else if (flag === '-body') body = value;
      else if (flag === '-contenttype') headers.push({ name: 'Content-Type', value });
      else if (flag === '-headers') {
        const table = literal(value);
        if (table === null || !parseHashtable(table, headers)) problem ??= 'headers Stepwise cannot read';
      } else if (flag === '-usebasicparsing' || flag === '-useb') i--;
      else problem ??= `\`${text}\``;
      continue;
    }
    if (url === null) url = words[i]!;
  }
  if (url === null) return null;
  return { method, url, headers, body, problem };
}

/** `@{ Name = "value"; Other = 'x' }` into headers (values may hold `$env:NAME`). */
function parseHashtable(text: string, headers: PlainRequest['headers']): boolean {
  const m = /^@\{(.*)\}$/s.exec(text.trim());
  if (!m) return false;
  for (const entry of m[1]!.split(/;|\n/)) {
    if (entry.trim() === '') continue;
    const kv = /^\s*["']?([\w-]+)["']?\s*=\s*(.*?)\s*$/.exec(entry);
    if (!kv) return false;
    const { words } = powershellWords(kv[2]!);
    if (words.length !== 1) return false;
    headers.push({ name: kv[1]!, value: words[0]! });
  }
  return true;
}

const METHOD_LINE = /^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)\s+(\S+)(?:\s+HTTP\/[\d.]+)?\s*$/;

/** `GET /api/v1/inbox?status=open` (also with a full URL), or null. */
export function methodLine(text: string): PlainRequest | null {
  const m = METHOD_LINE.exec(text.trim());
  if (!m) return null;
  const target = m[2]!;
  if (!target.startsWith('/') && !/^https?:\/\//.test(target)) return null;
  return { method: m[1]!, url: [{ lit: target }], headers: [], body: null, problem: null };
}
