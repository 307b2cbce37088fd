/**
 * The credit meter: pay for every AI call exactly once, with no overspend.
 *
 *   reserve  — Autumn `check` with a lock for the estimated credits: concurrent calls cannot spend the same credits;
 *              an org that can't pay gets `InsufficientCreditsError` before the model runs. The lock only admits:
 *              it is released after the charge (or expires by itself), it never becomes the charge.
 *   settle   — the REAL cost (gateway cost, else token prices) is charged with one `track` under an idempotency key
 *              (`Idempotency-Key: <id>:charge`; Autumn refuses a repeat for 24 h with 409), written to the outbox
 *              first and removed from it once Autumn has it. Cost beyond the reserve is charged too (`overflow`).
 *              `overflow` passes usage caps but NOT the org's spend limit: Autumn then deducts only up to the limit,
 *              silently (a 200), and it counts the reservation's own held lock against the room. The track answer's
 *              `deductions` say what it took; when a reserved charge was capped, the remainder is written to the
 *              outbox (`<id>:charge:rest`, with the lock ids), the lock released, and the remainder tracked under that
 *              key (a repeat is a 409). What the true room still caps is reported as `capped` (the record,
 *              `onCapped`), never sent again — Autumn has the keys, and a later resend would charge twice once the
 *              limit is raised.
 *   release  — on model error or abort with nothing consumed; a lock left by a crashed process expires.
 *
 * Why not confirm the lock? Autumn deletes a finalized lock, so its id is free again: a late duplicate of the reserve
 * can create a second lock under the same id, and a confirm's retry then charges twice; and "lock not found" cannot
 * tell "my confirm was applied" from "the lock expired". A track key can: 409 means a request with this key was
 * received. Each reserve attempt also uses a lock id of its own (`<id>:r<n>`), so a late duplicate only creates a lock
 * nobody finalizes, which Autumn releases at its `expires_at`. docs/server.md has the sequence and the fault table.
 */
import { defaultCreditsConfig, type CreditsConfig } from '../core/config.js';
import { CreditsError } from '../core/errors.js';
import { creditsToUnits, unitsToCredits, unitsToString, usdToCreditUnits, creditsToUsd, type MoneyOptions } from '../core/money.js';
import {
  AutumnCallError,
  isTransient,
  type AutumnSdkLike,
  type CallOptions,
  type MeterAutumn,
  type TrackAnswer,
} from './autumn-http.js';
import { MAX_MEMBER_ID_LENGTH, type CreditRefusalReason } from '../core/billing-controls.js';
import { DEFAULT_MEMBER_PROPERTY, addOnPlanIds, refusalReason } from './billing-controls.js';
import { checkCustomerId, MAX_ID_LENGTH } from './customer-id.js';
import { BillingUnavailableError, InsufficientCreditsError, UnknownCustomerError } from './errors.js';
import { memoryOutbox, type OutboxEntry, type OutboxStore } from './outbox.js';
import { DEFAULT_MODEL_PRICES, estimateCost, findModelPrice, priceTokens, type EstimateInput, type ModelPriceTable } from './pricing.js';
import { DEFAULT_RETRY, type RetryOptions } from './retry.js';
import { callWithDeadline, meterAutumnFrom, sleep } from './autumn-call.js';
import { NO_TOKENS, addPools, gatewayCostOf, readableUsage, tokenPools, type ProviderMetadataLike, type TokenPools, type UsageLike } from './usage.js';

type Properties = Readonly<Record<string, string | number | boolean | null>>;

/** The part of the autumn-js 1.x `Autumn` client the meter can use (the real SDK satisfies it). */
export type AutumnClientLike = AutumnSdkLike;

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
  /** Credits charged, as a number (exact below 1,000,000,000 credits; see `creditsExact`). */
  readonly credits: number;
  /** Credits charged as an exact decimal string, whatever the size. */
  readonly creditsExact?: string;
  readonly usd: number;
  readonly source: PriceSource;
  readonly kind: 'actual';
  /** The pre-flight estimate in credits, if the call was reserved. */
  readonly estimatedCredits: number | null;
  readonly usage: TokenPools;
  readonly steps: number;
  /**
   * False when Autumn could not be charged yet: the charge is in the outbox (and was given to `onUnbilled`). True
   * when Autumn has it — which does not mean it deducted all of it: see `deducted` and `capped`.
   */
  readonly billed: boolean;
  /**
   * Credits Autumn actually deducted, from its track answer's `deductions`. Null when not billed, when nothing was
   * charged, or when Autumn did not say (a repeated key's 409, an answer without `deductions`).
   */
  readonly deducted?: number | null;
  /**
   * Credits charged that Autumn did NOT deduct: the org's spend limit capped the charge (Autumn caps even `overflow`
   * at it, without an error). 0 when all of it was deducted or it is not known. Never retried (see `onCapped`).
   */
  readonly capped?: number;
  readonly properties: Properties;
}

/** A charge in the outbox (see `OutboxEntry`): not yet acknowledged by Autumn, or for a human to decide. */
export type UnbilledCharge = OutboxEntry;

/**
 * A charge Autumn took but deducted only part of: the org's spend limit capped it. Autumn has its idempotency key, so
 * it is done: not in the outbox, never sent again (once the limit is raised, a resend would charge twice). What is
 * left (`capped`) is yours to decide on: absorb it, bill it another way, or raise the limit for next time.
 */
export interface CappedCharge {
  /** The charge's idempotency key (`<reservation id>:charge`, or the charge id). */
  readonly id: string;
  readonly customerId: string;
  readonly featureId: string;
  readonly model: string | null;
  /** Credits charged (sent to Autumn), as an exact decimal string. */
  readonly credits: string;
  /** Credits Autumn deducted. */
  readonly deducted: string;
  /** `credits - deducted`: not billed. */
  readonly capped: string;
  readonly properties: Properties;
}

export interface CreditMeterOptions {
  /**
   * How to reach Autumn: an autumn-js 1.x client (`new Autumn({ secretKey, failOpen: false })`), or leave it out and
   * give `secretKey` to use the kit's own client (`autumnHttpClient`), which also never lets a malformed answer
   * become an unhandled rejection.
   */
  readonly autumn?: AutumnClientLike | MeterAutumn;
  readonly secretKey?: string;
  /** Autumn's origin for the kit's client. Default `https://api.useautumn.com`. */
  readonly serverURL?: string;
  /** `fetch` for the kit's client (tests, proxies). */
  readonly fetch?: typeof fetch;
  readonly config?: CreditsConfig;
  /** Token prices per model, for estimates and for calls without a gateway cost. Default `DEFAULT_MODEL_PRICES`. */
  readonly prices?: ModelPriceTable;
  /** How long a reservation holds credits if never settled (a crashed process). Default 10 minutes. */
  readonly lockTtlMs?: number;
  /** Deadline of each Autumn call (ms). Default 5,000: a settle with its retries stays well inside a serverless limit. */
  readonly timeoutMs?: number;
  readonly retry?: RetryOptions;
  /** Where charges wait until Autumn has them. Default in memory; `redisOutbox()` for several processes. */
  readonly outbox?: OutboxStore;
  /**
   * How long after its last attempt an entry may be replayed (ms). Default 60,000: any request still in flight at
   * Autumn has ended by then, so a 409 on the idempotency key means "applied". Tests may use 0.
   */
  readonly replayAfterMs?: number;
  /** Receives every charge that could not be made (yet). Also kept in the outbox. */
  readonly onUnbilled?: (charge: UnbilledCharge) => void | Promise<void>;
  /**
   * Receives every charge Autumn deducted only in part (a spend limit capped it; see `CappedCharge`). Not retried,
   * not in the outbox. Default: a `console.warn`, so it is never silent.
   */
  readonly onCapped?: (charge: CappedCharge) => void | Promise<void>;
  /** Clock for lock expiry (tests move it). Default `Date.now`. */
  readonly now?: () => number;
  /** Id generator for reservations without an explicit id. */
  readonly createId?: () => string;
  /**
   * The event property that carries `member` (a reservation's and a charge's): what a member's usage cap filters on
   * (`createBillingControls` sets caps on the same property). Default `user_id`.
   */
  readonly memberProperty?: string;
}

export interface ReserveInput extends Partial<EstimateInput> {
  /** The org, FROM YOUR SERVER-SIDE AUTH — never from the client's request body. */
  readonly customerId: string;
  /** Explicit estimate in credits; otherwise estimated from `model`, prompt and `maxOutputTokens`. */
  readonly credits?: number;
  /** Event properties, e.g. `{ thread_id }` for usage per thread. */
  readonly properties?: Properties;
  /**
   * The member making the call, FROM YOUR SERVER-SIDE AUTH (your user id): sent as the `memberProperty` event
   * property (`user_id`) with the reservation and the charge, so their usage cap applies and their usage is counted.
   */
  readonly member?: string;
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
  /** The member the call was for (see `ReserveInput.member`): counted toward their usage cap. */
  readonly member?: string;
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
  /** Steps recorded so far. */
  readonly steps: number;
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
  /**
   * reserve → `fn(reservation)` → settle with its result. If `fn` throws, the steps it recorded (`addStep`) are still
   * charged — they consumed tokens — and the reservation is released only when none finished.
   */
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
  /** The outbox: charges Autumn does not have yet, or that need a human, oldest first. */
  unbilled(): Promise<readonly UnbilledCharge[]>;
  /**
   * Sends the outbox's charges again under their idempotency keys; safe from several processes at once (each entry
   * is leased, and Autumn refuses a repeated key). Returns how many are still unbilled.
   */
  replayUnbilled(): Promise<number>;
}

/** Default reservation lifetime. */
const DEFAULT_LOCK_TTL_MS = 10 * 60 * 1000;
/** Default deadline of one Autumn call. */
const DEFAULT_TIMEOUT_MS = 5_000;
/** Default wait after an entry's last attempt before a replay may send it again. */
const DEFAULT_REPLAY_AFTER_MS = 60_000;
/** Autumn keeps an idempotency key 24 h; past 23 h a replay reconciles against Autumn's events first. */
const KEY_TRUST_MS = 23 * 60 * 60 * 1000;
/** A replayer's hold on an entry. */
const LEASE_MS = 60_000;
/** Autumn's largest `max_groups` for `events.aggregate`. */
const MAX_THREAD_GROUPS = 250;
/**
 * A charge of this many credits or more ($250,000 at 4,000/$) is not sent without a human: it goes to the outbox.
 * Below it, amounts also stay within the 15 digits a JSON number carries exactly.
 */
const ABSURD_CREDITS = 1_000_000_000n;

/** A cost of a trillion dollars or more for one call is not a price but garbage ("1e400"): read as malformed. */
const NONSENSE_USD = 1_000_000_000_000n;

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

/**
 * Whether an id can be sent as an `Idempotency-Key` header (the charge's key): no control characters, nothing beyond
 * Latin-1, no blanks at either end (a header value is trimmed). Otherwise every attempt fails before it is sent.
 */
function isSendableKey(id: string): boolean {
  return /^[^\x00-\x1f\x7f]+$/.test(id) && !/[^\x00-\xff]/.test(id) && id.trim() === id;
}

export function createCreditMeter(options: CreditMeterOptions): CreditMeter {
  const config = options.config ?? defaultCreditsConfig;
  const featureId = config.featureId;
  const prices = options.prices ?? DEFAULT_MODEL_PRICES;
  const money: MoneyOptions = { creditsPerUsd: config.creditsPerUsd, creditDecimals: config.creditDecimals };
  const places = config.creditDecimals;
  const ttl = options.lockTtlMs ?? DEFAULT_LOCK_TTL_MS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const replayAfterMs = options.replayAfterMs ?? DEFAULT_REPLAY_AFTER_MS;
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const now = options.now ?? Date.now;
  const createId = options.createId ?? randomId;
  const outbox = options.outbox ?? memoryOutbox(now);
  const memberProperty = options.memberProperty ?? DEFAULT_MEMBER_PROPERTY;
  const onTopUps = addOnPlanIds(config);
  const replayer = `replayer_${globalThis.crypto.randomUUID()}`;
  const autumn = meterAutumnFrom(options);
  if (!options.autumn && !options.secretKey) throw new CreditsError('invalid_config', 'createCreditMeter needs `autumn` (a client) or `secretKey`');

  const toCredits = (units: bigint): number => Number(unitsToString(units, places));
  const nonsenseUnits = usdToCreditUnits(NONSENSE_USD.toString(), money);

  /** Credit units of a USD cost; throws for a malformed one, or one too large to be a price (see NONSENSE_USD). */
  function costUnits(usd: unknown): bigint {
    const units = usdToCreditUnits(usd, money);
    if (units >= nonsenseUnits) throw new CreditsError('out_of_range', `a cost of ${String(usd)} USD for one call is not a price`);
    return units;
  }
  const toUsd = (units: bigint): number => creditsToUsd(unitsToString(units, places), money);

  /**
   * One Autumn call with a deadline, whatever the client does with the signal: the meter stops waiting at the
   * deadline. A late rejection of the abandoned promise is caught, never left unhandled.
   */
  async function call<T>(run: (options: CallOptions) => Promise<T>, idempotencyKey?: string): Promise<T> {
    try {
      return await callWithDeadline(run, timeoutMs, idempotencyKey);
    } catch (error) {
      throw error instanceof AutumnCallError ? error : new AutumnCallError('network', errorText(error), { cause: error });
    }
  }

  async function backoff(attempt: number): Promise<void> {
    const delay = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
    await sleep(delay / 2 + Math.random() * (delay / 2));
  }

  async function report(entry: OutboxEntry): Promise<void> {
    try {
      await options.onUnbilled?.(entry);
    } catch {
      // The charge stays in the outbox; a failing callback must not lose it nor fail the caller.
    }
  }

  /** Prices steps: gateway cost where valid, else token prices; an unreadable step is noted, never priced at 0. */
  function priceSteps(steps: ReadonlyArray<StepLike>, defaultModel: string | null) {
    let units = 0n;
    let usage = NO_TOKENS;
    const sources = new Set<'gateway' | 'token-rates'>();
    const unpriced: Array<{ model: string | null; usage: TokenPools; why: string }> = [];
    let firstModel: string | null = null;
    for (const step of steps) {
      const pools = tokenPools(step?.usage ?? undefined);
      usage = addPools(usage, pools);
      const model = modelIdOf(step ?? {}, defaultModel);
      firstModel ??= model;
      const cost = gatewayCostOf(step?.providerMetadata);
      if (cost !== undefined && cost !== null) {
        try {
          units += costUnits(cost);
          sources.add('gateway');
          continue;
        } catch {
          // Malformed gateway cost ("abc", "-1", NaN, "1e400"): token prices below.
        }
      }
      const price = findModelPrice(prices, model ?? undefined);
      if (!readableUsage(step?.usage)) {
        unpriced.push({ model, usage: pools, why: 'unreadable usage and no gateway cost' });
      } else if (price) {
        units += usdToCreditUnits(priceTokens(pools, price), money);
        sources.add('token-rates');
      } else if (pools.total > 0 || cost !== undefined) {
        unpriced.push({ model, usage: pools, why: `no gateway cost and no token price for "${model ?? 'unknown model'}"` });
      }
    }
    const source: PriceSource | null = sources.size === 0 ? null : sources.size === 1 ? [...sources][0]! : 'mixed';
    return { units, usage, source, unpriced, model: firstModel ?? defaultModel };
  }

  function entryFor(fields: Pick<OutboxEntry, 'id' | 'reason' | 'customerId' | 'model' | 'credits' | 'properties' | 'error'> & { usage: TokenPools }, lastAttemptAt: number | null = null): OutboxEntry {
    // One literal, no spreads: this runs for every charge.
    return {
      id: fields.id,
      reason: fields.reason,
      customerId: fields.customerId,
      featureId,
      model: fields.model,
      credits: fields.credits,
      properties: fields.properties,
      usage: fields.usage as unknown as Readonly<Record<string, number>>,
      error: fields.error,
      createdAt: now(),
      lastAttemptAt,
      attempts: 0,
    };
  }

  /**
   * Sends one outbox entry to Autumn: a `track` of its credits under its idempotency key. `applied` when Autumn took
   * it now or already had it (409 on the key); `failed` with the entry updated otherwise (ambiguous → autumn_failed,
   * refused → rejected). Retries transient failures up to `retry.attempts`.
   */
  async function send(entry: OutboxEntry, quiet = false): Promise<{ applied: true; deducted: bigint | null } | { applied: false; entry: OutboxEntry }> {
    let attempts = entry.attempts;
    let lastAttemptAt = entry.lastAttemptAt;
    let lastError: unknown;
    /** An earlier attempt got no answer: it may still be running at Autumn, holding the key, and may yet fail. */
    let mayBeInFlight = false;
    const body = { customer_id: entry.customerId, feature_id: featureId, value: Number(entry.credits), properties: { ...entry.properties, charge_id: entry.id }, overage_behavior: 'overflow' as const };
    for (let attempt = 1; attempt <= Math.max(1, retry.attempts); attempt++) {
      attempts += 1;
      lastAttemptAt = now();
      try {
        const answer = await call((callOptions) => autumn.track(body, callOptions), entry.id);
        const deducted = deductedUnits(answer);
        if (!quiet && deducted !== null && entry.credits !== null) await reportCapped(entry, deducted);
        return { applied: true, deducted };
      } catch (error) {
        lastError = error;
        if (error instanceof AutumnCallError && error.code === 'duplicate_idempotency_key') {
          if (!mayBeInFlight) return { applied: true, deducted: null };
          // Autumn claims a key when a request starts and gives it back if that request fails: while our own earlier
          // attempt may still be running, the 409 proves nothing. A replay after `replayAfterMs` asks again.
          return { applied: false, entry: { ...entry, attempts, lastAttemptAt, reason: 'autumn_failed', error: `${errorText(error)} (an earlier attempt may still be in flight)` } };
        }
        if (error instanceof AutumnCallError && (error.kind === 'network' || error.statusCode === 502 || error.statusCode === 504)) mayBeInFlight = true;
        if (!isTransient(error)) return { applied: false, entry: { ...entry, attempts, lastAttemptAt, reason: 'rejected', error: errorText(error) } };
        if (attempt < retry.attempts) await backoff(attempt);
      }
    }
    return { applied: false, entry: { ...entry, attempts, lastAttemptAt, reason: 'autumn_failed', error: errorText(lastError) } };
  }

  /**
   * Charges `units` exactly once under `id`: written to the outbox, sent, removed when Autumn has it. Returns whether
   * Autumn acknowledged it and what it deducted (null: not said); a failure stays in the outbox for `replayUnbilled`
   * (and goes to `onUnbilled`). `quiet`: a capped answer is not reported (the caller charges a remainder and reports
   * the total); `beforeDone` runs once Autumn has it, BEFORE its outbox entry is removed (a remainder's write-ahead).
   */
  async function chargeOnce(
    id: string,
    customerId: string,
    units: bigint,
    model: string | null,
    usage: TokenPools,
    properties: Properties,
    after: { quiet?: boolean; beforeDone?: (deducted: bigint | null) => Promise<void> } = {},
  ): Promise<{ billed: boolean; deducted: bigint | null }> {
    if (units <= 0n) return { billed: true, deducted: null };
    const credits = unitsToString(units, places);
    if (units >= ABSURD_CREDITS * 10n ** BigInt(places)) {
      const held = entryFor({ id, reason: 'rejected', customerId, model, credits, usage, properties, error: `refused to send an absurd charge of ${credits} credits: check the usage and replay by hand` });
      await outbox.put(held);
      await report(held);
      return { billed: false, deducted: null };
    }
    // Stamped as attempted now: replayers leave it alone while this process is sending it.
    const pending = entryFor({ id, reason: 'pending', customerId, model, credits, usage, properties, error: null }, now());
    try {
      await outbox.put(pending);
    } catch (error) {
      // No durable record: still try to charge now; if that fails too, onUnbilled is the last place the charge lives.
      const sent = await send(pending, after.quiet);
      if (!sent.applied) await report({ ...sent.entry, error: `${sent.entry.error ?? ''} (outbox unavailable: ${errorText(error)})` });
      if (sent.applied) await after.beforeDone?.(sent.deducted);
      return sent.applied ? { billed: true, deducted: sent.deducted } : { billed: false, deducted: null };
    }
    const sent = await send(pending, after.quiet);
    if (sent.applied) {
      await after.beforeDone?.(sent.deducted);
      await outbox.delete(id).catch(() => {});
      return { billed: true, deducted: sent.deducted };
    }
    await outbox.put(sent.entry).catch(() => {});
    await report(sent.entry);
    return { billed: false, deducted: null };
  }

  /**
   * Tracks a reservation's remainder (already in the outbox, its lock released) under its own key. Returns the
   * charge's total deducted (`taken` by the first track plus the remainder's; null when Autumn did not say) and
   * reports what the true room capped once, for the whole charge. A failure stays in the outbox for the replay.
   */
  async function chargeRest(rest: OutboxEntry, taken: bigint, charged: bigint): Promise<{ billed: boolean; deducted: bigint | null }> {
    const sent = await send(rest, true);
    if (!sent.applied) {
      await outbox.put(sent.entry).catch(() => {});
      await report(sent.entry);
      return { billed: false, deducted: null };
    }
    await outbox.delete(rest.id).catch(() => {});
    if (sent.deducted === null) return { billed: true, deducted: null };
    const deducted = taken + sent.deducted;
    const chargeId = rest.id.slice(0, -':rest'.length);
    await reportCapped({ ...rest, id: chargeId, credits: unitsToString(charged, places) }, deducted);
    return { billed: true, deducted };
  }

  /** Credit units a track answer says were deducted from the credit feature; null when it does not say. */
  function deductedUnits(answer: TrackAnswer | void): bigint | null {
    const deductions = answer ? answer.deductions : null;
    if (!deductions) return null;
    let units = 0n;
    for (const deduction of deductions) {
      if (deduction.featureId !== null && deduction.featureId !== featureId) continue;
      units += creditsToUnits(deduction.value, places);
    }
    return units;
  }

  /** When Autumn deducted less than `entry` charged: tells `onCapped` (default a warning). Never throws. */
  async function reportCapped(entry: OutboxEntry, deducted: bigint): Promise<void> {
    const charged = creditsToUnits(entry.credits ?? '0', places);
    if (deducted >= charged) return;
    const capped: CappedCharge = {
      id: entry.id,
      customerId: entry.customerId,
      featureId,
      model: entry.model,
      credits: unitsToString(charged, places),
      deducted: unitsToString(deducted, places),
      capped: unitsToString(charged - deducted, places),
      properties: entry.properties as Properties,
    };
    try {
      if (options.onCapped) await options.onCapped(capped);
      else console.warn(`[credits] Autumn deducted ${capped.deducted} of the ${capped.credits} credits charged to ${capped.customerId} (${capped.id}): ${capped.capped} credits were capped by its spend limit and are not billed`);
    } catch {
      // A failing callback must not fail the caller: the charge is done either way.
    }
  }

  /** Best-effort release of reserve locks; a lock that cannot be released now expires at its `expires_at`. */
  async function releaseLocks(lockIds: readonly string[]): Promise<void> {
    await Promise.all(
      lockIds.map((lockId) => call((callOptions) => autumn.finalize({ lock_id: lockId, action: 'release' }, callOptions)).catch(() => undefined)),
    );
  }

  function record(fields: Omit<MessageCostRecord, 'kind' | 'featureId' | 'credits' | 'creditsExact' | 'usd' | 'deducted' | 'capped'> & { units: bigint; deductedUnits: bigint | null }): MessageCostRecord {
    const { units, deductedUnits: taken, ...rest } = fields;
    const deducted = taken;
    const capped = deducted !== null && deducted < units ? units - deducted : 0n;
    return { kind: 'actual', featureId, ...rest, credits: toCredits(units), creditsExact: unitsToString(units, places), usd: toUsd(units), deducted: deducted === null ? null : toCredits(deducted), capped: toCredits(capped) };
  }

  /** Reserve units for an estimate: explicit credits, or the model's worst case; invalid input is a typed error. */
  function reserveUnits(input: ReserveInput): bigint {
    if (input.credits !== undefined) {
      if (typeof input.credits !== 'number' || !Number.isFinite(input.credits) || input.credits < 0) {
        throw new CreditsError('invalid_amount', `credits must be a finite number >= 0, got ${String(input.credits)}`);
      }
      return creditsToUnits(input.credits, places);
    }
    if (!input.model) throw new CreditsError('invalid_amount', 'reserve() needs `credits` or a `model` to estimate from');
    for (const field of ['maxOutputTokens', 'promptTokens', 'contextTokens'] as const) {
      const value = input[field];
      if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value < 0)) {
        throw new CreditsError('invalid_amount', `${field} must be a finite number >= 0, got ${String(value)}`);
      }
    }
    const estimate = estimateCost(input as EstimateInput, prices, money);
    if (!estimate) throw new CreditsError('invalid_amount', `No price for model "${input.model}": add it to the meter's prices or pass \`credits\``);
    return estimate.creditUnits;
  }

  /**
   * check + lock, one lock id per attempt. Throws a typed error when Autumn refuses the customer, or
   * `BillingUnavailableError` when it cannot be reached or answers with a fail-open placeholder (the SDK's, or
   * Autumn's own 202 fallback: `allowed` with no balance and no lock). Returns the answer and every lock id tried.
   */
  async function lock(customerId: string, id: string, units: bigint, properties: Properties) {
    const tried: string[] = [];
    let lastError: unknown;
    for (let attempt = 1; attempt <= Math.max(1, retry.attempts); attempt++) {
      const lockId = `${id}:r${attempt}`;
      tried.push(lockId);
      try {
        const answer = await call((callOptions) =>
          autumn.check(
            { customer_id: customerId, feature_id: featureId, required_balance: toCredits(units), properties: { ...properties }, lock: { enabled: true, lock_id: lockId, expires_at: now() + ttl } },
            callOptions,
          ),
        );
        const failOpen = answer.customerId === '' || answer.status === 202 || (answer.allowed && answer.remaining === null);
        if (failOpen) {
          void releaseLocks(tried);
          throw new BillingUnavailableError('Autumn answered with a fail-open placeholder (allowed, no balance, no lock): refusing to run the call unpaid');
        }
        // Earlier attempts may have reached Autumn: their locks are released (or expire).
        void releaseLocks(tried.slice(0, -1));
        return { answer, lockId, tried };
      } catch (error) {
        if (error instanceof CreditsError) throw error;
        lastError = error;
        const status = error instanceof AutumnCallError ? error.statusCode : undefined;
        if (status === 404 && (error as AutumnCallError).code === 'customer_not_found') {
          void releaseLocks(tried);
          throw new UnknownCustomerError(customerId, { cause: error });
        }
        if (status === 409 && (error as AutumnCallError).code === 'lock_already_exists') {
          // Our own earlier attempts use other lock ids: a held one with this id belongs to another reservation.
          void releaseLocks(tried.slice(0, -1));
          throw new CreditsError('billing_failed', `Reservation id "${id}" is already in use`, { cause: error });
        }
        if (!isTransient(error)) {
          void releaseLocks(tried);
          throw new CreditsError('billing_failed', `Autumn refused the reservation: ${errorText(error)}`, { cause: error });
        }
        if (attempt < retry.attempts) await backoff(attempt);
      }
    }
    void releaseLocks(tried);
    throw new BillingUnavailableError(`Could not reserve credits: ${errorText(lastError)}`, { cause: lastError });
  }

  /** A charge without a reservation (see `meter.charge`). Never throws. */
  async function chargeWithoutReserve(input: ChargeInput, id: string): Promise<MessageCostRecord> {
    let properties: Properties;
    try {
      properties = withMember(input.properties, input.member, 'charge()');
    } catch {
      // charge() never throws: a member id that cannot be sent is left out, the call is charged to the org.
      properties = input.properties ?? {};
    }
    let model = input.model ?? null;
    let units = 0n;
    let source: PriceSource | null = null;
    let usage = tokenPools(input.usage);
    let unpriced: Array<{ model: string | null; usage: TokenPools; why: string }> = [];
    try {
      if (input.usd !== undefined) {
        units = costUnits(input.usd);
        source = 'gateway';
      } else {
        const steps = input.steps ?? [{ usage: input.usage ?? null, providerMetadata: input.providerMetadata, model: input.model }];
        const priced = priceSteps(steps, model);
        ({ units, source, usage, unpriced } = priced);
        model = priced.model;
      }
    } catch (error) {
      unpriced = [{ model, usage, why: `could not be priced: ${errorText(error)}` }];
    }
    for (const [index, miss] of unpriced.entries()) {
      const entry = entryFor({ id: unpriced.length > 1 ? `${id}:unpriced:${index}` : `${id}:unpriced`, reason: 'unpriced', customerId: typeof input.customerId === 'string' ? input.customerId : '', model: miss.model, credits: null, usage: miss.usage, properties, error: miss.why });
      await outbox.put(entry).catch(() => {});
      await report(entry);
    }
    let billed = unpriced.length === 0;
    let deducted: bigint | null = null;
    if (units > 0n) {
      let customerId: string;
      try {
        customerId = checkCustomerId(input.customerId, 'charge()');
        if (!isSendableKey(id)) throw new CreditsError('invalid_amount', `charge id ${JSON.stringify(id.slice(0, 40))} cannot be sent as an Idempotency-Key header: kept for a human`);
      } catch (error) {
        const entry = entryFor({ id, reason: 'rejected', customerId: typeof input.customerId === 'string' ? input.customerId : '', model, credits: unitsToString(units, places), usage, properties, error: errorText(error) });
        await outbox.put(entry).catch(() => {});
        await report(entry);
        return record({ id, customerId: entry.customerId, model, units, source: source ?? 'estimate', estimatedCredits: null, usage, steps: input.steps?.length ?? 1, billed: false, deductedUnits: null, properties });
      }
      const charged = await chargeOnce(id, customerId, units, model, usage, properties);
      billed = charged.billed && billed;
      deducted = charged.deducted;
    }
    return record({ id, customerId: String(input.customerId ?? ''), model, units, source: source ?? 'estimate', estimatedCredits: null, usage, steps: input.steps?.length ?? 1, billed, deductedUnits: deducted, properties });
  }

  /** The call's properties with the member's id under `memberProperty` (a member given twice must agree). */
  function withMember(properties: Properties | undefined, member: unknown, where: string): Properties {
    if (member === undefined) return properties ?? {};
    if (typeof member !== 'string' || member.trim() === '' || member.length > MAX_MEMBER_ID_LENGTH) {
      throw new CreditsError('invalid_amount', `${where}: member must be your user id (1 to ${MAX_MEMBER_ID_LENGTH} characters), got ${typeof member === 'string' ? JSON.stringify(member.slice(0, 40)) : typeof member}`);
    }
    const given = properties?.[memberProperty];
    if (given !== undefined && given !== null && String(given) !== member) {
      throw new CreditsError('invalid_amount', `${where}: member "${member}" and properties.${memberProperty} "${String(given)}" disagree`);
    }
    return { ...properties, [memberProperty]: member };
  }

  /**
   * Which limit refused a reservation. Autumn's check answers only `allowed: false`, so the customer is read (one
   * `customers.get`, within the deadline, no retries) and Autumn's own order applied (see `refusalReason`). Null when
   * it cannot be read: the error then names the balance, as before.
   */
  async function whichLimit(customerId: string, needed: number, properties: Properties): Promise<CreditRefusalReason | null> {
    const getCustomer = autumn.getCustomer;
    if (typeof getCustomer !== 'function') return null;
    try {
      const customer = await call((callOptions) => getCustomer.call(autumn, { customer_id: customerId }, callOptions));
      return refusalReason(customer, { featureId, needed, properties, memberProperty, creditDecimals: places, addOnPlanIds: onTopUps });
    } catch {
      return null;
    }
  }

  /** Charges by explicit id are remembered so a retried `charge({ id })` in this process returns the same record. */
  const recentCharges = new Map<string, Promise<MessageCostRecord>>();
  const RECENT_CHARGE_IDS = 10_000;

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
      const customerId = checkCustomerId(input.customerId, 'reserve()');
      const units = reserveUnits(input);
      const id = input.id ?? createId();
      if (typeof id !== 'string' || id === '' || id.length > MAX_ID_LENGTH || !isSendableKey(id)) {
        throw new CreditsError('invalid_amount', `reservation id must be 1 to ${MAX_ID_LENGTH} characters, without control characters, blanks at either end or characters beyond Latin-1 (it is sent as an Idempotency-Key header)`);
      }
      const properties = withMember(input.properties, input.member, 'reserve()');
      const model = input.model ?? null;
      const expiresAt = now() + ttl;

      let locks: readonly string[] = [];
      if (units > 0n) {
        const held = await lock(customerId, id, units, properties);
        if (!held.answer.allowed) {
          void releaseLocks(held.tried);
          const remaining = held.answer.remaining;
          const available = remaining === null ? null : Math.max(0, remaining);
          const needed = toCredits(units);
          const reason = await whichLimit(customerId, needed, properties);
          throw new InsufficientCreditsError({ featureId, needed, available, ...(reason ? { reason } : {}) });
        }
        locks = held.tried;
      }

      const recorded: StepLike[] = [];
      let outcome: Promise<MessageCostRecord> | null = null;
      let released: Promise<void> | null = null;

      const reservation: Reservation = {
        id,
        customerId,
        featureId,
        model,
        credits: toCredits(units),
        expiresAt,
        addStep(step) {
          recorded.push(step);
        },
        get steps() {
          return recorded.length;
        },
        settle(result) {
          if (released) return Promise.reject(new CreditsError('billing_failed', `Reservation ${id} was released`));
          outcome ??= (async () => {
            // A result that is not an object (a number, a string) is read as one more step, an unreadable one.
            const isObject = typeof result === 'object' && result !== null;
            const steps: ReadonlyArray<StepLike> =
              isObject && 'steps' in result && Array.isArray(result.steps) && result.steps.length > 0
                ? result.steps
                : result && !(isObject && 'steps' in result)
                  ? [...recorded, result as StepLike]
                  : recorded;
            let priced: ReturnType<typeof priceSteps>;
            try {
              priced = priceSteps(steps, model);
            } catch (error) {
              priced = { units: 0n, usage: NO_TOKENS, source: null, unpriced: [{ model, usage: NO_TOKENS, why: errorText(error) }], model };
            }
            let actual = priced.units;
            let source: PriceSource = priced.source ?? 'estimate';
            if (priced.unpriced.length > 0) {
              // Steps that could not be priced consumed something: never charge less than what was reserved.
              if (actual < units) {
                actual = units;
                source = priced.source === null ? 'estimate' : 'mixed';
              }
              for (const [index, miss] of priced.unpriced.entries()) {
                const entry = entryFor({ id: `${id}:unpriced:${index}`, reason: 'unpriced', customerId, model: miss.model, credits: null, usage: miss.usage, properties, error: `${miss.why}; charged the reservation (${unitsToString(units, places)} credits) at least` });
                await outbox.put(entry).catch(() => {});
                await report(entry);
              }
            }
            // Under an org spend limit Autumn counts this reservation's own lock against the room left, so the track
            // can be capped by the hold itself. What it did not deduct is written to the outbox as a remainder
            // (`<id>:charge:rest`, before the charge's own entry is removed), the lock is released, and the remainder
            // is tracked under its own key: capped then only by the true room, and charged once (409 on a repeat).
            let rest = null as OutboxEntry | null;
            const first = await chargeOnce(`${id}:charge`, customerId, actual, priced.model, priced.usage, properties, {
              quiet: locks.length > 0,
              beforeDone: async (taken) => {
                if (locks.length === 0 || taken === null || taken >= actual) return;
                rest = { ...entryFor({ id: `${id}:charge:rest`, reason: 'pending', customerId, model: priced.model, credits: unitsToString(actual - taken, places), usage: NO_TOKENS, properties, error: null }, now()), locks };
                // If the outbox cannot take it, the remainder is still tracked now; only a crash before that loses it.
                await outbox.put(rest).catch(() => {});
              },
            });
            await releaseLocks(locks);
            const charged = rest === null ? first : await chargeRest(rest, first.deducted ?? 0n, actual);
            return record({ id, customerId, model: priced.model, units: actual, source, estimatedCredits: toCredits(units), usage: priced.usage, steps: steps.length, billed: charged.billed, deductedUnits: charged.deducted, properties });
          })();
          return outcome;
        },
        release() {
          if (outcome) return outcome.then(() => undefined);
          released ??= releaseLocks(locks);
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
        // Steps that finished before the failure consumed tokens: charge them; release only when none did.
        if (reservation.steps > 0) await reservation.settle();
        else await reservation.release();
        throw error;
      }
      const cost = await reservation.settle((result ?? undefined) as StepLike | { steps?: StepLike[] } | undefined);
      return { result, cost };
    },

    charge(input) {
      if (input.id === undefined) return chargeWithoutReserve(input, createId());
      const known = recentCharges.get(input.id);
      if (known) return known;
      const outcome = chargeWithoutReserve(input, input.id);
      recentCharges.set(input.id, outcome);
      if (recentCharges.size > RECENT_CHARGE_IDS) recentCharges.delete(recentCharges.keys().next().value!);
      return outcome;
    },

    async usageByThread({ customerId, range = '30d' }) {
      const org = checkCustomerId(customerId, 'usageByThread()');
      let result;
      for (let attempt = 1; ; attempt++) {
        try {
          result = await call((callOptions) =>
            autumn.aggregate({ customer_id: org, feature_id: featureId, range, group_by: 'properties.thread_id', max_groups: MAX_THREAD_GROUPS }, callOptions),
          );
          break;
        } catch (error) {
          if (error instanceof AutumnCallError && error.code === 'customer_not_found') throw new UnknownCustomerError(org, { cause: error });
          if (!isTransient(error) || attempt >= retry.attempts) throw new BillingUnavailableError(`Could not read usage: ${errorText(error)}`, { cause: error });
          await backoff(attempt);
        }
      }
      const totals = new Map<string, bigint>();
      for (const bin of result.list) {
        for (const [threadId, value] of Object.entries(bin.groupedValues?.[featureId] ?? {})) {
          totals.set(threadId, (totals.get(threadId) ?? 0n) + creditsToUnits(value, places));
        }
      }
      return [...totals].map(([threadId, units]) => ({ threadId, credits: unitsToCredits(units, places) })).sort((a, b) => b.credits - a.credits);
    },

    async unbilled() {
      return outbox.list();
    },

    async replayUnbilled() {
      for (const entry of await outbox.list()) {
        if (entry.reason === 'unpriced' || entry.reason === 'rejected' || entry.credits === null) continue;
        // A request still in flight at Autumn could yet succeed or fail: wait until it cannot be.
        if (entry.lastAttemptAt !== null && now() - entry.lastAttemptAt < replayAfterMs) continue;
        if (!(await outbox.lease(entry.id, replayer, LEASE_MS).catch(() => false))) continue;
        let sentAndKept = false;
        try {
          if (now() - entry.createdAt >= KEY_TRUST_MS && (await alreadyCharged(entry))) {
            await outbox.delete(entry.id);
            continue;
          }
          // A remainder written before its reservation's lock was released (a crash between the two): release it
          // first, so the track is not capped by the call's own hold. Releasing a lock twice does nothing.
          if (entry.locks && entry.locks.length > 0) await releaseLocks(entry.locks);
          sentAndKept = true;
          const sent = await send(entry);
          if (sent.applied) {
            await outbox.delete(entry.id);
            sentAndKept = false;
          } else await outbox.put(sent.entry);
        } catch {
          // The store or Autumn failed mid-way: the entry stays for the next replay.
        } finally {
          // Sent and still here: hold the lease until a replay may send it again. Another replayer working from a list
          // read before our attempt would otherwise send it while our request may still be in flight at Autumn.
          if (sentAndKept) await outbox.lease(entry.id, replayer, replayAfterMs).catch(() => {});
          else await outbox.release(entry.id, replayer).catch(() => {});
        }
      }
      return (await outbox.list()).length;
    },
  };

  /**
   * For an entry older than Autumn keeps idempotency keys: whether its charge reached Autumn, from the events that
   * carry its `charge_id` (by then long past Autumn's analytics lag).
   */
  async function alreadyCharged(entry: OutboxEntry): Promise<boolean> {
    const page = await call((callOptions) =>
      autumn.findEvents({ customer_id: entry.customerId, feature_id: featureId, filter_by: { charge_id: entry.id } }, callOptions),
    );
    return page.list.some((event) => event.properties.charge_id === entry.id);
  }

  return meter;
}
