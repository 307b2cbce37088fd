/**
 * The chat: a Convex Agent whose usageHandler is the kit's (billing.ts), a pre-flight before each generation, and
 * the messages with what each turn cost.
 */
import { Agent, createTool, listMessages, stepCountIs, type AgentComponent, type Config } from '@convex-dev/agent';
import { InsufficientCreditsError, creditsToUsd, sumCredits } from 'autumn-ai-credits/server';
import type { LanguageModel } from 'ai';
import { ConvexError, v } from 'convex/values';
import { z } from 'zod';
import { components, internal } from './_generated/api';
import type { Doc } from './_generated/dataModel';
import { action, internalQuery, mutation, query, type ActionCtx } from './_generated/server';
import { meter, usageHandler, withTurn, type TurnCtx } from './billing';
import { CHAT_MODEL, MAX_OUTPUT_TOKENS, credits } from './credits';
import { callerOf } from './orgs';

/** A tool, so a question can take two model steps (the call, then the answer): both are billed. */
const lookupPlan = createTool({
  description: 'Look up what a plan of this product includes.',
  inputSchema: z.object({ plan: z.string() }),
  execute: async (_ctx, { plan }) => (plan.toLowerCase().includes('pro') ? 'Pro: 60,000 credits a month for $30.' : 'Free: 8,000 credits a month.'),
});

/**
 * `new Agent(...)` typed without its `AssertAISDKv7<LanguageModel> & LanguageModel` option: with @ai-sdk/gateway 4.0.146's
 * ~400 model ids that intersection is over TypeScript's union limit (TS2590 "Expression produces a union type that is
 * too complex to represent" at every `new Agent`, TypeScript 5.9 and 7.0 alike).
 */
const ChatAgent = Agent as unknown as new (
  component: AgentComponent,
  options: Omit<Config, 'languageModel'> & { name: string; languageModel: LanguageModel; instructions?: string; tools?: Record<string, unknown>; stopWhen?: unknown },
) => Agent;

/**
 * The agent. Models are AI Gateway ids (strings): the gateway reports each step's cost in
 * `providerMetadata.gateway.cost`. EMBEDDING_MODEL (e.g. `openai/text-embedding-3-small`) turns on message
 * embeddings; those steps carry no gateway cost and are billed by token rates (or go to the outbox as unpriced for a
 * model the kit has no price for).
 */
export function chatAgent(): Agent {
  const embeddingModel = process.env.EMBEDDING_MODEL;
  return new ChatAgent(components.agent, {
    name: 'helper',
    instructions: 'You answer questions about this product. Use lookupPlan for plan details.',
    languageModel: CHAT_MODEL,
    embeddingModel: embeddingModel || undefined,
    tools: { lookupPlan },
    stopWhen: stepCountIs(4),
    callSettings: { maxOutputTokens: MAX_OUTPUT_TOKENS },
    usageHandler: (ctx, args) => usageHandler(ctx as TurnCtx, args),
  });
}

/** A new chat thread of the caller's org. */
export const create = mutation({
  args: { title: v.string() },
  handler: async (ctx, { title }) => {
    const caller = await callerOf(ctx);
    if (!caller) throw new ConvexError({ code: 'unauthenticated' });
    const { threadId } = await chatAgent().createThread(ctx, { userId: caller.memberId, title });
    await ctx.db.insert('chats', { orgId: caller.orgId, threadId, title });
    return threadId;
  },
});

export const chatOf = internalQuery({
  args: { threadId: v.string() },
  handler: (ctx, { threadId }) =>
    ctx.db
      .query('chats')
      .withIndex('by_thread', (q) => q.eq('threadId', threadId))
      .unique(),
});

/**
 * Sends a message and generates the answer, in an action that runs with the user's identity (the Autumn component
 * finds the org from it, for the pre-flight and for every step the usageHandler charges).
 *
 * 1. pre-flight: `check` that the org can pay the worst case of this call (prompt + MAX_OUTPUT_TOKENS at the model's
 *    rates). An org that cannot is refused with the kit's InsufficientCreditsError, as a ConvexError whose `data`
 *    is its 402 body — before anything is saved or the model runs;
 * 2. generate: each step (tool call, answer, embeddings) is charged by the usageHandler with its real cost.
 */
export const send = action({
  args: { threadId: v.string(), prompt: v.string() },
  handler: async (ctx, { threadId, prompt }): Promise<{ promptMessageId: string; text: string; turnId: string }> => {
    const caller = await ctx.runQuery(internal.orgs.caller, {});
    if (!caller) throw new ConvexError({ code: 'unauthenticated' });
    const chat = await ctx.runQuery(internal.chat.chatOf, { threadId });
    if (!chat || chat.orgId !== caller.orgId) throw new ConvexError({ code: 'not_found' });

    await preflight(ctx, prompt);

    const turnId = crypto.randomUUID();
    const turn = withTurn(ctx, turnId);
    const { thread } = await chatAgent().continueThread(turn, { threadId, userId: caller.memberId });
    const result = await thread.generateText({ prompt });
    await ctx.runMutation(internal.billing.linkTurn, { turnId, promptMessageId: result.promptMessageId });
    return { promptMessageId: result.promptMessageId, text: result.text, turnId };
  },
});

async function preflight(ctx: ActionCtx, prompt: string): Promise<void> {
  try {
    await meter.preflight(ctx, { model: CHAT_MODEL, prompt, maxOutputTokens: MAX_OUTPUT_TOKENS });
  } catch (error) {
    // `{ error: { code: 'insufficient_credits', needed, available } }`: the React kit's InsufficientCreditsPrompt reads it.
    if (error instanceof InsufficientCreditsError) throw new ConvexError({ error: { ...error.toJSON().error } });
    throw new ConvexError({ code: 'billing_unavailable', message: error instanceof Error ? error.message : String(error) });
  }
}

/** The thread's user and assistant messages, oldest first, each user message with what its turn cost. */
export const messages = query({
  args: { threadId: v.string() },
  handler: async (ctx, { threadId }) => {
    const caller = await callerOf(ctx);
    const chat = await ctx.db
      .query('chats')
      .withIndex('by_thread', (q) => q.eq('threadId', threadId))
      .unique();
    if (!caller || !chat || chat.orgId !== caller.orgId) return [];
    const { page } = await listMessages(ctx, components.agent, { threadId, paginationOpts: { numItems: 100, cursor: null }, excludeToolMessages: true });
    const costs = await ctx.db
      .query('costs')
      .withIndex('by_org_thread', (q) => q.eq('orgId', caller.orgId).eq('threadId', threadId))
      .collect();
    return page
      .filter((doc) => (doc.message?.role === 'user' || doc.message?.role === 'assistant') && doc.text)
      .reverse()
      .map((doc) => {
        const turn = doc.message?.role === 'user' ? costs.filter((row) => row.promptMessageId === doc._id) : [];
        return {
          id: doc._id,
          role: doc.message!.role as 'user' | 'assistant',
          text: doc.text ?? '',
          order: doc.order,
          cost: turn.length > 0 ? turnCost(turn) : null,
        };
      });
  },
});

/** A turn's steps as one MessageCostBadge record. */
function turnCost(rows: Array<{ credits: number; usd: number; model: string | null; source: Doc<'costs'>['source']; billed: boolean; usage: { input: number; cacheRead: number; cacheWrite: number; output: number; reasoning: number; total: number } }>) {
  const sources = new Set(rows.map((row) => row.source).filter((source) => source !== null));
  const spent = sumCredits(rows.map((row) => row.credits), credits.creditDecimals);
  const tokens = (pool: keyof (typeof rows)[number]['usage']) => rows.reduce((n, row) => n + row.usage[pool], 0);
  return {
    credits: spent,
    usd: creditsToUsd(spent, credits),
    model: rows.find((row) => row.source === 'gateway')?.model ?? rows[0]?.model ?? null,
    source: sources.size === 1 ? [...sources][0]! : sources.size > 1 ? ('mixed' as const) : null,
    kind: 'actual' as const,
    usage: { input: tokens('input'), cacheRead: tokens('cacheRead'), cacheWrite: tokens('cacheWrite'), output: tokens('output'), reasoning: tokens('reasoning'), total: tokens('total') },
    steps: rows.length,
    billed: rows.every((row) => row.billed),
  };
}
