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
