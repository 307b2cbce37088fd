/**
 * The stand-in's state: customers, their credit grants, locks, events and checkouts. Every amount is an integer
 * count of credit units (10^-10 credits, Autumn's precision, BigInt), never a float sum. Every method is synchronous,
 * so one request's read-check-write of a balance can never interleave with another's (JS runs one at a time).
 *
 * Model, following Autumn's balance semantics (its source and tests; test/conformance/ checks them):
 * - A customer has one base plan (free / subscription) whose grant is `included` credits per interval; at each
 *   reset (`anchor + k intervals`, on the stand-in clock) its usage goes back to 0.
 * - Each top-up purchase adds a one-off grant (`prepaid`) that never resets nor expires.
 * - Usage is deducted from resetting grants first (soonest reset first), then from top-ups (oldest first). What
 *   exceeds every grant is overage: taken when the plan has an overage price or the caller asks for `overflow`, and
 *   then it sits on the plan grant as usage beyond what it granted. `remaining` never goes below 0 in answers.
 * - A refund repays overage first, then the grants in deduction order, never above what each granted.
 * - A lock moves its value at once and keeps a receipt of which grants it drew from; finalize confirms it (maybe
 *   at another value: the part not kept is unwound newest first, the extra moved under the lock's own mode) or
 *   releases it. A lock with `expires_at` is released then; one without is confirmed after a day. A grant that was
 *   reset since the lock is not given back twice.
 * - Events reach the list and aggregates after `eventDelayMs`; `async` tracks are applied after `asyncTrackDelayMs`.
 */
import { defaultPlan, findPlan, type CreditInterval, type CreditPlan, type CreditsConfig } from '../../core/config.js';
import { creditUnits, unitsToString } from '../../core/decimal.js';
import { customerNotFound, invalidInputs, invalidRequest, planNotFound, received, StandInApiError } from './errors.js';

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
  /** When it reaches `events.list` / `events.aggregate` (Autumn's analytics store lags behind the balance). */
  readonly visibleAt: Moment;
}

/** An instant on both clocks: the stand-in's (movable) and the wall clock (real waiting). */
export interface Moment {
  readonly clock: number;
  readonly wall: number;
}

export interface LedgerTiming {
  /** The real time, for delays a test waits out: default `Date.now`. */
  readonly wall?: () => number;
  /** How long an event takes to reach `events.list` / `events.aggregate`. */
  readonly eventDelayMs: number;
  /** How long a queued (`async: true`) track waits before it is applied. */
  readonly asyncTrackDelayMs: number;
}

/** How long Autumn keeps an idempotency key (its default; orgs can set 1 h to 30 days). */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

export interface CustomerRecord {
  readonly id: string;
  name: string | null;
  email: string | null;
  metadata: Record<string, unknown>;
  sendEmailReceipts: boolean;
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
  readonly expiresAt: number;
  /** What expiry does: `release` for a caller-set `expires_at`, `confirm` after the default lifetime. */
  readonly expiryAction: 'confirm' | 'release';
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

/** Autumn keeps balances to 10 decimal places (its Decimal.js rounding), whatever the kit's display precision. */
export const AUTUMN_DECIMALS = 10;

/** One day: the longest a lock may be held (Autumn refuses `expires_at` further out). */
export const MAX_LOCK_MS = 24 * 60 * 60 * 1000;

/** A lock without `expires_at` lives a day, then Autumn confirms it (the deduction stays). */
export const DEFAULT_LOCK_LIFETIME_MS = 24 * 60 * 60 * 1000;

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
  #wall: () => number;
  #timing: LedgerTiming;
  #ids = new Map<string, number>();
  /** Queued work (`async: true` tracks), applied in order once due. */
  #queue: { due: Moment; run: () => void }[] = [];
  /** Idempotency keys claimed, with when they lapse (stand-in clock). */
  #keys = new Map<string, number>();

  constructor(config: CreditsConfig, now: () => number, timing: LedgerTiming = { eventDelayMs: 0, asyncTrackDelayMs: 0 }) {
    this.config = config;
    this.places = AUTUMN_DECIMALS;
    this.#now = now;
    this.#wall = timing.wall ?? Date.now;
    this.#timing = timing;
  }

  now(): number {
    return this.#now();
  }

  #after(ms: number): Moment {
    return { clock: this.now() + ms, wall: this.#wall() + ms };
  }

  /** Whether `moment` has come, on either clock (a test may wait in real time or move the stand-in's clock). */
  reached(moment: Moment): boolean {
    return this.now() >= moment.clock || this.#wall() >= moment.wall;
  }

  /** Queues work to run once `asyncTrackDelayMs` has passed (at a sweep). */
  enqueue(run: () => void): void {
    this.#queue.push({ due: this.#after(this.#timing.asyncTrackDelayMs), run });
  }

  /** Applies every queued track now and makes every event visible: what waiting long enough does. */
  flush(): void {
    const queue = this.#queue.splice(0, this.#queue.length);
    for (const job of queue) this.#runQueued(job.run);
    const now: Moment = { clock: Number.NEGATIVE_INFINITY, wall: Number.NEGATIVE_INFINITY };
    for (const customer of this.customers.values()) {
      customer.events.forEach((event, index) => {
        if (!this.reached(event.visibleAt)) customer.events[index] = { ...event, visibleAt: now };
      });
    }
  }

  #runQueued(run: () => void): void {
    try {
      run();
    } catch {
      // A queued track that fails (a customer deleted since, a refused reject) is dropped, as a worker would.
    }
  }

  /**
   * Claims an idempotency key for `IDEMPOTENCY_TTL_MS`: a key still held answers Autumn's 409
   * `duplicate_idempotency_key`. Returns a function that gives the key back (a request that failed).
   */
  claimKey(key: string, shown: string): () => void {
    const held = this.#keys.get(key);
    if (held !== undefined && held > this.now()) {
      throw new StandInApiError(409, 'duplicate_idempotency_key', `Another request with idempotency key ${shown} has already been received`);
    }
    this.#keys.set(key, this.now() + IDEMPOTENCY_TTL_MS);
    return () => {
      this.#keys.delete(key);
    };
  }

  nextId(prefix: string): string {
    const n = (this.#ids.get(prefix) ?? 0) + 1;
    this.#ids.set(prefix, n);
    return `${prefix}_${String(n).padStart(8, '0')}`; // fixed width: ids sort as they were made
  }

  clear(): void {
    this.customers.clear();
    this.locks.clear();
    this.checkouts.clear();
    this.#ids.clear();
    this.#queue = [];
    this.#keys.clear();
  }

  toUnits(credits: number): Units {
    const units = creditUnits(credits, this.places);
    if (units === null) throw invalidInputs(`${JSON.stringify(credits)} is not an amount`);
    return units;
  }

  /** Units as the JSON number Autumn answers (a float past 2^53 units, as Autumn's own are). */
  toCredits(units: Units): number {
    return Number(unitsToString(units, this.places));
  }

  /** Parses a credit amount from a request (finite number, any sign) into units. */
  parseAmount(value: unknown, field: string): Units {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw invalidInputs(`${field}: must be a number (received ${typeof value === 'number' ? String(value) : received(value)})`);
    }
    return this.toUnits(value);
  }

  // ---------------------------------------------------------------- time

  /** Applies resets due by now and releases expired locks. Called at the start of every request and read. */
  sweep(): void {
    while (this.#queue.length > 0 && this.reached(this.#queue[0]!.due)) this.#runQueued(this.#queue.shift()!.run);
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
      if (lock.expiresAt <= now) this.expireLock(lock);
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
      sendEmailReceipts: false,
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
    // Autumn floors `remaining` at 0; what was used past the grants shows as `usage > granted`.
    return { granted, usage, remaining: this.available(customer), overageAllowed, nextResetAt: reset };
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
   * Deducts `units` (> 0) under a deduction mode. A plan with an overage price takes everything (usage-based
   * billing). Otherwise `reject` deducts all or nothing (`deducted: null` when it does not fit), `cap` deducts what
   * fits, `overflow` deducts it all, past zero. Returns what was deducted and from which grants.
   */
  deduct(customer: CustomerRecord, units: Units, behavior: LockOverageBehavior): { deducted: Units | null; items: DeductionItem[] } {
    if (units <= 0n || customer.grants.length === 0) return { deducted: units <= 0n ? 0n : null, items: [] };
    const overage = this.overageAllowed(customer);
    const available = this.available(customer);
    if (!overage && behavior === 'reject' && available < units) return { deducted: null, items: [] };
    const deducted = behavior === 'cap' && !overage ? min(units, available) : units;
    const items: DeductionItem[] = [];
    const order = this.#deductionOrder(customer);
    let rest = deducted;
    for (const grant of order) {
      const amount = min(rest, max(0n, grant.granted - grant.usage));
      this.#move(items, grant, amount);
      rest -= amount;
    }
    if (rest > 0n) {
      const target = order.find((grant) => grant.overagePrice !== null) ?? order.find((grant) => grant.source === 'plan') ?? order[0];
      if (target) this.#move(items, target, rest);
    }
    return { deducted, items };
  }

  /** Adds `amount` (signed) to a grant's usage and to the list of what moved (merging runs on one grant). */
  #move(items: DeductionItem[], grant: Grant, amount: Units): void {
    if (amount === 0n) return;
    grant.usage += amount;
    const last = items[items.length - 1];
    if (last && last.grantId === grant.id && last.cycle === grant.cycle && last.units > 0n === amount > 0n) {
      items[items.length - 1] = { ...last, units: last.units + amount };
    } else {
      items.push({ grantId: grant.id, cycle: grant.cycle, units: amount });
    }
  }

  /**
   * Gives `units` (> 0) back, as Autumn refunds a negative track: first what is owed past the grants (overage),
   * then the grants in deduction order, each only down to zero usage, so a refund never lifts a grant above what it
   * granted; what is left over is dropped. Under `overflow` nothing is capped: the rest goes onto the first grant
   * (remaining above granted, usage below zero). Returns the items given back (negative units).
   */
  refund(customer: CustomerRecord, units: Units, behavior: LockOverageBehavior = 'cap'): DeductionItem[] {
    const items: DeductionItem[] = [];
    let rest = units;
    const order = this.#deductionOrder(customer);
    for (const grant of order) {
      const amount = min(rest, max(0n, grant.usage - grant.granted));
      this.#move(items, grant, -amount);
      rest -= amount;
    }
    for (const grant of order) {
      const amount = min(rest, max(0n, grant.usage));
      this.#move(items, grant, -amount);
      rest -= amount;
    }
    const first = order[0];
    if (rest > 0n && behavior === 'overflow' && first) this.#move(items, first, -rest);
    return items;
  }

  /**
   * Undoes up to `units` (> 0, in absolute value) of what `items` moved, newest first: a deduction is given back,
   * a credit taken again. Items of a grant that was reset (or removed) since are skipped: the reset already
   * cleared them. Returns the items moved now.
   */
  unwind(customer: CustomerRecord, items: readonly DeductionItem[], units: Units): DeductionItem[] {
    const back: DeductionItem[] = [];
    let rest = units;
    for (let i = items.length - 1; i >= 0 && rest > 0n; i -= 1) {
      const item = items[i]!;
      const size = item.units < 0n ? -item.units : item.units;
      const amount = min(rest, size);
      rest -= amount;
      const grant = customer.grants.find((candidate) => candidate.id === item.grantId);
      if (!grant || grant.cycle !== item.cycle) continue;
      this.#move(back, grant, item.units < 0n ? amount : -amount);
    }
    return back;
  }

  /** Moves a signed amount: a deduction (> 0) under `behavior`, or a refund (< 0). */
  apply(customer: CustomerRecord, units: Units, behavior: LockOverageBehavior): { moved: Units | null; items: DeductionItem[] } {
    if (units >= 0n) {
      const { deducted, items } = this.deduct(customer, units, behavior);
      return { moved: deducted, items };
    }
    const items = this.refund(customer, -units, behavior);
    return { moved: items.reduce((sum, item) => sum + item.units, 0n), items };
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
      visibleAt: this.#after(this.#timing.eventDelayMs),
    };
    customer.events.push(record);
    return record;
  }

  // ---------------------------------------------------------------- locks

  /**
   * `check` with a lock: moves `units` (signed; a negative lock is a credit) under the lock's overage behaviour and
   * keeps a receipt. As in Autumn: a lock that does not fit under `reject` answers `allowed: false` and creates no
   * lock (checked before the id, so a duplicate id that no longer fits is refused, not a 409); a held id is 409
   * `lock_already_exists`; a customer without the feature is refused for a positive amount and allowed for zero.
   * The lock's event carries the amount asked for, even when `cap` moved less.
   */
  createLock(
    customer: CustomerRecord,
    lock: {
      id: string;
      featureId: string;
      entityId: string | null;
      units: Units;
      behavior: LockOverageBehavior;
      /** From `expires_at`; null: Autumn's default lifetime, after which the lock is confirmed. */
      expiresAt: number | null;
      properties: Record<string, unknown>;
    },
  ): { allowed: boolean; lock: LockRecord | null } {
    if (lock.expiresAt !== null && lock.expiresAt > this.now() + MAX_LOCK_MS) {
      throw invalidRequest('Lock expires_at cannot be more than 1 day from now');
    }
    if (customer.grants.length === 0 && lock.units > 0n) return { allowed: false, lock: null };
    const fits = lock.units <= 0n || this.overageAllowed(customer) || lock.behavior !== 'reject' || this.available(customer) >= lock.units;
    if (!fits) return { allowed: false, lock: null };
    if (this.locks.has(lock.id)) throw new StandInApiError(409, 'lock_already_exists', 'A lock with this ID already exists');
    const { moved, items } = this.apply(customer, lock.units, lock.behavior);
    const record: LockRecord = {
      id: lock.id,
      customerId: customer.id,
      entityId: lock.entityId,
      featureId: lock.featureId,
      items,
      units: moved ?? 0n,
      expiresAt: lock.expiresAt ?? this.now() + DEFAULT_LOCK_LIFETIME_MS,
      expiryAction: lock.expiresAt === null ? 'confirm' : 'release',
      overageBehavior: lock.behavior,
      properties: lock.properties,
    };
    this.locks.set(lock.id, record);
    this.recordEvent(customer, { featureId: lock.featureId, entityId: lock.entityId, units: lock.units, properties: lock.properties, items });
    return { allowed: true, lock: record };
  }

  /**
   * Confirms (at `overrideUnits`, or at what the lock moved) or releases a held lock, with Autumn's split: the part
   * of the lock not kept is unwound from the grants it came from, newest first; a final value beyond the lock (or
   * of the other sign) is moved afresh under the lock's overage behaviour. The finalize event is `final - lock`
   * (none when equal), with the finalize's `properties` if given, else the lock's. The lock is gone afterwards and
   * its id free: finalizing it again answers `Lock not found for ID` (400 invalid_request).
   */
  finalizeLock(
    lockId: string,
    params: { action: 'confirm' | 'release'; overrideUnits?: Units; properties?: Record<string, unknown>; timestamp?: number },
  ): void {
    const lock = this.locks.get(lockId);
    if (!lock) throw invalidRequest(`Lock not found for ID: ${lockId}`);
    const customer = this.customers.get(lock.customerId);
    if (!customer) {
      this.locks.delete(lockId);
      return;
    }
    const held = lock.units;
    const final = params.action === 'release' ? 0n : (params.overrideUnits ?? held);
    if (final === held) {
      this.locks.delete(lockId);
      return;
    }
    const abs = (value: Units) => (value < 0n ? -value : value);
    let unwind: Units;
    let extra: Units;
    if (held === 0n) [unwind, extra] = [0n, final];
    else if (final === 0n) [unwind, extra] = [abs(held), 0n];
    else if (held > 0n !== final > 0n) [unwind, extra] = [abs(held), final];
    else if (abs(final) >= abs(held)) [unwind, extra] = [0n, final - held];
    else [unwind, extra] = [abs(held) - abs(final), 0n];

    if (extra > 0n && lock.overageBehavior === 'reject' && !this.overageAllowed(customer)) {
      // The lock's own mode governs the extra: under `reject` it must fit (after re-taking a negative lock's credit),
      // else nothing moves and the lock stays open (Autumn's balance engine, computeFinalize).
      if (this.available(customer) < extra + (held < 0n ? -held : 0n)) {
        throw new StandInApiError(400, 'insufficient_balance', `Insufficient balance to confirm lock ${lockId} at ${this.toCredits(final)}`);
      }
    }
    this.locks.delete(lockId);
    const items = unwind > 0n ? this.unwind(customer, lock.items, unwind) : [];
    if (extra !== 0n) items.push(...this.apply(customer, extra, lock.overageBehavior).items);
    this.recordEvent(customer, {
      featureId: lock.featureId,
      entityId: lock.entityId,
      units: final - held,
      properties: params.properties ?? lock.properties,
      ...(params.timestamp === undefined ? {} : { timestamp: params.timestamp }),
      items,
    });
  }

  /** A lock past its expiry: released if the caller set `expires_at`, confirmed silently after the default lifetime. */
  expireLock(lock: LockRecord): void {
    if (lock.expiryAction === 'release') this.finalizeLock(lock.id, { action: 'release', timestamp: lock.expiresAt });
    else this.locks.delete(lock.id);
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
    throw invalidInputs(`lock.overage_behavior: Invalid option: expected one of "reject"|"cap"|"overflow"`);
  }
}
