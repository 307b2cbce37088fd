/**
 * The stand-in's state written as Autumn 1.x wire JSON (snake_case). Each shape carries every field the autumn-js
 * 1.3.x response schemas require (Customer, Balance, Breakdown, Plan, events...), checked by the SDK itself in the
 * stand-in's tests.
 */
import type { CreditPlan, CreditsConfig } from '../../core/config.js';
import { filterKey, normalizeWindow } from './controls.js';
import { cycleStart, nextResetAt, type CustomerRecord, type DeductionItem, type EntityRecord, type EventRecord, type Grant, type Ledger } from './ledger.js';
import type { ApiVersion } from './version.js';

type Json = Record<string, unknown>;

/** The credit feature as Autumn describes it: a consumable metered feature. */
export function featureJson(config: CreditsConfig): Json {
  return {
    id: config.featureId,
    name: config.featureName,
    type: 'metered',
    consumable: true,
    event_names: [],
    archived: false,
    display: { singular: 'credit', plural: 'credits' },
  };
}

function resetJson(grant: Grant): Json | null {
  if (grant.interval === 'one_off') return null;
  return { interval: grant.interval, interval_count: 1, resets_at: nextResetAt(grant) };
}

function grantPriceJson(grant: Grant): Json | null {
  if (grant.overagePrice !== null) {
    return { amount: grant.overagePrice, billing_units: 1, billing_method: 'usage_based', max_purchase: null };
  }
  if (grant.pack) {
    return { amount: grant.pack.price, billing_units: grant.pack.credits, billing_method: 'prepaid', max_purchase: null };
  }
  return null;
}

function breakdownJson(ledger: Ledger, grant: Grant): Json {
  const isPlan = grant.source === 'plan';
  return {
    id: grant.id,
    plan_id: grant.planId,
    included_grant: isPlan ? ledger.toCredits(grant.granted) : 0,
    prepaid_grant: isPlan ? 0 : ledger.toCredits(grant.granted),
    remaining: ledger.toCredits(grant.usage < grant.granted ? grant.granted - grant.usage : 0n),
    usage: ledger.toCredits(grant.usage),
    unlimited: false,
    reset: resetJson(grant),
    price: grantPriceJson(grant),
    expires_at: null,
  };
}

/** The customer's balance of the credit feature, or null when no plan grants it. */
export function balanceJson(ledger: Ledger, customer: CustomerRecord, options: { withFeature?: boolean } = {}): Json | null {
  if (customer.grants.length === 0) return null;
  const units = ledger.balanceUnits(customer);
  return {
    feature_id: ledger.config.featureId,
    ...(options.withFeature ? { feature: featureJson(ledger.config) } : {}),
    granted: ledger.toCredits(units.granted),
    remaining: ledger.toCredits(units.remaining),
    usage: ledger.toCredits(units.usage),
    unlimited: false,
    overage_allowed: units.overageAllowed,
    max_purchase: null,
    next_reset_at: units.nextResetAt,
    breakdown: customer.grants.map((grant) => breakdownJson(ledger, grant)),
  };
}

/** API versions whose customer answers tag each control with its `source` (V2.2_PlanInheritedBillingControls.ts). */
const SOURCE_TAGGED: readonly ApiVersion[] = ['2.3.0', '2.4.0'];

/**
 * The usage limits of a subject with the usage counted in their current window, for the enabled ones Autumn
 * resolves (fullSubjectToApiUsageLimits.ts): an entry for another feature, or disabled, answers without `usage`.
 */
function usageLimitsJson(ledger: Ledger, customer: CustomerRecord, entity: EntityRecord | null, tag: Json): Json[] | undefined {
  const entries = entity ? entity.controls.usage_limits : customer.controls.usage_limits;
  if (!entries) return undefined;
  const resolved = ledger.usageWindows(ledger.subject(customer, entity?.id ?? null), false);
  return entries.map((entry) => {
    const window = resolved.find((candidate) => candidate.entry.feature_id === entry.feature_id && filterKey(candidate.entry.filter) === filterKey(entry.filter));
    return { ...entry, ...(window ? { usage: ledger.toCredits(ledger.windowUsage(customer, window)) } : {}), ...tag };
  });
}

/**
 * `billing_controls` of a customer as stored, each entry tagged `source: "customer"` on API 2.3+ (plan defaults, the
 * other source, are not modelled). With `expand: ["billing_controls.auto_topups.purchase_limit"]`, an auto top-up
 * that has run answers its purchase window's `count` and `next_reset_at` (getCusAutoTopupPurchaseLimits.ts).
 */
function customerControlsJson(ledger: Ledger, customer: CustomerRecord, expand: readonly string[], version: ApiVersion): Json {
  const tag = SOURCE_TAGGED.includes(version) ? { source: 'customer' } : {};
  const controls = customer.controls;
  const state = ledger.autoTopUpStateOf(customer);
  const expanded = expand.includes('billing_controls.auto_topups.purchase_limit');
  const autoTopups = controls.auto_topups?.map((entry) => {
    if (!expanded || !state || entry.feature_id !== ledger.config.featureId) return { ...entry, ...tag };
    const limit = entry.purchase_limit;
    const window = limit ? normalizeWindow(state.purchase, ledger.now(), limit, state.purchase.endsAt) : state.purchase;
    return {
      ...entry,
      purchase_limit: {
        interval: limit?.interval ?? null,
        interval_count: limit?.interval_count ?? null,
        limit: limit?.limit ?? null,
        count: window.count,
        next_reset_at: window.endsAt,
      },
      ...tag,
    };
  });
  const usageLimits = usageLimitsJson(ledger, customer, null, tag);
  return {
    ...(autoTopups ? { auto_topups: autoTopups } : {}),
    ...(controls.spend_limits ? { spend_limits: controls.spend_limits.map((entry) => ({ ...entry, ...tag })) } : {}),
    ...(usageLimits ? { usage_limits: usageLimits } : {}),
    ...(controls.usage_alerts ? { usage_alerts: controls.usage_alerts.map((entry) => ({ ...entry, ...tag })) } : {}),
  };
}

/** Invoices, newest first (`expand: ["invoices"]`), in the 2.x shape (ApiInvoiceV1: `plan_ids`, total in major units). */
function invoicesJson(customer: CustomerRecord): Json[] {
  return [...customer.invoices].reverse().map((invoice) => ({
    plan_ids: [...invoice.planIds],
    stripe_id: invoice.stripeId,
    processor_type: 'stripe',
    status: invoice.status,
    total: invoice.total,
    currency: invoice.currency,
    created_at: invoice.createdAt,
    hosted_invoice_url: null,
  }));
}

export function customerJson(ledger: Ledger, customer: CustomerRecord, expand: readonly string[] = [], version: ApiVersion = '2.4.0'): Json {
  const balance = balanceJson(ledger, customer, { withFeature: expand.includes('balances.feature') });
  const planGrant = customer.grants.find((grant) => grant.source === 'plan');
  const subscription = customer.subscription;
  const subscriptionPlan = subscription ? ledger.requirePlan(subscription.planId) : undefined;
  return {
    id: customer.id,
    name: customer.name,
    email: customer.email,
    created_at: customer.createdAt,
    fingerprint: null,
    stripe_id: null,
    env: 'sandbox',
    metadata: customer.metadata,
    send_email_receipts: customer.sendEmailReceipts,
    billing_controls: customerControlsJson(ledger, customer, expand, version),
    subscriptions:
      subscription && subscriptionPlan
        ? [
            {
              id: subscription.id,
              ...(expand.includes('subscriptions.plan') ? { plan: planJson(ledger.config, subscriptionPlan) } : {}),
              plan_id: subscription.planId,
              auto_enable: subscriptionPlan.isDefault === true,
              add_on: false,
              status: 'active',
              past_due: false,
              canceled_at: null,
              expires_at: null,
              trial_ends_at: null,
              started_at: subscription.startedAt,
              current_period_start: planGrant && planGrant.interval !== 'one_off' ? cycleStart(planGrant) : null,
              current_period_end: planGrant ? nextResetAt(planGrant) : null,
              quantity: 1,
            },
          ]
        : [],
    purchases: customer.purchases.map((purchase) => ({
      plan_id: purchase.planId,
      expires_at: null,
      started_at: purchase.startedAt,
      quantity: purchase.quantity,
    })),
    licenses: [],
    balances: balance ? { [ledger.config.featureId]: balance } : {},
    flags: {},
    ...(expand.includes('invoices') ? { invoices: invoicesJson(customer) } : {}),
  };
}

/**
 * An entity (getApiEntityBaseV2.ts): the balance it sees is the customer's shared one (every grant here is the
 * customer's, and a customer-level grant matches every entity); its own controls, untagged, usage limits with the
 * usage counted in the entity's own windows. Plans attached to entities are not modelled: no subscriptions.
 */
export function entityJson(ledger: Ledger, customer: CustomerRecord, entity: EntityRecord): Json {
  const balance = balanceJson(ledger, customer);
  const controls = entity.controls;
  const usageLimits = usageLimitsJson(ledger, customer, entity, {});
  return {
    id: entity.id,
    name: entity.name,
    customer_id: customer.id,
    feature_id: entity.featureId,
    created_at: entity.createdAt,
    env: 'sandbox',
    subscriptions: [],
    purchases: [],
    balances: balance ? { [ledger.config.featureId]: balance } : {},
    flags: {},
    billing_controls: {
      ...(controls.spend_limits ? { spend_limits: controls.spend_limits } : {}),
      ...(usageLimits ? { usage_limits: usageLimits } : {}),
      ...(controls.usage_alerts ? { usage_alerts: controls.usage_alerts } : {}),
    },
  };
}

function planItemJson(config: CreditsConfig, plan: CreditPlan, withFeature: boolean): Json {
  const feature = withFeature ? { feature: { id: config.featureId, name: config.featureName, type: 'single_use', archived: false } } : {};
  if (plan.kind === 'top_up') {
    return {
      feature_id: config.featureId,
      ...feature,
      included: 0,
      unlimited: false,
      pooled: false,
      reset: null,
      price: {
        amount: plan.price,
        interval: 'one_off',
        billing_units: plan.credits,
        billing_method: 'prepaid',
        max_purchase: null,
      },
    };
  }
  return {
    feature_id: config.featureId,
    ...feature,
    included: plan.credits,
    unlimited: false,
    pooled: false,
    reset: plan.interval === 'one_off' ? null : { interval: plan.interval, interval_count: 1 },
    price:
      plan.overagePricePerCredit === undefined
        ? null
        : {
            amount: plan.overagePricePerCredit,
            interval: plan.interval === 'one_off' ? 'one_off' : plan.interval,
            billing_units: 1,
            billing_method: 'usage_based',
            max_purchase: null,
          },
  };
}

/** A plan of the credits config as Autumn's Plan object (`plans.list`, `subscriptions.plan`). */
export function planJson(config: CreditsConfig, plan: CreditPlan, eligibility?: Json): Json {
  return {
    id: plan.id,
    name: plan.name,
    description: null,
    group: null,
    version: 1,
    add_on: plan.kind === 'top_up',
    auto_enable: plan.isDefault === true,
    price: plan.kind === 'subscription' && plan.price > 0 ? { amount: plan.price, interval: plan.interval } : null,
    items: [planItemJson(config, plan, true)],
    created_at: 0,
    env: 'sandbox',
    archived: false,
    config: { ignore_past_due: false },
    metadata: {},
    ...(eligibility ? { customer_eligibility: eligibility } : {}),
    base_variant_id: null,
  };
}

function deductionsJson(ledger: Ledger, customer: CustomerRecord, items: readonly DeductionItem[]): Json[] {
  return items.map((item) => {
    const grant = customer.grants.find((candidate) => candidate.id === item.grantId);
    return {
      balance_id: item.grantId,
      feature_id: ledger.config.featureId,
      plan_id: grant?.planId ?? null,
      reset: grant ? resetJson(grant) : null,
      value: ledger.toCredits(item.units),
    };
  });
}

export function trackDeductionsJson(ledger: Ledger, customer: CustomerRecord, items: readonly DeductionItem[]): Json[] {
  return deductionsJson(ledger, customer, items);
}

export function eventJson(ledger: Ledger, customer: CustomerRecord, event: EventRecord): Json {
  return {
    id: event.id,
    timestamp: event.timestamp,
    feature_id: event.featureId,
    customer_id: event.customerId,
    value: ledger.toCredits(event.units),
    properties: event.properties,
    deductions: event.items.length > 0 ? deductionsJson(ledger, customer, event.items) : null,
  };
}
