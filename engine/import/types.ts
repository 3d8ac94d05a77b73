/** The shapes `stepwise import` passes around: its options and result, and the step groups it plans. */
import type { Diagnostic } from '../document/diagnostic.js';
import type { RunbookDocument } from '../document/model.js';
import type { Needs } from './needs.js';
import type { Unit } from './units.js';

export interface ImportOptions {
  /** Targets to use instead of inferring them (`--targets FILE`): name → declaration. */
  targets?: Record<string, unknown>;
  /** The runbook's path, for check (relative includes) and messages. */
  path?: string;
  /**
   * How the draft is checked: `checkSource`'s diagnostics for a text at a path. The CLI passes
   * `check`'s cached path (engine/import/cached-check.ts); the default is checkSource itself.
   */
  check?: DraftCheck;
}

/** What `check` finds in a text at a path (engine/check/check.ts): its diagnostics, and the steps it read. */
export type DraftCheck = (text: string, path: string) => DraftChecked;

export interface DraftChecked {
  diagnostics: readonly Diagnostic[];
  document: Pick<RunbookDocument, 'steps'>;
}

export interface PlannedStep {
  /** Line in the plain runbook. */
  line: number;
  id: string;
  kind: string;
  what: string;
}

export interface Leftover {
  /** Line in the plain runbook. */
  line: number;
  why: string;
}

export interface ImportResult {
  text: string;
  changed: boolean;
  steps: PlannedStep[];
  /** Places left as prose. */
  leftovers: Leftover[];
  /** Steps made that the author should look at (check warnings, guessed conditions). */
  review: Leftover[];
  /** Why nothing was imported, when nothing was. */
  note: string | null;
}

/** The directives made from one place of the plain runbook, inserted together. */
export interface Group {
  /** Insert after this line of the plain runbook (1-based; 0 = at the top). */
  after: number;
  /** Written before each inserted line: the indentation of a list item the block is in, else ''. */
  indent: string;
  line: number;
  units: Unit[];
  needs: Needs;
  what: string;
  review: string[];
}

/** Where a block stands: the line its directives go after, and the headings above it. */
export interface Place {
  after: number;
  /** The indentation the directives take: a fenced block's in a list item, else ''. */
  indent: string;
  /** Headings above, outermost first. */
  headings: string[];
}

/** A block and what is around it. */
export interface Context extends Place {
  /** The block's line (its fence, or the paragraph's first line). */
  line: number;
  /** A short title: the list item's lead text, else the nearest heading. */
  title: string;
  /** Text around the block that may say it is dangerous. */
  around: string;
}

/** The database a SQL text goes to, as far as the plain runbook says. */
export interface SqlWhere {
  kind: 'postgres' | 'sqlite' | 'mysql';
  /** A path, a URL, a database name or `$VARIABLE`; null when the runbook does not say. */
  where: string | null;
}
