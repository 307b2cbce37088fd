import { AutumnError } from 'autumn-js';
import { describe, expect, it } from 'vitest';
import { defaultCreditsConfig, defineCredits } from '../../src/core/config.js';
import { normalizeCustomer } from '../../src/core/customer.js';
import { createAutumnStandIn, STAND_IN_EPOCH } from '../../src/testing.js';
import { post, rejection, useStandIn } from './helpers.js';

const FEATURE = defaultCreditsConfig.featureId;

describe('given the real autumn-js SDK against the stand-in', () => {
  const env = useStandIn();

  describe('customers.get_or_create', () => {
    it('creates a new customer on the default plan with its included credits', async () => {
      const customer = await env.autumn.customers.getOrCreate({ customerId: 'user_1', name: 'Ada', email: 'ada@example.com' });

      expect(customer.id).toBe('user_1');
      expect(customer.name).toBe('Ada');
      expect(customer.email).toBe('ada@example.com');
      expect(customer.subscriptions.map((s) => s.planId)).toEqual(['free']);
      const balance = customer.balances[FEATURE]!;
      expect(balance).toMatchObject({ featureId: FEATURE, granted: 8000, remaining: 8000, usage: 0, unlimited: false, overageAllowed: false });
      expect(balance.nextResetAt).toBe(Date.UTC(2025, 1, 1));
      expect(balance.feature).toBeUndefined();
      expect(balance.breakdown).toEqual([
        expect.objectContaining({ planId: 'free', includedGrant: 8000, prepaidGrant: 0, remaining: 8000, usage: 0, expiresAt: null }),
      ]);
      expect(balance.breakdown![0]!.reset).toEqual({ interval: 'month', intervalCount: 1, resetsAt: Date.UTC(2025, 1, 1) });
    });

    it('returns the same customer the second time, with its usage', async () => {
      await env.autumn.customers.getOrCreate({ customerId: 'user_1' });
      await env.autumn.track({ customerId: 'user_1', featureId: FEATURE, value: 12.5 });

      const again = await env.autumn.customers.getOrCreate({ customerId: 'user_1', name: 'Late name' });

      expect(again.balances[FEATURE]).toMatchObject({ remaining: 7987.5, usage: 12.5 });
      expect(again.name).toBe('Late name');
      expect(env.standIn.balance('user_1').remaining).toBe(7987.5);
    });

    it('expands balances.feature for the React client (what its local check() needs)', async () => {
      const customer = await env.autumn.customers.getOrCreate({ customerId: 'user_1', expand: ['balances.feature'] });

      expect(customer.balances[FEATURE]!.feature).toMatchObject({ id: FEATURE, type: 'metered', consumable: true });
      expect(customer.flags).toEqual({});
    });

    it('puts the customer on a free auto_enable_plan_id, and refuses a paid one as Autumn does', async () => {
      const free = await env.autumn.customers.getOrCreate({ customerId: 'free_1', autoEnablePlanId: 'free' });
      const paid = await rejection(env.autumn.customers.getOrCreate({ customerId: 'pro_1', autoEnablePlanId: 'pro_monthly' }));

      expect(free.balances[FEATURE]).toMatchObject({ granted: 8000, overageAllowed: false });
      expect([paid.statusCode, JSON.parse(paid.body).code]).toEqual([400, 'invalid_request']);
    });
  });

  describe('the kit’s own normalization', () => {
    it('reads the stand-in’s customer, SDK (camelCase) and wire (snake_case) alike', async () => {
      env.standIn.seedCustomer('u', { planId: 'pro_monthly', remaining: 100, topUpCredits: 40000 });

      const viaSdk = normalizeCustomer(await env.autumn.customers.getOrCreate({ customerId: 'u' }));
      const viaWire = normalizeCustomer((await post(env.standIn, 'customers.get_or_create', { customer_id: 'u' })).body);

      expect(viaSdk).toMatchObject({ status: 'ready', remaining: 40100, granted: 100000, overageAllowed: true, source: 'autumn-1.x' });
      expect(viaSdk.grants.map((grant) => [grant.planId, grant.remaining, grant.interval])).toEqual([
        ['pro_monthly', 100, 'month'],
        ['credit_topup', 40000, null],
      ]);
      expect(viaWire).toMatchObject({ remaining: 40100, granted: 100000, nextResetAt: viaSdk.nextResetAt });
    });
  });

  describe('customers.get', () => {
    it('answers 404 customer_not_found for an unknown customer, as Autumn does', async () => {
      const error = await rejection(env.autumn.customers.get({ customerId: 'nobody' }));

      expect(error).toBeInstanceOf(AutumnError);
      expect(error.statusCode).toBe(404);
      expect(JSON.parse(error.body)).toMatchObject({ code: 'customer_not_found', message: 'Customer nobody not found' });
    });
  });

  describe('authentication', () => {
    it('answers 401 without an Authorization header', async () => {
      const response = await post(env.standIn, 'customers.get_or_create', { customer_id: 'x' }, {});

      expect(response.status).toBe(401);
      expect(response.body.code).toBe('no_secret_key');
    });

    it('answers 401 invalid_secret_key to an SDK with the wrong key', async () => {
      const { Autumn } = await import('autumn-js');
      const wrong = new Autumn({ secretKey: 'am_sk_test_wrong', serverURL: env.standIn.url, failOpen: false });

      const error = await rejection(wrong.customers.getOrCreate({ customerId: 'x' }));

      expect(error.statusCode).toBe(401);
      expect(JSON.parse(error.body).code).toBe('invalid_secret_key');
    });

    it('answers 404 for a route it does not implement, in Autumn error shape', async () => {
      const response = await post(env.standIn, 'invoices.void', {});

      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ code: 'not_found' });
    });

    it('answers 400 invalid_inputs for a body that is not JSON', async () => {
      const response = await fetch(`${env.standIn.url}/v1/balances.check`, {
        method: 'POST',
        headers: { authorization: `Bearer ${env.standIn.secretKey}` },
        body: '{not json',
      });

      expect(response.status).toBe(400);
      expect((await response.json()).code).toBe('invalid_inputs');
    });
  });
});

describe('given a stand-in without a server', () => {
  it('serves the same protocol through its fetch function', async () => {
    const standIn = createAutumnStandIn();
    const response = await standIn.fetch('http://autumn.stand-in/v1/customers.get_or_create', {
      method: 'POST',
      headers: { authorization: `Bearer ${standIn.secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ customer_id: 'u' }),
    });

    expect(response.status).toBe(200);
    expect((await response.json()).balances.ai_credits.remaining).toBe(8000);
    expect(Math.abs(standIn.clock.now() - Date.now())).toBeLessThan(60_000); // real time by default
    expect(createAutumnStandIn({ now: STAND_IN_EPOCH }).clock.now()).toBe(STAND_IN_EPOCH);
  });

  it('takes its plans from a custom credits config', () => {
    const config = defineCredits({
      featureId: 'tokens',
      plans: [{ id: 'starter', name: 'Starter', kind: 'free', price: 0, credits: 50, interval: 'month', isDefault: true }],
    });
    const standIn = createAutumnStandIn({ config });
    standIn.seedCustomer('c1');

    expect(standIn.balance('c1')).toEqual({ granted: 50, remaining: 50, usage: 0, unlimited: false, overageAllowed: false });
  });

  it('seeds customers on a plan, with remaining or usage and top-up credits', () => {
    const standIn = createAutumnStandIn();
    standIn.seedCustomer('a', { remaining: 10 });
    standIn.seedCustomer('b', { planId: 'pro_monthly', usage: 1000, topUpCredits: 500 });

    expect(standIn.balance('a')).toMatchObject({ granted: 8000, remaining: 10, usage: 7990 });
    expect(standIn.balance('b')).toMatchObject({ granted: 60500, remaining: 59500, usage: 1000, overageAllowed: true });
    expect(() => standIn.seedCustomer('c', { remaining: 1, usage: 1 })).toThrow(/not both/);
    expect(() => standIn.balance('nobody')).toThrow(/unknown customer/);
  });
});
