/**
 * The live demo: a chat with a credits sidebar, client AND server running on the in-memory Autumn in this page.
 *
 *   send → the credit meter reserves the estimate (an Autumn lock) → a simulated AI Gateway call reports its cost →
 *   the meter settles the real cost → the UI deducts it at once (`applyUsage`) and reconciles (`refresh`) → the
 *   balance drops live, the low warning appears → a top-up (Autumn attach, card on file) restores it.
 *
 * With spend controls (issue 17): the message is reserved for a member (`reserve({ member })`), whose daily cap
 * refuses a message while the org still has credits, and the org's auto top-up buys a pack when a charge brings the
 * balance to its threshold.
 *
 * Nothing is mocked in the kit: `AutumnCreditsProvider` (autumn-ai-credits/autumn, the decorator in
 * .storybook/credits-decorator.tsx) reads the customer through autumn-js/react and its backend handler, the meter talks to Autumn through the real autumn-js SDK; MSW routes both to the stand-in.
 */
import * as React from 'react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { CreditBalance } from '../src/react/components/credit-balance.js';
import { CreditEstimate } from '../src/react/components/credit-estimate.js';
import { LowCreditWarning } from '../src/react/components/low-credit-warning.js';
import { MessageCostBadge } from '../src/react/components/message-cost-badge.js';
import { UsageBreakdown } from '../src/react/components/usage-breakdown.js';
import type { CreditAutoTopUp } from '../src/react/lib/auto-top-up.js';
import type { UsageBreakdownPending } from '../src/react/shared/usage-breakdown.js';
import { useCredits } from '../src/react/credits-context.js';
import { useInsufficientCreditsPrompt } from '../src/react/insufficient-credits.js';
import { Autumn, HTTPClient } from 'autumn-js';
import { createBillingControls, type MessageCostRecord } from '../src/server.js';
import { storyMeter } from '../.storybook/server.js';
import { standIn, storyCustomer } from '../.storybook/stand-in.js';

/** The model the demo "calls". */
const MODEL = 'openai/gpt-5-mini';
/** Credits reserved before each call (the pre-flight estimate). */
const ESTIMATE_CREDITS = 1200;
/** What the simulated gateway reports per call: $0.25 = 1,000 credits. */
const GATEWAY_COST_USD = '0.25';
/** How long the simulated model "thinks", in ms. */
const GATEWAY_LATENCY_MS = 250;

interface ChatMessage {
  readonly id: number;
  readonly role: 'user' | 'assistant';
  readonly text: string;
  /** The assistant reply's cost: the estimate while it runs, the settled record after. */
  readonly cost?: MessageCostRecord | { readonly credits: number; readonly kind: 'estimate'; readonly source: 'estimate'; readonly model: string };
}

/** The "AI call": a delay and the usage + gateway cost an AI SDK step reports. */
async function simulatedGatewayCall(prompt: string) {
  await new Promise((resolve) => setTimeout(resolve, GATEWAY_LATENCY_MS));
  return {
    text: `You said "${prompt}". Here is a thoughtful answer.`,
    step: {
      usage: { inputTokens: 1800, outputTokens: 600, totalTokens: 2400, outputTokenDetails: { textTokens: 450, reasoningTokens: 150 } },
      providerMetadata: { gateway: { cost: GATEWAY_COST_USD } },
    },
  };
}

/**
 * The demo's chat. `member`: the signed-in user, reported with each reservation so their cap applies; `autoTopUp`:
 * the org's, as the settings page's `billingControls.get()` answers it, for the balance and the warning to mention.
 */
function ChatSidebarDemo({ customerId, member, autoTopUp }: { customerId: string; member?: string; autoTopUp?: CreditAutoTopUp }) {
  const { applyUsage, refresh } = useCredits();
  const insufficient = useInsufficientCreditsPrompt();
  const [messages, setMessages] = React.useState<readonly ChatMessage[]>([]);
  const [draft, setDraft] = React.useState('Summarize my inbox');
  const [sending, setSending] = React.useState(false);
  const [usageVersion, setUsageVersion] = React.useState(0);
  // Charges settled in this session: Autumn's usage aggregates show them seconds later, the breakdown at once.
  const [settled, setSettled] = React.useState<UsageBreakdownPending[]>([]);
  const nextId = React.useRef(0);

  async function send(event: React.FormEvent) {
    event.preventDefault();
    const prompt = draft.trim();
    if (prompt === '' || sending) return;
    setSending(true);
    const userId = (nextId.current += 1);
    const replyId = (nextId.current += 1);
    setMessages((current) => [
      ...current,
      { id: userId, role: 'user', text: prompt },
      { id: replyId, role: 'assistant', text: '…', cost: { credits: ESTIMATE_CREDITS, kind: 'estimate', source: 'estimate', model: MODEL } },
    ]);
    try {
      // Server side (here in the page): reserve the estimate, run the call, settle the real cost.
      const reservation = await storyMeter.reserve({ customerId, member, model: MODEL, credits: ESTIMATE_CREDITS, properties: { thread_id: 'demo_thread' } });
      const { text, step } = await simulatedGatewayCall(prompt);
      reservation.addStep(step);
      const record = await reservation.settle();
      // Client side: show the cost on the message, deduct at once, then reconcile with Autumn.
      setMessages((current) => current.map((message) => (message.id === replyId ? { ...message, text, cost: record } : message)));
      applyUsage(record);
      setSettled((current) => [...current, { id: record.id, itemId: 'demo_thread', label: 'This chat', credits: record.credits }]);
      setUsageVersion((version) => version + 1);
      await refresh();
    } catch (error) {
      setMessages((current) => current.filter((message) => message.id !== replyId));
      if (!insufficient.show(error)) throw error;
    } finally {
      setSending(false);
    }
  }

  return (
    <div className="grid h-[34rem] w-[52rem] grid-cols-[17rem_1fr] overflow-hidden rounded-lg border border-credits-border">
      <aside aria-label="Credits" className="flex flex-col gap-4 border-r border-credits-border bg-credits-muted/40 p-4">
        <CreditBalance autoTopUp={autoTopUp} />
        <LowCreditWarning size="compact" autoTopUp={autoTopUp} />
        <UsageBreakdown
          size="compact"
          loadKey={usageVersion}
          pending={settled}
          load={async () =>
            (await storyMeter.usageByThread({ customerId })).map((row) => ({
              id: row.threadId,
              label: row.threadId === 'demo_thread' ? 'This chat' : row.threadId,
              credits: row.credits,
            }))
          }
        />
      </aside>
      <section aria-label="Chat" className="flex min-h-0 flex-col">
        <ol aria-label="Messages" className="flex flex-1 flex-col gap-3 overflow-y-auto p-4">
          {messages.map((message) => (
            <li key={message.id} data-role={message.role} className="flex flex-col gap-1 data-[role=user]:items-end">
              <p className="max-w-[80%] rounded-lg bg-credits-muted px-3 py-2 text-sm">{message.text}</p>
              {message.cost ? <MessageCostBadge size="sm" cost={message.cost} /> : null}
            </li>
          ))}
        </ol>
        {/* The estimate sits beside the input while both fit (the input keeps 15rem), else on a line below it. */}
        <form onSubmit={send} className="flex items-start gap-2 border-t border-credits-border p-3">
          <div className="flex min-w-0 flex-1 flex-wrap items-center gap-x-2 gap-y-1">
            <label htmlFor="demo-message" className="sr-only">
              Message
            </label>
            <input
              id="demo-message"
              value={draft}
              onChange={(event) => setDraft(event.target.value)}
              className="h-9 min-w-0 flex-[1_1_15rem] rounded-md border border-credits-border bg-credits-background px-3 text-sm"
            />
            <CreditEstimate credits={ESTIMATE_CREDITS} size="sm" />
          </div>
          <button
            type="submit"
            disabled={sending}
            className="h-9 rounded-md bg-credits-primary px-4 text-sm font-medium text-credits-primary-foreground disabled:opacity-60"
          >
            Send
          </button>
        </form>
      </section>
      {insufficient.prompt}
    </div>
  );
}

const meta = {
  title: 'Demo/Chat sidebar',
  component: ChatSidebarDemo,
  parameters: {
    layout: 'centered',
    credits: { source: 'stand-in' },
  },
  render: (_args, { id }) => <ChatSidebarDemo customerId={storyCustomer(id)} />,
} satisfies Meta<typeof ChatSidebarDemo>;

export default meta;
type Story = StoryObj<typeof meta>;

const meterText = (canvasElement: HTMLElement) => canvasElement.querySelector('[role="meter"]')?.getAttribute('aria-valuetext') ?? '';

/**
 * The first balance of a story: on a cold run the story's modules, the MSW worker and autumn-js/react all load first,
 * which takes seconds on a busy 2-core machine.
 */
const FIRST_LOAD_TIMEOUT_MS = 12_000;

/**
 * 2,400 credits left on the free plan. Send a message: 1,000 credits are spent, the balance drops live to 1,400
 * (under 20 %), the warning appears; top up 40,000 and it is back.
 */
export const LiveChat: Story = {
  args: { customerId: '' },
  parameters: { credits: { source: 'stand-in', seed: { remaining: 2400 } } },
  play: async ({ canvasElement, step }) => {
    const canvas = within(canvasElement);
    const body = within(canvasElement.ownerDocument.body);
    await waitFor(() => expect(meterText(canvasElement)).toMatch(/^2,400 of 8,000/), { timeout: FIRST_LOAD_TIMEOUT_MS });
    await expect(canvasElement.querySelector('[data-slot="low-credit-warning"]')).toBeNull();

    await step('send a message: reserve, gateway call, settle', async () => {
      await userEvent.click(canvas.getByRole('button', { name: 'Send' }));
      const badge = await canvas.findByRole('button', { name: /Actual cost: 1,000 credits/ }, { timeout: 5000 });
      await expect(badge).toHaveAttribute('data-state', 'actual');
    });

    await step('the balance drops live and the low warning appears', async () => {
      await waitFor(() => expect(meterText(canvasElement)).toMatch(/^1,400 of 8,000/), { timeout: 5000 });
      await waitFor(() => expect(canvasElement.querySelector('[data-slot="low-credit-warning"]')).not.toBeNull(), { timeout: 5000 });
    });

    await step('the usage breakdown shows the message at once, before Autumn has aggregated it', async () => {
      const usage = await canvas.findByRole('list', { name: 'Usage by thread' }, { timeout: 5000 });
      await expect(within(usage).getByRole('listitem')).toHaveTextContent(/This chat.*1,000 credits/);
    });

    await step('top up from the warning: the balance is restored', async () => {
      const warning = canvasElement.querySelector<HTMLElement>('[data-slot="low-credit-warning"]')!;
      await userEvent.click(within(warning).getByRole('button', { name: 'Top up' }));
      const dialog = await body.findByRole('dialog', { name: 'Top up credits' });
      await userEvent.click(within(dialog).getByRole('button', { name: /40,000 credits/ }));
      await waitFor(() => expect(within(dialog).getByRole('status')).toHaveTextContent('Credits added to your balance.'), { timeout: 5000 });
      await userEvent.keyboard('{Escape}');
      await waitFor(() => expect(meterText(canvasElement)).toMatch(/^41,400 of/), { timeout: 5000 });
      await waitFor(() => expect(canvasElement.querySelector('[data-slot="low-credit-warning"]')).toBeNull());
    });
  },
};

/** Out of credits: the meter's reserve is refused before the model runs, and the top-up prompt explains why. */
export const OutOfCredits: Story = {
  args: { customerId: '' },
  parameters: { credits: { source: 'stand-in', seed: { remaining: 300 } } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const body = within(canvasElement.ownerDocument.body);
    await waitFor(() => expect(meterText(canvasElement)).toMatch(/^300 of 8,000/), { timeout: FIRST_LOAD_TIMEOUT_MS });
    await userEvent.click(canvas.getByRole('button', { name: 'Send' }));
    const dialog = await body.findByRole('dialog', { name: 'Top up credits' }, { timeout: 5000 });
    await expect(dialog).toHaveTextContent(/1,200/);
    await expect(canvas.queryByRole('button', { name: /Actual cost/ })).toBeNull();
  },
};

/** The member the spend-controls story signs in as, and the org's controls it runs under. */
const DEMO_MEMBER = 'user_demo';
const DEMO_AUTO_TOP_UP = { enabled: true, threshold: 1500, packId: 'credit_topup', purchaseLimit: { limit: 2, interval: 'day' } } as const;
/** Two messages of 1,000 credits fit under it; the third's 1,200 estimate does not. */
const DEMO_MEMBER_CAP = 2500;
/** The stand-in runs a queued auto top-up this long after the charge that triggered it (its default). */
const AUTO_TOP_UP_DELAY_MS = 1000;

/**
 * Spend controls live (issue 17). The org has 2,500 credits (1,500 of its plan and 1,000 of a pack bought before:
 * Autumn tops up with a pack the customer has bought), an auto top-up of 40,000 at 1,500 or less, and a daily cap of
 * 2,500 credits for the signed-in member. The first message brings the balance to 1,500: Autumn queues the auto
 * top-up, which has bought 40,000 by the second message. The third message's reservation is refused by the member's
 * cap — not the org's balance, which still has 40,500 — and the prompt says so, without offering packs.
 */
export const MemberCapAndAutoTopUp: Story = {
  args: { customerId: '' },
  parameters: { credits: { source: 'stand-in', seed: { remaining: 1500, topUpCredits: 1000 } } },
  beforeEach: async ({ id }) => {
    // The settings page's route, in this page: the kit's server helper on the in-memory Autumn.
    const billingControls = createBillingControls({
      autumn: new Autumn({ secretKey: standIn.secretKey, serverURL: standIn.origin, failOpen: false, httpClient: new HTTPClient({ fetcher: standIn.fetch }) }),
    });
    await billingControls.set({
      customerId: storyCustomer(id),
      controls: { autoTopUp: DEMO_AUTO_TOP_UP, memberCaps: [{ memberId: DEMO_MEMBER, credits: DEMO_MEMBER_CAP, interval: 'day' }] },
    });
  },
  render: (_args, { id }) => <ChatSidebarDemo customerId={storyCustomer(id)} member={DEMO_MEMBER} autoTopUp={DEMO_AUTO_TOP_UP} />,
  play: async ({ canvasElement, step }) => {
    const canvas = within(canvasElement);
    const body = within(canvasElement.ownerDocument.body);
    const details = () => canvasElement.querySelector('[data-slot="credit-balance-details"]')?.textContent ?? '';
    await waitFor(() => expect(meterText(canvasElement)).toMatch(/^2,500 of 9,000/), { timeout: FIRST_LOAD_TIMEOUT_MS });
    await expect(details()).toContain('Tops up 40,000 at 1,500 or less');

    await step('the first message brings the balance to the threshold: Autumn queues the auto top-up', async () => {
      await userEvent.click(canvas.getByRole('button', { name: 'Send' }));
      await canvas.findByRole('button', { name: /Actual cost: 1,000 credits/ }, { timeout: 5000 });
      await waitFor(() => expect(meterText(canvasElement)).toMatch(/^1,500 of/), { timeout: 5000 });
    });

    await step('by the second message the auto top-up has bought 40,000 credits', async () => {
      await new Promise((resolve) => setTimeout(resolve, AUTO_TOP_UP_DELAY_MS + 200));
      await userEvent.click(canvas.getByRole('button', { name: 'Send' }));
      await waitFor(() => expect(canvas.getAllByRole('button', { name: /Actual cost: 1,000 credits/ })).toHaveLength(2), { timeout: 5000 });
      await waitFor(() => expect(meterText(canvasElement)).toMatch(/^40,500 of/), { timeout: 5000 });
    });

    await step("the third is refused by the member's daily cap while the org still has credits", async () => {
      await userEvent.click(canvas.getByRole('button', { name: 'Send' }));
      const dialog = await body.findByRole('dialog', { name: 'Usage cap reached' }, { timeout: 5000 });
      await expect(dialog).toHaveTextContent('You reached your daily cap of 2,500 credits; your organization still has 40,500.');
      await expect(within(dialog).queryByRole('button', { name: /40,000 credits/ })).toBeNull();
      await userEvent.keyboard('{Escape}');
      await waitFor(() => expect(body.queryByRole('dialog')).toBeNull());
      // The model never ran for it: still two replies.
      await expect(canvas.getAllByRole('button', { name: /Actual cost/ })).toHaveLength(2);
    });
  },
};
