/**
 * Cycles (Tarjan's strongly connected components, iterative: 10,000-step runbooks must not
 * overflow the stack) and a topological order that keeps document order wherever it can.
 */

/** Each cycle as a list of node indexes; self-loops included. */
export function findCycles(count: number, successors: number[][]): number[][] {
  const index = new Int32Array(count).fill(-1);
  const low = new Int32Array(count);
  const onStack = new Uint8Array(count);
  const stack: number[] = [];
  const cycles: number[][] = [];
  let next = 0;
  for (let root = 0; root < count; root++) {
    if (index[root] !== -1) continue;
    const work: [number, number][] = [[root, 0]];
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const [v, i] = frame;
      if (i === 0) {
        index[v] = low[v] = next++;
        stack.push(v);
        onStack[v] = 1;
      }
      const succ = successors[v]!;
      if (i < succ.length) {
        frame[1] = i + 1;
        const w = succ[i]!;
        if (index[w] === -1) work.push([w, 0]);
        else if (onStack[w]) low[v] = Math.min(low[v]!, index[w]!);
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1]![0];
        low[parent] = Math.min(low[parent]!, low[v]!);
      }
      if (low[v] === index[v]) {
        const component: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          component.push(w);
        } while (w !== v);
        if (component.length > 1 || succ.includes(v)) cycles.push(component.sort((a, b) => a - b));
      }
    }
  }
  return cycles.sort((a, b) => a[0]! - b[0]!);
}

/** Kahn's algorithm; among ready nodes the earliest in the document goes first. */
export function topologicalOrder(count: number, successors: number[][]): number[] {
  const indegree = new Int32Array(count);
  for (const succ of successors) for (const w of succ) indegree[w]!++;
  const heap: number[] = [];
  for (let v = 0; v < count; v++) if (indegree[v] === 0) push(heap, v);
  const order: number[] = [];
  while (heap.length > 0) {
    const v = pop(heap);
    order.push(v);
    for (const w of successors[v]!) if (--indegree[w]! === 0) push(heap, w);
  }
  return order.length === count ? order : [];
}

function push(heap: number[], value: number): void {
  heap.push(value);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (heap[parent]! <= value) break;
    heap[i] = heap[parent]!;
    i = parent;
  }
  heap[i] = value;
}

function pop(heap: number[]): number {
  const top = heap[0]!;
  const last = heap.pop()!;
  if (heap.length === 0) return top;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let smallest = last;
    let m = -1;
    if (l < heap.length && heap[l]! < smallest) (smallest = heap[l]!), (m = l);
    if (r < heap.length && heap[r]! < smallest) (smallest = heap[r]!), (m = r);
    if (m === -1) break;
    heap[i] = heap[m]!;
    i = m;
  }
  heap[i] = last;
  return top;
}
