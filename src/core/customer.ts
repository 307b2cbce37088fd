/**
 * Customer normalization: one pure function that turns whatever Autumn gave us — an autumn-js 1.x customer
 * (`balances[id].remaining`), a 0.x customer as `@useautumn/convex` returns it (`features[id].balance`), the raw
 * snake_case wire JSON of either, or nothing yet — into one `CreditState` that the UI can render without guarding
 * against NaN, Infinity, negative or >100% values.
 */
import { DEFAULT_CREDIT_DECIMALS, DEFAULT_FEATURE_ID, DEFAULT_LOW_BALANCE_THRESHOLD, type CreditsConfig } from './config.js';
import { creditUnits, roundCredits, unitsToNumber } from './decimal.js';

/** How the balance stands. `overage`: the balance is used up but usage continues, billed per credit. */
export type CreditLevel = 'ok' | 'low' | 'empty' | 'overage' | 'unlimited';
/** Whether the customer has been fetched. With `error`, the numbers are the last known ones (or zero). */
export type CreditStatus = 'loading' | 'ready' | 'error';
/** Which customer shape the numbers came from. */
export type CreditSource = 'autumn-1.x' | 'autumn-0.x' | 'none';

/** One grant inside the pool: a plan's included credits, a top-up, a rollover. */
export interface CreditGrant {
  readonly id: string;
  readonly planId: string | null;
  readonly granted: number;
  readonly remaining: number;
  readonly used: number;
  readonly unlimited: boolean;
  /** Reset interval of this grant (`month`, `year`, `one_off`...), null if it never resets. */
  readonly interval: string | null;
  /** When this grant resets (ms since epoch), null if never. */
  readonly resetsAt: number | null;
  /** When this grant expires (ms since epoch), null if never (top-ups). */
  readonly expiresAt: number | null;
}

export interface CreditState {
  readonly status: CreditStatus;
  readonly level: CreditLevel;
  readonly featureId: string;
  /** Credits left, never negative (0 when overdrawn: see `overage`). */
  readonly remaining: number;
  /** All credits granted in the current period, top-ups included. Never negative. */
  readonly granted: number;
  /** Credits used in the current period. Never negative. */
  readonly used: number;
  /**
   * Credits used beyond the balance (billed as overage, or owed): `usage - granted` as Autumn 1.x reports it (its
   * `remaining` floors at 0), or a negative 0.x balance. Never negative.
   */
  readonly overage: number;
  readonly unlimited: boolean;
  readonly overageAllowed: boolean;
  /** Next reset of the included credits (ms since epoch) or null. */
  readonly nextResetAt: number | null;
  /** remaining / granted as 0..100; null when nothing is granted or the balance is unlimited. */
  readonly percentRemaining: number | null;
  readonly grants: readonly CreditGrant[];
  readonly source: CreditSource;
  /** The error that put the state in `status: 'error'`, if any. */
  readonly error: Error | null;
}

export interface NormalizeOptions {
  /** Feature id of the credit pool; default the config's or `ai_credits`. */
  readonly featureId?: string;
  /** Low threshold as a fraction (0.2); default the config's or 20%. */
  readonly lowBalanceThreshold?: number;
  readonly config?: Pick<CreditsConfig, 'featureId' | 'lowBalanceThreshold' | 'creditDecimals'>;
  /** The customer is being fetched (the given customer, if any, is stale). */
  readonly loading?: boolean;
  /** Fetching failed. */
  readonly error?: unknown;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A finite number from a number or numeric string; anything else is `fallback`. */
function num(value: unknown, fallback = 0): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : fallback;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : fallback;
  }
  return fallback;
}

function timestamp(value: unknown): number | null {
  const ms = num(value, Number.NaN);
  return Number.isFinite(ms) && ms > 0 ? ms : null;
}

function pick(source: Json, camel: string, snake: string): unknown {
  return source[camel] !== undefined ? source[camel] : source[snake];
}

function toError(error: unknown): Error {
  if (error instanceof Error) return error;
  if (isObject(error) && typeof error.message === 'string') return new Error(error.message);
  return new Error(typeof error === 'string' ? error : 'Could not load the credit balance');
}

interface RawPool {
  granted: number;
  remaining: number;
  used: number;
  unlimited: boolean;
  overageAllowed: boolean;
  nextResetAt: number | null;
  grants: CreditGrant[];
  source: CreditSource;
}

function grantsFrom(list: unknown, version: '1.x' | '0.x'): CreditGrant[] {
  if (!Array.isArray(list)) return [];
  return list.filter(isObject).map((entry, index) => {
    const reset = isObject(entry.reset) ? entry.reset : null;
    if (version === '1.x') {
      const granted = num(pick(entry, 'includedGrant', 'included_grant')) + num(pick(entry, 'prepaidGrant', 'prepaid_grant'));
      return {
        id: typeof entry.id === 'string' ? entry.id : `grant-${index}`,
        planId: typeof pick(entry, 'planId', 'plan_id') === 'string' ? (pick(entry, 'planId', 'plan_id') as string) : null,
        granted: Math.max(0, granted),
        remaining: Math.max(0, num(entry.remaining)),
        used: Math.max(0, num(entry.usage)),
        unlimited: entry.unlimited === true,
        interval: reset && typeof reset.interval === 'string' ? reset.interval : null,
        resetsAt: reset ? timestamp(pick(reset, 'resetsAt', 'resets_at')) : null,
        expiresAt: timestamp(pick(entry, 'expiresAt', 'expires_at')),
      };
    }
    return {
      id: typeof entry.id === 'string' ? entry.id : `grant-${index}`,
      planId: typeof entry.product_id === 'string' ? entry.product_id : null,
      granted: Math.max(0, num(entry.included_usage)),
      remaining: Math.max(0, num(entry.balance)),
      used: Math.max(0, num(entry.usage)),
      unlimited: entry.unlimited === true,
      interval: typeof entry.interval === 'string' ? entry.interval : null,
      resetsAt: timestamp(entry.next_reset_at),
      expiresAt: timestamp(entry.expires_at),
    };
  });
}

function readPool(customer: unknown, featureId: string): RawPool | null {
  if (!isObject(customer)) return null;
  const balances = customer.balances;
  if (isObject(balances)) {
    const balance = balances[featureId];
    if (!isObject(balance)) return emptyPool('autumn-1.x');
    const remaining = num(balance.remaining);
    const used = num(balance.usage);
    return {
      granted: num(balance.granted),
      remaining,
      used,
      unlimited: balance.unlimited === true,
      overageAllowed: pick(balance, 'overageAllowed', 'overage_allowed') === true,
      nextResetAt: timestamp(pick(balance, 'nextResetAt', 'next_reset_at')),
      grants: grantsFrom(balance.breakdown, '1.x'),
      source: 'autumn-1.x',
    };
  }
  const features = customer.features;
  if (isObject(features)) {
    const feature = features[featureId];
    if (!isObject(feature)) return emptyPool('autumn-0.x');
    const remaining = num(feature.balance);
    const used = num(feature.usage);
    // 0.x `included_usage` is the plan's allowance only; a top-up raises `balance` above it. The pool granted in the
    // period is therefore what is left plus what was used, and at least the plan's allowance.
    const included = num(feature.included_usage);
    return {
      granted: Math.max(included, remaining + used),
      remaining,
      used,
      unlimited: feature.unlimited === true,
      overageAllowed: feature.overage_allowed === true,
      nextResetAt: timestamp(feature.next_reset_at),
      grants: grantsFrom(feature.breakdown, '0.x'),
      source: 'autumn-0.x',
    };
  }
  return null;
}

function emptyPool(source: CreditSource): RawPool {
  return { granted: 0, remaining: 0, used: 0, unlimited: false, overageAllowed: false, nextResetAt: null, grants: [], source };
}

/** Rounds a float from Autumn to the kit's credit precision (Autumn's own sums can carry drift). */
function clean(value: number, decimals: number): number {
  // Beyond what micro-credits count exactly (> 9e9 credits): keep the float rather than fail the render.
  return roundCredits(value, decimals) ?? value;
}

/** Computes the level from the numbers. Exported for components that take plain props. */
export function creditLevel(input: {
  remaining: number;
  granted: number;
  unlimited?: boolean;
  overageAllowed?: boolean;
  lowBalanceThreshold?: number;
}): CreditLevel {
  if (input.unlimited) return 'unlimited';
  const remaining = num(input.remaining);
  if (remaining <= 0) return input.overageAllowed ? 'overage' : 'empty';
  const percent = percentOf(remaining, num(input.granted));
  const threshold = (input.lowBalanceThreshold ?? DEFAULT_LOW_BALANCE_THRESHOLD) * 100;
  return percent !== null && percent < threshold ? 'low' : 'ok';
}

/** remaining / granted as a percentage clamped to 0..100; null when granted is 0, negative or not finite. */
export function percentOf(remaining: number, granted: number): number | null {
  if (!Number.isFinite(granted) || granted <= 0 || !Number.isFinite(remaining)) return null;
  return Math.min(100, Math.max(0, (remaining / granted) * 100));
}

/**
 * Turns an autumn-js 1.x customer, a 0.x customer, raw wire JSON or null into a `CreditState`.
 * Never throws; unreadable numbers count as 0.
 */
export function normalizeCustomer(customer: unknown, options: NormalizeOptions = {}): CreditState {
  const featureId = options.featureId ?? options.config?.featureId ?? DEFAULT_FEATURE_ID;
  const threshold = options.lowBalanceThreshold ?? options.config?.lowBalanceThreshold ?? DEFAULT_LOW_BALANCE_THRESHOLD;
  const decimals = options.config?.creditDecimals ?? 6;
  // An object of an unknown shape is a customer without credits; null/undefined means not fetched yet.
  const pool = readPool(customer, featureId) ?? (isObject(customer) ? emptyPool('none') : null);
  const failed = options.error !== undefined && options.error !== null;
  const status: CreditStatus = failed ? 'error' : options.loading || !pool ? 'loading' : 'ready';
  const raw = pool ?? emptyPool('none');

  const rawRemaining = clean(raw.remaining, decimals);
  const remaining = Math.max(0, rawRemaining);
  const used = Math.max(0, clean(raw.used, decimals));
  const granted = Math.max(0, clean(raw.granted, decimals));
  // Autumn 1.x floors `remaining` at 0 and shows overage as usage past the grant; a 0.x balance (or an older
  // server) may instead go negative. Either way the overdrawn credits are the larger of the two readings.
  const unlimited = raw.unlimited;
  const overage = Math.max(0, -rawRemaining, unlimited ? 0 : clean(used - granted, decimals));

  return {
    status,
    level: pool ? creditLevel({ remaining: rawRemaining, granted, unlimited, overageAllowed: raw.overageAllowed, lowBalanceThreshold: threshold }) : 'ok',
    featureId,
    remaining,
    granted,
    used,
    overage,
    unlimited,
    overageAllowed: raw.overageAllowed,
    nextResetAt: raw.nextResetAt,
    percentRemaining: unlimited ? null : percentOf(remaining, granted),
    grants: raw.grants,
    source: raw.source,
    error: status === 'error' ? toError(options.error) : null,
  };
}

/** Whether the pool can pay `credits` now: unlimited, overage allowed, or enough remaining. */
export function canAfford(state: Pick<CreditState, 'remaining' | 'unlimited' | 'overageAllowed'>, credits: number): boolean {
  if (state.unlimited || state.overageAllowed) return true;
  const needed = num(credits, Number.POSITIVE_INFINITY);
  return needed >= 0 && state.remaining >= needed;
}

/**
 * The state after spending `credits` locally (optimistic update before Autumn's next answer). Exact, and the
 * level is recomputed; overdrawing without overage leaves 0 remaining.
 */
export function applyCreditUsage(state: CreditState, credits: number, lowBalanceThreshold = DEFAULT_LOW_BALANCE_THRESHOLD): CreditState {
  try {
    return deduct(state, credits, lowBalanceThreshold);
  } catch {
    // An amount too large to count exactly is not applied locally; the next fetch brings the truth.
    return state;
  }
}

/** Thrown (and caught by `applyCreditUsage`) for an amount micro-credits do not count exactly. */
function notExact(): never {
  throw new RangeError('not exact');
}

/** Micro-credit units of an amount (through the non-throwing core: a credits state loads no error messages). */
const creditsToUnits = (credits: number): bigint => creditUnits(credits, DEFAULT_CREDIT_DECIMALS) ?? notExact();
const unitsToCredits = (units: bigint): number => unitsToNumber(units, DEFAULT_CREDIT_DECIMALS) ?? notExact();

function deduct(state: CreditState, credits: number, lowBalanceThreshold: number): CreditState {
  const spend = creditsToUnits(Math.max(0, num(credits)));
  if (spend === 0n || state.unlimited) return state;
  const before = creditsToUnits(state.remaining);
  const after = before - spend;
  // Without overage Autumn caps usage at the balance, so only what was left is spent.
  const spent = after >= 0n || state.overageAllowed ? spend : before;
  const overdrawn = after < 0n && state.overageAllowed ? -after : 0n;
  const remaining = unitsToCredits(after > 0n ? after : 0n);
  return {
    ...state,
    remaining,
    used: unitsToCredits(creditsToUnits(state.used) + spent),
    overage: unitsToCredits(creditsToUnits(state.overage) + overdrawn),
    percentRemaining: percentOf(remaining, state.granted),
    level: creditLevel({ remaining: unitsToCredits(after), granted: state.granted, overageAllowed: state.overageAllowed, lowBalanceThreshold }),
  };
}
