import type { Meta, StoryObj } from '@storybook/react-vite';
import { Autumn, HTTPClient } from 'autumn-js';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import type { MemberCap } from '../src/core/billing-controls.js';
import {
  SpendLimits,
  SpendLimitsAddCap,
  SpendLimitsFooter,
  SpendLimitsMember,
  SpendLimitsMembers,
  SpendLimitsSave,
  SpendLimitsStatus,
  SpendLimitsTitle,
  SpendLimitsView,
  useSpendLimitsCap,
} from '../src/react/components/spend-limits.js';
import type { SpendLimitsValue } from '../src/react/shared/spend-limits.js';
import { createBillingControls, createCreditMeter } from '../src/server.js';
import type { CreditsStoryParameters } from '../.storybook/credits-decorator.js';
import { standIn, storyCustomer } from '../.storybook/stand-in.js';

const MEMBERS = [
  { id: 'user_ada', name: 'Ada Lovelace' },
  { id: 'user_grace', name: 'Grace Hopper' },
  { id: 'user_alan', name: 'Alan Turing' },
  { id: 'user_edsger', name: 'Edsger Dijkstra' },
];

const CAPS: MemberCap[] = [
  { memberId: 'user_ada', credits: 500, interval: 'day', enabled: true, used: 300 },
  { memberId: 'user_grace', credits: 2000, interval: 'week', enabled: true, used: 1700 },
  { memberId: 'user_alan', credits: 500, interval: 'day', enabled: true, used: 500 },
];

const VALUE: SpendLimitsValue = { spendLimit: { enabled: true, limit: { type: 'credits', credits: 5000 } }, memberCaps: CAPS };

const none = { credits: { source: 'none' } satisfies CreditsStoryParameters };

/** Your server's side, in this page: the kit's server helpers on the real autumn-js SDK and the in-memory Autumn. */
const autumn = new Autumn({ secretKey: standIn.secretKey, serverURL: standIn.origin, failOpen: false, httpClient: new HTTPClient({ fetcher: standIn.fetch }) });
const billingControls = createBillingControls({ autumn });
const meter = createCreditMeter({ autumn });

/** A member's row, by the name it shows. */
function row(canvasElement: HTMLElement, name: string): HTMLElement {
  const item = within(within(canvasElement).getByRole('list', { name: 'Member caps' }))
    .getAllByRole('listitem')
    .find((element) => element.querySelector('span')?.textContent === name);
  if (!item) throw new Error(`no row for ${name}`);
  return item;
}

/**
 * What an org may spend past its plan (an overage limit in credits, money or % of the allowance) and what each member
 * may use (a cap per day, week, month or year), with each member's usage against their cap. Every field is checked
 * by the core's `checkBillingControls` before anything is saved. Views run without a provider; the connected story
 * runs on the in-memory Autumn, with members' usage charged by the credit meter.
 */
const meta = {
  title: 'Components/SpendLimits',
  component: SpendLimitsView,
  args: { members: MEMBERS, allowance: 60_000, onSave: fn() },
  parameters: none,
  decorators: [
    (Story) => (
      <div className="w-[34rem]">
        <Story />
      </div>
    ),
  ],
} satisfies Meta<typeof SpendLimitsView>;

export default meta;
type Story = StoryObj<typeof meta>;

/** No limit and no caps yet: the overage limit off, "No member has a cap.", the row to add one. */
export const Off: Story = {
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('switch', { name: 'Overage limit' })).toHaveAttribute('aria-checked', 'false');
    await expect(canvas.getByRole('textbox', { name: 'Limit' })).toBeDisabled();
    await expect(canvas.getByText('No member has a cap.')).toBeInTheDocument();
  },
};

/** An overage limit of 5,000 credits and three members' caps, each with its usage as a meter. */
export const On: Story = {
  args: { defaultValue: VALUE, overage: 1200 },
  play: async ({ canvas, canvasElement }) => {
    await expect(canvas.getByRole('textbox', { name: 'Limit' })).toHaveAccessibleDescription('1,200 credits of overage used this period.');
    await expect(within(row(canvasElement, 'Ada Lovelace')).getByRole('meter')).toHaveAttribute('aria-valuetext', '300 of 500 credits used today');
    await expect(row(canvasElement, 'Grace Hopper')).toHaveAttribute('data-state', 'near');
  },
};

/** A member at their cap and one past it: "Cap reached", the meter full (never past 100 %). */
export const MemberAtCap: Story = {
  args: {
    defaultValue: { spendLimit: null, memberCaps: [...CAPS, { memberId: 'user_edsger', credits: 1000, interval: 'month', enabled: true, used: 1450.5 }] },
  },
  play: async ({ canvasElement }) => {
    const alan = row(canvasElement, 'Alan Turing');
    await expect(alan).toHaveAttribute('data-state', 'reached');
    await expect(alan).toHaveTextContent('Cap reached');
    const edsger = within(row(canvasElement, 'Edsger Dijkstra')).getByRole('meter');
    await expect(edsger).toHaveAttribute('aria-valuenow', '100');
    await expect(edsger).toHaveAttribute('aria-valuetext', '1,450.5 of 1,000 credits used this month');
  },
};

/** The limit as a percent of the plan's allowance (not of top-ups), shown in credits: 50 % of 60,000 = 30,000 credits of overage. */
export const PercentOfAllowance: Story = {
  args: { defaultValue: { spendLimit: { enabled: true, limit: { type: 'percent', percent: 50 } }, memberCaps: [] } },
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('textbox', { name: 'Limit' })).toHaveAccessibleDescription('30,000 credits of overage.');
  },
};

/** A save running. */
export const Pending: Story = {
  args: { defaultValue: VALUE, saveStatus: 'pending' },
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('status')).toHaveTextContent('Saving…');
  },
};

/** A cap added and another removed, from the keyboard, then saved: the whole list is sent. */
export const Saved: Story = {
  args: { defaultValue: VALUE, onSave: fn(async () => {}) },
  play: async ({ args, canvas, canvasElement }) => {
    await userEvent.selectOptions(canvas.getByRole('combobox', { name: 'Member' }), 'user_edsger');
    const credits = canvas.getByRole('textbox', { name: 'Credits' });
    await userEvent.type(credits, '750{Enter}');
    await expect(within(row(canvasElement, 'Edsger Dijkstra')).getByRole('textbox')).toHaveValue('750');
    within(row(canvasElement, 'Alan Turing')).getByRole('button', { name: 'Remove the cap for Alan Turing' }).focus();
    await userEvent.keyboard('{Enter}');
    await userEvent.click(canvas.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent('Saved.'));
    await expect(args.onSave).toHaveBeenCalledWith({
      spendLimit: { enabled: true, limit: { type: 'credits', credits: 5000 } },
      memberCaps: [
        { memberId: 'user_ada', credits: 500, interval: 'day', enabled: true },
        { memberId: 'user_grace', credits: 2000, interval: 'week', enabled: true },
        { memberId: 'user_edsger', credits: 750, interval: 'day', enabled: true },
      ],
    });
  },
};

/** The save failed: an alert, the draft kept. */
export const Failed: Story = {
  args: { defaultValue: VALUE, onSave: fn(async () => Promise.reject(new Error('503'))) },
  play: async ({ canvas }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Save' }));
    await expect(await canvas.findByRole('alert')).toHaveTextContent('Could not save the spend limits. Try again.');
  },
};

/**
 * Invalid input, refused next to its field before anything is sent: a cap below what the member used today, a
 * negative overage limit, a member added twice.
 */
export const InvalidInput: Story = {
  args: { defaultValue: VALUE },
  play: async ({ args, canvas, canvasElement }) => {
    const ada = within(row(canvasElement, 'Ada Lovelace')).getByRole('textbox');
    await userEvent.clear(ada);
    await userEvent.type(ada, '200');
    const limit = canvas.getByRole('textbox', { name: 'Limit' });
    await userEvent.clear(limit);
    await userEvent.type(limit, '-100');
    await userEvent.click(canvas.getByRole('button', { name: 'Save' }));
    await expect(args.onSave).not.toHaveBeenCalled();
    await expect(limit).toHaveFocus();
    await expect(limit).toHaveAccessibleDescription(/Enter 0 or more/);
    await expect(ada).toHaveAccessibleDescription('Below the 300 credits this member used already this period.');
    await expect(canvas.getByRole('status')).toHaveTextContent('Fix the 2 fields marked before saving.');
  },
};

/** Without a list of members, caps are added by id; a member twice is refused before it is added. */
export const AddById: Story = {
  args: { defaultValue: VALUE, members: undefined },
  play: async ({ canvas }) => {
    const member = canvas.getByRole('textbox', { name: 'Member' });
    await userEvent.type(member, 'user_ada');
    await userEvent.type(canvas.getByRole('textbox', { name: 'Credits' }), '100{Enter}');
    await expect(member).toHaveAccessibleDescription('This member has a cap already.');
  },
};

/** Loading the org's controls. */
export const Loading: Story = {
  args: { loading: true },
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('status')).toHaveTextContent('Loading the spend limits…');
  },
};

/** Dark mode, with a member at their cap and an issue showing. */
export const Dark: Story = {
  args: { defaultValue: { ...VALUE, spendLimit: { enabled: true, limit: { type: 'money', amount: 'lots' } } } },
  globals: { theme: 'dark' },
  play: async ({ canvas, canvasElement }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Save' }));
    await expect(canvas.getByRole('textbox', { name: 'Limit' })).toHaveAccessibleDescription(/Enter a number/);
    await expect(canvasElement.ownerDocument.documentElement).toHaveClass('dark');
  },
};

/** A row of your own: the member and how much of their cap is left, from the row's context. */
function Remaining() {
  const { name, cap, credits, usage } = useSpendLimitsCap();
  const left = credits === null ? null : Math.max(0, credits - (cap.used ?? 0));
  return (
    <li className="flex justify-between gap-2 text-sm" data-reached={usage?.reached || undefined}>
      <span>{name}</span>
      <span className="tabular-nums">{left === null ? '—' : `${left} left`}</span>
    </li>
  );
}

/**
 * Composed from its parts: only the members' caps (no overage limit) as compact rows of the app's own, the full row
 * under them for one member, the add row, and the footer.
 */
export const Composition: Story = {
  args: { defaultValue: VALUE },
  render: (args) => (
    <SpendLimitsView {...args}>
      <SpendLimitsTitle>Caps per member</SpendLimitsTitle>
      <SpendLimitsMembers>
        <Remaining />
      </SpendLimitsMembers>
      <SpendLimitsAddCap />
      <SpendLimitsFooter>
        <SpendLimitsStatus />
        <SpendLimitsSave>Save caps</SpendLimitsSave>
      </SpendLimitsFooter>
    </SpendLimitsView>
  ),
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('form', { name: 'Caps per member' })).toBeInTheDocument();
    await expect(canvas.queryByRole('switch')).toBeNull();
    const items = within(canvas.getByRole('list')).getAllByRole('listitem');
    await expect(items.map((item) => item.textContent)).toEqual(['Ada Lovelace200 left', 'Grace Hopper300 left', 'Alan Turing0 left']);
  },
};

/** The default row alone, for a layout of your own around it. */
export const OneRow: Story = {
  args: { defaultValue: { spendLimit: null, memberCaps: [CAPS[2]!] } },
  render: (args) => (
    <SpendLimitsView {...args}>
      <SpendLimitsMembers>
        <SpendLimitsMember className="border-dashed" />
      </SpendLimitsMembers>
    </SpendLimitsView>
  ),
  play: async ({ canvasElement }) => {
    await expect(row(canvasElement, 'Alan Turing')).toHaveClass('border-dashed');
  },
};

/**
 * Connected to the in-memory Autumn through the kit's server helper. The org (Pro Monthly, 60,000 credits) has an
 * overage limit of 20 % and two daily caps; the credit meter charged Ada 300 credits and Alan 500 today. The form
 * shows their usage, refuses to lower Ada's cap under what she used, and saves Alan's raised cap: read back from Autumn.
 */
export const Connected: StoryObj<typeof SpendLimits> = {
  parameters: { credits: { source: 'stand-in', seed: { planId: 'pro_monthly' } } satisfies CreditsStoryParameters },
  beforeEach: async ({ id }) => {
    const customerId = storyCustomer(id);
    await billingControls.set({
      customerId,
      controls: {
        spendLimit: { enabled: true, limit: { type: 'percent', percent: 20 } },
        memberCaps: [
          { memberId: 'user_ada', credits: 500, interval: 'day' },
          { memberId: 'user_alan', credits: 500, interval: 'day' },
        ],
      },
    });
    // $0.075 = 300 credits, $0.125 = 500 credits (4,000 credits per dollar).
    await meter.charge({ customerId, member: 'user_ada', usd: '0.075' });
    await meter.charge({ customerId, member: 'user_alan', usd: '0.125' });
    standIn.flush();
  },
  render: (_args, { id }) => (
    <SpendLimits
      members={MEMBERS}
      load={() => billingControls.get({ customerId: storyCustomer(id) })}
      save={(controls) => billingControls.set({ customerId: storyCustomer(id), controls })}
    />
  ),
  play: async ({ canvas, canvasElement, id }) => {
    const limit = await canvas.findByRole('textbox', { name: 'Limit' }, { timeout: 5000 });
    await expect(limit).toHaveValue('20');
    await expect(limit).toHaveAccessibleDescription(/^12,000 credits of overage\./);
    await expect(within(row(canvasElement, 'Ada Lovelace')).getByRole('meter')).toHaveAttribute('aria-valuetext', '300 of 500 credits used today');
    await expect(row(canvasElement, 'Alan Turing')).toHaveAttribute('data-state', 'reached');

    const ada = within(row(canvasElement, 'Ada Lovelace')).getByRole('textbox');
    await userEvent.clear(ada);
    await userEvent.type(ada, '250{Enter}');
    await expect(ada).toHaveAccessibleDescription('Below the 300 credits this member used already this period.');
    await userEvent.clear(ada);
    await userEvent.type(ada, '500');

    const alan = within(row(canvasElement, 'Alan Turing')).getByRole('textbox');
    await userEvent.clear(alan);
    await userEvent.type(alan, '1000');
    await userEvent.click(canvas.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent('Saved.'), { timeout: 5000 });
    await waitFor(() => expect(row(canvasElement, 'Alan Turing')).toHaveAttribute('data-state', 'ok'));
    const stored = await billingControls.get({ customerId: storyCustomer(id) });
    await expect(stored.controls.memberCaps.map(({ memberId, credits, used }) => [memberId, credits, used])).toEqual([
      ['user_ada', 500, 300],
      ['user_alan', 1000, 500],
    ]);
  },
};
