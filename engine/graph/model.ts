/** The step graph: what runs, and what must come before what (runbooks/README.md, "The step graph"). */

export type EdgeReason = 'reference' | 'needs' | 'wait' | 'order';

export interface GraphEdge {
  from: string;
  to: string;
  why: EdgeReason;
  /** E.g. the referencing expression's text, or the side-effect step an order edge is about. */
  detail?: string;
}

export interface GraphNode {
  id: string;
  kind: string;
  file: string;
  line: number;
  column: number;
  label: string | null;
  /** One line saying what the step does: `GET /health`, the first line of its SQL or script. */
  summary: string;
  section: string[];
  /** Has side effects (shell, confirm, input, a writing sql, a non-GET http): ordering barrier. */
  effect: boolean;
  /** Changes something (a side effect that is not a gate): needs a confirm guarding it. */
  sideEffect: boolean;
  /** A confirm: the side-effecting steps it guards (engine/graph/guards.ts); empty otherwise. */
  guards: string[];
  /** A side effect: the confirms that guard it; empty when none does (check warns, headless refuses). */
  guardedBy: string[];
  /** The target the step runs against, after defaults; null when it uses none. */
  target: string | null;
  when: string | null;
  /** Conditions of enclosing `::::if` regions, outermost first. */
  conditions: string[];
  /** The `::::each` loop the step is in: it runs once per item (recorded as `id[i]`). */
  loop?: { items: string; as: string; max: number };
}

export interface StepGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** A topological order, ties broken by document order (empty when the graph has a cycle). */
  order: string[];
}
