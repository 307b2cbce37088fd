'use client';
/**
 * `CreditBalance`: the credits left, their value in money, what was granted, and a meter — with a skeleton while the
 * customer loads, an error with Retry, a usage breakdown behind the number and a "Top up" action.
 *
 * `CreditBalanceView` renders from props (a `CreditState` or plain numbers); `CreditBalance` reads `useCredits()`
 * and opens `CreditTopUpDialog` for its top-up action.
 */
import * as React from 'react';
import * as DialogPrimitive from '@radix-ui/react-dialog';
import { cva, type VariantProps } from 'class-variance-authority';
import type { CreditsConfig } from '../../core/config.js';
import { normalizeCustomer, type CreditLevel, type CreditState } from '../../core/customer.js';
import type { CreditFormatters } from '../../core/format.js';
import { creditsToUsd } from '../../core/money.js';
import { useCredits } from '../credits-context.js';
import { buttonVariants } from '../lib/button.js';
import { cn } from '../lib/cn.js';
import { withLabels } from '../lib/labels.js';
import { useCreditsFormat } from '../lib/credits-format.js';
import { CreditTopUpDialog } from './credit-top-up-dialog.js';
import { DEFAULT_CREDIT_BALANCE_LABELS, creditBalanceState, creditBalanceVariants, type CreditBalanceClassNames, type CreditBalanceLabels, type CreditBalanceState } from '../shared/credit-balance.js';

/** The numbers the view shows when it gets no `state`. Unreadable values count as 0, as in `normalizeCustomer`. */
export interface CreditBalanceNumbers {
  remaining?: number | string | undefined;
  granted?: number | string | undefined;
  /** Credits used this period; above `granted` it is overage (Autumn floors `remaining` at 0 and reports it so). */
  usage?: number | string | undefined;
  unlimited?: boolean | undefined;
  overageAllowed?: boolean | undefined;
  nextResetAt?: number | null | undefined;
  loading?: boolean | undefined;
  error?: unknown;
}

export type CreditBalanceViewProps = Omit<React.ComponentProps<'div'>, 'children'> &
  VariantProps<typeof creditBalanceVariants> &
  CreditBalanceNumbers & {
    /** The normalized balance (from `useCredits().state` or `normalizeCustomer`); wins over the plain numbers. */
    state?: CreditState | undefined;
    /** Rate, threshold and feature name; default the nearest provider's config, else `defaultCreditsConfig`. */
    config?: CreditsConfig | undefined;
    locale?: string | undefined;
    currency?: string | undefined;
    /** IANA time zone of the reset date; default the provider's, else UTC. */
    timeZone?: string | undefined;
    /** Shows the "Top up" button. */
    onTopUp?: (() => void) | undefined;
    /** Shows "Retry" in the error state. */
    onRetry?: (() => void) | undefined;
    /** Makes the balance a button; called when it is activated (click, Enter, Space). */
    onOpenBreakdown?: (() => void) | undefined;
    /** Content of a dialog the balance button opens (e.g. `<UsageBreakdown />`). */
    breakdown?: React.ReactNode;
    labels?: Partial<CreditBalanceLabels> | undefined;
    classNames?: CreditBalanceClassNames | undefined;
    /** Replaces the top-up button (e.g. a `CreditTopUpDialog` with its own trigger). */
    action?: React.ReactNode;
  };

interface Shown {
  readonly state: CreditState;
  readonly dataState: CreditBalanceState;
  /** What the meter counts up to: never below what is left (a top-up can raise the balance above the grant). */
  readonly total: number;
  readonly percent: number | null;
  readonly usd: number | null;
}

function resolve(props: CreditBalanceNumbers & { state?: CreditState | undefined }, config: CreditsConfig): Shown {
  const state =
    props.state ??
    normalizeCustomer(
      {
        balances: {
          [config.featureId]: {
            remaining: props.remaining,
            granted: props.granted,
            usage: props.usage,
            unlimited: props.unlimited === true,
            overageAllowed: props.overageAllowed === true,
            nextResetAt: props.nextResetAt ?? null,
          },
        },
      },
      { config, loading: props.loading === true, error: props.error ?? null },
    );
  const remaining = finite(state.remaining);
  const total = Math.max(finite(state.granted), remaining);
  const percent = state.unlimited || total <= 0 ? null : Math.min(100, Math.max(0, (remaining / total) * 100));
  return { state, dataState: creditBalanceState(state), total, percent, usd: toMoney(remaining, config) };
}

function finite(value: number): number {
  return Number.isFinite(value) && value > 0 ? value : 0;
}

function toMoney(credits: number, config: CreditsConfig): number | null {
  try {
    return creditsToUsd(credits, { creditsPerUsd: config.creditsPerUsd });
  } catch {
    return null;
  }
}

/** A meter's value rounded for assistive tech: one decimal place is all a listener can use. */
function meterValue(percent: number): number {
  return Math.round(percent * 10) / 10;
}

/**
 * The balance from plain props. Pass `state` (a `CreditState`) or the numbers; NaN, Infinity, negatives and a
 * balance above its grant never show as such (the meter stays within 0..100%).
 */
export function CreditBalanceView({
  state: stateProp,
  remaining,
  granted,
  usage,
  unlimited,
  overageAllowed,
  nextResetAt,
  loading,
  error,
  config: configProp,
  locale,
  currency,
  timeZone,
  onTopUp,
  onRetry,
  onOpenBreakdown,
  breakdown,
  labels: labelOverrides,
  classNames,
  action,
  size,
  className,
  ...props
}: CreditBalanceViewProps) {
  const format = useCreditsFormat({ config: configProp, locale, currency, timeZone });
  const { config, formatters } = format;
  const labels = withLabels(DEFAULT_CREDIT_BALANCE_LABELS, labelOverrides);
  const shown = resolve({ state: stateProp, remaining, granted, usage, unlimited, overageAllowed, nextResetAt, loading, error }, config);
  const titleId = React.useId();
  const title = labels.title ?? config.featureName;
  const busy = shown.dataState === 'loading';

  return (
    <div
      data-slot="credit-balance"
      data-state={shown.dataState}
      data-size={size ?? 'default'}
      aria-busy={busy || undefined}
      role="group"
      aria-labelledby={titleId}
      className={cn(creditBalanceVariants({ size }), className)}
      {...props}
    >
      <div data-slot="credit-balance-header" className={cn('flex items-center justify-between gap-2', classNames?.header)}>
        <span id={titleId} data-slot="credit-balance-title" className={cn('font-medium text-credits-muted-foreground', classNames?.title)}>
          {title}
        </span>
        {shown.dataState === 'loading' || shown.dataState === 'error'
          ? null
          : (action ??
            (onTopUp ? (
              <button
                type="button"
                data-slot="credit-balance-top-up"
                className={cn(buttonVariants({ variant: 'primary' }), classNames?.topUp)}
                onClick={onTopUp}
              >
                {labels.topUp}
              </button>
            ) : null))}
      </div>
      {shown.dataState === 'loading' ? (
        <BalanceSkeleton labels={labels} classNames={classNames} />
      ) : shown.dataState === 'error' ? (
        <div data-slot="credit-balance-error" role="alert" className="flex items-center justify-between gap-2 text-credits-destructive">
          <span>{labels.error}</span>
          {onRetry ? (
            <button
              type="button"
              data-slot="credit-balance-retry"
              className={cn(buttonVariants(), classNames?.retry)}
              onClick={onRetry}
            >
              {labels.retry}
            </button>
          ) : null}
        </div>
      ) : (
        <BalanceBody
          shown={shown}
          formatters={formatters}
          labels={labels}
          classNames={classNames}
          title={title}
          onOpenBreakdown={onOpenBreakdown}
          breakdown={breakdown}
        />
      )}
    </div>
  );
}

function BalanceSkeleton({ labels, classNames }: { labels: CreditBalanceLabels; classNames: CreditBalanceClassNames | undefined }) {
  return (
    <div data-slot="credit-balance-skeleton" className={cn('flex flex-col gap-2', classNames?.skeleton)}>
      <span className="sr-only">{labels.loading}</span>
      <span aria-hidden="true" className="h-6 w-28 animate-pulse rounded bg-credits-foreground/10" />
      <span aria-hidden="true" className="h-1.5 w-full animate-pulse rounded-full bg-credits-foreground/10" />
    </div>
  );
}

interface BalanceBodyProps {
  shown: Shown;
  formatters: CreditFormatters;
  labels: CreditBalanceLabels;
  classNames: CreditBalanceClassNames | undefined;
  title: string;
  onOpenBreakdown: (() => void) | undefined;
  breakdown: React.ReactNode;
}

function BalanceBody({ shown, formatters, labels, classNames, title, onOpenBreakdown, breakdown }: BalanceBodyProps) {
  const { state, percent, total, usd } = shown;
  const remainingText = formatters.credits(state.remaining);
  const totalText = formatters.credits(total);

  const value = (
    <>
      <span data-slot="credit-balance-amount" className={cn('text-2xl font-semibold tracking-tight tabular-nums group-data-[size=compact]/credit-balance:text-base', classNames?.amount)}>
        {state.unlimited ? labels.unlimited : remainingText}
      </span>
      {state.unlimited ? null : (
        <>
          {' '}
          <span data-slot="credit-balance-unit" className={cn('text-credits-muted-foreground', classNames?.unit)}>
            {labels.unit}
          </span>
          {usd === null ? null : (
            <>
              {' '}
              <span data-slot="credit-balance-worth" className={cn('text-credits-muted-foreground tabular-nums', classNames?.worth)}>
                {labels.worth(formatters.money(usd))}
              </span>
            </>
          )}
        </>
      )}
    </>
  );

  const valueClass = cn('flex flex-wrap items-baseline gap-x-1 text-left', classNames?.value);
  const interactive = onOpenBreakdown !== undefined || breakdown !== undefined;
  const valueButton = interactive ? (
    <button
      type="button"
      data-slot="credit-balance-value"
      aria-haspopup={breakdown === undefined ? undefined : 'dialog'}
      className={cn(
        valueClass,
        '-mx-1 rounded-md px-1 outline-none hover:bg-credits-muted focus-visible:ring-2 focus-visible:ring-credits-ring',
      )}
      onClick={breakdown === undefined ? onOpenBreakdown : undefined}
    >
      {value}
      <span className="sr-only">{` (${labels.openBreakdown})`}</span>
    </button>
  ) : (
    <div data-slot="credit-balance-value" className={valueClass}>
      {value}
    </div>
  );

  return (
    <>
      {breakdown === undefined ? (
        valueButton
      ) : (
        <BreakdownDialog trigger={valueButton} onOpen={onOpenBreakdown} labels={labels} className={classNames?.dialog}>
          {breakdown}
        </BreakdownDialog>
      )}
      {percent === null ? null : (
        <div
          data-slot="credit-balance-meter"
          role="meter"
          aria-label={title}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={meterValue(percent)}
          aria-valuetext={labels.valueText(remainingText, totalText)}
          // The track's edge at 3:1 against the card, light and dark (WCAG 1.4.11): an empty meter is still a meter.
          className={cn('h-1.5 w-full overflow-hidden rounded-full bg-credits-foreground/10 ring-1 ring-credits-muted-foreground/75 ring-inset', classNames?.meter)}
        >
          <div
            data-slot="credit-balance-indicator"
            className={cn(
              'h-full rounded-full bg-credits-primary transition-[width]',
              'group-data-[state=low]/credit-balance:bg-credits-warning group-data-[state=empty]/credit-balance:bg-credits-destructive',
              'group-data-[state=overage]/credit-balance:bg-credits-destructive',
              classNames?.indicator,
            )}
            style={{ width: `${percent}%` }}
          />
        </div>
      )}
      <Details shown={shown} formatters={formatters} labels={labels} className={classNames?.details} totalText={totalText} />
    </>
  );
}

function Details({
  shown,
  formatters,
  labels,
  className,
  totalText,
}: {
  shown: Shown;
  formatters: CreditFormatters;
  labels: CreditBalanceLabels;
  className: string | undefined;
  totalText: string;
}) {
  const { state, total } = shown;
  const parts: string[] = [];
  if (!state.unlimited && total > 0) parts.push(labels.ofTotal(totalText));
  if (state.overage > 0) parts.push(labels.overage(formatters.credits(state.overage)));
  if (state.nextResetAt !== null) parts.push(labels.resets(formatters.date(state.nextResetAt)));
  if (parts.length === 0) return null;
  // One flex item per part, each with its "·" drawn in the gap before it: the first part of every line has its dot
  // outside the clipped box, so a wrapped line never starts or ends with a separator.
  return (
    <p
      data-slot="credit-balance-details"
      className={cn(
        'flex flex-wrap gap-x-3 overflow-hidden text-xs text-credits-muted-foreground tabular-nums group-data-[size=compact]/credit-balance:hidden',
        "*:before:-ms-2 *:before:me-1 *:before:content-['·']",
        className,
      )}
    >
      {parts.map((part) => (
        <span key={part}>{part}</span>
      ))}
    </p>
  );
}

function BreakdownDialog({
  trigger,
  onOpen,
  labels,
  className,
  children,
}: {
  trigger: React.ReactElement;
  onOpen: (() => void) | undefined;
  labels: CreditBalanceLabels;
  className: string | undefined;
  children: React.ReactNode;
}) {
  return (
    <DialogPrimitive.Root
      onOpenChange={(open) => {
        if (open) onOpen?.();
      }}
    >
      <DialogPrimitive.Trigger asChild>{trigger}</DialogPrimitive.Trigger>
      <DialogPrimitive.Portal>
        <DialogPrimitive.Overlay data-slot="credit-balance-overlay" className="fixed inset-0 z-50 bg-black/50" />
        <DialogPrimitive.Content
          data-slot="credit-balance-dialog"
          className={cn(
            'fixed top-1/2 left-1/2 z-50 grid max-h-[85vh] w-full max-w-md -translate-x-1/2 -translate-y-1/2 gap-3 overflow-y-auto',
            'rounded-lg border border-credits-border bg-credits-background p-5 text-credits-foreground shadow-lg outline-none',
            className,
          )}
        >
          <DialogPrimitive.Title className="text-base font-semibold">{labels.breakdownTitle}</DialogPrimitive.Title>
          <DialogPrimitive.Description className="text-sm text-credits-muted-foreground">{labels.breakdownDescription}</DialogPrimitive.Description>
          {children}
          <DialogPrimitive.Close data-slot="credit-balance-close" className={cn(buttonVariants(), 'justify-self-end')}>
            {labels.close}
          </DialogPrimitive.Close>
        </DialogPrimitive.Content>
      </DialogPrimitive.Portal>
    </DialogPrimitive.Root>
  );
}

export type CreditBalanceProps = Omit<CreditBalanceViewProps, keyof CreditBalanceNumbers | 'state' | 'onRetry'> & {
  /** Replaces opening the top-up dialog. */
  onTopUp?: (() => void) | undefined;
  /**
   * Set false to hide the top-up action, true to show it on an unlimited balance too. Default: shown when the config
   * has top-up packages (or `onTopUp` is given) and the balance is not unlimited.
   */
  topUp?: boolean | undefined;
};

/**
 * The balance of the nearest `CreditsProvider`: Retry refreshes it, "Top up" opens `CreditTopUpDialog` (or calls
 * `onTopUp`), with optimistic usage already applied.
 */
export function CreditBalance({ onTopUp, topUp, config, action, ...props }: CreditBalanceProps) {
  const credits = useCredits();
  const [dialogOpen, setDialogOpen] = React.useState(false);
  const { refresh } = credits;
  const onRetry = React.useCallback(() => {
    void refresh().catch(() => {});
  }, [refresh]);
  const canTopUp = (topUp ?? !credits.state.unlimited) && (onTopUp !== undefined || credits.packages.length > 0);
  return (
    <>
      <CreditBalanceView
        {...props}
        state={credits.state}
        config={config ?? credits.config}
        onRetry={onRetry}
        action={action}
        onTopUp={canTopUp ? (onTopUp ?? (() => setDialogOpen(true))) : undefined}
      />
      {canTopUp && onTopUp === undefined ? <CreditTopUpDialog open={dialogOpen} onOpenChange={setDialogOpen} /> : null}
    </>
  );
}
