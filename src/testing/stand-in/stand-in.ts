/**
 * `createAutumnStandIn`: the in-memory Autumn as a fetch handler. See `./types.ts` for the public contract and
 * `./ledger.ts` for the balance rules.
 */
import { defaultCreditsConfig, findPlan } from '../../core/config.js';
import { droppedConnectionError, invalidInputs, StandInApiError } from './errors.js';
import { Ledger } from './ledger.js';
import { legacyRouteOf } from './legacy.js';
import { apiVersionOf, servesLegacyRoutes, servesV1Routes } from './version.js';
import { ROUTES, type RouteContext } from './routes.js';
import type {
  AutumnStandIn,
  AutumnStandInOptions,
  StandInBalance,
  StandInCheckout,
  StandInCustomerSeed,
  StandInEvent,
  StandInFault,
  StandInFaultOptions,
  StandInInvoice,
  StandInWebhook,
  StandInWebhookType,
} from './types.js';

/** The stand-in's default clock: 2025-01-01T00:00:00.000Z, so monthly resets fall on the 1st. */
export const STAND_IN_EPOCH = Date.UTC(2025, 0, 1);
export const DEFAULT_STAND_IN_SECRET_KEY = 'am_sk_test_stand_in';
export const DEFAULT_STAND_IN_ORIGIN = 'http://autumn.stand-in';
/**
 * How long a tracked event takes to reach `events.list` / `events.aggregate` by default. Autumn batches events for
 * 350 ms, then its analytics store ingests them; its own tests wait 3 s or poll. Set `eventDelayMs: 0` where a test
 * does not care, or call `flush()`.
 */
export const DEFAULT_EVENT_DELAY_MS = 2_000;
/** How long an `async: true` track waits in the queue by default before it is applied. */
export const DEFAULT_ASYNC_TRACK_DELAY_MS = 500;
/**
 * How long a queued auto top-up waits by default before it runs. Autumn's runs on a queue worker after the track
 * that brought the balance down (its own tests wait 20 s); `flush()` runs it at once.
 */
export const DEFAULT_AUTO_TOP_UP_DELAY_MS = 1_000;

/** Internal extension used by the HTTP server to publish its URL. */
export interface AutumnStandInInternal extends AutumnStandIn {
  setOrigin(origin: string): void;
  /** Settles every request parked by a `timeout` fault as a dropped connection. */
  abortPending(): void;
}

interface InjectedFault {
  readonly route: string;
  readonly fault: StandInFault;
  remaining: number;
}

const JSON_HEADERS = { 'content-type': 'application/json' };

function json(body: unknown, status: number): Response {
  return new Response(JSON.stringify(body), { status, headers: JSON_HEADERS });
}

/** Autumn's check fallback body (202): `allowed: true` with no balance, for a check its dependencies could not serve. */
function checkFallback(body: Record<string, unknown>): Record<string, unknown> {
  const required = body.required_balance ?? body.required_quantity ?? 1;
  return {
    allowed: true,
    customer_id: typeof body.customer_id === 'string' ? body.customer_id : '',
    ...(typeof body.entity_id === 'string' ? { entity_id: body.entity_id } : {}),
    required_balance: typeof required === 'number' ? required : 1,
    balance: null,
    flag: null,
  };
}

function apiError(error: StandInApiError): Response {
  return json({ message: error.message, code: error.code, env: 'sandbox' }, error.status);
}

function html(body: string, status = 200): Response {
  return new Response(`<!doctype html><html><head><meta charset="utf-8"><title>Autumn stand-in checkout</title></head><body>${body}</body></html>`, {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8' },
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The 1.x operation a URL addresses: `balances.track` for `/v1/balances.track`, `checkout-page` for `/checkout/:id`. */
export function routeOf(pathname: string): string | null {
  const v1 = /^\/v1\/([A-Za-z_]+\.[A-Za-z_.]+)\/?$/.exec(pathname);
  if (v1) return v1[1]!;
  if (/^\/checkout\/[^/]+\/?$/.test(pathname)) return 'checkout-page';
  return null;
}

/** The 0.x REST paths that are 1.x operations under another name, for clients that ask for a 2.1+ version. */
const V1_ALIASES: Readonly<Record<string, string>> = { check: 'balances.check', track: 'balances.track' };

/** Autumn's 1.2 check fallback (202): the flat shape with `code: "feature_found"`. */
function checkFallbackV12(body: Record<string, unknown>): Record<string, unknown> {
  const required = body.required_balance ?? body.required_quantity ?? 1;
  return {
    allowed: true,
    code: 'feature_found',
    customer_id: typeof body.customer_id === 'string' ? body.customer_id : '',
    feature_id: typeof body.feature_id === 'string' ? body.feature_id : '',
    required_balance: typeof required === 'number' ? required : 1,
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export function createAutumnStandIn(options: AutumnStandInOptions = {}): AutumnStandIn {
  return createStandInInternal(options);
}

export function createStandInInternal(options: AutumnStandInOptions = {}): AutumnStandInInternal {
  const config = options.config ?? defaultCreditsConfig;
  const secretKey = options.secretKey ?? DEFAULT_STAND_IN_SECRET_KEY;
  const initialNow = options.now ?? Math.floor(Date.now() / 1000) * 1000;
  let origin = (options.origin ?? DEFAULT_STAND_IN_ORIGIN).replace(/\/+$/, '');
  let now = initialNow;
  const ledger = new Ledger(config, () => now, {
    eventDelayMs: options.eventDelayMs ?? DEFAULT_EVENT_DELAY_MS,
    asyncTrackDelayMs: options.asyncTrackDelayMs ?? DEFAULT_ASYNC_TRACK_DELAY_MS,
    autoTopUpDelayMs: options.autoTopUpDelayMs ?? DEFAULT_AUTO_TOP_UP_DELAY_MS,
    cardsOnFile: options.autoCompleteCheckout === true,
  });
  const eventNames = [...(options.eventNames ?? [])];
  const entityFeatures = [...(options.entityFeatures ?? [])];
  let faults: InjectedFault[] = [];
  const pending = new Set<() => void>();

  const clock = {
    now: () => now,
    set(ms: number) {
      if (!Number.isFinite(ms)) throw new TypeError(`clock.set needs a finite time, got ${ms}`);
      now = ms;
      ledger.sweep();
    },
    advance(ms: number) {
      if (!Number.isFinite(ms) || ms < 0) throw new TypeError(`clock.advance needs a finite, non-negative duration, got ${ms}`);
      now += ms;
      ledger.sweep();
    },
  };

  const faultControl = {
    inject(route: string, fault: StandInFault, opts?: StandInFaultOptions | null) {
      const entry: InjectedFault = { route, fault, remaining: opts?.times ?? Number.POSITIVE_INFINITY };
      faults.push(entry);
      return () => {
        faults = faults.filter((candidate) => candidate !== entry);
      };
    },
    clear() {
      faults = [];
    },
  };

  function takeFault(route: string): StandInFault | null {
    const entry = faults.find((candidate) => candidate.remaining > 0 && (candidate.route === '*' || candidate.route === route));
    if (!entry) return null;
    entry.remaining -= 1;
    if (entry.remaining <= 0) faults = faults.filter((candidate) => candidate !== entry);
    return entry.fault;
  }

  /** Parks the request until its signal aborts (the client's timeout) or the stand-in drops it. */
  function hang(signal: AbortSignal): Promise<never> {
    return new Promise<never>((_resolve, reject) => {
      const drop = () => {
        pending.delete(drop);
        reject(droppedConnectionError());
      };
      pending.add(drop);
      if (signal.aborted) {
        pending.delete(drop);
        reject(signal.reason);
        return;
      }
      signal.addEventListener(
        'abort',
        () => {
          pending.delete(drop);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }

  function checkoutPage(url: URL): Response {
    const checkout = ledger.findCheckout(url.pathname);
    if (!checkout) return html('<h1>Checkout not found</h1>', 404);
    ledger.completeCheckout(checkout);
    if (checkout.successUrl) {
      return new Response(null, { status: 303, headers: { location: checkout.successUrl } });
    }
    const plan = findPlan(config, checkout.planId);
    return html(`<h1>Payment complete</h1><p>${escapeHtml(plan?.name ?? checkout.planId)} for ${escapeHtml(checkout.customerId)}.</p>`);
  }

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const legacy = legacyRouteOf(request.method, url.pathname);
    const route = legacy ? legacy.name : routeOf(url.pathname);
    const fault = takeFault(route ?? url.pathname);
    if (fault && fault.kind !== 'fail-open') {
      switch (fault.kind) {
        case 'latency':
          await sleep(fault.ms, request.signal);
          break;
        case 'status':
          return json(
            fault.body ?? { message: `Stand-in fault: status ${fault.status}`, code: 'internal_error', env: 'sandbox' },
            fault.status,
          );
        case 'timeout':
          return hang(request.signal);
        case 'drop':
          throw droppedConnectionError();
      }
    }

    if (route === 'checkout-page') {
      ledger.sweep();
      return checkoutPage(url);
    }
    if (route === null) return apiError(new StandInApiError(404, 'not_found', `No route ${request.method} ${url.pathname}`));

    const authorization = request.headers.get('authorization') ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(authorization)?.[1]?.trim() ?? '';
    if (token === '') return apiError(new StandInApiError(401, 'no_secret_key', 'Secret key not found in Authorization header'));
    if (!/^am_(sk|pk)|^am_(oauth|jwt)_/.test(token)) return apiError(new StandInApiError(401, 'invalid_request', 'Invalid authorization token prefix'));
    if (token !== secretKey) return apiError(new StandInApiError(401, 'invalid_secret_key', `Invalid secret key: ${token.slice(0, 15)}${'*'.repeat(Math.max(0, token.length - 15))}`));

    const version = apiVersionOf(request.headers.get('x-api-version'));
    if (!version.ok) return apiError(new StandInApiError(400, 'invalid_api_version', version.message));
    // `/v1/check` and `/v1/track` are the same operations as `/v1/balances.check` / `.track` on Autumn, answered in
    // the shapes of the version asked for; the other REST paths are 0.x-only here.
    const alias = legacy && servesV1Routes(version.version) ? V1_ALIASES[legacy.name] : undefined;
    const operation = legacy && !alias ? undefined : ROUTES[alias ?? route];
    if (legacy && !alias && !servesLegacyRoutes(version.version)) {
      return apiError(new StandInApiError(400, 'invalid_api_version', `The Autumn stand-in answers /v1/${route} in the API 1.2 shapes only, not ${version.version}`));
    }
    if (!legacy && !servesV1Routes(version.version)) {
      return apiError(
        new StandInApiError(400, 'invalid_api_version', `The Autumn stand-in answers /v1/${route} in the API 2.1.0-2.4.0 shapes only, not ${version.version}`),
      );
    }
    if (!legacy && !operation) {
      return apiError(new StandInApiError(404, 'not_found', `The Autumn stand-in does not implement /v1/${route}`));
    }
    if (!legacy && request.method !== 'POST') {
      return apiError(new StandInApiError(405, 'invalid_request', `Use POST for /v1/${route}`));
    }

    let body: Record<string, unknown>;
    try {
      const text = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text();
      // Autumn reads a body that is not JSON as {} (and its validation then says what is missing).
      let parsed: unknown = {};
      try {
        parsed = text.trim() === '' ? {} : JSON.parse(text);
      } catch {
        parsed = {};
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalidInputs('The body must be a JSON object');
      body = parsed as Record<string, unknown>;
    } catch (error) {
      return apiError(error instanceof StandInApiError ? error : invalidInputs('The body is not valid JSON'));
    }

    if (fault?.kind === 'fail-open' && (route === 'balances.check' || route === 'check')) {
      // Autumn's own fallback when its dependencies fail: allowed, no balance, no lock, nothing deducted.
      return json(operation ? checkFallback(body) : checkFallbackV12(body), 202);
    }

    // From here to the response, nothing awaits: the read-check-write of a balance is atomic.
    const ctx: RouteContext = {
      ledger,
      origin: url.origin,
      autoCreateCustomers: options.autoCreateCustomers === true,
      autoCompleteCheckout: options.autoCompleteCheckout === true,
      eventNames,
      entityFeatures,
      apiVersion: version.version,
    };
    const releases: Array<() => void> = [];
    try {
      ledger.sweep();
      const headerKey = request.headers.get('idempotency-key');
      if (headerKey) releases.push(ledger.claimKey(`header:${headerKey}`, headerKey));
      const claimBodyKey = (key: string) => releases.push(ledger.claimKey(`track:${key}`, `track:${key}`));
      const result = operation
        ? operation(ctx, body, claimBodyKey)
        : legacy!.run(ctx, { body, params: legacy!.params, query: url.searchParams }, claimBodyKey);
      return json(result.body, result.status);
    } catch (error) {
      // A request that failed gives its idempotency keys back (a duplicate's 409 keeps them), as Autumn does.
      if (!(error instanceof StandInApiError && error.code === 'duplicate_idempotency_key')) for (const release of releases) release();
      if (error instanceof StandInApiError) return apiError(error);
      const message = error instanceof Error ? error.message : String(error);
      return apiError(new StandInApiError(500, 'internal_error', `Stand-in failure: ${message}`));
    }
  }

  const standInFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request && init === undefined ? input : new Request(input, init);
    return handle(request);
  }) as typeof fetch;

  function seedCustomer(id: string, seed: StandInCustomerSeed = {}): void {
    if (seed.remaining !== undefined && seed.usage !== undefined) {
      throw new TypeError('seedCustomer: give remaining or usage, not both');
    }
    ledger.sweep();
    for (const [lockId, lock] of ledger.locks) if (lock.customerId === id) ledger.locks.delete(lockId);
    ledger.customers.delete(id);
    const customer = ledger.createCustomer(id, {
      name: seed.name ?? null,
      email: seed.email ?? null,
      ...(seed.planId === undefined ? {} : { planId: seed.planId }),
    });
    customer.paymentMethod = seed.paymentMethod === true;
    const planGrant = customer.grants.find((grant) => grant.source === 'plan');
    if (seed.remaining !== undefined || seed.usage !== undefined) {
      if (!planGrant) throw new TypeError(`seedCustomer: customer ${id} has no plan grant to set remaining/usage on`);
      planGrant.usage = seed.usage !== undefined ? ledger.toUnits(seed.usage) : planGrant.granted - ledger.toUnits(seed.remaining!);
    }
    if (seed.topUpCredits !== undefined && seed.topUpCredits > 0) {
      const topUp = config.plans.find((plan) => plan.kind === 'top_up');
      if (!topUp) throw new TypeError('seedCustomer: the config has no top_up plan');
      ledger.grantTopUp(customer, topUp, 1, seed.topUpCredits);
    }
  }

  function balance(customerId: string): StandInBalance {
    ledger.sweep();
    const customer = ledger.customers.get(customerId);
    if (!customer) throw new Error(`Autumn stand-in: unknown customer ${customerId}`);
    const units = ledger.balanceUnits(customer);
    return {
      granted: ledger.toCredits(units.granted),
      remaining: ledger.toCredits(units.remaining),
      usage: ledger.toCredits(units.usage),
      unlimited: false,
      overageAllowed: units.overageAllowed,
    };
  }

  function events(customerId: string): ReadonlyArray<StandInEvent> {
    ledger.sweep();
    const customer = ledger.customers.get(customerId);
    if (!customer) throw new Error(`Autumn stand-in: unknown customer ${customerId}`);
    return customer.events.map((event) => ({
      id: event.id,
      featureId: event.featureId,
      value: ledger.toCredits(event.units),
      properties: event.properties,
      timestamp: event.timestamp,
    }));
  }

  function webhooks(type?: StandInWebhookType): ReadonlyArray<StandInWebhook> {
    ledger.sweep();
    return ledger.webhooks.filter((webhook) => type === undefined || webhook.type === type).map((webhook) => ({ ...webhook, data: structuredClone(webhook.data) }));
  }

  function invoices(customerId: string): ReadonlyArray<StandInInvoice> {
    ledger.sweep();
    const customer = ledger.customers.get(customerId);
    if (!customer) throw new Error(`Autumn stand-in: unknown customer ${customerId}`);
    return customer.invoices.map((invoice) => ({ ...invoice, planIds: [...invoice.planIds] }));
  }

  function checkouts(): ReadonlyArray<StandInCheckout> {
    return [...ledger.checkouts.values()].map((checkout) => ({
      id: checkout.id,
      url: checkout.url,
      customerId: checkout.customerId,
      planId: checkout.planId,
      status: checkout.status,
      successUrl: checkout.successUrl,
    }));
  }

  function completeCheckout(urlOrSessionId: string): void {
    ledger.sweep();
    const checkout = ledger.findCheckout(urlOrSessionId);
    if (!checkout) throw new Error(`Autumn stand-in: no checkout ${urlOrSessionId}`);
    ledger.completeCheckout(checkout);
  }

  function abortPending(): void {
    for (const drop of [...pending]) drop();
  }

  function reset(): void {
    abortPending();
    faults = [];
    ledger.clear();
    now = initialNow;
  }

  return {
    config,
    secretKey,
    get origin() {
      return origin;
    },
    handle,
    fetch: standInFetch,
    clock,
    faults: faultControl,
    seedCustomer,
    flush() {
      ledger.flush();
    },
    balance,
    events,
    webhooks,
    invoices,
    checkouts,
    completeCheckout,
    reset,
    setOrigin(next: string) {
      origin = next.replace(/\/+$/, '');
    },
    abortPending,
  };
}
