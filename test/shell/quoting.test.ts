/**
 * The shell quoting scanner: each placeholder's context, for every construct it knows. `@` in a
 * case stands for a placeholder (the scanner gets the texts around them).
 */
import { describe, expect, it } from 'vitest';
import type { ShellContext } from '../../engine/shell/contexts.js';
import { placeholderContexts } from '../../engine/shell/quoting.js';

const contexts = (script: string): ShellContext[] => placeholderContexts(script.split('@'));

const cases: [string, string, ShellContext[]][] = [
  // bare words
  ['a bare argument', 'echo @', ['word']],
  ['glued into a word', 'echo prefix-@-suffix', ['word']],
  ['two glued placeholders', 'echo @@ x@y@z', ['word', 'word', 'word', 'word']],
  ['an option value', 'curl --header=@ -o @', ['word', 'word']],
  ['an assignment value', 'X=@ Y=a@b cmd @', ['word', 'word', 'word']],
  ['an assignment alone', 'X=@', ['word']],
  ['a redirection target', 'echo hi > @ 2>>@', ['word', 'word']],
  ['after a line continuation', 'echo a \\\n  @', ['word']],
  ['a here-string', 'cat <<< @', ['word']],
  ['a for list and body', 'for i in @ b; do echo "$i" @; done', ['word', 'word']],
  ['a case word and pattern', 'case @ in @) echo @ ;; b|@) : ;; esac', ['word', 'word', 'word', 'word']],
  ['a case with ( before the pattern', 'case x in (@) echo @;; esac', ['word', 'word']],
  ['string comparison in [[ ]]', '[[ @ == "@" && -n @ ]]', ['word', 'double-quotes', 'word']],
  ['test/[ with -eq (the builtin does not evaluate)', '[ @ -eq 1 ]', ['word']],
  ['an array element', 'arr=(a @ "@")', ['word', 'double-quotes']],
  ['a function body', 'f() { echo @; }; f', ['word']],
  ['a function keyword body', 'function f { echo @; }', ['word']],
  ['in a subshell', '( cd /tmp && ls @ )', ['word']],
  ['after if/then', 'if test -n @; then echo @; fi', ['word', 'word']],
  ['a positional argument to bash -c', 'bash -c \'echo "$1"\' _ @', ['word']],
  ['a script file argument to bash', 'bash ./x.sh @', ['word']],
  ['arguments after bash -s', 'bash -s -- @ <<\'END\'\necho "$1"\nEND', ['word']],
  ['escaped dollar before', 'echo \\$@', ['word']],
  ['a pipeline', 'echo @ | grep @ || echo @ && echo @ & echo @', ['word', 'word', 'word', 'word', 'word']],
  ['a # inside a word is not a comment', 'echo a#@ @#b ${#x} $# @', ['word', 'word', 'word']],
  ['grep -c is no shell', 'grep -c @ file', ['word']],
  ['a word that says eval is no eval', 'echo eval @', ['word']],
  // double quotes
  ['double quotes', 'echo "dq: @"', ['double-quotes']],
  ['double quotes with escaped quotes', 'echo "a \\" @ \\" b" @', ['double-quotes', 'word']],
  ['escaped single quote in a bare word', "echo it\\'s @", ['word']],
  ['a single quote inside double quotes is literal', 'echo "it\'s @"', ['double-quotes']],
  ['a double quote inside single quotes is literal', "echo 'a\"b' @", ['word']],
  ['locale string $"…"', 'echo $"hello @"', ['double-quotes']],
  // command substitution
  ['$( ) is a new bare context', 'echo $(echo @)', ['word']],
  ['$( ) inside double quotes', 'echo "x $(printf %s @) y"', ['word']],
  ['"…" nested in $( ) in "…"', 'echo "a $(echo "b @" @) c @"', ['double-quotes', 'word', 'double-quotes']],
  ['$( ) with a ) in a case pattern', 'echo $(case a in a) echo @;; esac) @', ['word', 'word']],
  ['after an assignment, the next word is the command', 'x=$(echo @) @', ['word', 'command-name']],
  ['$( ) with a subshell inside', 'echo $( (echo @) ) @', ['word', 'word']],
  ['process substitution', 'diff <(echo @) >(cat @)', ['word', 'word']],
  // comments
  ['a comment', '# note @\necho @', ['comment', 'word']],
  ['a comment after a command', 'echo hi # @ \'unbalanced\necho "@"', ['comment', 'double-quotes']],
  ['a comment inside $( )', 'x=$(echo a # @\n)', ['comment']],
  ['# glued to the placeholder at a word start', 'echo #@', ['comment']],
  // heredocs
  ['an unquoted heredoc', 'cat <<END\nhello @ "@" \'@\'\nEND\necho @', ['heredoc', 'heredoc', 'heredoc', 'word']],
  ['$( ) in an unquoted heredoc', 'cat <<END\n$(echo @)\nEND', ['word']],
  ['a single-quoted heredoc delimiter', "cat <<'END'\n@\nEND\necho @", ['quoted-heredoc', 'word']],
  ['a double-quoted heredoc delimiter', 'cat <<"END"\n@\nEND', ['quoted-heredoc']],
  ['a backslash-quoted heredoc delimiter', 'cat <<\\END\n@\nEND', ['quoted-heredoc']],
  ['a partly quoted heredoc delimiter', 'cat <<E"N"D\n@\nEND', ['quoted-heredoc']],
  ['<<- strips tabs from the delimiter line', 'cat <<-END\n\t@\n\tEND\necho @', ['heredoc', 'word']],
  ['<<- with a quoted delimiter', "cat <<-'END'\n\t@\n\tEND\necho @", ['quoted-heredoc', 'word']],
  ['a delimiter with a dash', 'cat <<END-OF-IT\n@\nEND\nEND-OF-IT\necho @', ['heredoc', 'word']],
  ['two heredocs on one line', "cat <<A - <<'B'\n@\nA\n@\nB\necho @", ['heredoc', 'quoted-heredoc', 'word']],
  [
    'three heredocs on one line, bodies in order',
    "cat <<A; cat <<'B'; cat <<-C\n@\nA\n@\nB\n\t@\n\tC",
    ['heredoc', 'quoted-heredoc', 'heredoc'],
  ],
  ['a line that only contains the delimiter ends it', 'cat <<END\nEND \n@\nEND\n@', ['heredoc', 'command-name']],
  ['a heredoc inside $( )', 'echo "$(cat <<END\n@\nEND\n)" @', ['heredoc', 'word']],
  ['a here-string <<< is not a heredoc', "cat <<< '@'", ['single-quotes']],
  ['a heredoc delimiter', 'cat <<@\nx\n', ['heredoc-delimiter']],
  // unsafe: quoting
  ['single quotes', "echo 'sq: @'", ['single-quotes']],
  ['single quotes closed around it', "echo 'sq: '\"@\"' end'", ['double-quotes']],
  ["$'…' quotes", "echo $'a\\n @ \\' @'", ['ansi-c-quotes', 'ansi-c-quotes']],
  ['backticks', 'echo `echo @`', ['backticks']],
  ['backticks inside double quotes', 'echo "x `echo @` y"', ['backticks']],
  ['backticks in an unquoted heredoc', 'cat <<END\n`echo @`\nEND', ['backticks']],
  ['right after $', 'echo $@ "$@"', ['after-dollar', 'after-dollar']],
  ['a parameter expansion', 'echo ${x:-@} "${y/@/z}"', ['parameter-expansion', 'parameter-expansion']],
  ['quotes inside a parameter expansion', 'echo "${x:-"@"}"', ['parameter-expansion']],
  // unsafe: re-parsed as code
  ['eval', 'eval "echo @"; eval echo @', ['eval', 'eval']],
  ['eval after if and command', 'if command eval @; then :; fi', ['eval']],
  ['eval of a command substitution', 'eval "$(echo @)"', ['eval']],
  ['bash -c single-quoted', "bash -c 'echo @'", ['shell-c']],
  ['sh -c double-quoted', 'sh -c "echo @"', ['shell-c']],
  ['zsh -c bare', 'zsh -c @', ['shell-c']],
  ['bash -lc through sudo', 'sudo -u postgres /bin/bash -lc "psql @"', ['shell-c']],
  ['sh -c through kubectl exec', 'kubectl exec pod -- sh -ec "x $(echo @)"', ['shell-c']],
  ['bash -o pipefail -c', 'bash -o pipefail -c "echo @"', ['shell-c']],
  ['su -c', 'su - app -c "echo @"', ['shell-c']],
  ['a heredoc read by bash as its script', 'bash <<END\necho @\nEND', ['shell-stdin']],
  ['a quoted heredoc read by sh', "sudo sh <<'END'\necho @\nEND", ['shell-stdin']],
  ['a here-string read by bash', 'bash <<< "echo @"', ['shell-stdin']],
  ['bash -c with a heredoc reads data, not code', "bash -c 'cat' <<END\n@\nEND", ['heredoc']],
  ['a trap action', 'trap "echo @" EXIT; trap -- "rm @" INT', ['trap', 'trap']],
  ['a trap signal is no action', "trap 'echo' @", ['word']],
  ['PS4', 'PS4=@ bash -x', ['code-variable']],
  // unsafe: arithmetic and names
  ['$(( ))', 'echo $((@ + 1)) "$(( @ ))"', ['arithmetic', 'arithmetic']],
  ['(( ))', '(( n = @ ))', ['arithmetic']],
  ['for (( ))', 'for ((i = 0; i < @; i++)); do :; done', ['arithmetic']],
  ['$[ ]', 'echo $[@ + 1]', ['arithmetic']],
  ['let', 'let "n = @ + 1"', ['arithmetic']],
  ['[[ -eq ]] on either side', '[[ @ -eq 1 || 2 -lt "@" ]]', ['arithmetic', 'arithmetic']],
  ['declare -i', 'declare -i n=@', ['arithmetic']],
  ['an array subscript', 'a[@]=1', ['array-subscript']],
  ['an array subscript in a list', 'a=([@]=x)', ['array-subscript']],
  ['read into a name', 'read -r @', ['variable-name']],
  ['read with a prompt is fine', 'read -r -p @ answer', ['word']],
  ['printf -v', 'printf -v @ %s x', ['variable-name']],
  ['[[ -v ]] and [ -v ]', '[[ -v @ ]]; [ -v @ ]', ['variable-name', 'variable-name']],
  ['declare a name, not a value', 'declare @=1 y=@; local "@"', ['variable-name', 'word', 'variable-name']],
  ['declare -n', 'declare -n ref=@', ['variable-name']],
  ['unset', 'unset @', ['variable-name']],
  [
    'declare -a / -A / local -a',
    'declare -a a=@; declare -A m=@; local -a l=@',
    ['array-declare', 'array-declare', 'array-declare'],
  ],
  [
    'declare of a name the script makes an array',
    'a=(x); declare a=@; typeset b=@; b=(1)',
    ['array-declare', 'array-declare'],
  ],
  [
    'declare of a name read -a or mapfile fill',
    'read -r -a arr; typeset arr=@; mapfile -t lines; local lines=@',
    ['array-declare', 'array-declare'],
  ],
  [
    'export and readonly of an array name, and declare of a plain name, are fine',
    'a=(x); export a=@; readonly a=@; declare x=@; local y=@',
    ['word', 'word', 'word', 'word'],
  ],
  ['a pipeline into a shell', 'echo @ | bash; printf %s @ | grep x | sudo sh -s', ['shell-stdin', 'shell-stdin']],
  ['a heredoc piped into a shell', 'cat <<END | sh\n@\nEND', ['shell-stdin']],
  [
    'a pipeline into anything else is fine',
    'echo @ | grep x; cat <<END | kubectl apply -f -\n@\nEND\necho @ || bash',
    ['word', 'heredoc', 'word'],
  ],
  [
    'su and sudo -s/-i read a script from stdin',
    'su app <<A\n@\nA\nsudo -iu app <<B\n@\nB\nsudo -u app -s <<< @',
    ['shell-stdin', 'shell-stdin', 'shell-stdin'],
  ],
  ['su -c and sudo CMD read data', 'su -c cat app <<A\n@\nA\nsudo -u app cat <<B\n@\nB', ['heredoc', 'heredoc']],
  ["mapfile's callback", 'mapfile -t -C @ lines', ['eval']],
  ['export PS4', 'export PS4=@', ['code-variable']],
  ['BASH_ENV and ENV', 'BASH_ENV=@ bash x.sh; export ENV=@', ['code-variable', 'code-variable']],
  ['assigning to a name declared -i', 'n=@; declare -i n; m=@; local k=@', ['arithmetic', 'word', 'word']],
  [
    'assigning to a name declared -i, with declare again',
    'declare -i n; declare n=@; n+=@',
    ['arithmetic', 'arithmetic'],
  ],
  [
    'a backslash-newline in an unquoted heredoc joins lines before the delimiter',
    'cat <<END\nfoo\\\nEND\n@\nEND\n@',
    ['heredoc', 'command-name'],
  ],
  ['but not in a quoted one', "cat <<'END'\nfoo\\\nEND\n@", ['command-name']],
  // unsafe: the command itself
  ['the command name', '@ --version', ['command-name']],
  ['the command name after assignments and redirections', 'X=1 >out @ arg', ['command-name']],
  ['the command name in double quotes', '"@" arg', ['command-name']],
  ['the command name after a pipe', 'echo | @', ['command-name']],
  ['a quoted name is no assignment', '"X"=@', ['command-name']],
  ['a file descriptor number is no command', 'echo 2>&1 @', ['word']],
  [
    'the command run by exec, command or builtin',
    'exec @; command @ x; builtin @; X=1 exec -a name @',
    ['command-name', 'command-name', 'command-name', 'command-name'],
  ],
  ['command -v only looks a name up', 'command -v @', ['word']],
];

describe('placeholderContexts', () => {
  it.each(cases)('%s', (_name, script, expected) => {
    expect(contexts(script)).toEqual(expected);
  });

  it('no placeholders, no contexts; unterminated quotes keep their context to the end', () => {
    expect(placeholderContexts(['echo hi'])).toEqual([]);
    expect(contexts("echo 'open @")).toEqual(['single-quotes']);
    expect(contexts('echo "open @')).toEqual(['double-quotes']);
    expect(contexts('cat <<END\n@')).toEqual(['heredoc']);
    expect(contexts('echo $(echo @')).toEqual(['word']);
  });

  it('a literal private-use character in the text is not taken for a placeholder', () => {
    expect(placeholderContexts(["echo '\uE000' ", ''])).toEqual(['word']);
  });

  it('nesting past the limit stops the scan: what follows is refused (undetermined), what came before keeps its context, nothing throws', () => {
    const deep = 'echo "$(echo '.repeat(5000);
    expect(contexts(`echo @; ${deep}@`)).toEqual(['word', 'undetermined']);
    expect(contexts(`cat <<END\n${'$(echo '.repeat(5000)}@\nEND\necho @`)).toEqual(['undetermined', 'undetermined']);
    expect(contexts(`echo ${'${x:-'.repeat(5000)}@`)).toEqual(['undetermined']);
  });

  it('stays linear on one very long command and a very long pipeline', () => {
    for (const script of [
      `echo ${' a @ b '.repeat(20_000)}`,
      `echo @${' | cat @'.repeat(20_000)}`,
      `declare -a ${'x=@ '.repeat(20_000)}`,
    ]) {
      const started = performance.now();
      expect(contexts(script)).toHaveLength(script.split('@').length - 1);
      expect(performance.now() - started).toBeLessThan(2000);
    }
  });

  it('never throws or hangs on random shell-ish text, and gives one context per placeholder', () => {
    const alphabet = [
      '@',
      '@',
      ' ',
      '\n',
      "'",
      '"',
      '`',
      '$',
      '(',
      ')',
      '{',
      '}',
      '[',
      ']',
      '\\',
      '#',
      '<<',
      '<<-',
      '<<<',
      'END',
      '|',
      '&',
      ';',
      ';;',
      'a',
      '=',
      'bash',
      '-c',
      'eval',
      'case',
      'in',
      'esac',
      '[[',
      ']]',
      '-eq',
      'declare',
      '-a',
      '((',
      '$((',
      '${',
      '$(',
      "$'",
      '\t',
    ];
    let seed = 42;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let n = 0; n < 2000; n++) {
      const script = Array.from(
        { length: 1 + Math.floor(random() * 60) },
        () => alphabet[Math.floor(random() * alphabet.length)],
      ).join('');
      const result = contexts(script);
      expect(result).toHaveLength(script.split('@').length - 1);
    }
  });

  it('stays linear on a long script', () => {
    const script = Array.from({ length: 5000 }, (_, i) => `echo "line ${i} @" $(printf %s @) # @`).join('\n');
    const started = performance.now();
    const result = contexts(script);
    expect(result).toHaveLength(15_000);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
