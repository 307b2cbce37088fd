/**
 * The Autumn 1.x operations the stand-in serves, one function per `/v1/<operation>`. Each runs synchronously
 * against the ledger (read, check and write of a balance in one go), so concurrent requests are atomic.
 */
import type { CreditPlan } from '../../core/config.js';
import { checkPurchaseLimitCounts, parseBillingControls, type CustomerControls, type EntityControls } from './controls.js';
import { customerNotFound, featureNotFound, invalidInputs, invalidRequest, received, StandInApiError } from './errors.js';
import {
  cycleStart,
  nextResetAt,
  Ledger,
  type CustomerRecord,
  type EntityRecord,
  type EventRecord,
  type DeductionItem,
  type LockOverageBehavior,
  type Units,
} from './ledger.js';
import type { ApiVersion } from './version.js';
import { balanceJson, customerJson, entityJson, eventJson, planJson, trackDeductionsJson } from './wire.js';

type Json = Record<string, unknown>;

export interface RouteContext {
  readonly ledger: Ledger;
  /** Origin the request arrived at, for checkout URLs. */
  readonly origin: string;
  readonly autoCreateCustomers: boolean;
  readonly autoCompleteCheckout: boolean;
  /** Event names that address the credit feature in `track` (its `event_names`). */
  readonly eventNames: readonly string[];
  /** Non-consumable features entities may be created for (`entities.create` `feature_id`). */
  readonly entityFeatures: readonly string[];
  /** The `x-api-version` the request asked for (2.3+ tags billing controls with their `source`). */
  readonly apiVersion: ApiVersion;
  /** A 0.x (API 1.2) request run through a 1.x operation: Autumn 1.2 creates entities on the fly, so an unknown `entity_id` is not refused. */
  readonly legacy?: boolean;
}

export interface RouteResult {
  status: number;
  body: unknown;
}

/** Claims a body `idempotency_key` for the rest of this request (released if the request fails). */
type ClaimKey = (key: string) => void;

type Route = (ctx: RouteContext, body: Json, claimKey: ClaimKey) => RouteResult;

const ok = (body: unknown, status = 200): RouteResult => ({ status, body });

// ------------------------------------------------------------------ input helpers

/** Autumn's message for a required string: "plan_id: must be a string (received undefined)". */
function stringIssue(body: Json, field: string): string | null {
  const value = body[field];
  if (typeof value !== 'string') return `${field}: must be a string (received ${received(value)})`;
  if (value.length === 0) return `${field}: cannot be empty`;
  return null;
}

export function str(body: Json, field: string): string {
  const issue = stringIssue(body, field);
  if (issue !== null) throw invalidInputs(issue);
  return body[field] as string;
}

/** Several required strings at once, failing as Autumn's validator does: one issue, or "[Validation Errors] a; b". */
function strs<const K extends string>(body: Json, ...fields: K[]): Record<K, string> {
  const issues = fields.map((field) => stringIssue(body, field)).filter((issue): issue is string => issue !== null);
  if (issues.length === 1) throw invalidInputs(issues[0]!);
  if (issues.length > 1) throw invalidInputs(`[Validation Errors] ${issues.join('; ')}`);
  return Object.fromEntries(fields.map((field) => [field, body[field]])) as Record<K, string>;
}

export function optStr(body: Json, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidInputs(`${field}: must be a string (received ${received(value)})`);
  return value;
}

export function optObj(body: Json, field: string): Json | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidInputs(`${field}: must be an object (received ${received(value)})`);
  return value as Json;
}

export function optNum(body: Json, field: string): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidInputs(`${field}: must be a number (received ${received(value)})`);
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

/** Autumn's `lock` params: `enabled` the literal `true`, `lock_id` 1..256 chars, `expires_at` epoch ms. */
function lockParams(body: Json) {
  const lock = optObj(body, 'lock');
  if (!lock) return null;
  if (lock.enabled !== true) throw invalidInputs('lock.enabled: Invalid input: expected true');
  const id = lock.lock_id;
  if (typeof id !== 'string') throw invalidInputs(`lock.lock_id: must be a string (received ${id === undefined ? 'undefined' : typeof id})`);
  if (id.length > 256) throw invalidInputs('lock.lock_id: Too big: expected string to have <=256 characters');
  const expiresAt = optNum(lock, 'expires_at') ?? null;
  return { id, expiresAt, behavior: Ledger.lockBehavior(lock.overage_behavior) };
}

/** Customer ids on the `customers.*` routes (Autumn's CustomerIdSchema); track and check take any string. */
const CUSTOMER_ID = /^[a-zA-Z0-9_:-]+$/;

export function customerIdParam(value: unknown): string {
  if (typeof value !== 'string') throw invalidInputs(`customer_id: must be a string (received ${value === undefined ? 'undefined' : typeof value})`);
  if (value === '') throw invalidInputs("customer_id: can't be an empty string");
  if (!CUSTOMER_ID.test(value)) {
    const rest = 'Use only letters, numbers, underscores, hyphens, and colons.';
    const what = value.includes('@') ? 'cannot contain @ symbol' : /\s/.test(value) ? 'cannot contain spaces' : value.includes('.') ? 'cannot contain periods' : `cannot contain '${[...value].find((c) => !/[a-zA-Z0-9_:-]/.test(c))}'`;
    throw invalidInputs(`customer_id: ${what}. ${rest}`);
  }
  return value;
}

/** Autumn validates emails with zod's `z.email({ pattern: z.regexes.unicodeEmail })`. */
const EMAIL = /^[^\s@"]{1,64}@[^\s@]{1,255}$/u;

export function emailParam(body: Json): string | undefined {
  const email = optStr(body, 'email');
  if (email !== undefined && !EMAIL.test(email)) throw invalidInputs('email: not a valid email address');
  return email;
}

// ------------------------------------------------------------------ customers

const getOrCreateCustomer: Route = (ctx, body) => {
  if (body.customer_id === null) throw invalidInputs('customer_id: the stand-in does not create anonymous customers (null id)');
  const id = customerIdParam(body.customer_id);
  const email = emailParam(body);
  const expand = Array.isArray(body.expand) ? body.expand.filter((item): item is string => typeof item === 'string') : [];
  const receipts = body.send_email_receipts;
  if (receipts !== undefined && receipts !== null && typeof receipts !== 'boolean') {
    throw invalidInputs(`send_email_receipts: must be a boolean (received ${received(receipts)})`);
  }
  let customer = ctx.ledger.getCustomer(id);
  if (!customer) {
    const planId = optStr(body, 'auto_enable_plan_id');
    if (planId !== undefined && ctx.ledger.requirePlan(planId).price > 0) {
      throw invalidRequest("Auto-enable plan must be a free product, or have a free trial with 'card_required' as false");
    }
    const controls = body.billing_controls === undefined || body.billing_controls === null ? null : parseBillingControls(body.billing_controls, 'customer');
    customer = ctx.ledger.createCustomer(id, {
      name: optStr(body, 'name') ?? null,
      email: email ?? null,
      metadata: optObj(body, 'metadata') ?? null,
      ...(planId === undefined ? {} : { planId }),
    });
    // Billing controls given at creation are stored with it (CustomerDataSchema); later ones go through
    // `customers.update`.
    if (controls) applyCustomerControls(ctx, customer, controls);
  } else {
    // Autumn fills in a name / email given later for a customer that had none; metadata and plans only apply at
    // creation.
    customer.name ??= optStr(body, 'name') ?? null;
    customer.email ??= email ?? null;
  }
  if (typeof receipts === 'boolean') customer.sendEmailReceipts = receipts;
  return ok(customerJson(ctx.ledger, customer, expand, ctx.apiVersion));
};

const getCustomer: Route = (ctx, body) => {
  const customer = ctx.ledger.requireCustomer(customerIdParam(body.customer_id));
  const expand = Array.isArray(body.expand) ? body.expand.filter((item): item is string => typeof item === 'string') : [];
  return ok(customerJson(ctx.ledger, customer, expand, ctx.apiVersion));
};

/** Stores parsed controls on a customer: each list given replaces the stored one, the others stay (updateCustomer.ts). */
function applyCustomerControls(ctx: RouteContext, customer: CustomerRecord, parsed: { patch: CustomerControls; counts: ReturnType<typeof parseBillingControls>['counts'] }): void {
  const ledger = ctx.ledger;
  const before = customer.controls.auto_topups ?? [];
  customer.controls = { ...customer.controls, ...parsed.patch };
  for (const [featureId, { count }] of parsed.counts) {
    const config = parsed.patch.auto_topups?.find((entry) => entry.feature_id === featureId);
    if (config && featureId === ledger.config.featureId) ledger.setAutoTopUpCount(customer, config, count);
  }
  // Enabling an auto top-up (from absent or disabled) queues one at once; the job buys only if the balance is at or
  // below the threshold (triggerAutoTopUpsOnEnabled.ts). Editing an enabled one queues nothing.
  const enabled = parsed.patch.auto_topups?.find((entry) => entry.enabled && entry.feature_id === ledger.config.featureId);
  if (enabled && !before.some((entry) => entry.feature_id === enabled.feature_id && entry.enabled)) ledger.triggerAutoTopUp(customer, true);
}

/** Customer fields `customers.update` takes that the stand-in does not model: refused by name, not ignored. */
const UNMODELLED_CUSTOMER_FIELDS = ['new_customer_id', 'stripe_id', 'fingerprint', 'currency', 'config', 'processors'] as const;

/**
 * `customers.update` (handleUpdateCustomerV2.ts, updateCustomer.ts): name and email (null clears them), metadata
 * merged (a null value deletes its key), `send_email_receipts`, and `billing_controls` — each list given replaces the
 * stored one, the others are kept, `[]` clears one. Validation (400 invalid_inputs) before the customer is looked up (404), the purchase-limit
 * count rule (400 invalid_request) after. Answers the customer.
 */
const updateCustomer: Route = (ctx, body) => {
  const id = customerIdParam(body.customer_id);
  const email = emailParam(body);
  const name = body.name === null ? null : optStr(body, 'name');
  const metadata = body.metadata === null ? null : optObj(body, 'metadata');
  const receipts = body.send_email_receipts;
  if (receipts !== undefined && typeof receipts !== 'boolean') throw invalidInputs(`send_email_receipts: must be a boolean (received ${received(receipts)})`);
  const controls = body.billing_controls === undefined ? null : parseBillingControls(body.billing_controls, 'customer');
  for (const field of UNMODELLED_CUSTOMER_FIELDS) {
    if (body[field] !== undefined && body[field] !== null) throw invalidRequest(`The Autumn stand-in does not model customers.update ${field}`);
  }
  const customer = ctx.ledger.customers.get(id);
  if (!customer) throw customerNotFound(id);
  if (controls) checkPurchaseLimitCounts(controls.counts);
  if (name !== undefined) customer.name = name;
  if (body.email !== undefined) customer.email = email ?? null;
  if (metadata) {
    for (const [key, value] of Object.entries(metadata)) {
      if (value === null) delete customer.metadata[key];
      else customer.metadata[key] = value;
    }
  }
  if (typeof receipts === 'boolean') customer.sendEmailReceipts = receipts;
  if (controls) applyCustomerControls(ctx, customer, controls);
  return ok(customerJson(ctx.ledger, customer, [], ctx.apiVersion));
};

// ------------------------------------------------------------------ entities

const entityNotFound = (entityId: string): StandInApiError => new StandInApiError(404, 'entity_not_found', `Entity ${entityId} not found`);

/**
 * The entity a `check` / `track` names: none without `entity_id`; an unknown one is Autumn's 404
 * `entity_not_found` (getOrSetCachedFullSubject.ts) — except for 0.x (API 1.2) clients, for which Autumn creates
 * entities on the fly: the stand-in treats theirs as entities without controls.
 */
function entityFor(ctx: RouteContext, customer: CustomerRecord, entityId: string | null): EntityRecord | null {
  if (entityId === null) return null;
  const entity = customer.entities.get(entityId);
  if (entity) return entity;
  if (ctx.legacy) return null;
  throw entityNotFound(entityId);
}

/** The customer that holds an entity: `customer_id` when given (404 if unknown), else the one whose entity it is. */
function entityOwner(ctx: RouteContext, body: Json, entityId: string): CustomerRecord {
  const customerId = optStr(body, 'customer_id');
  if (customerId !== undefined) return ctx.ledger.requireCustomer(customerId);
  for (const customer of ctx.ledger.customers.values()) if (customer.entities.has(entityId)) return customer;
  throw new StandInApiError(404, 'customer_not_found', `No customer found for entity '${entityId}'. Pass customer_id to identify the customer.`);
}

/**
 * `entities.create` (handleCreateEntityV2.ts, getInputEntities.ts): an entity of the customer for a non-consumable
 * feature (the stand-in's `entityFeatures`; the credit feature is consumable: 400), with its billing controls. A
 * held id is 409 `entity_already_exists`. Not modelled: seats counted on the entity's feature, plans attached to
 * entities, `customer_data` creating the customer.
 */
const createEntity: Route = (ctx, body) => {
  const ids = strs(body, 'customer_id', 'entity_id', 'feature_id');
  const name = body.name === null ? null : optStr(body, 'name');
  const controls = body.billing_controls === undefined ? null : parseBillingControls(body.billing_controls, 'entity');
  const customer = ctx.ledger.requireCustomer(ids.customer_id);
  if (ids.feature_id === ctx.ledger.config.featureId) {
    throw invalidRequest(
      `Feature '${ids.feature_id}' is consumable (e.g. credits, API calls). Entities can only be created for non-consumable features (e.g. seats).`,
    );
  }
  if (!ctx.entityFeatures.includes(ids.feature_id)) throw featureNotFound(ids.feature_id);
  if (customer.entities.has(ids.entity_id)) throw new StandInApiError(409, 'entity_already_exists', `Entity ${ids.entity_id} already exists`);
  const entity: EntityRecord = {
    id: ids.entity_id,
    customerId: customer.id,
    name: name ?? null,
    featureId: ids.feature_id,
    createdAt: ctx.ledger.now(),
    controls: controls?.patch ?? {},
  };
  customer.entities.set(entity.id, entity);
  return ok(entityJson(ctx.ledger, customer, entity));
};

const getEntity: Route = (ctx, body) => {
  const entityId = str(body, 'entity_id');
  const customer = entityOwner(ctx, body, entityId);
  const entity = customer.entities.get(entityId);
  if (!entity) throw entityNotFound(entityId);
  return ok(entityJson(ctx.ledger, customer, entity));
};

/** `entities.update` (updateEntity.ts): each controls list given replaces the entity's; answers the entity. */
const updateEntity: Route = (ctx, body) => {
  const entityId = str(body, 'entity_id');
  const controls = body.billing_controls === undefined ? null : parseBillingControls(body.billing_controls, 'entity');
  const customer = entityOwner(ctx, body, entityId);
  const entity = customer.entities.get(entityId);
  if (!entity) throw entityNotFound(entityId);
  if (controls) entity.controls = { ...entity.controls, ...(controls.patch as EntityControls) };
  return ok(entityJson(ctx.ledger, customer, entity));
};

/** `entities.delete`: the entity goes (its usage-window counters with it); `{ success: true }`. */
const deleteEntity: Route = (ctx, body) => {
  const entityId = str(body, 'entity_id');
  const customer = entityOwner(ctx, body, entityId);
  if (!customer.entities.delete(entityId)) throw entityNotFound(entityId);
  for (const key of [...customer.windows.keys()]) if (key.startsWith(`entity:${entityId}|`)) customer.windows.delete(key);
  return ok({ success: true });
};

// ------------------------------------------------------------------ balances

const check: Route = (ctx, body) => {
  const customerId = str(body, 'customer_id');
  const featureId = str(body, 'feature_id');
  requireFeature(ctx, featureId);
  const entityId = optStr(body, 'entity_id') ?? null;
  const required = body.required_balance ?? body.required_quantity ?? 1;
  const requiredUnits = ctx.ledger.parseAmount(required, 'required_balance');
  const properties = optObj(body, 'properties') ?? {};
  const lock = lockParams(body);
  const customer = customerFor(ctx, customerId);
  const ledger = ctx.ledger;
  const subject = { customer, entity: entityFor(ctx, customer, entityId), properties };
  // Every check looks at the auto top-up first, on the balance as it is (getCheckDataV2.ts → triggerAutoTopUp).
  ledger.triggerAutoTopUp(customer);

  let allowed: boolean;
  if (lock) {
    allowed = ledger.createLock(customer, {
      id: lock.id,
      featureId,
      entityId,
      units: requiredUnits,
      behavior: lock.behavior,
      expiresAt: lock.expiresAt,
      properties,
    }).allowed;
  } else if (customer.grants.length === 0) {
    allowed = false;
  } else if (body.send_event === true) {
    // Autumn runs a track of `required_balance` with its internal `reject`: all or nothing, billing controls included.
    const { moved, items } = ledger.consume(subject, requiredUnits, 'reject');
    allowed = moved !== null;
    if (allowed) ledger.recordEvent(customer, { featureId, entityId, units: requiredUnits, properties, items });
  } else {
    // A usage limit without the headroom, a spend limit without the overage room, or too little left refuses it.
    // The answer does not say which: the balance and the controls (customers.get) do.
    allowed = ledger.allowedFor(subject, requiredUnits).allowed;
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

function overageBehavior(body: Json): LockOverageBehavior {
  const value = body.overage_behavior;
  if (value === undefined || value === null) return 'cap';
  if (value === 'cap' || value === 'overflow' || value === 'reject') return value;
  throw invalidInputs('overage_behavior: must be one of: cap, overflow');
}

/** The feature a track addresses: `feature_id`, or the features whose `event_names` hold `event_name` (exactly one). */
function trackFeature(ctx: RouteContext, body: Json): { featureId: string; eventName: string | undefined } {
  const featureId = optStr(body, 'feature_id');
  const eventName = optStr(body, 'event_name');
  if ((featureId === undefined) === (eventName === undefined)) {
    throw invalidInputs('input: Either feature_id or event_name must be provided');
  }
  if (featureId !== undefined) {
    requireFeature(ctx, featureId);
    return { featureId, eventName };
  }
  if (eventName === '') throw invalidInputs('event_name: cannot be empty');
  if (!ctx.eventNames.includes(eventName!)) {
    throw new StandInApiError(404, 'invalid_request', `No features found for event name: ${eventName}`);
  }
  return { featureId: ctx.ledger.config.featureId, eventName };
}

/** `timestamp`: a positive integer of epoch ms, not in the future. */
function trackTimestamp(ctx: RouteContext, body: Json): number | undefined {
  const timestamp = optNum(body, 'timestamp');
  if (timestamp === undefined) return undefined;
  if (!Number.isSafeInteger(timestamp) || timestamp <= 0) throw invalidInputs('timestamp: must be a positive integer (epoch ms)');
  if (timestamp > ctx.ledger.now()) throw invalidInputs('timestamp: timestamp cannot be in the future');
  return timestamp;
}

const track: Route = (ctx, body, claimKey) => {
  const ledger = ctx.ledger;
  const customerId = str(body, 'customer_id');
  const { featureId, eventName } = trackFeature(ctx, body);
  const idempotencyKey = optStr(body, 'idempotency_key');
  const behavior = overageBehavior(body);
  if (behavior === 'reject' && eventName !== undefined) {
    throw invalidRequest('overage_behavior "reject" is not supported with event_name. Use feature_id or set overage_behavior to "cap".');
  }
  const value = body.value ?? 1;
  const units = ledger.parseAmount(value, 'value');
  const entityId = optStr(body, 'entity_id') ?? null;
  const properties = optObj(body, 'properties') ?? {};
  const timestamp = trackTimestamp(ctx, body);
  // Autumn claims the body key after validation and the feature look-up, before anything is applied.
  if (idempotencyKey !== undefined) claimKey(idempotencyKey);
  const echo = { customer_id: customerId, ...(entityId === null ? {} : { entity_id: entityId }), ...(eventName === undefined ? {} : { event_name: eventName }) };

  const apply = (customer: CustomerRecord, entity: EntityRecord | null) => {
    if (customer.grants.length === 0) {
      // No grant of the feature: Autumn records the event and moves nothing (balance null, no deductions).
      ledger.recordEvent(customer, { featureId, entityId, units, properties, ...(timestamp === undefined ? {} : { timestamp }) });
      return [];
    }
    // Usage limits clamp what exceeds their window under `cap` and refuse it under `reject` (insufficient_balance),
    // as a spend limit does the overage; the event carries the value asked for either way.
    const { moved, items } = ledger.consume({ customer, entity, properties }, units, behavior);
    if (moved === null) throw new StandInApiError(400, 'insufficient_balance', `Insufficient balance to deduct ${String(value)} from feature ${featureId}`);
    ledger.recordEvent(customer, { featureId, entityId, units, properties, ...(timestamp === undefined ? {} : { timestamp }), items });
    return items;
  };

  if (body.async === true) {
    // Autumn checks the feature, queues the track and answers 202 before the balance is known; its worker
    // applies it later (here: after `asyncTrackDelayMs`, or at `flush()`).
    ledger.enqueue(() => {
      const customer = ledger.getCustomer(customerId) ?? (ctx.autoCreateCustomers ? ledger.createCustomer(customerId) : undefined);
      if (customer) apply(customer, entityFor(ctx, customer, entityId));
    });
    return ok({ ...echo, value, balance: null }, 202);
  }
  const customer = customerFor(ctx, customerId);
  const entity = entityFor(ctx, customer, entityId);
  const lock = lockParams(body);
  let items: readonly DeductionItem[];
  if (lock) {
    // A track with a lock holds the value like a check with a lock (under the lock's, else the track's, behaviour).
    const behaviorOfLock = (optObj(body, 'lock')?.overage_behavior ?? null) === null ? behavior : lock.behavior;
    const held = ledger.createLock(customer, { id: lock.id, featureId, entityId, units, behavior: behaviorOfLock, expiresAt: lock.expiresAt, properties });
    if (!held.allowed) throw new StandInApiError(400, 'insufficient_balance', `Insufficient balance to deduct ${String(value)} from feature ${featureId}`);
    items = held.lock?.items ?? [];
  } else {
    items = apply(customer, entity);
  }
  return ok({ ...echo, value, balance: balanceJson(ledger, customer), deductions: trackDeductionsJson(ledger, customer, items) });
};

const finalize: Route = (ctx, body) => {
  const lockId = body.lock_id;
  if (typeof lockId !== 'string') throw invalidInputs(`lock_id: must be a string (received ${lockId === undefined ? 'undefined' : typeof lockId})`);
  const action = body.action;
  if (action !== 'confirm' && action !== 'release') throw invalidInputs('action: must be one of: confirm, release');
  const override = optNum(body, 'override_value');
  if (override !== undefined && action === 'release') {
    throw invalidInputs('override_value: override_value cannot be provided when action is release');
  }
  const properties = optObj(body, 'properties');
  ctx.ledger.finalizeLock(lockId, {
    action,
    ...(override === undefined ? {} : { overrideUnits: ctx.ledger.toUnits(override) }),
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
  const ids = strs(body, 'customer_id', 'plan_id');
  const customer = customerFor(ctx, ids.customer_id);
  const plan = ledger.requirePlan(ids.plan_id);
  if (plan.kind !== 'top_up' && customer.subscription?.planId === plan.id) {
    throw new StandInApiError(
      409,
      'plan_already_attached',
      `Cannot attach because the customer's current product '${plan.name}' is the same as the product being attached`,
    );
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
    const record = ledger.recordInvoice(customer, plan.id, plan.price * packs);
    const invoice = { status: record.status, stripe_id: record.stripeId, total: record.total, currency: record.currency, hosted_invoice_url: null };
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

/** A property path segment, as Autumn's analytics queries allow them. */
const PROPERTY_SEGMENT = /^[a-zA-Z0-9_]+$/;

function propertyPath(path: string): string[] {
  const segments = path.split('.');
  if (!segments.every((segment) => PROPERTY_SEGMENT.test(segment))) {
    throw invalidInputs('Invalid property path. Should only contain alphanumeric and underscore characters.');
  }
  return segments;
}

function propertyAt(properties: Record<string, unknown>, path: readonly string[]): unknown {
  let value: unknown = properties;
  for (const segment of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/** `filter_by`: bare property keys (`{ thread_id: "t1" }`), at most 5. */
function filterBy(body: Json): Array<[string[], string]> | undefined {
  const filter = optObj(body, 'filter_by');
  if (!filter) return undefined;
  const entries = Object.entries(filter);
  if (entries.length > 5) throw invalidInputs('filter_by: filter_by supports a maximum of 5 filters');
  return entries.map(([key, value]) => {
    if (typeof value !== 'string') throw invalidInputs(`filter_by.${key}: must be a string (received ${typeof value})`);
    return [propertyPath(key), value];
  });
}

function matchesFilter(event: EventRecord, filter: Array<[string[], string]> | undefined): boolean {
  if (!filter) return true;
  return filter.every(([path, expected]) => {
    const actual = propertyAt(event.properties, path);
    return actual !== undefined && actual !== null && String(actual) === expected;
  });
}

function featureIds(value: unknown, required: boolean): string[] | undefined {
  if (value === undefined || value === null) {
    if (required) throw invalidInputs('feature_id: Invalid input');
    return undefined;
  }
  const ids = Array.isArray(value) ? value : [value];
  if (ids.length === 0 || !ids.every((id) => typeof id === 'string' && id.length > 0)) throw invalidInputs('feature_id: Invalid input');
  // Autumn does not check that the features exist: an unknown one just has no events.
  return ids as string[];
}

/** Events that have reached Autumn's analytics store (see `eventDelayMs`). */
function visibleEvents(ctx: RouteContext, customers: Iterable<CustomerRecord>): { customer: CustomerRecord; event: EventRecord }[] {
  const found: { customer: CustomerRecord; event: EventRecord }[] = [];
  for (const customer of customers) {
    for (const event of customer.events) if (ctx.ledger.reached(event.visibleAt)) found.push({ customer, event });
  }
  return found;
}

const DEFAULT_LIST_LIMIT = 50;
const MAX_LIST_LIMIT = 5000;

/** Autumn's keyset cursor: base64url of `{ v: 0, id, t }`, the last event of a page. */
function encodeCursor(event: EventRecord): string {
  const bytes = new TextEncoder().encode(JSON.stringify({ v: 0, id: event.id, t: event.timestamp * 1000 }));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function decodeCursor(cursor: string): { id: string; t: number } | null {
  if (cursor === '') return null;
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new StandInApiError(400, 'invalid_cursor', 'cursor is not valid base64url');
  let payload: unknown;
  try {
    const binary = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
    payload = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
  } catch {
    throw new StandInApiError(400, 'invalid_cursor', 'cursor payload is not valid JSON');
  }
  const shape = payload as { v?: unknown; id?: unknown; t?: unknown } | null;
  if (!shape || shape.v !== 0 || typeof shape.id !== 'string' || typeof shape.t !== 'number') {
    throw new StandInApiError(400, 'invalid_cursor', 'cursor shape mismatch: expected { v: 0, id, t }');
  }
  return { id: shape.id, t: shape.t / 1000 };
}

/** Newest first, then by id (descending), as Autumn orders events. */
function newestFirst(a: EventRecord, b: EventRecord): number {
  return b.timestamp - a.timestamp || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/**
 * `events.list` (API 2.3+ shape): newest first, paged by a keyset cursor, filters on customer, entity, feature,
 * `custom_range` (inclusive bounds) and `filter_by`. An unknown customer is an empty list, as on Autumn.
 */
const listEvents: Route = (ctx, body) => {
  const customerId = optStr(body, 'customer_id');
  const entityId = optStr(body, 'entity_id');
  const features = featureIds(body.feature_id, false);
  const range = optObj(body, 'custom_range');
  const start = range ? (optNum(range, 'start') ?? Number.NEGATIVE_INFINITY) : Number.NEGATIVE_INFINITY;
  const end = range ? (optNum(range, 'end') ?? Number.POSITIVE_INFINITY) : Number.POSITIVE_INFINITY;
  const filter = filterBy(body);
  const limitValue = optNum(body, 'limit') ?? DEFAULT_LIST_LIMIT;
  if (!Number.isInteger(limitValue) || limitValue < 1 || limitValue > MAX_LIST_LIMIT) {
    throw invalidInputs(`limit: must be an integer from 1 to ${MAX_LIST_LIMIT}`);
  }
  const after = decodeCursor(optStr(body, 'start_cursor') ?? '');
  const customers =
    customerId === undefined ? ctx.ledger.customers.values() : [ctx.ledger.getCustomer(customerId)].filter((c): c is CustomerRecord => c !== undefined);
  const matching = visibleEvents(ctx, customers)
    .filter(({ event }) => entityId === undefined || event.entityId === entityId)
    .filter(({ event }) => !features || features.includes(event.featureId))
    .filter(({ event }) => event.timestamp >= start && event.timestamp <= end)
    .filter(({ event }) => matchesFilter(event, filter))
    .filter(({ event }) => !after || event.timestamp < after.t || (event.timestamp === after.t && event.id < after.id))
    .sort((a, b) => newestFirst(a.event, b.event));
  const page = matching.slice(0, limitValue);
  const last = page[page.length - 1];
  const next = matching.length > limitValue && last ? encodeCursor(last.event) : null;
  return ok({ list: page.map(({ customer, event }) => eventJson(ctx.ledger, customer, event)), next_cursor: next });
};

const DAY_MS = 24 * 60 * 60 * 1000;
const RANGE_MS: Record<string, number> = { '24h': DAY_MS, '7d': 7 * DAY_MS, '30d': 30 * DAY_MS, '90d': 90 * DAY_MS };
const RANGES = ['24h', '7d', '30d', '90d', 'last_cycle', '1bc', '3bc'];
const DEFAULT_MAX_GROUPS = 9;
const MAX_BINS = 10_000;
const GROUP_COLUMNS = ['$customer_id', '$entity_id', '$plan_id', '$feature_id'];
/** The group Autumn's aggregate pipe sums the groups beyond `max_groups` into. */
export const OVERFLOW_GROUP = 'AUTUMN_RESERVED';

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

/**
 * The window of a `range` (default `1bc`) or `custom_range`. Rolling windows end now. `1bc` / `3bc` are one or three
 * billing cycles long, ending now (not the current period: Autumn takes the cycle's length); `last_cycle` is the
 * previous period. A customer without a resetting plan (or no customer) falls back to one day, as on Autumn.
 */
function aggregateWindow(ctx: RouteContext, body: Json, customer: CustomerRecord | undefined): { start: number; end: number } {
  const now = ctx.ledger.now();
  const custom = optObj(body, 'custom_range');
  const range = optStr(body, 'range');
  if (range !== undefined && !RANGES.includes(range)) throw invalidInputs(`range: must be one of: ${RANGES.join(', ')}`);
  if (custom) {
    const start = custom.start;
    const end = custom.end;
    if (typeof start !== 'number' || typeof end !== 'number') throw invalidInputs('custom_range: start and end must be numbers (epoch ms)');
    if (range !== undefined && start && end) throw invalidInputs('custom_range.range: Only one of range or custom_range may be provided');
    if (!(start < end)) throw invalidInputs('custom_range: start must be before end');
    return { start, end };
  }
  const rolling = RANGE_MS[range ?? '1bc'];
  if (rolling !== undefined) return { start: now - rolling, end: now + 1 };
  const grant = customer?.grants.find((candidate) => candidate.source === 'plan' && candidate.interval !== 'one_off');
  if (!grant) return { start: now - DAY_MS, end: now + 1 };
  const current = cycleStart(grant);
  const cycle = nextResetAt(grant)! - current;
  if (range === 'last_cycle') {
    if (grant.cycle === 0) return { start: current, end: now + 1 };
    return { start: cycleStart({ ...grant, cycle: grant.cycle - 1 }), end: current };
  }
  return { start: now - (range === '3bc' ? 3 : 1) * cycle, end: now + 1 };
}

function groupBy(body: Json): string | undefined {
  const value = optStr(body, 'group_by');
  if (value === undefined) return undefined;
  if (value.startsWith('properties.')) {
    propertyPath(value.slice('properties.'.length));
    return value;
  }
  if (!GROUP_COLUMNS.includes(value)) {
    throw invalidInputs('group_by: group_by must start with "properties." or be "$customer_id", "$entity_id", "$plan_id", or "$feature_id"');
  }
  if (value === '$feature_id' && body.aggregate_on !== 'deducted') {
    throw invalidInputs('group_by: group_by "$feature_id" requires aggregate_on to be "deducted"');
  }
  return value;
}

function groupValue(customer: CustomerRecord, event: EventRecord, group: string): string | undefined {
  if (group === '$customer_id') return event.customerId;
  if (group === '$entity_id') return event.entityId ?? undefined;
  if (group === '$feature_id') return event.featureId;
  if (group === '$plan_id') {
    const grant = customer.grants.find((candidate) => candidate.id === event.items[0]?.grantId);
    return grant?.planId;
  }
  const value = propertyAt(event.properties, group.slice('properties.'.length).split('.'));
  return value === undefined || value === null ? undefined : String(value);
}

/**
 * `events.aggregate`: sums per time bin (`list`, every bin zero-filled, none in the future), `total` per feature
 * with events, and with `group_by` (`properties.thread_id`) the sums per group value, the top `max_groups` kept and
 * the rest as `Other`. `filter_by: { thread_id: "t1" }` keeps only that thread's events.
 */
const aggregateEvents: Route = (ctx, body) => {
  const ledger = ctx.ledger;
  const customerId = optStr(body, 'customer_id');
  const customer = customerId === undefined ? undefined : ledger.requireCustomer(customerId);
  const features = featureIds(body.feature_id, true)!;
  const entityId = optStr(body, 'entity_id');
  const filter = filterBy(body);
  const group = groupBy(body);
  const maxGroupsValue = optNum(body, 'max_groups') ?? DEFAULT_MAX_GROUPS;
  if (!Number.isInteger(maxGroupsValue) || maxGroupsValue < 1 || maxGroupsValue > 250) throw invalidInputs('max_groups: must be an integer from 1 to 250');
  const bin = optStr(body, 'bin_size') ?? 'day';
  if (!['hour', 'day', 'week', 'month'].includes(bin)) throw invalidInputs('bin_size: must be one of: day, hour, week, month');
  const window = aggregateWindow(ctx, body, customer);
  const now = ledger.now();

  const bins: { period: number; sums: Map<string, Units>; groups: Map<string, Map<string, Units>> }[] = [];
  for (let start = binStart(window.start, bin); start < window.end && start <= now; start = nextBin(start, bin)) {
    bins.push({ period: start, sums: new Map(), groups: new Map() });
    if (bins.length > MAX_BINS) throw invalidInputs('The range holds too many bins for this bin_size');
  }
  const totals = new Map<string, { count: number; sum: Units }>();

  for (const { customer: owner, event } of visibleEvents(ctx, customer ? [customer] : ledger.customers.values())) {
    if (!features.includes(event.featureId)) continue;
    if (event.timestamp < window.start || event.timestamp >= window.end) continue;
    if (entityId !== undefined && event.entityId !== entityId) continue;
    if (!matchesFilter(event, filter)) continue;
    const total = totals.get(event.featureId) ?? { count: 0, sum: 0n };
    total.count += 1;
    total.sum += event.units;
    totals.set(event.featureId, total);
    const target = bins.find((candidate) => candidate.period === binStart(event.timestamp, bin));
    if (!target) continue;
    target.sums.set(event.featureId, (target.sums.get(event.featureId) ?? 0n) + event.units);
    if (group !== undefined) {
      const key = groupValue(owner, event, group);
      if (key === undefined) continue;
      const byGroup = target.groups.get(event.featureId) ?? new Map<string, Units>();
      byGroup.set(key, (byGroup.get(key) ?? 0n) + event.units);
      target.groups.set(event.featureId, byGroup);
    }
  }

  type Bin = { period: number; values: Record<string, number>; grouped?: Record<string, Record<string, Units>> };
  const list = bins.map((entry): Bin => {
    if (group === undefined) {
      return { period: entry.period, values: Object.fromEntries(features.map((id) => [id, ledger.toCredits(entry.sums.get(id) ?? 0n)])) };
    }
    // Grouped: each bin ranks its groups, keeps `max_groups` and sums the rest as `AUTUMN_RESERVED` (Autumn's pipe);
    // `values` is the sum of the groups (an event without the property counts in `total` only).
    const values: Record<string, number> = {};
    const grouped: Record<string, Record<string, Units>> = {};
    for (const id of features) {
      const byGroup = [...(entry.groups.get(id) ?? new Map<string, Units>()).entries()].sort((a, b) => (a[1] > b[1] ? -1 : a[1] < b[1] ? 1 : 0));
      const kept: Record<string, Units> = Object.fromEntries(byGroup.slice(0, maxGroupsValue));
      if (byGroup.length > maxGroupsValue) kept[OVERFLOW_GROUP] = byGroup.slice(maxGroupsValue).reduce((sum, [, units]) => sum + units, 0n);
      grouped[id] = kept;
      values[id] = ledger.toCredits(Object.values(kept).reduce((sum, units) => sum + units, 0n));
    }
    return { period: entry.period, values, grouped };
  });
  // Every bin lists every group of the window, 0 where it had no events.
  const groupedList = list.map((entry) => {
    const grouped = entry.grouped;
    if (!grouped) return entry;
    const groupedValues: Record<string, Record<string, number>> = {};
    for (const id of features) {
      const keys = new Set(list.flatMap((other) => Object.keys(other.grouped?.[id] ?? {})));
      groupedValues[id] = Object.fromEntries([...keys].map((key) => [key, ledger.toCredits(grouped[id]?.[key] ?? 0n)]));
    }
    return { period: entry.period, values: entry.values, grouped_values: groupedValues };
  });
  const total = Object.fromEntries([...totals.entries()].map(([id, { count, sum }]) => [id, { count, sum: ledger.toCredits(sum) }]));
  return ok({ list: groupedList, total });
};

export const ROUTES: Readonly<Record<string, Route>> = {
  'customers.get_or_create': getOrCreateCustomer,
  'customers.get': getCustomer,
  'customers.update': updateCustomer,
  'entities.create': createEntity,
  'entities.get': getEntity,
  'entities.update': updateEntity,
  'entities.delete': deleteEntity,
  'balances.check': check,
  'balances.track': track,
  'balances.finalize': finalize,
  'billing.attach': attach,
  'plans.list': listPlans,
  'events.list': listEvents,
  'events.aggregate': aggregateEvents,
};
