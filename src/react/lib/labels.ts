/**
 * A component's labels: its defaults with the app's overrides on top. No overrides: the defaults object itself, so
 * the labels keep their identity across renders.
 */
export function withLabels<T extends object>(defaults: T, overrides: Partial<T> | undefined): T {
  return overrides ? { ...defaults, ...overrides } : defaults;
}
