/**
 * No `'use client'` (issue 13): what `UsageBreakdown` computes without React — its rows, state, labels, variants and
 * the pending-charge merge — callable from a Server Component or a Route Handler through the root entry.
 */
import { cva } from 'class-variance-authority';
import type { CreditsConfig } from '../../core/config.js';
import { creditUnits, unitsToString, usdOf } from '../../core/decimal.js';
import { displayAmount } from '../lib/amounts.js';

/** How many items are shown before the rest is grouped as "Other". */
const DEFAULT_MAX_ITEMS = 5;

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
  return amount === null ? null : creditUnits(amount, decimals);
}

/**
 * Credits from exact units, for display: beyond what a number holds exactly (~9e9 credits at 6 places) the nearest
 * number, never a throw — a chart of huge amounts still renders (it rounds to two places anyway).
 */
function unitsToCredits(units: bigint, decimals: number): number {
  return Number(unitsToString(units, decimals));
}

function share(units: bigint, total: bigint): number {
  if (total <= 0n || units <= 0n) return 0;
  const basisPoints = (units * BASIS_POINTS) / total;
  return Math.min(100, Math.max(0, Number(basisPoints) / 100));
}

function safeUsd(units: bigint, decimals: number, creditsPerUsd: number): number | null {
  return usdOf(unitsToString(units, decimals), creditsPerUsd);
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

export const usageBreakdownVariants = cva('flex flex-col gap-2 text-credits-foreground', {
  variants: {
    size: {
      compact: 'gap-1.5 text-xs',
      default: 'text-sm',
    },
  },
  defaultVariants: { size: 'default' },
});

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
