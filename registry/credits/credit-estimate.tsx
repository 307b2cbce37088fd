'use client';
/**
 * `CreditEstimate`: what the next message will cost before it is sent — "Est. cost ≈ 12 credits" — and whether the
 * balance covers it, for a chat input. `useCanAfford(credits)` gives the same answer to the send button.
 *
 * `CreditEstimateView` renders from props; `CreditEstimate` reads the balance from `useCredits()`. Only a change of
 * affordability is announced (a polite live region), not every keystroke that moves the estimate.
 */
import * as React from 'react';
import type { VariantProps } from 'class-variance-authority';
import {
  affordability,
  createPartsContext,
  creditEstimateVariants,
  DEFAULT_CREDIT_ESTIMATE_LABELS,
  DEFAULT_MONEY_CONFIG,
  displayAmount,
  tryUsdToCredits,
  UNKNOWN_AFFORDABILITY,
  useCreditFormatters,
  useCredits,
  useInheritedCreditsFormat,
  withLabels,
  type Affordability,
  type CreditEstimateLabels,
  type CreditFormatters,
  type CreditsConfig,
  type CreditState,
} from 'autumn-ai-credits';
import { cn } from '@/lib/utils';

/** The balance of a credit state when it is usable for a decision (fetched, not failed). */
function knownBalance(state: CreditState): CreditState | null {
  return state.status === 'ready' ? state : null;
}

/**
 * For a send button: `{ canAfford, shortBy, state }` for an estimate of `credits` against the provider's balance.
 * `canAfford` is false only when the balance is known to fall short. Needs `<CreditsProvider>`.
 */
export function useCanAfford(credits: number | string | null | undefined): Affordability {
  const { state, config } = useCredits();
  const balance = knownBalance(state);
  const { state: answer, canAfford, shortBy } = affordability(credits, balance, config);
  // The same object while the answer is the same, so it can sit in effect and memo dependencies.
  return React.useMemo(() => ({ state: answer, canAfford, shortBy }), [answer, canAfford, shortBy]);
}

export type CreditEstimateViewProps = Omit<React.ComponentPropsWithoutRef<'div'>, 'children'> &
  VariantProps<typeof creditEstimateVariants> & {
    /** The estimate in credits (a number or decimal string). Unreadable or negative values show "—". */
    credits?: number | string | null | undefined;
    /** Credits left; with it (and no `canAfford`) the view decides affordability itself. */
    remaining?: number | null | undefined;
    /** Decided outside (e.g. from `useCanAfford`); wins over `remaining`. */
    canAfford?: boolean | null | undefined;
    /** Credits missing when `canAfford` is false; default `credits - remaining`. */
    shortBy?: number | null | undefined;
    locale?: string | undefined;
    currency?: string | undefined;
    labels?: Partial<CreditEstimateLabels> | undefined;
    /** Your arrangement of the parts, replacing the default layout (see `CreditEstimateView`). */
    children?: React.ReactNode;
  };

/** What `CreditEstimateView` resolved — affordability, the amount shown, formatters, labels — for its parts. */
export interface CreditEstimateContextValue extends Affordability {
  /** The estimate shown, or null when it is unreadable (the value shows "—"). */
  readonly amount: number | null;
  readonly formatters: CreditFormatters;
  readonly labels: CreditEstimateLabels;
}

const [CreditEstimateProvider, useCreditEstimatePart] = createPartsContext<CreditEstimateContextValue>('CreditEstimate');

/**
 * What the nearest `CreditEstimate` (or `CreditEstimateView`) resolved — its `state`, `canAfford`, `shortBy`, the
 * `amount` shown, formatters and labels — for a part of your own. Throws outside one.
 */
export const useCreditEstimate: () => CreditEstimateContextValue = useCreditEstimatePart;

function viewAffordability(
  credits: number | string | null | undefined,
  remaining: number | null | undefined,
  canAfford: boolean | null | undefined,
  shortBy: number | null | undefined,
): Affordability {
  if (displayAmount(credits) === null) return UNKNOWN_AFFORDABILITY;
  // An overdrawn (negative) balance has 0 left; NaN, Infinity and non-numbers leave the balance unknown.
  const known = typeof remaining === 'number' && Number.isFinite(remaining) ? Math.max(0, remaining) : null;
  if (typeof canAfford === 'boolean') {
    if (canAfford) return { state: 'affordable', canAfford: true, shortBy: 0 };
    const missing = displayAmount(shortBy) ?? (known === null ? 0 : affordability(credits, { remaining: known, unlimited: false, overageAllowed: false }).shortBy);
    return { state: 'short', canAfford: false, shortBy: missing };
  }
  return affordability(credits, known === null ? null : { remaining: known, unlimited: false, overageAllowed: false });
}

/**
 * "Est. cost ≈ 12 credits" with a can-afford flag, from props.
 *
 * Its `children` replace the default layout with your own arrangement of the parts (`CreditEstimateLabel`,
 * `CreditEstimateValue`, `CreditEstimateUnit`, `CreditEstimateStatus`).
 */
export function CreditEstimateView({
  credits,
  remaining,
  canAfford,
  shortBy,
  locale,
  currency,
  size,
  labels: labelOverrides,
  className,
  children,
  ...props
}: CreditEstimateViewProps) {
  const formatters = useCreditFormatters({ locale, currency });
  const result = viewAffordability(credits, remaining, canAfford, shortBy);
  const context: CreditEstimateContextValue = {
    ...result,
    amount: displayAmount(credits),
    formatters,
    labels: withLabels(DEFAULT_CREDIT_ESTIMATE_LABELS, labelOverrides),
  };

  return (
    <div
      data-slot="credit-estimate"
      data-state={result.state}
      data-size={size ?? 'default'}
      className={cn(creditEstimateVariants({ size }), className)}
      {...props}
    >
      <CreditEstimateProvider value={context}>
        {children ?? (
          <>
            <CreditEstimateLabel />{' '}
            <CreditEstimateValue />
            <CreditEstimateStatus />
          </>
        )}
      </CreditEstimateProvider>
    </div>
  );
}

/** "Est. cost" (children replace it). */
export function CreditEstimateLabel({ className, children, ...props }: React.ComponentProps<'span'>) {
  const { labels } = useCreditEstimatePart();
  return (
    <span data-slot="credit-estimate-label" className={cn('font-medium', className)} {...props}>
      {children ?? labels.label}
    </span>
  );
}

/**
 * "≈ 12 credits" (children replace it); "—" when there is no readable estimate, read as `labels.unknown`.
 * It has no classes of its own: its `className` is yours alone.
 */
export function CreditEstimateValue({ children, ...props }: React.ComponentProps<'span'>) {
  const { amount, formatters, labels } = useCreditEstimatePart();
  return amount === null ? (
    <>
      <span className="sr-only">{labels.unknown}</span>
      <span data-slot="credit-estimate-value" aria-hidden="true" {...props}>
        —
      </span>
    </>
  ) : (
    <span data-slot="credit-estimate-value" {...props}>
      {children ?? (
        <>
          <span aria-hidden="true">≈ </span>
          {formatters.credits(amount)} <CreditEstimateUnit />
        </>
      )}
    </span>
  );
}

/** "credits" after the amount (children replace it); nothing without a readable estimate. */
export function CreditEstimateUnit({ children, ...props }: React.ComponentProps<'span'>) {
  const { amount, labels } = useCreditEstimatePart();
  if (amount === null) return null;
  return (
    <span data-slot="credit-estimate-unit" {...props}>
      {children ?? labels.unit}
    </span>
  );
}

/**
 * "Not enough credits: 4 more needed" when the balance falls short (children replace that text), empty otherwise.
 * Always mounted — a polite live region — so screen readers announce it when the estimate crosses the balance; a
 * line of its own.
 */
export function CreditEstimateStatus({ className, children, ...props }: React.ComponentProps<'span'>) {
  const { state, shortBy, formatters, labels } = useCreditEstimatePart();
  return (
    <span
      data-slot="credit-estimate-status"
      role="status"
      aria-live="polite"
      aria-atomic="true"
      className={cn('basis-full font-medium empty:hidden', className)}
      {...props}
    >
      {state === 'short' ? (children ?? labels.short(shortBy > 0 ? formatters.credits(shortBy) : null)) : ''}
    </span>
  );
}

export type CreditEstimateProps = Omit<CreditEstimateViewProps, 'credits' | 'remaining' | 'canAfford' | 'shortBy'> & {
  /** The estimate in credits. */
  credits?: number | string | null | undefined;
  /** Or the estimate in the config currency (converted exactly at the config's rate); `credits` wins. */
  usd?: number | string | null | undefined;
  /** Default: the provider's config. */
  config?: CreditsConfig | undefined;
};

/**
 * `CreditEstimateView` against the balance of the nearest `CreditsProvider`: "short" when the balance is known not to
 * cover the estimate (never while it is loading or failed; unlimited and overage plans always can pay).
 */
export function CreditEstimate({ credits, usd, config, locale, currency, ...props }: CreditEstimateProps) {
  const inherited = useInheritedCreditsFormat();
  const rates = config ?? inherited?.config ?? DEFAULT_MONEY_CONFIG;
  const estimate =
    displayAmount(credits) ??
    (usd === null || usd === undefined ? null : tryUsdToCredits(usd, { creditsPerUsd: rates.creditsPerUsd, creditDecimals: rates.creditDecimals }));
  const result = useCanAfford(estimate);
  return (
    <CreditEstimateView
      {...props}
      credits={estimate}
      canAfford={result.state === 'unknown' ? null : result.canAfford}
      shortBy={result.shortBy}
      locale={locale}
      currency={currency ?? inherited?.currency ?? config?.currency}
    />
  );
}
