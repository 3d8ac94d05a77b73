/**
 * Walks the step graph in its serial order: the topological order with ties broken by document
 * order (a step starts when every step it depends on has finished). Steps are run, and so
 * recorded, one at a time in that order whatever `parallel` is, so a parallel run's transcript
 * lists its steps exactly as a serial run's does. With parallel = N > 1, up to N - 1 later steps
 * whose dependencies have all finished are also started ahead of their turn (`ahead`): the
 * runner does that only for steps without effect (side effects and gates are barriers in the
 * graph, so nothing ever overlaps them) and holds back their events until their turn comes.
 */
import type { StepGraph } from '../graph/model.js';

export interface ScheduleOptions {
  parallel: number;
  /** Runs one step (records it); resolves true to go on, false to stop starting new steps. */
  run(id: string): Promise<boolean>;
  stopped(): boolean;
  /**
   * Starts a step ahead of its turn: returns a promise that settles when that work is over, or
   * null when the step may not run ahead (it has an effect, a false condition, ...). Its turn
   * still comes through `run`, which uses what it did.
   */
  ahead?(id: string): Promise<unknown> | null;
  /** The run stopped: work started ahead for steps whose turn will not come is not needed. */
  abandon?(): void;
}

/** How far past the current step to look for steps to start ahead, per parallel slot. */
const WINDOW_PER_SLOT = 8;

/** Returns the ids that were never started (the run stopped first). */
export async function schedule(graph: StepGraph, options: ScheduleOptions): Promise<string[]> {
  const order = serialOrder(graph);
  const ahead = options.parallel > 1 ? options.ahead : undefined;
  const position = new Int32Array(graph.nodes.length).fill(-1);
  order.forEach((node, at) => {
    position[node] = at;
  });
  // For each step (by position in the order), the position of the last step it depends on.
  const index = new Map(graph.nodes.map((n, i) => [n.id, i]));
  const lastNeeded = new Int32Array(order.length).fill(-1);
  for (const edge of graph.edges) {
    const to = position[index.get(edge.to)!]!;
    if (to >= 0) lastNeeded[to] = Math.max(lastNeeded[to]!, position[index.get(edge.from)!]!);
  }
  const tried = new Uint8Array(order.length);
  const running = new Set<Promise<unknown>>();
  const slots = Math.max(1, options.parallel) - 1;
  const window = slots * WINDOW_PER_SLOT;
  /** Starts later steps whose dependencies all come before `current` (so have finished). */
  const fill = (current: number): void => {
    if (!ahead) return;
    for (let at = current + 1; at < order.length && at <= current + window && running.size < slots; at++) {
      if (tried[at] || lastNeeded[at]! >= current) continue;
      tried[at] = 1;
      const work = ahead(graph.nodes[order[at]!]!.id);
      if (work === null) continue;
      const settled: Promise<unknown> = work.then(
        () => running.delete(settled),
        () => running.delete(settled),
      );
      running.add(settled);
    }
  };
  let next = 0;
  try {
    for (; next < order.length; next++) {
      if (options.stopped()) break;
      tried[next] = 1;
      fill(next);
      const goOn = await options.run(graph.nodes[order[next]!]!.id);
      if (!goOn || options.stopped()) {
        next++;
        break;
      }
    }
  } finally {
    if (running.size > 0) {
      options.abandon?.();
      await Promise.allSettled([...running]);
    }
  }
  const started = new Set(order.slice(0, next));
  return graph.nodes.filter((_, i) => !started.has(i)).map((n) => n.id);
}

/**
 * The graph's order as node indexes: each step after every step it depends on, ties broken by
 * document order (the graph's own order, recomputed when it carries none). Steps on a cycle never
 * become ready: they are left out, and so never run.
 */
function serialOrder(graph: StepGraph): number[] {
  const index = new Map(graph.nodes.map((n, i) => [n.id, i]));
  if (graph.order.length === graph.nodes.length) return graph.order.map((id) => index.get(id)!);
  const successors: number[][] = graph.nodes.map(() => []);
  const waiting = new Int32Array(graph.nodes.length);
  for (const edge of graph.edges) {
    successors[index.get(edge.from)!]!.push(index.get(edge.to)!);
    waiting[index.get(edge.to)!]!++;
  }
  const ready: number[] = [];
  for (let i = 0; i < graph.nodes.length; i++) if (waiting[i] === 0) ready.push(i);
  const order: number[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => a - b);
    const i = ready.shift()!;
    order.push(i);
    for (const next of successors[i]!) if (--waiting[next]! === 0) ready.push(next);
  }
  return order;
}
