import { defineSchema, defineTable } from 'convex/server';
import { v } from 'convex/values';

/** Token pools as the kit's meter splits a step's usage (they add up to `total`). */
export const tokenPools = v.object({
  input: v.number(),
  cacheRead: v.number(),
  cacheWrite: v.number(),
  output: v.number(),
  reasoning: v.number(),
  total: v.number(),
});

/** Where a cost came from (the kit's price sources; `mixed`/`estimate` only on the 1.x path's per-turn records). */
export const priceSource = v.union(v.literal('gateway'), v.literal('token-rates'), v.literal('mixed'), v.literal('estimate'), v.null());

/** An outbox row as the meter's onUnbilled reports it: `billing.saveUnbilled`'s args, and the `unbilled` table's. */
export const unbilledFields = {
  chargeId: v.string(),
  reason: v.union(v.literal('unpriced'), v.literal('autumn_failed'), v.literal('rejected')),
  credits: v.union(v.number(), v.null()),
  model: v.union(v.string(), v.null()),
  usage: tokenPools,
  threadId: v.union(v.string(), v.null()),
  error: v.string(),
  at: v.number(),
};

/** A charged step as the `costs` table and `billing.saveCost` take it (the org is added from auth). */
export const costFields = {
  threadId: v.string(),
  /** The chat turn (one `send`): its model, tool and embedding steps. */
  turnId: v.optional(v.string()),
  chargeId: v.string(),
  model: v.union(v.string(), v.null()),
  credits: v.number(),
  usd: v.number(),
  source: priceSource,
  usage: tokenPools,
  billed: v.boolean(),
};

export default defineSchema({
  /** An org is the Autumn customer, under its own `customerId` (Autumn's id alphabet: letters, digits, _ : -). */
  orgs: defineTable({ name: v.string(), customerId: v.string() }).index('by_customer', ['customerId']),
  /** Who belongs to which org, by the auth provider's token identifier. The org is never taken from the client. */
  members: defineTable({ tokenIdentifier: v.string(), orgId: v.id('orgs'), name: v.string() }).index('by_token', ['tokenIdentifier']),
  /** The org's chat threads (the Agent component keeps the messages). */
  chats: defineTable({ orgId: v.id('orgs'), threadId: v.string(), title: v.string() })
    .index('by_org', ['orgId'])
    .index('by_thread', ['threadId']),
  /**
   * One row per model or embedding step the usageHandler charged (or could not): what `MessageCostBadge` and the
   * usage per thread read. `billed: false` rows are also in `unbilled`.
   */
  costs: defineTable({
    orgId: v.id('orgs'),
    ...costFields,
    /** The user message that started the turn, once the turn is done: the UI shows the turn's cost under it. */
    promptMessageId: v.optional(v.string()),
  })
    .index('by_org_thread', ['orgId', 'threadId'])
    .index('by_turn', ['turnId']),
  /** The outbox: steps Autumn does not have (the meter's onUnbilled), for a replay or a human. */
  unbilled: defineTable({
    orgId: v.union(v.id('orgs'), v.null()),
    ...unbilledFields,
  }).index('by_org', ['orgId']),
});
