import type { Meta, StoryObj } from '@storybook/react-vite';
import { Autumn, HTTPClient } from 'autumn-js';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import {
  UsageChart,
  UsageChartEmpty,
  UsageChartError,
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
} from '../src/react/components/usage-chart.js';
import { usageChartSeries, type UsageChartPurchase } from '../src/react/shared/usage-chart.js';
import type { CreditsStoryParameters } from '../.storybook/credits-decorator.js';
import { seedStoryCustomer, standIn, storyCustomer } from '../.storybook/stand-in.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The server side of the stories' app: the real autumn-js SDK on the in-memory Autumn, in process (no network). */
const autumn = new Autumn({ secretKey: standIn.secretKey, serverURL: standIn.origin, failOpen: false, httpClient: new HTTPClient({ fetcher: standIn.fetch }) });

const MODELS = ['openai/gpt-5', 'anthropic/claude-sonnet-4.5', 'google/gemini-2.5-flash', 'openai/gpt-5-mini'] as const;
const MEMBERS: Record<string, string> = { user_ada: 'Ada Lovelace', user_grace: 'Grace Hopper', user_alan: 'Alan Turing' };

/** A repeatable pseudo-random number in [0, 1) for a day and a series: the same chart on every run. */
function noise(day: number, series: number): number {
  const x = Math.sin(day * 12.9898 + series * 78.233) * 43758.5453;
  return x - Math.floor(x);
}

/**
 * 90 days of a team's usage tracked on the stand-in, as the credit meter tracks it: events of the credits feature with
 * the model and the member (`user_id`) as properties, timestamped in the past. Weekends are quieter; some days none.
 */
async function trackUsage(storyId: string, days = 90): Promise<void> {
  const customerId = seedStoryCustomer(storyId, { planId: 'pro_monthly', topUpCredits: 1_000_000 });
  const now = standIn.clock.now();
  const tracks: Promise<unknown>[] = [];
  for (let ago = 0; ago < days; ago++) {
    const at = now - ago * DAY - 2 * HOUR;
    const weekday = new Date(at).getUTCDay();
    if (noise(ago, 9) < 0.08) continue; // a day off
    MODELS.forEach((model, index) => {
      const scale = (weekday === 0 || weekday === 6 ? 0.3 : 1) * [900, 500, 250, 120][index]!;
      const value = Math.round(noise(ago, index) * scale * 100) / 100;
      if (value <= 0) return;
      const userId = Object.keys(MEMBERS)[Math.floor(noise(ago, index + 4) * 3)]!;
      tracks.push(autumn.track({ customerId, featureId: 'ai_credits', value, timestamp: at - index * 60_000, properties: { model, user_id: userId } }));
    });
  }
  await Promise.all(tracks);
  // This usage is from the past: Autumn has aggregated it by now (its events lag seconds behind).
  standIn.flush();
}

/**
 * Your route's side: Autumn's `events.aggregate` for the signed-in org, grouped by the model or the member property.
 * The chart passes the range, the bin size to ask for and the window; the answer goes to the chart as it is.
 */
function loadFor(storyId: string, purchases: readonly UsageChartPurchase[] = []) {
  return async (query: UsageChartQuery) => {
    const aggregate = await autumn.events.aggregate({
      customerId: storyCustomer(storyId),
      featureId: 'ai_credits',
      range: query.range,
      binSize: query.binSize,
      groupBy: query.groupBy === 'model' ? 'properties.model' : 'properties.user_id',
      maxGroups: 9,
    });
    return { aggregate, purchases, names: query.groupBy === 'member' ? MEMBERS : null };
  };
}

/** Purchases to mark: a plan renewal, a top-up and an auto top-up (when the balance dipped below its threshold). */
function purchases(): UsageChartPurchase[] {
  const now = standIn.clock.now();
  return [
    { id: 'renewal', at: now - 20 * DAY, credits: 60_000, kind: 'plan' },
    { id: 'top-up', at: now - 12 * DAY + 3 * HOUR, credits: 40_000, kind: 'top_up' },
    { id: 'auto', at: now - 4 * DAY + 5 * HOUR, credits: 40_000, kind: 'auto_top_up' },
  ];
}

/** How many weekly bars 90 days take today: 14, or 13 when today is a Saturday or Sunday. */
function weeks(): number {
  return usageChartSeries(null, { range: '90d', now: Date.now() }).buckets.length;
}

/** The bars of the chart (its points), once loaded. */
async function bars(canvasElement: HTMLElement, count: number): Promise<HTMLElement[]> {
  const plot = await within(canvasElement).findByRole('group', { name: 'Credits used' }, { timeout: 5000 });
  await waitFor(() => expect(within(plot).getAllByRole('img')).toHaveLength(count));
  return within(plot).getAllByRole('img');
}

/**
 * Credits used per day (or week) over 7, 30 or 90 days, stacked by model or by member, from Autumn's
 * `events.aggregate`; purchases marked apart under the bars. `load` runs on mount, on Retry and when the range or
 * grouping changes.
 */
const meta = {
  title: 'Components/UsageChart',
  component: UsageChart,
  // Every story's render passes its own `load`; this one answers an empty period.
  args: { load: () => ({ list: [] }) },
  parameters: { credits: { source: 'stand-in' } satisfies CreditsStoryParameters },
  decorators: [
    (Story) => (
      <div className="w-[34rem]">
        <Story />
      </div>
    ),
  ],
} satisfies Meta<typeof UsageChart>;

export default meta;
type Story = StoryObj<typeof meta>;

/** 30 days by model, from the stand-in's real aggregate; the keyboard walks the bars, each saying what it holds. */
export const ByModel: Story = {
  beforeEach: async ({ id }) => {
    await trackUsage(id);
  },
  render: (args, { id }) => <UsageChart {...args} load={loadFor(id)} />,
  play: async ({ canvasElement }) => {
    const points = await bars(canvasElement, 30);
    const legend = within(canvasElement).getByRole('list');
    await expect(within(legend).getAllByRole('listitem').map((item) => item.textContent?.split(' ')[0])).toEqual([...MODELS]);
    points.at(-1)!.focus();
    await userEvent.keyboard('{ArrowLeft}');
    await expect(points.at(-2)).toHaveFocus();
    await expect(points.at(-2)!.getAttribute('aria-label')).toMatch(/^\w{3} \d+: [\d,.]+ credits/);
    await expect(points.some((point) => /credits\. openai\/gpt-5 [\d,.]+, anthropic\/claude-sonnet-4\.5 [\d,.]+/.test(point.getAttribute('aria-label') ?? ''))).toBe(true);
    await expect(canvasElement.querySelector('[data-slot="usage-chart-tooltip"]')).toBeInTheDocument();
  },
};

/** Grouped by member (`user_id`), with the members' names from the app. */
export const ByMember: Story = {
  args: { defaultGroupBy: 'member' },
  beforeEach: async ({ id }) => {
    await trackUsage(id);
  },
  render: (args, { id }) => <UsageChart {...args} load={loadFor(id)} />,
  play: async ({ canvasElement }) => {
    await bars(canvasElement, 30);
    const names = within(within(canvasElement).getByRole('list')).getAllByRole('listitem').map((item) => item.textContent);
    await expect(names.every((name) => /^(Ada Lovelace|Grace Hopper|Alan Turing) [\d,.]+$/.test(name ?? ''))).toBe(true);
    await expect(within(canvasElement).getByRole('button', { name: 'Member' })).toHaveAttribute('aria-pressed', 'true');
  },
};

/** A plan renewal, a top-up and an auto top-up, marked under their days (square, triangle, diamond), never stacked. */
export const WithPurchases: Story = {
  beforeEach: async ({ id }) => {
    await trackUsage(id);
  },
  render: (args, { id }) => <UsageChart {...args} load={loadFor(id, purchases())} />,
  play: async ({ canvasElement }) => {
    const points = await bars(canvasElement, 30);
    const marks = [...canvasElement.querySelectorAll('[data-slot="usage-chart-purchase"]')].map((mark) => mark.getAttribute('data-kind'));
    await expect(marks).toEqual(['plan', 'top_up', 'auto_top_up']);
    const auto = points.find((point) => point.getAttribute('aria-label')?.includes('Auto top-up'));
    await expect(auto?.getAttribute('aria-label')).toMatch(/Auto top-up 40,000 credits$/);
    const legend = within(within(canvasElement).getByRole('list')).getAllByRole('listitem');
    await expect(legend.slice(-3).map((item) => item.textContent)).toEqual(['Plan credits', 'Top-up', 'Auto top-up']);
  },
};

/** The last 7 days, a bar per day. */
export const SevenDays: Story = {
  args: { defaultRange: '7d' },
  beforeEach: async ({ id }) => {
    await trackUsage(id, 8);
  },
  render: (args, { id }) => <UsageChart {...args} load={loadFor(id)} />,
  play: async ({ canvasElement }) => {
    await bars(canvasElement, 7);
    await expect(within(canvasElement).getByRole('button', { name: '7 days' })).toHaveAttribute('aria-pressed', 'true');
  },
};

/** 90 days, a bar per week (from Monday); switching the range reloads and redraws. */
export const NinetyDays: Story = {
  args: { defaultRange: '90d' },
  beforeEach: async ({ id }) => {
    await trackUsage(id);
  },
  render: (args, { id }) => <UsageChart {...args} load={loadFor(id)} />,
  play: async ({ canvasElement }) => {
    const points = await bars(canvasElement, weeks());
    await expect(points[0]!.getAttribute('aria-label')).toMatch(/^Week of /);
    await userEvent.click(within(canvasElement).getByRole('button', { name: '30 days' }));
    await bars(canvasElement, 30);
    await userEvent.click(within(canvasElement).getByRole('button', { name: '90 days' }));
    await bars(canvasElement, weeks());
  },
};

/** The table alternative: the Table toggle shows every week's credits per model, the totals and the purchases. */
export const AsTable: Story = {
  args: { defaultRange: '90d' },
  beforeEach: async ({ id }) => {
    await trackUsage(id);
  },
  render: (args, { id }) => <UsageChart {...args} load={loadFor(id, purchases())} />,
  play: async ({ canvasElement }) => {
    await bars(canvasElement, weeks());
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: 'Table' }));
    const table = canvas.getByRole('table', { name: 'Credits used, 90 days' });
    await expect(within(table).getAllByRole('columnheader').map((cell) => cell.textContent)).toEqual(['Date', ...MODELS, 'Total', 'Purchases']);
    await expect(within(table).getAllByRole('row')).toHaveLength(1 + weeks() + 1);
    await expect(canvas.getByRole('button', { name: 'Table' })).toHaveAttribute('aria-pressed', 'true');
  },
};

/** Nothing used yet: Autumn's answer is all zeros. */
export const Empty: Story = {
  render: (args, { id }) => <UsageChart {...args} load={loadFor(id)} />,
  play: async ({ canvas }) => {
    await expect(await canvas.findByText('No usage in this period yet.', {}, { timeout: 5000 })).toBeInTheDocument();
  },
};

/** While loading: the switches stay, a skeleton stands in for the bars. */
export const Loading: StoryObj<typeof UsageChartView> = {
  parameters: { credits: { source: 'none' } satisfies CreditsStoryParameters },
  render: () => <UsageChartView loading />,
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('status')).toHaveTextContent('Loading usage…');
  },
};

/** The load fails once; Retry loads it. */
export const ErrorThenRetry: Story = {
  beforeEach: async ({ id }) => {
    await trackUsage(id, 30);
  },
  render: (args, { id }) => {
    let calls = 0;
    const load = loadFor(id);
    return (
      <UsageChart
        {...args}
        load={async (query) => {
          calls += 1;
          if (calls === 1) throw new Error('network down');
          return load(query);
        }}
      />
    );
  },
  play: async ({ canvas, canvasElement }) => {
    await expect(await canvas.findByRole('alert')).toHaveTextContent('Could not load usage.');
    await userEvent.click(canvas.getByRole('button', { name: 'Retry' }));
    await bars(canvasElement, 30);
  },
};

/** Dark mode: the series take the dark chart palette; axe checks the text's contrast. */
export const Dark: Story = {
  globals: { theme: 'dark' },
  beforeEach: async ({ id }) => {
    await trackUsage(id);
  },
  render: (args, { id }) => <UsageChart {...args} load={loadFor(id, purchases())} />,
  play: async ({ canvasElement }) => {
    await bars(canvasElement, 30);
    await expect(canvasElement.ownerDocument.documentElement).toHaveClass('dark');
  },
};

/** Bad numbers from a database or a proxy (NaN, negative, garbage, dates that are not dates) never reach the screen. */
export const ViewWithBadNumbers: StoryObj<typeof UsageChartView> = {
  parameters: { credits: { source: 'none' } satisfies CreditsStoryParameters },
  render: () => {
    const today = Date.UTC(2026, 0, 15);
    return (
      <UsageChartView
        defaultRange="7d"
        now={today + 9 * HOUR}
        aggregate={{
          list: [
            { period: today, values: {}, grouped_values: { ai_credits: { good: 120, nan: Number.NaN, negative: -40, text: 'abc' as unknown as number } } },
            { period: today - DAY, values: {}, grouped_values: { ai_credits: { good: -500 } } },
            { period: 'yesterday' as unknown as number, values: { ai_credits: 1 } },
          ],
        }}
        purchases={[
          { at: 'never', credits: 100, kind: 'top_up' },
          { at: today, credits: -5, kind: 'auto_top_up' },
        ]}
      />
    );
  },
  play: async ({ canvasElement }) => {
    await bars(canvasElement, 7);
    await expect(canvasElement).not.toHaveTextContent(/NaN|Infinity|-\d/);
    for (const point of within(canvasElement).getAllByRole('img')) await expect(point.getAttribute('aria-label')).not.toMatch(/NaN|Infinity|-\d/);
  },
};

/** A part of the app's own, reading the chart: the busiest day. */
function BusiestDay() {
  const { state, model, bucketLabel, formatters } = useUsageChart();
  if (state !== 'ready') return null;
  const busiest = model.buckets.reduce((best, bucket) => (bucket.total > best.total ? bucket : best));
  return <p className="text-xs text-credits-muted-foreground">{`Busiest: ${bucketLabel(busiest)}, ${formatters.credits(busiest.total)} credits`}</p>;
}

/**
 * The same chart composed from its parts: the total as the headline over the title, a taller plot, the legend on top,
 * the range switch and table toggle under the bars, no group-by switch (by member only), and a part of the app's
 * own. Each part renders only in its states, so loading, errors and an empty period still show.
 */
export const Composition: Story = {
  args: { defaultGroupBy: 'member' },
  beforeEach: async ({ id }) => {
    await trackUsage(id);
  },
  render: (args, { id }) => (
    <UsageChart {...args} load={loadFor(id, purchases())}>
      <div className="flex items-baseline justify-between gap-2">
        <UsageChartTotal className="text-base font-semibold text-credits-foreground" />
        <UsageChartTitle className="text-xs text-credits-muted-foreground">Team usage</UsageChartTitle>
      </div>
      <UsageChartLegend className="justify-end" />
      <UsageChartSkeleton />
      <UsageChartError />
      <UsageChartEmpty />
      <UsageChartPlot height={220} />
      <UsageChartTable />
      <div className="flex items-center justify-between gap-2">
        <UsageChartRangeSwitch />
        <BusiestDay />
        <UsageChartViewToggle />
      </div>
    </UsageChart>
  ),
  play: async ({ canvasElement }) => {
    const plot = await within(canvasElement).findByRole('group', { name: 'Team usage' }, { timeout: 5000 });
    await waitFor(() => expect(within(plot).getAllByRole('img')).toHaveLength(30));
    const root = canvasElement.querySelector('[data-slot="usage-chart"]');
    const slots = [...(root?.children ?? [])].map((element) => element.getAttribute('data-slot') ?? element.tagName.toLowerCase());
    await expect(slots).toEqual(['div', 'usage-chart-legend', 'usage-chart-plot', 'div']);
    await expect(plot.getAttribute('height')).toBe(String(8 + 220 + 18));
    await expect(within(canvasElement).queryByRole('group', { name: 'Group by' })).toBeNull();
    await expect(within(canvasElement).getByText(/^Busiest: /)).toBeInTheDocument();
  },
};
