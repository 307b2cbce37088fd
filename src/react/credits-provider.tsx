'use client';
/**
 * `CreditsProvider`: builds the `CreditsContextValue` (see `credits-context.ts`) from one of two customer sources.
 *
 * - **autumn-js/react** (the default): rendered inside autumn-js's `<AutumnProvider>`, it reads the customer with
 *   `useCustomer()` and buys top-ups through the same Autumn client.
 * - **an external customer** (`customer` prop, or `source="external"`): any shape `normalizeCustomer` reads — an
 *   autumn-js 1.x customer, a 0.x `@useautumn/convex` customer, a backend-SDK result — with `loading`, `error`,
 *   `onRefresh` and `onTopUp` supplied by the app (Convex, SWR, server components...). `customer={undefined}` is the
 *   external source still loading (a Convex `useQuery` starts that way), not the autumn-js source.
 *
 * Hooks cannot be conditional, so each source is its own inner component (`AutumnCreditsSource`,
 * `ExternalCreditsSource`); both feed `useCreditsStore`, the one shared core: normalization, optimistic usage and
 * the top-up flow. Switching source remounts the subtree.
 */
import * as React from 'react';
import { useAutumnClient, useCustomer } from 'autumn-js/react';
import { defaultCreditsConfig, type CreditsConfig, type CreditTopUpPackage } from '../core/config.js';
import { applyCreditUsage, normalizeCustomer } from '../core/customer.js';
import { CreditsError } from '../core/errors.js';
import { creditsToUnits, parseDecimal, unitsToCredits } from '../core/money.js';
import {
  CreditsContext,
  type CreditsContextValue,
  type TopUpResult,
  type TopUpState,
} from './credits-context.js';
import { CreditsFormatProvider } from './lib/credits-format.js';
import { sameContent } from './lib/same-content.js';

/** What an external `onTopUp` may answer: a `TopUpResult`, `{ url }` to send the browser to checkout, or nothing (done in place). */
export type ExternalTopUpOutcome = TopUpResult | { readonly url: string } | void | undefined;

/** Sends the browser to a checkout URL. Default `window.location.assign(url)`. */
export type NavigateFunction = (url: string) => void;

export interface CreditsProviderBaseProps {
  /** The credits config (plans, top-ups, feature id, threshold). Default `defaultCreditsConfig`. */
  config?: CreditsConfig | undefined;
  /** BCP 47 tag for numbers and dates. Default the runtime's. */
  locale?: string | undefined;
  /** ISO 4217 code for money. Default the config's currency. */
  currency?: string | undefined;
  /** Replaces `window.location.assign` when a top-up needs a checkout page (tests, stories, routers). */
  navigate?: NavigateFunction | undefined;
  children?: React.ReactNode;
}

export interface AutumnCreditsProviderProps extends CreditsProviderBaseProps {
  /** `autumn` (default): read the customer with autumn-js/react's `useCustomer()`; needs `<AutumnProvider>` above. */
  source?: 'autumn' | undefined;
  /** Where Autumn checkout returns to after paying. Default the current page. */
  successUrl?: string | undefined;
  customer?: never;
}

export interface ExternalCreditsProviderProps extends CreditsProviderBaseProps {
  source?: 'external' | undefined;
  /** The customer as the app fetched it; `undefined`/`null` while loading. */
  customer: unknown;
  /** The customer is being (re)fetched. */
  loading?: boolean | undefined;
  /** Fetching failed; the components show an error with a Retry action. */
  error?: unknown;
  /** Refetch the customer. Optimistic deductions made before the call are dropped once it resolves. */
  onRefresh?: (() => unknown) | undefined;
  /**
   * Buy a top-up package. Answer `{ url }` (or `{ kind: 'redirect', url }`) to send the browser to checkout, or
   * resolve with nothing when the purchase completed in place (the provider then refreshes). Without it, `topUp`
   * fails with a `CreditsError`.
   */
  onTopUp?: ((pkg: CreditTopUpPackage) => Promise<ExternalTopUpOutcome> | ExternalTopUpOutcome) | undefined;
}

export type CreditsProviderProps = AutumnCreditsProviderProps | ExternalCreditsProviderProps;

/** The state of no top-up yet. */
export const IDLE_TOP_UP_STATE: TopUpState = Object.freeze({ status: 'idle', packageId: null, error: null });

/**
 * Provides the balance, the config and the credit actions to `useCredits()` and the connected components, and the
 * config/formatters to `CreditsFormatProvider`.
 */
export function CreditsProvider(props: CreditsProviderProps) {
  const external = props.source === 'external' || (props.source !== 'autumn' && 'customer' in props);
  return external ? (
    <ExternalCreditsSource {...(props as ExternalCreditsProviderProps)} />
  ) : (
    <AutumnCreditsSource {...(props as AutumnCreditsProviderProps)} />
  );
}

// ------------------------------------------------------------------ sources

/** What a source tells the store about one top-up attempt. */
type AttachOutcome = { readonly url: string | null };

interface StoreInput {
  readonly customer: unknown;
  readonly loading: boolean;
  readonly error: unknown;
  readonly config: CreditsConfig;
  readonly refetch: () => Promise<unknown>;
  readonly attach: (pkg: CreditTopUpPackage) => Promise<AttachOutcome>;
  readonly navigate: NavigateFunction | undefined;
}

function AutumnCreditsSource({ config = defaultCreditsConfig, locale, currency, navigate, successUrl, children }: AutumnCreditsProviderProps) {
  const { data, isLoading, error, refetch } = useCustomer();
  // The client's attach, not useCustomer's: that one sets window.location itself, so the provider could neither
  // report `redirecting` first nor let tests and routers navigate.
  const client = useAutumnClient({ caller: 'CreditsProvider' });
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
    <ProvideCredits value={value} config={config} locale={locale} currency={currency}>
      {children}
    </ProvideCredits>
  );
}

function ExternalCreditsSource({
  config = defaultCreditsConfig,
  locale,
  currency,
  navigate,
  customer,
  loading = false,
  error,
  onRefresh,
  onTopUp,
  children,
}: ExternalCreditsProviderProps) {
  const latest = useLatest({ onRefresh, onTopUp });
  const refetch = React.useCallback(async () => {
    await latest.current.onRefresh?.();
  }, [latest]);
  const attach = React.useCallback(
    async (pkg: CreditTopUpPackage): Promise<AttachOutcome> => {
      const handler = latest.current.onTopUp;
      if (!handler) throw new CreditsError('billing_failed', 'Top-ups are not available: pass onTopUp to <CreditsProvider customer={...}>');
      const outcome = await handler(pkg);
      const url = outcome && 'url' in outcome && typeof outcome.url === 'string' && outcome.url !== '' ? outcome.url : null;
      return { url };
    },
    [latest],
  );
  const value = useCreditsStore({ customer, loading, error: error ?? null, config, refetch, attach, navigate });
  return (
    <ProvideCredits value={value} config={config} locale={locale} currency={currency}>
      {children}
    </ProvideCredits>
  );
}

/** What both sources render: the credits state, and the config/formatters in their own slow-changing context. */
function ProvideCredits({
  value,
  config,
  locale,
  currency,
  children,
}: {
  value: CreditsContextValue;
  config: CreditsConfig;
  locale: string | undefined;
  currency: string | undefined;
  children?: React.ReactNode;
}) {
  return (
    <CreditsContext.Provider value={value}>
      <CreditsFormatProvider config={config} locale={locale} currency={currency}>
        {children}
      </CreditsFormatProvider>
    </CreditsContext.Provider>
  );
}

// ------------------------------------------------------------------ the shared store

interface PendingUsage {
  readonly id: number;
  readonly credits: number;
}

interface PendingState {
  /** The customer the deductions were made against: one with different content (fresher) drops them. */
  readonly base: unknown;
  readonly items: readonly PendingUsage[];
}

const NO_PENDING: PendingState = { base: undefined, items: [] };

/** Levels compared to tell a rebuilt customer from a new answer: a customer's balances and breakdowns nest a few deep. */
const CUSTOMER_DEPTH = 12;

function useCreditsStore({ customer, loading, error, config, refetch, attach, navigate }: StoreInput): CreditsContextValue {
  const [pending, setPending] = React.useState<PendingState>(NO_PENDING);
  const [topUpState, setTopUpState] = React.useState<TopUpState>(IDLE_TOP_UP_STATE);
  const nextId = React.useRef(0);
  const latest = useLatest({ customer, config, refetch, attach, navigate });

  // Deductions made against an older customer are reconciled by the fresher one: the server has counted them. A
  // customer with the same content (an app that rebuilds the object on every render, a refetch the server's usage
  // has not reached yet) is the same answer and keeps them.
  const items = pending.items.length > 0 && sameContent(pending.base, customer, CUSTOMER_DEPTH) ? pending.items : NO_PENDING.items;
  const state = React.useMemo(() => {
    const base = normalizeCustomer(customer, { config, loading, error });
    return items.reduce((current, item) => applyCreditUsage(current, item.credits, config.lowBalanceThreshold), base);
  }, [customer, config, loading, error, items]);

  const applyUsage = React.useCallback<CreditsContextValue['applyUsage']>(
    (cost) => {
      const credits = usageCredits(cost, latest.current.config.creditDecimals);
      if (credits === null) {
        warn(`applyUsage ignored an invalid amount: ${describe(cost)}`);
        return;
      }
      if (credits === 0) return;
      const base = latest.current.customer;
      nextId.current += 1;
      const item: PendingUsage = { id: nextId.current, credits };
      setPending((previous) =>
        sameContent(previous.base, base, CUSTOMER_DEPTH) ? { base: previous.base, items: [...previous.items, item] } : { base, items: [item] },
      );
    },
    [latest],
  );

  const refresh = React.useCallback(async () => {
    const appliedBefore = nextId.current;
    await latest.current.refetch();
    // The fetch counted every deduction made before it started, even when the answer kept the same object.
    setPending((previous) => {
      const kept = previous.items.filter((item) => item.id > appliedBefore);
      return kept.length === previous.items.length ? previous : { base: previous.base, items: kept };
    });
  }, [latest]);

  const topUp = React.useCallback(
    async (packageId: string): Promise<TopUpResult> => {
      const { config: currentConfig } = latest.current;
      const pkg = currentConfig.topUps.find((candidate) => candidate.id === packageId);
      if (!pkg) {
        const known = currentConfig.topUps.map((candidate) => candidate.id).join(', ') || 'none';
        const unknown = new CreditsError('invalid_config', `Unknown top-up package "${packageId}" (configured: ${known})`);
        setTopUpState({ status: 'failed', packageId, error: unknown });
        throw unknown;
      }
      setTopUpState({ status: 'pending', packageId, error: null });
      try {
        const { url } = await latest.current.attach(pkg);
        if (url !== null) {
          setTopUpState({ status: 'redirecting', packageId, error: null });
          (latest.current.navigate ?? assignLocation)(url);
          return { kind: 'redirect', url };
        }
        await refresh();
        setTopUpState({ status: 'succeeded', packageId, error: null });
        return { kind: 'completed' };
      } catch (cause) {
        const failure =
          cause instanceof CreditsError
            ? cause
            : new CreditsError('billing_failed', messageOf(cause) ?? 'The top-up could not be completed', { cause });
        setTopUpState({ status: 'failed', packageId, error: failure });
        throw failure;
      }
    },
    [latest, refresh],
  );

  const resetTopUp = React.useCallback(() => setTopUpState(IDLE_TOP_UP_STATE), []);

  return React.useMemo(
    () => ({ state, config, packages: config.topUps, topUpState, topUp, refresh, applyUsage, resetTopUp }),
    [state, config, topUpState, topUp, refresh, applyUsage, resetTopUp],
  );
}

// ------------------------------------------------------------------ helpers

/** A ref to the latest value, updated after each commit (Radix's `useCallbackRef` idea), for stable callbacks. */
function useLatest<T>(value: T): React.RefObject<T> {
  const ref = React.useRef(value);
  React.useEffect(() => {
    ref.current = value;
  });
  return ref;
}

/** Credits of an `applyUsage` argument, exactly rounded to the config's places; null when it is not a valid amount. */
export function usageCredits(cost: unknown, creditDecimals: number): number | null {
  const raw = typeof cost === 'object' && cost !== null && 'credits' in cost ? (cost as { credits: unknown }).credits : cost;
  if (typeof raw !== 'number' && typeof raw !== 'string') return null;
  try {
    parseDecimal(raw); // refuses NaN, Infinity, negatives, empty and non-numeric strings
    return unitsToCredits(creditsToUnits(raw, creditDecimals), creditDecimals);
  } catch {
    return null;
  }
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

function assignLocation(url: string): void {
  window.location.assign(url);
}

function messageOf(error: unknown): string | null {
  if (error instanceof Error && error.message) return error.message;
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') {
    return (error as { message: string }).message;
  }
  return null;
}

function describe(value: unknown): string {
  try {
    return typeof value === 'string' ? JSON.stringify(value) : String(typeof value === 'object' ? JSON.stringify(value) : value);
  } catch {
    return typeof value;
  }
}

function warn(message: string): void {
  if (typeof process !== 'undefined' && process.env?.NODE_ENV === 'production') return;
  console.warn(`[autumn-ai-credits] ${message}`);
}
