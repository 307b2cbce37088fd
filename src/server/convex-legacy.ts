/**
 * The meter for `@useautumn/convex`, which is still on autumn-js 0.x: `autumn.check(ctx, …)` / `autumn.track(ctx, …)`
 * return `{ data, error }` and there are no locks. What this can guarantee is weaker than the 1.x meter:
 * - the pre-flight `check` refuses a call the org cannot pay for, but concurrent calls that all pass it can together
 *   overspend by up to (concurrent calls - 1) x estimate, because nothing is held between check and track;
 * - `chargeUpFront` uses `send_event` (atomic check + track) for calls whose price is known before they run;
 * - the real cost is tracked after the call, with retries; a failure goes to `onUnbilled`, never dropped.
 * The customer is whoever the Convex component's `identify` returns for `ctx` — never client input.
 */
import { defaultCreditsConfig, type CreditsConfig } from '../core/config.js';
import { unitsToCredits, usdToCreditUnits, type MoneyOptions } from '../core/money.js';
import { BillingUnavailableError, InsufficientCreditsError } from './errors.js';
import { DEFAULT_MODEL_PRICES, estimateCost, findModelPrice, priceTokens, type EstimateInput, type ModelPriceTable } from './pricing.js';
import { withRetry, type RetryOptions } from './retry.js';
import { gatewayCostOf, tokenPools, type ProviderMetadataLike, type TokenPools, type UsageLike } from './usage.js';

type Result<T> = Promise<{ data?: T | null; error?: { message?: string; code?: string } | null }>;

/** The part of `@useautumn/convex`'s `Autumn` class used here. */
export interface ConvexAutumnLike<Ctx> {
  check(ctx: Ctx, args: { featureId: string; requiredBalance?: number; sendEvent?: boolean; properties?: Record<string, unknown> }): Result<{ allowed: boolean; balance?: number | null }>;
  track(ctx: Ctx, args: { featureId: string; value: number; properties?: Record<string, unknown> }): Result<unknown>;
}

export interface ConvexChargeResult {
  readonly credits: number;
  readonly source: 'gateway' | 'token-rates' | null;
  readonly usage: TokenPools;
  readonly billed: boolean;
}

export interface ConvexCreditMeterOptions<Ctx> {
  readonly autumn: ConvexAutumnLike<Ctx>;
  readonly config?: CreditsConfig;
  readonly prices?: ModelPriceTable;
  readonly retry?: RetryOptions;
  readonly onUnbilled?: (charge: { credits: number | null; model: string | null; usage: TokenPools; properties: Record<string, unknown>; error: string }) => void | Promise<void>;
}

class RetryableTrackError extends Error {
  readonly statusCode = 503;
}

export function createConvexCreditMeter<Ctx>(options: ConvexCreditMeterOptions<Ctx>) {
  const config = options.config ?? defaultCreditsConfig;
  const prices = options.prices ?? DEFAULT_MODEL_PRICES;
  const money: MoneyOptions = { creditsPerUsd: config.creditsPerUsd, creditDecimals: config.creditDecimals };
  const retry = options.retry;

  async function needed(input: Partial<EstimateInput> & { credits?: number }): Promise<number> {
    if (input.credits !== undefined) return input.credits;
    const estimate = input.model ? estimateCost(input as EstimateInput, prices, money) : null;
    if (!estimate) throw new Error(`No price for model "${input.model ?? ''}": pass \`credits\` or add the model to prices`);
    return estimate.credits;
  }

  return {
    config,
    /** Pre-flight: throws `InsufficientCreditsError` when the org cannot pay the estimate. Holds nothing (0.x has no locks). */
    async preflight(ctx: Ctx, input: Partial<EstimateInput> & { credits?: number }): Promise<void> {
      const credits = await needed(input);
      const { data, error } = await options.autumn.check(ctx, { featureId: config.featureId, requiredBalance: credits });
      if (error || !data) throw new BillingUnavailableError(`Autumn check failed: ${error?.message ?? 'no answer'}`);
      if (!data.allowed) throw new InsufficientCreditsError({ featureId: config.featureId, needed: credits, available: data.balance ?? null });
    },
    /** For calls priced up front: atomic check + track (`send_event`). */
    async chargeUpFront(ctx: Ctx, credits: number, properties: Record<string, unknown> = {}): Promise<void> {
      const { data, error } = await options.autumn.check(ctx, { featureId: config.featureId, requiredBalance: credits, sendEvent: true, properties });
      if (error || !data) throw new BillingUnavailableError(`Autumn check failed: ${error?.message ?? 'no answer'}`);
      if (!data.allowed) throw new InsufficientCreditsError({ featureId: config.featureId, needed: credits, available: data.balance ?? null });
    },
    /** Tracks the real cost of a finished step (gateway cost, else token prices). Never throws. */
    async charge(ctx: Ctx, input: { model?: string; usage?: UsageLike | null; providerMetadata?: ProviderMetadataLike; properties?: Record<string, unknown> }): Promise<ConvexChargeResult> {
      const usage = tokenPools(input.usage);
      const properties = input.properties ?? {};
      let units: bigint | null = null;
      let source: ConvexChargeResult['source'] = null;
      try {
        const cost = gatewayCostOf(input.providerMetadata);
        if (cost !== undefined) {
          units = usdToCreditUnits(cost, money);
          source = 'gateway';
        }
      } catch {
        units = null;
      }
      if (units === null) {
        const price = findModelPrice(prices, input.model);
        if (price) {
          units = usdToCreditUnits(priceTokens(usage, price), money);
          source = 'token-rates';
        }
      }
      if (units === null) {
        await options.onUnbilled?.({ credits: null, model: input.model ?? null, usage, properties, error: 'unpriced: no gateway cost and no price for the model' });
        return { credits: 0, source, usage, billed: false };
      }
      const credits = unitsToCredits(units, money.creditDecimals);
      if (credits === 0) return { credits, source, usage, billed: true };
      let lastError: string;
      try {
        await withRetry(async () => {
          const { error } = await options.autumn.track(ctx, { featureId: config.featureId, value: credits, properties });
          // A 0.x error carries no HTTP status: treat it as transient (retried like a 503).
          if (error) throw new RetryableTrackError(error.message ?? error.code ?? 'track failed');
        }, retry);
        return { credits, source, usage, billed: true };
      } catch (error) {
        lastError = error instanceof Error ? error.message : String(error);
      }
      try {
        await options.onUnbilled?.({ credits, model: input.model ?? null, usage, properties, error: lastError });
      } catch {
        // never throw from charge
      }
      return { credits, source, usage, billed: false };
    },
  };
}
