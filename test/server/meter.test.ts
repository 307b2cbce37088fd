/**
 * The credit meter against the Autumn stand-in over real loopback HTTP, through the REAL autumn-js SDK.
 */
import { Autumn } from 'autumn-js';
import { describe, expect, it } from 'vitest';
import {
  BillingUnavailableError,
  InsufficientCreditsError,
  InvalidCustomerError,
  UnknownCustomerError,
  createCreditMeter,
  type AutumnClientLike,
  type CreditMeterOptions,
  type UnbilledCharge,
} from '../../src/server.js';
import { startAutumnStandIn } from '../../src/testing.js';
import { sdk, useStandIn } from '../testing/helpers.js';

const ORG = 'org_acme';
/** A retry policy for tests: same attempts as the default, without the waiting. */
const FAST_RETRY = { attempts: 4, baseDelayMs: 1, maxDelayMs: 5 } as const;

// The real SDK satisfies the structural client type the meter asks for (a compile-time check).
const _sdkIsAClient: (autumn: Autumn) => AutumnClientLike = (autumn) => autumn;
void _sdkIsAClient;

const env = useStandIn();

function meter(options: Partial<CreditMeterOptions> = {}) {
  return createCreditMeter({
    autumn: env.autumn,
    retry: FAST_RETRY,
    replayAfterMs: 0,
    now: () => env.standIn.clock.now(),
    ...options,
  });
}

const gatewayStep = (cost: string, model = 'openai/gpt-5-mini') => ({
  model,
  usage: { inputTokens: 100, outputTokens: 50, inputTokenDetails: { noCacheTokens: 80, cacheReadTokens: 20 }, outputTokenDetails: { textTokens: 40, reasoningTokens: 10 } },
  providerMetadata: { gateway: { cost } },
});

describe('given an org with credits', () => {
  it('reserves the estimate, then charges exactly the gateway cost', async () => {
    env.standIn.seedCustomer(ORG, { remaining: 8000 });
    const m = meter();
    const reservation = await m.reserve({ customerId: ORG, credits: 50, properties: { thread_id: 't1' } });
    expect(env.standIn.balance(ORG).remaining).toBe(7950);

    const cost = await reservation.settle(gatewayStep('0.0001545'));
    expect(cost).toMatchObject({ credits: 0.618, source: 'gateway', kind: 'actual', billed: true, estimatedCredits: 50, steps: 1, model: 'openai/gpt-5-mini' });
    expect(cost.usd).toBe(0.0001545);
    expect(cost.usage).toMatchObject({ input: 80, cacheRead: 20, output: 40, reasoning: 10, total: 150 });
    expect(env.standIn.balance(ORG).remaining).toBe(7999.382);
  });

  it('sums the gateway cost of every step of a multi-step run', async () => {
    env.standIn.seedCustomer(ORG, { remaining: 8000 });
    const m = meter();
    const reservation = await m.reserve({ customerId: ORG, credits: 100 });
    reservation.addStep(gatewayStep('0.001'));
    reservation.addStep(gatewayStep('0.0025'));
    const cost = await reservation.settle();
    expect(cost.credits).toBe(14);
    expect(cost.steps).toBe(2);
    expect(env.standIn.balance(ORG).remaining).toBe(7986);
  });

  it('prefers the steps of an onFinish result over recorded ones (no double count)', async () => {
    env.standIn.seedCustomer(ORG, { remaining: 8000 });
    const reservation = await meter().reserve({ customerId: ORG, credits: 100 });
    const steps = [gatewayStep('0.001'), gatewayStep('0.001')];
    for (const step of steps) reservation.addStep(step);
    const cost = await reservation.settle({ steps });
    expect(cost.credits).toBe(8);
    expect(env.standIn.balance(ORG).remaining).toBe(7992);
  });

  it('bills the overflow beyond the reserve instead of absorbing it', async () => {
    env.standIn.seedCustomer(ORG, { planId: 'pro_monthly', remaining: 60000 });
    const reservation = await meter().reserve({ customerId: ORG, credits: 10 });
    const cost = await reservation.settle(gatewayStep('0.01')); // 40 credits, 30 beyond the reserve
    expect(cost.credits).toBe(40);
    expect(env.standIn.balance(ORG).remaining).toBe(59960);
  });

  it('still bills the overflow when it goes past the balance (never capped away)', async () => {
    env.standIn.seedCustomer(ORG, { planId: 'pro_monthly', remaining: 20 });
    const reservation = await meter().reserve({ customerId: ORG, credits: 10 });
    const cost = await reservation.settle(gatewayStep('0.01'));
    expect(cost).toMatchObject({ credits: 40, billed: true });
    const balance = env.standIn.balance(ORG);
    expect(balance.usage).toBe(60000 - 20 + 40);
  });

  it('settling twice charges once', async () => {
    env.standIn.seedCustomer(ORG, { remaining: 8000 });
    const reservation = await meter().reserve({ customerId: ORG, credits: 10 });
    const [a, b] = await Promise.all([reservation.settle(gatewayStep('0.001')), reservation.settle(gatewayStep('0.001'))]);
    expect(a).toBe(b);
    await reservation.settle(gatewayStep('0.001'));
    expect(env.standIn.balance(ORG).remaining).toBe(7996);
  });

  it('releases the reserve when the model fails, and rethrows', async () => {
    env.standIn.seedCustomer(ORG, { remaining: 8000 });
    const m = meter();
    await expect(
      m.run({ customerId: ORG, credits: 500 }, async () => {
        expect(env.standIn.balance(ORG).remaining).toBe(7500);
        throw new Error('model exploded');
      }),
    ).rejects.toThrow('model exploded');
    expect(env.standIn.balance(ORG).remaining).toBe(8000);
  });

  it('run() settles with what the function returns', async () => {
    env.standIn.seedCustomer(ORG, { remaining: 8000 });
    const { result, cost } = await meter().run({ customerId: ORG, credits: 50 }, async () => ({ text: 'hi', steps: [gatewayStep('0.002')] }));
    expect(result.text).toBe('hi');
    expect(cost.credits).toBe(8);
    expect(env.standIn.balance(ORG).remaining).toBe(7992);
  });

  it('a released reservation cannot be settled later', async () => {
    env.standIn.seedCustomer(ORG, { remaining: 8000 });
    const reservation = await meter().reserve({ customerId: ORG, credits: 10 });
    await reservation.release();
    await expect(reservation.settle(gatewayStep('0.001'))).rejects.toThrow(/released/);
    expect(env.standIn.balance(ORG).remaining).toBe(8000);
  });

  it('estimates from the model, the prompt and max output tokens when no credits are given', async () => {
    env.standIn.seedCustomer(ORG, { remaining: 8000 });
    const m = meter();
    const estimate = m.estimate({ model: 'openai/gpt-5-mini', prompt: 'x'.repeat(3000), maxOutputTokens: 1000 });
    expect(estimate).not.toBeNull();
    const reservation = await m.reserve({ customerId: ORG, model: 'openai/gpt-5-mini', prompt: 'x'.repeat(3000), maxOutputTokens: 1000 });
    expect(reservation.credits).toBe(estimate!.credits);
    expect(env.standIn.balance(ORG).remaining).toBeCloseTo(8000 - estimate!.credits, 6);
    await reservation.release();
  });
});

describe('given an org that cannot pay', () => {
  it('refuses before the model runs with needed and available credits', async () => {
    env.standIn.seedCustomer(ORG, { remaining: 5 });
    let ran = false;
    const error = await meter()
      .run({ customerId: ORG, credits: 12 }, async () => {
        ran = true;
        return {};
      })
      .catch((e: unknown) => e);
    expect(ran).toBe(false);
    expect(error).toBeInstanceOf(InsufficientCreditsError);
    expect(error).toMatchObject({ needed: 12, available: 5, status: 402 });
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ error: { code: 'insufficient_credits', needed: 12, available: 5 } });
    expect(env.standIn.balance(ORG).remaining).toBe(5);
  });

  it('100 concurrent calls against a balance for 10 run at most 10, with no overspend', async () => {
    env.standIn.seedCustomer(ORG, { remaining: 10 });
    const m = meter();
    let running = 0;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) =>
        m.run({ customerId: ORG, credits: 1, id: `gen_${i}` }, async () => {
          running += 1;
          await new Promise((resolve) => setTimeout(resolve, 5));
          return gatewayStep('0.00025'); // exactly 1 credit
        }),
      ),
    );
    const ran = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(running).toBe(ran.length);
    expect(ran.length).toBeLessThanOrEqual(10);
    expect(ran.length).toBeGreaterThan(0);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(InsufficientCreditsError);
    const balance = env.standIn.balance(ORG);
    expect(balance.remaining).toBe(10 - ran.length);
    expect(balance.remaining).toBeGreaterThanOrEqual(0);
  });
});

describe('idempotency', () => {
  it('a reservation id in use is refused, not charged twice', async () => {
    env.standIn.seedCustomer(ORG, { remaining: 8000 });
    const m = meter();
    await m.reserve({ customerId: ORG, credits: 10, id: 'msg_1' });
    await expect(m.reserve({ customerId: ORG, credits: 10, id: 'msg_1' })).rejects.toThrow(/already in use/);
    expect(env.standIn.balance(ORG).remaining).toBe(7990);
  });

  it('charge() with the same id twice charges once', async () => {
    env.standIn.seedCustomer(ORG, { remaining: 8000 });
    const m = meter();
    const [first, concurrent] = await Promise.all([
      m.charge({ customerId: ORG, id: 'step_1', ...gatewayStep('0.001') }),
      m.charge({ customerId: ORG, id: 'step_1', ...gatewayStep('0.001') }),
    ]);
    const later = await m.charge({ customerId: ORG, id: 'step_1', ...gatewayStep('0.001') });
    expect(first.billed).toBe(true);
    expect(concurrent).toBe(first);
    expect(later).toBe(first);
    expect(env.standIn.balance(ORG).remaining).toBe(7996);
    await m.charge({ customerId: ORG, id: 'step_2', ...gatewayStep('0.001') });
    expect(env.standIn.balance(ORG).remaining).toBe(7992);
  });
});

describe('a lock that expires before the call ends', () => {
  it('charges the full cost afresh (a slow call is not free)', async () => {
    env.standIn.seedCustomer(ORG, { remaining: 8000 });
    const m = meter({ lockTtlMs: 60_000 });
    const reservation = await m.reserve({ customerId: ORG, credits: 10 });
    env.standIn.clock.advance(61_000);
    expect(env.standIn.balance(ORG).remaining).toBe(8000); // the hold went back
    const cost = await reservation.settle(gatewayStep('0.005'));
    expect(cost).toMatchObject({ credits: 20, billed: true });
    expect(env.standIn.balance(ORG).remaining).toBe(7980);
  });
});

describe('Autumn faults', () => {
  it('a 5xx on the charge is retried under the same idempotency key and charged exactly once', async () => {
    env.standIn.seedCustomer(ORG, { remaining: 8000 });
    const reservation = await meter().reserve({ customerId: ORG, credits: 10 });
    env.standIn.faults.inject('balances.track', { kind: 'status', status: 503 }, { times: 2 });
    const cost = await reservation.settle(gatewayStep('0.001'));
    expect(cost.billed).toBe(true);
    expect(env.standIn.balance(ORG).remaining).toBe(7996);
  });

  it('a dropped connection on the charge is retried and charged exactly once', async () => {
    env.standIn.seedCustomer(ORG, { remaining: 8000 });
    const reservation = await meter().reserve({ customerId: ORG, credits: 10 });
    env.standIn.faults.inject('balances.track', { kind: 'drop' }, { times: 1 });
    const cost = await reservation.settle(gatewayStep('0.001'));
    expect(cost.billed).toBe(true);
    expect(env.standIn.balance(ORG).remaining).toBe(7996);
  });

  it('a hung charge hits the meter’s deadline, is retried and charged exactly once', async () => {
    env.standIn.seedCustomer(ORG, { remaining: 8000 });
    const m = meter({ timeoutMs: 200 });
    const reservation = await m.reserve({ customerId: ORG, credits: 10 });
    env.standIn.faults.inject('balances.track', { kind: 'timeout' }, { times: 1 });
    const cost = await reservation.settle(gatewayStep('0.001'));
    expect(cost.billed).toBe(true);
    expect(env.standIn.balance(ORG).remaining).toBe(7996);
  });

  it('a persistent outage on settle stays in the outbox (and goes to onUnbilled), and replays once Autumn is back — charged once', async () => {
    env.standIn.seedCustomer(ORG, { remaining: 8000 });
    const unbilled: UnbilledCharge[] = [];
    const m = meter({ onUnbilled: (charge) => void unbilled.push(charge) });
    const reservation = await m.reserve({ customerId: ORG, credits: 10, properties: { thread_id: 't9' } });
    env.standIn.faults.inject('balances.track', { kind: 'status', status: 500 });
    const cost = await reservation.settle(gatewayStep('0.001'));
    expect(cost.billed).toBe(false);
    expect(unbilled).toHaveLength(1);
    expect(unbilled[0]).toMatchObject({ reason: 'autumn_failed', customerId: ORG, credits: '4', properties: { thread_id: 't9' }, id: `${reservation.id}:charge` });
    expect(await m.unbilled()).toHaveLength(1);

    env.standIn.faults.clear();
    expect(await m.replayUnbilled()).toBe(0);
    expect(await m.unbilled()).toHaveLength(0);
    expect(env.standIn.balance(ORG).remaining).toBe(7996);
    expect(await m.replayUnbilled()).toBe(0);
    expect(env.standIn.balance(ORG).remaining).toBe(7996);
  });

  it('an outage at reserve time refuses the call (BillingUnavailableError), it never runs unpaid', async () => {
    env.standIn.seedCustomer(ORG, { remaining: 8000 });
    env.standIn.faults.inject('balances.check', { kind: 'status', status: 502 });
    await expect(meter().run({ customerId: ORG, credits: 10 }, async () => ({}))).rejects.toBeInstanceOf(BillingUnavailableError);
  });

  it('a fail-open SDK (the autumn-js default) cannot make an outage look like a paid call', async () => {
    env.standIn.seedCustomer(ORG, { remaining: 8000 });
    const m = meter({ autumn: sdk(env.standIn, { failOpen: true }) });
    env.standIn.faults.inject('balances.check', { kind: 'status', status: 503 });
    await expect(m.reserve({ customerId: ORG, credits: 10 })).rejects.toBeInstanceOf(BillingUnavailableError);
  });

  it('a fail-open SDK on charge() reports the charge as unbilled instead of a fake success', async () => {
    env.standIn.seedCustomer(ORG, { remaining: 8000 });
    const m = meter({ autumn: sdk(env.standIn, { failOpen: true }) });
    env.standIn.faults.inject('*', { kind: 'status', status: 503 });
    const cost = await m.charge({ customerId: ORG, ...gatewayStep('0.001') });
    expect(cost.billed).toBe(false);
    expect(await m.unbilled()).toHaveLength(1);
    env.standIn.faults.clear();
    await m.replayUnbilled();
    expect(env.standIn.balance(ORG).remaining).toBe(7996);
  });

  it('a throwing onUnbilled callback neither loses the charge nor fails the caller', async () => {
    env.standIn.seedCustomer(ORG, { remaining: 8000 });
    const m = meter({
      onUnbilled: () => {
        throw new Error('outbox down');
      },
    });
    env.standIn.faults.inject('*', { kind: 'status', status: 500 });
    const cost = await m.charge({ customerId: ORG, ...gatewayStep('0.001') });
    expect(cost.billed).toBe(false);
    expect(await m.unbilled()).toHaveLength(1);
  });
});

describe('charge() without a reservation', () => {
  it('charges the gateway cost, even past the balance (usage already happened)', async () => {
    env.standIn.seedCustomer(ORG, { remaining: 2 });
    const cost = await meter().charge({ customerId: ORG, ...gatewayStep('0.001') });
    expect(cost).toMatchObject({ credits: 4, billed: true, source: 'gateway' });
    expect(env.standIn.balance(ORG).usage).toBe(8000 - 2 + 4);
  });

  it('prices by token rates when the gateway cost is missing, and says so', async () => {
    env.standIn.seedCustomer(ORG, { remaining: 8000 });
    const m = meter();
    const cost = await m.charge({ customerId: ORG, model: 'openai/gpt-5-mini', usage: { inputTokens: 1000, outputTokens: 1000 } });
    expect(cost.source).toBe('token-rates');
    expect(cost.credits).toBeGreaterThan(0);
    expect(cost.billed).toBe(true);
    expect(env.standIn.balance(ORG).remaining).toBeCloseTo(8000 - cost.credits, 6);
  });

  it('reports a call it cannot price (unknown model, no gateway cost) instead of skipping it', async () => {
    env.standIn.seedCustomer(ORG, { remaining: 8000 });
    const unbilled: UnbilledCharge[] = [];
    const cost = await meter({ onUnbilled: (c) => void unbilled.push(c) }).charge({
      customerId: ORG,
      model: 'acme/secret-model',
      usage: { inputTokens: 10, outputTokens: 10 },
    });
    expect(cost.billed).toBe(false);
    expect(unbilled).toEqual([expect.objectContaining({ reason: 'unpriced', model: 'acme/secret-model', credits: null })]);
  });

  it('without a customer id, the charge is reported, not lost', async () => {
    const unbilled: UnbilledCharge[] = [];
    const cost = await meter({ onUnbilled: (c) => void unbilled.push(c) }).charge({ customerId: '', ...gatewayStep('0.001') });
    expect(cost.billed).toBe(false);
    // A charge with no org is a caller bug: kept for a human, never sent, never lost.
    expect(unbilled[0]).toMatchObject({ reason: 'rejected', credits: '4' });
  });
});

describe('usage per thread', () => {
  it('sums the credits of each thread from Autumn events', async () => {
    env.standIn.seedCustomer(ORG, { remaining: 8000 });
    const m = meter();
    await m.charge({ customerId: ORG, ...gatewayStep('0.001'), properties: { thread_id: 'a' } });
    await m.charge({ customerId: ORG, ...gatewayStep('0.002'), properties: { thread_id: 'b' } });
    await m.run({ customerId: ORG, credits: 20, properties: { thread_id: 'a' } }, async () => gatewayStep('0.0005'));
    env.standIn.flush(); // Autumn's analytics lag: events reach aggregates a few seconds after the charge
    const usage = await m.usageByThread({ customerId: ORG });
    expect(usage).toEqual([
      { threadId: 'b', credits: 8 },
      { threadId: 'a', credits: 6 },
    ]);
  });
});

describe('as a consumer team sets it up', () => {
  it('works against a default stand-in with a default meter (real clock, no options)', async () => {
    const standIn = await startAutumnStandIn();
    try {
      standIn.seedCustomer(ORG, { remaining: 100 });
      const meter = createCreditMeter({ autumn: sdk(standIn) });
      const { cost } = await meter.run({ customerId: ORG, model: 'openai/gpt-5-mini', prompt: 'Hello there' }, async () => gatewayStep('0.0025'));
      expect(cost).toMatchObject({ credits: 10, billed: true });
      expect(standIn.balance(ORG).remaining).toBe(90);
    } finally {
      await standIn.close();
    }
  });
});

describe('security', () => {
  it('reserve() refuses a missing customer id (it must come from server-side auth)', async () => {
    await expect(meter().reserve({ customerId: '  ', credits: 1 })).rejects.toThrow(/server-side auth/);
  });

  it('an unknown customer is not created by a charge: the call is refused with a 4xx-kind error, not an outage', async () => {
    const error = await meter().reserve({ customerId: 'org_nobody', credits: 1 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnknownCustomerError);
    expect(error).not.toBeInstanceOf(BillingUnavailableError);
    expect((error as UnknownCustomerError).status).toBe(404);
  });

  it('an id Autumn would refuse (too long, or outside its alphabet) is a typed 400, before any call', async () => {
    for (const customerId of ['x'.repeat(300), 'auth0|abc', 'me@x.com', '']) {
      const error = await meter().reserve({ customerId, credits: 1 }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(InvalidCustomerError);
      expect((error as InvalidCustomerError).status).toBe(400);
    }
  });
});
