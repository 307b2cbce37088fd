'use client';
/**
 * `CreditBalance`: the credits left, their value in money, what was granted, and a meter — with a skeleton while the
 * customer loads, an error with Retry, a usage breakdown behind the number and a "Top up" action.
 *
 * `CreditBalanceView` renders from props (a `CreditState` or plain numbers); `CreditBalance` reads `useCredits()`
 * and opens `CreditTopUpDialog` for its top-up action, loaded on first open.
 */
import * as React from 'react';
import * as DialogPrimitive from '@radix-ui/react-dialog';
import type { VariantProps } from 'class-variance-authority';
import {
  buttonVariants,
  composeEventHandlers,
  createPartsContext,
  creditBalanceState,
  creditBalanceVariants,
  DEFAULT_CREDIT_BALANCE_LABELS,
  normalizeCustomer,
  resolveAutoTopUp,
  tryCreditsToUsd,
  useCredits,
  useCreditsFormat,
  withLabels,
  type CreditAutoTopUp,
  type CreditBalanceLabels,
  type CreditBalanceState,
  type CreditFormatters,
  type CreditsConfig,
  type CreditState,
  type ResolvedAutoTopUp,
} from 'autumn-ai-credits';
import { cn } from '@/lib/utils';
import { TopUpDialogOnDemand } from './top-up-dialog-on-demand';

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
    /**
     * The org's auto top-up (`controls.autoTopUp` from `createBillingControls().get()`, or `{ enabled, threshold,
     * credits }`): when on, the details say "Tops up 40,000 at 2,000 or less".
     */
    autoTopUp?: CreditAutoTopUp | null | undefined;
    /** Shows "Retry" in the error state. */
    onRetry?: (() => void) | undefined;
    /** Makes the balance a button; called when it is activated (click, Enter, Space). */
    onOpenBreakdown?: (() => void) | undefined;
    /** Content of a dialog the balance button opens (e.g. `<UsageBreakdown />`). */
    breakdown?: React.ReactNode;
    labels?: Partial<CreditBalanceLabels> | undefined;
    /** Replaces the top-up button in the default layout (e.g. a `CreditTopUpDialog` with its own trigger). */
    action?: React.ReactNode;
    /** Your arrangement of the parts, replacing the default layout (see `CreditBalanceView`). */
    children?: React.ReactNode;
  };

/** What `CreditBalanceView` resolved from its props, for its parts (`useCreditBalance`). */
export interface CreditBalanceContextValue {
  readonly state: CreditState;
  readonly dataState: CreditBalanceState;
  /** What the meter counts up to: never below what is left (a top-up can raise the balance above the grant). */
  readonly total: number;
  readonly percent: number | null;
  readonly usd: number | null;
  /** The auto top-up when it is on (its credits from the config's pack), else null. */
  readonly autoTopUp: ResolvedAutoTopUp | null;
  readonly formatters: CreditFormatters;
  readonly labels: CreditBalanceLabels;
  /** `labels.title`, else the config's `featureName`. */
  readonly title: string;
  readonly titleId: string;
  readonly onTopUp: (() => void) | undefined;
  readonly onRetry: (() => void) | undefined;
  readonly onOpenBreakdown: (() => void) | undefined;
  readonly breakdown: React.ReactNode;
}

type Shown = Pick<CreditBalanceContextValue, 'state' | 'dataState' | 'total' | 'percent' | 'usd'>;

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
  return tryCreditsToUsd(credits, { creditsPerUsd: config.creditsPerUsd });
}

/** A meter's value rounded for assistive tech: one decimal place is all a listener can use. */
function meterValue(percent: number): number {
  return Math.round(percent * 10) / 10;
}

const [CreditBalanceProvider, useCreditBalancePart] = createPartsContext<CreditBalanceContextValue>('CreditBalance');

/**
 * What the nearest `CreditBalance` (or `CreditBalanceView`) resolved — the normalized state, its `data-state`, the
 * meter's percent, the money value, formatters and labels — for a part of your own. Throws outside one.
 */
export const useCreditBalance: () => CreditBalanceContextValue = useCreditBalancePart;

/** True once the balance is known (not loading, not failed): the parts that show numbers render only then. */
function ready(context: CreditBalanceContextValue): boolean {
  return context.dataState !== 'loading' && context.dataState !== 'error';
}

/**
 * The balance from plain props. Pass `state` (a `CreditState`) or the numbers; NaN, Infinity, negatives and a
 * balance above its grant never show as such (the meter stays within 0..100%).
 *
 * Its `children` replace the default layout with your own arrangement of the parts (`CreditBalanceHeader`,
 * `CreditBalanceTitle`, `CreditBalanceTopUp`, `CreditBalanceSkeleton`, `CreditBalanceError`, `CreditBalanceValue`,
 * `CreditBalanceAmount`, `CreditBalanceUnit`, `CreditBalanceWorth`, `CreditBalanceMeter`, `CreditBalanceDetails`);
 * each part renders only in the states it belongs to, so any arrangement handles loading and errors.
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
  autoTopUp,
  labels: labelOverrides,
  action,
  size,
  className,
  children,
  ...props
}: CreditBalanceViewProps) {
  const { config, formatters } = useCreditsFormat({ config: configProp, locale, currency, timeZone });
  const labels = withLabels(DEFAULT_CREDIT_BALANCE_LABELS, labelOverrides);
  const shown = resolve({ state: stateProp, remaining, granted, usage, unlimited, overageAllowed, nextResetAt, loading, error }, config);
  const titleId = React.useId();
  const context: CreditBalanceContextValue = {
    ...shown,
    autoTopUp: resolveAutoTopUp(autoTopUp, config.topUps),
    formatters,
    labels,
    title: labels.title ?? config.featureName,
    titleId,
    onTopUp,
    onRetry,
    onOpenBreakdown,
    breakdown,
  };

  return (
    <div
      data-slot="credit-balance"
      data-state={shown.dataState}
      data-size={size ?? 'default'}
      aria-busy={shown.dataState === 'loading' || undefined}
      role="group"
      aria-labelledby={titleId}
      className={cn(creditBalanceVariants({ size }), className)}
      {...props}
    >
      <CreditBalanceProvider value={context}>
        {children ?? (
          <>
            <CreditBalanceHeader>
              <CreditBalanceTitle />
              {ready(context) ? (action ?? <CreditBalanceTopUp />) : null}
            </CreditBalanceHeader>
            <CreditBalanceSkeleton />
            <CreditBalanceError />
            <CreditBalanceValue />
            <CreditBalanceMeter />
            <CreditBalanceDetails />
          </>
        )}
      </CreditBalanceProvider>
    </div>
  );
}

/** The row above the value: by default the title and the top-up action. */
export function CreditBalanceHeader({ className, ...props }: React.ComponentProps<'div'>) {
  return <div data-slot="credit-balance-header" className={cn('flex items-center justify-between gap-2', className)} {...props} />;
}

/** The heading that names the balance (and labels its group and meter): `labels.title`, else the config's feature name. */
export function CreditBalanceTitle({ className, children, ...props }: React.ComponentProps<'span'>) {
  const { title, titleId } = useCreditBalancePart();
  return (
    <span id={titleId} data-slot="credit-balance-title" className={cn('font-medium text-credits-muted-foreground', className)} {...props}>
      {children ?? title}
    </span>
  );
}

/** "Top up": rendered once the balance is known, when the root has `onTopUp` (the connected one opens its dialog). */
export function CreditBalanceTopUp({ className, children, onClick, ...props }: React.ComponentProps<'button'>) {
  const context = useCreditBalancePart();
  if (!context.onTopUp || !ready(context)) return null;
  return (
    <button
      type="button"
      data-slot="credit-balance-top-up"
      className={cn(buttonVariants({ variant: 'primary' }), className)}
      onClick={composeEventHandlers(onClick, context.onTopUp)}
      {...props}
    >
      {children ?? context.labels.topUp}
    </button>
  );
}

/** Placeholders while the customer loads (with the loading label for screen readers); nothing otherwise. */
export function CreditBalanceSkeleton({ className, ...props }: React.ComponentProps<'div'>) {
  const { dataState, labels } = useCreditBalancePart();
  if (dataState !== 'loading') return null;
  return (
    <div data-slot="credit-balance-skeleton" className={cn('flex flex-col gap-2', className)} {...props}>
      <span className="sr-only">{labels.loading}</span>
      <span aria-hidden="true" className="h-6 w-28 animate-pulse rounded bg-credits-foreground/10" />
      <span aria-hidden="true" className="h-1.5 w-full animate-pulse rounded-full bg-credits-foreground/10" />
    </div>
  );
}

/** The error message with Retry (when the root has `onRetry`), as an alert; nothing unless loading failed. */
export function CreditBalanceError({ className, children, ...props }: React.ComponentProps<'div'>) {
  const { dataState, labels, onRetry } = useCreditBalancePart();
  if (dataState !== 'error') return null;
  return (
    <div data-slot="credit-balance-error" role="alert" className={cn('flex items-center justify-between gap-2 text-credits-destructive', className)} {...props}>
      {children ?? (
        <>
          <span>{labels.error}</span>
          {onRetry ? (
            <button type="button" data-slot="credit-balance-retry" className={buttonVariants()} onClick={onRetry}>
              {labels.retry}
            </button>
          ) : null}
        </>
      )}
    </div>
  );
}

/**
 * The amount, its unit and its worth on one line (children replace them). A button when the root has `breakdown`
 * (it opens a dialog holding it) or `onOpenBreakdown`.
 */
export function CreditBalanceValue({ className, children, ...props }: React.ComponentProps<'div'>) {
  const context = useCreditBalancePart();
  if (!ready(context)) return null;
  const { breakdown, onOpenBreakdown, labels } = context;
  const content = children ?? (
    <>
      <CreditBalanceAmount /> <CreditBalanceUnit /> <CreditBalanceWorth />
    </>
  );
  const valueClass = cn('flex flex-wrap items-baseline gap-x-1 text-left', className);
  if (onOpenBreakdown === undefined && breakdown === undefined) {
    return (
      <div data-slot="credit-balance-value" className={valueClass} {...props}>
        {content}
      </div>
    );
  }
  const button = (
    <button
      type="button"
      data-slot="credit-balance-value"
      aria-haspopup={breakdown === undefined ? undefined : 'dialog'}
      className={cn(valueClass, '-mx-1 rounded-md px-1 outline-none hover:bg-credits-muted focus-visible:ring-2 focus-visible:ring-credits-ring')}
      onClick={breakdown === undefined ? onOpenBreakdown : undefined}
    >
      {content}
      <span className="sr-only">{` (${labels.openBreakdown})`}</span>
    </button>
  );
  return breakdown === undefined ? button : <BreakdownDialog trigger={button} onOpen={onOpenBreakdown} labels={labels}>{breakdown}</BreakdownDialog>;
}

/** The credits left ("6,000"), or "Unlimited". */
export function CreditBalanceAmount({ className, children, ...props }: React.ComponentProps<'span'>) {
  const { state, formatters, labels } = useCreditBalancePart();
  return (
    <span
      data-slot="credit-balance-amount"
      className={cn('text-2xl font-semibold tracking-tight tabular-nums group-data-[size=compact]/credit-balance:text-base', className)}
      {...props}
    >
      {children ?? (state.unlimited ? labels.unlimited : formatters.credits(state.remaining))}
    </span>
  );
}

/** "credits" after the amount; nothing on an unlimited balance. */
export function CreditBalanceUnit({ className, children, ...props }: React.ComponentProps<'span'>) {
  const { state, labels } = useCreditBalancePart();
  if (state.unlimited) return null;
  return (
    <span data-slot="credit-balance-unit" className={cn('text-credits-muted-foreground', className)} {...props}>
      {children ?? labels.unit}
    </span>
  );
}

/** What the credits left are worth ("≈ $1.50"); nothing on an unlimited balance or when the rate is unusable. */
export function CreditBalanceWorth({ className, children, ...props }: React.ComponentProps<'span'>) {
  const { state, usd, formatters, labels } = useCreditBalancePart();
  if (state.unlimited || usd === null) return null;
  return (
    <span data-slot="credit-balance-worth" className={cn('text-credits-muted-foreground tabular-nums', className)} {...props}>
      {children ?? labels.worth(formatters.money(usd))}
    </span>
  );
}

/** The `role="meter"` bar of what is left (0–100 %, with an Intl value text); nothing when there is no total. */
export function CreditBalanceMeter({ className, ...props }: Omit<React.ComponentProps<'div'>, 'children'>) {
  const context = useCreditBalancePart();
  const { percent, formatters, labels, state, total } = context;
  if (percent === null || !ready(context)) return null;
  return (
    <div
      data-slot="credit-balance-meter"
      role="meter"
      aria-label={context.title}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={meterValue(percent)}
      aria-valuetext={labels.valueText(formatters.credits(state.remaining), formatters.credits(total))}
      // The track's edge at 3:1 against the card, light and dark (WCAG 1.4.11): an empty meter is still a meter.
      className={cn('h-1.5 w-full overflow-hidden rounded-full bg-credits-foreground/10 ring-1 ring-credits-muted-foreground/75 ring-inset', className)}
      {...props}
    >
      <div
        data-slot="credit-balance-indicator"
        className={cn(
          'h-full rounded-full bg-credits-primary transition-[width]',
          'group-data-[state=low]/credit-balance:bg-credits-warning group-data-[state=empty]/credit-balance:bg-credits-destructive',
          'group-data-[state=overage]/credit-balance:bg-credits-destructive',
        )}
        style={{ width: `${percent}%` }}
      />
    </div>
  );
}

/**
 * "of 8,000 · 200 credits over the balance · Tops up 40,000 at 2,000 or less · Resets Dec 1": the parts that apply;
 * nothing when none does.
 */
export function CreditBalanceDetails({ className, ...props }: Omit<React.ComponentProps<'p'>, 'children'>) {
  const context = useCreditBalancePart();
  const { state, total, formatters, labels } = context;
  const parts: string[] = [];
  if (!ready(context)) return null;
  if (!state.unlimited && total > 0) parts.push(labels.ofTotal(formatters.credits(total)));
  if (state.overage > 0) parts.push(labels.overage(formatters.credits(state.overage)));
  if (context.autoTopUp) parts.push(labels.autoTopUp(formatters.credits(context.autoTopUp.credits), formatters.credits(context.autoTopUp.threshold)));
  if (state.nextResetAt !== null) parts.push(labels.resets(formatters.date(state.nextResetAt)));
  if (parts.length === 0) return null;
  // One flex item per part, each with its "·" centred in the 0.75 rem gap before it (an absolute box as wide as the
  // gap, so no font's dot width moves the text): the first part of every line has its dot outside the clipped box,
  // so a wrapped line never starts or ends with a separator.
  return (
    <p
      data-slot="credit-balance-details"
      className={cn(
        'flex flex-wrap gap-x-3 overflow-hidden text-xs text-credits-muted-foreground tabular-nums group-data-[size=compact]/credit-balance:hidden',
        "*:relative *:before:absolute *:before:-start-3 *:before:w-3 *:before:text-center *:before:content-['·']",
        className,
      )}
      {...props}
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
  children,
}: {
  trigger: React.ReactElement;
  onOpen: (() => void) | undefined;
  labels: CreditBalanceLabels;
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
      {canTopUp && onTopUp === undefined ? <TopUpDialogOnDemand open={dialogOpen} onOpenChange={setDialogOpen} /> : null}
    </>
  );
}
