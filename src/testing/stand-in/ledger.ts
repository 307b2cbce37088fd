/**
 * The stand-in's state: customers, their credit grants, locks, events and checkouts. Every amount is an integer
 * count of credit units (10^-creditDecimals credits, BigInt), never a float sum. Every method is synchronous, so
 * one request's read-check-write of a balance can never interleave with another's (JS runs one at a time).
 *
 * Model, following Autumn's balance semantics:
 * - A customer has one base plan (free / subscription) whose grant is `included` credits per interval; at each
 *   reset (`anchor + k intervals`, on the stand-in clock) its usage goes back to 0.
 * - Each top-up purchase adds a one-off grant (`prepaid`) that never resets nor expires.
 * - Usage is deducted from resetting grants first (soonest reset first), then from top-ups (oldest first). What
 *   exceeds every grant is overage: allowed only when the plan has an overage price (`overagePricePerCredit`), and
 *   then it sits on the plan grant as usage beyond included (remaining goes negative).
 * - A lock deducts its value at once and keeps a receipt of which grants it drew from; finalize confirms it (maybe
 *   with another value) or releases it, and an expired lock is released. A grant that was reset since the lock is
 *   not given back twice.
 */
import { defaultPlan, findPlan, type CreditInterval, type CreditPlan, type CreditsConfig } from '../../core/config.js';
import { creditsToUnits, unitsToCredits } from '../../core/money.js';
import { customerNotFound, invalidInputs, invalidRequest, planNotFound, StandInApiError } from './errors.js';

export type Units = bigint;
export type OverageBehavior = 'cap' | 'overflow';
export type LockOverageBehavior = 'reject' | OverageBehavior;

export interface Grant {
  readonly id: string;
  readonly planId: string;
  readonly source: 'plan' | 'top_up';
  /** included_grant (plan) or prepaid_grant (top-up), in units. */
  readonly granted: Units;
  /** May exceed `granted` (overage) or, after refunds, be negative. */
  usage: Units;
  readonly interval: CreditInterval;
  /** Start of the first cycle; cycle k starts at anchor + k intervals. */
  readonly anchor: number;
  /** How many resets happened. */
  cycle: number;
  /** Price of one credit of overage, when the plan allows overage. */
  readonly overagePrice: number | null;
  /** For top-ups: price and credits of one pack (the prepaid price in the breakdown). */
  readonly pack: { price: number; credits: number } | null;
  readonly createdAt: number;
}

export interface Subscription {
  readonly id: string;
  readonly planId: string;
  readonly startedAt: number;
}

export interface Purchase {
  readonly planId: string;
  readonly startedAt: number;
  readonly quantity: number;
}

export interface DeductionItem {
  readonly grantId: string;
  readonly cycle: number;
  /** Positive: deducted. */
  readonly units: Units;
}

export interface EventRecord {
  readonly id: string;
  readonly customerId: string;
  readonly entityId: string | null;
  readonly featureId: string;
  readonly units: Units;
  readonly properties: Record<string, unknown>;
  readonly timestamp: number;
  readonly items: readonly DeductionItem[];
}

export interface CustomerRecord {
  readonly id: string;
  name: string | null;
  email: string | null;
  metadata: Record<string, unknown>;
  readonly createdAt: number;
  subscription: Subscription | null;
  readonly purchases: Purchase[];
  grants: Grant[];
  readonly events: EventRecord[];
}

export interface LockRecord {
  readonly id: string;
  readonly customerId: string;
  readonly entityId: string | null;
  readonly featureId: string;
  readonly items: DeductionItem[];
  /** What the lock deducted. */
  readonly units: Units;
  readonly expiresAt: number | null;
  readonly overageBehavior: LockOverageBehavior;
  readonly properties: Record<string, unknown>;
}

export interface CheckoutRecord {
  readonly id: string;
  readonly url: string;
  readonly customerId: string;
  readonly planId: string;
  /** Packs of a top-up (1 for subscriptions). */
  readonly packs: number;
  readonly successUrl: string | null;
  status: 'open' | 'completed';
}

export interface BalanceUnits {
  granted: Units;
  remaining: Units;
  usage: Units;
  overageAllowed: boolean;
  nextResetAt: number | null;
}

/** One day: the longest a lock may be held (Autumn refuses `expires_at` further out). */
export const MAX_LOCK_MS = 24 * 60 * 60 * 1000;

/** Adds `count` months or years to a UTC instant, clamping the day (Jan 31 + 1 month = Feb 28/29). */
export function addInterval(anchor: number, interval: CreditInterval, count: number): number {
  if (interval === 'one_off') return anchor;
  const date = new Date(anchor);
  const months = date.getUTCMonth() + (interval === 'month' ? count : 12 * count);
  const year = date.getUTCFullYear() + Math.floor(months / 12);
  const month = ((months % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(
    year,
    month,
    Math.min(date.getUTCDate(), lastDay),
    date.getUTCHours(),
    date.getUTCMinutes(),
    date.getUTCSeconds(),
    date.getUTCMilliseconds(),
  );
}

export function nextResetAt(grant: Grant): number | null {
  return grant.interval === 'one_off' ? null : addInterval(grant.anchor, grant.interval, grant.cycle + 1);
}

export function cycleStart(grant: Grant): number {
  return addInterval(grant.anchor, grant.interval, grant.cycle);
}

const max = (a: Units, b: Units): Units => (a > b ? a : b);
const min = (a: Units, b: Units): Units => (a < b ? a : b);

export class Ledger {
  readonly config: CreditsConfig;
  readonly places: number;
  readonly customers = new Map<string, CustomerRecord>();
  readonly locks = new Map<string, LockRecord>();
  readonly checkouts = new Map<string, CheckoutRecord>();
  #now: () => number;
  #ids = new Map<string, number>();

  constructor(config: CreditsConfig, now: () => number) {
    this.config = config;
    this.places = config.creditDecimals;
    this.#now = now;
  }

  now(): number {
    return this.#now();
  }

  nextId(prefix: string): string {
    const n = (this.#ids.get(prefix) ?? 0) + 1;
    this.#ids.set(prefix, n);
    return `${prefix}_${String(n).padStart(4, '0')}`;
  }

  clear(): void {
    this.customers.clear();
    this.locks.clear();
    this.checkouts.clear();
    this.#ids.clear();
  }

  toUnits(credits: number): Units {
    return creditsToUnits(credits, this.places);
  }

  toCredits(units: Units): number {
    return unitsToCredits(units, this.places);
  }

  /** Parses a credit amount from a request (finite number, any sign) into units. */
  parseAmount(value: unknown, field: string): Units {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw invalidInputs(`${field} must be a finite number, got ${JSON.stringify(value)}`);
    }
    return this.toUnits(value);
  }

  // ---------------------------------------------------------------- time

  /** Applies resets due by now and releases expired locks. Called at the start of every request and read. */
  sweep(): void {
    const now = this.now();
    for (const customer of this.customers.values()) {
      for (const grant of customer.grants) {
        let resetAt = nextResetAt(grant);
        while (resetAt !== null && resetAt <= now) {
          grant.cycle += 1;
          grant.usage = 0n;
          resetAt = nextResetAt(grant);
        }
      }
    }
    for (const lock of [...this.locks.values()]) {
      if (lock.expiresAt !== null && lock.expiresAt <= now) {
        this.finalizeLock(lock.id, { action: 'release', timestamp: lock.expiresAt });
      }
    }
  }

  // ---------------------------------------------------------------- customers

  getCustomer(id: string): CustomerRecord | undefined {
    return this.customers.get(id);
  }

  requireCustomer(id: string): CustomerRecord {
    const customer = this.customers.get(id);
    if (!customer) throw customerNotFound(id);
    return customer;
  }

  createCustomer(
    id: string,
    data: { name?: string | null; email?: string | null; metadata?: Record<string, unknown> | null; planId?: string } = {},
  ): CustomerRecord {
    const customer: CustomerRecord = {
      id,
      name: data.name ?? null,
      email: data.email ?? null,
      metadata: { ...(data.metadata ?? {}) },
      createdAt: this.now(),
      subscription: null,
      purchases: [],
      grants: [],
      events: [],
    };
    const plan = data.planId === undefined ? defaultPlan(this.config) : this.requirePlan(data.planId);
    if (plan) this.subscribe(customer, plan);
    this.customers.set(id, customer);
    return customer;
  }

  requirePlan(planId: string): CreditPlan {
    const plan = findPlan(this.config, planId);
    if (!plan) throw planNotFound(planId);
    return plan;
  }

  /** Puts the customer on a base plan now: the old plan's grant goes, a fresh one starts (usage 0). */
  subscribe(customer: CustomerRecord, plan: CreditPlan): void {
    if (plan.kind === 'top_up') throw invalidRequest(`Plan ${plan.id} is a top-up, not a base plan`);
    const now = this.now();
    customer.grants = customer.grants.filter((grant) => grant.source !== 'plan');
    customer.subscription = { id: this.nextId('sub'), planId: plan.id, startedAt: now };
    customer.grants.unshift({
      id: this.nextId('cus_ent'),
      planId: plan.id,
      source: 'plan',
      granted: this.toUnits(plan.credits),
      usage: 0n,
      interval: plan.interval,
      anchor: now,
      cycle: 0,
      overagePrice: plan.overagePricePerCredit ?? null,
      pack: null,
      createdAt: now,
    });
  }

  /** Adds a one-off grant of `packs` packs of a top-up plan (never resets, never expires). */
  grantTopUp(customer: CustomerRecord, plan: CreditPlan, packs: number, credits = plan.credits * packs): Grant {
    const now = this.now();
    const grant: Grant = {
      id: this.nextId('cus_ent'),
      planId: plan.id,
      source: 'top_up',
      granted: this.toUnits(credits),
      usage: 0n,
      interval: 'one_off',
      anchor: now,
      cycle: 0,
      overagePrice: null,
      pack: { price: plan.price, credits: plan.credits },
      createdAt: now,
    };
    customer.grants.push(grant);
    customer.purchases.push({ planId: plan.id, startedAt: now, quantity: packs });
    return grant;
  }

  // ---------------------------------------------------------------- balances

  balanceUnits(customer: CustomerRecord): BalanceUnits {
    let granted = 0n;
    let usage = 0n;
    let overageAllowed = false;
    let reset: number | null = null;
    for (const grant of customer.grants) {
      granted += grant.granted;
      usage += grant.usage;
      if (grant.overagePrice !== null) overageAllowed = true;
      const at = nextResetAt(grant);
      if (at !== null && (reset === null || at < reset)) reset = at;
    }
    return { granted, usage, remaining: granted - usage, overageAllowed, nextResetAt: reset };
  }

  /** Credits that can be deducted without going into overage. */
  available(customer: CustomerRecord): Units {
    return customer.grants.reduce((sum, grant) => sum + max(0n, grant.granted - grant.usage), 0n);
  }

  overageAllowed(customer: CustomerRecord): boolean {
    return customer.grants.some((grant) => grant.overagePrice !== null);
  }

  /** Deduction order: resetting grants, soonest reset first; then one-off grants, oldest first. */
  #deductionOrder(customer: CustomerRecord): Grant[] {
    return [...customer.grants].sort((a, b) => {
      const ra = nextResetAt(a);
      const rb = nextResetAt(b);
      if (ra !== null && rb !== null) return ra - rb;
      if (ra !== null) return -1;
      if (rb !== null) return 1;
      return a.createdAt - b.createdAt;
    });
  }

  /**
   * Deducts `units` (> 0). `cap` deducts only what fits (everything, when overage is allowed); `overflow` deducts
   * it all, past zero. Returns what was deducted and from which grants.
   */
  deduct(customer: CustomerRecord, units: Units, behavior: OverageBehavior): { deducted: Units; items: DeductionItem[] } {
    if (units <= 0n || customer.grants.length === 0) return { deducted: 0n, items: [] };
    const overage = this.overageAllowed(customer);
    const deducted = behavior === 'cap' && !overage ? min(units, this.available(customer)) : units;
    const items: DeductionItem[] = [];
    const take = (grant: Grant, amount: Units) => {
      if (amount <= 0n) return;
      grant.usage += amount;
      const last = items[items.length - 1];
      if (last && last.grantId === grant.id) items[items.length - 1] = { ...last, units: last.units + amount };
      else items.push({ grantId: grant.id, cycle: grant.cycle, units: amount });
    };
    const order = this.#deductionOrder(customer);
    let rest = deducted;
    for (const grant of order) {
      const amount = min(rest, max(0n, grant.granted - grant.usage));
      take(grant, amount);
      rest -= amount;
    }
    if (rest > 0n) {
      const target = order.find((grant) => grant.overagePrice !== null) ?? order.find((grant) => grant.source === 'plan') ?? order[0];
      if (target) take(target, rest);
    }
    return { deducted, items };
  }

  /** Gives `units` (> 0) back: first overage, then the grants in reverse deduction order; the rest as credit. */
  refund(customer: CustomerRecord, units: Units): DeductionItem[] {
    const items: DeductionItem[] = [];
    let rest = units;
    const give = (grant: Grant, amount: Units) => {
      if (amount <= 0n) return;
      grant.usage -= amount;
      items.push({ grantId: grant.id, cycle: grant.cycle, units: -amount });
      rest -= amount;
    };
    const order = this.#deductionOrder(customer);
    for (const grant of order) give(grant, min(rest, max(0n, grant.usage - grant.granted)));
    for (const grant of [...order].reverse()) give(grant, min(rest, max(0n, grant.usage)));
    const first = order[0];
    if (first) give(first, rest);
    return items;
  }

  /**
   * Gives back up to `units` of what `items` deducted, newest first. Items of a grant that was reset (or removed)
   * since are skipped: the reset already gave them back. Returns the items given back (negative units).
   */
  unwind(customer: CustomerRecord, items: readonly DeductionItem[], units: Units): DeductionItem[] {
    const back: DeductionItem[] = [];
    let rest = units;
    for (let i = items.length - 1; i >= 0 && rest > 0n; i -= 1) {
      const item = items[i]!;
      const amount = min(rest, item.units);
      rest -= amount;
      const grant = customer.grants.find((candidate) => candidate.id === item.grantId);
      if (!grant || grant.cycle !== item.cycle) continue;
      grant.usage -= amount;
      back.push({ grantId: grant.id, cycle: grant.cycle, units: -amount });
    }
    return back;
  }

  // ---------------------------------------------------------------- events

  recordEvent(
    customer: CustomerRecord,
    event: { featureId: string; entityId?: string | null; units: Units; properties?: Record<string, unknown>; timestamp?: number; items?: readonly DeductionItem[] },
  ): EventRecord {
    const record: EventRecord = {
      id: this.nextId('evt'),
      customerId: customer.id,
      entityId: event.entityId ?? null,
      featureId: event.featureId,
      units: event.units,
      properties: { ...(event.properties ?? {}) },
      timestamp: event.timestamp ?? this.now(),
      items: event.items ?? [],
    };
    customer.events.push(record);
    return record;
  }

  // ---------------------------------------------------------------- locks

  /** Reserves `units` under `lockId`. Refuses an id that is still held (409, like Autumn). */
  createLock(
    customer: CustomerRecord,
    lock: {
      id: string;
      featureId: string;
      entityId: string | null;
      units: Units;
      behavior: LockOverageBehavior;
      expiresAt: number | null;
      properties: Record<string, unknown>;
    },
  ): { allowed: boolean; lock: LockRecord | null } {
    this.assertLockFree(lock.id, lock.expiresAt);
    const fits = this.overageAllowed(customer) || this.available(customer) >= lock.units;
    if (lock.behavior === 'reject' && (!fits || customer.grants.length === 0)) return { allowed: false, lock: null };
    const { deducted, items } = this.deduct(customer, lock.units, lock.behavior === 'overflow' ? 'overflow' : 'cap');
    const record: LockRecord = {
      id: lock.id,
      customerId: customer.id,
      entityId: lock.entityId,
      featureId: lock.featureId,
      items,
      units: deducted,
      expiresAt: lock.expiresAt,
      overageBehavior: lock.behavior,
      properties: lock.properties,
    };
    this.locks.set(lock.id, record);
    this.recordEvent(customer, { featureId: lock.featureId, entityId: lock.entityId, units: deducted, properties: lock.properties, items });
    return { allowed: true, lock: record };
  }

  assertLockFree(lockId: string, expiresAt: number | null): void {
    if (lockId.length === 0 || lockId.length > 256) throw invalidRequest('lock_id must be 1 to 256 characters');
    if (expiresAt !== null && expiresAt > this.now() + MAX_LOCK_MS) {
      throw invalidRequest('Lock expires_at cannot be more than 1 day from now');
    }
    if (this.locks.has(lockId)) throw new StandInApiError(409, 'lock_already_exists', 'A lock with this key already exists');
  }

  /**
   * Confirms (optionally at `overrideUnits`) or releases a held lock. The lock is gone afterwards: finalizing it
   * again answers Autumn's `Lock not found for ID` (400 invalid_request).
   */
  finalizeLock(
    lockId: string,
    params: { action: 'confirm' | 'release'; overrideUnits?: Units; properties?: Record<string, unknown>; timestamp?: number },
  ): void {
    const lock = this.locks.get(lockId);
    if (!lock) throw invalidRequest(`Lock not found for ID: ${lockId}`);
    this.locks.delete(lockId);
    const customer = this.customers.get(lock.customerId);
    if (!customer) return;
    const finalUnits = params.action === 'release' ? 0n : (params.overrideUnits ?? lock.units);
    const delta = finalUnits - lock.units;
    if (delta === 0n) return;
    let items: DeductionItem[];
    if (delta < 0n) {
      items = this.unwind(customer, lock.items, -delta);
    } else {
      items = this.deduct(customer, delta, lock.overageBehavior === 'overflow' ? 'overflow' : 'cap').items;
    }
    this.recordEvent(customer, {
      featureId: lock.featureId,
      entityId: lock.entityId,
      units: delta,
      properties: { ...lock.properties, ...(params.properties ?? {}) },
      ...(params.timestamp === undefined ? {} : { timestamp: params.timestamp }),
      items,
    });
  }

  // ---------------------------------------------------------------- checkout

  openCheckout(checkout: Omit<CheckoutRecord, 'status' | 'url' | 'id'>, origin: string): CheckoutRecord {
    const id = this.nextId('cs_test');
    const record: CheckoutRecord = { ...checkout, id, url: `${origin}/checkout/${id}`, status: 'open' };
    this.checkouts.set(id, record);
    return record;
  }

  findCheckout(urlOrId: string): CheckoutRecord | undefined {
    const id = urlOrId.includes('/') ? (urlOrId.split('?')[0]!.split('/').filter(Boolean).pop() ?? '') : urlOrId;
    return this.checkouts.get(id);
  }

  /** What a successful payment does. Completing twice is a no-op. */
  completeCheckout(checkout: CheckoutRecord): void {
    if (checkout.status === 'completed') return;
    const customer = this.requireCustomer(checkout.customerId);
    const plan = this.requirePlan(checkout.planId);
    this.fulfil(customer, plan, checkout.packs);
    checkout.status = 'completed';
  }

  fulfil(customer: CustomerRecord, plan: CreditPlan, packs: number): void {
    if (plan.kind === 'top_up') this.grantTopUp(customer, plan, packs);
    else this.subscribe(customer, plan);
  }

  /** The `lock.overage_behavior` of a check: `reject` (default), `cap` or `overflow`. */
  static lockBehavior(value: unknown): LockOverageBehavior {
    if (value === undefined || value === null) return 'reject';
    if (value === 'reject' || value === 'cap' || value === 'overflow') return value;
    throw invalidInputs(`lock.overage_behavior must be "cap" or "overflow", got ${JSON.stringify(value)}`);
  }
}
