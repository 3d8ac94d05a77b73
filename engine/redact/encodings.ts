/**
 * The encoded forms of a secret value: the ways a secret shows up in output once a tool has
 * base64'd, hex-dumped, URL-encoded, JSON- or HTML-escaped it, or printed it with other line
 * endings. The redactor masks every form under the secret's name. Also the views of output the
 * forms are searched in (colour codes and MIME line breaks removed, mapped back).
 */

/** One string to look for. `base64` forms are also looked for across line breaks (MIME wraps at 76 columns). */
export interface EncodedForm {
  text: string;
  base64: boolean;
}

/** Every distinct encoded form of `value`, longest first. Empty forms are dropped. */
export function encodedForms(value: string): EncodedForm[] {
  // base64 and hex are what tools wrap (MIME at 76 columns, `xxd -p` at 60): searched across line breaks.
  const base64 = new Set([...base64Forms(value), ...hexForms(value)]);
  const plain = new Set([
    ...rawForms(value),
    ...urlForms(value),
    ...jsonForms(value),
    ...xmlForms(value),
    ...escapedForms(value),
  ]);
  const forms: EncodedForm[] = [];
  for (const text of base64) if (text !== '') forms.push({ text, base64: true });
  // A form found both ways is searched across line breaks too, which also finds it unbroken.
  for (const text of plain) if (text !== '' && !base64.has(text)) forms.push({ text, base64: false });
  return forms.sort((a, b) => b.text.length - a.text.length);
}

/**
 * Parts of a structured secret that a runbook can take out and use on their own, each masked like
 * the secret: the string leaves of a JSON secret (`JSON.parse(secrets.DB).password`), and the
 * password, path and query values of a URL secret (a webhook's path is its token). Parts shorter
 * than 8 characters are left out: masking them would shred ordinary text.
 */
export function derivedValues(value: string): string[] {
  const parts = new Set<string>();
  const add = (part: unknown): void => {
    if (typeof part === 'string' && Array.from(part).length >= 8 && part !== value) parts.add(part);
  };
  const trimmed = value.trim();
  if (/^[[{]/.test(trimmed)) {
    try {
      const walk = (v: unknown, depth: number): void => {
        if (depth > 20) return;
        if (typeof v === 'string') add(v);
        else if (v && typeof v === 'object') for (const item of Object.values(v)) walk(item, depth + 1);
      };
      walk(JSON.parse(trimmed) as unknown, 0);
    } catch {
      // not JSON: a secret that merely starts with a bracket
    }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    try {
      const url = new URL(trimmed);
      add(decodeURIComponent(url.password));
      add(url.pathname.length > 1 ? url.pathname : '');
      for (const v of url.searchParams.values()) add(v);
    } catch {
      // not a URL after all
    }
  }
  return [...parts];
}

/**
 * The value, the value with other line endings, and each line of a multi-line value (a PEM key)
 * on its own, so a key re-indented or printed with `\r\n` is still caught. Short lines are skipped
 * because they would mask ordinary text.
 */
function rawForms(value: string): string[] {
  // Also as tools print it changed: upper or lower case (`tr a-z A-Z`), Unicode NFC or NFD.
  const variants = [value.toUpperCase(), value.toLowerCase(), value.normalize('NFC'), value.normalize('NFD')].filter(
    (v) => v !== value && Array.from(v).length >= 8,
  );
  return [...lineForms(value), ...variants];
}

function lineForms(value: string): string[] {
  if (!/[\r\n]/.test(value)) return [value];
  const lines = value
    .split(/\r?\n|\r/)
    .map((line) => line.trim())
    .filter((line) => line.length >= 8);
  const lf = value.replace(/\r\n?/g, '\n');
  return [value, lf, lf.replace(/\n/g, '\r\n'), ...lines];
}

function hexForms(value: string): string[] {
  const hex = Buffer.from(value, 'utf8').toString('hex');
  return [hex, hex.toUpperCase()];
}

/** encodeURIComponent, the form encoding (`+` for space), and both with lower-case `%xx`. */
function urlForms(value: string): string[] {
  let component: string;
  try {
    component = encodeURIComponent(value);
  } catch {
    return []; // a lone surrogate cannot be URL-encoded, so it cannot appear URL-encoded either
  }
  const form = new URLSearchParams([['k', value]]).toString().slice(2);
  const variants = [component, component.replace(/%20/g, '+'), form];
  return [...variants, ...variants.map((v) => v.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()))];
}

/**
 * JSON.stringify without the quotes, with `\/` for `/`, with `\uXXXX` for non-ASCII, with `<`, `>`,
 * `&` (and `'`) as `\u003c`... (Go, Rails), and escaped twice (JSON in a JSON string).
 */
function jsonForms(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  const u = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  const lower = json.replace(/[\u0080-\uffff]/g, u);
  const htmlSafe = [json.replace(/[<>&]/g, u), json.replace(/[<>&']/g, u), lower.replace(/[<>&]/g, u)];
  const upperHex = (v: string): string => v.replace(/\\u([0-9a-f]{4})/g, (_m, h: string) => `\\u${h.toUpperCase()}`);
  const variants = [json, lower, upperHex(lower), ...htmlSafe, ...htmlSafe.map(upperHex)];
  return [...variants, ...variants.map((v) => v.replace(/\//g, '\\/')), JSON.stringify(json).slice(1, -1)];
}

/** Quote spellings seen from common HTML/XML escapers: [for `"`, for `'`]. */
const QUOTES: [string, string][] = [
  ['"', "'"],
  ['&quot;', "'"],
  ['&quot;', '&#39;'],
  ['&quot;', '&apos;'],
  ['&quot;', '&#x27;'],
  ['&#34;', '&#39;'],
  ['&#x22;', '&#x27;'],
];

/**
 * How shells, CSV, SQL and language literals escape quotes and metacharacters: `'\''` inside
 * single quotes (how Stepwise itself quotes a value into a script), `'"'"'`, doubled quotes (SQL,
 * YAML, CSV), a backslash before quotes (Python repr, C, JS), and bash's `printf %q`.
 */
function escapedForms(value: string): string[] {
  return [
    value.replace(/'/g, `'\\''`),
    value.replace(/'/g, `'"'"'`),
    value.replace(/'/g, "''"),
    value.replace(/"/g, '""'),
    value.replace(/(["'\\])/g, '\\$1'),
    value.replace(/\\/g, '\\\\'), // only backslashes doubled: psql COPY, Python repr of a str with both quotes
    value.replace(/([ \t$"'&;|<>()!*?[\]{}^,\\`])/g, '\\$1'),
  ];
}

function xmlForms(value: string): string[] {
  const base = value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return QUOTES.map(([dq, sq]) => base.replace(/"/g, dq).replace(/'/g, sq));
}

/**
 * base64 of the value and of the value plus `\n` (as `echo $TOKEN | base64` makes), with and
 * without padding, in the standard and URL-safe alphabets, and the stable inner runs.
 */
function base64Forms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const forms: string[] = [];
  for (const payload of [bytes, Buffer.concat([bytes, Buffer.from('\n')])]) {
    const full = payload.toString('base64');
    forms.push(full, full.replace(/=+$/, ''));
    for (const offset of [0, 1, 2]) forms.push(stableRun(payload, offset));
  }
  // base64 inside a JSON string written with `\/` for `/` (PHP, some Java encoders)
  return [
    ...forms,
    ...forms.map(toBase64Url),
    ...forms.filter((f) => f.includes('/')).map((f) => f.replace(/\//g, '\\/')),
  ];
}

/**
 * When the bytes sit `offset` bytes (mod 3) into a larger base64'd blob, the base64 characters
 * whose 6 bits all come from these bytes are the same whatever the surrounding bytes are.
 * Character j covers bits [6j, 6j+6); the bytes cover bits [8·offset, 8·(offset+n)).
 */
export function stableRun(bytes: Uint8Array, offset: number): string {
  const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
  return encoded.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + bytes.length)) / 6));
}

function toBase64Url(b64: string): string {
  return b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

// ---------------------------------------------------------------------------------------------
// Views: output as the forms are searched in. A terminal colours text and MIME wraps base64, so
// forms are searched in a copy with escapes (and, for base64, line breaks) removed, and matches
// are mapped back to the original indexes. Building a view is one linear pass.

/**
 * A copy of some text with characters removed or decoded: `text[i]` came from the original
 * characters [orig(i), end(i)) (one character, or three for a decoded `%XX`).
 */
export interface View {
  text: string;
  orig(i: number): number;
  end(i: number): number;
}

/**
 * CSI (`ESC [ … final`) and OSC (`ESC ] … BEL|ESC \`) sequences, charset designations (`ESC ( B`,
 * which `tput sgr0` writes) and the two-character escapes (`ESC 7`, `ESC M`, ...). Disjoint
 * classes: no backtracking.
 */
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()*+][0-9A-Za-z]|\x1b[78=>DEHMNOZc]/g;
/** A line break and the indentation after it (MIME, PEM bodies, YAML block scalars). */
const LINE_BREAK = /\r?\n[ \t]*/g;

/** `text` without ANSI escape sequences (the text itself when it has no ESC). */
export function withoutAnsi(text: string): View {
  const identity: View = { text, orig: (i) => i, end: (i) => i + 1 };
  return text.includes('\x1b') ? without(identity, ANSI) : identity;
}

/** `view` without line breaks and the indentation after them. */
export function withoutLineBreaks(view: View): View {
  return view.text.includes('\n') ? without(view, LINE_BREAK) : view;
}

/** `base` without the matches of `re`. Linear: one pass, and a binary search per lookup. */
function without(base: View, re: RegExp): View {
  const src = base.text;
  const parts: string[] = [];
  const at: number[] = []; // view index before which a removed run sat
  const shift: number[] = []; // characters removed up to and including that run
  let last = 0;
  let removed = 0;
  re.lastIndex = 0;
  for (let m = re.exec(src); m; m = re.exec(src)) {
    parts.push(src.slice(last, m.index));
    at.push(m.index - removed);
    removed += m[0].length;
    shift.push(removed);
    last = m.index + m[0].length;
  }
  if (at.length === 0) return base;
  parts.push(src.slice(last));
  return {
    text: parts.join(''),
    orig: (i) => base.orig(i + shiftAt(at, shift, i)),
    end: (i) => base.end(i + shiftAt(at, shift, i)),
  };
}

/** A percent-encoded printable ASCII character, either hex case. */
const PERCENT = /%(2[0-9a-f]|[3-6][0-9a-f]|7[0-9a-e])/gi;

/**
 * `view` with every `%XX` of a printable ASCII character decoded, so a secret URL-encoded by a
 * tool that encodes more than it must (`-` as `%2D`, every byte, a mix) is found as the value.
 * (encodeURIComponent's own forms of non-ASCII text are among the secret's forms already.)
 */
export function percentDecoded(view: View): View {
  return view.text.includes('%') ? decoded(view, PERCENT, (m) => String.fromCharCode(parseInt(m[1]!, 16))) : view;
}

/** A printable ASCII character as a JSON `\u00XX` escape or an HTML/XML character reference. */
const ESCAPED =
  /\\u00([2-7][0-9a-f])|&#(3[2-9]|[4-9]\d|1[01]\d|12[0-6]);|&#x([2-7][0-9a-f]);|&(amp|lt|gt|quot|apos);/gi;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * `view` with JSON `\u00XX` escapes and HTML character references of printable ASCII decoded:
 * encoders escape different characters (`+` as `\u002B` in .NET, `=` as `\u003d` in Gson, `+` as
 * `&#43;` in Go templates), more than a list of forms can follow.
 */
export function escapesDecoded(view: View): View {
  const t = view.text;
  return t.includes('\\u00') || t.includes('&')
    ? decoded(view, ESCAPED, (m) =>
        m[4]
          ? NAMED[m[4].toLowerCase()]!
          : String.fromCharCode(m[1] ? parseInt(m[1], 16) : m[2] ? Number(m[2]) : parseInt(m[3]!, 16)),
      )
    : view;
}

/** `view` with each match of `re` (global) replaced by the one character `decode` gives. */
function decoded(view: View, re: RegExp, decode: (m: RegExpExecArray) => string): View {
  const src = view.text;
  const parts: string[] = [];
  const at: number[] = []; // view index of each decoded character
  const width: number[] = []; // how many characters of `view` it stood for
  let last = 0;
  let removed = 0;
  re.lastIndex = 0;
  for (let m = re.exec(src); m; m = re.exec(src)) {
    parts.push(src.slice(last, m.index), decode(m));
    at.push(m.index - removed);
    width.push(m[0].length);
    removed += m[0].length - 1;
    last = m.index + m[0].length;
  }
  if (at.length === 0) return view;
  parts.push(src.slice(last));
  // Where each decoded character sits in `view`: after the extra width of those before it.
  const extra: number[] = [];
  for (let k = 0, sum = 0; k < at.length; k++) extra.push((sum += width[k]! - 1));
  const decodedBefore = (i: number): number => {
    let lo = 0;
    let hi = at.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (at[mid]! < i) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const inView = (i: number): number => {
    const k = decodedBefore(i);
    return i + (k === 0 ? 0 : extra[k - 1]!);
  };
  const widthAt = (i: number): number => {
    const k = decodedBefore(i);
    return k < at.length && at[k] === i ? width[k]! : 1;
  };
  return { text: parts.join(''), orig: (i) => view.orig(inView(i)), end: (i) => view.end(inView(i) + widthAt(i) - 1) };
}

/** The shift of the last removed run sitting at or before view index `i`. */
function shiftAt(at: number[], shift: number[], i: number): number {
  let lo = 0;
  let hi = at.length - 1;
  let best = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((at[mid] ?? 0) <= i) {
      best = shift[mid] ?? 0;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}
