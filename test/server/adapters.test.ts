/**
 * The adapters with the real AI SDK (`ai` 7, a mock model from `ai/test`) and a Convex Agent-shaped usageHandler,
 * charging the Autumn stand-in over HTTP.
 */
import { generateText, jsonSchema, stepCountIs, streamText, tool } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { aiSdkCallbacks, convexUsageHandler, createConvexCreditMeter, createCreditMeter, type UnbilledCharge } from '../../src/server.js';
import { useStandIn } from '../testing/helpers.js';
import { convexAutumnV0, type Ctx as V0Ctx } from './convex-v0.js';

const ORG = 'org_ai';
const env = useStandIn();

function meter(onUnbilled?: (charge: UnbilledCharge) => void) {
  return createCreditMeter({
    autumn: env.autumn,
    retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
    replayAfterMs: 0,
    now: () => env.standIn.clock.now(),
    ...(onUnbilled ? { onUnbilled } : {}),
  });
}

const USAGE = { inputTokens: { total: 100, noCache: 80, cacheRead: 20, cacheWrite: 0 }, outputTokens: { total: 50, text: 40, reasoning: 10 } };

type GenerateResult = Awaited<ReturnType<NonNullable<MockLanguageModelV4['doGenerate']>>>;

function textResult(text: string, cost: string | undefined): GenerateResult {
  return {
    content: [{ type: 'text', text }],
    finishReason: { unified: 'stop', raw: 'stop' },
    usage: USAGE,
    ...(cost === undefined ? {} : { providerMetadata: { gateway: { cost } } }),
    warnings: [],
  } as GenerateResult;
}

function toolCallResult(cost: string): GenerateResult {
  return {
    content: [{ type: 'tool-call', toolCallId: 'call_1', toolName: 'weather', input: JSON.stringify({ city: 'Paris' }) }],
    finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
    usage: USAGE,
    providerMetadata: { gateway: { cost } },
    warnings: [],
  } as GenerateResult;
}

const weather = tool({
  description: 'Weather in a city',
  inputSchema: jsonSchema<{ city: string }>({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }),
  execute: async ({ city }) => `Sunny in ${city}`,
});

describe('AI SDK 7 callbacks', () => {
  it('charge the gateway cost of a generateText call, with tokens by pool', async () => {
    env.standIn.seedCustomer(ORG, { remaining: 8000 });
    const model = new MockLanguageModelV4({ provider: 'gateway', modelId: 'openai/gpt-5-mini', doGenerate: textResult('hi', '0.0001545') });
    const reservation = await meter().reserve({ customerId: ORG, model: 'openai/gpt-5-mini', prompt: 'Hello' });
    const callbacks = aiSdkCallbacks(reservation);
    await generateText({ model, prompt: 'Hello', ...callbacks });
    const cost = await callbacks.cost;
    expect(cost).toMatchObject({ credits: 0.618, source: 'gateway', model: 'openai/gpt-5-mini', steps: 1, billed: true });
    expect(cost?.usage).toEqual({ input: 80, cacheRead: 20, cacheWrite: 0, output: 40, reasoning: 10, total: 150 });
    expect(env.standIn.balance(ORG).remaining).toBe(7999.382);
  });

  it('sum every step of a multi-step tool run', async () => {
    env.standIn.seedCustomer(ORG, { remaining: 8000 });
    const model = new MockLanguageModelV4({ provider: 'gateway', modelId: 'openai/gpt-5-mini', doGenerate: [toolCallResult('0.001'), textResult('Sunny', '0.0015')] });
    const reservation = await meter().reserve({ customerId: ORG, credits: 50 });
    const callbacks = aiSdkCallbacks(reservation);
    const result = await generateText({ model, prompt: 'Weather?', tools: { weather }, stopWhen: stepCountIs(3), ...callbacks });
    expect(result.steps).toHaveLength(2);
    const cost = await callbacks.cost;
    expect(cost).toMatchObject({ credits: 10, steps: 2, billed: true });
    expect(cost?.usage.total).toBe(300);
    expect(env.standIn.balance(ORG).remaining).toBe(7990);
  });

  it('price a step without a gateway cost by token rates, and say so', async () => {
    env.standIn.seedCustomer(ORG, { remaining: 8000 });
    const model = new MockLanguageModelV4({ provider: 'openai', modelId: 'gpt-5-mini', doGenerate: textResult('hi', undefined) });
    const reservation = await meter().reserve({ customerId: ORG, credits: 50 });
    const callbacks = aiSdkCallbacks(reservation);
    await generateText({ model, prompt: 'Hello', ...callbacks });
    const cost = await callbacks.cost;
    expect(cost?.source).toBe('token-rates');
    expect(cost?.credits).toBeGreaterThan(0);
    expect(env.standIn.balance(ORG).remaining).toBeCloseTo(8000 - cost!.credits, 6);
  });

  it('meter.run() around generateText settles once even with the callbacks spread in', async () => {
    env.standIn.seedCustomer(ORG, { remaining: 8000 });
    const model = new MockLanguageModelV4({ provider: 'gateway', modelId: 'openai/gpt-5-mini', doGenerate: textResult('hi', '0.001') });
    const { result, cost } = await meter().run({ customerId: ORG, credits: 20 }, (reservation) =>
      generateText({ model, prompt: 'Hello', ...aiSdkCallbacks(reservation) }),
    );
    expect(result.text).toBe('hi');
    expect(cost.credits).toBe(4);
    expect(env.standIn.balance(ORG).remaining).toBe(7996);
  });

  it('release the reserve when the model fails', async () => {
    env.standIn.seedCustomer(ORG, { remaining: 8000 });
    const model = new MockLanguageModelV4({
      doGenerate: async () => {
        throw new Error('provider down');
      },
    });
    await expect(
      meter().run({ customerId: ORG, credits: 100 }, (reservation) => generateText({ model, prompt: 'Hello', maxRetries: 0, ...aiSdkCallbacks(reservation) })),
    ).rejects.toThrow('provider down');
    expect(env.standIn.balance(ORG).remaining).toBe(8000);
  });

  it('on a stream error, onError releases and the cost resolves to null', async () => {
    env.standIn.seedCustomer(ORG, { remaining: 8000 });
    const reservation = await meter().reserve({ customerId: ORG, credits: 100 });
    const callbacks = aiSdkCallbacks(reservation);
    const model = new MockLanguageModelV4({
      doStream: async () => {
        throw new Error('stream broke');
      },
    });
    const result = streamText({ model, prompt: 'Hello', maxRetries: 0, ...callbacks });
    await result.consumeStream();
    expect(await callbacks.cost).toBeNull();
    expect(env.standIn.balance(ORG).remaining).toBe(8000);
  });

  it('on abort after a finished step, charges that step (its tokens were consumed)', async () => {
    env.standIn.seedCustomer(ORG, { remaining: 8000 });
    const reservation = await meter().reserve({ customerId: ORG, credits: 100 });
    const callbacks = aiSdkCallbacks(reservation);
    callbacks.onStepEnd({ usage: { inputTokens: 10, outputTokens: 10 }, providerMetadata: { gateway: { cost: '0.001' } } });
    await callbacks.onAbort({});
    expect((await callbacks.cost)?.credits).toBe(4);
    expect(env.standIn.balance(ORG).remaining).toBe(7996);
  });

  it('on abort before any step, releases', async () => {
    env.standIn.seedCustomer(ORG, { remaining: 8000 });
    const reservation = await meter().reserve({ customerId: ORG, credits: 100 });
    const callbacks = aiSdkCallbacks(reservation);
    await callbacks.onAbort();
    expect(await callbacks.cost).toBeNull();
    expect(env.standIn.balance(ORG).remaining).toBe(8000);
  });
});

/** One step as Convex Agent passes it to a usageHandler: $0.0025 for thread_9, run for user_1. */
const args = (extra: Record<string, unknown> = {}) => ({
  userId: 'user_1',
  threadId: 'thread_9',
  agentName: 'helper',
  model: 'gpt-5-mini',
  provider: 'openai',
  usage: { inputTokens: 100, outputTokens: 50 },
  providerMetadata: { gateway: { cost: '0.0025' } },
  ...extra,
});

describe('Convex Agent usageHandler', () => {
  type Ctx = { orgOf: (userId: string | undefined) => string | null };
  const ctx: Ctx = { orgOf: (userId) => (userId === 'user_1' ? ORG : null) };

  it('charges each step to the org from the server side, with the thread id for usage per thread', async () => {
    env.standIn.seedCustomer(ORG, { remaining: 8000 });
    const m = meter();
    const onCost = vi.fn();
    const handler = convexUsageHandler<Ctx>({ meter: m, customerId: (c, a) => c.orgOf(a.userId), onCost });
    await handler(ctx, args());
    await handler(ctx, args());
    expect(env.standIn.balance(ORG).remaining).toBe(7980);
    expect(onCost).toHaveBeenCalledTimes(2);
    expect(onCost.mock.calls[0]![1]).toMatchObject({ credits: 10, source: 'gateway', model: 'openai/gpt-5-mini', properties: { thread_id: 'thread_9', agent: 'helper' } });
    env.standIn.flush(); // Autumn's analytics lag
    expect(await m.usageByThread({ customerId: ORG })).toEqual([{ threadId: 'thread_9', credits: 20 }]);
  });

  it('charges an embedding step (no metadata) by token rates', async () => {
    env.standIn.seedCustomer(ORG, { remaining: 8000 });
    const onCost = vi.fn();
    const handler = convexUsageHandler<Ctx>({ meter: meter(), customerId: (c, a) => c.orgOf(a.userId), onCost });
    await handler(ctx, { ...args(), model: 'text-embedding-3-small', usage: { inputTokens: 100_000 }, providerMetadata: undefined });
    expect(onCost.mock.calls[0]![1]).toMatchObject({ credits: 8, source: 'token-rates', billed: true });
    expect(env.standIn.balance(ORG).remaining).toBe(7992);
  });

  it('never throws into the generation: not when the org lookup throws, nor when Autumn is down, nor on garbage', async () => {
    env.standIn.seedCustomer(ORG, { remaining: 8000 });
    const unbilled: UnbilledCharge[] = [];
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const m = meter((c) => void unbilled.push(c));
      const throwingLookup = convexUsageHandler<Ctx>({
        meter: m,
        customerId: () => {
          throw new Error('db down');
        },
      });
      await expect(throwingLookup(ctx, args())).resolves.toBeUndefined();

      const handler = convexUsageHandler<Ctx>({ meter: m, customerId: (c, a) => c.orgOf(a.userId) });
      env.standIn.faults.inject('*', { kind: 'status', status: 503 });
      await expect(handler(ctx, args())).resolves.toBeUndefined();
      env.standIn.faults.clear();
      await expect(handler(ctx, args({ usage: null, providerMetadata: { gateway: { cost: 'abc' } } }))).resolves.toBeUndefined();
      await expect(handler(ctx, args({ userId: 'stranger' }))).resolves.toBeUndefined();

      // Every step that consumed tokens is in the outbox: the failed lookup and the unknown user (no org: for a
      // human), the outage (replayed), the garbage step (unpriced: for a human, never billed as 0).
      expect(unbilled.map((c) => [c.reason, c.customerId, c.credits])).toEqual([
        ['rejected', '', '10'],
        ['autumn_failed', ORG, '10'],
        ['unpriced', ORG, null],
        ['rejected', '', '10'],
      ]);
      expect(unbilled[0]?.properties).toMatchObject({ thread_id: 'thread_9' });
      expect(await m.replayUnbilled()).toBe(3); // the two without an org and the unpriced step stay for a human
      expect(env.standIn.balance(ORG).remaining).toBe(7990);
    } finally {
      errors.mockRestore();
    }
  });
});

describe('Convex Agent usageHandler with the @useautumn/convex (0.x) meter', () => {
  const ctx: V0Ctx = { org: ORG };
  const FAST = { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 };
  beforeEach(() => {
    vi.spyOn(console, 'log').mockImplementation(() => {}); // autumn-js 0.x logs every error answer
    return () => vi.restoreAllMocks();
  });

  it('charges each step to the customer identify(ctx) names, with thread_id, agent and the properties from ctx', async () => {
    env.standIn.seedCustomer(ORG, { remaining: 8000 });
    const onCost = vi.fn();
    const handler = convexUsageHandler<V0Ctx>({
      meter: createConvexCreditMeter({ autumn: convexAutumnV0(env.standIn) }),
      properties: (_args, c) => ({ org_seen: c.org }),
      onCost,
    });
    await handler(ctx, args());
    await handler(ctx, args({ model: 'text-embedding-3-small', usage: { inputTokens: 100_000, outputTokens: 0 }, providerMetadata: undefined }));
    expect(env.standIn.balance(ORG).remaining).toBe(7982);
    expect(onCost.mock.calls.map((call) => [call[0], call[1].credits, call[1].source, call[1].model, call[1].billed])).toEqual([
      [ctx, 10, 'gateway', 'openai/gpt-5-mini', true],
      [ctx, 8, 'token-rates', 'openai/text-embedding-3-small', true],
    ]);
    env.standIn.flush(); // Autumn's analytics lag
    const events = env.standIn.events(ORG);
    expect(events.map((event) => [event.value, event.properties])).toEqual([
      [10, { thread_id: 'thread_9', agent: 'helper', org_seen: ORG }],
      [8, { thread_id: 'thread_9', agent: 'helper', org_seen: ORG }],
    ]);
  });

  it('never throws into the generation and never drops a step: a throwing callback, an outage, no identity, no price', async () => {
    env.standIn.seedCustomer(ORG, { remaining: 8000 });
    const unbilled: Array<[string, number | null]> = [];
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const meter = createConvexCreditMeter<V0Ctx>({ autumn: convexAutumnV0(env.standIn), retry: FAST, onUnbilled: (c) => void unbilled.push([c.reason, c.credits]) });
    const throwing = convexUsageHandler<V0Ctx>({
      meter,
      properties: () => {
        throw new Error('bad properties');
      },
      onCost: () => {
        throw new Error('db down');
      },
    });
    await expect(throwing(ctx, args())).resolves.toBeUndefined();
    expect(env.standIn.balance(ORG).remaining).toBe(7990); // charged despite both callbacks throwing

    const handler = convexUsageHandler<V0Ctx>({ meter });
    env.standIn.faults.inject('track', { kind: 'status', status: 503 });
    await expect(handler(ctx, args())).resolves.toBeUndefined();
    env.standIn.faults.clear();
    await expect(handler({ org: null }, args())).resolves.toBeUndefined();
    await expect(handler(ctx, args({ model: 'mystery', provider: 'acme', providerMetadata: undefined }))).resolves.toBeUndefined();
    await expect(handler(ctx, args({ usage: null as never, providerMetadata: { gateway: { cost: 'abc' } } }))).resolves.toBeUndefined();
    expect(unbilled).toEqual([
      ['autumn_failed', 10],
      ['autumn_failed', 10],
      ['unpriced', null],
      ['unpriced', null],
    ]);
    expect(env.standIn.balance(ORG).remaining).toBe(7990);
    expect(errors).toHaveBeenCalled();
  });
});
