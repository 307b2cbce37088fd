import * as React from 'react';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
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
  UsageBreakdownValue,
  UsageBreakdownView,
  useUsageBreakdown,
  useUsageBreakdownRow,
} from '../../src/react/components/usage-breakdown.js';
import { usageBreakdownRows, withPendingUsage, type UsageBreakdownItem } from '../../src/react/shared/usage-breakdown.js';
import { CreditsProvider } from '../../src/react/credits-provider.js';
import { CreditsFormatProvider } from '../../src/react/lib/credits-format.js';
import { expectNoAxeViolations } from './axe.js';

const THREADS: UsageBreakdownItem[] = [
  { id: 't1', label: 'Quarterly report', credits: 1200 },
  { id: 't2', label: 'Landing page copy', credits: 3000 },
  { id: 't3', label: 'Bug triage', credits: 800 },
];

function root(): HTMLElement {
  const element = document.querySelector<HTMLElement>('[data-slot="usage-breakdown"]');
  if (!element) throw new Error('no usage breakdown');
  return element;
}

/** The chart as a screen reader gets it: each list item's text, whitespace-normalized. */
function readItems(): string[] {
  const list = screen.getByRole('list', { name: 'Usage by thread' });
  return within(list)
    .getAllByRole('listitem')
    .map((item) => (item.textContent ?? '').replace(/\s+/g, ' ').trim());
}

function barWidths(): string[] {
  return [...document.querySelectorAll<HTMLElement>('[data-slot="usage-breakdown-bar"]')].map((bar) => bar.style.width);
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

describe('UsageBreakdownView', () => {
  describe('given usage per thread', () => {
    it('lists the threads by credits, each with its amount and share, and the total', async () => {
      const { container } = render(<UsageBreakdownView items={THREADS} locale="en-US" />);
      expect(root()).toHaveAttribute('data-state', 'ready');
      expect(readItems()).toEqual([
        'Landing page copy 3,000 credits 60%',
        'Quarterly report 1,200 credits 24%',
        'Bug triage 800 credits 16%',
      ]);
      expect(barWidths()).toEqual(['60%', '24%', '16%']);
      expect(screen.getByText('Total').parentElement).toHaveTextContent('Total 5,000 credits');
      await expectNoAxeViolations(container);
    });

    it('hides the bars from screen readers: the list is the source of truth', () => {
      render(<UsageBreakdownView items={THREADS} locale="en-US" />);
      for (const track of document.querySelectorAll('[data-slot="usage-breakdown-track"]')) {
        expect(track).toHaveAttribute('aria-hidden', 'true');
      }
    });

    it('shows shares of a larger period total when given one', () => {
      render(<UsageBreakdownView items={THREADS} total={10_000} locale="en-US" />);
      expect(barWidths()).toEqual(['30%', '12%', '8%']);
      expect(screen.getByText('Total').parentElement).toHaveTextContent('10,000 credits');
    });

    it('ignores a total smaller than the items, so no share exceeds 100%', () => {
      render(<UsageBreakdownView items={THREADS} total={1} locale="en-US" />);
      expect(barWidths()).toEqual(['60%', '24%', '16%']);
    });

    it('shows prices when asked, derived at the config rate when missing', () => {
      render(<UsageBreakdownView items={[{ id: 'a', label: 'A', credits: 4000 }, { id: 'b', label: 'B', credits: 1, usd: 0.5 }]} showPrice locale="en-US" />);
      expect(readItems()).toEqual(['A 4,000 credits · $1.00 100%', 'B 1 credits · $0.50 0%']);
    });
  });

  describe('given more threads than fit', () => {
    const MANY: UsageBreakdownItem[] = Array.from({ length: 12 }, (_, i) => ({ id: `t${i}`, label: `Thread ${i}`, credits: (i + 1) * 10 }));

    it('shows the top items and groups the rest as "Other"', () => {
      render(<UsageBreakdownView items={MANY} maxItems={3} locale="en-US" />);
      const items = readItems();
      expect(items).toHaveLength(4);
      expect(items.slice(0, 3)).toEqual(['Thread 11 120 credits 15%', 'Thread 10 110 credits 14%', 'Thread 9 100 credits 13%']);
      // 10 + 20 + ... + 90 = 450 of 780.
      expect(items[3]).toBe('Other (9) 450 credits 58%');
      expect(document.querySelector('[data-slot="usage-breakdown-item"][data-other]')).not.toBeNull();
    });

    it('shows a single leftover item by name instead of "Other (1)"', () => {
      render(<UsageBreakdownView items={MANY.slice(0, 4)} maxItems={3} locale="en-US" />);
      expect(readItems().map((item) => item.split(' ').slice(0, 2).join(' '))).toEqual(['Thread 3', 'Thread 2', 'Thread 1', 'Thread 0']);
    });
  });

  describe('given no usage', () => {
    it('says so', async () => {
      const { container } = render(<UsageBreakdownView items={[]} />);
      expect(root()).toHaveAttribute('data-state', 'empty');
      expect(screen.getByText('No usage in this period yet.')).toBeInTheDocument();
      expect(screen.queryByRole('list')).toBeNull();
      await expectNoAxeViolations(container);
    });

    it('shows threads that used nothing at 0%, never NaN', () => {
      render(<UsageBreakdownView items={[{ id: 'a', label: 'A', credits: 0 }]} locale="en-US" />);
      expect(readItems()).toEqual(['A 0 credits 0%']);
      expect(barWidths()).toEqual(['0%']);
    });
  });

  describe('while loading', () => {
    it('shows a skeleton, busy, with a status for screen readers', async () => {
      const { container } = render(<UsageBreakdownView loading />);
      expect(root()).toHaveAttribute('data-state', 'loading');
      expect(root()).toHaveAttribute('aria-busy', 'true');
      expect(screen.getByRole('status')).toHaveTextContent('Loading usage…');
      await expectNoAxeViolations(container);
    });

    it('keeps showing the previous items while reloading', () => {
      render(<UsageBreakdownView loading items={THREADS} />);
      expect(root()).toHaveAttribute('data-state', 'ready');
      expect(root()).toHaveAttribute('aria-busy', 'true');
    });
  });

  describe('given an error', () => {
    it('shows an alert with Retry, reachable by keyboard', async () => {
      const onRetry = vi.fn();
      const { container } = render(<UsageBreakdownView error={new Error('boom')} onRetry={onRetry} items={THREADS} />);
      expect(root()).toHaveAttribute('data-state', 'error');
      expect(screen.getByRole('alert')).toHaveTextContent('Could not load usage.');
      const user = userEvent.setup();
      await user.tab();
      expect(screen.getByRole('button', { name: 'Retry' })).toHaveFocus();
      await user.keyboard('{Enter}');
      expect(onRetry).toHaveBeenCalledTimes(1);
      await expectNoAxeViolations(container);
    });

    it('shows no Retry without onRetry', () => {
      render(<UsageBreakdownView error="offline" />);
      expect(screen.queryByRole('button')).toBeNull();
    });
  });

  describe('given bad input', () => {
    it('shows "—" for unreadable credits, sorts them last and keeps every share within 0..100', () => {
      const items = [
        { id: 'nan', label: 'NaN', credits: Number.NaN },
        { id: 'neg', label: 'Negative', credits: -50 },
        { id: 'inf', label: 'Infinite', credits: Number.POSITIVE_INFINITY },
        { id: 'abc', label: 'Text', credits: 'abc' },
        { id: 'ok', label: 'Fine', credits: '25.5' },
      ];
      const { container } = render(<UsageBreakdownView items={items} locale="en-US" />);
      expect(readItems()).toEqual(['Fine 25.5 credits 100%', 'NaN — 0%', 'Negative — 0%', 'Infinite — 0%', 'Text — 0%']);
      expect(container.textContent).not.toMatch(/NaN credits|Infinity|-\d/);
    });

    it('survives items that are not an array, entries that are not objects, and missing labels', () => {
      const { rerender } = render(<UsageBreakdownView items={'oops' as never} />);
      expect(root()).toHaveAttribute('data-state', 'empty');
      rerender(<UsageBreakdownView items={[null, 5, { id: '', credits: 3 }, { credits: 2 }] as never} locale="en-US" />);
      expect(readItems()).toEqual(['Untitled 3 credits 60%', 'item-3 2 credits 40%']);
    });

    it('keys rows so duplicate ids do not break rendering', () => {
      render(<UsageBreakdownView items={[{ id: 'same', label: 'One', credits: 1 }, { id: 'same', label: 'Two', credits: 2 }]} locale="en-US" />);
      expect(readItems()).toHaveLength(2);
    });

    it('renders amounts beyond what a number holds exactly (it threw before): the nearest number, shares within 0..100', () => {
      const items = [
        { id: 'huge', label: 'Huge', credits: 1e12 },
        { id: 'small', label: 'Small', credits: 5 },
      ];
      const summary = usageBreakdownRows(items, { total: '20000000000000.5' });
      expect(summary.rows[0]).toMatchObject({ credits: 1e12, usd: 250_000_000, percent: 4.99 }); // shares round down
      expect(summary.total).toBe(20_000_000_000_000.5);
      const { container } = render(<UsageBreakdownView items={items} locale="en-US" />);
      expect(readItems()[0]).toBe('Huge 1,000,000,000,000 credits 100%');
      expect(container.textContent).not.toMatch(/NaN|Infinity|-\d/);
    });

    it('sums exactly: a thousand tenths make 100, each share still within 0..100', () => {
      const tenths = Array.from({ length: 1000 }, (_, i) => ({ id: `t${i}`, credits: 0.1 }));
      const summary = usageBreakdownRows(tenths, { maxItems: 5 });
      expect(summary.total).toBe(100);
      expect(summary.rows.at(-1)).toMatchObject({ grouped: 995, credits: 99.5, percent: 99.5 });
      const sum = summary.rows.reduce((total, row) => total + row.percent, 0);
      expect(sum).toBeLessThanOrEqual(100);
    });
  });

  describe('given a locale', () => {
    it('formats numbers in it, from the provider', () => {
      render(
        <CreditsFormatProvider locale="de-DE">
          <UsageBreakdownView items={[{ id: 'a', label: 'A', credits: 1234.5 }]} />
        </CreditsFormatProvider>,
      );
      expect(readItems()).toEqual(['A 1.234,5 credits 100 %']);
    });
  });

  describe('given overrides', () => {
    it('relabels, merges className last and sizes down', () => {
      render(
        <UsageBreakdownView
          items={THREADS}
          maxItems={1}
          size="compact"
          className="gap-4"
          labels={{ title: 'Nutzung', unit: 'Credits', other: (n) => `Sonstige (${n})`, total: 'Summe' }}
          locale="en-US"
        />,
      );
      const list = screen.getByRole('list', { name: 'Nutzung' });
      expect(within(list).getAllByRole('listitem').map((item) => item.textContent)).toEqual([
        'Landing page copy 3,000 Credits 60%',
        'Sonstige (2) 2,000 Credits 40%',
      ]);
      expect(root()).toHaveAttribute('data-size', 'compact');
      expect(root().className).toContain('gap-4');
      expect(root().className).not.toContain('gap-2');
      expect(screen.getByText('Summe')).toBeInTheDocument();
    });
  });

  describe('composed from its parts', () => {
    it('renders the parts in the order given, each taking its own className, and omits what is left out', async () => {
      const { container } = render(
        <UsageBreakdownView items={THREADS} maxItems={1} locale="en-US">
          <UsageBreakdownTotal className="border-none" />
          <UsageBreakdownList className="gap-3">
            <UsageBreakdownListItem className="flex-col-reverse">
              <UsageBreakdownTrack className="h-1 **:data-[slot=usage-breakdown-bar]:bg-chart-2" />
              <UsageBreakdownLabel className="text-xs" /> <UsageBreakdownPercent className="font-bold" />
            </UsageBreakdownListItem>
          </UsageBreakdownList>
          <UsageBreakdownTitle className="sr-only" />
        </UsageBreakdownView>,
      );
      const slots = [...root().querySelectorAll('[data-slot]')].map((element) => element.getAttribute('data-slot'));
      const item = ['usage-breakdown-item', 'usage-breakdown-track', 'usage-breakdown-bar', 'usage-breakdown-label', 'usage-breakdown-percent'];
      expect(slots).toEqual(['usage-breakdown-total', 'usage-breakdown-list', ...item, ...item, 'usage-breakdown-title']);
      // The list is still named by the title, wherever it stands, and each item reads as it did.
      expect(readItems()).toEqual(['Landing page copy 60%', 'Other (2) 40%']);
      expect(barWidths()).toEqual(['60%', '40%']);
      expect(root().querySelector('[data-slot="usage-breakdown-list"]')).toHaveClass('flex', 'gap-3');
      expect(root().querySelector('[data-slot="usage-breakdown-list"]')).not.toHaveClass('gap-2');
      expect(root().querySelector('[data-slot="usage-breakdown-item"][data-other]')).toHaveClass('flex-col-reverse');
      expect(root().querySelector('[data-slot="usage-breakdown-track"]')).toHaveClass('h-1');
      expect(root().querySelector('[data-slot="usage-breakdown-label"]')).toHaveClass('text-xs');
      expect(root().querySelector('[data-slot="usage-breakdown-percent"]')).toHaveClass('font-bold');
      expect(root().querySelector('[data-slot="usage-breakdown-total"]')).toHaveClass('border-none');
      expect(screen.getByText('Usage by thread')).toHaveClass('sr-only');
      await expectNoAxeViolations(container);
    });

    it('shows each part only in its states: the skeleton while loading, the error with Retry, the empty line, the list and total once known', async () => {
      const onRetry = vi.fn();
      const parts = (
        <>
          <UsageBreakdownTitle />
          <UsageBreakdownSkeleton />
          <UsageBreakdownError />
          <UsageBreakdownEmpty />
          <UsageBreakdownList>
            <UsageBreakdownListItem>
              <UsageBreakdownLabel /> <UsageBreakdownValue />
            </UsageBreakdownListItem>
          </UsageBreakdownList>
          <UsageBreakdownTotal />
        </>
      );
      const { rerender } = render(<UsageBreakdownView loading>{parts}</UsageBreakdownView>);
      expect(screen.getByRole('status')).toHaveTextContent('Loading usage…');
      expect(screen.queryByRole('list')).toBeNull();
      expect(screen.queryByRole('alert')).toBeNull();

      rerender(
        <UsageBreakdownView error="offline" onRetry={onRetry}>
          {parts}
        </UsageBreakdownView>,
      );
      expect(screen.queryByRole('status')).toBeNull();
      await userEvent.click(within(screen.getByRole('alert')).getByRole('button', { name: 'Retry' }));
      expect(onRetry).toHaveBeenCalledTimes(1);

      rerender(<UsageBreakdownView items={[]}>{parts}</UsageBreakdownView>);
      expect(root()).toHaveTextContent('Usage by threadNo usage in this period yet.');
      expect(screen.queryByText('Total')).toBeNull();

      rerender(
        <UsageBreakdownView items={THREADS} showPrice locale="en-US">
          {parts}
        </UsageBreakdownView>,
      );
      expect(screen.queryByText('No usage in this period yet.')).toBeNull();
      expect(readItems()).toEqual([
        'Landing page copy 3,000 credits · $0.75 60%',
        'Quarterly report 1,200 credits · $0.30 24%',
        'Bug triage 800 credits · $0.20 16%',
      ]);
      expect(document.querySelector('[data-slot="usage-breakdown-track"]')).toBeNull();
      expect(screen.getByText('Total').parentElement).toHaveTextContent('Total 5,000 credits');
    });

    it('lets parts of your own read the chart through useUsageBreakdown and a row through useUsageBreakdownRow', () => {
      function Rank() {
        const row = useUsageBreakdownRow();
        const { rows } = useUsageBreakdown();
        return <span data-testid="rank">{`#${rows.indexOf(row) + 1} ${row.id}`}</span>;
      }
      function Count() {
        const { rows, state } = useUsageBreakdown();
        return <p data-testid="count">{`${state}: ${rows.length} rows`}</p>;
      }
      render(
        <UsageBreakdownView items={THREADS}>
          <Count />
          <UsageBreakdownList>
            <UsageBreakdownListItem>
              <Rank />
            </UsageBreakdownListItem>
          </UsageBreakdownList>
        </UsageBreakdownView>,
      );
      expect(screen.getByTestId('count')).toHaveTextContent('ready: 3 rows');
      expect(screen.getAllByTestId('rank').map((rank) => rank.textContent)).toEqual(['#1 t2', '#2 t1', '#3 t3']);
    });

    it('fails loudly when a part is rendered outside a chart, or a row part outside its list', () => {
      const error = vi.spyOn(console, 'error').mockImplementation(() => {});
      try {
        expect(() => render(<UsageBreakdownTotal />)).toThrow('UsageBreakdown parts must be used within <UsageBreakdown>');
        expect(() => render(<UsageBreakdownView items={THREADS}><UsageBreakdownLabel /></UsageBreakdownView>)).toThrow(
          'UsageBreakdownList parts must be used within <UsageBreakdownList>',
        );
      } finally {
        error.mockRestore();
      }
    });

    it('passes its parts through the connected UsageBreakdown, which still loads', async () => {
      const load = deferred<UsageBreakdownItem[]>();
      render(
        <UsageBreakdown load={() => load.promise} locale="en-US">
          <UsageBreakdownSkeleton />
          <UsageBreakdownList />
        </UsageBreakdown>,
      );
      expect(screen.getByRole('status')).toHaveTextContent('Loading usage…');
      await act(async () => load.resolve(THREADS));
      expect(within(screen.getByRole('list')).getAllByRole('listitem')).toHaveLength(3);
      expect(screen.queryByText('Total')).toBeNull();
      expect(screen.queryByText('Usage by thread')).toBeNull();
    });
  });
});

describe('UsageBreakdown', () => {
  it('renders items it is given without loading', () => {
    render(<UsageBreakdown items={THREADS} locale="en-US" />);
    expect(root()).toHaveAttribute('data-state', 'ready');
  });

  it('loads, then shows the items', async () => {
    const load = deferred<UsageBreakdownItem[]>();
    render(<UsageBreakdown load={() => load.promise} locale="en-US" />);
    expect(root()).toHaveAttribute('data-state', 'loading');
    await act(async () => load.resolve(THREADS));
    expect(root()).toHaveAttribute('data-state', 'ready');
    expect(readItems()[0]).toBe('Landing page copy 3,000 credits 60%');
  });

  it('takes the server helper\'s per-thread usage mapped to items, with a period total', async () => {
    // What a route returning `meter.usageByThread({ customerId })` answers, plus the app's thread titles.
    const usageByThread = [
      { threadId: 'th_a', credits: 61.5 },
      { threadId: 'th_b', credits: 38.5 },
    ];
    const titles: Record<string, string> = { th_a: 'Pitch deck' };
    render(
      <UsageBreakdown
        load={async () => ({
          items: usageByThread.map((row) => ({ id: row.threadId, label: titles[row.threadId], credits: row.credits })),
          total: 200,
        })}
        locale="en-US"
      />,
    );
    await waitFor(() => expect(root()).toHaveAttribute('data-state', 'ready'));
    expect(readItems()).toEqual(['Pitch deck 61.5 credits 31%', 'th_b 38.5 credits 19%']);
  });

  it('shows the error, and Retry loads again', async () => {
    let calls = 0;
    const load = vi.fn(async () => {
      calls += 1;
      if (calls === 1) throw new Error('offline');
      return THREADS;
    });
    render(<UsageBreakdown load={load} locale="en-US" />);
    await waitFor(() => expect(root()).toHaveAttribute('data-state', 'error'));
    await userEvent.setup().click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(root()).toHaveAttribute('data-state', 'ready'));
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('treats a load that throws synchronously like a rejected one', async () => {
    render(
      <UsageBreakdown
        load={() => {
          throw new Error('sync');
        }}
      />,
    );
    await waitFor(() => expect(root()).toHaveAttribute('data-state', 'error'));
  });

  it('reloads when loadKey changes (not when load is a new function), and a stale answer never wins', async () => {
    const answers = { '7d': deferred<UsageBreakdownItem[]>(), '30d': deferred<UsageBreakdownItem[]>() };
    const load = vi.fn((range: '7d' | '30d') => answers[range].promise);
    const { rerender } = render(<UsageBreakdown load={() => load('7d')} loadKey="7d" locale="en-US" />);
    rerender(<UsageBreakdown load={() => load('7d')} loadKey="7d" locale="en-US" />);
    await waitFor(() => expect(load).toHaveBeenCalledTimes(1));
    rerender(<UsageBreakdown load={() => load('30d')} loadKey="30d" locale="en-US" />);
    await waitFor(() => expect(load).toHaveBeenCalledTimes(2));
    await act(async () => answers['30d'].resolve([{ id: 'new', label: 'Thirty days', credits: 3 }]));
    await act(async () => answers['7d'].resolve([{ id: 'old', label: 'Seven days', credits: 7 }]));
    expect(readItems()).toEqual(['Thirty days 3 credits 100%']);
  });

  it('ignores an answer that arrives after unmount', async () => {
    const load = deferred<UsageBreakdownItem[]>();
    const { unmount } = render(<UsageBreakdown load={() => load.promise} />);
    unmount();
    await act(async () => load.resolve(THREADS));
    // No act()/state-update warning: console.error would fail the test.
  });

  it('treats an answer of the wrong shape as no usage', async () => {
    render(<UsageBreakdown load={async () => 'nonsense' as never} />);
    await waitFor(() => expect(root()).toHaveAttribute('data-state', 'empty'));
  });

  it('does not re-render when the balance changes', async () => {
    const customer = (remaining: number) => ({ balances: { ai_credits: { granted: 8000, remaining, usage: 0 } } });
    const renders = vi.fn();
    function Counted() {
      return (
        <React.Profiler id="breakdown" onRender={renders}>
          <UsageBreakdown items={THREADS} />
        </React.Profiler>
      );
    }
    const chart = <Counted />;
    const { rerender } = render(<CreditsProvider customer={customer(5000)}>{chart}</CreditsProvider>);
    renders.mockClear();
    await act(async () => {
      rerender(<CreditsProvider customer={customer(4000)}>{chart}</CreditsProvider>);
    });
    expect(renders).not.toHaveBeenCalled();
  });
});

describe('UsageBreakdown with charges Autumn has not aggregated yet', () => {
  /** The real meter on an in-process stand-in whose events reach `events.aggregate` 2 s late, as Autumn's do. */
  async function setUp() {
    const { createAutumnStandIn } = await import('../../src/testing.js');
    const { createCreditMeter } = await import('../../src/server.js');
    const { Autumn } = await import('autumn-js');
    const { HTTPClient } = await import('autumn-js');
    const standIn = createAutumnStandIn();
    standIn.seedCustomer('org');
    const autumn = new Autumn({ secretKey: standIn.secretKey, serverURL: standIn.origin, failOpen: false, httpClient: new HTTPClient({ fetcher: standIn.fetch }) });
    const meter = createCreditMeter({ autumn, now: () => standIn.clock.now() });
    const load = async () => (await meter.usageByThread({ customerId: 'org' })).map((row) => ({ id: row.threadId, credits: row.credits }));
    return { standIn, meter, load };
  }

  it('shows a just-settled charge at once, and the same number once Autumn has it (no gap, no double count)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const { meter, load } = await setUp();
      const cost = await meter.charge({ customerId: 'org', usd: '0.001', properties: { thread_id: 't1' } });
      expect(await load()).toEqual([]); // Autumn has not aggregated it yet

      const pending = [{ id: cost.id, itemId: 't1', label: 'Thread one', credits: cost.credits }];
      render(<UsageBreakdown load={load} pending={pending} locale="en-US" />);
      await act(async () => {
        await vi.advanceTimersByTimeAsync(0);
      });
      expect(readItems()).toEqual(['Thread one 4 credits 100%']);

      // After the lag the component reloads by itself; the aggregate now holds the charge and the pending entry is dropped.
      await act(async () => {
        await vi.advanceTimersByTimeAsync(3_000);
      });
      expect(await load()).toEqual([{ id: 't1', credits: 4 }]);
      expect(readItems()).toEqual(['t1 4 credits 100%']);
    } finally {
      vi.useRealTimers();
    }
  }, 20_000);

  it('adds pending charges to their thread and to the total exactly, and ignores unreadable amounts', () => {
    const shown = withPendingUsage(
      [{ id: 't1', credits: 0.1 }],
      0.1,
      [
        { itemId: 't1', credits: 0.2, at: 10 },
        { itemId: 't2', credits: '1.5', at: 10 },
        { itemId: 't3', credits: 'NaN', at: 10 },
      ],
      0, 3_000,
    );
    expect(shown.items).toEqual([
      { id: 't1', credits: 0.3, usd: undefined },
      { id: 't2', label: null, credits: 1.5 },
    ]);
    expect(shown.total).toBe(1.8);
  });

  it('drops a pending charge once a load started lagMs after it has answered', () => {
    const items = [{ id: 't1', credits: 4 }];
    const pending = [{ itemId: 't1', credits: 4, at: 1_000 }];
    expect(withPendingUsage(items, null, pending, 3_999, 3_000).items).toEqual([{ id: 't1', credits: 8, usd: undefined }]);
    expect(withPendingUsage(items, null, pending, 4_000, 3_000).items).toBe(items);
  });
});
