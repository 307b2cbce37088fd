/**
 * No `'use client'` (issue 13): what `UsageChart` computes without React — its series from Autumn's usage aggregates,
 * its state, labels, variants and axis — callable from a Server Component or a Route Handler through the root entry.
 *
 * The input is what Autumn's `events.aggregate` answers (server/src/internal/events/handlers/
 * handleExternalAggregateEvents.ts in Autumn's repository): `{ list: [{ period, values, grouped_values? }], total }`,
 * one entry per time bin, `period` the bin's start in epoch ms, `values` the sum per feature and, with `group_by`,
 * `grouped_values` the sum per feature and group value (`groupedValues` through autumn-js 1.3). Autumn zero-fills
 * every bin of the window and every group in every bin, ranks the groups per bin and sums those beyond `max_groups`
 * into `AUTUMN_RESERVED` (server/src/internal/analytics/actions/aggregate.ts, `formatGroupableResults`); its values
 * are rounded to 10 decimal places there. Purchases (top-ups, auto top-ups, plan grants) come as a list of their own
 * and are marked apart, never stacked with usage.
 */
import { cva } from 'class-variance-authority';
import { DEFAULT_FEATURE_ID } from '../../core/config.js';
import { creditUnits, unitsToString } from '../../core/decimal.js';

/** The ranges the chart offers: Autumn's rolling `range` values of the same name. */
export const USAGE_CHART_RANGES = ['7d', '30d', '90d'] as const;
export type UsageChartRange = (typeof USAGE_CHART_RANGES)[number];

/** What the usage is stacked by; the app maps it to Autumn's `group_by` (e.g. `properties.model`, `$entity_id`). */
export const USAGE_CHART_GROUPS = ['model', 'member'] as const;
export type UsageChartGroupBy = (typeof USAGE_CHART_GROUPS)[number];

/** One bar per day, or per week (Monday to Sunday, as Autumn's `bin_size: 'week'`). */
export type UsageChartBin = 'day' | 'week';

export type UsageChartPurchaseKind = 'top_up' | 'auto_top_up' | 'plan';

/** One time bin of `events.aggregate`'s answer, as Autumn's API (`grouped_values`) or autumn-js 1.3 (`groupedValues`) gives it. */
export interface UsageChartAggregateBin {
  /** The bin's start, epoch ms. */
  readonly period: number;
  /** Sum per feature id. */
  readonly values?: Readonly<Record<string, number>> | undefined;
  /** With `group_by`: sum per feature id, then per group value. */
  readonly grouped_values?: Readonly<Record<string, Readonly<Record<string, number>>>> | undefined;
  /** autumn-js 1.3's name for `grouped_values`. */
  readonly groupedValues?: Readonly<Record<string, Readonly<Record<string, number>>>> | undefined;
}

/** `events.aggregate`'s answer (its `total` is not read: the chart sums the bins it shows). */
export interface UsageChartAggregate {
  readonly list: readonly UsageChartAggregateBin[];
}

/** A purchase of credits, marked on the day it was made. */
export interface UsageChartPurchase {
  /** Identity, for React keys; default its position. */
  readonly id?: string | undefined;
  /** When, epoch ms or an ISO 8601 string. */
  readonly at: number | string;
  /** Credits bought (a number or decimal string, > 0). */
  readonly credits: number | string;
  readonly kind: UsageChartPurchaseKind;
}

/** What the chart shows: the aggregate, the purchases, and display names for the group values (member ids, model ids). */
export interface UsageChartData {
  readonly aggregate?: UsageChartAggregate | readonly UsageChartAggregateBin[] | null | undefined;
  readonly purchases?: readonly UsageChartPurchase[] | null | undefined;
  /** Display names by group value (`{ user_123: 'Ada' }`); a value without one shows as it is. */
  readonly names?: Readonly<Record<string, string>> | null | undefined;
}

/** One stacked series: a model, a member, "Other", or all usage when the aggregate is not grouped. */
export interface UsageChartSeriesItem {
  /** The group value; `__other__` for the grouped rest, `__total__` for ungrouped usage. */
  readonly key: string;
  /** Display name; null for "Other" and ungrouped usage (the labels name them). */
  readonly name: string | null;
  /** Credits over the whole chart. */
  readonly total: number;
  /** Group values summed into "Other" ("Other (3)"); 0 for any other series, and for an "Other" holding Autumn's overflow (count unknown). */
  readonly grouped: number;
  /** Position in the palette (`--credits-chart-1`…), or -1 for "Other". */
  readonly color: number;
}

export interface UsageChartPurchaseMark {
  readonly key: string;
  readonly at: number;
  readonly credits: number;
  readonly kind: UsageChartPurchaseKind;
}

/** One bar: a day or a week in the time zone. */
export interface UsageChartBucket {
  /** Its first day, `YYYY-MM-DD` in the time zone. */
  readonly key: string;
  /** Its first instant in the time zone (epoch ms), and the next bucket's. */
  readonly start: number;
  readonly end: number;
  /** Credits per series, in the order of `series`; never negative. */
  readonly values: readonly number[];
  readonly total: number;
  readonly purchases: readonly UsageChartPurchaseMark[];
  /** Credits bought in it. */
  readonly purchased: number;
}

export interface UsageChartModel {
  readonly range: UsageChartRange;
  readonly bin: UsageChartBin;
  /** The IANA zone the days are cut in. */
  readonly timeZone: string;
  /** The moment the last bucket holds (epoch ms). */
  readonly now: number;
  readonly buckets: readonly UsageChartBucket[];
  readonly series: readonly UsageChartSeriesItem[];
  readonly total: number;
  /** The largest bucket's total. */
  readonly max: number;
  readonly purchased: number;
  /** The purchase kinds shown, in a fixed order. */
  readonly purchaseKinds: readonly UsageChartPurchaseKind[];
  /** Inputs that could not be read (bins without a period, unreadable amounts, purchases without a date). */
  readonly dropped: number;
}

export interface UsageChartOptions {
  readonly range?: UsageChartRange | undefined;
  /** Default: by day for 7 and 30 days, by week for 90. */
  readonly bin?: UsageChartBin | undefined;
  /** IANA zone days are cut in; default UTC (the same on a server and in a browser). An unknown zone falls back to UTC. */
  readonly timeZone?: string | undefined;
  /** The moment the chart ends at (epoch ms); default the clock. */
  readonly now?: number | undefined;
  /** The feature whose usage is shown; default the only one in the answer, else `ai_credits`. */
  readonly featureId?: string | undefined;
  /** Series shown before the rest is summed as "Other"; 1 to 5 (the palette's size), default 5. */
  readonly maxSeries?: number | undefined;
}

/** Autumn rounds aggregate values to 10 places (`toDecimalPlaces(10)`): summed exactly at that precision. */
const PLACES = 10;
const DAY_MS = 86_400_000;
const RANGE_DAYS: Readonly<Record<UsageChartRange, number>> = { '7d': 7, '30d': 30, '90d': 90 };
/** The series colours (`--credits-chart-1` to `-5`); the rest is "Other". */
export const USAGE_CHART_PALETTE_SIZE = 5;
/** Where Autumn's aggregate pipe puts the groups beyond `max_groups`. */
const AUTUMN_OVERFLOW_GROUP = 'AUTUMN_RESERVED';
const OTHER = '__other__';
const TOTAL = '__total__';
const PURCHASE_KINDS: readonly UsageChartPurchaseKind[] = ['plan', 'top_up', 'auto_top_up'];

/** The number of days a range covers. */
export function usageChartDays(range: UsageChartRange): number {
  return RANGE_DAYS[range] ?? RANGE_DAYS['30d'];
}

/** The bar size a range is shown in by default: a day up to 30 days, a week for 90. */
export function defaultUsageChartBin(range: UsageChartRange): UsageChartBin {
  return range === '90d' ? 'week' : 'day';
}

const wallClocks = new Map<string, Intl.DateTimeFormat>();

function resolveZone(timeZone: string | undefined): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: timeZone ?? 'UTC' }).resolvedOptions().timeZone;
  } catch {
    return 'UTC';
  }
}

/** The wall-clock time of an instant in a zone, written as if it were UTC (epoch ms, whole seconds). */
function wallClock(ms: number, timeZone: string): number {
  let format = wallClocks.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    wallClocks.set(timeZone, format);
  }
  const part: Record<string, number> = {};
  for (const { type, value } of format.formatToParts(ms)) part[type] = Number(value);
  return Date.UTC(part.year ?? 1970, (part.month ?? 1) - 1, part.day ?? 1, (part.hour ?? 0) % 24, part.minute ?? 0, part.second ?? 0);
}

/** The calendar day (days since 1970-01-01) an instant falls on in a zone. */
function dayOf(ms: number, timeZone: string): number {
  return Math.floor(wallClock(ms, timeZone) / DAY_MS);
}

/** The first instant of a calendar day in a zone (its midnight; DST moves it, never the day). */
function startOfDay(day: number, timeZone: string): number {
  const guess = day * DAY_MS;
  const offset = wallClock(guess, timeZone) - guess;
  const start = guess - offset;
  const corrected = wallClock(start, timeZone) - start;
  return corrected === offset ? start : guess - corrected;
}

/** The Monday of a day's week (1970-01-01 was a Thursday). */
function mondayOf(day: number): number {
  return day - (((day + 3) % 7) + 7) % 7;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function toNumber(units: bigint): number {
  return Number(unitsToString(units, PLACES));
}

function instant(value: unknown): number | null {
  const ms = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Date.parse(value) : Number.NaN;
  return Number.isFinite(ms) ? ms : null;
}

function binsOf(aggregate: unknown): readonly unknown[] {
  if (Array.isArray(aggregate)) return aggregate;
  return isObject(aggregate) && Array.isArray(aggregate.list) ? aggregate.list : [];
}

function groupsOf(bin: Record<string, unknown>): Record<string, unknown> | null {
  const grouped = bin.groupedValues ?? bin.grouped_values;
  return isObject(grouped) ? grouped : null;
}

/** The feature the chart shows: the one asked for, else the only one in the answer, else the default credits feature. */
function featureOf(bins: readonly unknown[], asked: string | undefined): string {
  if (asked) return asked;
  const seen = new Set<string>();
  for (const bin of bins) {
    if (!isObject(bin)) continue;
    for (const source of [bin.values, groupsOf(bin)]) if (isObject(source)) for (const id of Object.keys(source)) seen.add(id);
  }
  return seen.size === 1 ? [...seen][0]! : DEFAULT_FEATURE_ID;
}

/**
 * The chart's series from Autumn's aggregate and a list of purchases (a pure function).
 *
 * - Buckets: the last 7, 30 or 90 calendar days in `timeZone` ending with the day of `now` (or the weeks, from Monday,
 *   that hold them), every one present, 0 where nothing was used. Each of Autumn's bins counts in the bucket its start
 *   falls in: Autumn bins by UTC day, so in another zone ask it for hourly bins (`bin_size: 'hour'`) and the days are
 *   exact there (`UsageChart` tells its `load` so). Bins and purchases outside the buckets are left out.
 * - Sums are exact (10 decimal places, as Autumn rounds): bins are added in integers, never as floats. A bucket whose
 *   net usage is negative (refunds) shows 0.
 * - Series: one per group value, largest first; beyond `maxSeries` (and Autumn's `AUTUMN_RESERVED` overflow) summed
 *   into "Other", a single leftover shown by name. An aggregate without groups is one series of all usage.
 * - Purchases: a list of their own per bucket (never stacked with usage); unreadable or non-positive ones are left out.
 */
export function usageChartSeries(data: UsageChartData | null | undefined, options: UsageChartOptions = {}): UsageChartModel {
  const range: UsageChartRange = options.range && options.range in RANGE_DAYS ? options.range : '30d';
  const bin = options.bin === 'day' || options.bin === 'week' ? options.bin : defaultUsageChartBin(range);
  const timeZone = resolveZone(options.timeZone);
  const now = Number.isFinite(options.now) ? (options.now as number) : Date.now();
  const maxSeries = Number.isFinite(options.maxSeries) ? Math.min(USAGE_CHART_PALETTE_SIZE, Math.max(1, Math.floor(options.maxSeries as number))) : USAGE_CHART_PALETTE_SIZE;
  const names = isObject(data?.names) ? (data.names as Record<string, unknown>) : {};
  let dropped = 0;

  // The buckets: calendar days (or their Mondays) in the zone.
  const today = dayOf(now, timeZone);
  const firstDay = today - (usageChartDays(range) - 1);
  const step = bin === 'week' ? 7 : 1;
  const first = bin === 'week' ? mondayOf(firstDay) : firstDay;
  const starts: number[] = [];
  for (let day = first; day <= today + step; day += step) starts.push(day);
  const count = starts.length - 1;
  const indexOf = (ms: number): number => {
    const index = Math.floor((dayOf(ms, timeZone) - first) / step);
    return index >= 0 && index < count ? index : -1;
  };

  // Usage per group value and bucket, in exact units.
  const bins = binsOf(data?.aggregate);
  const featureId = featureOf(bins, options.featureId);
  const sums = new Map<string, bigint[]>();
  const add = (key: string, index: number, value: unknown) => {
    const units = creditUnits(value, PLACES);
    if (units === null) {
      dropped += 1;
      return;
    }
    let row = sums.get(key);
    if (!row) sums.set(key, (row = new Array<bigint>(count).fill(0n)));
    row[index]! += units;
  };
  for (const entry of bins) {
    const period = isObject(entry) ? instant(entry.period) : null;
    if (!isObject(entry) || period === null) {
      dropped += 1;
      continue;
    }
    const index = indexOf(period);
    if (index < 0) continue;
    const groups = groupsOf(entry)?.[featureId];
    if (isObject(groups)) {
      for (const [group, value] of Object.entries(groups)) add(group === AUTUMN_OVERFLOW_GROUP ? OTHER : `:${group}`, index, value);
    } else if (isObject(entry.values) && entry.values[featureId] !== undefined) {
      add(TOTAL, index, entry.values[featureId]);
    }
  }

  // Series: a bucket's net negative shows 0; totals are of what is shown, so a table of them adds up.
  const clamp = (units: bigint) => (units > 0n ? units : 0n);
  const totalOf = (row: readonly bigint[]) => row.reduce((sum, units) => sum + clamp(units), 0n);
  const ranked = [...sums.entries()]
    .filter(([key]) => key !== OTHER)
    .map(([key, row]) => ({ key, row: row.map(clamp), total: totalOf(row) }))
    .filter((entry) => entry.total > 0n)
    .sort((a, b) => (a.total === b.total ? (a.key < b.key ? -1 : 1) : a.total > b.total ? -1 : 1));
  const overflow = sums.get(OTHER);
  const restCount = ranked.length - maxSeries;
  const cut = overflow || restCount > 1 ? Math.min(maxSeries, ranked.length) : ranked.length;
  const kept = ranked.slice(0, cut);
  const rest = ranked.slice(cut);
  const rows = kept.map((entry) => entry.row);
  const series: UsageChartSeriesItem[] = kept.map((entry, index) => {
    const key = entry.key === TOTAL ? TOTAL : entry.key.slice(1);
    const name = entry.key === TOTAL ? null : typeof names[key] === 'string' && (names[key] as string).trim() !== '' ? (names[key] as string) : key;
    // A single leftover beyond the palette keeps its name, in the colour of "Other".
    return { key, name, total: toNumber(entry.total), grouped: 0, color: index < maxSeries ? index : -1 };
  });
  if (rest.length > 0 || overflow) {
    const row = new Array<bigint>(count).fill(0n);
    for (const entry of rest) entry.row.forEach((units, index) => (row[index]! += units));
    overflow?.forEach((units, index) => (row[index]! += clamp(units)));
    const total = row.reduce((sum, units) => sum + units, 0n);
    if (total > 0n) {
      rows.push(row);
      // Autumn's overflow holds an unknown number of groups: then the count is not known (0).
      series.push({ key: OTHER, name: null, total: toNumber(total), grouped: overflow ? 0 : rest.length, color: -1 });
    }
  }

  // Purchases, per bucket.
  const bought: { mark: UsageChartPurchaseMark; index: number; units: bigint }[] = [];
  (Array.isArray(data?.purchases) ? data.purchases : []).forEach((purchase: unknown, position) => {
    const at = isObject(purchase) ? instant(purchase.at) : null;
    const units = isObject(purchase) ? creditUnits(purchase.credits, PLACES) : null;
    const kind = isObject(purchase) ? purchase.kind : undefined;
    if (at === null || units === null || units <= 0n || !PURCHASE_KINDS.includes(kind as UsageChartPurchaseKind)) {
      dropped += 1;
      return;
    }
    const index = indexOf(at);
    if (index < 0) return;
    const id = isObject(purchase) && typeof purchase.id === 'string' ? purchase.id : String(position);
    bought.push({ mark: { key: id, at, credits: toNumber(units), kind: kind as UsageChartPurchaseKind }, index, units });
  });
  bought.sort((a, b) => a.mark.at - b.mark.at);

  let total = 0n;
  let max = 0n;
  let purchased = 0n;
  const buckets: UsageChartBucket[] = [];
  for (let index = 0; index < count; index++) {
    const day = starts[index]!;
    let bucketTotal = 0n;
    for (const row of rows) bucketTotal += row[index]!;
    const marks = bought.filter((entry) => entry.index === index);
    const bucketPurchased = marks.reduce((sum, entry) => sum + entry.units, 0n);
    total += bucketTotal;
    purchased += bucketPurchased;
    if (bucketTotal > max) max = bucketTotal;
    buckets.push({
      key: new Date(day * DAY_MS).toISOString().slice(0, 10),
      start: startOfDay(day, timeZone),
      end: startOfDay(starts[index + 1]!, timeZone),
      values: rows.map((row) => toNumber(row[index]!)),
      total: toNumber(bucketTotal),
      purchases: marks.map((entry) => entry.mark),
      purchased: toNumber(bucketPurchased),
    });
  }

  return {
    range,
    bin,
    timeZone,
    now,
    buckets,
    series,
    total: toNumber(total),
    max: toNumber(max),
    purchased: toNumber(purchased),
    purchaseKinds: PURCHASE_KINDS.filter((kind) => bought.some((entry) => entry.mark.kind === kind)),
    dropped,
  };
}

/** Gridlines above 0 at most: the step is the smallest round one (1, 2, 2.5 or 5 times a power of ten) that needs no more. */
const MAX_TICKS = 4;

/** The y axis (a pure function): 0 and round steps up to the first at or above `max`, so the top bar fills most of the plot. */
export function usageChartTicks(max: number): readonly number[] {
  if (!(Number.isFinite(max) && max > 0)) return [0, 1];
  const value = max;
  const power = 10 ** Math.floor(Math.log10(value / MAX_TICKS));
  const step = [1, 2, 2.5, 5, 10].map((factor) => factor * power).find((candidate) => Math.ceil(value / candidate - 1e-9) <= MAX_TICKS) ?? 10 * power;
  return Array.from({ length: Math.ceil(value / step - 1e-9) + 1 }, (_, index) => Number((index * step).toPrecision(12)));
}

/** One data attribute for the root. */
export type UsageChartState = 'loading' | 'error' | 'empty' | 'ready';

/**
 * The root's state (a pure function): an error wins; then loading while there is nothing to show yet; then empty when
 * nothing was used nor bought in the period.
 */
export function usageChartState(input: { loading?: boolean | undefined; error?: unknown; hasData: boolean; model: Pick<UsageChartModel, 'total' | 'purchased'> }): UsageChartState {
  if (input.error !== undefined && input.error !== null && input.error !== false) return 'error';
  if (!input.hasData && input.loading) return 'loading';
  return input.model.total > 0 || input.model.purchased > 0 ? 'ready' : 'empty';
}

export interface UsageChartLabels {
  /** Names the chart, its table and its group of bars. */
  readonly title: string;
  readonly unit: string;
  /** A range's button and the table's caption: "30 days". */
  readonly days: (count: number) => string;
  /** Names the range buttons' group. */
  readonly range: string;
  /** Names the group-by buttons' group. */
  readonly groupBy: string;
  readonly model: string;
  readonly member: string;
  /** The table toggle (a pressed button shows the table instead of the bars). */
  readonly table: string;
  readonly date: string;
  /** A weekly bucket: "Week of Mar 3". */
  readonly week: (date: string) => string;
  readonly total: string;
  /** The one series of an ungrouped aggregate. */
  readonly used: string;
  /** The grouped rest: "Other (3)"; `count` is 0 when Autumn's overflow holds an unknown number of groups. */
  readonly other: (count: number) => string;
  readonly purchases: string;
  readonly topUp: string;
  readonly autoTopUp: string;
  readonly plan: string;
  /** What a bar says when focused: "Mar 3: 1,234 credits" (`amount` with its unit). `details` lists the series and purchases, maybe empty. */
  readonly point: (date: string, amount: string, details: string) => string;
  readonly empty: string;
  readonly loading: string;
  readonly error: string;
  readonly retry: string;
}

export const DEFAULT_USAGE_CHART_LABELS: UsageChartLabels = Object.freeze({
  title: 'Credits used',
  unit: 'credits',
  days: (count: number) => `${count} days`,
  range: 'Period',
  groupBy: 'Group by',
  model: 'Model',
  member: 'Member',
  table: 'Table',
  date: 'Date',
  week: (date: string) => `Week of ${date}`,
  total: 'Total',
  used: 'Used',
  other: (count: number) => (count > 0 ? `Other (${count})` : 'Other'),
  purchases: 'Purchases',
  topUp: 'Top-up',
  autoTopUp: 'Auto top-up',
  plan: 'Plan credits',
  point: (date: string, amount: string, details: string) => `${date}: ${amount}${details ? `. ${details}` : ''}`,
  empty: 'No usage in this period yet.',
  loading: 'Loading usage…',
  error: 'Could not load usage.',
  retry: 'Retry',
});

export const usageChartVariants = cva('flex flex-col gap-3 text-credits-foreground', {
  variants: {
    size: {
      compact: 'gap-2 text-xs',
      default: 'text-sm',
    },
  },
  defaultVariants: { size: 'default' },
});
