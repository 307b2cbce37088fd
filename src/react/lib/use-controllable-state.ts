'use client';
import * as React from 'react';

/**
 * Controlled and uncontrolled from one hook (Radix's `useControllableState`): `prop` wins when defined, else the
 * internal state starting at `defaultProp`; `onChange` is called on every change either way.
 */
export function useControllableState<T>({
  prop,
  defaultProp,
  onChange,
}: {
  prop: T | undefined;
  defaultProp: T;
  onChange?: ((value: T) => void) | undefined;
}): [T, (value: T) => void] {
  const [uncontrolled, setUncontrolled] = React.useState(defaultProp);
  const controlled = prop !== undefined;
  const value = controlled ? prop : uncontrolled;
  const onChangeRef = React.useRef(onChange);
  React.useEffect(() => {
    onChangeRef.current = onChange;
  });
  const setValue = React.useCallback(
    (next: T) => {
      if (!controlled) setUncontrolled(next);
      if (!Object.is(next, value)) onChangeRef.current?.(next);
    },
    [controlled, value],
  );
  return [value, setValue];
}
