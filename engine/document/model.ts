/**
 * The document model: what a runbook says, with a source position on everything.
 * Markdown → (engine/document/parse.ts) → RunbookDocument → (engine/graph) → StepGraph.
 */
import type { Span } from './position.js';
import type { AttributeValue } from './attribute-types.js';
import type { Expression, Template } from './template-types.js';
import type { Frontmatter } from './frontmatter-model.js';
import type { IncludeBinding } from './include-types.js';

export type { Expression, Template, TemplatePart } from './template-types.js';

/** An attribute as written: `name=value`, with where its name and value stand. */
export interface RawAttribute {
  name: string;
  value: string;
  nameSpan: Span;
  valueSpan: Span;
}

/** The fenced code block of a container step (SQL text, HTTP request, shell script). */
export interface StepBody {
  lang: string | null;
  template: Template;
}

export interface StepRef {
  id: string;
  span: Span;
}

export interface Step {
  id: string;
  /** `explicit` from `{#id}`; `generated` from the step's content (engine/document/step-id.ts). */
  idOrigin: 'explicit' | 'generated';
  /** The directive name: one of the kinds the parser was given (ParseOptions `specs`). */
  kind: string;
  form: 'leaf' | 'container';
  label: Template | null;
  body: StepBody | null;
  /** Validated, typed attributes by name (common ones like `when` are lifted out below). */
  attributes: Record<string, AttributeValue>;
  raw: RawAttribute[];
  when: Expression | null;
  needs: StepRef[];
  onFail: 'stop' | 'continue';
  idempotent: boolean;
  /** `expect=fail`: the step is supposed to fail (engine/run/expectation.ts); absent when it should pass. */
  expect?: 'fail';
  /** Per-step timeout in ms; null means the engine default (30 s). */
  timeoutMs: number | null;
  /** Conditions of the enclosing `::::if` regions, outermost first. */
  conditions: Expression[];
  /** Titles of the enclosing headings, outermost first. */
  section: string[];
  /** The whole directive. */
  span: Span;
  /** The source file the step was written in (differs from the runbook for included steps). */
  file: string;
  /** The namespace of an included runbook's steps (`as=`), or null. */
  scope: string | null;
  /** The `::::each` loop whose body holds the step (engine/document/each.ts); absent outside loops. */
  loop?: Loop;
  /**
   * Set only on the copy the runner makes for one iteration of a loop: its recorded id is
   * `id[index]`, `baseId` the step's own id (engine/run/loop.ts).
   */
  iteration?: { index: number; baseId: string };
}

/** A `::::each{items=... as=...}` region: its body steps run once per item (runbooks/README.md, "Loops"). */
export interface Loop {
  /** The list to walk: an expression evaluated once, when the loop starts. */
  items: Expression;
  /** The name the current item has inside the body. */
  as: string;
  /** The most items the loop accepts (default 1,000, at most 10,000). */
  max: number;
  /** The whole region, `::::each` to its closing fence, in `file`. */
  span: Span;
  /** The file the loop is written in (its steps may come from an included one). */
  file: string;
  /** Conditions of the `::::if` regions around the loop, outermost first. */
  conditions: Expression[];
  /** Where the `as` value stands. */
  asSpan: Span;
}

export type Block =
  | { type: 'heading'; depth: number; text: string; slug: string; span: Span }
  | { type: 'prose'; markdown: string; span: Span }
  | { type: 'step'; step: Step }
  | { type: 'if'; condition: Expression; blocks: Block[]; span: Span }
  | { type: 'each'; loop: Loop; blocks: Block[]; span: Span }
  /** `binding`: what a parameterised include binds (`with`, `target`), engine/document/include-types.ts. */
  | { type: 'include'; step: Step; blocks: Block[]; binding?: IncludeBinding };

export interface Section {
  title: string;
  slug: string;
  depth: number;
  span: Span;
  /** Ids of the steps directly under this heading (not in sub-sections). */
  steps: string[];
  children: Section[];
}

export interface RunbookDocument {
  path: string;
  source: string;
  title: string;
  id: string;
  frontmatter: Frontmatter;
  blocks: Block[];
  /** Every step in document order, included and conditional ones too. */
  steps: Step[];
  outline: Section[];
}
