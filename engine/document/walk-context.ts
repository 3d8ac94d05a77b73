/** What parsing carries while it walks a runbook, and its options and result (parse.ts, include.ts). */
import type { Diagnostic } from './diagnostic.js';
import type { Frontmatter } from './frontmatter-model.js';
import type { RunbookDocument } from './model.js';
import type { StepSpecs } from './step-spec.js';
import type { BuildContext } from './step-builder.js';

export interface ParseOptions {
  /** The step kinds, by directive name (engine/steps/registry.ts `stepSpecs`). */
  specs: StepSpecs;
  /** Reads an included runbook; absent means includes cannot be resolved (reported). */
  readFile?: (path: string) => string;
  /** Internal: the chain of files being included, to detect include cycles. */
  includeStack?: string[];
  /**
   * How steps without `{#id}` get their ids: from their content (the default), or by position
   * (`section-slug-N`, as Stepwise 0.1.0 did), to read back a run recorded with those ids.
   */
  generatedIds?: 'content' | 'position';
}

export interface ParseResult {
  document: RunbookDocument;
  diagnostics: Diagnostic[];
}

export interface WalkContext extends BuildContext {
  frontmatter: Frontmatter;
  options: ParseOptions;
  /** Titles of the enclosing headings, by depth. */
  headings: { depth: number; text: string; slug: string }[];
  /** Parses an included runbook (parse.ts's parseRunbook, passed in so include.ts need not import it). */
  parse: (input: string, path: string, options: ParseOptions) => ParseResult;
  /** The directive names that mean something: the step kinds and `if`. */
  directives: readonly string[];
}
