/**
 * The Autumn 1.x operations the stand-in serves, one function per `/v1/<operation>`. Each runs synchronously
 * against the ledger (read, check and write of a balance in one go), so concurrent requests are atomic.
 */
import type { CreditPlan } from '../../core/config.js';
import { featureNotFound, invalidInputs, invalidRequest, StandInApiError } from './errors.js';
import { cycleStart, Ledger, type CustomerRecord, type EventRecord, type Units } from './ledger.js';
import { balanceJson, customerJson, eventJson, planJson, trackDeductionsJson } from './wire.js';

type Json = Record<string, unknown>;

export interface RouteContext {
  readonly ledger: Ledger;
  /** Origin the request arrived at, for checkout URLs. */
  readonly origin: string;
  readonly autoCreateCustomers: boolean;
  readonly autoCompleteCheckout: boolean;
}

export interface RouteResult {
  status: number;
  body: unknown;
}

type Route = (ctx: RouteContext, body: Json) => RouteResult;

const ok = (body: unknown, status = 200): RouteResult => ({ status, body });

// ------------------------------------------------------------------ input helpers

function str(body: Json, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value.length === 0) throw invalidInputs(`${field} is required and must be a string`);
  return value;
}

function optStr(body: Json, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidInputs(`${field} must be a string`);
  return value;
}

function optObj(body: Json, field: string): Json | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidInputs(`${field} must be an object`);
  return value as Json;
}

function optNum(body: Json, field: string): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidInputs(`${field} must be a finite number`);
  return value;
}

function requireFeature(ctx: RouteContext, featureId: string): void {
  if (featureId !== ctx.ledger.config.featureId) throw featureNotFound(featureId);
}

function customerFor(ctx: RouteContext, customerId: string): CustomerRecord {
  const existing = ctx.ledger.getCustomer(customerId);
  if (existing) return existing;
  if (ctx.autoCreateCustomers) return ctx.ledger.createCustomer(customerId);
  return ctx.ledger.requireCustomer(customerId);
}

function lockParams(body: Json) {
  const lock = optObj(body, 'lock');
  if (!lock || lock.enabled !== true) return null;
  const id = str(lock, 'lock_id');
  const expiresAt = optNum(lock, 'expires_at') ?? null;
  return { id, expiresAt, behavior: Ledger.lockBehavior(lock.overage_behavior) };
}

// ------------------------------------------------------------------ customers

const getOrCreateCustomer: Route = (ctx, body) => {
  const id = body.customer_id;
  if (typeof id !== 'string' || id.length === 0) {
    throw invalidInputs('customer_id is required (the stand-in does not create anonymous customers)');
  }
  const expand = Array.isArray(body.expand) ? body.expand.filter((item): item is string => typeof item === 'string') : [];
  let customer = ctx.ledger.getCustomer(id);
  if (!customer) {
    const planId = optStr(body, 'auto_enable_plan_id');
    customer = ctx.ledger.createCustomer(id, {
      name: optStr(body, 'name') ?? null,
      email: optStr(body, 'email') ?? null,
      metadata: optObj(body, 'metadata') ?? null,
      ...(planId === undefined ? {} : { planId }),
    });
  } else {
    // Autumn fills in a name / email given later for a customer that had none.
    customer.name ??= optStr(body, 'name') ?? null;
    customer.email ??= optStr(body, 'email') ?? null;
  }
  return ok(customerJson(ctx.ledger, customer, expand));
};

const getCustomer: Route = (ctx, body) => {
  const customer = ctx.ledger.requireCustomer(str(body, 'customer_id'));
  const expand = Array.isArray(body.expand) ? body.expand.filter((item): item is string => typeof item === 'string') : [];
  return ok(customerJson(ctx.ledger, customer, expand));
};

// ------------------------------------------------------------------ balances

const check: Route = (ctx, body) => {
  const customerId = str(body, 'customer_id');
  const featureId = str(body, 'feature_id');
  requireFeature(ctx, featureId);
  const customer = customerFor(ctx, customerId);
  const entityId = optStr(body, 'entity_id') ?? null;
  const required = body.required_balance === undefined || body.required_balance === null ? 1 : body.required_balance;
  const requiredUnits = ctx.ledger.parseAmount(required, 'required_balance');
  const properties = optObj(body, 'properties') ?? {};
  const ledger = ctx.ledger;
  const lock = lockParams(body);

  let allowed: boolean;
  if (lock) {
    const result = ledger.createLock(customer, {
      id: lock.id,
      featureId,
      entityId,
      units: requiredUnits,
      behavior: lock.behavior,
      expiresAt: lock.expiresAt,
      properties,
    });
    allowed = result.allowed;
  } else {
    allowed =
      customer.grants.length > 0 &&
      (requiredUnits <= 0n || ledger.overageAllowed(customer) || ledger.available(customer) >= requiredUnits);
    if (allowed && body.send_event === true && requiredUnits > 0n) {
      const { items } = ledger.deduct(customer, requiredUnits, 'overflow');
      ledger.recordEvent(customer, { featureId, entityId, units: requiredUnits, properties, items });
    }
  }
  return ok({
    allowed,
    customer_id: customer.id,
    ...(entityId === null ? {} : { entity_id: entityId }),
    required_balance: ledger.toCredits(requiredUnits),
    balance: balanceJson(ledger, customer),
    flag: null,
  });
};

function overageBehavior(body: Json): 'cap' | 'overflow' {
  const value = body.overage_behavior;
  if (value === undefined || value === null || value === 'cap') return 'cap';
  if (value === 'overflow') return 'overflow';
  throw invalidInputs(`overage_behavior must be "cap" or "overflow", got ${JSON.stringify(value)}`);
}

const track: Route = (ctx, body) => {
  const ledger = ctx.ledger;
  const customerId = str(body, 'customer_id');
  const featureId = optStr(body, 'feature_id') ?? optStr(body, 'event_name');
  if (featureId === undefined) throw invalidInputs('feature_id or event_name is required');
  requireFeature(ctx, featureId);
  const behavior = overageBehavior(body);
  const value = body.value === undefined || body.value === null ? 1 : body.value;
  const units = ledger.parseAmount(value, 'value');
  const entityId = optStr(body, 'entity_id') ?? null;
  const properties = optObj(body, 'properties') ?? {};
  const timestamp = optNum(body, 'timestamp');
  const lock = lockParams(body);
  const customer = customerFor(ctx, customerId);

  let items;
  if (lock) {
    if (units < 0n) throw invalidRequest('A lock cannot hold a negative value');
    ledger.createLock(customer, {
      id: lock.id,
      featureId,
      entityId,
      units,
      behavior,
      expiresAt: lock.expiresAt,
      properties,
    });
    items = ledger.locks.get(lock.id)?.items ?? [];
  } else {
    items = units >= 0n ? ledger.deduct(customer, units, behavior).items : ledger.refund(customer, -units);
    ledger.recordEvent(customer, {
      featureId,
      entityId,
      units,
      properties,
      ...(timestamp === undefined ? {} : { timestamp }),
      items,
    });
  }

  if (body.async === true) {
    // Autumn enqueues and answers 202 before the balance is known; the stand-in applies it at once, so a read
    // right after sees it.
    return ok({ customer_id: customer.id, ...(entityId === null ? {} : { entity_id: entityId }), value, balance: null }, 202);
  }
  return ok({
    customer_id: customer.id,
    ...(entityId === null ? {} : { entity_id: entityId }),
    value,
    balance: balanceJson(ledger, customer),
    deductions: trackDeductionsJson(ledger, customer, items),
  });
};

const finalize: Route = (ctx, body) => {
  const lockId = str(body, 'lock_id');
  const action = body.action;
  if (action !== 'confirm' && action !== 'release') {
    throw invalidInputs(`action must be "confirm" or "release", got ${JSON.stringify(action)}`);
  }
  const override = optNum(body, 'override_value');
  if (override !== undefined && override < 0) throw invalidInputs('override_value must not be negative');
  const properties = optObj(body, 'properties');
  ctx.ledger.finalizeLock(lockId, {
    action,
    ...(override === undefined || action === 'release' ? {} : { overrideUnits: ctx.ledger.toUnits(override) }),
    ...(properties ? { properties } : {}),
  });
  return ok({ success: true });
};

// ------------------------------------------------------------------ billing & plans

function packsFor(ctx: RouteContext, plan: CreditPlan, body: Json): number {
  const quantities = Array.isArray(body.feature_quantities) ? (body.feature_quantities as Json[]) : [];
  const entry = quantities.find((item) => item && item.feature_id === ctx.ledger.config.featureId);
  const quantity = entry?.quantity;
  if (quantity === undefined || quantity === null) return 1;
  if (typeof quantity !== 'number' || !Number.isFinite(quantity) || quantity <= 0) {
    throw invalidInputs('feature_quantities[].quantity must be a positive number of credits');
  }
  // Autumn's prepaid quantity counts credits, billed per pack (billing_units): round up to whole packs.
  return plan.credits > 0 ? Math.ceil(quantity / plan.credits) : 1;
}

const attach: Route = (ctx, body) => {
  const ledger = ctx.ledger;
  const customer = customerFor(ctx, str(body, 'customer_id'));
  const plan = ledger.requirePlan(str(body, 'plan_id'));
  if (plan.kind !== 'top_up' && customer.subscription?.planId === plan.id) {
    throw new StandInApiError(400, 'plan_already_attached', `Plan ${plan.id} is already attached to customer ${customer.id}`);
  }
  const packs = plan.kind === 'top_up' ? packsFor(ctx, plan, body) : 1;
  const entityId = optStr(body, 'entity_id');
  const base = { customer_id: customer.id, ...(entityId === undefined ? {} : { entity_id: entityId }) };
  if (plan.price === 0) {
    ledger.fulfil(customer, plan, packs);
    return ok({ ...base, payment_url: null });
  }
  if (body.redirect_mode === 'never') {
    return ok({
      ...base,
      payment_url: null,
      required_action: { code: 'payment_method_required', reason: 'The customer has no payment method on file' },
    });
  }
  if (ctx.autoCompleteCheckout) {
    // A card on file: Autumn charges it and answers no payment URL, with the paid invoice.
    ledger.fulfil(customer, plan, packs);
    const invoice = {
      status: 'paid',
      stripe_id: ledger.nextId('in_test'),
      total: plan.price * packs,
      currency: ledger.config.currency.toLowerCase(),
      hosted_invoice_url: null,
    };
    return ok({ ...base, invoice, payment_url: null });
  }
  const checkout = ledger.openCheckout(
    { customerId: customer.id, planId: plan.id, packs, successUrl: optStr(body, 'success_url') ?? null },
    ctx.origin,
  );
  return ok({ ...base, payment_url: checkout.url });
};

function attachAction(ctx: RouteContext, customer: CustomerRecord | undefined, plan: CreditPlan): Json | undefined {
  if (!customer) return undefined;
  if (plan.kind === 'top_up') return { attach_action: 'purchase' };
  const current = customer.subscription ? ctx.ledger.config.plans.find((p) => p.id === customer.subscription?.planId) : undefined;
  if (current?.id === plan.id) return { attach_action: 'none', status: 'active' };
  if (!current) return { attach_action: 'activate' };
  return { attach_action: plan.price >= current.price ? 'upgrade' : 'downgrade' };
}

const listPlans: Route = (ctx, body) => {
  const customerId = optStr(body, 'customer_id');
  const customer = customerId === undefined ? undefined : ctx.ledger.requireCustomer(customerId);
  return ok({
    list: ctx.ledger.config.plans.map((plan) => planJson(ctx.ledger.config, plan, attachAction(ctx, customer, plan))),
  });
};

// ------------------------------------------------------------------ events

/** `filter_by` keys may be `thread_id` or `properties.thread_id`. */
function propertyKey(key: string): string {
  return key.startsWith('properties.') ? key.slice('properties.'.length) : key;
}

function matchesProperties(event: EventRecord, filter: Json | undefined): boolean {
  if (!filter) return true;
  return Object.entries(filter).every(([key, expected]) => {
    const actual = event.properties[propertyKey(key)];
    return actual !== undefined && actual !== null && String(actual) === String(expected);
  });
}

function featureIds(ctx: RouteContext, value: unknown, required: boolean): string[] | undefined {
  if (value === undefined || value === null) {
    if (required) throw invalidInputs('feature_id is required');
    return undefined;
  }
  const ids = Array.isArray(value) ? value : [value];
  for (const id of ids) {
    if (typeof id !== 'string') throw invalidInputs('feature_id must be a string or an array of strings');
    requireFeature(ctx, id);
  }
  return ids as string[];
}

function customRange(body: Json): { start: number; end: number } | undefined {
  const range = optObj(body, 'custom_range');
  if (!range) return undefined;
  const start = optNum(range, 'start');
  const end = optNum(range, 'end');
  return { start: start ?? Number.NEGATIVE_INFINITY, end: end ?? Number.POSITIVE_INFINITY };
}

function allEvents(ctx: RouteContext, customerId: string | undefined): { customer: CustomerRecord; event: EventRecord }[] {
  const customers = customerId === undefined ? [...ctx.ledger.customers.values()] : [ctx.ledger.requireCustomer(customerId)];
  return customers.flatMap((customer) => customer.events.map((event) => ({ customer, event })));
}

const MAX_LIST_LIMIT = 5000;

/**
 * `events.list`, newest first, paged by an opaque cursor. Besides Autumn's filters (customer, entity, feature,
 * custom_range) it takes a stand-in extension `properties` (or `filter_by`): `{ thread_id: "t1" }`, which the SDK
 * does not send (use `events.aggregate`'s `filter_by` there) but a raw request can.
 */
const listEvents: Route = (ctx, body) => {
  const customerId = optStr(body, 'customer_id');
  const entityId = optStr(body, 'entity_id');
  const features = featureIds(ctx, body.feature_id, false);
  const range = customRange(body);
  const filter = optObj(body, 'properties') ?? optObj(body, 'filter_by');
  const limitValue = optNum(body, 'limit') ?? 50;
  const limit = Math.max(1, Math.min(MAX_LIST_LIMIT, Math.floor(limitValue)));
  const cursor = optStr(body, 'start_cursor') ?? '';
  const offset = cursor === '' ? 0 : Number.parseInt(cursor, 10);
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new StandInApiError(400, 'invalid_cursor', `Invalid cursor ${JSON.stringify(cursor)}`);
  }
  const matching = allEvents(ctx, customerId)
    .filter(({ event }) => entityId === undefined || event.entityId === entityId)
    .filter(({ event }) => !features || features.includes(event.featureId))
    .filter(({ event }) => !range || (event.timestamp >= range.start && event.timestamp < range.end))
    .filter(({ event }) => matchesProperties(event, filter))
    .sort((a, b) => b.event.timestamp - a.event.timestamp || (a.event.id < b.event.id ? 1 : -1));
  const page = matching.slice(offset, offset + limit);
  const next = offset + limit < matching.length ? String(offset + limit) : null;
  return ok({ list: page.map(({ customer, event }) => eventJson(ctx.ledger, customer, event)), next_cursor: next });
};

const DAY_MS = 24 * 60 * 60 * 1000;
const RANGE_MS: Record<string, number> = { '24h': DAY_MS, '7d': 7 * DAY_MS, '30d': 30 * DAY_MS, '90d': 90 * DAY_MS };
const DEFAULT_MAX_GROUPS = 9;
const MAX_BINS = 10_000;

function binStart(time: number, bin: string): number {
  const date = new Date(time);
  switch (bin) {
    case 'hour':
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), date.getUTCHours());
    case 'week': {
      const day = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
      return day - ((date.getUTCDay() + 6) % 7) * DAY_MS; // weeks start on Monday
    }
    case 'month':
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
    default:
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  }
}

function nextBin(start: number, bin: string): number {
  if (bin === 'hour') return start + 60 * 60 * 1000;
  if (bin === 'week') return start + 7 * DAY_MS;
  if (bin === 'month') {
    const date = new Date(start);
    return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
  }
  return start + DAY_MS;
}

/** The window of a `range` (or `custom_range`): rolling windows end now; billing cycles follow the plan grant. */
function aggregateWindow(ctx: RouteContext, body: Json, customer: CustomerRecord | undefined): { start: number; end: number } {
  const now = ctx.ledger.now();
  const custom = customRange(body);
  const range = optStr(body, 'range');
  if (custom && range) throw invalidInputs('Provide either range or custom_range, not both');
  if (custom) {
    if (!Number.isFinite(custom.start) || !Number.isFinite(custom.end) || custom.end <= custom.start) {
      throw invalidInputs('custom_range needs start < end (epoch ms)');
    }
    return custom;
  }
  const rolling = RANGE_MS[range ?? '30d'];
  if (rolling !== undefined) return { start: now - rolling, end: now + 1 };
  if (range === '1bc' || range === '3bc' || range === 'last_cycle') {
    const grant = customer?.grants.find((candidate) => candidate.source === 'plan' && candidate.interval !== 'one_off');
    if (!grant) return { start: now - RANGE_MS['30d']!, end: now + 1 };
    const current = cycleStart(grant);
    if (range === '1bc') return { start: current, end: now + 1 };
    const cycles = range === '3bc' ? 2 : 1;
    const earlier = { ...grant, cycle: Math.max(0, grant.cycle - cycles) };
    const start = grant.cycle - cycles < 0 ? grant.anchor - (cycles - grant.cycle) * 31 * DAY_MS : cycleStart(earlier);
    return { start, end: range === 'last_cycle' ? current : now + 1 };
  }
  throw invalidInputs(`range must be one of 24h, 7d, 30d, 90d, last_cycle, 1bc, 3bc; got ${JSON.stringify(range)}`);
}

function groupValue(event: EventRecord, groupBy: string): string | undefined {
  if (groupBy === '$customer_id') return event.customerId;
  if (groupBy === '$entity_id') return event.entityId ?? undefined;
  if (groupBy === '$feature_id') return event.featureId;
  const value = event.properties[propertyKey(groupBy)];
  return value === undefined || value === null ? undefined : String(value);
}

/**
 * `events.aggregate`: sums per time bin (`list`), `total` per feature, and with `group_by` (`properties.thread_id`)
 * the sums per group value. `filter_by: { thread_id: "t1" }` keeps only that thread's events.
 */
const aggregateEvents: Route = (ctx, body) => {
  const ledger = ctx.ledger;
  const customerId = optStr(body, 'customer_id');
  const customer = customerId === undefined ? undefined : ledger.requireCustomer(customerId);
  const features = featureIds(ctx, body.feature_id, true)!;
  const entityId = optStr(body, 'entity_id');
  const filter = optObj(body, 'filter_by');
  const groupBy = optStr(body, 'group_by');
  const maxGroups = Math.max(1, Math.floor(optNum(body, 'max_groups') ?? DEFAULT_MAX_GROUPS));
  const bin = optStr(body, 'bin_size') ?? (body.range === '24h' ? 'hour' : 'day');
  if (!['hour', 'day', 'week', 'month'].includes(bin)) throw invalidInputs(`bin_size must be hour, day, week or month`);
  const window = aggregateWindow(ctx, body, customer);

  const bins: { period: number; sums: Map<string, Units>; groups: Map<string, Map<string, Units>> }[] = [];
  for (let start = binStart(window.start, bin); start < window.end; start = nextBin(start, bin)) {
    bins.push({ period: start, sums: new Map(), groups: new Map() });
    if (bins.length > MAX_BINS) throw invalidInputs('The range holds too many bins for this bin_size');
  }
  const totals = new Map<string, { count: number; sum: Units }>(features.map((id) => [id, { count: 0, sum: 0n }]));

  for (const { event } of allEvents(ctx, customerId)) {
    if (!features.includes(event.featureId)) continue;
    if (event.timestamp < window.start || event.timestamp >= window.end) continue;
    if (entityId !== undefined && event.entityId !== entityId) continue;
    if (!matchesProperties(event, filter)) continue;
    const total = totals.get(event.featureId)!;
    total.count += 1;
    total.sum += event.units;
    const periodStart = binStart(event.timestamp, bin);
    const target = bins.find((candidate) => candidate.period === periodStart);
    if (!target) continue;
    target.sums.set(event.featureId, (target.sums.get(event.featureId) ?? 0n) + event.units);
    if (groupBy !== undefined) {
      const group = groupValue(event, groupBy);
      if (group === undefined) continue;
      const byGroup = target.groups.get(event.featureId) ?? new Map<string, Units>();
      byGroup.set(group, (byGroup.get(group) ?? 0n) + event.units);
      target.groups.set(event.featureId, byGroup);
    }
  }

  const list = bins.map((entry) => {
    const values = Object.fromEntries(features.map((id) => [id, ledger.toCredits(entry.sums.get(id) ?? 0n)]));
    if (groupBy === undefined) return { period: entry.period, values };
    const grouped: Record<string, Record<string, number>> = {};
    for (const id of features) {
      const byGroup = [...(entry.groups.get(id) ?? new Map<string, Units>()).entries()].sort((a, b) => (a[1] > b[1] ? -1 : a[1] < b[1] ? 1 : 0));
      const kept = byGroup.slice(0, maxGroups);
      const other = byGroup.slice(maxGroups).reduce((sum, [, units]) => sum + units, 0n);
      grouped[id] = Object.fromEntries(kept.map(([key, units]) => [key, ledger.toCredits(units)]));
      if (byGroup.length > maxGroups) grouped[id]!.Other = ledger.toCredits(other);
    }
    return { period: entry.period, values, grouped_values: grouped };
  });
  const total = Object.fromEntries([...totals.entries()].map(([id, { count, sum }]) => [id, { count, sum: ledger.toCredits(sum) }]));
  return ok({ list, total });
};

export const ROUTES: Readonly<Record<string, Route>> = {
  'customers.get_or_create': getOrCreateCustomer,
  'customers.get': getCustomer,
  'balances.check': check,
  'balances.track': track,
  'balances.finalize': finalize,
  'billing.attach': attach,
  'plans.list': listPlans,
  'events.list': listEvents,
  'events.aggregate': aggregateEvents,
};
