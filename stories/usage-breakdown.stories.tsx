import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import {
  UsageBreakdown,
  UsageBreakdownEmpty,
  UsageBreakdownError,
  UsageBreakdownLabel,
  UsageBreakdownList,
  UsageBreakdownListItem,
  UsageBreakdownPercent,
  UsageBreakdownSkeleton,
  UsageBreakdownTitle,
  UsageBreakdownTotal,
  UsageBreakdownTrack,
  UsageBreakdownView,
  useUsageBreakdownRow,
} from '../src/react/components/usage-breakdown.js';
import type { CreditsStoryParameters } from '../.storybook/credits-decorator.js';
import { storyMeter } from '../.storybook/server.js';
import { seedStoryCustomer, standIn, storyCustomer } from '../.storybook/stand-in.js';

const THREADS: Record<string, string> = {
  thread_refactor: 'Refactor the billing module',
  thread_tests: 'Write tests for checkout',
  thread_docs: 'Draft the README',
  thread_sql: 'Slow SQL query',
  thread_names: 'Name the new plan',
  thread_misc: 'Quick question',
  thread_emoji: 'Emoji picker',
};

/** Real usage on the stand-in: the credit meter charges gateway costs per thread (events with a thread_id). */
async function chargeThreads(storyId: string): Promise<void> {
  const customerId = seedStoryCustomer(storyId, { planId: 'pro_monthly' });
  const costs: [string, string][] = [
    ['thread_refactor', '0.4125'],
    ['thread_tests', '0.2'],
    ['thread_refactor', '0.0875'],
    ['thread_docs', '0.061'],
    ['thread_sql', '0.03'],
    ['thread_names', '0.0012'],
    ['thread_misc', '0.0007'],
    ['thread_emoji', '0.0001545'],
  ];
  for (const [threadId, usd] of costs) {
    await storyMeter.charge({ customerId, usd, model: 'openai/gpt-5-mini', properties: { thread_id: threadId } });
  }
  // This usage is from earlier in the period: Autumn has aggregated it by now (its events lag seconds behind).
  standIn.flush();
}

/**
 * Where the credits went this period, per chat thread (from `meter.usageByThread`, i.e. Autumn's events aggregated
 * by `thread_id`), the biggest first and the rest grouped as "Other". `load` runs on mount, on Retry and when
 * `loadKey` changes.
 */
const meta = {
  title: 'Components/UsageBreakdown',
  component: UsageBreakdown,
  parameters: { credits: { source: 'stand-in' } },
  decorators: [
    (Story) => (
      <div className="w-96">
        <Story />
      </div>
    ),
  ],
} satisfies Meta<typeof UsageBreakdown>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Seven threads charged through the credit meter on the stand-in; five shown, two grouped as "Other". */
export const FromTheMeter: Story = {
  beforeEach: async ({ id }) => {
    await chargeThreads(id);
  },
  render: (args, { id }) => (
    <UsageBreakdown
      {...args}
      showPrice
      load={async () =>
        (await storyMeter.usageByThread({ customerId: storyCustomer(id) })).map((row) => ({
          id: row.threadId,
          label: THREADS[row.threadId] ?? null,
          credits: row.credits,
        }))
      }
    />
  ),
  play: async ({ canvasElement }) => {
    const list = await within(canvasElement).findByRole('list', {}, { timeout: 5000 });
    const items = within(list).getAllByRole('listitem');
    await expect(items).toHaveLength(6);
    await expect(items[0]).toHaveTextContent('Refactor the billing module');
    await expect(items[0]).toHaveTextContent('2,000 credits');
    await expect(items[5]).toHaveTextContent('Other (2)');
  },
};

/** Nothing used yet this period. */
export const Empty: Story = {
  args: { load: () => [] },
  play: async ({ canvas }) => {
    await expect(await canvas.findByText('No usage in this period yet.')).toBeInTheDocument();
  },
};

/** The load fails once; Retry loads it. */
export const ErrorThenRetry: Story = {
  render: (args) => {
    let calls = 0;
    return (
      <UsageBreakdown
        {...args}
        load={async () => {
          calls += 1;
          if (calls === 1) throw new Error('network down');
          return [{ id: 'thread_a', label: 'Thread A', credits: 120 }];
        }}
      />
    );
  },
  play: async ({ canvas }) => {
    await expect(await canvas.findByRole('alert')).toHaveTextContent('Could not load usage.');
    await userEvent.click(canvas.getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(canvas.getByRole('listitem')).toHaveTextContent('Thread A'));
  },
};

/** While loading. */
export const Loading: StoryObj<typeof UsageBreakdownView> = {
  parameters: { credits: { source: 'none' } satisfies CreditsStoryParameters },
  render: () => <UsageBreakdownView loading />,
};

/** Bad amounts from a database (NaN, negative, garbage) show "—" and count as 0. */
export const ViewWithBadNumbers: StoryObj<typeof UsageBreakdownView> = {
  parameters: { credits: { source: 'none' } satisfies CreditsStoryParameters },
  render: () => (
    <UsageBreakdownView
      items={[
        { id: 'a', label: 'Good thread', credits: 300 },
        { id: 'b', label: 'NaN thread', credits: Number.NaN },
        { id: 'c', label: 'Negative thread', credits: -5 },
        { id: 'd', label: 'Garbage thread', credits: 'abc' },
      ]}
    />
  ),
  play: async ({ canvasElement }) => {
    await expect(canvasElement).not.toHaveTextContent(/NaN(?! thread)|Infinity|-\d/);
  },
};

/** A part of the app's own, inside each row: the thread's id, small, under its name (the grouped row has none). */
function ThreadId() {
  const row = useUsageBreakdownRow();
  return row.grouped > 0 ? null : <span className="block truncate text-xs text-credits-muted-foreground">{row.id}</span>;
}

/**
 * The same chart composed from its parts (issue 16): the total first, as the headline, then the title; each row
 * with its bar on top, the name (and a part of the app's own, the thread id) beside the share, the credits left out.
 * Each part renders only in its states, so loading, errors and an empty period still show.
 */
export const Composition: Story = {
  beforeEach: async ({ id }) => {
    await chargeThreads(id);
  },
  render: (args, { id }) => (
    <UsageBreakdown
      {...args}
      maxItems={3}
      load={async () =>
        (await storyMeter.usageByThread({ customerId: storyCustomer(id) })).map((row) => ({
          id: row.threadId,
          label: THREADS[row.threadId] ?? null,
          credits: row.credits,
        }))
      }
    >
      <UsageBreakdownTotal className="border-t-0 border-b pt-0 pb-2 text-base" />
      <UsageBreakdownTitle className="text-xs text-credits-muted-foreground" />
      <UsageBreakdownSkeleton />
      <UsageBreakdownError />
      <UsageBreakdownEmpty />
      <UsageBreakdownList className="gap-3">
        <UsageBreakdownListItem>
          <UsageBreakdownTrack className="h-1.5" />
          <div className="flex items-baseline justify-between gap-3">
            <span className="min-w-0">
              <UsageBreakdownLabel className="block" /> <ThreadId />
            </span>{' '}
            <UsageBreakdownPercent />
          </div>
        </UsageBreakdownListItem>
      </UsageBreakdownList>
    </UsageBreakdown>
  ),
  play: async ({ canvasElement }) => {
    const list = await within(canvasElement).findByRole('list', { name: 'Usage by thread' }, { timeout: 5000 });
    const root = canvasElement.querySelector('[data-slot="usage-breakdown"]');
    const slots = [...(root?.children ?? [])].map((element) => element.getAttribute('data-slot'));
    await expect(slots).toEqual(['usage-breakdown-total', 'usage-breakdown-title', 'usage-breakdown-list']);
    const items = within(list).getAllByRole('listitem');
    await expect(items).toHaveLength(4);
    await expect(items[0]).toHaveTextContent('Refactor the billing module');
    await expect(items[0]).toHaveTextContent('thread_refactor');
    await expect(items[0]).not.toHaveTextContent('credits');
    await expect(items[0]?.firstElementChild).toHaveAttribute('data-slot', 'usage-breakdown-track');
    await expect(items[3]).toHaveTextContent('Other (4)');
  },
};
