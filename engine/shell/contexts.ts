/**
 * Where a placeholder stands in a shell script (engine/shell/quoting.ts tells it), and which of those
 * places a value can be referenced in safely (engine/shell/script.ts).
 */
/** Where a placeholder stands. The first three expand a referenced value exactly once. */
export type ShellContext =
  /** An unquoted word (`echo {{ x }}`, `--name={{ x }}`, `x={{ x }}`): `"$V"` is one word. */
  | 'word'
  /** Inside `"…"`: `${V}` expands once, never re-read. */
  | 'double-quotes'
  /** In the body of a heredoc whose delimiter is unquoted (`<<END`): `${V}` expands once. */
  | 'heredoc'
  /** In a comment: never executed; no value is needed. */
  | 'comment'
  // Contexts where no reference can expand safely:
  /** Inside `'…'`: nothing expands. */
  | 'single-quotes'
  /** Inside `$'…'`: nothing expands. */
  | 'ansi-c-quotes'
  /** In the body of a heredoc whose delimiter is quoted (`<<'END'`, `<<"END"`, `<<\END`): nothing expands. */
  | 'quoted-heredoc'
  /** Inside backticks, whose text is read twice (backslashes first). */
  | 'backticks'
  /** An argument of `eval` (or anything inside one): read again as code. */
  | 'eval'
  /** The script of `bash -c '…'` (sh, zsh, dash, ksh, …; `su -c`): read again as code. */
  | 'shell-c'
  /** A heredoc or here-string fed to a shell that reads its script from stdin (`bash <<END`). */
  | 'shell-stdin'
  /** The action of `trap '…' EXIT`: read again as code when the trap fires. */
  | 'trap'
  /** An assignment to PS1, PS2, PS4, PROMPT_COMMAND, BASH_ENV or ENV, which a shell expands or runs later. */
  | 'code-variable'
  /** `$(( … ))`, `(( … ))`, `$[ … ]`, `let`, `[[ a -eq b ]]`, `declare -i`: a value there is an arithmetic expression, and `a[$(cmd)]` in one runs cmd. */
  | 'arithmetic'
  /** An array subscript in an assignment (`a[{{ i }}]=…`): arithmetic, too. */
  | 'array-subscript'
  /** A variable name (`read {{ x }}`, `printf -v {{ x }}`, `declare {{ x }}=1`, `[[ -v {{ x }} ]]`): a name's subscript is arithmetic. */
  | 'variable-name'
  /** A value given to `declare -a`/`-A` (or to `declare`, `typeset`, `local` of a name that is an array): `(…)` in it is read as an array assignment, and runs. */
  | 'array-declare'
  /** Inside `${ … }`: an operand of a parameter expansion (a pattern, an offset, a name). */
  | 'parameter-expansion'
  /** Right after an unescaped `$` (`${{ x }}` would read `$"…"`, a translated string). */
  | 'after-dollar'
  /** The command itself (`{{ x }} --version`): the value chooses what runs. */
  | 'command-name'
  /** A heredoc's delimiter word. */
  | 'heredoc-delimiter'
  /** Where it stands could not be told (quotes and substitutions nested deeper than the scanner follows). */
  | 'undetermined';

export const SAFE_CONTEXTS: ReadonlySet<ShellContext> = new Set(['word', 'double-quotes', 'heredoc', 'comment']);
