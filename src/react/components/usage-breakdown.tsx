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
 * side never imports the server code; it only accepts the data.
 */
import * as React from 'react';
import { cva, type VariantProps } from 'class-variance-authority';
import type { CreditsConfig } from '../../core/config.js';
import { creditsToUnits, creditsToUsd, unitsToCredits } from '../../core/money.js';
import { displayAmount } from '../lib/amounts.js';
import { buttonVariants } from '../lib/button.js';
import { cn } from '../lib/cn.js';
import { withLabels } from '../lib/labels.js';
import { useCreditsFormat } from '../lib/credits-format.js';

/** How many items are shown before the rest is grouped as "Other". */
const DEFAULT_MAX_ITEMS = 5;
/** Skeleton bars while loading. */
const SKELETON_ROWS = 3;
/** Widths of the skeleton bars, in %: a plausible descending chart. */
const SKELETON_WIDTHS = [90, 60, 35] as const;
/** Basis points per 100%: shares are computed as integers of 1/100 %. */
const BASIS_POINTS = 10_000n;

/** One thing credits were spent on. */
export interface UsageBreakdownItem {
  readonly id: string;
  /** Shown name; default the id. */
  readonly label?: string | null | undefined;
  /** Credits spent (a number or decimal string). Unreadable values show "—" and count as 0. */
  readonly credits: number | string;
  /** Its price in the config currency; derived from the credits when missing. */
  readonly usd?: number | string | null | undefined;
}

/** What `load()` may resolve with: the items, or the items and the period's total. */
export type UsageBreakdownData = readonly UsageBreakdownItem[] | { readonly items: readonly UsageBreakdownItem[]; readonly total?: number | string | null | undefined };

/** One row of the chart, every number checked. */
export interface UsageBreakdownRow {
  readonly key: string;
  readonly id: string;
  readonly label: string;
  /** null: unreadable. */
  readonly credits: number | null;
  readonly usd: number | null;
  /** Share of the total, 0..100. */
  readonly percent: number;
  /** Items grouped in this row ("Other"); 0 for a single item. */
  readonly grouped: number;
}

export interface UsageBreakdownSummary {
  readonly rows: readonly UsageBreakdownRow[];
  /** The total the shares are of: the larger of the given total and the items' sum. */
  readonly total: number;
}

interface Parsed {
  readonly index: number;
  readonly id: string;
  readonly label: string | null;
  readonly units: bigint | null;
  readonly usd: number | null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function unitsOf(value: unknown, decimals: number): bigint | null {
  const amount = displayAmount(value);
  if (amount === null) return null;
  try {
    return creditsToUnits(amount, decimals);
  } catch {
    return null;
  }
}

function share(units: bigint, total: bigint): number {
  if (total <= 0n || units <= 0n) return 0;
  const basisPoints = (units * BASIS_POINTS) / total;
  return Math.min(100, Math.max(0, Number(basisPoints) / 100));
}

function safeUsd(units: bigint, decimals: number, creditsPerUsd: number): number | null {
  try {
    return creditsToUsd(unitsToCredits(units, decimals), { creditsPerUsd, creditDecimals: decimals });
  } catch {
    return null;
  }
}

/**
 * The chart's rows from raw items (a pure function): sorted by credits (unreadable last, ties in given order), the
 * first `maxItems` kept and the rest summed into one "Other" row (`id` `__other__`, `grouped` = how many). Shares are
 * of `max(total, sum)`, so they stay within 0..100 and never sum above 100.
 */
export function usageBreakdownRows(
  items: unknown,
  options: {
    total?: unknown;
    maxItems?: number | undefined;
    config?: Pick<CreditsConfig, 'creditsPerUsd' | 'creditDecimals'> | undefined;
  } = {},
): UsageBreakdownSummary {
  const decimals = options.config?.creditDecimals ?? 6;
  const creditsPerUsd = options.config?.creditsPerUsd ?? 4000;
  const maxItems = Number.isFinite(options.maxItems) ? Math.max(1, Math.floor(options.maxItems as number)) : DEFAULT_MAX_ITEMS;

  const parsed: Parsed[] = (Array.isArray(items) ? items : []).flatMap((item: unknown, index): Parsed[] => {
    if (!isObject(item)) return [];
    const id = typeof item.id === 'string' || typeof item.id === 'number' ? String(item.id) : `item-${index}`;
    const label = typeof item.label === 'string' && item.label.trim() !== '' ? item.label : null;
    return [{ index, id, label, units: unitsOf(item.credits, decimals), usd: displayAmount(item.usd) }];
  });
  parsed.sort((a, b) => {
    if (a.units === null || b.units === null) return a.units === b.units ? a.index - b.index : a.units === null ? 1 : -1;
    return a.units === b.units ? a.index - b.index : a.units > b.units ? -1 : 1;
  });

  let sum = 0n;
  for (const item of parsed) sum += item.units ?? 0n;
  const given = unitsOf(options.total, decimals);
  const totalUnits = given !== null && given > sum ? given : sum;

  const toRow = (item: Parsed): UsageBreakdownRow => ({
    key: `${item.index}:${item.id}`,
    id: item.id,
    label: item.label ?? item.id,
    credits: item.units === null ? null : unitsToCredits(item.units, decimals),
    usd: item.usd ?? (item.units === null ? null : safeUsd(item.units, decimals, creditsPerUsd)),
    percent: item.units === null ? 0 : share(item.units, totalUnits),
    grouped: 0,
  });

  // Grouping a single leftover item would only hide its name.
  const shown = parsed.length > maxItems + 1 ? parsed.slice(0, maxItems) : parsed;
  const rest = parsed.slice(shown.length);
  const rows = shown.map(toRow);
  if (rest.length > 0) {
    let otherUnits = 0n;
    for (const item of rest) otherUnits += item.units ?? 0n;
    rows.push({
      key: '__other__',
      id: '__other__',
      label: '',
      credits: unitsToCredits(otherUnits, decimals),
      usd: safeUsd(otherUnits, decimals, creditsPerUsd),
      percent: share(otherUnits, totalUnits),
      grouped: rest.length,
    });
  }
  return { rows, total: unitsToCredits(totalUnits, decimals) };
}

/** One data attribute for the root. */
export type UsageBreakdownState = 'loading' | 'error' | 'empty' | 'ready';

/** The root's state (a pure function): an error wins, then loading without rows to show, then empty. */
export function usageBreakdownState(input: { loading?: boolean | undefined; error?: unknown; rows: number }): UsageBreakdownState {
  if (input.error !== undefined && input.error !== null && input.error !== false) return 'error';
  if (input.rows === 0) return input.loading ? 'loading' : 'empty';
  return 'ready';
}

export interface UsageBreakdownLabels {
  /** Names the chart (its list is labelled by it). */
  readonly title: string;
  readonly unit: string;
  /** The grouped row: "Other (12)". */
  readonly other: (count: number) => string;
  readonly total: string;
  /** For an item without a label or id. */
  readonly untitled: string;
  readonly empty: string;
  readonly loading: string;
  readonly error: string;
  readonly retry: string;
}

export const DEFAULT_USAGE_BREAKDOWN_LABELS: UsageBreakdownLabels = Object.freeze({
  title: 'Usage by thread',
  unit: 'credits',
  other: (count: number) => `Other (${count})`,
  total: 'Total',
  untitled: 'Untitled',
  empty: 'No usage in this period yet.',
  loading: 'Loading usage…',
  error: 'Could not load usage.',
  retry: 'Retry',
});

export interface UsageBreakdownClassNames {
  readonly title?: string;
  readonly list?: string;
  readonly item?: string;
  readonly label?: string;
  readonly value?: string;
  readonly percent?: string;
  readonly track?: string;
  readonly bar?: string;
  readonly total?: string;
  readonly empty?: string;
  readonly error?: string;
  readonly retry?: string;
  readonly skeleton?: string;
}

export const usageBreakdownVariants = cva('flex flex-col gap-2 text-credits-foreground', {
  variants: {
    size: {
      compact: 'gap-1.5 text-xs',
      default: 'text-sm',
    },
  },
  defaultVariants: { size: 'default' },
});

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
    classNames?: UsageBreakdownClassNames | undefined;
  };

/** The usage chart from props: items, or the loading, error and empty states. */
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
  classNames,
  className,
  ...props
}: UsageBreakdownViewProps) {
  const format = useCreditsFormat({ config, locale, currency });
  const { formatters } = format;
  const labels = withLabels(DEFAULT_USAGE_BREAKDOWN_LABELS, labelOverrides);
  const summary = React.useMemo(
    () => usageBreakdownRows(items, { total, maxItems, config: format.config }),
    [items, total, maxItems, format.config],
  );
  const state = usageBreakdownState({ loading, error, rows: summary.rows.length });
  const titleId = React.useId();

  return (
    <div
      data-slot="usage-breakdown"
      data-state={state}
      data-size={size ?? 'default'}
      aria-busy={loading || undefined}
      className={cn(usageBreakdownVariants({ size }), className)}
      {...props}
    >
      <p id={titleId} data-slot="usage-breakdown-title" className={cn('font-medium', classNames?.title)}>
        {labels.title}
      </p>

      {state === 'error' ? (
        <div data-slot="usage-breakdown-error" role="alert" className={cn('flex items-center justify-between gap-2 text-credits-destructive', classNames?.error)}>
          <span>{labels.error}</span>
          {onRetry ? (
            <button type="button" data-slot="usage-breakdown-retry" className={cn(buttonVariants(), classNames?.retry)} onClick={onRetry}>
              {labels.retry}
            </button>
          ) : null}
        </div>
      ) : null}

      {state === 'loading' ? (
        <div data-slot="usage-breakdown-skeleton" role="status" className={cn('flex flex-col gap-2', classNames?.skeleton)}>
          <span className="sr-only">{labels.loading}</span>
          {Array.from({ length: SKELETON_ROWS }, (_, index) => (
            <div key={index} aria-hidden="true" className="flex flex-col gap-1">
              <div className="h-3 w-24 animate-pulse rounded bg-credits-muted" />
              <div className="h-2 animate-pulse rounded-full bg-credits-muted" style={{ width: `${SKELETON_WIDTHS[index] ?? 50}%` }} />
            </div>
          ))}
        </div>
      ) : null}

      {state === 'empty' ? (
        <p data-slot="usage-breakdown-empty" className={cn('text-credits-muted-foreground', classNames?.empty)}>
          {labels.empty}
        </p>
      ) : null}

      {state === 'ready' ? (
        <>
          <ol aria-labelledby={titleId} data-slot="usage-breakdown-list" className={cn('flex flex-col gap-2', classNames?.list)}>
            {summary.rows.map((row) => {
              const name = row.grouped > 0 ? labels.other(row.grouped) : row.label || labels.untitled;
              const percent = formatters.percent(row.percent);
              return (
                <li
                  key={row.key}
                  data-slot="usage-breakdown-item"
                  data-other={row.grouped > 0 ? '' : undefined}
                  className={cn('flex flex-col gap-1', classNames?.item)}
                >
                  <div className="flex items-baseline justify-between gap-3">
                    <span data-slot="usage-breakdown-label" title={name} className={cn('min-w-0 truncate', classNames?.label)}>
                      {name}
                    </span>{' '}
                    <span data-slot="usage-breakdown-value" className={cn('shrink-0 tabular-nums text-credits-muted-foreground', classNames?.value)}>
                      {row.credits === null ? '—' : `${formatters.credits(row.credits)} ${labels.unit}`}
                      {showPrice && row.usd !== null ? ` · ${formatters.money(row.usd)}` : null}{' '}
                      <span data-slot="usage-breakdown-percent" className={cn('font-medium text-credits-foreground', classNames?.percent)}>
                        {percent}
                      </span>
                    </span>
                  </div>
                  <div
                    data-slot="usage-breakdown-track"
                    aria-hidden="true"
                    className={cn('h-2 overflow-hidden rounded-full bg-credits-muted', classNames?.track)}
                  >
                    <div
                      data-slot="usage-breakdown-bar"
                      data-other={row.grouped > 0 ? '' : undefined}
                      className={cn('h-full rounded-full bg-credits-primary data-other:bg-credits-muted-foreground/50', classNames?.bar)}
                      style={{ width: `${row.percent}%` }}
                    />
                  </div>
                </li>
              );
            })}
          </ol>
          <p data-slot="usage-breakdown-total" className={cn('flex justify-between gap-3 border-t border-credits-border pt-2 font-medium tabular-nums', classNames?.total)}>
            <span>{labels.total}</span>{' '}
            <span>{`${formatters.credits(summary.total)} ${labels.unit}`}</span>
          </p>
        </>
      ) : null}
    </div>
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

/**
 * How long a charge takes to reach Autumn's usage aggregates (`events.aggregate`): its events are batched into an
 * analytics store and show up seconds after the balance moved; Autumn's own tests allow 3 s.
 */
export const AUTUMN_EVENT_LAG_MS = 3_000;

/** Pending charges are summed in units of 10^-9 credits: exact for every config's precision (6 to 9 places). */
const PENDING_DECIMALS = 9;

/** A charge the app already knows of (e.g. a `MessageCostRecord` just settled) that `load()` may not show yet. */
export interface UsageBreakdownPending {
  /** The charge's identity (the cost record's id): one entry per charge. */
  readonly id: string;
  /** The item it adds to (a thread id); a new row when `load()` has none. */
  readonly itemId: string;
  readonly label?: string | null | undefined;
  readonly credits: number | string;
  /** When it was charged (ms since epoch); default: when the component first saw it. */
  readonly at?: number | undefined;
}

function readData(data: unknown): Pick<LoadState, 'items' | 'total'> {
  if (Array.isArray(data)) return { items: data as UsageBreakdownItem[], total: null };
  if (isObject(data) && Array.isArray(data.items)) {
    const total = typeof data.total === 'number' || typeof data.total === 'string' ? data.total : null;
    return { items: data.items as UsageBreakdownItem[], total };
  }
  return { items: [], total: null };
}

/**
 * Loaded items plus the pending charges a load cannot have seen yet (a pure function). A load that started at `T`
 * shows every charge made before `T - lagMs` (`startedAt` null: no load has answered); later ones are added on top,
 * to their item (or as a new row), and to the total. Amounts are summed exactly; an unreadable one is left out.
 */
export function withPendingUsage(
  items: readonly UsageBreakdownItem[] | null | undefined,
  total: number | string | null | undefined,
  pending: ReadonlyArray<{ readonly itemId: string; readonly label?: string | null | undefined; readonly credits: number | string; readonly at: number }>,
  startedAt: number | null,
  lagMs: number,
): { items: readonly UsageBreakdownItem[] | null | undefined; total: number | string | null | undefined } {
  let rows = items ?? [];
  let added = 0n;
  for (const charge of pending) {
    const units = unitsOf(charge.credits, PENDING_DECIMALS);
    if (!units || units < 0n || (startedAt !== null && charge.at <= startedAt - lagMs)) continue;
    added += units;
    const index = rows.findIndex((item) => item.id === charge.itemId);
    const row = rows[index] ?? { id: charge.itemId, label: charge.label ?? null, credits: 0 };
    const next = { ...row, credits: unitsToCredits((unitsOf(row.credits, PENDING_DECIMALS) ?? 0n) + units, PENDING_DECIMALS), usd: undefined };
    rows = index < 0 ? [...rows, next] : rows.map((item, at) => (at === index ? next : item));
  }
  if (!added) return { items, total };
  const totalUnits = unitsOf(total, PENDING_DECIMALS);
  return { items: rows, total: totalUnits === null ? total : unitsToCredits(totalUnits + added, PENDING_DECIMALS) };
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
