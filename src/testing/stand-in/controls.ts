/**
 * Billing controls as Autumn stores and validates them: `auto_topups`, `spend_limits`, `usage_limits` and
 * `usage_alerts` on a customer (`customers.update`, `customers.get_or_create`) and the last three on an entity
 * (`entities.create` / `entities.update`). The shapes are Autumn's own (snake_case, what its zod schemas leave after
 * parsing: defaults filled in, unknown keys dropped), so the wire answers echo them as Autumn does.
 *
 * Taken from Autumn's source (useautumn/autumn):
 * - shared/models/cusModels/billingControls/customerBillingControls.ts — `AutoTopupSchema` (`enabled` default false,
 *   `threshold` any number, `quantity` >= 1, `purchase_limit` { interval hour|day|week|month, interval_count >= 1
 *   default 1, limit >= 1, `count` >= 0 on params only }), one entry per feature; `CustomerBillingControlsParamsSchema`
 *   (one spend limit per feature, one usage limit per feature AND filter).
 * - shared/models/cusModels/billingControls/spendLimit.ts — `enabled` default false, `limit_type` absolute |
 *   usage_percentage, `overage_limit` >= 0; `feature_id` required with `overage_limit` / `skip_overage_billing`.
 * - shared/models/cusModels/billingControls/usageLimit.ts — `enabled` default true, `limit` >= 0, `interval`
 *   day|week|month|year, `anchor` billing_cycle|utc, `filter.properties` 1..4 keys (<= 64 chars), values string
 *   (1..128 chars) | number | boolean compared as strings; `usageLimitFilterKey`, `usageLimitFilterMatchesProperties`.
 * - shared/models/cusModels/billingControls/usageAlert.ts — `enabled` default true, `threshold` >= 0, `threshold_type`
 *   usage|usage_percentage|remaining|remaining_percentage (<= 100 for remaining_percentage).
 * - shared/api/billingControls/entityBillingControls.ts — an entity takes spend/usage limits and alerts, one usage
 *   limit per feature (no auto top-ups: they charge the customer's card).
 * - shared/utils/usageWindowUtils/getUsageWindowBounds.ts — a usage limit's window: aligned to the billing cycle's
 *   anchor when there is one, else the UTC calendar (weeks start on Monday).
 * - server/src/errors/formatZodError.ts — the messages ("path: must be a number (received string)").
 */
import { received, StandInApiError } from './errors.js';

export type UsageLimitInterval = 'day' | 'week' | 'month' | 'year';
export type PurchaseLimitInterval = 'hour' | 'day' | 'week' | 'month';
export type UsageAlertThresholdType = 'usage' | 'usage_percentage' | 'remaining' | 'remaining_percentage';

export interface DbPurchaseLimit {
  interval: PurchaseLimitInterval;
  interval_count: number;
  limit: number;
}

export interface DbAutoTopup {
  feature_id: string;
  enabled: boolean;
  threshold: number;
  quantity: number;
  purchase_limit?: DbPurchaseLimit;
  invoice_mode?: boolean;
}

export interface DbSpendLimit {
  feature_id?: string;
  enabled: boolean;
  limit_type?: 'absolute' | 'usage_percentage';
  overage_limit?: number;
  skip_overage_billing?: boolean;
}

export interface DbUsageLimit {
  feature_id: string;
  enabled: boolean;
  limit: number;
  interval: UsageLimitInterval;
  anchor?: 'billing_cycle' | 'utc';
  filter?: { properties: Record<string, string> };
}

export interface DbUsageAlert {
  feature_id?: string;
  enabled: boolean;
  threshold: number;
  threshold_type: UsageAlertThresholdType;
  name?: string;
}

/** A customer's stored controls. A list never set is absent (answers omit it); a list set to `[]` answers `[]`. */
export interface CustomerControls {
  auto_topups?: DbAutoTopup[];
  spend_limits?: DbSpendLimit[];
  usage_limits?: DbUsageLimit[];
  usage_alerts?: DbUsageAlert[];
}

/** An entity's stored controls: no auto top-ups (Autumn's entity schema has none). */
export type EntityControls = Omit<CustomerControls, 'auto_topups'>;

/** The `purchase_limit.count` given per feature, to set the current window's count (Autumn's runtime state). */
export type PurchaseLimitCounts = Map<string, { count: number; limit: number }>;

export interface ParsedControls<C> {
  /** Only the lists the request gave: each replaces the stored one, the others are kept. */
  readonly patch: C;
  readonly counts: PurchaseLimitCounts;
}

const USAGE_LIMIT_INTERVALS: readonly UsageLimitInterval[] = ['day', 'week', 'month', 'year'];
const PURCHASE_LIMIT_INTERVALS: readonly PurchaseLimitInterval[] = ['hour', 'day', 'week', 'month'];
const THRESHOLD_TYPES: readonly UsageAlertThresholdType[] = ['usage', 'usage_percentage', 'remaining', 'remaining_percentage'];
const ANCHORS = ['billing_cycle', 'utc'] as const;
const LIMIT_TYPES = ['absolute', 'usage_percentage'] as const;
export const USAGE_LIMIT_FILTER_MAX_KEYS = 4;
const FILTER_MAX_KEY_LENGTH = 64;
const FILTER_MAX_VALUE_LENGTH = 128;

type Json = Record<string, unknown>;
type Path = readonly (string | number)[];

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** zod's name for a value of the wrong type ("received string"); NaN and infinities are numbers it refuses. */
function kind(value: unknown): string {
  if (typeof value === 'number' && Number.isNaN(value)) return 'NaN';
  if (typeof value === 'number' && !Number.isFinite(value)) return 'Infinity';
  return value === undefined ? 'undefined' : received(value);
}

/** Collects issues in schema order, worded as Autumn's `formatZodError` words zod's. */
class Issues {
  readonly list: string[] = [];

  add(path: Path, message: string): void {
    this.list.push(`${path.length > 0 ? path.join('.') : 'input'}: ${message}`);
  }

  get count(): number {
    return this.list.length;
  }

  /** Autumn's 400 `invalid_inputs`: one issue alone, several as "[Validation Errors] a; b". */
  throwIfAny(): void {
    if (this.list.length === 1) throw new StandInApiError(400, 'invalid_inputs', this.list[0]!);
    if (this.list.length > 1) throw new StandInApiError(400, 'invalid_inputs', `[Validation Errors] ${this.list.join('; ')}`);
  }

  number(value: unknown, path: Path, min?: number): number | undefined {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.add(path, `must be a number (received ${kind(value)})`);
      return undefined;
    }
    if (min !== undefined && value < min) {
      this.add(path, `Too small: expected number to be >=${min}`);
      return undefined;
    }
    return value;
  }

  optionalNumber(value: unknown, path: Path, min?: number): number | undefined {
    return value === undefined ? undefined : this.number(value, path, min);
  }

  string(value: unknown, path: Path): string | undefined {
    if (typeof value !== 'string') {
      this.add(path, `must be a string (received ${kind(value)})`);
      return undefined;
    }
    return value;
  }

  optionalString(value: unknown, path: Path): string | undefined {
    return value === undefined ? undefined : this.string(value, path);
  }

  boolean(value: unknown, path: Path, fallback: boolean): boolean {
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') {
      this.add(path, `must be a boolean (received ${kind(value)})`);
      return fallback;
    }
    return value;
  }

  optionalBoolean(value: unknown, path: Path): boolean | undefined {
    return value === undefined ? undefined : this.boolean(value, path, false);
  }

  option<T extends string>(value: unknown, path: Path, options: readonly T[]): T | undefined {
    if (typeof value === 'string' && (options as readonly string[]).includes(value)) return value as T;
    this.add(path, `must be one of: ${options.join(', ')}`);
    return undefined;
  }

  optionalOption<T extends string>(value: unknown, path: Path, options: readonly T[]): T | undefined {
    return value === undefined ? undefined : this.option(value, path, options);
  }

  object(value: unknown, path: Path): Json | undefined {
    if (isObject(value)) return value;
    this.add(path, `Invalid input: expected object, received ${kind(value)}`);
    return undefined;
  }

  array(value: unknown, path: Path): unknown[] | undefined {
    if (Array.isArray(value)) return value;
    this.add(path, `Invalid input: expected array, received ${kind(value)}`);
    return undefined;
  }
}

/** Refuses what the stand-in does not model, naming it, rather than answering as if it had applied it. */
function notModelled(what: string): StandInApiError {
  return new StandInApiError(400, 'invalid_request', `The Autumn stand-in does not model ${what}`);
}

function parsePurchaseLimit(value: unknown, path: Path, issues: Issues): (DbPurchaseLimit & { count?: number }) | undefined {
  const raw = issues.object(value, path);
  if (!raw) return undefined;
  const interval = issues.option(raw.interval, [...path, 'interval'], PURCHASE_LIMIT_INTERVALS);
  const intervalCount = raw.interval_count === undefined ? 1 : issues.number(raw.interval_count, [...path, 'interval_count'], 1);
  const limit = issues.number(raw.limit, [...path, 'limit'], 1);
  const count = issues.optionalNumber(raw.count, [...path, 'count'], 0);
  if (interval === undefined || intervalCount === undefined || limit === undefined) return undefined;
  return { interval, interval_count: intervalCount, limit, ...(count === undefined ? {} : { count }) };
}

function parseAutoTopup(value: unknown, path: Path, issues: Issues, counts: PurchaseLimitCounts): DbAutoTopup | undefined {
  const raw = issues.object(value, path);
  if (!raw) return undefined;
  const before = issues.count;
  const featureId = issues.string(raw.feature_id, [...path, 'feature_id']);
  const enabled = issues.boolean(raw.enabled, [...path, 'enabled'], false);
  const threshold = issues.number(raw.threshold, [...path, 'threshold']);
  const quantity = issues.number(raw.quantity, [...path, 'quantity'], 1);
  const purchaseLimit = raw.purchase_limit === undefined ? undefined : parsePurchaseLimit(raw.purchase_limit, [...path, 'purchase_limit'], issues);
  const invoiceMode = issues.optionalBoolean(raw.invoice_mode, [...path, 'invoice_mode']);
  if (issues.count > before || featureId === undefined || threshold === undefined || quantity === undefined) return undefined;
  if (purchaseLimit?.count !== undefined) counts.set(featureId, { count: purchaseLimit.count, limit: purchaseLimit.limit });
  return {
    feature_id: featureId,
    enabled,
    threshold,
    quantity,
    // `count` is runtime state, never stored on the control (stripAutoTopupCountsForStorage).
    ...(purchaseLimit ? { purchase_limit: { interval: purchaseLimit.interval, interval_count: purchaseLimit.interval_count, limit: purchaseLimit.limit } } : {}),
    ...(invoiceMode === undefined ? {} : { invoice_mode: invoiceMode }),
  };
}

function parseSpendLimit(value: unknown, path: Path, issues: Issues): DbSpendLimit | undefined {
  const raw = issues.object(value, path);
  if (!raw) return undefined;
  const before = issues.count;
  const featureId = issues.optionalString(raw.feature_id, [...path, 'feature_id']);
  const enabled = issues.boolean(raw.enabled, [...path, 'enabled'], false);
  const limitType = issues.optionalOption(raw.limit_type, [...path, 'limit_type'], LIMIT_TYPES);
  const overageLimit = issues.optionalNumber(raw.overage_limit, [...path, 'overage_limit'], 0);
  const skip = issues.optionalBoolean(raw.skip_overage_billing, [...path, 'skip_overage_billing']);
  if (issues.count > before) return undefined;
  if (featureId === undefined && (overageLimit !== undefined || skip !== undefined)) {
    issues.add([...path, 'feature_id'], 'feature_id is required when overage_limit or skip_overage_billing is provided');
    return undefined;
  }
  return {
    ...(featureId === undefined ? {} : { feature_id: featureId }),
    enabled,
    ...(limitType === undefined ? {} : { limit_type: limitType }),
    ...(overageLimit === undefined ? {} : { overage_limit: overageLimit }),
    ...(skip === undefined ? {} : { skip_overage_billing: skip }),
  };
}

function parseFilter(value: unknown, path: Path, issues: Issues): { properties: Record<string, string> } | undefined {
  const raw = issues.object(value, path);
  if (!raw) return undefined;
  const propertiesPath = [...path, 'properties'];
  const properties = issues.object(raw.properties, propertiesPath);
  if (!properties) return undefined;
  const before = issues.count;
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(properties)) {
    if (key.length < 1) issues.add(propertiesPath, 'cannot be empty');
    else if (key.length > FILTER_MAX_KEY_LENGTH) issues.add(propertiesPath, `Too big: expected string to have <=${FILTER_MAX_KEY_LENGTH} characters`);
    if (typeof item === 'string') {
      if (item.length < 1) issues.add([...propertiesPath, key], 'cannot be empty');
      else if (item.length > FILTER_MAX_VALUE_LENGTH) issues.add([...propertiesPath, key], `Too big: expected string to have <=${FILTER_MAX_VALUE_LENGTH} characters`);
      else out[key] = item;
    } else if ((typeof item === 'number' && Number.isFinite(item)) || typeof item === 'boolean') {
      // Scalars are canonicalised to strings: "29384" and 29384 are the same condition.
      out[key] = String(item);
    } else {
      issues.add([...propertiesPath, key], 'Invalid input');
    }
  }
  if (issues.count > before) return undefined;
  const keys = Object.keys(out).length;
  if (keys < 1 || keys > USAGE_LIMIT_FILTER_MAX_KEYS) {
    issues.add(propertiesPath, `filter.properties must have between 1 and ${USAGE_LIMIT_FILTER_MAX_KEYS} keys`);
    return undefined;
  }
  return { properties: out };
}

function parseUsageLimit(value: unknown, path: Path, issues: Issues): DbUsageLimit | undefined {
  const raw = issues.object(value, path);
  if (!raw) return undefined;
  const before = issues.count;
  const featureId = issues.string(raw.feature_id, [...path, 'feature_id']);
  const enabled = issues.boolean(raw.enabled, [...path, 'enabled'], true);
  const limit = issues.number(raw.limit, [...path, 'limit'], 0);
  const interval = issues.option(raw.interval, [...path, 'interval'], USAGE_LIMIT_INTERVALS);
  const anchor = issues.optionalOption(raw.anchor, [...path, 'anchor'], ANCHORS);
  const filter = raw.filter === undefined ? undefined : parseFilter(raw.filter, [...path, 'filter'], issues);
  // `usage` and `source` are response fields: Autumn's params schema drops them.
  if (issues.count > before || featureId === undefined || limit === undefined || interval === undefined) return undefined;
  return {
    feature_id: featureId,
    enabled,
    limit,
    interval,
    ...(anchor === undefined ? {} : { anchor }),
    ...(filter === undefined ? {} : { filter }),
  };
}

function parseUsageAlert(value: unknown, path: Path, issues: Issues): DbUsageAlert | undefined {
  const raw = issues.object(value, path);
  if (!raw) return undefined;
  const before = issues.count;
  const featureId = issues.optionalString(raw.feature_id, [...path, 'feature_id']);
  const enabled = issues.boolean(raw.enabled, [...path, 'enabled'], true);
  const threshold = issues.number(raw.threshold, [...path, 'threshold'], 0);
  const thresholdType = issues.option(raw.threshold_type, [...path, 'threshold_type'], THRESHOLD_TYPES);
  const name = issues.optionalString(raw.name, [...path, 'name']);
  if (issues.count > before || threshold === undefined || thresholdType === undefined) return undefined;
  if (thresholdType === 'remaining_percentage' && threshold > 100) {
    issues.add([...path, 'threshold'], 'Threshold must be between 0 and 100 for remaining_percentage');
    return undefined;
  }
  // autumn-js 1.3.13 sends `basis` (default "balance") and may send `filter`, fields of an Autumn newer than the
  // source these semantics come from. "balance" (every grant of the feature) is what that source computes; the
  // other bases are refused rather than answered with the wrong arithmetic.
  if (raw.basis !== undefined && raw.basis !== 'balance') throw notModelled(`usage alerts with basis "${String(raw.basis)}" (only "balance")`);
  if (raw.filter !== undefined) throw notModelled('usage alerts with a filter');
  return {
    ...(featureId === undefined ? {} : { feature_id: featureId }),
    enabled,
    threshold,
    threshold_type: thresholdType,
    ...(name === undefined ? {} : { name }),
  };
}

function parseList<T>(value: unknown, path: Path, issues: Issues, parse: (item: unknown, path: Path) => T | undefined): T[] | undefined {
  if (value === undefined) return undefined;
  const list = issues.array(value, path);
  if (!list) return undefined;
  const out: T[] = [];
  list.forEach((item, index) => {
    const parsed = parse(item, [...path, index]);
    if (parsed !== undefined) out.push(parsed);
  });
  return out;
}

/** Canonical identity of a usage limit's filter: sorted `key=value` pairs joined by `&` (Autumn's usageLimitFilterKey). */
export function filterKey(filter: DbUsageLimit['filter']): string {
  if (!filter) return '';
  return Object.entries(filter.properties)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

/**
 * Whether an event's properties satisfy a filter: every key matches (AND), compared as strings; an absent, null or
 * object-valued property never matches; no filter matches everything (usageLimitFilterMatchesProperties).
 */
export function filterMatches(filter: DbUsageLimit['filter'], properties: Readonly<Record<string, unknown>>): boolean {
  if (!filter) return true;
  return Object.entries(filter.properties).every(([key, value]) => {
    const actual = properties[key];
    if (actual === undefined || actual === null || typeof actual === 'object') return false;
    return String(actual) === value;
  });
}

/** The first duplicate of a list's identity, as Autumn's `.check` reports it (one issue, then it stops). */
function firstDuplicate<T>(list: readonly T[] | undefined, identity: (item: T) => string | undefined): number {
  const seen = new Set<string>();
  for (const [index, item] of (list ?? []).entries()) {
    const id = identity(item);
    if (id === undefined) continue;
    if (seen.has(id)) return index;
    seen.add(id);
  }
  return -1;
}

/**
 * `billing_controls` of a request, validated as Autumn validates it (400 `invalid_inputs` with the zod paths), for a
 * customer (`customers.update`, `customers.get_or_create`) or an entity (`entities.create` / `.update`).
 * `overage_allowed` is refused: the stand-in does not model that control.
 */
export function parseBillingControls(value: unknown, scope: 'customer'): ParsedControls<CustomerControls>;
export function parseBillingControls(value: unknown, scope: 'entity'): ParsedControls<EntityControls>;
export function parseBillingControls(value: unknown, scope: 'customer' | 'entity'): ParsedControls<CustomerControls> {
  const path = ['billing_controls'];
  const issues = new Issues();
  const counts: PurchaseLimitCounts = new Map();
  const raw = issues.object(value, path);
  if (!raw) {
    issues.throwIfAny();
    return { patch: {}, counts };
  }
  if (raw.overage_allowed !== undefined) throw notModelled('billing_controls.overage_allowed');
  const patch: CustomerControls = {};
  // Entities have no auto top-ups: Autumn's entity schema drops the key.
  const autoTopups =
    scope === 'customer' ? parseList(raw.auto_topups, [...path, 'auto_topups'], issues, (item, at) => parseAutoTopup(item, at, issues, counts)) : undefined;
  const spendLimits = parseList(raw.spend_limits, [...path, 'spend_limits'], issues, (item, at) => parseSpendLimit(item, at, issues));
  const usageLimits = parseList(raw.usage_limits, [...path, 'usage_limits'], issues, (item, at) => parseUsageLimit(item, at, issues));
  const usageAlerts = parseList(raw.usage_alerts, [...path, 'usage_alerts'], issues, (item, at) => parseUsageAlert(item, at, issues));
  issues.throwIfAny();
  if (autoTopups) patch.auto_topups = autoTopups;
  if (spendLimits) patch.spend_limits = spendLimits;
  if (usageLimits) patch.usage_limits = usageLimits;
  if (usageAlerts) patch.usage_alerts = usageAlerts;

  const duplicate = (list: string, index: number, message: string) => {
    issues.add([...path, list, index, 'feature_id'], message);
    issues.throwIfAny();
  };
  const topUp = firstDuplicate(patch.auto_topups, (item) => item.feature_id);
  if (topUp >= 0) duplicate('auto_topups', topUp, 'Only one auto top-up entry is allowed per feature_id');
  const spend = firstDuplicate(patch.spend_limits, (item) => item.feature_id);
  if (spend >= 0) duplicate('spend_limits', spend, 'Only one spend limit entry is allowed per feature_id');
  if (scope === 'customer') {
    const usage = firstDuplicate(patch.usage_limits, (item) => `${item.feature_id}|${filterKey(item.filter)}`);
    if (usage >= 0) duplicate('usage_limits', usage, 'Only one usage limit entry is allowed per feature_id and filter');
  } else {
    const usage = firstDuplicate(patch.usage_limits, (item) => item.feature_id);
    if (usage >= 0) duplicate('usage_limits', usage, 'Only one usage limit entry is allowed per feature_id');
  }
  return { patch, counts };
}

/**
 * `purchase_limit.count` may not exceed `purchase_limit.limit` (validateAutoTopupPurchaseLimitCounts): a 400
 * `invalid_request`, checked after the customer is found.
 */
export function checkPurchaseLimitCounts(counts: PurchaseLimitCounts): void {
  for (const [featureId, { count, limit }] of counts) {
    if (count > limit) {
      throw new StandInApiError(400, 'invalid_request', `purchase_limit.count (${count}) cannot exceed purchase_limit.limit (${limit}) for feature ${featureId}`);
    }
  }
}

// ------------------------------------------------------------------ windows

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** Adds whole months to a UTC instant, the day clamped to the month's last (date-fns `addMonths`). */
function addMonths(at: number, months: number): number {
  const date = new Date(at);
  const total = date.getUTCMonth() + months;
  const year = date.getUTCFullYear() + Math.floor(total / 12);
  const month = ((total % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(year, month, Math.min(date.getUTCDate(), lastDay), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds());
}

/** `count` intervals after `at` (hour..year), as Autumn's `addInterval`. */
export function addWindowInterval(at: number, interval: UsageLimitInterval | PurchaseLimitInterval, count: number): number {
  switch (interval) {
    case 'hour':
      return at + count * HOUR_MS;
    case 'day':
      return at + count * DAY_MS;
    case 'week':
      return at + count * 7 * DAY_MS;
    case 'month':
      return addMonths(at, count);
    case 'year':
      return addMonths(at, 12 * count);
  }
}

/** The UTC calendar interval holding `now` (weeks start on Monday), Autumn's fallback without an anchor. */
function calendarWindow(interval: UsageLimitInterval, now: number): { start: number; end: number } {
  const date = new Date(now);
  const day = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  let start: number;
  if (interval === 'day') start = day;
  else if (interval === 'week') start = day - ((date.getUTCDay() + 6) % 7) * DAY_MS;
  else if (interval === 'month') start = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  else start = Date.UTC(date.getUTCFullYear(), 0, 1);
  return { start, end: addWindowInterval(start, interval, 1) };
}

/**
 * The bounds of the usage-limit window holding `now`: cycles of `interval` counted from the billing-cycle `anchor`
 * (Autumn: the anchor entitlement's next reset), or the UTC calendar without one (getUsageWindowBounds).
 */
export function usageWindowBounds(interval: UsageLimitInterval, now: number, anchor: number | null): { start: number; end: number } {
  if (anchor === null || !Number.isFinite(anchor)) return calendarWindow(interval, now);
  let cycles: number;
  if (interval === 'day' || interval === 'week') {
    const step = interval === 'day' ? DAY_MS : 7 * DAY_MS;
    cycles = Math.floor((now - anchor) / step);
  } else {
    const a = new Date(anchor);
    const n = new Date(now);
    const months = (n.getUTCFullYear() - a.getUTCFullYear()) * 12 + (n.getUTCMonth() - a.getUTCMonth());
    cycles = Math.floor(months / (interval === 'year' ? 12 : 1));
  }
  // Walk to the cycle that brackets `now` (getCycleStart's correction for clamped month ends and future anchors).
  while (addWindowInterval(anchor, interval, cycles + 1) <= now) cycles += 1;
  while (addWindowInterval(anchor, interval, cycles) > now) cycles -= 1;
  const start = addWindowInterval(anchor, interval, cycles);
  const end = addWindowInterval(anchor, interval, cycles + 1);
  return start <= now && now < end ? { start, end } : calendarWindow(interval, now);
}

/**
 * A window counter as Autumn's `normalizeWindowCounter` keeps them (auto top-up purchase and attempt windows): the
 * count holds until the window ends, then a fresh window of one interval starts from `from` (default now).
 */
export function normalizeWindow(
  state: { endsAt: number; count: number },
  now: number,
  config: { interval: PurchaseLimitInterval | 'minute'; interval_count: number },
  from?: number,
): { endsAt: number; count: number } {
  if (now < state.endsAt) return state;
  let projected = from ?? now;
  do {
    projected = config.interval === 'minute' ? projected + config.interval_count * 60_000 : addWindowInterval(projected, config.interval, config.interval_count);
  } while (projected <= now);
  return { endsAt: projected, count: 0 };
}

export const isJsonObject = isObject;
