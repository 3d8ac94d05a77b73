/**
 * Adds every item to the end of `target`. `target.push(...items)` passes the items as arguments,
 * one stack slot each: with 100,000 or more (the blocks of a megabyte of one-line lists, the
 * diagnostics of a generated file) it throws `RangeError: Maximum call stack size exceeded`.
 */
export function append<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}
