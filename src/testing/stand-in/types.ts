/**
 * Public types of the in-memory Autumn stand-in (`autumn-ai-credits/testing`).
 *
 * The stand-in speaks the Autumn 1.x wire protocol (POST, snake_case JSON, `Authorization: Bearer`) that the real
 * `autumn-js` 1.3.x SDK sends, so the SDK, its backend handler (`autumn-js/fetch`) and `autumn-js/react` run against it
 * unchanged. Nothing here imports Node built-ins: the module loads in a browser (Storybook) as well as in Vitest.
 */
import type { CreditsConfig } from '../../core/config.js';

export interface AutumnStandInOptions {
  /** Plans, top-ups and the credit feature. Default: `defaultCreditsConfig` from the kit's core. */
  config?: CreditsConfig;
  /** Requests without `Authorization: Bearer <secretKey>` get a 401. Default `'am_sk_test_stand_in'`. */
  secretKey?: string;
  /**
   * Initial clock (ms since epoch). Default: the real time when the stand-in is created, so clients that stamp lock
   * expiries with `Date.now()` (the credit meter does) work unchanged. Pass {@link STAND_IN_EPOCH} for fixed dates.
   */
  now?: number;
  /**
   * Origin the stand-in pretends to live at when it has no server of its own (in-process `fetch`, MSW handlers).
   * Checkout URLs are built from the origin a request arrived at. Default `'http://autumn.stand-in'`.
   */
  origin?: string;
  /**
   * `balances.check` / `balances.track` on an unknown customer id: `false` (default) answers Autumn's
   * `404 customer_not_found`; `true` creates the customer on the config's default plan first, like
   * `customers.get_or_create`.
   */
  autoCreateCustomers?: boolean;
  /**
   * When true, every customer behaves as if a card were on file: `billing.attach` of a paid plan charges it at once
   * (the plan / top-up is granted immediately) and answers `payment_url: null` with a paid `invoice`, as Autumn does
   * for a customer with a saved payment method. autumn-js/react then refetches instead of redirecting, which is what
   * a story wants. Default false: paid attaches answer a checkout URL, and the purchase completes when that URL is
   * opened or `completeCheckout()` is called.
   */
  autoCompleteCheckout?: boolean;
  /**
   * How long (ms) a tracked event takes to reach `events.list` / `events.aggregate`. Autumn writes events to its
   * analytics store in batches, so they show up there a few seconds after the balance moved (its own tests wait
   * 3 s or poll). Default {@link DEFAULT_EVENT_DELAY_MS} (2 s). A delay passes in real time or when the stand-in's
   * clock is moved past it; `flush()` ends every delay at once.
   */
  eventDelayMs?: number;
  /** How long (ms) an `async: true` track waits in the queue before it is applied. Default 500 ms. */
  asyncTrackDelayMs?: number;
  /** Event names that address the credit feature in `track({ event_name })` (the feature's `event_names`). Default none. */
  eventNames?: readonly string[];
  /**
   * Non-consumable features (e.g. `'seats'`) that `entities.create` accepts as an entity's `feature_id`; Autumn
   * refuses an unknown feature (404) and the credit feature (consumable, 400). Default none.
   */
  entityFeatures?: readonly string[];
  /**
   * How long (ms) a queued auto top-up waits before it runs: Autumn runs it on a queue worker after the track that
   * brought the balance to or below the threshold. Default 1 s; `flush()` runs it at once.
   */
  autoTopUpDelayMs?: number;
}

/** A fault the stand-in plays instead of answering normally. */
export type StandInFault =
  /** Waits `ms` (real time), then answers normally. */
  | { kind: 'latency'; ms: number }
  /** Answers this HTTP status with `body` (JSON) or Autumn's error shape; the request has no effect. */
  | { kind: 'status'; status: number; body?: unknown }
  /** Never answers, until the client aborts (its timeout) or the server closes. The request has no effect. */
  | { kind: 'timeout' }
  /** Drops the connection: a socket reset over HTTP, a `TypeError: fetch failed` from `standIn.fetch`, a network error under MSW. */
  | { kind: 'drop' }
  /**
   * `balances.check` only: Autumn's own fallback when its dependencies fail — HTTP 202 with `allowed: true`,
   * `balance: null`, no lock and nothing deducted, whatever the balance. A meter must not take it as a hold.
   */
  | { kind: 'fail-open' };

export interface StandInFaultOptions {
  /** How many matching requests the fault applies to; default: every one until removed. */
  times?: number;
}

export interface StandInFaults {
  /**
   * Plays `fault` on requests to `route` — the Autumn operation as in the URL (`'balances.track'`,
   * `'customers.get_or_create'`, `'billing.attach'`; for the 0.x routes the path after `/v1/`: `'check'`, `'track'`,
   * `'customers/:id'`, `'events/list'`...; `'checkout-page'` for the checkout page) or `'*'` for every route.
   * Returns a function that removes this fault. Faults are matched in the order they were injected.
   */
  inject(route: string, fault: StandInFault, opts?: StandInFaultOptions): () => void;
  /** Removes every fault. */
  clear(): void;
}

export interface StandInClock {
  now(): number;
  set(ms: number): void;
  advance(ms: number): void;
}

export interface StandInCustomerSeed {
  /** Plan the customer is on; default the config's default plan (`isDefault`). A `top_up` plan is refused. */
  planId?: string;
  /** Credits left on the plan's grant (usage = included - remaining). Exclusive with `usage`. */
  remaining?: number;
  /** Credits already used on the plan's grant this cycle. Exclusive with `remaining`. */
  usage?: number;
  /** Credits on a one-off top-up grant, which never expires nor resets. */
  topUpCredits?: number;
  name?: string;
  email?: string;
  /** A card on file: auto top-ups can charge it. Every customer has one under `autoCompleteCheckout`. Default false. */
  paymentMethod?: boolean;
}

/** The customer's credit balance as numbers, for assertions. */
export interface StandInBalance {
  granted: number;
  remaining: number;
  usage: number;
  unlimited: boolean;
  overageAllowed: boolean;
}

export interface StandInEvent {
  readonly id: string;
  readonly featureId: string;
  readonly value: number;
  readonly properties: Record<string, unknown>;
  readonly timestamp: number;
}

/** The webhooks the stand-in records where Autumn would send them (Svix). */
export type StandInWebhookType =
  | 'balances.usage_alert_triggered'
  | 'balances.limit_reached'
  | 'billing.auto_topup_succeeded'
  | 'billing.auto_topup_failed';

/**
 * A webhook Autumn would have sent, with its `data` as Autumn's schemas shape it (snake_case):
 * `balances.usage_alert_triggered` { customer_id, feature_id, entity_id?, usage_alert: { name?, threshold,
 * threshold_type } }; `balances.limit_reached` { customer_id, feature_id, limit_type: included | spend_limit |
 * usage_limit, entity_id?, filter? }; `billing.auto_topup_succeeded` { customer_id, feature_id, quantity_granted,
 * threshold, balance_after, invoice_mode, invoice: { stripe_id, status, total (smallest currency unit), currency,
 * hosted_invoice_url } }; `billing.auto_topup_failed` { customer_id, feature_id, reason, quantity, threshold,
 * balance, invoice_mode, error }.
 */
export interface StandInWebhook {
  readonly type: StandInWebhookType;
  readonly data: Record<string, unknown>;
  /** When it was sent, on the stand-in's clock. */
  readonly createdAt: number;
}

/** An invoice of a paid purchase: a paid attach or checkout, or an auto top-up. */
export interface StandInInvoice {
  readonly stripeId: string;
  readonly planIds: readonly string[];
  readonly status: 'paid' | 'open';
  /** In the currency's major unit. */
  readonly total: number;
  readonly currency: string;
  readonly createdAt: number;
}

/** A checkout the stand-in opened for a paid attach. */
export interface StandInCheckout {
  readonly id: string;
  readonly url: string;
  readonly customerId: string;
  readonly planId: string;
  readonly status: 'open' | 'completed';
  readonly successUrl: string | null;
}

export interface AutumnStandIn {
  readonly config: CreditsConfig;
  readonly secretKey: string;
  /** The origin of {@link AutumnStandInOptions.origin} (or the server's URL once started). */
  readonly origin: string;
  /** Serves `/v1/*` and the checkout page (`/checkout/:id`); pure fetch semantics. Rejects with a TypeError for a `drop` fault. */
  handle(request: Request): Promise<Response>;
  /** `handle()` as a fetch function, to inject into clients. */
  readonly fetch: typeof fetch;
  /** Resets and lock expiry follow this clock, not the wall clock. */
  readonly clock: StandInClock;
  readonly faults: StandInFaults;
  /** Creates (or replaces) a customer in a given state. */
  seedCustomer(id: string, seed?: StandInCustomerSeed): void;
  /** The customer's balance of the config's feature. Throws for an unknown customer. */
  balance(customerId: string): StandInBalance;
  /** Every event recorded for the customer, oldest first. Throws for an unknown customer. */
  events(customerId: string): ReadonlyArray<StandInEvent>;
  /**
   * Ends every pending delay now: queued `async: true` tracks are applied and every event reaches `events.list` /
   * `events.aggregate` — what waiting a few seconds does on Autumn.
   */
  flush(): void;
  /**
   * The webhooks Autumn would have sent so far (usage alerts, limits reached, auto top-ups succeeded or failed),
   * oldest first, optionally of one type.
   */
  webhooks(type?: StandInWebhookType): ReadonlyArray<StandInWebhook>;
  /** The customer's invoices, oldest first. Throws for an unknown customer. */
  invoices(customerId: string): ReadonlyArray<StandInInvoice>;
  /** Every checkout opened so far, oldest first. */
  checkouts(): ReadonlyArray<StandInCheckout>;
  /** What a successful payment does: attaches the plan / grants the top-up. Takes the checkout URL or its id. */
  completeCheckout(urlOrSessionId: string): void;
  /** Forgets every customer, lock, event, checkout and fault; puts the clock back to its initial time. */
  reset(): void;
}

/** What `identify` returns for a backend request: the signed-in customer, or null when nobody is signed in. */
export type StandInIdentity = {
  customerId: string;
  customerData?: { name?: string; email?: string };
} | null;

export type StandInIdentify = (request: Request) => StandInIdentity | Promise<StandInIdentity>;

export interface StartAutumnStandInOptions extends AutumnStandInOptions {
  /**
   * When given, the server also serves autumn-js's own backend handler (`autumnHandler` from `autumn-js/fetch`) at
   * `/api/autumn/*`, pointed at this server, so `<AutumnProvider backendUrl={url}>` works.
   */
  identify?: StandInIdentify;
  /** Port to bind on 127.0.0.1; default 0 (a free port). */
  port?: number;
}

export interface RunningAutumnStandIn extends AutumnStandIn {
  /** `http://127.0.0.1:<port>`: the SDK's `serverURL` and the React `backendUrl`. */
  readonly url: string;
  /** Stops the server; answers pending `timeout` faults by closing their connections. */
  close(): Promise<void>;
}

export interface AutumnStandInHandlersOptions {
  /** Who is signed in, for the backend routes `/api/autumn/*`. */
  identify: StandInIdentify;
  /** Origin (and optional path) the React `AutumnProvider` talks to; default the page's own origin. */
  backendUrl?: string;
  /** Path prefix of the backend routes; default `/api/autumn` (autumn-js's default). */
  pathPrefix?: string;
}
