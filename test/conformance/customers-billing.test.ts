/**
 * Conformance: `customers.get_or_create`, `customers.get`, `billing.attach` (v2 body, API 2.x) and the error /
 * authentication contract. Research notes: /tmp/research/events-customers.md (E18–E34).
 * Autumn source read at useautumn/autumn 187c0a7f.
 *
 * Skipped, with reasons:
 * - E22 (null-id customers, claimed later by email; "Either customer ID or email is required"): the stand-in refuses
 *   null ids on purpose.
 * - E29 (423 lock_already_exists for a concurrent attach) and the attach / events rate limits (429): not modelled.
 * - E30 / E31 (x-api-version parsing, 400 invalid_api_version, version from the org's creation date) and every
 *   API ≤ 2.2 shape (V0 attach body with product_id): versioning is out of scope here.
 * - E34 (an unknown /v1 route with a valid key answers 401 no_auth_header): the stand-in answers 404 on purpose.
 * - E33 publishable (am_pk), OAuth and JWT tokens, `x-client-type: dashboard`, and 403 insufficient_scopes: key
 *   kinds and scopes are not modelled.
 * - E21 paid auto-enable plan with a no-card free trial, E25 `redirect_mode` / invoice-mode checkout matrix, E26
 *   re-attach while canceling, E27 recurring add-ons and "onetime-leaves-pro": no trials, cancellations, recurring
 *   add-ons or paid one-off main plans in the conformance plans.
 * - E24 `with_autumn_id` / `expand` variants and V2.4 entity aggregation: entities are not part of this suite.
 */
import { describe, expect } from 'vitest';
import { CUSTOMER, FEATURE, post, rejection, scenario, sdk, seed, useConformance } from './harness.js';

/** HTTP status and Autumn error body of a failed SDK call. */
async function apiError(promise: Promise<unknown>): Promise<{ status: number; body: any }> {
  const error = await rejection(promise);
  return { status: error.statusCode, body: JSON.parse(error.body) };
}

const ALLOWED = 'Use only letters, numbers, underscores, hyphens, and colons.';

describe('customers', () => {
  const env = useConformance();

  scenario(
    'CB1',
    'shared/api/common/customerId.ts — CustomerIdSchema (E18, schema-run)',
    'an invalid customer id answers 400 invalid_inputs with the reason for spaces, periods, @, / and ""',
    async () => {
      const cases: Array<[string, string]> = [
        ['a b', `customer_id: cannot contain spaces. ${ALLOWED}`],
        ['a.b', `customer_id: cannot contain periods. ${ALLOWED}`],
        ['a@b', `customer_id: cannot contain @ symbol. ${ALLOWED}`],
        ['a/b', `customer_id: cannot contain '/'. ${ALLOWED}`],
        ['', "customer_id: can't be an empty string"],
      ];

      const answers = [];
      for (const [id] of cases) {
        const error = await apiError(env.autumn.customers.getOrCreate({ customerId: id }));
        answers.push([id, error.status, error.body.code, error.body.message]);
      }

      expect(answers).toEqual(cases.map(([id, message]) => [id, 400, 'invalid_inputs', message]));
    },
  );

  scenario(
    'CB2',
    'shared/api/common/customerId.ts — regex ^[a-zA-Z0-9_:-]+$ ("allow colons", c7527b179) + shared/models/cusModels/cusTable.ts text() (E18, schema-run)',
    'colons are allowed and there is no length limit (a 5000-character id is accepted)',
    async () => {
      const colons = 'org:42:user_7-x';
      const long = 'x'.repeat(5000);

      const withColons = await env.autumn.customers.getOrCreate({ customerId: colons });
      const withLongId = await env.autumn.customers.getOrCreate({ customerId: long });

      expect(withColons.id).toBe(colons);
      expect(withLongId.id).toBe(long);
      expect((await env.autumn.customers.get({ customerId: long })).id).toBe(long);
    },
  );

  scenario(
    'CB3',
    'shared/api/customers/crud/createCustomerParams.ts + server/src/errors/formatZodError.ts (E18, schema-run)',
    'get_or_create without customer_id answers 400 "customer_id: must be a string (received undefined)"',
    async () => {
      const response = await post(env.standIn, 'customers.get_or_create', { name: 'No id' });

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'invalid_inputs', message: 'customer_id: must be a string (received undefined)' });
    },
  );

  scenario(
    'CB4',
    'shared/api/customers/crud/getCustomerParams.ts — GetCustomerParamsV1Schema uses CustomerIdSchema (E18)',
    'customers.get with an invalid id answers 400 invalid_inputs, not 404',
    async () => {
      const error = await apiError(env.autumn.customers.get({ customerId: 'a b' }));

      expect(error.status).toBe(400);
      expect(error.body).toMatchObject({ code: 'invalid_inputs', message: `customer_id: cannot contain spaces. ${ALLOWED}` });
    },
  );

  scenario(
    'CB5',
    'server/tests/unit/customers/customer-data-schema-email.test.ts — "rejects strings missing @" / "rejects strings with whitespace" / "rejects empty string" (E19)',
    'an invalid email answers 400 invalid_inputs "email: not a valid email address"',
    async () => {
      const emails = ['not-an-email', 'a b@example.com', '', `${'x'.repeat(65)}@example.com`];

      const answers = [];
      for (const [index, email] of emails.entries()) {
        const error = await apiError(env.autumn.customers.getOrCreate({ customerId: `bad_email_${index}`, email }));
        answers.push([email, error.status, error.body.code, error.body.message]);
      }

      expect(answers).toEqual(emails.map((email) => [email, 400, 'invalid_inputs', 'email: not a valid email address']));
      expect((await apiError(env.autumn.customers.get({ customerId: 'bad_email_0' }))).status).toBe(404);
    },
  );

  scenario(
    'CB6',
    'server/tests/unit/customers/customer-data-schema-email.test.ts — "accepts unicode local-part (%s)" / "accepts Google-allowed special char (%s)" / "accepts standard email %s" (E19)',
    'unicode local parts, + and Google-allowed characters are accepted and stored as sent',
    async () => {
      const emails = ['josé@example.com', '用户@example.com', 'user+tag@example.com', "o'brien@example.com", 'a&b@example.com', '_user@example.com'];

      const stored = [];
      for (const [index, email] of emails.entries()) {
        stored.push((await env.autumn.customers.getOrCreate({ customerId: `good_email_${index}`, email })).email);
      }

      expect(stored).toEqual(emails);
    },
  );

  scenario(
    'CB7',
    'server/tests/integration/crud/customers/create-customer-null-id.test.ts — "null-id: duplicate null ID + same email returns existing with products" + server/src/internal/customers/actions/updateCustomerData.ts (E20)',
    'get_or_create on an existing customer keeps its name and email, and ignores metadata and auto_enable_plan_id',
    async () => {
      const first = await env.autumn.customers.getOrCreate({
        customerId: CUSTOMER,
        name: 'First Customer',
        email: 'first@example.com',
        metadata: { source: 'first' },
      });
      const again = await env.autumn.customers.getOrCreate({
        customerId: CUSTOMER,
        name: 'Second Customer',
        email: 'second@example.com',
        metadata: { source: 'second' },
        autoEnablePlanId: 'free100',
      });

      expect(first.subscriptions.map((s) => s.planId)).toEqual(['free20']);
      expect(again).toMatchObject({ id: CUSTOMER, name: 'First Customer', email: 'first@example.com', metadata: { source: 'first' } });
      expect(again.subscriptions.map((s) => s.planId)).toEqual(['free20']);
      expect(again.balances[FEATURE]).toMatchObject({ granted: 20, remaining: 20 });
      expect(again.createdAt).toBe(first.createdAt);
    },
  );

  scenario(
    'CB8',
    'server/tests/integration/crud/customers/create-customer-race.test.ts — "race: concurrent create with name vs without name preserves name" + updateCustomerData.ts (E20)',
    'get_or_create fills a name or email the existing customer does not have yet',
    async () => {
      await env.autumn.customers.getOrCreate({ customerId: CUSTOMER });
      const filled = await env.autumn.customers.getOrCreate({ customerId: CUSTOMER, name: 'Late Name', email: 'late@example.com' });
      const got = await env.autumn.customers.get({ customerId: CUSTOMER });

      expect(filled).toMatchObject({ name: 'Late Name', email: 'late@example.com' });
      expect(got).toMatchObject({ name: 'Late Name', email: 'late@example.com' });
    },
  );

  scenario(
    'CB9',
    'server/src/internal/customers/actions/updateCustomerData.ts — send_email_receipts overwritten when given (E20)',
    'get_or_create on an existing customer does overwrite send_email_receipts (code-derived)',
    async () => {
      const created = await env.autumn.customers.getOrCreate({ customerId: CUSTOMER });
      const updated = await env.autumn.customers.getOrCreate({ customerId: CUSTOMER, sendEmailReceipts: true });

      expect(created.sendEmailReceipts).toBe(false);
      expect(updated.sendEmailReceipts).toBe(true);
    },
  );

  scenario(
    'CB10',
    'server/tests/integration/crud/customers/create-customer-errors.test.ts — "errors: auto_enable_plan_id with non-existent product" (E21)',
    'auto_enable_plan_id of an unknown plan answers 404 product_not_found',
    async () => {
      const error = await apiError(env.autumn.customers.getOrCreate({ customerId: CUSTOMER, autoEnablePlanId: 'non-existent-product-id' }));

      expect(error.status).toBe(404);
      expect(error.body).toMatchObject({ code: 'product_not_found', message: 'Product non-existent-product-id not found' });
    },
  );

  scenario(
    'CB11',
    'server/tests/integration/crud/customers/create-customer-defaults.test.ts — "defaults: auto-enable plan override" (E21)',
    'auto_enable_plan_id on creation attaches only that plan, not the default plan',
    async () => {
      const customer = await env.autumn.customers.getOrCreate({ customerId: CUSTOMER, autoEnablePlanId: 'free100' });

      expect(customer.subscriptions.map((s) => s.planId)).toEqual(['free100']);
      expect(customer.balances[FEATURE]).toMatchObject({ granted: 100, remaining: 100 });
    },
  );

  scenario(
    'CB12',
    'server/src/internal/customers/actions/createWithDefaults/setup/setupDefaultProductsContext.ts (E21)',
    'auto_enable_plan_id of a paid plan without a no-card trial answers 400 invalid_request (code-derived)',
    async () => {
      const error = await apiError(env.autumn.customers.getOrCreate({ customerId: CUSTOMER, autoEnablePlanId: 'consumable100' }));

      expect(error.status).toBe(400);
      expect(error.body).toMatchObject({
        code: 'invalid_request',
        message: "Auto-enable plan must be a free product, or have a free trial with 'card_required' as false",
      });
    },
  );

  scenario(
    'CB13',
    'server/tests/integration/balances/track/track-misc.test.ts — "track-misc6: v2.1 does not auto-create customer via track" (E23)',
    'customers.get of an unknown id answers 404 customer_not_found, and track does not create the customer',
    async () => {
      const track = await apiError(env.autumn.track({ customerId: 'nobody', featureId: FEATURE, value: 1 }));
      const get = await apiError(env.autumn.customers.get({ customerId: 'nobody' }));

      expect(track.status).toBe(404);
      expect(track.body.code).toBe('customer_not_found');
      expect(get.status).toBe(404);
      expect(get.body).toEqual({ message: 'Customer nobody not found', code: 'customer_not_found', env: 'sandbox' });
    },
  );

  scenario(
    'CB14',
    'shared/api/customers/baseApiCustomer.ts + apiCustomerV5.ts; server/tests/integration/crud/customers/create-customer.test.ts — "create: send_email_receipts defaults to false" (E24)',
    'the customer object carries Autumn’s fields (no autumn_id unless asked)',
    async () => {
      const response = await post(env.standIn, 'customers.get_or_create', { customer_id: CUSTOMER, name: 'Ada' });
      const customer = response.body;

      expect(response.status).toBe(200);
      for (const key of [
        'id',
        'name',
        'email',
        'created_at',
        'fingerprint',
        'stripe_id',
        'env',
        'metadata',
        'send_email_receipts',
        'billing_controls',
        'subscriptions',
        'purchases',
        'licenses',
        'balances',
        'flags',
      ]) {
        expect(customer, key).toHaveProperty(key);
      }
      expect(customer).not.toHaveProperty('autumn_id');
      expect(customer).toMatchObject({ id: CUSTOMER, name: 'Ada', email: null, fingerprint: null, env: 'sandbox', metadata: {}, send_email_receipts: false });
      expect(typeof customer.created_at).toBe('number');
      expect(Array.isArray(customer.subscriptions) && Array.isArray(customer.purchases) && Array.isArray(customer.licenses)).toBe(true);
      expect(customer.balances[FEATURE]).toMatchObject({ feature_id: FEATURE, granted: 20, remaining: 20 });
    },
  );
});

describe('billing.attach', () => {
  const env = useConformance();

  scenario(
    'CB15',
    'server/tests/integration/billing/attach/errors/attach-basic-errors.test.ts — "error: cannot attach same product already active" (E26)',
    'attaching the same paid main plan again answers 409 plan_already_attached',
    async () => {
      seed(env.standIn, 'free20');
      const first = await env.autumn.billing.attach({ customerId: CUSTOMER, planId: 'consumable100' });
      env.standIn.completeCheckout(first.paymentUrl!);

      const error = await apiError(env.autumn.billing.attach({ customerId: CUSTOMER, planId: 'consumable100' }));

      expect(error.status).toBe(409);
      expect(error.body).toEqual({
        message: "Cannot attach because the customer's current product 'consumable100' is the same as the product being attached",
        code: 'plan_already_attached',
        env: 'sandbox',
      });
    },
  );

  scenario(
    'CB16',
    'server/tests/integration/billing/invoice-matched-credits/edge-cases.test.ts — "invoice-matched edge 3" + handleCurrentCustomerProductErrors.ts / setupAttachTransitionContext.ts (E26)',
    'a free main plan attached again also answers 409 plan_already_attached (code-derived)',
    async () => {
      seed(env.standIn, 'free100');

      const error = await apiError(env.autumn.billing.attach({ customerId: CUSTOMER, planId: 'free100' }));

      expect(error.status).toBe(409);
      expect(error.body).toMatchObject({ code: 'plan_already_attached' });
      expect(env.standIn.balance(CUSTOMER).granted).toBe(100);
    },
  );

  scenario(
    'CB17',
    'server/tests/integration/billing/attach/new-plan/attach-addon.test.ts — "addon 7: reattach same one-off addon" (E27)',
    'a one-off top-up attached twice stacks: no error, and both packs add up',
    async () => {
      seed(env.standIn, 'free20');

      const first = await env.autumn.billing.attach({ customerId: CUSTOMER, planId: 'topup' });
      env.standIn.completeCheckout(first.paymentUrl!);
      const second = await env.autumn.billing.attach({ customerId: CUSTOMER, planId: 'topup' });
      env.standIn.completeCheckout(second.paymentUrl!);

      expect(env.standIn.balance(CUSTOMER)).toMatchObject({ granted: 120, remaining: 120 });
      const customer = await env.autumn.customers.get({ customerId: CUSTOMER });
      expect(customer.balances[FEATURE]).toMatchObject({ granted: 120, remaining: 120 });
      expect(customer.subscriptions.map((s) => s.planId)).toEqual(['free20']);
    },
  );

  scenario(
    'CB18',
    'shared/api/billing/common/billingParamsBase/billingParamsBaseV1.ts + server/src/errors/formatZodError.ts (E25)',
    'plan_id and customer_id are required: a missing one answers 400 invalid_inputs naming it',
    async () => {
      seed(env.standIn, 'free20');
      const noPlan = await post(env.standIn, 'billing.attach', { customer_id: CUSTOMER });
      const neither = await post(env.standIn, 'billing.attach', {});

      expect(noPlan.status).toBe(400);
      expect(noPlan.body).toMatchObject({ code: 'invalid_inputs', message: 'plan_id: must be a string (received undefined)' });
      expect(neither.status).toBe(400);
      expect(neither.body).toMatchObject({
        code: 'invalid_inputs',
        message: '[Validation Errors] customer_id: must be a string (received undefined); plan_id: must be a string (received undefined)',
      });
    },
  );

  scenario(
    'CB19',
    'server/src/internal/billing/v2/actions/attach/setup/setupAttachBillingContext.ts — ProductService.getFull → ProductNotFoundError (E28, UNCONFIRMED by test)',
    'attach of an unknown plan answers 404 product_not_found "Product <id> not found" (code-derived)',
    async () => {
      seed(env.standIn, 'free20');

      const error = await apiError(env.autumn.billing.attach({ customerId: CUSTOMER, planId: 'gold' }));

      expect(error.status).toBe(404);
      expect(error.body).toEqual({ message: 'Product gold not found', code: 'product_not_found', env: 'sandbox' });
    },
  );

  scenario(
    'CB20',
    'server/src/internal/billing/v2/actions/attach/setup/setupAttachBillingContext.ts — CusService.getFull before ProductService.getFull (E28, UNCONFIRMED by test)',
    'attach for an unknown customer answers 404 customer_not_found — before the plan is checked — and creates nobody (code-derived)',
    async () => {
      const knownPlan = await apiError(env.autumn.billing.attach({ customerId: 'ghost', planId: 'topup' }));
      const bothUnknown = await apiError(env.autumn.billing.attach({ customerId: 'ghost', planId: 'gold' }));
      const get = await apiError(env.autumn.customers.get({ customerId: 'ghost' }));

      expect([knownPlan.status, knownPlan.body.code, knownPlan.body.message]).toEqual([404, 'customer_not_found', 'Customer ghost not found']);
      expect([bothUnknown.status, bothUnknown.body.code]).toEqual([404, 'customer_not_found']);
      expect(get.status).toBe(404);
    },
  );

  scenario(
    'CB21',
    'server/src/internal/billing/v2/utils/billingResult/billingResultToResponse.ts + setupAttachCheckoutMode.ts (E25)',
    'attach answers { customer_id, payment_url }: null for a free plan, a checkout URL for a paid one without a card (code-derived)',
    async () => {
      seed(env.standIn, 'free20');

      const free = await post(env.standIn, 'billing.attach', { customer_id: CUSTOMER, plan_id: 'free100' });
      const paid = await env.autumn.billing.attach({ customerId: CUSTOMER, planId: 'consumable100' });

      expect(free.status).toBe(200);
      expect(free.body).toMatchObject({ customer_id: CUSTOMER, payment_url: null });
      expect(paid.customerId).toBe(CUSTOMER);
      expect(typeof paid.paymentUrl).toBe('string');
    },
  );
});

describe('errors and authentication', () => {
  const env = useConformance();

  scenario(
    'CB22',
    'server/src/honoMiddlewares/errorMiddleware.ts createErrorResponse; errorMiddleware/errorMiddleware.ts @ 0e2c44eb (E32)',
    'an error body is { message, code, env } (plus an optional details), env "sandbox" for a test key',
    async () => {
      const notFound = await post(env.standIn, 'customers.get', { customer_id: 'nobody' });
      const invalid = await post(env.standIn, 'events.aggregate', {});

      for (const response of [notFound, invalid]) {
        const keys = Object.keys(response.body).filter((key) => key !== 'details');
        expect(keys.sort()).toEqual(['code', 'env', 'message']);
        expect(response.body.env).toBe('sandbox');
        expect(typeof response.body.message).toBe('string');
      }
    },
  );

  scenario(
    'CB23',
    'server/tests/integration/balances/track/batch-track/batch-track-contract.test.ts — "401 when no Authorization header is supplied" (E33)',
    'no bearer token (no header, a Basic header, an empty Bearer) answers 401 no_secret_key',
    async () => {
      const answers = [];
      const variants: Array<Record<string, string>> = [{}, { authorization: 'Basic abc' }, { authorization: 'Bearer ' }];
      for (const headers of variants) {
        const response = await post(env.standIn, 'customers.get_or_create', { customer_id: CUSTOMER }, headers);
        answers.push([response.status, response.body]);
      }

      for (const [status, body] of answers) {
        expect(status).toBe(401);
        expect(body).toEqual({ message: 'Secret key not found in Authorization header', code: 'no_secret_key', env: 'sandbox' });
      }
    },
  );

  scenario(
    'CB24',
    'server/src/honoMiddlewares/secretKeyMiddleware.ts — isSecretKeyPrefix (E33)',
    'a token without the am_sk / am_pk prefix answers 401 invalid_request "Invalid authorization token prefix" (code-derived)',
    async () => {
      const response = await post(env.standIn, 'customers.get_or_create', { customer_id: CUSTOMER }, { authorization: 'Bearer sk_live_123456789' });

      expect(response.status).toBe(401);
      expect(response.body).toEqual({ message: 'Invalid authorization token prefix', code: 'invalid_request', env: 'sandbox' });
    },
  );

  scenario(
    'CB25',
    'server/src/honoMiddlewares/secretKeyMiddleware.ts — verifyKey / maskApiKey (E33)',
    'a wrong am_sk key answers 401 invalid_secret_key with the key masked after 15 characters (code-derived)',
    async () => {
      const key = 'am_sk_test_wrong_key_123';
      const wrong = sdk({ url: env.standIn.url, secretKey: key });

      const error = await apiError(wrong.customers.getOrCreate({ customerId: CUSTOMER }));

      expect(error.status).toBe(401);
      expect(error.body).toEqual({
        message: `Invalid secret key: ${key.slice(0, 15)}${'*'.repeat(key.length - 15)}`,
        code: 'invalid_secret_key',
        env: 'sandbox',
      });
    },
  );
});
