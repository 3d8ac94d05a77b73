/**
 * Example values the plain runbook shows for its placeholders, on the line that names one:
 * "`<plan_id>` (e.g. `plan_8f2k`)", "look back `<minutes>` minutes, for example 30". The draft
 * makes such a value the input's default only where no step that reads the input changes
 * anything (frontmatter.ts): an example id must never become the row an UPDATE changes when a
 * run takes the defaults; there it goes into the input's description instead.
 */
import { findPlaceholders } from './needs.js';

const EXAMPLE =
  /\b(?:e\.\s?g\.|for example|for instance|example|such as)\s*[:,]?\s*(?:`([^`\n]{1,80})`|"([^"\n]{1,80})"|'([^'\n]{1,80})'|([\w.@:/+-]{1,80}\w))/i;

/** Input name → the example value its line shows (the first one found; a line naming two placeholders shows none). */
export function readExamples(source: string): Map<string, string> {
  const examples = new Map<string, string>();
  for (const line of source.split('\n')) {
    const example = EXAMPLE.exec(line);
    if (example === null) continue;
    const value = (example[1] ?? example[2] ?? example[3] ?? example[4])!.trim();
    const found = findPlaceholders(line.slice(0, example.index), true).filter((p) => !p.secret);
    if (found.length !== 1 || value === '' || /[<>{}`$\\]/.test(value)) continue;
    if (findPlaceholders(value, true).length > 0) continue;
    const name = found[0]!.name;
    if (!examples.has(name)) examples.set(name, value);
  }
  return examples;
}
