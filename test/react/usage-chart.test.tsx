import * as React from 'react';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import {
  UsageChart,
  UsageChartEmpty,
  UsageChartError,
  UsageChartGroupBySwitch,
  UsageChartHeader,
  UsageChartLegend,
  UsageChartPlot,
  UsageChartRangeSwitch,
  UsageChartSkeleton,
  UsageChartTable,
  UsageChartTitle,
  UsageChartTotal,
  UsageChartView,
  UsageChartViewToggle,
  useUsageChart,
  type UsageChartQuery,
} from '../../src/react/components/usage-chart.js';
import {
  usageChartSeries,
  usageChartTicks,
  type UsageChartAggregate,
  type UsageChartAggregateBin,
  type UsageChartPurchase,
} from '../../src/react/shared/usage-chart.js';
import { CreditsFormatProvider } from '../../src/react/lib/credits-format.js';
import { expectNoAxeViolations } from './axe.js';

const DAY = 86_400_000;
/** Friday, March 14, 2025, 15:30 UTC. */
const NOW = Date.UTC(2025, 2, 14, 15, 30);
const TODAY = Date.UTC(2025, 2, 14);

/**
 * An `events.aggregate` answer as Autumn's API gives it (server/src/internal/events/handlers/
 * handleExternalAggregateEvents.ts): a bin per UTC day of the window, every group of the window in every bin (0 where
 * it had none), `values` the sum of the groups.
 */
function aggregate(days: number, usage: Record<number, Record<string, number>>, featureId = 'ai_credits'): UsageChartAggregate {
  const groups = [...new Set(Object.values(usage).flatMap((day) => Object.keys(day)))];
  const list: UsageChartAggregateBin[] = [];
  // Autumn's '7d' window starts 7 days before now: 8 day bins, the first one partly outside.
  for (let ago = days; ago >= 0; ago--) {
    const day = usage[ago] ?? {};
    const grouped = Object.fromEntries(groups.map((group) => [group, day[group] ?? 0]));
    list.push({ period: TODAY - ago * DAY, values: { [featureId]: Object.values(grouped).reduce((a, b) => a + b, 0) }, grouped_values: { [featureId]: grouped } });
  }
  return { list };
}

const BY_MODEL = aggregate(7, {
  0: { 'gpt-5': 120, 'claude-sonnet': 30.5 },
  1: { 'gpt-5': 80 },
  3: { 'claude-sonnet': 200, 'gemini-flash': 0.25 },
  7: { 'gpt-5': 999 }, // before the 7 days shown
});

const PURCHASES: UsageChartPurchase[] = [
  { id: 'p1', at: TODAY - 2 * DAY + 9 * 3_600_000, credits: 40_000, kind: 'auto_top_up' },
  { id: 'p2', at: new Date(TODAY - 5 * DAY + 3_600_000).toISOString(), credits: '10000', kind: 'top_up' },
];

function root(): HTMLElement {
  const element = document.querySelector<HTMLElement>('[data-slot="usage-chart"]');
  if (!element) throw new Error('no usage chart');
  return element;
}

function points(title = 'Credits used'): HTMLElement[] {
  return within(screen.getByRole('group', { name: title })).getAllByRole('img');
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('usageChartSeries', () => {
  it('makes one bucket per day of the range, ending today, 0 where nothing was used', () => {
    const model = usageChartSeries({ aggregate: BY_MODEL }, { range: '7d', now: NOW });
    expect(model.bin).toBe('day');
    expect(model.buckets.map((bucket) => bucket.key)).toEqual(['2025-03-08', '2025-03-09', '2025-03-10', '2025-03-11', '2025-03-12', '2025-03-13', '2025-03-14']);
    expect(model.buckets.map((bucket) => bucket.total)).toEqual([0, 0, 0, 200.25, 0, 80, 150.5]);
    expect(model.buckets[0]!.start).toBe(TODAY - 6 * DAY);
    expect(model.buckets[6]!.end).toBe(TODAY + DAY);
    expect(model.total).toBe(430.75);
    expect(model.max).toBe(200.25);
  });

  it('stacks by group value, the largest series first, each bucket carrying its values in that order', () => {
    const model = usageChartSeries({ aggregate: BY_MODEL }, { range: '7d', now: NOW });
    expect(model.series.map((series) => [series.key, series.total, series.color])).toEqual([
      ['claude-sonnet', 230.5, 0],
      ['gpt-5', 200, 1],
      ['gemini-flash', 0.25, 2],
    ]);
    expect(model.buckets[6]!.values).toEqual([30.5, 120, 0]);
    expect(model.buckets[3]!.values).toEqual([200, 0, 0.25]);
  });

  it('reads autumn-js 1.3 answers (groupedValues) and Autumn API answers (grouped_values) alike, and a bare list', () => {
    const camel = { list: BY_MODEL.list.map(({ grouped_values, ...bin }) => ({ ...bin, groupedValues: grouped_values })) };
    const expected = usageChartSeries({ aggregate: BY_MODEL }, { range: '7d', now: NOW });
    expect(usageChartSeries({ aggregate: camel }, { range: '7d', now: NOW })).toEqual(expected);
    expect(usageChartSeries({ aggregate: BY_MODEL.list }, { range: '7d', now: NOW })).toEqual(expected);
  });

  it('sums exactly: ten tenths of a credit in a day make 1, a thousand make 100', () => {
    const list: UsageChartAggregateBin[] = [];
    for (let hour = 0; hour < 1000; hour++) list.push({ period: TODAY - 50 * DAY + hour * 3_600_000, values: { ai_credits: 0.1 } });
    const model = usageChartSeries({ aggregate: { list } }, { range: '90d', bin: 'day', now: NOW });
    expect(model.total).toBe(100);
    expect(model.buckets.filter((bucket) => bucket.total > 0).map((bucket) => bucket.total)).toEqual([...Array(41).fill(2.4), 1.6]);
    let float = 0;
    for (let i = 0; i < 1000; i++) float += 0.1;
    expect(float).not.toBe(100); // what adding floats would have shown
  });

  it('shows an ungrouped aggregate as one series of all usage', () => {
    const model = usageChartSeries({ aggregate: { list: [{ period: TODAY, values: { ai_credits: 12 } }] } }, { range: '7d', now: NOW });
    expect(model.series).toEqual([{ key: '__total__', name: null, total: 12, grouped: 0, color: 0 }]);
  });

  it('groups the series beyond maxSeries, and Autumn\'s AUTUMN_RESERVED overflow, as "Other"', () => {
    const many = aggregate(7, { 0: { a: 60, b: 50, c: 40, d: 30, e: 20, f: 10, g: 5 } });
    const model = usageChartSeries({ aggregate: many }, { range: '7d', now: NOW, maxSeries: 3 });
    expect(model.series.map((series) => [series.key, series.total, series.grouped, series.color])).toEqual([
      ['a', 60, 0, 0],
      ['b', 50, 0, 1],
      ['c', 40, 0, 2],
      ['__other__', 65, 4, -1],
    ]);
    const overflow = usageChartSeries({ aggregate: aggregate(7, { 0: { a: 60, AUTUMN_RESERVED: 7 } }) }, { range: '7d', now: NOW });
    expect(overflow.series.map((series) => [series.key, series.total, series.grouped])).toEqual([
      ['a', 60, 0],
      ['__other__', 7, 0],
    ]);
  });

  it('shows a single leftover by name, in the colour of "Other"', () => {
    const six = aggregate(7, { 0: { a: 6, b: 5, c: 4, d: 3, e: 2, f: 1 } });
    const model = usageChartSeries({ aggregate: six }, { range: '7d', now: NOW });
    expect(model.series.map((series) => [series.key, series.color])).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 2],
      ['d', 3],
      ['e', 4],
      ['f', -1],
    ]);
  });

  it('names groups from `names`, the rest by their value', () => {
    const model = usageChartSeries({ aggregate: aggregate(7, { 0: { user_1: 5, user_2: 3 } }), names: { user_1: 'Ada Lovelace' } }, { range: '7d', now: NOW });
    expect(model.series.map((series) => series.name)).toEqual(['Ada Lovelace', 'user_2']);
  });

  it('marks purchases apart in their bucket, never in the usage', () => {
    const model = usageChartSeries({ aggregate: BY_MODEL, purchases: PURCHASES }, { range: '7d', now: NOW });
    expect(model.buckets[4]!.purchases).toEqual([{ key: 'p1', at: TODAY - 2 * DAY + 9 * 3_600_000, credits: 40_000, kind: 'auto_top_up' }]);
    expect(model.buckets[1]!.purchases.map((purchase) => [purchase.kind, purchase.credits])).toEqual([['top_up', 10_000]]);
    expect(model.buckets[4]!.total).toBe(0);
    expect(model.purchased).toBe(50_000);
    expect(model.total).toBe(430.75);
    expect(model.purchaseKinds).toEqual(['top_up', 'auto_top_up']);
  });

  it('makes weekly buckets from Monday for 90 days', () => {
    const model = usageChartSeries({ aggregate: BY_MODEL }, { range: '90d', now: NOW });
    expect(model.bin).toBe('week');
    // 90 days end on Friday Mar 14: they start Sunday Dec 15, 2024, in the week of Monday Dec 9.
    expect(model.buckets[0]!.key).toBe('2024-12-09');
    expect(model.buckets.at(-1)!.key).toBe('2025-03-10');
    expect(model.buckets).toHaveLength(14);
    expect(model.buckets.at(-1)!.total).toBe(430.75);
    expect(model.buckets.at(-2)!.total).toBe(999);
  });

  it('cuts days in the formatters\' time zone, the same wherever it runs', () => {
    // Hourly bins: 10 credits at 23:00 UTC on Mar 12 are Mar 13 in Auckland (UTC+13) and Mar 12 in Los Angeles (UTC-7).
    const hourly = { list: [{ period: Date.UTC(2025, 2, 12, 23), values: { ai_credits: 10 } }] };
    const auckland = usageChartSeries({ aggregate: hourly }, { range: '7d', now: NOW, timeZone: 'Pacific/Auckland' });
    const losAngeles = usageChartSeries({ aggregate: hourly }, { range: '7d', now: NOW, timeZone: 'America/Los_Angeles' });
    expect(auckland.buckets.filter((bucket) => bucket.total > 0).map((bucket) => bucket.key)).toEqual(['2025-03-13']);
    expect(losAngeles.buckets.filter((bucket) => bucket.total > 0).map((bucket) => bucket.key)).toEqual(['2025-03-12']);
    // Today in Auckland is already Mar 15 (04:30); its midnight is 11:00 UTC the day before.
    expect(auckland.buckets.at(-1)!.key).toBe('2025-03-15');
    expect(auckland.buckets.at(-1)!.start).toBe(Date.UTC(2025, 2, 14, 11));
    // Los Angeles changed to daylight time on Mar 9: that day is 23 hours long, midnight moves from 08:00 to 07:00 UTC.
    const march9 = losAngeles.buckets.find((bucket) => bucket.key === '2025-03-09')!;
    expect([march9.start, march9.end]).toEqual([Date.UTC(2025, 2, 9, 8), Date.UTC(2025, 2, 10, 7)]);
    expect(usageChartSeries(null, { range: '7d', now: NOW, timeZone: 'Mars/Base' }).timeZone).toBe('UTC');
  });

  it('takes the only feature in the answer, or the one asked for', () => {
    const two = { list: [{ period: TODAY, values: { messages: 3, credits: 7 } }] };
    expect(usageChartSeries({ aggregate: aggregate(7, { 0: { a: 2 } }, 'credits') }, { range: '7d', now: NOW }).total).toBe(2);
    expect(usageChartSeries({ aggregate: two }, { range: '7d', now: NOW, featureId: 'credits' }).total).toBe(7);
    expect(usageChartSeries({ aggregate: two }, { range: '7d', now: NOW }).total).toBe(0); // neither is ai_credits
  });

  describe('given bad input', () => {
    it('drops what it cannot read, never showing NaN, Infinity or a negative, and counts it', () => {
      const model = usageChartSeries(
        {
          aggregate: {
            list: [
              { period: TODAY, values: {}, grouped_values: { ai_credits: { a: Number.NaN, b: 5, c: -3, d: 'x' as unknown as number, e: Infinity } } },
              { period: 'soon' as unknown as number, values: { ai_credits: 1 } },
              null as unknown as UsageChartAggregateBin,
              { period: TODAY - DAY, values: {}, grouped_values: { ai_credits: { b: -10 } } },
            ],
          },
          purchases: [
            { at: 'never', credits: 10, kind: 'top_up' },
            { at: TODAY, credits: -5, kind: 'top_up' },
            { at: TODAY, credits: 0, kind: 'top_up' },
            { at: TODAY, credits: 5, kind: 'gift' as 'top_up' },
            { at: TODAY, credits: 'lots', kind: 'plan' },
          ],
        },
        { range: '7d', now: NOW, maxSeries: Number.NaN },
      );
      expect(model.buckets.map((bucket) => bucket.total)).toEqual([0, 0, 0, 0, 0, 0, 5]);
      expect(model.series.map((series) => series.key)).toEqual(['b']);
      expect(model.series[0]!.total).toBe(5); // Mar 13's net -10 shows as 0
      expect(model.purchased).toBe(0);
      expect(model.dropped).toBe(3 + 2 + 5);
      for (const bucket of model.buckets) for (const value of [...bucket.values, bucket.total]) expect(Number.isFinite(value) && value >= 0).toBe(true);
    });

    it('survives no data, data that is not an object, and an unknown range', () => {
      for (const data of [null, undefined, {}, { aggregate: 'nope' }, { aggregate: { list: 'nope' } }, { purchases: 'nope' }] as never[]) {
        const model = usageChartSeries(data, { range: '1y' as '7d', now: NOW });
        expect(model.buckets).toHaveLength(30);
        expect(model.total).toBe(0);
      }
    });

    it('keeps amounts beyond what a number holds exactly without throwing', () => {
      const model = usageChartSeries({ aggregate: { list: [{ period: TODAY, values: { ai_credits: 5e15 } }, { period: TODAY, values: { ai_credits: '0.000000001' as unknown as number } }] } }, { range: '7d', now: NOW });
      expect(model.total).toBe(5e15);
    });
  });
});

describe('usageChartTicks', () => {
  it('steps by the smallest round step (1, 2, 2.5 or 5 times a power of ten) that reaches the top in at most 4', () => {
    expect(usageChartTicks(200.25)).toEqual([0, 100, 200, 300]);
    expect(usageChartTicks(2700)).toEqual([0, 1000, 2000, 3000]);
    expect(usageChartTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(usageChartTicks(1000)).toEqual([0, 250, 500, 750, 1000]);
    expect(usageChartTicks(0.1)).toEqual([0, 0.025, 0.05, 0.075, 0.1]);
    expect(usageChartTicks(5e15)).toEqual([0, 2e15, 4e15, 6e15]);
  });

  it('draws 0 to 1 when there is nothing to scale', () => {
    expect(usageChartTicks(0)).toEqual([0, 1]);
    expect(usageChartTicks(-5)).toEqual([0, 1]);
    expect(usageChartTicks(Number.NaN)).toEqual([0, 1]);
    expect(usageChartTicks(Infinity)).toEqual([0, 1]);
  });
});

describe('UsageChartView', () => {
  describe('given usage by model and purchases', () => {
    it('draws a bar per day, each reachable by keyboard and saying its date, credits, models and purchases', async () => {
      const { container } = render(<UsageChartView aggregate={BY_MODEL} purchases={PURCHASES} defaultRange="7d" now={NOW} />);
      expect(root()).toHaveAttribute('data-state', 'ready');
      const bars = points();
      expect(bars).toHaveLength(7);
      expect(bars.map((bar) => bar.getAttribute('aria-label'))).toEqual([
        'Mar 8: 0 credits',
        'Mar 9: 0 credits. Top-up 10,000 credits',
        'Mar 10: 0 credits',
        'Mar 11: 200.25 credits. claude-sonnet 200, gemini-flash 0.25',
        'Mar 12: 0 credits. Auto top-up 40,000 credits',
        'Mar 13: 80 credits. gpt-5 80',
        'Mar 14: 150.5 credits. claude-sonnet 30.5, gpt-5 120',
      ]);
      expect(screen.getByText('430.75 credits · 7 days')).toBeInTheDocument();
      await expectNoAxeViolations(container);
    });

    it('is one Tab stop: the latest bar, then ← → Home End move between bars and show their tooltip, Escape hides it', async () => {
      const user = userEvent.setup();
      render(
        <>
          <button type="button">before</button>
          <UsageChartView aggregate={BY_MODEL} purchases={PURCHASES} defaultRange="7d" now={NOW} />
        </>,
      );
      await user.click(screen.getByRole('button', { name: 'before' }));
      await user.tab(); // the range switch
      await user.tab();
      await user.tab();
      await user.tab(); // the group-by switch
      await user.tab();
      await user.tab(); // the table toggle
      expect(screen.getByRole('button', { name: 'Table' })).toHaveFocus();
      await user.tab();
      const bars = points();
      expect(bars[6]).toHaveFocus();
      expect(bars.filter((bar) => bar.tabIndex === 0)).toEqual([bars[6]]);
      const tooltip = () => document.querySelector('[data-slot="usage-chart-tooltip"]');
      expect(tooltip()).toHaveTextContent(/Mar 14.*claude-sonnet.*30\.5.*gpt-5.*120.*Total.*150\.5 credits/);
      expect(tooltip()).toHaveAttribute('aria-hidden', 'true');

      await user.keyboard('{ArrowLeft}{ArrowLeft}');
      expect(bars[4]).toHaveFocus();
      expect(tooltip()).toHaveTextContent(/Mar 12.*Total.*0 credits.*Auto top-up.*\+40,000/);
      await user.keyboard('{Home}');
      expect(bars[0]).toHaveFocus();
      await user.keyboard('{ArrowLeft}');
      expect(bars[0]).toHaveFocus();
      await user.keyboard('{End}');
      expect(bars[6]).toHaveFocus();
      await user.keyboard('{ArrowRight}');
      expect(bars[6]).toHaveFocus();
      await user.keyboard('{Escape}');
      expect(tooltip()).toBeNull(); // dismissed, the focus stays
      expect(bars[6]).toHaveFocus();
      await user.keyboard('{ArrowLeft}');
      expect(tooltip()).toHaveTextContent(/^Mar 13/);
      await user.tab({ shift: true });
      expect(tooltip()).toBeNull();
      // Coming back lands on the bar last visited.
      await user.tab();
      expect(bars[5]).toHaveFocus();
    });

    it('stacks the segments of a day in series order, bottom up, and marks each purchase kind with its own shape', () => {
      render(<UsageChartView aggregate={BY_MODEL} purchases={PURCHASES} defaultRange="7d" now={NOW} />);
      const today = points()[6]!;
      const segments = [...today.querySelectorAll('[data-slot="usage-chart-segment"]')];
      expect(segments.map((segment) => segment.getAttribute('data-series'))).toEqual(['claude-sonnet', 'gpt-5']);
      const [lower, upper] = segments.map((segment) => Number(segment.getAttribute('y')));
      expect(upper!).toBeLessThan(lower!);
      const marks = [...document.querySelectorAll('[data-slot="usage-chart-purchase"]')].map((mark) => mark.getAttribute('data-kind'));
      expect(marks).toEqual(['top_up', 'auto_top_up']);
      const legend = screen.getByRole('list');
      expect(within(legend).getAllByRole('listitem').map((item) => item.textContent)).toEqual(['claude-sonnet 230.5', 'gpt-5 200', 'gemini-flash 0.25', 'Top-up', 'Auto top-up']);
    });

    it('never draws outside the plot or with a NaN coordinate', () => {
      render(<UsageChartView aggregate={aggregate(7, { 0: { a: 1e12 }, 1: { a: 0.000001 } })} defaultRange="7d" now={NOW} />);
      for (const rect of document.querySelectorAll('rect')) {
        for (const attribute of ['y', 'height']) {
          const value = Number(rect.getAttribute(attribute) ?? 0);
          expect(Number.isFinite(value) && value >= 0).toBe(true);
        }
      }
      expect(document.body.textContent).not.toMatch(/NaN|Infinity/);
    });
  });

  describe('the table alternative', () => {
    it('replaces the bars with a table of every day, each model, the totals and the purchases when "Table" is pressed', async () => {
      const user = userEvent.setup();
      const onViewChange = vi.fn();
      const { container } = render(<UsageChartView aggregate={BY_MODEL} purchases={PURCHASES} defaultRange="7d" now={NOW} onViewChange={onViewChange} />);
      const toggle = screen.getByRole('button', { name: 'Table' });
      expect(toggle).toHaveAttribute('aria-pressed', 'false');
      await user.click(toggle);
      expect(toggle).toHaveAttribute('aria-pressed', 'true');
      expect(onViewChange).toHaveBeenCalledWith('table');
      expect(screen.queryByRole('group', { name: 'Credits used' })).toBeNull();
      const table = screen.getByRole('table', { name: 'Credits used, 7 days' });
      const rows = within(table)
        .getAllByRole('row')
        .map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent));
      expect(rows).toEqual([
        ['Date', 'claude-sonnet', 'gpt-5', 'gemini-flash', 'Total', 'Purchases'],
        ['Mar 8', '0', '0', '0', '0', ''],
        ['Mar 9', '0', '0', '0', '0', 'Top-up +10,000'],
        ['Mar 10', '0', '0', '0', '0', ''],
        ['Mar 11', '200', '0', '0.25', '200.25', ''],
        ['Mar 12', '0', '0', '0', '0', 'Auto top-up +40,000'],
        ['Mar 13', '0', '80', '0', '80', ''],
        ['Mar 14', '30.5', '120', '0', '150.5', ''],
        ['Total', '230.5', '200', '0.25', '430.75', '+50,000'],
      ]);
      await expectNoAxeViolations(container);
      await user.click(toggle);
      expect(screen.queryByRole('table')).toBeNull();
      expect(points()).toHaveLength(7);
    });

    it('names weeks "Week of …" for 90 days, and leaves out the total column for a single series', async () => {
      render(<UsageChartView aggregate={{ list: [{ period: TODAY, values: { ai_credits: 5 } }] }} defaultRange="90d" defaultView="table" now={NOW} />);
      const table = screen.getByRole('table', { name: 'Credits used, 90 days' });
      const header = within(table).getAllByRole('columnheader').map((cell) => cell.textContent);
      expect(header).toEqual(['Date', 'Used']);
      expect(within(table).getAllByRole('rowheader')[0]).toHaveTextContent('Week of Dec 9, 2024');
      expect(within(table).getAllByRole('rowheader').at(-2)).toHaveTextContent('Week of Mar 10');
    });
  });

  describe('the range and group-by switches', () => {
    it('are toggle buttons in named groups; uncontrolled they switch on their own and report the change', async () => {
      const user = userEvent.setup();
      const onRangeChange = vi.fn();
      const onGroupByChange = vi.fn();
      render(<UsageChartView aggregate={BY_MODEL} now={NOW} onRangeChange={onRangeChange} onGroupByChange={onGroupByChange} />);
      const range = screen.getByRole('group', { name: 'Period' });
      expect(within(range).getByRole('button', { name: '30 days' })).toHaveAttribute('aria-pressed', 'true');
      expect(points()).toHaveLength(30);
      await user.click(within(range).getByRole('button', { name: '7 days' }));
      expect(onRangeChange).toHaveBeenCalledWith('7d');
      expect(within(range).getByRole('button', { name: '7 days' })).toHaveAttribute('aria-pressed', 'true');
      expect(points()).toHaveLength(7);
      const groupBy = screen.getByRole('group', { name: 'Group by' });
      expect(within(groupBy).getByRole('button', { name: 'Model' })).toHaveAttribute('aria-pressed', 'true');
      await user.click(within(groupBy).getByRole('button', { name: 'Member' }));
      expect(onGroupByChange).toHaveBeenCalledWith('member');
      expect(within(groupBy).getByRole('button', { name: 'Member' })).toHaveAttribute('aria-pressed', 'true');
    });

    it('controlled, they show the value given and only report a change', async () => {
      const user = userEvent.setup();
      const onRangeChange = vi.fn();
      render(<UsageChartView aggregate={BY_MODEL} now={NOW} range="90d" onRangeChange={onRangeChange} />);
      await user.click(screen.getByRole('button', { name: '7 days' }));
      expect(onRangeChange).toHaveBeenCalledWith('7d');
      expect(screen.getByRole('button', { name: '90 days' })).toHaveAttribute('aria-pressed', 'true');
      expect(points()).toHaveLength(14);
    });

    it('offers only the ranges given, and hides the group-by switch with a single grouping', () => {
      render(<UsageChartView aggregate={BY_MODEL} now={NOW} ranges={['7d', '30d']} groupByOptions={['member']} defaultRange="7d" />);
      expect(within(screen.getByRole('group', { name: 'Period' })).getAllByRole('button').map((button) => button.textContent)).toEqual(['7 days', '30 days']);
      expect(screen.queryByRole('group', { name: 'Group by' })).toBeNull();
    });
  });

  describe('its states', () => {
    it('loading: a skeleton with a status, busy, the switches still there', async () => {
      const { container } = render(<UsageChartView loading />);
      expect(root()).toHaveAttribute('data-state', 'loading');
      expect(root()).toHaveAttribute('aria-busy', 'true');
      expect(screen.getByRole('status')).toHaveTextContent('Loading usage…');
      expect(screen.getByRole('group', { name: 'Period' })).toBeInTheDocument();
      expect(screen.queryByRole('button', { name: 'Table' })).toBeNull();
      await expectNoAxeViolations(container);
    });

    it('empty: says so when nothing was used nor bought in the period', async () => {
      const { container } = render(<UsageChartView aggregate={aggregate(7, {})} now={NOW} />);
      expect(root()).toHaveAttribute('data-state', 'empty');
      expect(screen.getByText('No usage in this period yet.')).toBeInTheDocument();
      expect(screen.queryByRole('group', { name: 'Credits used' })).toBeNull();
      await expectNoAxeViolations(container);
    });

    it('a purchase alone is worth showing', () => {
      render(<UsageChartView aggregate={aggregate(7, {})} purchases={PURCHASES} defaultRange="7d" now={NOW} />);
      expect(root()).toHaveAttribute('data-state', 'ready');
      expect(points()[4]).toHaveAttribute('aria-label', 'Mar 12: 0 credits. Auto top-up 40,000 credits');
    });

    it('error: an alert with Retry, reachable by keyboard', async () => {
      const user = userEvent.setup();
      const onRetry = vi.fn();
      const { container } = render(<UsageChartView error={new Error('down')} onRetry={onRetry} />);
      expect(screen.getByRole('alert')).toHaveTextContent('Could not load usage.');
      screen.getByRole('button', { name: 'Retry' }).focus();
      await user.keyboard('{Enter}');
      expect(onRetry).toHaveBeenCalledTimes(1);
      await expectNoAxeViolations(container);
    });
  });

  describe('given a locale and time zone', () => {
    it('formats dates and amounts in them, from the provider', () => {
      const hourly = { list: [{ period: Date.UTC(2025, 2, 12, 23), values: { ai_credits: 1234.5 } }] };
      render(
        <CreditsFormatProvider locale="de-DE" timeZone="Pacific/Auckland">
          <UsageChartView aggregate={hourly} defaultRange="7d" now={NOW} />
        </CreditsFormatProvider>,
      );
      const labels = points().map((bar) => bar.getAttribute('aria-label'));
      expect(labels.at(-1)).toBe('15. März: 0 credits');
      expect(labels).toContain('13. März: 1.234,5 credits');
    });
  });

  describe('given overrides', () => {
    it('relabels, merges className last and sizes down', () => {
      render(
        <UsageChartView
          aggregate={BY_MODEL}
          now={NOW}
          defaultRange="7d"
          size="compact"
          className="gap-0"
          labels={{ title: 'Verbrauch', unit: 'Credits', days: (count) => `${count} Tage`, point: (date, amount) => `${date} – ${amount}` }}
        />,
      );
      expect(root()).toHaveClass('gap-0', 'text-xs');
      expect(root()).not.toHaveClass('gap-3');
      expect(screen.getByRole('button', { name: '7 Tage' })).toBeInTheDocument();
      expect(points('Verbrauch')[6]).toHaveAttribute('aria-label', 'Mar 14 – 150.5 Credits');
    });
  });

  describe('composed from its parts', () => {
    it('renders the parts in the order given, each taking its own className, and omits what is left out', async () => {
      const { container } = render(
        <UsageChartView aggregate={BY_MODEL} purchases={PURCHASES} defaultRange="7d" now={NOW}>
          <UsageChartLegend className="justify-end" />
          <UsageChartPlot height={80} />
          <UsageChartHeader>
            <UsageChartTitle className="text-lg">Usage</UsageChartTitle>
            <UsageChartRangeSwitch />
          </UsageChartHeader>
          <UsageChartTotal />
        </UsageChartView>,
      );
      expect([...root().children].map((child) => child.getAttribute('data-slot'))).toEqual(['usage-chart-legend', 'usage-chart-plot', 'usage-chart-header', 'usage-chart-total']);
      expect(screen.getByRole('list')).toHaveClass('justify-end');
      expect(screen.getByRole('group', { name: 'Usage' }).getAttribute('height')).toBe(String(8 + 80 + 18));
      expect(screen.queryByRole('group', { name: 'Group by' })).toBeNull();
      await expectNoAxeViolations(container);
    });

    it('shows each part only in its states', () => {
      const parts = (
        <>
          <UsageChartSkeleton />
          <UsageChartError />
          <UsageChartEmpty />
          <UsageChartPlot />
          <UsageChartTable />
          <UsageChartViewToggle />
          <UsageChartGroupBySwitch />
        </>
      );
      const slots = () => [...root().children].map((child) => child.getAttribute('data-slot'));
      const { rerender } = render(<UsageChartView loading>{parts}</UsageChartView>);
      expect(slots()).toEqual(['usage-chart-skeleton', 'usage-chart-group-by']);
      rerender(<UsageChartView error="x">{parts}</UsageChartView>);
      expect(slots()).toEqual(['usage-chart-error', 'usage-chart-group-by']);
      rerender(<UsageChartView aggregate={{ list: [] }}>{parts}</UsageChartView>);
      expect(slots()).toEqual(['usage-chart-empty', 'usage-chart-group-by']);
      rerender(<UsageChartView aggregate={BY_MODEL} now={NOW}>{parts}</UsageChartView>);
      expect(slots()).toEqual(['usage-chart-plot', 'usage-chart-view-toggle', 'usage-chart-group-by']);
      rerender(<UsageChartView aggregate={BY_MODEL} now={NOW} view="table">{parts}</UsageChartView>);
      expect(slots()).toEqual(['usage-chart-table', 'usage-chart-view-toggle', 'usage-chart-group-by']);
    });

    it('runs a handler of yours on the table toggle first; preventDefault keeps the bars', async () => {
      const user = userEvent.setup();
      const { container } = render(
        <UsageChartView aggregate={BY_MODEL} defaultRange="7d" now={NOW}>
          <UsageChartViewToggle onClick={(event) => event.preventDefault()} />
          <UsageChartPlot />
        </UsageChartView>,
      );
      await user.click(screen.getByRole('button', { name: 'Table' }));
      expect(screen.getByRole('button', { name: 'Table' })).toHaveAttribute('aria-pressed', 'false');
      // Without the title part, the bars are still named by the title's label.
      expect(points()).toHaveLength(7);
      await expectNoAxeViolations(container);
    });

    it('lets a part of your own read the chart through useUsageChart', () => {
      function Busiest() {
        const { model, bucketLabel } = useUsageChart();
        const busiest = model.buckets.reduce((best, bucket) => (bucket.total > best.total ? bucket : best));
        return <p>Busiest: {bucketLabel(busiest)}</p>;
      }
      render(
        <UsageChartView aggregate={BY_MODEL} defaultRange="7d" now={NOW}>
          <Busiest />
        </UsageChartView>,
      );
      expect(screen.getByText('Busiest: Mar 11')).toBeInTheDocument();
    });

    it('fails loudly when a part is rendered outside a chart', () => {
      const error = vi.spyOn(console, 'error').mockImplementation(() => {});
      try {
        expect(() => render(<UsageChartPlot />)).toThrow('UsageChart parts must be used within <UsageChart>');
      } finally {
        error.mockRestore();
      }
    });
  });
});

describe('UsageChart', () => {
  it('loads the range and grouping shown, with the window and bin size to ask Autumn for', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    try {
      const load = vi.fn(async (_query: UsageChartQuery) => ({ aggregate: BY_MODEL, purchases: PURCHASES }));
      render(<UsageChart load={load} defaultRange="7d" />);
      expect(root()).toHaveAttribute('data-state', 'loading');
      await waitFor(() => expect(root()).toHaveAttribute('data-state', 'ready'));
      expect(load).toHaveBeenCalledTimes(1);
      expect(load).toHaveBeenLastCalledWith({ range: '7d', groupBy: 'model', binSize: 'day', start: TODAY - 6 * DAY, end: NOW, timeZone: 'UTC' });
      expect(points()).toHaveLength(7);
    } finally {
      vi.useRealTimers();
    }
  });

  it('asks for hourly bins in a zone other than UTC (Autumn bins days in UTC), and weeks for 90 days', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    try {
      const load = vi.fn(async (_query: UsageChartQuery) => BY_MODEL);
      const user = userEvent.setup();
      const { rerender } = render(<UsageChart load={load} defaultRange="7d" timeZone="America/New_York" />);
      await waitFor(() => expect(root()).toHaveAttribute('data-state', 'ready'));
      expect(load).toHaveBeenLastCalledWith(expect.objectContaining({ binSize: 'hour', start: Date.UTC(2025, 2, 8, 5), timeZone: 'America/New_York' }));
      rerender(<UsageChart load={load} defaultRange="7d" />);
      await user.click(screen.getByRole('button', { name: '90 days' }));
      await waitFor(() => expect(load).toHaveBeenLastCalledWith(expect.objectContaining({ range: '90d', binSize: 'week', start: Date.UTC(2024, 11, 9) })));
      await user.click(await screen.findByRole('button', { name: 'Member' }));
      await waitFor(() => expect(load).toHaveBeenLastCalledWith(expect.objectContaining({ range: '90d', groupBy: 'member' })));
    } finally {
      vi.useRealTimers();
    }
  });

  it('shows the skeleton while a new range loads, and the newest answer wins', async () => {
    const user = userEvent.setup();
    const answers = new Map<string, ReturnType<typeof deferred<UsageChartAggregate>>>();
    const load = (query: UsageChartQuery) => {
      const answer = deferred<UsageChartAggregate>();
      answers.set(query.range, answer);
      return answer.promise;
    };
    render(<UsageChart load={load} defaultRange="30d" />);
    await waitFor(() => expect(answers.has('30d')).toBe(true));
    await user.click(screen.getByRole('button', { name: '7 days' }));
    await waitFor(() => expect(answers.has('7d')).toBe(true));
    await act(async () => answers.get('7d')!.resolve({ list: [{ period: Date.now(), values: { ai_credits: 7 } }] }));
    await act(async () => answers.get('30d')!.resolve({ list: [{ period: Date.now(), values: { ai_credits: 30 } }] }));
    expect(root()).toHaveAttribute('data-state', 'ready');
    expect(screen.getByText('7 credits · 7 days')).toBeInTheDocument();
  });

  it('shows the error with Retry, which loads again', async () => {
    const user = userEvent.setup();
    let calls = 0;
    const load = async () => {
      calls += 1;
      if (calls === 1) throw new Error('network down');
      return { list: [{ period: Date.now(), values: { ai_credits: 3 } }] };
    };
    render(<UsageChart load={load} />);
    await user.click(await screen.findByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(root()).toHaveAttribute('data-state', 'ready'));
    expect(calls).toBe(2);
  });

  it('takes member names from load and from its names prop', async () => {
    const load = async () => ({ aggregate: { list: [{ period: Date.now(), values: {}, groupedValues: { ai_credits: { u1: 2, u2: 1, u3: 1 } } }] }, names: { u2: 'Grace' } });
    render(<UsageChart load={load} defaultGroupBy="member" names={{ u1: 'Ada', u2: 'Old name' }} />);
    const legend = await screen.findByRole('list');
    expect(within(legend).getAllByRole('listitem').map((item) => item.textContent)).toEqual(['Ada 2', 'Grace 1', 'u3 1']);
  });

  it('reads the real aggregate of Autumn\'s stand-in through autumn-js, grouped by a property, hourly in a zone', async () => {
    const { createAutumnStandIn } = await import('../../src/testing.js');
    const { Autumn, HTTPClient } = await import('autumn-js');
    const standIn = createAutumnStandIn({ now: NOW });
    standIn.seedCustomer('org', { planId: 'pro_monthly' });
    const autumn = new Autumn({ secretKey: standIn.secretKey, serverURL: standIn.origin, failOpen: false, httpClient: new HTTPClient({ fetcher: standIn.fetch }) });
    const track = (hoursAgo: number, model: string, value: number) =>
      autumn.track({ customerId: 'org', featureId: 'ai_credits', value, properties: { model }, timestamp: NOW - hoursAgo * 3_600_000 });
    await track(1, 'gpt-5', 0.1);
    await track(2, 'gpt-5', 0.2);
    await track(3, 'claude', 1.5);
    await track(40, 'claude', 2); // Mar 12, 23:30 UTC: Mar 13 in Auckland
    standIn.flush();
    const query = { customerId: 'org', featureId: 'ai_credits', groupBy: 'properties.model', range: '7d' as const };
    const daily = await autumn.events.aggregate({ ...query, binSize: 'day' });
    const hourly = await autumn.events.aggregate({ ...query, binSize: 'hour' });

    const utc = usageChartSeries({ aggregate: daily }, { range: '7d', now: NOW });
    expect(utc.series.map((series) => [series.key, series.total])).toEqual([
      ['claude', 3.5],
      ['gpt-5', 0.3],
    ]);
    expect(utc.buckets.slice(-3).map((bucket) => [bucket.key, bucket.total])).toEqual([
      ['2025-03-12', 2],
      ['2025-03-13', 0],
      ['2025-03-14', 1.8],
    ]);
    const auckland = usageChartSeries({ aggregate: hourly }, { range: '7d', now: NOW, timeZone: 'Pacific/Auckland' });
    expect(auckland.buckets.slice(-3).map((bucket) => [bucket.key, bucket.total])).toEqual([
      ['2025-03-13', 2],
      ['2025-03-14', 0],
      ['2025-03-15', 1.8],
    ]);
  });
});
