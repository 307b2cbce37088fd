import { describe, expect, it } from 'vitest';
import { defaultCreditsConfig } from '../../src/core/config.js';
import { DAY, post, rejection, useStandIn } from './helpers.js';

const FEATURE = defaultCreditsConfig.featureId;
const HOUR = 60 * 60 * 1000;

describe('events.list and events.aggregate', () => {
  const env = useStandIn();

  /** Two threads over two days: t1 spends 1.5 + 2.25, t2 spends 4 (and 0.125 on day 2). */
  async function seedThreads() {
    env.standIn.seedCustomer('u');
    env.standIn.seedCustomer('other');
    const track = (customerId: string, value: number, thread: string) =>
      env.autumn.track({ customerId, featureId: FEATURE, value, properties: { thread_id: thread, model: 'gpt' } });
    await track('u', 1.5, 't1');
    env.standIn.clock.advance(HOUR);
    await track('u', 4, 't2');
    await track('other', 99, 't1');
    env.standIn.clock.advance(DAY);
    await track('u', 2.25, 't1');
    await track('u', 0.125, 't2');
    env.standIn.flush(); // Autumn's analytics lag: its own tests wait ~3 s before reading events
  }

  it('shows an event in events.list and events.aggregate only after the analytics lag (eventDelayMs)', async () => {
    env.standIn.seedCustomer('u');
    await env.autumn.track({ customerId: 'u', featureId: FEATURE, value: 2 });

    const before = await env.autumn.events.list({ customerId: 'u' });
    const balance = env.standIn.balance('u');
    env.standIn.clock.advance(2_000); // DEFAULT_EVENT_DELAY_MS
    const after = await env.autumn.events.list({ customerId: 'u' });

    expect(balance.usage).toBe(2); // the balance moved at once
    expect(before.list).toEqual([]);
    expect(after.list.map((event) => event.value)).toEqual([2]);
  });

  it('lists a customer’s events newest first, with their deductions', async () => {
    await seedThreads();

    const { list, nextCursor } = await env.autumn.events.list({ customerId: 'u' });

    expect(list.map((event) => event.value)).toEqual([0.125, 2.25, 4, 1.5]);
    expect(list[0]).toMatchObject({ customerId: 'u', featureId: FEATURE, properties: { thread_id: 't2', model: 'gpt' } });
    expect(list[0]!.deductions).toEqual([expect.objectContaining({ planId: 'free', value: 0.125 })]);
    expect(nextCursor).toBeNull();
  });

  it('pages with the cursor', async () => {
    await seedThreads();

    const first = await env.autumn.events.list({ customerId: 'u', limit: 3 });
    const second = await env.autumn.events.list({ customerId: 'u', limit: 3, startCursor: first.nextCursor! });

    expect(first.list).toHaveLength(3);
    expect(second.list.map((event) => event.value)).toEqual([1.5]);
    expect(second.nextCursor).toBeNull();
  });

  it('filters the list by time range', async () => {
    await seedThreads();
    const start = env.standIn.clock.now() - HOUR;

    const { list } = await env.autumn.events.list({ customerId: 'u', customRange: { start, end: start + 2 * HOUR } });

    expect(list.map((event) => event.value)).toEqual([0.125, 2.25]);
  });

  it('filters the list by a property with filter_by (raw request: internal in Autumn’s OpenAPI)', async () => {
    await seedThreads();

    const response = await post(env.standIn, 'events.list', { customer_id: 'u', filter_by: { thread_id: 't1' } });

    expect(response.status).toBe(200);
    expect(response.body.list.map((event: { value: number }) => event.value)).toEqual([2.25, 1.5]);
  });

  it('sums usage for one thread with filter_by', async () => {
    await seedThreads();

    const result = await env.autumn.events.aggregate({ customerId: 'u', featureId: FEATURE, range: '7d', filterBy: { thread_id: 't1' } });

    expect(result.total).toEqual({ [FEATURE]: { count: 2, sum: 3.75 } });
    expect(result.list).toHaveLength(8); // 7 rolling days touch 8 calendar days
    expect(result.list.map((bin) => bin.values[FEATURE]).filter((value) => value !== 0)).toEqual([1.5, 2.25]);
  });

  it('reads filter_by keys as property names, so properties.<key> is a nested path that matches nothing (as on Autumn)', async () => {
    await seedThreads();

    const bare = await env.autumn.events.aggregate({ customerId: 'u', featureId: FEATURE, range: '24h', filterBy: { thread_id: 't1' } });
    const prefixed = await env.autumn.events.aggregate({ customerId: 'u', featureId: FEATURE, range: '24h', filterBy: { 'properties.thread_id': 't1' } });

    // The last 24 hours hold t1's second event only (its first is 25 hours old).
    expect(bare.total[FEATURE]).toEqual({ count: 1, sum: 2.25 });
    expect(prefixed.total[FEATURE]).toBeUndefined();
  });

  it('groups usage per thread with group_by properties.thread_id', async () => {
    await seedThreads();

    const result = await env.autumn.events.aggregate({ customerId: 'u', featureId: FEATURE, range: '7d', groupBy: 'properties.thread_id' });

    const perThread: Record<string, number> = {};
    for (const bin of result.list) {
      for (const [thread, value] of Object.entries(bin.groupedValues?.[FEATURE] ?? {})) perThread[thread] = (perThread[thread] ?? 0) + value;
    }
    expect(perThread).toEqual({ t1: 3.75, t2: 4.125 });
    expect(result.total[FEATURE]).toEqual({ count: 4, sum: 7.875 });
  });

  it('bins by hour', async () => {
    await seedThreads();

    const result = await env.autumn.events.aggregate({
      customerId: 'u',
      featureId: FEATURE,
      customRange: { start: Date.UTC(2025, 0, 1), end: Date.UTC(2025, 0, 1, 3) },
      binSize: 'hour',
    });

    expect(result.list.map((bin) => [bin.period, bin.values[FEATURE]])).toEqual([
      [Date.UTC(2025, 0, 1, 0), 1.5],
      [Date.UTC(2025, 0, 1, 1), 4],
      [Date.UTC(2025, 0, 1, 2), 0],
    ]);
  });

  it('aggregates one billing cycle’s length back from now with range 1bc (Autumn’s window, not the current period)', async () => {
    await seedThreads();
    env.standIn.clock.set(Date.UTC(2025, 0, 20));
    await env.autumn.track({ customerId: 'u', featureId: FEATURE, value: 3, properties: { thread_id: 't3' } });
    env.standIn.clock.set(Date.UTC(2025, 1, 3)); // February 3rd: a new cycle began on the 1st
    await env.autumn.track({ customerId: 'u', featureId: FEATURE, value: 7, properties: { thread_id: 't3' } });
    env.standIn.flush();

    const result = await env.autumn.events.aggregate({ customerId: 'u', featureId: FEATURE, range: '1bc' });

    // The cycle is 28 days long (Feb 1 → Mar 1), so the window is Jan 6 → Feb 3: January 20th is in it,
    // January 1st and 2nd are not.
    expect(result.total[FEATURE]).toEqual({ count: 2, sum: 10 });
    expect(result.list[0]!.period).toBe(Date.UTC(2025, 0, 6));
  });

  it('answers 404 for an unknown customer, nothing for an unknown feature, 400 for both range and custom_range', async () => {
    await seedThreads();

    const customer = await rejection(env.autumn.events.aggregate({ customerId: 'ghost', featureId: FEATURE, range: '7d' }));
    const feature = await env.autumn.events.list({ customerId: 'u', featureId: 'nope' });
    const both = await rejection(
      env.autumn.events.aggregate({ customerId: 'u', featureId: FEATURE, range: '7d', customRange: { start: 1, end: 2 } }),
    );

    expect([customer.statusCode, both.statusCode]).toEqual([404, 400]);
    expect(feature.list).toEqual([]); // Autumn does not check feature ids on reads
  });
});
