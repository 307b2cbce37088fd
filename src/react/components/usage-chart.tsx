'use client';
/**
 * `UsageChart`: credits used per day (or week) over the last 7, 30 or 90 days, stacked by model or by member, with
 * purchases (top-ups, auto top-ups, plan credits) marked apart under the bars — never stacked with usage.
 *
 * Plain SVG, no chart library: bars are `rect`s sized in percent of the plot's width (crisp at any width, no
 * `viewBox` stretching). Accessible in two ways: each bar is a keyboard stop (one Tab stop, then ←/→, Home, End; the
 * Highcharts pattern of `role="img"` points) whose name says its date, credits, series and purchases, and a "Table"
 * toggle swaps the bars for a data table (the table alternative: visible, for everyone, not a screen-reader-only
 * copy that would be read twice).
 *
 * `UsageChartView` renders from props (Autumn's `events.aggregate` answer and a list of purchases); `UsageChart`
 * takes a `load({ range, groupBy, ... })` function and calls it whenever the range or grouping changes. Both are
 * composed from exported parts (header, title, total, range and group switches, table toggle, skeleton, error, empty,
 * plot, legend, table), which a team rearranges.
 */
import * as React from 'react';
import type { VariantProps } from 'class-variance-authority';
import type { CreditFormatters } from '../../core/format.js';
import { buttonVariants } from '../lib/button.js';
import { cn } from '../lib/cn.js';
import { composeEventHandlers } from '../lib/compose-event-handlers.js';
import { createPartsContext } from '../lib/parts.js';
import { withLabels } from '../lib/labels.js';
import { useCreditFormatters } from '../lib/credits-format.js';
import { useControllableState } from '../lib/use-controllable-state.js';
import {
  DEFAULT_USAGE_CHART_LABELS,
  USAGE_CHART_GROUPS,
  USAGE_CHART_RANGES,
  defaultUsageChartBin,
  usageChartDays,
  usageChartSeries,
  usageChartState,
  usageChartTicks,
  usageChartVariants,
  type UsageChartAggregate,
  type UsageChartAggregateBin,
  type UsageChartBin,
  type UsageChartBucket,
  type UsageChartData,
  type UsageChartGroupBy,
  type UsageChartLabels,
  type UsageChartModel,
  type UsageChartPurchase,
  type UsageChartPurchaseKind,
  type UsageChartRange,
  type UsageChartSeriesItem,
  type UsageChartState,
} from '../shared/usage-chart.js';

/** Height of the bars' area, px. */
const PLOT_HEIGHT = 160;
/** Room above the bars for half the top tick's label, px. */
const PLOT_TOP = 8;
/** The lane under the bars where purchases are marked, px. */
const PURCHASE_LANE = 18;
/** A bar's share of its column's width. */
const BAR_WIDTH = 0.7;
/** Skeleton bars while loading: heights in %. */
const SKELETON_BARS = [40, 65, 30, 80, 55, 70, 45] as const;
/** Each purchase kind's marker, a path around (0, 0): a square, a triangle and a diamond tell them apart without colour. */
const PURCHASE_SHAPES: Readonly<Record<UsageChartPurchaseKind, string>> = {
  plan: 'M-4-4H4V4H-4Z',
  top_up: 'M0-5L5 4H-5Z',
  auto_top_up: 'M0-5.5L5.5 0L0 5.5L-5.5 0Z',
};

/** Whether the bars or the table are shown. */
export type UsageChartViewMode = 'chart' | 'table';

export type UsageChartViewProps = Omit<React.ComponentPropsWithoutRef<'div'>, 'children' | 'defaultValue'> &
  VariantProps<typeof usageChartVariants> & {
    /** Autumn's `events.aggregate` answer (or its `list`); null/undefined while there is none. */
    aggregate?: UsageChartAggregate | readonly UsageChartAggregateBin[] | null | undefined;
    /** Purchases to mark, `{ at, credits, kind: 'top_up' | 'auto_top_up' | 'plan' }`. */
    purchases?: readonly UsageChartPurchase[] | null | undefined;
    /** Display names by group value (member ids, model ids). */
    names?: Readonly<Record<string, string>> | null | undefined;
    /** The period: controlled, or uncontrolled from `defaultRange` (default `30d`). */
    range?: UsageChartRange | undefined;
    defaultRange?: UsageChartRange | undefined;
    onRangeChange?: ((range: UsageChartRange) => void) | undefined;
    /** What the usage is stacked by: controlled, or uncontrolled from `defaultGroupBy` (default `model`). */
    groupBy?: UsageChartGroupBy | undefined;
    defaultGroupBy?: UsageChartGroupBy | undefined;
    onGroupByChange?: ((groupBy: UsageChartGroupBy) => void) | undefined;
    /** Bars or the table: controlled, or uncontrolled from `defaultView` (default `chart`). */
    view?: UsageChartViewMode | undefined;
    defaultView?: UsageChartViewMode | undefined;
    onViewChange?: ((view: UsageChartViewMode) => void) | undefined;
    /** The ranges offered (default 7, 30 and 90 days) and the groupings (default model and member; one hides the switch). */
    ranges?: readonly UsageChartRange[] | undefined;
    groupByOptions?: readonly UsageChartGroupBy[] | undefined;
    /** Bars per day or per week; default by day up to 30 days, by week for 90. */
    bin?: UsageChartBin | undefined;
    /** The feature shown; default the only one in the answer, else `ai_credits`. */
    featureId?: string | undefined;
    /** Series before the rest is "Other" (1..5, default 5). */
    maxSeries?: number | undefined;
    /** The moment the chart ends at (epoch ms); default the clock when the data arrives. */
    now?: number | undefined;
    loading?: boolean | undefined;
    /** Anything but undefined/null/false shows the error state. */
    error?: unknown;
    /** Shows "Retry" in the error state. */
    onRetry?: (() => void) | undefined;
    locale?: string | undefined;
    /** IANA zone the days are cut in; default the provider's, else UTC. */
    timeZone?: string | undefined;
    labels?: Partial<UsageChartLabels> | undefined;
    /** Your arrangement of the parts, replacing the default layout. */
    children?: React.ReactNode;
  };

/** What the nearest `UsageChart` (or `UsageChartView`) resolved, for its parts (`useUsageChart`). */
export interface UsageChartContextValue {
  readonly state: UsageChartState;
  /** The buckets, series and totals (`usageChartSeries`). */
  readonly model: UsageChartModel;
  readonly range: UsageChartRange;
  readonly ranges: readonly UsageChartRange[];
  readonly setRange: (range: UsageChartRange) => void;
  readonly groupBy: UsageChartGroupBy;
  readonly groupByOptions: readonly UsageChartGroupBy[];
  readonly setGroupBy: (groupBy: UsageChartGroupBy) => void;
  readonly view: UsageChartViewMode;
  readonly setView: (view: UsageChartViewMode) => void;
  readonly formatters: CreditFormatters;
  readonly labels: UsageChartLabels;
  /** The title's id, which names the plot and the table. */
  readonly titleId: string;
  readonly onRetry: (() => void) | undefined;
  /** A bucket's name: "Mar 3", or "Week of Mar 3". */
  readonly bucketLabel: (bucket: UsageChartBucket) => string;
  /** A series' name: the group's, "Other (3)", or "Used" for ungrouped usage. */
  readonly seriesLabel: (series: UsageChartSeriesItem) => string;
  /** A purchase kind's name. */
  readonly purchaseLabel: (kind: UsageChartPurchaseKind) => string;
  /** What a bar says to a screen reader: date, credits, each series, purchases. */
  readonly describe: (bucket: UsageChartBucket) => string;
}

const [UsageChartProvider, useUsageChartPart] = createPartsContext<UsageChartContextValue>('UsageChart');

/** What the nearest `UsageChart` (or `UsageChartView`) resolved — state, model, selections, formatters, labels — for a part of your own. */
export const useUsageChart: () => UsageChartContextValue = useUsageChartPart;

/** A series' colour (`--credits-chart-N`, or the muted colour for "Other"), as `currentColor` for `fill-current`/`bg-current`. */
function seriesColor(series: UsageChartSeriesItem): React.CSSProperties {
  return series.color >= 0 ? { color: `var(--credits-chart-${series.color + 1})` } : { color: 'var(--credits-muted-foreground)', opacity: 0.5 };
}

/**
 * The usage chart from props: Autumn's aggregate and the purchases, or the loading, error and empty states.
 *
 * Its `children` replace the default layout with your own arrangement of the parts (`UsageChartHeader`,
 * `UsageChartTitle`, `UsageChartTotal`, `UsageChartRangeSwitch`, `UsageChartGroupBySwitch`, `UsageChartViewToggle`,
 * `UsageChartSkeleton`, `UsageChartError`, `UsageChartEmpty`, `UsageChartPlot`, `UsageChartLegend`,
 * `UsageChartTable`); each part renders only in the states it belongs to.
 */
export function UsageChartView({
  aggregate,
  purchases,
  names,
  range: rangeProp,
  defaultRange = '30d',
  onRangeChange,
  groupBy: groupByProp,
  defaultGroupBy = 'model',
  onGroupByChange,
  view: viewProp,
  defaultView = 'chart',
  onViewChange,
  ranges = USAGE_CHART_RANGES,
  groupByOptions = USAGE_CHART_GROUPS,
  bin,
  featureId,
  maxSeries,
  now,
  loading = false,
  error,
  onRetry,
  locale,
  timeZone,
  size,
  labels: labelOverrides,
  className,
  children,
  ...props
}: UsageChartViewProps) {
  const formatters = useCreditFormatters({ locale, timeZone });
  const labels = withLabels(DEFAULT_USAGE_CHART_LABELS, labelOverrides);
  const [range, setRange] = useControllableState({ prop: rangeProp, defaultProp: defaultRange, onChange: onRangeChange });
  const [groupBy, setGroupBy] = useControllableState({ prop: groupByProp, defaultProp: defaultGroupBy, onChange: onGroupByChange });
  const [view, setView] = useControllableState<UsageChartViewMode>({ prop: viewProp, defaultProp: defaultView, onChange: onViewChange });
  const model = React.useMemo(
    () => usageChartSeries({ aggregate, purchases, names }, { range, bin, timeZone: formatters.timeZone, now, featureId, maxSeries }),
    [aggregate, purchases, names, range, bin, formatters.timeZone, now, featureId, maxSeries],
  );
  const state = usageChartState({ loading, error, hasData: aggregate != null || purchases != null, model });
  const bucketLabel = (bucket: UsageChartBucket) => {
    const date = formatters.date(bucket.start, model.now);
    return model.bin === 'week' ? labels.week(date) : date;
  };
  const seriesLabel = (series: UsageChartSeriesItem) => series.name ?? (series.key === '__other__' ? labels.other(series.grouped) : labels.used);
  const purchaseLabel = (kind: UsageChartPurchaseKind) => (kind === 'plan' ? labels.plan : kind === 'top_up' ? labels.topUp : labels.autoTopUp);
  const amount = (credits: number) => `${formatters.credits(credits)} ${labels.unit}`;
  const context: UsageChartContextValue = {
    state,
    model,
    range,
    ranges,
    setRange,
    groupBy,
    groupByOptions,
    setGroupBy,
    view,
    setView,
    formatters,
    labels,
    titleId: React.useId(),
    onRetry,
    bucketLabel,
    seriesLabel,
    purchaseLabel,
    describe: (bucket) => {
      const parts = model.series.length > 1 ? model.series.flatMap((series, index) => (bucket.values[index]! > 0 ? [`${seriesLabel(series)} ${formatters.credits(bucket.values[index]!)}`] : [])) : [];
      const bought = bucket.purchases.map((purchase) => `${purchaseLabel(purchase.kind)} ${amount(purchase.credits)}`);
      return labels.point(bucketLabel(bucket), amount(bucket.total), [parts.join(', '), bought.join(', ')].filter(Boolean).join('. '));
    },
  };

  return (
    <div
      data-slot="usage-chart"
      data-state={state}
      data-view={view}
      data-size={size ?? 'default'}
      aria-busy={loading || undefined}
      className={cn(usageChartVariants({ size }), className)}
      {...props}
    >
      <UsageChartProvider value={context}>
        {children ?? (
          <>
            <UsageChartHeader />
            <UsageChartSkeleton />
            <UsageChartError />
            <UsageChartEmpty />
            <UsageChartPlot />
            <UsageChartLegend />
            <UsageChartTable />
          </>
        )}
      </UsageChartProvider>
    </div>
  );
}

/** The title and total on one side, the switches on the other (its children replace them). In every state. */
export function UsageChartHeader({ className, children, ...props }: React.ComponentProps<'div'>) {
  useUsageChartPart();
  return (
    <div data-slot="usage-chart-header" className={cn('flex flex-wrap items-end justify-between gap-2', className)} {...props}>
      {children ?? (
        <>
          <div className="flex flex-col">
            <UsageChartTitle />
            <UsageChartTotal />
          </div>
          <div className="flex flex-wrap items-center gap-2">
            <UsageChartRangeSwitch />
            <UsageChartGroupBySwitch />
            <UsageChartViewToggle />
          </div>
        </>
      )}
    </div>
  );
}

/** "Credits used": names the plot and the table. In every state. */
export function UsageChartTitle({ className, children, ...props }: React.ComponentProps<'p'>) {
  const { titleId, labels } = useUsageChartPart();
  return (
    <p id={titleId} data-slot="usage-chart-title" className={cn('font-medium', className)} {...props}>
      {children ?? labels.title}
    </p>
  );
}

/** "12,345 credits" used in the period (once there is data). */
export function UsageChartTotal({ className, children, ...props }: React.ComponentProps<'p'>) {
  const { state, model, formatters, labels } = useUsageChartPart();
  if (state !== 'ready') return null;
  return (
    <p data-slot="usage-chart-total" className={cn('text-xs text-credits-muted-foreground tabular-nums', className)} {...props}>
      {children ?? `${formatters.credits(model.total)} ${labels.unit} · ${labels.days(usageChartDays(model.range))}`}
    </p>
  );
}

/** Toggle buttons in a named group, one pressed: the range and group-by switches. */
function Switch<T extends string>({
  slot,
  label,
  options,
  value,
  onChange,
  text,
  className,
  ...props
}: Omit<React.ComponentProps<'div'>, 'onChange'> & { slot: string; label: string; options: readonly T[]; value: T; onChange: (value: T) => void; text: (option: T) => string }) {
  return (
    <div role="group" aria-label={label} data-slot={slot} className={cn('inline-flex rounded-md border border-credits-border p-0.5', className)} {...props}>
      {options.map((option) => (
        <button
          key={option}
          type="button"
          aria-pressed={option === value}
          data-slot={`${slot}-option`}
          className={cn(buttonVariants({ variant: 'ghost' }), 'h-6 rounded-sm px-2 aria-pressed:bg-credits-muted aria-pressed:text-credits-foreground')}
          onClick={() => onChange(option)}
        >
          {text(option)}
        </button>
      ))}
    </div>
  );
}

/** The range switch: "7 days", "30 days", "90 days" (toggle buttons, the current one pressed). In every state. */
export function UsageChartRangeSwitch(props: Omit<React.ComponentProps<'div'>, 'children' | 'onChange'>) {
  const { ranges, range, setRange, labels } = useUsageChartPart();
  return <Switch slot="usage-chart-range" label={labels.range} options={ranges} value={range} onChange={setRange} text={(option) => labels.days(usageChartDays(option))} {...props} />;
}

/** The group-by switch: "Model", "Member". Nothing when only one grouping is offered. */
export function UsageChartGroupBySwitch(props: Omit<React.ComponentProps<'div'>, 'children' | 'onChange'>) {
  const { groupByOptions, groupBy, setGroupBy, labels } = useUsageChartPart();
  if (groupByOptions.length < 2) return null;
  return <Switch slot="usage-chart-group-by" label={labels.groupBy} options={groupByOptions} value={groupBy} onChange={setGroupBy} text={(option) => labels[option]} {...props} />;
}

/** "Table": a toggle button (pressed: the table is shown instead of the bars). Once there is data. */
export function UsageChartViewToggle({ className, children, onClick, ...props }: React.ComponentProps<'button'>) {
  const { state, view, setView, labels } = useUsageChartPart();
  if (state !== 'ready') return null;
  return (
    <button
      type="button"
      aria-pressed={view === 'table'}
      data-slot="usage-chart-view-toggle"
      className={cn(buttonVariants(), 'h-7 aria-pressed:bg-credits-muted', className)}
      onClick={composeEventHandlers(onClick, () => setView(view === 'table' ? 'chart' : 'table'))}
      {...props}
    >
      {children ?? labels.table}
    </button>
  );
}

/** Placeholder bars while the first data loads (with the loading label as a status); nothing otherwise. */
export function UsageChartSkeleton({ className, ...props }: Omit<React.ComponentProps<'div'>, 'children'>) {
  const { state, labels } = useUsageChartPart();
  if (state !== 'loading') return null;
  return (
    <div data-slot="usage-chart-skeleton" role="status" className={cn('flex items-end gap-2', className)} style={{ height: PLOT_HEIGHT }} {...props}>
      <span className="sr-only">{labels.loading}</span>
      {SKELETON_BARS.map((height, index) => (
        <div key={index} aria-hidden="true" className="flex-1 animate-pulse rounded-sm bg-credits-foreground/10" style={{ height: `${height}%` }} />
      ))}
    </div>
  );
}

/** The error message with Retry (when the root has `onRetry`), as an alert; nothing unless loading failed. */
export function UsageChartError({ className, children, ...props }: React.ComponentProps<'div'>) {
  const { state, labels, onRetry } = useUsageChartPart();
  if (state !== 'error') return null;
  return (
    <div data-slot="usage-chart-error" role="alert" className={cn('flex items-center justify-between gap-2 text-credits-destructive', className)} {...props}>
      {children ?? (
        <>
          <span>{labels.error}</span>
          {onRetry ? (
            <button type="button" data-slot="usage-chart-retry" className={buttonVariants()} onClick={onRetry}>
              {labels.retry}
            </button>
          ) : null}
        </>
      )}
    </div>
  );
}

/** "No usage in this period yet.": nothing used nor bought in the period. */
export function UsageChartEmpty({ className, children, ...props }: React.ComponentProps<'p'>) {
  const { state, labels } = useUsageChartPart();
  if (state !== 'empty') return null;
  return (
    <p data-slot="usage-chart-empty" className={cn('text-credits-muted-foreground', className)} {...props}>
      {children ?? labels.empty}
    </p>
  );
}

/**
 * The bars (chart view, once there is data): stacked by series, a grid with round ticks, purchases marked in a lane
 * under the bars, and a tooltip for the bar hovered or focused. Each bar is one keyboard stop of a roving group: Tab
 * reaches the latest one, ←/→ move, Home/End jump; its name says what the tooltip shows.
 */
export function UsageChartPlot({ className, height = PLOT_HEIGHT, ...props }: Omit<React.ComponentProps<'div'>, 'children'> & { height?: number }) {
  const { state, view, model, formatters, labels, titleId, bucketLabel, describe } = useUsageChartPart();
  const [current, setCurrent] = React.useState<number | null>(null);
  const [focused, setFocused] = React.useState<number | null>(null);
  const [hovered, setHovered] = React.useState<number | null>(null);
  // Escape hides the tooltip until the pointer or the focus moves to another bar (WCAG 1.4.13).
  const [dismissed, setDismissed] = React.useState(false);
  const points = React.useRef<(SVGGElement | null)[]>([]);
  if (state !== 'ready' || view !== 'chart') return null;

  const count = model.buckets.length;
  const roving = current !== null && current < count ? current : count - 1;
  const ticks = usageChartTicks(model.max);
  const top = ticks[ticks.length - 1]!;
  const y = (credits: number) => PLOT_TOP + height - Math.min(1, Math.max(0, credits / top)) * height;
  const column = 100 / count;
  const center = (index: number) => `${(index + 0.5) * column}%`;
  const shown = dismissed ? null : (hovered ?? focused);
  const active = shown === null ? undefined : model.buckets[shown];
  const move = (index: number) => {
    const next = Math.min(count - 1, Math.max(0, index));
    setCurrent(next);
    points.current[next]?.focus();
  };
  const keys: Record<string, number> = { ArrowLeft: roving - 1, ArrowRight: roving + 1, Home: 0, End: count - 1 };

  const full = PLOT_TOP + height + PURCHASE_LANE;
  // The tooltip sits beside the bar, never over it: to its right in the left half, to its left in the right half.
  const beside = shown === null ? undefined : shown < count / 2 ? { left: `calc(${(shown + 1) * column}% + 4px)` } : { right: `calc(${(count - shown) * column}% + 4px)` };

  return (
    <div data-slot="usage-chart-plot" className={cn('flex flex-col gap-1', className)} {...props}>
      <div className="flex">
        {/* The ticks' labels, in a gutter of their own so they never cross a bar. */}
        <div aria-hidden="true" className="relative w-9 shrink-0 text-[10px] leading-none text-credits-muted-foreground tabular-nums" style={{ height: full }}>
          {ticks.map((tick) => (
            <span key={tick} className="absolute end-1.5 -translate-y-1/2" style={{ top: y(tick) }}>
              {formatters.creditsCompact(tick)}
            </span>
          ))}
        </div>
        <div className="relative min-w-0 flex-1">
          <svg
            role="group"
            aria-labelledby={titleId}
            // Named by the title; by the title's label when a composition leaves the title out.
            aria-label={labels.title}
            width="100%"
            height={full}
            className="block overflow-visible"
            onPointerLeave={() => setHovered(null)}
            onKeyDown={(event) => {
              const next = keys[event.key];
              if (event.key === 'Escape') setDismissed(true);
              if (next === undefined) return;
              event.preventDefault();
              move(next);
            }}
          >
            <g aria-hidden="true">
              {ticks.map((tick) => (
                <line key={tick} x1="0" x2="100%" y1={y(tick)} y2={y(tick)} className="stroke-credits-border" />
              ))}
            </g>
            {model.buckets.map((bucket, index) => {
              let stacked = 0;
              const x = `${(index + (1 - BAR_WIDTH) / 2) * column}%`;
              return (
                <g
                  key={bucket.key}
                  ref={(element) => {
                    points.current[index] = element;
                  }}
                  role="img"
                  aria-label={describe(bucket)}
                  tabIndex={index === roving ? 0 : -1}
                  data-slot="usage-chart-point"
                  data-active={index === shown ? '' : undefined}
                  className="outline-none"
                  onFocus={() => {
                    setCurrent(index);
                    setFocused(index);
                    setDismissed(false);
                  }}
                  onBlur={() => setFocused(null)}
                  onPointerEnter={() => {
                    setHovered(index);
                    setDismissed(false);
                  }}
                >
                  <rect x={`${index * column}%`} y="0" width={`${column}%`} height={full} fill="transparent" className={index === shown ? 'fill-credits-foreground/5' : undefined} />
                  {focused === index ? (
                    <rect x={`${index * column}%`} y="1" width={`${column}%`} height={full - 2} rx="2" fill="none" strokeWidth="2" className="stroke-credits-ring" />
                  ) : null}
                  {model.series.map((series, position) => {
                    const value = bucket.values[position]!;
                    if (!(value > 0)) return null;
                    const bottom = y(stacked);
                    stacked += value;
                    // At least a pixel, so a small day never looks like none.
                    const upper = Math.min(bottom - 1, y(stacked));
                    return <rect key={series.key} data-slot="usage-chart-segment" data-series={series.key} x={x} y={upper} width={`${column * BAR_WIDTH}%`} height={bottom - upper} className="fill-current" style={seriesColor(series)} />;
                  })}
                  {bucket.purchases.length > 0 ? (
                    <>
                      <line x1={center(index)} x2={center(index)} y1={PLOT_TOP} y2={PLOT_TOP + height} strokeDasharray="2 3" className="stroke-credits-muted-foreground" />
                      {[...new Set(bucket.purchases.map((purchase) => purchase.kind))].map((kind, at, kinds) => (
                        <svg key={kind} x={center(index)} y={PLOT_TOP + height + PURCHASE_LANE / 2 + 1} overflow="visible">
                          <path data-slot="usage-chart-purchase" data-kind={kind} d={PURCHASE_SHAPES[kind]} transform={`translate(${(at - (kinds.length - 1) / 2) * 11} 0)`} className="fill-credits-foreground" />
                        </svg>
                      ))}
                    </>
                  ) : null}
                </g>
              );
            })}
          </svg>
          {active ? <PlotTooltip bucket={active} style={beside} /> : null}
        </div>
      </div>
      <div aria-hidden="true" className="ms-9 flex justify-between text-xs text-credits-muted-foreground">
        <span>{bucketLabel(model.buckets[0]!)}</span>
        {count % 2 === 1 && count > 2 ? <span>{bucketLabel(model.buckets[(count - 1) / 2]!)}</span> : null}
        <span>{bucketLabel(model.buckets[count - 1]!)}</span>
      </div>
    </div>
  );
}

/** The hovered or focused bar's figures, beside it: decoration (`aria-hidden`), the bar's name says the same. */
function PlotTooltip({ bucket, style }: { bucket: UsageChartBucket; style: React.CSSProperties | undefined }) {
  const { model, formatters, labels, bucketLabel, seriesLabel, purchaseLabel } = useUsageChartPart();
  return (
    <div
      aria-hidden="true"
      data-slot="usage-chart-tooltip"
      className="pointer-events-none absolute top-0 z-10 flex min-w-32 flex-col gap-0.5 rounded-md border border-credits-border bg-credits-popover px-2 py-1.5 text-xs text-credits-popover-foreground shadow-md"
      style={style}
    >
      <span className="font-medium">{bucketLabel(bucket)}</span>
      {model.series.map((series, position) =>
        bucket.values[position]! > 0 ? (
          <span key={series.key} className="flex items-center gap-1.5">
            <span className="size-2 rounded-sm bg-current" style={seriesColor(series)} />
            <span className="flex-1 truncate">{seriesLabel(series)}</span>
            <span className="tabular-nums">{formatters.credits(bucket.values[position]!)}</span>
          </span>
        ) : null,
      )}
      <span className="flex justify-between gap-3 tabular-nums">
        <span>{labels.total}</span>
        <span>{`${formatters.credits(bucket.total)} ${labels.unit}`}</span>
      </span>
      {bucket.purchases.map((purchase) => (
        <span key={purchase.key} className="flex justify-between gap-3 tabular-nums">
          <span>{purchaseLabel(purchase.kind)}</span>
          <span>{`+${formatters.credits(purchase.credits)}`}</span>
        </span>
      ))}
    </div>
  );
}

/** The series (colour, name, credits) and the purchase markers shown (chart view, once there is data). */
export function UsageChartLegend({ className, ...props }: Omit<React.ComponentProps<'ul'>, 'children'>) {
  const { state, view, model, formatters, seriesLabel, purchaseLabel } = useUsageChartPart();
  if (state !== 'ready' || view !== 'chart') return null;
  return (
    <ul data-slot="usage-chart-legend" className={cn('flex flex-wrap gap-x-4 gap-y-1 text-xs text-credits-muted-foreground', className)} {...props}>
      {model.series.map((series) => (
        <li key={series.key} data-slot="usage-chart-legend-item" className="flex items-center gap-1.5">
          <span aria-hidden="true" className="size-2.5 rounded-sm bg-current" style={seriesColor(series)} />
          {seriesLabel(series)} <span className="tabular-nums text-credits-foreground">{formatters.credits(series.total)}</span>
        </li>
      ))}
      {model.purchaseKinds.map((kind) => (
        <li key={kind} data-slot="usage-chart-legend-item" data-kind={kind} className="flex items-center gap-1.5">
          <svg aria-hidden="true" width="11" height="11" viewBox="-5.5 -5.5 11 11" className="fill-credits-foreground">
            <path d={PURCHASE_SHAPES[kind]} />
          </svg>
          {purchaseLabel(kind)}
        </li>
      ))}
    </ul>
  );
}

/**
 * The table alternative (table view, once there is data): a row per day or week with each series, the total and the
 * purchases, and a footer of totals; captioned by the title and range.
 */
export function UsageChartTable({ className, ...props }: Omit<React.ComponentProps<'table'>, 'children'>) {
  const { state, view, model, formatters, labels, bucketLabel, seriesLabel, purchaseLabel } = useUsageChartPart();
  if (state !== 'ready' || view !== 'table') return null;
  const several = model.series.length > 1;
  const bought = model.purchaseKinds.length > 0;
  const cell = 'px-2 py-1 text-end tabular-nums';
  const strong = `${cell} font-medium`;
  return (
    <table data-slot="usage-chart-table" className={cn('w-full border-collapse text-xs', className)} {...props}>
      <caption className="sr-only">{`${labels.title}, ${labels.days(usageChartDays(model.range))}`}</caption>
      <thead className="text-credits-muted-foreground">
        <tr className="border-b border-credits-border">
          <th scope="col" className="px-2 py-1 text-start font-medium">
            {labels.date}
          </th>
          {model.series.map((series) => (
            <th key={series.key} scope="col" className={strong}>
              {seriesLabel(series)}
            </th>
          ))}
          {several ? (
            <th scope="col" className={strong}>
              {labels.total}
            </th>
          ) : null}
          {bought ? (
            <th scope="col" className={strong}>
              {labels.purchases}
            </th>
          ) : null}
        </tr>
      </thead>
      <tbody>
        {model.buckets.map((bucket) => (
          <tr key={bucket.key} className="border-b border-credits-border">
            <th scope="row" className="px-2 py-1 text-start font-normal whitespace-nowrap">
              {bucketLabel(bucket)}
            </th>
            {model.series.map((series, position) => (
              <td key={series.key} className={cell}>
                {formatters.credits(bucket.values[position]!)}
              </td>
            ))}
            {several ? <td className={strong}>{formatters.credits(bucket.total)}</td> : null}
            {bought ? <td className={cn(cell, 'whitespace-nowrap')}>{bucket.purchases.map((purchase) => `${purchaseLabel(purchase.kind)} +${formatters.credits(purchase.credits)}`).join(', ')}</td> : null}
          </tr>
        ))}
      </tbody>
      <tfoot className="font-medium">
        <tr>
          <th scope="row" className="px-2 py-1 text-start">
            {labels.total}
          </th>
          {model.series.map((series) => (
            <td key={series.key} className={cell}>
              {formatters.credits(series.total)}
            </td>
          ))}
          {several ? <td className={cell}>{formatters.credits(model.total)}</td> : null}
          {bought ? <td className={cell}>{`+${formatters.credits(model.purchased)}`}</td> : null}
        </tr>
      </tfoot>
    </table>
  );
}

/** What `UsageChart` asks its `load` for. */
export interface UsageChartQuery {
  /** Autumn's `range` of the same name. */
  readonly range: UsageChartRange;
  readonly groupBy: UsageChartGroupBy;
  /**
   * The `bin_size` to ask Autumn for: the chart's own (`day` or `week`) in UTC; `hour` in any other zone, since Autumn
   * bins days in UTC and hourly bins let the chart cut the days in the zone exactly.
   */
  readonly binSize: 'hour' | UsageChartBin;
  /** The window of the bars (epoch ms): Autumn's `custom_range: { start, end }` for exactly these days. */
  readonly start: number;
  readonly end: number;
  /** The zone the days are cut in. */
  readonly timeZone: string;
}

export type UsageChartProps = Omit<UsageChartViewProps, 'aggregate' | 'purchases' | 'loading' | 'error' | 'onRetry' | 'now'> & {
  /**
   * Fetches the chart's data — `{ aggregate, purchases, names }`, or Autumn's aggregate answer alone — e.g. from a
   * route of yours that calls `events.aggregate` for the signed-in org. Called on mount, on Retry, and when the range,
   * grouping or `loadKey` changes; a newer call's answer always wins. `load` may be a new function every render.
   */
  load: (query: UsageChartQuery) => Promise<UsageChartData | UsageChartAggregate> | UsageChartData | UsageChartAggregate;
  /** Reloads when it changes (a customer id, a refresh after a purchase). */
  loadKey?: unknown;
};

interface LoadState {
  readonly status: 'loading' | 'ready' | 'error';
  readonly data: UsageChartData | null;
  readonly error: unknown;
  readonly now: number;
}

function readData(answer: unknown): UsageChartData {
  if (Array.isArray(answer) || (typeof answer === 'object' && answer !== null && Array.isArray((answer as { list?: unknown }).list))) {
    return { aggregate: answer as UsageChartAggregate };
  }
  return typeof answer === 'object' && answer !== null ? (answer as UsageChartData) : { aggregate: { list: [] } };
}

/**
 * `UsageChartView` with its own loading: it calls `load({ range, groupBy, binSize, start, end, timeZone })` for the
 * range and grouping shown (controlled or not), and shows the skeleton while a new range or grouping loads. Reads
 * the locale and time zone of the nearest provider; never the balance.
 */
export function UsageChart({ load, loadKey, range: rangeProp, defaultRange = '30d', onRangeChange, groupBy: groupByProp, defaultGroupBy = 'model', onGroupByChange, bin, names, ...props }: UsageChartProps) {
  const timeZone = useCreditFormatters({ locale: props.locale, timeZone: props.timeZone }).timeZone;
  const [range, setRange] = useControllableState({ prop: rangeProp, defaultProp: defaultRange, onChange: onRangeChange });
  const [groupBy, setGroupBy] = useControllableState({ prop: groupByProp, defaultProp: defaultGroupBy, onChange: onGroupByChange });
  const [state, setState] = React.useState<LoadState>({ status: 'loading', data: null, error: null, now: 0 });
  const [attempt, setAttempt] = React.useState(0);
  const latestLoad = React.useRef(load);
  const chartBin = bin ?? defaultUsageChartBin(range);

  React.useEffect(() => {
    latestLoad.current = load;
  });

  React.useEffect(() => {
    let current = true;
    const now = Date.now();
    // The window of the bars the chart will draw for this moment, zone and range.
    const { buckets } = usageChartSeries(null, { range, bin: chartBin, timeZone, now });
    const query: UsageChartQuery = { range, groupBy, binSize: timeZone === 'UTC' ? chartBin : 'hour', start: buckets[0]!.start, end: now, timeZone };
    setState({ status: 'loading', data: null, error: null, now });
    Promise.resolve()
      .then(() => latestLoad.current(query))
      .then(
        (answer) => {
          if (current) setState({ status: 'ready', data: readData(answer), error: null, now });
        },
        (error: unknown) => {
          if (current) setState({ status: 'error', data: null, error: error ?? new Error('load failed'), now });
        },
      );
    return () => {
      current = false;
    };
  }, [range, groupBy, chartBin, timeZone, loadKey, attempt]);

  const retry = React.useCallback(() => setAttempt((value) => value + 1), []);
  const data = state.data;
  const mergedNames = React.useMemo(() => (names && data?.names ? { ...names, ...data.names } : (data?.names ?? names)), [names, data]);
  return (
    <UsageChartView
      {...props}
      range={range}
      onRangeChange={setRange}
      groupBy={groupBy}
      onGroupByChange={setGroupBy}
      bin={chartBin}
      aggregate={data ? (data.aggregate ?? { list: [] }) : null}
      purchases={data?.purchases}
      names={mergedNames}
      now={state.now || undefined}
      loading={state.status === 'loading'}
      error={state.status === 'error' ? state.error : undefined}
      onRetry={retry}
    />
  );
}
