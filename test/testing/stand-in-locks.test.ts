import { describe, expect, it } from 'vitest';
import { defaultCreditsConfig } from '../../src/core/config.js';
import { post, rejection, useStandIn } from './helpers.js';

const FEATURE = defaultCreditsConfig.featureId;
const MINUTE = 60_000;

describe('balance locks (check with lock, balances.finalize)', () => {
  const env = useStandIn();

  function lockCheck(lockId: string, requiredBalance: number, extra: { expiresAt?: number; overageBehavior?: 'cap' | 'overflow'; customerId?: string } = {}) {
    return env.autumn.check({
      customerId: extra.customerId ?? 'u',
      featureId: FEATURE,
      requiredBalance,
      properties: { thread_id: 't1' },
      lock: {
        enabled: true,
        lockId,
        ...(extra.expiresAt === undefined ? {} : { expiresAt: extra.expiresAt }),
        ...(extra.overageBehavior === undefined ? {} : { overageBehavior: extra.overageBehavior }),
      },
    });
  }

  it('holds the reserved credits against other use', async () => {
    env.standIn.seedCustomer('u', { remaining: 10 });

    const locked = await lockCheck('job_1', 8);
    const other = await env.autumn.check({ customerId: 'u', featureId: FEATURE, requiredBalance: 5 });

    expect(locked.allowed).toBe(true);
    expect(locked.balance?.remaining).toBe(2);
    expect(other.allowed).toBe(false);
  });

  it('refuses a lock above the balance and reserves nothing (default overage behaviour: reject)', async () => {
    env.standIn.seedCustomer('u', { remaining: 10 });

    const locked = await lockCheck('job_1', 11);

    expect(locked.allowed).toBe(false);
    expect(env.standIn.balance('u').remaining).toBe(10);
    // Nothing is held, so the id can be finalized by nobody:
    const error = await rejection(env.autumn.balances.finalize({ lockId: 'job_1', action: 'confirm' }));
    expect(error.statusCode).toBe(400);
  });

  it('reserves what fits with overage_behavior cap, everything with overflow', async () => {
    env.standIn.seedCustomer('u', { remaining: 10 });

    const capped = await lockCheck('cap', 15, { overageBehavior: 'cap' });
    expect(capped.allowed).toBe(true);
    expect(env.standIn.balance('u').remaining).toBe(0);

    const overflow = await lockCheck('over', 4, { overageBehavior: 'overflow' });
    expect(overflow.allowed).toBe(true);
    // Autumn floors remaining at 0: the overflow shows as usage past the grant.
    expect(env.standIn.balance('u')).toMatchObject({ granted: 8000, remaining: 0, usage: 8004 });
  });

  it('confirms at the reserved value', async () => {
    env.standIn.seedCustomer('u', { remaining: 10 });
    await lockCheck('job_1', 4);

    const result = await env.autumn.balances.finalize({ lockId: 'job_1', action: 'confirm' });

    expect(result).toEqual({ success: true });
    expect(env.standIn.balance('u').remaining).toBe(6);
    expect(env.standIn.events('u').map((e) => e.value)).toEqual([4]);
  });

  it('confirms with override_value below the reservation: the difference comes back', async () => {
    env.standIn.seedCustomer('u', { remaining: 10 });
    await lockCheck('job_1', 4);

    await env.autumn.balances.finalize({ lockId: 'job_1', action: 'confirm', overrideValue: 1.234567, properties: { model: 'm' } });

    expect(env.standIn.balance('u').remaining).toBe(8.765433);
    const events = env.standIn.events('u');
    expect(events.map((e) => e.value)).toEqual([4, -2.765433]);
    // The finalize's properties replace the lock's (Autumn: check-with-lock-properties PR-2).
    expect(events[1]!.properties).toEqual({ model: 'm' });
  });

  it('confirms with override_value above the reservation: the extra is deducted too', async () => {
    env.standIn.seedCustomer('u', { remaining: 10 });
    await lockCheck('job_1', 4);

    await env.autumn.balances.finalize({ lockId: 'job_1', action: 'confirm', overrideValue: 7 });

    expect(env.standIn.balance('u').remaining).toBe(3);
  });

  it('releases the whole reservation', async () => {
    env.standIn.seedCustomer('u', { remaining: 10 });
    await lockCheck('job_1', 4);

    await env.autumn.balances.finalize({ lockId: 'job_1', action: 'release' });

    expect(env.standIn.balance('u').remaining).toBe(10);
    expect(env.standIn.events('u').map((e) => e.value)).toEqual([4, -4]);
  });

  it('answers 409 lock_already_exists for a lock id that is still held', async () => {
    env.standIn.seedCustomer('u', { remaining: 10 });
    await lockCheck('job_1', 1);

    const error = await rejection(lockCheck('job_1', 1));

    expect(error.statusCode).toBe(409);
    expect(JSON.parse(error.body)).toMatchObject({ code: 'lock_already_exists', message: 'A lock with this ID already exists' });
    expect(env.standIn.balance('u').remaining).toBe(9);
  });

  it('answers 400 "Lock not found" to finalizing a lock twice, or an unknown lock', async () => {
    env.standIn.seedCustomer('u', { remaining: 10 });
    await lockCheck('job_1', 1);
    await env.autumn.balances.finalize({ lockId: 'job_1', action: 'confirm' });

    const twice = await rejection(env.autumn.balances.finalize({ lockId: 'job_1', action: 'release' }));
    const unknown = await rejection(env.autumn.balances.finalize({ lockId: 'never', action: 'confirm' }));

    expect(JSON.parse(twice.body)).toEqual({ message: 'Lock not found for ID: job_1', code: 'invalid_request', env: 'sandbox' });
    expect([twice.statusCode, unknown.statusCode]).toEqual([400, 400]);
    expect(env.standIn.balance('u').remaining).toBe(9);
  });

  it('expires a lock on the stand-in clock: the reservation comes back and the lock is gone', async () => {
    env.standIn.seedCustomer('u', { remaining: 10 });
    const now = env.standIn.clock.now();
    await lockCheck('job_1', 6, { expiresAt: now + 5 * MINUTE });

    env.standIn.clock.advance(5 * MINUTE - 1);
    expect(env.standIn.balance('u').remaining).toBe(4);
    env.standIn.clock.advance(1);
    expect(env.standIn.balance('u').remaining).toBe(10);

    const error = await rejection(env.autumn.balances.finalize({ lockId: 'job_1', action: 'confirm' }));
    expect(error.statusCode).toBe(400);
    // The id is free again once the lock is gone:
    expect((await lockCheck('job_1', 1)).allowed).toBe(true);
  });

  it('refuses an expiry more than a day ahead', async () => {
    env.standIn.seedCustomer('u', { remaining: 10 });

    const error = await rejection(lockCheck('job_1', 1, { expiresAt: env.standIn.clock.now() + 25 * 60 * MINUTE }));

    expect(error.statusCode).toBe(400);
    expect(JSON.parse(error.body).message).toMatch(/more than 1 day/);
  });

  it('locks through track too, and finalizes that lock', async () => {
    env.standIn.seedCustomer('u', { remaining: 10 });

    await env.autumn.track({ customerId: 'u', featureId: FEATURE, value: 3, lock: { enabled: true, lockId: 'tr_1' } });
    expect(env.standIn.balance('u').remaining).toBe(7);
    await env.autumn.balances.finalize({ lockId: 'tr_1', action: 'confirm', overrideValue: 2 });

    expect(env.standIn.balance('u').remaining).toBe(8);
  });

  it('does not give back twice what a reset already gave back', async () => {
    env.standIn.seedCustomer('u', { remaining: 10 });
    env.standIn.clock.set(Date.UTC(2025, 0, 31, 23)); // an hour before the monthly reset
    await lockCheck('job_1', 6); // no expiry: held for Autumn's default day
    env.standIn.clock.set(Date.UTC(2025, 1, 1, 1)); // the monthly reset: 8,000 again

    await env.autumn.balances.finalize({ lockId: 'job_1', action: 'release' });

    expect(env.standIn.balance('u')).toMatchObject({ remaining: 8000, usage: 0 });
  });

  it('validates the finalize action', async () => {
    const response = await post(env.standIn, 'balances.finalize', { lock_id: 'x', action: 'commit' });

    expect([response.status, response.body.code]).toEqual([400, 'invalid_inputs']);
  });

  describe('given 100 concurrent locks against a balance for 10', () => {
    it('grants at most 10', async () => {
      env.standIn.seedCustomer('u', { remaining: 10 });

      const results = await Promise.all(Array.from({ length: 100 }, (_, i) => lockCheck(`race_${i}`, 1)));

      expect(results.filter((result) => result.allowed)).toHaveLength(10);
      expect(env.standIn.balance('u').remaining).toBe(0);
    });

    it('grants at most 10 of 100 concurrent send_event checks too', async () => {
      env.standIn.seedCustomer('u', { remaining: 10 });

      const results = await Promise.all(
        Array.from({ length: 100 }, () => env.autumn.check({ customerId: 'u', featureId: FEATURE, requiredBalance: 1, sendEvent: true })),
      );

      expect(results.filter((result) => result.allowed)).toHaveLength(10);
      expect(env.standIn.balance('u').remaining).toBe(0);
    });
  });
});
