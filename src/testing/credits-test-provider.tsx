'use client';
/**
 * `CreditsTestProvider`: the kit's components with a given balance in one line, for your own tests and stories —
 * no Autumn, no network. Built on `CreditsProvider`'s external-customer source; top-ups complete in place and grow
 * the balance unless you pass `onTopUp`.
 *
 * ```tsx
 * render(<CreditsTestProvider balance={120}><ChatInput /></CreditsTestProvider>);
 * render(<ChatInput />, { wrapper: creditsWrapper({ level: 'empty' }) });
 * ```
 */
import * as React from 'react';
import { defaultCreditsConfig, defaultPlan, type CreditsConfig, type CreditTopUpPackage } from '../core/config.js';
import type { CreditLevel } from '../core/customer.js';
import { addCredits } from '../core/money.js';
import { CreditsProvider, type ExternalTopUpOutcome, type NavigateFunction } from '../react/credits-provider.js';

/** Customer id of the test customer. */
export const TEST_CUSTOMER_ID = 'test_customer';
/** Overage shown by `level="overage"` without a balance: 5% of the grant. */
const DEFAULT_OVERAGE_FRACTION = 0.05;

export interface CreditsTestProviderProps {
  /**
   * Credits left (negative: overdrawn, with `overageAllowed`; shown as Autumn reports it, `remaining: 0` and usage past
   * the grant). Default: what `level` implies, else the full grant.
   */
  balance?: number | undefined;
  /** Credits granted this period. Default: the config's default plan's credits, at least `balance`. */
  granted?: number | undefined;
  /**
   * A level to show: without `balance` it picks one (low: half the threshold; empty: 0; overage: 5% over);
   * `unlimited` and `overage` also set the matching flags.
   */
  level?: CreditLevel | undefined;
  overageAllowed?: boolean | undefined;
  /** Next reset (ms since epoch). */
  nextResetAt?: number | null | undefined;
  /** Show the loading state. */
  loading?: boolean | undefined;
  /** Show the error state (`true` for a generic error). */
  error?: unknown;
  config?: CreditsConfig | undefined;
  locale?: string | undefined;
  currency?: string | undefined;
  timeZone?: string | undefined;
  /** Default: completes at once and adds the package's credits to the balance. */
  onTopUp?: ((pkg: CreditTopUpPackage) => Promise<ExternalTopUpOutcome> | ExternalTopUpOutcome) | undefined;
  onRefresh?: (() => unknown) | undefined;
  /** Receives checkout URLs an `onTopUp` answers with (default: does nothing, so tests never navigate). */
  navigate?: NavigateFunction | undefined;
  children?: React.ReactNode;
}

/** The balance as Autumn 1.x reports it: `remaining` floored at 0, overage as `usage` past `granted`. */
interface Numbers {
  remaining: number;
  granted: number;
  usage: number;
}

function autumnNumbers(remaining: number, granted: number): Numbers {
  return { remaining: Math.max(0, remaining), granted, usage: Math.max(0, granted - remaining) };
}

function initialNumbers({ balance, granted, level, config }: Pick<CreditsTestProviderProps, 'balance' | 'granted' | 'level'> & { config: CreditsConfig }): Numbers {
  const planCredits = defaultPlan(config)?.credits ?? 0;
  const grant = granted ?? Math.max(planCredits, typeof balance === 'number' && Number.isFinite(balance) ? balance : 0);
  if (balance !== undefined) return autumnNumbers(balance, grant);
  switch (level) {
    case 'low':
      return autumnNumbers(Math.floor((grant * config.lowBalanceThreshold) / 2), grant);
    case 'empty':
      return autumnNumbers(0, grant);
    case 'overage':
      return autumnNumbers(-Math.ceil(grant * DEFAULT_OVERAGE_FRACTION), grant);
    default:
      return autumnNumbers(grant, grant);
  }
}

const ignoreNavigation: NavigateFunction = () => {};

/** Renders `children` inside a `CreditsProvider` holding the given balance. */
export function CreditsTestProvider({
  balance,
  granted,
  level,
  overageAllowed,
  nextResetAt = null,
  loading = false,
  error,
  config = defaultCreditsConfig,
  locale,
  currency,
  timeZone,
  onTopUp,
  onRefresh,
  navigate = ignoreNavigation,
  children,
}: CreditsTestProviderProps) {
  const initial = React.useMemo(() => initialNumbers({ balance, granted, level, config }), [balance, granted, level, config]);
  // Top-ups add to this copy; new props start over.
  const [numbers, setNumbers] = React.useState(initial);
  const [seenInitial, setSeenInitial] = React.useState(initial);
  if (seenInitial !== initial) {
    setSeenInitial(initial);
    setNumbers(initial);
  }

  const unlimited = level === 'unlimited';
  const overage = overageAllowed ?? level === 'overage';
  const customer = React.useMemo(
    () => ({
      id: TEST_CUSTOMER_ID,
      name: 'Test Customer',
      balances: {
        [config.featureId]: {
          featureId: config.featureId,
          granted: numbers.granted,
          remaining: numbers.remaining,
          usage: numbers.usage,
          unlimited,
          overageAllowed: overage,
          nextResetAt,
        },
      },
    }),
    [config.featureId, numbers, unlimited, overage, nextResetAt],
  );

  const topUp = React.useCallback(
    async (pkg: CreditTopUpPackage): Promise<ExternalTopUpOutcome> => {
      if (onTopUp) return onTopUp(pkg);
      const credits = pkg.credits * (pkg.quantity ?? 1);
      // A top-up is a grant of its own: it adds what it holds, and past usage (overage included) stays usage.
      setNumbers((current) => ({
        remaining: addCredits(current.remaining, credits),
        granted: addCredits(current.granted, credits),
        usage: current.usage,
      }));
      return { kind: 'completed' };
    },
    [onTopUp],
  );

  return (
    <CreditsProvider
      source="external"
      customer={customer}
      loading={loading}
      error={error === true ? new Error('Could not load the credit balance') : error}
      config={config}
      locale={locale}
      currency={currency}
      timeZone={timeZone}
      navigate={navigate}
      onRefresh={onRefresh}
      onTopUp={topUp}
    >
      {children}
    </CreditsProvider>
  );
}

/** A Testing Library `wrapper`: `render(ui, { wrapper: creditsWrapper({ balance: 120 }) })`. */
export function creditsWrapper(options: Omit<CreditsTestProviderProps, 'children'> = {}) {
  return function CreditsWrapper({ children }: { children?: React.ReactNode }) {
    return <CreditsTestProvider {...options}>{children}</CreditsTestProvider>;
  };
}
