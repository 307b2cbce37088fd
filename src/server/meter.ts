/**
 * The credit meter: pay for every AI call exactly once, with no overspend.
 *
 *   reserve  — Autumn `check` with a lock for the estimated credits: concurrent calls cannot spend the same credits;
 *              an org that can't pay gets `InsufficientCreditsError` before the model runs.
 *   settle   — `balances.finalize` confirm with the REAL cost (gateway cost, or token prices) as `override_value`;
 *              cost beyond the reserve is charged too (overflow), never absorbed.
 *   release  — on model error or abort with nothing consumed; a lock left by a crashed process expires.
 *
 * The lock id is the idempotency key: a retried reserve that finds its own lock, or a retried finalize that finds
 * the lock already gone, is not charged twice. A charge that still fails after retries goes to `onUnbilled` (and
 * the meter's outbox) with everything needed to replay it — never dropped silently.
 */
import { defaultCreditsConfig, type CreditsConfig } from '../core/config.js';
import { CreditsError } from '../core/errors.js';
import { creditsToUnits, unitsToCredits, unitsToString, usdToCreditUnits, creditsToUsd, type MoneyOptions } from '../core/money.js';
import { BillingUnavailableError, InsufficientCreditsError } from './errors.js';
import { DEFAULT_MODEL_PRICES, estimateCost, findModelPrice, priceTokens, type EstimateInput, type ModelPriceTable } from './pricing.js';
import { autumnCodeOf, statusOf, withRetry, type RetryOptions } from './retry.js';
import { NO_TOKENS, addPools, gatewayCostOf, tokenPools, type ProviderMetadataLike, type TokenPools, type UsageLike } from './usage.js';

type Properties = Readonly<Record<string, string | number | boolean | null>>;

/** The part of the autumn-js 1.x `Autumn` client the meter uses (the real SDK satisfies it). */
export interface AutumnClientLike {
  check(params: {
    customerId: string;
    featureId: string;
    requiredBalance?: number;
    properties?: Record<string, unknown>;
    lock?: { enabled: true; lockId: string; expiresAt?: number; overageBehavior?: 'cap' | 'overflow' };
  }): Promise<{ allowed: boolean; customerId: string; balance?: { remaining?: number } | null }>;
  balances: {
    finalize(params: { lockId: string; action: 'confirm' | 'release'; overrideValue?: number; properties?: Record<string, unknown> }): Promise<unknown>;
  };
  events: {
    aggregate(params: { customerId: string; featureId: string; range?: '24h' | '7d' | '30d' | '90d' | 'last_cycle' | '1bc' | '3bc'; groupBy?: string; maxGroups?: number }): Promise<{
      total?: Record<string, { count: number; sum: number }>;
      list: ReadonlyArray<{ groupedValues?: Record<string, Record<string, number>> | undefined }>;
    }>;
  };
}

/** One model step as the AI SDK (`onStepEnd`/`onStepFinish`, a `steps[]` entry) or Convex Agent reports it. */
export interface StepLike {
  readonly usage?: UsageLike | null;
  readonly providerMetadata?: ProviderMetadataLike;
  readonly model?: string | { readonly modelId?: string };
  readonly response?: { readonly modelId?: string } | null;
}

/** Where a charge's price came from. */
export type PriceSource = 'gateway' | 'token-rates' | 'estimate' | 'mixed';

/** What one message cost: shown by the React kit's `MessageCostBadge`. */
export interface MessageCostRecord {
  /** The reservation / idempotency id. */
  readonly id: string;
  readonly customerId: string;
  readonly featureId: string;
  readonly model: string | null;
  readonly credits: number;
  readonly usd: number;
  readonly source: PriceSource;
  readonly kind: 'actual';
  /** The pre-flight estimate in credits, if the call was reserved. */
  readonly estimatedCredits: number | null;
  readonly usage: TokenPools;
  readonly steps: number;
  /** False when Autumn could not be charged: the charge is in the outbox / was given to `onUnbilled`. */
  readonly billed: boolean;
  readonly properties: Properties;
}

/** A charge that could not be made (or priced); enough to replay it with `meter.replayUnbilled()`. */
export interface UnbilledCharge {
  readonly id: string;
  readonly reason: 'autumn_failed' | 'unpriced';
  readonly customerId: string;
  readonly featureId: string;
  readonly model: string | null;
  /** Credits to charge; null when the call could not be priced (`unpriced`: decide by hand from `usage`). */
  readonly credits: number | null;
  readonly usage: TokenPools;
  readonly properties: Properties;
  readonly error: string | null;
  readonly at: number;
}

export interface CreditMeterOptions {
  /** autumn-js 1.x client. Construct it with `failOpen: false`; fail-open fake answers are refused anyway. */
  readonly autumn: AutumnClientLike;
  readonly config?: CreditsConfig;
  /** Token prices per model, for estimates and for calls without a gateway cost. Default `DEFAULT_MODEL_PRICES`. */
  readonly prices?: ModelPriceTable;
  /** How long a reservation holds credits if never settled (a crashed process). Default 10 minutes. */
  readonly lockTtlMs?: number;
  readonly retry?: RetryOptions;
  /** Receives every charge that could not be made. Also kept in `meter.unbilled()`. */
  readonly onUnbilled?: (charge: UnbilledCharge) => void | Promise<void>;
  /** Clock for lock expiry (tests move it). Default `Date.now`. */
  readonly now?: () => number;
  /** Id generator for reservations without an explicit id. */
  readonly createId?: () => string;
}

export interface ReserveInput extends Partial<EstimateInput> {
  /** The org, FROM YOUR SERVER-SIDE AUTH — never from the client's request body. */
  readonly customerId: string;
  /** Explicit estimate in credits; otherwise estimated from `model`, prompt and `maxOutputTokens`. */
  readonly credits?: number;
  /** Event properties, e.g. `{ thread_id }` for usage per thread. */
  readonly properties?: Properties;
  /** Idempotency key (e.g. your generation or message id). Default: a random id. */
  readonly id?: string;
}

export interface ChargeInput {
  readonly customerId: string;
  readonly model?: string;
  readonly usage?: UsageLike | null;
  readonly providerMetadata?: ProviderMetadataLike;
  readonly steps?: ReadonlyArray<StepLike>;
  /** Explicit cost in USD (decimal string), instead of usage/metadata. */
  readonly usd?: string | number;
  readonly properties?: Properties;
  /** Idempotency key: the same id is charged once. */
  readonly id?: string;
}

/** A reservation: settle it with the real cost, or release it. Settling twice charges once. */
export interface Reservation {
  readonly id: string;
  readonly customerId: string;
  readonly featureId: string;
  readonly model: string | null;
  /** Credits held. */
  readonly credits: number;
  readonly expiresAt: number;
  /** Records a finished step (AI SDK `onStepEnd`); `settle()` with no argument charges the recorded steps. */
  addStep(step: StepLike): void;
  /** Charges the real cost. Accepts a step, an AI SDK result/`onFinish` event (with `steps`), or nothing. */
  settle(result?: StepLike | { readonly steps?: ReadonlyArray<StepLike> }): Promise<MessageCostRecord>;
  /** Gives the held credits back (model error, abort before any step). */
  release(): Promise<void>;
}

export interface ThreadUsage {
  readonly threadId: string;
  readonly credits: number;
}

export interface CreditMeter {
  readonly config: CreditsConfig;
  /** Pre-flight: holds the estimated credits or throws `InsufficientCreditsError` / `BillingUnavailableError`. */
  reserve(input: ReserveInput): Promise<Reservation>;
  /** reserve → `fn(reservation)` → settle with its result; release if it throws. */
  run<T extends object | null | undefined>(input: ReserveInput, fn: (reservation: Reservation) => Promise<T>): Promise<{ result: T; cost: MessageCostRecord }>;
  /** Charges a finished call without a reservation (plain function, Convex Agent usageHandler). Never throws. */
  charge(input: ChargeInput): Promise<MessageCostRecord>;
  /** Prices a call without charging it. */
  price(input: Omit<ChargeInput, 'customerId'>): { credits: number; usd: number; source: PriceSource | null; usage: TokenPools };
  /** The worst-case estimate of a call, or null for an unknown model. */
  estimate(input: EstimateInput): { credits: number; usd: number; inputTokens: number; outputTokens: number } | null;
  /**
   * Credits used per thread (events aggregated by the `thread_id` property). Autumn's aggregates lag a few seconds
   * behind charges (its events are batched into an analytics store): a charge just made may not be in it yet —
   * `UsageBreakdown`'s `pending` covers that gap on screen. Beyond 250 threads in a day, the rest of that day shows
   * as Autumn's `AUTUMN_RESERVED` group.
   */
  usageByThread(input: { customerId: string; range?: '24h' | '7d' | '30d' | '90d' | 'last_cycle' }): Promise<ThreadUsage[]>;
  /** Charges that failed or could not be priced, oldest first. */
  unbilled(): readonly UnbilledCharge[];
  /** Tries the failed charges again (same idempotency keys); returns how many are still unbilled. */
  replayUnbilled(): Promise<number>;
}

/** How many explicit charge ids the meter remembers for idempotency (oldest forgotten first). */
const RECENT_CHARGE_IDS = 10_000;

/** Autumn's largest `max_groups` for `events.aggregate`. */
const MAX_THREAD_GROUPS = 250;

/** Default reservation lifetime. */
const DEFAULT_LOCK_TTL_MS = 10 * 60 * 1000;

/** autumn-js fail-open answers carry an empty customer id: the call never reached Autumn. */
class FailOpenAnswerError extends Error {
  readonly statusCode = 503;
  constructor() {
    super('Autumn answered with a fail-open placeholder (it was not reached)');
    this.name = 'FailOpenAnswerError';
  }
}

function modelIdOf(step: StepLike, fallback: string | null): string | null {
  if (typeof step.model === 'string' && step.model) return step.model;
  if (step.model && typeof step.model === 'object' && typeof step.model.modelId === 'string') return step.model.modelId;
  if (step.response && typeof step.response.modelId === 'string' && step.response.modelId) return step.response.modelId;
  return fallback;
}

function randomId(): string {
  return `gen_${globalThis.crypto.randomUUID()}`;
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export function createCreditMeter(options: CreditMeterOptions): CreditMeter {
  const config = options.config ?? defaultCreditsConfig;
  const featureId = config.featureId;
  const prices = options.prices ?? DEFAULT_MODEL_PRICES;
  const money: MoneyOptions = { creditsPerUsd: config.creditsPerUsd, creditDecimals: config.creditDecimals };
  const places = config.creditDecimals;
  const ttl = options.lockTtlMs ?? DEFAULT_LOCK_TTL_MS;
  const now = options.now ?? Date.now;
  const createId = options.createId ?? randomId;
  const autumn = options.autumn;
  const outbox: UnbilledCharge[] = [];
  /** Charges by explicit id, so a retried `charge({ id })` (a redelivered webhook, a re-run handler) is charged once. */
  const recentCharges = new Map<string, Promise<MessageCostRecord>>();

  const toCredits = (units: bigint): number => unitsToCredits(units, places);
  const toUsd = (units: bigint): number => creditsToUsd(unitsToString(units, places), money);

  async function report(charge: UnbilledCharge): Promise<void> {
    outbox.push(charge);
    try {
      await options.onUnbilled?.(charge);
    } catch {
      // The charge stays in the outbox; a failing callback must not lose it nor fail the caller.
    }
  }

  /** Prices steps: gateway cost where valid, else token prices, else unpriced. */
  function priceSteps(steps: ReadonlyArray<StepLike>, defaultModel: string | null) {
    let units = 0n;
    let usage = NO_TOKENS;
    const sources = new Set<'gateway' | 'token-rates'>();
    const unpriced: Array<{ model: string | null; usage: TokenPools }> = [];
    let firstModel: string | null = null;
    for (const step of steps) {
      const pools = tokenPools(step?.usage ?? undefined);
      usage = addPools(usage, pools);
      const model = modelIdOf(step ?? {}, defaultModel);
      firstModel ??= model;
      const cost = gatewayCostOf(step?.providerMetadata);
      if (cost !== undefined && cost !== null) {
        try {
          const stepUnits = usdToCreditUnits(cost, money);
          toCredits(stepUnits); // throws for an amount too large to count exactly ("1e400")
          units += stepUnits;
          sources.add('gateway');
          continue;
        } catch {
          // Malformed or absurd gateway cost ("abc", "-1", NaN, "1e400"): fall back to token prices below.
        }
      }
      const price = findModelPrice(prices, model ?? undefined);
      if (price) {
        units += usdToCreditUnits(priceTokens(pools, price), money);
        sources.add('token-rates');
      } else if (pools.total > 0 || cost !== undefined) {
        unpriced.push({ model, usage: pools });
      }
    }
    const source: PriceSource | null = sources.size === 0 ? null : sources.size === 1 ? [...sources][0]! : 'mixed';
    return { units, usage, source, unpriced, model: firstModel ?? defaultModel };
  }

  /**
   * check + lock. A 409 for our own id on a retry means the first try got through; for a charge (`overflow`) the id
   * is the idempotency key, so a held lock with it is always ours.
   */
  async function lock(customerId: string, lockId: string, units: bigint, overflow: boolean, properties: Properties) {
    return withRetry(async (attempt) => {
      try {
        const answer = await autumn.check({
          customerId,
          featureId,
          requiredBalance: toCredits(units),
          properties: { ...properties },
          lock: { enabled: true, lockId, expiresAt: now() + ttl, ...(overflow ? { overageBehavior: 'overflow' as const } : {}) },
        });
        if (answer.customerId === '') throw new FailOpenAnswerError();
        return answer;
      } catch (error) {
        if ((attempt > 1 || overflow) && statusOf(error) === 409 && autumnCodeOf(error) === 'lock_already_exists') {
          return { allowed: true, customerId, balance: null };
        }
        throw error;
      }
    }, options.retry);
  }

  /** finalize; on a retry, "lock not found" means an earlier try finalized it. Returns false if the lock was gone at once. */
  async function finalize(lockId: string, action: 'confirm' | 'release', units: bigint | null, properties: Properties): Promise<boolean> {
    return withRetry(async (attempt) => {
      try {
        await autumn.balances.finalize({ lockId, action, ...(units === null ? {} : { overrideValue: toCredits(units) }), properties: { ...properties } });
        return true;
      } catch (error) {
        const gone = statusOf(error) === 400 || statusOf(error) === 404;
        if (gone && attempt > 1) return true;
        if (gone && action === 'release') return true;
        if (gone) return false;
        throw error;
      }
    }, options.retry);
  }

  /** A charge with no reservation: lock with overflow (so it is never refused nor capped) and confirm. Idempotent by id. */
  async function chargeUnits(customerId: string, id: string, units: bigint, properties: Properties): Promise<void> {
    if (units <= 0n) return;
    await lock(customerId, id, units, true, properties);
    const done = await finalize(id, 'confirm', units, properties);
    if (!done) throw new CreditsError('billing_failed', `Lock ${id} vanished before it was confirmed`);
  }

  function record(fields: Omit<MessageCostRecord, 'kind' | 'featureId'>): MessageCostRecord {
    return { kind: 'actual', featureId, ...fields };
  }

  /** One charge without a reservation (see `meter.charge`). Never throws: failures go to the outbox. */
  async function chargeOnce(input: ChargeInput, id: string): Promise<MessageCostRecord> {
    const properties: Properties = input.properties ?? {};
    let model = input.model ?? null;
    let priced: { units: bigint; usage: TokenPools; source: PriceSource | null; unpriced: Array<{ model: string | null; usage: TokenPools }> };
    try {
      if (input.usd !== undefined) {
        priced = { units: usdToCreditUnits(input.usd, money), usage: tokenPools(input.usage), source: 'gateway', unpriced: [] };
      } else {
        const steps = input.steps ?? [{ usage: input.usage ?? null, providerMetadata: input.providerMetadata, model: input.model }];
        const stepsPriced = priceSteps(steps, model);
        model = stepsPriced.model;
        priced = stepsPriced;
      }
      toCredits(priced.units); // throws for a total too large to count exactly
    } catch (error) {
      priced = { units: 0n, usage: tokenPools(input.usage), source: null, unpriced: [{ model, usage: tokenPools(input.usage) }] };
      await report({ id, reason: 'unpriced', customerId: input.customerId, featureId, model, credits: null, usage: priced.usage, properties, error: errorText(error), at: now() });
      return record({ id, customerId: input.customerId, model, credits: 0, usd: 0, source: 'estimate', estimatedCredits: null, usage: priced.usage, steps: 0, billed: false, properties });
    }
    for (const miss of priced.unpriced) {
      await report({ id: `${id}:unpriced`, reason: 'unpriced', customerId: input.customerId, featureId, model: miss.model, credits: null, usage: miss.usage, properties, error: null, at: now() });
    }
    let billed = priced.unpriced.length === 0;
    if (priced.units > 0n && (typeof input.customerId !== 'string' || input.customerId.trim() === '')) {
      billed = false;
      await report({ id, reason: 'autumn_failed', customerId: '', featureId, model, credits: toCredits(priced.units), usage: priced.usage, properties, error: 'no customer id: pass the org from your auth', at: now() });
    } else if (priced.units > 0n) {
      try {
        await chargeUnits(input.customerId, id, priced.units, properties);
      } catch (error) {
        billed = false;
        await report({ id, reason: 'autumn_failed', customerId: input.customerId, featureId, model, credits: toCredits(priced.units), usage: priced.usage, properties, error: errorText(error), at: now() });
      }
    }
    return record({ id, customerId: input.customerId, model, credits: toCredits(priced.units), usd: toUsd(priced.units), source: priced.source ?? 'estimate', estimatedCredits: null, usage: priced.usage, steps: input.steps?.length ?? 1, billed, properties });
  
  }

  const meter: CreditMeter = {
    config,

    estimate(input) {
      try {
        const estimate = estimateCost(input, prices, money);
        return estimate && { credits: estimate.credits, usd: Number(estimate.usd), inputTokens: estimate.inputTokens, outputTokens: estimate.outputTokens };
      } catch {
        return null;
      }
    },

    price(input) {
      if (input.usd !== undefined) {
        const units = usdToCreditUnits(input.usd, money);
        return { credits: toCredits(units), usd: toUsd(units), source: 'gateway', usage: tokenPools(input.usage) };
      }
      const steps = input.steps ?? [{ usage: input.usage ?? null, providerMetadata: input.providerMetadata, model: input.model }];
      const priced = priceSteps(steps, input.model ?? null);
      return { credits: toCredits(priced.units), usd: toUsd(priced.units), source: priced.source, usage: priced.usage };
    },

    async reserve(input) {
      if (typeof input.customerId !== 'string' || input.customerId.trim() === '') {
        throw new CreditsError('billing_failed', 'reserve() needs the customerId of the org from your server-side auth');
      }
      let units: bigint;
      if (input.credits !== undefined) {
        units = creditsToUnits(input.credits, places);
        if (!(units >= 0n)) throw new CreditsError('invalid_amount', 'credits must be >= 0');
      } else {
        if (!input.model) throw new CreditsError('invalid_amount', 'reserve() needs `credits` or a `model` to estimate from');
        const estimate = estimateCost(input as EstimateInput, prices, money);
        if (!estimate) {
          throw new CreditsError('invalid_amount', `No price for model "${input.model}": add it to the meter's prices or pass \`credits\``);
        }
        units = estimate.creditUnits;
      }
      const id = input.id ?? createId();
      const properties: Properties = input.properties ?? {};
      const model = input.model ?? null;
      const expiresAt = now() + ttl;

      let answer;
      try {
        answer = await lock(input.customerId, id, units, false, properties);
      } catch (error) {
        if (statusOf(error) === 409) throw new CreditsError('billing_failed', `Reservation id "${id}" is already in use`, { cause: error });
        if (error instanceof CreditsError) throw error;
        throw new BillingUnavailableError(`Could not reserve credits: ${errorText(error)}`, { cause: error });
      }
      if (!answer.allowed) {
        const remaining = answer.balance?.remaining;
        throw new InsufficientCreditsError({ featureId, needed: toCredits(units), available: typeof remaining === 'number' ? Math.max(0, remaining) : null });
      }

      const recorded: StepLike[] = [];
      let outcome: Promise<MessageCostRecord> | null = null;
      let released: Promise<void> | null = null;

      const reservation: Reservation = {
        id,
        customerId: input.customerId,
        featureId,
        model,
        credits: toCredits(units),
        expiresAt,
        addStep(step) {
          recorded.push(step);
        },
        settle(result) {
          if (released) return Promise.reject(new CreditsError('billing_failed', `Reservation ${id} was released`));
          outcome ??= (async () => {
            const steps: ReadonlyArray<StepLike> =
              result && 'steps' in result && Array.isArray(result.steps) && result.steps.length > 0
                ? result.steps
                : result && !('steps' in result)
                  ? [...recorded, result as StepLike]
                  : recorded;
            const priced = priceSteps(steps, model);
            let actual = priced.units;
            let source: PriceSource = priced.source ?? 'estimate';
            if (priced.source === null) {
              // Nothing could be priced (no gateway cost, unknown model): charge what was reserved, never nothing.
              actual = units;
              source = 'estimate';
            }
            for (const miss of priced.source === null ? [] : priced.unpriced) {
              await report({ id: `${id}:unpriced`, reason: 'unpriced', customerId: input.customerId, featureId, model: miss.model, credits: null, usage: miss.usage, properties, error: null, at: now() });
            }
            const billed = await settleUnits(input.customerId, id, units, actual, properties, priced.usage, priced.model);
            return record({ id, customerId: input.customerId, model: priced.model, credits: toCredits(actual), usd: toUsd(actual), source, estimatedCredits: toCredits(units), usage: priced.usage, steps: steps.length, billed, properties });
          })();
          return outcome;
        },
        release() {
          if (outcome) return outcome.then(() => undefined);
          released ??= finalize(id, 'release', null, properties).then(
            () => undefined,
            () => undefined, // the lock expires by itself if Autumn is unreachable now
          );
          return released;
        },
      };
      return reservation;
    },

    async run(input, fn) {
      const reservation = await meter.reserve(input);
      let result;
      try {
        result = await fn(reservation);
      } catch (error) {
        await reservation.release();
        throw error;
      }
      const cost = await reservation.settle((result ?? undefined) as StepLike | { steps?: StepLike[] } | undefined);
      return { result, cost };
    },

    charge(input) {
      if (input.id === undefined) return chargeOnce(input, createId());
      const known = recentCharges.get(input.id);
      if (known) return known;
      const outcome = chargeOnce(input, input.id);
      recentCharges.set(input.id, outcome);
      if (recentCharges.size > RECENT_CHARGE_IDS) recentCharges.delete(recentCharges.keys().next().value!);
      return outcome;
    },
    async usageByThread({ customerId, range = '30d' }) {
      // Autumn keeps the top `max_groups` threads of each day (default 9) and sums the rest as `AUTUMN_RESERVED`: ask
      // for its maximum, so only a day with more than 250 threads shows that group.
      const result = await withRetry(
        () => autumn.events.aggregate({ customerId, featureId, range, groupBy: 'properties.thread_id', maxGroups: MAX_THREAD_GROUPS }),
        options.retry,
      );
      const totals = new Map<string, bigint>();
      for (const bin of result.list) {
        for (const [threadId, value] of Object.entries(bin.groupedValues?.[featureId] ?? {})) {
          totals.set(threadId, (totals.get(threadId) ?? 0n) + creditsToUnits(value, places));
        }
      }
      return [...totals].map(([threadId, units]) => ({ threadId, credits: toCredits(units) })).sort((a, b) => b.credits - a.credits);
    },

    unbilled() {
      return [...outbox];
    },

    async replayUnbilled() {
      const pending = outbox.splice(0, outbox.length);
      for (const charge of pending) {
        if (charge.reason !== 'autumn_failed' || charge.credits === null) {
          outbox.push(charge);
          continue;
        }
        try {
          await chargeUnits(charge.customerId, charge.id, creditsToUnits(charge.credits, places), charge.properties);
        } catch (error) {
          outbox.push({ ...charge, error: errorText(error), at: now() });
        }
      }
      return outbox.length;
    },
  };

  /**
   * Confirms a reservation with the real cost. Up to the reserve: confirm with override_value. Beyond it: confirm the
   * reserve and charge the rest with an overflow lock of its own, so nothing is absorbed. A lock that expired before
   * settlement is charged afresh. Returns false (after reporting) if Autumn could not be charged.
   */
  async function settleUnits(customerId: string, id: string, reserved: bigint, actual: bigint, properties: Properties, usage: TokenPools, model: string | null): Promise<boolean> {
    const withinReserve = actual <= reserved ? actual : reserved;
    const extra = actual - withinReserve;
    try {
      const confirmed = await finalize(id, 'confirm', withinReserve, properties);
      if (!confirmed) {
        // The lock expired (a very slow call): charge the whole cost as a fresh charge.
        await chargeUnits(customerId, `${id}:late`, actual, properties);
        return true;
      }
    } catch (error) {
      await report({ id, reason: 'autumn_failed', customerId, featureId, model, credits: toCredits(actual), usage, properties, error: errorText(error), at: now() });
      return false;
    }
    if (extra > 0n) {
      try {
        await chargeUnits(customerId, `${id}:over`, extra, properties);
      } catch (error) {
        await report({ id: `${id}:over`, reason: 'autumn_failed', customerId, featureId, model, credits: toCredits(extra), usage, properties, error: errorText(error), at: now() });
        return false;
      }
    }
    return true;
  }

  return meter;
}
