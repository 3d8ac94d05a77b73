/**
 * Evaluates runbook expressions in a vm2 sandbox with a time limit. One sandbox per run (a new
 * VM costs ~8 ms, an evaluation ~0.1 ms). Values enter the sandbox once, as JSON parsed and
 * deep-frozen inside it, so expressions read sandbox-own objects and cannot change the run's
 * data; the sandbox's built-ins are frozen, so no expression changes what a later one sees;
 * what comes out is copied back into plain host values. Straight-line expressions (member
 * access, operators) are evaluated on the host over the same frozen values: with nothing in
 * either realm changeable, both paths give the same answer.
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

/**
 * Runs once in a new VM. It freezes every built-in object and makes the global bindings of the
 * built-ins read-only, so no expression can change what a later one sees (`Array.prototype.x = 1`,
 * `Object.assign(globalThis, { Math: … })`). The scope lives in a closure: expressions read it only
 * through `__get`, which hands out deep-frozen values and frozen snapshots of the containers
 * (`steps`), and the writer (`put`) is returned to the host, never left on the global object.
 * (vm2 hides Proxy, and a global defined without `value` reads as undefined: hence the snapshots
 * and the explicit values below.)
 */
const SETUP = `
(function () {
  'use strict';
  const hasOwn = Object.prototype.hasOwnProperty;
  const freezeObject = Object.freeze, isFrozen = Object.isFrozen, getProto = Object.getPrototypeOf;
  const ownKeys = Reflect.ownKeys, getDesc = Object.getOwnPropertyDescriptor, define = Object.defineProperty;
  const create = Object.create, keys = Object.keys, parse = JSON.parse;
  const seen = new WeakSet();
  const freeze = (v) => {
    if ((typeof v !== 'object' && typeof v !== 'function') || v === null || seen.has(v)) return v;
    seen.add(v);
    try { freezeObject(v); } catch (e) {}
    for (const k of ownKeys(v)) {
      let d;
      try { d = getDesc(v, k); } catch (e) { continue; }
      if (!d) continue;
      if ('value' in d) freeze(d.value);
      if (d.get) freeze(d.get);
      if (d.set) freeze(d.set);
    }
    freeze(getProto(v));
    return v;
  };
  for (const name of Object.getOwnPropertyNames(globalThis)) {
    if (name === 'globalThis' || name === 'global' || name === 'GLOBAL' || name === 'root') continue;
    let value;
    try { value = globalThis[name]; } catch (e) { continue; }
    if (value === undefined) continue;
    freeze(value);
    try { define(globalThis, name, { value: value, writable: false, configurable: false }); } catch (e) {}
  }
  freeze(getProto(function* () {}));
  const root = create(null);
  root.steps = create(null);
  root.__ns = create(null);
  let version = 0;
  const snapshots = new Map();
  const snapshot = (container, key) => {
    const cached = snapshots.get(key);
    if (cached !== undefined && cached.version === version) return cached.value;
    const copy = create(null);
    for (const k of keys(container)) {
      const x = container[k];
      copy[k] = x !== null && typeof x === 'object' && !isFrozen(x) ? snapshot(x, key + '\\u0000' + k) : x;
    }
    freezeObject(copy);
    snapshots.set(key, { version: version, value: copy });
    return copy;
  };
  const get = (path) => {
    let target = root;
    for (let i = 0; i < path.length; i++) {
      if (target === null || typeof target !== 'object' || !hasOwn.call(target, path[i])) return undefined;
      target = target[path[i]];
    }
    return target !== null && typeof target === 'object' && !isFrozen(target) ? snapshot(target, path.join('\\u0000')) : target;
  };
  define(globalThis, '__get', { value: freezeObject(get), writable: false, configurable: false, enumerable: false });
  return function put(path, json) {
    version++;
    let target = root;
    for (let i = 0; i < path.length - 1; i++) {
      if (!hasOwn.call(target, path[i])) target[path[i]] = create(null);
      target = target[path[i]];
    }
    target[path[path.length - 1]] = json === undefined ? undefined : freeze(parse(json));
  };
})()
`;

/** An expression ready to run: on the host when it is straight-line, else (or when the host cannot answer) in vm2. */
interface Compiled {
  code: string;
  host?: () => unknown;
  vm?: VMScript;
}

export class Sandbox {
  private readonly vm: VM;
  private readonly compiled = new Map<string, Compiled>();
  private pending: [string[], string | undefined][] = [];
  /** The same values as the sandbox holds, for expressions evaluated on the host. */
  private readonly mirror: Record<string, unknown> = { steps: {}, __ns: {} };
  /** The sandbox's writer, called directly: no script run, so no timeout watchdog per value. */
  private readonly put: (path: string[], json: string | undefined) => void;

  /** `hostPath: false` sends every expression through vm2 (tests compare the two paths). */
  constructor(private readonly timeoutMs = 1000, private readonly options: { hostPath?: boolean } = {}) {
    this.vm = new VM({ timeout: timeoutMs, eval: false, wasm: false, allowAsync: false });
    this.put = this.untimed(SETUP) as (path: string[], json: string | undefined) => void;
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
      if (script.host) {
        try {
          return toHost(script.host());
        } catch {
          // NotOnHost, or an error: the sandbox gives the answer (and the error message) itself.
        }
      }
      script.vm ??= new VMScript(script.code).compile();
      this.flush();
      return toHost(this.vm.run(script.vm));
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

  private compile(expression: Expression, resolve: Resolver): Compiled {
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
      lines.push(`const ${ref.root} = __get(${JSON.stringify(where)});`);
    }
    // Strict, and called with no `this`: an expression cannot reach the global object through it.
    const fn = `function () {\n'use strict';\n${lines.join('\n')}\nreturn (${expression.source}\n);\n}`;
    const code = `(${fn}).call(undefined)`;
    try {
      // Straight-line expressions need no sandbox: they are evaluated on the host, over the mirror.
      if (this.options.hostPath !== false && isStraightLine(expression.source)) return { code, host: this.hostFunction(expression.source, analysis.references, resolve) };
      return { code, vm: new VMScript(code).compile() };
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
