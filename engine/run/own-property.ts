/**
 * `out[name] = value` for a name that comes from outside (an input, a profile's input, an
 * include's `with=`), also when it is `__proto__`: plain assignment would set the object's
 * prototype, defineProperty makes it an own key like any other.
 *
 * engine/drivers/sqlite-worker.cjs does the same for a column named `__proto__` with its own
 * copy: it is plain CommonJS forked as a separate process, and cannot import this module.
 */
export function setOwn<T>(out: Record<string, T>, name: string, value: T): void {
  Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
}
