/**
 * The document model: what a runbook says, with a source position on everything.
 * Markdown → (engine/document/parse.ts) → RunbookDocument → (engine/graph) → StepGraph.
 */
import type { Span } from './position.js';
import type { AttributeValue } from './attribute-types.js';
import type { Expression, Template } from './template-types.js';
import type { Frontmatter } from './frontmatter-model.js';

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
}

export type Block =
  | { type: 'heading'; depth: number; text: string; slug: string; span: Span }
  | { type: 'prose'; markdown: string; span: Span }
  | { type: 'step'; step: Step }
  | { type: 'if'; condition: Expression; blocks: Block[]; span: Span }
  | { type: 'include'; step: Step; blocks: Block[] };

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
