import type { Meta, StoryObj } from '@storybook/react-vite';
import { Autumn, HTTPClient } from 'autumn-js';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import { defineCredits, DEFAULT_PLANS } from '../src/core/config.js';
import type { AutoTopUpSettings as AutoTopUpModel } from '../src/core/billing-controls.js';
import {
  AutoTopUpSettings,
  AutoTopUpSettingsFields,
  AutoTopUpSettingsFooter,
  AutoTopUpSettingsPack,
  AutoTopUpSettingsSave,
  AutoTopUpSettingsSaveError,
  AutoTopUpSettingsStatus,
  AutoTopUpSettingsSwitch,
  AutoTopUpSettingsThreshold,
  AutoTopUpSettingsTitle,
  AutoTopUpSettingsView,
  useAutoTopUpSettings,
} from '../src/react/components/auto-top-up-settings.js';
import { createBillingControls } from '../src/server.js';
import type { CreditsStoryParameters } from '../.storybook/credits-decorator.js';
import { standIn, storyCustomer } from '../.storybook/stand-in.js';

/** Two packs to choose from: the product design's 40,000 for $10, and a bigger one. */
const config = defineCredits({
  plans: [...DEFAULT_PLANS, { id: 'big_topup', name: 'Big top-up', kind: 'top_up', price: 25, credits: 120_000, interval: 'one_off' }],
});

const ON: AutoTopUpModel = {
  enabled: true,
  threshold: 2000,
  packId: 'credit_topup',
  purchaseLimit: { limit: 3, interval: 'month', intervalCount: 1, used: 1, resetsAt: Date.UTC(2026, 11, 1) },
};

const none = { credits: { source: 'none' } satisfies CreditsStoryParameters };

/**
 * Your server's side, in this page: the kit's `createBillingControls` on the real autumn-js SDK, talking to the
 * in-memory Autumn in process. In an app it runs in your route, with the org from your server-side auth.
 */
const billingControls = createBillingControls({
  autumn: new Autumn({ secretKey: standIn.secretKey, serverURL: standIn.origin, failOpen: false, httpClient: new HTTPClient({ fetcher: standIn.fetch }) }),
});

function form(canvasElement: HTMLElement): HTMLElement {
  return within(canvasElement).getByRole('form', { name: 'Auto top-up' });
}

/**
 * An org's auto top-up: on or off, the balance it fires at, the pack it buys and a purchase limit. Every field is
 * checked by the core's `checkBillingControls` (the server helper's own checks) before anything is saved; the save
 * shows Saving…, Saved. or an alert. Views run without a provider; the connected story saves to the in-memory Autumn.
 */
const meta = {
  title: 'Components/AutoTopUpSettings',
  component: AutoTopUpSettingsView,
  args: { config, grant: 8000, onSave: fn() },
  parameters: none,
  decorators: [
    (Story) => (
      <div className="w-[28rem]">
        <Story />
      </div>
    ),
  ],
} satisfies Meta<typeof AutoTopUpSettingsView>;

export default meta;
type Story = StoryObj<typeof meta>;

/** No auto top-up yet: off, the fields disabled at their defaults (the first pack, 20 % of the grant). */
export const Off: Story = {
  args: { defaultValue: null },
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('switch', { name: 'Auto top-up' })).toHaveAttribute('aria-checked', 'false');
    await expect(canvas.getByRole('textbox', { name: 'When the balance falls to' })).toBeDisabled();
  },
};

/** On: 40,000 credits at 2,000 or less, at most 3 a month (1 used this month). */
export const On: Story = {
  args: { defaultValue: ON },
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('switch', { name: 'Auto top-up' })).toHaveAttribute('aria-checked', 'true');
    await expect(canvas.getByText(/^1 of 3 used; resets Dec 1/)).toBeInTheDocument();
  },
};

/** Turned on from the keyboard: Tab to the switch, Space. */
export const TurnOnWithKeyboard: Story = {
  args: { defaultValue: null },
  play: async ({ canvas }) => {
    await userEvent.tab();
    await expect(canvas.getByRole('switch')).toHaveFocus();
    await userEvent.keyboard(' ');
    await expect(canvas.getByRole('switch')).toHaveAttribute('aria-checked', 'true');
    await expect(canvas.getByRole('textbox', { name: 'When the balance falls to' })).toBeEnabled();
  },
};

/** A save running: Save reads Saving…, the form is busy. */
export const Pending: Story = {
  args: { defaultValue: ON, saveStatus: 'pending' },
  play: async ({ canvas, canvasElement }) => {
    await expect(canvas.getByRole('status')).toHaveTextContent('Saving…');
    await expect(form(canvasElement)).toHaveAttribute('aria-busy', 'true');
  },
};

/** Saved: the change is sent normalized, and the status says so. */
export const Saved: Story = {
  args: { defaultValue: ON, onSave: fn(async () => {}) },
  play: async ({ args, canvas }) => {
    const threshold = canvas.getByRole('textbox', { name: 'When the balance falls to' });
    await userEvent.clear(threshold);
    await userEvent.type(threshold, '2500{Enter}');
    await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent('Saved.'));
    await expect(args.onSave).toHaveBeenCalledWith({ autoTopUp: { enabled: true, threshold: 2500, packId: 'credit_topup', purchaseLimit: { limit: 3, interval: 'month', intervalCount: 1 } } });
  },
};

/** The save failed (the route answered 503): an alert; the draft is kept for another try. */
export const Failed: Story = {
  args: { defaultValue: ON, onSave: fn(async () => Promise.reject(new Error('503'))) },
  play: async ({ canvas }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Save' }));
    await expect(await canvas.findByRole('alert')).toHaveTextContent('Could not save the auto top-up. Try again.');
  },
};

/**
 * Invalid input, refused next to its field before anything is sent: a threshold above the 8,000 credits the plan
 * grants, a purchase limit of 0. Save sends nothing and moves focus to the first field to fix.
 */
export const InvalidInput: Story = {
  args: { defaultValue: ON },
  play: async ({ args, canvas }) => {
    const threshold = canvas.getByRole('textbox', { name: 'When the balance falls to' });
    await userEvent.clear(threshold);
    await userEvent.type(threshold, '9000');
    const limit = canvas.getByRole('textbox', { name: 'Purchases at most' });
    await userEvent.clear(limit);
    await userEvent.type(limit, '0');
    await userEvent.click(canvas.getByRole('button', { name: 'Save' }));
    await expect(args.onSave).not.toHaveBeenCalled();
    await expect(threshold).toHaveFocus();
    await expect(threshold).toHaveAccessibleDescription(/More than the 8,000 credits your plan grants/);
    await expect(limit).toHaveAccessibleDescription('Allow at least 1, or turn the limit off.');
    await expect(canvas.getByRole('status')).toHaveTextContent('Fix the 2 fields marked before saving.');
  },
};

/** Saved Autumn amount that matches none of the config's packs: the pack is asked for. */
export const UnknownPack: Story = {
  args: { defaultValue: { ...ON, packId: '', credits: 25_000 } },
  play: async ({ canvas }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Save' }));
    await expect(canvas.getByRole('combobox', { name: 'Buy' })).toHaveAccessibleDescription('Choose one of the packs.');
  },
};

/** Loading the org's controls. */
export const Loading: Story = {
  args: { loading: true },
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('status')).toHaveTextContent('Loading the auto top-up…');
  },
};

/** The load failed, with Retry. */
export const LoadError: Story = {
  args: { error: new Error('offline'), onRetry: fn() },
  play: async ({ args, canvas }) => {
    await userEvent.click(within(canvas.getByRole('alert')).getByRole('button', { name: 'Retry' }));
    await expect(args.onRetry).toHaveBeenCalled();
  },
};

/** Dark mode, with an issue showing: axe checks the error text and the switch against the dark card. */
export const Dark: Story = {
  args: { defaultValue: { ...ON, threshold: '-5' } },
  globals: { theme: 'dark' },
  play: async ({ canvas, canvasElement }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Save' }));
    await expect(canvas.getByRole('textbox', { name: 'When the balance falls to' })).toHaveAccessibleDescription(/Enter 0 or more/);
    await expect(canvasElement.ownerDocument.documentElement).toHaveClass('dark');
  },
};

/** A part of your own: one sentence of what is set, from the form's context. */
function Sentence() {
  const { value, packs, formatters } = useAutoTopUpSettings();
  const pack = packs.find((candidate) => candidate.id === value.packId);
  if (!value.enabled || !pack) return <p className="text-sm">Off.</p>;
  return <p className="text-sm">{`Buys ${formatters.credits(pack.credits)} credits at ${formatters.credits(Number(value.threshold))} or less.`}</p>;
}

/**
 * Composed from its parts: the switch beside a title of the app's own, a sentence of what is set, only the threshold
 * and the pack (no purchase limit), and the footer's parts in another order.
 */
export const Composition: Story = {
  args: { defaultValue: ON },
  render: (args) => (
    <AutoTopUpSettingsView {...args}>
      <div className="flex items-center gap-2">
        <AutoTopUpSettingsSwitch />
        <AutoTopUpSettingsTitle>Refill automatically</AutoTopUpSettingsTitle>
      </div>
      <Sentence />
      <AutoTopUpSettingsFields className="grid-cols-2">
        <AutoTopUpSettingsThreshold />
        <AutoTopUpSettingsPack />
      </AutoTopUpSettingsFields>
      <AutoTopUpSettingsFooter className="justify-start">
        <AutoTopUpSettingsSave>Apply</AutoTopUpSettingsSave>
        <AutoTopUpSettingsStatus />
        <AutoTopUpSettingsSaveError />
      </AutoTopUpSettingsFooter>
    </AutoTopUpSettingsView>
  ),
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('form', { name: 'Refill automatically' })).toBeInTheDocument();
    await expect(canvas.getByText('Buys 40,000 credits at 2,000 or less.')).toBeInTheDocument();
    await expect(canvas.queryByRole('checkbox')).toBeNull();
    await userEvent.selectOptions(canvas.getByRole('combobox', { name: 'Buy' }), 'big_topup');
    await expect(canvas.getByText('Buys 120,000 credits at 2,000 or less.')).toBeInTheDocument();
  },
};

/**
 * Connected to the in-memory Autumn through the kit's server helper: `load()` reads the story org's controls (none),
 * the form turns the auto top-up on and `save()` sets it with one `customers.update`; reading the org again gives it
 * back as saved. The org is on the free plan (8,000 credits), so a threshold above that is refused first.
 */
export const Connected: StoryObj<typeof AutoTopUpSettings> = {
  parameters: { credits: { source: 'stand-in' } satisfies CreditsStoryParameters },
  render: (_args, { id }) => (
    <AutoTopUpSettings
      config={config}
      load={() => billingControls.get({ customerId: storyCustomer(id) })}
      save={(controls) => billingControls.set({ customerId: storyCustomer(id), controls })}
    />
  ),
  play: async ({ canvas, id }) => {
    const toggle = await canvas.findByRole('switch', { name: 'Auto top-up' }, { timeout: 5000 });
    await expect(toggle).toHaveAttribute('aria-checked', 'false');
    await userEvent.click(toggle);
    const threshold = canvas.getByRole('textbox', { name: 'When the balance falls to' });
    await userEvent.clear(threshold);
    await userEvent.type(threshold, '8001{Enter}');
    await expect(threshold).toHaveAccessibleDescription(/More than the 8,000 credits your plan grants/);
    await userEvent.clear(threshold);
    await userEvent.type(threshold, '1500');
    await userEvent.click(canvas.getByRole('checkbox', { name: 'Limit automatic purchases' }));
    await userEvent.click(canvas.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent('Saved.'), { timeout: 5000 });
    const stored = await billingControls.get({ customerId: storyCustomer(id) });
    await expect(stored.controls.autoTopUp).toMatchObject({ enabled: true, threshold: 1500, packId: 'credit_topup', purchaseLimit: { limit: 3, interval: 'month' } });
  },
};
