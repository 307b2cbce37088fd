import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import {
  CreditBalance,
  CreditBalanceAmount,
  CreditBalanceError,
  CreditBalanceHeader,
  CreditBalanceMeter,
  CreditBalanceSkeleton,
  CreditBalanceTitle,
  CreditBalanceTopUp,
  CreditBalanceValue,
  CreditBalanceView,
  CreditBalanceWorth,
  useCreditBalance,
} from '../src/react/components/credit-balance.js';
import type { CreditsStoryParameters } from '../.storybook/credits-decorator.js';

const stand = (seed: NonNullable<Extract<CreditsStoryParameters, { seed?: unknown }>['seed']> = {}) => ({
  credits: { source: 'stand-in', seed } satisfies CreditsStoryParameters,
});
const test = (props: Extract<CreditsStoryParameters, { source: 'test' }>['props']) => ({
  credits: { source: 'test', props } satisfies CreditsStoryParameters,
});

/** The meter once the customer has loaded (the stand-in answers through MSW). */
async function loadedMeter(canvasElement: HTMLElement): Promise<HTMLElement> {
  return within(canvasElement).findByRole('meter', {}, { timeout: 15_000 });
}

/**
 * The org's credit balance: what is left of what was granted, as a meter (role="meter" with an Intl value text),
 * its worth in money, when the included credits come back, and a top-up action. Its `data-state` is one of
 * `ok | low | empty | overage | unlimited | loading | error`.
 *
 * These stories run the connected `CreditBalance` on the in-memory Autumn (through MSW), each as its own customer.
 */
const meta = {
  title: 'Components/CreditBalance',
  component: CreditBalance,
  // Literal values only in `meta`: Storybook reads component-level annotations statically in places.
  parameters: { credits: { source: 'stand-in' } },
  decorators: [
    (Story) => (
      <div className="w-80">
        <Story />
      </div>
    ),
  ],
} satisfies Meta<typeof CreditBalance>;

export default meta;
type Story = StoryObj<typeof meta>;

/** The free plan, untouched: 8,000 of 8,000. */
export const Healthy: Story = {
  play: async ({ canvasElement }) => {
    const meter = await loadedMeter(canvasElement);
    await expect(meter).toHaveAttribute('aria-valuenow', '100');
    await expect(meter).toHaveAttribute('aria-valuemin', '0');
    await expect(meter).toHaveAttribute('aria-valuemax', '100');
    await expect(meter).toHaveAttribute('aria-valuetext', expect.stringMatching(/8,000 of 8,000 credits left/));
  },
};

/** Under the 20 % threshold: 1,200 of 8,000. */
export const Low: Story = {
  parameters: stand({ remaining: 1200 }),
  play: async ({ canvasElement }) => {
    const meter = await loadedMeter(canvasElement);
    await expect(meter).toHaveAttribute('aria-valuenow', '15');
    await waitFor(() => expect(canvasElement.querySelector('[data-slot="credit-balance"]')).toHaveAttribute('data-state', 'low'));
  },
};

/** Nothing left on the free plan. */
export const Empty: Story = {
  parameters: stand({ remaining: 0 }),
  play: async ({ canvasElement }) => {
    const meter = await loadedMeter(canvasElement);
    await expect(meter).toHaveAttribute('aria-valuenow', '0');
  },
};

/** Pro Monthly, 1,000 credits past its 60,000: billed as overage, never shown as a negative balance. */
export const Overage: Story = {
  parameters: stand({ planId: 'pro_monthly', usage: 61_000 }),
  play: async ({ canvasElement }) => {
    const meter = await loadedMeter(canvasElement);
    await expect(meter).toHaveAttribute('aria-valuenow', '0');
    await expect(canvasElement).not.toHaveTextContent(/-\d|NaN|Infinity/);
  },
};

/** A one-off 40,000 top-up on top of the plan: the meter counts up to what is there, never past 100 %. */
export const WithTopUp: Story = {
  parameters: stand({ remaining: 2000, topUpCredits: 40_000 }),
  play: async ({ canvasElement }) => {
    const meter = await loadedMeter(canvasElement);
    const now = Number(meter.getAttribute('aria-valuenow'));
    await expect(now).toBeGreaterThanOrEqual(0);
    await expect(now).toBeLessThanOrEqual(100);
  },
};

/** Pro Annual: 720,000 a year. */
export const ProAnnual: Story = { parameters: stand({ planId: 'pro_annual', usage: 123_456.789 }) };

/** An unlimited feature: no meter, no warning. */
export const Unlimited: Story = {
  parameters: test({ level: 'unlimited' }),
  play: async ({ canvas }) => {
    await expect(canvas.getByText('Unlimited')).toBeInTheDocument();
  },
};

/** While the customer loads. */
export const Loading: Story = {
  parameters: test({ loading: true }),
};

/** The balance could not be loaded: an alert with Retry. */
export const LoadError: Story = {
  parameters: test({ error: true }),
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('alert')).toHaveTextContent('Could not load your credits.');
    await expect(canvas.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  },
};

/** Top up from the balance: the dialog opens, a package is bought on the stand-in (card on file), the balance grows. */
export const TopUpFlow: Story = {
  parameters: stand({ remaining: 1200 }),
  play: async ({ canvasElement, step }) => {
    const canvas = within(canvasElement);
    const body = within(canvasElement.ownerDocument.body);
    await loadedMeter(canvasElement);
    await step('open the top-up dialog', async () => {
      await userEvent.click(canvas.getByRole('button', { name: 'Top up' }));
    });
    const dialog = await body.findByRole('dialog', { name: 'Top up credits' });
    await step('buy 40,000 credits', async () => {
      await userEvent.click(within(dialog).getByRole('button', { name: /40,000 credits/ }));
    });
    await step('the balance grows', async () => {
      await waitFor(
        () => expect(canvasElement.querySelector('[role="meter"]')).toHaveAttribute('aria-valuetext', expect.stringMatching(/^41,200 of/)),
        { timeout: 5000 },
      );
    });
  },
};

/** German locale and euro display (from the provider), to show nothing is hard-coded to en-US. */
export const German: Story = {
  parameters: stand({ remaining: 1234.5 }),
  globals: { locale: 'de-DE' },
  play: async ({ canvasElement }) => {
    const meter = await loadedMeter(canvasElement);
    await expect(meter).toHaveAttribute('aria-valuetext', expect.stringMatching(/^1\.234,5 of 8\.000/));
  },
};

/** The presentational view with plain numbers (no provider): bad input shows safely. */
export const ViewWithBadNumbers: StoryObj<typeof CreditBalanceView> = {
  parameters: { credits: { source: 'none' } satisfies CreditsStoryParameters },
  render: () => (
    <div className="grid w-80 gap-4">
      <CreditBalanceView remaining={Number.NaN} granted={8000} />
      <CreditBalanceView remaining={-50} granted={8000} />
      <CreditBalanceView remaining={Number.POSITIVE_INFINITY} granted={0} />
      <CreditBalanceView remaining="abc" granted="8000" />
    </div>
  ),
  play: async ({ canvasElement }) => {
    await expect(canvasElement).not.toHaveTextContent(/NaN|Infinity|∞/);
    for (const meter of within(canvasElement).queryAllByRole('meter')) {
      const now = Number(meter.getAttribute('aria-valuenow'));
      await expect(now >= 0 && now <= 100).toBe(true);
    }
  },
};

/** Dark mode (the toolbar's theme → `.dark` on the root): axe checks the contrast of the dark palette too. */
export const DarkLow: Story = {
  parameters: stand({ remaining: 1200 }),
  globals: { theme: 'dark' },
  play: async ({ canvasElement }) => {
    await loadedMeter(canvasElement);
    await expect(canvasElement.ownerDocument.documentElement).toHaveClass('dark');
  },
};

/** A part of your own, reading what the balance resolved: the share left as a percentage. */
function PercentLeft() {
  const { percent } = useCreditBalance();
  return percent === null ? null : <span className="text-xs text-credits-muted-foreground tabular-nums">{`${Math.round(percent)}% left`}</span>;
}

/**
 * The same balance composed from its parts (issue 16): the meter first, the amount big with its worth under it, a
 * part of the app's own (`useCreditBalance`) beside the title, the details gone and "Top up" at the bottom, full width.
 * Each part renders only in its states, so loading and errors still show.
 */
export const Composition: Story = {
  parameters: stand({ remaining: 1200 }),
  render: () => (
    <CreditBalance>
      <CreditBalanceMeter className="h-2.5" />
      <CreditBalanceHeader>
        <CreditBalanceTitle />
        <PercentLeft />
      </CreditBalanceHeader>
      <CreditBalanceSkeleton />
      <CreditBalanceError />
      <CreditBalanceValue className="flex-col gap-0">
        <CreditBalanceAmount className="text-3xl" />
        <CreditBalanceWorth className="text-xs" />
      </CreditBalanceValue>
      <CreditBalanceTopUp className="w-full">Buy 40,000 credits</CreditBalanceTopUp>
    </CreditBalance>
  ),
  play: async ({ canvasElement }) => {
    const meter = await loadedMeter(canvasElement);
    await expect(meter).toHaveAttribute('aria-valuenow', '15');
    const root = canvasElement.querySelector('[data-slot="credit-balance"]');
    const slots = [...(root?.children ?? [])].map((element) => element.getAttribute('data-slot'));
    await expect(slots).toEqual(['credit-balance-meter', 'credit-balance-header', 'credit-balance-value', 'credit-balance-top-up']);
    await expect(within(canvasElement).getByText('15% left')).toBeInTheDocument();
    await expect(within(canvasElement).getByRole('button', { name: 'Buy 40,000 credits' })).toBeInTheDocument();
  },
};

/**
 * The org's auto top-up is on (issue 17): the details say it tops up 40,000 credits at 2,000 or less. `autoTopUp`
 * takes the org's `controls.autoTopUp` as the server helper's `billingControls.get()` answers it.
 */
export const WithAutoTopUp: Story = {
  args: { autoTopUp: { enabled: true, threshold: 2000, packId: 'credit_topup', purchaseLimit: null } },
  parameters: stand({ remaining: 5000 }),
  play: async ({ canvasElement }) => {
    await loadedMeter(canvasElement);
    await expect(canvasElement.querySelector('[data-slot="credit-balance-details"]')).toHaveTextContent('Tops up 40,000 at 2,000 or less');
  },
};
