/**
 * The meter for `@useautumn/convex`, which is still on autumn-js 0.x: `autumn.check(ctx, …)` / `autumn.track(ctx, …)`
 * return `{ data, error }` and there are no locks. What this can guarantee is weaker than the 1.x meter:
 * - the pre-flight `check` refuses a call the org cannot pay for, but concurrent calls that all pass it can together
 *   overspend by up to (concurrent calls - 1) x estimate, because nothing is held between check and track;
 * - `chargeUpFront` uses `send_event` (atomic check + track) for calls whose price is known before they run;
 * - the real cost is tracked after the call, with retries under one idempotency key (a retry of a track Autumn
 *   already applied is not charged twice); a failure goes to `onUnbilled`, never dropped.
 * The customer is whoever the Convex component's `identify` returns for `ctx` — never client input. A `ctx` without
 * an identity (a scheduled or internal action) cannot be charged through `@useautumn/convex`: such a step goes to
 * `onUnbilled` too.
 */
import { defaultCreditsConfig, type CreditsConfig } from '../core/config.js';
import { creditsToUsd, unitsToCredits, usdToCreditUnits, type MoneyOptions } from '../core/money.js';
import { BillingUnavailableError, InsufficientCreditsError } from './errors.js';
import { DEFAULT_MODEL_PRICES, estimateCost, findModelPrice, priceTokens, type EstimateInput, type ModelPriceTable } from './pricing.js';
import { withRetry, type RetryOptions } from './retry.js';
import { gatewayCostOf, tokenPools, type ProviderMetadataLike, type TokenPools, type UsageLike } from './usage.js';

type Result<T> = Promise<{ data?: T | null; error?: { message?: string; code?: string } | null; statusCode?: number }>;

/** The event properties a charge carries (`thread_id` for usage per thread…). */
export type ConvexChargeProperties = Readonly<Record<string, string | number | boolean | null>>;

/** The part of `@useautumn/convex`'s `Autumn` class used here. */
export interface ConvexAutumnLike<Ctx> {
  check(ctx: Ctx, args: { featureId: string; requiredBalance?: number; sendEvent?: boolean; properties?: Record<string, unknown> }): Result<{ allowed: boolean; balance?: number | null }>;
  track(ctx: Ctx, args: { featureId: string; value: number; properties?: Record<string, unknown>; idempotencyKey?: string; overageBehavior?: 'overflow' }): Result<unknown>;
}

/** What one tracked step cost: fits the React kit's `MessageCostBadge` `cost` prop as it is. */
export interface ConvexChargeResult {
  /** The charge's idempotency key (sent as the track's `idempotency_key`). */
  readonly id: string;
  readonly featureId: string;
  readonly model: string | null;
  readonly credits: number;
  /** The cost in USD (what the credits are worth at the config's rate). */
  readonly usd: number;
  readonly source: 'gateway' | 'token-rates' | null;
  readonly kind: 'actual';
  readonly usage: TokenPools;
  readonly properties: ConvexChargeProperties;
  /** False when the step is not in Autumn: it was handed to `onUnbilled`. */
  readonly billed: boolean;
}

/** A step that could not be charged: enough to decide or replay it (`credits` null when it could not be priced). */
export interface ConvexUnbilledCharge {
  readonly id: string;
  /** `unpriced`: no valid gateway cost, no readable usage or no price for the model; `autumn_failed`: the track failed after retries (or `identify` found nobody); `rejected`: an absurd amount held for a human. */
  readonly reason: 'unpriced' | 'autumn_failed' | 'rejected';
  readonly featureId: string;
  readonly credits: number | null;
  readonly model: string | null;
  readonly usage: TokenPools;
  readonly properties: ConvexChargeProperties;
  readonly error: string;
  readonly at: number;
}

export interface ConvexChargeInput {
  readonly model?: string;
  readonly usage?: UsageLike | null;
  readonly providerMetadata?: ProviderMetadataLike;
  readonly properties?: ConvexChargeProperties;
  /** Idempotency key: Autumn charges one key once (24 h). Default: a random id per call, so the meter's own retries never double-charge. */
  readonly id?: string;
}

export interface ConvexCreditMeterOptions<Ctx> {
  readonly autumn: ConvexAutumnLike<Ctx>;
  readonly config?: CreditsConfig;
  readonly prices?: ModelPriceTable;
  readonly retry?: RetryOptions;
  /**
   * Every step that could not be charged. Gets the `ctx` of the call, so a Convex app can persist it
   * (`ctx.runMutation(internal.billing.saveUnbilled, charge)`). Errors it throws are swallowed: `charge` never throws.
   */
  readonly onUnbilled?: (charge: ConvexUnbilledCharge, ctx: Ctx) => void | Promise<void>;
  /** Id generator for charges without an `id`. Default `crypto.randomUUID()`. */
  readonly createId?: () => string;
  /** Clock for `at`. Default `Date.now`. */
  readonly now?: () => number;
}

/** The 0.x meter: `createConvexCreditMeter(...)`. Give it to `convexUsageHandler({ meter })` for a Convex Agent. */
export interface ConvexCreditMeter<Ctx> {
  readonly config: CreditsConfig;
  /** Pre-flight: throws `InsufficientCreditsError` when the org cannot pay the estimate. Holds nothing (0.x has no locks). */
  preflight(ctx: Ctx, input: Partial<EstimateInput> & { credits?: number }): Promise<void>;
  /** For calls priced up front: atomic check + track (`send_event`). */
  chargeUpFront(ctx: Ctx, credits: number, properties?: Record<string, unknown>): Promise<void>;
  /** Tracks the real cost of a finished step (gateway cost, else token prices). Never throws. */
  charge(ctx: Ctx, input: ConvexChargeInput): Promise<ConvexChargeResult>;
}

/** A track error: retried when transient (no status — a network failure — 429 or 5xx), not for a 4xx refusal. */
class TrackError extends Error {
  readonly statusCode: number;
  constructor(message: string, status: number | undefined) {
    super(message);
    this.name = 'TrackError';
    // A 0.x error without a status is a network failure or an unreadable answer: transient, like a 503.
    this.statusCode = status ?? 503;
  }
}

/** A charge of this many credits or more ($250,000 at 4,000/$) is not sent without a human. */
const ABSURD_CREDITS = 1_000_000_000;
const DUPLICATE_KEY = 'duplicate_idempotency_key';

const count = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value) && value >= 0;

/** A step whose usage says how many tokens it used: an input or output count, each a finite number >= 0. */
function readable(usage: UsageLike | null | undefined): boolean {
  if (!usage || typeof usage !== 'object') return false;
  const counts = [usage.inputTokens ?? usage.promptTokens, usage.outputTokens ?? usage.completionTokens].filter((value) => value !== undefined && value !== null);
  return counts.length > 0 && counts.every(count);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function createConvexCreditMeter<Ctx>(options: ConvexCreditMeterOptions<Ctx>): ConvexCreditMeter<Ctx> {
  const config = options.config ?? defaultCreditsConfig;
  const featureId = config.featureId;
  const prices = options.prices ?? DEFAULT_MODEL_PRICES;
  const money: MoneyOptions = { creditsPerUsd: config.creditsPerUsd, creditDecimals: config.creditDecimals };
  const retry = options.retry;
  const createId = options.createId ?? (() => globalThis.crypto.randomUUID());
  const now = options.now ?? Date.now;

  async function needed(input: Partial<EstimateInput> & { credits?: number }): Promise<number> {
    if (input.credits !== undefined) return input.credits;
    const estimate = input.model ? estimateCost(input as EstimateInput, prices, money) : null;
    if (!estimate) throw new Error(`No price for model "${input.model ?? ''}": pass \`credits\` or add the model to prices`);
    return estimate.credits;
  }

  async function report(ctx: Ctx, charge: Omit<ConvexUnbilledCharge, 'featureId' | 'at'>): Promise<void> {
    try {
      await options.onUnbilled?.({ ...charge, featureId, at: now() }, ctx);
    } catch {
      // never throw from charge
    }
  }

  return {
    config,
    async preflight(ctx, input) {
      const credits = await needed(input);
      const { data, error } = await options.autumn.check(ctx, { featureId, requiredBalance: credits });
      if (error || !data) throw new BillingUnavailableError(`Autumn check failed: ${error?.message ?? 'no answer'}`);
      if (!data.allowed) throw new InsufficientCreditsError({ featureId, needed: credits, available: data.balance ?? null });
    },
    async chargeUpFront(ctx, credits, properties = {}) {
      const { data, error } = await options.autumn.check(ctx, { featureId, requiredBalance: credits, sendEvent: true, properties });
      if (error || !data) throw new BillingUnavailableError(`Autumn check failed: ${error?.message ?? 'no answer'}`);
      if (!data.allowed) throw new InsufficientCreditsError({ featureId, needed: credits, available: data.balance ?? null });
    },
    async charge(ctx, input) {
      const id = input.id ?? createId();
      const usage = tokenPools(input.usage);
      const properties = input.properties ?? {};
      const model = input.model ?? null;
      let units: bigint | null = null;
      let source: ConvexChargeResult['source'] = null;
      try {
        const cost = gatewayCostOf(input.providerMetadata);
        if (cost !== undefined && cost !== null) {
          units = usdToCreditUnits(cost, money);
          source = 'gateway';
        }
      } catch {
        units = null; // a malformed gateway cost: token prices below
      }
      if (units === null && readable(input.usage)) {
        const price = findModelPrice(prices, input.model);
        if (price) {
          units = usdToCreditUnits(priceTokens(usage, price), money);
          source = 'token-rates';
        }
      }
      const result = (credits: number, billed: boolean): ConvexChargeResult => ({
        id,
        featureId,
        model,
        credits,
        usd: creditsToUsd(credits, money),
        source,
        kind: 'actual',
        usage,
        properties,
        billed,
      });
      if (units === null) {
        const why = readable(input.usage) ? `no gateway cost and no token price for "${model ?? 'unknown model'}"` : 'no gateway cost and unreadable usage';
        await report(ctx, { id, reason: 'unpriced', credits: null, model, usage, properties, error: `unpriced: ${why}` });
        return { ...result(0, false), source: null };
      }
      let credits: number;
      try {
        credits = unitsToCredits(units, money.creditDecimals);
        if (credits >= ABSURD_CREDITS) throw new Error(`${credits} credits`);
      } catch (error) {
        await report(ctx, { id, reason: 'rejected', credits: null, model, usage, properties, error: `refused to send an absurd charge (${message(error)}): check the usage by hand` });
        return { ...result(0, false), source };
      }
      if (credits === 0) return result(0, true);
      try {
        await withRetry(async (attempt) => {
          // `overflow`: the call already ran, so its whole cost is charged, past the balance if need be (Autumn's 1.2
          // track takes the same overage_behavior as 2.x: shared/api/balances/track/trackParams.ts).
          const { error, statusCode } = await options.autumn.track(ctx, { featureId, value: credits, properties, idempotencyKey: id, overageBehavior: 'overflow' });
          if (!error) return;
          // Autumn already has this key: an earlier attempt (or call) charged it. Charged once, not twice.
          if (error.code === DUPLICATE_KEY) return;
          throw new TrackError(`${error.message ?? error.code ?? 'track failed'}${attempt > 1 ? ` (attempt ${attempt})` : ''}`, statusCode);
        }, retry);
        return result(credits, true);
      } catch (error) {
        // Out of retries, a refusal (4xx), or a throw before any request (`identify` found no customer).
        await report(ctx, { id, reason: 'autumn_failed', credits, model, usage, properties, error: message(error) });
        return result(credits, false);
      }
    },
  };
}
