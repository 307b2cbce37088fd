/**
 * The kit's React components rendered from what this app's Convex functions return: the `billing.customer` action
 * (the org's Autumn customer through `@useautumn/convex`) feeds `<CreditsProvider customer={…}>`; the
 * `chat.messages` and `billing.usageByThread` queries feed MessageCostBadge and the usage breakdown; a top-up goes
 * through `billing.topUp` (Autumn checkout) — all run in convex-test against the stand-in, rendered in jsdom.
 */
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, expect, it, vi } from 'vitest';
import { api } from '../convex/_generated/api';
import { BillingCredits } from '../src/billing';
import { ChatMessages } from '../src/chat';
import { CreditsSidebar } from '../src/sidebar';
import { newBackend, signUp } from './convex';
import { scriptSteps } from './models';
import { standIn } from './stand-in';

beforeEach(() => {
  vi.spyOn(console, 'log').mockImplementation(() => {}); // autumn-js 0.x logs every error answer
  return () => vi.restoreAllMocks();
});

it('shows the org’s balance, the low warning, each turn’s cost and usage per thread, and sells a top-up', async () => {
  const t = newBackend();
  const org = await signUp(t, 'Acme');
  await standIn.seedCustomer(org.customerId, { remaining: 1000 }); // 12.5% of the 8,000 free credits: low
  const threadId = await org.as.mutation(api.chat.create, { title: 'Pricing questions' });
  scriptSteps({ tool: 'lookupPlan', input: { plan: 'pro' }, cost: '0.0005' }, { text: 'Pro: 60,000 credits a month for $30.', cost: '0.0007' });
  await org.as.action(api.chat.send, { threadId, prompt: 'What is in Pro?' });

  const messages = await org.as.query(api.chat.messages, { threadId });
  const usage = await org.as.query(api.billing.usageByThread, {});
  const navigate = vi.fn<(url: string) => void>();
  const screenOf = () => (
    <BillingCredits
      loadCustomer={() => org.as.action(api.billing.customer, {})}
      buyTopUp={(pkg) => org.as.action(api.billing.topUp, { packageId: pkg.id })}
      navigate={navigate}
      locale="en-US"
    >
      <CreditsSidebar usage={usage} />
      <ChatMessages messages={messages} />
    </BillingCredits>
  );
  const view = render(screenOf());

  // CreditBalance: 1,000 − 4.8 = 995.2 credits (the kit's one rounding rule: up to two decimals), from the customer the action returned
  // (features.ai_credits.balance).
  const balance = await waitFor(() => {
    const element = document.querySelector('[data-slot="credit-balance"]');
    expect(element?.getAttribute('data-state')).toBe('low');
    return element as HTMLElement;
  });
  const meter = within(balance).getByRole('meter');
  expect([meter.getAttribute('aria-valuenow'), meter.getAttribute('aria-valuetext')]).toEqual(['12.4', '995.2 of 8,000 credits left']);
  expect(balance.querySelector('[data-slot="credit-balance-amount"]')?.textContent).toBe('995.2');
  // LowCreditWarning, under 20%.
  expect(document.querySelector('[data-slot="low-credit-warning"]')).not.toBeNull();
  // MessageCostBadge under the answer: the turn's two steps, 2 + 2.8 credits.
  const answer = screen.getByText('Pro: 60,000 credits a month for $30.').closest('li')!;
  expect(answer.querySelector('[data-slot="message-cost-badge"]')?.textContent).toMatch(/4\.8/);

  // Usage per thread behind the balance.
  fireEvent.click(screen.getByRole('button', { name: /usage breakdown/i }));
  const breakdown = await screen.findByRole('dialog', { name: 'Credit usage' });
  const row = within(breakdown).getByText('Pricing questions').closest('[data-slot="usage-breakdown-item"]');
  expect(row?.textContent).toMatch(/4\.8 credits/);
  fireEvent.keyDown(breakdown, { key: 'Escape' });

  // CreditTopUpDialog: the $10 pack → billing.topUp → Autumn checkout → the browser goes to its URL.
  fireEvent.click(screen.getByRole('button', { name: 'Buy credits' }));
  const dialog = await screen.findByRole('dialog', { name: 'Top up credits' });
  fireEvent.click(within(dialog).getByRole('button', { name: /40,000 credits/ }));
  await waitFor(() => expect(navigate).toHaveBeenCalledTimes(1));
  const checkoutUrl = navigate.mock.calls[0]![0];
  expect((await standIn.checkouts()).map((checkout) => [checkout.url, checkout.customerId, checkout.planId])).toEqual([[checkoutUrl, org.customerId, 'credit_topup']]);

  // Paid; back in the app, the balance has the pack.
  await standIn.completeCheckout(checkoutUrl);
  view.unmount();
  render(screenOf());
  await waitFor(() => expect(document.querySelector('[data-slot="credit-balance-amount"]')?.textContent).toBe('40,995.2'));
  expect(document.querySelector('[data-slot="low-credit-warning"]')).toBeNull();
});

it('shows the kit’s top-up prompt when the server refuses a message for credits', async () => {
  const t = newBackend();
  const org = await signUp(t, 'Globex');
  await standIn.seedCustomer(org.customerId, { remaining: 2 });
  const threadId = await org.as.mutation(api.chat.create, { title: 'Broke' });
  const { ChatInput } = await import('../src/chat');
  render(
    <BillingCredits loadCustomer={() => org.as.action(api.billing.customer, {})} buyTopUp={async () => ({})} locale="en-US">
      <ChatInput send={(prompt) => org.as.action(api.chat.send, { threadId, prompt })} />
    </BillingCredits>,
  );
  fireEvent.change(screen.getByRole('textbox', { name: 'Message' }), { target: { value: 'Hello?' } });
  fireEvent.click(screen.getByRole('button', { name: 'Send' }));
  // InsufficientCreditsPrompt reads the ConvexError's data (the kit's 402 body) and opens the top-up dialog.
  const prompt = await screen.findByRole('dialog', { name: 'Top up credits' });
  expect(prompt.querySelector('[data-slot="credit-top-up-dialog-message"]')?.textContent).toMatch(/^This message needs [\d.,]+ credits; you have 2\.$/);
});
