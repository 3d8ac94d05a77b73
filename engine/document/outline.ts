/** Headings: their slugs (GitHub's rules) and the outline tree reports and the TUI sidebar show. */
import type { Block, Section } from './model.js';

/**
 * What is its own slug: lower-case ASCII letters, digits and `_`, with single hyphens between
 * (nothing to lower, trim, drop or join). Most headings' text, and a megabyte of headings made
 * 131,072 slugs: five replacements each cost more than this one test.
 */
const ALREADY_SLUG = /^[a-z0-9_]+(?:-[a-z0-9_]+)*$/;

/** GitHub-style slug: lower case, punctuation dropped, spaces to hyphens. */
export function slugify(text: string): string {
  return ALREADY_SLUG.test(text) ? text : slowSlugify(text);
}

/** slugify's every step (exported for tests: slugify gives what it gives). */
export function slowSlugify(text: string): string {
  return text
    .toLowerCase()
    .trim()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
}

/** The heading tree, each section listing the ids of the steps directly under it. */
export function buildOutline(blocks: Block[]): Section[] {
  const roots: Section[] = [];
  const stack: Section[] = [];
  const orphans: string[] = [];
  const visit = (list: Block[]): void => {
    for (const block of list) {
      if (block.type === 'heading') {
        const section: Section = {
          title: block.text,
          slug: block.slug,
          depth: block.depth,
          span: block.span,
          steps: [],
          children: [],
        };
        while (stack.length > 0 && stack[stack.length - 1]!.depth >= block.depth) stack.pop();
        (stack.length > 0 ? stack[stack.length - 1]!.children : roots).push(section);
        stack.push(section);
      } else if (block.type === 'step' || block.type === 'include') {
        (stack.length > 0 ? stack[stack.length - 1]!.steps : orphans).push(block.step.id);
        if (block.type === 'include') visit(block.blocks);
      } else if (block.type === 'if' || block.type === 'each') visit(block.blocks);
    }
  };
  visit(blocks);
  if (orphans.length > 0)
    roots.unshift({
      title: '',
      slug: '',
      depth: 0,
      span: { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } },
      steps: orphans,
      children: [],
    });
  return roots;
}
