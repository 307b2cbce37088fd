/** Prop comparison for `React.memo` of components that take small plain objects (a cost record, labels). */

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Equal when every prop is the same value, where plain-object props may be fresh copies with the same contents, down
 * to `depth` levels of objects (props → a cost record → its usage → token details is 4). So an app that rebuilds its
 * messages' metadata on every render still re-renders no badge. Arrays, class instances and functions compare by
 * identity.
 */
export function propsEqual(a: unknown, b: unknown, depth = 4): boolean {
  if (Object.is(a, b)) return true;
  if (depth === 0 || !isPlainObject(a) || !isPlainObject(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && propsEqual(a[key], b[key], depth - 1));
}
