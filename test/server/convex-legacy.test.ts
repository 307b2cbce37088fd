/**
 * The meter for `@useautumn/convex` (autumn-js 0.x surface: `check/track(ctx, …)` → `{ data, error }`), with a double
 * of that surface that is backed by the stand-in through the real SDK — so balances really move.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { BillingUnavailableError, InsufficientCreditsError, createConvexCreditMeter, type ConvexAutumnLike, type ConvexUnbilledCharge } from '../../src/server.js';
import { useStandIn } from '../testing/helpers.js';
import { convexAutumnV0, type Ctx as V0Ctx } from './convex-v0.js';

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

describe('@useautumn/convex (0.x) meter through autumn-js 0.1.85, as the component calls it', () => {
  const v0ctx: V0Ctx = { org: 'org_convex' };
  beforeEach(() => {
    vi.spyOn(console, 'log').mockImplementation(() => {}); // autumn-js 0.x logs every error answer
    return () => vi.restoreAllMocks();
  });

  it('sends the charge id as the idempotency key: the same id is charged once', async () => {
    env.standIn.seedCustomer(v0ctx.org!, { remaining: 8000 });
    const autumn = convexAutumnV0(env.standIn);
    const meter = createConvexCreditMeter({ autumn });
    const step = { id: 'step_1', model: 'openai/gpt-5-mini', providerMetadata: { gateway: { cost: '0.0012' } } };
    expect(await meter.charge(v0ctx, step)).toMatchObject({ id: 'step_1', credits: 4.8, billed: true });
    expect(await meter.charge(v0ctx, step)).toMatchObject({ id: 'step_1', credits: 4.8, billed: true });
    expect(env.standIn.balance(v0ctx.org!).remaining).toBe(7995.2);
    expect(autumn.calls).toEqual(['track:step_1', 'track:step_1']);
  });

  it('a track Autumn applied but whose answer was lost is retried under the same key and charged once', async () => {
    env.standIn.seedCustomer(v0ctx.org!, { remaining: 8000 });
    const autumn = convexAutumnV0(env.standIn);
    const unbilled: ConvexUnbilledCharge[] = [];
    const meter = createConvexCreditMeter({ autumn, retry: FAST, createId: () => 'gen_1', onUnbilled: (c) => void unbilled.push(c) });
    autumn.loseAnswers(1);
    const result = await meter.charge(v0ctx, { providerMetadata: { gateway: { cost: '0.001' } } });
    expect(result).toMatchObject({ id: 'gen_1', credits: 4, billed: true });
    expect(autumn.calls).toEqual(['track:gen_1', 'track:gen_1']);
    expect(env.standIn.balance(v0ctx.org!).remaining).toBe(7996);
    expect(unbilled).toEqual([]);
  });

  it('a refusal (4xx) is not retried: the step goes to onUnbilled with the ctx of the call', async () => {
    env.standIn.seedCustomer(v0ctx.org!, { remaining: 8000 });
    const autumn = convexAutumnV0(env.standIn);
    const unbilled: Array<[ConvexUnbilledCharge, V0Ctx]> = [];
    const meter = createConvexCreditMeter({ autumn, retry: FAST, onUnbilled: (c, x) => void unbilled.push([c, x]) });
    env.standIn.faults.inject('track', { kind: 'status', status: 400, body: { message: 'bad request', code: 'invalid_inputs' } });
    const result = await meter.charge(v0ctx, { model: 'openai/gpt-5-mini', providerMetadata: { gateway: { cost: '0.001' } }, properties: { thread_id: 't1' } });
    expect(result).toMatchObject({ credits: 4, billed: false });
    expect(autumn.calls.filter((c) => c.startsWith('track'))).toHaveLength(1);
    expect(unbilled).toEqual([[expect.objectContaining({ reason: 'autumn_failed', credits: 4, featureId: 'ai_credits', properties: { thread_id: 't1' }, error: 'bad request' }), v0ctx]]);
  });

  it('a 5xx is retried, then reported; the reported id is the key a replay must reuse', async () => {
    env.standIn.seedCustomer(v0ctx.org!, { remaining: 8000 });
    const autumn = convexAutumnV0(env.standIn);
    const unbilled: ConvexUnbilledCharge[] = [];
    const meter = createConvexCreditMeter({ autumn, retry: FAST, onUnbilled: (c) => void unbilled.push(c) });
    env.standIn.faults.inject('track', { kind: 'status', status: 503 });
    const result = await meter.charge(v0ctx, { id: 'gen_2', providerMetadata: { gateway: { cost: '0.001' } } });
    expect(result.billed).toBe(false);
    expect(autumn.calls).toEqual(['track:gen_2', 'track:gen_2', 'track:gen_2']);
    expect(unbilled).toEqual([expect.objectContaining({ id: 'gen_2', reason: 'autumn_failed', credits: 4 })]);
    env.standIn.faults.clear();
    // A replay with the same id is charged once (the failed attempts gave their key back).
    expect(await meter.charge(v0ctx, { id: 'gen_2', providerMetadata: { gateway: { cost: '0.001' } } })).toMatchObject({ billed: true });
    expect(env.standIn.balance(v0ctx.org!).remaining).toBe(7996);
  });

  it('a ctx without an identity (identify finds nobody: the class throws) is reported, not thrown', async () => {
    const unbilled: ConvexUnbilledCharge[] = [];
    const meter = createConvexCreditMeter({ autumn: convexAutumnV0(env.standIn), retry: FAST, onUnbilled: (c) => void unbilled.push(c) });
    const result = await meter.charge({ org: null }, { model: 'openai/gpt-5-mini', providerMetadata: { gateway: { cost: '0.0012' } } });
    expect(result).toMatchObject({ credits: 4.8, billed: false });
    expect(unbilled).toEqual([expect.objectContaining({ reason: 'autumn_failed', credits: 4.8, error: 'No customer identifier found for Autumn.identify()' })]);
  });

  it('a step with no gateway cost and unreadable usage is reported unpriced, never charged as free', async () => {
    env.standIn.seedCustomer(v0ctx.org!, { remaining: 8000 });
    const unbilled: ConvexUnbilledCharge[] = [];
    const autumn = convexAutumnV0(env.standIn);
    const meter = createConvexCreditMeter({ autumn, onUnbilled: (c) => void unbilled.push(c) });
    for (const usage of [{}, null, { inputTokens: Number.NaN }, { totalTokens: 10 }, { inputTokens: -5 }]) {
      expect(await meter.charge(v0ctx, { model: 'openai/gpt-5-mini', usage: usage as never })).toMatchObject({ credits: 0, billed: false, source: null });
    }
    expect(unbilled.map((c) => c.reason)).toEqual(['unpriced', 'unpriced', 'unpriced', 'unpriced', 'unpriced']);
    expect(autumn.calls).toEqual([]);
    // A real zero (no tokens used) is not a failure.
    expect(await meter.charge(v0ctx, { model: 'openai/gpt-5-mini', usage: { inputTokens: 0, outputTokens: 0 } })).toMatchObject({ credits: 0, billed: true, source: 'token-rates' });
  });

  it('an absurd gateway cost is held for a human, not sent', async () => {
    env.standIn.seedCustomer(v0ctx.org!, { remaining: 8000 });
    const unbilled: ConvexUnbilledCharge[] = [];
    const autumn = convexAutumnV0(env.standIn);
    const meter = createConvexCreditMeter({ autumn, onUnbilled: (c) => void unbilled.push(c) });
    for (const cost of ['250000', '99999999999999999999']) {
      expect(await meter.charge(v0ctx, { providerMetadata: { gateway: { cost } } })).toMatchObject({ billed: false });
    }
    expect(unbilled.map((c) => c.reason)).toEqual(['rejected', 'rejected']);
    expect(autumn.calls).toEqual([]);
  });

  it('never throws, even when onUnbilled does', async () => {
    const meter = createConvexCreditMeter({
      autumn: convexAutumnV0(env.standIn),
      retry: FAST,
      onUnbilled: () => {
        throw new Error('db down');
      },
    });
    await expect(meter.charge(v0ctx, { model: 'acme/x', usage: { inputTokens: 5 } })).resolves.toMatchObject({ billed: false });
    await expect(meter.charge({ org: null }, { providerMetadata: { gateway: { cost: '0.001' } } })).resolves.toMatchObject({ billed: false });
  });

  it('answers a record MessageCostBadge shows as it is: credits, usd, model, source, tokens', async () => {
    env.standIn.seedCustomer(v0ctx.org!, { remaining: 8000 });
    const meter = createConvexCreditMeter({ autumn: convexAutumnV0(env.standIn), createId: () => 'gen_3' });
    const cost = await meter.charge(v0ctx, { model: 'openai/gpt-5-mini', usage: { inputTokens: 1000, outputTokens: 200 }, providerMetadata: { gateway: { cost: '0.0012' } }, properties: { thread_id: 't' } });
    expect(cost).toEqual({
      id: 'gen_3',
      featureId: 'ai_credits',
      model: 'openai/gpt-5-mini',
      credits: 4.8,
      usd: 0.0012,
      source: 'gateway',
      kind: 'actual',
      usage: { input: 1000, cacheRead: 0, cacheWrite: 0, output: 200, reasoning: 0, total: 1200 },
      properties: { thread_id: 't' },
      billed: true,
    });
  });
});
