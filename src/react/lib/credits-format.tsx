'use client';
/**
 * The slow-changing half of the credits setup — the config and the memoized formatters, never the balance — in a
 * context of its own. Components rendered by the thousand (`MessageCostBadge`) and lists (`UsageBreakdown`) read it
 * instead of the credits state, so a balance change re-renders none of them.
 *
 * `CreditsProvider` renders `<CreditsFormatProvider config locale currency>` around its children; without any
 * provider the components fall back to `defaultCreditsConfig` and the runtime locale.
 */
import * as React from 'react';
import type { CreditFormatters } from '../../core/format.js';
import { resolveCreditFormatters, resolveCreditsFormat, type CreditsFormat, type CreditsFormatOptions } from '../shared/credits-format.js';

export const CreditsFormatContext = React.createContext<CreditsFormat | null>(null);
CreditsFormatContext.displayName = 'CreditsFormatContext';

export type CreditsFormatProviderProps = CreditsFormatOptions & { children?: React.ReactNode };

/**
 * Provides the config and formatters to the kit's components below it. Its value changes only when `config`,
 * `locale`, `currency` or `timeZone` change. Nested providers inherit what they don't set.
 */
export function CreditsFormatProvider({ config, locale, currency, timeZone, children }: CreditsFormatProviderProps) {
  const inherited = React.useContext(CreditsFormatContext);
  const value = React.useMemo(
    () => resolveCreditsFormat({ config, locale, currency, timeZone }, inherited),
    [config, locale, currency, timeZone, inherited],
  );
  return <CreditsFormatContext.Provider value={value}>{children}</CreditsFormatContext.Provider>;
}

/**
 * What the nearest `CreditsFormatProvider` holds (null without one), as it is: for components that fall back to
 * their own light defaults rather than the full default config (the cost badge).
 */
export function useInheritedCreditsFormat(): CreditsFormat | null {
  return React.useContext(CreditsFormatContext);
}

/**
 * The config and formatters for a component: its own `config`/`locale`/`currency` props win, then the nearest
 * `CreditsFormatProvider` (rendered by `CreditsProvider`), then the defaults. Never subscribes to the balance.
 */
export function useCreditsFormat(options: CreditsFormatOptions = {}): CreditsFormat {
  const inherited = React.useContext(CreditsFormatContext);
  return resolveCreditsFormat(options, inherited);
}

/** `useCreditsFormat(options).formatters` without the default config, for a component that shows amounts only. */
export function useCreditFormatters(options: CreditsFormatOptions = {}): CreditFormatters {
  return resolveCreditFormatters(options, React.useContext(CreditsFormatContext));
}
