/**
 * The named redaction patterns a runbook can list under `redact:`, the author's own regexes, and
 * the two always-on rules (credentials in URLs, sensitive header lines). Each is a `Matcher`: it
 * reports where to mask and with what, and never edits text itself, so the redactor can resolve
 * overlaps between all rules and secrets in one place. Also which object keys hold secrets, for
 * `Redactor.value()`.
 */
import type { REDACT_PATTERNS } from '../document/frontmatter-model.js';
import { compileLinear, matchesFrom, type LinearRegex } from './linear-regex.js';

/** A half-open range [start, end) of the input to replace by `mask`. */
export interface Match {
  start: number;
  end: number;
  mask: string;
  /**
   * Found by a token's shape alone (`ghp_…`, a private key block): when a declared secret or a
   * listed pattern masks exactly the same range, its mask names it better and wins.
   */
  weak?: boolean;
  /**
   * Where the text the rule recognises the match by begins, when before `start` (a header's name,
   * `NAME=`, a JSON key): a stream must not emit that part alone, or the value after it could no
   * longer be recognised.
   */
  anchor?: number;
}

export interface Matcher {
  /** Appends every match that starts at or after `from`; text before `from` is context only (lookbehind, `^`). */
  find(text: string, from: number, out: Match[]): void;
  /** How many trailing characters a stream must hold back so a match still being written is not cut. */
  readonly hold: number;
  /**
   * Where a stream must start holding back instead (a value that has begun and not ended yet), or
   * the text's length when nothing is open. Lets a rule need a long hold only while it is open.
   */
  holdFrom?(text: string): number;
}

export type PatternName = (typeof REDACT_PATTERNS)[number];

/** A matcher over one global regex; `accept` can veto a match (a Luhn check, a digit count). */
function regexMatcher(re: RegExp, mask: string, hold: number, accept?: (s: string) => boolean): Matcher {
  return {
    hold,
    find(text, from, out) {
      re.lastIndex = from;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        if (m[0].length === 0) {
          re.lastIndex++; // an empty match masks nothing; step past it so the loop ends
          continue;
        }
        if (!accept || accept(m[0])) out.push({ start: m.index, end: m.index + m[0].length, mask });
      }
    },
  };
}

/** The Luhn checksum every payment card number passes; most random digit strings do not. */
export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

const digitsOf = (s: string): string => s.replace(/\D/g, '');

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';

// The header segment is base64url JSON (`{"` → eyJ); even `{"alg":"x"}` is 15 characters long.
const JWT_TOKEN = String.raw`eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*`;
const JWT = String.raw`(?<![\w-])` + JWT_TOKEN;
/** AWS access key ids: long-term (AKIA), temporary (ASIA), and the rarer ABIA/ACCA, then 16 base32 characters. */
const AWS_KEY_ID = '(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9])';

/** The patterns by name. Each regex is written so one start position costs a bounded amount of work. */
export const NAMED_PATTERNS: Record<PatternName, Matcher> = {
  email: emailMatcher(),
  // Keeps the word Bearer: only the token is masked. Lookbehind so a stream can emit "Bearer " early.
  bearer: regexMatcher(/(?<=\bbearer[ \t]{1,16})[A-Za-z0-9._~+/=-]{8,}/gi, '[REDACTED:bearer]', 64),
  // 13–19 digits, bare or in the usual 4-4-4-4(-3) / 4-6-5 groups, passing Luhn.
  card: regexMatcher(
    /(?<![\w.])(?:\d{13,19}|\d{4}([ -])\d{4}\1\d{4}\1\d{1,4}(?:\1\d{1,3})?|\d{4}([ -])\d{6}\2\d{4,5})(?!\w|\.\d)/g,
    '[REDACTED:card]',
    40,
    (s) => luhn(digitsOf(s)),
  ),
  // International (+ and 8–15 digits, groups separated) or North-American (555) 123-4567 shapes.
  phone: regexMatcher(
    /(?<![\w+])\+(?:\d{7,15}|\d{1,3}(?:[ .-]?\(\d{1,4}\)|[ .-]\d{1,4}){1,6})(?!\w)|(?<![\w(.-])(?:\(\d{3}\)[ .-]?|\d{3}[ .-])\d{3}[ .-]\d{4}(?!\w|[.-]\d)/g,
    '[REDACTED:phone]',
    32,
    (s) => !s.startsWith('+') || (digitsOf(s).length >= 8 && digitsOf(s).length <= 15),
  ),
  ipv4: regexMatcher(new RegExp(`(?<![\\w.])(?:${OCTET}\\.){3}${OCTET}(?!\\w|\\.\\d)`, 'g'), '[REDACTED:ipv4]', 16),
  // Also always on, declared or not (TOKEN_SHAPES): listing them changes nothing but documents intent.
  jwt: regexMatcher(new RegExp(JWT, 'g'), '[REDACTED:jwt]', 64),
  'aws-key': regexMatcher(new RegExp(`(?<![A-Za-z0-9])${AWS_KEY_ID}`, 'g'), '[REDACTED:aws-key]', 24),
};

/**
 * Credentials recognised by their shape alone, as secret scanners (gitleaks, GitHub secret
 * scanning) find them: each vendor's documented prefix, character set and length, so that ordinary
 * words, ids and hashes never match (`sk_live` alone, a git SHA, a UUID, `github_pat` in prose).
 * Always on. Each entry: the mask's kind, and the token's regex (without the boundaries).
 */
const TOKEN_KINDS: readonly (readonly [kind: string, source: string])[] = [
  // Stripe: secret and restricted keys, live and test (a test key still reads and writes the account's test data); webhook signing secrets
  ['stripe', String.raw`[sr]k_(?:live|test)_[A-Za-z0-9]{20,247}`],
  ['stripe', String.raw`whsec_[A-Za-z0-9+/]{24,128}={0,2}`],
  // GitHub: personal, OAuth, user-to-server, server-to-server and refresh tokens (36 characters today); fine-grained PATs (82)
  ['github', String.raw`gh[pousr]_[A-Za-z0-9]{36,251}`],
  ['github', String.raw`github_pat_[A-Za-z0-9_]{82,244}`],
  // Slack: bot, user, app, refresh, legacy and config tokens (xoxe.xoxp-…); app-level tokens
  ['slack', String.raw`(?:xoxe\.)?xox[abeoprs]-[0-9]{1,16}-[A-Za-z0-9-]{8,250}`],
  ['slack', String.raw`xapp-[0-9]{1,4}-[A-Za-z0-9]{4,32}-[0-9]{4,32}-[A-Za-z0-9]{16,128}`],
  // GitLab: personal, OAuth application secret, deploy, runner, CI job, trigger, feed, incoming mail, SCIM and agent tokens
  [
    'gitlab',
    String.raw`gl(?:pat|oas|dt|rt|cbt|ptt|ft|imt|soat|agent)-[A-Za-z0-9_-]{20,300}(?:\.[A-Za-z0-9]{2,32}){0,2}`,
  ],
  ['npm', String.raw`npm_[A-Za-z0-9]{36}`],
  // PyPI (and TestPyPI) API tokens: a macaroon whose base64 starts AgE
  ['pypi', String.raw`pypi-AgE[A-Za-z0-9_-]{50,1000}`],
  ['aws-key', '(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}'],
  ['google-api-key', String.raw`AIza[A-Za-z0-9_-]{35}`],
  ['anthropic', String.raw`sk-ant-[a-z]{2,10}[0-9]{2}-[A-Za-z0-9_-]{32,250}`],
  // OpenAI: project, service-account and admin keys; legacy user keys (sk- and 48 letters and digits)
  ['openai', String.raw`sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,250}`],
  ['openai', String.raw`sk-[A-Za-z0-9]{32,250}`],
  ['sendgrid', String.raw`SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}`],
  // Twilio API key SIDs
  ['twilio', String.raw`SK[0-9a-fA-F]{32}`],
  // Shopify: admin API access tokens, shared secrets, custom and private app tokens
  ['shopify', String.raw`shp(?:at|ss|ca|pa)_[a-fA-F0-9]{32}`],
  // DigitalOcean: personal access, OAuth and refresh tokens
  ['digitalocean', String.raw`do[opr]_v1_[a-f0-9]{64}`],
  // HashiCorp Vault service and batch tokens (the legacy `s.` form is too short to tell from text)
  ['vault', String.raw`hvs\.[A-Za-z0-9_-]{90,300}`],
  ['vault', String.raw`hvb\.[A-Za-z0-9_-]{138,300}`],
  // Atlassian API tokens (Jira, Confluence, Bitbucket)
  ['atlassian', String.raw`AT(?:ATT|CTT)3[A-Za-z0-9_=-]{150,250}`],
  ['databricks', String.raw`dapi[a-f0-9]{32}(?:-[0-9])?`],
];

/**
 * One regex for every shape: a group per kind (the last one JWTs), each bounded by a character no
 * token holds on either side (so a token is never found inside a longer run, nor cut out of one).
 * Every shape starts with a letter, so `\b(?<!-)` is `(?<![A-Za-z0-9_-])`, and lets V8 skip ahead
 * to word starts: this costs ~1.5 ms a MB of log text.
 */
const TOKENS = new RegExp(
  `\\b(?<!-)(?:${[...TOKEN_KINDS.map(([, source]) => source), JWT_TOKEN].map((source) => `(${source})`).join('|')})(?![A-Za-z0-9_-])`,
  'g',
);
const TOKEN_MASKS = [...TOKEN_KINDS.map(([kind]) => `[REDACTED:${kind}]`), '[REDACTED:jwt]'];

/**
 * Tokens whose shape says what they are (TOKEN_KINDS, and JWTs), masked as `[REDACTED:<kind>]`.
 * No hold: a stream holds back an unfinished token (no whitespace yet) whole.
 */
export const TOKEN_SHAPES: Matcher = {
  hold: 0,
  find(text, from, out) {
    TOKENS.lastIndex = from;
    for (let m = TOKENS.exec(text); m; m = TOKENS.exec(text)) {
      let group = 1;
      while (m[group] === undefined) group++;
      out.push({ start: m.index, end: m.index + m[0].length, mask: TOKEN_MASKS[group - 1]!, weak: true });
    }
  },
};

/** How far after its BEGIN line a private key block's END line is looked for (a 16384-bit RSA key is 13 KB). */
const KEY_WINDOW = 64 * 1024;
const KEY_BEGIN = /-----BEGIN (?:[A-Z0-9]+ ){0,4}PRIVATE KEY(?: BLOCK)?-----/g;
const KEY_END = /-----END (?:[A-Z0-9]+ ){0,4}PRIVATE KEY(?: BLOCK)?-----/g;
/**
 * A line of a key's body (group 1) and its line break: base64, or an RFC 1421 / OpenPGP armor
 * header (`Proc-Type: 4,ENCRYPTED`). A line ends at a newline or a `\n` escape (a key in a JSON
 * string); the body ends at a closing quote (a key cut short inside a string).
 */
const KEY_BODY_LINE =
  /([ \t]*(?:[A-Za-z0-9+/=]*|[A-Za-z][A-Za-z0-9-]{0,40}: [^\r\n\\"]*)[ \t]*)(?:\r?\n|\\r\\n|\\n|$|(?=["'`<]))/y;
/** The start of a BEGIN line still being written, at the end of a stream's text. */
const KEY_BEGIN_PARTIAL = /(?<!-)(?:-{1,5}|-----(?:B|BE|BEG|BEGI|BEGIN)|-----BEGIN [A-Z0-9 ]{0,60}-{0,4})$/;

/**
 * Private key blocks (PEM, OpenSSH, PGP armor): `-----BEGIN … PRIVATE KEY-----` through its
 * `-----END … PRIVATE KEY-----` line, whole, also when the lines are written as `\n` escapes in
 * a JSON string. A block with no END line within KEY_WINDOW (output cut short) is masked through
 * the last line that can belong to a key. A stream holds a block from its BEGIN line until its END
 * line has come (or the window has passed), and a BEGIN line being written.
 */
export const PRIVATE_KEYS: Matcher = {
  hold: 0, // see holdFrom
  find(text, from, out) {
    if (text.indexOf('-----BEGIN ', from) === -1) return;
    // The first END line after the current BEGIN line: looked for again only once a block is past it,
    // so many BEGIN lines with no END cost one search, not one each.
    let endStart = -1;
    let endStop = -1;
    KEY_BEGIN.lastIndex = from;
    for (let m = KEY_BEGIN.exec(text); m; m = KEY_BEGIN.exec(text)) {
      const start = m.index;
      const bodyStart = start + m[0].length;
      const limit = Math.min(text.length, start + KEY_WINDOW);
      if (endStart !== Infinity && endStart < bodyStart) {
        KEY_END.lastIndex = bodyStart;
        const end = KEY_END.exec(text);
        endStart = end ? end.index : Infinity;
        endStop = end ? end.index + end[0].length : Infinity;
      }
      const stop = endStop <= limit ? endStop : keyBodyEnd(text, bodyStart, limit);
      out.push({ start, end: stop, mask: '[REDACTED:private-key]', weak: true });
      KEY_BEGIN.lastIndex = stop;
    }
  },
  holdFrom(text) {
    const window = Math.max(0, text.length - KEY_WINDOW);
    const lastBegin = text.lastIndexOf('-----BEGIN ');
    if (lastBegin >= window) {
      // The last END line: a BEGIN after it has not ended yet.
      let lastEnd = -1;
      KEY_END.lastIndex = window;
      for (let m = KEY_END.exec(text); m; m = KEY_END.exec(text)) lastEnd = m.index;
      KEY_BEGIN.lastIndex = Math.max(window, lastEnd + 1);
      const open = KEY_BEGIN.exec(text);
      if (open) return open.index;
    }
    const partial = KEY_BEGIN_PARTIAL.exec(text.slice(-80));
    return partial ? text.length - (Math.min(80, text.length) - partial.index) : text.length;
  },
};

/**
 * The end of an unterminated key block: through the last line after the BEGIN line that can belong
 * to a key (lines end at a newline or a `\n` escape), looking no further than `limit`.
 */
function keyBodyEnd(text: string, bodyStart: number, limit: number): number {
  const t = limit < text.length ? text.slice(0, limit) : text;
  let stop = bodyStart;
  for (let at = bodyStart; at < t.length; ) {
    KEY_BODY_LINE.lastIndex = at;
    const m = KEY_BODY_LINE.exec(t);
    if (!m || m[0].length === 0) break;
    const content = m[1]!.trimEnd();
    if (content.trim() !== '') stop = at + content.length;
    at += m[0].length;
  }
  return stop;
}

/**
 * The author's regex, run on RE2 (linear-regex.ts): linear in the text, whatever the pattern, so
 * output that a backtracking engine would chew on for minutes (`(a+)+b` against a run of `a`s)
 * costs what any other text does. Throws (a PatternError; the redactor wraps it) when it does not
 * compile or uses what RE2 cannot express. A match longer than `hold` that is still growing at a
 * stream's edge may be cut.
 */
export function customMatcher(source: string): Matcher {
  let re: LinearRegex;
  try {
    re = compileLinear(source);
  } catch (e) {
    throw new Error(`redact regex /${source}/ ${(e as Error).message}`);
  }
  return {
    hold: 1024,
    find(text, from, out) {
      for (const [start, end] of matchesFrom(re, text, from)) out.push({ start, end, mask: '[REDACTED:regex]' });
    },
  };
}

const LOCAL_CHAR = /[A-Za-z0-9._%+-]/;
const DOMAIN = /@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}(?![A-Za-z0-9-])/g;

/**
 * Emails, found from each `@` (a regex starting with the local part would try every word of the
 * text). The local part is walked back by hand. `user:pass@host` inside a URL is left to the URL rule.
 */
function emailMatcher(): Matcher {
  return {
    hold: 320,
    find(text, from, out) {
      DOMAIN.lastIndex = Math.max(0, from);
      for (let m = DOMAIN.exec(text); m; m = DOMAIN.exec(text)) {
        let start = m.index;
        while (start > 0 && LOCAL_CHAR.test(text[start - 1] ?? '')) start--;
        if (start === m.index || start < from || insideUrlAuthority(text, start)) continue;
        out.push({ start, end: m.index + m[0].length, mask: '[REDACTED:email]' });
      }
    },
  };
}

const AUTHORITY_CHAR = /[A-Za-z0-9._~%!$&'()*+,;=:-]/;

/**
 * True when `at` follows `scheme://` within the same authority. The walk back stops at the first
 * character an authority cannot hold, or at an earlier `@`, so many addresses in one long run of
 * text still cost linear time.
 */
function insideUrlAuthority(text: string, at: number): boolean {
  for (let i = at - 1; i >= 2 && at - i < 2048; i--) {
    const c = text[i] ?? '';
    if (c === '/') return text[i - 1] === '/' && text[i - 2] === ':';
    if (!AUTHORITY_CHAR.test(c)) return false;
  }
  return false;
}

const SCHEME_CHAR = /[A-Za-z0-9+.-]/;
const AUTHORITY_END = /[\s/?#"'<>`\\]/;

/**
 * `scheme://user:pass@host` → `scheme://[REDACTED]@host`, also written `scheme:\/\/` inside a JSON
 * string. Walks from each separator, so text without one costs two indexOf calls.
 */
export const URL_CREDENTIALS: Matcher = {
  hold: 0, // a stream holds an unfinished token (no whitespace yet) whole, which covers a URL being written
  find(text, from, out) {
    for (const separator of ['://', ':\\/\\/']) {
      const n = separator.length;
      for (let i = text.indexOf(separator, Math.max(0, from - 64)); i !== -1; i = text.indexOf(separator, i + n)) {
        if (i === 0 || !SCHEME_CHAR.test(text[i - 1] ?? '')) continue;
        let end = i + n;
        let at = -1;
        while (end < text.length && !AUTHORITY_END.test(text[end] ?? '')) {
          if (text[end] === '@') at = end; // the last @ ends the userinfo: passwords often hold a raw @
          end++;
        }
        let scheme = i;
        while (scheme > 0 && SCHEME_CHAR.test(text[scheme - 1] ?? '')) scheme--;
        if (at > i + n && i + n >= from && !roleOnly(text.slice(scheme, i), text.slice(i + n, at)))
          out.push({ start: i + n, end: at, mask: '[REDACTED]', anchor: scheme });
      }
    }
  },
};

/**
 * A PostgreSQL URL's user name alone (`postgres://app@db/x`): the protocol never takes a
 * credential in the user name (the password comes from PGPASSWORD, a .pgpass file or a
 * certificate), so it is shown as is. A password, even an empty one (`app:@`), or a user name
 * that is a declared secret or has a token's shape, is still masked (by this rule or those).
 */
function roleOnly(scheme: string, userinfo: string): boolean {
  return /^postgres(?:ql)?$/i.test(scheme) && /^[A-Za-z0-9_.$-]{1,63}$/.test(userinfo);
}

/**
 * `NAME=value` where NAME says it holds a secret (`PGPASSWORD=`, `GITHUB_TOKEN=`, `password=` in a
 * connection string, `?token=` in a URL): the value, quoted or up to whitespace or `&`.
 */
export const SENSITIVE_ASSIGNMENTS: Matcher = {
  hold: 0, // an unquoted value is an unfinished token, which a stream holds whole; see holdFrom
  find(text, from, out) {
    // From a little before `from`: the name may already have been emitted while its value was not.
    const re = /(?<![\w.-])([A-Za-z_][A-Za-z0-9_.-]{0,63})=("[^"\r\n]*"|'[^'\r\n]*'|[^\s"'&;,]+)/g;
    re.lastIndex = Math.max(0, from - 66);
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const quoted = /^["']/.test(m[2]!) ? 1 : 0; // keep the quotes: only what is inside is the secret
      const start = m.index + m[1]!.length + 1 + quoted;
      const end = m.index + m[0].length - quoted;
      const inQuery = m.index > 0 && (text[m.index - 1] === '?' || text[m.index - 1] === '&');
      if (!isSensitiveKey(m[1]!) && !(inQuery && QUERY_SECRETS.test(m[1]!))) {
        re.lastIndex = start; // look inside the value too: run="PGPASSWORD=x psql"
        continue;
      }
      if (start >= from && end > start) out.push({ start, end, mask: '[REDACTED]', anchor: m.index });
    }
  },
  holdFrom: (text) => openValue(text, /(?<![\w.-])([A-Za-z_][A-Za-z0-9_.-]{0,63})=(["'])/g),
};

/**
 * URL query parameters that carry a credential though their names would mean something else
 * elsewhere: signatures of presigned and SAS URLs, `key` (API keys), OAuth `code`, `pwd`, `auth`.
 */
const QUERY_SECRETS =
  /^(?:sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token|x-goog-signature|x-goog-credential|key|code|pwd|pass|auth|sas|session)$/i;

/** Webhook URLs whose path is the secret (Slack, Discord, Teams, Google Chat): the path is masked. */
export const WEBHOOK_PATHS: Matcher = {
  hold: 0, // a URL is an unfinished token while it is written, which a stream holds whole
  find(text, from, out) {
    const re =
      /\bhttps?:\/\/(?:hooks\.slack\.com\/(?:services|workflows|triggers)|(?:[\w-]+\.)?discord(?:app)?\.com\/api\/webhooks|[\w-]+\.webhook\.office\.com\/webhookb2|chat\.googleapis\.com\/v1\/spaces\/[\w-]+\/messages)(\/[^\s"'<>`?#]+|\?[^\s"'<>`#]+)/g;
    re.lastIndex = Math.max(0, from - 64);
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const start = m.index + m[0].length - m[1]!.length;
      if (start >= from) out.push({ start, end: m.index + m[0].length, mask: '[REDACTED]', anchor: m.index });
    }
  },
};

/** `"password": "x"` (or `'token': 'x'`, a Python dict) in text: JSON and its kin printed by tools. */
export const SENSITIVE_JSON_FIELDS: Matcher = {
  hold: 0, // see holdFrom: only an opened value of a sensitive field is held
  find(text, from, out) {
    const re =
      /(["'])([A-Za-z0-9_.-]{1,64})\1[ \t]*:[ \t]*(?:"((?:[^"\\\r\n]|\\.){0,8192})"|'((?:[^'\\\r\n]|\\.){0,8192})')/g;
    // From a little before `from`: the key may already have been emitted while its value was not.
    re.lastIndex = Math.max(0, from - 96);
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const value = m[3] ?? m[4] ?? '';
      const end = m.index + m[0].length - 1; // before the closing quote
      if (value !== '' && end - value.length >= from && isSensitiveKey(m[2]!))
        out.push({ start: end - value.length, end, mask: '[REDACTED]', anchor: m.index });
    }
  },
  holdFrom: (text) => openValue(text, /(["'])([A-Za-z0-9_.-]{1,64})\1[ \t]*:[ \t]*(["'])/g),
};

/**
 * Where the last value of a sensitive name opened by `opener` (its groups: name at 2 or 1, the
 * opening quote last) starts, when its closing quote has not come yet; else the text's length.
 * Looks at the last 8 KiB only: a longer value is emitted (and the rest masked as it ends).
 */
function openValue(text: string, opener: RegExp): number {
  const window = Math.max(0, text.length - 8192);
  let open = text.length;
  opener.lastIndex = window;
  for (let m = opener.exec(text); m; m = opener.exec(text)) {
    const quote = m[m.length - 1]!;
    const name = m.length > 3 ? m[2]! : m[1]!;
    const valueStart = m.index + m[0].length;
    if (isSensitiveKey(name) && text.indexOf(quote, valueStart) === -1) {
      open = valueStart;
      break;
    }
  }
  return open;
}

/**
 * Header (and `name: value` line) names that hold secrets: the well-known ones, any name ending in
 * -token, -secret or -password (X-Vault-Token, PRIVATE-TOKEN), an api/auth/access/secret/private
 * -key, and the bare words password, secret, token (YAML and config dumps).
 */
const HEADER_NAMES =
  'authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key|x-auth-token|x-access-token|x-csrf-token|password|passwd|secret|token|client-secret|[A-Za-z0-9-]*-(?:token|secret|password|passwd)|[A-Za-z0-9-]*-?(?:api|auth|access|secret|private)-key';
const HEADER_LINE = new RegExp(
  `^[ \\t]*(?:[<>] ?)?(?:${HEADER_NAMES})[ \\t]*:[ \\t]*(?=\\S)([^\\r\\n\\u2028\\u2029]*)`,
  'gim',
);

/** `Authorization: Bearer x` (also curl -v's `> `/`< ` forms) at a line start: the value to end of line → `[REDACTED]`. */
export const HEADER_LINES: Matcher = {
  hold: 0, // a stream holds an unfinished line that may be a header line (see mayBeHeaderLine)
  find(text, from, out) {
    if (text.indexOf(':', from) === -1) return;
    HEADER_LINE.lastIndex = from;
    for (let m = HEADER_LINE.exec(text); m; m = HEADER_LINE.exec(text)) {
      const end = m.index + m[0].length;
      out.push({ start: end - (m[1] ?? '').length, end, mask: '[REDACTED]', anchor: m.index });
    }
  },
};

const MAY_BE_HEADER = new RegExp(`^[ \\t]*(?:[<>] ?)?(?:[A-Za-z-]*|(?:${HEADER_NAMES})[ \\t]*(?::.*)?)$`, 'is');

/**
 * Whether an unfinished last line is, or could still grow into, a sensitive header line. A stream
 * holds such a line back whole, because once its name has been emitted the value could not be
 * recognised any more.
 */
export function mayBeHeaderLine(line: string): boolean {
  return MAY_BE_HEADER.test(line);
}

/** Whether a line is a sensitive header line whose value has begun (a stream then masks the rest of the line). */
export function isHeaderLine(line: string): boolean {
  HEADER_LINE.lastIndex = 0;
  return HEADER_LINE.test(line);
}

const SENSITIVE_KEYS = new Set(
  [
    'authorization',
    'proxy-authorization',
    'cookie',
    'set-cookie',
    'x-api-key',
    'api-key',
    'apikey',
    'x-auth-token',
    'x-access-token',
    'x-csrf-token',
    'password',
    'passwd',
    'secret',
    'token',
    'private-key',
    'client-secret',
  ].map((k) => k.replace(/-/g, '')),
);

/**
 * Whether the value under an object key is masked whole by `Redactor.value()`. Keys are compared
 * case-insensitively, with `_` and camelCase humps read as `-` (so `accessToken`, `access_token`
 * and `Access-Token` agree). `-key` alone is too common (`sort-key`), so it needs a telling word.
 */
export function isSensitiveKey(key: string): boolean {
  let known = sensitiveKeys.get(key);
  if (known === undefined) {
    known = judgeKey(key);
    if (sensitiveKeys.size >= 10_000) sensitiveKeys.clear();
    sensitiveKeys.set(key, known);
  }
  return known;
}

/** The same keys come back in every event (stepId, rows, status, ...): judged once each. */
const sensitiveKeys = new Map<string, boolean>();

function judgeKey(key: string): boolean {
  const k = key
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/_/g, '-');
  if (SENSITIVE_KEYS.has(k.replace(/-/g, ''))) return true;
  if (/-(?:token|secret|password|passwd)$/.test(k)) return true;
  if (/(?:password|passwd)$/.test(k)) return true; // PGPASSWORD, dbpassword
  return /-key$/.test(k) && /api|auth|access|secret|private/.test(k);
}
