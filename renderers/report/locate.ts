/**
 * Where each step stands in a runbook source, found by scanning its lines, without the Markdown
 * parser (which costs more than all the rest of a report: seconds for 20,000 steps). Only for the
 * plain case, where the answer is certain: every step directive has an explicit `{#id}`, each id
 * once, on a directive line of its own (leaf `::kind{...}` on one line, containers `:::kind` closed
 * by a line of at least as many colons, and no such line inside their code), outside code fences,
 * not in a block quote or a list. In
 * any other case it answers null and the caller parses the source (model.ts).
 */

export interface LocatedStep {
  id: string;
  kind: string;
  /** Offsets into the source: the directive's first character, and the end of its last line. */
  start: number;
  end: number;
}

const DIRECTIVE = /^([ \t]{0,3})(:{2,})([A-Za-z][\w-]*)(.*)$/;
const CLOSER = /^[ \t]{0,3}(:{3,})[ \t]*$/;
const FENCE = /^[ \t]{0,3}(`{3,}|~{3,})/;
/** Directives that mark a region of steps (`::::if`, `::::each`), not a step. */
const REGIONS: ReadonlySet<string> = new Set(['if', 'each']);

/** The steps of `source` in document order, or null when the scan cannot be sure (see above). */
export function locateSteps(source: string, kinds: ReadonlySet<string>): LocatedStep[] | null {
  const steps: LocatedStep[] = [];
  const ids = new Set<string>();
  const open: { colons: number; step: LocatedStep | null }[] = [];
  let fence: { char: string; length: number } | null = null;
  let frontmatter = source.startsWith('---\n') || source.startsWith('---\r\n');
  let offset = 0;
  let first = true;
  while (offset <= source.length) {
    const nl = source.indexOf('\n', offset);
    const end = nl < 0 ? source.length : nl;
    const line = source.slice(offset, end).replace(/\r$/, '');
    const next = nl < 0 ? source.length + 1 : nl + 1;
    if (frontmatter) {
      if (!first && (line === '---' || line === '...')) frontmatter = false;
      first = false;
      offset = next;
      continue;
    }
    if (fence) {
      // A line of colons in a fence inside a container: the parser may close the container there.
      if (open.length > 0 && CLOSER.test(line)) return null;
      const closing = FENCE.exec(line);
      if (closing && closing[1]![0] === fence.char && closing[1]!.length >= fence.length && line.trim() === closing[1])
        fence = null;
    } else if (FENCE.test(line)) {
      const f = FENCE.exec(line)![1]!;
      fence = { char: f[0]!, length: f.length };
    } else if (CLOSER.test(line)) {
      const colons = CLOSER.exec(line)![1]!.length;
      const top = open.at(-1);
      if (!top || colons < top.colons) return null;
      open.pop();
      if (top.step) top.step.end = end;
    } else if (/^[ \t]*(>|[-*+][ \t]|\d+[.)][ \t]).*::/.test(line)) {
      return null; // a directive in a block quote or a list item: leave it to the parser
    } else {
      const m = DIRECTIVE.exec(line);
      if (m && (kinds.has(m[3]!) || REGIONS.has(m[3]!))) {
        const colons = m[2]!.length;
        const rest = m[4]!;
        // Attributes that go on past the line, or a label that does: the parser knows.
        if ((rest.match(/\{/g) ?? []).length !== (rest.match(/\}/g) ?? []).length) return null;
        if ((rest.match(/\[/g) ?? []).length !== (rest.match(/\]/g) ?? []).length) return null;
        let step: LocatedStep | null = null;
        if (!REGIONS.has(m[3]!)) {
          const id = /\{[^}]*?#([\w.:-]+)/.exec(rest)?.[1];
          if (id === undefined || ids.has(id)) return null;
          ids.add(id);
          step = { id, kind: m[3]!, start: offset + m[1]!.length, end };
          steps.push(step);
        }
        if (colons >= 3) open.push({ colons, step });
        else if (REGIONS.has(m[3]!)) return null;
      }
    }
    offset = next;
  }
  return open.length === 0 && fence === null ? steps : null;
}
