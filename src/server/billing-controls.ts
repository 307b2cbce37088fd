/**
 * An org's spend controls in Autumn: read and set them as the kit's camelCase model (src/core/billing-controls.ts),
 * validated before anything is sent, and — for the meter — which limit refused a reservation.
 *
 * Wire shapes and semantics from Autumn's source (mirror of useautumn/autumn):
 * - shared/models/cusModels/billingControls/customerBillingControls.ts: `billing_controls` on `customers.update`
 *   replaces each list it carries (mergeBillingControls: per key), so the kit sends the whole list for a key, with
 *   the entries it does not model (other features, usage limits that are not a member's) kept as they were.
 * - shared/api/customers/changes/V2.2_PlanInheritedBillingControls.ts: from API 2.3 a customer's lists also carry the
 *   plan's defaults tagged `source: 'plan'`; those are not the customer's and are never sent back.
 * - shared/models/cusModels/billingControls/usageLimit.ts: a usage limit with `filter.properties` counts only the
 *   events whose properties match (values compared as strings) — a member's cap is one filtered on their id.
 * - server/src/internal/balances/autoTopUp/compute/computeAutoTopupPlan.ts: an auto top-up's `quantity` is in
 *   credits (divided by the price's billing units into packs).
 * - shared/api/customers/cusFeatures/utils/convert/apiBalanceToAllowed.ts (with apiSubjectToUsageLimitHeadroom.ts,
 *   apiBalanceV1ToAvailableOverage.ts, resolveSpendLimitOverageLimit.ts): which limit refuses a check. Autumn's check
 *   answer says only `allowed: false` (checkResponseV3.ts, runCheckWithTrackV2.ts), so the kit reads the customer and
 *   applies the same order: a usage cap whose filter matches the call, then the balance, then the spend limit.
 */
import type { CreditsConfig } from '../core/config.js';
import { defaultCreditsConfig } from '../core/config.js';
import {
  BillingControlsError,
  USAGE_ALERT_KINDS,
  USAGE_CAP_INTERVALS,
  validateBillingControls,
  type AutoTopUpLimitInterval,
  type AutoTopUpSettings,
  type BillingControls,
  type BillingControlsInput,
  type CreditRefusalReason,
  type MemberCap,
  type SpendLimitSettings,
  type UsageAlert,
  type UsageAlertKind,
  type UsageCapInterval,
} from '../core/billing-controls.js';
import { CreditsError } from '../core/errors.js';
import { creditUnits, roundCredits, unitsToNumber, usdUnits } from '../core/decimal.js';
import { AutumnCallError, isTransient, type AutumnSdkLike, type CallOptions, type MeterAutumn } from './autumn-http.js';
import { checkCustomerId } from './customer-id.js';
import { BillingUnavailableError, UnknownCustomerError } from './errors.js';
import { DEFAULT_RETRY, type RetryOptions } from './retry.js';
import { callWithDeadline, meterAutumnFrom, sleep } from './autumn-call.js';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The event property that carries the member's id, on every reservation and charge. Default of `memberProperty`. */
export const DEFAULT_MEMBER_PROPERTY = 'user_id';

/** Autumn's `billing_controls` as it travels (snake_case). Entries the kit does not model pass through untouched. */
export interface AutumnBillingControls {
  readonly auto_topups?: readonly Json[];
  readonly spend_limits?: readonly Json[];
  readonly usage_limits?: readonly Json[];
  readonly usage_alerts?: readonly Json[];
  readonly overage_allowed?: readonly Json[];
}

export interface BillingControlsMapping {
  readonly config: Pick<CreditsConfig, 'featureId' | 'topUps' | 'creditDecimals' | 'creditsPerUsd'>;
  /** The event property carrying the member's id. Default `user_id`. */
  readonly memberProperty?: string;
}

const ALERT_TO_WIRE: Readonly<Record<UsageAlertKind, string>> = {
  usage: 'usage',
  usagePercentage: 'usage_percentage',
  remaining: 'remaining',
  remainingPercentage: 'remaining_percentage',
};

const number = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const ofFeature = (featureId: string) => (entry: Json) => entry.feature_id === featureId;
const fromCustomer = (entry: Json) => entry.source !== 'plan';
/** The entry as stored: the response-only `source` and `usage` left out. */
function stored(entry: Json): Json {
  const { source: _source, usage: _usage, ...rest } = entry;
  return rest;
}

/**
 * The credit feature's balance in a customer as Autumn 1.x answers (`balances[feature]`, apiBalanceV1.ts): `remaining`
 * floors at 0 and overage shows as usage past the grant.
 */
function balanceOf(customer: Json, featureId: string, places: number) {
  const balances = isObject(customer.balances) ? customer.balances : {};
  const balance = isObject(balances[featureId]) ? balances[featureId] : {};
  const read = (value: unknown) => Math.max(0, roundCredits(number(value) ?? 0, places) ?? 0);
  const granted = read(balance.granted);
  const remaining = read(balance.remaining);
  return { granted, remaining, overage: read(read(balance.usage) - granted), overageAllowed: balance.overage_allowed === true };
}

/**
 * The allowance a `usage_percentage` spend limit is a percent of, from the customer's balance (apiBalanceV1.ts): the
 * main RECURRING plan's included credits only — cusEntsToMainPlanAllowance.ts sums the entitlements of main (not
 * add-on), recurring customer products, without rollovers — so top-ups never count. From the wire: the `breakdown`
 * entries with an `included_grant` whose `reset` recurs (a one-off grant has `reset: null`), minus the plans named
 * in `addOnPlanIds` (the config's top-ups); `prepaid_grant` (bought packs) never counts. Without a breakdown (an
 * answer that leaves it out) the whole grant is the best guess. `null` when the allowance is 0: Autumn then applies
 * no percentage limit at all (resolveSpendLimitOverageLimit.ts answers `undefined`).
 */
function mainPlanAllowance(customer: Json, featureId: string, places: number, addOnPlanIds: readonly string[]): number | null {
  const balances = isObject(customer.balances) ? customer.balances : {};
  const balance = isObject(balances[featureId]) ? balances[featureId] : {};
  let units = 0n;
  if (Array.isArray(balance.breakdown)) {
    for (const entry of balance.breakdown) {
      if (!isObject(entry) || !isObject(entry.reset) || entry.reset.interval === 'one_off') continue;
      if (typeof entry.plan_id === 'string' && addOnPlanIds.includes(entry.plan_id)) continue;
      const included = creditUnits(number(entry.included_grant) ?? 0, places) ?? 0n;
      if (included > 0n) units += included;
    }
  } else {
    units = creditUnits(Math.max(0, number(balance.granted) ?? 0), places) ?? 0n;
  }
  return units > 0n ? unitsToNumber(units, places) : null;
}

/**
 * A percentage spend limit in credits of overage, as Autumn resolves it (resolveSpendLimitOverageLimit.ts:
 * `overage_limit / 100 × main plan allowance`): 120 on a 60,000-credit plan allows 72,000 credits PAST the allowance
 * (usage up to 220% of it), whatever top-ups the org bought. Exact to `places`; null when there is no allowance.
 */
export function spendLimitPercentToCredits(percent: number, allowance: number | null, places = 6): number | null {
  if (allowance === null || !(allowance > 0) || !Number.isFinite(percent) || percent < 0) return null;
  const percentUnits = creditUnits(percent, places);
  const allowanceUnits = creditUnits(allowance, places);
  if (percentUnits === null || allowanceUnits === null) return null;
  // percent × allowance / 100, both in units of 10^-places: one division, rounded down (never more room than Autumn).
  return unitsToNumber((percentUnits * allowanceUnits) / (100n * 10n ** BigInt(places)), places);
}

/** The member a usage limit belongs to: its filter is exactly `{ [memberProperty]: id }`. */
function memberOf(limit: Json, memberProperty: string): string | null {
  const properties = isObject(limit.filter) && isObject(limit.filter.properties) ? limit.filter.properties : null;
  if (!properties) return null;
  const keys = Object.keys(properties);
  const value = properties[memberProperty];
  return keys.length === 1 && keys[0] === memberProperty && (typeof value === 'string' || typeof value === 'number') ? String(value) : null;
}

/**
 * Autumn's `billing_controls` (a customer's, snake_case, as `customers.get` answers) as the kit's model, for the
 * config's credit feature. An auto top-up whose credits match none of the config's packs reads with `packId: ''`
 * (and its `credits`): the settings screen then asks for a pack.
 */
export function fromAutumnBillingControls(wire: unknown, mapping: BillingControlsMapping): BillingControls {
  const { featureId, topUps, creditDecimals } = mapping.config;
  const memberProperty = mapping.memberProperty ?? DEFAULT_MEMBER_PROPERTY;
  const controls = isObject(wire) ? wire : {};
  const list = (key: keyof AutumnBillingControls): Json[] => (Array.isArray(controls[key]) ? (controls[key] as unknown[]).filter(isObject) : []);
  const credits = (value: unknown): number | null => roundCredits(value, creditDecimals);

  let autoTopUp: AutoTopUpSettings | null = null;
  const topUp = list('auto_topups').find(ofFeature(featureId));
  if (topUp) {
    const quantity = number(topUp.quantity) ?? 0;
    const pack = topUps.find((candidate) => candidate.credits * (candidate.quantity ?? 1) === quantity);
    const limit = isObject(topUp.purchase_limit) ? topUp.purchase_limit : null;
    const limitCount = limit ? number(limit.limit) : null;
    autoTopUp = {
      enabled: topUp.enabled === true,
      threshold: credits(topUp.threshold) ?? 0,
      packId: pack?.id ?? '',
      purchaseLimit:
        limit && limitCount !== null && typeof limit.interval === 'string'
          ? {
              limit: limitCount,
              interval: limit.interval as AutoTopUpLimitInterval,
              intervalCount: number(limit.interval_count) ?? 1,
              ...(number(limit.count) === null ? {} : { used: number(limit.count)! }),
              ...(number(limit.next_reset_at) === null ? {} : { resetsAt: number(limit.next_reset_at)! }),
            }
          : null,
      ...(pack ? {} : { credits: quantity }),
    };
  }

  let spendLimit: SpendLimitSettings | null = null;
  const spend = list('spend_limits').find((entry) => entry.feature_id === featureId && number(entry.overage_limit) !== null);
  if (spend) {
    const value = number(spend.overage_limit)!;
    spendLimit = {
      enabled: spend.enabled === true,
      limit: spend.limit_type === 'usage_percentage' ? { type: 'percent', percent: value } : { type: 'credits', credits: credits(value) ?? 0 },
    };
  }

  const memberCaps: MemberCap[] = [];
  for (const limit of list('usage_limits')) {
    const memberId = limit.feature_id === featureId ? memberOf(limit, memberProperty) : null;
    const cap = credits(limit.limit);
    if (memberId === null || cap === null || !USAGE_CAP_INTERVALS.includes(limit.interval as UsageCapInterval)) continue;
    const used = credits(limit.usage);
    memberCaps.push({ memberId, credits: cap, interval: limit.interval as UsageCapInterval, enabled: limit.enabled !== false, ...(used === null ? {} : { used }) });
  }

  const alerts: UsageAlert[] = [];
  for (const alert of list('usage_alerts')) {
    if (alert.feature_id !== undefined && alert.feature_id !== featureId) continue;
    if (alert.filter !== undefined || (alert.basis !== undefined && alert.basis !== 'balance' && alert.basis !== 'included')) continue;
    const kind = USAGE_ALERT_KINDS.find((candidate) => ALERT_TO_WIRE[candidate] === alert.threshold_type);
    const threshold = number(alert.threshold);
    if (!kind || threshold === null) continue;
    alerts.push({ kind, threshold, enabled: alert.enabled !== false, ...(typeof alert.name === 'string' ? { name: alert.name } : {}) });
  }

  return { autoTopUp, spendLimit, memberCaps, alerts };
}

/**
 * The kit's (validated) controls as the `billing_controls` to send with `customers.update`: for each key the input
 * sets, the whole list — the kit's entries for the credit feature, and `current`'s other entries (other features,
 * usage limits that are not a member's, the customer's own only: never the plan's) kept. Keys the input leaves out
 * are not sent, so Autumn leaves them as they are.
 */
export function toAutumnBillingControls(controls: BillingControlsInput, mapping: BillingControlsMapping & { readonly current?: unknown }): AutumnBillingControls {
  const { featureId, topUps, creditsPerUsd, creditDecimals } = mapping.config;
  const memberProperty = mapping.memberProperty ?? DEFAULT_MEMBER_PROPERTY;
  const current = isObject(mapping.current) ? mapping.current : {};
  const kept = (key: keyof AutumnBillingControls, mine: (entry: Json) => boolean): Json[] =>
    (Array.isArray(current[key]) ? (current[key] as unknown[]).filter(isObject) : []).filter(fromCustomer).filter((entry) => !mine(entry)).map(stored);
  const out: { -readonly [K in keyof AutumnBillingControls]?: Json[] } = {};

  if (controls.autoTopUp !== undefined) {
    const entries = kept('auto_topups', ofFeature(featureId));
    const topUp = controls.autoTopUp;
    if (topUp) {
      const pack = topUps.find((candidate) => candidate.id === topUp.packId);
      if (!pack) throw new BillingControlsError([{ field: 'autoTopUp.packId', reason: 'unknown_pack', message: `autoTopUp.packId: ${JSON.stringify(topUp.packId)} is not one of the config's top-ups` }]);
      entries.push({
        feature_id: featureId,
        enabled: topUp.enabled,
        threshold: topUp.threshold,
        quantity: pack.credits * (pack.quantity ?? 1),
        ...(topUp.purchaseLimit
          ? { purchase_limit: { interval: topUp.purchaseLimit.interval, interval_count: topUp.purchaseLimit.intervalCount ?? 1, limit: topUp.purchaseLimit.limit } }
          : {}),
      });
    }
    out.auto_topups = entries;
  }

  if (controls.spendLimit !== undefined) {
    const entries = kept('spend_limits', ofFeature(featureId));
    const spend = controls.spendLimit;
    if (spend) {
      const { limit } = spend;
      const overage =
        limit.type === 'credits'
          ? limit.credits
          : limit.type === 'percent'
            ? limit.percent
            : unitsToNumber(usdUnits(limit.amount, creditsPerUsd, creditDecimals, 'nearest') ?? 0n, creditDecimals) ?? 0;
      entries.push({ feature_id: featureId, enabled: spend.enabled, limit_type: limit.type === 'percent' ? 'usage_percentage' : 'absolute', overage_limit: overage });
    }
    out.spend_limits = entries;
  }

  if (controls.memberCaps !== undefined) {
    const entries = kept('usage_limits', (entry) => entry.feature_id === featureId && memberOf(entry, memberProperty) !== null);
    for (const cap of controls.memberCaps) {
      entries.push({ feature_id: featureId, enabled: cap.enabled !== false, limit: cap.credits, interval: cap.interval, filter: { properties: { [memberProperty]: cap.memberId } } });
    }
    out.usage_limits = entries;
  }

  if (controls.alerts !== undefined) {
    const entries = kept('usage_alerts', (entry) => (entry.feature_id === featureId || entry.feature_id === undefined) && entry.filter === undefined);
    for (const alert of controls.alerts) {
      entries.push({ feature_id: featureId, enabled: alert.enabled !== false, threshold: alert.threshold, threshold_type: ALERT_TO_WIRE[alert.kind], ...(alert.name === undefined ? {} : { name: alert.name }) });
    }
    out.usage_alerts = entries;
  }

  return out;
}

/** An org's controls with what they are measured against. */
export interface OrgBillingControls {
  readonly customerId: string;
  readonly controls: BillingControls;
  /** Credits granted this period (the plan's and top-ups'), what thresholds are compared with. */
  readonly granted: number;
  /**
   * The main recurring plan's allowance, without top-ups: what a `percent` spend limit is a percent of (a limit of
   * 120 allows `1.2 × allowance` credits of overage). Null when there is none (Autumn then applies no percent limit).
   */
  readonly allowance: number | null;
  /** Credits left (never negative). */
  readonly remaining: number;
  /** Credits used beyond the grant (overage). */
  readonly overage: number;
}

export interface BillingControlsClientOptions {
  /** An autumn-js 1.x client (with `customers.get`/`customers.update`), or the kit's `MeterAutumn`. */
  readonly autumn?: AutumnSdkLike | MeterAutumn;
  /** Or your secret key, for the kit's own client (deadlines, typed errors). */
  readonly secretKey?: string;
  readonly serverURL?: string;
  readonly fetch?: typeof fetch;
  /** The ONE credits config: its feature and top-ups. Default the product design's. */
  readonly config?: CreditsConfig;
  /** The event property carrying the member's id; the same as the meter's. Default `user_id`. */
  readonly memberProperty?: string;
  /** Deadline of each Autumn call (ms). Default 5,000. */
  readonly timeoutMs?: number;
  readonly retry?: RetryOptions;
}

export interface BillingControlsClient {
  /** The org's controls. `customerId`: the org FROM YOUR SERVER-SIDE AUTH, never from the request body. */
  get(input: { readonly customerId: string }): Promise<OrgBillingControls>;
  /**
   * Validates `controls` against the config, the org's grant and its members' usage (`BillingControlsError` naming
   * the field, nothing sent), then sets them with one `customers.update`. Keys left out stay as they are.
   */
  set(input: { readonly customerId: string; readonly controls: BillingControlsInput }): Promise<OrgBillingControls>;
}

const DEFAULT_TIMEOUT_MS = 5_000;

/** Reads and sets orgs' spend controls in Autumn. Server only: it holds your secret key. */
export function createBillingControls(options: BillingControlsClientOptions): BillingControlsClient {
  if (!options.autumn && !options.secretKey) throw new BillingControlsError([{ field: 'options', reason: 'required', message: 'createBillingControls needs `autumn` (a client) or `secretKey`' }]);
  const config = options.config ?? defaultCreditsConfig;
  const memberProperty = options.memberProperty ?? DEFAULT_MEMBER_PROPERTY;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const autumn = meterAutumnFrom(options);
  const mapping: BillingControlsMapping = { config, memberProperty };

  /** One call with a deadline, whatever the client does with the signal; transient failures retried when asked. */
  async function call<T>(what: string, customerId: string, run: (call: CallOptions) => Promise<T>, retries: boolean): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await callWithDeadline(run, timeoutMs);
      } catch (error) {
        if (error instanceof AutumnCallError && error.code === 'customer_not_found') throw new UnknownCustomerError(customerId, { cause: error });
        const detail = error instanceof Error ? error.message : String(error);
        if (error instanceof AutumnCallError && !isTransient(error)) throw new CreditsError('billing_failed', `${what}: Autumn refused it (${detail})`, { cause: error });
        if (!retries || attempt >= retry.attempts) throw new BillingUnavailableError(`${what}: ${detail}`, { cause: error });
        await sleep(Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1)));
      }
    }
  }

  const needs = <K extends 'getCustomer' | 'updateCustomer'>(method: K): NonNullable<MeterAutumn[K]> => {
    const fn = autumn[method];
    if (typeof fn !== 'function') throw new BillingUnavailableError(`The Autumn client has no ${method === 'getCustomer' ? 'customers.get' : 'customers.update'}`);
    return fn.bind(autumn) as NonNullable<MeterAutumn[K]>;
  };

  function snapshot(customerId: string, customer: Json): OrgBillingControls {
    const { granted, remaining, overage } = balanceOf(customer, config.featureId, config.creditDecimals);
    const allowance = mainPlanAllowance(customer, config.featureId, config.creditDecimals, addOnPlanIds(config));
    return { customerId, controls: fromAutumnBillingControls(customer.billing_controls, mapping), granted, allowance, remaining, overage };
  }

  async function read(customerId: string): Promise<Json> {
    const getCustomer = needs('getCustomer');
    return call('Reading billing controls', customerId, (callOptions) => getCustomer({ customer_id: customerId, expand: ['billing_controls.auto_topups.purchase_limit'] }, callOptions), true);
  }

  return {
    async get({ customerId }) {
      const org = checkCustomerId(customerId, 'billingControls.get()');
      return snapshot(org, await read(org));
    },

    async set({ customerId, controls }) {
      const org = checkCustomerId(customerId, 'billingControls.set()');
      const updateCustomer = needs('updateCustomer');
      const customer = await read(org);
      const before = snapshot(org, customer);
      const members: Record<string, number> = {};
      for (const cap of before.controls.memberCaps) if (cap.used !== undefined) members[cap.memberId] = cap.used;
      const valid = validateBillingControls(controls, { config, grant: before.granted > 0 ? before.granted : null, usage: { members } });
      const wire = toAutumnBillingControls(valid, { ...mapping, current: customer.billing_controls });
      if (Object.keys(wire).length === 0) return before;
      // Not retried: an update whose answer was lost is read back by the next get; a second one would do no harm
      // either (it sets the same lists), but a caller's save button should say it failed.
      const updated = await call('Setting billing controls', org, (callOptions) => updateCustomer({ customer_id: org, billing_controls: wire as Json }, callOptions), false);
      return snapshot(org, isObject(updated.billing_controls) ? updated : await read(org));
    },
  };
}

/** The plans of a config that are add-ons (its top-ups): never part of the main plan's allowance. */
export function addOnPlanIds(config: Pick<CreditsConfig, 'plans' | 'topUps'>): string[] {
  return [...new Set([...config.topUps.map((pack) => pack.planId), ...config.plans.filter((plan) => plan.kind === 'top_up').map((plan) => plan.id)])];
}

/** What the meter knows when Autumn refuses a reservation. */
export interface RefusalInput {
  readonly featureId: string;
  /** Credits the call needed. */
  readonly needed: number;
  /** The call's event properties (with the member's). */
  readonly properties: Readonly<Record<string, unknown>>;
  readonly memberProperty?: string;
  readonly creditDecimals?: number;
  /** Plans that are add-ons (the config's top-ups, `addOnPlanIds(config)`): left out of a percent limit's allowance. */
  readonly addOnPlanIds?: readonly string[];
}

const matches = (filter: unknown, properties: Readonly<Record<string, unknown>>): boolean => {
  // usageLimitFilterMatchesProperties: every key equal as a string; no filter matches every event.
  if (!isObject(filter) || !isObject(filter.properties)) return true;
  return Object.entries(filter.properties).every(([key, value]) => {
    const actual = properties[key];
    return actual !== null && actual !== undefined && typeof actual !== 'object' && String(actual) === String(value);
  });
};

/**
 * Which limit refused a call, from the customer as `customers.get` answers (snake_case, API 2.3+): Autumn's own order
 * (apiBalanceToAllowed.ts) — a usage cap on the feature whose filter matches the call's properties and whose
 * headroom (`limit - usage`) is below what the call needs; else, past the balance with overage allowed and a spend
 * limit set, the spend limit; else the balance.
 */
export function refusalReason(customer: unknown, input: RefusalInput): CreditRefusalReason {
  const places = input.creditDecimals ?? 6;
  const memberProperty = input.memberProperty ?? DEFAULT_MEMBER_PROPERTY;
  const json = isObject(customer) ? customer : {};
  const controls = isObject(json.billing_controls) ? json.billing_controls : {};
  const list = (key: string): Json[] => (Array.isArray(controls[key]) ? (controls[key] as unknown[]).filter(isObject) : []);
  const state = balanceOf(json, input.featureId, places);
  const round = (value: number) => roundCredits(value, places) ?? value;
  const needed = creditUnits(input.needed, places) ?? 0n;

  let tightest: { limit: Json; headroom: bigint } | null = null;
  for (const limit of list('usage_limits')) {
    if (limit.feature_id !== input.featureId || limit.enabled === false || !matches(limit.filter, input.properties)) continue;
    const cap = creditUnits(number(limit.limit) ?? 0, places) ?? 0n;
    const used = creditUnits(number(limit.usage) ?? 0, places) ?? 0n;
    const headroom = cap > used ? cap - used : 0n;
    if (!tightest || headroom < tightest.headroom) tightest = { limit, headroom };
  }
  if (tightest && needed > tightest.headroom) {
    const memberId = memberOf(tightest.limit, memberProperty);
    const interval = USAGE_CAP_INTERVALS.includes(tightest.limit.interval as UsageCapInterval) ? (tightest.limit.interval as UsageCapInterval) : null;
    return {
      limit: memberId === null ? 'usage_cap' : 'member_cap',
      memberId,
      cap: round(number(tightest.limit.limit) ?? 0),
      interval,
      remaining: unitsToNumber(tightest.headroom, places),
    };
  }

  const spend = list('spend_limits').find((entry) => entry.enabled === true && entry.feature_id === input.featureId && number(entry.overage_limit) !== null);
  // resolveSpendLimitOverageLimit.ts: a percentage is of the main recurring plan's allowance, top-ups excluded, and
  // is the OVERAGE allowed past it (120 → usage up to 220% of the allowance); no allowance → no limit at all.
  const value = spend ? number(spend.overage_limit)! : null;
  const cap =
    value === null
      ? null
      : spend!.limit_type === 'usage_percentage'
        ? spendLimitPercentToCredits(value, mainPlanAllowance(json, input.featureId, places, input.addOnPlanIds ?? []), places)
        : round(value);
  if (cap !== null && state.overageAllowed) {
    const room = (creditUnits(cap, places) ?? 0n) - (creditUnits(state.overage, places) ?? 0n);
    const remaining = unitsToNumber((room > 0n ? room : 0n) + (creditUnits(state.remaining, places) ?? 0n), places);
    return { limit: 'spend_limit', memberId: null, cap, interval: null, remaining };
  }
  return { limit: 'balance', memberId: null, cap: null, interval: null, remaining: state.remaining };
}
