import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, within } from 'storybook/test';
import { MessageCostBadge, MessageCostBadgeAmount, MessageCostBadgeUnit } from '../src/react/components/message-cost-badge.js';
import {
  MessageCostBadgeDetails,
  MessageCostBadgeModel,
  MessageCostBadgePrice,
  MessageCostBadgeRow,
  MessageCostBadgeTitle,
  MessageCostBadgeTotalTokens,
  useMessageCostBadgeDetails,
} from '../src/react/components/message-cost-badge-details.js';
import { FULL_USAGE, GATEWAY_COST } from '../test/fixtures/message-cost.js';

/**
 * What one chat message cost, in credits. An estimate (before the call) reads "≈" on a dashed border; the actual
 * cost (after the gateway reported it) is solid. Hover or focus shows tokens, price, model and where the price came
 * from. Rendered by the thousand in a chat, so it never re-renders when the balance changes.
 */
const meta = {
  title: 'Components/MessageCostBadge',
  component: MessageCostBadge,
  args: { cost: GATEWAY_COST },
  // Pure props: no provider needed (inside one it takes the provider's config and locale).
  parameters: { credits: { source: 'none' } },
  argTypes: {
    size: { control: 'inline-radio', options: ['sm', 'default'] },
    kind: { control: 'inline-radio', options: ['estimate', 'actual'] },
    side: { control: 'inline-radio', options: ['top', 'right', 'bottom', 'left'] },
  },
  render: (args, { globals }) => <MessageCostBadge locale={globals.locale as string | undefined} {...args} />,
} satisfies Meta<typeof MessageCostBadge>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Settled with the gateway's reported cost. */
export const Actual: Story = {
  play: async ({ canvas, step }) => {
    const badge = canvas.getByRole('button', { name: /Actual cost/ });
    await step('focus opens the details', async () => {
      await userEvent.tab();
      await expect(badge.ownerDocument.activeElement).toHaveAttribute('data-slot', 'message-cost-badge');
      // The first focus loads the tooltip's chunk (on a cold dev server it is transformed on request first).
      const tooltip = await within(document.body).findByRole('tooltip', {}, { timeout: 10_000 });
      await expect(within(tooltip).getByText('openai/gpt-5-mini')).toBeInTheDocument();
    });
    await step('Escape closes them', async () => {
      await userEvent.keyboard('{Escape}');
      await expect(within(document.body).queryByRole('tooltip')).toBeNull();
    });
  },
};

/** Before the call: the reserved estimate, "≈" on a dashed border. */
export const Estimated: Story = {
  args: { cost: { credits: 12, model: 'openai/gpt-5-mini', source: 'estimate', kind: 'estimate' } },
  play: async ({ canvas }) => {
    const badge = canvas.getByRole('button', { name: /Estimated cost/ });
    await expect(badge).toHaveAttribute('data-state', 'estimate');
    await expect(badge).toHaveTextContent('≈');
  },
};

/** The estimate and the actual cost side by side, as a chat shows them while a reply streams and after it settles. */
export const EstimatedVsActual: Story = {
  render: (args, { globals }) => {
    const locale = globals.locale as string | undefined;
    return (
      <div className="flex items-center gap-3">
        <MessageCostBadge {...args} locale={locale} cost={{ credits: 2, model: 'openai/gpt-5-mini', source: 'estimate' }} />
        <span aria-hidden="true" className="text-credits-muted-foreground">
          →
        </span>
        <MessageCostBadge {...args} locale={locale} cost={GATEWAY_COST} />
      </div>
    );
  },
};

/** Priced from the model's per-token rates (no gateway cost reported). */
export const TokenRates: Story = {
  args: { cost: { credits: 3.2, usd: 0.0008, model: 'anthropic/claude-sonnet-4.5', source: 'token-rates', usage: FULL_USAGE } },
};

/** Only a USD amount (e.g. the gateway's decimal string): credits derived exactly at 4,000 per dollar. */
export const FromUsdOnly: Story = {
  args: { cost: undefined, usd: '0.0125' },
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('button')).toHaveAccessibleName('Actual cost: 50 credits');
  },
};

/** A large agent run. */
export const Large: Story = {
  args: { cost: { ...GATEWAY_COST, credits: 48_213.5, usd: '12.053375' } },
};

/** Small size, for dense message lists. */
export const Small: Story = { args: { size: 'sm' } };

/** Bad input (NaN, negative, garbage strings) shows a dash, never NaN, Infinity or a negative. */
export const Unknown: Story = {
  args: { cost: undefined, credits: Number.NaN },
  play: async ({ canvas }) => {
    const badge = canvas.getByRole('button');
    await expect(badge).toHaveAttribute('data-state', 'unknown');
    await expect(badge).toHaveTextContent('—');
    await expect(badge).not.toHaveTextContent(/NaN|Infinity/);
  },
};

/** Dark mode, estimate and actual side by side. */
export const Dark: Story = {
  ...EstimatedVsActual,
  globals: { theme: 'dark' },
};

/** A detail row of the app's own: the price per thousand tokens, from what the tooltip resolved. */
function PricePerThousandTokens() {
  const { usd, tokens, formatters } = useMessageCostBadgeDetails();
  if (usd === null || !tokens?.total) return null;
  return <MessageCostBadgeRow label="Per 1K tokens">{formatters.money((usd / tokens.total) * 1000)}</MessageCostBadgeRow>;
}

/**
 * Composed from its parts: the amount set in the foreground colour and the unit small, and details of the app's own
 * arrangement — a title of its own, the price first, a row computed from the tokens, the total and the model.
 */
export const Composition: Story = {
  render: (args, { globals }) => (
    <MessageCostBadge
      {...args}
      locale={globals.locale as string | undefined}
      details={
        <>
          <MessageCostBadgeTitle>What this reply cost</MessageCostBadgeTitle>
          <MessageCostBadgeDetails>
            <MessageCostBadgePrice className="text-credits-foreground" />
            <PricePerThousandTokens />
            <MessageCostBadgeTotalTokens />
            <MessageCostBadgeModel />
          </MessageCostBadgeDetails>
        </>
      }
    >
      {/* The space between the parts keeps the visible text "0.62 credits" inside the button's name. */}
      <MessageCostBadgeAmount className="font-semibold text-credits-foreground" />{' '}
      <MessageCostBadgeUnit className="text-[0.625rem] uppercase tracking-wide" />
    </MessageCostBadge>
  ),
  play: async ({ canvas, step }) => {
    const badge = canvas.getByRole('button', { name: 'Actual cost: 0.62 credits' });
    await expect([...badge.children].map((element) => element.getAttribute('data-slot'))).toEqual(['message-cost-badge-value', 'message-cost-badge-unit']);
    await step('focus opens the details in their own arrangement', async () => {
      await userEvent.tab();
      const tooltip = await within(document.body).findByRole('tooltip', {}, { timeout: 10_000 });
      await expect(within(tooltip).getByText('What this reply cost')).toBeInTheDocument();
      const terms = within(tooltip)
        .getAllByRole('term')
        .map((term) => term.textContent);
      await expect(terms).toEqual(['Price', 'Per 1K tokens', 'Total tokens', 'Model']);
    });
  },
};
