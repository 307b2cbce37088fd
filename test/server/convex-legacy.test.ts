/**
 * The meter for `@useautumn/convex` (autumn-js 0.x surface: `check/track(ctx, …)` → `{ data, error }`), with a double
 * of that surface that is backed by the stand-in through the real SDK — so balances really move.
 */
import { describe, expect, it } from 'vitest';
import { BillingUnavailableError, InsufficientCreditsError, createConvexCreditMeter, type ConvexAutumnLike } from '../../src/server.js';
import { useStandIn } from '../testing/helpers.js';

type Ctx = { org: string };
const env = useStandIn();

/** `@useautumn/convex`'s Autumn class, as its 0.x methods answer: never throws, `{ data, error }`. */
function convexAutumn(): ConvexAutumnLike<Ctx> & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async check(ctx, args) {
      calls.push(`check${args.sendEvent ? '+event' : ''}`);
      try {
        const answer = await env.autumn.check({ customerId: ctx.org, featureId: args.featureId, requiredBalance: args.requiredBalance ?? 0, sendEvent: args.sendEvent ?? false, properties: args.properties ?? {} });
        return { data: { allowed: answer.allowed, balance: answer.balance?.remaining ?? null }, error: null };
      } catch (error) {
        return { data: null, error: { message: String(error), code: 'internal_error' } };
      }
    },
    async track(ctx, args) {
      calls.push('track');
      try {
        return { data: await env.autumn.track({ customerId: ctx.org, featureId: args.featureId, value: args.value, properties: args.properties ?? {} }), error: null };
      } catch (error) {
        return { data: null, error: { message: String(error), code: 'internal_error' } };
      }
    },
  };
}

const ctx: Ctx = { org: 'org_convex' };
const FAST = { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 };

describe('@useautumn/convex (0.x) meter', () => {
  it('pre-flight refuses an org that cannot pay, with needed/available', async () => {
    env.standIn.seedCustomer(ctx.org, { remaining: 3 });
    const meter = createConvexCreditMeter({ autumn: convexAutumn() });
    await expect(meter.preflight(ctx, { credits: 5 })).rejects.toMatchObject({ needed: 5, available: 3 });
    await expect(meter.preflight(ctx, { credits: 5 })).rejects.toBeInstanceOf(InsufficientCreditsError);
    await expect(meter.preflight(ctx, { credits: 2 })).resolves.toBeUndefined();
    expect(env.standIn.balance(ctx.org).remaining).toBe(3); // holds nothing
  });

  it('tracks the gateway cost exactly after the call', async () => {
    env.standIn.seedCustomer(ctx.org, { remaining: 8000 });
    const meter = createConvexCreditMeter({ autumn: convexAutumn() });
    const result = await meter.charge(ctx, { model: 'openai/gpt-5-mini', usage: { inputTokens: 10 }, providerMetadata: { gateway: { cost: '0.0001545' } } });
    expect(result).toMatchObject({ credits: 0.618, source: 'gateway', billed: true });
    expect(env.standIn.balance(ctx.org).remaining).toBe(7999.382);
  });

  it('falls back to token rates for an embedding step', async () => {
    env.standIn.seedCustomer(ctx.org, { remaining: 8000 });
    const meter = createConvexCreditMeter({ autumn: convexAutumn() });
    const result = await meter.charge(ctx, { model: 'openai/text-embedding-3-small', usage: { inputTokens: 100_000 } });
    expect(result).toMatchObject({ credits: 8, source: 'token-rates', billed: true });
  });

  it('chargeUpFront is an atomic check + track (send_event): refused when short, charged once when not', async () => {
    env.standIn.seedCustomer(ctx.org, { remaining: 10 });
    const autumn = convexAutumn();
    const meter = createConvexCreditMeter({ autumn });
    await meter.chargeUpFront(ctx, 6);
    await expect(meter.chargeUpFront(ctx, 6)).rejects.toBeInstanceOf(InsufficientCreditsError);
    expect(env.standIn.balance(ctx.org).remaining).toBe(4);
    expect(autumn.calls).toEqual(['check+event', 'check+event']);
  });

  it('retries a failing track and hands it to onUnbilled if it never succeeds; never throws', async () => {
    env.standIn.seedCustomer(ctx.org, { remaining: 8000 });
    const unbilled: unknown[] = [];
    const autumn = convexAutumn();
    const meter = createConvexCreditMeter({ autumn, retry: FAST, onUnbilled: (c) => void unbilled.push(c) });
    env.standIn.faults.inject('balances.track', { kind: 'status', status: 503 });
    const result = await meter.charge(ctx, { model: 'openai/gpt-5-mini', providerMetadata: { gateway: { cost: '0.001' } }, properties: { thread_id: 't' } });
    expect(result).toMatchObject({ credits: 4, billed: false });
    expect(autumn.calls.filter((c) => c === 'track')).toHaveLength(3);
    expect(unbilled).toEqual([expect.objectContaining({ credits: 4, properties: { thread_id: 't' } })]);
  });

  it('a transient track failure is retried and charged once', async () => {
    env.standIn.seedCustomer(ctx.org, { remaining: 8000 });
    const meter = createConvexCreditMeter({ autumn: convexAutumn(), retry: FAST });
    env.standIn.faults.inject('balances.track', { kind: 'status', status: 503 }, { times: 1 });
    const result = await meter.charge(ctx, { providerMetadata: { gateway: { cost: '0.001' } } });
    expect(result.billed).toBe(true);
    expect(env.standIn.balance(ctx.org).remaining).toBe(7996);
  });

  it('reports an unpriced call (unknown model, no cost) instead of skipping it', async () => {
    const unbilled: unknown[] = [];
    const meter = createConvexCreditMeter({ autumn: convexAutumn(), onUnbilled: (c) => void unbilled.push(c) });
    const result = await meter.charge(ctx, { model: 'acme/x', usage: { inputTokens: 5 } });
    expect(result.billed).toBe(false);
    expect(unbilled).toHaveLength(1);
  });

  it('an Autumn outage at pre-flight is a BillingUnavailableError, not a pass', async () => {
    env.standIn.seedCustomer(ctx.org, { remaining: 8000 });
    const meter = createConvexCreditMeter({ autumn: convexAutumn() });
    env.standIn.faults.inject('balances.check', { kind: 'status', status: 500 });
    await expect(meter.preflight(ctx, { credits: 1 })).rejects.toBeInstanceOf(BillingUnavailableError);
  });
});
