/**
 * The consumer's handler runs first, then the component's own — unless the consumer called `preventDefault()`
 * (Radix's `composeEventHandlers`).
 */
export function composeEventHandlers<E extends { defaultPrevented: boolean }>(
  theirs: ((event: E) => void) | undefined,
  ours: (event: E) => void,
): (event: E) => void {
  return (event) => {
    theirs?.(event);
    if (!event.defaultPrevented) ours(event);
  };
}

/** A click that a finger made (in browsers a click is a `PointerEvent`, whose `pointerType` names the pointer). */
export function tapped(event: { nativeEvent: unknown }): boolean {
  return (event.nativeEvent as { pointerType?: unknown }).pointerType === 'touch';
}
