import { describe, expect, it } from 'vitest';
import { defaultCreditsConfig } from '../../src/core/config.js';
import { createAutumnStandIn } from '../../src/testing.js';
import { post, rejection, useStandIn } from './helpers.js';

const FEATURE = defaultCreditsConfig.featureId;

describe('balances.check', () => {
  const env = useStandIn();

  it('allows a required balance the customer has, and changes nothing', async () => {
    env.standIn.seedCustomer('u', { remaining: 100 });

    const result = await env.autumn.check({ customerId: 'u', featureId: FEATURE, requiredBalance: 100 });

    expect(result.allowed).toBe(true);
    expect(result.customerId).toBe('u');
    expect(result.requiredBalance).toBe(100);
    expect(result.balance).toMatchObject({ featureId: FEATURE, remaining: 100, granted: 8000 });
    expect(env.standIn.balance('u').remaining).toBe(100);
  });

  it('refuses a required balance above the remaining credits', async () => {
    env.standIn.seedCustomer('u', { remaining: 99.5 });

    const result = await env.autumn.check({ customerId: 'u', featureId: FEATURE, requiredBalance: 99.6 });

    expect(result.allowed).toBe(false);
  });

  it('needs 1 credit when no required_balance is given', async () => {
    env.standIn.seedCustomer('u', { remaining: 0.5 });

    expect((await env.autumn.check({ customerId: 'u', featureId: FEATURE })).allowed).toBe(false);
  });

  it('deducts the required balance and records an event with send_event', async () => {
    env.standIn.seedCustomer('u', { remaining: 10 });

    const result = await env.autumn.check({
      customerId: 'u',
      featureId: FEATURE,
      requiredBalance: 2.25,
      sendEvent: true,
      properties: { thread_id: 't1' },
    });

    expect(result.allowed).toBe(true);
    expect(result.balance?.remaining).toBe(7.75);
    expect(env.standIn.events('u')).toEqual([expect.objectContaining({ featureId: FEATURE, value: 2.25, properties: { thread_id: 't1' } })]);
  });

  it('does not deduct with send_event when refused', async () => {
    env.standIn.seedCustomer('u', { remaining: 1 });

    await env.autumn.check({ customerId: 'u', featureId: FEATURE, requiredBalance: 5, sendEvent: true });

    expect(env.standIn.balance('u').remaining).toBe(1);
    expect(env.standIn.events('u')).toEqual([]);
  });

  it('always allows on a plan with an overage price', async () => {
    env.standIn.seedCustomer('pro', { planId: 'pro_monthly', remaining: 0 });

    const result = await env.autumn.check({ customerId: 'pro', featureId: FEATURE, requiredBalance: 1000 });

    expect(result.allowed).toBe(true);
    expect(result.balance?.overageAllowed).toBe(true);
  });

  it('answers 404 customer_not_found for an unknown customer', async () => {
    const error = await rejection(env.autumn.check({ customerId: 'ghost', featureId: FEATURE }));

    expect(error.statusCode).toBe(404);
    expect(JSON.parse(error.body)).toMatchObject({ code: 'customer_not_found', message: 'Customer ghost not found' });
  });

  it('answers 404 feature_not_found for an unknown feature', async () => {
    env.standIn.seedCustomer('u');

    const error = await rejection(env.autumn.check({ customerId: 'u', featureId: 'gpu_minutes' }));

    expect(error.statusCode).toBe(404);
    expect(JSON.parse(error.body)).toMatchObject({ code: 'feature_not_found', message: 'Feature gpu_minutes not found' });
  });
});

describe('balances.track', () => {
  const env = useStandIn();

  it('deducts fractional values exactly', async () => {
    env.standIn.seedCustomer('u');

    for (let i = 0; i < 10; i += 1) await env.autumn.track({ customerId: 'u', featureId: FEATURE, value: 0.1 });
    const last = await env.autumn.track({ customerId: 'u', featureId: FEATURE, value: 0.000001 });

    expect(last.balance).toMatchObject({ usage: 1.000001, remaining: 7998.999999 });
    expect(env.standIn.balance('u')).toMatchObject({ usage: 1.000001, remaining: 7998.999999 });
  });

  it('caps at the remaining balance by default (overage_behavior cap), recording the tracked value', async () => {
    env.standIn.seedCustomer('u', { remaining: 3 });

    const result = await env.autumn.track({ customerId: 'u', featureId: FEATURE, value: 5, properties: { thread_id: 't' } });

    expect(result.value).toBe(5);
    expect(result.balance).toMatchObject({ remaining: 0, usage: 8000 });
    expect(result.deductions).toEqual([expect.objectContaining({ featureId: FEATURE, planId: 'free', value: 3 })]);
    expect(env.standIn.events('u').map((event) => event.value)).toEqual([5]);
  });

  it('deducts it all with overage_behavior overflow: remaining floors at 0, usage counts past the grant', async () => {
    env.standIn.seedCustomer('u', { remaining: 3 });

    const result = await env.autumn.track({ customerId: 'u', featureId: FEATURE, value: 5, overageBehavior: 'overflow' });

    expect(result.balance).toMatchObject({ granted: 8000, remaining: 0, usage: 8002 });
  });

  it('bills overage on a plan with an overage price even when capped', async () => {
    env.standIn.seedCustomer('pro', { planId: 'pro_monthly', remaining: 10 });

    const result = await env.autumn.track({ customerId: 'pro', featureId: FEATURE, value: 25 });

    expect(result.balance).toMatchObject({ granted: 60000, remaining: 0, usage: 60015, overageAllowed: true });
    expect(result.balance?.breakdown?.[0]?.price).toMatchObject({ billingMethod: 'usage_based', amount: 0.00025, maxPurchase: null });
  });

  it('uses the plan credits before the top-up credits', async () => {
    env.standIn.seedCustomer('u', { remaining: 5, topUpCredits: 100 });

    const result = await env.autumn.track({ customerId: 'u', featureId: FEATURE, value: 8 });

    const [plan, topUp] = result.balance!.breakdown!;
    expect(plan).toMatchObject({ planId: 'free', remaining: 0 });
    expect(topUp).toMatchObject({ planId: 'credit_topup', prepaidGrant: 100, remaining: 97, reset: null, expiresAt: null });
    expect(result.deductions?.map((d) => d.value)).toEqual([5, 3]);
  });

  it('gives credits back for a negative value', async () => {
    env.standIn.seedCustomer('u', { remaining: 5 });

    const result = await env.autumn.track({ customerId: 'u', featureId: FEATURE, value: -2.5 });

    expect(result.balance?.remaining).toBe(7.5);
  });

  it('answers 202 with JSON for async tracking, and applies it once the queue has run', async () => {
    env.standIn.seedCustomer('u');

    const raw = await post(env.standIn, 'balances.track', { customer_id: 'u', feature_id: FEATURE, value: 4, async: true });
    const viaSdk = await env.autumn.track({ customerId: 'u', featureId: FEATURE, value: 1, async: true });

    expect(raw).toEqual({ status: 202, body: { customer_id: 'u', value: 4, balance: null } });
    expect(viaSdk).toMatchObject({ customerId: 'u', value: 1, balance: null });
    expect(env.standIn.balance('u').usage).toBe(0); // queued, as on Autumn
    env.standIn.flush();
    expect(env.standIn.balance('u').usage).toBe(5);
  });

  it('tracks 1 credit when no value is given; an event_name is not a feature id', async () => {
    env.standIn.seedCustomer('u');

    await env.autumn.track({ customerId: 'u', featureId: FEATURE });
    const byName = await rejection(env.autumn.track({ customerId: 'u', eventName: FEATURE, value: 2 }));

    expect(env.standIn.balance('u').usage).toBe(1);
    expect(byName.statusCode).toBe(404);
  });

  it('answers 404 for an unknown customer or feature, and 400 for a bad value or behaviour', async () => {
    env.standIn.seedCustomer('u');

    const customer = await rejection(env.autumn.track({ customerId: 'ghost', featureId: FEATURE, value: 1 }));
    const feature = await rejection(env.autumn.track({ customerId: 'u', featureId: 'nope', value: 1 }));
    const value = await post(env.standIn, 'balances.track', { customer_id: 'u', feature_id: FEATURE, value: 'ten' });
    const behavior = await post(env.standIn, 'balances.track', { customer_id: 'u', feature_id: FEATURE, overage_behavior: 'maybe' });

    expect([customer.statusCode, JSON.parse(customer.body).code]).toEqual([404, 'customer_not_found']);
    expect([feature.statusCode, JSON.parse(feature.body).code]).toEqual([404, 'feature_not_found']);
    expect([value.status, value.body.code]).toEqual([400, 'invalid_inputs']);
    expect([behavior.status, behavior.body.code]).toEqual([400, 'invalid_inputs']);
    expect(env.standIn.balance('u').usage).toBe(0);
  });
});

describe('given autoCreateCustomers', () => {
  it('creates an unknown customer on the default plan on track', async () => {
    const standIn = createAutumnStandIn({ autoCreateCustomers: true });
    const response = await standIn.fetch('http://autumn.stand-in/v1/balances.track', {
      method: 'POST',
      headers: { authorization: `Bearer ${standIn.secretKey}` },
      body: JSON.stringify({ customer_id: 'new', feature_id: FEATURE, value: 1 }),
    });

    expect(response.status).toBe(200);
    expect(standIn.balance('new').remaining).toBe(7999);
  });
});

describe('exact money', () => {
  it('keeps 2,000 deductions of 0.1 and 0.2 exact (integer units, no float drift)', () => {
    const standIn = createAutumnStandIn();
    standIn.seedCustomer('u', { planId: 'pro_monthly' });
    // Through the fetch handler, to keep it fast.
    const requests: Promise<Response>[] = [];
    for (let i = 0; i < 2000; i += 1) {
      requests.push(
        standIn.fetch('http://autumn.stand-in/v1/balances.track', {
          method: 'POST',
          headers: { authorization: `Bearer ${standIn.secretKey}` },
          body: JSON.stringify({ customer_id: 'u', feature_id: FEATURE, value: i % 2 === 0 ? 0.1 : 0.2 }),
        }),
      );
    }
    return Promise.all(requests).then(() => {
      expect(standIn.balance('u').usage).toBe(300);
      expect(standIn.balance('u').remaining).toBe(59700);
    });
  });
});
