/**
 * Conformance: `balances.check` with `lock` and `balances.finalize`, ported from Autumn's lock tests
 * (server/tests/integration/balances/lock/*) and the request schemas they exercise. Research notes: L1–L41.
 *
 * Fixture translation: Autumn's tests often give the customer two grants (hourly 5 + monthly 10 = 15, or hourly 5 +
 * lifetime 20 = 25). Those are ported to `free15`, or to `free20` plus a one-off top-up of 5 (= 25, also two buckets),
 * and only the totals are asserted (the per-bucket `breakdown` assertions are left out). Autumn's tests run the expiry
 * job (`expireLock`) by hand; here a lock gets an `expires_at` and the stand-in's clock is moved past it.
 * "Receipt deleted" is observed as: finalizing the same lock id again answers 400 "Lock not found for ID: …".
 *
 * Skipped (not expressible with one consumable feature on the stand-in, or not settled in Autumn):
 * - L34 lock on an allocated / boolean feature: the stand-in has a single consumable feature.
 * - L39 unlimited feature, L40 zero-credit-cost credit system, L41 overflow under a spend limit: the stand-in has no
 *   unlimited grants, credit systems or spend limits.
 * - L21 (second half), a default ("reject") lock confirmed above the available balance: UNCONFIRMED in Autumn (HEAD caps
 *   at 0, the newest balance engine answers 400 insufficient_balance), so there is no expectation to port.
 * - L21 "track-overage-allowed-8": needs the customer-level `overage_allowed` flag, which the stand-in does not model.
 * - L27 (second half), releasing a `cap` lock: code-derived and UNCONFIRMED in the notes.
 * - L33 "race RC-5" (receipt evicted out of band, then expiry): there is no way to delete a receipt behind the
 *   stand-in's back.
 * - L4 beyond "not refused": what a lock with a past `expires_at` does next is UNCONFIRMED.
 * - L13 beyond `allowed: true`: whether a receipt exists, `balance`, and a later finalize are UNCONFIRMED.
 * - L9, whether a refused check records an event: UNCONFIRMED.
 * - L18 "internal_product_id not null": an internal database column that the API does not return.
 * - L35 at 500 pairs with random amounts across a credit-system boundary: ported as 250 deterministic pairs that stay
 *   inside one grant (the credit-system overflow is out of scope). The invariant is the same.
 */
import { describe, expect } from 'vitest';
import { CONFORMANCE_CONFIG, FEATURE, post, rejection, scenario, seed, useConformance, waitForEvents } from './harness.js';

const LOCK_DIR = 'server/tests/integration/balances/lock';
const src = {
  additionalDeduct: `${LOCK_DIR}/basic/check-with-lock-additional-deduct.test.ts`,
  properties: `${LOCK_DIR}/basic/check-with-lock-properties.test.ts`,
  refundBreakdown: `${LOCK_DIR}/basic/check-with-lock-refund-breakdown.test.ts`,
  refund: `${LOCK_DIR}/basic/check-with-lock-refund.test.ts`,
  release: `${LOCK_DIR}/basic/check-with-lock-release.test.ts`,
  stress: `${LOCK_DIR}/check-with-lock-concurrent-stress.test.ts`,
  edgeCases: `${LOCK_DIR}/check-with-lock-edge-cases.test.ts`,
  errors: `${LOCK_DIR}/check-with-lock-errors.test.ts`,
  expiry: `${LOCK_DIR}/check-with-lock-expiry.test.ts`,
  noEntitlement: `${LOCK_DIR}/check-with-lock-no-entitlement.test.ts`,
  overage: `${LOCK_DIR}/check-with-lock-overage-behavior.test.ts`,
  race: `${LOCK_DIR}/check-with-lock-race.test.ts`,
  unlimited: `${LOCK_DIR}/check-with-lock-unlimited.test.ts`,
  eventDeductions: `${LOCK_DIR}/finalize-lock-event-deductions.test.ts`,
  queuedReplay: `${LOCK_DIR}/finalize-lock-queued-replay.test.ts`,
  sweepConfirm: `${LOCK_DIR}/lock-sweep-confirm.test.ts`,
  checkIdempotency: 'server/tests/integration/balances/track/idempotency/check-idempotency.test.ts',
  lockParams: 'shared/api/balances/common/lockParams.ts',
  finalizeParams: 'shared/api/balances/finalizeLock/finalizeLockParamsV0.ts',
  parseLock: 'server/src/internal/balances/utils/lock/parseCheckParamsForLock.ts',
  fetchReceipt: 'server/src/internal/balances/utils/lock/fetchLockReceipt.ts',
  runCheck: 'server/src/internal/balances/check/runCheckWithTrackV2.ts',
};

const SECOND = 1000;
const DAY = 24 * 60 * 60 * SECOND;
const LOCK = 'lock_conformance';

type LockMode = 'cap' | 'overflow';
type ExpectedEvent = { value: number; properties?: Record<string, unknown> };
type ApiError = { status: number; code: string; message: string };

/** The status and Autumn error body (`{ message, code, env }`) an SDK call rejected with. */
async function apiError(promise: Promise<unknown>): Promise<ApiError> {
  const error = await rejection(promise);
  const body = JSON.parse(error.body as string) as { code: string; message: string };
  return { status: error.statusCode as number, code: body.code, message: body.message };
}

/** Autumn's `expectBalanceCorrect` compares after rounding to 8 decimal places. */
const round8 = (value: number) => Math.round(value * 1e8) / 1e8;

describe('balances.check with lock, balances.finalize', () => {
  const env = useConformance();

  function lockCheck(
    customerId: string,
    requiredBalance: number,
    options: { lockId?: string; mode?: LockMode; expiresAt?: number; properties?: Record<string, unknown> } = {},
  ) {
    return env.autumn.check({
      customerId,
      featureId: FEATURE,
      requiredBalance,
      ...(options.properties === undefined ? {} : { properties: options.properties }),
      lock: {
        enabled: true,
        lockId: options.lockId ?? LOCK,
        ...(options.expiresAt === undefined ? {} : { expiresAt: options.expiresAt }),
        ...(options.mode === undefined ? {} : { overageBehavior: options.mode }),
      },
    });
  }

  function confirm(overrideValue?: number, properties?: Record<string, unknown>, lockId = LOCK) {
    return env.autumn.balances.finalize({
      lockId,
      action: 'confirm',
      ...(overrideValue === undefined ? {} : { overrideValue }),
      ...(properties === undefined ? {} : { properties }),
    });
  }

  function release(lockId = LOCK) {
    return env.autumn.balances.finalize({ lockId, action: 'release' });
  }

  /** `customers.get(...).balances[feature]`, as Autumn's `expectBalanceCorrect` reads it. */
  async function expectBalance(customerId: string, expected: { remaining: number; usage?: number; granted?: number }) {
    const customer = await env.autumn.customers.getOrCreate({ customerId });
    const balance = customer.balances[FEATURE];
    expect(balance, 'customer has a balance of the feature').toBeDefined();
    const actual: Record<string, number> = { remaining: round8(balance!.remaining) };
    if (expected.usage !== undefined) actual.usage = round8(balance!.usage);
    if (expected.granted !== undefined) actual.granted = round8(balance!.granted);
    expect(actual).toEqual(expected);
  }

  /** Autumn's `expectCustomerEventsCorrect`: waits, lists events newest first, exact count, values, given properties. */
  async function expectEvents(customerId: string, expected: ExpectedEvent[]) {
    waitForEvents(env.standIn);
    const { list } = await env.autumn.events.list({ customerId });
    const actual = list.map((event, i) =>
      expected[i]?.properties === undefined ? { value: event.value } : { value: event.value, properties: event.properties },
    );
    expect(actual).toEqual(expected);
  }

  /** The receipt is gone: finalizing the id again answers Autumn's "Lock not found". */
  async function expectLockGone(lockId = LOCK) {
    expect(await apiError(release(lockId))).toEqual({ status: 400, code: 'invalid_request', message: `Lock not found for ID: ${lockId}` });
  }

  // ------------------------------------------------------------------ A. request schema

  scenario('L1', `${src.lockParams} — enabled: z.literal(true)`, 'lock.enabled false is refused with 400 invalid_inputs, nothing deducted (schema-derived)', async () => {
    const id = seed(env.standIn, 'free15');

    const response = await post(env.standIn, 'balances.check', {
      customer_id: id,
      feature_id: FEATURE,
      required_balance: 5,
      lock: { enabled: false, lock_id: LOCK },
    });

    expect([response.status, response.body.code]).toEqual([400, 'invalid_inputs']);
    await expectBalance(id, { remaining: 15 });
  });

  scenario('L2a', `${src.lockParams} — lock_id: z.string().max(256) (required)`, 'a lock without lock_id is refused with 400 invalid_inputs (schema-derived)', async () => {
    const id = seed(env.standIn, 'free15');

    const response = await post(env.standIn, 'balances.check', { customer_id: id, feature_id: FEATURE, required_balance: 5, lock: { enabled: true } });

    expect([response.status, response.body.code]).toEqual([400, 'invalid_inputs']);
    await expectBalance(id, { remaining: 15 });
  });

  scenario('L2b', `${src.lockParams} — lock_id: z.string().max(256)`, 'a lock_id of 257 characters is refused with 400 invalid_inputs (schema-derived)', async () => {
    const id = seed(env.standIn, 'free15');

    const error = await apiError(lockCheck(id, 5, { lockId: 'x'.repeat(257) }));

    expect([error.status, error.code]).toEqual([400, 'invalid_inputs']);
    await expectBalance(id, { remaining: 15 });
  });

  scenario('L2c', `${src.lockParams} — lock_id: z.string().max(256)`, 'a lock_id of exactly 256 characters is accepted (schema-derived)', async () => {
    const id = seed(env.standIn, 'free15');

    const result = await lockCheck(id, 5, { lockId: 'x'.repeat(256) });

    expect(result.allowed).toBe(true);
    await expectBalance(id, { remaining: 10 });
  });

  scenario(
    'L3a',
    `${src.expiry} — "check-lock-expiry-3: expires_at > 1 day from now is rejected"; ${src.parseLock}`,
    'expires_at two days ahead is refused with 400 invalid_request, nothing deducted',
    async () => {
      const id = seed(env.standIn, 'free15');

      const error = await apiError(lockCheck(id, 5, { expiresAt: env.standIn.clock.now() + 2 * DAY }));

      expect(error).toEqual({ status: 400, code: 'invalid_request', message: 'Lock expires_at cannot be more than 1 day from now' });
      await expectBalance(id, { remaining: 15 });
    },
  );

  scenario('L3b', `${src.parseLock} — expires_at > Date.now() + ONE_DAY_MS`, 'expires_at exactly one day ahead is accepted (code-derived)', async () => {
    const id = seed(env.standIn, 'free15');

    const result = await lockCheck(id, 5, { expiresAt: env.standIn.clock.now() + DAY });

    expect(result.allowed).toBe(true);
    await expectBalance(id, { remaining: 10 });
  });

  scenario('L4', `${src.parseLock} — only the > now + 1 day check`, 'expires_at in the past is not refused (code-derived)', async () => {
    const id = seed(env.standIn, 'free15');

    const result = await lockCheck(id, 5, { expiresAt: env.standIn.clock.now() - 60 * SECOND });

    expect(result.allowed).toBe(true);
  });

  scenario(
    'L5',
    `${src.lockParams} (newest) — LockOverageBehaviorSchema; ${src.overage} header`,
    'an unknown lock.overage_behavior is refused with 400 invalid_inputs (code-derived)',
    async () => {
      const id = seed(env.standIn, 'free20');

      const response = await post(env.standIn, 'balances.check', {
        customer_id: id,
        feature_id: FEATURE,
        required_balance: 5,
        lock: { enabled: true, lock_id: LOCK, overage_behavior: 'spill' },
      });

      expect([response.status, response.body.code]).toEqual([400, 'invalid_inputs']);
      await expectBalance(id, { remaining: 20 });
    },
  );

  scenario('L6a', `${src.finalizeParams} — refine: release + override_value`, 'release with override_value is refused with 400 invalid_inputs (schema-derived)', async () => {
    const id = seed(env.standIn, 'free15');
    await lockCheck(id, 8);

    const response = await post(env.standIn, 'balances.finalize', { lock_id: LOCK, action: 'release', override_value: 3 });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      code: 'invalid_inputs',
      message: 'override_value: override_value cannot be provided when action is release',
    });
  });

  scenario('L6b', `${src.finalizeParams} — action: z.enum(["confirm", "release"])`, 'an unknown finalize action is refused with 400 invalid_inputs (schema-derived)', async () => {
    const id = seed(env.standIn, 'free15');
    await lockCheck(id, 8);

    const response = await post(env.standIn, 'balances.finalize', { lock_id: LOCK, action: 'commit' });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'invalid_inputs', message: 'action: must be one of: confirm, release' });
    await expectBalance(id, { remaining: 7 });
  });

  // ------------------------------------------------------------------ B. taking a lock

  scenario(
    'L7a',
    `${src.queuedReplay} — "finalize-lock-queued-replay 1: queued release job refunds the reserved balance"`,
    'a lock deducts at once: allowed, remaining 15 → 7',
    async () => {
      const id = seed(env.standIn, 'free15');

      const result = await lockCheck(id, 8);

      expect(result.allowed).toBe(true);
      await expectBalance(id, { remaining: 7, usage: 8 });
    },
  );

  scenario(
    'L7b',
    `${src.runCheck} — the check answers the track's balance; required_balance echoed`,
    'the lock check answers required_balance and the balance after the deduction (code-derived)',
    async () => {
      const id = seed(env.standIn, 'free15');

      const result = await lockCheck(id, 8);

      expect(result.requiredBalance).toBe(8);
      expect(result.balance?.remaining).toBe(7);
    },
  );

  scenario('L7c', 'server/src/internal/api/check/handleCheck.ts — DEFAULT_REQUIRED_BALANCE', 'a lock without required_balance holds 1 (code-derived)', async () => {
    const id = seed(env.standIn, 'free15');

    const result = await env.autumn.check({ customerId: id, featureId: FEATURE, lock: { enabled: true, lockId: LOCK } });

    expect(result.allowed).toBe(true);
    await expectBalance(id, { remaining: 14 });
    await expectEvents(id, [{ value: 1 }]);
  });

  scenario(
    'L8a',
    `${src.errors} — "check-with-lock-errors ERR-2: duplicate lock key (Redis) → 409", "check-with-lock-errors ERR-3: duplicate lock key (Postgres) → 409"; ${src.checkIdempotency} — "check idempotency: lock_id is the body-level dedup — same lock_id twice is refused"`,
    'the same lock_id while held answers 409 lock_already_exists and deducts nothing more',
    async () => {
      const id = seed(env.standIn, 'free20');
      await lockCheck(id, 5);

      const error = await apiError(lockCheck(id, 5));

      expect(error).toEqual({ status: 409, code: 'lock_already_exists', message: 'A lock with this ID already exists' });
      await expectBalance(id, { remaining: 15 });
    },
  );

  scenario(
    'L8b',
    'server/src/_luaScriptsV2/fullSubjectDeduction/deductFromSubjectBalances.lua — INSUFFICIENT_BALANCE before the duplicate-lock check',
    'a held lock_id whose amount no longer fits answers allowed: false, not 409 (code-derived)',
    async () => {
      const id = seed(env.standIn, 'free20');
      await lockCheck(id, 15);

      const result = await lockCheck(id, 10);

      expect(result.allowed).toBe(false);
      await expectBalance(id, { remaining: 5 });
    },
  );

  scenario(
    'L9a',
    `${src.overage} — "lock-overage OB-1: omitted defaults to reject — allowed false, nothing deducted"`,
    'a lock above the balance with no overage_behavior is refused: allowed false, nothing deducted',
    async () => {
      const id = seed(env.standIn, 'free20');

      const result = await lockCheck(id, 100);

      expect(result.allowed).toBe(false);
      await expectBalance(id, { remaining: 20 });
    },
  );

  scenario(
    'L9b',
    `${src.overage} — "lock-overage OB-2: explicit reject — allowed false, nothing deducted"`,
    'a lock above the balance with overage_behavior reject is refused: allowed false, nothing deducted',
    async () => {
      const id = seed(env.standIn, 'free20');

      // The SDK's CheckOverageBehavior has no "reject": sent raw.
      const response = await post(env.standIn, 'balances.check', {
        customer_id: id,
        feature_id: FEATURE,
        required_balance: 100,
        lock: { enabled: true, lock_id: LOCK, overage_behavior: 'reject' },
      });

      expect(response.status).toBe(200);
      expect(response.body.allowed).toBe(false);
      await expectBalance(id, { remaining: 20 });
    },
  );

  scenario(
    'L9c',
    'server/src/_luaScriptsV2/fullSubjectDeduction/deductFromSubjectBalances.lua — INSUFFICIENT_BALANCE returns before the receipt is saved',
    'a refused lock creates no lock: finalize answers "Lock not found" and the id is free (code-derived)',
    async () => {
      const id = seed(env.standIn, 'free20');
      await lockCheck(id, 100);

      await expectLockGone();
      expect((await lockCheck(id, 5)).allowed).toBe(true);
      await expectBalance(id, { remaining: 15 });
    },
  );

  scenario(
    'L10',
    `${src.overage} — "lock-overage OB-3: cap — partial reservation, allowed true, confirm keeps 20"`,
    'overage_behavior cap holds what fits; a plain confirm keeps it; the event records the request',
    async () => {
      const id = seed(env.standIn, 'free20');

      const result = await lockCheck(id, 100, { mode: 'cap' });
      expect(result.allowed).toBe(true);
      await expectBalance(id, { remaining: 0, usage: 20 });

      await confirm();

      await expectBalance(id, { remaining: 0, usage: 20 });
      await expectEvents(id, [{ value: 100 }]);
      await expectLockGone();
    },
  );

  scenario(
    'L11',
    `${src.overage} — "lock-overage OB-5: overflow — full reservation goes negative, allowed true"`,
    'overage_behavior overflow holds everything past zero; a plain confirm keeps it',
    async () => {
      const id = seed(env.standIn, 'free20');

      const result = await lockCheck(id, 100, { mode: 'overflow' });
      expect(result.allowed).toBe(true);
      await expectBalance(id, { remaining: 0, usage: 100 });

      await confirm();

      await expectBalance(id, { remaining: 0, usage: 100 });
      await expectEvents(id, [{ value: 100 }]);
      await expectLockGone();
    },
  );

  scenario(
    'L15a',
    `${src.edgeCases} — "lock-edge EC-4: lock=0, confirm without override — zero-cost receipt finalizes cleanly"`,
    'a zero lock confirmed without override changes nothing and is gone',
    async () => {
      const id = seed(env.standIn, 'free50');

      await lockCheck(id, 0);
      expect(await confirm()).toEqual({ success: true });

      await expectBalance(id, { remaining: 50, usage: 0 });
      await expectLockGone();
    },
  );

  scenario(
    'L15b',
    `${src.refundBreakdown} — "refund BD-2b: lock=0 confirm=0 — zero-cost receipt finalizes cleanly"`,
    'a zero lock on two grants confirmed without override leaves 25',
    async () => {
      const id = seed(env.standIn, 'free20', { topUpCredits: 5 });

      await lockCheck(id, 0);
      await confirm();

      await expectBalance(id, { remaining: 25 });
      await expectLockGone();
    },
  );

  scenario(
    'L16',
    `${src.edgeCases} — "lock-edge EC-5: lock=0, confirm override=1.2 — additional amount is deducted"`,
    'a zero lock confirmed at 1.2 deducts exactly 1.2; the lock wrote a 0 event',
    async () => {
      const id = seed(env.standIn, 'free50');

      await lockCheck(id, 0);
      await confirm(1.2);

      await expectBalance(id, { remaining: 48.8, usage: 1.2 });
      await expectEvents(id, [{ value: 1.2 }, { value: 0 }]);
      await expectLockGone();
    },
  );

  // ------------------------------------------------------------------ C. finalize: confirm

  scenario(
    'L17',
    `${src.refundBreakdown} — "refund BD-4: lock=8 confirm=8 — no unwind, lifetime bucket reduced"`,
    'a confirm at the lock value writes no finalize event',
    async () => {
      const id = seed(env.standIn, 'free20', { topUpCredits: 5 });

      await lockCheck(id, 8);
      await confirm(8);

      await expectBalance(id, { remaining: 17 });
      await expectEvents(id, [{ value: 8 }]);
    },
  );

  scenario(
    'L18a',
    `${src.refund} — "refund RF-1: lock=8 confirm=5 — partial keep, remaining=10"`,
    'a confirm below the lock gives the difference back, the event carries the finalize properties',
    async () => {
      const id = seed(env.standIn, 'free15');

      await lockCheck(id, 8);
      await confirm(5, { source: 'refund-rf-1' });

      await expectBalance(id, { remaining: 10 });
      await expectEvents(id, [{ value: -3, properties: { source: 'refund-rf-1' } }, { value: 8 }]);
    },
  );

  scenario(
    'L18b',
    `${src.eventDeductions} — "finalize lock unwind: finalize event carries deductions with negative value"`,
    'the finalize event of an unwind lists one deduction with the negative amount',
    async () => {
      const id = seed(env.standIn, 'free100');

      await lockCheck(id, 10);
      await confirm(4);

      waitForEvents(env.standIn);
      const { list } = await env.autumn.events.list({ customerId: id });
      expect(list).toHaveLength(2);
      const [finalizeEvent] = list;
      expect(finalizeEvent!.value).toBe(-6);
      expect(finalizeEvent!.deductions).toHaveLength(1);
      expect(finalizeEvent!.deductions![0]).toMatchObject({ featureId: FEATURE, value: -6, balanceId: expect.any(String) });
    },
  );

  scenario(
    'L19',
    `${src.refundBreakdown} — "refund BD-2: lock=8 confirm=0 — full release, both buckets restored"`,
    'a confirm at 0 gives the whole lock back',
    async () => {
      const id = seed(env.standIn, 'free20', { topUpCredits: 5 });

      await lockCheck(id, 8);
      await confirm(0);

      await expectBalance(id, { remaining: 25 });
    },
  );

  scenario(
    'L20',
    `${src.additionalDeduct} — "additional-deduct AD-1: lock=8 confirm=11 — extra deduction, remaining=4"`,
    'a confirm above the lock deducts the extra',
    async () => {
      const id = seed(env.standIn, 'free15');

      await lockCheck(id, 8);
      await confirm(11);

      await expectBalance(id, { remaining: 4 });
      await expectEvents(id, [{ value: 3 }, { value: 8 }]);
    },
  );

  scenario(
    'L21',
    `${src.overage} — "lock-overage OB-4: cap — finalize override above balance clamps at 0"`,
    'a cap lock confirmed above the balance clamps at 0; the event records the requested extra',
    async () => {
      const id = seed(env.standIn, 'free20');

      expect((await lockCheck(id, 5, { mode: 'cap' })).allowed).toBe(true);
      await confirm(50);

      await expectBalance(id, { remaining: 0, usage: 20 });
      await expectEvents(id, [{ value: 45 }, { value: 5 }]);
      await expectLockGone();
    },
  );

  scenario(
    'L22',
    `${src.overage} — "lock-overage OB-6: overflow — finalize override above lock keeps overflowing"`,
    'an overflow lock confirmed above the lock keeps overflowing (the mode comes from the lock)',
    async () => {
      const id = seed(env.standIn, 'free20');

      expect((await lockCheck(id, 30, { mode: 'overflow' })).allowed).toBe(true);
      await confirm(80);

      await expectBalance(id, { remaining: 0, usage: 80 });
      await expectEvents(id, [{ value: 50 }, { value: 30 }]);
      await expectLockGone();
    },
  );

  scenario(
    'L23',
    `${src.overage} — "lock-overage OB-8: overflow — confirm below lock unwinds the difference"`,
    'an overflow lock confirmed below the lock unwinds the difference',
    async () => {
      const id = seed(env.standIn, 'free20');

      await lockCheck(id, 100, { mode: 'overflow' });
      await confirm(50);

      await expectBalance(id, { remaining: 0, usage: 50 });
      await expectEvents(id, [{ value: -50 }, { value: 100 }]);
      await expectLockGone();
    },
  );

  scenario(
    'L24a',
    `${src.additionalDeduct} — "additional-deduct AD-2: track=10 lock=-5 confirm=-8 — more credit, remaining=13"`,
    'a negative lock confirmed at a larger credit credits the extra',
    async () => {
      const id = seed(env.standIn, 'free15');
      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 10 });

      await lockCheck(id, -5);
      await expectBalance(id, { remaining: 10 });
      await confirm(-8);

      await expectBalance(id, { remaining: 13 });
      await expectEvents(id, [{ value: -3 }, { value: -5 }, { value: 10 }]);
    },
  );

  scenario(
    'L24b',
    `${src.additionalDeduct} — "additional-deduct AD-4: track=10 lock=-3 confirm=-8 — additional credit, remaining=13"`,
    'a negative lock of -3 confirmed at -8 credits 5 more',
    async () => {
      const id = seed(env.standIn, 'free15');
      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 10 });

      await lockCheck(id, -3);
      await confirm(-8);

      await expectBalance(id, { remaining: 13 });
      await expectEvents(id, [{ value: -5 }, { value: -3 }, { value: 10 }]);
    },
  );

  scenario(
    'L24c',
    `${src.refund} — "refund RF-3: lock=-5 confirm=-3 — negative lock with partial release, remaining=18"`,
    'a negative lock confirmed at a smaller credit takes part of the credit back',
    async () => {
      const id = seed(env.standIn, 'free15');
      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 10 });

      await lockCheck(id, -5);
      await confirm(-3);

      await expectBalance(id, { remaining: 8 });
      await expectEvents(id, [{ value: 2 }, { value: -5 }, { value: 10 }]);
    },
  );

  scenario(
    'L25a',
    `${src.refund} — "refund RF-2: lock=8 confirm=-3 — credit beyond lock, remaining=18"`,
    'a positive lock confirmed at a credit unwinds the lock and credits the rest',
    async () => {
      const id = seed(env.standIn, 'free15');
      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 5 });

      await lockCheck(id, 8);
      await confirm(-3);

      await expectBalance(id, { remaining: 13 });
      await expectEvents(id, [{ value: -11 }, { value: 8 }, { value: 5 }]);
    },
  );

  scenario(
    'L25b',
    `${src.refund} — "refund RF-4: lock=-5 confirm=3 — cross-zero confirm, remaining=12"`,
    'a negative lock confirmed at a deduction takes the credit back and deducts',
    async () => {
      const id = seed(env.standIn, 'free15');
      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 10 });

      await lockCheck(id, -5);
      await confirm(3);

      await expectBalance(id, { remaining: 2 });
      await expectEvents(id, [{ value: 8 }, { value: -5 }, { value: 10 }]);
    },
  );

  scenario(
    'L25c',
    `${src.additionalDeduct} — "additional-deduct AD-3: lock=5 confirm=-2 — cross-zero to credit, remaining=math.min(15,17)"`,
    'a credit never lifts remaining above the grant',
    async () => {
      const id = seed(env.standIn, 'free15');

      await lockCheck(id, 5);
      await confirm(-2);

      await expectBalance(id, { remaining: 15 });
      await expectEvents(id, [{ value: -7 }, { value: 5 }]);
    },
  );

  // ------------------------------------------------------------------ D. finalize: release

  scenario('L26a', `${src.release} — "release RL-1: lock=8 release — full restore, remaining=15"`, 'release gives the whole lock back', async () => {
    const id = seed(env.standIn, 'free15');

    await lockCheck(id, 8);
    expect(await release()).toEqual({ success: true });

    await expectBalance(id, { remaining: 15 });
    await expectEvents(id, [{ value: -8 }, { value: 8 }]);
  });

  scenario(
    'L26b',
    `${src.release} — "release RL-2: track=5 lock=8 release — prior usage kept, remaining=10"`,
    'release keeps usage tracked before the lock',
    async () => {
      const id = seed(env.standIn, 'free15');
      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 5 });

      await lockCheck(id, 8);
      await release();

      await expectBalance(id, { remaining: 10 });
      await expectEvents(id, [{ value: -8 }, { value: 8 }, { value: 5 }]);
    },
  );

  scenario(
    'L26c',
    `${src.release} — "release RL-3: lock=8 cross-bucket release — both buckets fully restored"`,
    'release of a lock on two grants restores the total',
    async () => {
      const id = seed(env.standIn, 'free20', { topUpCredits: 5 });

      await lockCheck(id, 8);
      await release();

      await expectBalance(id, { remaining: 25 });
    },
  );

  scenario(
    'L27',
    `${src.overage} — "lock-overage OB-7: overflow — release refunds the full negative lock"`,
    'release of an overflow lock gives back everything it took',
    async () => {
      const id = seed(env.standIn, 'free20');

      await lockCheck(id, 100, { mode: 'overflow' });
      await release();

      await expectBalance(id, { remaining: 20, usage: 0 });
      await expectLockGone();
    },
  );

  // ------------------------------------------------------------------ E. properties

  const lockProperties = { requestId: 'req_123', model: 'gpt-5' };

  scenario(
    'L28',
    `${src.properties} — "properties PR-1: finalize without properties inherits the lock's"`,
    "a finalize without properties inherits the lock's",
    async () => {
      const id = seed(env.standIn, 'free15');

      await lockCheck(id, 8, { properties: lockProperties });
      await confirm(5);

      await expectBalance(id, { remaining: 10 });
      await expectEvents(id, [
        { value: -3, properties: lockProperties },
        { value: 8, properties: lockProperties },
      ]);
    },
  );

  scenario(
    'L29',
    `${src.properties} — "properties PR-2: finalize properties override the lock's"`,
    "finalize properties replace the lock's (no merge)",
    async () => {
      const id = seed(env.standIn, 'free15');
      const finalizeProperties = { requestId: 'req_456', outcome: 'success' };

      await lockCheck(id, 8, { properties: lockProperties });
      await confirm(5, finalizeProperties);

      await expectEvents(id, [
        { value: -3, properties: finalizeProperties },
        { value: 8, properties: lockProperties },
      ]);
    },
  );

  // ------------------------------------------------------------------ F. errors, double finalize, concurrency

  scenario(
    'L30a',
    `${src.race} — "race RC-3: expire then confirm — confirm is graceful no-op"; ${src.fetchReceipt}`,
    'a confirm after the lock expired answers 400 "Lock not found" and the release stands',
    async () => {
      const id = seed(env.standIn, 'free15');
      await lockCheck(id, 8, { expiresAt: env.standIn.clock.now() + 5 * SECOND });
      env.standIn.clock.advance(5 * SECOND);

      const error = await apiError(confirm(4));

      expect(error).toEqual({ status: 400, code: 'invalid_request', message: `Lock not found for ID: ${LOCK}` });
      await expectBalance(id, { remaining: 15 });
    },
  );

  scenario(
    'L30b',
    `${src.fetchReceipt} — "Lock not found for ID: \${lockId}"; ${src.unlimited} header`,
    'finalizing a lock id that never existed answers 400 "Lock not found" (code-derived)',
    async () => {
      seed(env.standIn, 'free15');

      const error = await apiError(confirm(undefined, undefined, 'never_locked'));

      expect(error).toEqual({ status: 400, code: 'invalid_request', message: 'Lock not found for ID: never_locked' });
    },
  );

  scenario(
    'L30c',
    `${src.fetchReceipt}; server/src/internal/balances/utils/lockV2/deleteLockReceiptV2.ts`,
    'a second finalize after a completed one answers 400 "Lock not found" and changes nothing (code-derived)',
    async () => {
      const id = seed(env.standIn, 'free15');
      await lockCheck(id, 8);
      await confirm(5);

      const error = await apiError(confirm(2));

      expect(error).toEqual({ status: 400, code: 'invalid_request', message: `Lock not found for ID: ${LOCK}` });
      await expectBalance(id, { remaining: 10 });
    },
  );

  scenario(
    'L31',
    `${src.race} — "race RC-4: confirm twice — idempotent, balance reflects first confirm"`,
    'two concurrent confirms: exactly one succeeds and it applies once',
    async () => {
      const id = seed(env.standIn, 'free15');
      await lockCheck(id, 8);

      const results = await Promise.allSettled([confirm(4), confirm(4)]);

      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
      await expectBalance(id, { remaining: 11 });
    },
  );

  scenario(
    'L32',
    `${src.race} — "race RC-2: confirm then expire — expiry is no-op, balance reflects confirm"`,
    'an expiry after a confirm does nothing',
    async () => {
      const id = seed(env.standIn, 'free15');
      await lockCheck(id, 8, { expiresAt: env.standIn.clock.now() + 5 * SECOND });

      await confirm(4);
      env.standIn.clock.advance(5 * SECOND);

      await expectBalance(id, { remaining: 11 });
    },
  );

  scenario(
    'L33',
    `${src.race} — "race RC-1: double expiry concurrent — balance restored exactly once"`,
    'an expired lock is given back exactly once, however often expiry is looked at',
    async () => {
      const id = seed(env.standIn, 'free15');
      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 3 });
      await lockCheck(id, 8, { expiresAt: env.standIn.clock.now() + 5 * SECOND });

      env.standIn.clock.advance(5 * SECOND);
      await Promise.all([expectBalance(id, { remaining: 12 }), expectBalance(id, { remaining: 12 })]);
      env.standIn.clock.advance(5 * SECOND);

      await expectBalance(id, { remaining: 12 });
    },
  );

  scenario(
    'L35',
    `${src.stress} — "lock-stress: \${NUM_PAIRS} concurrent (check+finalize) pairs — crosses Action1→Credits boundary"`,
    'many concurrent lock + confirm pairs each settle at exactly their override value',
    async () => {
      const id = seed(env.standIn, 'free1000');
      const pairs = 250;
      // Deterministic amounts in Autumn's ranges (lock 0.51–2.99, confirm 0.10–3.50), two decimals.
      const lockOf = (i: number) => 0.51 + ((i * 37) % 249) / 100;
      const overrideOf = (i: number) => 0.1 + ((i * 53) % 341) / 100;

      await Promise.all(
        Array.from({ length: pairs }, async (_, i) => {
          const lockId = `${id}-lock-${i}`;
          const result = await lockCheck(id, lockOf(i), { lockId });
          expect(result.allowed).toBe(true);
          await confirm(overrideOf(i), undefined, lockId);
        }),
      );

      const settled = Array.from({ length: pairs }, (_, i) => overrideOf(i)).reduce((sum, value) => sum + value, 0);
      const customer = await env.autumn.customers.getOrCreate({ customerId: id });
      expect(customer.balances[FEATURE]!.remaining).toBeCloseTo(1000 - settled, 2);
    },
    30_000,
  );

  // ------------------------------------------------------------------ G. expiry and lifetime

  scenario(
    'L36a',
    `${src.expiry} — "check-with-lock-expiry 1: /check with lock, expires at works (SQS)"`,
    'a lock with expires_at is released at that time',
    async () => {
      const id = seed(env.standIn, 'free15');
      await lockCheck(id, 8, { expiresAt: env.standIn.clock.now() + 5 * SECOND });
      await expectBalance(id, { remaining: 7 });

      env.standIn.clock.advance(60 * SECOND);

      await expectBalance(id, { remaining: 15 });
    },
  );

  scenario(
    'L36b',
    `${src.expiry} — "check-with-lock-expiry 2: expires at undoes usage"`,
    'the expiry release writes a -8 event after the lock event of 8',
    async () => {
      const id = seed(env.standIn, 'free15');
      await lockCheck(id, 8, { expiresAt: env.standIn.clock.now() + 5 * SECOND });

      env.standIn.clock.advance(5 * SECOND);

      await expectBalance(id, { remaining: 15 });
      await expectEvents(id, [{ value: -8 }, { value: 8 }]);
    },
  );

  scenario(
    'L37a',
    `${src.sweepConfirm} — "lock-sweep-confirm: a lock past its 24 hour default is confirmed, and its id is free again"`,
    'a lock without expires_at is confirmed after 24 hours (the deduction stays) and its id is free again',
    async () => {
      const id = seed(env.standIn, 'free20');
      await lockCheck(id, 5);

      env.standIn.clock.advance(DAY + 60 * SECOND);

      await expectBalance(id, { remaining: 15 });
      expect((await lockCheck(id, 5)).allowed).toBe(true);
    },
  );

  scenario(
    'L37b',
    'packages/balance-engine/src/commands/confirmExpiredLock/computeConfirmExpiredLock.ts — "one mutation, no balance touched"',
    'the 24 hour confirm writes no event and the lock is gone (code-derived)',
    async () => {
      const id = seed(env.standIn, 'free20');
      await lockCheck(id, 5);

      env.standIn.clock.advance(DAY + 60 * SECOND);

      await expectLockGone();
      await expectEvents(id, [{ value: 5 }]);
      await expectBalance(id, { remaining: 15 });
    },
  );

  scenario(
    'L38a',
    `${src.checkIdempotency} — header: "refused (lock_already_exists) until the lock is finalized or expires"`,
    'a lock id is free again once its lock is confirmed (code-derived)',
    async () => {
      const id = seed(env.standIn, 'free20');
      await lockCheck(id, 5);
      await confirm();

      const again = await lockCheck(id, 5);

      expect(again.allowed).toBe(true);
      await expectBalance(id, { remaining: 10 });
    },
  );

  scenario(
    'L38b',
    `${src.checkIdempotency} — header: "refused (lock_already_exists) until the lock is finalized or expires"`,
    'a lock id is free again once its lock is released (code-derived)',
    async () => {
      const id = seed(env.standIn, 'free20');
      await lockCheck(id, 5);
      await release();

      const again = await lockCheck(id, 5);

      expect(again.allowed).toBe(true);
      await expectBalance(id, { remaining: 15 });
    },
  );
});

describe('balances.check with lock on a customer without the feature', () => {
  // No default plan: a customer created by customers.get_or_create has no grant, as Autumn's `s.customer()` alone.
  const env = useConformance({ config: { ...CONFORMANCE_CONFIG, plans: CONFORMANCE_CONFIG.plans.map(({ isDefault: _, ...plan }) => plan) } });

  async function customerWithoutGrant(customerId: string): Promise<string> {
    const customer = await env.autumn.customers.getOrCreate({ customerId });
    expect(customer.balances[FEATURE]).toBeUndefined();
    return customerId;
  }

  scenario(
    'L12',
    `${src.noEntitlement} — "lock-no-entitlement: check with lock on feature customer doesn't have returns allowed: false"`,
    'a lock on a feature the customer has no grant of is refused with balance null',
    async () => {
      const id = await customerWithoutGrant('lock-no-entitlement-test');

      const result = await env.autumn.check({
        customerId: id,
        featureId: FEATURE,
        requiredBalance: 10,
        lock: { enabled: true, lockId: `${id}-lock` },
      });

      expect(result.allowed).toBe(false);
      expect(result.balance).toBeNull();
    },
  );

  scenario(
    'L13',
    `${src.noEntitlement} — "lock-no-entitlement: check with lock and required_balance=0 on feature customer doesn't have returns allowed: true"`,
    'a zero lock on a feature the customer has no grant of is allowed',
    async () => {
      const id = await customerWithoutGrant('lock-no-entitlement-zero-test');

      const result = await env.autumn.check({
        customerId: id,
        featureId: FEATURE,
        requiredBalance: 0,
        lock: { enabled: true, lockId: `${id}-lock` },
      });

      expect(result.allowed).toBe(true);
    },
  );

  scenario(
    'L14',
    `${src.noEntitlement} — "lock-no-entitlement: send_event=true without lock on feature customer doesn't have still works"`,
    'send_event without a lock on a feature the customer has no grant of answers allowed false',
    async () => {
      const id = await customerWithoutGrant('no-entitlement-send-event-test');

      const result = await env.autumn.check({ customerId: id, featureId: FEATURE, requiredBalance: 10, sendEvent: true });

      expect(result.allowed).toBe(false);
    },
  );
});
