/**
 * Array helpers that hold for any length. `target.push(...items)` and `Math.max(...values)` pass every element as an
 * argument, and V8 throws a RangeError past about a hundred thousand of them: a file with that many documents, a
 * chart rendering that many, or a text with that many backtick runs would otherwise crash a scan.
 */

/** Appends `items` to `target` in place. */
export function append<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}

/** The largest of `values`, or `empty` when there are none. */
export function maxOf(values: Iterable<number>, empty = -Infinity): number {
  let result = empty;
  for (const value of values) if (value > result) result = value;
  return result;
}

/** The smallest of `values`, or `empty` when there are none. */
export function minOf(values: Iterable<number>, empty = Infinity): number {
  let result = empty;
  for (const value of values) if (value < result) result = value;
  return result;
}
