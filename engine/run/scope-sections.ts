/**
 * The sections a run can start at (`run --from SECTION`, `--only SECTION`, the TUI's outline):
 * every heading in document order, included runbooks' too, each with a slug that names it alone,
 * and the heading each step stands under. A SECTION names a heading by its slug, else by its text.
 */
import type { Block, RunbookDocument, Step } from '../document/model.js';
import { editDistance } from '../document/suggest.js';

export interface Heading {
  /** Position among the headings, in document order. */
  index: number;
  depth: number;
  text: string;
  /**
   * GitHub's anchor: the slug, with `-1`, `-2`, ... added to the second and later headings that
   * share one, so every heading has a name of its own.
   */
  slug: string;
  line: number;
  /** The included runbook the heading is written in, or null for the runbook itself. */
  included: string | null;
}

export interface Sections {
  headings: Heading[];
  /** Each step's heading: the index of the last heading before it, -1 for steps above the first. */
  under: ReadonlyMap<string, number>;
}

export function sections(document: RunbookDocument): Sections {
  const headings: Heading[] = [];
  const under = new Map<string, number>();
  const used = new Map<string, number>();
  const visit = (blocks: Block[], included: string | null): void => {
    for (const block of blocks) {
      if (block.type === 'heading') {
        const seen = used.get(block.slug) ?? 0;
        used.set(block.slug, seen + 1);
        headings.push({
          index: headings.length,
          depth: block.depth,
          text: block.text,
          slug: seen === 0 ? block.slug : `${block.slug}-${seen}`,
          line: block.span.start.line,
          included,
        });
        continue;
      }
      // Any block that is a step, or holds blocks (`if`, an include, containers added later), the same way.
      if ('step' in block) under.set(block.step.id, headings.length - 1);
      if ('blocks' in block) visit(block.blocks, block.type === 'include' ? includedFrom(block.step) : included);
    }
  };
  visit(document.blocks, null);
  return { headings, under };
}

/** Where an included runbook's headings come from, for messages: its `src` as written. */
function includedFrom(step: Step): string {
  const src = step.attributes.src;
  return src?.type === 'template' ? src.template.source : 'an included runbook';
}

/** The heading a SECTION names, or why none does (not found, with the nearest; or ambiguous). */
export type Found =
  | { ok: true; heading: Heading }
  | { ok: false; why: 'none'; nearby: Heading[] }
  | { ok: false; why: 'ambiguous'; matches: Heading[] };

/** A slug exactly, else the text (case-insensitive, a leading `#` allowed, as in a link). */
export function findSection(headings: readonly Heading[], name: string): Found {
  const wanted = name.trim().replace(/^#+\s*/, '');
  const bySlug = headings.filter((h) => h.slug === wanted);
  if (bySlug.length === 1) return { ok: true, heading: bySlug[0]! };
  if (bySlug.length > 1) return { ok: false, why: 'ambiguous', matches: bySlug };
  const lower = wanted.toLowerCase();
  const byText = headings.filter((h) => h.text.trim().toLowerCase() === lower);
  if (byText.length === 1) return { ok: true, heading: byText[0]! };
  if (byText.length > 1) return { ok: false, why: 'ambiguous', matches: byText };
  return { ok: false, why: 'none', nearby: nearest(headings, lower, 5) };
}

/** The headings whose slug or text is nearest to `name`, nearest first. */
function nearest(headings: readonly Heading[], name: string, count: number): Heading[] {
  return headings
    .map((h) => ({ h, d: Math.min(distance(name, h.slug), distance(name, h.text.toLowerCase())) }))
    .sort((a, b) => a.d - b.d || a.h.index - b.h.index)
    .slice(0, count)
    .map(({ h }) => h);
}

/** Edits from `name` to `to`, or to its start (a title typed in part: `fix-stuk` for `fix-stuck-orders`), plus one. */
export function distance(name: string, to: string): number {
  const whole = editDistance(name, to);
  return to.length > name.length ? Math.min(whole, editDistance(name, to.slice(0, name.length)) + 1) : whole;
}

/** `fix-stuck-plans` (line 30) and, when it differs from the slug, its text. */
export function describeHeading(h: Heading): string {
  const where = h.included ? `line ${h.line} of ${h.included}` : `line ${h.line}`;
  return `\`${h.slug}\` ("${h.text}", ${where})`;
}
