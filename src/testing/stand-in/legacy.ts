/**
 * The Autumn API as autumn-js 0.1.x calls it — the SDK `@useautumn/convex` drives — on the same ledger as the 1.x
 * routes, so a 0.x and a 1.x client see one balance. autumn-js 0.1.x sends `x-api-version: 1.2` to REST paths
 * (`POST /v1/check`, `/v1/track`, `/v1/attach`, `/v1/checkout`, `POST /v1/customers`, `GET /v1/customers/:id`,
 * `/v1/events/list`, `/v1/events/aggregate`, `/v1/query`, `GET /v1/products_beta`...).
 *
 * Built the way Autumn builds it: each handler runs the 1.x operation and rewrites request and answer with Autumn's
 * version changes (`V1.2_CustomerChange`, `V1.2_CusFeatureChange`, `V1.2_TrackChange`, the ≤ 2.0 aggregate
 * flattening, the ≤ 2.2 offset-paged event list), plus the 1.2 semantics those versions keep: `check` and `track`
 * create an unknown customer from `customer_data`, and a 1.2 `properties.value` is the tracked value.
 */
import type { CreditPlan, CreditsConfig } from '../../core/config.js';
import { invalidInputs, StandInApiError } from './errors.js';
import type { CustomerRecord } from './ledger.js';
import { customerIdParam, emailParam, optObj, optStr, ROUTES, type RouteContext, type RouteResult } from './routes.js';
import { cycleStart, nextResetAt } from './ledger.js';

type Json = Record<string, unknown>;

/** A 0.x operation: the request (body, path parameters, query) and the claim on a body idempotency key. */
type LegacyRoute = (ctx: RouteContext, request: LegacyRequest, claimKey: (key: string) => void) => RouteResult;

export interface LegacyRequest {
  readonly body: Json;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
}

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function run(ctx: RouteContext, operation: string, body: Json, claimKey: (key: string) => void = () => {}): Json {
  const result = ROUTES[operation]!({ ...ctx, legacy: true }, body, claimKey);
  return result.body as Json;
}

// ------------------------------------------------------------------ shapes (Autumn's V1.2 version changes)

const INTERVALS: Readonly<Record<string, string>> = { month: 'month', year: 'year' };

/** A 1.x balance breakdown item as a 1.2 `breakdown[]` entry (`V1.2_CusFeatureChange`). */
function breakdownV12(item: Json): Json {
  const reset = isObject(item.reset) ? item.reset : null;
  const included = Number(item.included_grant ?? 0) + Number(item.prepaid_grant ?? 0);
  const price = isObject(item.price) ? item.price : null;
  return {
    interval: reset ? (INTERVALS[String(reset.interval)] ?? null) : null,
    interval_count: 1,
    balance: subtract(included, Number(item.usage ?? 0)),
    usage: item.usage,
    included_usage: included,
    next_reset_at: reset ? (reset.resets_at ?? null) : null,
    overage_allowed: price?.billing_method === 'usage_based',
    expires_at: item.expires_at ?? null,
  };
}

/** Exact to Autumn's 10 places: a − b without float residue. */
function subtract(a: number, b: number): number {
  return Number((a - b).toFixed(10));
}

/**
 * A 1.x balance as the 1.2 customer feature: `included_usage` is everything granted (top-ups too), `balance` what is
 * left after overage (it goes negative past the grants, unlike 1.x `remaining`), `interval` "multiple" when grants
 * reset on different intervals.
 */
export function featureV12(config: CreditsConfig, balance: Json | null): Json {
  if (!balance) return { id: config.featureId, name: config.featureName, type: 'single_use', balance: null };
  const breakdown = Array.isArray(balance.breakdown) ? (balance.breakdown as Json[]) : [];
  const intervals = new Set(breakdown.map((item) => (isObject(item.reset) ? String(item.reset.interval) : null)).filter((value) => value !== null));
  const interval = intervals.size > 1 ? 'multiple' : intervals.size === 1 ? (INTERVALS[[...intervals][0]!] ?? null) : null;
  return {
    id: config.featureId,
    type: 'single_use',
    name: config.featureName,
    unlimited: false,
    included_usage: balance.granted,
    balance: subtract(Number(balance.granted), Number(balance.usage)),
    usage: balance.usage,
    interval,
    interval_count: interval === 'multiple' ? null : 1,
    next_reset_at: interval === 'multiple' ? null : (balance.next_reset_at ?? null),
    overage_allowed: balance.overage_allowed === true,
    breakdown: breakdown.map(breakdownV12),
  };
}

/** A plan of the credits config as a 1.2 product with its items (`products_beta`, `products/:id`, checkout). */
export function productV12(config: CreditsConfig, plan: CreditPlan, scenario?: string): Json {
  const oneOff = plan.kind === 'top_up' || plan.interval === 'one_off';
  const interval = oneOff ? null : plan.interval;
  const items: Json[] = [];
  if (plan.kind !== 'top_up' && plan.price > 0) items.push({ type: 'price', feature_id: null, price: plan.price, interval });
  items.push(
    plan.kind === 'top_up'
      ? { type: 'priced_feature', feature_id: config.featureId, included_usage: 0, interval: null, price: plan.price, billing_units: plan.credits, usage_model: 'prepaid' }
      : plan.overagePricePerCredit !== undefined
        ? { type: 'priced_feature', feature_id: config.featureId, included_usage: plan.credits, interval, price: plan.overagePricePerCredit, billing_units: 1, usage_model: 'pay_per_use' }
        : { type: 'feature', feature_id: config.featureId, included_usage: plan.credits, interval },
  );
  return {
    id: plan.id,
    name: plan.name,
    group: null,
    env: 'sandbox',
    is_add_on: plan.kind === 'top_up',
    is_default: plan.isDefault === true,
    version: 1,
    created_at: 0,
    items,
    free_trial: null,
    base_variant_id: null,
    properties: { is_free: plan.price === 0, is_one_off: oneOff, interval_group: interval, has_trial: false, updateable: plan.kind === 'top_up' },
    ...(scenario === undefined ? {} : { scenario }),
  };
}

/** The customer as API 1.2 shows it: `products` and a `features` map (`V1.2_CustomerChange`). */
export function customerV12(ctx: RouteContext, customer: CustomerRecord): Json {
  const { ledger } = ctx;
  const v2 = run(ctx, 'customers.get', { customer_id: customer.id });
  const balances = isObject(v2.balances) ? v2.balances : {};
  const balance = balances[ledger.config.featureId];
  const planGrant = customer.grants.find((grant) => grant.source === 'plan');
  const product = (planId: string, startedAt: number, addOn: boolean, periodGrant: typeof planGrant) => {
    const plan = ledger.config.plans.find((candidate) => candidate.id === planId);
    return {
      id: planId,
      name: plan?.name ?? planId,
      group: null,
      status: 'active',
      started_at: startedAt,
      canceled_at: null,
      version: 1,
      is_add_on: addOn,
      is_default: plan?.isDefault === true,
      items: plan ? (productV12(ledger.config, plan).items as Json[]) : [],
      ...(periodGrant && periodGrant.interval !== 'one_off'
        ? { current_period_start: cycleStart(periodGrant), current_period_end: nextResetAt(periodGrant) }
        : {}),
    };
  };
  return {
    id: customer.id,
    created_at: customer.createdAt,
    name: customer.name,
    email: customer.email,
    fingerprint: null,
    stripe_id: null,
    env: 'sandbox',
    metadata: customer.metadata,
    send_email_receipts: customer.sendEmailReceipts,
    products: [
      ...(customer.subscription ? [product(customer.subscription.planId, customer.subscription.startedAt, false, planGrant)] : []),
      ...customer.purchases.map((purchase) => product(purchase.planId, purchase.startedAt, true, undefined)),
    ],
    features: isObject(balance) || customer.grants.length > 0 ? { [ledger.config.featureId]: featureV12(ledger.config, isObject(balance) ? balance : null) } : {},
  };
}

// ------------------------------------------------------------------ 1.2 semantics

/** 1.2 `check` / `track` create an unknown customer (on the default plan) from `customer_data`. */
function ensureCustomer(ctx: RouteContext, customerId: string, data: unknown): CustomerRecord {
  const existing = ctx.ledger.getCustomer(customerId);
  if (existing) return existing;
  const customerData = isObject(data) ? data : {};
  return ctx.ledger.createCustomer(customerIdParam(customerId), {
    name: typeof customerData.name === 'string' ? customerData.name : null,
    email: emailParam(customerData) ?? null,
  });
}

function customerIdOf(body: Json): string {
  const id = body.customer_id;
  if (typeof id !== 'string' || id === '') throw invalidInputs(`customer_id: must be a string (received ${id === undefined ? 'undefined' : typeof id})`);
  return id;
}

const check: LegacyRoute = (ctx, { body }) => {
  const customerId = customerIdOf(body);
  ensureCustomer(ctx, customerId, body.customer_data);
  const productId = optStr(body, 'product_id');
  if (productId !== undefined) {
    const customer = ctx.ledger.requireCustomer(customerId);
    const active = customer.subscription?.planId === productId || customer.purchases.some((purchase) => purchase.planId === productId);
    return { status: 200, body: { allowed: active, code: 'product_found', customer_id: customerId, product_id: productId, ...(active ? { status: 'active' } : {}) } };
  }
  const answer = run(ctx, 'balances.check', { ...body, customer_data: undefined });
  const feature = isObject(answer.balance) ? featureV12(ctx.ledger.config, answer.balance) : null;
  return {
    status: 200,
    body: {
      allowed: answer.allowed,
      code: 'feature_found',
      customer_id: customerId,
      feature_id: body.feature_id,
      ...(typeof body.entity_id === 'string' ? { entity_id: body.entity_id } : {}),
      required_balance: answer.required_balance,
      ...(feature
        ? {
            interval: feature.interval,
            interval_count: feature.interval_count,
            unlimited: false,
            balance: feature.balance,
            usage: feature.usage,
            included_usage: feature.included_usage,
            next_reset_at: feature.next_reset_at,
            overage_allowed: feature.overage_allowed,
          }
        : {}),
    },
  };
};

const track: LegacyRoute = (ctx, { body }, claimKey) => {
  const customerId = customerIdOf(body);
  ensureCustomer(ctx, customerId, body.customer_data);
  // 1.2: a `properties.value` is the tracked value, and is not kept among the properties (V1.2_TrackParamsChange).
  let request: Json = { ...body, customer_data: undefined };
  const properties = optObj(body, 'properties');
  if (properties && properties.value !== undefined && (body.value === undefined || body.value === null)) {
    const { value, ...rest } = properties;
    request = { ...request, value: typeof value === 'string' ? Number(value) : value, properties: rest };
  }
  const answer = run(ctx, 'balances.track', request, claimKey);
  return {
    status: 200,
    body: {
      id: 'placeholder',
      code: 'event_received',
      customer_id: answer.customer_id,
      ...(typeof body.feature_id === 'string' ? { feature_id: body.feature_id } : {}),
      ...(typeof body.event_name === 'string' ? { event_name: body.event_name } : {}),
      ...(typeof body.entity_id === 'string' ? { entity_id: body.entity_id } : {}),
    },
  };
};

/** The 1.2 attach body (`product_id`, `options: [{ feature_id, quantity }]`) as a 2.x one. */
function attachBody(body: Json): Json {
  const productId = optStr(body, 'product_id') ?? (Array.isArray(body.product_ids) && typeof body.product_ids[0] === 'string' ? body.product_ids[0] : undefined);
  if (productId === undefined) throw invalidInputs('product_id: must be a string (received undefined)');
  const options = Array.isArray(body.options) ? (body.options as unknown[]).filter(isObject) : [];
  return {
    customer_id: body.customer_id,
    plan_id: productId,
    ...(typeof body.success_url === 'string' ? { success_url: body.success_url } : {}),
    ...(options.length > 0 ? { feature_quantities: options.map((option) => ({ feature_id: option.feature_id, quantity: option.quantity })) } : {}),
  };
}

const attach: LegacyRoute = (ctx, { body }) => {
  const customerId = customerIdOf(body);
  ensureCustomer(ctx, customerId, body.customer_data);
  const request = attachBody(body);
  const answer = run(ctx, 'billing.attach', request);
  const planId = String(request.plan_id);
  const url = typeof answer.payment_url === 'string' ? answer.payment_url : null;
  return {
    status: 200,
    body: {
      customer_id: customerId,
      product_ids: [planId],
      code: url ? 'checkout_created' : 'new_product_attached',
      message: url ? `Checkout created for ${planId}` : `Successfully attached ${planId}`,
      ...(url ? { checkout_url: url } : {}),
      ...(isObject(answer.invoice) ? { invoice: answer.invoice } : {}),
    },
  };
};

/**
 * 1.2 `checkout`: what attaching would do. A customer who must pay at a checkout page gets its `url` (the purchase
 * completes there); with a card on file (`autoCompleteCheckout`) it is a preview, and autumn-js/react then calls
 * `attach` to confirm.
 */
const checkout: LegacyRoute = (ctx, { body }) => {
  const customerId = customerIdOf(body);
  const customer = ensureCustomer(ctx, customerId, body.customer_data);
  const request = attachBody(body);
  const plan = ctx.ledger.requirePlan(String(request.plan_id));
  const current = customer.subscription ? ctx.ledger.config.plans.find((candidate) => candidate.id === customer.subscription?.planId) : undefined;
  let url: string | null = null;
  if (plan.price > 0 && !ctx.autoCompleteCheckout) url = String(run(ctx, 'billing.attach', request).payment_url);
  const packs = plan.kind === 'top_up' && Array.isArray(request.feature_quantities) ? Math.ceil(Number((request.feature_quantities[0] as Json).quantity) / plan.credits) || 1 : 1;
  const total = plan.price * packs;
  return {
    status: 200,
    body: {
      ...(url ? { url } : {}),
      customer_id: customerId,
      has_prorations: false,
      lines: total > 0 ? [{ description: plan.name, amount: total, item: null }] : [],
      total,
      currency: ctx.ledger.config.currency.toLowerCase(),
      options: [],
      product: productV12(ctx.ledger.config, plan),
      current_product: current && plan.kind !== 'top_up' ? productV12(ctx.ledger.config, current) : null,
    },
  };
};

const createCustomer: LegacyRoute = (ctx, { body }) => {
  const id = body.id;
  if (id === null || id === undefined) throw new StandInApiError(400, 'invalid_inputs', 'id: the stand-in does not create anonymous customers (null id)');
  const answer = run(ctx, 'customers.get_or_create', {
    customer_id: id,
    ...(body.name === undefined ? {} : { name: body.name }),
    ...(body.email === undefined ? {} : { email: body.email }),
    ...(body.metadata === undefined ? {} : { metadata: body.metadata }),
  });
  return { status: 200, body: customerV12(ctx, ctx.ledger.requireCustomer(String(answer.id))) };
};

const getCustomer: LegacyRoute = (ctx, { params }) => ({
  status: 200,
  body: customerV12(ctx, ctx.ledger.requireCustomer(customerIdParam(params.id))),
});

const updateCustomer: LegacyRoute = (ctx, { body, params }) => {
  const customer = ctx.ledger.requireCustomer(customerIdParam(params.id));
  const name = optStr(body, 'name');
  const email = emailParam(body);
  const metadata = optObj(body, 'metadata');
  if (name !== undefined) customer.name = name;
  if (email !== undefined) customer.email = email;
  if (metadata) customer.metadata = { ...metadata };
  return { status: 200, body: customerV12(ctx, customer) };
};

const billingPortal: LegacyRoute = (ctx, { params }) => {
  const customer = ctx.ledger.requireCustomer(customerIdParam(params.id));
  return { status: 200, body: { customer_id: customer.id, url: `${ctx.origin}/billing-portal/${encodeURIComponent(customer.id)}` } };
};

/** 1.2 lists events a page at a time by offset (`{ list, has_more, offset, limit, total }`, `total` = this page). */
const listEvents: LegacyRoute = (ctx, { body }) => {
  const offset = body.offset === undefined ? 0 : Number(body.offset);
  const limit = body.limit === undefined ? 100 : Number(body.limit);
  if (!Number.isInteger(offset) || offset < 0) throw invalidInputs('offset: must be a non-negative integer');
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw invalidInputs('limit: must be an integer from 1 to 1000');
  const { offset: _offset, ...rest } = body;
  const answer = run(ctx, 'events.list', { ...rest, limit: Math.min(5000, offset + limit + 1) });
  const all = (answer.list as Json[]).slice(offset);
  const page = all.slice(0, limit);
  return { status: 200, body: { list: page, has_more: all.length > limit, offset, limit, total: page.length } };
};

/** ≤ 2.0 aggregates flatten each bin: `{ period, <feature>: number }`, or the feature's groups when grouped. */
function flatten(answer: Json): Json[] {
  return (answer.list as Json[]).map((bin) => ({ period: bin.period, ...((bin.grouped_values ?? bin.values) as Json) }));
}

const aggregateEvents: LegacyRoute = (ctx, { body }) => {
  const answer = run(ctx, 'events.aggregate', body);
  return { status: 200, body: { list: flatten(answer), total: answer.total } };
};

const query: LegacyRoute = (ctx, { body }) => ({ status: 200, body: { list: flatten(run(ctx, 'events.aggregate', body)) } });

function scenarioFor(ctx: RouteContext, customerId: string | null, plan: CreditPlan): string | undefined {
  const customer = customerId === null ? undefined : ctx.ledger.getCustomer(customerId);
  if (!customer) return undefined;
  if (plan.kind === 'top_up') return 'new';
  const current = ctx.ledger.config.plans.find((candidate) => candidate.id === customer.subscription?.planId);
  if (!current) return 'new';
  if (current.id === plan.id) return 'active';
  return plan.price >= current.price ? 'upgrade' : 'downgrade';
}

const listProducts: LegacyRoute = (ctx, { query: search }) => {
  const customerId = search.get('customer_id');
  return { status: 200, body: { list: ctx.ledger.config.plans.map((plan) => productV12(ctx.ledger.config, plan, scenarioFor(ctx, customerId, plan))) } };
};

const getProduct: LegacyRoute = (ctx, { params }) => ({ status: 200, body: productV12(ctx.ledger.config, ctx.ledger.requirePlan(params.id!)) });


const LEGACY: ReadonlyArray<{ method: string; path: string; run: LegacyRoute }> = [
  { method: 'POST', path: '/v1/check', run: check },
  { method: 'POST', path: '/v1/track', run: track },
  { method: 'POST', path: '/v1/attach', run: attach },
  { method: 'POST', path: '/v1/checkout', run: checkout },
  { method: 'POST', path: '/v1/customers', run: createCustomer },
  { method: 'GET', path: '/v1/customers/:id', run: getCustomer },
  { method: 'POST', path: '/v1/customers/:id', run: updateCustomer },
  { method: 'POST', path: '/v1/customers/:id/billing_portal', run: billingPortal },
  { method: 'POST', path: '/v1/events/list', run: listEvents },
  { method: 'POST', path: '/v1/events/aggregate', run: aggregateEvents },
  { method: 'POST', path: '/v1/query', run: query },
  { method: 'GET', path: '/v1/products_beta', run: listProducts },
  { method: 'GET', path: '/v1/products/:id', run: getProduct },
];

/**
 * The 0.x routes: method and path (`:id` a parameter) → operation. Its fault route name is the path after `/v1/`
 * (`'check'`, `'track'`, `'customers/:id'`, `'events/list'`...).
 */
export function legacyRouteOf(method: string, pathname: string): { name: string; run: LegacyRoute; params: Record<string, string> } | null {
  const segments = pathname.replace(/\/+$/, '').split('/');
  for (const route of LEGACY) {
    const pattern = route.path.split('/');
    if (route.method !== method || pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = pattern.every((part, index) => {
      if (part.startsWith(':')) {
        params[part.slice(1)] = decodeURIComponent(segments[index]!);
        return segments[index] !== '';
      }
      return part === segments[index];
    });
    if (matches) return { name: route.path.slice('/v1/'.length), run: route.run, params };
  }
  return null;
}
