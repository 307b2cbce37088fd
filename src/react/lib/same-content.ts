/** Structural equality for small JSON-like values: memo comparisons of props, and "is this customer a new answer". */

/**
 * Same value, or the same content: plain objects and arrays compared key by key, dates by time, down to `depth`
 * levels; anything else (class instances, functions, symbols) by identity.
 */
export function sameContent(a: unknown, b: unknown, depth: number): boolean {
  if (Object.is(a, b)) return true;
  if (depth === 0 || typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const proto = Object.getPrototypeOf(a) as unknown;
  if (proto !== Object.getPrototypeOf(b)) return false;
  if (a instanceof Date) return a.getTime() === (b as Date).getTime();
  if (proto !== Object.prototype && proto !== null && proto !== Array.prototype) return false;
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every((key) => Object.hasOwn(b, key) && sameContent((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], depth - 1))
  );
}

/**
 * `React.memo` comparison for components that take small plain objects (a cost record, labels): props → a cost
 * record → its usage → token details is 4 levels. So an app that rebuilds its messages' metadata on every render
 * still re-renders no badge.
 */
export function propsEqual(prev: object, next: object): boolean {
  return sameContent(prev, next, 4);
}
