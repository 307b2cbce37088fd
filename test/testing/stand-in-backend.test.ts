/**
 * The React side's path: autumn-js's own backend handler (`autumn-js/fetch`) in front of the stand-in, over the
 * loopback server and through MSW (`setupServer`, the Node twin of the service worker Storybook uses).
 */
import { Autumn, ConnectionError } from 'autumn-js';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultCreditsConfig } from '../../src/core/config.js';
import { createAutumnStandIn, startAutumnStandIn, type RunningAutumnStandIn } from '../../src/testing.js';
import { autumnStandInHandlers } from '../../src/testing/msw.js';
import { rejection } from './helpers.js';

const FEATURE = defaultCreditsConfig.featureId;

/** What the React client does: POST `{backendUrl}/api/autumn/<route>` with a JSON body, read the JSON back. */
async function backend(base: string, route: string, body: unknown = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(`${base}/api/autumn/${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? null : JSON.parse(text) };
}

beforeEach(() => {
  // autumn-js's backend handler logs every request URL, and SDK failures with console.error.
  vi.spyOn(console, 'log').mockImplementation(() => {});
  vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterEach(() => vi.restoreAllMocks());

describe('given startAutumnStandIn({ identify })', () => {
  let signedIn: string | null = 'user_1';
  let standIn: RunningAutumnStandIn;

  beforeAll(async () => {
    standIn = await startAutumnStandIn({
      identify: () => (signedIn === null ? null : { customerId: signedIn, customerData: { name: 'Ada' } }),
    });
  });
  afterEach(() => {
    standIn.reset();
    signedIn = 'user_1';
  });
  afterAll(() => standIn.close());

  it('serves getOrCreateCustomer in camelCase with balances.feature expanded', async () => {
    const response = await backend(standIn.url, 'getOrCreateCustomer');

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: 'user_1', name: 'Ada' });
    expect(response.body.balances[FEATURE]).toMatchObject({ featureId: FEATURE, remaining: 8000, feature: { id: FEATURE } });
  });

  it('answers 401 no_customer_id when nobody is signed in', async () => {
    signedIn = null;

    const response = await backend(standIn.url, 'getOrCreateCustomer');

    expect(response.status).toBe(401);
    expect(response.body.code).toBe('no_customer_id');
  });

  it('attaches the top-up: the checkout URL points at the stand-in, and opening it grows the balance', async () => {
    await backend(standIn.url, 'getOrCreateCustomer');

    const attach = await backend(standIn.url, 'attach', { planId: 'credit_topup', successUrl: 'http://app.test/billing' });
    expect(attach.status).toBe(200);
    expect(attach.body.paymentUrl).toMatch(new RegExp(`^${standIn.url}/checkout/`));

    const page = await fetch(attach.body.paymentUrl, { redirect: 'manual' });
    expect(page.headers.get('location')).toBe('http://app.test/billing');
    expect(standIn.balance('user_1').remaining).toBe(48000);
  });

  it('passes Autumn errors through in the React client’s error shape', async () => {
    await backend(standIn.url, 'getOrCreateCustomer');

    const response = await backend(standIn.url, 'attach', { planId: 'gold' });

    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ code: 'product_not_found', statusCode: 404 });
  });

  it('serves listPlans and aggregateEvents for the signed-in customer', async () => {
    await backend(standIn.url, 'getOrCreateCustomer');
    const autumn = new Autumn({ secretKey: standIn.secretKey, serverURL: standIn.url, failOpen: false });
    await autumn.track({ customerId: 'user_1', featureId: FEATURE, value: 2.5, properties: { thread_id: 'a' } });
    await autumn.track({ customerId: 'user_1', featureId: FEATURE, value: 1, properties: { thread_id: 'b' } });
    standIn.flush(); // Autumn's analytics lag

    const plans = await backend(standIn.url, 'listPlans');
    const usage = await backend(standIn.url, 'aggregateEvents', { featureId: FEATURE, range: '24h', filterBy: { thread_id: 'a' } });

    expect(plans.body.list.map((plan: { id: string }) => plan.id)).toEqual(['free', 'pro_monthly', 'pro_annual', 'credit_topup']);
    expect(usage.body.total[FEATURE]).toEqual({ count: 1, sum: 2.5 });
  });

  it('answers preflight requests for pages on another origin', async () => {
    const response = await fetch(`${standIn.url}/api/autumn/getOrCreateCustomer`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:6006', 'access-control-request-headers': 'content-type' },
    });

    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:6006');
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
  });
});

describe('given a server started without identify', () => {
  it('explains that /api/autumn/* needs identify', async () => {
    const standIn = await startAutumnStandIn();
    try {
      const response = await backend(standIn.url, 'getOrCreateCustomer');
      expect(response.status).toBe(404);
      expect(response.body.message).toMatch(/identify/);
    } finally {
      await standIn.close();
    }
  });
});

describe('given autumnStandInHandlers in MSW (setupServer)', () => {
  const standIn = createAutumnStandIn();
  const server = setupServer(
    ...autumnStandInHandlers(standIn, { identify: () => ({ customerId: 'msw_user' }), backendUrl: 'http://app.test' }),
  );

  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => standIn.reset());
  afterAll(() => server.close());

  it('serves the backend routes, whose SDK calls reach the stand-in at its origin', async () => {
    const response = await backend('http://app.test', 'getOrCreateCustomer');

    expect(response.status).toBe(200);
    expect(response.body.balances[FEATURE].remaining).toBe(8000);
    expect(standIn.balance('msw_user').remaining).toBe(8000);
  });

  it('serves the SDK directly at the stand-in origin', async () => {
    standIn.seedCustomer('u', { remaining: 3 });
    const autumn = new Autumn({ secretKey: standIn.secretKey, serverURL: standIn.origin, failOpen: false });

    const result = await autumn.track({ customerId: 'u', featureId: FEATURE, value: 1.25 });

    expect(result.balance?.remaining).toBe(1.75);
  });

  it('turns a drop fault into a network error', async () => {
    standIn.seedCustomer('u');
    standIn.faults.inject('balances.check', { kind: 'drop' });
    const autumn = new Autumn({ secretKey: standIn.secretKey, serverURL: standIn.origin, failOpen: false });

    expect(await rejection(autumn.check({ customerId: 'u', featureId: FEATURE }))).toBeInstanceOf(ConnectionError);
  });

  it('completes a checkout opened through the backend', async () => {
    await backend('http://app.test', 'getOrCreateCustomer');
    const attach = await backend('http://app.test', 'attach', { planId: 'credit_topup' });

    const page = await fetch(attach.body.paymentUrl);

    expect(page.status).toBe(200);
    expect(standIn.balance('msw_user').remaining).toBe(48000);
  });
});
