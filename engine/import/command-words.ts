/** The words before a command itself (`sudo`, `time`, `VAR=value`), taken off. */
import { literal, type Word } from './shell-lines.js';

export function stripPrefix(words: Word[]): Word[] {
  let i = 0;
  while (i < words.length) {
    const t = literal(words[i]!);
    const w = words[i]!;
    const assignment = w[0] !== undefined && 'lit' in w[0] && /^[A-Za-z_]\w*=/.test(w[0].lit);
    if (t === 'sudo' || t === 'time' || t === 'nice' || t === 'command' || assignment) i++;
    else if (t === '-u' || t === '-E') i++;
    else break;
  }
  return words.slice(i);
}

/** The same on a command's text. */
export function stripPrefixText(text: string): string {
  return text.replace(/^((sudo|time|nice)\s+(-\S+\s+)*|[A-Za-z_]\w*=\S*\s+)*/, '').trim();
}
