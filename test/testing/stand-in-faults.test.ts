import { AutumnDefaultError, AutumnError, ConnectionError, RequestTimeoutError, ResponseValidationError } from 'autumn-js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultCreditsConfig } from '../../src/core/config.js';
import { createAutumnStandIn } from '../../src/testing.js';
import { rejection, sdk, useStandIn } from './helpers.js';

const FEATURE = defaultCreditsConfig.featureId;
/** Short SDK timeout for the `timeout` fault, so the suite stays fast. */
const TIMEOUT_MS = 150;

describe('fault injection', () => {
  const env = useStandIn();
  let failClosed: ReturnType<typeof sdk>;
  let failOpen: ReturnType<typeof sdk>;

  beforeEach(() => {
    env.standIn.seedCustomer('u', { remaining: 10 });
    failClosed = sdk(env.standIn, { failOpen: false });
    failOpen = sdk(env.standIn, { failOpen: true });
    // The SDK logs when it fails open; keep the test output quiet.
    vi.spyOn(console, 'log').mockImplementation(() => {});
    vi.spyOn(console, 'error').mockImplementation(() => {});
  });
  afterEach(() => vi.restoreAllMocks());

  const track = (client: ReturnType<typeof sdk>, value = 1) => client.track({ customerId: 'u', featureId: FEATURE, value });
  const check = (client: ReturnType<typeof sdk>) => client.check({ customerId: 'u', featureId: FEATURE, requiredBalance: 1 });

  describe('latency', () => {
    it('delays the answer, which then arrives normally', async () => {
      env.standIn.faults.inject('balances.check', { kind: 'latency', ms: 120 });

      const started = performance.now();
      const result = await check(failClosed);

      expect(performance.now() - started).toBeGreaterThanOrEqual(100);
      expect(result.allowed).toBe(true);
    });
  });

  describe('a 5xx status', () => {
    beforeEach(() => {
      env.standIn.faults.inject('balances.track', { kind: 'status', status: 503 });
    });

    it('with fail-open off: the SDK throws an AutumnError with the status, and nothing was deducted', async () => {
      const error = await rejection(track(failClosed));

      expect(error).toBeInstanceOf(AutumnDefaultError);
      expect(error).toBeInstanceOf(AutumnError);
      expect(error.statusCode).toBe(503);
      expect(env.standIn.balance('u').remaining).toBe(10);
    });

    it('with fail-open on (the SDK default): track answers a fake success (customerId "", value 0) and nothing was deducted', async () => {
      const result = await track(failOpen, 5);

      expect(result).toEqual({ customerId: '', value: 0, balance: null });
      expect(env.standIn.balance('u').remaining).toBe(10);
    });

    it('applies to its route only', async () => {
      expect((await check(failClosed)).allowed).toBe(true);
    });
  });

  describe('a 5xx on check with fail-open on', () => {
    it('answers allowed: true even for a customer without credits — the reason the kit turns fail-open off', async () => {
      env.standIn.seedCustomer('u', { remaining: 0 });
      env.standIn.faults.inject('balances.check', { kind: 'status', status: 500 });

      const result = await failOpen.check({ customerId: 'u', featureId: FEATURE, requiredBalance: 1000 });

      expect(result).toMatchObject({ allowed: true, customerId: '', balance: null, flag: null });
    });
  });

  describe('a 4xx status with a body', () => {
    it('is not failed open: the SDK throws it even with fail-open on', async () => {
      env.standIn.faults.inject('balances.check', { kind: 'status', status: 429, body: { message: 'Slow down', code: 'rate_limited' } });

      const error = await rejection(check(failOpen));

      expect(error.statusCode).toBe(429);
      expect(JSON.parse(error.body)).toEqual({ message: 'Slow down', code: 'rate_limited' });
    });
  });

  describe('a malformed 200', () => {
    it('fails the SDK’s own response parser (proving every other answer passed it)', async () => {
      env.standIn.faults.inject('balances.check', { kind: 'status', status: 200, body: { allowed: 'yes' } });

      expect(await rejection(check(failClosed))).toBeInstanceOf(ResponseValidationError);
    });
  });

  describe('timeout', () => {
    it('with fail-open off: the SDK gives up after timeoutMs with a RequestTimeoutError', async () => {
      env.standIn.faults.inject('balances.track', { kind: 'timeout' });

      const started = performance.now();
      const error = await rejection(track(sdk(env.standIn, { failOpen: false, timeoutMs: TIMEOUT_MS })));

      expect(error).toBeInstanceOf(RequestTimeoutError);
      expect(performance.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS - 10);
      expect(env.standIn.balance('u').remaining).toBe(10);
    });

    it('with fail-open on: check answers allowed: true after the timeout', async () => {
      env.standIn.faults.inject('balances.check', { kind: 'timeout' });

      expect(await check(sdk(env.standIn, { failOpen: true, timeoutMs: TIMEOUT_MS }))).toMatchObject({ allowed: true, customerId: '' });
    });
  });

  describe('dropped connection', () => {
    it('with fail-open off: the SDK throws a ConnectionError', async () => {
      env.standIn.faults.inject('balances.track', { kind: 'drop' });

      const error = await rejection(track(failClosed));

      expect(error).toBeInstanceOf(ConnectionError);
      expect(env.standIn.balance('u').remaining).toBe(10);
    });

    it('with fail-open on: track answers the fake success', async () => {
      env.standIn.faults.inject('balances.track', { kind: 'drop' });

      expect(await track(failOpen)).toEqual({ customerId: '', value: 0, balance: null });
    });

    it('is not failed open for other operations', async () => {
      env.standIn.faults.inject('customers.get_or_create', { kind: 'drop' });

      // The fail-open fetcher turns the network error into a 555, which only check and track swallow.
      const error = await rejection(failOpen.customers.getOrCreate({ customerId: 'u' }));
      expect(error.statusCode).toBe(555);
    });
  });

  describe('scoping', () => {
    it('plays a fault `times` times, then answers normally', async () => {
      env.standIn.faults.inject('balances.track', { kind: 'status', status: 500 }, { times: 2 });

      await rejection(track(failClosed));
      await rejection(track(failClosed));
      const third = await track(failClosed);

      expect(third.balance?.remaining).toBe(9);
    });

    it('plays a `*` fault on every route until removed', async () => {
      const remove = env.standIn.faults.inject('*', { kind: 'status', status: 502 });

      expect((await rejection(check(failClosed))).statusCode).toBe(502);
      expect((await rejection(failClosed.plans.list({}))).statusCode).toBe(502);
      remove();
      expect((await check(failClosed)).allowed).toBe(true);
    });

    it('forgets every fault on clear()', async () => {
      env.standIn.faults.inject('*', { kind: 'drop' });
      env.standIn.faults.clear();
      expect((await check(failClosed)).allowed).toBe(true);
    });
  });
});

describe('faults through the in-process fetch', () => {
  const request = (standIn: ReturnType<typeof createAutumnStandIn>, init: RequestInit = {}) =>
    standIn.fetch('http://autumn.stand-in/v1/balances.check', {
      method: 'POST',
      headers: { authorization: `Bearer ${standIn.secretKey}` },
      body: JSON.stringify({ customer_id: 'u', feature_id: FEATURE }),
      ...init,
    });

  it('rejects with TypeError "fetch failed" for a drop, like Node’s fetch on a reset socket', async () => {
    const standIn = createAutumnStandIn();
    standIn.faults.inject('balances.check', { kind: 'drop' });

    const error = await rejection(request(standIn));

    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('fetch failed');
  });

  it('hangs on a timeout until the caller aborts, and reset() releases pending requests', async () => {
    const standIn = createAutumnStandIn();
    standIn.seedCustomer('u');
    standIn.faults.inject('balances.check', { kind: 'timeout' }, { times: 2 });

    const aborted = await rejection(request(standIn, { signal: AbortSignal.timeout(30) }));
    expect(aborted.name).toBe('TimeoutError');

    const pending = request(standIn);
    standIn.reset();
    expect(await rejection(pending)).toBeInstanceOf(TypeError);
  });
});
