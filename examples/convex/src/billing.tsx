/**
 * The React kit on Convex: `<CreditsProvider customer={…}>` fed from the `billing.customer` action (the org's
 * Autumn customer, through `@useautumn/convex`) — the kit's external-customer source — with top-ups through
 * `billing.topUp` (checkout / attach).
 */
import * as React from 'react';
import { CreditsProvider, type CreditTopUpPackage, type ExternalTopUpOutcome } from 'autumn-ai-credits';
import { useAction } from 'convex/react';
import { api } from '../convex/_generated/api';
import { credits } from '../convex/credits';

/** A customer read by an action: Convex has no reactive query over Autumn, so this refetches on demand. */
export function useActionCustomer(load: () => Promise<unknown>) {
  const [state, setState] = React.useState<{ customer: unknown; loading: boolean; error: unknown }>({ customer: undefined, loading: true, error: null });
  const latest = React.useRef(load);
  React.useEffect(() => {
    latest.current = load;
  });
  const refresh = React.useCallback(async () => {
    setState((current) => ({ ...current, loading: true }));
    try {
      const customer = await latest.current();
      setState({ customer, loading: false, error: null });
    } catch (error) {
      setState((current) => ({ ...current, loading: false, error }));
    }
  }, []);
  React.useEffect(() => {
    void refresh();
  }, [refresh]);
  return { ...state, refresh };
}

export interface BillingCreditsProps {
  /** Reads the org's Autumn customer (`billing.customer`). */
  loadCustomer: () => Promise<unknown>;
  /** Buys a top-up package (`billing.topUp`): `{ url }` to go to checkout, `{}` when bought in place. */
  buyTopUp: (pkg: CreditTopUpPackage) => Promise<{ url?: string }>;
  /** Where checkout sends the browser (default `window.location.assign`). */
  navigate?: (url: string) => void;
  locale?: string;
  children?: React.ReactNode;
}

/** The provider, from any loader: what `ConvexCredits` wires to Convex, and what tests drive directly. */
export function BillingCredits({ loadCustomer, buyTopUp, navigate, locale, children }: BillingCreditsProps) {
  const { customer, loading, error, refresh } = useActionCustomer(loadCustomer);
  const onTopUp = React.useCallback(async (pkg: CreditTopUpPackage): Promise<ExternalTopUpOutcome> => {
    const { url } = await buyTopUp(pkg);
    return url ? { url } : undefined; // no url: bought in place, the provider refreshes
  }, [buyTopUp]);
  return (
    <CreditsProvider config={credits} customer={customer} loading={loading} error={error} onRefresh={refresh} onTopUp={onTopUp} navigate={navigate} locale={locale}>
      {children}
    </CreditsProvider>
  );
}

/** `BillingCredits` on this app's Convex functions. */
export function ConvexCredits({ children, locale }: { children?: React.ReactNode; locale?: string }) {
  const customer = useAction(api.billing.customer);
  const topUp = useAction(api.billing.topUp);
  const loadCustomer = React.useCallback(() => customer({}), [customer]);
  const buyTopUp = React.useCallback((pkg: CreditTopUpPackage) => topUp({ packageId: pkg.id, successUrl: window.location.href }), [topUp]);
  return (
    <BillingCredits loadCustomer={loadCustomer} buyTopUp={buyTopUp} locale={locale}>
      {children}
    </BillingCredits>
  );
}
