/**
 * Reading and setting an org's spend controls through Autumn, and the limit that refused a reservation — against
 * small hand-written Autumn answers whose shapes come from Autumn's source (mirror of useautumn/autumn):
 * - shared/api/billingControls/customerBillingControls.ts (CustomerBillingControlsResponseSchema): usage limits carry
 *   the window's `usage`, every entry a `source` (customer | plan, V2.2_PlanInheritedBillingControls.ts);
 * - shared/models/cusModels/billingControls/*.ts: the entries' fields;
 * - shared/api/customers/cusFeatures/apiBalanceV1.ts: `balances[feature]` (granted, remaining, usage, overage_allowed);
 * - server/src/internal/balances/check/runCheckWithTrackV2.ts: a refused check with a lock answers `allowed: false`
 *   and the balance from before, nothing about which limit refused — apiBalanceToAllowed.ts decides that.
 */
import { describe, expect, it } from 'vitest';
import {
  BillingControlsError,
  BillingUnavailableError,
  InsufficientCreditsError,
  InvalidCustomerError,
  UnknownCustomerError,
  createBillingControls,
  createCreditMeter,
  defaultCreditsConfig,
  fromAutumnBillingControls,
  refusalReason,
  spendLimitPercentToCredits,
  fromAutumnSdk,
  toAutumnBillingControls,
} from '../../src/server.js';

const ORG = 'org_acme';
const FEATURE = 'ai_credits';
const mapping = { config: defaultCreditsConfig };

/** An org on Pro (60,000 credits), 61,000 used: 1,000 into overage. */
function customer(controls: Record<string, unknown>, balance: Record<string, unknown> = {}) {
  return {
    id: ORG,
    name: 'Acme',
    balances: {
      [FEATURE]: { feature_id: FEATURE, granted: 60_000, remaining: 0, usage: 61_000, unlimited: false, overage_allowed: true, max_purchase: null, next_reset_at: null, breakdown: [], ...balance },
    },
    billing_controls: controls,
  };
}

const annCap = { feature_id: FEATURE, enabled: true, limit: 500, interval: 'day', filter: { properties: { user_id: 'user_ann' } }, usage: 480, source: 'customer' };
const CONTROLS = {
  auto_topups: [
    { feature_id: FEATURE, enabled: true, threshold: 2_000, quantity: 40_000, purchase_limit: { interval: 'month', interval_count: 1, limit: 3, count: 1, next_reset_at: 1_790_000_000_000 }, source: 'customer' },
    { feature_id: 'seats', enabled: true, threshold: 1, quantity: 5, source: 'customer' },
  ],
  spend_limits: [{ feature_id: FEATURE, enabled: true, limit_type: 'absolute', overage_limit: 20_000, source: 'customer' }],
  usage_limits: [
    annCap,
    { feature_id: FEATURE, enabled: true, limit: 5_000, interval: 'month', filter: { properties: { thread_id: 't1' } }, usage: 0, source: 'customer' },
    { feature_id: FEATURE, enabled: true, limit: 100, interval: 'day', filter: { properties: { user_id: 'user_plan' } }, usage: 0, source: 'plan' },
  ],
  usage_alerts: [
    { feature_id: FEATURE, enabled: true, threshold: 20, threshold_type: 'remaining_percentage', name: 'low', source: 'customer' },
    { feature_id: 'seats', enabled: true, threshold: 1, threshold_type: 'remaining', source: 'customer' },
  ],
};

describe('fromAutumnBillingControls', () => {
  it("reads the credit feature's controls as the kit's model", () => {
    expect(fromAutumnBillingControls(CONTROLS, mapping)).toEqual({
      autoTopUp: { enabled: true, threshold: 2_000, packId: 'credit_topup', purchaseLimit: { limit: 3, interval: 'month', intervalCount: 1, used: 1, resetsAt: 1_790_000_000_000 } },
      spendLimit: { enabled: true, limit: { type: 'credits', credits: 20_000 } },
      memberCaps: [
        { memberId: 'user_ann', credits: 500, interval: 'day', enabled: true, used: 480 },
        // A plan's default cap is read too (it applies); it is never written back as the customer's.
        { memberId: 'user_plan', credits: 100, interval: 'day', enabled: true, used: 0 },
      ],
      alerts: [{ kind: 'remainingPercentage', threshold: 20, enabled: true, name: 'low' }],
    });
  });

  it('reads a percentage spend limit, and an auto top-up of credits no pack has', () => {
    const controls = fromAutumnBillingControls(
      { auto_topups: [{ feature_id: FEATURE, enabled: false, threshold: 10, quantity: 1234 }], spend_limits: [{ feature_id: FEATURE, enabled: true, limit_type: 'usage_percentage', overage_limit: 120 }] },
      mapping,
    );
    expect(controls.autoTopUp).toEqual({ enabled: false, threshold: 10, packId: '', purchaseLimit: null, credits: 1234 });
    expect(controls.spendLimit).toEqual({ enabled: true, limit: { type: 'percent', percent: 120 } });
  });

  it('reads nothing as no controls', () => {
    expect(fromAutumnBillingControls(undefined, mapping)).toEqual({ autoTopUp: null, spendLimit: null, memberCaps: [], alerts: [] });
  });
});

describe('toAutumnBillingControls', () => {
  it("sends whole lists: the kit's entries, the customer's others kept, the plan's and the response-only fields left out", () => {
    const wire = toAutumnBillingControls(
      {
        autoTopUp: { enabled: true, threshold: 1_500, packId: 'credit_topup', purchaseLimit: { limit: 2, interval: 'week' } },
        spendLimit: { enabled: true, limit: { type: 'money', amount: 5 } },
        memberCaps: [{ memberId: 'user_bo', credits: 300, interval: 'week' }],
        alerts: [],
      },
      { ...mapping, current: CONTROLS },
    );
    expect(wire).toEqual({
      auto_topups: [
        { feature_id: 'seats', enabled: true, threshold: 1, quantity: 5 },
        { feature_id: FEATURE, enabled: true, threshold: 1_500, quantity: 40_000, purchase_limit: { interval: 'week', interval_count: 1, limit: 2 } },
      ],
      // $5 at 4,000 credits per dollar.
      spend_limits: [{ feature_id: FEATURE, enabled: true, limit_type: 'absolute', overage_limit: 20_000 }],
      usage_limits: [
        { feature_id: FEATURE, enabled: true, limit: 5_000, interval: 'month', filter: { properties: { thread_id: 't1' } } },
        { feature_id: FEATURE, enabled: true, limit: 300, interval: 'week', filter: { properties: { user_id: 'user_bo' } } },
      ],
      usage_alerts: [{ feature_id: 'seats', enabled: true, threshold: 1, threshold_type: 'remaining' }],
    });
  });

  it('sends only the keys the change sets, and a removal as the list without the entry', () => {
    expect(toAutumnBillingControls({ spendLimit: null }, { ...mapping, current: CONTROLS })).toEqual({ spend_limits: [] });
    expect(toAutumnBillingControls({}, { ...mapping, current: CONTROLS })).toEqual({});
  });

  it('uses another member property when told to', () => {
    const wire = toAutumnBillingControls({ memberCaps: [{ memberId: 'm1', credits: 1, interval: 'day' }] }, { ...mapping, memberProperty: 'member_id' });
    expect(wire.usage_limits).toEqual([{ feature_id: FEATURE, enabled: true, limit: 1, interval: 'day', filter: { properties: { member_id: 'm1' } } }]);
  });
});

/** A fetch that answers each Autumn operation with `answers[op]` and records the requests. */
function fakeAutumn(answers: Record<string, (body: Record<string, unknown>) => { status?: number; body: unknown }>) {
  const requests: Array<{ op: string; body: Record<string, unknown> }> = [];
  const fetch = (async (url: string | URL | Request, init?: RequestInit) => {
    const op = String(url).split('/v1/')[1]!;
    const body = JSON.parse(String(init?.body ?? '{}')) as Record<string, unknown>;
    requests.push({ op, body });
    const answer = answers[op]?.(body) ?? { status: 404, body: { code: 'not_found', message: `no ${op}` } };
    return new Response(JSON.stringify(answer.body), { status: answer.status ?? 200, headers: { 'content-type': 'application/json' } });
  }) as typeof globalThis.fetch;
  return { fetch, requests, ops: () => requests.map((request) => request.op) };
}

describe('createBillingControls', () => {
  const stored = customer(CONTROLS);

  it('reads an org with customers.get, the purchase limit expanded', async () => {
    const autumn = fakeAutumn({ 'customers.get': () => ({ body: stored }) });
    const controls = createBillingControls({ secretKey: 'am_sk_test', fetch: autumn.fetch });
    const org = await controls.get({ customerId: ORG });
    expect(autumn.requests).toEqual([{ op: 'customers.get', body: { customer_id: ORG, expand: ['billing_controls.auto_topups.purchase_limit'] } }]);
    expect(org).toMatchObject({ customerId: ORG, granted: 60_000, remaining: 0, overage: 1_000 });
    expect(org.controls.memberCaps[0]).toEqual({ memberId: 'user_ann', credits: 500, interval: 'day', enabled: true, used: 480 });
  });

  it('sets them with one customers.update and answers what Autumn has', async () => {
    const autumn = fakeAutumn({
      'customers.get': () => ({ body: stored }),
      'customers.update': (body) => ({ body: customer(body.billing_controls as Record<string, unknown>) }),
    });
    const controls = createBillingControls({ secretKey: 'am_sk_test', fetch: autumn.fetch });
    const org = await controls.set({ customerId: ORG, controls: { memberCaps: [{ memberId: 'user_ann', credits: '600', interval: 'day' } as never] } });
    expect(autumn.ops()).toEqual(['customers.get', 'customers.update']);
    expect(autumn.requests[1]!.body).toEqual({
      customer_id: ORG,
      billing_controls: {
        usage_limits: [
          { feature_id: FEATURE, enabled: true, limit: 5_000, interval: 'month', filter: { properties: { thread_id: 't1' } } },
          { feature_id: FEATURE, enabled: true, limit: 600, interval: 'day', filter: { properties: { user_id: 'user_ann' } } },
        ],
      },
    });
    expect(org.controls.memberCaps).toEqual([{ memberId: 'user_ann', credits: 600, interval: 'day', enabled: true }]);
  });

  describe('given bad input', () => {
    it.each([
      ['a cap below what the member used today', { memberCaps: [{ memberId: 'user_ann', credits: 400, interval: 'day' }] }, 'memberCaps[0].credits', 'below_usage'],
      ['a threshold above the grant', { autoTopUp: { enabled: true, threshold: 70_000, packId: 'credit_topup', purchaseLimit: null } }, 'autoTopUp.threshold', 'above_grant'],
      ['a purchase limit of 0', { autoTopUp: { enabled: true, threshold: 100, packId: 'credit_topup', purchaseLimit: { limit: 0, interval: 'month' } } }, 'autoTopUp.purchaseLimit.limit', 'zero_purchase_limit'],
      ['a negative cap', { memberCaps: [{ memberId: 'user_bo', credits: -5, interval: 'day' }] }, 'memberCaps[0].credits', 'negative'],
      ['a NaN spend limit', { spendLimit: { enabled: true, limit: { type: 'credits', credits: Number.NaN } } }, 'spendLimit.limit.credits', 'not_a_number'],
      ['an unknown pack', { autoTopUp: { enabled: true, threshold: 100, packId: 'huge', purchaseLimit: null } }, 'autoTopUp.packId', 'unknown_pack'],
    ])('refuses %s before sending anything', async (_, input, field, reason) => {
      const autumn = fakeAutumn({ 'customers.get': () => ({ body: stored }), 'customers.update': () => ({ body: stored }) });
      const controls = createBillingControls({ secretKey: 'am_sk_test', fetch: autumn.fetch });
      const error = await controls.set({ customerId: ORG, controls: input as never }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(BillingControlsError);
      expect(error).toMatchObject({ field, reason, status: 400 });
      expect(autumn.ops()).not.toContain('customers.update');
    });

    it('refuses a customer id that is not from auth before any call', async () => {
      const autumn = fakeAutumn({});
      const controls = createBillingControls({ secretKey: 'am_sk_test', fetch: autumn.fetch });
      await expect(controls.get({ customerId: '' })).rejects.toBeInstanceOf(InvalidCustomerError);
      await expect(controls.set({ customerId: 'org acme; drop', controls: {} })).rejects.toBeInstanceOf(InvalidCustomerError);
      expect(autumn.requests).toEqual([]);
    });

    it('gives up at the deadline on a hung Autumn, and says when Autumn refuses the update', async () => {
      const hung = createBillingControls({ secretKey: 'am_sk_test', fetch: (() => new Promise<Response>(() => {})) as typeof fetch, timeoutMs: 20, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
      await expect(hung.get({ customerId: ORG })).rejects.toBeInstanceOf(BillingUnavailableError);
      const autumn = fakeAutumn({ 'customers.get': () => ({ body: stored }), 'customers.update': () => ({ status: 400, body: { code: 'invalid_inputs', message: 'bad' } }) });
      const controls = createBillingControls({ secretKey: 'am_sk_test', fetch: autumn.fetch });
      await expect(controls.set({ customerId: ORG, controls: { alerts: [] } })).rejects.toMatchObject({ code: 'billing_failed' });
    });

    it('says when Autumn has no such customer', async () => {
      const autumn = fakeAutumn({ 'customers.get': () => ({ status: 404, body: { code: 'customer_not_found', message: 'Customer org_x not found' } }) });
      const controls = createBillingControls({ secretKey: 'am_sk_test', fetch: autumn.fetch });
      await expect(controls.get({ customerId: 'org_x' })).rejects.toBeInstanceOf(UnknownCustomerError);
    });
  });
});

describe('refusalReason (apiBalanceToAllowed.ts)', () => {
  const call = (properties: Record<string, unknown>, needed = 40) => ({ featureId: FEATURE, needed, properties });

  it("names the member's cap when their filtered usage limit has too little headroom, whatever the balance", () => {
    const rich = customer({ usage_limits: [annCap] }, { remaining: 50_000, usage: 10_000 });
    expect(refusalReason(rich, call({ user_id: 'user_ann' }))).toEqual({ limit: 'member_cap', memberId: 'user_ann', cap: 500, interval: 'day', remaining: 20 });
  });

  it("does not apply a member's cap to another member's call (usageLimitFilterMatchesProperties)", () => {
    const rich = customer({ usage_limits: [annCap] }, { remaining: 50_000, usage: 10_000, overage_allowed: false });
    expect(refusalReason(rich, call({ user_id: 'user_bo' })).limit).toBe('balance');
  });

  it('compares filter values as strings', () => {
    const numeric = customer({ usage_limits: [{ ...annCap, filter: { properties: { user_id: '42' } } }] });
    expect(refusalReason(numeric, call({ user_id: 42 }))).toMatchObject({ limit: 'member_cap', memberId: '42' });
  });

  it('names an org-wide cap (no filter) as usage_cap', () => {
    const capped = customer({ usage_limits: [{ feature_id: FEATURE, enabled: true, limit: 1_000, interval: 'month', usage: 1_000 }] });
    expect(refusalReason(capped, call({}))).toEqual({ limit: 'usage_cap', memberId: null, cap: 1_000, interval: 'month', remaining: 0 });
  });

  it('ignores a disabled cap', () => {
    expect(refusalReason(customer({ usage_limits: [{ ...annCap, enabled: false }] }, { overage_allowed: false }), call({ user_id: 'user_ann' })).limit).toBe('balance');
  });

  it('names the spend limit once past the grant with overage allowed', () => {
    // 1,000 into overage of a 1,020 limit: 20 left.
    const limited = customer({ spend_limits: [{ feature_id: FEATURE, enabled: true, limit_type: 'absolute', overage_limit: 1_020 }] });
    expect(refusalReason(limited, call({}))).toEqual({ limit: 'spend_limit', memberId: null, cap: 1_020, interval: null, remaining: 20 });
  });

  // resolveSpendLimitOverageLimit.ts: `overage_limit / 100 × cusEntsToMainPlanAllowance` — the percent is the overage
  // allowed past the main recurring plan's allowance; top-ups (prepaid, one-off) are not part of it.
  const plan = { id: 'ce_plan', plan_id: 'pro_monthly', included_grant: 60_000, prepaid_grant: 0, remaining: 0, usage: 61_000, unlimited: false, reset: { interval: 'month', resets_at: 1 }, price: null, expires_at: null };
  const topUp = { id: 'ce_topup', plan_id: 'credit_topup', included_grant: 0, prepaid_grant: 40_000, remaining: 0, usage: 40_000, unlimited: false, reset: null, price: null, expires_at: null };
  const percent = (value: number) => ({ spend_limits: [{ feature_id: FEATURE, enabled: true, limit_type: 'usage_percentage', overage_limit: value }] });

  it("resolves a percentage spend limit as overage against the main plan's allowance (resolveSpendLimitOverageLimit.ts)", () => {
    // 1% of 60,000 = 600 of overage; 1,000 used past the grant: none left.
    expect(refusalReason(customer(percent(1), { breakdown: [plan] }), call({}))).toMatchObject({ limit: 'spend_limit', cap: 600, remaining: 0 });
    // 120% = 72,000 of overage (usage up to 220% of the allowance), 1,000 used: 71,000 left.
    expect(refusalReason(customer(percent(120), { breakdown: [plan] }), call({}, 80_000))).toEqual({ limit: 'spend_limit', memberId: null, cap: 72_000, interval: null, remaining: 71_000 });
  });

  it('leaves top-ups out of the allowance a percentage is of (cusEntsToMainPlanAllowance.ts)', () => {
    // Granted 100,000 (plan 60,000 + top-up 40,000), 101,000 used: 10% is 6,000 of overage, not 10,000.
    const both = customer(percent(10), { granted: 100_000, usage: 101_000, breakdown: [plan, topUp] });
    expect(refusalReason(both, call({}, 6_000))).toEqual({ limit: 'spend_limit', memberId: null, cap: 6_000, interval: null, remaining: 5_000 });
    // A top-up that shows as an included grant of its plan is left out by plan id (the config's top-ups).
    const included = customer(percent(10), { granted: 100_000, usage: 101_000, breakdown: [plan, { ...topUp, included_grant: 40_000, prepaid_grant: 0, reset: { interval: 'month', resets_at: 1 } }] });
    expect(refusalReason(included, { ...call({}, 6_000), addOnPlanIds: ['credit_topup'] })).toMatchObject({ cap: 6_000, remaining: 5_000 });
  });

  it('applies no percentage limit without a recurring plan allowance (resolveSpendLimitOverageLimit.ts: undefined)', () => {
    expect(refusalReason(customer(percent(50), { breakdown: [topUp] }), call({})).limit).toBe('balance');
  });

  it('converts a percent to credits exactly, and nothing without an allowance', () => {
    expect(spendLimitPercentToCredits(120, 60_000)).toBe(72_000);
    expect(spendLimitPercentToCredits(12.5, 333.333333)).toBe(41.666666);
    expect(spendLimitPercentToCredits(120, null)).toBeNull();
    expect(spendLimitPercentToCredits(120, 0)).toBeNull();
  });

  it('names the balance otherwise', () => {
    expect(refusalReason(customer({}, { remaining: 10, usage: 59_990, overage_allowed: false }), call({}))).toEqual({ limit: 'balance', memberId: null, cap: null, interval: null, remaining: 10 });
    expect(refusalReason(null, call({})).limit).toBe('balance');
  });
});

describe('the meter, given a member', () => {
  /** Autumn refusing every check (runCheckWithTrackV2: allowed false, the balance from before). */
  function refusingAutumn(controls: Record<string, unknown>) {
    return fakeAutumn({
      'balances.check': (body) => ({ body: { allowed: false, customer_id: body.customer_id, required_balance: body.required_balance, balance: customer(controls).balances[FEATURE], flag: null } }),
      'balances.finalize': () => ({ body: { success: true } }),
      'customers.get': () => ({ body: customer(controls, { remaining: 9_000, usage: 51_000 }) }),
    });
  }

  it('sends the member as the user_id property of the check', async () => {
    const autumn = refusingAutumn({ usage_limits: [annCap] });
    const meter = createCreditMeter({ secretKey: 'am_sk_test', fetch: autumn.fetch });
    await meter.reserve({ customerId: ORG, credits: 40, member: 'user_ann', properties: { thread_id: 't1' } }).catch(() => {});
    expect(autumn.requests[0]!.body.properties).toEqual({ thread_id: 't1', user_id: 'user_ann' });
  });

  it("raises InsufficientCreditsError naming the member's cap, with its interval and what is left", async () => {
    const autumn = refusingAutumn({ usage_limits: [annCap] });
    const meter = createCreditMeter({ secretKey: 'am_sk_test', fetch: autumn.fetch });
    const error = (await meter.reserve({ customerId: ORG, credits: 40, member: 'user_ann' }).catch((caught: unknown) => caught)) as InsufficientCreditsError;
    expect(error).toBeInstanceOf(InsufficientCreditsError);
    expect(error.reason).toEqual({ limit: 'member_cap', memberId: 'user_ann', cap: 500, interval: 'day', remaining: 20 });
    expect(error.message).toMatch(/user_ann may use 500 credits per day and has 20 left/);
    // The 402 body keeps its fields and adds the reason.
    expect(JSON.parse(JSON.stringify(error.toJSON()))).toEqual({
      error: { code: 'insufficient_credits', featureId: FEATURE, needed: 40, available: 0, message: error.message, reason: { limit: 'member_cap', memberId: 'user_ann', cap: 500, interval: 'day', remaining: 20 } },
    });
  });

  it('names the balance when the customer cannot be read', async () => {
    const autumn = fakeAutumn({
      'balances.check': (body) => ({ body: { allowed: false, customer_id: body.customer_id, balance: { remaining: 3 }, flag: null } }),
      'balances.finalize': () => ({ body: { success: true } }),
      'customers.get': () => ({ status: 500, body: { code: 'internal_error' } }),
    });
    const meter = createCreditMeter({ secretKey: 'am_sk_test', fetch: autumn.fetch, retry: { attempts: 1 } });
    const error = (await meter.reserve({ customerId: ORG, credits: 40 }).catch((caught: unknown) => caught)) as InsufficientCreditsError;
    expect(error.reason).toEqual({ limit: 'balance', memberId: null, cap: null, interval: null, remaining: 3 });
  });

  it('refuses a member id that is not one, and one that disagrees with properties.user_id', async () => {
    const autumn = refusingAutumn({});
    const meter = createCreditMeter({ secretKey: 'am_sk_test', fetch: autumn.fetch });
    await expect(meter.reserve({ customerId: ORG, credits: 1, member: '' })).rejects.toMatchObject({ code: 'invalid_amount' });
    await expect(meter.reserve({ customerId: ORG, credits: 1, member: 'a', properties: { user_id: 'b' } })).rejects.toMatchObject({ code: 'invalid_amount' });
    expect(autumn.requests).toEqual([]);
  });
});

describe('fromAutumnSdk, for the billing controls', () => {
  it("turns the SDK's camelCase customer into the wire's snake_case, leaving feature ids and event property names as they are", async () => {
    const calls: unknown[] = [];
    const sdkLike = {
      check: async () => ({ allowed: true, customerId: ORG }),
      track: async () => ({ customerId: ORG }),
      balances: { finalize: async () => ({}) },
      events: { aggregate: async () => ({ list: [] }), list: async () => ({ list: [] }) },
      customers: {
        get: async (params: Record<string, unknown>) => {
          calls.push(params);
          return {
            id: ORG,
            balances: { aiCredits: { featureId: 'aiCredits', granted: 100, remaining: 40, usage: 60, overageAllowed: false } },
            billingControls: { usageLimits: [{ featureId: 'aiCredits', enabled: true, limit: 10, interval: 'day', filter: { properties: { user_id: 'u1', teamId: 't' } }, usage: 4 }] },
          };
        },
        update: async (params: Record<string, unknown>) => {
          calls.push(params);
          return { id: ORG };
        },
      },
    };
    const autumn = fromAutumnSdk(sdkLike);
    const signal = new AbortController().signal;
    const customer = await autumn.getCustomer!({ customer_id: ORG, expand: ['billing_controls.auto_topups.purchase_limit'] }, { signal });
    expect(calls[0]).toEqual({ customerId: ORG, expand: ['billing_controls.auto_topups.purchase_limit'] });
    expect(customer).toEqual({
      id: ORG,
      balances: { aiCredits: { feature_id: 'aiCredits', granted: 100, remaining: 40, usage: 60, overage_allowed: false } },
      billing_controls: { usage_limits: [{ feature_id: 'aiCredits', enabled: true, limit: 10, interval: 'day', filter: { properties: { user_id: 'u1', teamId: 't' } }, usage: 4 }] },
    });
    await autumn.updateCustomer!({ customer_id: ORG, billing_controls: { usage_limits: [{ feature_id: 'aiCredits', filter: { properties: { user_id: 'u1' } } }] } }, { signal });
    expect(calls[1]).toEqual({ customerId: ORG, billingControls: { usageLimits: [{ featureId: 'aiCredits', filter: { properties: { user_id: 'u1' } } }] } });
  });
});
