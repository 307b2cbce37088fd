/**
 * The Autumn component (`@useautumn/convex`, on autumn-js 0.x). Every call is made for the customer `identify`
 * returns: the caller's ORG, looked up from the signed-in identity — so `autumn.*` only works in actions that run
 * with the user's identity (a scheduled or internal action without one is refused by the class).
 *
 * Environment: AUTUMN_SECRET_KEY, and AUTUMN_URL only to point it elsewhere than https://api.useautumn.com/v1
 * (tests point it at the kit's stand-in, `${standIn.url}/v1`).
 */
import { Autumn } from '@useautumn/convex';
import { components, internal } from './_generated/api';
import type { ActionCtx } from './_generated/server';

export const autumn = new Autumn(components.autumn, {
  secretKey: process.env.AUTUMN_SECRET_KEY ?? '',
  ...(process.env.AUTUMN_URL ? { url: process.env.AUTUMN_URL } : {}),
  identify: async (ctx: ActionCtx) => {
    const caller = await ctx.runQuery(internal.orgs.caller, {});
    return caller ? { customerId: caller.customerId, customerData: { name: caller.orgName } } : null;
  },
});
