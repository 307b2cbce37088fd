/**
 * The stronger path, for a Convex app that needs it: the kit's 1.x meter (`createCreditMeter`) from a Convex action.
 * Before the model runs, `reserve` takes an Autumn LOCK for the call's worst case, so concurrent turns cannot spend the
 * same credits; every step is recorded on the reservation; `settle` confirms the lock with the real cost (the gateway's,
 * summed over steps) and bills any overrun (overflow) instead of letting Autumn cap it. Compare billing.ts (0.x:
 * check, then track) and docs/convex.md.
 *
 * The 1.x meter does not need `@useautumn/convex`: it talks to Autumn's 1.x API itself, with its own fetch client
 * (default here, runs in Convex's default runtime), or through autumn-js 1.x installed beside the 0.1.x that
 * `@useautumn/convex` needs, under an npm alias (`"autumn-js-v1": "npm:autumn-js@1.3.13"`; AUTUMN_V1_CLIENT=autumn-js).
 */
import { createCreditMeter, InsufficientCreditsError, type CreditMeter, type MessageCostRecord, type UnbilledCharge } from 'autumn-ai-credits/server';
import { Autumn as AutumnV1 } from 'autumn-js-v1';
import { ConvexError, v } from 'convex/values';
import { internal } from './_generated/api';
import { action, type ActionCtx } from './_generated/server';
import { costRow } from './billing';
import { chatAgent } from './chat';
import { CHAT_MODEL, MAX_OUTPUT_TOKENS, credits } from './credits';

/** A meter per action call, so a charge Autumn could not take is persisted with this call's ctx. */
function strictMeter(ctx: ActionCtx): CreditMeter {
  const secretKey = process.env.AUTUMN_SECRET_KEY ?? '';
  // The 1.x API's origin (the SDKs append /v1); AUTUMN_URL is the 0.x SDK's `.../v1`.
  const serverURL = process.env.AUTUMN_URL?.replace(/\/v1\/?$/, '');
  const onUnbilled = async (charge: UnbilledCharge) => {
    await ctx.runMutation(internal.billing.saveUnbilled, {
      chargeId: charge.id,
      reason: charge.reason === 'pending' ? 'autumn_failed' : charge.reason,
      credits: charge.credits === null ? null : Number(charge.credits),
      model: charge.model,
      usage: { input: 0, cacheRead: 0, cacheWrite: 0, output: 0, reasoning: 0, total: 0, ...charge.usage },
      threadId: typeof charge.properties.thread_id === 'string' ? charge.properties.thread_id : null,
      error: charge.error ?? charge.reason,
      at: charge.createdAt,
    });
  };
  const common = { config: credits, onUnbilled, ...(serverURL ? { serverURL } : {}) };
  return process.env.AUTUMN_V1_CLIENT === 'autumn-js'
    ? createCreditMeter({ ...common, autumn: new AutumnV1({ secretKey, ...(serverURL ? { serverURL } : {}), failOpen: false }) })
    : createCreditMeter({ ...common, secretKey });
}

/** `chat.send` on the lock path: reserve → generate (every step recorded) → settle. */
export const send = action({
  args: { threadId: v.string(), prompt: v.string() },
  handler: async (ctx, { threadId, prompt }): Promise<{ text: string; cost: MessageCostRecord }> => {
    const caller = await ctx.runQuery(internal.orgs.caller, {});
    if (!caller) throw new ConvexError({ code: 'unauthenticated' });
    const chat = await ctx.runQuery(internal.chat.chatOf, { threadId });
    if (!chat || chat.orgId !== caller.orgId) throw new ConvexError({ code: 'not_found' });

    const meter = strictMeter(ctx);
    let reservation;
    try {
      reservation = await meter.reserve({ customerId: caller.customerId, model: CHAT_MODEL, prompt, maxOutputTokens: MAX_OUTPUT_TOKENS, properties: { thread_id: threadId } });
    } catch (error) {
      if (error instanceof InsufficientCreditsError) throw new ConvexError({ error: { ...error.toJSON().error } });
      throw new ConvexError({ code: 'billing_unavailable', message: error instanceof Error ? error.message : String(error) });
    }
    const held = reservation;
    try {
      const { thread } = await chatAgent().continueThread(ctx, { threadId, userId: caller.memberId });
      const result = await thread.generateText(
        { prompt },
        {
          // This turn's steps go on the reservation (instead of the agent's per-step 0.x handler).
          usageHandler: async (_ctx, step) => {
            held.addStep({ usage: step.usage, providerMetadata: step.providerMetadata, model: step.model.includes('/') ? step.model : `${step.provider}/${step.model}` });
          },
        },
      );
      const cost = await held.settle();
      await ctx.runMutation(internal.billing.saveCost, costRow(cost, threadId));
      return { text: result.text, cost };
    } catch (error) {
      // Steps that finished consumed tokens and are charged; with none, the hold is given back.
      await (held.steps > 0 ? held.settle().then(() => undefined) : held.release()).catch(() => undefined);
      throw error;
    }
  },
});
