'use client';
/**
 * `CreditsProvider`: builds the `CreditsContextValue` (see `credits-context.ts`) from a customer the app fetched —
 * any shape `normalizeCustomer` reads: an autumn-js 1.x customer, a 0.x `@useautumn/convex` customer, a backend-SDK
 * result — with `loading`, `error`, `onRefresh` and `onTopUp` supplied by the app (Convex, SWR, server
 * components...). `customer={undefined}` is the customer still loading (a Convex `useQuery` starts that way).
 *
 * This module never imports autumn-js, so the React entry loads next to any autumn-js version (0.1.x under
 * `@useautumn/convex`, 1.3.x) or none. Reading the customer with autumn-js/react's `useCustomer()` is
 * `AutumnCreditsProvider`, in the `autumn-ai-credits/autumn` entry (`src/autumn/`); it feeds the same store through
 * `useCreditsStore` and `ProvideCredits` below, which are exported for it but are not public API (`src/index.ts`
 * does not export them).
 */
import * as React from 'react';
import { defaultCreditsConfig, type CreditsConfig, type CreditTopUpPackage } from '../core/config.js';
import { applyCreditUsage, normalizeCustomer } from '../core/customer.js';
import { CreditsError } from '../core/errors.js';
import { readDecimal, roundCredits } from '../core/decimal.js';
import {
  CreditsContext,
  type CreditsContextValue,
  type TopUpResult,
  type TopUpState,
} from './credits-context.js';
import { CreditsFormatProvider } from './lib/credits-format.js';
import { IDLE_TOP_UP_STATE } from './shared/top-up.js';
import { sameContent } from './lib/same-content.js';

/** What an external `onTopUp` may answer: a `TopUpResult`, `{ url }` to send the browser to checkout, or nothing (done in place). */
export type ExternalTopUpOutcome = TopUpResult | { readonly url: string } | void | undefined;

/** Sends the browser to a checkout URL. Default `window.location.assign(url)`. */
export type NavigateFunction = (url: string) => void;

export interface CreditsProviderBaseProps {
  /** The credits config (plans, top-ups, feature id, threshold). Default `defaultCreditsConfig`. */
  config?: CreditsConfig | undefined;
  /**
   * BCP 47 tag for numbers and dates. Default `en-US` — not the runtime's, so server-rendered HTML matches the
   * browser's (pass the user's locale to show theirs).
   */
  locale?: string | undefined;
  /** ISO 4217 code for money. Default the config's currency. */
  currency?: string | undefined;
  /** IANA time zone for dates (when the credits reset). Default `UTC`, for the same reason as `locale`. */
  timeZone?: string | undefined;
  /** Replaces `window.location.assign` when a top-up needs a checkout page (tests, stories, routers). */
  navigate?: NavigateFunction | undefined;
  children?: React.ReactNode;
}

export interface ExternalCreditsProviderProps extends CreditsProviderBaseProps {
  /**
   * Optional, kept for compatibility: `external` is the only source of `CreditsProvider`. For autumn-js/react's
   * `useCustomer()`, render `AutumnCreditsProvider` from `autumn-ai-credits/autumn` instead.
   */
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

export type CreditsProviderProps = ExternalCreditsProviderProps;

/**
 * Provides the balance, the config and the credit actions to `useCredits()` and the connected components, and the
 * config/formatters to `CreditsFormatProvider`, from the `customer` you pass.
 *
 * Throws a `CreditsError` (`invalid_config`) when asked for the autumn-js/react source (`source="autumn"`, or no
 * `customer` prop at all, which selected it before): that source is `AutumnCreditsProvider` from
 * `autumn-ai-credits/autumn` now, and a provider that silently showed "loading" forever would hide the mistake.
 */
export function CreditsProvider(props: CreditsProviderProps) {
  const source = (props as { source?: unknown }).source;
  if (source !== undefined && source !== 'external') {
    throw new CreditsError('invalid_config', `<CreditsProvider source=${JSON.stringify(String(source))}> is not supported: ${MOVED}`);
  }
  if (source === undefined && !('customer' in props)) {
    throw new CreditsError('invalid_config', `<CreditsProvider> needs a customer prop (undefined while it loads): ${MOVED}`);
  }
  const {
    config = defaultCreditsConfig,
    locale,
    currency,
    timeZone,
    navigate,
    customer,
    loading = false,
    error,
    onRefresh,
    onTopUp,
    children,
  } = props;
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
    <ProvideCredits value={value} config={config} locale={locale} currency={currency} timeZone={timeZone}>
      {children}
    </ProvideCredits>
  );
}

const MOVED =
  "it takes the customer you fetched (customer, loading, error, onRefresh, onTopUp). To read the customer with autumn-js/react's useCustomer(), " +
  "import { AutumnCreditsProvider } from 'autumn-ai-credits/autumn' (autumn-js 1.3) and render it inside <AutumnProvider>.";

// ------------------------------------------------------------------ for the sources

/** What a source tells the store about one top-up attempt. @internal */
export type AttachOutcome = { readonly url: string | null };

/** What a customer source hands the shared store. @internal */
export interface CreditsStoreInput {
  readonly customer: unknown;
  readonly loading: boolean;
  readonly error: unknown;
  readonly config: CreditsConfig;
  readonly refetch: () => Promise<unknown>;
  readonly attach: (pkg: CreditTopUpPackage) => Promise<AttachOutcome>;
  readonly navigate: NavigateFunction | undefined;
}

/**
 * What every source renders: the credits state, and the config/formatters in their own slow-changing context.
 * Exported for `AutumnCreditsProvider` (autumn-ai-credits/autumn), not public API. @internal
 */
export function ProvideCredits({
  value,
  config,
  locale,
  currency,
  timeZone,
  children,
}: {
  value: CreditsContextValue;
  config: CreditsConfig;
  locale: string | undefined;
  currency: string | undefined;
  timeZone?: string | undefined;
  children?: React.ReactNode;
}) {
  return (
    <CreditsContext.Provider value={value}>
      <CreditsFormatProvider config={config} locale={locale} currency={currency} timeZone={timeZone}>
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

/**
 * The one shared core of every source: normalization, optimistic usage and the top-up flow. Exported for
 * `AutumnCreditsProvider` (autumn-ai-credits/autumn), not public API. @internal
 */
export function useCreditsStore({ customer, loading, error, config, refetch, attach, navigate }: CreditsStoreInput): CreditsContextValue {
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
function usageCredits(cost: unknown, creditDecimals: number): number | null {
  const raw = typeof cost === 'object' && cost !== null && 'credits' in cost ? (cost as { credits: unknown }).credits : cost;
  if (typeof raw !== 'number' && typeof raw !== 'string') return null;
  // readDecimal refuses NaN, Infinity, negatives, empty and non-numeric strings; roundCredits null beyond exact.
  return readDecimal(raw) && roundCredits(raw, creditDecimals);
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
