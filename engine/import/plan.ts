/**
 * The plan an import builds while it walks the plain runbook: the step groups to insert, the
 * places left as prose, the ids and targets taken so far. Every converter takes it first.
 */
import type { Nodes, Root } from 'mdast';
import { parseMarkdown } from '../document/markdown.js';
import { readExamples } from './examples.js';
import { type Hints, readHints } from './hints.js';
import type { Group, ImportOptions, Leftover } from './types.js';

export interface Plan {
  readonly source: string;
  /** The source's lines (split at `\n`: a CRLF line keeps its `\r`). */
  readonly lines: string[];
  /** The line ending the draft's inserted lines take. */
  readonly eol: '\n' | '\r\n';
  readonly tree: Root;
  readonly options: ImportOptions;
  readonly hints: Hints;
  /** Input name → an example value the runbook shows for it. */
  readonly examples: Map<string, string>;
  /** The frontmatter's closing `---` line (1-based), or 0 when there is none. */
  frontmatterEnd: number;
  readonly groups: Group[];
  readonly leftovers: Leftover[];
  readonly ids: Set<string>;
  /** HTTP target key (origin, `$VAR`, or '' for "no host") → target name. */
  readonly httpTargets: Map<string, string>;
  /** HTTP target name → its declaration. */
  readonly httpTargetDecls: Map<string, string>;
  /** `kind:where` → SQL target name. */
  readonly sqlTargets: Map<string, string>;
  /** Nodes another converter has taken (an "Expected:" block read with the command before it). */
  readonly consumed: Set<Nodes>;
}

export function newPlan(source: string, options: ImportOptions): Plan {
  return {
    source,
    lines: source.split('\n'),
    eol: source.includes('\r\n') ? '\r\n' : '\n',
    tree: parseMarkdown(source),
    options,
    hints: readHints(source),
    examples: readExamples(source),
    frontmatterEnd: 0,
    groups: [],
    leftovers: [],
    ids: new Set(),
    httpTargets: new Map(),
    httpTargetDecls: new Map(),
    sqlTargets: new Map(),
    consumed: new Set(),
  };
}

/** A place that stays prose, and why. */
export function leave(plan: Plan, line: number, why: string): void {
  plan.leftovers.push({ line, why });
}

export function addGroup(plan: Plan, group: Group): void {
  plan.groups.push(group);
}
