/**
 * A shell step's script as executed: every placeholder's value goes through the environment
 * (`STEPWISE_V1`, `STEPWISE_V2`, …) and the script text holds only a reference to it, chosen by
 * the placeholder's quoting context (engine/shell/quoting.ts): `"$STEPWISE_V1"` in a bare word,
 * `${STEPWISE_V1}` inside double quotes and unquoted heredocs. The shell expands a reference once
 * and never reads the value as code. A placeholder where no reference can be safe (single quotes,
 * `eval`, `bash -c '…'`, …) is refused, by `check` and again before the step runs.
 */
import type { Expression, Template } from '../document/model.js';
import { stringify } from '../expr/stringify.js';
import { SAFE_CONTEXTS, type ShellContext } from './contexts.js';
import { placeholderContexts } from './quoting.js';

/** Interpreters whose quoting the scanner knows: placeholders work only in these. */
const POSIX_SHELLS = new Set([
  'sh',
  'bash',
  'dash',
  'zsh',
  'ksh',
  'ksh93',
  'mksh',
  'pdksh',
  'ash',
  'yash',
  'posh',
  'rbash',
]);

/** Linux refuses a single environment string (`NAME=value`) of 32 pages or more (MAX_ARG_STRLEN). */
const MAX_ENV_STRING = 128 * 1024;

export const VARIABLE_PREFIX = 'STEPWISE_V';

export interface UnsafePlaceholder {
  expression: Expression;
  context: ShellContext | 'interpreter';
  message: string;
  hint: string;
}

export interface ShellScript {
  /** The script as executed: references in place of placeholders. */
  text: string;
  /** Variable name → value as text. */
  env: Record<string, string>;
}

/** A placeholder in `shell=`: the interpreter is never a value. */
export const INTERPRETER_PLACEHOLDER = {
  message: 'a placeholder in `shell=`: the interpreter is written literally, never chosen by a value',
  hint: 'name the interpreter literally (shell=bash, shell=/bin/sh) and pass the value to the script',
};

/** A placeholder a shell step cannot run with: the step fails before anything runs. */
export class UnsafePlaceholderError extends Error {}

/** Whether placeholders may be used with this interpreter (`shell=`): a POSIX shell, by name or path. */
export function isPosixShell(shell: string): boolean {
  return POSIX_SHELLS.has(shell.slice(shell.lastIndexOf('/') + 1));
}

/** Every placeholder of a shell step's script that cannot expand safely, with what to do instead. */
export function unsafePlaceholders(template: Template, shell = 'bash'): UnsafePlaceholder[] {
  const expressions = template.parts.flatMap((p) => (p.type === 'expr' ? [p.expression] : []));
  if (expressions.length === 0) return [];
  if (!isPosixShell(shell)) {
    return expressions.map((expression) => ({
      expression,
      context: 'interpreter' as const,
      message: `\`{{ ${clip(expression.source)} }}\` in a script for \`${shell}\`: Stepwise passes values to a script through environment variables and references them in shell syntax, which only a POSIX shell (sh, bash, dash, zsh, ksh) reads`,
      hint: `run the script with bash and call ${shell} from it with the value as an argument, or set an environment variable in a shell step before it`,
    }));
  }
  const contexts = placeholderContexts(textsOf(template));
  const out: UnsafePlaceholder[] = [];
  contexts.forEach((context, index) => {
    if (SAFE_CONTEXTS.has(context)) return;
    const expression = expressions[index]!;
    out.push({ expression, context, ...explain(context, clip(expression.source)) });
  });
  return out;
}

/**
 * The script as executed and the values it reads, from the step's template. `value` is strict
 * (a missing value throws, so the step fails before anything runs). Throws UnsafePlaceholderError
 * for a placeholder that cannot expand safely, and for a value that cannot go through the
 * environment (one holding a NUL byte, or too long).
 */
export function shellScript(
  template: Template,
  value: (expression: Expression) => unknown,
  shell = 'bash',
): ShellScript {
  const unsafe = unsafePlaceholders(template, shell);
  if (unsafe.length > 0) {
    const first = unsafe[0]!;
    throw new UnsafePlaceholderError(`${first.message}; ${first.hint}`);
  }
  const contexts = placeholderContexts(textsOf(template));
  const variables = new Map<string, string>();
  const env: Record<string, string> = {};
  let text = '';
  let index = 0;
  for (const part of template.parts) {
    if (part.type === 'text') {
      text += part.text;
      continue;
    }
    const context = contexts[index++]!;
    if (context === 'comment') {
      // Never executed: left as written (on one line, so it stays inside the comment), not evaluated.
      text += `{{ ${part.expression.source.replace(/\s+/g, ' ')} }}`;
      continue;
    }
    let name = variables.get(part.expression.source);
    if (name === undefined) {
      name = `${VARIABLE_PREFIX}${variables.size + 1}`;
      variables.set(part.expression.source, name);
      env[name] = checkedValue(part.expression, stringify(value(part.expression)), name);
    }
    text += context === 'word' ? `"$${name}"` : `\${${name}}`;
  }
  return { text, env };
}

/** The template's text around its placeholders: texts[i] stands before placeholder i. */
function textsOf(template: Template): string[] {
  const texts = [''];
  for (const part of template.parts) {
    if (part.type === 'text') texts[texts.length - 1] += part.text;
    else texts.push('');
  }
  return texts;
}

function checkedValue(expression: Expression, text: string, name: string): string {
  if (text.includes('\u0000')) {
    throw new UnsafePlaceholderError(
      `the value of \`{{ ${clip(expression.source)} }}\` holds a NUL byte, which cannot be passed to a process (environment variables end at NUL), so nothing was run; remove it first, e.g. \`{{ ${clip(expression.source)}.replaceAll('\\0', '') }}\``,
    );
  }
  if (Buffer.byteLength(text, 'utf8') + name.length + 2 > MAX_ENV_STRING) {
    throw new UnsafePlaceholderError(
      `the value of \`{{ ${clip(expression.source)} }}\` is ${Buffer.byteLength(text, 'utf8')} bytes, more than one environment variable can hold (128 KiB), so nothing was run; pass a smaller value, or have an earlier step write it to a file`,
    );
  }
  return text;
}

function explain(context: ShellContext, x: string): { message: string; hint: string } {
  const p = `\`{{ ${x} }}\``;
  switch (context) {
    case 'single-quotes':
      return {
        message: `${p} is inside single quotes, where the shell never expands a value`,
        hint: `single quotes never expand a value: close the quotes around it, 'sq: '"{{ ${x} }}"'…' or use double quotes`,
      };
    case 'ansi-c-quotes':
      return {
        message: `${p} is inside $'…' quotes, where the shell never expands a value`,
        hint: `$'…' never expands a value: close the quotes around it, $'…'"{{ ${x} }}"$'…'`,
      };
    case 'quoted-heredoc':
      return {
        message: `${p} is in the body of a quoted heredoc (<<'END'), where the shell never expands a value`,
        hint: 'unquote the heredoc delimiter (<<END), values are never re-evaluated there',
      };
    case 'backticks':
      return {
        message: `${p} is inside backticks, whose text the shell reads twice`,
        hint: `use $( … ) instead of backticks: $(cmd {{ ${x} }})`,
      };
    case 'eval':
      return {
        message: `${p} is in an argument of eval (or mapfile -C), which reads the value again as shell code`,
        hint: `do not eval a value: run the command directly, or pass the value as an argument: bash -c '…"$1"' _ {{ ${x} }}`,
      };
    case 'shell-c':
      return {
        message: `${p} is in the script of a \`-c\` (bash -c '…', sh -c, su -c), which the shell reads again as code`,
        hint: `pass the value as an argument: bash -c '…"$1"' _ {{ ${x} }}`,
      };
    case 'shell-stdin':
      return {
        message: `${p} is in a heredoc or here-string that a shell reads as its script, so the value would be read as code`,
        hint: `pass the value as an argument (bash -s -- {{ ${x} }} <<'END' … "$1" … END), or export it (export v={{ ${x} }}) and use "$v" inside a quoted heredoc`,
      };
    case 'trap':
      return {
        message: `${p} is in a trap's action, which the shell reads again as code when the trap fires`,
        hint: `set a variable first and reference it inside single quotes: v={{ ${x} }}; trap 'echo "$v"' EXIT`,
      };
    case 'code-variable':
      return {
        message: `${p} is assigned to PS1, PS2, PS4, PROMPT_COMMAND, BASH_ENV or ENV, whose value a shell expands or runs later`,
        hint: 'keep values out of these variables; set them literally, and pass the value some other way',
      };
    case 'arithmetic':
      return {
        message: `${p} is in an arithmetic expression ($(( … )), (( … )), let, [[ … -eq … ]], declare -i), which evaluates the value as an expression: a[$(cmd)] in it runs cmd`,
        hint: `check that it is a number first: n={{ ${x} }}; [[ $n =~ ^-?[0-9]+$ ]] || exit 1; then use $n`,
      };
    case 'array-subscript':
      return {
        message: `${p} is an array subscript, which bash evaluates as an arithmetic expression: a[$(cmd)] in it runs cmd`,
        hint: `check that it is a number first: i={{ ${x} }}; [[ $i =~ ^[0-9]+$ ]] || exit 1; then use a[$i]`,
      };
    case 'variable-name':
      return {
        message: `${p} is used as a variable name (read, printf -v, declare, unset, -v), and a name's subscript is evaluated: a[$(cmd)] runs cmd`,
        hint: 'name the variable in the script and put the value in it: read -r answer, declare x={{ … }}',
      };
    case 'array-declare':
      return {
        message: `${p} is a value given to declare -a/-A (or to declare, typeset or local of a name that is an array), which reads a value like (…) as an array assignment and runs what is in it`,
        hint: `assign the array with its elements in it: arr=({{ ${x} }}), arr+=({{ ${x} }}), or a plain variable: v={{ ${x} }}`,
      };
    case 'parameter-expansion':
      return {
        message: `${p} is inside a parameter expansion \${ … }, where it would be a pattern, an offset or a name rather than a value`,
        hint: `put the value in a variable first: v={{ ${x} }}; then use "\${name:-$v}"`,
      };
    case 'after-dollar':
      return {
        message: `${p} stands right after a \`$\`, which would read it as $"…" (a translated string) or a variable name`,
        hint: `for a literal dollar sign, escape it: \\\${{ ${x} }}`,
      };
    case 'command-name':
      return {
        message: `${p} is the command itself, so the value would choose what runs`,
        hint: `name the command in the script and pass the value as an argument; to choose among commands, use case "{{ ${x} }}" in a) cmd-a ;; b) cmd-b ;; esac`,
      };
    case 'heredoc-delimiter':
      return { message: `${p} is a heredoc's delimiter`, hint: 'write the delimiter literally (<<END)' };
    case 'undetermined':
      return {
        message: `Stepwise cannot tell where ${p} stands (quotes and substitutions nested more than 64 deep), so whether a value there is safe`,
        hint: 'nest less: put inner parts in variables or functions first',
      };
    case 'word':
    case 'double-quotes':
    case 'heredoc':
    case 'comment':
      return { message: `${p} is safe here`, hint: '' };
  }
}

function clip(source: string): string {
  const line = source.replace(/\s+/g, ' ').trim();
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}
