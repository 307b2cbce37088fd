import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import {
  LowCreditWarning,
  LowCreditWarningActions,
  LowCreditWarningMessage,
  LowCreditWarningTopUp,
  LowCreditWarningView,
  useLowCreditWarning,
} from '../src/react/components/low-credit-warning.js';
import type { CreditsStoryParameters } from '../.storybook/credits-decorator.js';

type Seed = NonNullable<Extract<CreditsStoryParameters, { seed?: unknown }>['seed']>;
const stand = (seed: Seed = {}) => ({ credits: { source: 'stand-in', seed } satisfies CreditsStoryParameters });

/** The warning, once the customer has loaded. */
async function warning(canvasElement: HTMLElement): Promise<HTMLElement> {
  return waitFor(
    () => {
      const element = canvasElement.querySelector<HTMLElement>('[data-slot="low-credit-warning"]');
      if (!element) throw new Error('no warning yet');
      return element;
    },
    { timeout: 5000 },
  );
}

/**
 * Appears when the balance is low (under the config's 20 % threshold), empty or in overage, with a top-up action
 * and a dismiss button; renders nothing while the balance is fine, loading or unlimited. Connected stories run on
 * the in-memory Autumn.
 */
const meta = {
  title: 'Components/LowCreditWarning',
  component: LowCreditWarning,
  // Literal values only in `meta`: Storybook reads component-level annotations statically in places.
  // (Seeds are set per story: Storybook merges parameters deeply, so a component-level seed would mix into theirs.)
  parameters: { credits: { source: 'stand-in' } },
  decorators: [
    (Story) => (
      <div className="w-96">
        <Story />
      </div>
    ),
  ],
} satisfies Meta<typeof LowCreditWarning>;

export default meta;
type Story = StoryObj<typeof meta>;

/** 1,200 of 8,000 left. */
export const Low: Story = {
  parameters: stand({ remaining: 1200 }),
  play: async ({ canvasElement }) => {
    const element = await warning(canvasElement);
    await expect(element).toHaveTextContent('Your credits are running low: 1,200 left.');
    await expect(within(element).getByRole('button', { name: 'Top up' })).toBeInTheDocument();
  },
};

/** Nothing left. */
export const Empty: Story = {
  parameters: stand({ remaining: 0 }),
  play: async ({ canvasElement }) => {
    await expect(await warning(canvasElement)).toHaveTextContent('You are out of credits.');
  },
};

/** Pro Monthly past its grant: billed as overage. */
export const Overage: Story = {
  parameters: stand({ planId: 'pro_monthly', usage: 61_000 }),
  play: async ({ canvasElement }) => {
    await expect(await warning(canvasElement)).toHaveTextContent(/1,000 credits so far are billed as overage/);
  },
};

/** A healthy balance shows nothing. */
export const Healthy: Story = {
  parameters: stand(),
  play: async ({ canvasElement }) => {
    // Give the customer time to load, then check nothing was shown.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect(canvasElement.querySelector('[data-slot="low-credit-warning"]')).toBeNull();
  },
};

/** Dismissed by keyboard: it goes away and stays away. */
export const Dismiss: Story = {
  parameters: stand({ remaining: 1200 }),
  play: async ({ canvasElement }) => {
    const element = await warning(canvasElement);
    within(element).getByRole('button', { name: 'Dismiss' }).focus();
    await userEvent.keyboard('{Enter}');
    await waitFor(() => expect(canvasElement.querySelector('[data-slot="low-credit-warning"]')).toBeNull());
  },
};

/** Without a top-up action (e.g. the app sells credits elsewhere). */
export const WithoutTopUp: Story = { args: { topUp: false }, parameters: stand({ remaining: 300 }) };

/** The presentational view, each level side by side (no provider). */
export const ViewLevels: StoryObj<typeof LowCreditWarningView> = {
  parameters: { credits: { source: 'none' } satisfies CreditsStoryParameters },
  render: (_args, { globals }) => {
    const locale = typeof globals.locale === 'string' ? globals.locale : undefined;
    return (
      <div className="grid w-96 gap-3">
        <LowCreditWarningView locale={locale} state={{ status: 'ready', level: 'low', remaining: 1200, overage: 0 }} onTopUp={() => {}} />
        <LowCreditWarningView locale={locale} state={{ status: 'ready', level: 'empty', remaining: 0, overage: 0 }} onTopUp={() => {}} />
        <LowCreditWarningView locale={locale} state={{ status: 'ready', level: 'overage', remaining: 0, overage: 2500 }} onTopUp={() => {}} />
      </div>
    );
  },
};

/** Dark mode: the warning's amber must stay readable on the dark background. */
export const DarkEmpty: Story = {
  parameters: stand({ remaining: 0 }),
  globals: { theme: 'dark' },
  play: async ({ canvasElement }) => {
    await warning(canvasElement);
    await expect(canvasElement.ownerDocument.documentElement).toHaveClass('dark');
  },
};

/** A part of your own in place of the "×": it dismisses through the warning's context (`useLowCreditWarning`). */
function RemindLater() {
  const { dismiss } = useLowCreditWarning();
  return (
    <button type="button" className="px-2 text-xs underline underline-offset-2" onClick={dismiss}>
      Remind me later
    </button>
  );
}

/**
 * The same warning composed from its parts (issue 16): the message on a line of its own, in bold, and the actions
 * under it — a dismiss link of the app's own and "Buy credits". The root still decides when it shows (nothing while
 * the balance is fine or loading) and holds its dismissal.
 */
export const Composition: Story = {
  parameters: stand({ remaining: 1200 }),
  render: () => (
    <LowCreditWarning className="flex-col items-stretch">
      <LowCreditWarningMessage className="font-medium" />
      <LowCreditWarningActions className="justify-end">
        <RemindLater />
        <LowCreditWarningTopUp>Buy credits</LowCreditWarningTopUp>
      </LowCreditWarningActions>
    </LowCreditWarning>
  ),
  play: async ({ canvasElement }) => {
    const element = await warning(canvasElement);
    const slots = [...element.children].map((child) => child.getAttribute('data-slot'));
    await expect(slots).toEqual(['low-credit-warning-message', 'low-credit-warning-actions']);
    await expect(element.children[0]).toHaveTextContent('Your credits are running low: 1,200 left.');
    const buttons = within(element).getAllByRole('button');
    await expect(buttons.map((button) => button.textContent)).toEqual(['Remind me later', 'Buy credits']);
    await expect(within(element).queryByRole('button', { name: 'Dismiss' })).toBeNull();
  },
};

/** Low, with the org's auto top-up on (issue 17): the warning says a pack is bought at the threshold. */
export const LowWithAutoTopUp: Story = {
  args: { autoTopUp: { enabled: true, threshold: 1000, packId: 'credit_topup', purchaseLimit: null } },
  parameters: stand({ remaining: 1200 }),
  play: async ({ canvasElement }) => {
    await expect(await warning(canvasElement)).toHaveTextContent('Your credits are running low: 1,200 left. Tops up 40,000 at 1,000 or less.');
  },
};
