import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor } from 'storybook/test';
import {
  CreditEstimate,
  CreditEstimateLabel,
  CreditEstimateStatus,
  CreditEstimateValue,
  CreditEstimateView,
} from '../src/react/components/credit-estimate.js';
import type { CreditsStoryParameters } from '../.storybook/credits-decorator.js';

type Seed = NonNullable<Extract<CreditsStoryParameters, { seed?: unknown }>['seed']>;
const stand = (seed: Seed = {}) => ({ credits: { source: 'stand-in', seed } satisfies CreditsStoryParameters });

/** The root's `data-state` once the balance is known. */
async function settledState(canvasElement: HTMLElement, expected: string): Promise<void> {
  await waitFor(() => expect(canvasElement.querySelector('[data-slot="credit-estimate"]')).toHaveAttribute('data-state', expected), {
    timeout: 5000,
  });
}

/**
 * Beside the send button: what the next message will probably cost, and whether the balance covers it
 * (`data-state`: `affordable | short | unknown`). A shortfall is announced once, when it flips. Give `credits`, or
 * `usd` (converted exactly at the config's rate).
 */
const meta = {
  title: 'Components/CreditEstimate',
  component: CreditEstimate,
  // Literal values only in `meta`; seeds per story.
  parameters: { credits: { source: 'stand-in' } },
  args: { credits: 12 },
} satisfies Meta<typeof CreditEstimate>;

export default meta;
type Story = StoryObj<typeof meta>;

/** 12 credits against a full free plan. */
export const Affordable: Story = {
  parameters: stand(),
  play: async ({ canvasElement }) => settledState(canvasElement, 'affordable'),
};

/** 12 credits, 5 left: "Not enough credits: 7 more needed". */
export const Short: Story = {
  parameters: stand({ remaining: 5 }),
  play: async ({ canvasElement }) => {
    await settledState(canvasElement, 'short');
    await expect(canvasElement).toHaveTextContent(/7 more needed/);
  },
};

/** From a USD estimate: $0.0031 → 12.4 credits. */
export const FromUsd: Story = {
  args: { credits: undefined, usd: '0.0031' },
  parameters: stand(),
  play: async ({ canvasElement }) => {
    await settledState(canvasElement, 'affordable');
    await expect(canvasElement).toHaveTextContent('12.4');
  },
};

/** No valid estimate (NaN from a broken token count): a dash, never "NaN". */
export const Unknown: Story = {
  args: { credits: Number.NaN },
  parameters: stand(),
  play: async ({ canvasElement }) => {
    await settledState(canvasElement, 'unknown');
    await expect(canvasElement).not.toHaveTextContent(/NaN|Infinity/);
  },
};

/** The view decided outside (no provider), e.g. by `useCanAfford` in the app's own store. */
export const ViewStates: StoryObj<typeof CreditEstimateView> = {
  parameters: { credits: { source: 'none' } satisfies CreditsStoryParameters },
  render: (_args, { globals }) => {
    const locale = typeof globals.locale === 'string' ? globals.locale : undefined;
    return (
      <div className="grid gap-2">
        <CreditEstimateView locale={locale} credits={12} remaining={8000} />
        <CreditEstimateView locale={locale} credits={12} remaining={5} />
        <CreditEstimateView locale={locale} credits={12} canAfford={false} shortBy={7} />
        <CreditEstimateView locale={locale} credits="abc" />
      </div>
    );
  },
};

/**
 * The same estimate composed from its parts (issue 16): the amount first and larger, the label after it in words of
 * the app's own, and the shortfall line under them (still the polite live region). 12 credits, 5 left.
 */
export const Composition: Story = {
  parameters: stand({ remaining: 5 }),
  render: (args) => (
    <CreditEstimate {...args} className="flex-col items-start gap-y-0">
      <CreditEstimateValue className="text-base font-semibold" />
      <CreditEstimateLabel className="text-xs font-normal">estimated for this message</CreditEstimateLabel>
      <CreditEstimateStatus />
    </CreditEstimate>
  ),
  play: async ({ canvasElement }) => {
    await settledState(canvasElement, 'short');
    const root = canvasElement.querySelector('[data-slot="credit-estimate"]');
    const slots = [...(root?.children ?? [])].map((element) => element.getAttribute('data-slot'));
    await expect(slots).toEqual(['credit-estimate-value', 'credit-estimate-label', 'credit-estimate-status']);
    await expect(root?.children[0]).toHaveTextContent('≈ 12 credits');
    await expect(root?.children[1]).toHaveTextContent('estimated for this message');
    await expect(root?.children[2]).toHaveTextContent('Not enough credits: 7 more needed');
  },
};
