/**
 * Adapters from the AI SDK (`ai` 7) and Convex Agent to the meter. Neither ever throws into the generation: a
 * failure to charge goes to the meter's outbox / `onUnbilled`.
 */
import type { ConvexChargeProperties, ConvexChargeResult, ConvexCreditMeter } from './convex-legacy.js';
import type { ChargeInput, CreditMeter, MessageCostRecord, Reservation, StepLike } from './meter.js';
import type { ProviderMetadataLike, UsageLike } from './usage.js';

/** The AI SDK callbacks that settle a reservation: spread them into `streamText`/`generateText`. */
export interface AiSdkCallbacks {
  /** AI SDK 7 step callback: records the step's usage and gateway cost. */
  onStepEnd(step: StepLike): void;
  /** Same, under the AI SDK 5/6 name. */
  onStepFinish(step: StepLike): void;
  /** AI SDK 7 end callback: charges the real cost of all steps (the event's `steps` when present). */
  onEnd(event: StepLike & { readonly steps?: ReadonlyArray<StepLike> }): Promise<void>;
  /** Same, under its older name (a deprecated alias in AI SDK 7). Settling twice charges once. */
  onFinish(event: StepLike & { readonly steps?: ReadonlyArray<StepLike> }): Promise<void>;
  /** On a model error: charges the steps that finished before it, or releases the reservation when none did. */
  onError(event: unknown): Promise<void>;
  /** On abort, charges the steps that finished (they consumed tokens) or releases. */
  onAbort(event?: { readonly steps?: ReadonlyArray<StepLike> }): Promise<void>;
  /** The cost record once settled (for the UI's MessageCostBadge). */
  readonly cost: Promise<MessageCostRecord | null>;
}

export function aiSdkCallbacks(reservation: Reservation): AiSdkCallbacks {
  let steps = 0;
  let resolveCost: (record: MessageCostRecord | null) => void = () => {};
  const cost = new Promise<MessageCostRecord | null>((resolve) => {
    resolveCost = resolve;
  });
  const finish = async (result?: { readonly steps?: ReadonlyArray<StepLike> } | StepLike): Promise<void> => {
    try {
      resolveCost(await reservation.settle(result));
    } catch {
      resolveCost(null);
    }
  };
  const record = (step: StepLike): void => {
    steps += 1;
    reservation.addStep(step);
  };
  const end = (event: StepLike & { readonly steps?: ReadonlyArray<StepLike> }): Promise<void> =>
    finish(event.steps && event.steps.length > 0 ? { steps: event.steps } : steps > 0 ? undefined : event);
  return {
    onStepEnd: record,
    onStepFinish: record,
    onEnd: end,
    onFinish: end,
    async onError() {
      // A later step failed: the steps that finished consumed tokens and are charged; release only when none did.
      if (steps > 0) return finish();
      await reservation.release();
      resolveCost(null);
    },
    async onAbort(event) {
      if ((event?.steps?.length ?? 0) > 0) return finish({ steps: event!.steps! });
      if (steps > 0) return finish();
      await reservation.release();
      resolveCost(null);
    },
    cost,
  };
}

/** The arguments Convex Agent passes to `usageHandler` (structural; `@convex-dev/agent` UsageHandler). */
export interface ConvexUsageArgs {
  readonly userId?: string | undefined;
  readonly threadId?: string | undefined;
  readonly agentName?: string | undefined;
  readonly model: string;
  readonly provider: string;
  readonly usage: UsageLike;
  readonly providerMetadata?: ProviderMetadataLike;
}

export interface ConvexUsageHandlerOptions<Ctx> {
  readonly meter: CreditMeter;
  /** The org to charge, from your auth (e.g. looked up from `args.userId` in your own tables). */
  readonly customerId: (ctx: Ctx, args: ConvexUsageArgs) => string | null | undefined | Promise<string | null | undefined>;
  /** Extra event properties; `thread_id` and `agent` are added for you. Gets the handler's `ctx` second. */
  readonly properties?: (args: ConvexUsageArgs, ctx: Ctx) => ChargeInput['properties'];
  /** Called with every cost record (e.g. to store it on the message for the UI). */
  readonly onCost?: (ctx: Ctx, record: MessageCostRecord, args: ConvexUsageArgs) => void | Promise<void>;
}

/**
 * The same handler for `@useautumn/convex` (autumn-js 0.x): `meter` is `createConvexCreditMeter(...)`, and the org is
 * whoever the Autumn component's `identify(ctx)` returns — so the generation must run in an action that has the
 * user's identity. A step it cannot charge (no identity, an outage, no price) goes to the meter's `onUnbilled`.
 */
export interface ConvexLegacyUsageHandlerOptions<Ctx> {
  readonly meter: ConvexCreditMeter<Ctx>;
  /** Extra event properties; `thread_id` and `agent` are added for you. Gets the handler's `ctx` second. */
  readonly properties?: (args: ConvexUsageArgs, ctx: Ctx) => ConvexChargeProperties | undefined;
  /** Called with every step's cost (billed or not: see `billed`), e.g. to store it for `MessageCostBadge`. */
  readonly onCost?: (ctx: Ctx, cost: ConvexChargeResult, args: ConvexUsageArgs) => void | Promise<void>;
}

/** A Convex Agent `usageHandler`, as `convexUsageHandler` returns it. */
export type ConvexUsageHandler<Ctx> = (ctx: Ctx, args: ConvexUsageArgs) => Promise<void>;

function isLegacyOptions<Ctx>(options: ConvexUsageHandlerOptions<Ctx> | ConvexLegacyUsageHandlerOptions<Ctx>): options is ConvexLegacyUsageHandlerOptions<Ctx> {
  const meter = options.meter as Partial<CreditMeter & ConvexCreditMeter<Ctx>>;
  return typeof meter.reserve !== 'function' && typeof meter.preflight === 'function';
}

/** `provider/model` as the price table names it (Convex Agent reports `gpt-5-mini` + `openai`). */
function modelOf(args: ConvexUsageArgs): string | undefined {
  // Read defensively: a step without a model name (or with one of another type) is still charged — by its gateway
  // cost, else it goes to the outbox as unpriced — never dropped.
  const model = typeof args.model === 'string' ? args.model : '';
  const provider = typeof args.provider === 'string' ? args.provider : '';
  if (!model) return undefined;
  return provider && !model.includes('/') ? `${provider}/${model}` : model;
}

function propertiesOf<Ctx, P>(args: ConvexUsageArgs, ctx: Ctx, extra: ((args: ConvexUsageArgs, ctx: Ctx) => P) | undefined): Record<string, string | number | boolean | null> {
  let added: P | undefined;
  try {
    added = extra?.(args, ctx);
  } catch (error) {
    // The step is still charged, with the properties the handler knows.
    console.error('[autumn-ai-credits] usageHandler: the properties callback threw', error);
  }
  return {
    ...(args.threadId ? { thread_id: args.threadId } : {}),
    ...(args.agentName ? { agent: args.agentName } : {}),
    ...(added as Record<string, string | number | boolean | null> | undefined),
  };
}

/**
 * A Convex Agent `usageHandler`: fires once per step (embeddings included, which carry no gateway metadata and are
 * priced by tokens) and charges it. It never throws: an exception in a usageHandler would fail the generation.
 *
 * With the 1.x meter (`createCreditMeter`) pass `customerId`; with the `@useautumn/convex` meter
 * (`createConvexCreditMeter`) the component's `identify(ctx)` names the customer.
 */
export function convexUsageHandler<Ctx>(options: ConvexUsageHandlerOptions<Ctx>): ConvexUsageHandler<Ctx>;
export function convexUsageHandler<Ctx>(options: ConvexLegacyUsageHandlerOptions<Ctx>): ConvexUsageHandler<Ctx>;
export function convexUsageHandler<Ctx>(options: ConvexUsageHandlerOptions<Ctx> | ConvexLegacyUsageHandlerOptions<Ctx>): ConvexUsageHandler<Ctx> {
  if (isLegacyOptions(options)) return legacyUsageHandler(options);
  return async (ctx, args) => {
    try {
      let customerId: string | null | undefined = null;
      try {
        customerId = await options.customerId(ctx, args);
      } catch (error) {
        // Charged below without an org: the meter puts it in the outbox, so the usage is not lost.
        console.error('[autumn-ai-credits] usageHandler could not find the org to charge', error);
      }
      const properties = propertiesOf(args, ctx, options.properties);
      const model = modelOf(args);
      if (!customerId) {
        await options.meter.charge({ customerId: '', model, usage: args.usage, providerMetadata: args.providerMetadata, properties });
        return;
      }
      const record = await options.meter.charge({ customerId, model, usage: args.usage, providerMetadata: args.providerMetadata, properties });
      await options.onCost?.(ctx, record, args);
    } catch (error) {
      // Never into the generation. The meter has already reported any charge it could not make.
      console.error('[autumn-ai-credits] usageHandler failed', error);
    }
  };
}

function legacyUsageHandler<Ctx>(options: ConvexLegacyUsageHandlerOptions<Ctx>): ConvexUsageHandler<Ctx> {
  return async (ctx, args) => {
    try {
      const properties = propertiesOf(args, ctx, options.properties);
      // `charge` never throws: a step it cannot bill is handed to the meter's onUnbilled.
      const cost = await options.meter.charge(ctx, { model: modelOf(args), usage: args.usage, providerMetadata: args.providerMetadata, properties });
      await options.onCost?.(ctx, cost, args);
    } catch (error) {
      // Never into the generation (a failing onCost): the step is already charged or reported.
      console.error('[autumn-ai-credits] usageHandler failed', error);
    }
  };
}
