// The expression sandbox's two helpers (see sandbox.ts), in one plain CommonJS file so it runs
// as-is from the TypeScript sources (vitest) and from dist/ (scripts/build.mjs copies it there).
//
// - The evaluator: a child process holding vm2, one VM per Sandbox. It evaluates whatever
//   expression it is sent, with no limit of its own: a process can always be stopped from
//   outside (SIGKILL), whatever it is doing, and its memory dies with it. A worker thread
//   cannot be: a builtin that runs long without checking for interrupts (Array.prototype.fill
//   on a huge sparse array) ignores Worker.terminate(), and a worker that reaches its heap limit
//   inside one takes the whole process down (V8's "heap out of memory" is fatal).
// - The broker: a worker thread of the host process that owns the evaluator, so that the host
//   can wait for an answer synchronously (Atomics.wait) while this thread's event loop does the
//   IPC. It watches the evaluator's resident memory while an expression runs and kills it past
//   the limit; the host kills it past the time limit. Either way the next request goes to a fresh
//   evaluator (after the first overrun, one is kept started as a spare), and each Sandbox sends
//   its values again (the evaluator says it lost them).
//
// Shared control block (Int32Array over a SharedArrayBuffer, then a Float64 at byte 16):
//   [0] state: 1 queued (host posted), 2 running (sent to a ready evaluator), 3 done (answer
//       posted on the port), 4 abandoned (the host gave up on it)
//   [1] id of the host's current request   [2] pid of the evaluator running it
//   f64[0] when it was sent, as performance.timeOrigin + performance.now() (the time limit counts from here)
// Requests: { id, ctx, full, values: [[path, json]], code, drop: [ctx], applied }; `applied`
// asks the evaluator to say { id, applied, rss } once it has applied the values. Answers: { id, value } |
// { id, json } | { id, symbol } | { id, bigint } | { id, number } | { id, error } |
// { id, compileError } | { id, resync } | { id, memory } | { id, died }; an evaluator adds `rss`
// (its resident bytes) to what it answers.
'use strict';
const { isMainThread } = require('node:worker_threads');

const QUEUED = 1,
  RUNNING = 2,
  DONE = 3;
/** Values larger than this (JSON characters) are applied before the expression's limits start. */
const BIG_BATCH = 256 * 1024;
/** How long applying such a batch may take. */
const APPLY_MS = 60_000;

function broker() {
  const { workerData } = require('node:worker_threads');
  const { fork } = require('node:child_process');
  const { readFileSync } = require('node:fs');
  const { port, control, memoryMb } = workerData;
  const ctl = new Int32Array(control, 0, 4);
  const sentAt = new Float64Array(control, 16, 1);
  const limitBytes = memoryMb * 1024 * 1024;
  const now = () => performance.timeOrigin + performance.now();
  /** @type {{ process: import('node:child_process').ChildProcess, ready: boolean, rss: number, stderr: string } | null} */
  let child = null;
  /**
   * After the first overrun, a second evaluator is kept started, so that the expression after an
   * overrun does not wait for a new one to start (~0.1-0.2 s). Runs without overruns never pay for it.
   * A new spare starts as soon as one is taken. (A request that finds the spare still starting uses
   * it anyway: it is further along than a new one.)
   */
  let spare = null;
  let keepSpare = false;
  /** Has the spare the next request will need (after the first overrun), or one starting. */
  const keepSpareStarted = () => {
    if (keepSpare && spare === null) spare = start();
  };
  /** A request that arrived before the evaluator was ready. */
  let waiting = null;
  /** The request the evaluator is running: { id, child, poll }. */
  let current = null;

  const answer = (reply, from) => {
    port.postMessage(reply); // before the state changes: the host reads it as soon as it sees `done`
    if (Atomics.compareExchange(ctl, 0, from, DONE) === from) Atomics.notify(ctl, 0);
  };

  const finish = (reply) => {
    clearInterval(current.poll);
    current = null;
    answer(reply, RUNNING);
  };

  const start = () => {
    // V8's own heap limit is only a backstop (the watch below answers first and faster: V8 near its
    // limit spends seconds in last-resort collections); small young generations keep garbage from
    // counting as memory used.
    const oldSpace = Math.max(2 * memoryMb, memoryMb + 128);
    const semiSpace = Math.max(1, Math.min(16, Math.floor(memoryMb / 16)));
    const env = {};
    for (const [k, v] of Object.entries(process.env))
      if (k === 'TZ' || k === 'LANG' || k === 'LANGUAGE' || k.startsWith('LC_') || k === 'NODE_ICU_DATA') env[k] = v;
    const c = { process: null, ready: false, rss: 0, stderr: '' };
    c.process = fork(__filename, [String(memoryMb)], {
      // the limit in its command line says which evaluator it is in `ps`
      execArgv: [`--max-old-space-size=${oldSpace}`, `--max-semi-space-size=${semiSpace}`],
      env,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json', // faster than 'advanced'; out() encodes what JSON cannot carry
    });
    c.process.stderr.setEncoding('utf8').on('data', (chunk) => (c.stderr = (c.stderr + chunk).slice(-4000)));
    c.process.on('message', (message) => {
      c.rss = message.rss ?? c.rss;
      if (message.ready) {
        c.ready = true;
        if (c !== child) return; // the spare: it waits for its turn
        if (waiting !== null) {
          const request = waiting;
          waiting = null;
          forward(request);
        }
        return;
      }
      if (current === null || current.child !== c || current.id !== message.id) return;
      if (message.applied) {
        current.baseline = message.rss;
        current.applying = false;
        sentAt[0] = now();
        Atomics.notify(ctl, 0); // the host waits for the far deadline set in forward(): it recomputes
        return;
      }
      finish(message);
    });
    c.process.on('error', () => {}); // reported through 'exit'
    // 'close' comes after the last of its stderr (a fatal OOM message) has been read.
    c.process.on('close', (code, signal) => {
      if (child === c) child = null;
      if (spare === c) spare = null;
      const outOfMemory = /heap out of memory|Allocation failed|allocation failure/i.test(c.stderr);
      // What it said that matters (the error line, not the stack or the Node.js version line).
      const lines = c.stderr
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '' && !l.startsWith('at ') && !/^Node\.js v/.test(l) && !/^[\^~ ]+$/.test(l));
      const said = lines.find((l) => /error/i.test(l)) ?? lines[lines.length - 1];
      const why = `${signal ?? `exit code ${code}`}${said ? `: ${said.slice(0, 300)}` : ''}`;
      if (current !== null && current.child === c)
        finish(
          outOfMemory
            ? { id: current.id, memory: true }
            : { id: current.id, died: `the expression sandbox stopped unexpectedly (${why})` },
        );
      if (!c.ready && waiting !== null && child === null) {
        // It never started: say why instead of trying forever.
        const request = waiting;
        waiting = null;
        answer({ id: request.id, died: `the expression sandbox could not start (${why})` }, QUEUED);
      }
      // Killed for time or memory (or crashed) after it had served: have the next one ready, and a spare.
      if (c.ready && child === null) {
        keepSpare = true;
        child = next();
      }
      if (c.ready) keepSpareStarted(); // (one that never started would not start again either)
    });
    return c;
  };

  /** Resident pages × page size (the page size from this process's own statm and RSS). */
  let pageSize = 0;
  const residentBytes = (pid) => {
    if (pageSize === 0)
      pageSize =
        2 **
        Math.round(
          Math.log2(process.memoryUsage.rss() / Number(readFileSync('/proc/self/statm', 'latin1').split(' ')[1])),
        );
    return Number(readFileSync(`/proc/${pid}/statm`, 'latin1').split(' ')[1]) * pageSize;
  };

  /** The evaluator to use next: the spare if there is one, else a new one. */
  const next = () => {
    if (spare === null) return start();
    const c = spare;
    spare = null;
    return c;
  };

  /** Stops an evaluator that ran out of time or memory; the next one is the spare, kept from now on. */
  const discard = (c) => {
    try {
      c.process.kill('SIGKILL');
    } catch {}
    keepSpare = true;
    if (child === c) child = next();
    keepSpareStarted();
  };

  const forward = (request) => {
    // Superseded or abandoned while waiting for an evaluator.
    if (Atomics.load(ctl, 1) !== request.id || Atomics.load(ctl, 0) !== QUEUED) return;
    const c = child;
    // Values are the run's own data, not the expression's doing: a large batch (all of them, to a
    // fresh evaluator) is applied first, and the expression's time and memory count from there. So
    // is a full request's new VM (the first, or the next after a time-out killed the evaluator):
    // making it is not the expression's doing either, and on a loaded machine, while the killed
    // evaluator's memory is still being given back, it took more than a 300 ms limit.
    let size = 0;
    for (const [, json] of request.values) size += json === undefined ? 0 : json.length;
    request.applied = size > BIG_BATCH || request.full === true;
    Atomics.store(ctl, 2, c.process.pid);
    sentAt[0] = request.applied ? now() + APPLY_MS : now();
    if (Atomics.compareExchange(ctl, 0, QUEUED, RUNNING) !== QUEUED) return;
    const watching = { id: request.id, child: c, poll: undefined, baseline: c.rss, applying: request.applied };
    current = watching;
    c.process.send(request);
    // Only expressions that run longer than a few milliseconds are ever looked at.
    watching.poll = setInterval(() => {
      if (current !== watching || watching.applying) return;
      let rss;
      try {
        rss = residentBytes(c.process.pid);
      } catch {
        clearInterval(watching.poll); // no /proc here: V8's heap limit is the only bound
        return;
      }
      if (rss - watching.baseline > limitBytes) {
        discard(c);
        finish({ id: watching.id, memory: true });
      }
    }, 1); // ~15 µs a look: a fast allocator (1-2 GB/s) gains a MB or two between two looks
  };

  port.on('message', (request) => {
    if (current !== null) {
      // The host sends a request only once it is done with the previous one: it gave up on that
      // one at its time limit and killed the evaluator running it. Do not wait to hear of the exit.
      clearInterval(current.poll);
      const dead = current.child;
      current = null;
      discard(dead);
    }
    if (child === null) child = next();
    if (child.ready) forward(request);
    else waiting = request;
  });
  // A bug here must not leave the host waiting: it hears of it as the answer to its request.
  process.on('uncaughtException', (error) => {
    for (const c of [child, spare]) if (c !== null) c.process.kill('SIGKILL');
    port.postMessage({
      id: Atomics.load(ctl, 1),
      died: `the expression sandbox failed: ${error?.message}`,
      broker: true,
    });
    Atomics.store(ctl, 0, DONE);
    Atomics.notify(ctl, 0);
    process.exit(1);
  });
  child = start(); // the host starts this thread when it first needs the sandbox
}

function evaluator() {
  const { VM, VMScript } = require('vm2');
  /** ctx id → { vm, put } */
  const contexts = new Map();
  /** Compiled scripts by code (a VMScript runs in any VM). */
  const scripts = new Map();
  const rss = () => process.memoryUsage.rss();

  const jsonSafe = (_key, value) => {
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
    return value;
  };
  const messageOf = (error) => {
    try {
      if (error !== null && error !== undefined && error.message !== undefined) return String(error.message);
      return String(error);
    } catch {
      return 'an error that cannot be shown';
    }
  };
  /** A value coming out of the sandbox, in a form that crosses to the host as a plain copy. */
  const out = (value) => {
    if (typeof value === 'function') return { value: '[function]' };
    if (typeof value === 'symbol') return { symbol: value.description };
    if (typeof value === 'bigint') return { bigint: value.toString() };
    if (typeof value === 'number' && (!Number.isFinite(value) || Object.is(value, -0)))
      return { number: Object.is(value, -0) ? '-0' : String(value) };
    if (value === null || typeof value !== 'object') return { value }; // undefined: no `value` at all
    let json;
    try {
      json = JSON.stringify(value, jsonSafe);
    } catch {}
    if (typeof json === 'string') return { json };
    return { value: String(value) };
  };
  const open = () => {
    const vm = new VM({ eval: false, wasm: false, allowAsync: false });
    return { vm, put: vm.run(SETUP) };
  };

  const handle = (m) => {
    for (const id of m.drop) contexts.delete(id);
    let context = contexts.get(m.ctx);
    if (m.full || context === undefined) {
      if (!m.full) return { id: m.id, resync: true };
      context = open();
      contexts.set(m.ctx, context);
    }
    try {
      for (const [path, json] of m.values) context.put(path, json === null ? undefined : json); // JSON IPC sends undefined as null
    } catch (error) {
      contexts.delete(m.ctx); // half-applied: the host sends everything again next time
      return { id: m.id, error: messageOf(error), lost: true };
    }
    if (m.applied) process.send({ id: m.id, applied: true, rss: rss() });
    let script = scripts.get(m.code);
    if (script === undefined) {
      try {
        script = new VMScript(m.code).compile();
      } catch (error) {
        return { id: m.id, compileError: messageOf(error) };
      }
      if (scripts.size > 5000) scripts.clear();
      scripts.set(m.code, script);
    }
    try {
      return { id: m.id, ...out(context.vm.run(script)) };
    } catch (error) {
      return { id: m.id, error: messageOf(error) };
    }
  };

  process.on('message', (m) => {
    let reply;
    try {
      reply = handle(m);
    } catch (error) {
      reply = { id: m.id, error: messageOf(error) };
    }
    reply.rss = rss();
    process.send(reply);
  });
  process.on('disconnect', () => process.exit(0)); // the host is gone
  process.send({ ready: true, rss: rss() });
}

/**
 * Runs once in each new VM. It freezes every built-in object and makes the global bindings of the
 * built-ins read-only, so no expression can change what a later one sees (`Array.prototype.x = 1`,
 * `Object.assign(globalThis, { Math: … })`). The scope lives in a closure: expressions read it only
 * through `__get`, which hands out deep-frozen values and frozen snapshots of the containers
 * (`steps`), and the writer (`put`) is returned to the evaluator, never left on the global object.
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
  // Parsed JSON is plain objects and arrays over the (now frozen) built-in prototypes: freezing each
  // one as it is made (bottom-up) deep-freezes the value, several times faster than walking it after.
  const frozen = (key, value) => (typeof value === 'object' && value !== null ? freezeObject(value) : value);
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
    target[path[path.length - 1]] = json === undefined ? undefined : parse(json, frozen);
  };
})()
`;

if (!isMainThread) broker();
else if (typeof process.send === 'function') evaluator();
else {
  process.stderr.write('sandbox-worker.cjs is started by the expression sandbox, not run by hand\n');
  process.exitCode = 2;
}
