/**
 * What a runbook's parse reads of a Markdown tree (parse.ts), and nothing else: the tree of a
 * megabyte of prose is hundreds of megabytes, most of it nodes nothing reads, and on these
 * machines every page of memory a process touches first costs more than the instructions that
 * fill it. So parseRunbook's parse prunes each chunk's nodes, and each part of a long prose run's,
 * as they are built (markdown.ts), and the rest is never kept.
 *
 * What is kept: headings and directives whole (the steps, the regions and what shapes them, with
 * their text and labels: parse.ts's `structural`); the frontmatter; link definitions and footnote
 * definitions, which a chunk's headings' text may use (markdown-heading-text.ts); paragraphs with
 * two colons in them (a line meant as a directive that did not parse, recover.ts; a stray `::::`,
 * stray-fence.ts); and the lists, items and block quotes that hold any of those, with those only.
 * The rest (paragraphs of prose, code, HTML, tables, breaks) goes: parse.ts keeps prose as the
 * source's text between the nodes it reads, never from the tree.
 */
import type { Nodes, Parent, RootContent } from 'mdast';

/** A prune of built nodes whose positions index `text`; the kept nodes in order. */
export type Keep = (nodes: RootContent[], text: string) => RootContent[];

/** Kept whole, with everything in them. */
const WHOLE = new Set<string>(['heading', 'leafDirective', 'containerDirective', 'yaml', 'definition']);
/** Kept with what is kept of their children; a footnote definition also when nothing in it is. */
const HOLDERS = new Set<string>(['list', 'listItem', 'blockquote', 'footnoteDefinition']);

interface Frame {
  /** Whose children these are (null: the nodes given). */
  readonly holder: (Parent & Nodes) | null;
  readonly nodes: readonly Nodes[];
  next: number;
  /** What is kept of them so far; null while that is all of them (nothing is copied where nothing goes). */
  kept: Nodes[] | null;
}

/**
 * The skeleton of `nodes` (see above). Holders get their kept children in place of their own.
 * Iterative: lists and block quotes nest as deep as the text does.
 */
export const skeleton: Keep = (nodes, text) => {
  const top: Frame = { holder: null, nodes, next: 0, kept: null };
  const stack: Frame[] = [top];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if (frame.next === frame.nodes.length) {
      stack.pop();
      const holder = frame.holder;
      if (holder === null) continue;
      const parent = stack[stack.length - 1]!;
      const empty = (frame.kept ?? frame.nodes).length === 0;
      if (empty && holder.type !== 'footnoteDefinition') drop(parent);
      else if (frame.kept === null) {
        if (parent.kept !== null) parent.kept.push(holder); // all its children kept: as it is
      } else {
        holder.children = frame.kept as typeof holder.children;
        if (parent.kept !== null) parent.kept.push(holder);
      }
      continue;
    }
    const node = frame.nodes[frame.next++]!;
    if (HOLDERS.has(node.type)) {
      stack.push({ holder: node as Parent & Nodes, nodes: (node as Parent).children as Nodes[], next: 0, kept: null });
      continue;
    }
    const kept =
      WHOLE.has(node.type) ||
      (node.type === 'paragraph' &&
        twoColons(text, node.position?.start.offset ?? 0, node.position?.end.offset ?? text.length));
    if (!kept) drop(frame);
    else if (frame.kept !== null) frame.kept.push(node);
  }
  return (top.kept ?? nodes) as RootContent[];
};

/** Drops the node of `frame` last read (or whose holder was just left): what came before it is kept. */
function drop(frame: Frame): void {
  frame.kept ??= frame.nodes.slice(0, frame.next - 1);
}

/**
 * Whether `::` is in text from `start` to `end`: a scan of the paragraph's characters only (an
 * indexOf would read on past its end, to the next colon in the text, for every paragraph).
 */
function twoColons(text: string, start: number, end: number): boolean {
  for (let i = start + 1; i < end; i++) if (text.charCodeAt(i) === 58 && text.charCodeAt(i - 1) === 58) return true;
  return false;
}
