/**
 * A shell step's script as executed: references in place of placeholders, values in the
 * environment. The scripts run in real bash (and dash, as sh) with hostile values: each value must
 * arrive byte for byte, and no marker file may appear.
 */
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Expression, Template } from '../../engine/document/model.js';
import { SourceMap } from '../../engine/document/position.js';
import { makeTemplate, shifted } from '../../engine/document/template-source.js';
import { runShell } from '../../engine/drivers/shell-process.js';
import { MissingValueError } from '../../engine/run/render.js';
import { placeholderContexts } from '../../engine/shell/quoting.js';
import { shellScript, unsafePlaceholders, UnsafePlaceholderError } from '../../engine/shell/script.js';

const dir = realpathSync(mkdtempSync(join(tmpdir(), 'stepwise-script-')));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MARK = join(dir, 'PWNED');

function template(text: string): Template {
  return makeTemplate(text, shifted(0), new SourceMap(text), []);
}

function valuesOf(values: Record<string, unknown>): (e: Expression) => unknown {
  return (e) => {
    if (!(e.source in values)) throw new MissingValueError(e, 'it is undefined');
    return values[e.source];
  };
}

async function run(script: string, values: Record<string, unknown>, shell = 'bash'): Promise<string> {
  const planned = shellScript(template(script), valuesOf(values), shell);
  const result = await runShell({
    script: planned.text,
    shell,
    cwd: dir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...planned.env },
    timeoutMs: 10_000,
    maxBytes: 1024 * 1024,
  });
  expect(result.stderr).toBe('');
  expect(result.exitCode).toBe(0);
  return result.stdout;
}

describe('shellScript: the text as executed and the environment', () => {
  it('references fit their context; the same expression shares one variable', () => {
    const planned = shellScript(
      template('echo {{ v }} "dq {{ v }}" {{ n }}\ncat <<END\n{{ n }}\nEND'),
      valuesOf({ v: 'x', n: 1 }),
    );
    expect(planned.text).toBe('echo "$STEPWISE_V1" "dq ${STEPWISE_V1}" "$STEPWISE_V2"\ncat <<END\n${STEPWISE_V2}\nEND');
    expect(planned.env).toEqual({ STEPWISE_V1: 'x', STEPWISE_V2: '1' });
  });

  it('values as text: strings as they are, numbers and booleans as text, objects and arrays as JSON, null as empty', () => {
    const planned = shellScript(
      template('echo {{ s }} {{ n }} {{ b }} {{ o }} {{ a }} {{ z }}'),
      valuesOf({ s: ' a b ', n: 4.5, b: false, o: { k: "it's" }, a: [1, '2'], z: null }),
    );
    expect(Object.values(planned.env)).toEqual([' a b ', '4.5', 'false', '{"k":"it\'s"}', '[1,"2"]', '']);
  });

  it('a placeholder in a comment is left as written, on one line, and not evaluated', () => {
    const planned = shellScript(template('# was {{ old\n  .value }}\necho {{ v }}'), valuesOf({ v: 'x' }));
    expect(planned.text).toBe('# was {{ old .value }}\necho "$STEPWISE_V1"');
    expect(planned.env).toEqual({ STEPWISE_V1: 'x' });
  });

  it('\\{{ stays literal text', () => {
    expect(shellScript(template('echo \\{{ x }}'), valuesOf({})).text).toBe('echo {{ x }}');
  });

  it('a missing value throws before anything is planned (MissingValueError)', () => {
    expect(() => shellScript(template('echo {{ v }} {{ missing }}'), valuesOf({ v: 1 }))).toThrow(MissingValueError);
  });

  it('a value holding NUL fails with a clear message', () => {
    expect(() => shellScript(template('echo {{ v }}'), valuesOf({ v: 'a\0b' }))).toThrow(
      /`\{\{ v \}\}` holds a NUL byte, which cannot be passed to a process .*nothing was run/,
    );
  });

  it('a value too long for one environment variable fails with a clear message', () => {
    expect(() => shellScript(template('echo {{ v }}'), valuesOf({ v: 'x'.repeat(200_000) }))).toThrow(
      /200000 bytes, more than one environment variable can hold/,
    );
  });

  it('an unsafe placeholder throws the same message and hint check reports, before any value is read', () => {
    const t = template("echo 'sq: {{ v }}'");
    const problems = unsafePlaceholders(t);
    expect(problems).toHaveLength(1);
    let read = false;
    const error = (() => {
      try {
        shellScript(t, () => ((read = true), 'x'));
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(UnsafePlaceholderError);
    expect(error!.message).toBe(`${problems[0]!.message}; ${problems[0]!.hint}`);
    expect(error!.message).toContain(`close the quotes around it, 'sq: '"{{ v }}"'`);
    expect(read).toBe(false);
  });

  it('placeholders need a POSIX shell', () => {
    expect(unsafePlaceholders(template('print({{ v }})'), 'python3')[0]!.message).toMatch(
      /in a script for `python3`.*only a POSIX shell/,
    );
    expect(() => shellScript(template('print({{ v }})'), valuesOf({ v: 1 }), '/usr/bin/python3')).toThrow(
      UnsafePlaceholderError,
    );
    expect(unsafePlaceholders(template('echo {{ v }}'), '/bin/sh')).toEqual([]);
    expect(unsafePlaceholders(template('print(1)'), 'python3')).toEqual([]);
  });
});

const HOSTILE = [
  `$(touch ${MARK})`,
  `\`touch ${MARK}\``,
  `'; touch ${MARK}; '`,
  `"; touch ${MARK}; "`,
  `\\"; touch ${MARK}; #`,
  `a[$(touch ${MARK})]`,
  `\${HOME} $HOME \${x:-$(touch ${MARK})}`,
  '\\',
  '\\\\n',
  '*',
  '  spaced   out  ',
  'line one\nline two\n',
  '\nEND\nEND',
  "$'\\x41' !! ~root {a,b} [x] ? -n --",
  '%s %n %d',
  'ünïcödé 🚀\t\r',
  '',
];

/** Scripts with placeholders in every safe context; each prints what it got, in brackets. */
const SAFE_SCRIPTS: { name: string; script: string; expect: (v: string) => string; posix?: boolean }[] = [
  { name: 'a bare word', script: "printf '[%s]' {{ v }}", expect: (v) => `[${v}]`, posix: true },
  {
    name: 'glued into a word',
    script: "printf '[%s]' pre-{{ v }}-post",
    expect: (v) => `[pre-${v}-post]`,
    posix: true,
  },
  {
    name: 'double quotes',
    script: `printf '[%s]' "dq: {{ v }} \\"x\\""`,
    expect: (v) => `[dq: ${v} "x"]`,
    posix: true,
  },
  {
    name: 'single quotes closed around it',
    script: `printf '[%s]' 'sq: '"{{ v }}"' end'`,
    expect: (v) => `[sq: ${v} end]`,
    posix: true,
  },
  {
    name: 'an unquoted heredoc',
    script: 'cat <<END\nhd: {{ v }} "q" \'q\'\nEND',
    expect: (v) => `hd: ${v} "q" 'q'\n`,
    posix: true,
  },
  {
    name: 'an unquoted <<- heredoc',
    script: 'cat <<-END\n\thd: {{ v }}\n\tEND',
    expect: (v) => `hd: ${v}\n`,
    posix: true,
  },
  {
    name: 'two heredocs on one line',
    script: 'cat <<A; cat <<B\na {{ v }}\nA\nb {{ v }}\nB',
    expect: (v) => `a ${v}\nb ${v}\n`,
    posix: true,
  },
  {
    name: '$( ) in double quotes',
    script: `x="$(printf '%s.' {{ v }})"; printf '[%s]' "\${x%.}"`,
    expect: (v) => `[${v}]`,
    posix: true,
  },
  {
    name: '"…" nested in $( ) in "…"',
    script: `x="<$(printf '%s' "in {{ v }}")>"; printf '[%s]' "$x"`,
    expect: (v) => `[<in ${v.replace(/\n+$/, '')}>]`,
    posix: true,
  },
  { name: 'an assignment', script: 'x={{ v }}; printf \'[%s]\' "$x"', expect: (v) => `[${v}]`, posix: true },
  {
    name: 'a case word and pattern',
    script: "case {{ v }} in {{ v }}) printf '[%s]' {{ v }};; *) echo nomatch;; esac",
    expect: (v) => `[${v}]`,
    posix: true,
  },
  {
    name: 'a for list',
    script: 'for i in {{ v }}; do printf \'[%s]\' "$i"; done',
    expect: (v) => `[${v}]`,
    posix: true,
  },
  {
    name: 'an argument to sh -c',
    script: `sh -c 'printf "[%s]" "$1"' _ {{ v }}`,
    expect: (v) => `[${v}]`,
    posix: true,
  },
  { name: 'an array', script: `a=({{ v }} "{{ v }}"); printf '[%s]' "\${a[@]}"`, expect: (v) => `[${v}][${v}]` },
  {
    name: '[[ == ]] compares literally',
    script: `[[ {{ v }} == "{{ v }}" ]] && printf '[%s]' {{ v }}`,
    expect: (v) => `[${v}]`,
  },
  { name: 'a here-string', script: 'cat <<< {{ v }}', expect: (v) => `${v}\n` },
  { name: 'process substitution', script: "cat <(printf '[%s]' {{ v }})", expect: (v) => `[${v}]` },
  {
    name: 'a comment is not run',
    script: "# {{ v }} $(touch MARK)\nprintf '[%s]' {{ v }}",
    expect: (v) => `[${v}]`,
    posix: true,
  },
];

describe('hostile values arrive byte for byte and run nothing', () => {
  it.each(SAFE_SCRIPTS.map((s) => [s.name, s] as const))('bash: %s', async (_name, { script, expect: expected }) => {
    for (const v of HOSTILE) {
      expect(await run(script, { v })).toBe(expected(v));
    }
    expect(existsSync(MARK)).toBe(false);
  });

  it.each(SAFE_SCRIPTS.filter((s) => s.posix).map((s) => [s.name, s] as const))(
    'sh (dash): %s',
    async (_name, { script, expect: expected }) => {
      for (const v of HOSTILE) {
        expect(await run(script, { v }, 'sh')).toBe(expected(v));
      }
      expect(existsSync(MARK)).toBe(false);
    },
  );

  it('the same values through the old single-quoting were safe only as a bare word (the bug this closes)', async () => {
    // What 'shell' rendering produced: each value one single-quoted word, spliced into the text.
    const quote = (v: string): string => `'${v.replace(/'/g, `'\\''`)}'`;
    const spliced = `echo "dq: ${quote(`$(touch ${MARK})`)}" > /dev/null`;
    await runShell({
      script: spliced,
      shell: 'bash',
      cwd: dir,
      env: { PATH: process.env.PATH ?? '' },
      timeoutMs: 10_000,
      maxBytes: 1024,
    });
    expect(existsSync(MARK)).toBe(true);
    rmSync(MARK);
    // And now: refused at planning, or passed as a variable.
    expect(await run('echo "dq: {{ v }}" > /dev/null', { v: `$(touch ${MARK})` })).toBe('');
    expect(existsSync(MARK)).toBe(false);
  });
});

/**
 * Why the refused contexts are refused: with a reference in place of the placeholder, bash runs
 * the value's payload. Each row: the script with `@` for the placeholder, and a payload.
 */
const HAZARDS: [string, string, (mark: string) => string][] = [
  ['eval', 'eval "echo @"', (m) => `$(touch ${m})`],
  ['bash -c', 'bash -c "echo @"', (m) => `$(touch ${m})`],
  ['a heredoc read by bash', 'bash <<END\necho @\nEND', (m) => `$(touch ${m})`],
  ['a here-string read by bash', 'bash <<< "echo @"', (m) => `$(touch ${m})`],
  ['a pipeline into bash', 'echo "echo @" | bash', (m) => `$(touch ${m})`],
  ['a trap action', 'trap "echo @" EXIT', (m) => `$(touch ${m})`],
  ['PS4 with set -x', 'PS4=@; set -x; true', (m) => `$(touch ${m})`],
  ['$(( ))', 'echo $(( @ ))', (m) => `a[$(touch ${m})]`],
  ['[[ -eq ]]', '[[ @ -eq 1 ]]', (m) => `a[$(touch ${m})]`],
  ['an array subscript', 'a[@]=1', (m) => `x[$(touch ${m})]`],
  ['read into a name', 'read -r @ <<< x', (m) => `a[$(touch ${m})]`],
  ['printf -v', 'printf -v @ x', (m) => `a[$(touch ${m})]`],
  ['[ -v ]', '[ -v @ ]', (m) => `a[$(touch ${m})]`],
  ['declare -a', 'declare -a a=@', (m) => `($(touch ${m}))`],
  ['declare of an array name', 'a=(x); declare a=@', (m) => `($(touch ${m}))`],
  ['BASH_ENV', 'BASH_ENV=@ bash -c true', (m) => `$(touch ${m})`],
  ['an integer variable', 'declare -i n; n=@', (m) => `a[$(touch ${m})]`],
  ['mapfile -C', 'mapfile -t -c 1 -C @ lines <<< x', (m) => `touch ${m};:`],
  ['the command name', '@ "$MARK"', () => 'touch'],
];

describe('each refused context is a real hazard in bash', () => {
  it.each(HAZARDS)('%s', async (name, script, payload) => {
    const mark = join(dir, `HAZARD-${name.replace(/\W+/g, '-')}`);
    const [before, after] = script.split('@') as [string, string];
    expect(
      placeholderContexts([before, after]).some((c) => ['word', 'double-quotes', 'heredoc', 'comment'].includes(c)),
    ).toBe(false);
    // A naive reference, as if the context were safe:
    const reference = /"[^"]*$/.test(before) ? '${V}' : '"$V"';
    await runShell({
      script: `${before}${reference}${after}`,
      shell: 'bash',
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', V: payload(mark), MARK: mark },
      timeoutMs: 10_000,
      maxBytes: 1 << 16,
    });
    expect(existsSync(mark)).toBe(true);
  });
});
