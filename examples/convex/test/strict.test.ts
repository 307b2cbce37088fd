/**
 * The stronger path a Convex app can take (convex/strict.ts): the kit's 1.x meter from a Convex action, reserving
 * with an Autumn lock before the model runs and settling with the real cost — with the kit's own 1.x HTTP client,
 * and with autumn-js 1.3.13 installed beside the autumn-js 0.1.85 `@useautumn/convex` needs (npm alias).
 */
import { ConvexError } from 'convex/values';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api } from '../convex/_generated/api';
import { newBackend, signUp, type Backend } from './convex';
import { chatModel, scriptSteps } from './models';
import { standIn } from './stand-in';

let t: Backend;
let org: Awaited<ReturnType<typeof signUp>>;

beforeEach(async () => {
  vi.spyOn(console, 'log').mockImplementation(() => {});
  t = newBackend();
  org = await signUp(t, 'Initech');
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe.each([
  ['the kit’s own 1.x HTTP client', undefined],
  ['autumn-js 1.3.13 under an npm alias, beside autumn-js 0.1.85', 'autumn-js'],
])('reserve → settle from a Convex action, through %s', (_name, client) => {
  beforeEach(() => {
    if (client) vi.stubEnv('AUTUMN_V1_CLIENT', client);
  });

  it('bills a two-step turn exactly once from the gateway costs', async () => {
    await standIn.seedCustomer(org.customerId, { remaining: 8000 });
    const threadId = await org.as.mutation(api.chat.create, { title: 'Strict' });
    scriptSteps({ tool: 'lookupPlan', input: { plan: 'pro' }, cost: '0.0005' }, { text: 'Pro: 60,000 credits.', cost: '0.0007' });

    const { text, cost } = await org.as.action(api.strict.send, { threadId, prompt: 'What is in Pro?' });

    expect(text).toBe('Pro: 60,000 credits.');
    expect(cost).toMatchObject({ credits: 4.8, source: 'gateway', steps: 2, billed: true, customerId: org.customerId });
    expect(await standIn.balance(org.customerId)).toMatchObject({ remaining: 7995.2, usage: 4.8 });
  });

  it('concurrent turns: the lock admits only what the balance covers; the rest are refused before the model runs', async () => {
    await standIn.seedCustomer(org.customerId, { remaining: 10 });
    const threads = await Promise.all(['a', 'b', 'c'].map((title) => org.as.mutation(api.chat.create, { title })));
    scriptSteps({ text: 'only one', cost: '0.0025' });

    const results = await Promise.allSettled(threads.map((threadId) => org.as.action(api.strict.send, { threadId, prompt: 'Hi' })));

    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const refusals = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected').map((result) => result.reason as ConvexError<{ error: { code: string } }>);
    expect(refusals.map((refusal) => refusal.data.error.code)).toEqual(['insufficient_credits', 'insufficient_credits']);
    expect(chatModel.doGenerateCalls).toHaveLength(1);
    expect(await standIn.balance(org.customerId)).toMatchObject({ remaining: 0, usage: 8000 });
  });
});
