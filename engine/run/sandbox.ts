/**
 * Evaluates runbook expressions in a vm2 sandbox, bounded in time (1 s by default) and in memory
 * (256 MB by default). Straight-line expressions (member access, operators) are evaluated on the
 * host over frozen copies of the values: they allocate little and finish at once, so they need no
 * bound (interpret.ts). Every other expression runs in vm2 in a separate process, the evaluator
 * (sandbox-worker.cjs), which the host stops with SIGKILL when an expression overruns its time,
 * and which a watch kills when it grows past the memory limit: a process can be stopped whatever
 * it is doing (a worker thread cannot, see sandbox-worker.cjs), and the next expression gets a
 * fresh one. `evaluate` stays synchronous for its callers: a worker thread of this process (the
 * broker) talks to the evaluator, while this thread waits on a SharedArrayBuffer with
 * Atomics.wait and reads the answer with receiveMessageOnPort.
 *
 * Values enter the evaluator as JSON, batched with the next expression that needs it, and are
 * parsed and deep-frozen inside its VM, so expressions read sandbox-own objects and cannot change
 * the run's data; the VM's built-ins are frozen, so no expression changes what a later one sees;
 * the scope is read-only through `__get`; what comes out is copied back as JSON into plain host
 * values. With nothing in either realm changeable, both paths give the same answer. One evaluator
 * serves every Sandbox of a process (one VM each), started when first needed.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
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
  constructor(
    message: string,
    readonly expression: Expression,
  ) {
    super(message);
  }
}

/** The evaluator's answer to one request (see sandbox-worker.cjs). */
interface Reply {
  id: number;
  value?: unknown;
  json?: string;
  symbol?: string;
  bigint?: string;
  /** NaN, Infinity, -Infinity, -0 (JSON carries none of them). */
  number?: string;
  error?: string;
  compileError?: string;
  /** The evaluator does not hold this Sandbox's values (it is a new one): send them all. */
  resync?: boolean;
  /** The values were only half applied; the evaluator dropped this Sandbox's VM. */
  lost?: boolean;
  memory?: boolean;
  died?: string;
  /** The broker thread itself failed: the next request starts a new one. */
  broker?: boolean;
  timeout?: boolean;
}

const QUEUED = 1,
  RUNNING = 2,
  DONE = 3,
  ABANDONED = 4;
/** How long an evaluator may take to start (not counted in any expression's time). */
const STARTUP_MS = 30_000;
const WORKER = fileURLToPath(new URL('./sandbox-worker.cjs', import.meta.url));
const clock = (): number => performance.timeOrigin + performance.now();

/**
 * The host's end of one broker thread and its evaluator process. Requests are strictly one at a
 * time (evaluate is synchronous), so one control block is enough.
 */
class Evaluator {
  private worker: Worker | null = null;
  private port!: MessagePort;
  private control!: Int32Array;
  private sentAt!: Float64Array;
  private nextId = 1;
  /** VMs of Sandboxes that were garbage-collected, dropped with the next request. */
  readonly dropped: number[] = [];

  constructor(private readonly memoryMb: number) {}

  private start(): void {
    const shared = new SharedArrayBuffer(24);
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(WORKER, {
      workerData: { port: port2, control: shared, memoryMb: this.memoryMb },
      transferList: [port2],
      execArgv: [],
      stdout: true,
      stderr: true,
    });
    worker.unref(); // an idle sandbox never keeps the process alive
    worker.on('error', () => {});
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = null;
    });
    port1.unref();
    this.worker = worker;
    this.port = port1;
    this.control = new Int32Array(shared, 0, 4);
    this.sentAt = new Float64Array(shared, 16, 1);
  }

  /** Starts the broker and its evaluator in the background, if they are not running. */
  warm(): void {
    if (this.worker === null) this.start();
  }

  private stop(): void {
    const pid = Atomics.load(this.control, 2);
    if (pid > 0) kill(pid);
    void this.worker?.terminate();
    this.worker = null;
  }

  /** Sends one request and waits for its answer, or `timeout` once it has run `timeoutMs`. */
  run(
    request: { ctx: number; full: boolean; values: [string[], string | undefined][]; code: string },
    timeoutMs: number,
  ): Reply {
    if (this.worker === null) this.start();
    const { control } = this;
    const id = this.nextId++;
    Atomics.store(control, 1, id);
    Atomics.store(control, 0, QUEUED);
    this.port.postMessage({ id, ...request, drop: this.dropped.splice(0) });
    const posted = clock();
    for (;;) {
      const state = Atomics.load(control, 0);
      if (state === DONE) {
        const reply = this.receive(id);
        if (reply.broker) this.stop();
        return reply;
      }
      const now = clock();
      if (state === RUNNING) {
        const deadline = this.sentAt[0]! + timeoutMs;
        if (now < deadline) {
          Atomics.wait(control, 0, RUNNING, deadline - now);
          continue;
        }
        if (Atomics.compareExchange(control, 0, RUNNING, ABANDONED) !== RUNNING) continue; // it answered just now
        kill(Atomics.load(control, 2)); // the broker starts a fresh evaluator for the next request
        return { id, timeout: true };
      }
      // Queued: the evaluator is starting. Wake up at the time limit anyway, in case it started
      // and ran meanwhile (the broker does not wake this thread when an expression starts).
      if (now - posted >= STARTUP_MS) {
        if (Atomics.compareExchange(control, 0, QUEUED, ABANDONED) !== QUEUED) continue;
        this.stop();
        return { id, died: `the expression sandbox did not start within ${STARTUP_MS / 1000} s` };
      }
      Atomics.wait(control, 0, QUEUED, Math.min(timeoutMs, posted + STARTUP_MS - now));
    }
  }

  private receive(id: number): Reply {
    for (;;) {
      const message = receiveMessageOnPort(this.port);
      if (message === undefined) return { id, died: 'the expression sandbox answered nothing' };
      const reply = message.message as Reply;
      if (reply.id === id) return reply; // earlier ones are answers to requests given up on
    }
  }
}

const evaluators = new Map<number, Evaluator>();
function evaluatorFor(memoryMb: number): Evaluator {
  let evaluator = evaluators.get(memoryMb);
  if (evaluator === undefined) evaluators.set(memoryMb, (evaluator = new Evaluator(memoryMb)));
  return evaluator;
}

/** A Sandbox that is collected frees its VM in the evaluator. */
const collected = new FinalizationRegistry<{ evaluator: Evaluator; ctx: number }>(({ evaluator, ctx }) =>
  evaluator.dropped.push(ctx),
);
let nextContext = 1;

function kill(pid: number): void {
  try {
    if (pid > 0) process.kill(pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

/** An expression ready to run: on the host when it is straight-line, else (or when the host cannot answer) in the evaluator. */
interface Compiled {
  code: string;
  host?: () => unknown;
}

export interface SandboxOptions {
  /** `false` sends every expression to the evaluator (tests compare the two paths). */
  hostPath?: boolean;
  /** How much memory one expression may use, in MB (default 256). */
  memoryMb?: number;
}

/** Compiled expressions kept per resolver (see Sandbox.compiled). */
const MAX_COMPILED = 2048;

export class Sandbox {
  /**
   * Compiled expressions, per resolver (one per include namespace, engine/run/bindings.ts) and
   * then per expression: one file included twice has the same expression at the same place, read
   * in two namespaces (`gateway.health`, `billing.health`), which must not share a compiled script.
   * At most MAX_COMPILED per resolver, the oldest dropped first: a long runbook's memory does not
   * grow with the expressions it has finished with (a loop's are used again and again, and stay).
   */
  private readonly compiled = new WeakMap<Resolver, Map<string, Compiled>>();
  /** Every value set, by path (the last write to each path, in order): what a new evaluator is sent. */
  private readonly values = new Map<string, Held>();
  /** Values set since the evaluator last heard from this Sandbox. */
  private pending: Held[] = [];
  /** Whether the evaluator holds this Sandbox's VM and values (false: send them all). */
  private synced = false;
  private readonly ctx = nextContext++;
  private evaluator: Evaluator | null = null;
  /** The same values as the sandbox holds, for expressions evaluated on the host. */
  private readonly mirror: Record<string, unknown> = { steps: {}, __ns: {} };
  readonly memoryMb: number;

  constructor(
    private readonly timeoutMs = 1000,
    private readonly options: SandboxOptions = {},
  ) {
    this.memoryMb = options.memoryMb ?? 256;
    if (!Number.isInteger(this.memoryMb) || this.memoryMb < 1)
      throw new RangeError(`memoryMb must be a whole number of MB, not ${String(options.memoryMb)}`);
  }

  /** Makes a value visible at `path` (e.g. ['steps', 'stuck'] or ['inputs']). */
  set(path: string[], value: unknown): void {
    // The value as JSON would carry it, deep-frozen: a plain copy made at once, or (anything JSON
    // treats specially: toJSON, bigint, NaN, class instances) JSON.parse of its JSON text.
    const held: Held = { path, ...heldValue(value) };
    // Values reach the evaluator only with an expression that needs it (see remote).
    const key = JSON.stringify(path);
    this.values.delete(key);
    this.values.set(key, held);
    if (this.synced) this.pending.push(held);
    let target = this.mirror;
    for (const key of path.slice(0, -1)) target = (target[key] ??= {}) as Record<string, unknown>;
    target[path[path.length - 1]!] = held.copy;
  }

  /** Removes the value at `path`: reads of it give undefined, and nothing of it is kept. */
  delete(path: string[]): void {
    const key = JSON.stringify(path);
    if (!this.values.delete(key)) return;
    if (this.synced) this.pending.push({ path, copy: undefined, json: undefined });
    let target: Record<string, unknown> | undefined = this.mirror;
    for (const key of path.slice(0, -1)) {
      target = target[key] as Record<string, unknown> | undefined;
      if (target === undefined || target === null) return;
    }
    delete target[path[path.length - 1]!];
  }

  evaluate(expression: Expression, resolve: Resolver): unknown {
    const key = `${expression.source}\u0000${expression.span.start.offset}`;
    let scripts = this.compiled.get(resolve);
    if (scripts === undefined) this.compiled.set(resolve, (scripts = new Map()));
    let script = scripts.get(key);
    if (script === undefined) {
      script = this.compile(expression, resolve);
      if (scripts.size >= MAX_COMPILED) scripts.delete(scripts.keys().next().value!);
      scripts.set(key, script);
    }
    if (script.host) {
      try {
        return toHost(script.host());
      } catch {
        // NotOnHost, or an error: the sandbox gives the answer (and the error message) itself.
      }
    }
    return this.remote(expression, script.code);
  }

  /**
   * Starts the evaluator now, in the background (it takes ~0.1 s), instead of at the first
   * expression that needs it: for a caller that knows such expressions are coming. Never blocks.
   */
  warm(): void {
    evaluatorFor(this.memoryMb).warm();
  }

  /** Evaluates in the evaluator process, within the time and memory limits. */
  private remote(expression: Expression, code: string): unknown {
    if (this.evaluator === null) {
      this.evaluator = evaluatorFor(this.memoryMb);
      collected.register(this, { evaluator: this.evaluator, ctx: this.ctx });
    }
    const send = (): Reply => {
      const full = !this.synced;
      const reply = this.evaluator!.run(
        { ctx: this.ctx, full, values: (full ? [...this.values.values()] : this.pending).map(sent), code },
        this.timeoutMs,
      );
      this.pending = [];
      // Sent or lost with the evaluator: either way, the next request says what the evaluator needs.
      this.synced = !(reply.resync || reply.lost || reply.timeout || reply.memory || reply.died !== undefined);
      return reply;
    };
    let reply = send();
    if (reply.resync) reply = send();
    const shown = clip(expression.source);
    if (reply.timeout)
      throw new ExpressionError(`expression \`${shown}\` did not finish within ${this.timeoutMs} ms`, expression);
    if (reply.memory)
      throw new ExpressionError(`expression \`${shown}\` used more than ${this.memoryMb} MB`, expression);
    if (reply.died !== undefined)
      throw new ExpressionError(`expression \`${shown}\` failed: ${reply.died}`, expression);
    if (reply.compileError !== undefined)
      throw new ExpressionError(`expression \`${shown}\`: ${reply.compileError}`, expression);
    if (reply.error !== undefined)
      throw new ExpressionError(`expression \`${shown}\` failed: ${reply.error}`, expression);
    if (reply.resync)
      throw new ExpressionError(`expression \`${shown}\` failed: the expression sandbox lost its values`, expression);
    if (reply.json !== undefined) return JSON.parse(reply.json);
    if (reply.symbol !== undefined) return Symbol(reply.symbol);
    if (reply.bigint !== undefined) return BigInt(reply.bigint);
    if (reply.number !== undefined) return Number(reply.number);
    return reply.value;
  }

  private hostFunction(
    source: string,
    references: { root: string; path: string[] }[],
    resolve: Resolver,
  ): () => unknown {
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
      for (const key of path ?? [])
        value = value === null || value === undefined ? undefined : (value as Record<string, unknown>)[key];
      return value;
    };
    return () => evaluate(lookup);
  }

  private compile(expression: Expression, resolve: Resolver): Compiled {
    const analysis = analyzeExpression(expression.source);
    if (!analysis.ok)
      throw new ExpressionError(`expression \`${clip(expression.source)}\`: ${analysis.message}`, expression);
    const lines: string[] = [];
    const bound = new Set<string>();
    for (const ref of analysis.references) {
      if (bound.has(ref.root)) continue;
      bound.add(ref.root);
      const where = resolve(ref.root, ref.path);
      if (where === 'global') continue;
      if (where === 'unknown')
        throw new ExpressionError(
          `expression \`${clip(expression.source)}\`: \`${ref.root}\` is not defined`,
          expression,
        );
      lines.push(`const ${ref.root} = __get(${JSON.stringify(where)});`);
    }
    // Strict, and called with no `this`: an expression cannot reach the global object through it.
    const fn = `function () {\n'use strict';\n${lines.join('\n')}\nreturn (${expression.source}\n);\n}`;
    const code = `(${fn}).call(undefined)`;
    try {
      // Straight-line expressions need no sandbox: they are evaluated on the host, over the mirror.
      if (this.options.hostPath !== false && isStraightLine(expression.source))
        return { code, host: this.hostFunction(expression.source, analysis.references, resolve) };
      return { code };
    } catch (error) {
      throw new ExpressionError(`expression \`${clip(expression.source)}\`: ${(error as Error).message}`, expression);
    }
  }
}

export function isGlobalName(name: string): boolean {
  return JS_GLOBALS.has(name);
}

/**
 * A value the Sandbox holds: its deep-frozen copy (what host expressions read) and, made when an
 * evaluator first needs it, its JSON text (what the evaluator parses).
 */
interface Held {
  path: string[];
  copy: unknown;
  json?: string | undefined;
}

/**
 * What the Sandbox holds of a value: deep-frozen, as JSON would carry it into the evaluator
 * (JSON.parse of JSON.stringify with jsonSafe). Plain data is copied at once and its text made
 * only when an evaluator needs it; anything JSON treats specially (toJSON, bigint, NaN, class
 * instances) goes through the text, as it always did.
 */
export function heldValue(value: unknown): { copy: unknown; json?: string | undefined } {
  const copy = value === undefined ? UNUSUAL : frozenCopy(value, 0);
  if (copy !== UNUSUAL) return { copy };
  const json = value === undefined ? undefined : JSON.stringify(value, jsonSafe);
  return { copy: json === undefined ? undefined : deepFreeze(JSON.parse(json)), json };
}

/** What the evaluator is sent for a held value: its path and JSON text. */
function sent(held: Held): [string[], string | undefined] {
  if (!('json' in held)) held.json = JSON.stringify(held.copy);
  return [held.path, held.json];
}

/** Thrown out of frozenCopy's walk: JSON.stringify with jsonSafe, then JSON.parse, make this copy. */
const UNUSUAL = Symbol('unusual');

/** Deeper than this, frozenCopy leaves the value to JSON (which finds cycles). */
const COPY_DEPTH = 64;

/**
 * JSON.parse(JSON.stringify(value, jsonSafe)) deep-frozen, made in one walk for plain data:
 * strings, booleans, null, finite numbers (-0 is 0), arrays (undefined, a function or a symbol in
 * one is null) and objects whose prototype is Object.prototype or null (their own enumerable
 * string keys, in order; undefined, function and symbol members left out), none with a toJSON.
 * Anything else (bigint, NaN, ±Infinity, Dates, Maps, class instances, toJSON, deep nesting) is
 * UNUSUAL: the caller takes the JSON path, which handles it as it always did.
 */
function frozenCopy(value: unknown, depth: number): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) return UNUSUAL;
      return value === 0 ? 0 : value;
    case 'object':
      break;
    default:
      return UNUSUAL;
  }
  if (value === null) return null;
  if (depth > COPY_DEPTH || typeof (value as { toJSON?: unknown }).toJSON === 'function') return UNUSUAL;
  const proto: unknown = Object.getPrototypeOf(value);
  if (Array.isArray(value)) {
    if (proto !== Array.prototype) return UNUSUAL;
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') out.push(null);
      else {
        const copy = frozenCopy(item, depth + 1);
        if (copy === UNUSUAL) return UNUSUAL;
        out.push(copy);
      }
    }
    return Object.freeze(out);
  }
  if (proto !== Object.prototype && (proto !== null || isRawJson(value))) return UNUSUAL;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    const copy = frozenCopy(item, depth + 1);
    if (copy === UNUSUAL) return UNUSUAL;
    // As JSON.parse makes it: an own `__proto__` member, not the copy's prototype.
    if (key === '__proto__')
      Object.defineProperty(out, key, { value: copy, enumerable: true, writable: true, configurable: true });
    else out[key] = copy;
  }
  return Object.freeze(out);
}

/** JSON.rawJSON's objects (Node 21 and later): JSON writes their text as it is. */
const isRawJson = (JSON as { isRawJSON?: (value: unknown) => boolean }).isRawJSON ?? (() => false);

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
