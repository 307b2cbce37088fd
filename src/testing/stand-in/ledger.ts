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
 * - Billing controls (./controls.ts) gate every consumption as Autumn's deduction script does
 *   (server/src/_luaScriptsV2/fullSubjectDeduction/runDeductionOnContextV2.lua): a usage limit's window headroom
 *   caps what may be deducted (`overflow` punches through it), a spend limit caps the overage; what does not fit is
 *   clamped under `cap` and refuses the whole amount under `reject`. After each change, usage alerts and
 *   `limit_reached` are recorded as the webhooks Autumn would send, and an auto top-up is queued when the balance is
 *   at or below its threshold (server/src/internal/balances/autoTopUp/).
 */
import { defaultPlan, findPlan, type CreditInterval, type CreditPlan, type CreditsConfig } from '../../core/config.js';
import { creditUnits, unitsToString } from '../../core/decimal.js';
import { customerNotFound, invalidInputs, invalidRequest, planNotFound, received, StandInApiError } from './errors.js';
import {
  filterKey,
  filterMatches,
  normalizeWindow,
  usageWindowBounds,
  type CustomerControls,
  type DbAutoTopup,
  type DbUsageAlert,
  type DbUsageLimit,
  type EntityControls,
} from './controls.js';

export type Units = bigint;
export type OverageBehavior = 'cap' | 'overflow';
export type LockOverageBehavior = 'reject' | OverageBehavior;

export interface Grant {
  readonly id: string;
  readonly planId: string;
  readonly source: 'plan' | 'top_up';
  /** included_grant (plan) or prepaid_grant (top-up), in units. An auto top-up grows the prepaid grant it buys. */
  granted: Units;
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
  /** How long a queued auto top-up waits before it runs (Autumn: a queue worker). Default: `asyncTrackDelayMs`. */
  readonly autoTopUpDelayMs?: number;
  /** Every customer has a card on file (`autoCompleteCheckout`). */
  readonly cardsOnFile?: boolean;
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
  /** `billing_controls` as stored (customers.update replaces each list it is given). */
  controls: CustomerControls;
  /** Usage-limit window counters, by scope (customer / entity), feature and filter. */
  readonly windows: Map<string, UsageWindowCounter>;
  /** Auto top-up runtime state per feature: the purchase and attempt windows and their counts. */
  readonly autoTopUps: Map<string, AutoTopUpState>;
  /** Newest last; answered newest first under `expand: ["invoices"]`. */
  readonly invoices: InvoiceRecord[];
  /** A card on file (Stripe payment method): auto top-ups charge it. */
  paymentMethod: boolean;
  readonly entities: Map<string, EntityRecord>;
}

/** One usage-limit counter: what was consumed in the window it is stamped with (Autumn's usage_windows row). */
export interface UsageWindowCounter {
  start: number;
  end: number;
  usage: Units;
}

export interface WindowCount {
  endsAt: number;
  count: number;
}

/** Autumn's auto_topup_limit_states row: created by the first attempt (or a `purchase_limit.count` set). */
export interface AutoTopUpState {
  purchase: WindowCount;
  attempt: WindowCount;
  failedAttempt: WindowCount;
}

export interface InvoiceRecord {
  readonly stripeId: string;
  readonly planIds: readonly string[];
  readonly status: 'paid' | 'open';
  /** In the currency's major unit, as Autumn's customer invoices answer it. */
  readonly total: number;
  readonly currency: string;
  readonly createdAt: number;
}

/** An entity (a member, a workspace) of a customer: its own controls over the customer's shared balance. */
export interface EntityRecord {
  readonly id: string;
  readonly customerId: string;
  name: string | null;
  readonly featureId: string;
  readonly createdAt: number;
  controls: EntityControls;
}

/** A webhook Autumn would send (Svix), recorded instead of delivered. */
export interface WebhookRecord {
  readonly type: 'balances.usage_alert_triggered' | 'balances.limit_reached' | 'billing.auto_topup_succeeded' | 'billing.auto_topup_failed';
  readonly data: Record<string, unknown>;
  readonly createdAt: number;
}

/** Who consumes: the customer, maybe as one of its entities, with the event's properties (usage-limit filters). */
export interface Subject {
  readonly customer: CustomerRecord;
  readonly entity: EntityRecord | null;
  readonly properties: Readonly<Record<string, unknown>>;
}

/** Which limit refuses a check (Autumn's `apiBalanceToAllowed` limitType; `max_purchase` is not modelled). */
export type LimitType = 'included' | 'spend_limit' | 'usage_limit';

/** A usage limit resolved for a subject: its window now and its counter's key. */
export interface ResolvedWindow {
  readonly key: string;
  readonly entry: DbUsageLimit;
  readonly limit: Units;
  readonly start: number;
  readonly end: number;
}

/** What billing controls let one consumption take: window headroom and spend-limit overage room (null: no bound). */
export interface DeductionGate {
  readonly headroom: Units | null;
  readonly overage: Units | null;
  readonly windows: readonly ResolvedWindow[];
}

const OPEN_GATE: DeductionGate = { headroom: null, overage: null, windows: [] };

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

/**
 * Autumn's fixed auto top-up rate limits (autoTopupRateLimitConfigs.ts): at most 2 attempts per 10 minutes and 1
 * failed attempt per hour, whatever the configured purchase limit.
 */
export const AUTO_TOP_UP_ATTEMPT_LIMIT = { limit: 2, interval: 'minute', interval_count: 10 } as const;
export const AUTO_TOP_UP_FAILED_ATTEMPT_LIMIT = { limit: 1, interval: 'hour', interval_count: 1 } as const;

/** The required balance `limit_reached` is judged at (checkLimitReached.ts: `requiredBalance: 0.0000001`). */
const LIMIT_REACHED_PROBE = 0.0000001;

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
  /** Webhooks Autumn would have sent, oldest first. */
  readonly webhooks: WebhookRecord[] = [];
  /** Suppression keys of webhooks already sent (usage alerts per minute, auto top-up failures per window). */
  #sentWebhookKeys = new Set<string>();
  /** Customers with an auto top-up queued (Autumn's burst-suppression pending key): none is queued twice. */
  #topUpsPending = new Set<string>();

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

  /** Queues work to run once `delayMs` (default `asyncTrackDelayMs`) has passed (at a sweep). */
  enqueue(run: () => void, delayMs: number = this.#timing.asyncTrackDelayMs): void {
    this.#queue.push({ due: this.#after(delayMs), run });
  }

  /** Applies every queued track now and makes every event visible: what waiting long enough does. */
  flush(): void {
    // Jobs may queue more (a queued track that brings an auto top-up): run until the queue is empty.
    while (this.#queue.length > 0) {
      const queue = this.#queue.splice(0, this.#queue.length);
      for (const job of queue) this.#runQueued(job.run);
    }
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
    this.webhooks.length = 0;
    this.#sentWebhookKeys.clear();
    this.#topUpsPending.clear();
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
    // Due jobs in the order they were queued (jobs of different delays may be due out of order).
    for (let due = this.#queue.find((job) => this.reached(job.due)); due; due = this.#queue.find((job) => this.reached(job.due))) {
      this.#queue.splice(this.#queue.indexOf(due), 1);
      this.#runQueued(due.run);
    }
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
      controls: {},
      windows: new Map(),
      autoTopUps: new Map(),
      invoices: [],
      paymentMethod: false,
      entities: new Map(),
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
   * What a deduction of `units` (> 0) may take under a mode and the billing controls' gate, without moving it
   * (Autumn's two passes): grants first, up to what they hold, then overage when the plan has an overage price or
   * the mode is `overflow` — all within the usage windows' headroom (ignored under `overflow`) and the overage within
   * the spend limit's room. `reject` takes all or nothing (null); `cap` and `overflow` take what fits.
   */
  #fit(customer: CustomerRecord, units: Units, behavior: LockOverageBehavior, gate: DeductionGate): Units | null {
    const windowed = behavior === 'overflow' || gate.headroom === null ? units : min(units, gate.headroom);
    const fromGrants = min(windowed, this.available(customer));
    const overageAllowed = this.overageAllowed(customer) || behavior === 'overflow';
    const overage = overageAllowed ? (gate.overage === null ? windowed - fromGrants : min(windowed - fromGrants, gate.overage)) : 0n;
    const fits = fromGrants + overage;
    return fits < units && behavior === 'reject' ? null : fits;
  }

  /**
   * Deducts `units` (> 0) under a deduction mode. A plan with an overage price takes everything (usage-based
   * billing). Otherwise `reject` deducts all or nothing (`deducted: null` when it does not fit), `cap` deducts what
   * fits, `overflow` deducts it all, past zero. Billing controls narrow it through `gate` (see `#fit`). Returns what
   * was deducted and from which grants.
   */
  deduct(
    customer: CustomerRecord,
    units: Units,
    behavior: LockOverageBehavior,
    gate: DeductionGate = OPEN_GATE,
  ): { deducted: Units | null; items: DeductionItem[] } {
    if (units <= 0n || customer.grants.length === 0) return { deducted: units <= 0n ? 0n : null, items: [] };
    const deducted = this.#fit(customer, units, behavior, gate);
    if (deducted === null) return { deducted: null, items: [] };
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
  apply(
    customer: CustomerRecord,
    units: Units,
    behavior: LockOverageBehavior,
    gate: DeductionGate = OPEN_GATE,
  ): { moved: Units | null; items: DeductionItem[] } {
    if (units >= 0n) {
      const { deducted, items } = this.deduct(customer, units, behavior, gate);
      return { moved: deducted, items };
    }
    const items = this.refund(customer, -units, behavior);
    return { moved: items.reduce((sum, item) => sum + item.units, 0n), items };
  }

  // ---------------------------------------------------------------- billing controls

  /** The subject of a request: the customer, its entity when `entityId` names one, and the event properties. */
  subject(customer: CustomerRecord, entityId: string | null, properties: Readonly<Record<string, unknown>> = {}): Subject {
    return { customer, entity: entityId === null ? null : (customer.entities.get(entityId) ?? null), properties };
  }

  /**
   * The anchor usage-limit windows align to: the customer's resetting plan grant's next reset (Autumn's anchor
   * entitlement, getUsageWindowAnchorTimestamp.ts), else none (UTC calendar windows).
   */
  #windowAnchor(customer: CustomerRecord): number | null {
    const grant = customer.grants.find((candidate) => candidate.source === 'plan' && candidate.interval !== 'one_off');
    return grant ? nextResetAt(grant) : null;
  }

  /**
   * The usage limits that apply to `subject` for the credit feature (fullSubjectToUsageWindowLimits.ts): one per
   * filter identity, the entity's own entry winning over the customer's (and counting in the entity's own window),
   * a disabled entry applying nothing; with `matchProperties`, only those whose filter the event's properties meet.
   */
  usageWindows(subject: Subject, matchProperties = true): ResolvedWindow[] {
    const featureId = this.config.featureId;
    const own = (subject.entity?.controls.usage_limits ?? []).filter((entry) => entry.feature_id === featureId);
    const inherited = (subject.customer.controls.usage_limits ?? []).filter((entry) => entry.feature_id === featureId);
    const identities = new Set([...own, ...inherited].map((entry) => filterKey(entry.filter)));
    const now = this.now();
    const resolved: ResolvedWindow[] = [];
    for (const identity of identities) {
      const entityEntry = own.find((entry) => filterKey(entry.filter) === identity);
      const entry = entityEntry ?? inherited.find((candidate) => filterKey(candidate.filter) === identity);
      if (!entry || entry.enabled === false) continue;
      if (matchProperties && !filterMatches(entry.filter, subject.properties)) continue;
      const bounds = usageWindowBounds(entry.interval, now, entry.anchor === 'utc' ? null : this.#windowAnchor(subject.customer));
      const scope = entityEntry && subject.entity ? `entity:${subject.entity.id}` : 'customer';
      resolved.push({ key: `${scope}|${featureId}|${identity}`, entry, limit: this.toUnits(entry.limit), ...bounds });
    }
    return resolved;
  }

  /** What `window` has counted so far: 0 when its counter is stamped with another window (it rolled, or re-anchored). */
  windowUsage(customer: CustomerRecord, window: Pick<ResolvedWindow, 'key' | 'start' | 'end'>): Units {
    const counter = customer.windows.get(window.key);
    if (!counter || counter.start !== window.start || counter.end <= this.now()) return 0n;
    return counter.usage;
  }

  #countWindows(customer: CustomerRecord, windows: readonly ResolvedWindow[], units: Units): void {
    if (units <= 0n) return;
    for (const window of windows) {
      customer.windows.set(window.key, { start: window.start, end: window.end, usage: this.windowUsage(customer, window) + units });
    }
  }

  /** A lock given back frees window headroom, clamped at 0, in the current window only (decrement_usage_windows_for_unwind). */
  #uncountWindows(customer: CustomerRecord, windows: readonly ResolvedWindow[], units: Units): void {
    if (units <= 0n) return;
    for (const window of windows) {
      const usage = this.windowUsage(customer, window);
      if (usage > 0n) customer.windows.set(window.key, { start: window.start, end: window.end, usage: max(0n, usage - units) });
    }
  }

  /** Overage: usage past each grant, summed over the feature's grants (the spend limit's measure). */
  overage(customer: CustomerRecord): Units {
    return customer.grants.reduce((sum, grant) => sum + max(0n, grant.usage - grant.granted), 0n);
  }

  /**
   * The spend limit's overage cap for `subject`, in units, or null when none applies (fullSubjectToSpendLimit.ts):
   * the entity's entry for the feature, else the customer's, counting only entries with an `overage_limit`; it must
   * be enabled. A `usage_percentage` limit is that percent of the main recurring plan's allowance (top-ups excluded),
   * no cap when that allowance is 0 (resolveSpendLimitOverageLimit.ts).
   */
  spendCap(subject: Subject): Units | null {
    const featureId = this.config.featureId;
    const matches = (entry: { feature_id?: string; overage_limit?: number }) => entry.feature_id === featureId && entry.overage_limit !== undefined;
    const entry = subject.entity?.controls.spend_limits?.find(matches) ?? subject.customer.controls.spend_limits?.find(matches);
    if (!entry?.enabled || entry.overage_limit === undefined) return null;
    const limit = this.toUnits(entry.overage_limit);
    if (entry.limit_type !== 'usage_percentage') return limit;
    const allowance = subject.customer.grants
      .filter((grant) => grant.source === 'plan' && grant.interval !== 'one_off')
      .reduce((sum, grant) => sum + grant.granted, 0n);
    if (allowance === 0n) return null;
    return (limit * allowance) / (100n * 10n ** BigInt(this.places));
  }

  /** What the billing controls let a consumption by `subject` take (see `#fit`). */
  gate(subject: Subject, behavior: LockOverageBehavior): DeductionGate {
    const windows = this.usageWindows(subject);
    let headroom: Units | null = null;
    for (const window of windows) {
      const room = max(0n, window.limit - this.windowUsage(subject.customer, window));
      if (headroom === null || room < headroom) headroom = room;
    }
    const cap = this.spendCap(subject);
    return {
      headroom: behavior === 'overflow' ? null : headroom,
      overage: cap === null ? null : max(0n, cap - this.overage(subject.customer)),
      windows,
    };
  }

  /** Whether `units` (> 0) would fit under `reject`, billing controls included. */
  fits(subject: Subject, units: Units): boolean {
    if (subject.customer.grants.length === 0) return units <= 0n;
    return units <= 0n || this.#fit(subject.customer, units, 'reject', this.gate(subject, 'reject')) !== null;
  }

  /**
   * Moves a signed amount for `subject` within its billing controls and counts a consumption in the usage windows
   * that apply (a refund moves no window). No webhooks, no auto top-up: see `consume`.
   */
  #consume(subject: Subject, units: Units, behavior: LockOverageBehavior): { moved: Units | null; items: DeductionItem[] } {
    if (units < 0n) return this.apply(subject.customer, units, behavior);
    const gate = this.gate(subject, behavior);
    const result = this.apply(subject.customer, units, behavior, gate);
    if (result.moved !== null) this.#countWindows(subject.customer, gate.windows, result.moved);
    return result;
  }

  /**
   * A balance change by `subject` (a track, a `send_event` check, a lock): moved within the billing controls, then
   * what Autumn does after a deduction (fireTrackWebhooks.ts, triggerAutoTopUp.ts) — usage alerts and
   * `limit_reached` recorded, an auto top-up queued when due. `moved: null` when `reject` did not fit: nothing moved.
   */
  consume(subject: Subject, units: Units, behavior: LockOverageBehavior): { moved: Units | null; items: DeductionItem[] } {
    const before = this.#observe(subject);
    const result = this.#consume(subject, units, behavior);
    if (result.moved === null) return result;
    this.#afterChange(subject, before);
    return result;
  }

  /**
   * Whether `subject` may use `required` units now, and which limit refuses it (apiBalanceToAllowed.ts): no grant
   * refuses; a negative amount is allowed; a usage limit without the headroom refuses first (`usage_limit`, even with
   * balance left); with overage allowed, a spend limit bounds it (`spend_limit`); else what is left must cover it
   * (`included`).
   */
  allowedFor(subject: Subject, required: Units): { allowed: boolean; limitType?: LimitType } {
    const customer = subject.customer;
    if (customer.grants.length === 0) return { allowed: false };
    if (required < 0n) return { allowed: true };
    for (const window of this.usageWindows(subject)) {
      if (required > max(0n, window.limit - this.windowUsage(customer, window))) return { allowed: false, limitType: 'usage_limit' };
    }
    const available = this.available(customer);
    if (this.overageAllowed(customer)) {
      const cap = this.spendCap(subject);
      if (cap === null) return { allowed: true };
      return available + max(0n, cap - this.overage(customer)) >= required ? { allowed: true } : { allowed: false, limitType: 'spend_limit' };
    }
    return available >= required ? { allowed: true } : { allowed: false, limitType: 'included' };
  }

  #observe(subject: Subject): { balance: BalanceUnits; allowed: boolean } {
    return { balance: this.balanceUnits(subject.customer), allowed: this.allowedFor(subject, this.toUnits(LIMIT_REACHED_PROBE)).allowed };
  }

  #webhook(type: WebhookRecord['type'], data: Record<string, unknown>, suppressionKey?: string): void {
    if (suppressionKey !== undefined) {
      if (this.#sentWebhookKeys.has(suppressionKey)) return;
      this.#sentWebhookKeys.add(suppressionKey);
    }
    this.webhooks.push({ type, data, createdAt: this.now() });
  }

  /** What follows a balance change: usage alerts, `limit_reached`, an auto top-up (fireTrackWebhooks.ts). */
  #afterChange(subject: Subject, before: { balance: BalanceUnits; allowed: boolean }): void {
    const customer = subject.customer;
    const after = this.balanceUnits(customer);
    // Customer alerts on the aggregate balance; an entity's own alerts as well, on the balance it sees (the shared
    // pool: every grant is the customer's here).
    this.#usageAlerts(customer, null, customer.controls.usage_alerts ?? [], before.balance, after);
    if (subject.entity) this.#usageAlerts(customer, subject.entity.id, subject.entity.controls.usage_alerts ?? [], before.balance, after);
    const now = this.allowedFor(subject, this.toUnits(LIMIT_REACHED_PROBE));
    if (before.allowed && !now.allowed) {
      // A filtered usage limit that is the block names its filter, so the receiver knows which slice hit its cap.
      const filter =
        now.limitType === 'usage_limit'
          ? this.usageWindows(subject).find((window) => window.entry.filter && this.windowUsage(customer, window) >= window.limit)?.entry.filter
          : undefined;
      this.#webhook('balances.limit_reached', {
        customer_id: customer.id,
        feature_id: this.config.featureId,
        limit_type: now.limitType ?? 'included',
        ...(subject.entity ? { entity_id: subject.entity.id } : {}),
        ...(filter ? { filter } : {}),
      });
    }
    this.triggerAutoTopUp(customer);
  }

  /**
   * Records `balances.usage_alert_triggered` for each enabled alert of the feature (or of every feature) whose
   * threshold the change crossed — upwards for usage, downwards for remaining (checkUsageAlerts.ts wasThresholdCrossed:
   * percentages of `granted`, every grant of the feature), at most once a minute per alert (its idempotency key).
   */
  #usageAlerts(customer: CustomerRecord, entityId: string | null, alerts: readonly DbUsageAlert[], old: BalanceUnits, now: BalanceUnits): void {
    const scale = 10n ** BigInt(this.places);
    for (const alert of alerts) {
      if (!alert.enabled || (alert.feature_id !== undefined && alert.feature_id !== this.config.featureId)) continue;
      const threshold = this.toUnits(alert.threshold);
      let crossed: boolean;
      switch (alert.threshold_type) {
        case 'usage':
          crossed = old.usage < threshold && now.usage >= threshold;
          break;
        case 'remaining':
          crossed = now.remaining <= threshold && old.remaining > threshold;
          break;
        case 'usage_percentage':
          // usage / granted * 100 >= threshold, in integers: usage * 100 * scale >= threshold_units * granted.
          crossed =
            old.granted > 0n &&
            now.granted > 0n &&
            old.usage * 100n * scale < threshold * old.granted &&
            now.usage * 100n * scale >= threshold * now.granted;
          break;
        case 'remaining_percentage':
          crossed =
            old.granted > 0n &&
            now.granted > 0n &&
            now.remaining * 100n * scale <= threshold * now.granted &&
            old.remaining * 100n * scale > threshold * old.granted;
          break;
      }
      if (!crossed) continue;
      const scope = entityId === null ? 'customer' : 'entity';
      const minute = Math.floor(this.now() / 60_000);
      this.#webhook(
        'balances.usage_alert_triggered',
        {
          customer_id: customer.id,
          feature_id: this.config.featureId,
          ...(entityId === null ? {} : { entity_id: entityId }),
          usage_alert: { ...(alert.name === undefined ? {} : { name: alert.name }), threshold: alert.threshold, threshold_type: alert.threshold_type },
        },
        [customer.id, entityId ?? '_', scope, this.config.featureId, alert.threshold_type, alert.threshold, minute].join(':'),
      );
    }
  }

  // ---------------------------------------------------------------- auto top-ups

  #autoTopUpState(customer: CustomerRecord): AutoTopUpState {
    const featureId = this.config.featureId;
    let state = customer.autoTopUps.get(featureId);
    if (!state) {
      // Autumn creates its limit-state row with every window ending now: the first attempt opens them.
      const now = this.now();
      state = { purchase: { endsAt: now, count: 0 }, attempt: { endsAt: now, count: 0 }, failedAttempt: { endsAt: now, count: 0 } };
      customer.autoTopUps.set(featureId, state);
    }
    return state;
  }

  /** The stored auto top-up runtime state, if a top-up was ever attempted or its count set. */
  autoTopUpStateOf(customer: CustomerRecord): AutoTopUpState | undefined {
    return customer.autoTopUps.get(this.config.featureId);
  }

  /**
   * Sets the purchase window's count (`customers.update` with `purchase_limit.count`, syncAutoTopupPurchaseLimitCounts):
   * an active window keeps its end, a stale one is projected forward so the count is not read back as 0.
   */
  setAutoTopUpCount(customer: CustomerRecord, config: DbAutoTopup, count: number): void {
    const state = this.#autoTopUpState(customer);
    const now = this.now();
    const limit = config.purchase_limit;
    const endsAt = state.purchase.endsAt > now || !limit ? state.purchase.endsAt : normalizeWindow(state.purchase, now, limit).endsAt;
    state.purchase = { endsAt, count };
  }

  /**
   * The auto top-up's objects (fullCustomerToAutoTopupObjects.ts): the enabled config for the credit feature, the
   * prepaid grant it charges (the most recently bought top-up: auto top-ups need a one-off prepaid purchase to
   * repeat) and whether the balance — granted minus used, overage negative — is at or below the threshold. Null when
   * a prerequisite is missing.
   */
  #autoTopUpObjects(customer: CustomerRecord): { config: DbAutoTopup; prepaid: Grant; pack: { price: number; credits: number }; below: boolean } | null {
    const config = customer.controls.auto_topups?.find((entry) => entry.feature_id === this.config.featureId);
    if (!config?.enabled || customer.grants.length === 0) return null;
    const prepaid = customer.grants.filter((grant) => grant.source === 'top_up' && grant.pack !== null).sort((a, b) => b.createdAt - a.createdAt)[0];
    if (!prepaid?.pack) return null;
    const balance = customer.grants.reduce((sum, grant) => sum + grant.granted - grant.usage, 0n);
    return { config, prepaid, pack: prepaid.pack, below: balance <= this.toUnits(config.threshold) };
  }

  /**
   * Queues an auto top-up when the balance is at or below the threshold and none is pending (Autumn's burst
   * suppression: one queued job per customer and feature). It runs `autoTopUpDelayMs` later, or at `flush()`.
   */
  triggerAutoTopUp(customer: CustomerRecord, force = false): void {
    const objects = this.#autoTopUpObjects(customer);
    if (!force && !objects?.below) return;
    if (this.#topUpsPending.has(customer.id)) return;
    this.#topUpsPending.add(customer.id);
    const id = customer.id;
    this.enqueue(() => {
      this.#topUpsPending.delete(id);
      this.#runAutoTopUp(id);
    }, this.#timing.autoTopUpDelayMs ?? this.#timing.asyncTrackDelayMs);
  }

  #topUpFailed(customer: CustomerRecord, reason: string, config: DbAutoTopup | null, suppressionKey?: string): void {
    this.#webhook(
      'billing.auto_topup_failed',
      {
        customer_id: customer.id,
        feature_id: this.config.featureId,
        reason,
        quantity: config?.quantity ?? null,
        threshold: config?.threshold ?? null,
        balance: this.toCredits(this.available(customer)),
        invoice_mode: config ? config.invoice_mode === true : null,
        error: null,
      },
      suppressionKey,
    );
  }

  /**
   * The queued auto top-up (autoTopup.ts, setupAutoTopupContext.ts, preflightAutoTopupLimits.ts): re-reads the
   * customer; needs a card on file unless `invoice_mode`; refused past the purchase limit's count in its window, or
   * Autumn's fixed 2 attempts per 10 minutes. Buys `quantity` rounded up to whole packs, pays any overage down first
   * and adds the rest to the prepaid grant (computeRebalancedAutoTopUp.ts), and records a paid invoice (open in
   * `invoice_mode`) and `billing.auto_topup_succeeded`. A refusal records `billing.auto_topup_failed` with Autumn's
   * reason.
   */
  #runAutoTopUp(customerId: string): void {
    const customer = this.customers.get(customerId);
    if (!customer) return;
    const hasCard = customer.paymentMethod || this.#timing.cardsOnFile === true;
    const autoTopUp = customer.controls.auto_topups?.find((entry) => entry.feature_id === this.config.featureId) ?? null;
    // No Stripe customer (no card, nothing ever bought): Autumn stops before reading the config.
    if (!hasCard && customer.invoices.length === 0 && customer.purchases.length === 0) {
      this.#topUpFailed(customer, 'customer_unavailable', autoTopUp);
      return;
    }
    const objects = this.#autoTopUpObjects(customer);
    if (!objects) {
      this.#topUpFailed(customer, 'configuration_unavailable', autoTopUp);
      return;
    }
    if (!objects.below) return;
    const { config, prepaid, pack } = objects;
    const invoiceMode = config.invoice_mode === true;
    if (!invoiceMode && !hasCard) {
      this.#topUpFailed(customer, 'missing_payment_method', config);
      return;
    }
    const state = this.#autoTopUpState(customer);
    const now = this.now();
    const purchase = config.purchase_limit ? normalizeWindow(state.purchase, now, config.purchase_limit) : null;
    state.attempt = normalizeWindow(state.attempt, now, AUTO_TOP_UP_ATTEMPT_LIMIT);
    state.failedAttempt = normalizeWindow(state.failedAttempt, now, AUTO_TOP_UP_FAILED_ATTEMPT_LIMIT);
    if (purchase) state.purchase = purchase;
    const blocked =
      purchase && config.purchase_limit && purchase.count >= config.purchase_limit.limit
        ? { reason: 'purchase_limit_reached', endsAt: purchase.endsAt }
        : state.attempt.count >= AUTO_TOP_UP_ATTEMPT_LIMIT.limit
          ? { reason: 'attempt_limit_reached', endsAt: state.attempt.endsAt }
          : state.failedAttempt.count >= AUTO_TOP_UP_FAILED_ATTEMPT_LIMIT.limit
            ? { reason: 'failed_attempt_limit_reached', endsAt: state.failedAttempt.endsAt }
            : null;
    if (blocked) {
      // One failure webhook per blocked window (its suppression key).
      this.#topUpFailed(customer, blocked.reason, config, [customer.id, this.config.featureId, blocked.reason, blocked.endsAt].join(':'));
      return;
    }

    const packs = BigInt(Math.ceil(config.quantity / pack.credits));
    const quantity = this.toUnits(pack.credits) * packs;
    // Pay overage down first (grants that allow overage, oldest first), never past 0; the rest is new balance on
    // the prepaid grant, which is bought in full (its granted grows by the whole quantity).
    let paid = 0n;
    const owing = customer.grants
      .filter((grant) => grant !== prepaid && grant.usage > grant.granted)
      .sort((a, b) => Number(b.overagePrice !== null) - Number(a.overagePrice !== null) || a.createdAt - b.createdAt);
    for (const grant of owing) {
      const amount = min(quantity - paid, grant.usage - grant.granted);
      grant.usage -= amount;
      paid += amount;
    }
    prepaid.granted += quantity;
    prepaid.usage += paid;
    const total = Number(packs) * pack.price;
    const invoice = this.recordInvoice(customer, prepaid.planId, total, invoiceMode ? 'open' : 'paid');
    state.attempt = { ...state.attempt, count: state.attempt.count + 1 };
    if (purchase) state.purchase = { ...purchase, count: purchase.count + 1 };
    this.#webhook('billing.auto_topup_succeeded', {
      customer_id: customer.id,
      feature_id: this.config.featureId,
      quantity_granted: this.toCredits(quantity),
      threshold: config.threshold,
      balance_after: this.toCredits(this.available(customer)),
      invoice_mode: invoiceMode,
      // Stripe's invoice: the total in the smallest currency unit.
      invoice: { stripe_id: invoice.stripeId, status: invoice.status, total: Math.round(total * 100), currency: invoice.currency, hosted_invoice_url: null },
    });
  }

  /** An invoice of a paid purchase (an attach charged, a checkout paid, an auto top-up). */
  recordInvoice(customer: CustomerRecord, planId: string, total: number, status: InvoiceRecord['status'] = 'paid'): InvoiceRecord {
    const invoice: InvoiceRecord = {
      stripeId: this.nextId('in_test'),
      planIds: [planId],
      status,
      total,
      currency: this.config.currency.toLowerCase(),
      createdAt: this.now(),
    };
    customer.invoices.push(invoice);
    return invoice;
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
    // A lock is gated like a deduction: under `reject` it must fit the balance, the usage windows' headroom and the
    // spend limit (usage-window-lock.test.ts: "an over-cap lock is rejected"); it counts in the windows at once.
    const subject = this.subject(customer, lock.entityId, lock.properties);
    if (lock.behavior === 'reject' && !this.fits(subject, lock.units)) return { allowed: false, lock: null };
    if (this.locks.has(lock.id)) throw new StandInApiError(409, 'lock_already_exists', 'A lock with this ID already exists');
    const { moved, items } = this.consume(subject, lock.units, lock.behavior);
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
    const subject = this.subject(customer, lock.entityId, params.properties ?? lock.properties);
    const before = this.#observe(subject);
    const items = unwind > 0n ? this.unwind(customer, lock.items, unwind) : [];
    // Giving back part of a positive lock frees the usage windows' headroom it took.
    if (held > 0n && unwind > 0n) this.#uncountWindows(customer, this.usageWindows(subject), min(unwind, held));
    if (extra !== 0n) {
      // The reject case was refused above if the balance cannot hold it; what is left is deducted as Autumn's
      // finalize deducts (its default `cap`): usage windows and the spend limit clamp the extra rather than refuse
      // it (usage-window-lock.test.ts lock4: "finalize above the lock value is capped at the window limit").
      const behavior = lock.overageBehavior === 'reject' ? 'cap' : lock.overageBehavior;
      const moved = this.#consume(subject, extra, behavior);
      items.push(...moved.items);
    }
    this.#afterChange(subject, before);
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
    // A paid checkout leaves an invoice. (Whether Stripe saves the card for later charges is not modelled: a card on
    // file comes from `autoCompleteCheckout` or the seed's `paymentMethod`.)
    if (plan.price > 0) this.recordInvoice(customer, plan.id, plan.price * checkout.packs);
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
