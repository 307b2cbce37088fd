/**
 * Conformance of `balances.check` (and the error / validation rules of every route) with Autumn's server.
 * Scenario ids follow the research notes (T1–T54); each expectation is Autumn's, from the cited test or code.
 *
 * Not ported (the stand-in has no such feature, or the notes leave it open):
 * - T20, T39 (part), T42 (source setup): the customer billing control `overage_allowed` — not in the stand-in. T42 is
 *   ported on a plan whose usage price allows overage natively (T19's rule), not through the control.
 * - T36 (parts), T38 (parts): the V2.0 / V1.2 / V0.2 shapes — API versions below 2.1; `preview` (`with_preview`) —
 *   paywall previews are not in the stand-in.
 * - T37 (part): included + prepaid units of one plan item are one grant on Autumn; the stand-in's plans have no
 *   prepaid item, so the 600 is a plan grant of 100 plus a top-up pack of 500 (two grants).
 * - T43 (parts): send_event with a publishable key, or on a boolean feature — the stand-in has neither.
 * - T44 (parts): `entity_not_found` with `entity_id` — entities; auto-create on API 1.2 / 2.0 — versions below 2.1.
 * - T46 (parts): which outages trigger the fallback (Redis, DB, 3 s budget, rate-limit degradation) — the stand-in
 *   injects the fallback itself (`faults.inject('balances.check', { kind: 'fail-open' })`); the unknown-feature stub.
 * - T47: the fallback in the `beta` (legacy) shape — versions below 2.1.
 * - T48: a non-transient hydration failure stays 500 — no stand-in fault models a hydration failure (a `status`
 *   fault would only test the fault itself).
 * - T51 (parts): the pre-context `{message: "Internal server error"}` body, 500 for internal Zod errors, 403
 *   `insufficient_scopes`, `Retry-After` on 503 — no such paths in the stand-in.
 * - T52, T53 (customer id / email formats): `customers.*` routes, not check or track (the customers suite's).
 * - T54 (parts): `rollovers`, `unlimited` grants, `max_purchase` — not in the stand-in's plans.
 */
import { describe, expect } from 'vitest';
import type { CreditsConfig } from '../../src/core/config.js';
import { CONFORMANCE_CONFIG, FEATURE, post, rejection, scenario, seed, useConformance, waitForEvents } from './harness.js';

const CHECK_BASIC = 'server/tests/integration/balances/check/check-basic.test.ts';
const CHECK_PREPAID = 'server/tests/integration/balances/check/check-prepaid.test.ts';
const CHECK_MISC = 'server/tests/integration/balances/check/check-misc.test.ts';
const CHECK_FALLBACK = 'server/tests/integration/balances/check/check-fallback.test.ts';
const CHECK_OVERAGE = 'server/tests/integration/balances/check/overage-allowed/check-customer-overage-allowed.test.ts';
const CHECK_IDEMPOTENCY = 'server/tests/integration/balances/track/idempotency/check-idempotency.test.ts';
const SEND_EVENT = 'server/tests/balances/check/send-event/send-event1.test.ts';
const TRACK_OVERFLOW = 'server/tests/integration/balances/track/overage-overflow/track-overage-overflow.test.ts';

/**
 * The conformance plans plus `free200` (send-event1's single free grant of 200 messages), and no default plan, so a
 * customer made by `get_or_create` has no grant of the feature (Autumn's customer before any attach).
 */
const CHECK_CONFIG: CreditsConfig = {
  ...CONFORMANCE_CONFIG,
  plans: [
    ...CONFORMANCE_CONFIG.plans.map((plan) => ({ ...plan, isDefault: false })),
    { id: 'free200', name: 'free200', kind: 'free', price: 0, credits: 200, interval: 'month' },
  ],
};

/** The SDK error's HTTP status and parsed body. */
async function failure(promise: Promise<unknown>): Promise<{ status: number; body: any }> {
  const error = await rejection(promise);
  return { status: error.statusCode, body: JSON.parse(error.body) };
}

describe('balances.check', () => {
  const env = useConformance({ config: CHECK_CONFIG });
  const auth = () => ({ authorization: `Bearer ${env.standIn.secretKey}` });
  const check = (body: Record<string, unknown>, headers?: Record<string, string>) =>
    post(env.standIn, 'balances.check', body, headers === undefined ? undefined : { ...auth(), ...headers });

  // ------------------------------------------------------------------ shapes and thresholds

  scenario('T36', `${CHECK_BASIC} — "check-metered: /check on metered feature"`, 'the 2.1+ body of a metered check: allowed, required 1, the balance, flag null', async () => {
    const id = seed(env.standIn, 'free1000');

    const result = await env.autumn.check({ customerId: id, featureId: FEATURE });

    expect(result).toEqual({
      allowed: true,
      customerId: id,
      requiredBalance: 1,
      balance: {
        featureId: FEATURE,
        granted: 1000,
        remaining: 1000,
        usage: 0,
        unlimited: false,
        overageAllowed: false,
        maxPurchase: null,
        nextResetAt: expect.any(Number),
        breakdown: [
          expect.objectContaining({
            planId: 'free1000',
            includedGrant: 1000,
            prepaidGrant: 0,
            remaining: 1000,
            usage: 0,
            reset: expect.objectContaining({ interval: 'month' }),
          }),
        ],
      },
      flag: null,
    });
    expect(result.entityId).toBeUndefined();
    expect(result.preview).toBeUndefined();
  });

  scenario(
    'T37',
    `${CHECK_PREPAID} — "check-prepaid: basic V1/V2 response shape + allowed thresholds"`,
    'required_balance defaults to 1 (echoed); allowed while remaining >= required',
    async () => {
      const id = seed(env.standIn, 'free100', { topUpCredits: 500 });

      const byDefault = await env.autumn.check({ customerId: id, featureId: FEATURE });
      expect([byDefault.allowed, byDefault.requiredBalance]).toEqual([true, 1]);

      expect((await env.autumn.check({ customerId: id, featureId: FEATURE, requiredBalance: 599 })).allowed).toBe(true);
      expect((await env.autumn.check({ customerId: id, featureId: FEATURE, requiredBalance: 600 })).allowed).toBe(true);
      expect((await env.autumn.check({ customerId: id, featureId: FEATURE, requiredBalance: 601 })).allowed).toBe(false);
      expect(env.standIn.balance(id)).toMatchObject({ granted: 600, remaining: 600, usage: 0 });
    },
  );

  scenario(
    'T37b',
    'shared/api/customers/cusFeatures/utils/convert/apiBalanceToAllowed.ts — if (requiredBalance < 0) return { allowed: true }',
    'a negative required_balance is allowed even at 0 remaining',
    async () => {
      const id = seed(env.standIn, 'free100', { usage: 100 });

      const result = await env.autumn.check({ customerId: id, featureId: FEATURE, requiredBalance: -5 });

      expect(result.allowed).toBe(true);
      expect(env.standIn.balance(id)).toMatchObject({ remaining: 0, usage: 100 });
    },
  );

  scenario(
    'T37c',
    'shared/api/balances/check/checkParams.ts — required_quantity (legacy); server/src/internal/balances/handlers/handleCheck.ts',
    'the legacy required_quantity is used when required_balance is missing (code-derived)',
    async () => {
      const id = seed(env.standIn, 'free100');

      const over = await check({ customer_id: id, feature_id: FEATURE, required_quantity: 101 }, {});
      const under = await check({ customer_id: id, feature_id: FEATURE, required_quantity: 100 }, {});

      expect([over.status, over.body.allowed]).toEqual([200, false]);
      expect([under.status, under.body.allowed]).toEqual([200, true]);
    },
  );

  scenario(
    'T39',
    `${CHECK_OVERAGE} — "check-overage-allowed-3: free feature, no billing control (baseline) — check returns allowed:false at 0"`,
    'a used-up lifetime grant with no overage is not allowed',
    async () => {
      const id = seed(env.standIn, 'lifetime100');

      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 100 });
      const result = await env.autumn.check({ customerId: id, featureId: FEATURE });

      expect(result.allowed).toBe(false);
      expect(result.balance).toMatchObject({ granted: 100, remaining: 0, usage: 100 });
    },
  );

  scenario(
    'T39b',
    `${CHECK_BASIC} — "check-usage-based: /check on usage-based feature"; shared/api/customers/cusFeatures/utils/convert/apiBalanceToAllowed.ts`,
    'with a usage price (overage allowed, no cap) check is allowed even at 0 remaining',
    async () => {
      const id = seed(env.standIn, 'consumable100');

      const fresh = await env.autumn.check({ customerId: id, featureId: FEATURE });
      expect(fresh).toMatchObject({ allowed: true, requiredBalance: 1, balance: { granted: 100, remaining: 100, usage: 0, overageAllowed: true } });

      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 130 });
      const used = await env.autumn.check({ customerId: id, featureId: FEATURE, requiredBalance: 1000 });
      expect(used.allowed).toBe(true);
      expect(used.balance).toMatchObject({ remaining: 0, usage: 130 });
    },
  );

  scenario(
    'T40',
    `${TRACK_OVERFLOW} — "track-overage-overflow1: overflow drives a plain metered balance negative; check and cap-mode tracks stay blocked"`,
    'usage pushed past the grant by overflow blocks check',
    async () => {
      const id = seed(env.standIn, 'free100');

      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 150, overageBehavior: 'overflow' });
      const result = await env.autumn.check({ customerId: id, featureId: FEATURE });

      expect(result.allowed).toBe(false);
      expect(result.balance).toMatchObject({ granted: 100, remaining: 0, usage: 150 });
    },
  );

  // ------------------------------------------------------------------ send_event

  scenario(
    'T41',
    `${SEND_EVENT} — "should check with track for consumable feature"`,
    '150 concurrent send_event checks of 2 on 200: exactly 100 allowed, then refused at usage 200',
    async () => {
      const id = seed(env.standIn, 'free200');

      const results = await Promise.all(
        Array.from({ length: 150 }, () => env.autumn.check({ customerId: id, featureId: FEATURE, requiredBalance: 2, sendEvent: true })),
      );

      expect(results.filter((result) => result.allowed)).toHaveLength(100);
      expect(results.filter((result) => !result.allowed)).toHaveLength(50);
      const final = await env.autumn.check({ customerId: id, featureId: FEATURE, requiredBalance: 2, sendEvent: true });
      expect(final.allowed).toBe(false);
      expect(final.balance).toMatchObject({ granted: 200, remaining: 0, usage: 200 });
    },
    30_000,
  );

  scenario(
    'T41b',
    'server/src/internal/balances/check/runCheckWithTrackV2.ts (internal track with overage_behavior "reject")',
    'send_event is all-or-nothing: short of the required balance it is 200 allowed:false and deducts nothing',
    async () => {
      const id = seed(env.standIn, 'free20', { usage: 19 });

      const refused = await env.autumn.check({ customerId: id, featureId: FEATURE, requiredBalance: 2, sendEvent: true });
      expect(refused.allowed).toBe(false);
      expect(env.standIn.balance(id)).toMatchObject({ remaining: 1, usage: 19 });

      const allowed = await env.autumn.check({ customerId: id, featureId: FEATURE, requiredBalance: 1, sendEvent: true });
      expect(allowed.allowed).toBe(true);
      expect(allowed.balance).toMatchObject({ remaining: 0, usage: 20 });
    },
  );

  scenario(
    'T42',
    `${CHECK_OVERAGE} — "check-overage-allowed-4: check with send_event:true, enabled:true — allowed:true and balance goes negative"`,
    'send_event with overage allowed (usage price) is allowed and deducts past the grant',
    async () => {
      const id = seed(env.standIn, 'consumable100');

      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 100 });
      const result = await env.autumn.check({ customerId: id, featureId: FEATURE, requiredBalance: 25, sendEvent: true });

      expect(result.allowed).toBe(true);
      expect(result.balance).toMatchObject({ remaining: 0, usage: 125 });
    },
  );

  // ------------------------------------------------------------------ not found

  scenario(
    'T44',
    `${CHECK_MISC} — "check-misc5: v2.1 does not auto-create customer via /check"`,
    'a check for an unknown customer is 404 customer_not_found and does not create it',
    async () => {
      const { status, body } = await failure(env.autumn.check({ customerId: 'ghost', featureId: FEATURE }));

      expect(status).toBe(404);
      expect(body).toMatchObject({ code: 'customer_not_found', message: 'Customer ghost not found' });
      const after = await failure(env.autumn.customers.get({ customerId: 'ghost' }));
      expect([after.status, after.body.code]).toEqual([404, 'customer_not_found']);
    },
  );

  scenario(
    'T45',
    'server/src/internal/balances/check/getCheckDataV2.ts → FeatureNotFoundError',
    'a check of an unknown feature is 404 feature_not_found (code-derived)',
    async () => {
      const id = seed(env.standIn, 'free100');

      const { status, body } = await failure(env.autumn.check({ customerId: id, featureId: 'nope' }));

      expect(status).toBe(404);
      expect(body).toEqual({ code: 'feature_not_found', message: 'Feature nope not found', env: expect.any(String) });
    },
  );

  // ------------------------------------------------------------------ fail-open fallback

  scenario(
    'T46',
    `${CHECK_FALLBACK} — "check-fallback: /check returns allowed=true on retryable customer load failure"`,
    'the fallback is 202 exactly {allowed: true, customer_id, required_balance: 1, balance: null, flag: null}',
    async () => {
      const id = seed(env.standIn, 'free1000');
      env.standIn.faults.inject('balances.check', { kind: 'fail-open' }, { times: 1 });

      const response = await check({ customer_id: id, feature_id: FEATURE }, {});

      expect(response).toEqual({ status: 202, body: { allowed: true, customer_id: id, required_balance: 1, balance: null, flag: null } });
    },
  );

  scenario(
    'T46b',
    'server/src/internal/api/check/checkUtils/buildCheckFallbackResponse.ts (required_balance = body.required_balance ?? required_quantity ?? 1)',
    'the fallback echoes required_balance and deducts nothing, records nothing, holds no lock',
    async () => {
      const id = seed(env.standIn, 'free20', { usage: 10 });
      env.standIn.faults.inject('balances.check', { kind: 'fail-open' }, { times: 2 });

      const sent = await check({ customer_id: id, feature_id: FEATURE, required_balance: 5, send_event: true }, {});
      const locked = await check({ customer_id: id, feature_id: FEATURE, required_balance: 5, lock: { enabled: true, lock_id: 'fo-lock' } }, {});

      expect(sent).toEqual({ status: 202, body: { allowed: true, customer_id: id, required_balance: 5, balance: null, flag: null } });
      expect(locked).toEqual({ status: 202, body: { allowed: true, customer_id: id, required_balance: 5, balance: null, flag: null } });
      expect(env.standIn.balance(id)).toMatchObject({ remaining: 10, usage: 10 });
      waitForEvents(env.standIn);
      expect(env.standIn.events(id)).toEqual([]);
      // No lock was made: the same lock_id is free on the next (normal) check.
      const again = await env.autumn.check({ customerId: id, featureId: FEATURE, requiredBalance: 5, lock: { enabled: true, lockId: 'fo-lock' } });
      expect(again.allowed).toBe(true);
      expect(env.standIn.balance(id)).toMatchObject({ remaining: 5, usage: 15 });
    },
  );

  // ------------------------------------------------------------------ idempotency

  scenario(
    'T49',
    `${CHECK_IDEMPOTENCY} — "check idempotency: header key on a successful check, retry gets 409"`,
    'a repeated Idempotency-Key header on check is 409 duplicate_idempotency_key',
    async () => {
      const id = seed(env.standIn, 'free20');

      const first = await check({ customer_id: id, feature_id: FEATURE }, { 'Idempotency-Key': 'CH' });
      const second = await check({ customer_id: id, feature_id: FEATURE }, { 'Idempotency-Key': 'CH' });

      expect(first.status).toBe(200);
      expect(second.status).toBe(409);
      expect(second.body).toEqual({
        message: 'Another request with idempotency key CH has already been received',
        code: 'duplicate_idempotency_key',
        env: expect.any(String),
      });
    },
  );

  scenario(
    'T49b',
    `${CHECK_IDEMPOTENCY} — "check idempotency: lock_id is the body-level dedup — same lock_id twice is refused"`,
    'a second check with the same lock_id is 409 lock_already_exists',
    async () => {
      const id = seed(env.standIn, 'free20');
      const withLock = () => env.autumn.check({ customerId: id, featureId: FEATURE, requiredBalance: 5, lock: { enabled: true, lockId: 'L1' } });

      expect((await withLock()).allowed).toBe(true);
      const { status, body } = await failure(withLock());

      expect(status).toBe(409);
      expect(body).toMatchObject({ code: 'lock_already_exists', message: 'A lock with this ID already exists' });
    },
  );

  scenario(
    'T49c',
    `${CHECK_IDEMPOTENCY} — file contract: "Check has no body idempotency_key"`,
    'a body idempotency_key on check is ignored: the same key twice is answered twice',
    async () => {
      const id = seed(env.standIn, 'free20');

      const first = await check({ customer_id: id, feature_id: FEATURE, idempotency_key: 'body-key' }, {});
      const second = await check({ customer_id: id, feature_id: FEATURE, idempotency_key: 'body-key' }, {});

      expect([first.status, second.status]).toEqual([200, 200]);
    },
  );

  // ------------------------------------------------------------------ protocol: error body, validation

  scenario(
    'T51',
    'server/src/honoMiddlewares/errorMiddleware.ts',
    'every error body is exactly {message, code, env}',
    async () => {
      const id = seed(env.standIn, 'free20');

      const responses = [
        await check({ customer_id: 'ghost', feature_id: FEATURE }, {}),
        await check({ customer_id: id, feature_id: 'nope' }, {}),
        await check({ customer_id: id }, {}),
        await check({ customer_id: id, feature_id: FEATURE }, { 'x-api-version': '9.9.9' }),
      ];

      for (const response of responses) {
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(Object.keys(response.body).sort()).toEqual(['code', 'env', 'message']);
      }
    },
  );

  scenario(
    'T51b',
    'server/src/honoMiddlewares/errorMiddleware.ts; validatorMiddleware.ts (a body that is not JSON is read as {})',
    'an invalid or empty JSON body is read as {} and fails validation: 400 invalid_inputs',
    async () => {
      seed(env.standIn, 'free20');

      for (const route of ['balances.check', 'balances.track']) {
        for (const body of ['{"customer_id": ', '']) {
          const response = await fetch(`${env.standIn.url}/v1/${route}`, {
            method: 'POST',
            headers: { ...auth(), 'content-type': 'application/json' },
            body,
          });
          const json = await response.json();
          expect([route, body, response.status, json.code]).toEqual([route, body, 400, 'invalid_inputs']);
        }
      }
    },
  );

  scenario(
    'T51c',
    'server/src/errors/formatZodError.ts; shared/api/balances/check/checkParams.ts (required_balance: z.number())',
    'a Zod failure says "<path>: <message>", e.g. "required_balance: must be a number (received string)" (code-derived)',
    async () => {
      const id = seed(env.standIn, 'free20');

      const response = await check({ customer_id: id, feature_id: FEATURE, required_balance: 'ten' }, {});

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'invalid_inputs', message: 'required_balance: must be a number (received string)' });
    },
  );

  scenario(
    'T51d',
    'server/src/errors/formatZodError.ts; shared/api/balances/track/trackParams.ts (value: z.number()); shared/api/balances/track/overageBehavior.ts',
    'track\'s Zod failures: "value: must be a number (received string)"; a bad overage_behavior is "overage_behavior: …" (code-derived)',
    async () => {
      const id = seed(env.standIn, 'free20');

      const value = await post(env.standIn, 'balances.track', { customer_id: id, feature_id: FEATURE, value: 'ten' });
      const behavior = await post(env.standIn, 'balances.track', { customer_id: id, feature_id: FEATURE, overage_behavior: 'maybe' });

      expect([value.status, value.body.code, value.body.message]).toEqual([400, 'invalid_inputs', 'value: must be a number (received string)']);
      expect([behavior.status, behavior.body.code]).toEqual([400, 'invalid_inputs']);
      expect(behavior.body.message).toMatch(/^overage_behavior: /);
      expect(env.standIn.balance(id).usage).toBe(0);
    },
  );
});

describe('balances.check for a customer without a grant', () => {
  const env = useConformance({ config: CHECK_CONFIG });

  scenario(
    'T38',
    `${CHECK_BASIC} — "check-no-feature: /check when no feature attached"; server/src/internal/balances/check/getCheckResponseV2.ts`,
    'no grant: 200 {allowed: false, customer_id, required_balance: 1, balance: null, flag: null} (flag: code-derived)',
    async () => {
      await env.autumn.customers.getOrCreate({ customerId: 'nogrant' });

      const result = await env.autumn.check({ customerId: 'nogrant', featureId: FEATURE });

      expect(result).toEqual({ allowed: false, customerId: 'nogrant', requiredBalance: 1, balance: null, flag: null });
    },
  );

  scenario(
    'T38b',
    'shared/api/customers/cusFeatures/utils/convert/apiBalanceToAllowed.ts — if (!apiBalance) return { allowed: false } (before the negative-required rule)',
    'no grant is refused for any required_balance, zero and negative included',
    async () => {
      await env.autumn.customers.getOrCreate({ customerId: 'nogrant' });

      for (const requiredBalance of [0, -1]) {
        const result = await env.autumn.check({ customerId: 'nogrant', featureId: FEATURE, requiredBalance });
        expect([requiredBalance, result.allowed]).toEqual([requiredBalance, false]);
      }
    },
  );

  scenario(
    'T43',
    'server/src/internal/balances/check/runCheckWithTrackV2.ts buildNoEntitlementResponse; server/tests/unit/balances/check-v2/runCheckWithTrackV2-no-entitlement.test.ts — "buildNoEntitlementResponse returns allowed: false"',
    'send_event with no grant: 200 allowed false, balance null, flag null, and no event',
    async () => {
      await env.autumn.customers.getOrCreate({ customerId: 'nogrant' });

      const result = await env.autumn.check({ customerId: 'nogrant', featureId: FEATURE, requiredBalance: 10, sendEvent: true });
      waitForEvents(env.standIn);

      expect(result).toEqual({ allowed: false, customerId: 'nogrant', requiredBalance: 10, balance: null, flag: null });
      expect(env.standIn.events('nogrant')).toEqual([]);
    },
  );
});
