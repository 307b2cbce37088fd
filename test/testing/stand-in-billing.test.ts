import { Autumn, HTTPClient } from 'autumn-js';
import { describe, expect, it } from 'vitest';
import { defaultCreditsConfig } from '../../src/core/config.js';
import { createAutumnStandIn } from '../../src/testing.js';
import { DAY, post, rejection, useStandIn } from './helpers.js';

const FEATURE = defaultCreditsConfig.featureId;

describe('plans.list', () => {
  const env = useStandIn();

  it('lists the plans of the credits config in Autumn plan shape', async () => {
    const { list } = await env.autumn.plans.list({});

    expect(list.map((plan) => plan.id)).toEqual(defaultCreditsConfig.plans.map((plan) => plan.id));
    const [free, pro, annual, topUp] = list;
    expect(free).toMatchObject({ autoEnable: true, price: null, items: [expect.objectContaining({ featureId: FEATURE, included: 8000 })] });
    expect(free!.items[0]!.reset).toEqual({ interval: 'month', intervalCount: 1 });
    expect(pro).toMatchObject({ price: { amount: 30, interval: 'month' } });
    expect(pro!.items[0]!.price).toMatchObject({ amount: 0.00025, billingMethod: 'usage_based' });
    expect(annual).toMatchObject({ price: { amount: 300, interval: 'year' } });
    expect(topUp).toMatchObject({ addOn: true, price: null });
    expect(topUp!.items[0]).toMatchObject({ included: 0, reset: null, price: expect.objectContaining({ amount: 10, billingUnits: 40000, billingMethod: 'prepaid' }) });
  });

  it('tells a customer what attaching each plan would do', async () => {
    env.standIn.seedCustomer('u');

    const { list } = await env.autumn.plans.list({ customerId: 'u' });

    expect(list.map((plan) => plan.customerEligibility?.attachAction)).toEqual(['none', 'upgrade', 'upgrade', 'purchase']);
  });
});

describe('billing.attach and checkout', () => {
  const env = useStandIn();

  it('answers a checkout URL for the top-up; completing it grows the balance', async () => {
    env.standIn.seedCustomer('u', { remaining: 100 });

    const attach = await env.autumn.billing.attach({ customerId: 'u', planId: 'credit_topup', successUrl: 'https://app.test/done' });

    expect(attach.customerId).toBe('u');
    expect(attach.paymentUrl).toMatch(new RegExp(`^${env.standIn.url}/checkout/`));
    expect(env.standIn.balance('u').remaining).toBe(100);
    expect(env.standIn.checkouts()).toEqual([expect.objectContaining({ planId: 'credit_topup', status: 'open', successUrl: 'https://app.test/done' })]);

    env.standIn.completeCheckout(attach.paymentUrl!);

    expect(env.standIn.balance('u')).toMatchObject({ remaining: 40100, granted: 48000 });
    const customer = await env.autumn.customers.getOrCreate({ customerId: 'u' });
    expect(customer.purchases).toEqual([expect.objectContaining({ planId: 'credit_topup', quantity: 1, expiresAt: null })]);
  });

  it('completes the purchase when the checkout page is opened, then redirects to success_url', async () => {
    env.standIn.seedCustomer('u');
    const attach = await env.autumn.billing.attach({ customerId: 'u', planId: 'credit_topup', successUrl: 'https://app.test/done' });

    const page = await fetch(attach.paymentUrl!, { redirect: 'manual' });
    const again = await fetch(attach.paymentUrl!, { redirect: 'manual' });

    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('https://app.test/done');
    expect(again.status).toBe(303);
    expect(env.standIn.balance('u').granted).toBe(48000); // paid once, granted once
  });

  it('shows a confirmation page without success_url, and 404 for an unknown checkout', async () => {
    env.standIn.seedCustomer('u');
    const attach = await env.autumn.billing.attach({ customerId: 'u', planId: 'credit_topup' });

    const page = await fetch(attach.paymentUrl!);
    const missing = await fetch(`${env.standIn.url}/checkout/cs_nope`);

    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Payment complete');
    expect(missing.status).toBe(404);
    expect(() => env.standIn.completeCheckout('cs_nope')).toThrow(/no checkout/);
  });

  it('buys several packs with a feature quantity in credits, rounded up to whole packs', async () => {
    env.standIn.seedCustomer('u', { remaining: 0 });

    const attach = await env.autumn.billing.attach({
      customerId: 'u',
      planId: 'credit_topup',
      featureQuantities: [{ featureId: FEATURE, quantity: 80001 }],
    });
    env.standIn.completeCheckout(attach.paymentUrl!.split('/').pop()!);

    expect(env.standIn.balance('u').remaining).toBe(120000);
  });

  it('upgrades to a paid subscription after checkout: new included credits, overage allowed', async () => {
    env.standIn.seedCustomer('u', { remaining: 10 });

    const attach = await env.autumn.billing.attach({ customerId: 'u', planId: 'pro_monthly' });
    env.standIn.completeCheckout(attach.paymentUrl!);

    const customer = await env.autumn.customers.getOrCreate({ customerId: 'u' });
    expect(customer.subscriptions.map((s) => s.planId)).toEqual(['pro_monthly']);
    expect(customer.balances[FEATURE]).toMatchObject({ granted: 60000, remaining: 60000, overageAllowed: true });
  });

  it('switches to a free plan at once, without checkout', async () => {
    env.standIn.seedCustomer('u', { planId: 'pro_monthly' });

    const attach = await env.autumn.billing.attach({ customerId: 'u', planId: 'free' });

    expect(attach.paymentUrl).toBeNull();
    expect(env.standIn.balance('u').granted).toBe(8000);
  });

  it('answers payment_method_required instead of a checkout with redirect_mode never', async () => {
    env.standIn.seedCustomer('u');

    const attach = await env.autumn.billing.attach({ customerId: 'u', planId: 'credit_topup', redirectMode: 'never' });

    expect(attach.paymentUrl).toBeNull();
    expect(attach.requiredAction).toEqual({ code: 'payment_method_required', reason: expect.any(String) });
  });

  it('refuses an unknown plan (404), an unknown customer (404) and the plan already attached (409, as Autumn)', async () => {
    env.standIn.seedCustomer('u');

    const plan = await rejection(env.autumn.billing.attach({ customerId: 'u', planId: 'gold' }));
    const customer = await rejection(env.autumn.billing.attach({ customerId: 'ghost', planId: 'credit_topup' }));
    const same = await rejection(env.autumn.billing.attach({ customerId: 'u', planId: 'free' }));

    expect([plan.statusCode, JSON.parse(plan.body).code]).toEqual([404, 'product_not_found']);
    expect([customer.statusCode, JSON.parse(customer.body).code]).toEqual([404, 'customer_not_found']);
    expect([same.statusCode, JSON.parse(same.body).code]).toEqual([409, 'plan_already_attached']);
  });

  it('charges at once, without checkout, with autoCompleteCheckout (a card on file, for stories)', async () => {
    const standIn = createAutumnStandIn({ autoCompleteCheckout: true });
    standIn.seedCustomer('u', { remaining: 0 });
    // The SDK on the in-process fetch: no server needed (only with fail-open off, which keeps the httpClient).
    const autumn = new Autumn({
      secretKey: standIn.secretKey,
      serverURL: standIn.origin,
      failOpen: false,
      httpClient: new HTTPClient({ fetcher: standIn.fetch }),
    });

    const attach = await autumn.billing.attach({ customerId: 'u', planId: 'credit_topup' });

    expect(attach.paymentUrl).toBeNull();
    expect(attach.invoice).toMatchObject({ status: 'paid', total: 10, currency: 'usd', hostedInvoiceUrl: null });
    expect(standIn.balance('u').remaining).toBe(40000);
    expect(standIn.checkouts()).toEqual([]);
  });
});

describe('resets by interval on the stand-in clock', () => {
  const env = useStandIn();

  it('gives the free plan its 8,000 credits back after a month, and keeps top-up credits', async () => {
    env.standIn.seedCustomer('u', { remaining: 0, topUpCredits: 40000 });
    await env.autumn.track({ customerId: 'u', featureId: FEATURE, value: 15000 });
    expect(env.standIn.balance('u')).toMatchObject({ remaining: 25000 });

    env.standIn.clock.advance(30 * DAY);
    expect(env.standIn.balance('u').remaining).toBe(25000); // Jan 31: not yet
    env.standIn.clock.advance(1 * DAY); // Feb 1: the reset

    const customer = await env.autumn.customers.getOrCreate({ customerId: 'u' });
    const balance = customer.balances[FEATURE]!;
    expect(balance).toMatchObject({ remaining: 33000, granted: 48000 });
    expect(balance.nextResetAt).toBe(Date.UTC(2025, 2, 1));
    expect(balance.breakdown?.find((b) => b.planId === 'credit_topup')).toMatchObject({ remaining: 25000, expiresAt: null, reset: null });
  });

  it('never expires top-up credits, however far the clock moves', async () => {
    env.standIn.seedCustomer('u', { remaining: 0, topUpCredits: 123.456 });

    env.standIn.clock.advance(3 * 365 * DAY);

    expect(env.standIn.balance('u').remaining).toBe(8000 + 123.456);
  });

  it('resets the annual plan yearly, not monthly', async () => {
    env.standIn.seedCustomer('u', { planId: 'pro_annual', usage: 700000 });

    env.standIn.clock.advance(200 * DAY);
    expect(env.standIn.balance('u').remaining).toBe(20000);
    env.standIn.clock.set(Date.UTC(2026, 0, 1));
    expect(env.standIn.balance('u').remaining).toBe(720000);
  });

  it('resets the overage of a monthly plan too', async () => {
    env.standIn.seedCustomer('u', { planId: 'pro_monthly', remaining: 0 });
    await env.autumn.track({ customerId: 'u', featureId: FEATURE, value: 500 });
    expect(env.standIn.balance('u')).toMatchObject({ remaining: 0, usage: 60500 });

    env.standIn.clock.advance(31 * DAY);

    expect(env.standIn.balance('u')).toMatchObject({ remaining: 60000, usage: 0 });
  });

  it('keeps the day of the month of the cycle (Jan 31 → Feb 28 → Mar 31)', async () => {
    env.standIn.clock.set(Date.UTC(2025, 0, 31, 12));
    env.standIn.seedCustomer('u');

    const first = await post(env.standIn, 'customers.get_or_create', { customer_id: 'u' });
    env.standIn.clock.set(Date.UTC(2025, 1, 28, 12));
    const second = await post(env.standIn, 'customers.get_or_create', { customer_id: 'u' });

    expect(first.body.balances[FEATURE].next_reset_at).toBe(Date.UTC(2025, 1, 28, 12));
    expect(second.body.balances[FEATURE].next_reset_at).toBe(Date.UTC(2025, 2, 31, 12));
  });
});
