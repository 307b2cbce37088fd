/**
 * The stand-in's own side of billing controls — its helpers (`webhooks()`, `invoices()`, the seed's `paymentMethod`,
 * `entityFeatures`, the auto top-up's delay) and what it refuses because it does not model it. What Autumn does under
 * each control is in test/conformance/billing-controls.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { defaultCreditsConfig } from '../../src/core/config.js';
import { createAutumnStandIn, STAND_IN_EPOCH } from '../../src/testing.js';
import { post, useStandIn } from './helpers.js';

const FEATURE = defaultCreditsConfig.featureId;
const AUTO_TOP_UP = { featureId: FEATURE, enabled: true, threshold: 2_000, quantity: 40_000 };

describe('given billing controls on the stand-in', () => {
  const env = useStandIn();
  const update = (body: Record<string, unknown>) => post(env.standIn, 'customers.update', { customer_id: 'u', ...body });

  describe('what it does not model', () => {
    it('refuses overage_allowed, alert bases other than "balance", alert filters and unmodelled customer fields, by name', async () => {
      env.standIn.seedCustomer('u');

      const answers = await Promise.all([
        update({ billing_controls: { overage_allowed: [{ feature_id: FEATURE, enabled: true }] } }),
        update({ billing_controls: { usage_alerts: [{ threshold: 1, threshold_type: 'usage', basis: 'included' }] } }),
        update({ billing_controls: { usage_alerts: [{ threshold: 1, threshold_type: 'usage', filter: { properties: { a: 'b' } } }] } }),
        update({ new_customer_id: 'v' }),
      ]);

      expect(answers.map(({ status, body }) => [status, body.code, body.message])).toEqual([
        [400, 'invalid_request', 'The Autumn stand-in does not model billing_controls.overage_allowed'],
        [400, 'invalid_request', 'The Autumn stand-in does not model usage alerts with basis "included" (only "balance")'],
        [400, 'invalid_request', 'The Autumn stand-in does not model usage alerts with a filter'],
        [400, 'invalid_request', 'The Autumn stand-in does not model customers.update new_customer_id'],
      ]);
    });

    it('accepts the "balance" basis autumn-js sends by default', async () => {
      env.standIn.seedCustomer('u');

      await env.autumn.customers.update({ customerId: 'u', billingControls: { usageAlerts: [{ threshold: 10, thresholdType: 'usage' }] } });

      expect((await env.autumn.customers.get({ customerId: 'u' })).billingControls?.usageAlerts?.[0]).toMatchObject({ threshold: 10, basis: 'balance' });
    });

    it('creates no entity for a feature it was not told about (entityFeatures, default none)', async () => {
      env.standIn.seedCustomer('u');

      const { status, body } = await post(env.standIn, 'entities.create', { customer_id: 'u', entity_id: 'm1', feature_id: 'seats' });

      expect([status, body.code]).toEqual([404, 'feature_not_found']);
    });

    it('lets 0.x (API 1.2) clients name entities it has never seen, as Autumn 1.2 creates them', async () => {
      env.standIn.seedCustomer('u');

      const { status, body } = await post(
        env.standIn,
        'check',
        { customer_id: 'u', feature_id: FEATURE, entity_id: 'ghost' },
        { authorization: `Bearer ${env.standIn.secretKey}`, 'x-api-version': '1.2' },
      );

      expect([status, body.allowed, body.entity_id]).toEqual([200, true, 'ghost']);
    });
  });

  describe('auto top-ups', () => {
    it('buys with the card of a seeded customer, records the invoice, and forgets it all at reset', async () => {
      env.standIn.seedCustomer('u', { remaining: 3_000, paymentMethod: true, topUpCredits: 1 });
      await env.autumn.customers.update({ customerId: 'u', billingControls: { autoTopups: [AUTO_TOP_UP] } });

      await env.autumn.track({ customerId: 'u', featureId: FEATURE, value: 1_500 });
      env.standIn.flush();

      expect(env.standIn.balance('u').remaining).toBe(41_501);
      expect(env.standIn.invoices('u')).toEqual([
        { stripeId: expect.stringMatching(/^in_test_/), planIds: ['credit_topup'], status: 'paid', total: 10, currency: 'usd', createdAt: STAND_IN_EPOCH },
      ]);
      expect(env.standIn.webhooks().map((webhook) => webhook.type)).toEqual(['billing.auto_topup_succeeded']);

      env.standIn.reset();
      expect(env.standIn.webhooks()).toEqual([]);
    });

    it('waits autoTopUpDelayMs on either clock: the track answers first, the top-up lands after', async () => {
      const standIn = createAutumnStandIn({ now: STAND_IN_EPOCH, autoTopUpDelayMs: 60_000, autoCompleteCheckout: true });
      standIn.seedCustomer('u', { remaining: 3_000, topUpCredits: 1 });
      const call = (route: string, body: Record<string, unknown>) =>
        standIn.handle(
          new Request(`${standIn.origin}/v1/${route}`, {
            method: 'POST',
            headers: { authorization: `Bearer ${standIn.secretKey}`, 'content-type': 'application/json' },
            body: JSON.stringify(body),
          }),
        );
      await call('customers.update', {
        customer_id: 'u',
        billing_controls: { auto_topups: [{ feature_id: FEATURE, enabled: true, threshold: 2_000, quantity: 40_000 }] },
      });

      const tracked = await (await call('balances.track', { customer_id: 'u', feature_id: FEATURE, value: 1_500 })).json();
      expect(tracked.balance.remaining).toBe(1_501);
      standIn.clock.advance(59_999);
      expect(standIn.balance('u').remaining).toBe(1_501);
      standIn.clock.advance(1);
      expect(standIn.balance('u').remaining).toBe(41_501);
    });

    it('fails as Autumn does for a customer with no card and nothing bought (customer_unavailable)', async () => {
      env.standIn.seedCustomer('u', { remaining: 100 });
      await env.autumn.customers.update({ customerId: 'u', billingControls: { autoTopups: [AUTO_TOP_UP] } });
      env.standIn.flush();

      expect(env.standIn.webhooks('billing.auto_topup_failed').map((webhook) => webhook.data.reason)).toEqual(['customer_unavailable']);
      expect(env.standIn.balance('u').remaining).toBe(100);
    });
  });

  describe('what a helper reads back', () => {
    it('answers a member cap with its usage, and the webhooks a refused member caused', async () => {
      env.standIn.seedCustomer('org');
      await env.autumn.customers.update({
        customerId: 'org',
        billingControls: { usageLimits: [{ featureId: FEATURE, limit: 100, interval: 'day', filter: { properties: { user_id: 'ada' } } }] },
      });

      await env.autumn.track({ customerId: 'org', featureId: FEATURE, value: 150, properties: { user_id: 'ada' } });
      const check = await env.autumn.check({ customerId: 'org', featureId: FEATURE, requiredBalance: 1, properties: { user_id: 'ada' } });
      const customer = await env.autumn.customers.get({ customerId: 'org' });

      expect(check.allowed).toBe(false);
      expect(check.balance?.remaining).toBe(7_900);
      expect(customer.billingControls?.usageLimits).toEqual([
        { featureId: FEATURE, enabled: true, limit: 100, interval: 'day', filter: { properties: { user_id: 'ada' } }, usage: 100, source: 'customer' },
      ]);
      expect(env.standIn.webhooks('balances.limit_reached')).toEqual([
        {
          type: 'balances.limit_reached',
          data: { customer_id: 'org', feature_id: FEATURE, limit_type: 'usage_limit', filter: { properties: { user_id: 'ada' } } },
          createdAt: STAND_IN_EPOCH,
        },
      ]);
    });
  });
});
