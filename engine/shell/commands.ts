/**
 * The command grammar the quoting scanner follows (engine/shell/quoting.ts): a command's words, what
 * they say so far (its name, a wrapper such as `command` or `exec`, a shell reaching its `-c` script),
 * and whether a command is a shell that reads its script from stdin (`bash`, `sh -s`, `sudo -i`).
 */
import type { ShellContext } from './contexts.js';

export const SENTINEL = '\uE000'; // a placeholder's stand-in, in word texts
export const EXPANSION = '\uE001'; // an expansion's stand-in ($x, $(…)), in word texts

/** POSIX-family shells: `-c` takes a script; with no script operand they read one from stdin. */
export const SHELLS = new Set([
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
  'fish',
  'busybox',
]);
/** Commands whose `-c ARG` is a command line a shell reads. */
export const SU_LIKE = new Set(['su', 'runuser']);
/** Shell options that take the next word as their argument. */
export const SHELL_OPTION_ARGS = new Set(['-o', '+o', '-O', '+O', '--rcfile', '--init-file']);

const WRAPPERS = new Set(['command', 'builtin', 'exec']);

export interface Word {
  /** The word as bash sees it after quote removal: placeholders as SENTINEL, expansions as EXPANSION. */
  text: string;
  /** Where in `text` the first quoted or escaped character stands (a quoted name is no assignment). */
  firstQuoted: number;
  /** Offsets of the placeholders in this word, nested ones (inside `$( … )`) too. */
  placeholders: number[];
  /** Decided when the word starts, from the words before it. */
  role: ShellContext | null;
  /** Whether this word is where the command name goes (it may still turn out to be an assignment). */
  commandPosition: boolean;
  /** An operand of declare/local/export/…: the part before `=` is a name. */
  declareOperand: boolean;
  /** For an operand of declare, typeset or local: the value is re-read when the name is an array. */
  declareRereads: boolean;
  /** An operand of declare -i (and the like): the name has the integer attribute from now on. */
  declareInteger: boolean;
  /** An element of an array assignment `a=( … )`. */
  arrayElement: boolean;
}

export interface Command {
  /** Completed words, in order (redirection targets and reserved words left out). */
  words: Word[];
  /** Words after `<<<` (here-strings). */
  hereStrings: Word[];
  /** The next command of its pipeline (`a | b`), whose stdin is this command's output. */
  next: Command | null;
  previous: Command | null;
  /** Set when its pipeline ends: a later command of it reads a script from stdin (`… | bash`). */
  intoScript: boolean;
  /** Whether it is a shell reading its script from stdin; decided once its words are complete. */
  readsStdin?: boolean;
  // What the words so far say, kept up to date word by word (so a long command stays linear):
  /** Index of the command name among the words, -1 until known; its text when literal. */
  nameAt: number;
  name: string | null;
  /** Leading `command`/`builtin`/`exec` with no name yet: `runs` the next word, or only looks it up (`command -v`). */
  wrapper: 'none' | 'runs' | 'lookup';
  skipWrapperArgument: boolean;
  /** After the name: the last word's text (null if none or not literal), operands so far, option letters so far. */
  lastArgument: string | null;
  operands: number;
  optionLetters: string;
  /** `bash -c SCRIPT`, `su -c SCRIPT`: where the command is in reaching its script word. */
  shell: 'none' | 'options' | 'su' | 'script-next';
  shellC: boolean;
  shellSkip: boolean;
}

export function newCommand(previous: Command | null = null): Command {
  const command: Command = {
    words: [],
    hereStrings: [],
    next: null,
    previous,
    intoScript: false,
    nameAt: -1,
    name: null,
    wrapper: 'none',
    skipWrapperArgument: false,
    lastArgument: null,
    operands: 0,
    optionLetters: '',
    shell: 'none',
    shellC: false,
    shellSkip: false,
  };
  if (previous) previous.next = command;
  return command;
}

/** Adds a completed word to a command and updates what the command's words say. */
export function pushWord(command: Command, word: Word, literal: string | null): void {
  const index = command.words.length;
  command.words.push(word);
  if (command.nameAt === -1) {
    if (command.skipWrapperArgument) command.skipWrapperArgument = false;
    else if (command.wrapper === 'none' && isAssignment(word)) {
      /* an assignment before the command */
    } else if (literal !== null && WRAPPERS.has(literal)) command.wrapper = 'runs';
    else if (command.wrapper !== 'none' && isOption(word)) {
      if (literal === '-v' || literal === '-V') command.wrapper = 'lookup'; // command -v NAME only looks it up
      if (literal === '-a') command.skipWrapperArgument = true; // exec -a NAME
    } else {
      command.nameAt = index;
      command.name = literal;
    }
  } else {
    command.lastArgument = literal;
    if (!isOption(word)) command.operands++;
    else if (literal !== null && /^-[A-Za-z]+$/.test(literal)) command.optionLetters += literal.slice(1);
  }
  advanceShell(command, literal);
}

/** The `-c` state machine: a shell word, its options (`-c` among them), then the script word. */
function advanceShell(command: Command, literal: string | null): void {
  switch (command.shell) {
    case 'script-next':
      command.shell = 'none'; // this word was the script
      break;
    case 'su':
      if (literal === '-c' || literal === '--command') command.shell = 'script-next';
      break;
    case 'options':
      if (command.shellSkip) command.shellSkip = false;
      else if (literal === '--') command.shell = command.shellC ? 'script-next' : 'none';
      else if (literal !== null && SHELL_OPTION_ARGS.has(literal)) command.shellSkip = true;
      else if (literal !== null && /^[-+][A-Za-z]+$/.test(literal)) {
        if (literal.startsWith('-') && literal.includes('c')) command.shellC = true;
      } else if (literal === null || !literal.startsWith('--')) command.shell = 'none'; // the first operand: a -c script (decided already) or a script file
      break;
    case 'none':
      break;
  }
  const name = baseName(literal);
  if (name !== null && SHELLS.has(name)) {
    command.shell = 'options';
    command.shellC = false;
    command.shellSkip = false;
  } else if (name !== null && SU_LIKE.has(name)) command.shell = 'su';
}

/** Whether the word about to start is a script that a shell reads again (`bash -c WORD`, `su -c WORD`). */
export function scriptFollows(command: Command): boolean {
  return command.shell === 'script-next' || (command.shell === 'options' && command.shellC && !command.shellSkip);
}

export function readsStdin(command: Command): boolean {
  command.readsStdin ??= readsScriptFromStdin(command.words);
  return command.readsStdin;
}

/** The word's text when it holds no placeholder and no expansion. */
export function literalOf(word: Word): string | null {
  return word.text.includes(SENTINEL) || word.text.includes(EXPANSION) ? null : word.text;
}

export function isOption(word: Word): boolean {
  const literal = literalOf(word);
  return literal !== null && /^[-+]./.test(literal);
}

/** `NAME=…`, `NAME+=…`, `NAME[…]=…` with a literal, unquoted name. */
export function isAssignment(word: Word): boolean {
  const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(word.text);
  return (
    name !== null && name[0].length <= word.firstQuoted && /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/.test(word.text)
  );
}

export function baseName(literal: string | null): string | null {
  if (literal === null) return null;
  return literal.slice(literal.lastIndexOf('/') + 1);
}

/** sudo's options that take an argument. */
const SUDO_OPTION_ARGS = new Set(['-u', '-g', '-h', '-p', '-C', '-D', '-r', '-t', '-U', '-T']);

/** Whether a command is a shell that reads its script from stdin: `bash`, `sh -s`, `sudo bash -x`, `su app`, `sudo -i`. */
export function readsScriptFromStdin(words: Word[]): boolean {
  let lastC = -1;
  words.forEach((w, i) => {
    if (/^(-c|--command(=.*)?|-[A-Za-z]*c)$/.test(literalOf(w) ?? '')) lastC = i;
  });
  for (let k = 0; k < words.length; k++) {
    const name = baseName(literalOf(words[k]!));
    if (name !== null && SU_LIKE.has(name)) {
      // su [options] [user]: with no -c, the user's shell reads commands from stdin.
      if (lastC < k) return true;
      continue;
    }
    if (name === 'sudo') {
      // sudo -s / sudo -i with no command: a shell reading stdin.
      let shell = false;
      let j = k + 1;
      for (; j < words.length; j++) {
        const literal = literalOf(words[j]!);
        if (literal === null || !/^-/.test(literal)) break;
        if (literal === '--') {
          j++;
          break;
        }
        if (!/^-[A-Za-z]+$/.test(literal)) continue;
        if (/[si]/.test(literal)) shell = true;
        if (SUDO_OPTION_ARGS.has(`-${literal.at(-1)}`)) j++; // -u app, -iu app
      }
      if (shell && j >= words.length) return true;
      continue;
    }
    if (name === null || !SHELLS.has(name)) continue;
    let sMode = false;
    let j = k + 1;
    for (; j < words.length; j++) {
      const literal = literalOf(words[j]!);
      if (literal === '--') {
        j++;
        break;
      }
      if (literal !== null && SHELL_OPTION_ARGS.has(literal)) {
        j++;
        continue;
      }
      if (literal !== null && /^[-+][A-Za-z]+$/.test(literal)) {
        if (literal.startsWith('-') && literal.includes('c')) return false;
        if (literal.startsWith('-') && literal.includes('s')) sMode = true;
        continue;
      }
      if (literal?.startsWith('--')) continue;
      break;
    }
    if (sMode || j >= words.length) return true;
  }
  return false;
}
