/**
 * The context behind a component's composable parts (issue 16), in the Radix manner: the root provides what it
 * resolved once (state, formatters, labels, handlers), each exported part reads it through the returned hook, and a
 * part rendered outside its root fails loudly (React's error names the part; the message names the root).
 */
import * as React from 'react';

export function createPartsContext<T>(root: string): readonly [React.Provider<T | null>, () => T] {
  const Context = React.createContext<T | null>(null);
  return [
    Context.Provider,
    () => {
      const value = React.useContext(Context);
      if (value === null) throw new Error(`${root} parts must be used within <${root}>`);
      return value;
    },
  ];
}
