'use client';
/**
 * `UsageBreakdown`: where the credits went — per chat thread, canvas or feature — as a small horizontal bar chart.
 *
 * The chart IS an ordered list: each item reads "Thread title, 1,234 credits, 45%" to a screen reader, and its bar is
 * decoration drawn from the same numbers (no chart library, no second copy for assistive technology to drift from).
 * Sorted by credits, the top `maxItems` shown and the rest grouped as "Other"; shares computed in exact micro-credits,
 * never NaN, negative or above 100%.
 *
 * `UsageBreakdownView` renders from props (items, loading, error, empty); `UsageBreakdown` takes the items or a
 * `load()` function — e.g. a fetch of a route that returns the server helper's `meter.usageByThread(...)`. The React
 * side never imports the server code; it only accepts the data. Both are composed from exported parts (title, error,
 * skeleton, empty, the list with one item per row — label, value, percent, track — and the total), which a team
 * rearranges.
 */
import * as React from 'react';
import type { VariantProps } from 'class-variance-authority';
import {
  AUTUMN_EVENT_LAG_MS,
  buttonVariants,
  createPartsContext,
  DEFAULT_MONEY_CONFIG,
  DEFAULT_USAGE_BREAKDOWN_LABELS,
  usageBreakdownRows,
  usageBreakdownState,
  usageBreakdownVariants,
  useCreditFormatters,
  useInheritedCreditsFormat,
  withLabels,
  withPendingUsage,
  type CreditFormatters,
  type CreditsConfig,
  type UsageBreakdownData,
  type UsageBreakdownItem,
  type UsageBreakdownLabels,
  type UsageBreakdownPending,
  type UsageBreakdownRow,
  type UsageBreakdownState,
} from 'autumn-ai-credits';
import { cn } from '@/lib/utils';

/** Skeleton bars while loading. */
const SKELETON_ROWS = 3;
/** Widths of the skeleton bars, in %: a plausible descending chart. */
const SKELETON_WIDTHS = [90, 60, 35] as const;

export type UsageBreakdownViewProps = Omit<React.ComponentPropsWithoutRef<'div'>, 'children'> &
  VariantProps<typeof usageBreakdownVariants> & {
    items?: readonly UsageBreakdownItem[] | null | undefined;
    /** The period's total, when the items are only part of it; default their sum. */
    total?: number | string | null | undefined;
    /** Items shown before the rest is grouped as "Other". Default 5. */
    maxItems?: number | undefined;
    /** Shows each item's price beside its credits. */
    showPrice?: boolean | undefined;
    loading?: boolean | undefined;
    /** Anything but undefined/null/false shows the error state. */
    error?: unknown;
    /** Shows "Retry" in the error state. */
    onRetry?: (() => void) | undefined;
    config?: CreditsConfig | undefined;
    locale?: string | undefined;
    currency?: string | undefined;
    labels?: Partial<UsageBreakdownLabels> | undefined;
    /** Your arrangement of the parts, replacing the default layout (see `UsageBreakdownView`). */
    children?: React.ReactNode;
  };

/** What `UsageBreakdownView` resolved from its props, for its parts (`useUsageBreakdown`). */
export interface UsageBreakdownContextValue {
  readonly state: UsageBreakdownState;
  /** The chart's rows, sorted, the rest grouped as "Other" (`usageBreakdownRows`). */
  readonly rows: readonly UsageBreakdownRow[];
  /** The total the shares are of. */
  readonly total: number;
  readonly showPrice: boolean;
  readonly formatters: CreditFormatters;
  readonly labels: UsageBreakdownLabels;
  /** The title's id, which names the list. */
  readonly titleId: string;
  readonly onRetry: (() => void) | undefined;
}

const [UsageBreakdownProvider, useUsageBreakdownPart] = createPartsContext<UsageBreakdownContextValue>('UsageBreakdown');
const [UsageBreakdownRowProvider, useUsageBreakdownRowPart] = createPartsContext<UsageBreakdownRow>('UsageBreakdownList');

/**
 * What the nearest `UsageBreakdown` (or `UsageBreakdownView`) resolved — its state, rows, total, formatters and
 * labels — for a part of your own. Throws outside one.
 */
export const useUsageBreakdown: () => UsageBreakdownContextValue = useUsageBreakdownPart;

/** The row a part inside `UsageBreakdownList` stands for (its label, credits, price, share), for a part of your own. */
export const useUsageBreakdownRow: () => UsageBreakdownRow = useUsageBreakdownRowPart;

/**
 * The usage chart from props: items, or the loading, error and empty states.
 *
 * Its `children` replace the default layout with your own arrangement of the parts (`UsageBreakdownTitle`,
 * `UsageBreakdownError`, `UsageBreakdownSkeleton`, `UsageBreakdownEmpty`, `UsageBreakdownList` with
 * `UsageBreakdownListItem`, `UsageBreakdownLabel`, `UsageBreakdownValue`, `UsageBreakdownPercent`, `UsageBreakdownTrack`,
 * and `UsageBreakdownTotal`); each part renders only in the states it belongs to.
 */
export function UsageBreakdownView({
  items,
  total,
  maxItems,
  showPrice = false,
  loading = false,
  error,
  onRetry,
  config,
  locale,
  currency,
  size,
  labels: labelOverrides,
  className,
  children,
  ...props
}: UsageBreakdownViewProps) {
  const formatters = useCreditFormatters({ config, locale, currency });
  const inherited = useInheritedCreditsFormat();
  // The rates for prices derived from credits: the config given, the provider's, else the default rate and precision
  // (only the money fields: the breakdown never loads the default plans).
  const rates = config ?? inherited?.config ?? DEFAULT_MONEY_CONFIG;
  const summary = React.useMemo(() => usageBreakdownRows(items, { total, maxItems, config: rates }), [items, total, maxItems, rates]);
  const state = usageBreakdownState({ loading, error, rows: summary.rows.length });
  const context: UsageBreakdownContextValue = {
    state,
    rows: summary.rows,
    total: summary.total,
    showPrice,
    formatters,
    labels: withLabels(DEFAULT_USAGE_BREAKDOWN_LABELS, labelOverrides),
    titleId: React.useId(),
    onRetry,
  };

  return (
    <div
      data-slot="usage-breakdown"
      data-state={state}
      data-size={size ?? 'default'}
      aria-busy={loading || undefined}
      className={cn(usageBreakdownVariants({ size }), className)}
      {...props}
    >
      <UsageBreakdownProvider value={context}>
        {children ?? (
          <>
            <UsageBreakdownTitle />
            <UsageBreakdownError />
            <UsageBreakdownSkeleton />
            <UsageBreakdownEmpty />
            <UsageBreakdownList />
            <UsageBreakdownTotal />
          </>
        )}
      </UsageBreakdownProvider>
    </div>
  );
}

/** The chart's title ("Usage by thread"), which names the list; in every state. */
export function UsageBreakdownTitle({ className, children, ...props }: React.ComponentProps<'p'>) {
  const { titleId, labels } = useUsageBreakdownPart();
  return (
    <p id={titleId} data-slot="usage-breakdown-title" className={cn('font-medium', className)} {...props}>
      {children ?? labels.title}
    </p>
  );
}

/** The error message with Retry (when the root has `onRetry`), as an alert; nothing unless loading failed. */
export function UsageBreakdownError({ className, children, ...props }: React.ComponentProps<'div'>) {
  const { state, labels, onRetry } = useUsageBreakdownPart();
  if (state !== 'error') return null;
  return (
    <div data-slot="usage-breakdown-error" role="alert" className={cn('flex items-center justify-between gap-2 text-credits-destructive', className)} {...props}>
      {children ?? (
        <>
          <span>{labels.error}</span>
          {onRetry ? (
            <button type="button" data-slot="usage-breakdown-retry" className={buttonVariants()} onClick={onRetry}>
              {labels.retry}
            </button>
          ) : null}
        </>
      )}
    </div>
  );
}

/** Placeholder bars while the first items load (with the loading label as a status); nothing otherwise. */
export function UsageBreakdownSkeleton({ className, ...props }: Omit<React.ComponentProps<'div'>, 'children'>) {
  const { state, labels } = useUsageBreakdownPart();
  if (state !== 'loading') return null;
  return (
    <div data-slot="usage-breakdown-skeleton" role="status" className={cn('flex flex-col gap-2', className)} {...props}>
      <span className="sr-only">{labels.loading}</span>
      {Array.from({ length: SKELETON_ROWS }, (_, index) => (
        <div key={index} aria-hidden="true" className="flex flex-col gap-1">
          <div className="h-3 w-24 animate-pulse rounded bg-credits-foreground/10" />
          <div className="h-2 animate-pulse rounded-full bg-credits-foreground/10" style={{ width: `${SKELETON_WIDTHS[index] ?? 50}%` }} />
        </div>
      ))}
    </div>
  );
}

/** "No usage in this period yet.": only when there is nothing to show. */
export function UsageBreakdownEmpty({ className, children, ...props }: React.ComponentProps<'p'>) {
  const { state, labels } = useUsageBreakdownPart();
  if (state !== 'empty') return null;
  return (
    <p data-slot="usage-breakdown-empty" className={cn('text-credits-muted-foreground', className)} {...props}>
      {children ?? labels.empty}
    </p>
  );
}

/**
 * The chart: an ordered list named by the title, once there are rows. Its children are the layout of ONE row,
 * rendered for each row with that row's context (default `<UsageBreakdownListItem />`).
 */
export function UsageBreakdownList({ className, children, ...props }: React.ComponentProps<'ol'>) {
  const { state, rows, titleId } = useUsageBreakdownPart();
  if (state !== 'ready') return null;
  return (
    <ol aria-labelledby={titleId} data-slot="usage-breakdown-list" className={cn('flex flex-col gap-2', className)} {...props}>
      {rows.map((row) => (
        <UsageBreakdownRowProvider key={row.key} value={row}>
          {children ?? <UsageBreakdownListItem />}
        </UsageBreakdownRowProvider>
      ))}
    </ol>
  );
}

/** One row as a list item (`data-other` on the grouped row): by default its label and value over its bar. */
export function UsageBreakdownListItem({ className, children, ...props }: React.ComponentProps<'li'>) {
  const row = useUsageBreakdownRowPart();
  return (
    <li data-slot="usage-breakdown-item" data-other={row.grouped > 0 ? '' : undefined} className={cn('flex flex-col gap-1', className)} {...props}>
      {children ?? (
        <>
          <div className="flex items-baseline justify-between gap-3">
            <UsageBreakdownLabel />{' '}
            <UsageBreakdownValue />
          </div>
          <UsageBreakdownTrack />
        </>
      )}
    </li>
  );
}

/** The row's name (truncated, whole in its `title`): the item's label, "Other (n)" or "Untitled". */
export function UsageBreakdownLabel({ className, children, ...props }: React.ComponentProps<'span'>) {
  const row = useUsageBreakdownRowPart();
  const { labels } = useUsageBreakdownPart();
  const name = row.grouped > 0 ? labels.other(row.grouped) : row.label || labels.untitled;
  return (
    <span data-slot="usage-breakdown-label" title={name} className={cn('min-w-0 truncate', className)} {...props}>
      {children ?? name}
    </span>
  );
}

/** "3,000 credits" ("—" when unreadable), the price when the root has `showPrice`, and the share. */
export function UsageBreakdownValue({ className, children, ...props }: React.ComponentProps<'span'>) {
  const row = useUsageBreakdownRowPart();
  const { formatters, labels, showPrice } = useUsageBreakdownPart();
  return (
    <span data-slot="usage-breakdown-value" className={cn('shrink-0 tabular-nums text-credits-muted-foreground', className)} {...props}>
      {children ?? (
        <>
          {row.credits === null ? '—' : `${formatters.credits(row.credits)} ${labels.unit}`}
          {showPrice && row.usd !== null ? ` · ${formatters.money(row.usd)}` : null}{' '}
          {/* A right-aligned column: the shares line up, and never touch the price. */}
          <UsageBreakdownPercent />
        </>
      )}
    </span>
  );
}

/** The row's share of the total ("60%"). */
export function UsageBreakdownPercent({ className, children, ...props }: React.ComponentProps<'span'>) {
  const row = useUsageBreakdownRowPart();
  const { formatters } = useUsageBreakdownPart();
  return (
    <span data-slot="usage-breakdown-percent" className={cn('inline-block min-w-10 text-end font-medium text-credits-foreground', className)} {...props}>
      {children ?? formatters.percent(row.percent)}
    </span>
  );
}

/** The row's bar in its track: decoration (`aria-hidden`), drawn from the same share the list item reads. */
export function UsageBreakdownTrack({ className, ...props }: Omit<React.ComponentProps<'div'>, 'children'>) {
  const row = useUsageBreakdownRowPart();
  const other = row.grouped > 0 ? '' : undefined;
  return (
    <div data-slot="usage-breakdown-track" aria-hidden="true" className={cn('h-2 overflow-hidden rounded-full bg-credits-foreground/10', className)} {...props}>
      <div
        data-slot="usage-breakdown-bar"
        data-other={other}
        className="h-full rounded-full bg-credits-primary data-other:bg-credits-muted-foreground/50"
        style={{ width: `${row.percent}%` }}
      />
    </div>
  );
}

/** "Total 5,000 credits" under the list, once there are rows. */
export function UsageBreakdownTotal({ className, children, ...props }: React.ComponentProps<'p'>) {
  const { state, total, formatters, labels } = useUsageBreakdownPart();
  if (state !== 'ready') return null;
  return (
    <p data-slot="usage-breakdown-total" className={cn('flex justify-between gap-3 border-t border-credits-border pt-2 font-medium tabular-nums', className)} {...props}>
      {children ?? (
        <>
          <span>{labels.total}</span>{' '}
          <span>{`${formatters.credits(total)} ${labels.unit}`}</span>
        </>
      )}
    </p>
  );
}

interface LoadState {
  readonly status: 'idle' | 'loading' | 'ready' | 'error';
  readonly items: readonly UsageBreakdownItem[] | null;
  readonly total: number | string | null;
  readonly error: unknown;
  /** When the load whose answer is shown started (ms since epoch); null before the first answer. */
  readonly startedAt: number | null;
}

const IDLE: LoadState = { status: 'idle', items: null, total: null, error: null, startedAt: null };

function readData(data: unknown): Pick<LoadState, 'items' | 'total'> {
  if (Array.isArray(data)) return { items: data as UsageBreakdownItem[], total: null };
  const { items, total } = (typeof data === 'object' && data !== null ? data : {}) as { items?: unknown; total?: unknown };
  if (Array.isArray(items)) return { items: items as UsageBreakdownItem[], total: typeof total === 'number' || typeof total === 'string' ? total : null };
  return { items: [], total: null };
}

export type UsageBreakdownProps = Omit<UsageBreakdownViewProps, 'loading' | 'error' | 'onRetry'> & {
  /**
   * Fetches the items (or `{ items, total }`), e.g. from a route that answers with `meter.usageByThread(...)`. Called
   * on mount, on Retry, and when `loadKey` changes; a newer call's answer always wins over an older one.
   */
  load?: (() => Promise<UsageBreakdownData> | UsageBreakdownData) | undefined;
  /** Reloads when it changes (a date range, a customer id). `load` itself may be a new function every render. */
  loadKey?: unknown;
  /**
   * Charges the app already knows of (cost records just settled). Autumn's aggregates show a charge seconds after it
   * was made, so each one is added on top of what `load()` answers until a load that started `lagMs` after it has
   * answered; the component reloads by itself once that time has come. Needs `load`.
   */
  pending?: readonly UsageBreakdownPending[] | undefined;
  /** How long a charge may take to reach `load()`'s answer. Default {@link AUTUMN_EVENT_LAG_MS}. */
  lagMs?: number | undefined;
};

/**
 * `UsageBreakdownView` with its own loading: pass `items` you already have, or `load`. Reads the config and
 * formatters of the nearest `CreditsProvider` (never the balance, so balance updates do not re-render it). While a
 * reload runs, the last answer stays on screen (no skeleton flash); `pending` charges are shown at once.
 */
export function UsageBreakdown({ load, loadKey, items, total, pending, lagMs = AUTUMN_EVENT_LAG_MS, ...props }: UsageBreakdownProps) {
  const [state, setState] = React.useState<LoadState>(IDLE);
  const [attempt, setAttempt] = React.useState(0);
  const latestLoad = React.useRef(load);
  const firstSeen = React.useRef(new Map<string, number>());
  const hasLoad = load !== undefined;

  React.useEffect(() => {
    latestLoad.current = load;
  });

  React.useEffect(() => {
    if (!hasLoad) return;
    let current = true;
    const startedAt = Date.now();
    setState((previous) => ({ ...previous, status: 'loading', error: null }));
    Promise.resolve()
      .then(() => latestLoad.current?.())
      .then(
        (data) => {
          if (current) setState({ status: 'ready', ...readData(data), error: null, startedAt });
        },
        (error: unknown) => {
          if (current) setState((previous) => ({ ...previous, status: 'error', error: error ?? new Error('load failed') }));
        },
      );
    return () => {
      current = false;
    };
  }, [hasLoad, loadKey, attempt]);

  const retry = React.useCallback(() => setAttempt((value) => value + 1), []);

  // Pending charges with their times (first seen, when the app gave none).
  const seen = firstSeen.current;
  const charges = (pending ?? []).map((charge) => ({ ...charge, at: charge.at ?? seen.get(charge.id) ?? (seen.set(charge.id, Date.now()), Date.now()) }));
  const due = Math.max(...charges.map((charge) => charge.at)) + lagMs;

  // Reload once the newest pending charge must have reached the aggregates, so real numbers replace the estimate.
  React.useEffect(() => {
    if (!hasLoad || state.status !== 'ready' || !(due > (state.startedAt ?? due))) return;
    const timer = setTimeout(retry, due - Date.now());
    return () => clearTimeout(timer);
  }, [hasLoad, due, state.status, state.startedAt, retry]);

  if (!hasLoad) return <UsageBreakdownView {...props} items={items} total={total} />;
  const shown = withPendingUsage(state.items ?? items, state.total ?? total, charges, state.startedAt, lagMs);
  return (
    <UsageBreakdownView
      {...props}
      items={shown.items}
      total={shown.total}
      loading={state.status === 'loading' || state.status === 'idle'}
      error={state.status === 'error' ? state.error : undefined}
      onRetry={retry}
    />
  );
}
