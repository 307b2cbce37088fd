/**
 * Billing through `@useautumn/convex`: the kit's 0.x meter and Convex Agent usageHandler, the customer for the
 * React kit, top-ups, and usage per thread.
 *
 * Guarantees of this (0.x) path — see docs/convex.md: the pre-flight `check` refuses an org that cannot pay before the
 * model runs, but holds nothing, so concurrent generations that all pass it can together overspend; every step is
 * then tracked with its real cost (the AI Gateway's `providerMetadata.gateway.cost`, else token rates) under an
 * idempotency key; a step that cannot be tracked lands in the `unbilled` table, never lost.
 */
import { convexUsageHandler, createConvexCreditMeter, creditsToUsd, sumCredits, type ConvexChargeResult, type ConvexUnbilledCharge } from 'autumn-ai-credits/server';
import { ConvexError, v } from 'convex/values';
import { internal } from './_generated/api';
import { action, internalMutation, query, type ActionCtx } from './_generated/server';
import { autumn } from './autumn';
import { credits } from './credits';
import { callerOf } from './orgs';
import { costFields, unbilledFields } from './schema';

/** The action ctx of a chat turn: `turnId` ties every step's cost (model, tools, embeddings) to the turn. */
export type TurnCtx = ActionCtx & { readonly turnId?: string };

export function withTurn(ctx: ActionCtx, turnId: string): TurnCtx {
  return { ...ctx, turnId };
}

export const meter = createConvexCreditMeter<TurnCtx>({
  autumn,
  config: credits,
  // The outbox: a step Autumn does not have (an outage after retries, no identity, no price) is kept for a replay or
  // a human. Runs with the action's identity, so the mutation finds the org itself.
  onUnbilled: async (charge, ctx) => {
    await ctx.runMutation(internal.billing.saveUnbilled, unbilledRow(charge));
  },
});

/** The Agent's usageHandler: once per step, embeddings included; never throws into the generation. */
export const usageHandler = convexUsageHandler<TurnCtx>({
  meter,
  properties: (_args, ctx) => (ctx.turnId ? { turn_id: ctx.turnId } : undefined),
  onCost: async (ctx, cost, args) => {
    await ctx.runMutation(internal.billing.saveCost, costRow(cost, args.threadId, ctx.turnId));
  },
});

/** A cost of either meter (a 0.x step's result, a 1.x turn's record) as a `costs` row. */
export function costRow(
  cost: Pick<ConvexChargeResult, 'id' | 'model' | 'credits' | 'usd' | 'usage' | 'billed'> & { source: ConvexChargeResult['source'] | 'mixed' | 'estimate' },
  threadId: string | undefined,
  turnId?: string,
) {
  return {
    threadId: threadId ?? '',
    ...(turnId ? { turnId } : {}),
    chargeId: cost.id,
    model: cost.model,
    credits: cost.credits,
    usd: cost.usd,
    source: cost.source,
    usage: { ...cost.usage },
    billed: cost.billed,
  };
}

function unbilledRow(charge: ConvexUnbilledCharge) {
  const threadId = charge.properties.thread_id;
  return {
    chargeId: charge.id,
    reason: charge.reason,
    credits: charge.credits,
    model: charge.model,
    usage: { ...charge.usage },
    threadId: typeof threadId === 'string' ? threadId : null,
    error: charge.error,
    at: charge.at,
  };
}

export const saveCost = internalMutation({
  args: costFields,
  handler: async (ctx, row) => {
    const caller = await callerOf(ctx);
    // No org means no Autumn customer either: the meter has already put the step in `unbilled`.
    if (caller) await ctx.db.insert('costs', { ...row, orgId: caller.orgId });
  },
});

export const saveUnbilled = internalMutation({
  args: unbilledFields,
  handler: async (ctx, row) => {
    const caller = await callerOf(ctx);
    await ctx.db.insert('unbilled', { ...row, orgId: caller?.orgId ?? null });
  },
});

/** After a turn: its steps' rows get the prompt message id, which is what the UI shows a turn's cost under. */
export const linkTurn = internalMutation({
  args: { turnId: v.string(), promptMessageId: v.string() },
  handler: async (ctx, { turnId, promptMessageId }) => {
    const rows = await ctx.db
      .query('costs')
      .withIndex('by_turn', (q) => q.eq('turnId', turnId))
      .collect();
    for (const row of rows) await ctx.db.patch(row._id, { promptMessageId });
  },
});

/**
 * The org's Autumn customer (API 1.2 shape: `features.ai_credits.balance`…) for `<CreditsProvider customer={…}>`;
 * created on first sight (Autumn's get-or-create).
 */
export const customer = action({
  args: {},
  handler: async (ctx) => {
    const got = await autumn.customers.get(ctx);
    if (got.data) return got.data;
    if (got.error?.code !== 'customer_not_found') throw new ConvexError({ code: 'billing_unavailable', message: got.error?.message ?? 'no answer' });
    const caller = await ctx.runQuery(internal.orgs.caller, {});
    if (!caller) throw new ConvexError({ code: 'unauthenticated' });
    const created = await autumn.customers.create(ctx, { id: caller.customerId, name: caller.orgName });
    if (!created.data) throw new ConvexError({ code: 'billing_unavailable', message: created.error?.message ?? 'no answer' });
    return created.data;
  },
});

/**
 * Buys a top-up package of the config (only those: the client names a package, never an Autumn product).
 * `{ url }`: send the browser to checkout; `{}`: bought in place (a card on file), refresh the balance.
 */
export const topUp = action({
  args: { packageId: v.string(), successUrl: v.optional(v.string()) },
  handler: async (ctx, { packageId, successUrl }): Promise<{ url?: string }> => {
    const pkg = credits.topUps.find((candidate) => candidate.id === packageId);
    if (!pkg) throw new ConvexError({ code: 'unknown_package', packageId });
    const checkout = await autumn.checkout(ctx, { productId: pkg.planId, ...(successUrl ? { successUrl } : {}) });
    if (checkout.error || !checkout.data) throw new ConvexError({ code: 'billing_unavailable', message: checkout.error?.message ?? 'no answer' });
    if (checkout.data.url) return { url: checkout.data.url };
    // A card on file: checkout was a preview; attach confirms it.
    const attached = await autumn.attach(ctx, { productId: pkg.planId });
    if (attached.error || !attached.data) throw new ConvexError({ code: 'billing_unavailable', message: attached.error?.message ?? 'no answer' });
    return attached.data.checkout_url ? { url: attached.data.checkout_url } : {};
  },
});

/**
 * Usage per thread, from this app's `costs` table (what the usageHandler wrote, at once and reactively): credits
 * billed to Autumn per thread of the caller's org, and what is in the outbox. Exact to the charge, never behind.
 */
export const usageByThread = query({
  args: {},
  handler: async (ctx) => {
    const caller = await callerOf(ctx);
    if (!caller) return [];
    const chats = await ctx.db
      .query('chats')
      .withIndex('by_org', (q) => q.eq('orgId', caller.orgId))
      .collect();
    const usage = [];
    for (const chat of chats) {
      const rows = await ctx.db
        .query('costs')
        .withIndex('by_org_thread', (q) => q.eq('orgId', caller.orgId).eq('threadId', chat.threadId))
        .collect();
      const billed = rows.filter((row) => row.billed);
      const spent = sumCredits(billed.map((row) => row.credits), credits.creditDecimals);
      usage.push({
        threadId: chat.threadId,
        title: chat.title,
        credits: spent,
        usd: creditsToUsd(spent, credits),
        steps: rows.length,
        unbilledSteps: rows.length - billed.length,
      });
    }
    return usage.sort((a, b) => b.credits - a.credits);
  },
});

/**
 * The same per thread from Autumn itself (its events aggregated by the `thread_id` property): the ledger of record,
 * but Autumn's aggregates lag a few seconds behind a charge (events are batched into its analytics store). Use it to
 * reconcile, not to show a charge that just happened.
 */
export const usageByThreadFromAutumn = action({
  args: { range: v.optional(v.union(v.literal('24h'), v.literal('7d'), v.literal('30d'), v.literal('90d'))) },
  handler: async (ctx, { range }): Promise<Array<{ threadId: string; credits: number }>> => {
    const { data, error } = await autumn.events.aggregate(ctx, { featureId: credits.featureId, range: range ?? '30d', groupBy: 'properties.thread_id' });
    if (error || !data) throw new ConvexError({ code: 'billing_unavailable', message: error?.message ?? 'no answer' });
    const byThread = new Map<string, number[]>();
    for (const bin of (data as { list?: Array<Record<string, unknown>> }).list ?? []) {
      const groups = bin[credits.featureId];
      if (!groups || typeof groups !== 'object') continue;
      for (const [threadId, value] of Object.entries(groups as Record<string, unknown>)) {
        if (typeof value !== 'number' || value === 0 || threadId === 'AUTUMN_RESERVED') continue;
        byThread.set(threadId, [...(byThread.get(threadId) ?? []), value]);
      }
    }
    return [...byThread]
      .map(([threadId, values]) => ({ threadId, credits: sumCredits(values, credits.creditDecimals) }))
      .sort((a, b) => b.credits - a.credits);
  },
});

