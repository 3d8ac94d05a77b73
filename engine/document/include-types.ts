/** What a parameterised include binds (`::include{src= as= with= target=}`), kept on its block for the graph and the run. */
import type { InputDecl } from './frontmatter-model.js';
import type { Span } from './position.js';
import type { Template } from './template-types.js';

/** One `name=value` of `with`: an input of the included runbook, bound for this include only. */
export interface BoundInput {
  name: string;
  span: Span;
  /** The value as written: a literal, or placeholders evaluated when the run starts. */
  value: Template;
  /** The included runbook's declaration of the input (its type, options, pattern). */
  decl: InputDecl;
}

export interface IncludeBinding {
  /** The namespace of the included steps (`gateway`, or `outer.gateway` when included from an include). */
  scope: string;
  /** `src` as written. */
  src: string;
  inputs: BoundInput[];
  /** The included runbook's targets mapped to this runbook's: `{ db: 'main' }`. */
  targets: Record<string, string>;
}
