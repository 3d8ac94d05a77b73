/**
 * A scanner of POSIX/bash shell quoting, with one job: given a script's text parts and the
 * placeholders between them, tell where each placeholder stands, so that a value can be passed
 * through the environment and referenced in a way that never makes it code (engine/shell/script.ts).
 *
 * `texts[i]` is the text before placeholder i (so there are texts.length - 1 placeholders). A
 * placeholder counts as one character of a word. The scanner follows what bash does when it reads
 * a script: quotes (`'…'`, `"…"`, `$'…'`, `$"…"`), backslashes, `$( … )`, `<( … )`, `${ … }`,
 * `$(( … ))`, `(( … ))`, backticks, comments, heredocs (bodies are read at the next newline, several
 * per line, `<<-`, quoted delimiters), and enough of the command grammar (command names,
 * assignments, reserved words, `case` patterns, `[[ … ]]`, redirections) to know which word a
 * placeholder is in and what the command will do with that word (`eval` it, run it as a `-c`
 * script, use it as a variable name, as an arithmetic expression, as the command itself).
 *
 * It never throws: text that bash would reject (an unterminated quote) still gets an answer, the
 * context that was open where the text ended.
 */

import {
  type Command,
  EXPANSION,
  isAssignment,
  literalOf,
  newCommand,
  pushWord,
  readsStdin,
  SENTINEL,
  scriptFollows,
  type Word,
} from './commands.js';
import type { ShellContext } from './contexts.js';

/** Nesting (quotes in substitutions in quotes, …) the scanner follows; deeper, it stops and refuses what is left. */
const MAX_NESTING = 64;

/** Builtins whose operands are variable names, and their options that take a (non-name) argument. */
const NAME_BUILTINS = new Map<string, ReadonlySet<string>>([
  ['read', new Set(['-d', '-i', '-n', '-N', '-p', '-t', '-u'])],
  ['mapfile', new Set(['-d', '-n', '-O', '-s', '-u', '-c'])],
  ['readarray', new Set(['-d', '-n', '-O', '-s', '-u', '-c'])],
  ['unset', new Set<string>()],
  ['getopts', new Set<string>()],
]);
const DECLARE_BUILTINS = new Set(['declare', 'typeset', 'local', 'readonly', 'export']);
const ARITH_OPS = new Set(['-eq', '-ne', '-lt', '-le', '-gt', '-ge']);
/** Reserved words after which the next word is again a command. */
const LEAD_RESERVED = new Set(['if', 'then', 'else', 'elif', 'while', 'until', 'do', '{', '!', 'time']);
/** Reserved words that end a compound command. */
const END_RESERVED = new Set(['fi', 'done', '}', 'esac']);

/** How strongly a context was decided: an outer or role context is never overridden by an inner one. */
enum Rank {
  Safe = 0,
  Weak = 1,
  Lexical = 2,
  Strong = 3,
  /** The scan stopped: nothing overrides it. */
  Final = 4,
}

interface Heredoc {
  delimiter: string;
  stripTabs: boolean;
  quoted: boolean;
  command: Command;
  /** The context that was in force where `<<` stood (inside backticks, a `-c` script, …). */
  inherited: ShellContext | null;
}

type Expect = 'command' | 'arg' | 'for-name' | 'for-in' | 'case-word' | 'case-in' | 'function-name';

interface Frame {
  inherited: ShellContext | null;
  /** Closes the frame: ')' for `$(`/`<(`/`>(`, '' for the top level. */
  closer: ')' | '';
  /** An array assignment's list: its words are elements, never commands. */
  arrayList: boolean;
  word: Word | null;
  command: Command;
  expect: Expect;
  /** The next word is a redirection's target (or a here-string). */
  redirect: 'file' | 'here-string' | null;
  /** `(` subshells open in this frame. */
  depth: number;
  /** Open `case` statements, and whether we are reading patterns (before their `)`). */
  cases: number;
  pattern: boolean;
  /** Inside `[[ … ]]`. */
  cond: boolean;
}

/** The context of each placeholder, in order. */
export function placeholderContexts(texts: readonly string[]): ShellContext[] {
  const offsets: number[] = [];
  let source = '';
  texts.forEach((text, index) => {
    source += text;
    if (index < texts.length - 1) {
      offsets.push(source.length);
      source += SENTINEL;
    }
  });
  const scanner = new Scanner(source, offsets);
  scanner.run();
  return offsets.map((offset) => scanner.contextAt(offset));
}

class Scanner {
  private i = 0;
  private end: number;
  private readonly placeholders: Set<number>;
  private readonly marks = new Map<number, { context: ShellContext; rank: Rank }>();
  private readonly pending: Heredoc[] = [];
  /** Words open across frames, innermost last: a placeholder belongs to each of them. */
  private readonly openWords: Word[] = [];
  /** Names the script makes arrays (`a=(…)`, `declare -a a`, `read -a a`, `mapfile a`). */
  private readonly arrays = new Set<string>();
  /** Names the script gives the integer attribute (`declare -i n`): assigning to one evaluates arithmetic. */
  private readonly integers = new Set<string>();
  /** declare/typeset/local operands, decided once every array name is known. */
  private readonly declared: { name: string; word: Word }[] = [];
  /** Assignments holding placeholders, decided once every integer name is known. */
  private readonly assigned: { name: string; word: Word }[] = [];
  private nesting = 0;
  private stopped = false;

  constructor(
    private readonly s: string,
    offsets: number[],
  ) {
    this.end = s.length;
    this.placeholders = new Set(offsets);
  }

  run(): void {
    this.commandFrame(null, '', false);
    for (const { name, word } of this.declared) if (this.arrays.has(name)) this.markWord(word, 'array-declare');
    for (const { name, word } of this.assigned) if (this.integers.has(name)) this.markWord(word, 'arithmetic');
  }

  contextAt(offset: number): ShellContext {
    // Every placeholder is marked on the way; should one not be, it is refused, never taken as safe.
    return this.marks.get(offset)?.context ?? 'undetermined';
  }

  private isPlaceholder(at: number): boolean {
    return this.s[at] === SENTINEL && this.placeholders.has(at);
  }

  private mark(at: number, context: ShellContext, rank: Rank): void {
    const previous = this.marks.get(at);
    if (previous && previous.rank >= rank) return;
    this.marks.set(at, { context, rank });
  }

  /** Marks every placeholder in a word (retroactively, once the command shows what it does with it). */
  private markWord(word: Word, context: ShellContext): void {
    for (const at of word.placeholders) this.mark(at, context, Rank.Strong);
  }

  private placeholderHere(context: ShellContext, rank: Rank): void {
    this.mark(this.i, context, rank);
    for (const word of this.openWords) word.placeholders.push(this.i);
  }

  // ---------------------------------------------------------------- command level

  /** Commands until `closer` (or the end), in a frame of their own. */
  private commandFrame(inherited: ShellContext | null, closer: ')' | '', arrayList: boolean): void {
    if (!this.enter()) return;
    try {
      this.commands(inherited, closer, arrayList);
    } finally {
      this.nesting--;
    }
  }

  /**
   * One more level of nesting; past MAX_NESTING the scan stops (every placeholder not decided yet is
   * `undetermined`, which is refused), so a hostile script cannot exhaust the stack.
   */
  private enter(): boolean {
    if (this.stopped) return false;
    if (++this.nesting <= MAX_NESTING) return true;
    this.nesting--;
    this.stopped = true;
    for (const at of this.placeholders) if (at >= this.i) this.mark(at, 'undetermined', Rank.Final);
    this.i = this.s.length;
    return false;
  }

  private commands(inherited: ShellContext | null, closer: ')' | '', arrayList: boolean): void {
    const f: Frame = {
      inherited,
      closer,
      arrayList,
      word: null,
      command: newCommand(),
      expect: arrayList ? 'arg' : 'command',
      redirect: null,
      depth: 0,
      cases: 0,
      pattern: false,
      cond: false,
    };
    const s = this.s;
    while (this.i < this.end) {
      const c = s[this.i]!;
      if (this.isPlaceholder(this.i)) {
        const word = this.startWord(f);
        const { context, rank } = this.wordPlaceholder(f, word, null);
        this.placeholderHere(context, rank);
        word.text += SENTINEL;
        this.i++;
        continue;
      }
      switch (c) {
        case '\\': {
          if (s[this.i + 1] === '\n') {
            this.i += 2;
            continue;
          }
          const word = this.startWord(f);
          this.quoting(word);
          if (this.isPlaceholder(this.i + 1)) {
            this.i++;
            continue;
          }
          word.text += s[this.i + 1] ?? '';
          this.i += 2;
          continue;
        }
        case ' ':
        case '\t':
          this.endWord(f);
          this.i++;
          continue;
        case '\n':
          this.endWord(f);
          this.i++;
          if (!f.cond) this.endCommand(f, 'newline');
          this.readHeredocs();
          continue;
        case '#':
          if (f.word === null) {
            this.comment(f.inherited);
            continue;
          }
          break;
        case "'": {
          const word = this.startWord(f);
          this.quoting(word);
          this.i++;
          this.singleQuotes(this.quotedContext(f, word, 'single-quotes'), word);
          continue;
        }
        case '"': {
          const word = this.startWord(f);
          this.quoting(word);
          this.i++;
          this.doubleQuotes(f, word);
          continue;
        }
        case '`': {
          const word = this.startWord(f);
          this.i++;
          this.backticks(this.quotedContext(f, word, 'backticks'));
          word.text += EXPANSION;
          continue;
        }
        case '$': {
          const word = this.startWord(f);
          this.dollar('bare', f, word);
          continue;
        }
        case '<':
        case '>':
          this.redirection(f);
          continue;
        case '&':
        case '|':
        case ';':
          this.operator(f, c);
          continue;
        case '(':
          this.openParen(f);
          continue;
        case ')':
          if (this.closeParen(f)) return;
          continue;
        default:
          break;
      }
      const word = this.startWord(f);
      word.text += c;
      this.i++;
    }
    this.endWord(f);
    this.endCommand(f, 'end');
  }

  private quoting(word: Word): void {
    word.firstQuoted = Math.min(word.firstQuoted, word.text.length);
  }

  private startWord(f: Frame): Word {
    if (f.word) return f.word;
    const commandPosition = f.expect === 'command' && f.redirect === null && !f.pattern && !f.cond && !f.arrayList;
    const word: Word = {
      text: '',
      firstQuoted: Infinity,
      placeholders: [],
      role: null,
      commandPosition,
      declareOperand: false,
      declareRereads: false,
      declareInteger: false,
      arrayElement: f.arrayList,
    };
    if (f.redirect === null && !commandPosition) this.decideRole(f, word);
    f.word = word;
    this.openWords.push(word);
    return word;
  }

  /** What the command does with the word about to start, from the words before it. */
  private decideRole(f: Frame, word: Word): void {
    if (f.cond) {
      const previous = f.command.words.at(-1);
      const literal = previous ? literalOf(previous) : null;
      if (literal !== null && ARITH_OPS.has(literal)) word.role = 'arithmetic';
      else if (literal === '-v') word.role = 'variable-name';
      return;
    }
    if (f.expect !== 'arg') return;
    const command = f.command;
    if (command.nameAt === -1) {
      if (command.wrapper === 'runs' && !command.skipWrapperArgument) word.role = 'command-name';
      return;
    }
    const name = command.name;
    const previous = command.lastArgument;
    if (name === 'eval') word.role = 'eval';
    else if (name === 'let') word.role = 'arithmetic';
    else if (name === 'trap') {
      if (command.operands === 0) word.role = 'trap';
    } else if (name !== null && NAME_BUILTINS.has(name)) {
      if (previous === '-C')
        word.role = 'eval'; // mapfile's callback
      else if (previous === null || !NAME_BUILTINS.get(name)!.has(previous)) word.role = 'variable-name';
    } else if (name === 'printf' && previous === '-v') word.role = 'variable-name';
    else if ((name === 'test' || name === '[') && previous === '-v') word.role = 'variable-name';
    else if (name !== null && DECLARE_BUILTINS.has(name)) {
      const letters = command.optionLetters;
      if (letters.includes('n')) word.role = 'variable-name';
      else if (letters.includes('i')) {
        word.role = 'arithmetic';
        word.declareInteger = true;
      } else if (letters.includes('a') || letters.includes('A')) word.role = 'array-declare';
      else {
        word.declareOperand = true;
        word.declareRereads = name === 'declare' || name === 'typeset' || name === 'local';
      }
    }
    if (word.role === null && scriptFollows(command)) word.role = 'shell-c';
  }

  /** A placeholder (or a nested construct) at this point of a word: its context and how strongly decided. */
  private wordPlaceholder(
    f: Frame,
    word: Word,
    lexical: ShellContext | null,
    safe: ShellContext = 'word',
  ): { context: ShellContext; rank: Rank } {
    if (f.inherited) return { context: f.inherited, rank: Rank.Strong };
    const strong = this.strongOf(word);
    if (strong) return { context: strong, rank: Rank.Strong };
    if (lexical) return { context: lexical, rank: Rank.Lexical };
    const weak = weakOf(word);
    if (weak) return { context: weak, rank: Rank.Weak };
    return { context: safe, rank: Rank.Safe };
  }

  private strongOf(word: Word): ShellContext | null {
    if (word.role) return word.role;
    if (word.declareOperand && !word.text.includes('=')) return 'variable-name';
    if (
      (word.commandPosition || word.declareOperand) &&
      isAssignment(word) &&
      /^(PS[0-4]|PROMPT_COMMAND|BASH_ENV|ENV)[[+=]/.test(word.text)
    )
      return 'code-variable';
    return null;
  }

  /** The context inherited by what opens inside a word here (quotes, `$( … )`): any unsafe one in force. */
  private quotedContext(f: Frame, word: Word, lexical: ShellContext | null): ShellContext | null {
    if (f.inherited) return f.inherited;
    return this.strongOf(word) ?? lexical ?? weakOf(word);
  }

  private endWord(f: Frame): void {
    const word = f.word;
    if (!word) return;
    f.word = null;
    this.openWords.splice(this.openWords.lastIndexOf(word), 1);
    if (f.redirect !== null) {
      if (f.redirect === 'here-string') f.command.hereStrings.push(word);
      f.redirect = null;
      return;
    }
    const literal = literalOf(word);
    this.noteArrays(f, word);
    if (f.cond) {
      if (literal === ']]') {
        f.cond = false;
        f.expect = 'arg';
      } else if (literal !== null && ARITH_OPS.has(literal)) {
        const previous = f.command.words.at(-1);
        if (previous) this.markWord(previous, 'arithmetic');
      }
      pushWord(f.command, word, literal);
      return;
    }
    if (f.pattern) {
      if (literal === 'esac') this.endCase(f);
      pushWord(f.command, word, literal);
      return;
    }
    if (
      f.expect === 'command' &&
      !f.arrayList &&
      literal !== null &&
      (LEAD_RESERVED.has(literal) || END_RESERVED.has(literal))
    ) {
      // A reserved word is no command name: the command starts after it.
      if (literal === 'esac') this.endCase(f);
      if (END_RESERVED.has(literal)) f.expect = 'arg';
      return;
    }
    pushWord(f.command, word, literal);
    switch (f.expect) {
      case 'command':
        if (f.arrayList) return;
        if (literal === 'for' || literal === 'select') f.expect = 'for-name';
        else if (literal === 'case') f.expect = 'case-word';
        else if (literal === 'function') f.expect = 'function-name';
        else if (literal === '[[') {
          f.cond = true;
          f.expect = 'arg';
        } else if (!isAssignment(word)) f.expect = 'arg';
        return;
      case 'for-name':
        f.expect = 'for-in';
        return;
      case 'for-in':
        if (literal === 'do') {
          f.command = newCommand();
          f.expect = 'command';
        } else f.expect = 'arg';
        return;
      case 'case-word':
        f.expect = 'case-in';
        return;
      case 'case-in':
        if (literal === 'in') {
          f.cases++;
          f.pattern = true;
        }
        f.expect = 'arg';
        return;
      case 'function-name':
        f.command = newCommand();
        f.expect = 'command';
        return;
      case 'arg':
        return;
    }
  }

  /** Remembers names made arrays, and declare operands whose value is re-read if the name is one. */
  private noteArrays(f: Frame, word: Word): void {
    if (f.cond || f.pattern) return;
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(word.text)?.[0];
    if (name === undefined) return;
    if (word.declareRereads && word.placeholders.length > 0) this.declared.push({ name, word });
    if ((word.commandPosition || word.declareOperand) && isAssignment(word) && word.placeholders.length > 0)
      this.assigned.push({ name, word });
    if (word.declareInteger) this.integers.add(name);
    if (word.role === 'array-declare') this.arrays.add(name);
    const command = f.command.nameAt === -1 ? null : f.command.name;
    const previous = f.command.lastArgument;
    const literal = literalOf(word);
    if (literal === null || command === null) return;
    if (command === 'read' && previous === '-a') this.arrays.add(literal);
    if (
      (command === 'mapfile' || command === 'readarray') &&
      !literal.startsWith('-') &&
      (previous === null || !NAME_BUILTINS.get(command)!.has(previous))
    )
      this.arrays.add(literal);
  }

  private endCase(f: Frame): void {
    f.cases = Math.max(0, f.cases - 1);
    f.pattern = false;
    f.expect = 'arg';
  }

  /** The end of a simple command (`;`, `&`, `|`, `&&`, newline, …): here-strings into a shell are code. */
  private endCommand(f: Frame, why: 'newline' | 'operator' | 'pipe' | 'case' | 'end'): void {
    this.endWord(f);
    const command = f.command;
    if (command.hereStrings.length > 0 && readsStdin(command)) {
      for (const word of command.hereStrings) this.markWord(word, 'shell-stdin');
    }
    if (why === 'pipe') {
      f.command = newCommand(command);
      f.redirect = null;
      f.expect = 'command';
      return;
    }
    // A pipeline into a shell (`echo … | bash`): what the commands before it print is a script.
    let later = command.previous ? readsStdin(command) : false;
    for (let earlier = command.previous; earlier; earlier = earlier.previous) {
      if (later) {
        earlier.intoScript = true;
        for (const word of [...earlier.words, ...earlier.hereStrings]) this.markWord(word, 'shell-stdin');
      }
      later ||= readsStdin(earlier);
    }
    f.command = newCommand();
    f.redirect = null;
    if (f.arrayList) return;
    if (why === 'case') f.pattern = f.cases > 0;
    if (!f.pattern) f.expect = 'command';
    f.cond = false;
  }

  private operator(f: Frame, c: string): void {
    const s = this.s;
    const next = s[this.i + 1];
    if (f.cond && (c === '&' || c === '|') && next === c) {
      this.endWord(f);
      this.i += 2;
      return;
    }
    if (c === '&' && next === '>') {
      // &> and &>>: a redirection of stdout and stderr.
      this.endWord(f);
      this.i += s[this.i + 2] === '>' ? 3 : 2;
      f.redirect = 'file';
      return;
    }
    if (c === '|' && f.pattern) {
      this.endWord(f);
      this.i++;
      return;
    }
    if (c === ';' && next === ';') {
      this.i += s[this.i + 2] === '&' ? 3 : 2;
      this.endCommand(f, 'case');
      f.pattern = f.cases > 0;
      return;
    }
    if (c === ';' && next === '&') {
      this.i += 2;
      this.endCommand(f, 'case');
      f.pattern = f.cases > 0;
      return;
    }
    const pipe = c === '|' && next !== '|';
    this.i += (c === '&' || c === '|') && (next === c || (c === '|' && next === '&')) ? 2 : 1;
    this.endCommand(f, pipe ? 'pipe' : 'operator');
  }

  /** `<`, `>` and friends: redirections, heredocs, here-strings, process substitution. */
  private redirection(f: Frame): void {
    const s = this.s;
    const c = s[this.i]!;
    if (f.cond) {
      // Inside [[ ]], < and > compare strings.
      this.endWord(f);
      this.i++;
      return;
    }
    if (s[this.i + 1] === '(') {
      // <( … ) and >( … ): process substitution, a command of its own standing as a word.
      const word = this.startWord(f);
      const inherited = this.quotedContext(f, word, null);
      this.i += 2;
      this.commandFrame(inherited, ')', false);
      word.text += EXPANSION;
      return;
    }
    // A number glued before the operator (2>&1) is a file descriptor, not a word.
    if (f.word && /^[0-9]+$/.test(f.word.text)) {
      this.openWords.splice(this.openWords.lastIndexOf(f.word), 1);
      f.word = null;
    } else this.endWord(f);
    if (c === '<' && s.startsWith('<<<', this.i)) {
      this.i += 3;
      f.redirect = 'here-string';
      return;
    }
    if (c === '<' && s[this.i + 1] === '<') {
      const stripTabs = s[this.i + 2] === '-';
      this.i += stripTabs ? 3 : 2;
      this.heredocOperator(f, stripTabs);
      return;
    }
    // <, >, >>, >|, <>, <&, >&
    this.i++;
    const next = s[this.i];
    if (next === '>' || next === '|' || next === '&' || (c === '<' && next === '>')) this.i++;
    f.redirect = 'file';
  }

  private openParen(f: Frame): void {
    const s = this.s;
    if (f.word?.text.endsWith('=') && !f.cond) {
      // name=( … ): an array assignment; its words are elements.
      const word = f.word;
      const assigned = /^([A-Za-z_][A-Za-z0-9_]*)\+?=$/.exec(word.text);
      if (assigned) this.arrays.add(assigned[1]!);
      const inherited = this.quotedContext(f, word, null);
      this.i++;
      this.commandFrame(inherited, ')', true);
      word.text += EXPANSION;
      return;
    }
    this.endWord(f);
    if (f.cond) {
      this.i++;
      return;
    }
    if (f.pattern) {
      this.i++; // ( before a case pattern
      return;
    }
    const close = skipBlanks(s, this.i + 1);
    if (s[close] === ')') {
      // name() : a function definition; its body is a command.
      this.i = close + 1;
      f.command = newCommand();
      f.expect = 'command';
      return;
    }
    if ((f.expect === 'command' || f.expect === 'for-name') && s[this.i + 1] === '(') {
      // (( … )) and for (( … )): arithmetic.
      this.i += 2;
      this.balanced('(', ')', 2, f.inherited ?? 'arithmetic', f.inherited ? Rank.Strong : Rank.Lexical);
      f.expect = 'arg';
      return;
    }
    this.i++;
    f.depth++;
    f.command = newCommand();
    f.expect = 'command';
  }

  /** Returns true when the `)` closes this frame. */
  private closeParen(f: Frame): boolean {
    this.endWord(f);
    if (f.cond) {
      this.i++;
      return false;
    }
    if (f.pattern) {
      this.i++;
      f.pattern = false;
      f.command = newCommand();
      f.expect = 'command';
      return false;
    }
    if (f.depth > 0) {
      this.endCommand(f, 'operator');
      f.depth--;
      f.expect = 'arg';
      this.i++;
      return false;
    }
    if (f.closer === ')') {
      this.endCommand(f, 'end');
      this.i++;
      return true;
    }
    this.i++; // a stray ) at the top level: bash reports a syntax error
    return false;
  }

  // ---------------------------------------------------------------- quotes and expansions

  private singleQuotes(context: ShellContext | null, word: Word | null): void {
    const s = this.s;
    while (this.i < this.end && s[this.i] !== "'") {
      if (this.isPlaceholder(this.i))
        this.placeholderHere(
          context ?? 'single-quotes',
          context && context !== 'single-quotes' ? Rank.Strong : Rank.Lexical,
        );
      if (word) word.text += s[this.i];
      this.i++;
    }
    this.i++;
  }

  private ansiCQuotes(context: ShellContext, rank: Rank, word: Word | null): void {
    const s = this.s;
    while (this.i < this.end && s[this.i] !== "'") {
      if (s[this.i] === '\\') {
        if (this.isPlaceholder(this.i + 1)) {
          this.i++;
          continue;
        }
        if (word) word.text += s[this.i + 1] ?? '';
        this.i += 2;
        continue;
      }
      if (this.isPlaceholder(this.i)) this.placeholderHere(context, rank);
      if (word) word.text += s[this.i];
      this.i++;
    }
    this.i++;
  }

  /** `"…"` from just after the opening quote. `f` and `word` are null inside `${ … }` operands. */
  private doubleQuotes(f: Frame | null, word: Word | null, forced?: { context: ShellContext; rank: Rank }): void {
    if (!this.enter()) return;
    try {
      this.doubleQuoted(f, word, forced);
    } finally {
      this.nesting--;
    }
  }

  private doubleQuoted(f: Frame | null, word: Word | null, forced?: { context: ShellContext; rank: Rank }): void {
    const s = this.s;
    while (this.i < this.end) {
      const c = s[this.i]!;
      if (c === '"') {
        this.i++;
        return;
      }
      if (this.isPlaceholder(this.i)) {
        const decided =
          forced ??
          (f && word
            ? this.wordPlaceholder(f, word, null, 'double-quotes')
            : { context: 'double-quotes' as const, rank: Rank.Safe });
        this.placeholderHere(decided.context, decided.rank);
        if (word) word.text += SENTINEL;
        this.i++;
        continue;
      }
      if (c === '\\') {
        const next = s[this.i + 1];
        if (next === '$' || next === '`' || next === '"' || next === '\\' || next === '\n') {
          if (word && next !== '\n') word.text += next;
          this.i += 2;
          continue;
        }
        if (word) word.text += c;
        this.i++;
        continue;
      }
      if (c === '$') {
        this.dollar('double', f, word, forced);
        continue;
      }
      if (c === '`') {
        this.i++;
        this.backticks(forced?.context ?? (f && word ? this.quotedContext(f, word, 'backticks') : 'backticks'));
        if (word) word.text += EXPANSION;
        continue;
      }
      if (word) word.text += c;
      this.i++;
    }
  }

  /** Backticks from just after the opening one to the next unescaped one (POSIX: quotes do not matter). */
  private backticks(context: ShellContext | null): void {
    const s = this.s;
    const ctx = context ?? 'backticks';
    const rank = ctx === 'backticks' ? Rank.Lexical : Rank.Strong;
    while (this.i < this.end && s[this.i] !== '`') {
      if (s[this.i] === '\\' && !this.isPlaceholder(this.i + 1)) {
        this.i += 2;
        continue;
      }
      if (this.isPlaceholder(this.i)) this.placeholderHere(ctx, rank);
      this.i++;
    }
    this.i++;
  }

  /**
   * `$` in a word (`bare`), inside double quotes or in an unquoted heredoc body. `f`/`word` are
   * null where there is no word (heredoc bodies, `${ … }` operands); `forced` then decides.
   */
  private dollar(
    mode: 'bare' | 'double' | 'heredoc',
    f: Frame | null,
    word: Word | null,
    forced?: { context: ShellContext; rank: Rank },
  ): void {
    const s = this.s;
    const next = s[this.i + 1];
    const inherit = (lexical: ShellContext | null): ShellContext | null =>
      forced?.context ?? (f && word ? this.quotedContext(f, word, lexical) : lexical);
    const decide = (lexical: ShellContext): { context: ShellContext; rank: Rank } =>
      forced ?? (f && word ? this.wordPlaceholder(f, word, lexical) : { context: lexical, rank: Rank.Lexical });
    if (this.isPlaceholder(this.i + 1)) {
      this.i++;
      const decided = decide('after-dollar');
      this.placeholderHere(decided.context, decided.rank);
      if (word) word.text += EXPANSION;
      this.i++;
      return;
    }
    if (mode === 'bare' && next === "'") {
      if (word) this.quoting(word);
      this.i += 2;
      const decided = decide('ansi-c-quotes');
      this.ansiCQuotes(decided.context, decided.rank, word);
      return;
    }
    if (mode === 'bare' && next === '"') {
      if (word) this.quoting(word);
      this.i += 2;
      this.doubleQuotes(f, word, forced);
      return;
    }
    if (next === '(' && s[this.i + 2] === '(') {
      this.i += 3;
      const context = inherit('arithmetic')!;
      this.balanced('(', ')', 2, context, context === 'arithmetic' ? Rank.Lexical : Rank.Strong);
      if (word) word.text += EXPANSION;
      return;
    }
    if (next === '(') {
      this.i += 2;
      this.commandFrame(inherit(null), ')', false);
      if (word) word.text += EXPANSION;
      return;
    }
    if (next === '{') {
      this.i += 2;
      const context = inherit('parameter-expansion')!;
      this.balanced(
        '{',
        '}',
        1,
        context,
        context === 'parameter-expansion' ? Rank.Lexical : Rank.Strong,
        mode === 'double',
      );
      if (word) word.text += EXPANSION;
      return;
    }
    if (next === '[') {
      this.i += 2;
      const context = inherit('arithmetic')!;
      this.balanced('[', ']', 1, context, context === 'arithmetic' ? Rank.Lexical : Rank.Strong);
      if (word) word.text += EXPANSION;
      return;
    }
    if (next !== undefined && /[A-Za-z0-9_@*#?$!-]/.test(next)) {
      // $name, $1, $@, …: the name is ordinary text for our purposes.
      if (word) word.text += EXPANSION;
      this.i++;
      return;
    }
    if (word) word.text += '$';
    this.i++;
  }

  /**
   * A construct that ends at its balanced closer (`${ … }`, `$(( … ))`, `$[ … ]`, `(( … ))`): every
   * placeholder inside, also in nested quotes and substitutions, gets `context`.
   */
  private balanced(
    open: string,
    close: string,
    depth: number,
    context: ShellContext,
    rank: Rank,
    inDoubleQuotes = false,
  ): void {
    if (!this.enter()) return;
    try {
      this.balancedIn(open, close, depth, context, rank, inDoubleQuotes);
    } finally {
      this.nesting--;
    }
  }

  private balancedIn(
    open: string,
    close: string,
    depth: number,
    context: ShellContext,
    rank: Rank,
    inDoubleQuotes: boolean,
  ): void {
    const s = this.s;
    const forced = { context, rank };
    while (this.i < this.end) {
      const c = s[this.i]!;
      if (this.isPlaceholder(this.i)) {
        this.placeholderHere(context, rank);
        this.i++;
        continue;
      }
      if (c === '\\') {
        this.i += this.isPlaceholder(this.i + 1) ? 1 : 2;
        continue;
      }
      if (c === "'" && !inDoubleQuotes) {
        this.i++;
        this.singleQuotes(context, null);
        continue;
      }
      if (c === '"') {
        this.i++;
        this.doubleQuotes(null, null, forced);
        continue;
      }
      if (c === '`') {
        this.i++;
        this.backticks(context);
        continue;
      }
      if (c === '$') {
        this.dollar(inDoubleQuotes ? 'double' : 'bare', null, null, forced);
        continue;
      }
      if (c === open) depth++;
      else if (c === close && --depth === 0) {
        this.i++;
        return;
      }
      this.i++;
    }
  }

  private comment(inherited: ShellContext | null): void {
    const s = this.s;
    while (this.i < this.end && s[this.i] !== '\n') {
      if (this.isPlaceholder(this.i)) this.placeholderHere(inherited ?? 'comment', inherited ? Rank.Strong : Rank.Safe);
      this.i++;
    }
  }

  // ---------------------------------------------------------------- heredocs

  /** After `<<` or `<<-`: the delimiter word; the body is read at the next newline. */
  private heredocOperator(f: Frame, stripTabs: boolean): void {
    const s = this.s;
    this.i = skipBlanks(s, this.i);
    let delimiter = '';
    let quoted = false;
    const inherited = f.inherited ?? null;
    while (this.i < this.end) {
      const c = s[this.i]!;
      if (this.isPlaceholder(this.i)) {
        this.placeholderHere(inherited ?? 'heredoc-delimiter', inherited ? Rank.Strong : Rank.Lexical);
        delimiter += SENTINEL;
        this.i++;
        continue;
      }
      if (
        c === ' ' ||
        c === '\t' ||
        c === '\n' ||
        c === ';' ||
        c === '&' ||
        c === '|' ||
        c === '<' ||
        c === '>' ||
        c === '(' ||
        c === ')'
      )
        break;
      if (c === "'") {
        quoted = true;
        const close = s.indexOf("'", this.i + 1);
        const stop = close === -1 ? this.end : close;
        for (let j = this.i + 1; j < stop; j++)
          if (this.isPlaceholder(j)) this.mark(j, inherited ?? 'heredoc-delimiter', Rank.Strong);
        delimiter += s.slice(this.i + 1, stop);
        this.i = stop + 1;
        continue;
      }
      if (c === '"') {
        quoted = true;
        this.i++;
        while (this.i < this.end && s[this.i] !== '"') {
          if (s[this.i] === '\\' && /["\\$`]/.test(s[this.i + 1] ?? '')) this.i++;
          if (this.isPlaceholder(this.i)) this.mark(this.i, inherited ?? 'heredoc-delimiter', Rank.Strong);
          delimiter += s[this.i] ?? '';
          this.i++;
        }
        this.i++;
        continue;
      }
      if (c === '\\') {
        quoted = true;
        if (this.isPlaceholder(this.i + 1)) {
          this.i++;
          continue;
        }
        delimiter += s[this.i + 1] ?? '';
        this.i += 2;
        continue;
      }
      delimiter += c;
      this.i++;
    }
    if (delimiter !== '') this.pending.push({ delimiter, stripTabs, quoted, command: f.command, inherited });
  }

  /** At an unquoted newline: the bodies of the heredocs started on the line, in order. */
  private readHeredocs(): void {
    const s = this.s;
    while (this.pending.length > 0 && !this.stopped) {
      const heredoc = this.pending.shift()!;
      const start = this.i;
      let bodyEnd = this.end;
      let after = this.end;
      let at = start;
      while (at < this.end) {
        let lineEnd = lineEndAt(s, at, this.end);
        // In an unquoted heredoc a backslash-newline joins two lines before the delimiter is looked for.
        while (!heredoc.quoted && lineEnd < this.end && endsInBackslash(s, at, lineEnd))
          lineEnd = lineEndAt(s, lineEnd + 1, this.end);
        let line = heredoc.quoted ? s.slice(at, lineEnd) : s.slice(at, lineEnd).replaceAll('\\\n', '');
        if (heredoc.stripTabs) line = line.replace(/^\t+/, '');
        if (line === heredoc.delimiter) {
          bodyEnd = at;
          after = lineEnd < this.end ? lineEnd + 1 : lineEnd;
          break;
        }
        at = lineEnd + 1;
      }
      const stdin = readsStdin(heredoc.command) || heredoc.command.intoScript ? 'shell-stdin' : null;
      const inherited = heredoc.inherited ?? stdin;
      if (heredoc.quoted) {
        for (let j = start; j < bodyEnd; j++)
          if (this.isPlaceholder(j))
            this.mark(j, inherited ?? 'quoted-heredoc', inherited ? Rank.Strong : Rank.Lexical);
      } else {
        const outerEnd = this.end;
        this.end = bodyEnd;
        this.i = start;
        this.heredocBody(inherited);
        this.end = outerEnd;
        if (this.stopped) {
          this.i = s.length;
          return;
        }
      }
      this.i = Math.min(after, this.end);
    }
  }

  /** An unquoted heredoc body: like double quotes, but `"` is an ordinary character. */
  private heredocBody(inherited: ShellContext | null): void {
    const s = this.s;
    const forced = inherited ? { context: inherited, rank: Rank.Strong } : undefined;
    while (this.i < this.end) {
      const c = s[this.i]!;
      if (this.isPlaceholder(this.i)) {
        this.placeholderHere(inherited ?? 'heredoc', inherited ? Rank.Strong : Rank.Safe);
        this.i++;
        continue;
      }
      if (c === '\\') {
        const next = s[this.i + 1];
        this.i += next === '$' || next === '`' || next === '\\' || next === '\n' ? 2 : 1;
        continue;
      }
      if (c === '$') {
        this.dollar('heredoc', null, null, forced);
        continue;
      }
      if (c === '`') {
        this.i++;
        this.backticks(inherited);
        continue;
      }
      this.i++;
    }
  }
}

/** A context decided by where the word stands, weaker than any quoting: the command name, a subscript. */
function weakOf(word: Word): ShellContext | null {
  if (word.arrayElement) return /^\[[^\]]*$/.test(word.text) ? 'array-subscript' : null;
  if (!word.commandPosition) return null;
  if (
    /^[A-Za-z_][A-Za-z0-9_]*\[[^\]]*$/.test(word.text) &&
    /^[A-Za-z_][A-Za-z0-9_]*/.exec(word.text)![0].length <= word.firstQuoted
  )
    return 'array-subscript';
  if (isAssignment(word)) return null;
  return 'command-name';
}

function lineEndAt(s: string, at: number, end: number): number {
  const newline = s.indexOf('\n', at);
  return newline === -1 || newline > end ? end : newline;
}

/** Whether the line [start, end) ends in an odd number of backslashes. */
function endsInBackslash(s: string, start: number, end: number): boolean {
  let n = 0;
  for (let i = end - 1; i >= start && s[i] === '\\'; i--) n++;
  return n % 2 === 1;
}

function skipBlanks(s: string, at: number): number {
  let i = at;
  while (s[i] === ' ' || s[i] === '\t') i++;
  return i;
}
