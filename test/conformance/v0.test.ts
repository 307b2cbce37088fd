/**
 * The routes autumn-js 0.1.x calls (what `@useautumn/convex` 0.0.23 drives: `x-api-version: 1.2`, REST paths), through
 * the REAL autumn-js 0.1.85 client, on the same ledger as the 1.x routes. Expectations from Autumn's 1.2 version
 * changes and the tests that pin them.
 *
 * Skipped: entities, referrals, `usage` (set usage), `cancel`, `setup_payment` (not modelled by the stand-in); product
 * checks beyond active/not (no trials).
 */
import { Autumn as AutumnV0 } from 'autumn-js-0';
import { describe, expect } from 'vitest';
import { FEATURE, post, scenario, seed, useConformance } from './harness.js';

describe('autumn-js 0.1.x routes (API 1.2)', () => {
  const env = useConformance();
  const v0 = () => new AutumnV0({ secretKey: env.standIn.secretKey, url: `${env.standIn.url}/v1` });

  scenario(
    'V1',
    'server/tests/integration/balances/check/check-basic.test.ts — "check-metered: /check on metered feature" (V1.2 shape, shared/api/balances/check/prevVersions/CheckResponseV1.ts)',
    'check answers the flat 1.2 shape with code feature_found',
    async () => {
      const id = seed(env.standIn, 'free100', { usage: 30 });
      const { data, error } = await v0().check({ customer_id: id, feature_id: FEATURE, required_balance: 5 });
      expect(error).toBeNull();
      expect(data).toMatchObject({
        allowed: true,
        code: 'feature_found',
        customer_id: id,
        feature_id: FEATURE,
        required_balance: 5,
        interval: 'month',
        unlimited: false,
        balance: 70,
        usage: 30,
        included_usage: 100,
        overage_allowed: false,
      });
    },
  );

  scenario(
    'V2',
    'server/tests/integration/balances/track/track-misc.test.ts — "track-misc4: track returns correct v1.2 response format"',
    'track answers { id, code: event_received, customer_id, feature_id } and deducts',
    async () => {
      const id = seed(env.standIn, 'free100');
      const { data } = await v0().track({ customer_id: id, feature_id: FEATURE, value: 20 });
      expect(data).toMatchObject({ id: 'placeholder', code: 'event_received', customer_id: id, feature_id: FEATURE });
      expect(env.standIn.balance(id).remaining).toBe(80);
    },
  );

  scenario(
    'V3',
    'server/tests/integration/balances/track/track-misc.test.ts — "track-misc5: V1.2 properties.value maps to value field", "track-misc8: V1.2 properties.value is removed from stored properties"',
    'a 1.2 properties.value is the tracked value and is not stored as a property',
    async () => {
      const id = seed(env.standIn, 'free100');
      await v0().track({ customer_id: id, feature_id: FEATURE, properties: { value: 42.1532, thread_id: 't1' } });
      env.standIn.flush();
      expect(env.standIn.balance(id)).toMatchObject({ remaining: 57.8468, usage: 42.1532 });
      expect(env.standIn.events(id).map((event) => [event.value, event.properties])).toEqual([[42.1532, { thread_id: 't1' }]]);
    },
  );

  scenario(
    'V4',
    'server/tests/integration/balances/track/track-misc.test.ts — "track-misc1: track auto-creates customer and entity"; check/check-misc.test.ts — "check-misc1: auto-create customer and entity when calling check"',
    'check and track create an unknown customer from customer_data (1.2, unlike 2.1+)',
    async () => {
      const client = v0();
      const checked = await client.check({ customer_id: 'org_new', feature_id: FEATURE, customer_data: { name: 'Ann', email: 'ann@example.com' } });
      const tracked = await client.track({ customer_id: 'org_other', feature_id: FEATURE, value: 2 });
      expect(checked.data?.allowed).toBe(true);
      expect(tracked.error).toBeNull();
      const customer = await client.customers.get('org_new');
      expect(customer.data).toMatchObject({ id: 'org_new', name: 'Ann', email: 'ann@example.com' });
      expect(env.standIn.balance('org_other').usage).toBe(2);
    },
  );

  scenario(
    'V5',
    'shared/api/customers/cusFeatures/changes/V1.2_CusFeatureChange.ts — transformBalanceToCusFeatureV3 (code-derived)',
    'a 1.2 customer shows features[id] with included_usage (top-ups too) and a balance that goes negative in overage',
    async () => {
      const id = seed(env.standIn, 'consumable100', { usage: 130, topUpCredits: 50 });
      const { data } = await v0().customers.get(id);
      const feature = (data as unknown as { features: Record<string, Record<string, unknown>> }).features[FEATURE];
      // 100 + 50 granted, 130 used on the plan grant (30 past it, billed as overage) and nothing yet from the top-up.
      expect(feature).toMatchObject({ id: FEATURE, type: 'single_use', included_usage: 150, usage: 130, balance: 20, overage_allowed: true, interval: 'month' });
      expect((feature!.breakdown as unknown[]).length).toBe(2);
      const products = (data as unknown as { products: { id: string; is_add_on: boolean; status: string }[] }).products;
      expect(products.map((product) => [product.id, product.is_add_on, product.status])).toEqual([
        ['consumable100', false, 'active'],
        ['topup', true, 'active'],
      ]);
    },
  );

  scenario(
    'V6',
    'server/tests/integration/balances/check/check-prepaid.test.ts — "check-prepaid: basic V1/V2 response shape + allowed thresholds"',
    'check refuses a required balance above what is left and still shows the balance (1.2 shape)',
    async () => {
      const id = seed(env.standIn, 'free100', { usage: 1 });
      const client = v0();
      const fits = await client.check({ customer_id: id, feature_id: FEATURE, required_balance: 99 });
      const short = await client.check({ customer_id: id, feature_id: FEATURE, required_balance: 100 });
      expect([fits.data?.allowed, short.data?.allowed]).toEqual([true, false]);
      expect(short.data).toMatchObject({ code: 'feature_found', required_balance: 100, balance: 99 });
    },
  );

  scenario(
    'V7',
    'server/tests/integration/balances/check/check-fallback.test.ts — "check-fallback-legacy: /check fallback applies response version transforms"',
    'the fail-open fallback in the 1.2 shape: 202 { allowed: true, code: feature_found, customer_id, feature_id, required_balance: 1 }',
    async () => {
      const id = seed(env.standIn, 'free100', { usage: 100 });
      env.standIn.faults.inject('check', { kind: 'fail-open' }, { times: 1 });
      const raw = await post(env.standIn, 'check', { customer_id: id, feature_id: FEATURE }, { authorization: `Bearer ${env.standIn.secretKey}`, 'x-api-version': '1.2' });
      expect(raw).toEqual({ status: 202, body: { allowed: true, code: 'feature_found', customer_id: id, feature_id: FEATURE, required_balance: 1 } });
    },
  );

  scenario(
    'V8',
    'server/tests/integration/crud/events/list-events-v22-vs-v23-parity.test.ts — "events-list-v22-vs-v23-parity: V2.2 offset and V2.3 cursor return identical list[] for the same customer"',
    'events/list pages by offset: { list, has_more, offset, limit, total = page size }, the same events as the 2.3 list',
    async () => {
      const id = seed(env.standIn, 'free100');
      const client = v0();
      for (const value of [1, 2, 3, 4, 5]) await client.track({ customer_id: id, feature_id: FEATURE, value });
      env.standIn.flush();
      const first = await client.events.list({ customer_id: id, feature_id: FEATURE, limit: 2, offset: 0 });
      const rest = await client.events.list({ customer_id: id, feature_id: FEATURE, limit: 10, offset: 2 });
      const v1 = await env.autumn.events.list({ customerId: id });
      expect(first.data).toMatchObject({ has_more: true, offset: 0, limit: 2, total: 2 });
      expect(rest.data).toMatchObject({ has_more: false, offset: 2, total: 3 });
      const values = [...first.data!.list, ...rest.data!.list].map((event) => event.value);
      expect(values).toEqual([5, 4, 3, 2, 1]);
      expect(values).toEqual(v1.list.map((event) => event.value));
    },
  );

  scenario(
    'V9',
    'shared/api/events/aggregate/changes/V2.0_AggregateEventsChange.ts (code-derived; server/tests/integration/analytics/aggregate/uuid-group-by-fallback.test.ts notes "older api versions flatten rows")',
    'events/aggregate flattens each bin: { period, <feature>: sum } or the groups when grouped',
    async () => {
      const id = seed(env.standIn, 'free100');
      const client = v0();
      await client.track({ customer_id: id, feature_id: FEATURE, value: 2, properties: { thread_id: 'a' } });
      await client.track({ customer_id: id, feature_id: FEATURE, value: 3, properties: { thread_id: 'b' } });
      env.standIn.flush();
      const plain = await client.events.aggregate({ customer_id: id, feature_id: FEATURE, range: '24h' });
      const grouped = await client.events.aggregate({ customer_id: id, feature_id: FEATURE, range: '24h', group_by: 'properties.thread_id' });
      const plainBins = (plain.data as unknown as { list: Record<string, unknown>[] }).list;
      const groupedBins = (grouped.data as unknown as { list: Record<string, unknown>[] }).list;
      expect(plainBins.map((bin) => bin[FEATURE]).reduce((a, b) => Number(a) + Number(b), 0)).toBe(5);
      const perThread: Record<string, number> = {};
      for (const bin of groupedBins) for (const [thread, value] of Object.entries(bin[FEATURE] as Record<string, number>)) perThread[thread] = (perThread[thread] ?? 0) + value;
      expect(perThread).toEqual({ a: 2, b: 3 });
    },
  );

  scenario(
    'V10',
    'server/src/internal/balances/balancesRouter.ts — /v1/track and /v1/balances.track are one handler (code-derived)',
    'a 0.x and a 1.x client see one balance, one event log and one idempotency key store',
    async () => {
      const id = seed(env.standIn, 'free100');
      await v0().track({ customer_id: id, feature_id: FEATURE, value: 10, idempotency_key: 'msg_1' });
      const duplicate = await post(env.standIn, 'balances.track', { customer_id: id, feature_id: FEATURE, value: 10, idempotency_key: 'msg_1' });
      await env.autumn.track({ customerId: id, featureId: FEATURE, value: 5 });
      const v0Customer = await v0().customers.get(id);
      expect(duplicate.body.code).toBe('duplicate_idempotency_key');
      expect(env.standIn.balance(id)).toMatchObject({ remaining: 85, usage: 15 });
      expect((v0Customer.data as unknown as { features: Record<string, { balance: number }> }).features[FEATURE]!.balance).toBe(85);
    },
  );

  scenario(
    'V11',
    'server/tests/integration/billing/attach/errors/attach-basic-errors.test.ts — "error: cannot attach same product already active"; billing/attach/new-plan/attach-one-time.test.ts — "new-plan: onetime-cumulative"',
    'attach by product_id: a paid plan opens a checkout_url, the current plan is 409, a top-up stacks',
    async () => {
      const id = seed(env.standIn, 'free100');
      const client = v0();
      const same = await client.attach({ customer_id: id, product_id: 'free100' });
      const paid = await client.attach({ customer_id: id, product_id: 'topup' });
      expect(same.error?.code).toBe('plan_already_attached');
      expect(paid.data).toMatchObject({ customer_id: id, product_ids: ['topup'], code: 'checkout_created' });
      env.standIn.completeCheckout(paid.data!.checkout_url!);
      env.standIn.completeCheckout((await client.attach({ customer_id: id, product_id: 'topup' })).data!.checkout_url!);
      expect(env.standIn.balance(id).granted).toBe(200);
    },
  );

  scenario(
    'V12',
    'server/src/internal/balances/balancesRouter.ts — /v1/check is /v1/balances.check, answered in the shapes of the version asked for (code-derived)',
    '/v1/check with x-api-version 2.1 answers the 2.x shape',
    async () => {
      const id = seed(env.standIn, 'free100');
      const raw = await post(env.standIn, 'check', { customer_id: id, feature_id: FEATURE }, { authorization: `Bearer ${env.standIn.secretKey}`, 'x-api-version': '2.1' });
      expect(raw.body).toMatchObject({ allowed: true, customer_id: id, balance: { granted: 100, remaining: 100 }, flag: null });
      expect(raw.body.code).toBeUndefined();
    },
  );

  scenario(
    'V13',
    'server/tests/integration/balances/check/send-event1.test.ts (legacy folder) — "should check with track for consumable feature"',
    'check with send_event deducts required_balance all or nothing, 1.2 too',
    async () => {
      const id = seed(env.standIn, 'free100', { usage: 96 });
      const client = v0();
      const first = await client.check({ customer_id: id, feature_id: FEATURE, required_balance: 3, send_event: true });
      const second = await client.check({ customer_id: id, feature_id: FEATURE, required_balance: 3, send_event: true });
      expect([first.data?.allowed, second.data?.allowed]).toEqual([true, false]);
      expect(env.standIn.balance(id)).toMatchObject({ remaining: 1, usage: 99 });
    },
  );

  scenario(
    'V14',
    'shared/api/customers/crud/createCustomerParams.ts — CustomerIdSchema; V1.2 POST /customers is get-or-create (code-derived)',
    'POST /customers gets or creates, with Autumn’s id rules; GET an unknown id is 404 customer_not_found',
    async () => {
      const client = v0();
      const created = await client.customers.create({ id: 'org_9', name: 'Nine' });
      const again = await client.customers.create({ id: 'org_9', name: 'Other' });
      const invalid = await client.customers.create({ id: 'a.b' });
      const missing = await client.customers.get('ghost');
      expect(created.data).toMatchObject({ id: 'org_9', name: 'Nine', products: [{ id: 'free20', is_default: true }] });
      expect(again.data?.name).toBe('Nine');
      expect(invalid.error?.code).toBe('invalid_inputs');
      expect(missing.error?.code).toBe('customer_not_found');
    },
  );

  scenario(
    'V15',
    'autumn-js 0.1.85 products.list → GET /v1/products_beta (server: handleListProductsBeta, code-derived)',
    'products_beta lists the plans as 1.2 products with items and the customer’s scenario',
    async () => {
      const id = seed(env.standIn, 'free100');
      const { data } = await v0().products.list({ customer_id: id });
      const byId = Object.fromEntries(data!.list.map((product) => [product.id, product]));
      expect(byId.free100).toMatchObject({ scenario: 'active', is_add_on: false, items: [{ feature_id: FEATURE, included_usage: 100, interval: 'month' }] });
      expect(byId.consumable100).toMatchObject({ scenario: 'upgrade' });
      expect(byId.topup).toMatchObject({ is_add_on: true, items: [{ feature_id: FEATURE, price: 10, billing_units: 50, usage_model: 'prepaid' }] });
    },
  );
});
