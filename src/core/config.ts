/**
 * The ONE credits configuration shared by the React kit, the server helper, the Autumn stand-in and the
 * example `autumn.config.ts`. Every product id, price and credit amount of the product design lives here;
 * nothing else in the kit repeats them as literals.
 */
import { CreditsConfigError } from './errors.js';

/** How often a plan's included credits are granted again. `one_off` grants never reset nor expire. */
export type CreditInterval = 'month' | 'year' | 'one_off';

/** What a plan is for: the free default, a paid subscription, or a one-off credit pack. */
export type CreditPlanKind = 'free' | 'subscription' | 'top_up';

export interface CreditPlan {
  /** Autumn plan (product) id, e.g. `pro_monthly`. */
  readonly id: string;
  /** Human name shown in the UI. */
  readonly name: string;
  readonly kind: CreditPlanKind;
  /** Price in the config currency for one purchase or one billing interval. 0 for free plans. */
  readonly price: number;
  /** Credits granted per interval (or once, for `one_off`). */
  readonly credits: number;
  readonly interval: CreditInterval;
  /** Price of one credit used beyond the balance; absent means usage is capped at the balance. */
  readonly overagePricePerCredit?: number;
  /** Attached automatically to every new customer (Autumn `auto_enable` / `is_default`). */
  readonly isDefault?: boolean;
}

/** A credit pack offered by `CreditTopUpDialog`. Points at a `top_up` plan. */
export interface CreditTopUpPackage {
  /** Stable id of the package in the UI (also what `topUp(id)` takes). */
  readonly id: string;
  /** The Autumn plan id that checkout attaches. */
  readonly planId: string;
  readonly label: string;
  readonly price: number;
  readonly credits: number;
  /** Optional marketing line, e.g. "Best value". */
  readonly description?: string;
  /** How many packs one checkout buys (Autumn attach `quantity`), default 1. */
  readonly quantity?: number;
}

export interface CreditsConfig {
  /** Autumn feature id of the credit balance. */
  readonly featureId: string;
  /** Display name of the feature. */
  readonly featureName: string;
  /** How many credits one unit of `currency` buys (4,000 credits = $1). */
  readonly creditsPerUsd: number;
  /** ISO 4217 code in which plan prices and gateway costs are expressed. */
  readonly currency: string;
  /** Fraction of the granted credits under which the balance counts as low (0.2 = 20%). */
  readonly lowBalanceThreshold: number;
  /** Decimal places of credits kept when converting costs (never fewer than 6). */
  readonly creditDecimals: number;
  /**
   * Your Autumn org's `persist_free_overage` setting (default false, as Autumn's). Off: usage beyond a grant that
   * allows no overage is forgiven at the reset and a purchase is credited in full, so a message that needs 16.4
   * credits is 16.4 short. On: a purchase repays that debt first, so 29.2 credits over the grant it is 45.6 short.
   */
  readonly persistFreeOverage: boolean;
  readonly plans: readonly CreditPlan[];
  readonly topUps: readonly CreditTopUpPackage[];
}

export type CreditsConfigInput = Partial<Omit<CreditsConfig, 'plans' | 'topUps'>> & {
  readonly plans?: readonly CreditPlan[];
  readonly topUps?: readonly CreditTopUpPackage[];
};

/** Feature id of the shared credit pool. */
export const DEFAULT_FEATURE_ID = 'ai_credits';
/** 4,000 credits = $1, i.e. one credit is $0.00025. */
export const DEFAULT_CREDITS_PER_USD = 4000;
/** Under 20% of the granted credits the balance is "low". */
export const DEFAULT_LOW_BALANCE_THRESHOLD = 0.2;
/** Micro-credit precision: a $0.0000001 call still costs 0.0004 credits, never 0. */
export const DEFAULT_CREDIT_DECIMALS = 6;
const DEFAULT_FEATURE_NAME = 'AI credits';
export const DEFAULT_CURRENCY = 'USD';

/**
 * Just the rate, precision and currency of the default config: what a display needs to convert credits ⇄ money,
 * without the plans (so a cost badge alone doesn't carry them).
 */
export const DEFAULT_MONEY_CONFIG: Pick<CreditsConfig, 'creditsPerUsd' | 'creditDecimals' | 'currency'> = {
  creditsPerUsd: DEFAULT_CREDITS_PER_USD,
  creditDecimals: DEFAULT_CREDIT_DECIMALS,
  currency: DEFAULT_CURRENCY,
};

/** The plans of the product design. The only place these numbers are written down. */
export const DEFAULT_PLANS: readonly CreditPlan[] = [
  { id: 'free', name: 'Free', kind: 'free', price: 0, credits: 8_000, interval: 'month', isDefault: true },
  {
    id: 'pro_monthly',
    name: 'Pro Monthly',
    kind: 'subscription',
    price: 30,
    credits: 60_000,
    interval: 'month',
    overagePricePerCredit: 0.00025,
  },
  { id: 'pro_annual', name: 'Pro Annual', kind: 'subscription', price: 300, credits: 720_000, interval: 'year' },
  { id: 'credit_topup', name: 'Credit top-up', kind: 'top_up', price: 10, credits: 40_000, interval: 'one_off' },
];

function deriveTopUps(plans: readonly CreditPlan[]): CreditTopUpPackage[] {
  return plans
    .filter((plan) => plan.kind === 'top_up')
    .map((plan) => ({ id: plan.id, planId: plan.id, label: plan.name, price: plan.price, credits: plan.credits }));
}

/** Throws `CreditsConfigError(message)` unless `ok`. */
function check(ok: boolean, message: string): void {
  if (!ok) throw new CreditsConfigError(message);
}

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isId = (value: unknown): boolean => typeof value === 'string' && /^[A-Za-z0-9_.:-]+$/.test(value);

function checkAmounts(item: object, keys: readonly string[], path: string): void {
  for (const key of keys) {
    const value = (item as Record<string, unknown>)[key];
    check((value === undefined && key === 'overagePricePerCredit') || (isNumber(value) && value >= 0), `${path}.${key} must be a finite number >= 0, got ${String(value)}`);
  }
}

/** Checks ids (well formed, unique) and amounts of plans or packages; returns the set of ids. */
function checkItems(items: readonly (CreditPlan | CreditTopUpPackage)[], path: string, amounts: readonly string[]): Set<string> {
  const ids = new Set<string>();
  items.forEach((item, i) => {
    check(isId(item.id), `${path}[${i}].id must be a non-empty id of letters, digits, _ . : -, got ${JSON.stringify(item.id)}`);
    check(!ids.has(item.id), `${path}[${i}].id "${item.id}" is used twice`);
    ids.add(item.id);
    checkAmounts(item, amounts, `${path}[${i}]`);
  });
  return ids;
}

/** Freezes a config and its plans and packages (copies), so no screen can change the shared numbers. */
function freezeConfig(config: CreditsConfig): CreditsConfig {
  return Object.freeze({
    ...config,
    plans: Object.freeze(config.plans.map((p) => Object.freeze({ ...p }))),
    topUps: Object.freeze(config.topUps.map((t) => Object.freeze({ ...t }))),
  });
}

/**
 * Builds (and validates) the credits config. With no argument it is the product design: Free, Pro Monthly,
 * Pro Annual and the $10 top-up on the `ai_credits` feature at 4,000 credits per dollar.
 *
 * Throws `CreditsConfigError` on duplicate ids, a top-up package pointing at an unknown plan, a threshold
 * outside 0..1 or a non-finite number, so a misconfiguration fails at start-up and not at checkout.
 */
export function defineCredits(input: CreditsConfigInput = {}): CreditsConfig {
  const plans = input.plans ?? DEFAULT_PLANS;
  const config: CreditsConfig = {
    featureId: input.featureId ?? DEFAULT_FEATURE_ID,
    featureName: input.featureName ?? DEFAULT_FEATURE_NAME,
    creditsPerUsd: input.creditsPerUsd ?? DEFAULT_CREDITS_PER_USD,
    currency: (input.currency ?? DEFAULT_CURRENCY).toUpperCase(),
    lowBalanceThreshold: input.lowBalanceThreshold ?? DEFAULT_LOW_BALANCE_THRESHOLD,
    creditDecimals: input.creditDecimals ?? DEFAULT_CREDIT_DECIMALS,
    persistFreeOverage: input.persistFreeOverage === true,
    plans,
    topUps: input.topUps ?? deriveTopUps(plans),
  };
  const { featureId, creditsPerUsd, currency, lowBalanceThreshold, creditDecimals } = config;

  check(isId(featureId), `featureId must be a non-empty id of letters, digits, _ . : -, got ${JSON.stringify(featureId)}`);
  check(isNumber(creditsPerUsd) && creditsPerUsd > 0, `creditsPerUsd must be a finite number > 0, got ${String(creditsPerUsd)}`);
  check(/^[A-Z]{3}$/.test(currency), `currency must be an ISO 4217 code such as "USD", got ${JSON.stringify(currency)}`);
  check(lowBalanceThreshold >= 0 && lowBalanceThreshold <= 1, `lowBalanceThreshold must be a fraction between 0 and 1, got ${String(lowBalanceThreshold)}`);
  check(Number.isInteger(creditDecimals) && creditDecimals >= 6 && creditDecimals <= 9, `creditDecimals must be an integer from 6 to 9, got ${String(creditDecimals)}`);

  const planIds = checkItems(config.plans, 'plans', ['price', 'credits', 'overagePricePerCredit']);
  config.plans.forEach((plan, i) => {
    check(plan.kind !== 'top_up' || plan.interval === 'one_off', `plans[${i}] "${plan.id}" is a top-up, so its interval must be "one_off"`);
  });
  checkItems(config.topUps, 'topUps', ['price', 'credits']);
  config.topUps.forEach((pack, i) => {
    check(planIds.has(pack.planId), `topUps[${i}].planId "${pack.planId}" is not one of the plans (${[...planIds].join(', ')})`);
  });

  return freezeConfig(config);
}

/**
 * The product design's config, ready to use: what `defineCredits()` returns (a test checks that they are equal), built
 * without running the validation at load time, and dropped by bundlers when unused.
 */
export const defaultCreditsConfig: CreditsConfig = /*#__PURE__*/ freezeConfig({
  featureId: DEFAULT_FEATURE_ID,
  featureName: DEFAULT_FEATURE_NAME,
  creditsPerUsd: DEFAULT_CREDITS_PER_USD,
  currency: DEFAULT_CURRENCY,
  lowBalanceThreshold: DEFAULT_LOW_BALANCE_THRESHOLD,
  creditDecimals: DEFAULT_CREDIT_DECIMALS,
  persistFreeOverage: false,
  plans: DEFAULT_PLANS,
  topUps: /*#__PURE__*/ deriveTopUps(DEFAULT_PLANS),
});

/** Finds a plan by id, or undefined. */
export function findPlan(config: CreditsConfig, planId: string): CreditPlan | undefined {
  return config.plans.find((plan) => plan.id === planId);
}

/** The plan attached to new customers, if any. */
export function defaultPlan(config: CreditsConfig): CreditPlan | undefined {
  return config.plans.find((plan) => plan.isDefault);
}
