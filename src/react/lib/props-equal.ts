/** Prop comparison for `React.memo` of components that take small plain objects (a cost record, labels). */

function shallowEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const aKeys = Object.keys(a);
  if (aKeys.length !== Object.keys(b).length) return false;
  return aKeys.every((key) => Object.prototype.hasOwnProperty.call(b, key) && Object.is((a as never)[key], (b as never)[key]));
}

/**
 * Equal when every prop is the same value, where plain-object props may be fresh copies with the same contents, down
 * to `depth` levels (a cost record holding a usage record holding token details is 3). So an app that rebuilds its
 * messages' metadata on every render still re-renders no badge.
 */
export function propsEqual(a: unknown, b: unknown, depth = 3): boolean {
  if (Object.is(a, b)) return true;
  if (depth === 0) return shallowEqual(a, b);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b) || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (Object.getPrototypeOf(a) !== Object.prototype && Object.getPrototypeOf(a) !== null) return false;
  const aKeys = Object.keys(a);
  if (aKeys.length !== Object.keys(b).length) return false;
  return aKeys.every(
    (key) => Object.prototype.hasOwnProperty.call(b, key) && propsEqual((a as never)[key], (b as never)[key], depth - 1),
  );
}
