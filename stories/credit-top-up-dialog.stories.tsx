import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import {
  CreditTopUpDialog,
  CreditTopUpDialogClose,
  CreditTopUpDialogContent,
  CreditTopUpDialogDescription,
  CreditTopUpDialogError,
  CreditTopUpDialogFooter,
  CreditTopUpDialogHeader,
  CreditTopUpDialogMessage,
  CreditTopUpDialogPackages,
  CreditTopUpDialogStatus,
  CreditTopUpDialogTitle,
  CreditTopUpDialogTrigger,
  CreditTopUpDialogView,
  useCreditTopUpDialog,
} from '../src/react/components/credit-top-up-dialog.js';
import { defaultCreditsConfig } from '../src/core/config.js';
import type { CreditsStoryParameters } from '../.storybook/credits-decorator.js';
import { standIn } from '../.storybook/stand-in.js';

const none = { credits: { source: 'none' } satisfies CreditsStoryParameters };

const body = () => within(document.body);

/**
 * Buys a credit pack through Autumn (`attach` → checkout, or charged at once when a card is on file, as on the
 * stand-in here). A Radix Dialog: focus moves in on open, Escape closes, focus returns to the trigger. Its
 * `data-state` follows the purchase: `idle | pending | redirecting | succeeded | failed`.
 */
const meta = {
  title: 'Components/CreditTopUpDialog',
  component: CreditTopUpDialog,
  // Literal values only in `meta`: Storybook reads component-level annotations statically in places.
  parameters: {
    credits: { source: 'stand-in', seed: { remaining: 900 } },
  },
  args: {
    children: (
      <button type="button" className="rounded-md border border-credits-border px-3 py-1.5 text-sm">
        Buy credits
      </button>
    ),
  },
} satisfies Meta<typeof CreditTopUpDialog>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Open with the trigger, Escape closes, focus goes back to the trigger. */
export const Closed: Story = {
  play: async ({ canvas, step }) => {
    const trigger = canvas.getByRole('button', { name: 'Buy credits' });
    await step('open by keyboard', async () => {
      trigger.focus();
      await userEvent.keyboard('{Enter}');
      const dialog = await body().findByRole('dialog', { name: 'Top up credits' });
      await waitFor(() => expect(dialog.contains(document.activeElement)).toBe(true));
    });
    await step('Escape closes and focus returns to the trigger', async () => {
      await userEvent.keyboard('{Escape}');
      await waitFor(() => expect(body().queryByRole('dialog')).toBeNull());
      await waitFor(() => expect(trigger).toHaveFocus());
    });
  },
};

/** Open, packages listed with their price. A package's accessible name is its visible text, in the same order. */
export const Open: Story = {
  args: { defaultOpen: true, children: undefined },
  play: async () => {
    const dialog = await body().findByRole('dialog', { name: 'Top up credits' });
    const pkg = within(dialog).getByRole('button', { name: 'Credit top-up 40,000 credits $10.00' });
    await expect(pkg).not.toHaveAttribute('aria-label');
  },
};

/** Open in the dark palette: the packages take the theme's background, not the browser's button face. */
export const OpenDark: Story = {
  args: { defaultOpen: true, children: undefined },
  globals: { theme: 'dark' },
  play: async () => {
    const dialog = await body().findByRole('dialog', { name: 'Top up credits' });
    const pkg = within(dialog).getByRole('button', { name: /40,000 credits/ });
    await expect(getComputedStyle(pkg).backgroundColor).toBe(getComputedStyle(dialog).backgroundColor);
  },
};

/** A purchase on the stand-in: pending, then succeeded, and the customer's balance really grew. */
export const PurchaseSucceeds: Story = {
  args: { defaultOpen: true, children: undefined },
  play: async ({ id }) => {
    const dialog = await body().findByRole('dialog', { name: 'Top up credits' });
    await userEvent.click(within(dialog).getByRole('button', { name: /40,000 credits/ }));
    await waitFor(() => expect(within(dialog).getByRole('status')).toHaveTextContent('Credits added to your balance.'), { timeout: 5000 });
    await expect(standIn.balance(`story_${id.replace(/[^A-Za-z0-9_]/g, '_')}`).remaining).toBe(40_900);
  },
};

/** Autumn refuses the charge once: the error shows with "Try again", which then succeeds. */
export const PurchaseFailsThenRetries: Story = {
  args: { defaultOpen: true, children: undefined },
  play: async ({ step }) => {
    const removeFault = standIn.faults.inject('billing.attach', { kind: 'status', status: 500 }, { times: 1 });
    try {
      const dialog = await body().findByRole('dialog', { name: 'Top up credits' });
      await step('the charge fails', async () => {
        await userEvent.click(within(dialog).getByRole('button', { name: /40,000 credits/ }));
        await waitFor(() => expect(within(dialog).getByRole('alert')).toHaveTextContent(/did not go through|.+/), { timeout: 5000 });
      });
      await step('Try again succeeds', async () => {
        await userEvent.click(within(dialog).getByRole('button', { name: 'Try again' }));
        await waitFor(() => expect(within(dialog).getByRole('status')).toHaveTextContent('Credits added to your balance.'), { timeout: 5000 });
      });
    } finally {
      removeFault();
    }
  },
};

// ------------------------------------------------------------------ the view, one state each (no provider)

const packages = defaultCreditsConfig.topUps;

export const ViewPending: StoryObj<typeof CreditTopUpDialogView> = {
  parameters: none,
  render: () => <CreditTopUpDialogView open packages={packages} status="pending" packageId={packages[0]?.id ?? null} />,
  play: async () => {
    await expect(await body().findByRole('dialog')).toHaveAttribute('data-state', expect.anything());
  },
};

export const ViewRedirecting: StoryObj<typeof CreditTopUpDialogView> = {
  parameters: none,
  render: () => <CreditTopUpDialogView open packages={packages} status="redirecting" packageId={packages[0]?.id ?? null} />,
};

export const ViewSucceeded: StoryObj<typeof CreditTopUpDialogView> = {
  parameters: none,
  render: () => <CreditTopUpDialogView open packages={packages} status="succeeded" packageId={packages[0]?.id ?? null} />,
};

export const ViewFailed: StoryObj<typeof CreditTopUpDialogView> = {
  parameters: none,
  render: () => (
    <CreditTopUpDialogView open packages={packages} status="failed" packageId={packages[0]?.id ?? null} error="Your card was declined." onSelect={() => {}} />
  ),
  play: async () => {
    const dialog = await body().findByRole('dialog');
    await expect(within(dialog).getByRole('alert')).toHaveTextContent('Your card was declined.');
  },
};

/** No packages configured. */
export const ViewNoPackages: StoryObj<typeof CreditTopUpDialogView> = {
  parameters: none,
  render: () => <CreditTopUpDialogView open packages={[]} />,
};

// ------------------------------------------------------------------ composed from its parts (issue 16)

/** A part of the app's own, reading the dialog's state: how many packs are on offer. */
function PackCount() {
  const { packages } = useCreditTopUpDialog();
  return <p className="text-xs text-credits-muted-foreground">{`${packages.length} pack${packages.length === 1 ? '' : 's'} on offer`}</p>;
}

/**
 * The same dialog composed from its parts: its own trigger (`asChild` on the app's button), a wide content with the
 * packages first, the title and description under them with a part of the app's own, the status and error before
 * a footer whose Close reads "Not now". The purchase flow is the root's: the stand-in charges the card on file.
 */
export const Composition: Story = {
  args: { children: undefined },
  render: (args) => (
    <CreditTopUpDialog {...args}>
      <CreditTopUpDialogTrigger asChild>
        <button type="button" className="rounded-md bg-credits-primary px-3 py-1.5 text-sm text-credits-primary-foreground">
          Get more credits
        </button>
      </CreditTopUpDialogTrigger>
      <CreditTopUpDialogContent size="wide">
        <CreditTopUpDialogPackages className="gap-3" />
        <CreditTopUpDialogHeader className="border-t border-credits-border pt-3">
          <CreditTopUpDialogTitle className="text-sm" />
          <CreditTopUpDialogDescription className="text-xs" />
          <PackCount />
        </CreditTopUpDialogHeader>
        <CreditTopUpDialogMessage>Your team ran low on credits this week.</CreditTopUpDialogMessage>
        <CreditTopUpDialogError />
        <CreditTopUpDialogStatus />
        <CreditTopUpDialogFooter className="justify-start">
          <CreditTopUpDialogClose>Not now</CreditTopUpDialogClose>
        </CreditTopUpDialogFooter>
      </CreditTopUpDialogContent>
    </CreditTopUpDialog>
  ),
  play: async ({ canvas, step }) => {
    const trigger = canvas.getByRole('button', { name: 'Get more credits' });
    await expect(trigger).toHaveAttribute('data-slot', 'credit-top-up-dialog-trigger');
    await userEvent.click(trigger);
    const dialog = await body().findByRole('dialog', { name: 'Top up credits' });
    await step('the parts stand in the order given', async () => {
      await expect(dialog).toHaveAttribute('data-size', 'wide');
      const slots = [...dialog.querySelectorAll(':scope > [data-slot]')].map((element) => element.getAttribute('data-slot'));
      await expect(slots).toEqual([
        'credit-top-up-dialog-list',
        'credit-top-up-dialog-message',
        'credit-top-up-dialog-status',
        'credit-top-up-dialog-footer',
      ]);
      await expect(within(dialog).getByText(/packs? on offer/)).toBeInTheDocument();
    });
    await step('a purchase runs through the root', async () => {
      await userEvent.click(within(dialog).getByRole('button', { name: /40,000 credits/ }));
      await waitFor(() => expect(within(dialog).getByRole('status')).toHaveTextContent('Credits added to your balance.'), { timeout: 5000 });
      await expect(within(dialog).getByRole('button', { name: 'Not now' })).toBeInTheDocument();
    });
  },
};
