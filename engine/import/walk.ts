/**
 * Walks the plain runbook's blocks in order, keeping the headings above each, and hands every
 * code block, paragraph and table (inside lists too) to the converter for it.
 */
import type { Code, ListItem, Nodes, RootContent } from 'mdast';
import { toString as textOf } from 'mdast-util-to-string';
import { checkItem } from './checklist.js';
import { codeBlock } from './code-block.js';
import { inline, link } from './inline.js';
import { inlineSpans } from './inline-spans.js';
import type { Plan } from './plan.js';
import { leadText } from './text.js';
import type { Context, Place } from './types.js';

export function walk(plan: Plan): void {
  const headings: string[] = [];
  const children = plan.tree.children;
  for (let i = 0; i < children.length; i++) {
    const node = children[i]!;
    if (plan.consumed.has(node)) continue;
    if (node.type === 'heading') {
      headings.length = node.depth - 1;
      headings[node.depth - 1] = textOf(node);
      continue;
    }
    if (node.type === 'yaml' || node.type === 'html') continue;
    const after = node.position!.end.line;
    const heads = headings.filter((h) => h !== undefined);
    const place: Place = { after, indent: '', headings: heads };
    const previous = children[i - 1];
    const lead = previous?.type === 'paragraph' ? textOf(previous) : '';
    if (node.type === 'code') {
      codeBlock(plan, node, context(node, place, heads[heads.length - 1] ?? '', lead), children, i);
      continue;
    }
    visit(plan, node, place, heads, lead, children, i);
  }
}

function context(node: Nodes, place: Place, title: string, lead: string): Context {
  return {
    ...place,
    line: node.position!.start.line,
    title,
    around: `${place.headings.join(' ')} ${title} ${lead}`,
  };
}

/** A block other than code at the top level: its list items, code, inline code and links, and checklist items. */
function visit(
  plan: Plan,
  root: RootContent,
  place: Place,
  heads: string[],
  lead: string,
  siblings: RootContent[],
  index: number,
): void {
  const checklist: ListItem[] = [];
  const seen = new Set<string>();
  // inList: every block from the root down to here is a list or a list item
  const walkNode = (node: Nodes, title: string, said: string, inList: boolean): void => {
    if (node.type === 'listItem') {
      const first = node.children[0];
      const itemText = first?.type === 'paragraph' ? textOf(first) : '';
      const itemTitle = itemText !== '' ? leadText(itemText) : title;
      if (node.checked === true || node.checked === false) checklist.push(node);
      for (const child of node.children) walkNode(child, itemTitle || title, `${said} ${itemText}`, inList);
      return;
    }
    if (node.type === 'code') {
      const inItem = inList ? itemPlace(plan, node, place) : null;
      codeBlock(plan, node, context(node, inItem ?? place, title, `${lead} ${said}`), siblings, index);
      return;
    }
    if (node.type === 'paragraph' || node.type === 'table') {
      // Inline code and links, read from the source: the block parse may leave inline content unparsed.
      for (const span of inlineSpans(plan.source, node)) {
        if (span.kind === 'link') {
          link(plan, span.text, span.url, span.line, root);
          continue;
        }
        const key = span.text.trim();
        if (seen.has(key)) continue;
        seen.add(key);
        inline(plan, span.text, span.line, context(node, place, title, `${lead} ${said}`), root);
      }
      return;
    }
    if ('children' in node)
      for (const child of node.children as Nodes[]) walkNode(child, title, said, inList && node.type === 'list');
  };
  walkNode(root, heads[heads.length - 1] ?? '', '', true);
  for (const item of checklist) checkItem(plan, item, place);
}

/**
 * A fenced block in a list item: its steps go right after it, indented as its fence is, so they
 * stay in the item (and run where the item says). Null (the steps go after the whole list) when
 * the fence line holds a tab or anything but spaces and list markers before the fence.
 */
function itemPlace(plan: Plan, node: Code, place: Place): Place | null {
  const start = node.position!.start;
  const prefix = (plan.lines[start.line - 1] ?? '').slice(0, start.column - 1);
  if (!/^ *(?:(?:[-*+]|\d{1,9}[.)]) +)*$/.test(prefix)) return null;
  return { ...place, after: node.position!.end.line, indent: ' '.repeat(prefix.length) };
}
