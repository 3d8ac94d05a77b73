/**
 * Writes the draft: every line of the plain runbook as it was, with each kept group's directives
 * inserted after the line its block ends on, the declarations added to (or as) the frontmatter,
 * and the comment at the top. Lines are inserted at source positions, never by re-serialising
 * the Markdown tree; CRLF files get CRLF lines, and a BOM stays first.
 */
import { commentLines } from './comment.js';
import { frontmatterLines } from './frontmatter.js';
import { emptyNeeds, mergeNeeds } from './needs.js';
import type { Plan } from './plan.js';
import type { Group, Leftover } from './types.js';
import { append } from '../append.js';

/** The draft's lines a group's directives take (1-based, inclusive): where check's findings point back to it. */
export interface GroupRange {
  start: number;
  end: number;
  group: Group;
}

export interface Draft {
  text: string;
  ranges: GroupRange[];
}

interface Insert {
  lines: string[];
  group: Group | null;
}

export function writeDraft(plan: Plan, groups: Group[], leftovers: Leftover[], review: Leftover[]): Draft {
  const nl = (lines: string[]): string[] => (plan.eol === '\r\n' ? lines.map((l) => `${l}\r`) : lines);
  const inserts = new Map<number, Insert[]>();
  const push = (after: number, lines: string[], group: Group | null): void => {
    const list = inserts.get(after) ?? [];
    list.push({ lines, group });
    inserts.set(after, list);
  };
  const needs = emptyNeeds();
  for (const g of groups) mergeNeeds(needs, g.needs);
  // inputs read by a step behind a confirm: one that changes something
  const gated = new Set(
    groups.filter((g) => g.units.some((u) => u.kind === 'confirm')).flatMap((g) => [...g.needs.inputs.keys()]),
  );
  if (groups.length === 0 && leftovers.length === 0) return { text: plan.source, ranges: [] };
  // At one place, the steps of the deepest list item first: a line indented less ends that item.
  for (const g of [...groups].sort((a, b) => a.after - b.after || b.indent.length - a.indent.length)) {
    const lines: string[] = [];
    for (const u of g.units) lines.push('', ...u.text.split('\n').map((l) => (l === '' ? l : g.indent + l)));
    push(g.after, lines, g);
  }
  // Frontmatter declarations.
  const declarations = frontmatterLines(needs, plan.examples, gated);
  const hasFrontmatter = plan.frontmatterEnd > 0;
  if (declarations.length > 0) {
    if (hasFrontmatter) push(plan.frontmatterEnd - 1, ['# declared by stepwise import:', ...declarations], null);
    else push(0, ['---', ...declarations, '---'], null);
  }
  // The comment block: leftovers and review items, with their lines in the draft. It is written
  // once with placeholder line numbers to count its own lines, then again with the real ones.
  const commentAt = hasFrontmatter ? plan.frontmatterEnd : 0;
  push(
    commentAt,
    commentLines(groups.length, leftovers, review, () => 0),
    null,
  );
  const afters = [...inserts.keys()].sort((a, b) => a - b);
  // Steps followed at once by a line of text get a blank line after them, so that text stays text.
  const blankAfter = (after: number): boolean =>
    inserts.get(after)!.some((x) => x.group !== null) && (plan.lines[after] ?? '').trim() !== '';
  const shift = (line: number): number => {
    let n = 0;
    for (const a of afters) {
      if (a >= line) continue;
      for (const ins of inserts.get(a)!) n += ins.lines.length;
      if (blankAfter(a)) n++;
    }
    return n;
  };
  const comment = commentLines(groups.length, leftovers, review, (l) => l + shift(l));
  const atComment = inserts.get(commentAt)!;
  atComment[atComment.length - 1]!.lines = comment;
  // At the comment's place: the frontmatter first, then any steps, then the comment.
  const out: string[] = [];
  const ranges: GroupRange[] = [];
  const emit = (after: number): void => {
    const list = inserts.get(after);
    if (list === undefined) return;
    const ordered =
      after === commentAt
        ? [
            ...list.filter((x) => x.group === null && x.lines !== comment),
            ...list.filter((x) => x.group !== null),
            ...list.filter((x) => x.lines === comment),
          ]
        : list;
    for (const ins of ordered) {
      const start = out.length + 1;
      append(out, nl(ins.lines));
      if (ins.group !== null) ranges.push({ start, end: out.length, group: ins.group });
    }
    if (blankAfter(after)) append(out, nl(['']));
  };
  // BOM stays first.
  const lines = [...plan.lines];
  let bom = '';
  if (lines[0]?.charCodeAt(0) === 0xfeff) {
    bom = '\ufeff';
    lines[0] = lines[0].slice(1);
  }
  emit(0);
  for (let i = 0; i < lines.length; i++) {
    out.push(lines[i]!);
    emit(i + 1);
  }
  return { text: bom + out.join('\n'), ranges };
}
