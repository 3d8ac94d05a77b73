/**
 * `shell-placeholder-context`: every placeholder of a shell step that stands where no reference
 * can expand safely is an error at the placeholder itself, with a hint; safe ones are not.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../engine/check/check.js';
import { stepwise } from '../helpers/cli.js';

const FM = `---
inputs:
  x: { type: string }
---
`; // 4 lines: the body below starts at line 5

const RULE = 'shell-placeholder-context';

/** A container shell step whose script starts at line 8 (after the blank line, the fence line and the ``` line). */
const container = (script: string): string => `${FM}\n:::shell{#s}\n\`\`\`bash\n${script}\n\`\`\`\n:::\n`;

const found = (source: string) =>
  checkSource(source, 'rb.md')
    .diagnostics.filter((d) => d.rule === RULE)
    .map((d) => ({
      line: d.span.start.line,
      column: d.span.start.column,
      severity: d.severity,
      message: d.message,
      hint: d.hint,
    }));

const cases: [string, string, { line: number; column: number; message: RegExp; hint: RegExp }[]][] = [
  [
    'single quotes (leaf run=)',
    `${FM}\n::shell{#s run="echo 'sq: {{ inputs.x }}'"}\n`,
    [
      {
        line: 6,
        column: 30,
        message: /inside single quotes/,
        hint: /close the quotes around it, 'sq: '"\{\{ inputs\.x \}\}"'…' or use double quotes/,
      },
    ],
  ],
  [
    'single quotes',
    container("echo 'sq: {{ inputs.x }}'"),
    [{ line: 8, column: 14, message: /inside single quotes/, hint: /close the quotes/ }],
  ],
  [
    "$'…' quotes",
    container("printf $'%s\\n{{ inputs.x }}'"),
    [{ line: 8, column: 17, message: /inside \$'…' quotes/, hint: /\$'…' never expands a value/ }],
  ],
  [
    "a quoted heredoc (<<'END')",
    container("cat <<'END'\nhello {{ inputs.x }}\nEND"),
    [
      {
        line: 9,
        column: 10,
        message: /quoted heredoc/,
        hint: /unquote the heredoc delimiter \(<<END\), values are never re-evaluated there/,
      },
    ],
  ],
  [
    'a quoted heredoc (<<"END")',
    container('cat <<"END"\n{{ inputs.x }}\nEND'),
    [{ line: 9, column: 4, message: /quoted heredoc/, hint: /unquote/ }],
  ],
  [
    'a quoted heredoc (<<\\END)',
    container('cat <<\\END\n{{ inputs.x }}\nEND'),
    [{ line: 9, column: 4, message: /quoted heredoc/, hint: /unquote/ }],
  ],
  [
    "a quoted heredoc (<<-'END')",
    container("cat <<-'END'\n\t{{ inputs.x }}\n\tEND"),
    [{ line: 9, column: 5, message: /quoted heredoc/, hint: /unquote/ }],
  ],
  [
    'backticks',
    container('echo `basename {{ inputs.x }}`'),
    [{ line: 8, column: 19, message: /inside backticks/, hint: /use \$\( … \) instead of backticks/ }],
  ],
  [
    'eval',
    container('eval "ls {{ inputs.x }}"'),
    [
      {
        line: 8,
        column: 13,
        message: /argument of eval/,
        hint: /pass the value as an argument: bash -c '…"\$1"' _ \{\{ inputs\.x \}\}/,
      },
    ],
  ],
  [
    'bash -c',
    container("bash -c 'echo {{ inputs.x }}'"),
    [
      {
        line: 8,
        column: 18,
        message: /script of a `-c`/,
        hint: /pass the value as an argument: bash -c '…"\$1"' _ \{\{ inputs\.x \}\}/,
      },
    ],
  ],
  [
    'sh -c "…"',
    container('sh -c "echo {{ inputs.x }}"'),
    [{ line: 8, column: 16, message: /script of a `-c`/, hint: /bash -c '…"\$1"' _/ }],
  ],
  [
    'zsh -c',
    container('zsh -c {{ inputs.x }}'),
    [{ line: 8, column: 11, message: /script of a `-c`/, hint: /as an argument/ }],
  ],
  [
    'a heredoc a shell reads as its script',
    container('bash <<END\necho {{ inputs.x }}\nEND'),
    [{ line: 9, column: 9, message: /a shell reads as its script/, hint: /bash -s --/ }],
  ],
  [
    'a trap action',
    container('trap "rm -f {{ inputs.x }}" EXIT'),
    [{ line: 8, column: 16, message: /trap's action/, hint: /trap 'echo "\$v"' EXIT/ }],
  ],
  [
    'arithmetic',
    container('echo $(( {{ inputs.x }} + 1 ))'),
    [{ line: 8, column: 13, message: /arithmetic expression/, hint: /check that it is a number first/ }],
  ],
  [
    '[[ -eq ]]',
    container('[[ {{ inputs.x }} -eq 1 ]] && echo one'),
    [{ line: 8, column: 7, message: /arithmetic expression/, hint: /number/ }],
  ],
  [
    'an array subscript',
    container('a[{{ inputs.x }}]=1'),
    [{ line: 8, column: 6, message: /array subscript/, hint: /a\[\$i\]/ }],
  ],
  [
    'a variable name',
    container('read -r {{ inputs.x }}'),
    [{ line: 8, column: 12, message: /used as a variable name/, hint: /name the variable in the script/ }],
  ],
  [
    'a parameter expansion',
    container('echo "${HOME:-{{ inputs.x }}}"'),
    [{ line: 8, column: 18, message: /parameter expansion/, hint: /put the value in a variable first/ }],
  ],
  [
    'right after $',
    container('echo ${{ inputs.x }}'),
    [{ line: 8, column: 10, message: /right after a `\$`/, hint: /escape it/ }],
  ],
  [
    'the command name',
    container('{{ inputs.x }} --version'),
    [{ line: 8, column: 4, message: /the command itself/, hint: /case/ }],
  ],
  [
    'a heredoc delimiter',
    container('cat <<{{ inputs.x }}\nx\n'),
    [{ line: 8, column: 10, message: /heredoc's delimiter/, hint: /literally/ }],
  ],
  [
    'a prompt variable',
    container('PS4={{ inputs.x }} bash -x -c true'),
    [
      {
        line: 8,
        column: 8,
        message: /PS1, PS2, PS4, PROMPT_COMMAND, BASH_ENV or ENV/,
        hint: /keep values out of these variables/,
      },
    ],
  ],
  [
    'declare -a',
    container('declare -a list={{ inputs.x }}'),
    [{ line: 8, column: 20, message: /declare -a\/-A/, hint: /arr=\(\{\{ inputs\.x \}\}\)/ }],
  ],
  [
    'a pipeline into a shell',
    container('echo {{ inputs.x }} | bash'),
    [{ line: 8, column: 9, message: /a shell reads as its script/, hint: /as an argument/ }],
  ],
  [
    "mapfile's callback",
    container('mapfile -t -C {{ inputs.x }} lines'),
    [{ line: 8, column: 18, message: /argument of eval/, hint: /do not eval a value/ }],
  ],
  [
    'a placeholder in shell=',
    `${FM}\n::shell{#s shell="{{ inputs.x }}" run="echo hi"}\n`,
    [{ line: 6, column: 22, message: /placeholder in `shell=`/, hint: /name the interpreter literally/ }],
  ],
  [
    'a placeholder for a non-POSIX shell=',
    `${FM}\n::shell{#s shell=python3 run="print({{ inputs.x }})"}\n`,
    [{ line: 6, column: 40, message: /script for `python3`/, hint: /run the script with bash/ }],
  ],
  [
    'several at once, each at its own place',
    container("echo 'a {{ inputs.x }}' \"ok {{ inputs.x }}\"\neval {{ inputs.x }}\ncat <<'E'\n  {{ inputs.x }}\nE"),
    [
      { line: 8, column: 12, message: /single quotes/, hint: /./ },
      { line: 9, column: 9, message: /eval/, hint: /./ },
      { line: 11, column: 6, message: /quoted heredoc/, hint: /./ },
    ],
  ],
];

describe('shell-placeholder-context', () => {
  it.each(cases)('%s', (_name, source, expected) => {
    const diagnostics = found(source);
    expect(diagnostics.map(({ line, column }) => ({ line, column }))).toEqual(
      expected.map(({ line, column }) => ({ line, column })),
    );
    diagnostics.forEach((d, i) => {
      expect(d.severity).toBe('error');
      expect(d.message).toMatch(expected[i]!.message);
      expect(d.hint).toMatch(expected[i]!.hint);
    });
  });

  it('placeholders in safe contexts, in comments, in cwd=, and literal shell= are fine', () => {
    const source = `${FM}\n:::shell{#s cwd="/tmp/{{ inputs.x }}" shell=/bin/sh}\n\`\`\`sh\n# was {{ inputs.x }}\necho {{ inputs.x }} "dq {{ inputs.x }}" 'sq '"{{ inputs.x }}"\ncat <<END\n{{ inputs.x }}\nEND\nx=$(printf %s {{ inputs.x }})\nsh -c 'echo "$1"' _ {{ inputs.x }}\n\`\`\`\n:::\n`;
    const diagnostics = checkSource(source, 'rb.md').diagnostics;
    expect(diagnostics.filter((d) => d.rule === RULE || d.severity === 'error')).toEqual([]);
  });

  it('an included runbook is reported in its own file', () => {
    const files: Record<string, string> = { '/r/inc.md': '# Inc\n\n::shell{#t run="echo \'{{ inputs.x }}\'"}\n' };
    const result = checkSource(`${FM}\n::include{src=./inc.md as=inc}\n`, '/r/main.md', (p) => files[p] ?? '');
    const d = result.diagnostics.filter((x) => x.rule === RULE);
    expect(d).toHaveLength(1);
    expect(d[0]!.file).toBe('/r/inc.md');
    expect(d[0]!.span.start).toMatchObject({ line: 3, column: 26 });
  });

  it('stepwise check prints file:line:col, the rule id and the hint, and exits 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stepwise-check-shell-'));
    const path = join(dir, 'unsafe.md');
    writeFileSync(path, container('echo \'sq: {{ inputs.x }}\'\nbash -c "echo {{ inputs.x }}"'));
    const r = stepwise(['check', path]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(
      `${path}:8:14: error: \`{{ inputs.x }}\` is inside single quotes, where the shell never expands a value [${RULE}]`,
    );
    expect(r.stdout).toContain(
      `hint: single quotes never expand a value: close the quotes around it, 'sq: '"{{ inputs.x }}"'…' or use double quotes`,
    );
    expect(r.stdout).toContain(`${path}:9:18: error: \`{{ inputs.x }}\` is in the script of a \`-c\``);
  });
});
