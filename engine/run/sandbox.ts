/**
 * Evaluates runbook expressions in a vm2 sandbox with a time limit. One sandbox per run (a new
 * VM costs ~8 ms, an evaluation ~0.1 ms). Values enter the sandbox once, as JSON parsed and
 * deep-frozen inside it, so expressions read sandbox-own objects and cannot change the run's
 * data; what comes out is copied back into plain host values.
 */
import { VM, VMScript } from 'vm2';
import type { Expression } from '../document/model.js';
import { analyzeExpression, isStraightLine, JS_GLOBALS } from '../expr/analyze.js';
import { compileStraightLine } from '../expr/interpret.js';

export interface Binding {
  /** The name the expression uses. */
  name: string;
  /** Where its value lives in the sandbox scope: ['steps', 'ns.check'] or ['inputs']. */
  path: string[];
}

/** Decides what each free name of an expression means, from the place the expression is in. */
export type Resolver = (root: string, path: string[]) => Binding['path'] | 'global' | 'unknown';

export class ExpressionError extends Error {
  constructor(message: string, readonly expression: Expression) {
    super(message);
  }
}

const SETUP = `
globalThis.__scope = Object.create(null);
globalThis.__scope.steps = Object.create(null);
globalThis.__scope.__ns = Object.create(null);
globalThis.__freeze = function freeze(v) {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) { Object.freeze(v); for (const k of Object.keys(v)) freeze(v[k]); }
  return v;
};
globalThis.__put = function (path, json) {
  let target = globalThis.__scope;
  for (let i = 0; i < path.length - 1; i++) {
    if (!Object.prototype.hasOwnProperty.call(target, path[i])) target[path[i]] = Object.create(null);
    target = target[path[i]];
  }
  target[path[path.length - 1]] = json === undefined ? undefined : globalThis.__freeze(JSON.parse(json));
};
`;

export class Sandbox {
  private readonly vm: VM;
  private readonly compiled = new Map<string, VMScript | (() => unknown)>();
  private pending: [string[], string | undefined][] = [];
  /** The same values as the sandbox holds, for expressions evaluated on the host. */
  private readonly mirror: Record<string, unknown> = { steps: {}, __ns: {} };
  /** The sandbox's own `__put`, called directly: no script run, so no timeout watchdog per value. */
  private readonly put: (path: string[], json: string | undefined) => void;

  constructor(private readonly timeoutMs = 1000) {
    this.vm = new VM({ timeout: timeoutMs, eval: false, wasm: false, allowAsync: false });
    this.untimed(SETUP);
    this.put = this.untimed('globalThis.__put') as (path: string[], json: string | undefined) => void;
  }

  /** Makes a value visible at `path` (e.g. ['steps', 'stuck'] or ['inputs']). */
  set(path: string[], value: unknown): void {
    const json = value === undefined ? undefined : JSON.stringify(value, jsonSafe);
    // Values reach vm2 only when an expression that needs vm2 runs (see flush).
    this.pending.push([path, json]);
    let target = this.mirror;
    for (const key of path.slice(0, -1)) target = (target[key] ??= {}) as Record<string, unknown>;
    target[path[path.length - 1]!] = json === undefined ? undefined : deepFreeze(JSON.parse(json));
  }

  /**
   * Runs code of our own whose time is bounded (defining a function, setting up the scope)
   * without the timeout watchdog, a thread started per call that costs ~0.5 ms.
   */
  private untimed(code: string): unknown {
    const timeout = this.vm.timeout;
    this.vm.timeout = undefined;
    try {
      return this.vm.run(code);
    } finally {
      this.vm.timeout = timeout;
    }
  }

  private flush(): void {
    for (const [path, json] of this.pending) this.put(path, json);
    this.pending = [];
  }

  evaluate(expression: Expression, resolve: Resolver): unknown {
    const key = `${expression.source}\u0000${expression.span.start.offset}`;
    let script = this.compiled.get(key);
    if (script === undefined) {
      script = this.compile(expression, resolve);
      this.compiled.set(key, script);
    }
    try {
      if (typeof script === 'function') return toHost(script());
      this.flush();
      return toHost(this.vm.run(script));
    } catch (error) {
      const message = (error as Error).message ?? String(error);
      if (/timed out/i.test(message)) throw new ExpressionError(`expression \`${clip(expression.source)}\` did not finish within ${this.timeoutMs} ms`, expression);
      throw new ExpressionError(`expression \`${clip(expression.source)}\` failed: ${message}`, expression);
    }
  }

  private hostFunction(source: string, references: { root: string; path: string[] }[], resolve: Resolver): () => unknown {
    const evaluate = compileStraightLine(source);
    const paths = new Map<string, string[] | 'global'>();
    for (const { root, path } of references) {
      if (paths.has(root)) continue;
      const where = resolve(root, path);
      if (where === 'unknown') throw new Error(`\`${root}\` is not defined`);
      paths.set(root, where);
    }
    const lookup = (name: string): unknown => {
      const path = paths.get(name);
      if (path === 'global') return JS_GLOBALS.has(name) ? (globalThis as Record<string, unknown>)[name] : undefined;
      let value: unknown = this.mirror;
      for (const key of path ?? []) value = value === null || value === undefined ? undefined : (value as Record<string, unknown>)[key];
      return value;
    };
    return () => evaluate(lookup);
  }

  private compile(expression: Expression, resolve: Resolver): VMScript | (() => unknown) {
    const analysis = analyzeExpression(expression.source);
    if (!analysis.ok) throw new ExpressionError(`expression \`${clip(expression.source)}\`: ${analysis.message}`, expression);
    const lines: string[] = [];
    const bound = new Set<string>();
    for (const ref of analysis.references) {
      if (bound.has(ref.root)) continue;
      bound.add(ref.root);
      const where = resolve(ref.root, ref.path);
      if (where === 'global') continue;
      if (where === 'unknown') throw new ExpressionError(`expression \`${clip(expression.source)}\`: \`${ref.root}\` is not defined`, expression);
      const access = where.map((p) => `[${JSON.stringify(p)}]`).join('');
      lines.push(`const ${ref.root} = (function () { try { return globalThis.__scope${access.replace(/\]\[/g, ']?.[').replace(/^\[/, '?.[')}; } catch (e) { return undefined; } })();`);
    }
    const fn = `function () {\n${lines.join('\n')}\nreturn (${expression.source}\n);\n}`;
    try {
      // Straight-line expressions need no sandbox: they are evaluated on the host, over the mirror.
      if (isStraightLine(expression.source)) return this.hostFunction(expression.source, analysis.references, resolve);
      return new VMScript(`(${fn})()`).compile();
    } catch (error) {
      throw new ExpressionError(`expression \`${clip(expression.source)}\`: ${(error as Error).message}`, expression);
    }
  }
}

export function isGlobalName(name: string): boolean {
  return JS_GLOBALS.has(name);
}

/** bigint and other values JSON cannot carry exactly become strings. */
function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value;
}

/** A plain host copy of a value coming out of the sandbox. */
function toHost(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? '[function]' : value;
  try {
    return JSON.parse(JSON.stringify(value, jsonSafe));
  } catch {
    return String(value);
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}
