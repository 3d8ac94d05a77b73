/**
 * A plain runbook's shell block, cut into the commands it holds: backslash continuations,
 * open quotes, heredocs and `if`/`for`/`while` bodies keep a command together; comment lines
 * go with the command after them; an `# Expected:` comment (and the JSON lines after it) goes
 * with the command before it. And one command's words, as a shell would read them, with
 * variables kept apart, so that curl, psql and sqlite3 command lines can be taken apart.
 */

export interface ShellCommand {
  /** The command's text, its lines as written (continuations included). */
  text: string;
  /** Comment lines written just before it, without the `#`. */
  comments: string[];
  /** Line of its first line within the block, 0-based. */
  line: number;
  /** Lines of its last line within the block, 0-based. */
  lastLine: number;
  /** The text of an `# Expected:` / `# Response:` comment after it (and the lines it announced). */
  expected: string | null;
}

const EXPECTED = /^#+\s*(?:expected|response|returns?|output)\b[^:]*:?\s*(.*)$/i;
const OPENERS = new Set(['if', 'for', 'while', 'until', 'case', 'select']);
const CLOSERS = new Set(['fi', 'done', 'esac']);

interface LineState {
  quote: '' | "'" | '"';
  heredoc: string | null;
  depth: number;
}

/** Commands of a shell block, in order. */
export function shellCommands(block: string): ShellCommand[] {
  const lines = block.split('\n');
  const out: ShellCommand[] = [];
  let comments: string[] = [];
  let current: { lines: string[]; line: number } | null = null;
  const state: LineState = { quote: '', heredoc: null, depth: 0 };
  let expecting: ShellCommand | null = null;
  let braces = 0;
  const finish = (end: number): void => {
    if (current === null) return;
    const text = current.lines.join('\n');
    const command: ShellCommand = { text, comments, line: current.line, lastLine: end, expected: null };
    out.push(command);
    comments = [];
    current = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const trimmed = raw.trim();
    if (current === null) {
      if (expecting !== null) {
        if (trimmed !== '' && (braces > 0 || /^[{}[\]"\d-]/.test(trimmed) || /^(true|false|null)\b/.test(trimmed))) {
          expecting.expected = `${expecting.expected ?? ''}\n${raw}`;
          braces += count(trimmed, '{') + count(trimmed, '[') - count(trimmed, '}') - count(trimmed, ']');
          continue;
        }
        if (trimmed === '' && braces > 0) continue;
        expecting = null;
        braces = 0;
      }
      if (trimmed === '') {
        continue;
      }
      if (trimmed.startsWith('#')) {
        const m = EXPECTED.exec(trimmed);
        const previous = out[out.length - 1];
        if (m && previous !== undefined && comments.length === 0) {
          previous.expected = m[1]!;
          expecting = previous;
          braces = count(m[1]!, '{') + count(m[1]!, '[') - count(m[1]!, '}') - count(m[1]!, ']');
          continue;
        }
        comments.push(trimmed.replace(/^#+\s?/, ''));
        continue;
      }
      current = { lines: [], line: i };
    }
    current.lines.push(raw);
    scanLine(raw, state);
    const continues =
      state.quote !== '' ||
      state.heredoc !== null ||
      state.depth > 0 ||
      /(^|[^\\])(\\\\)*\\$/.test(raw) ||
      /(\|\||&&|\|)\s*$/.test(withoutComment(raw));
    if (!continues) finish(i);
  }
  if (current !== null) finish(lines.length - 1);
  return out;
}

function count(text: string, c: string): number {
  let n = 0;
  for (const ch of text) if (ch === c) n++;
  return n;
}

function withoutComment(line: string): string {
  const m = /(^|\s)#/.exec(line);
  return m ? line.slice(0, m.index) : line;
}

/** Advances the quote, heredoc and compound-command state over one line. */
function scanLine(line: string, state: LineState): void {
  if (state.heredoc !== null) {
    if (line.replace(/^\t+/, '').trim() === state.heredoc) state.heredoc = null;
    return;
  }
  let word = '';
  let atCommand = true;
  const endWord = (): void => {
    if (word === '') return;
    if (atCommand && OPENERS.has(word)) state.depth++;
    else if (CLOSERS.has(word) && state.depth > 0) state.depth--;
    atCommand = ['then', 'do', 'else', '!', 'elif'].includes(word) || /=/.test(word);
    word = '';
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (state.quote === "'") {
      if (c === "'") state.quote = '';
      continue;
    }
    if (state.quote === '"') {
      if (c === '\\') i++;
      else if (c === '"') state.quote = '';
      continue;
    }
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      state.quote = c;
      word += 'x';
      continue;
    }
    if (c === '#' && word === '') return endWord();
    if (c === '<' && line[i + 1] === '<' && line[i + 2] !== '<') {
      const m = /^<<-?\s*(['"]?)([\w.-]+)\1/.exec(line.slice(i));
      if (m) {
        endWord();
        state.heredoc = m[2]!;
        i += m[0].length - 1;
        continue;
      }
    }
    if (c === ' ' || c === '\t') {
      endWord();
      continue;
    }
    if (c === ';' || c === '|' || c === '&' || c === '(' || c === ')') {
      endWord();
      atCommand = true;
      continue;
    }
    word += c;
  }
  endWord();
}

/** A piece of a shell word: literal text, or a variable the shell would expand (`$NAME`, `${NAME}`). */
export type WordPart = { lit: string } | { variable: string } | { substitution: string };
export type Word = WordPart[];

export interface ParsedCommand {
  words: Word[];
  /** What follows the first simple command: `|`, `&&`, `||`, `;`, `>` and the rest, or ''. */
  rest: string;
  /** The operator that ended the simple command ('' at the end). */
  operator: string;
}

/** The words of the first simple command of `text`. */
export function parseWords(text: string): ParsedCommand {
  const words: Word[] = [];
  let parts: WordPart[] = [];
  let lit = '';
  let inWord = false;
  const flushLit = (): void => {
    if (lit !== '') parts.push({ lit });
    lit = '';
  };
  const endWord = (): void => {
    flushLit();
    if (inWord) words.push(parts);
    parts = [];
    inWord = false;
  };
  const readVariable = (i: number): number => {
    // text[i] === '$'
    const next = text[i + 1];
    if (next === '{') {
      const close = text.indexOf('}', i + 2);
      if (close === -1) {
        lit += '$';
        return i;
      }
      const inner = text.slice(i + 2, close);
      const name = /^([A-Za-z_]\w*)/.exec(inner)?.[1];
      flushLit();
      parts.push(
        name !== undefined && name === inner ? { variable: name } : { substitution: text.slice(i, close + 1) },
      );
      return close;
    }
    if (next === '(') {
      let depth = 0;
      let j = i + 1;
      for (; j < text.length; j++) {
        if (text[j] === '(') depth++;
        else if (text[j] === ')' && --depth === 0) break;
      }
      flushLit();
      parts.push({ substitution: text.slice(i, j + 1) });
      return j;
    }
    const m = /^[A-Za-z_]\w*/.exec(text.slice(i + 1));
    if (m) {
      flushLit();
      parts.push({ variable: m[0] });
      return i + m[0].length;
    }
    if (next !== undefined && /[0-9?@#$!*-]/.test(next)) {
      flushLit();
      parts.push({ substitution: `$${next}` });
      return i + 1;
    }
    lit += '$';
    return i;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      if (text[i + 1] === '\n') {
        i++;
        continue;
      }
      if (i + 1 < text.length) lit += text[++i];
      inWord = true;
      continue;
    }
    if (c === "'") {
      const close = text.indexOf("'", i + 1);
      const end = close === -1 ? text.length : close;
      lit += text.slice(i + 1, end);
      inWord = true;
      i = end;
      continue;
    }
    if (c === '"') {
      inWord = true;
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        const d = text[j]!;
        if (d === '\\' && j + 1 < text.length && '"\\$`\n'.includes(text[j + 1]!)) {
          if (text[j + 1] !== '\n') lit += text[j + 1];
          j++;
        } else if (d === '$') j = readVariable(j);
        else if (d === '`') {
          const close = text.indexOf('`', j + 1);
          flushLit();
          parts.push({ substitution: text.slice(j, close === -1 ? text.length : close + 1) });
          j = close === -1 ? text.length : close;
        } else lit += d;
      }
      i = j;
      continue;
    }
    if (c === '$') {
      inWord = true;
      i = readVariable(i);
      continue;
    }
    if (c === '`') {
      const close = text.indexOf('`', i + 1);
      flushLit();
      parts.push({ substitution: text.slice(i, close === -1 ? text.length : close + 1) });
      inWord = true;
      i = close === -1 ? text.length : close;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n') {
      endWord();
      continue;
    }
    if (c === '#' && !inWord) {
      const nl = text.indexOf('\n', i);
      if (nl === -1) break;
      i = nl;
      continue;
    }
    if (c === '<') {
      // `<plan_id>`: a runbook's placeholder, not a redirection
      const placeholder = /^<[A-Za-z][\w.-]{0,40}>/.exec(text.slice(i));
      if (placeholder) {
        lit += placeholder[0];
        inWord = true;
        i += placeholder[0].length - 1;
        continue;
      }
    }
    if ('|;&<>'.includes(c)) {
      endWord();
      const rest = text.slice(i);
      const operator = /^(\|\||&&|\||;|&|>>|>|<<|<)/.exec(rest)?.[1] ?? c;
      return { words, rest, operator };
    }
    lit += c;
    inWord = true;
  }
  endWord();
  return { words, rest: '', operator: '' };
}

/** The word as plain text when it holds no variable or substitution. */
export function literal(word: Word): string | null {
  let s = '';
  for (const p of word) {
    if ('lit' in p) s += p.lit;
    else return null;
  }
  return s;
}

/** The word's text with variables written back as `$NAME`. */
export function wordText(word: Word): string {
  return word.map((p) => ('lit' in p ? p.lit : 'variable' in p ? `$${p.variable}` : p.substitution)).join('');
}
