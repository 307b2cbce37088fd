/**
 * `autumn-ai-credits/autumn`: `AutumnCreditsProvider`, the credits provider that reads the customer with
 * autumn-js/react's `useCustomer()` inside `<AutumnProvider>` and buys top-ups through its client. **Needs autumn-js
 * 1.3.x** (`useAutumnClient`, which 0.1.x lacks).
 *
 * Its own entry so that the React entry (`autumn-ai-credits`) never imports autumn-js: it installs and loads next to
 * autumn-js 0.1.x (`@useautumn/convex`) and 1.3.x alike. The components and hooks come from `autumn-ai-credits`;
 * this provider feeds the same store they read.
 */
export { AutumnCreditsProvider, type AutumnCreditsProviderProps } from './autumn/autumn-credits-provider.js';
