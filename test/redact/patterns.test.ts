/**
 * The named patterns of `redact:` (positives and look-alikes that must stay), the author's own
 * regexes, and that patterns only apply when listed.
 */
import { describe, expect, it } from 'vitest';
import type { RedactRule } from '../../engine/document/frontmatter-model.js';
import { luhn, type PatternName } from '../../engine/redact/patterns.js';
import { createRedactor, RedactionError } from '../../engine/redact/redactor.js';

const span = { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };
const withPattern = (pattern: PatternName) =>
  createRedactor({ secrets: {}, patterns: [{ name: pattern, span, pattern }] });
const withRegex = (regex: string) =>
  createRedactor({ secrets: {}, patterns: [{ name: 'mine', span, regex } satisfies RedactRule] });

/** [pattern, text, expected]: each positive is shown in context, so the kept surroundings are checked too. */
const POSITIVES: [PatternName, string, string][] = [
  ['email', 'mail joe@example.com now', 'mail [REDACTED:email] now'],
  ['email', '<first.last+tag@sub.example.co.uk>', '<[REDACTED:email]>'],
  ['email', 'mailto:ops-team@corp.io.', 'mailto:[REDACTED:email].'],
  ['bearer', 'Authorization header was Bearer eyJabc.def-ghi_123', 'Authorization header was Bearer [REDACTED:bearer]'],
  ['bearer', '"bearer sk_live_abcdefgh1234"', '"bearer [REDACTED:bearer]"'],
  ['card', 'card 4111 1111 1111 1111 ok', 'card [REDACTED:card] ok'],
  ['card', '4111-1111-1111-1111', '[REDACTED:card]'],
  ['card', 'pan=4111111111111111;', 'pan=[REDACTED:card];'],
  ['card', 'amex 378282246310005 / 3782 822463 10005', 'amex [REDACTED:card] / [REDACTED:card]'],
  ['card', 'mc 5500 0055 5555 5559', 'mc [REDACTED:card]'],
  ['phone', 'call +44 20 7946 0958 today', 'call [REDACTED:phone] today'],
  ['phone', 'call (555) 123-4567', 'call [REDACTED:phone]'],
  ['phone', '+1-555-123-4567 or 555.123.4567', '[REDACTED:phone] or [REDACTED:phone]'],
  ['phone', 'sms +14155552671', 'sms [REDACTED:phone]'],
  ['phone', '+1 (555) 123 4567', '[REDACTED:phone]'],
  ['ipv4', 'from 192.168.1.10:8080', 'from [REDACTED:ipv4]:8080'],
  ['ipv4', '10.0.0.255 and 255.255.255.255', '[REDACTED:ipv4] and [REDACTED:ipv4]'],
  [
    'jwt',
    'token=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0In0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c&x',
    'token=[REDACTED:jwt]&x',
  ],
  ['aws-key', 'key AKIAIOSFODNN7EXAMPLE end', 'key [REDACTED:aws-key] end'],
  ['aws-key', 'ASIAY34FZKBOKMUTVV7A', '[REDACTED:aws-key]'],
];

/** Look-alikes each pattern must leave alone. */
const LOOK_ALIKES: [PatternName, string][] = [
  ['email', 'joe@localhost'],
  ['email', 'user @ example.com'],
  ['email', '@example.com'],
  ['email', 'see npm i @scope/pkg@1.2.3'],
  ['bearer', 'Bearer short'],
  ['bearer', 'the bearer of bad news'],
  ['bearer', 'forbearer abcdefghijkl'],
  ['card', 'order 1234567890123456 failed Luhn'],
  ['card', '4111111111111112'],
  ['card', '2024-01-15 and 12345'],
  ['card', '41111111111111111111111 (too long)'],
  ['phone', 'released 2024-01-15 at 2024-01-15T10:20:30Z'],
  ['phone', 'version 1.2.3 and v10.20.30'],
  ['phone', 'id 123456789 and 12345'],
  ['phone', 'score +1 2'],
  ['phone', 'ip 192.168.100.1234'],
  ['ipv4', 'version 1.2.3'],
  ['ipv4', '999.1.1.1 and 256.1.1.1'],
  ['ipv4', 'oid 1.2.3.4.5'],
  ['ipv4', 'v1.2.3.4a'],
  ['jwt', 'eyJhbGciOiJIUzI1NiJ9 alone'],
  ['jwt', 'eyJustice.is.served'],
  ['jwt', 'heyJude.hey.jude'],
  ['aws-key', 'AKIAIOSFODNN7EXAMPL'],
  ['aws-key', 'XAKIAIOSFODNN7EXAMPLE'],
  ['aws-key', 'AKIAiosfodnn7example'],
];

describe('named patterns', () => {
  it.each(POSITIVES)('%s masks %j', (pattern, input, expected) => {
    expect(withPattern(pattern).text(input)).toBe(expected);
  });

  it.each(LOOK_ALIKES)('%s leaves %j alone', (pattern, input) => {
    expect(withPattern(pattern).text(input)).toBe(input);
  });

  it('apply only when listed (jwt and aws-key are always on: token-shapes.test.ts)', () => {
    const none = createRedactor({ secrets: {}, patterns: [] });
    // (`token=` would be masked by the always-on NAME=value rule, whatever patterns are listed)
    for (const [, input] of POSITIVES.filter(([p]) => p !== 'bearer' && p !== 'jwt' && p !== 'aws-key')) {
      const text = input.replace(/token=/g, 'jwt ');
      expect(none.text(text)).toBe(text);
    }
  });

  it('leave URL credentials to the URL rule, not the email pattern', () => {
    expect(withPattern('email').text('https://user:token@host.example.com/x')).toBe(
      'https://[REDACTED]@host.example.com/x',
    );
  });

  it.each([
    ['4111111111111111', true],
    ['378282246310005', true],
    ['4111111111111112', false],
    ['1234567890123456', false],
  ])('luhn(%s) is %s', (digits, expected) => {
    expect(luhn(digits)).toBe(expected);
  });
});

describe('author regexes', () => {
  it('masks matches as [REDACTED:regex]', () => {
    expect(withRegex('ticket-\\d+').text('see ticket-123 and ticket-9')).toBe(
      'see [REDACTED:regex] and [REDACTED:regex]',
    );
  });

  it('skips empty matches of a regex that can match the empty string', () => {
    expect(withRegex('x*').text('a xx b x')).toBe('a [REDACTED:regex] b [REDACTED:regex]');
    expect(withRegex('(?:)').text('unchanged')).toBe('unchanged');
  });

  it('works with lookbehinds and anchors across stream chunks', () => {
    const r = withRegex('(?<=id=)\\w+$');
    const s = r.stream();
    const out = s.push('user id=') + s.push('abc') + s.end();
    expect(out).toBe(r.text('user id=abc'));
    expect(out).toBe('user id=[REDACTED:regex]');
  });

  it('throws a RedactionError for a regex that does not compile', () => {
    expect(() => withRegex('([a-z')).toThrow(RedactionError);
    expect(() => withRegex('(?<name')).toThrow(/does not compile/);
  });
});

describe('always-on rules found by red-teaming the CLI', () => {
  const r = createRedactor({ secrets: {}, patterns: [] });

  it('masks header and config lines whose name says they hold a secret', () => {
    expect(r.text('> X-Vault-Token: hvs.CAESabc123\n> PRIVATE-TOKEN: glpat-Zx9abc\n> Accept: */*\n')).toBe(
      '> X-Vault-Token: [REDACTED]\n> PRIVATE-TOKEN: [REDACTED]\n> Accept: */*\n',
    );
    expect(r.text('db:\n  password: hunter2-long\n  host: db.internal\n')).toBe(
      'db:\n  password: [REDACTED]\n  host: db.internal\n',
    );
  });

  it('masks NAME=value when the name says it holds a secret: env dumps, set -x, connection strings, query strings', () => {
    expect(r.text('PGPASSWORD=s3cr3t-pw psql -h db\nHOME=/root\n')).toBe(
      'PGPASSWORD=[REDACTED] psql -h db\nHOME=/root\n',
    );
    expect(r.text('export GITHUB_TOKEN="ghp abc def"')).toBe('export GITHUB_TOKEN="[REDACTED]"');
    expect(r.text('host=db port=5432 password=pw-value dbname=x')).toBe(
      'host=db port=5432 password=[REDACTED] dbname=x',
    );
    expect(r.text('GET /cb?code=1&access_token=abc.def&state=2')).toBe(
      'GET /cb?code=[REDACTED]&access_token=[REDACTED]&state=2',
    );
    // query parameters that carry credentials under other names: SAS and presigned signatures, API keys, OAuth codes
    expect(r.text('https://x.blob.core.windows.net/c/f?sv=2022&sig=AbCdSig0002&se=1')).toBe(
      'https://x.blob.core.windows.net/c/f?sv=2022&sig=[REDACTED]&se=1',
    );
    expect(r.text('https://b.s3.amazonaws.com/k?X-Amz-Signature=AmzSigcafe&X-Amz-Expires=60')).toBe(
      'https://b.s3.amazonaws.com/k?X-Amz-Signature=[REDACTED]&X-Amz-Expires=60',
    );
    expect(r.text('https://maps.example.com/api?key=AIzaKey123&pwd=LegPw')).toBe(
      'https://maps.example.com/api?key=[REDACTED]&pwd=[REDACTED]',
    );
    expect(r.text('sort key=value code=1')).toBe('sort key=value code=1'); // outside a query string these names are ordinary
    expect(r.text('sort_key=a monkey=b PWD=/home')).toBe('sort_key=a monkey=b PWD=/home');
    expect(r.text('run="PGPASSWORD=pw-value psql" cwd=/tmp')).toBe('run="PGPASSWORD=[REDACTED] psql" cwd=/tmp'); // inside another value
  });

  it('masks the value of a sensitive field in JSON or a Python dict printed as text', () => {
    expect(r.text('{"headers": {"authorization": "Bearer eyOps.x", "accept": "*/*"}}')).toBe(
      '{"headers": {"authorization": "[REDACTED]", "accept": "*/*"}}',
    );
    expect(r.text("{'password': 'hunter 2', 'user': 'ann'}")).toBe("{'password': '[REDACTED]', 'user': 'ann'}");
    expect(r.text('{"token":"","name":"x"}')).toBe('{"token":"","name":"x"}');
  });

  it('masks the path of webhook URLs whose path is the secret (Slack, Discord, Teams)', () => {
    expect(r.text('POST https://hooks.slack.com/services/T024BE7LD/B08ABCDEF/Xk9QHb1J ok')).toBe(
      'POST https://hooks.slack.com/services[REDACTED] ok',
    );
    expect(r.text('https://discord.com/api/webhooks/123/abcToken')).toBe('https://discord.com/api/webhooks[REDACTED]');
    expect(r.text('https://hooks.slack.com/')).toBe('https://hooks.slack.com/');
  });

  it('masks credentials in a URL written inside a JSON string (:\\/\\/)', () => {
    expect(r.text('{"hook":"https:\\/\\/deploy:Gh7-pw@hooks.example.com\\/x"}')).toBe(
      '{"hook":"https:\\/\\/[REDACTED]@hooks.example.com\\/x"}',
    );
  });

  it('a stream holds an opened sensitive value until it closes, and nothing else', () => {
    const s = r.stream();
    expect(s.push('line one\n')).toBe('line one\n');
    const parts = [s.push('{"password": "hunter'), s.push(' two"}\n'), s.end()];
    expect(parts.join('')).toBe('{"password": "[REDACTED]"}\n');
    expect(parts.join('')).not.toContain('hunter');
    const t = r.stream();
    expect([t.push('export API_TOKEN="abc'), t.push(' def"\n'), t.end()].join('')).toBe(
      'export API_TOKEN="[REDACTED]"\n',
    );
  });
});

describe('a PostgreSQL URL with a user name and no password', () => {
  const r = createRedactor({ secrets: {}, patterns: [] });

  it('is shown as written: the user name alone is not a credential', () => {
    expect(r.text('target db: postgres://app_reader@db.internal:5432/shop')).toBe(
      'target db: postgres://app_reader@db.internal:5432/shop',
    );
    expect(r.text('postgresql://postgres@127.0.0.1/test')).toBe('postgresql://postgres@127.0.0.1/test');
  });

  it('a password, even an empty one, is still masked, and so is a user name elsewhere or shaped like a token', () => {
    expect(r.text('postgres://app:pw@db/x')).toBe('postgres://[REDACTED]@db/x');
    expect(r.text('postgres://app:@db/x')).toBe('postgres://[REDACTED]@db/x');
    expect(r.text('https://tok3n-value@git.example.com/repo.git')).toBe('https://[REDACTED]@git.example.com/repo.git');
    expect(r.text('mysql://app@db/x')).toBe('mysql://[REDACTED]@db/x');
    const token = `ghp_${'A1b2C3d4E5'.repeat(4).slice(0, 36)}`;
    expect(r.text(`postgres://${token}@db/x`)).toBe('postgres://[REDACTED:github]@db/x');
    expect(
      createRedactor({ secrets: { DB_USER: 'svc-reader-7' }, patterns: [] }).text('postgres://svc-reader-7@db/x'),
    ).toBe('postgres://[REDACTED:DB_USER]@db/x');
  });
});
