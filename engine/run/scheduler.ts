/**
 * Walks the step graph: a step starts when every step it depends on has finished. With
 * parallel = 1 that is document order; with more, independent steps overlap (side-effect steps
 * are barriers in the graph, so only read-only steps ever run together).
 */
import type { StepGraph } from '../graph/model.js';

export interface ScheduleOptions {
  parallel: number;
  /** Runs one step; resolves true to go on, false to stop starting new steps. */
  run(id: string): Promise<boolean>;
  stopped(): boolean;
}

/** Returns the ids that were never started (the run stopped first). */
export async function schedule(graph: StepGraph, options: ScheduleOptions): Promise<string[]> {
  const index = new Map(graph.nodes.map((n, i) => [n.id, i]));
  const successors: number[][] = graph.nodes.map(() => []);
  const waiting = new Int32Array(graph.nodes.length);
  for (const edge of graph.edges) {
    successors[index.get(edge.from)!]!.push(index.get(edge.to)!);
    waiting[index.get(edge.to)!]!++;
  }
  const ready: number[] = [];
  for (let i = 0; i < graph.nodes.length; i++) if (waiting[i] === 0) ready.push(i);
  const started = new Uint8Array(graph.nodes.length);
  const running = new Set<Promise<void>>();
  let stop = false;
  while (!stop && (ready.length > 0 || running.size > 0)) {
    while (!stop && ready.length > 0 && running.size < Math.max(1, options.parallel)) {
      ready.sort((a, b) => a - b);
      const i = ready.shift()!;
      started[i] = 1;
      const task: Promise<void> = options.run(graph.nodes[i]!.id).then((goOn) => {
        running.delete(task);
        if (!goOn || options.stopped()) stop = true;
        for (const next of successors[i]!) if (--waiting[next]! === 0) ready.push(next);
      });
      running.add(task);
    }
    if (running.size > 0) await Promise.race(running);
  }
  await Promise.all(running);
  return graph.nodes.filter((_, i) => !started[i]).map((n) => n.id);
}
