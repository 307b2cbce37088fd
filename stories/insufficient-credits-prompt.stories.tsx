import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor, within } from 'storybook/test';
import { InsufficientCreditsPrompt } from '../src/react/insufficient-credits.js';

/**
 * When the server refuses a message with 402 (the credit meter's `InsufficientCreditsError`, in whatever form the
 * client got it: the error, its JSON body, an AI SDK error), the top-up dialog opens and says why: "This message
 * needs N credits; you have M."
 */
const meta = {
  title: 'Components/InsufficientCreditsPrompt',
  component: InsufficientCreditsPrompt,
  parameters: {
    credits: { source: 'stand-in' },
  },
} satisfies Meta<typeof InsufficientCreditsPrompt>;

export default meta;
type Story = StoryObj<typeof meta>;

/** A 402 body as the server helper answers it. */
export const FromA402Body: Story = {
  args: {
    error: { code: 'insufficient_credits', status: 402, featureId: 'ai_credits', needed: 1200, available: 300 },
  },
  play: async ({ canvasElement }) => {
    const dialog = await within(canvasElement.ownerDocument.body).findByRole('dialog', {}, { timeout: 5000 });
    await waitFor(() => expect(dialog).toHaveTextContent(/1,200/));
    await expect(dialog).toHaveTextContent(/300/);
  },
};

/** Any other error: no prompt. */
export const OtherError: Story = {
  args: { error: new Error('network down') },
  play: async ({ canvasElement }) => {
    await new Promise((resolve) => setTimeout(resolve, 200));
    await expect(within(canvasElement.ownerDocument.body).queryByRole('dialog')).toBeNull();
  },
};

/**
 * A member's own cap refused the message (issue 17: the 402 body's `reason`), not the org's balance: the dialog says
 * which cap and what the org still has, and offers no packages (buying credits does not lift a cap).
 */
export const MemberCapReached: Story = {
  args: {
    error: {
      error: {
        code: 'insufficient_credits',
        featureId: 'ai_credits',
        needed: 120,
        available: 12_000,
        reason: { limit: 'member_cap', memberId: 'user_ada', cap: 500, interval: 'day', remaining: 20 },
      },
    },
  },
  play: async ({ canvasElement }) => {
    const dialog = await within(canvasElement.ownerDocument.body).findByRole('dialog', { name: 'Usage cap reached' }, { timeout: 5000 });
    await expect(dialog).toHaveTextContent('You reached your daily cap of 500 credits; your organization still has 12,000.');
    await expect(within(dialog).queryByRole('button', { name: /40,000 credits/ })).toBeNull();
  },
};

/** The org's overage limit refused it: said above the packages, which still help (bought credits come first). */
export const SpendLimitReached: Story = {
  args: {
    error: { error: { code: 'insufficient_credits', needed: 1200, available: 0, reason: { limit: 'spend_limit', memberId: null, cap: 5000, interval: null, remaining: 0 } } },
  },
  play: async ({ canvasElement }) => {
    const dialog = await within(canvasElement.ownerDocument.body).findByRole('dialog', { name: 'Top up credits' }, { timeout: 5000 });
    await expect(dialog).toHaveTextContent('Your organization reached its overage limit of 5,000 credits.');
    await expect(await within(dialog).findByRole('button', { name: /40,000 credits/ })).toBeInTheDocument();
  },
};
