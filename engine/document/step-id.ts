/**
 * Ids for steps written without `{#id}`. They come from the step's own content, never from its
 * position, so adding, removing or moving another step leaves them as they are: the kind, then the
 * first words of the label (`confirm-restart-worker`), or else of what the step runs
 * (`sql-select-id-from-orders`, `http-get-health`). Two steps that would get the same id (or one
 * taken by an explicit id) each get a short hash of their own text as a suffix
 * (`confirm-continue-3f9a2c`), so which one comes first does not matter either.
 */
import { createHash } from 'node:crypto';
import type { Step } from './model.js';
import { isExpectation, type StepSpecs } from './step-spec.js';
import { slugify } from './outline.js';

const LABEL_WORDS = 6;
const BODY_WORDS = 4;
const MAX_LENGTH = 48;
const COMMON = ['id', 'when', 'needs', 'on-fail', 'idempotent', 'timeout'];

/** The id a step gets from its content, before collisions are resolved; always a valid id. */
export function contentId(step: Step, specs: StepSpecs): string {
  const words = firstWords(step.label?.source ?? '', LABEL_WORDS);
  const from = words.length > 0 ? words : firstWords(runs(step, specs), BODY_WORDS);
  let id = step.kind;
  for (const word of from) {
    if (id.length + 1 + word.length > MAX_LENGTH) break;
    id += `-${word}`;
  }
  return id;
}

/**
 * Gives every step without an explicit id (and not from an included runbook) its id; `text` is
 * the step's source text, what a collision suffix is computed from. `taken` holds the explicit ids.
 */
export function assignGeneratedIds(
  steps: readonly Step[],
  taken: ReadonlySet<string>,
  text: (step: Step) => string,
  specs: StepSpecs,
): void {
  const groups = new Map<string, Step[]>();
  for (const step of steps) {
    if (step.idOrigin === 'explicit' || step.scope !== null) continue;
    const base = contentId(step, specs);
    const group = groups.get(base);
    if (group) group.push(step);
    else groups.set(base, [step]);
  }
  const used = new Set(taken);
  for (const base of groups.keys()) used.add(base);
  for (const [base, group] of groups) {
    if (group.length === 1 && !taken.has(base)) {
      group[0]!.id = base;
      continue;
    }
    const seen = new Map<string, number>();
    for (const step of group) {
      const suffix = shortHash(`${step.section.join('\n')}\n${text(step)}`);
      const n = (seen.get(suffix) ?? 0) + 1;
      seen.set(suffix, n);
      // Identical steps in one section can only be told apart by their order.
      let id = n === 1 ? `${base}-${suffix}` : `${base}-${suffix}-${n}`;
      while (used.has(id)) id += '-x';
      used.add(id);
      step.id = id;
    }
  }
}

/**
 * The ids Stepwise 0.1.0 generated: `section-slug-N`, N counting every step under the nearest
 * heading (steps of included runbooks under no heading). Only for reading back runs recorded
 * then (`resume`), whose transcripts name steps by these ids.
 */
export function assignPositionIds(steps: readonly Step[], taken: Set<string>): void {
  const counts = new Map<string, number>();
  for (const step of steps) {
    const slug = step.scope === null ? slugify(step.section[step.section.length - 1] ?? '') : '';
    const n = (counts.get(slug) ?? 0) + 1;
    counts.set(slug, n);
    if (step.idOrigin === 'explicit' || step.scope !== null) continue;
    let id = `${slug || 'step'}-${n}`;
    while (taken.has(id)) id += '-x';
    step.id = id;
    taken.add(id);
  }
}

/** What the step runs, as text: its body, or the attribute that carries it in the leaf form. */
function runs(step: Step, specs: StepSpecs): string {
  if (step.body) return step.body.template.source;
  const attr = (name: string): string => {
    const value = step.attributes[name];
    if (value === undefined) return '';
    if (value.type === 'template') return value.template.source;
    if (value.type === 'expression') return value.expression.source;
    if (value.type === 'enum') return value.value;
    if (value.type === 'step-ref') return value.id;
    return '';
  };
  const idText = specs[step.kind]?.idText;
  if (idText) return idText(attr);
  // `expect=fail` leaves the id as it was; a set value named `expect` is part of it, as before.
  return step.raw
    .filter((a) => !COMMON.includes(a.name) && !isExpectation(a.name, a.value))
    .map((a) => a.name)
    .join(' ');
}

/** Lower-case ASCII words, placeholders and punctuation left out. */
function firstWords(text: string, count: number): string[] {
  const plain = text
    .replace(/\{\{[\s\S]*?(\}\}|$)/g, ' ')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
  return (plain.match(/[a-z0-9]+(?:_[a-z0-9]+)*/g) ?? []).slice(0, count);
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 6);
}
