/**
 * The trick the markdown-*.ts helpers share (engine/document/markdown.ts, parseBlocks): a run of
 * lines micromark would take quadratic time over (link definitions, table rows, footnotes, deep
 * block quotes) is handed to it as a fenced code block of the same extent, so every offset and
 * line number stays put, and the code node it comes back as (its stand-in) is swapped for the
 * nodes micromark would have built from those lines. A stand-in that is not where and as expected
 * makes the caller parse the chunk as it is: never a different tree, at worst the old speed.
 */
import type { Nodes, Root, RootContent } from 'mdast';

/** A run of whole lines, from the first line's start to the last line's end. */
export interface LineRun {
  start: number;
  end: number;
  lines: readonly { start: number; end: number }[];
  /**
   * The stand-in's fence: tildes unless a line inside would close them (fenced code in the run),
   * backticks then; null when lines of both are inside (it cannot stand in).
   */
  marker?: '~' | '`' | null;
}

type Parent = Nodes & { children: Nodes[] };

/** Where a run's stand-in stands in the tree, and the line it starts on. */
export interface StandIn<R> {
  parent: Parent;
  index: number;
  run: R;
  line: number;
}

/** Whether a run can be written over: `~~~` needs 3 characters of its first and last line, and so does a thematic break. */
export function canStandIn(run: LineRun): boolean {
  if (run.marker === null) return false;
  const first = run.lines[0]!;
  const last = run.lines[run.lines.length - 1]!;
  return first.end - first.start >= 3 && last.end - last.start >= 3;
}

/**
 * `text` with each run turned into a fenced code block of the same extent (`~~~xxx…` … `~~~   `, or
 * backticks: LineRun's marker),
 * or, a run of one line (at least 3 characters long), into a thematic break (`*****`).
 */
export function runsAsFences(text: string, runs: readonly LineRun[]): string {
  let out = '';
  let from = 0;
  for (const run of runs) {
    const first = run.lines[0]!;
    const last = run.lines[run.lines.length - 1]!;
    if (run.lines.length === 1) {
      out += `${text.slice(from, first.start)}${'*'.repeat(first.end - first.start)}`;
      from = first.end;
      continue;
    }
    const fence = (run.marker ?? '~').repeat(3);
    out += `${text.slice(from, first.start)}${fence}${'x'.repeat(first.end - first.start - 3)}`;
    out += `${text.slice(first.end, last.start)}${fence}${' '.repeat(last.end - last.start - 3)}`;
    from = last.end;
  }
  return out + text.slice(from);
}

/**
 * Each run's stand-in in `tree` (a code node, or a thematic break, starting at the run's start and ending at its end),
 * or null when one is missing, ends elsewhere, or `fits` refuses it. Paragraphs, headings and
 * what `skip` names are not looked into.
 */
export function findStandIns<R extends { start: number; end: number }>(
  tree: Root,
  runs: readonly R[],
  options: { skip?: (node: Nodes) => boolean; fits?: (parent: Parent, index: number, run: R) => boolean } = {},
): StandIn<R>[] | null {
  const byStart = new Map(runs.map((run) => [run.start, run]));
  const found: StandIn<R>[] = [];
  const stack: Nodes[] = [tree];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (!('children' in node) || node.type === 'paragraph' || node.type === 'heading' || options.skip?.(node)) continue;
    const parent = node as Parent;
    for (const [index, child] of parent.children.entries()) {
      const run =
        child.type === 'code' || child.type === 'thematicBreak'
          ? byStart.get(child.position?.start.offset ?? -1)
          : undefined;
      if (run === undefined) stack.push(child);
      else if (child.position?.end.offset !== run.end || (options.fits && !options.fits(parent, index, run)))
        return null;
      else found.push({ parent, index, run, line: child.position.start.line });
    }
  }
  return found.length === runs.length ? found : null;
}

/** Replaces each stand-in by the nodes `build` makes of its run. */
export function replaceStandIns<R>(found: readonly StandIn<R>[], build: (run: R, line: number) => RootContent[]): void {
  const replaced = new Map<Parent, Map<number, RootContent[]>>();
  for (const { parent, index, run, line } of found) {
    if (!replaced.has(parent)) replaced.set(parent, new Map());
    replaced.get(parent)!.set(index, build(run, line));
  }
  for (const [parent, at] of replaced) {
    const children: Nodes[] = [];
    parent.children.forEach((child, index) => {
      for (const node of at.get(index) ?? [child]) children.push(node);
    });
    parent.children = children;
  }
}

/**
 * Replaces each run's stand-in in `tree` by the nodes `build` makes of its run (from the line it
 * starts on): false, the tree untouched, when one is missing or `fits` refuses it, and the
 * caller parses the text as it is.
 */
export function restoreStandIns<R extends { start: number; end: number }>(
  tree: Root,
  runs: readonly R[],
  build: (run: R, line: number) => RootContent[],
  options: { fits?: (parent: Parent, index: number, run: R) => boolean } = {},
): boolean {
  if (runs.length === 0) return true;
  const found = findStandIns(tree, runs, options);
  if (found === null) return false;
  replaceStandIns(found, build);
  return true;
}
