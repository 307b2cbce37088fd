/**
 * An org's spend controls, as the kit models them: auto top-up, the org's overage spend limit, per-member usage caps
 * and usage alerts — and their validation, so bad input is refused with a typed error naming the field BEFORE
 * anything is sent to Autumn. Pure and directive-free: the server helper maps these to Autumn's `billing_controls`
 * (src/server/billing-controls.ts) and the React components edit them.
 *
 * Taken from Autumn's own schemas (the mirror of useautumn/autumn):
 * - shared/models/cusModels/billingControls/customerBillingControls.ts — `auto_topups` (`threshold`, `quantity` in
 *   credits, `purchase_limit` { interval hour|day|week|month, interval_count >= 1, limit >= 1 }), one entry per
 *   feature; `usage_limits` one entry per feature AND filter.
 * - shared/models/cusModels/billingControls/spendLimit.ts — `overage_limit` >= 0, `limit_type` absolute |
 *   usage_percentage (overage as a percent of the main recurring plan's allowance, e.g. 120: see SpendLimitAmount).
 * - shared/models/cusModels/billingControls/usageLimit.ts — `limit` >= 0 per day|week|month|year; `filter.properties`
 *   (1 to 4 keys, values 1..128 characters, compared as strings): only events whose properties match count. That is
 *   how a cap is a MEMBER's cap: a customer-level usage limit filtered on the member's property (`user_id`).
 * - shared/models/cusModels/billingControls/usageAlert.ts — `threshold` >= 0, `threshold_type` usage |
 *   usage_percentage | remaining | remaining_percentage (<= 100).
 * - shared/api/customers/cusFeatures/utils/convert/apiBalanceToAllowed.ts — which limit refuses a check
 *   (`limitType`: usage_limit before the balance, then included/spend_limit): `CreditLimitKind` below.
 */
import type { CreditsConfig } from './config.js';
import { CreditsError } from './errors.js';
import { readDecimal, roundCredits } from './decimal.js';

/** A usage cap's window (Autumn `usage_limits[].interval`). */
export type UsageCapInterval = 'day' | 'week' | 'month' | 'year';
export const USAGE_CAP_INTERVALS: readonly UsageCapInterval[] = ['day', 'week', 'month', 'year'];

/** The window of an auto top-up's purchase limit (Autumn `purchase_limit.interval`). */
export type AutoTopUpLimitInterval = 'hour' | 'day' | 'week' | 'month';
export const AUTO_TOP_UP_LIMIT_INTERVALS: readonly AutoTopUpLimitInterval[] = ['hour', 'day', 'week', 'month'];

/** At most `limit` auto top-ups per `intervalCount` × `interval`. */
export interface AutoTopUpPurchaseLimit {
  /** Top-ups allowed per window, an integer >= 1. */
  readonly limit: number;
  readonly interval: AutoTopUpLimitInterval;
  /** Windows of several intervals (every 2 weeks); default 1. */
  readonly intervalCount?: number;
  /** Read only: top-ups made in the current window (Autumn's expanded `purchase_limit.count`). Never sent. */
  readonly used?: number;
  /** Read only: when the window ends, ms since the epoch (`next_reset_at`). Never sent. */
  readonly resetsAt?: number;
}

/** Buy a pack from the config's `topUps` when the balance drops below `threshold` credits. */
export interface AutoTopUpSettings {
  readonly enabled: boolean;
  /** Credits: a top-up fires when the balance drops below this. */
  readonly threshold: number;
  /** Id of one of the config's `topUps`; its credits × quantity are what each top-up adds. */
  readonly packId: string;
  /** How many top-ups per window at most; null for no limit. */
  readonly purchaseLimit: AutoTopUpPurchaseLimit | null;
  /**
   * Read only: the credits each top-up adds as Autumn has them, when they match none of the config's packs (then
   * `packId` is ''). Never sent: the pack's credits are.
   */
  readonly credits?: number;
}

/**
 * How far past its allowance the org may go (overage): in credits, in money (the config's currency, converted at
 * `creditsPerUsd`), or as a percent of the main recurring plan's allowance (Autumn's `usage_percentage`): the
 * percent is the OVERAGE allowed, so 120 on a 60,000-credit plan allows 72,000 credits past it — usage up to 220%
 * of the allowance — and 20 allows 12,000. Top-ups are not part of that allowance (cusEntsToMainPlanAllowance.ts,
 * resolveSpendLimitOverageLimit.ts: `overage_limit / 100 × allowance`); with no recurring plan allowance Autumn
 * applies no percent limit. The server's `spendLimitPercentToCredits` and `OrgBillingControls.allowance` convert it.
 */
export type SpendLimitAmount =
  | { readonly type: 'credits'; readonly credits: number }
  | { readonly type: 'money'; readonly amount: number }
  | { readonly type: 'percent'; readonly percent: number };

/** The org's overage spend limit (Autumn `spend_limits` for the credit feature). */
export interface SpendLimitSettings {
  readonly enabled: boolean;
  readonly limit: SpendLimitAmount;
}

/** One member's cap: at most `credits` per `interval`, counted from the events carrying their id. */
export interface MemberCap {
  /** The member as the meter reports them (`reserve({ member })`): your user id. */
  readonly memberId: string;
  /** Credits per interval, >= 0 (0 stops the member). */
  readonly credits: number;
  readonly interval: UsageCapInterval;
  /** Default true. */
  readonly enabled?: boolean;
  /** Read only: credits the member used in the current window (Autumn's `usage`). Never sent. */
  readonly used?: number;
}

/** What an alert's threshold counts (Autumn `threshold_type`). Percentages are of the allowance. */
export type UsageAlertKind = 'usage' | 'usagePercentage' | 'remaining' | 'remainingPercentage';
export const USAGE_ALERT_KINDS: readonly UsageAlertKind[] = ['usage', 'usagePercentage', 'remaining', 'remainingPercentage'];

/** A usage alert: Autumn sends a webhook when usage or the remaining balance crosses `threshold`. */
export interface UsageAlert {
  readonly kind: UsageAlertKind;
  /** Credits for `usage`/`remaining`; a percent for the percentage kinds (`remainingPercentage` at most 100). */
  readonly threshold: number;
  /** Default true. */
  readonly enabled?: boolean;
  /** Your label, to tell alerts apart. */
  readonly name?: string;
}

/** All of an org's controls for the credit feature. */
export interface BillingControls {
  readonly autoTopUp: AutoTopUpSettings | null;
  readonly spendLimit: SpendLimitSettings | null;
  readonly memberCaps: readonly MemberCap[];
  readonly alerts: readonly UsageAlert[];
}

/** A change to an org's controls: a key left out is left as it is; `null` (or `[]`) removes it. */
export type BillingControlsInput = { readonly [K in keyof BillingControls]?: BillingControls[K] };

/** What the validation compares against. */
export interface BillingControlsContext {
  /** The ONE credits config: its top-ups are the packs an auto top-up may buy; its precision rounds the amounts. */
  readonly config: Pick<CreditsConfig, 'topUps' | 'creditDecimals' | 'creditsPerUsd'>;
  /** Credits the org's plan grants per interval; thresholds above it are refused. Unknown: not checked. */
  readonly grant?: number | null;
  /** Current usage: credits each member used in their cap's window (a cap below it is refused). */
  readonly usage?: { readonly members?: Readonly<Record<string, number>> } | null;
}

/** Why a field was refused. */
export type BillingControlsIssueReason =
  | 'required'
  | 'not_a_number'
  | 'negative'
  | 'not_an_integer'
  | 'out_of_range'
  | 'above_grant'
  | 'below_usage'
  | 'zero_purchase_limit'
  | 'unknown_pack'
  | 'unknown_value'
  | 'duplicate';

export interface BillingControlsIssue {
  /** The field, as a path into the input: `autoTopUp.threshold`, `memberCaps[1].credits`. */
  readonly field: string;
  readonly reason: BillingControlsIssueReason;
  readonly message: string;
}

/**
 * Controls refused before anything was sent to Autumn. `field` and `reason` are the first issue's; `issues` lists
 * every one (a form can show each next to its field). HTTP 400.
 */
export class BillingControlsError extends CreditsError {
  readonly status = 400;
  readonly field: string;
  readonly reason: BillingControlsIssueReason;
  readonly issues: readonly BillingControlsIssue[];
  constructor(issues: readonly BillingControlsIssue[]) {
    const first = issues[0] ?? { field: '', reason: 'required' as const, message: 'invalid billing controls' };
    super('invalid_billing_controls', issues.length > 1 ? `${first.message} (and ${issues.length - 1} more)` : first.message);
    this.name = 'BillingControlsError';
    this.field = first.field;
    this.reason = first.reason;
    this.issues = issues;
  }
}

/**
 * Which limit refused a call, as Autumn decides it (apiBalanceToAllowed.ts): a usage cap is checked first, whatever
 * the balance; then the org's balance (`included`), or its overage spend limit once past the allowance.
 * `usage_cap` is an org-wide usage limit (no member filter), set outside the kit.
 */
export type CreditLimitKind = 'balance' | 'spend_limit' | 'member_cap' | 'usage_cap';

/**
 * What the UI needs to say why a call was refused. Amounts in credits; null when Autumn did not tell. A type alias,
 * not an interface, so it is assignable to index-signature types such as Convex's `Value` (a `ConvexError` carries the
 * 402 body with it: examples/convex).
 */
export type CreditRefusalReason = {
  readonly limit: CreditLimitKind;
  /** The member whose cap refused (`member_cap`), else null. */
  readonly memberId: string | null;
  /** The cap in credits per `interval` (caps), or the overage limit in credits (`spend_limit`); null for `balance`. */
  readonly cap: number | null;
  readonly interval: UsageCapInterval | null;
  /** Credits left under the limit that refused. */
  readonly remaining: number | null;
};

/** Autumn's limits on a filter value (usageLimit.ts: USAGE_LIMIT_FILTER_MAX_VALUE_LENGTH). */
export const MAX_MEMBER_ID_LENGTH = 128;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number') return String(value);
  return value === null ? 'null' : typeof value;
}

/**
 * Collects every issue of `input` (nothing thrown) and the normalized controls: numbers read exactly (a numeric
 * string from a form field is accepted), credits rounded to the config's places, defaults filled in.
 */
export function checkBillingControls(
  input: unknown,
  context: BillingControlsContext,
): { readonly issues: readonly BillingControlsIssue[]; readonly value: BillingControlsInput } {
  const issues: BillingControlsIssue[] = [];
  const places = context.config.creditDecimals;
  const grant = typeof context.grant === 'number' && Number.isFinite(context.grant) && context.grant >= 0 ? context.grant : null;
  const add = (field: string, reason: BillingControlsIssueReason, message: string): void => {
    issues.push({ field, reason, message: `${field}: ${message}` });
  };

  /** A finite amount >= 0 (number or numeric string), rounded to `places`; null (and an issue) otherwise. */
  const amount = (value: unknown, field: string): number | null => {
    if (value === undefined || value === null || value === '') {
      add(field, 'required', 'is required');
      return null;
    }
    if (typeof value !== 'number' && typeof value !== 'string') {
      add(field, 'not_a_number', `must be a number, got ${describe(value)}`);
      return null;
    }
    const text = typeof value === 'string' ? value.trim() : value;
    const negative = typeof text === 'number' ? text < 0 && Number.isFinite(text) : text.startsWith('-') && readDecimal(text.slice(1)) !== null;
    if (negative) {
      add(field, 'negative', `must be 0 or more, got ${describe(value)}`);
      return null;
    }
    const rounded = readDecimal(text) === null ? null : roundCredits(text, places);
    if (rounded === null) {
      add(field, 'not_a_number', `must be a finite number, got ${describe(value)}`);
      return null;
    }
    return rounded;
  };

  const integer = (value: unknown, field: string, min: number, belowMin: BillingControlsIssueReason = 'out_of_range'): number | null => {
    const read = amount(value, field);
    if (read === null) return null;
    if (!Number.isInteger(read)) {
      add(field, 'not_an_integer', `must be a whole number, got ${describe(value)}`);
      return null;
    }
    if (read < min) {
      add(field, read === 0 ? belowMin : 'out_of_range', `must be at least ${min}, got ${read}`);
      return null;
    }
    return read;
  };

  const oneOf = <T extends string>(value: unknown, allowed: readonly T[], field: string): T | null => {
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    add(field, value === undefined ? 'required' : 'unknown_value', `must be one of ${allowed.join(', ')}, got ${describe(value)}`);
    return null;
  };

  const flag = (value: unknown, field: string, fallback: boolean): boolean => {
    if (value === undefined) return fallback;
    if (typeof value === 'boolean') return value;
    add(field, 'unknown_value', `must be true or false, got ${describe(value)}`);
    return fallback;
  };

  const value: { -readonly [K in keyof BillingControls]?: BillingControls[K] } = {};
  if (!isObject(input)) {
    add('controls', 'required', `must be an object, got ${describe(input)}`);
    return { issues, value };
  }

  // Auto top-up.
  if (input.autoTopUp === null) value.autoTopUp = null;
  else if (input.autoTopUp !== undefined) {
    const topUp = input.autoTopUp;
    if (!isObject(topUp)) add('autoTopUp', 'unknown_value', `must be an object or null, got ${describe(topUp)}`);
    else {
      const enabled = flag(topUp.enabled, 'autoTopUp.enabled', true);
      const threshold = amount(topUp.threshold, 'autoTopUp.threshold');
      if (threshold !== null && grant !== null && threshold > grant) {
        add('autoTopUp.threshold', 'above_grant', `${threshold} credits is above the ${grant} credits the plan grants: the balance would never be above it`);
      }
      const packs = context.config.topUps;
      const pack = packs.find((candidate) => candidate.id === topUp.packId);
      if (!pack) {
        add(
          'autoTopUp.packId',
          topUp.packId === undefined ? 'required' : 'unknown_pack',
          packs.length === 0 ? 'the config has no top-ups to buy' : `must be one of the config's top-ups (${packs.map((p) => p.id).join(', ')}), got ${describe(topUp.packId)}`,
        );
      }
      let purchaseLimit: AutoTopUpPurchaseLimit | null = null;
      const limit = topUp.purchaseLimit;
      if (limit !== undefined && limit !== null) {
        if (!isObject(limit)) add('autoTopUp.purchaseLimit', 'unknown_value', `must be an object or null, got ${describe(limit)}`);
        else {
          const count = integer(limit.limit, 'autoTopUp.purchaseLimit.limit', 1, 'zero_purchase_limit');
          const interval = oneOf(limit.interval, AUTO_TOP_UP_LIMIT_INTERVALS, 'autoTopUp.purchaseLimit.interval');
          const intervalCount = limit.intervalCount === undefined ? 1 : integer(limit.intervalCount, 'autoTopUp.purchaseLimit.intervalCount', 1);
          if (count !== null && interval !== null && intervalCount !== null) purchaseLimit = { limit: count, interval, intervalCount };
        }
      }
      if (threshold !== null && pack) value.autoTopUp = { enabled, threshold, packId: pack.id, purchaseLimit };
    }
  }

  // Spend limit.
  if (input.spendLimit === null) value.spendLimit = null;
  else if (input.spendLimit !== undefined) {
    const spend = input.spendLimit;
    if (!isObject(spend) || !isObject(spend.limit)) add(isObject(spend) ? 'spendLimit.limit' : 'spendLimit', 'unknown_value', `must be an object, got ${describe(isObject(spend) ? spend.limit : spend)}`);
    else {
      const enabled = flag(spend.enabled, 'spendLimit.enabled', true);
      const type = oneOf(spend.limit.type, ['credits', 'money', 'percent'] as const, 'spendLimit.limit.type');
      let limit: SpendLimitAmount | null = null;
      if (type === 'credits') {
        const credits = amount(spend.limit.credits, 'spendLimit.limit.credits');
        if (credits !== null) limit = { type, credits };
      } else if (type === 'money') {
        const money = amount(spend.limit.amount, 'spendLimit.limit.amount');
        if (money !== null) limit = { type, amount: money };
      } else if (type === 'percent') {
        const percent = amount(spend.limit.percent, 'spendLimit.limit.percent');
        if (percent !== null) limit = { type, percent };
      }
      if (limit) value.spendLimit = { enabled, limit };
    }
  }

  // Member caps.
  if (input.memberCaps === null) value.memberCaps = [];
  else if (input.memberCaps !== undefined) {
    if (!Array.isArray(input.memberCaps)) add('memberCaps', 'unknown_value', `must be a list, got ${describe(input.memberCaps)}`);
    else {
      const caps: MemberCap[] = [];
      const seen = new Set<string>();
      const members = context.usage?.members ?? {};
      input.memberCaps.forEach((cap: unknown, index) => {
        const at = `memberCaps[${index}]`;
        if (!isObject(cap)) {
          add(at, 'unknown_value', `must be an object, got ${describe(cap)}`);
          return;
        }
        const memberId = cap.memberId;
        let id: string | null = null;
        if (typeof memberId !== 'string' || memberId.trim() === '') add(`${at}.memberId`, 'required', `must be the member's id, got ${describe(memberId)}`);
        else if (memberId.length > MAX_MEMBER_ID_LENGTH) add(`${at}.memberId`, 'out_of_range', `must be at most ${MAX_MEMBER_ID_LENGTH} characters (Autumn's filter values), got ${memberId.length}`);
        else if (seen.has(memberId)) add(`${at}.memberId`, 'duplicate', `${describe(memberId)} has a cap already: one cap per member`);
        else id = memberId;
        if (id !== null) seen.add(id);
        const credits = amount(cap.credits, `${at}.credits`);
        const interval = oneOf(cap.interval, USAGE_CAP_INTERVALS, `${at}.interval`);
        const enabled = flag(cap.enabled, `${at}.enabled`, true);
        const used = id === null ? undefined : members[id];
        if (credits !== null && typeof used === 'number' && Number.isFinite(used) && credits < used) {
          add(`${at}.credits`, 'below_usage', `${credits} credits is below the ${used} credits ${id} used this ${interval ?? 'window'}`);
        }
        if (id !== null && credits !== null && interval !== null) caps.push({ memberId: id, credits, interval, enabled });
      });
      value.memberCaps = caps;
    }
  }

  // Alerts.
  if (input.alerts === null) value.alerts = [];
  else if (input.alerts !== undefined) {
    if (!Array.isArray(input.alerts)) add('alerts', 'unknown_value', `must be a list, got ${describe(input.alerts)}`);
    else {
      const alerts: UsageAlert[] = [];
      input.alerts.forEach((alert: unknown, index) => {
        const at = `alerts[${index}]`;
        if (!isObject(alert)) {
          add(at, 'unknown_value', `must be an object, got ${describe(alert)}`);
          return;
        }
        const kind = oneOf(alert.kind, USAGE_ALERT_KINDS, `${at}.kind`);
        const threshold = amount(alert.threshold, `${at}.threshold`);
        const enabled = flag(alert.enabled, `${at}.enabled`, true);
        if (kind === 'remainingPercentage' && threshold !== null && threshold > 100) {
          add(`${at}.threshold`, 'out_of_range', `a remaining percentage must be from 0 to 100, got ${threshold}`);
        } else if (kind === 'remaining' && threshold !== null && grant !== null && threshold > grant) {
          add(`${at}.threshold`, 'above_grant', `${threshold} credits remaining is above the ${grant} credits the plan grants`);
        }
        let name: string | undefined;
        if (alert.name !== undefined) {
          if (typeof alert.name === 'string') name = alert.name;
          else add(`${at}.name`, 'unknown_value', `must be a string, got ${describe(alert.name)}`);
        }
        if (kind !== null && threshold !== null) alerts.push({ kind, threshold, enabled, ...(name === undefined ? {} : { name }) });
      });
      value.alerts = alerts;
    }
  }

  return { issues, value };
}

/**
 * The controls, validated and normalized — or a `BillingControlsError` naming the field: a threshold above the grant,
 * a negative, non-numeric or NaN amount, a member cap below what the member used already, a purchase limit of 0, a
 * pack that is not one of the config's top-ups, an unknown interval. Call it before sending anything to Autumn (the
 * server helper does).
 */
export function validateBillingControls(input: unknown, context: BillingControlsContext): BillingControlsInput {
  const { issues, value } = checkBillingControls(input, context);
  if (issues.length > 0) throw new BillingControlsError(issues);
  return value;
}
