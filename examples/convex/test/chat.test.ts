/**
 * The example app's billing, end to end: Convex functions in convex-test with the real `@convex-dev/agent` 0.7 and
 * `@useautumn/convex` 0.0.23 (→ autumn-js 0.1.85 → HTTP → the kit's Autumn stand-in), the AI SDK's mock models
 * answering like the AI Gateway (usage + `providerMetadata.gateway.cost`), and the kit from its packed tarball.
 */
import { parseInsufficientCredits } from 'autumn-ai-credits';
import { ConvexError } from 'convex/values';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api } from '../convex/_generated/api';
import { newBackend, signUp, type Backend } from './convex';
import { chatModel, EMBEDDING_TOKENS, embeddingModels, holdGenerationsUntil, scriptSteps } from './models';
import { standIn } from './stand-in';

let t: Backend;
let org: Awaited<ReturnType<typeof signUp>>;
let threadId: string;

beforeEach(async () => {
  vi.spyOn(console, 'log').mockImplementation(() => {}); // autumn-js 0.x logs every error answer
  t = newBackend();
  org = await signUp(t, 'Acme');
  threadId = await org.as.mutation(api.chat.create, { title: 'Pricing questions' });
});

afterEach(async () => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await standIn.clearFaults();
});

/** The app's own tables, read directly. */
const rows = {
  costs: () => t.run((ctx) => ctx.db.query('costs').collect()),
  unbilled: () => t.run((ctx) => ctx.db.query('unbilled').collect()),
};

describe('a message', () => {
  it('is pre-checked, generated and billed exactly from the gateway cost: $0.0012 → 4.8 credits', async () => {
    await standIn.seedCustomer(org.customerId, { remaining: 8000 });
    scriptSteps({ text: 'Pro has 60,000 credits a month.', cost: '0.0012', input: 120, output: 40 });

    const reply = await org.as.action(api.chat.send, { threadId, prompt: 'What does Pro include?' });

    expect(reply.text).toBe('Pro has 60,000 credits a month.');
    expect(chatModel.doGenerateCalls).toHaveLength(1);
    expect(await standIn.balance(org.customerId)).toMatchObject({ remaining: 7995.2, usage: 4.8 });
    // One Autumn event, on the org, with what usage per thread groups by.
    const events = await standIn.events(org.customerId);
    expect(events.map((event) => [event.value, event.properties])).toEqual([[4.8, { thread_id: threadId, agent: 'helper', turn_id: reply.turnId }]]);
    // The app's record of the step, and the turn's cost on the user message for MessageCostBadge.
    expect(await rows.costs()).toEqual([
      expect.objectContaining({ threadId, turnId: reply.turnId, promptMessageId: reply.promptMessageId, credits: 4.8, usd: 0.0012, source: 'gateway', model: 'openai/gpt-5-mini', billed: true }),
    ]);
    const messages = await org.as.query(api.chat.messages, { threadId });
    expect(messages.map((message) => [message.role, message.text, message.cost?.credits ?? null])).toEqual([
      ['user', 'What does Pro include?', 4.8],
      ['assistant', 'Pro has 60,000 credits a month.', null],
    ]);
    expect(messages[0]!.cost).toMatchObject({ credits: 4.8, usd: 0.0012, source: 'gateway', model: 'openai/gpt-5-mini', steps: 1, billed: true, usage: { input: 120, output: 40, total: 160 } });
    expect(await rows.unbilled()).toEqual([]);
  });

  it('of another org is billed to that org, never to the caller', async () => {
    const other = await signUp(t, 'Globex');
    await standIn.seedCustomer(org.customerId, { remaining: 8000 });
    await standIn.seedCustomer(other.customerId, { remaining: 8000 });
    scriptSteps({ text: 'Hi', cost: '0.0012' });
    await expect(other.as.action(api.chat.send, { threadId, prompt: 'Hi' })).rejects.toThrow(ConvexError);
    expect(chatModel.doGenerateCalls).toHaveLength(0);
    await other.as.action(api.chat.send, { threadId: await other.as.mutation(api.chat.create, { title: 'Mine' }), prompt: 'Hi' });
    expect((await standIn.balance(other.customerId)).remaining).toBe(7995.2);
    expect((await standIn.balance(org.customerId)).remaining).toBe(8000);
  });
});

describe('usage per thread', () => {
  it('is in the costs-table query at once; Autumn aggregates the same after its event lag', async () => {
    await standIn.seedCustomer(org.customerId, { remaining: 8000 });
    const otherThread = await org.as.mutation(api.chat.create, { title: 'Onboarding' });
    scriptSteps({ text: 'A', cost: '0.0012' }, { text: 'B', cost: '0.0005' }, { text: 'C', cost: '0.00025' });
    await org.as.action(api.chat.send, { threadId, prompt: 'one' });
    // Autumn's own aggregate (events grouped by properties.thread_id) does not have the charge yet: Autumn batches
    // events into its analytics store (the stand-in holds them 2 s, as Autumn takes seconds).
    expect(await org.as.action(api.billing.usageByThreadFromAutumn, {})).toEqual([]);
    await org.as.action(api.chat.send, { threadId: otherThread, prompt: 'two' });
    await org.as.action(api.chat.send, { threadId: otherThread, prompt: 'three' });

    // The query reads what the usageHandler wrote: exact, and current the moment each action returns.
    expect(await org.as.query(api.billing.usageByThread, {})).toEqual([
      { threadId, title: 'Pricing questions', credits: 4.8, usd: 0.0012, steps: 1, unbilledSteps: 0 },
      { threadId: otherThread, title: 'Onboarding', credits: 3, usd: 0.00075, steps: 2, unbilledSteps: 0 },
    ]);
    // Once they are in (flush = the wait), the ledger of record agrees to the micro-credit.
    await standIn.flush();
    expect(await org.as.action(api.billing.usageByThreadFromAutumn, {})).toEqual([
      { threadId, credits: 4.8 },
      { threadId: otherThread, credits: 3 },
    ]);
  });
});

describe('an org without credits', () => {
  it('is refused with the kit’s insufficient-credits error before generation: the model is never called', async () => {
    // 5 credits left; the pre-flight asks for the worst case of this call (prompt + 1,024 output tokens ≈ 8.2).
    await standIn.seedCustomer(org.customerId, { remaining: 5 });
    scriptSteps({ text: 'never', cost: '0.0012' });

    const refusal = await org.as.action(api.chat.send, { threadId, prompt: 'Hi' }).then(
      () => null,
      (error: unknown) => error,
    );

    expect(refusal).toBeInstanceOf(ConvexError);
    expect((refusal as ConvexError<{ error: { code: string } }>).data.error.code).toBe('insufficient_credits');
    // What the React kit's InsufficientCreditsPrompt reads from it.
    const parsed = parseInsufficientCredits(refusal);
    expect(parsed).toMatchObject({ available: 5, featureId: 'ai_credits' });
    expect(parsed!.needed).toBeGreaterThan(5);
    expect(chatModel.doGenerateCalls).toHaveLength(0);
    expect(await org.as.query(api.chat.messages, { threadId })).toEqual([]); // nothing saved either
    expect(await standIn.balance(org.customerId)).toMatchObject({ remaining: 5, usage: 7995 });
    expect(await standIn.events(org.customerId)).toEqual([]);
  });

  it('cannot slip through an Autumn outage: a failed pre-flight refuses the turn rather than run it unpaid', async () => {
    await standIn.seedCustomer(org.customerId, { remaining: 8000 });
    await standIn.injectFault('check', { kind: 'status', status: 500 });
    const refusal = await org.as.action(api.chat.send, { threadId, prompt: 'Hi' }).then(() => null, (error: unknown) => error);
    expect((refusal as ConvexError<{ code: string }>).data.code).toBe('billing_unavailable');
    expect(chatModel.doGenerateCalls).toHaveLength(0);
  });

  it('at 0 is refused the same way', async () => {
    await standIn.seedCustomer(org.customerId, { remaining: 0 });
    await expect(org.as.action(api.chat.send, { threadId, prompt: 'Hi' })).rejects.toThrow(ConvexError);
    expect(chatModel.doGenerateCalls).toHaveLength(0);
  });
});

describe('an embedding step (no gateway metadata)', () => {
  it('of a model with token rates is billed by them: 250 tokens of text-embedding-3-small → 0.02 credits each', async () => {
    vi.stubEnv('EMBEDDING_MODEL', 'openai/text-embedding-3-small');
    await standIn.seedCustomer(org.customerId, { remaining: 8000 });
    scriptSteps({ text: 'Answer', cost: '0.0012' });

    await org.as.action(api.chat.send, { threadId, prompt: 'Embed me' });

    const embeddings = embeddingModels['openai/text-embedding-3-small'].doEmbedCalls.length;
    expect(embeddings).toBeGreaterThan(0); // the agent embeds the saved messages
    const costs = await rows.costs();
    const embeddingRows = costs.filter((row) => row.model === 'openai/text-embedding-3-small');
    expect(embeddingRows).toHaveLength(embeddings);
    // $0.02 per 1M tokens: 250 tokens = $0.000005 = 0.02 credits, exactly.
    for (const row of embeddingRows) expect(row).toMatchObject({ source: 'token-rates', credits: 0.02, usd: 0.000005, billed: true, usage: { input: EMBEDDING_TOKENS, total: EMBEDDING_TOKENS } });
    expect(costs.filter((row) => row.source === 'gateway').map((row) => row.credits)).toEqual([4.8]);
    expect((await standIn.balance(org.customerId)).remaining).toBe(Number((8000 - 4.8 - 0.02 * embeddings).toFixed(6)));
    expect(await rows.unbilled()).toEqual([]);
  });

  it('of a model the kit has no price for goes to the outbox as unpriced; the rest is billed', async () => {
    vi.stubEnv('EMBEDDING_MODEL', 'acme/embed-1');
    await standIn.seedCustomer(org.customerId, { remaining: 8000 });
    scriptSteps({ text: 'Answer', cost: '0.0012' });

    await org.as.action(api.chat.send, { threadId, prompt: 'Embed me' });

    const embeddings = embeddingModels['acme/embed-1'].doEmbedCalls.length;
    expect(embeddings).toBeGreaterThan(0);
    const unbilled = await rows.unbilled();
    expect(unbilled).toHaveLength(embeddings);
    for (const row of unbilled) {
      expect(row).toMatchObject({ reason: 'unpriced', credits: null, model: 'acme/embed-1', threadId, usage: { input: EMBEDDING_TOKENS } });
      expect(row.orgId).not.toBeNull();
    }
    expect((await standIn.balance(org.customerId)).remaining).toBe(7995.2);
  });
});

describe('a multi-step generation', () => {
  it('bills every step: the tool call and the final answer are two charges', async () => {
    await standIn.seedCustomer(org.customerId, { remaining: 8000 });
    scriptSteps({ tool: 'lookupPlan', input: { plan: 'pro' }, cost: '0.0005' }, { text: 'Pro: 60,000 credits a month for $30.', cost: '0.0007' });

    const reply = await org.as.action(api.chat.send, { threadId, prompt: 'What is in Pro?' });

    expect(reply.text).toBe('Pro: 60,000 credits a month for $30.');
    expect(chatModel.doGenerateCalls).toHaveLength(2);
    expect((await standIn.events(org.customerId)).map((event) => event.value)).toEqual([2, 2.8]);
    expect((await standIn.balance(org.customerId)).remaining).toBe(7995.2);
    expect((await rows.costs()).map((row) => [row.credits, row.source, row.turnId])).toEqual([
      [2, 'gateway', reply.turnId],
      [2.8, 'gateway', reply.turnId],
    ]);
    const [question] = await org.as.query(api.chat.messages, { threadId });
    expect(question!.cost).toMatchObject({ credits: 4.8, usd: 0.0012, steps: 2 });
  });
});

describe('when Autumn cannot take a charge', () => {
  it('the answer still arrives and the step waits in the outbox with its org; nothing is lost', async () => {
    await standIn.seedCustomer(org.customerId, { remaining: 8000 });
    await standIn.injectFault('track', { kind: 'status', status: 503 });
    scriptSteps({ text: 'Still here', cost: '0.0012' });

    const reply = await org.as.action(api.chat.send, { threadId, prompt: 'Hi' });

    expect(reply.text).toBe('Still here');
    expect((await standIn.balance(org.customerId)).remaining).toBe(8000);
    const [unbilled] = await rows.unbilled();
    expect(unbilled).toMatchObject({ reason: 'autumn_failed', credits: 4.8, model: 'openai/gpt-5-mini', threadId });
    expect(unbilled!.orgId).not.toBeNull();
    expect(await rows.costs()).toEqual([expect.objectContaining({ credits: 4.8, billed: false, chargeId: unbilled!.chargeId })]);
  });
});

describe('concurrent turns on this (0.x) path', () => {
  it('all pass a pre-flight that holds nothing, all run, and each is charged in full (overflow): the org overspends', async () => {
    // 10 credits: each turn's pre-flight asks for its worst case (≈ 8.2) and passes, because nothing is held.
    await standIn.seedCustomer(org.customerId, { remaining: 10 });
    const threads = await Promise.all(['a', 'b', 'c'].map((title) => org.as.mutation(api.chat.create, { title })));
    scriptSteps({ text: 'a', cost: '0.0025' }, { text: 'b', cost: '0.0025' }, { text: 'c', cost: '0.0025' });
    holdGenerationsUntil(3); // all three are past their pre-flight before any is charged

    const results = await Promise.allSettled(threads.map((id) => org.as.action(api.chat.send, { threadId: id, prompt: 'Hi' })));

    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    expect(chatModel.doGenerateCalls).toHaveLength(3); // 30 credits of model time
    expect((await standIn.events(org.customerId)).map((event) => event.value)).toEqual([10, 10, 10]);
    // Every turn is charged in full (the meter tracks with overage_behavior overflow): 30 credits against 10 left, so
    // the org ends 20 past its grant — the overspend the 0.x path cannot prevent (see the 1.x lock path in strict.ts).
    expect(await standIn.balance(org.customerId)).toMatchObject({ remaining: 0, usage: 8020, granted: 8000 });
  });
});
