/**
 * Conformance: billing controls — `billing_controls` set by `customers.update` / `entities.update` (auto top-ups,
 * spend limits, usage limits, usage alerts) and what `check`, `track`, locks and finalize do under each, driven
 * through the real autumn-js 1.3.13 client (it sends `x-api-version: 2.4.0`). Autumn source read at
 * useautumn/autumn 187c0a7f; each scenario names the test or source its expectation comes from.
 *
 * Autumn's tests wait for queue workers and webhooks (20–40 s for an auto top-up, Svix Play for webhooks); here
 * `flush()` is the wait and `webhooks()` is what Svix would have received.
 *
 * Ported with changes:
 * - Autumn's fixtures use `messages` and, for auto top-ups, a one-off prepaid product of 100 per pack at $10; here the
 *   feature is the kit's `ai_credits` and the packs are the `topup100` / `topup1000` plans below. Autumn's
 *   `apiKeyId` filter property is the kit's member property `user_id`.
 * - Autumn's spend-limit fixtures combine a lifetime or prepaid grant with a consumable item; the stand-in's usage-based
 *   plan is one grant with an overage price (`consumable100`), so the numbers are the same with 100 included.
 * - auto-topup-rebalance-1 lets a lifetime grant go into overage with the `overage_allowed` control, which the
 *   stand-in does not model; the overage here comes from the usage-based plan (the paydown rule is the same).
 *
 * Not ported (not modelled by the stand-in): plan-level billing-control defaults (`source: "plan"`, most-restrictive
 * merge across plans), `overage_allowed`, credit systems (caps on a member feature converted through credit costs),
 * `max_purchase`, rollovers, pooled / per-entity plan grants, Redis/Postgres cache parity (`skip_cache`), failing
 * cards (charge_failed, suspension after failures), org-level usage alerts, the `limit_reached` webhook's
 * `max_purchase` type, and usage-alert `basis` other than "balance" (autumn-js 1.3.13 knows a newer Autumn than the
 * source read; see docs/testing.md).
 */
import { describe, expect } from 'vitest';
import type { CreditPlan, CreditsConfig } from '../../src/core/config.js';
import { DAY } from '../testing/helpers.js';
import { CONFORMANCE_CONFIG, FEATURE, post, rejection, scenario, seed, useConformance, waitForEvents } from './harness.js';

const BILLING_CONTROLS = 'server/tests/integration/crud/customers/customer-billing-controls.test.ts';
const CUSTOMER_CONTROLS_SCHEMA = 'shared/models/cusModels/billingControls/customerBillingControls.ts';
const USAGE_WINDOW_API = 'server/tests/integration/balances/usage-windows/usage-window-api.test.ts';
const USAGE_WINDOW_CHECK = 'server/tests/integration/balances/usage-windows/usage-window-check.test.ts';
const USAGE_WINDOW_ENFORCEMENT = 'server/tests/integration/balances/usage-windows/usage-window-enforcement.test.ts';
const USAGE_WINDOW_LOCK = 'server/tests/integration/balances/usage-windows/usage-window-lock.test.ts';
const USAGE_WINDOW_PERSISTENCE = 'server/tests/integration/balances/usage-windows/usage-window-persistence.test.ts';
const USAGE_WINDOW_RESET = 'server/tests/integration/balances/usage-windows/usage-window-reset.test.ts';
const USAGE_LIMIT_FILTER = 'server/tests/_temp/usage-limit-property-filter.test.ts';
const DEDUCTION_LUA = 'server/src/_luaScriptsV2/fullSubjectDeduction/runDeductionOnContextV2.lua';
const SPEND_TRACK = 'server/tests/integration/balances/track/spend-limit/track-customer-spend-limit.test.ts';
const SPEND_CHECK = 'server/tests/integration/balances/check/spend-limit/check-customer-spend-limit.test.ts';
const SPEND_PERCENT = 'server/tests/integration/balances/track/spend-limit/track-customer-spend-limit-percentage.test.ts';
const AUTO_TOPUP_BASIC = 'server/tests/integration/balances/auto-topup/auto-topup-basic.test.ts';
const AUTO_TOPUP_LIMITS = 'server/tests/integration/balances/auto-topup/auto-topup-limits.test.ts';
const AUTO_TOPUP_TRIGGER = 'server/tests/integration/balances/auto-topup/auto-topup-trigger.test.ts';
const AUTO_TOPUP_ON_ENABLED = 'server/tests/integration/balances/auto-topup/auto-topup-on-enabled.test.ts';
const AUTO_TOPUP_REBALANCE = 'server/tests/integration/balances/auto-topup/auto-topup-rebalance.test.ts';
const AUTO_TOPUP_SETUP = 'server/src/internal/balances/autoTopUp/setup/setupAutoTopupContext.ts';
const USAGE_ALERT_BASIC = 'server/tests/integration/balances/track/usage-alerts/usage-alert-basic.test.ts';
const ENTITY_USAGE_WINDOW = 'server/tests/integration/balances/usage-windows/entities/entity-usage-window-enforcement.test.ts';

/**
 * The conformance plans, none of them a default (a customer starts with no grant, as on Autumn before an attach),
 * plus two one-off prepaid packs shaped like Autumn's auto top-up fixtures (`items.oneOffMessages({ billingUnits,
 * price: 10 })`). `topup100` comes first: `seedCustomer({ topUpCredits })` buys from the first top-up plan.
 */
const pack = (id: string, credits: number): CreditPlan => ({ id, name: id, kind: 'top_up', price: 10, credits, interval: 'one_off' });
const BILLING_CONFIG: CreditsConfig = {
  ...CONFORMANCE_CONFIG,
  plans: [pack('topup100', 100), pack('topup1000', 1000), ...CONFORMANCE_CONFIG.plans.map((plan) => ({ ...plan, isDefault: false }))],
};

/** HTTP status and Autumn error body of a failed SDK call. */
async function apiError(promise: Promise<unknown>): Promise<{ status: number; body: any }> {
  const error = await rejection(promise);
  return { status: error.statusCode, body: JSON.parse(error.body) };
}

type Env = ReturnType<typeof useConformance>;
type UpdateParams = Parameters<Env['autumn']['customers']['update']>[0];
type Controls = NonNullable<UpdateParams['billingControls']>;

function controlsOf(env: Env) {
  return {
    set: (customerId: string, billingControls: Controls) => env.autumn.customers.update({ customerId, billingControls }),
    get: async (customerId: string) => (await env.autumn.customers.get({ customerId })).billingControls,
    /** The usage_limits entry for the credit feature with this filter (undefined: the unfiltered one). */
    usageLimit: async (customerId: string, filter?: Record<string, string>) => {
      const limits = (await env.autumn.customers.get({ customerId })).billingControls?.usageLimits ?? [];
      return limits.find((entry) => JSON.stringify(entry.filter?.properties ?? null) === JSON.stringify(filter ?? null));
    },
    balance: (customerId: string) => env.standIn.balance(customerId),
    /** `overage_behavior: "reject"` (autumn-js types `track` with cap | overflow only): a raw POST, as Autumn's tests send it. */
    rejectTrack: (customerId: string, value: number, entityId?: string) =>
      post(env.standIn, 'balances.track', {
        customer_id: customerId,
        feature_id: FEATURE,
        value,
        overage_behavior: 'reject',
        ...(entityId === undefined ? {} : { entity_id: entityId }),
      }),
    /** Raw POST with the stand-in's key (an extra header, e.g. another x-api-version). */
    raw: (route: string, body: unknown, headers: Record<string, string> = {}) =>
      post(env.standIn, route, body, { authorization: `Bearer ${env.standIn.secretKey}`, ...headers }),
  };
}

const monthly = (limit: number, extra: Record<string, unknown> = {}) => ({ featureId: FEATURE, limit, interval: 'month' as const, ...extra });

// ------------------------------------------------------------------ setting controls

describe('billing controls: customers.update', () => {
  const env = useConformance({ config: BILLING_CONFIG });
  const c = controlsOf(env);

  scenario(
    'BC1',
    `${BILLING_CONTROLS} — "update spend limits without clearing other billing controls", "updating usage alerts does not unset spend limits or auto topups", "clearing usage alerts with empty array"`,
    'each list given replaces the stored one, the others are kept; [] clears one; answers tag each entry source "customer" (2.3+)',
    async () => {
      const id = seed(env.standIn, 'free100');

      await c.set(id, { autoTopups: [{ featureId: FEATURE, enabled: true, threshold: 20, quantity: 100 }] });
      const updated = await c.set(id, { spendLimits: [{ featureId: FEATURE, enabled: true, overageLimit: 25 }] });
      await c.set(id, { usageAlerts: [{ featureId: FEATURE, threshold: 90, thresholdType: 'usage_percentage', enabled: true }] });

      expect(updated.billingControls).toEqual({
        autoTopups: [{ featureId: FEATURE, enabled: true, threshold: 20, quantity: 100, source: 'customer' }],
        spendLimits: [{ featureId: FEATURE, enabled: true, overageLimit: 25, source: 'customer' }],
      });
      expect(await c.get(id)).toEqual({
        autoTopups: [{ featureId: FEATURE, enabled: true, threshold: 20, quantity: 100, source: 'customer' }],
        spendLimits: [{ featureId: FEATURE, enabled: true, overageLimit: 25, source: 'customer' }],
        usageAlerts: [{ featureId: FEATURE, enabled: true, threshold: 90, thresholdType: 'usage_percentage', basis: 'balance', source: 'customer' }],
      });

      await c.set(id, { usageAlerts: [] });
      expect(await c.get(id)).toMatchObject({ usageAlerts: [], spendLimits: [expect.objectContaining({ overageLimit: 25 })], autoTopups: [expect.any(Object)] });
    },
  );

  scenario(
    'BC2',
    'shared/api/customers/changes/V2.2_PlanInheritedBillingControls.ts + server/src/internal/customers/cusUtils/getApiCustomerV2/getApiCustomerBaseV2.ts',
    'on the wire: snake_case entries as stored (defaults filled in: enabled false for top-ups and spend limits, true for usage limits and alerts; interval_count 1), `source` only from 2.3',
    async () => {
      const id = seed(env.standIn, 'free100');
      const update = await c.raw('customers.update', {
        customer_id: id,
        billing_controls: {
          auto_topups: [{ feature_id: FEATURE, threshold: 20, quantity: 100, purchase_limit: { interval: 'month', limit: 3 } }],
          spend_limits: [{ feature_id: FEATURE, overage_limit: 25 }],
          usage_limits: [{ feature_id: FEATURE, limit: 50, interval: 'day', filter: { properties: { user_id: 42 } } }],
          usage_alerts: [{ threshold: 80, threshold_type: 'usage', usage: 9, unknown: true }],
        },
      });

      expect(update.status).toBe(200);
      expect(update.body.billing_controls).toEqual({
        auto_topups: [
          { feature_id: FEATURE, enabled: false, threshold: 20, quantity: 100, purchase_limit: { interval: 'month', interval_count: 1, limit: 3 }, source: 'customer' },
        ],
        spend_limits: [{ feature_id: FEATURE, enabled: false, overage_limit: 25, source: 'customer' }],
        // A filter value is kept as a string ("42" and 42 are one condition); an enabled limit answers its usage.
        usage_limits: [{ feature_id: FEATURE, enabled: true, limit: 50, interval: 'day', filter: { properties: { user_id: '42' } }, usage: 0, source: 'customer' }],
        usage_alerts: [{ enabled: true, threshold: 80, threshold_type: 'usage', source: 'customer' }],
      });

      const older = await c.raw('customers.get', { customer_id: id }, { 'x-api-version': '2.2.0' });
      expect(older.body.billing_controls.spend_limits).toEqual([{ feature_id: FEATURE, enabled: false, overage_limit: 25 }]);
      expect(older.body.billing_controls.auto_topups[0]).not.toHaveProperty('source');
    },
  );

  scenario(
    'BC3',
    `${BILLING_CONTROLS} — "reject duplicate spend limit feature ids on create and update"; ${CUSTOMER_CONTROLS_SCHEMA} — CustomerBillingControlsParamsSchema .check`,
    'one auto top-up and one spend limit per feature, one usage limit per feature and filter: a duplicate is 400 invalid_inputs at its path',
    async () => {
      const id = seed(env.standIn, 'free100');

      const spend = await apiError(
        c.set(id, { spendLimits: [{ featureId: FEATURE, enabled: true, overageLimit: 15 }, { featureId: FEATURE, enabled: true, overageLimit: 30 }] }),
      );
      const topUps = await apiError(
        c.set(id, { autoTopups: [{ featureId: FEATURE, threshold: 1, quantity: 10 }, { featureId: FEATURE, threshold: 2, quantity: 20 }] }),
      );
      const sameFilter = await apiError(
        c.set(id, { usageLimits: [monthly(5, { filter: { properties: { user_id: '1' } } }), monthly(9, { interval: 'day', filter: { properties: { user_id: 1 } } })] }),
      );
      await c.set(id, { usageLimits: [monthly(10), monthly(5, { filter: { properties: { user_id: 'u_a' } } }), monthly(3, { filter: { properties: { user_id: 'u_b' } } })] });

      expect([spend.status, spend.body.code, spend.body.message]).toEqual([
        400,
        'invalid_inputs',
        'billing_controls.spend_limits.1.feature_id: Only one spend limit entry is allowed per feature_id',
      ]);
      expect(topUps.body.message).toBe('billing_controls.auto_topups.1.feature_id: Only one auto top-up entry is allowed per feature_id');
      expect(sameFilter.body.message).toBe('billing_controls.usage_limits.1.feature_id: Only one usage limit entry is allowed per feature_id and filter');
      expect((await c.get(id))?.usageLimits).toHaveLength(3);
      expect((await c.get(id))?.spendLimits).toBeUndefined();
    },
  );

  scenario(
    'BC4',
    `${USAGE_WINDOW_API} — "usage-window-api3: usage_limits entries are validated (interval required, no one_off)"`,
    'a usage limit needs a limit and an interval of day, week, month or year: 400 invalid_inputs',
    async () => {
      const id = seed(env.standIn, 'free100');
      const send = (entry: Record<string, unknown>) => c.raw('customers.update', { customer_id: id, billing_controls: { usage_limits: [entry] } });

      const noInterval = await send({ feature_id: FEATURE, limit: 5 });
      const oneOff = await send({ feature_id: FEATURE, limit: 5, interval: 'one_off' });
      const noLimit = await send({ feature_id: FEATURE, interval: 'month' });

      expect([noInterval.status, noInterval.body.code]).toEqual([400, 'invalid_inputs']);
      expect(noInterval.body.message).toBe('billing_controls.usage_limits.0.interval: must be one of: day, week, month, year');
      expect(oneOff.body.message).toBe('billing_controls.usage_limits.0.interval: must be one of: day, week, month, year');
      expect(noLimit.body.message).toBe('billing_controls.usage_limits.0.limit: must be a number (received undefined)');
      expect(await c.get(id)).toEqual({});
    },
  );

  scenario(
    'BC5',
    `${CUSTOMER_CONTROLS_SCHEMA}, spendLimit.ts, usageLimit.ts, usageAlert.ts (schema bounds) + shared/models/cusModels/billingControls/customerBillingControls.test.ts — "allows a negative balance threshold"`,
    'bounds: quantity and purchase limit >= 1, overage and usage limits >= 0, numbers are numbers, remaining_percentage <= 100, 1..4 filter keys; a negative threshold is fine',
    async () => {
      const id = seed(env.standIn, 'free100');
      const send = (controls: Record<string, unknown>) => c.raw('customers.update', { customer_id: id, billing_controls: controls });
      const topUp = { feature_id: FEATURE, enabled: true, threshold: 20, quantity: 100 };

      const cases: Array<[Record<string, unknown>, string]> = [
        [{ auto_topups: [{ ...topUp, quantity: 0 }] }, 'billing_controls.auto_topups.0.quantity: Too small: expected number to be >=1'],
        [
          { auto_topups: [{ ...topUp, purchase_limit: { interval: 'month', limit: 0 } }] },
          'billing_controls.auto_topups.0.purchase_limit.limit: Too small: expected number to be >=1',
        ],
        [
          { auto_topups: [{ ...topUp, purchase_limit: { interval: 'year', limit: 2 } }] },
          'billing_controls.auto_topups.0.purchase_limit.interval: must be one of: hour, day, week, month',
        ],
        [{ auto_topups: [{ ...topUp, threshold: 'lots' }] }, 'billing_controls.auto_topups.0.threshold: must be a number (received string)'],
        [{ spend_limits: [{ feature_id: FEATURE, enabled: true, overage_limit: -1 }] }, 'billing_controls.spend_limits.0.overage_limit: Too small: expected number to be >=0'],
        [
          { spend_limits: [{ enabled: true, overage_limit: 10 }] },
          'billing_controls.spend_limits.0.feature_id: feature_id is required when overage_limit or skip_overage_billing is provided',
        ],
        [{ spend_limits: [{ feature_id: FEATURE, limit_type: 'usd', overage_limit: 1 }] }, 'billing_controls.spend_limits.0.limit_type: must be one of: absolute, usage_percentage'],
        [{ usage_limits: [{ feature_id: FEATURE, limit: -5, interval: 'day' }] }, 'billing_controls.usage_limits.0.limit: Too small: expected number to be >=0'],
        [
          { usage_limits: [{ feature_id: FEATURE, limit: 5, interval: 'day', filter: { properties: { a: '1', b: '2', c: '3', d: '4', e: '5' } } }] },
          'billing_controls.usage_limits.0.filter.properties: filter.properties must have between 1 and 4 keys',
        ],
        [
          { usage_alerts: [{ threshold: 150, threshold_type: 'remaining_percentage' }] },
          'billing_controls.usage_alerts.0.threshold: Threshold must be between 0 and 100 for remaining_percentage',
        ],
        [
          { auto_topups: [{ ...topUp, quantity: 0 }], usage_limits: [{ feature_id: FEATURE, limit: 5 }] },
          '[Validation Errors] billing_controls.auto_topups.0.quantity: Too small: expected number to be >=1; billing_controls.usage_limits.0.interval: must be one of: day, week, month, year',
        ],
      ];
      const answers = [];
      for (const [controls] of cases) {
        const { status, body } = await send(controls);
        answers.push([status, body.code, body.message]);
      }
      const negative = await send({ auto_topups: [{ ...topUp, threshold: -350_000, quantity: 350_000 }] });

      expect(answers).toEqual(cases.map(([, message]) => [400, 'invalid_inputs', message]));
      expect(negative.status).toBe(200);
      expect(negative.body.billing_controls.auto_topups[0]).toMatchObject({ threshold: -350_000 });
    },
  );

  scenario(
    'BC6',
    'server/src/internal/customers/actions/update/updateCustomer.ts + syncAutoTopupPurchaseLimitCounts.ts — validateAutoTopupPurchaseLimitCounts',
    'an unknown customer is 404 customer_not_found; a purchase_limit.count above its limit is 400 invalid_request, checked after the customer is found',
    async () => {
      const id = seed(env.standIn, 'free100');
      const controls = { autoTopups: [{ featureId: FEATURE, enabled: true, threshold: 20, quantity: 100, purchaseLimit: { interval: 'month' as const, limit: 2, count: 3 } }] };

      const ghost = await apiError(c.set('ghost', controls));
      const count = await apiError(c.set(id, controls));

      expect([ghost.status, ghost.body.code, ghost.body.message]).toEqual([404, 'customer_not_found', 'Customer ghost not found']);
      expect([count.status, count.body.code, count.body.message]).toEqual([
        400,
        'invalid_request',
        `purchase_limit.count (3) cannot exceed purchase_limit.limit (2) for feature ${FEATURE}`,
      ]);
    },
  );

  scenario(
    'BC7',
    `${BILLING_CONTROLS} — "create customer with spend limits" / "create customer with usage alerts" (shared/api/common/customerData.ts billing_controls)`,
    'billing controls given when the customer is created are stored with it',
    async () => {
      await env.autumn.customers.getOrCreate({
        customerId: 'cus_created',
        billingControls: { spendLimits: [{ featureId: FEATURE, enabled: true, overageLimit: 25 }] },
      });

      expect(await c.get('cus_created')).toEqual({ spendLimits: [{ featureId: FEATURE, enabled: true, overageLimit: 25, source: 'customer' }] });
    },
  );
});

// ------------------------------------------------------------------ usage limits

describe('billing controls: usage limits', () => {
  const env = useConformance({ config: BILLING_CONFIG });
  const c = controlsOf(env);

  scenario(
    'UL1',
    `${USAGE_WINDOW_API} — "usage-window-api1"; ${USAGE_WINDOW_CHECK} — "usage-window-check1: pure check respects window headroom"`,
    'the limit answers its window usage; a check beyond the headroom is refused though balance is left, and moves nothing',
    async () => {
      const id = seed(env.standIn, 'free100');
      await c.set(id, { usageLimits: [monthly(5)] });
      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 3 });

      const within = await env.autumn.check({ customerId: id, featureId: FEATURE, requiredBalance: 2 });
      const beyond = await env.autumn.check({ customerId: id, featureId: FEATURE, requiredBalance: 3 });

      expect(await c.usageLimit(id)).toEqual({ featureId: FEATURE, enabled: true, limit: 5, interval: 'month', usage: 3, source: 'customer' });
      expect(within.allowed).toBe(true);
      expect(beyond).toMatchObject({ allowed: false, requiredBalance: 3, balance: { remaining: 97, usage: 3 } });
      expect(c.balance(id)).toMatchObject({ remaining: 97, usage: 3 });
    },
  );

  scenario(
    'UL2',
    `${USAGE_WINDOW_ENFORCEMENT} — "usage-window-enforcement2: over-cap track applies what fits (clamp, not reject)"`,
    'a track over the cap applies what fits and answers 200 with the value asked; at the cap a track applies nothing',
    async () => {
      const id = seed(env.standIn, 'free100');
      await c.set(id, { usageLimits: [monthly(5)] });

      const clamped = await env.autumn.track({ customerId: id, featureId: FEATURE, value: 10 });
      expect(clamped.value).toBe(10);
      expect(clamped.balance).toMatchObject({ remaining: 95, usage: 5 });
      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 3 });

      expect(c.balance(id)).toMatchObject({ remaining: 95, usage: 5 });
      expect((await c.usageLimit(id))?.usage).toBe(5);
    },
  );

  scenario(
    'UL3',
    `${ENTITY_USAGE_WINDOW} — "ent-uw-enforce3: over-cap ... reject returns InsufficientBalance"; server/tests/integration/balances/usage-windows/pooled-balances/pooled-balance-usage-window.test.ts`,
    'overage_behavior "reject" over the cap is 400 insufficient_balance and moves nothing',
    async () => {
      const id = seed(env.standIn, 'free100');
      await c.set(id, { usageLimits: [monthly(5)] });
      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 5 });

      const error = await c.rejectTrack(id, 1);

      expect([error.status, error.body.code]).toEqual([400, 'insufficient_balance']);
      expect(c.balance(id)).toMatchObject({ remaining: 95, usage: 5 });
    },
  );

  scenario(
    'UL4',
    `${USAGE_WINDOW_ENFORCEMENT} — "usage-window-enforcement7: concurrent tracks on one window serialize, total clamped to the cap"`,
    'two concurrent tracks of 5 under a cap of 5: both succeed, 5 applied in all, and both events keep the value asked',
    async () => {
      const id = seed(env.standIn, 'free100');
      await c.set(id, { usageLimits: [monthly(5)] });

      const results = await Promise.allSettled([
        env.autumn.track({ customerId: id, featureId: FEATURE, value: 5 }),
        env.autumn.track({ customerId: id, featureId: FEATURE, value: 5 }),
      ]);
      waitForEvents(env.standIn);

      expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled']);
      expect(c.balance(id)).toMatchObject({ remaining: 95, usage: 5 });
      expect((await c.usageLimit(id))?.usage).toBe(5);
      expect(env.standIn.events(id).map((event) => event.value)).toEqual([5, 5]);
    },
  );

  scenario(
    'UL5',
    `${USAGE_WINDOW_LOCK} — "usage-window-lock1: a lock consumes window headroom; an over-cap lock is rejected"`,
    'a lock counts at lock time; a lock beyond the headroom is refused and moves neither balance nor counter',
    async () => {
      const id = seed(env.standIn, 'free100');
      await c.set(id, { usageLimits: [monthly(5)] });

      const granted = await env.autumn.check({ customerId: id, featureId: FEATURE, requiredBalance: 4, lock: { enabled: true, lockId: 'lk-a' } });
      const refused = await env.autumn.check({ customerId: id, featureId: FEATURE, requiredBalance: 2, lock: { enabled: true, lockId: 'lk-b' } });

      expect([granted.allowed, refused.allowed]).toEqual([true, false]);
      expect(c.balance(id)).toMatchObject({ remaining: 96, usage: 4 });
      expect((await c.usageLimit(id))?.usage).toBe(4);
    },
  );

  scenario(
    'UL6',
    `${USAGE_WINDOW_LOCK} — "usage-window-lock2: finalize at the lock value leaves the counter unchanged", "usage-window-lock3: finalize below the lock value frees window headroom"`,
    'confirming at the lock value counts once; confirming below it gives the difference back to the window',
    async () => {
      const same = seed(env.standIn, 'free100', { id: 'cus_same' });
      const below = seed(env.standIn, 'free100', { id: 'cus_below' });
      for (const id of [same, below]) await c.set(id, { usageLimits: [monthly(5)] });

      await env.autumn.check({ customerId: same, featureId: FEATURE, requiredBalance: 3, lock: { enabled: true, lockId: 'lk-same' } });
      await env.autumn.balances.finalize({ lockId: 'lk-same', action: 'confirm' });
      await env.autumn.check({ customerId: below, featureId: FEATURE, requiredBalance: 4, lock: { enabled: true, lockId: 'lk-below' } });
      await env.autumn.balances.finalize({ lockId: 'lk-below', action: 'confirm', overrideValue: 1 });

      expect([c.balance(same).usage, (await c.usageLimit(same))?.usage]).toEqual([3, 3]);
      expect([c.balance(below).usage, (await c.usageLimit(below))?.usage]).toEqual([1, 1]);
      // The freed headroom (4) is consumable: a track of 5 clamps to 4.
      await env.autumn.track({ customerId: below, featureId: FEATURE, value: 5 });
      expect(c.balance(below)).toMatchObject({ remaining: 95, usage: 5 });
      expect((await c.usageLimit(below))?.usage).toBe(5);
    },
  );

  scenario(
    'UL7',
    `${USAGE_WINDOW_LOCK} — "usage-window-lock4: finalize above the lock value is capped at the window limit"`,
    'confirming above the lock applies only the headroom left, then the cap is exhausted',
    async () => {
      const id = seed(env.standIn, 'free100');
      await c.set(id, { usageLimits: [monthly(5)] });

      const granted = await env.autumn.check({ customerId: id, featureId: FEATURE, requiredBalance: 3, lock: { enabled: true, lockId: 'lk-over' } });
      await env.autumn.balances.finalize({ lockId: 'lk-over', action: 'confirm', overrideValue: 6 });
      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 1 });

      expect(granted.allowed).toBe(true);
      expect(c.balance(id)).toMatchObject({ remaining: 95, usage: 5 });
      expect((await c.usageLimit(id))?.usage).toBe(5);
    },
  );

  scenario(
    'UL8',
    `${USAGE_LIMIT_FILTER} — "ul-filter1: filtered cap clamps matching tracks, ignores non-matching"`,
    "a member's cap (filter on user_id) clamps only that member's tracks; another member's and property-less tracks apply in full",
    async () => {
      const id = seed(env.standIn, 'free100');
      const member = { user_id: 'u_a' };
      await c.set(id, { usageLimits: [monthly(5, { filter: { properties: member } })] });

      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 5, properties: member });
      expect(c.balance(id)).toMatchObject({ remaining: 95, usage: 5 });
      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 3, properties: member });
      expect(c.balance(id)).toMatchObject({ remaining: 95, usage: 5 });
      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 4, properties: { user_id: 'u_b' } });
      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 2 });

      expect(c.balance(id)).toMatchObject({ remaining: 89, usage: 11 });
      expect(await c.usageLimit(id, member)).toMatchObject({ filter: { properties: member }, usage: 5, limit: 5 });
    },
  );

  scenario(
    'UL9',
    `${USAGE_LIMIT_FILTER} — "ul-filter2: two filtered limits on one feature enforce independently", "ul-filter3: filtered cap coexists with an unfiltered cap on the same feature"`,
    "members' caps count apart; an unfiltered cap counts everyone's usage and still binds a member under their own cap",
    async () => {
      const two = seed(env.standIn, 'free100', { id: 'cus_two' });
      await c.set(two, { usageLimits: [monthly(5, { filter: { properties: { user_id: 'u_a' } } }), monthly(3, { filter: { properties: { user_id: 'u_b' } } })] });
      for (const [user, value] of [['u_b', 3], ['u_b', 2], ['u_a', 4]] as const) {
        await env.autumn.track({ customerId: two, featureId: FEATURE, value, properties: { user_id: user } });
      }
      expect(c.balance(two)).toMatchObject({ remaining: 93, usage: 7 });
      expect([(await c.usageLimit(two, { user_id: 'u_a' }))?.usage, (await c.usageLimit(two, { user_id: 'u_b' }))?.usage]).toEqual([4, 3]);

      const both = seed(env.standIn, 'free100', { id: 'cus_both' });
      await c.set(both, { usageLimits: [monthly(10), monthly(5, { filter: { properties: { user_id: 'u_a' } } })] });
      await env.autumn.track({ customerId: both, featureId: FEATURE, value: 5, properties: { user_id: 'u_a' } });
      await env.autumn.track({ customerId: both, featureId: FEATURE, value: 2, properties: { user_id: 'u_a' } });
      expect(c.balance(both)).toMatchObject({ remaining: 95, usage: 5 });
      await env.autumn.track({ customerId: both, featureId: FEATURE, value: 5, properties: { user_id: 'u_b' } });
      await env.autumn.track({ customerId: both, featureId: FEATURE, value: 1, properties: { user_id: 'u_b' } });
      expect(c.balance(both)).toMatchObject({ remaining: 90, usage: 10 });
      expect([(await c.usageLimit(both, { user_id: 'u_a' }))?.usage, (await c.usageLimit(both))?.usage]).toEqual([5, 10]);
    },
  );

  scenario(
    'UL10',
    `${USAGE_LIMIT_FILTER} — "ul-filter4: numeric event property matches string filter value", "ul-filter5: multi-key filter only matches when every key matches"`,
    'a numeric property matches its string filter value; a filter of several keys matches only when all match',
    async () => {
      const numeric = seed(env.standIn, 'free100', { id: 'cus_numeric' });
      await c.set(numeric, { usageLimits: [monthly(5, { filter: { properties: { user_id: '29384' } } })] });
      for (const [user, value] of [[29384, 5], [29384, 2], [99999, 4]] as const) {
        await env.autumn.track({ customerId: numeric, featureId: FEATURE, value, properties: { user_id: user } });
      }
      expect(c.balance(numeric)).toMatchObject({ remaining: 91, usage: 9 });

      const and = seed(env.standIn, 'free100', { id: 'cus_and' });
      const prod = { user_id: 'u_a', env: 'prod' };
      await c.set(and, { usageLimits: [monthly(5, { filter: { properties: prod } })] });
      await env.autumn.track({ customerId: and, featureId: FEATURE, value: 4, properties: { user_id: 'u_a', env: 'dev' } });
      await env.autumn.track({ customerId: and, featureId: FEATURE, value: 5, properties: prod });
      await env.autumn.track({ customerId: and, featureId: FEATURE, value: 2, properties: prod });
      expect(c.balance(and)).toMatchObject({ remaining: 91, usage: 9 });
      expect((await c.usageLimit(and, prod))?.usage).toBe(5);
    },
  );

  scenario(
    'UL11',
    `${USAGE_LIMIT_FILTER} — "ul-filter7: check with properties returns allowed:false when the matching filtered cap is exhausted"`,
    "a check carrying the member's properties is refused at their cap; another member's, or no properties, is allowed",
    async () => {
      const id = seed(env.standIn, 'free100');
      await c.set(id, { usageLimits: [monthly(5, { filter: { properties: { user_id: 'u_a' } } })] });
      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 5, properties: { user_id: 'u_a' } });

      const check = (properties?: Record<string, string>) =>
        env.autumn.check({ customerId: id, featureId: FEATURE, requiredBalance: 1, ...(properties ? { properties } : {}) });

      expect((await check({ user_id: 'u_a' })).allowed).toBe(false);
      expect((await check({ user_id: 'u_b' })).allowed).toBe(true);
      expect((await check()).allowed).toBe(true);
    },
  );

  scenario(
    'UL12',
    `${USAGE_WINDOW_PERSISTENCE} — "usage-window-persistence1: lowering the cap below current usage keeps the counter (clamps, no reset)"; shared/models/cusModels/billingControls/usageLimit.ts (limit >= 0 only)`,
    'a cap set below what was already used is accepted; the counter is kept and every further track clamps to 0',
    async () => {
      const id = seed(env.standIn, 'free1000');
      await c.set(id, { usageLimits: [monthly(10)] });
      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 8 });

      await c.set(id, { usageLimits: [monthly(3)] });
      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 1 });

      expect(c.balance(id)).toMatchObject({ remaining: 992, usage: 8 });
      expect(await c.usageLimit(id)).toMatchObject({ usage: 8, limit: 3 });
    },
  );

  scenario(
    'UL13',
    'apps/docs/mintlify/documentation/customers/billing-controls.mdx — "disable the limit ... raise the limit"; shared/utils/fullSubjectUtils/fullSubjectToUsageWindowLimits.ts (a disabled entry applies nothing)',
    'a disabled limit gates and counts nothing and answers no usage; enabled again it has its old count; a raised limit has new headroom',
    async () => {
      const id = seed(env.standIn, 'free100');
      await c.set(id, { usageLimits: [monthly(5)] });
      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 5 });

      await c.set(id, { usageLimits: [monthly(5, { enabled: false })] });
      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 10 });
      expect(c.balance(id).usage).toBe(15);
      expect(await c.usageLimit(id)).toEqual({ featureId: FEATURE, enabled: false, limit: 5, interval: 'month', source: 'customer' });

      await c.set(id, { usageLimits: [monthly(8)] });
      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 10 });
      expect(c.balance(id).usage).toBe(18);
      expect((await c.usageLimit(id))?.usage).toBe(8);
    },
  );

  scenario(
    'UL14',
    `${USAGE_WINDOW_RESET} — "usage-window-reset2 (cache): cached GET prunes an expired window"; shared/utils/usageWindowUtils/getUsageWindowBounds.ts`,
    'a day window rolls with the billing cycle (00:00 UTC for a plan started at midnight): the count is back to 0 the next day',
    async () => {
      const id = seed(env.standIn, 'free100');
      await c.set(id, { usageLimits: [{ featureId: FEATURE, limit: 5, interval: 'day' }] });
      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 5 });
      expect((await env.autumn.check({ customerId: id, featureId: FEATURE })).allowed).toBe(false);

      env.standIn.clock.advance(DAY);

      expect((await c.usageLimit(id))?.usage).toBe(0);
      expect((await env.autumn.check({ customerId: id, featureId: FEATURE, requiredBalance: 5 })).allowed).toBe(true);
      expect(c.balance(id)).toMatchObject({ remaining: 95, usage: 5 });
    },
  );

  scenario(
    'UL15',
    `${DEDUCTION_LUA} — "'overflow' ... punches through usage-window caps"; usageWindowContextUtilsV2.lua (the counter still counts)`,
    'overage_behavior "overflow" is not clamped by a usage limit, and what it applies still counts in the window',
    async () => {
      const id = seed(env.standIn, 'free100');
      await c.set(id, { usageLimits: [monthly(5)] });

      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 8, overageBehavior: 'overflow' });

      expect(c.balance(id)).toMatchObject({ remaining: 92, usage: 8 });
      expect((await c.usageLimit(id))?.usage).toBe(8);
      expect((await env.autumn.check({ customerId: id, featureId: FEATURE })).allowed).toBe(false);
    },
  );

  scenario(
    'UL16',
    `server/src/internal/balances/check/runCheckWithTrackV2.ts + ${DEDUCTION_LUA} ('reject' returns INSUFFICIENT_BALANCE for a window shortfall)`,
    'a send_event check beyond the headroom is allowed: false and deducts nothing',
    async () => {
      const id = seed(env.standIn, 'free100');
      await c.set(id, { usageLimits: [monthly(5)] });

      const beyond = await env.autumn.check({ customerId: id, featureId: FEATURE, requiredBalance: 6, sendEvent: true });
      const within = await env.autumn.check({ customerId: id, featureId: FEATURE, requiredBalance: 5, sendEvent: true });

      expect([beyond.allowed, within.allowed]).toEqual([false, true]);
      expect(c.balance(id)).toMatchObject({ remaining: 95, usage: 5 });
    },
  );
});

// ------------------------------------------------------------------ spend limits

describe('billing controls: spend limits', () => {
  const env = useConformance({ config: BILLING_CONFIG });
  const c = controlsOf(env);
  const spend = (id: string, overageLimit: number, extra: Record<string, unknown> = {}) =>
    c.set(id, { spendLimits: [{ featureId: FEATURE, enabled: true, overageLimit, ...extra }] });

  scenario(
    'SL1',
    `${SPEND_TRACK} — "track-customer-spend-limit1: lifetime + consumable customer messages cap track overage"`,
    'a spend limit of 25 caps the overage: tracks clamp at 125 of 100, a reject track is insufficient_balance, a send_event check is refused',
    async () => {
      const id = seed(env.standIn, 'consumable100');
      await spend(id, 25);

      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 120 });
      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 10 });
      const reject = await c.rejectTrack(id, 1);
      const sendEvent = await env.autumn.check({ customerId: id, featureId: FEATURE, requiredBalance: 1, sendEvent: true });

      expect(c.balance(id)).toMatchObject({ granted: 100, remaining: 0, usage: 125, overageAllowed: true });
      expect([reject.status, reject.body.code]).toEqual([400, 'insufficient_balance']);
      expect(sendEvent).toMatchObject({ allowed: false, balance: { usage: 125 } });
    },
  );

  scenario(
    'SL2',
    `${SPEND_CHECK} — "check-customer-spend-limit1: ... respect spend limit" (expectBoundaryAndParity: 5 allowed, 6 blocked)`,
    'with 20 of 25 overage used, a check of 5 is allowed and one of 6 refused, each echoing its required_balance',
    async () => {
      const id = seed(env.standIn, 'consumable100');
      await spend(id, 25);
      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 120 });

      const allowed = await env.autumn.check({ customerId: id, featureId: FEATURE, requiredBalance: 5 });
      const blocked = await env.autumn.check({ customerId: id, featureId: FEATURE, requiredBalance: 6 });

      expect([allowed.allowed, allowed.requiredBalance, allowed.balance?.featureId]).toEqual([true, 5, FEATURE]);
      expect([blocked.allowed, blocked.requiredBalance]).toEqual([false, 6]);
    },
  );

  scenario(
    'SL3',
    `${SPEND_PERCENT} — "percentage-spend-limit-a: ... resolves percentage", "percentage-spend-limit-b: percentage cap enforced at resolved absolute overage"`,
    'limit_type usage_percentage 120 answers as set, and caps overage at 120% of the 100 included: usage stops at 220',
    async () => {
      const id = seed(env.standIn, 'consumable100');
      await spend(id, 120, { limitType: 'usage_percentage' });

      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 210 });
      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 10 });
      const reject = await c.rejectTrack(id, 1);

      expect((await c.get(id))?.spendLimits).toEqual([{ featureId: FEATURE, enabled: true, limitType: 'usage_percentage', overageLimit: 120, source: 'customer' }]);
      expect(c.balance(id)).toMatchObject({ granted: 100, remaining: 0, usage: 220 });
      expect(reject.body.code).toBe('insufficient_balance');
    },
  );

  scenario(
    'SL4',
    'apps/docs/mintlify/documentation/modelling-pricing/spend-limits.mdx — "Disabling a spend limit"; shared/utils/fullSubjectUtils/fullSubjectToSpendLimit.ts (`if (spendLimit?.enabled)`)',
    'a spend limit without enabled: true (autumn-js sends enabled: false by default) caps nothing',
    async () => {
      const id = seed(env.standIn, 'consumable100');
      await c.set(id, { spendLimits: [{ featureId: FEATURE, overageLimit: 25 }] });

      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 200 });

      expect((await c.get(id))?.spendLimits?.[0]?.enabled).toBe(false);
      expect(c.balance(id)).toMatchObject({ remaining: 0, usage: 200 });
    },
  );

  scenario(
    'SL5',
    'shared/api/customers/cusFeatures/utils/convert/apiBalanceToAllowed.ts (a spend limit bounds overage only where overage is allowed)',
    'on a plan without overage a spend limit grants none: the balance alone decides',
    async () => {
      const id = seed(env.standIn, 'free100', { usage: 100 });
      await spend(id, 25);

      const check = await env.autumn.check({ customerId: id, featureId: FEATURE });
      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 10 });

      expect(check.allowed).toBe(false);
      expect(c.balance(id)).toMatchObject({ remaining: 0, usage: 100 });
    },
  );

  scenario(
    'SL6',
    'server/src/_luaScriptsV2/fullSubjectDeduction/deductFromMainBalanceV2.lua — calculate_change: "The spend-limit clamp outranks the allow shortcut: under \'overflow\' the gate computes it"',
    'overage_behavior "overflow" goes past the grant only as far as the spend limit',
    async () => {
      const id = seed(env.standIn, 'free100', { usage: 100 });
      await spend(id, 10);

      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 30, overageBehavior: 'overflow' });
      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 5, overageBehavior: 'overflow' });

      expect(c.balance(id)).toMatchObject({ granted: 100, remaining: 0, usage: 110 });
    },
  );
});

// ------------------------------------------------------------------ auto top-ups

describe('billing controls: auto top-ups (card on file)', () => {
  const env = useConformance({ config: BILLING_CONFIG, autoCompleteCheckout: true });
  const c = controlsOf(env);

  /** Autumn's set-up: a customer with a card who bought a one-off prepaid pack (`s.attach({ options: quantity })`). */
  async function prepaid(id: string, credits: number, planId = 'topup100'): Promise<string> {
    await env.autumn.customers.getOrCreate({ customerId: id });
    await env.autumn.billing.attach({ customerId: id, planId, featureQuantities: [{ featureId: FEATURE, quantity: credits }] });
    return id;
  }
  const autoTopUp = (id: string, threshold: number, quantity: number, extra: Record<string, unknown> = {}) =>
    c.set(id, { autoTopups: [{ featureId: FEATURE, enabled: true, threshold, quantity, ...extra }] });
  const invoices = async (id: string) => (await env.autumn.customers.get({ customerId: id, expand: ['invoices'] })).invoices ?? [];

  scenario(
    'AT1',
    `${AUTO_TOPUP_BASIC} — "auto-topup basic: track below threshold triggers top-up"; server/src/internal/balances/autoTopUp/webhooks/sendAutoTopupSucceededWebhook.ts`,
    'a track that leaves 15 (threshold 20) is answered first, then a queued top-up of 100 lands: 115, a second paid invoice, billing.auto_topup_succeeded',
    async () => {
      const id = await prepaid('auto-topup-b1', 100);
      await autoTopUp(id, 20, 100);
      expect(c.balance(id).remaining).toBe(100);

      const track = await env.autumn.track({ customerId: id, featureId: FEATURE, value: 85 });
      expect(track.balance?.remaining).toBe(15);
      env.standIn.flush();

      expect(c.balance(id).remaining).toBe(115);
      const list = await invoices(id);
      expect(list).toHaveLength(2);
      expect(list[0]).toMatchObject({ planIds: ['topup100'], status: 'paid', total: 10, currency: 'usd' });
      expect(env.standIn.webhooks('billing.auto_topup_succeeded').map((webhook) => webhook.data)).toEqual([
        {
          customer_id: id,
          feature_id: FEATURE,
          quantity_granted: 100,
          threshold: 20,
          balance_after: 115,
          invoice_mode: false,
          invoice: { stripe_id: list[0]!.stripeId, status: 'paid', total: 1000, currency: 'usd', hosted_invoice_url: null },
        },
      ]);
    },
  );

  scenario(
    'AT2',
    `${AUTO_TOPUP_BASIC} — "track above threshold does NOT trigger", "disabled config does NOT trigger"`,
    'above the threshold, or with the config disabled, no top-up and one invoice',
    async () => {
      const above = await prepaid('auto-topup-b2', 100);
      await autoTopUp(above, 20, 100);
      await env.autumn.track({ customerId: above, featureId: FEATURE, value: 50 });
      const disabled = await prepaid('auto-topup-b3', 100);
      await autoTopUp(disabled, 20, 100, { enabled: false });
      await env.autumn.track({ customerId: disabled, featureId: FEATURE, value: 85 });
      env.standIn.flush();

      expect([c.balance(above).remaining, c.balance(disabled).remaining]).toEqual([50, 15]);
      expect([(await invoices(above)).length, (await invoices(disabled)).length]).toEqual([1, 1]);
    },
  );

  scenario(
    'AT3',
    `${AUTO_TOPUP_BASIC} — "sequential tracks each trigger separate top-ups"`,
    'each track that crosses the threshold brings its own top-up: 200 → 20 → 120 → 20 → 120, three invoices',
    async () => {
      const id = await prepaid('auto-topup-b4', 200);
      await autoTopUp(id, 30, 100);

      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 180 });
      env.standIn.flush();
      expect(c.balance(id).remaining).toBe(120);
      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 100 });
      env.standIn.flush();

      expect(c.balance(id).remaining).toBe(120);
      expect(await invoices(id)).toHaveLength(3);
    },
  );

  scenario(
    'AT4',
    `${AUTO_TOPUP_BASIC} — "billing units 1000 with top-up quantity 100", "billing units 1000 with top-up quantity 1100"`,
    'the quantity is rounded up to whole packs: 100 buys one pack of 1000 ($10), 1100 buys two ($20)',
    async () => {
      const one = await prepaid('auto-topup-b6', 1000, 'topup1000');
      await autoTopUp(one, 200, 100);
      await env.autumn.track({ customerId: one, featureId: FEATURE, value: 950 });
      const two = await prepaid('auto-topup-b7', 1000, 'topup1000');
      await autoTopUp(two, 200, 1100);
      await env.autumn.track({ customerId: two, featureId: FEATURE, value: 950 });
      env.standIn.flush();

      expect([c.balance(one).remaining, c.balance(two).remaining]).toEqual([1050, 2050]);
      expect([(await invoices(one))[0]?.total, (await invoices(two))[0]?.total]).toEqual([10, 20]);
    },
  );

  scenario(
    'AT5',
    `${AUTO_TOPUP_LIMITS} — "auto-topup edge: rate limit (max_purchases) blocks after limit"; server/src/internal/balances/autoTopUp/helpers/limits/preflightAutoTopupLimits.ts`,
    'a purchase limit of 1 a month: the second top-up is refused (purchase_limit_reached), the balance stays at 40',
    async () => {
      const id = await prepaid('auto-topup-e3', 300);
      await autoTopUp(id, 50, 100, { purchaseLimit: { interval: 'month', limit: 1 } });

      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 260 });
      env.standIn.flush();
      expect(c.balance(id).remaining).toBe(140);
      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 100 });
      env.standIn.flush();

      expect(c.balance(id).remaining).toBe(40);
      expect(await invoices(id)).toHaveLength(2);
      expect(env.standIn.webhooks('billing.auto_topup_failed').map((webhook) => webhook.data)).toEqual([
        { customer_id: id, feature_id: FEATURE, reason: 'purchase_limit_reached', quantity: 100, threshold: 50, balance: 40, invoice_mode: false, error: null },
      ]);
    },
  );

  scenario(
    'AT6',
    `${AUTO_TOPUP_LIMITS} — "purchase window reset allows new top-up after expiry"; ${BILLING_CONTROLS} — "auto_topups.purchase_limit expand surfaces runtime tracking"`,
    'the purchase window counts top-ups (expand: count and next_reset_at); once it ends a new one fires and the count starts again at 1',
    async () => {
      const id = await prepaid('auto-topup-limits-window', 300);
      await autoTopUp(id, 50, 100, { purchaseLimit: { interval: 'month', limit: 2 } });
      const purchaseLimit = async () =>
        (await env.autumn.customers.get({ customerId: id, expand: ['billing_controls.auto_topups.purchase_limit'] })).billingControls?.autoTopups?.[0]?.purchaseLimit;
      // Before any top-up there is no runtime row: the expand passes the config through.
      expect(await purchaseLimit()).toEqual({ interval: 'month', intervalCount: 1, limit: 2 });

      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 260 });
      env.standIn.flush();
      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 100 });
      env.standIn.flush();
      expect(c.balance(id).remaining).toBe(140);
      expect(await purchaseLimit()).toEqual({ interval: 'month', intervalCount: 1, limit: 2, count: 2, nextResetAt: expect.any(Number) });
      const plain = await env.autumn.customers.get({ customerId: id });
      expect(plain.billingControls?.autoTopups?.[0]?.purchaseLimit).not.toHaveProperty('count');

      env.standIn.clock.advance(32 * DAY);
      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 100 });
      env.standIn.flush();

      expect(c.balance(id).remaining).toBe(140);
      const after = await purchaseLimit();
      expect(after).toMatchObject({ count: 1 });
      expect((after as { nextResetAt: number }).nextResetAt).toBeGreaterThan(env.standIn.clock.now());
    },
  );

  scenario(
    'AT7',
    'server/src/internal/balances/autoTopUp/helpers/limits/autoTopupRateLimitConfigs.ts — DEFAULT_AUTO_TOPUP_ATTEMPT_LIMIT { limit: 2, interval: minute, interval_count: 10 } (preflightAutoTopupLimits.ts: attempt_limit_reached)',
    'without a purchase limit, a third top-up within 10 minutes is refused (attempt_limit_reached); 10 minutes later they fire again',
    async () => {
      const id = await prepaid('auto-topup-attempts', 300);
      await autoTopUp(id, 50, 100);

      for (const value of [260, 100, 100]) {
        await env.autumn.track({ customerId: id, featureId: FEATURE, value });
        env.standIn.flush();
      }
      expect(c.balance(id).remaining).toBe(40);
      expect(env.standIn.webhooks('billing.auto_topup_failed').map((webhook) => webhook.data.reason)).toEqual(['attempt_limit_reached']);

      env.standIn.clock.advance(10 * 60 * 1000);
      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 10 });
      env.standIn.flush();

      expect(c.balance(id).remaining).toBe(130);
      expect(await invoices(id)).toHaveLength(4);
    },
  );

  scenario(
    'AT8',
    `${AUTO_TOPUP_TRIGGER} — "trigger 1: ... check is called, trigger fires", "trigger 2: check with send_event=true does not double-trigger", "trigger 3: track depletes, then check with send_event=true does not double-trigger"`,
    'checks trigger top-ups too, and a pending top-up is never queued twice: 110, 115 and 113, two invoices each',
    async () => {
      const one = await prepaid('auto-topup-trigger1', 100);
      await autoTopUp(one, 20, 100);
      await env.autumn.track({ customerId: one, featureId: FEATURE, value: 90 });
      await env.autumn.check({ customerId: one, featureId: FEATURE, requiredBalance: 100 });

      const two = await prepaid('auto-topup-trigger2', 100);
      await autoTopUp(two, 20, 100);
      await env.autumn.check({ customerId: two, featureId: FEATURE, requiredBalance: 85, sendEvent: true });

      const three = await prepaid('auto-topup-trigger3', 100);
      await autoTopUp(three, 20, 100);
      await env.autumn.track({ customerId: three, featureId: FEATURE, value: 85 });
      await env.autumn.check({ customerId: three, featureId: FEATURE, requiredBalance: 2, sendEvent: true });
      env.standIn.flush();

      expect([one, two, three].map((id) => c.balance(id).remaining)).toEqual([110, 115, 113]);
      for (const id of [one, two, three]) expect(await invoices(id)).toHaveLength(2);
    },
  );

  scenario(
    'AT9',
    `${AUTO_TOPUP_ON_ENABLED} — "on-enabled 1: enabling auto-topup when balance is below threshold triggers immediate top-up", "on-enabled 2: ... above threshold does NOT trigger", "on-enabled 4: updating already-enabled config does NOT re-trigger top-up"`,
    'enabling an auto top-up below its threshold buys at once; above it nothing; editing an enabled one queues nothing',
    async () => {
      const below = await prepaid('auto-topup-on-enabled-1', 100);
      await env.autumn.track({ customerId: below, featureId: FEATURE, value: 85 });
      await autoTopUp(below, 20, 100);
      env.standIn.flush();
      expect(c.balance(below).remaining).toBe(115);

      await autoTopUp(below, 30, 200);
      env.standIn.flush();
      expect(c.balance(below).remaining).toBe(115);
      expect(await invoices(below)).toHaveLength(2);

      const above = await prepaid('auto-topup-on-enabled-2', 100);
      await autoTopUp(above, 20, 100);
      env.standIn.flush();
      expect(c.balance(above).remaining).toBe(100);
      expect(await invoices(above)).toHaveLength(1);
    },
  );

  scenario(
    'AT10',
    `${AUTO_TOPUP_REBALANCE} — "auto-topup rebalance-1: paydown + remainder to prepaid"; computeRebalancedAutoTopUp.ts`,
    'a top-up pays overage down first: 500 past the grants (balance -500 <= threshold 0), 600 bought, 100 left; invoice $60',
    async () => {
      env.standIn.seedCustomer('auto-topup-rb1', { planId: 'consumable100', topUpCredits: 100 });
      const id = 'auto-topup-rb1';
      await autoTopUp(id, 0, 600);

      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 700 });
      env.standIn.flush();

      expect(c.balance(id)).toMatchObject({ remaining: 100, granted: 800, usage: 700 });
      expect((await invoices(id))[0]).toMatchObject({ total: 60, planIds: ['topup100'] });
    },
  );
});

describe('billing controls: auto top-ups without a card', () => {
  const env = useConformance({ config: BILLING_CONFIG });
  const c = controlsOf(env);

  scenario(
    'AT11',
    `${AUTO_TOPUP_SETUP} — "No payment method ... skipping" (missing_payment_method) and \`if (!paymentMethod && !invoiceMode)\`; server/tests/integration/balances/auto-topup/auto-topup-invoice-mode.test.ts — "creates open invoice and tops up balance"`,
    'without a card the top-up fails (billing.auto_topup_failed missing_payment_method); in invoice_mode it tops up with an open invoice',
    async () => {
      env.standIn.seedCustomer('no-card', { topUpCredits: 100 });
      env.standIn.seedCustomer('invoice-mode', { topUpCredits: 100 });
      await c.set('no-card', { autoTopups: [{ featureId: FEATURE, enabled: true, threshold: 20, quantity: 100 }] });
      await c.set('invoice-mode', { autoTopups: [{ featureId: FEATURE, enabled: true, threshold: 20, quantity: 100, invoiceMode: true }] });

      for (const id of ['no-card', 'invoice-mode']) await env.autumn.track({ customerId: id, featureId: FEATURE, value: 85 });
      env.standIn.flush();

      expect(c.balance('no-card').remaining).toBe(15);
      expect(env.standIn.webhooks('billing.auto_topup_failed').map((webhook) => [webhook.data.customer_id, webhook.data.reason])).toEqual([
        ['no-card', 'missing_payment_method'],
      ]);
      expect(c.balance('invoice-mode').remaining).toBe(115);
      expect(env.standIn.invoices('invoice-mode')).toEqual([expect.objectContaining({ status: 'open', total: 10 })]);
    },
  );
});

// ------------------------------------------------------------------ usage alerts and limit_reached

describe('billing controls: usage alerts', () => {
  const env = useConformance({ config: BILLING_CONFIG });
  const c = controlsOf(env);
  const alerts = (threshold: number, thresholdType: 'usage' | 'usage_percentage' | 'remaining' | 'remaining_percentage', enabled = true) => ({
    featureId: FEATURE,
    threshold,
    thresholdType,
    enabled,
  });
  const fired = () => env.standIn.webhooks('balances.usage_alert_triggered').map((webhook) => webhook.data);

  scenario(
    'UA1',
    `${USAGE_ALERT_BASIC} — "usage-alert1: usage threshold crossing triggers webhook", "usage-alert1b: ... lands exactly on threshold", "usage-alert2 / 2b: usage percentage"`,
    'crossing or landing on a usage or usage_percentage threshold records balances.usage_alert_triggered',
    async () => {
      const crossing = seed(env.standIn, 'free1000', { id: 'ua-usage' });
      await c.set(crossing, { usageAlerts: [alerts(800, 'usage'), alerts(500, 'usage'), alerts(90, 'usage_percentage'), alerts(100, 'usage_percentage')] });

      await env.autumn.track({ customerId: crossing, featureId: FEATURE, value: 500 });
      await env.autumn.track({ customerId: crossing, featureId: FEATURE, value: 450 });
      await env.autumn.track({ customerId: crossing, featureId: FEATURE, value: 50 });

      expect(fired()).toEqual([
        { customer_id: crossing, feature_id: FEATURE, usage_alert: { threshold: 500, threshold_type: 'usage' } },
        { customer_id: crossing, feature_id: FEATURE, usage_alert: { threshold: 800, threshold_type: 'usage' } },
        { customer_id: crossing, feature_id: FEATURE, usage_alert: { threshold: 90, threshold_type: 'usage_percentage' } },
        { customer_id: crossing, feature_id: FEATURE, usage_alert: { threshold: 100, threshold_type: 'usage_percentage' } },
      ]);
    },
  );

  scenario(
    'UA2',
    `${USAGE_ALERT_BASIC} — "usage-alert3: alert does not re-fire after already crossed", "usage-alert4: disabled alert does not fire", "usage-alert5: multiple alerts fire independently"`,
    'an alert fires once per crossing; a disabled one never; several fire each at their own crossing',
    async () => {
      const id = seed(env.standIn, 'free1000');
      await c.set(id, { usageAlerts: [{ ...alerts(500, 'usage'), name: 'half' }, alerts(800, 'usage'), alerts(300, 'usage', false)] });

      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 600 });
      expect(fired().map((data) => (data.usage_alert as { threshold: number }).threshold)).toEqual([500]);
      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 100 });
      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 200 });

      expect(fired().map((data) => data.usage_alert)).toEqual([
        { name: 'half', threshold: 500, threshold_type: 'usage' },
        { threshold: 800, threshold_type: 'usage' },
      ]);
    },
  );

  scenario(
    'UA3',
    `${USAGE_ALERT_BASIC} — "usage-alert6: remaining threshold crossing", "usage-alert7: remaining percentage threshold crossing"`,
    'remaining falling to or below a remaining / remaining_percentage threshold records the alert',
    async () => {
      const id = seed(env.standIn, 'free1000');
      await c.set(id, { usageAlerts: [alerts(200, 'remaining'), alerts(20, 'remaining_percentage')] });

      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 850 });

      expect(fired().map((data) => data.usage_alert)).toEqual([
        { threshold: 200, threshold_type: 'remaining' },
        { threshold: 20, threshold_type: 'remaining_percentage' },
      ]);
    },
  );

  scenario(
    'LR1',
    'server/src/internal/balances/trackWebhooks/checkLimitReached.ts + shared/api/webhooks/balances/balancesLimitReached.ts',
    'balances.limit_reached is recorded when a track turns allowed into refused, naming the limit: included, or usage_limit with the filter that hit its cap',
    async () => {
      const included = seed(env.standIn, 'free100', { id: 'lr-included' });
      await env.autumn.track({ customerId: included, featureId: FEATURE, value: 100 });
      const member = seed(env.standIn, 'free100', { id: 'lr-member' });
      await c.set(member, { usageLimits: [monthly(5, { filter: { properties: { user_id: 'u_a' } } })] });
      await env.autumn.track({ customerId: member, featureId: FEATURE, value: 3, properties: { user_id: 'u_a' } });
      await env.autumn.track({ customerId: member, featureId: FEATURE, value: 3, properties: { user_id: 'u_a' } });

      expect(env.standIn.webhooks('balances.limit_reached').map((webhook) => webhook.data)).toEqual([
        { customer_id: included, feature_id: FEATURE, limit_type: 'included' },
        { customer_id: member, feature_id: FEATURE, limit_type: 'usage_limit', filter: { properties: { user_id: 'u_a' } } },
      ]);
    },
  );
});

// ------------------------------------------------------------------ entities

describe('billing controls: entities', () => {
  const env = useConformance({ config: BILLING_CONFIG, entityFeatures: ['seats'] });
  const c = controlsOf(env);
  const entity = (customerId: string, entityId: string) => env.autumn.entities.create({ customerId, entityId, featureId: 'seats', name: entityId });
  const entityCap = (customerId: string, entityId: string, limit: number) =>
    env.autumn.entities.update({ customerId, entityId, billingControls: { usageLimits: [monthly(limit)] } });
  const entityUsage = async (customerId: string, entityId: string) =>
    (await env.autumn.entities.get({ customerId, entityId })).billingControls?.usageLimits?.[0];

  scenario(
    'EN1',
    `${ENTITY_USAGE_WINDOW} — "ent-uw-enforce4: entity cap on a customer-scoped feature counts only that entity's tracks"`,
    "an entity's cap over the customer's shared balance clamps that entity's tracks; the customer's own tracks are not bound by it",
    async () => {
      const id = seed(env.standIn, 'free100');
      await entity(id, 'member_1');
      await entityCap(id, 'member_1', 3);

      await env.autumn.track({ customerId: id, entityId: 'member_1', featureId: FEATURE, value: 5 });
      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 10 });

      expect(await entityUsage(id, 'member_1')).toEqual({ featureId: FEATURE, enabled: true, limit: 3, interval: 'month', usage: 3 });
      expect(c.balance(id)).toMatchObject({ granted: 100, remaining: 87, usage: 13 });
    },
  );

  scenario(
    'EN2',
    `${ENTITY_USAGE_WINDOW} — "ent-uw-enforce2: two entities with different caps stay isolated while customer balance aggregates", "ent-uw-enforce3: ... reject returns InsufficientBalance"`,
    "two entities' windows count apart while the balance is shared; reject over an entity's cap is insufficient_balance",
    async () => {
      const id = seed(env.standIn, 'free100');
      await entity(id, 'member_1');
      await entity(id, 'member_2');
      await entityCap(id, 'member_1', 5);
      await entityCap(id, 'member_2', 10);

      await env.autumn.track({ customerId: id, entityId: 'member_1', featureId: FEATURE, value: 7 });
      await env.autumn.track({ customerId: id, entityId: 'member_2', featureId: FEATURE, value: 7 });
      await env.autumn.track({ customerId: id, entityId: 'member_2', featureId: FEATURE, value: 5 });
      const reject = await c.rejectTrack(id, 1, 'member_1');

      expect([(await entityUsage(id, 'member_1'))?.usage, (await entityUsage(id, 'member_2'))?.usage]).toEqual([5, 10]);
      expect(c.balance(id)).toMatchObject({ remaining: 85, usage: 15 });
      expect(reject.body.code).toBe('insufficient_balance');
    },
  );

  scenario(
    'EN3',
    'shared/utils/fullSubjectUtils/fullSubjectToUsageWindowLimits.ts — "ONE cap per (feature, filter identity) per subject ... the entity\'s own usage_limits entry wins (entity-scoped counter), else the customer\'s"',
    "an entity with its own cap is not bound by the customer's cap of the same identity; an entity without one counts in the customer's shared window",
    async () => {
      const id = seed(env.standIn, 'free100');
      await c.set(id, { usageLimits: [monthly(4)] });
      await entity(id, 'own_cap');
      await entity(id, 'inherits');
      await entityCap(id, 'own_cap', 10);

      await env.autumn.track({ customerId: id, entityId: 'own_cap', featureId: FEATURE, value: 8 });
      await env.autumn.track({ customerId: id, entityId: 'inherits', featureId: FEATURE, value: 6 });
      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 1 });

      expect(c.balance(id)).toMatchObject({ remaining: 88, usage: 12 });
      expect([(await entityUsage(id, 'own_cap'))?.usage, (await c.usageLimit(id))?.usage]).toEqual([8, 4]);
    },
  );

  scenario(
    'EN4',
    'server/src/internal/entities/handlers/handleCreateEntity/getInputEntities.ts, shared/api/errors/classes/entityErrClasses.ts, server/src/internal/customers/cache/fullSubject/actions/getOrSetCachedFullSubject.ts',
    'entities: the consumable credit feature is 400, an unknown feature 404, a held id 409 entity_already_exists; a check naming an unknown entity is 404 entity_not_found',
    async () => {
      const id = seed(env.standIn, 'free100');
      const created = await entity(id, 'member_1');

      const consumable = await apiError(env.autumn.entities.create({ customerId: id, entityId: 'x', featureId: FEATURE }));
      const unknown = await apiError(env.autumn.entities.create({ customerId: id, entityId: 'x', featureId: 'desks' }));
      const held = await apiError(entity(id, 'member_1'));
      const ghost = await apiError(env.autumn.check({ customerId: id, entityId: 'ghost', featureId: FEATURE }));

      expect(created).toMatchObject({ id: 'member_1', name: 'member_1', customerId: id, featureId: 'seats', balances: { [FEATURE]: { remaining: 100 } } });
      expect([consumable.status, consumable.body.message]).toEqual([
        400,
        `Feature '${FEATURE}' is consumable (e.g. credits, API calls). Entities can only be created for non-consumable features (e.g. seats).`,
      ]);
      expect([unknown.status, unknown.body.code]).toEqual([404, 'feature_not_found']);
      expect([held.status, held.body.code, held.body.message]).toEqual([409, 'entity_already_exists', 'Entity member_1 already exists']);
      expect([ghost.status, ghost.body.code, ghost.body.message]).toEqual([404, 'entity_not_found', 'Entity ghost not found']);
    },
  );

  scenario(
    'EN5',
    'shared/utils/fullSubjectUtils/fullSubjectToSpendLimit.ts — "Entity inherits from the customer per feature_id: entity\'s entry wins when present, customer\'s entry fills any gaps"',
    "an entity's spend limit replaces the customer's for that entity's tracks; other tracks keep the customer's",
    async () => {
      const id = seed(env.standIn, 'consumable100');
      await c.set(id, { spendLimits: [{ featureId: FEATURE, enabled: true, overageLimit: 25 }] });
      await entity(id, 'member_1');
      await env.autumn.entities.update({ customerId: id, entityId: 'member_1', billingControls: { spendLimits: [{ featureId: FEATURE, enabled: true, overageLimit: 5 }] } });

      await env.autumn.track({ customerId: id, entityId: 'member_1', featureId: FEATURE, value: 120 });
      expect(c.balance(id).usage).toBe(105);
      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 120 });

      expect(c.balance(id).usage).toBe(125);
    },
  );
});
