/**
 * Who is calling, and for which org. The org is the Autumn customer and comes from the signed-in identity and this
 * app's own `members` table — never from anything the client sends.
 */
import { v } from 'convex/values';
import type { Doc, Id } from './_generated/dataModel';
import { internalMutation, internalQuery, query, type QueryCtx } from './_generated/server';

export interface Caller {
  readonly memberId: Id<'members'>;
  readonly name: string;
  readonly orgId: Id<'orgs'>;
  readonly orgName: string;
  /** The org's Autumn customer id. */
  readonly customerId: string;
}

/** The caller's membership, or null when nobody is signed in or the user belongs to no org. */
export async function callerOf(ctx: QueryCtx): Promise<Caller | null> {
  const identity = await ctx.auth.getUserIdentity();
  if (!identity) return null;
  const member: Doc<'members'> | null = await ctx.db
    .query('members')
    .withIndex('by_token', (q) => q.eq('tokenIdentifier', identity.tokenIdentifier))
    .unique();
  if (!member) return null;
  const org = await ctx.db.get(member.orgId);
  return org ? { memberId: member._id, name: member.name, orgId: org._id, orgName: org.name, customerId: org.customerId } : null;
}

/** For actions (which have no `db`): `ctx.runQuery(internal.orgs.caller, {})` runs with the action's identity. */
export const caller = internalQuery({ args: {}, handler: (ctx) => callerOf(ctx) });

/** The signed-in member and org, for the UI. */
export const me = query({ args: {}, handler: (ctx) => callerOf(ctx) });

/** Sign-up (your auth flow calls this): a new org with its first member; returns the org's Autumn customer id. */
export const create = internalMutation({
  args: { name: v.string(), member: v.object({ tokenIdentifier: v.string(), name: v.string() }) },
  handler: async (ctx, { name, member }) => {
    const customerId = `org_${crypto.randomUUID().replaceAll('-', '')}`;
    const orgId = await ctx.db.insert('orgs', { name, customerId });
    await ctx.db.insert('members', { ...member, orgId });
    return customerId;
  },
});
