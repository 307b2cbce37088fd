/**
 * Spend controls end to end against the Autumn stand-in (its billing controls checked against Autumn's own tests in
 * test/conformance/billing-controls.test.ts) over real loopback HTTP: set through `createBillingControls` — with the
 * kit's client and with the REAL autumn-js SDK — then the meter reserving for members, refused by the limit Autumn
 * would refuse with (apiBalanceToAllowed.ts: a matching usage cap first, then the spend limit or the balance).
 */
import { describe, expect, it } from 'vitest';
import {
  BillingControlsError,
  InsufficientCreditsError,
  createBillingControls,
  createCreditMeter,
  type BillingControlsClient,
  type CappedCharge,
} from '../../src/server.js';
import { memoryOutbox } from '../../src/server/outbox.js';
import { parseInsufficientCredits } from '../../src/react/lib/insufficient-credits.js';
import { useStandIn } from '../testing/helpers.js';

const ORG = 'org_acme';
const FAST_RETRY = { attempts: 2, baseDelayMs: 1, maxDelayMs: 2 } as const;
const env = useStandIn();

const viaKit = (): BillingControlsClient => createBillingControls({ secretKey: env.standIn.secretKey, serverURL: env.standIn.url, retry: FAST_RETRY });
const viaSdk = (): BillingControlsClient => createBillingControls({ autumn: env.autumn, retry: FAST_RETRY });
const meter = () => createCreditMeter({ secretKey: env.standIn.secretKey, serverURL: env.standIn.url, retry: FAST_RETRY, replayAfterMs: 0, now: () => env.standIn.clock.now() });

async function refusal(promise: Promise<unknown>): Promise<InsufficientCreditsError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InsufficientCreditsError);
  return error as InsufficientCreditsError;
}

describe.each([
  ['the kit client', viaKit],
  ['the autumn-js SDK', viaSdk],
])('createBillingControls through %s', (_, client) => {
  it('sets every control and reads them back', async () => {
    env.standIn.seedCustomer(ORG, { planId: 'pro_monthly', remaining: 60_000 });
    const controls = client();
    const saved = await controls.set({
      customerId: ORG,
      controls: {
        autoTopUp: { enabled: true, threshold: 2_000, packId: 'credit_topup', purchaseLimit: { limit: 3, interval: 'month' } },
        spendLimit: { enabled: true, limit: { type: 'credits', credits: 20_000 } },
        memberCaps: [
          { memberId: 'user_ann', credits: 500, interval: 'day' },
          { memberId: 'user_bo', credits: 10_000, interval: 'month', enabled: false },
        ],
        alerts: [{ kind: 'remainingPercentage', threshold: 20, name: 'low' }],
      },
    });
    const read = await controls.get({ customerId: ORG });
    expect(read.controls).toEqual(saved.controls);
    expect(read.controls.autoTopUp).toMatchObject({ enabled: true, threshold: 2_000, packId: 'credit_topup', purchaseLimit: { limit: 3, interval: 'month', intervalCount: 1 } });
    expect(read.controls.spendLimit).toEqual({ enabled: true, limit: { type: 'credits', credits: 20_000 } });
    expect(read.controls.memberCaps.map(({ used: _used, ...cap }) => cap)).toEqual([
      { memberId: 'user_ann', credits: 500, interval: 'day', enabled: true },
      { memberId: 'user_bo', credits: 10_000, interval: 'month', enabled: false },
    ]);
    expect(read.controls.alerts).toEqual([{ kind: 'remainingPercentage', threshold: 20, enabled: true, name: 'low' }]);
    expect(read.granted).toBe(60_000);
  });

  it('leaves the keys a change does not set, and removes with null', async () => {
    env.standIn.seedCustomer(ORG, { planId: 'pro_monthly', remaining: 60_000 });
    const controls = client();
    await controls.set({ customerId: ORG, controls: { spendLimit: { enabled: true, limit: { type: 'percent', percent: 50 } }, memberCaps: [{ memberId: 'user_ann', credits: 5, interval: 'week' }] } });
    await controls.set({ customerId: ORG, controls: { spendLimit: null } });
    const read = await controls.get({ customerId: ORG });
    expect(read.controls.spendLimit).toBeNull();
    expect(read.controls.memberCaps).toHaveLength(1);
  });
});

describe('the meter with member caps', () => {
  it.each([
    ['the kit client', meter],
    ['the autumn-js SDK', () => createCreditMeter({ autumn: env.autumn, retry: FAST_RETRY, replayAfterMs: 0, now: () => env.standIn.clock.now() })],
  ])("refuses a member past their cap with the cap, its interval and what is left, and lets another member through (%s)", async (_, make) => {
    env.standIn.seedCustomer(ORG, { planId: 'pro_monthly', remaining: 60_000 });
    await viaKit().set({ customerId: ORG, controls: { memberCaps: [{ memberId: 'user_ann', credits: 100, interval: 'day' }] } });
    const m = make();

    const first = await m.reserve({ customerId: ORG, credits: 40, member: 'user_ann' });
    await first.settle({ usage: { inputTokens: 10, outputTokens: 10 }, providerMetadata: { gateway: { cost: '0.01' } } }); // 40 credits, ann's

    const error = await refusal(m.reserve({ customerId: ORG, credits: 70, member: 'user_ann' }));
    expect(error.reason).toEqual({ limit: 'member_cap', memberId: 'user_ann', cap: 100, interval: 'day', remaining: 60 });
    // What the UI reads from the 402 body.
    expect(parseInsufficientCredits(JSON.stringify(error.toJSON()))?.reason).toMatchObject({ limit: 'member_cap', memberId: 'user_ann', remaining: 60 });

    await expect(m.reserve({ customerId: ORG, credits: 70, member: 'user_bo' })).resolves.toMatchObject({ credits: 70 });
    expect((await viaKit().get({ customerId: ORG })).controls.memberCaps[0]?.used).toBe(40);
  });

  it("refuses lowering a member's cap below what they used today, before sending anything", async () => {
    env.standIn.seedCustomer(ORG, { planId: 'pro_monthly', remaining: 60_000 });
    const controls = viaKit();
    await controls.set({ customerId: ORG, controls: { memberCaps: [{ memberId: 'user_ann', credits: 100, interval: 'day' }] } });
    await meter().charge({ customerId: ORG, usd: '0.01', member: 'user_ann' }); // 40 credits
    await expect(controls.set({ customerId: ORG, controls: { memberCaps: [{ memberId: 'user_ann', credits: 30, interval: 'day' }] } })).rejects.toMatchObject({
      constructor: BillingControlsError,
      field: 'memberCaps[0].credits',
      reason: 'below_usage',
    });
  });

  it('names the org balance when the org, not the member, is out of credits', async () => {
    env.standIn.seedCustomer(ORG, { remaining: 10 });
    await viaKit().set({ customerId: ORG, controls: { memberCaps: [{ memberId: 'user_ann', credits: 1_000, interval: 'day' }] } });
    const error = await refusal(meter().reserve({ customerId: ORG, credits: 40, member: 'user_ann' }));
    expect(error.reason).toEqual({ limit: 'balance', memberId: null, cap: null, interval: null, remaining: 10 });
  });

  it("names the org's spend limit once past the grant", async () => {
    env.standIn.seedCustomer(ORG, { planId: 'pro_monthly', remaining: 60_000 });
    await viaKit().set({ customerId: ORG, controls: { spendLimit: { enabled: true, limit: { type: 'credits', credits: 100 } } } });
    const m = meter();
    await m.charge({ customerId: ORG, usd: '15.0125' }); // 60,050 credits: 50 into overage
    const error = await refusal(m.reserve({ customerId: ORG, credits: 60, member: 'user_ann' }));
    expect(error.reason).toEqual({ limit: 'spend_limit', memberId: null, cap: 100, interval: null, remaining: 50 });
  });

  it('keeps a member topped up by the org auto top-up: it fires after a charge below the threshold, and the next reservation passes', async () => {
    // Autumn tops up from a prepaid price the org has bought before: one earlier top-up of 100 credits, a card on file.
    env.standIn.seedCustomer(ORG, { planId: 'pro_monthly', remaining: 1_000, topUpCredits: 100, paymentMethod: true });
    await viaKit().set({ customerId: ORG, controls: { autoTopUp: { enabled: true, threshold: 500, packId: 'credit_topup', purchaseLimit: { limit: 1, interval: 'month' } } } });
    const m = meter();
    await m.charge({ customerId: ORG, usd: '0.2', member: 'user_ann' }); // 800 credits: 300 left, below 500
    await env.standIn.flush();
    expect(env.standIn.balance(ORG).remaining).toBe(40_300);
    await expect(m.reserve({ customerId: ORG, credits: 1_000, member: 'user_ann' })).resolves.toMatchObject({ credits: 1_000 });
    expect((await viaKit().get({ customerId: ORG })).controls.autoTopUp?.purchaseLimit).toMatchObject({ limit: 1, used: 1 });
  });
});

describe('a percentage spend limit (resolveSpendLimitOverageLimit.ts, cusEntsToMainPlanAllowance.ts)', () => {
  it("is overage as a percent of the main plan's allowance only: a top-up does not raise it", async () => {
    // Pro Monthly grants 60,000 a month; a top-up adds 40,000. 10% is 6,000 credits of overage, not 10,000.
    env.standIn.seedCustomer(ORG, { planId: 'pro_monthly', remaining: 60_000, topUpCredits: 40_000 });
    const controls = viaKit();
    await controls.set({ customerId: ORG, controls: { spendLimit: { enabled: true, limit: { type: 'percent', percent: 10 } } } });
    expect(await controls.get({ customerId: ORG })).toMatchObject({ granted: 100_000, allowance: 60_000 });

    const m = meter();
    expect(await m.charge({ customerId: ORG, usd: '26.25' })).toMatchObject({ credits: 105_000, deducted: 105_000, capped: 0 }); // 5,000 into overage
    const error = await refusal(m.reserve({ customerId: ORG, credits: 1_001 }));
    expect(error.reason).toEqual({ limit: 'spend_limit', memberId: null, cap: 6_000, interval: null, remaining: 1_000 });
    await expect(m.reserve({ customerId: ORG, credits: 1_000 })).resolves.toMatchObject({ credits: 1_000 });
  });

  it('120 allows usage up to 220% of the allowance', async () => {
    env.standIn.seedCustomer(ORG, { planId: 'pro_monthly', remaining: 60_000 });
    await viaKit().set({ customerId: ORG, controls: { spendLimit: { enabled: true, limit: { type: 'percent', percent: 120 } } } });
    const m = meter();
    expect(await m.charge({ customerId: ORG, usd: '33' })).toMatchObject({ credits: 132_000, deducted: 132_000, capped: 0 });
    expect(env.standIn.balance(ORG)).toMatchObject({ granted: 60_000, usage: 132_000 });
    const error = await refusal(m.reserve({ customerId: ORG, credits: 1 }));
    expect(error.reason).toEqual({ limit: 'spend_limit', memberId: null, cap: 72_000, interval: null, remaining: 0 });
  });
});

describe('the meter under a spend limit (Autumn caps even `overflow` at it, silently)', () => {
  it.each([
    ['the kit client', (onCapped: (charge: CappedCharge) => void) => createCreditMeter({ secretKey: env.standIn.secretKey, serverURL: env.standIn.url, retry: FAST_RETRY, replayAfterMs: 0, now: () => env.standIn.clock.now(), onCapped })],
    ['the autumn-js SDK', (onCapped: (charge: CappedCharge) => void) => createCreditMeter({ autumn: env.autumn, retry: FAST_RETRY, replayAfterMs: 0, now: () => env.standIn.clock.now(), onCapped })],
  ])('reports what Autumn deducted and what the limit capped, and never sends it again (%s)', async (_, make) => {
    env.standIn.seedCustomer(ORG, { planId: 'pro_monthly', remaining: 60_000 });
    await viaKit().set({ customerId: ORG, controls: { spendLimit: { enabled: true, limit: { type: 'credits', credits: 500 } } } });
    const capped: CappedCharge[] = [];
    const m = make((charge) => void capped.push(charge));

    const reservation = await m.reserve({ customerId: ORG, credits: 100, member: 'user_ann' });
    // The real cost, 61,000 credits, is far above the estimate. While it is tracked the reservation's lock still
    // holds its 100 credits, so Autumn has 59,900 + 500 of overage room: it takes 60,400. The meter then releases the
    // lock and tracks the 600 left under `<id>:charge:rest`: the 100 freed are taken, 500 are capped by the true room.
    const cost = await reservation.settle({ usage: { inputTokens: 10, outputTokens: 10 }, providerMetadata: { gateway: { cost: '15.25' } } });

    expect(cost).toMatchObject({ credits: 61_000, billed: true, deducted: 60_500, capped: 500 });
    expect(env.standIn.balance(ORG)).toMatchObject({ granted: 60_000, usage: 60_500 });
    expect(capped).toEqual([
      { id: `${reservation.id}:charge`, customerId: ORG, featureId: 'ai_credits', model: null, credits: '61000', deducted: '60500', capped: '500', properties: { user_id: 'user_ann' } },
    ]);
    // Done, not lost: nothing in the outbox, and a replay sends nothing (a resend would charge twice once raised).
    expect(await m.unbilled()).toEqual([]);
    await viaKit().set({ customerId: ORG, controls: { spendLimit: null } });
    expect(await m.replayUnbilled()).toBe(0);
    expect(env.standIn.balance(ORG)).toMatchObject({ usage: 60_500 });
    // Settling again answers the same record.
    await expect(reservation.settle()).resolves.toBe(cost);
  });

  it('says nothing is capped when all of it was deducted', async () => {
    env.standIn.seedCustomer(ORG, { planId: 'pro_monthly', remaining: 60_000 });
    const capped: CappedCharge[] = [];
    const m = createCreditMeter({ secretKey: env.standIn.secretKey, serverURL: env.standIn.url, retry: FAST_RETRY, onCapped: (charge) => void capped.push(charge) });
    expect(await m.charge({ customerId: ORG, usd: '0.01' })).toMatchObject({ credits: 40, billed: true, deducted: 40, capped: 0 });
    expect(capped).toEqual([]);
  });

  // A reservation that takes exactly the last of the room: its own lock is all that is left of it, so the charge's
  // first track is capped to 0 by the hold. The remainder, tracked after the release, is what bills the call.
  const lastRoom = async (capped: CappedCharge[]) => {
    env.standIn.seedCustomer(ORG, { planId: 'pro_monthly', remaining: 60_000 });
    await viaKit().set({ customerId: ORG, controls: { spendLimit: { enabled: true, limit: { type: 'credits', credits: 500 } } } });
    return (charge: CappedCharge) => void capped.push(charge);
  };

  it.each([
    ['the kit client', (onCapped: (charge: CappedCharge) => void) => createCreditMeter({ secretKey: env.standIn.secretKey, serverURL: env.standIn.url, retry: FAST_RETRY, replayAfterMs: 0, now: () => env.standIn.clock.now(), onCapped })],
    ['the autumn-js SDK', (onCapped: (charge: CappedCharge) => void) => createCreditMeter({ autumn: env.autumn, retry: FAST_RETRY, replayAfterMs: 0, now: () => env.standIn.clock.now(), onCapped })],
  ])('bills in full a reservation that used exactly the last room, its real cost equal to the estimate (%s)', async (_, make) => {
    const capped: CappedCharge[] = [];
    const m = make(await lastRoom(capped));
    const reservation = await m.reserve({ customerId: ORG, credits: 60_500 });
    // 60,500 credits = $15.125 at 4,000 per dollar.
    const cost = await reservation.settle({ usage: { inputTokens: 10, outputTokens: 10 }, providerMetadata: { gateway: { cost: '15.125' } } });
    expect(cost).toMatchObject({ credits: 60_500, billed: true, deducted: 60_500, capped: 0 });
    expect(env.standIn.balance(ORG)).toMatchObject({ granted: 60_000, usage: 60_500 });
    expect(capped).toEqual([]);
    expect(await m.unbilled()).toEqual([]);
    expect(await m.replayUnbilled()).toBe(0);
    expect(env.standIn.balance(ORG)).toMatchObject({ usage: 60_500 });
  });

  it('caps a real cost above the room only by the true room', async () => {
    const capped: CappedCharge[] = [];
    const m = createCreditMeter({ secretKey: env.standIn.secretKey, serverURL: env.standIn.url, retry: FAST_RETRY, replayAfterMs: 0, now: () => env.standIn.clock.now(), onCapped: await lastRoom(capped) });
    const reservation = await m.reserve({ customerId: ORG, credits: 60_500 });
    const cost = await reservation.settle({ usage: { inputTokens: 10, outputTokens: 10 }, providerMetadata: { gateway: { cost: '15.25' } } });
    expect(cost).toMatchObject({ credits: 61_000, billed: true, deducted: 60_500, capped: 500 });
    expect(env.standIn.balance(ORG)).toMatchObject({ usage: 60_500 });
    expect(capped).toEqual([{ id: `${reservation.id}:charge`, customerId: ORG, featureId: 'ai_credits', model: null, credits: '61000', deducted: '60500', capped: '500', properties: {} }]);
    expect(await m.unbilled()).toEqual([]);
  });

  it('a crash between the release and the remainder\'s track: a replay bills it once, and the late track is a 409', async () => {
    const capped: CappedCharge[] = [];
    const onCapped = await lastRoom(capped);
    const outbox = memoryOutbox(() => env.standIn.clock.now());
    // The first process's remainder track is held (its process "died" with it in flight), then let through late.
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const heldKeys: string[] = [];
    const holding: typeof fetch = async (input, init) => {
      const key = new Headers(init?.headers).get('idempotency-key');
      if (String(input).endsWith('/v1/balances.track') && key?.endsWith(':charge:rest')) {
        heldKeys.push(key);
        await gate;
      }
      return fetch(input, init);
    };
    const base = { secretKey: env.standIn.secretKey, serverURL: env.standIn.url, outbox, replayAfterMs: 0, now: () => env.standIn.clock.now(), onCapped } as const;
    const dying = createCreditMeter({ ...base, fetch: holding, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 }, timeoutMs: 60_000 });
    const reservation = await dying.reserve({ customerId: ORG, credits: 60_500 });
    const settling = reservation.settle({ usage: { inputTokens: 10, outputTokens: 10 }, providerMetadata: { gateway: { cost: '15.125' } } });
    await expect.poll(() => heldKeys.length).toBe(1);
    // What survives the crash: the remainder, written before the lock was released; the first track billed 0.
    expect(env.standIn.balance(ORG)).toMatchObject({ usage: 0 });
    const waiting = await outbox.list();
    expect(waiting).toMatchObject([{ id: `${reservation.id}:charge:rest`, reason: 'pending', credits: '60500', locks: [`${reservation.id}:r1`] }]);

    const fresh = createCreditMeter({ ...base, retry: FAST_RETRY });
    expect(await fresh.replayUnbilled()).toBe(0);
    expect(env.standIn.balance(ORG)).toMatchObject({ usage: 60_500 });
    expect(await fresh.replayUnbilled()).toBe(0);

    // The dead process's request arrives late: Autumn has the key (409), nothing is charged twice.
    open();
    const cost = await settling;
    expect(cost).toMatchObject({ credits: 60_500, billed: true });
    expect(env.standIn.balance(ORG)).toMatchObject({ usage: 60_500 });
    expect(await outbox.list()).toEqual([]);
    expect(capped).toEqual([]);
  });

  it('a crash before the lock was released: the replay releases it first, so the remainder is not capped by it', async () => {
    const capped: CappedCharge[] = [];
    const onCapped = await lastRoom(capped);
    const outbox = memoryOutbox(() => env.standIn.clock.now());
    // The first process dies right after writing the remainder: its release never reaches Autumn.
    const dropping: typeof fetch = async (input, init) => {
      if (String(input).endsWith('/v1/balances.finalize')) throw new TypeError('process died');
      if (String(input).endsWith('/v1/balances.track') && new Headers(init?.headers).get('idempotency-key')?.endsWith(':charge:rest')) throw new TypeError('process died');
      return fetch(input, init);
    };
    const base = { secretKey: env.standIn.secretKey, serverURL: env.standIn.url, outbox, replayAfterMs: 0, now: () => env.standIn.clock.now(), onCapped } as const;
    const dying = createCreditMeter({ ...base, fetch: dropping, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    const reservation = await dying.reserve({ customerId: ORG, credits: 60_500 });
    expect(await reservation.settle({ usage: { inputTokens: 10, outputTokens: 10 }, providerMetadata: { gateway: { cost: '15.125' } } })).toMatchObject({ billed: false, deducted: null });
    // Only the lock's hold is counted (the first track was capped to 0 by it); the remainder waits in the outbox.
    expect(env.standIn.balance(ORG)).toMatchObject({ usage: 60_500 });
    expect(await outbox.list()).toMatchObject([{ id: `${reservation.id}:charge:rest`, reason: 'autumn_failed', credits: '60500', locks: [`${reservation.id}:r1`] }]);

    const fresh = createCreditMeter({ ...base, retry: FAST_RETRY });
    expect(await fresh.replayUnbilled()).toBe(0);
    expect(capped).toEqual([]);
    // Billed by the remainder, not held by the lock: past the lock's expiry the usage stays.
    env.standIn.clock.advance(11 * 60 * 1000);
    expect(env.standIn.balance(ORG)).toMatchObject({ usage: 60_500 });
  });
});
