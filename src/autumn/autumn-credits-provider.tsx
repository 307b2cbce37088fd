'use client';
/**
 * `AutumnCreditsProvider`: the credits provider fed by autumn-js/react. Rendered inside autumn-js's
 * `<AutumnProvider>`, it reads the customer with `useCustomer()` and buys top-ups through the same Autumn client
 * (`useAutumnClient().attach`), then hands both to the kit's one shared store (`useCreditsStore` / `ProvideCredits`
 * of `src/react/credits-provider.tsx`), so every component of `autumn-ai-credits` reads it through `useCredits()`.
 *
 * Needs autumn-js 1.3.x: `useAutumnClient` does not exist in autumn-js 0.1.x. That is why it lives in its own entry,
 * `autumn-ai-credits/autumn`, and the React entry never imports autumn-js: apps on `@useautumn/convex` (autumn-js
 * 0.1.x) use `<CreditsProvider customer={...}>` from the React entry and never load this module.
 */
import * as React from 'react';
import * as AutumnReact from 'autumn-js/react';
import { defaultCreditsConfig, type CreditsConfig, type CreditTopUpPackage } from '../core/config.js';
import { CreditsError } from '../core/errors.js';
import {
  ProvideCredits,
  useCreditsStore,
  type AttachOutcome,
  type CreditsProviderBaseProps,
} from '../react/credits-provider.js';

export interface AutumnCreditsProviderProps extends CreditsProviderBaseProps {
  /** Where Autumn checkout returns to after paying. Default the current page. */
  successUrl?: string | undefined;
}

/**
 * Provides the balance, the config and the credit actions to `useCredits()` and the kit's connected components,
 * reading the customer from autumn-js/react. Needs autumn-js 1.3.x and `<AutumnProvider>` above it. Behaves as
 * `<CreditsProvider>` does with a customer: optimistic `applyUsage`, `refresh()` (autumn-js's `refetch`), `topUp()`
 * through Autumn attach — with a checkout URL the browser goes there through `navigate`, a card on file completes in
 * place and the balance is refetched.
 */
export function AutumnCreditsProvider({
  config = defaultCreditsConfig,
  locale,
  currency,
  timeZone,
  navigate,
  successUrl,
  children,
}: AutumnCreditsProviderProps) {
  // A namespace import, checked before any hook: with autumn-js 0.1.x (which has no `useAutumnClient`) a bundler
  // that leaves the missing export undefined gets this message instead of "useAutumnClient is not a function".
  if (typeof AutumnReact.useAutumnClient !== 'function') {
    throw new CreditsError(
      'invalid_config',
      'AutumnCreditsProvider (autumn-ai-credits/autumn) needs autumn-js 1.3.x; the installed autumn-js/react has no useAutumnClient (0.1.x?). ' +
        "With @useautumn/convex or autumn-js 0.1.x, use <CreditsProvider customer={...}> from 'autumn-ai-credits'.",
    );
  }
  const { data, isLoading, error, refetch } = AutumnReact.useCustomer();
  // The client's attach, not useCustomer's: that one sets window.location itself, so the provider could neither
  // report `redirecting` first nor let tests and routers navigate.
  const client = AutumnReact.useAutumnClient({ caller: 'AutumnCreditsProvider' });
  const attach = React.useCallback(
    async (pkg: CreditTopUpPackage): Promise<AttachOutcome> => {
      const response = await client.attach({
        planId: pkg.planId,
        ...featureQuantities(pkg, config),
        ...returnTo(successUrl),
      });
      return { url: typeof response.paymentUrl === 'string' && response.paymentUrl !== '' ? response.paymentUrl : null };
    },
    [client, config, successUrl],
  );
  const value = useCreditsStore({
    customer: data ?? null,
    loading: isLoading,
    error: error ?? null,
    config,
    refetch,
    attach,
    navigate,
  });
  return (
    <ProvideCredits value={value} config={config} locale={locale} currency={currency} timeZone={timeZone}>
      {children}
    </ProvideCredits>
  );
}

function featureQuantities(pkg: CreditTopUpPackage, config: CreditsConfig) {
  const packs = pkg.quantity ?? 1;
  if (!(packs > 1) || !Number.isFinite(packs)) return {};
  // Autumn's prepaid quantity counts credits (billed per pack).
  return { featureQuantities: [{ featureId: config.featureId, quantity: pkg.credits * packs }] };
}

/** Where checkout returns to: the given URL, else the current page (what autumn-js/react does too). */
function returnTo(successUrl: string | undefined): { successUrl?: string } {
  const url = successUrl ?? (typeof window === 'undefined' ? undefined : window.location.href);
  return url === undefined ? {} : { successUrl: url };
}
