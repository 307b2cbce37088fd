/**
 * Conformance of `balances.track` (and the protocol rules it shares with every route) with Autumn's server.
 * Scenario ids follow the research notes (T1–T54); each expectation is Autumn's, from the cited test or code.
 *
 * Not ported (the stand-in has no such feature, or the notes leave it open):
 * - T4, T5: API 1.2 response shape / legacy `properties.value` — API versions below 2.1 (the stand-in refuses them).
 * - T6 (part): `balances[credits] === null` — a linked credit system; the stand-in has one stand-alone feature.
 * - T7: event_name matching several features — the stand-in has one feature.
 * - T13: refund cap including `add_to_balance` — `balances.update` is not in the stand-in.
 * - T20, T21, T22: customer billing controls (`overage_allowed`) and `max_purchase` — not in the stand-in.
 * - T23 (part, "track-overage-overflow3"): spend limits clamping overflow — not in the stand-in.
 * - T24 (source test): `track-allocated6` is on an allocated (continuous-use) feature; ported on the consumable one,
 *   after the Lua rule the notes cite.
 * - T25 (part): which balance period a backdated timestamp charges — UNCONFIRMED in the notes.
 * - T27 (parts): `entity_not_found` with `entity_id` — entities; auto-create on API 1.2 / 2.0 — versions below 2.1.
 * - T32 (part): org-configured TTLs (1–720 h) and the store-down fail-open — no org config / store in the stand-in.
 * - T33 (parts): 503 when no queue is configured — the stand-in always has its queue; the V1.2 async shape; what the
 *   worker does for an unknown customer — UNCONFIRMED.
 * - T33b: API 2.5 async-by-default — not a version the stand-in (nor the server version the notes pin) knows.
 * - T34: a sync track queued when Redis/DB is down — no stand-in fault models it.
 * - T50 (parts): `beta`, legacy floats and CalVer dates of versions below 2.1 — accepted by Autumn but answered in
 *   pre-2.1 shapes the stand-in refuses (a documented difference).
 */
import { describe, expect } from 'vitest';
import { CONFORMANCE_CONFIG, FEATURE, post, rejection, scenario, seed, useConformance, waitForEvents } from './harness.js';

const TRACK_BASIC = 'server/tests/integration/balances/track/basic/track-basic.test.ts';
const TRACK_MISC = 'server/tests/integration/balances/track/track-misc.test.ts';
const TRACK_DEDUCTIONS = 'server/tests/integration/balances/track/basic/track-deductions.test.ts';
const TRACK_EVENT_NAME = 'server/tests/integration/balances/track/basic/track-event-name.test.ts';
const TRACK_NEGATIVE = 'server/tests/integration/balances/track/basic/track-negative.test.ts';
const TRACK_BREAKDOWN_NEGATIVE = 'server/tests/balances/track/breakdown/track-breakdown-negative.test.ts';
const TRACK_OVERFLOW = 'server/tests/integration/balances/track/overage-overflow/track-overage-overflow.test.ts';
const TRACK_CONSUMABLE_OVERAGE = 'server/tests/integration/balances/track/overage-allowed/track-overage-allowed-consumable.test.ts';
const TRACK_TIMESTAMP = 'server/tests/integration/balances/track/basic/track-timestamp.test.ts';
const TRACK_EDGE_CASES = 'server/tests/integration/balances/track/track-edge-cases.test.ts';
const BODY_IDEMPOTENCY = 'server/tests/integration/balances/track/idempotency/track-body-idempotency.test.ts';
const HEADER_IDEMPOTENCY = 'server/tests/integration/balances/track/idempotency/request-header-idempotency.test.ts';
const TTL_CONFIG = 'server/tests/integration/balances/track/idempotency/idempotency-ttl-config.test.ts';

/** The SDK error's HTTP status and parsed body. */
async function failure(promise: Promise<unknown>): Promise<{ status: number; body: any }> {
  const error = await rejection(promise);
  return { status: error.statusCode, body: JSON.parse(error.body) };
}

describe('balances.track', () => {
  const env = useConformance();
  const auth = () => ({ authorization: `Bearer ${env.standIn.secretKey}` });
  const track = (body: Record<string, unknown>, headers?: Record<string, string>) =>
    post(env.standIn, 'balances.track', body, headers === undefined ? undefined : { ...auth(), ...headers });

  // ------------------------------------------------------------------ value, decimals, response shape

  scenario('T1', `${TRACK_BASIC} — "track-basic1: track with no value provided defaults to 1"`, 'a track with no value deducts 1 and echoes value 1', async () => {
    const id = seed(env.standIn, 'free100');

    const result = await env.autumn.track({ customerId: id, featureId: FEATURE });

    expect(result.value).toBe(1);
    expect(result.balance).toMatchObject({ granted: 100, remaining: 99, usage: 1 });
  });

  scenario('T1b', `${TRACK_MISC} — "track-misc7: track defaults to value 1 when no value provided"`, 'the event of a track with no value has value 1', async () => {
    const id = seed(env.standIn, 'free100');

    await env.autumn.track({ customerId: id, featureId: FEATURE });
    waitForEvents(env.standIn);
    const events = await env.autumn.events.list({ customerId: id });

    expect(events.list.map((event) => event.value)).toEqual([1]);
  });

  scenario('T2', `${TRACK_BASIC} — "track-basic2: track with explicit value provided"`, 'an explicit decimal value is deducted exactly, also on a re-read', async () => {
    const id = seed(env.standIn, 'free100');

    const result = await env.autumn.track({ customerId: id, featureId: FEATURE, value: 23.47 });

    expect(result.balance).toMatchObject({ granted: 100, remaining: 76.53, usage: 23.47 });
    const customer = await env.autumn.customers.getOrCreate({ customerId: id });
    expect(customer.balances[FEATURE]).toMatchObject({ granted: 100, remaining: 76.53, usage: 23.47 });
  });

  scenario(
    'T3',
    `${TRACK_DEDUCTIONS} — "track-deductions-C: feature with no credit systems surfaces a single deduction"`,
    'the 2.1+ body is {customer_id, value, balance, deductions}: one positive deduction, no balances map',
    async () => {
      const id = seed(env.standIn, 'free100');

      const result = await env.autumn.track({ customerId: id, featureId: FEATURE, value: 7 });

      expect(result).toEqual({
        customerId: id,
        value: 7,
        balance: expect.objectContaining({ featureId: FEATURE, granted: 100, remaining: 93, usage: 7 }),
        deductions: [
          {
            balanceId: expect.any(String),
            featureId: FEATURE,
            planId: 'free100',
            reset: expect.objectContaining({ interval: 'month' }),
            value: 7,
          },
        ],
      });
      expect(result.balances).toBeUndefined();
      expect(result.entityId).toBeUndefined();
      expect(result.eventName).toBeUndefined();
    },
  );

  scenario(
    'T35',
    `${TRACK_EDGE_CASES} — "track-edge-case1: floating point precision with decimal tracking"`,
    '0.1 then 0.2 leave no float drift, and a send_event check after them is allowed',
    async () => {
      const id = seed(env.standIn, 'free1000');

      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 0.1 });
      const second = await env.autumn.track({ customerId: id, featureId: FEATURE, value: 0.2 });
      expect(second.balance).toMatchObject({ remaining: 999.7, usage: 0.3 });

      const check = await env.autumn.check({ customerId: id, featureId: FEATURE, requiredBalance: 10.3, sendEvent: true });
      expect(check.allowed).toBe(true);
      expect(check.balance).toMatchObject({ remaining: 989.4, usage: 10.6 });
    },
  );

  scenario(
    'T35b',
    'server/src/internal/customers/cusUtils/getApiCustomerV2/getApiBalance/roundApiBalance.ts; runDeductionOnContextV2.lua round_to_precision(x, 10)',
    'every balance number is rounded to 10 decimal places (code-derived)',
    async () => {
      const id = seed(env.standIn, 'free100');

      const result = await env.autumn.track({ customerId: id, featureId: FEATURE, value: 1 / 3 });

      expect(result.balance).toMatchObject({ granted: 100, remaining: 99.6666666667, usage: 0.3333333333 });
      expect(result.balance?.breakdown?.[0]).toMatchObject({ includedGrant: 100, remaining: 99.6666666667, usage: 0.3333333333 });
    },
  );

  // ------------------------------------------------------------------ feature_id / event_name

  scenario(
    'T9',
    'shared/api/balances/track/trackParams.ts — .refine(...) "Either feature_id or event_name must be provided"',
    'feature_id together with event_name, or neither, is 400 invalid_inputs',
    async () => {
      const id = seed(env.standIn, 'free100');

      const both = await track({ customer_id: id, feature_id: FEATURE, event_name: 'x' });
      const neither = await track({ customer_id: id });

      for (const response of [both, neither]) {
        expect(response.status).toBe(400);
        expect(response.body).toMatchObject({ code: 'invalid_inputs', message: 'input: Either feature_id or event_name must be provided' });
      }
      expect(env.standIn.balance(id).usage).toBe(0);
    },
  );

  scenario('T9b', 'shared/api/balances/track/trackParams.ts — event_name: z.string().nonempty()', 'an empty event_name is 400 "event_name: cannot be empty"', async () => {
    const id = seed(env.standIn, 'free100');

    const response = await track({ customer_id: id, event_name: '' });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'invalid_inputs', message: 'event_name: cannot be empty' });
  });

  scenario(
    'T10',
    'server/src/internal/balances/track/utils/getFeatureDeductions.ts → FeatureNotFoundError',
    'an unknown feature_id is 404 feature_not_found',
    async () => {
      const id = seed(env.standIn, 'free100');

      const { status, body } = await failure(env.autumn.track({ customerId: id, featureId: 'missing-feature' }));

      expect(status).toBe(404);
      expect(body).toEqual({ message: 'Feature missing-feature not found', code: 'feature_not_found', env: expect.any(String) });
    },
  );

  scenario(
    'T8',
    'server/src/internal/balances/track/utils/getFeatureDeductions.ts getTrackEventNameDeductions',
    'an event_name no feature lists is 404 invalid_request (code-derived)',
    async () => {
      const id = seed(env.standIn, 'free100');

      const { status, body } = await failure(env.autumn.track({ customerId: id, eventName: 'nope' }));

      expect(status).toBe(404);
      expect(body).toEqual({ message: 'No features found for event name: nope', code: 'invalid_request', env: expect.any(String) });
      expect(env.standIn.balance(id).usage).toBe(0);
    },
  );

  // ------------------------------------------------------------------ refunds

  scenario('T11', `${TRACK_NEGATIVE} — "track-negative1: negative values for refunds/credits"`, 'a refund restores usage, capped at the grant, with no error', async () => {
    const id = seed(env.standIn, 'free100');

    const first = await env.autumn.track({ customerId: id, featureId: FEATURE, value: 30 });
    expect(first.balance).toMatchObject({ remaining: 70, usage: 30 });
    const second = await env.autumn.track({ customerId: id, featureId: FEATURE, value: -10 });
    expect(second.balance).toMatchObject({ remaining: 80, usage: 20 });
    const third = await env.autumn.track({ customerId: id, featureId: FEATURE, value: -50 });
    expect(third.balance).toMatchObject({ granted: 100, remaining: 100, usage: 0 });

    expect(env.standIn.balance(id)).toMatchObject({ granted: 100, remaining: 100, usage: 0 });
  });

  scenario('T12', `${TRACK_NEGATIVE} — "track-negative2: negative on metered feature"`, 'a refund with no prior usage does nothing', async () => {
    const id = seed(env.standIn, 'free100');

    const first = await env.autumn.track({ customerId: id, featureId: FEATURE, value: -37.89 });
    expect(first.balance).toMatchObject({ granted: 100, remaining: 100, usage: 0 });
    await env.autumn.track({ customerId: id, featureId: FEATURE, value: 50 });
    const third = await env.autumn.track({ customerId: id, featureId: FEATURE, value: -37.89 });
    expect(third.balance).toMatchObject({ remaining: 87.89, usage: 12.11 });
  });

  scenario(
    'T14',
    `${TRACK_BREAKDOWN_NEGATIVE} — "negative track -20: should decrement purchased_balance first"; "negative track -20 more: exhaust purchased_balance, then increment current_balance"; "negative track -50: should refund to monthly first (same order as deduction)"`,
    'a refund repays overage first, then restores grants in deduction order (monthly before one-off)',
    async () => {
      // Monthly grant of 100 with a usage price (overage allowed) + a one-off pack of 50.
      const id = seed(env.standIn, 'consumable100', { topUpCredits: 50 });

      const after180 = await env.autumn.track({ customerId: id, featureId: FEATURE, value: 180 });
      expect(after180.balance).toMatchObject({ granted: 150, remaining: 0, usage: 180 });

      const after20 = await env.autumn.track({ customerId: id, featureId: FEATURE, value: -20 });
      expect(after20.balance).toMatchObject({ granted: 150, remaining: 0, usage: 160 });

      const after40 = await env.autumn.track({ customerId: id, featureId: FEATURE, value: -20 });
      expect(after40.balance).toMatchObject({ granted: 150, remaining: 10, usage: 140 });

      const after90 = await env.autumn.track({ customerId: id, featureId: FEATURE, value: -50 });
      expect(after90.balance).toMatchObject({ granted: 150, remaining: 60, usage: 90 });
      const [monthly, oneOff] = after90.balance!.breakdown!;
      expect(monthly).toMatchObject({ planId: 'consumable100', remaining: 60, usage: 40 });
      expect(oneOff).toMatchObject({ planId: 'topup', remaining: 0, usage: 50 });
    },
  );

  scenario(
    'T15',
    `${TRACK_DEDUCTIONS} — "track-deductions-D: negative track value yields a negative-value deduction"`,
    'a negative value shows as one negative deduction',
    async () => {
      const id = seed(env.standIn, 'free100', { usage: 10 });

      const result = await env.autumn.track({ customerId: id, featureId: FEATURE, value: -4 });

      expect(result.deductions).toHaveLength(1);
      expect(result.deductions?.[0]).toMatchObject({ featureId: FEATURE, value: -4 });
    },
  );

  scenario(
    'T16',
    `${TRACK_OVERFLOW} — "track-overage-overflow4: a negative value with overflow credits above the granted balance"`,
    'a refund with overage_behavior overflow is not capped: remaining above granted, usage negative',
    async () => {
      const id = seed(env.standIn, 'free100');

      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 30 });
      const result = await env.autumn.track({ customerId: id, featureId: FEATURE, value: -50, overageBehavior: 'overflow' });

      expect(result.balance).toMatchObject({ granted: 100, remaining: 120, usage: -20 });
      expect(env.standIn.balance(id)).toMatchObject({ granted: 100, remaining: 120, usage: -20 });
    },
  );

  // ------------------------------------------------------------------ going over the balance

  scenario(
    'T17',
    `${TRACK_CONSUMABLE_OVERAGE} — "track-consumable-overage-4: consumable, enabled:false — overage capped at 0"`,
    'the default cap deducts only what fits: 200, usage stops at the grant, value echoes the request',
    async () => {
      const id = seed(env.standIn, 'free100');

      const result = await env.autumn.track({ customerId: id, featureId: FEATURE, value: 130 });

      expect(result.value).toBe(130);
      expect(result.balance).toMatchObject({ granted: 100, remaining: 0, usage: 100 });
    },
  );

  scenario(
    'T17b',
    'server/src/internal/balances/track/utils/projectMutationLogsToTrackDeductionsV2.ts (with T17)',
    'a capped track reports the applied amount in deductions[].value (code-derived)',
    async () => {
      const id = seed(env.standIn, 'free100');

      const result = await env.autumn.track({ customerId: id, featureId: FEATURE, value: 130 });

      expect(result.deductions?.map((deduction) => deduction.value)).toEqual([100]);
    },
  );

  scenario(
    'T19',
    `${TRACK_CONSUMABLE_OVERAGE} — "track-consumable-overage-1: consumable, enabled:true, no spend limit, no max purchase — overage uncapped"`,
    'with a usage price, overage is deducted: remaining 0, usage past granted, granted unchanged',
    async () => {
      const id = seed(env.standIn, 'consumable100');

      const result = await env.autumn.track({ customerId: id, featureId: FEATURE, value: 200 });

      expect(result.balance).toMatchObject({ granted: 100, remaining: 0, usage: 200, overageAllowed: true });
    },
  );

  scenario(
    'T19b',
    `${TRACK_CONSUMABLE_OVERAGE} — "track-consumable-overage-6: consumable, enabled:false after existing overage — no further deduction" (step 1)`,
    'a consumable track of 130 on 100 leaves remaining 0, usage 130',
    async () => {
      const id = seed(env.standIn, 'consumable100');

      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 130 });

      expect(env.standIn.balance(id)).toMatchObject({ granted: 100, remaining: 0, usage: 130, overageAllowed: true });
    },
  );

  scenario(
    'T23',
    `${TRACK_OVERFLOW} — "track-overage-overflow1: overflow drives a plain metered balance negative; check and cap-mode tracks stay blocked"`,
    'overflow takes the whole value past the grant; later cap tracks apply nothing (T18)',
    async () => {
      const id = seed(env.standIn, 'free100');

      const overflow = await env.autumn.track({ customerId: id, featureId: FEATURE, value: 150, overageBehavior: 'overflow' });
      expect(overflow.balance).toMatchObject({ granted: 100, remaining: 0, usage: 150 });

      const check = await env.autumn.check({ customerId: id, featureId: FEATURE });
      expect(check.allowed).toBe(false);

      const capped = await env.autumn.track({ customerId: id, featureId: FEATURE, value: 10 });
      expect(capped.balance).toMatchObject({ granted: 100, remaining: 0, usage: 150 });
    },
  );

  scenario(
    'T24',
    'server/src/_luaScriptsV2 deductFromSubjectBalances.lua (INSUFFICIENT_BALANCE); handleRedisTrackErrorV3.ts; legacy server/tests/balances/track/allocated/track-allocated6.test.ts',
    'overage_behavior "reject" beyond the balance is 400 insufficient_balance and applies nothing',
    async () => {
      const id = seed(env.standIn, 'free15', { usage: 10 });

      const response = await track({ customer_id: id, feature_id: FEATURE, value: 6, overage_behavior: 'reject' });

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'insufficient_balance', message: `Insufficient balance to deduct 6 from feature ${FEATURE}` });
      expect(env.standIn.balance(id)).toMatchObject({ remaining: 5, usage: 10 });
    },
  );

  // ------------------------------------------------------------------ timestamp

  scenario('T25', `${TRACK_TIMESTAMP} — "track timestamp: backdated timestamp is written to Tinybird events"`, 'a backdated timestamp is stored on the event as sent', async () => {
    const id = seed(env.standIn, 'free100');
    const timestamp = env.standIn.clock.now() - 10_000;

    const result = await env.autumn.track({ customerId: id, featureId: FEATURE, value: 7, properties: { marker: 'backdated' }, timestamp });
    waitForEvents(env.standIn);
    const events = await env.autumn.events.list({ customerId: id });

    expect(result.balance).toMatchObject({ remaining: 93, usage: 7 });
    expect(events.list).toHaveLength(1);
    expect(events.list[0]).toMatchObject({ timestamp, value: 7, properties: { marker: 'backdated' } });
  });

  scenario(
    'T25b',
    'shared/api/balances/track/trackTimestamp.ts — z.number().int().safe().nonnegative().positive(), <= Date.now()',
    'a future, fractional or non-positive timestamp is 400 invalid_inputs (code-derived)',
    async () => {
      const id = seed(env.standIn, 'free100');

      const future = await failure(env.autumn.track({ customerId: id, featureId: FEATURE, timestamp: env.standIn.clock.now() + 60_000 }));
      expect(future.status).toBe(400);
      expect(future.body).toMatchObject({ code: 'invalid_inputs', message: 'timestamp: timestamp cannot be in the future' });

      for (const timestamp of [env.standIn.clock.now() - 10_000.5, 0, -5]) {
        const response = await track({ customer_id: id, feature_id: FEATURE, timestamp });
        expect([response.status, response.body.code]).toEqual([400, 'invalid_inputs']);
      }
      expect(env.standIn.balance(id).usage).toBe(0);
    },
  );

  // ------------------------------------------------------------------ customers

  scenario(
    'T27',
    `${TRACK_MISC} — "track-misc6: v2.1 does not auto-create customer via track"`,
    'a track for an unknown customer is 404 customer_not_found and does not create it',
    async () => {
      const { status, body } = await failure(env.autumn.track({ customerId: 'ghost', featureId: FEATURE, value: 1 }));

      expect(status).toBe(404);
      expect(body).toMatchObject({ code: 'customer_not_found', message: 'Customer ghost not found' });
      const after = await failure(env.autumn.customers.get({ customerId: 'ghost' }));
      expect([after.status, after.body.code]).toEqual([404, 'customer_not_found']);
    },
  );

  // ------------------------------------------------------------------ body idempotency_key

  scenario(
    'T28',
    `${TRACK_MISC} — "track-misc9: idempotency key prevents duplicate tracks"; ${BODY_IDEMPOTENCY} — "body idempotency: successful track keeps the key, retry gets 409"`,
    'a repeated body idempotency_key is 409 duplicate_idempotency_key "…track:<key>…" and applies nothing',
    async () => {
      const id = seed(env.standIn, 'free100');

      const first = await track({ customer_id: id, feature_id: FEATURE, value: 25.5, idempotency_key: 'k1' }, {});
      expect(first.status).toBe(200);
      expect(first.body.balance).toMatchObject({ remaining: 74.5 });

      const duplicate = await track({ customer_id: id, feature_id: FEATURE, value: 30.75, idempotency_key: 'k1' }, {});
      expect(duplicate.status).toBe(409);
      expect(duplicate.body).toEqual({
        message: 'Another request with idempotency key track:k1 has already been received',
        code: 'duplicate_idempotency_key',
        env: expect.any(String),
      });
      expect(env.standIn.balance(id).remaining).toBe(74.5);

      const other = await track({ customer_id: id, feature_id: FEATURE, value: 15.25, idempotency_key: 'k2' }, {});
      expect(other.status).toBe(200);
      expect(other.body.balance).toMatchObject({ remaining: 59.25 });

      waitForEvents(env.standIn);
      expect(env.standIn.events(id).map((event) => event.value)).toEqual([25.5, 15.25]);
    },
  );

  scenario(
    'T29',
    `${BODY_IDEMPOTENCY} — "body idempotency: pre-side-effect 4xx releases the key, retry returns the original error"`,
    'a failed track gives its body key back: the retry gets the original 4xx, then a good request may use it',
    async () => {
      const id = seed(env.standIn, 'free15', { usage: 10 });
      const rejected = { customer_id: id, feature_id: FEATURE, value: 6, overage_behavior: 'reject', idempotency_key: 'k' };

      const first = await track(rejected, {});
      const second = await track(rejected, {});
      expect([first.status, first.body.code]).toEqual([400, 'insufficient_balance']);
      expect([second.status, second.body.code]).toEqual([400, 'insufficient_balance']);

      const fixed = await track({ customer_id: id, feature_id: FEATURE, value: 1, idempotency_key: 'k' }, {});
      expect(fixed.status).toBe(200);
      expect(env.standIn.balance(id).usage).toBe(11);
    },
  );

  scenario(
    'T29b',
    'server/src/internal/misc/idempotency/withIdempotencyKey.ts (key kept on 2xx)',
    'a capped track (200) keeps its body key: the retry is 409 (code-derived)',
    async () => {
      const id = seed(env.standIn, 'free15', { usage: 10 });

      const capped = await track({ customer_id: id, feature_id: FEATURE, value: 500, idempotency_key: 'capped' }, {});
      const retry = await track({ customer_id: id, feature_id: FEATURE, value: 500, idempotency_key: 'capped' }, {});

      expect(capped.status).toBe(200);
      expect([retry.status, retry.body.code]).toEqual([409, 'duplicate_idempotency_key']);
    },
  );

  scenario(
    'T28b',
    'server/src/internal/balances/track/runTrackWithRollout.ts (body key claimed after validation and feature resolution)',
    'a held body key does not mask a validation or feature error: those answer first (code-derived)',
    async () => {
      const id = seed(env.standIn, 'free100');
      await track({ customer_id: id, feature_id: FEATURE, value: 1, idempotency_key: 'held' }, {});

      const unknownFeature = await track({ customer_id: id, feature_id: 'missing-feature', idempotency_key: 'held' }, {});
      const invalid = await track({ customer_id: id, feature_id: FEATURE, event_name: 'x', idempotency_key: 'held' }, {});

      expect([unknownFeature.status, unknownFeature.body.code]).toEqual([404, 'feature_not_found']);
      expect([invalid.status, invalid.body.code]).toEqual([400, 'invalid_inputs']);
    },
  );

  // ------------------------------------------------------------------ Idempotency-Key header

  scenario(
    'T30',
    `${HEADER_IDEMPOTENCY} — "header idempotency e2e: successful /track keeps the key, retry gets 409"`,
    'a repeated Idempotency-Key header on track is 409 "…idempotency key <H>…" and applies nothing',
    async () => {
      const id = seed(env.standIn, 'free20');

      const first = await track({ customer_id: id, feature_id: FEATURE, value: 1 }, { 'Idempotency-Key': 'H' });
      const second = await track({ customer_id: id, feature_id: FEATURE, value: 1 }, { 'Idempotency-Key': 'H' });

      expect(first.status).toBe(200);
      expect(second.status).toBe(409);
      expect(second.body).toEqual({
        message: 'Another request with idempotency key H has already been received',
        code: 'duplicate_idempotency_key',
        env: expect.any(String),
      });
      expect(env.standIn.balance(id).usage).toBe(1);
    },
  );

  scenario(
    'T30b',
    `${HEADER_IDEMPOTENCY} — "track-global-idempotency-4xx: retries return original 4xx"`,
    'a 4xx gives the header key back: the retry returns the same 4xx, never 409',
    async () => {
      const id = seed(env.standIn, 'free20');
      const bad = { customer_id: id, feature_id: 'missing-feature', value: 1 };

      const first = await track(bad, { 'Idempotency-Key': 'H4' });
      const second = await track(bad, { 'Idempotency-Key': 'H4' });

      expect([first.status, first.body.code]).toEqual([404, 'feature_not_found']);
      expect([second.status, second.body.code]).toEqual([404, 'feature_not_found']);
      const invalid = await track({ customer_id: id, value: 1 }, { 'Idempotency-Key': 'H5' });
      const valid = await track({ customer_id: id, feature_id: FEATURE, value: 1 }, { 'Idempotency-Key': 'H5' });
      expect(invalid.status).toBe(400);
      expect(valid.status).toBe(200);
    },
  );

  scenario(
    'T31',
    `${BODY_IDEMPOTENCY} — "body + header idempotency: the two keys are independent claims"`,
    'the header key and the body key are two claims: reusing either one is 409',
    async () => {
      const id = seed(env.standIn, 'free20');
      const send = (header: string, key: string) => track({ customer_id: id, feature_id: FEATURE, value: 1, idempotency_key: key }, { 'Idempotency-Key': header });

      const first = await send('H', 'B');
      const sameHeader = await send('H', 'B-fresh');
      const sameBody = await send('H-fresh', 'B');

      expect(first.status).toBe(200);
      expect([sameHeader.status, sameHeader.body.code]).toEqual([409, 'duplicate_idempotency_key']);
      expect([sameBody.status, sameBody.body.code]).toEqual([409, 'duplicate_idempotency_key']);
      expect(env.standIn.balance(id).usage).toBe(1);
    },
  );

  scenario(
    'T32',
    `${TTL_CONFIG} — "an org without config falls back to the 24h default"; server/tests/integration/balances/track/idempotency/dynamo-idempotency-store.test.ts — "an expired-but-undeleted item is claimable"`,
    'a key is held for 24 h, then can be claimed again',
    async () => {
      const id = seed(env.standIn, 'free100');
      const send = () => track({ customer_id: id, feature_id: FEATURE, value: 1, idempotency_key: 'ttl' }, {});

      expect((await send()).status).toBe(200);
      env.standIn.clock.advance(24 * 60 * 60 * 1000 - 60_000);
      expect((await send()).status).toBe(409);
      env.standIn.clock.advance(2 * 60_000);
      expect((await send()).status).toBe(200);
    },
  );

  // ------------------------------------------------------------------ async

  scenario(
    'T33',
    'server/src/internal/balances/handlers/handleTrack.ts; utils/getQueuedTrackResponse.ts; [NEWER] server/tests/integration/balances/track/track-async-default.test.ts — "track-async-default3: 2.4 stays sync by default and queues on async: true"',
    'async: true answers 202 {customer_id, value, balance: null}; the balance moves later',
    async () => {
      const id = seed(env.standIn, 'free100');

      const response = await track({ customer_id: id, feature_id: FEATURE, value: 3, async: true }, {});

      expect(response).toEqual({ status: 202, body: { customer_id: id, value: 3, balance: null } });
      expect(env.standIn.balance(id).remaining).toBe(100);
      env.standIn.flush();
      expect(env.standIn.balance(id).remaining).toBe(97);
    },
  );

  scenario(
    'T33b',
    'server/src/internal/balances/handlers/handleTrack.ts (feature validated before queueing; body key claimed when accepted)',
    'async: true still answers 404 for an unknown feature and 409 for a repeated body key',
    async () => {
      const id = seed(env.standIn, 'free100');

      const unknown = await track({ customer_id: id, feature_id: 'missing-feature', async: true }, {});
      const first = await track({ customer_id: id, feature_id: FEATURE, value: 3, async: true, idempotency_key: 'a1' }, {});
      const duplicate = await track({ customer_id: id, feature_id: FEATURE, value: 3, async: true, idempotency_key: 'a1' }, {});

      expect([unknown.status, unknown.body.code]).toEqual([404, 'feature_not_found']);
      expect(first.status).toBe(202);
      expect([duplicate.status, duplicate.body.code]).toEqual([409, 'duplicate_idempotency_key']);
      env.standIn.flush();
      expect(env.standIn.balance(id).usage).toBe(3);
    },
  );

  // ------------------------------------------------------------------ protocol: x-api-version

  scenario(
    'T50',
    'server/src/honoMiddlewares/apiVersionMiddleware.ts; shared/api/versionUtils/convertVersionUtils.ts (parseVersion); [NEWER] shared/api/versionUtils/ApiVersion.ts @20fd294c (V2_4 = "2.4.0")',
    'x-api-version 2.4.0, 2.1, 2026-05-13 and 2026-05-13.clover are accepted; 9.9.9 is 400 invalid_api_version',
    async () => {
      const id = seed(env.standIn, 'free100');

      for (const version of ['2.4.0', '2.1', '2026-05-13', '2026-05-13.clover']) {
        const response = await track({ customer_id: id, feature_id: FEATURE, value: 1 }, { 'x-api-version': version });
        expect([version, response.status]).toEqual([version, 200]);
      }
      const invalid = await track({ customer_id: id, feature_id: FEATURE, value: 1 }, { 'x-api-version': '9.9.9' });
      expect(invalid.status).toBe(400);
      expect(invalid.body).toEqual({ message: '"9.9.9" is not a valid API version', code: 'invalid_api_version', env: expect.any(String) });
      expect(env.standIn.balance(id).usage).toBe(4);
    },
  );

  scenario(
    'T50b',
    'server/src/routers/apiRouter.ts (idempotency middleware after auth and version); server/src/honoMiddlewares/idempotencyMiddleware.ts',
    'an invalid x-api-version fails before the Idempotency-Key is claimed',
    async () => {
      const id = seed(env.standIn, 'free100');

      const invalid = await track({ customer_id: id, feature_id: FEATURE, value: 1 }, { 'x-api-version': '9.9.9', 'Idempotency-Key': 'V' });
      const valid = await track({ customer_id: id, feature_id: FEATURE, value: 1 }, { 'Idempotency-Key': 'V' });

      expect([invalid.status, invalid.body.code]).toEqual([400, 'invalid_api_version']);
      expect(valid.status).toBe(200);
    },
  );
});

describe('balances.track by event_name', () => {
  const env = useConformance({ eventNames: ['chat-message'] });
  const auth = () => ({ authorization: `Bearer ${env.standIn.secretKey}` });

  scenario(
    'T6',
    `${TRACK_EVENT_NAME} — "track-event-name1: track with event_name instead of feature_id"`,
    'an event_name listed in the feature\'s event_names deducts from it and is echoed',
    async () => {
      const id = seed(env.standIn, 'free100');

      const result = await env.autumn.track({ customerId: id, eventName: 'chat-message', value: 37.89 });

      expect(result.eventName).toBe('chat-message');
      expect(result.value).toBe(37.89);
      expect(result.balance).toMatchObject({ featureId: FEATURE, remaining: 62.11, usage: 37.89 });
    },
  );

  scenario(
    'T6b',
    'server/src/internal/balances/track/utils/getFeatureDeductions.ts — features.filter(f => f.event_names?.includes(eventName))',
    'the feature id itself is not an event name: 404 invalid_request (code-derived)',
    async () => {
      const id = seed(env.standIn, 'free100');

      const { status, body } = await failure(env.autumn.track({ customerId: id, eventName: FEATURE, value: 1 }));

      expect(status).toBe(404);
      expect(body).toMatchObject({ code: 'invalid_request', message: `No features found for event name: ${FEATURE}` });
      expect(env.standIn.balance(id).usage).toBe(0);
    },
  );

  scenario(
    'T9c',
    'shared/api/balances/track/trackParams.ts — .refine(...) "Either feature_id or event_name must be provided"',
    'a valid event_name together with feature_id is still 400 invalid_inputs',
    async () => {
      const id = seed(env.standIn, 'free100');

      const response = await post(env.standIn, 'balances.track', { customer_id: id, feature_id: FEATURE, event_name: 'chat-message' }, auth());

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'invalid_inputs', message: 'input: Either feature_id or event_name must be provided' });
    },
  );

  scenario(
    'T24b',
    'server/src/internal/balances/track/v3/runTrackV3.ts; [NEWER] getValidatedTrackFeatureDeductions.ts @52d5e39a',
    'overage_behavior "reject" with event_name is 400 invalid_request',
    async () => {
      const id = seed(env.standIn, 'free100');

      const response = await post(
        env.standIn,
        'balances.track',
        { customer_id: id, event_name: 'chat-message', value: 1, overage_behavior: 'reject' },
        auth(),
      );

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({
        code: 'invalid_request',
        message: 'overage_behavior "reject" is not supported with event_name. Use feature_id or set overage_behavior to "cap".',
      });
      expect(env.standIn.balance(id).usage).toBe(0);
    },
  );
});

describe('balances.track for a customer without a grant', () => {
  // No default plan: a customer made by get_or_create has no grant of the feature, as on Autumn before any attach.
  const env = useConformance({ config: { ...CONFORMANCE_CONFIG, plans: CONFORMANCE_CONFIG.plans.map((plan) => ({ ...plan, isDefault: false })) } });

  scenario(
    'T26',
    `${TRACK_MISC} — "track-misc3: track creates events when customer has no balance"`,
    'every track succeeds and stores one event, values summing as sent (test on API 1.2; the 2.1+ path is code-derived)',
    async () => {
      await env.autumn.customers.getOrCreate({ customerId: 'nogrant' });
      const values = [3.25, 7.5, 0.125];

      for (const value of values) await env.autumn.track({ customerId: 'nogrant', featureId: FEATURE, value });
      waitForEvents(env.standIn);
      const events = await env.autumn.events.list({ customerId: 'nogrant' });

      expect(events.list).toHaveLength(values.length);
      expect(events.list.reduce((sum, event) => sum + event.value, 0)).toBeCloseTo(10.875, 10);
    },
  );

  scenario(
    'T26b',
    'server/src/internal/balances/track/deductionToTrackResponseV2.ts (Lua returns early with no entitlements)',
    'the 2.1+ body is {customer_id, value, balance: null, deductions: []} (code-derived)',
    async () => {
      await env.autumn.customers.getOrCreate({ customerId: 'nogrant' });

      const result = await env.autumn.track({ customerId: 'nogrant', featureId: FEATURE, value: 4 });

      expect(result).toEqual({ customerId: 'nogrant', value: 4, balance: null, deductions: [] });
    },
  );
});
