/**
 * Conformance: `events.aggregate` and `events.list` (autumn-js 1.3.13 sends `x-api-version: 2.4.0`, so the 2.3+
 * cursor list and the `{ list: [{ period, values, grouped_values? }], total }` aggregate shape apply).
 * Research notes: /tmp/research/events-customers.md (E1–E17) and /tmp/research/track-check.md (T25).
 * Autumn source read at useautumn/autumn 187c0a7f.
 *
 * Skipped, with reasons:
 * - E9 (API ≤ 2.0 flattened aggregate rows) and the ≤ 2.2 offset-paginated events.list of E11 and its V2.2/V2.3
 *   byte-parity: older API versions' shapes are out of scope (the SDK sends 2.4.0).
 * - E10, the `aggregate_on: "deducted"` half of E4 and E6 (`$feature_id` / `$plan_id` / `filter_by` with
 *   `aggregate_on`, `deductions`): aggregate_on deductions are not modelled by the stand-in.
 * - E17: rate limits (5 req/s per customer on events routes) are not modelled.
 * - E2 `last_cycle` / `3bc`: not asked; `last_cycle` also depends on subscription creation vs period start.
 * - E1 / E11 `entity_id` filters and `$entity_id` / `$customer_id` / `$plan_id` grouping: entities are not part of
 *   this single-feature suite.
 * - E11 `filter_by` on events.list: internal-only in Autumn's OpenAPI (and the SDK cannot send it).
 * - E15 `deductions: null` for events ingested before deductions were tracked: no such legacy events exist here.
 * - E16 polling loops: modelled by the lag scenarios (EV30, EV31) instead.
 */
import { describe, expect } from 'vitest';
import { CUSTOMER, FEATURE, post, rejection, scenario, seed, useConformance, waitForEvents } from './harness.js';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const at = (month: number, day: number, hour = 0) => Date.UTC(2025, month - 1, day, hour);

/** HTTP status and Autumn error body of a failed SDK call. */
async function apiError(promise: Promise<unknown>): Promise<{ status: number; body: any }> {
  const error = await rejection(promise);
  return { status: error.statusCode, body: JSON.parse(error.body) };
}

describe('events.aggregate', () => {
  const env = useConformance();

  /** Tracks `value` with the stand-in's clock at `time`. */
  async function trackAt(time: number, value: number, properties?: Record<string, unknown>, customerId = CUSTOMER) {
    env.standIn.clock.set(time);
    await env.autumn.track({ customerId, featureId: FEATURE, value, ...(properties ? { properties } : {}) });
  }

  scenario(
    'EV1',
    'shared/api/events/aggregate/eventsAggregateParams.ts — ExtEventsAggregateParamsSchema (E1, schema-run)',
    'feature_id is required: {} and feature_id "" answer 400 invalid_inputs "feature_id: Invalid input"',
    async () => {
      seed(env.standIn, 'free100');
      const missing = await post(env.standIn, 'events.aggregate', { customer_id: CUSTOMER });
      const empty = await post(env.standIn, 'events.aggregate', { customer_id: CUSTOMER, feature_id: '' });

      for (const response of [missing, empty]) {
        expect(response.status).toBe(400);
        expect(response.body).toMatchObject({ code: 'invalid_inputs', message: 'feature_id: Invalid input' });
      }
    },
  );

  scenario(
    'EV2',
    'server/src/honoMiddlewares/validatorMiddleware.ts — non-JSON body parsed as {} (E1)',
    'a body that is not JSON is read as {} and so answers the feature_id error',
    async () => {
      const response = await fetch(`${env.standIn.url}/v1/events.aggregate`, {
        method: 'POST',
        headers: { authorization: `Bearer ${env.standIn.secretKey}`, 'content-type': 'application/json' },
        body: '{not json',
      });

      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'invalid_inputs', message: 'feature_id: Invalid input' });
    },
  );

  scenario(
    'EV3',
    'shared/api/events/components/rangeEnum.ts + server/src/errors/formatZodError.ts (E1, schema-run)',
    'an unknown range answers 400 invalid_inputs listing the allowed ranges',
    async () => {
      seed(env.standIn, 'free100');
      const response = await post(env.standIn, 'events.aggregate', { customer_id: CUSTOMER, feature_id: FEATURE, range: '1d' });

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({
        code: 'invalid_inputs',
        message: 'range: must be one of: 24h, 7d, 30d, 90d, last_cycle, 1bc, 3bc',
      });
    },
  );

  scenario(
    'EV4',
    'shared/api/events/aggregate/eventsAggregateParams.ts transform + server/src/internal/analytics/analyticsUtils.ts calculateBillingCycleResult (E2)',
    'no range defaults to "1bc": a trailing window one billing cycle long ending now, not the current period',
    async () => {
      // free100 resets monthly on the 1st. On Feb 15 12:00 the cycle is Feb 1 → Mar 1 (28 days, Autumn: next_reset_at
      // minus the entitlement's month), so "1bc" is [Jan 18 12:00, Feb 15 12:00].
      seed(env.standIn, 'free100');
      await trackAt(at(1, 10, 12), 1); // before the window
      await trackAt(at(1, 17, 12), 8); // inside a 30-day window, outside the 28-day cycle window
      await trackAt(at(1, 20, 12), 2); // previous billing period, but inside the trailing window
      await trackAt(at(2, 10, 12), 4); // current period
      env.standIn.clock.set(at(2, 15, 12));
      waitForEvents(env.standIn);

      const defaulted = await env.autumn.events.aggregate({ customerId: CUSTOMER, featureId: FEATURE });
      const explicit = await env.autumn.events.aggregate({ customerId: CUSTOMER, featureId: FEATURE, range: '1bc' });

      // A current-period window would say { count: 1, sum: 4 }; a 30-day window { count: 3, sum: 14 }.
      expect(defaulted.total).toEqual({ [FEATURE]: { count: 2, sum: 6 } });
      expect(explicit.total).toEqual(defaulted.total);
      // Day bins from the start of the window's first day up to today (generateAllPeriods).
      expect(defaulted.list[0]!.period).toBe(at(1, 18));
      expect(defaulted.list.at(-1)!.period).toBe(at(2, 15));
      expect(defaulted.list).toHaveLength(29);
      const byPeriod = new Map(defaulted.list.map((bin) => [bin.period, bin.values[FEATURE]]));
      expect(byPeriod.get(at(1, 20))).toBe(2);
      expect(byPeriod.get(at(2, 10))).toBe(4);
      expect(byPeriod.has(at(1, 17))).toBe(false);
    },
  );

  scenario(
    'EV5',
    'server/src/internal/analytics/analyticsUtils.ts getBillingCycleStartDate + aggregate.ts intervalToDays (E2)',
    '"1bc" for a customer without a resetting plan (one-off grant) falls back to the last 1 day',
    async () => {
      // lifetime100 has no next_reset_at, so no billing cycle: intervalToDays("1bc") = 0 + 1 day.
      seed(env.standIn, 'lifetime100');
      await trackAt(at(1, 1, 12), 1); // 46 h before "now": outside one day (even with the start truncated to the day)
      await trackAt(at(1, 3, 6), 2);
      env.standIn.clock.set(at(1, 3, 10));
      waitForEvents(env.standIn);

      const result = await env.autumn.events.aggregate({ customerId: CUSTOMER, featureId: FEATURE });

      expect(result.total).toEqual({ [FEATURE]: { count: 1, sum: 2 } });
      expect(result.list.map((bin) => bin.period)).toEqual([at(1, 2), at(1, 3)]);
      expect(result.list.map((bin) => bin.values[FEATURE])).toEqual([0, 2]);
    },
  );

  scenario(
    'EV6',
    'server/src/internal/events/handlers/handleExternalAggregateEvents.ts aggregateAll + aggregate.ts calculateDateRange (E2, E7)',
    'without customer_id the aggregate is org-wide and "1bc" is the last 1 day (code-derived)',
    async () => {
      seed(env.standIn, 'free100', { id: 'org_a' });
      seed(env.standIn, 'free100', { id: 'org_b' });
      // "now" is Jan 3 12:00: one day back is Jan 2 12:00 (Jan 2 00:00 once totals truncate to the day).
      await trackAt(at(1, 1, 20), 16, undefined, 'org_a');
      await trackAt(at(1, 3, 9), 1, undefined, 'org_a');
      await trackAt(at(1, 3, 10), 2, undefined, 'org_b');
      env.standIn.clock.set(at(1, 3, 12));
      waitForEvents(env.standIn);

      const result = await env.autumn.events.aggregate({ featureId: FEATURE });

      expect(result.total).toEqual({ [FEATURE]: { count: 2, sum: 3 } });
    },
  );

  scenario(
    'EV7',
    'shared/api/events/components/binsizeEnum.ts — z.enum([...]).default("day") (E3, schema-run)',
    'bin_size defaults to "day" even for range "24h"; hourly bins only when asked',
    async () => {
      seed(env.standIn, 'free100');
      await trackAt(at(1, 1, 9), 3);
      env.standIn.clock.set(at(1, 1, 12));
      waitForEvents(env.standIn);

      const daily = await env.autumn.events.aggregate({ customerId: CUSTOMER, featureId: FEATURE, range: '24h' });
      const hourly = await env.autumn.events.aggregate({ customerId: CUSTOMER, featureId: FEATURE, range: '24h', binSize: 'hour' });

      // [Dec 31 12:00, Jan 1 12:00] in day bins: Dec 31 and Jan 1.
      expect(daily.list.map((bin) => bin.period)).toEqual([at(1, 1) - DAY, at(1, 1)]);
      expect(daily.list.map((bin) => bin.values[FEATURE])).toEqual([0, 3]);
      expect(hourly.list.length).toBeGreaterThanOrEqual(24);
      expect(hourly.list.every((bin) => bin.period % HOUR === 0)).toBe(true);
      expect(hourly.list.find((bin) => bin.period === at(1, 1, 9))!.values[FEATURE]).toBe(3);
    },
  );

  scenario(
    'EV8',
    'shared/api/events/aggregate/eventsAggregateParams.ts — group_by refine (E4, schema-run)',
    'group_by must be properties.<key> or a $ column: a bare key answers 400 with the exact message',
    async () => {
      seed(env.standIn, 'free100');
      const error = await apiError(env.autumn.events.aggregate({ customerId: CUSTOMER, featureId: FEATURE, range: '7d', groupBy: 'model' }));

      expect(error.status).toBe(400);
      expect(error.body).toMatchObject({
        code: 'invalid_inputs',
        message: 'group_by: group_by must start with "properties." or be "$customer_id", "$entity_id", "$plan_id", or "$feature_id"',
      });
    },
  );

  scenario(
    'EV9',
    'shared/api/events/aggregate/eventsAggregateParams.test.ts (at ec0d34d) — $feature_id requires aggregate_on (E4)',
    'group_by "$feature_id" without aggregate_on answers 400 invalid_inputs',
    async () => {
      seed(env.standIn, 'free100');
      const error = await apiError(env.autumn.events.aggregate({ customerId: CUSTOMER, featureId: FEATURE, range: '7d', groupBy: '$feature_id' }));

      expect(error.status).toBe(400);
      expect(error.body).toMatchObject({
        code: 'invalid_inputs',
        message: 'group_by: group_by "$feature_id" requires aggregate_on to be "deducted"',
      });
    },
  );

  scenario(
    'EV10',
    'server/src/internal/analytics/actions/eventValidationUtils.ts validatePropertyPathForJSON (E4)',
    'a group_by property path with a non [A-Za-z0-9_] segment answers 400 invalid_inputs (code-derived)',
    async () => {
      seed(env.standIn, 'free100');
      const error = await apiError(env.autumn.events.aggregate({ customerId: CUSTOMER, featureId: FEATURE, range: '7d', groupBy: 'properties.model-name' }));

      expect(error.status).toBe(400);
      expect(error.body).toMatchObject({
        code: 'invalid_inputs',
        message: 'Invalid property path. Should only contain alphanumeric and underscore characters.',
      });
    },
  );

  scenario(
    'EV11',
    'shared/api/events/aggregate/eventsAggregateParams.ts — range/custom_range refine (E5, schema-run)',
    'range together with custom_range answers 400 "custom_range.range: Only one of range or custom_range may be provided"',
    async () => {
      seed(env.standIn, 'free100');
      const error = await apiError(
        env.autumn.events.aggregate({ customerId: CUSTOMER, featureId: FEATURE, range: '7d', customRange: { start: 1, end: 2 } }),
      );

      expect(error.status).toBe(400);
      expect(error.body).toMatchObject({ code: 'invalid_inputs', message: 'custom_range.range: Only one of range or custom_range may be provided' });
    },
  );

  scenario(
    'EV12',
    'shared/api/events/aggregate/eventsAggregateParams.ts — custom_range refine (E5, schema-run)',
    'custom_range needs start < end: start > end and start = end answer 400 "custom_range: start must be before end"',
    async () => {
      seed(env.standIn, 'free100');
      const reversed = await apiError(env.autumn.events.aggregate({ customerId: CUSTOMER, featureId: FEATURE, customRange: { start: 2, end: 1 } }));
      const equal = await apiError(env.autumn.events.aggregate({ customerId: CUSTOMER, featureId: FEATURE, customRange: { start: 5, end: 5 } }));

      for (const error of [reversed, equal]) {
        expect(error.status).toBe(400);
        expect(error.body).toMatchObject({ code: 'invalid_inputs', message: 'custom_range: start must be before end' });
      }
    },
  );

  scenario(
    'EV13',
    'server/src/internal/analytics/actions/aggregate.ts buildFilterParams + getCountAndSum.ts (E6)',
    'filter_by takes bare property keys and keeps only matching events',
    async () => {
      seed(env.standIn, 'free100');
      await trackAt(at(1, 1, 1), 1, { model: 'gpt-4', region: 'us' });
      await trackAt(at(1, 1, 2), 2, { model: 'claude', region: 'us' });
      await trackAt(at(1, 1, 3), 4, { model: 'gpt-4', region: 'eu' });
      env.standIn.clock.set(at(1, 1, 12));
      waitForEvents(env.standIn);

      const gpt = await env.autumn.events.aggregate({ customerId: CUSTOMER, featureId: FEATURE, range: '24h', filterBy: { model: 'gpt-4' } });
      const gptUs = await env.autumn.events.aggregate({
        customerId: CUSTOMER,
        featureId: FEATURE,
        range: '24h',
        filterBy: { model: 'gpt-4', region: 'us' },
      });

      expect(gpt.total).toEqual({ [FEATURE]: { count: 2, sum: 5 } });
      expect(gptUs.total).toEqual({ [FEATURE]: { count: 1, sum: 1 } });
    },
  );

  scenario(
    'EV14',
    'server/tinybird/pipes/aggregate_simple.pipe column(\'properties.\' + filter_key) + getCountAndSum.ts (E6)',
    'a filter_by key written as "properties.<key>" is read as a nested path properties.properties.<key>, so nothing matches (code-derived)',
    async () => {
      seed(env.standIn, 'free100');
      await trackAt(at(1, 1, 1), 1, { model: 'gpt-4' });
      env.standIn.clock.set(at(1, 1, 12));
      waitForEvents(env.standIn);

      const result = await env.autumn.events.aggregate({
        customerId: CUSTOMER,
        featureId: FEATURE,
        range: '24h',
        filterBy: { 'properties.model': 'gpt-4' },
      });

      expect(result.total).toEqual({});
      expect(result.list.every((bin) => bin.values[FEATURE] === 0)).toBe(true);
    },
  );

  scenario(
    'EV15',
    'shared/api/events/aggregate/eventsAggregateParams.ts — filter_by refine (E6, schema-run)',
    'more than 5 filter_by keys answers 400 "filter_by: filter_by supports a maximum of 5 filters"',
    async () => {
      seed(env.standIn, 'free100');
      const filterBy = { a: '1', b: '2', c: '3', d: '4', e: '5', f: '6' };
      const error = await apiError(env.autumn.events.aggregate({ customerId: CUSTOMER, featureId: FEATURE, range: '7d', filterBy }));
      const five = await env.autumn.events.aggregate({ customerId: CUSTOMER, featureId: FEATURE, range: '7d', filterBy: { a: '1', b: '2', c: '3', d: '4', e: '5' } });

      expect(error.status).toBe(400);
      expect(error.body).toMatchObject({ code: 'invalid_inputs', message: 'filter_by: filter_by supports a maximum of 5 filters' });
      expect(five.total).toEqual({});
    },
  );

  scenario(
    'EV16',
    'server/src/internal/events/handlers/handleExternalAggregateEvents.ts — CustomerNotFoundError (E7)',
    'an unknown customer_id answers 404 customer_not_found',
    async () => {
      const error = await apiError(env.autumn.events.aggregate({ customerId: 'ghost', featureId: FEATURE, range: '7d' }));

      expect(error.status).toBe(404);
      expect(error.body).toEqual({ message: 'Customer ghost not found', code: 'customer_not_found', env: 'sandbox' });
    },
  );

  scenario(
    'EV17',
    'server/tests/integration/analytics/aggregate/uuid-group-by-fallback.test.ts + aggregate.ts formatSimpleResults + getCountAndSum.ts (E8)',
    'response shape: every day bin zero-filled for every requested feature, ascending; total has no key for a feature without events',
    async () => {
      seed(env.standIn, 'free100');
      await trackAt(at(1, 6, 12), 3);
      env.standIn.clock.set(at(1, 8, 12));
      waitForEvents(env.standIn);

      const response = await post(env.standIn, 'events.aggregate', {
        customer_id: CUSTOMER,
        feature_id: [FEATURE, 'unused_feature'],
        range: '7d',
      });

      expect(response.status).toBe(200);
      expect(Object.keys(response.body).sort()).toEqual(['list', 'total']);
      // [Jan 1 12:00, Jan 8 12:00]: day bins Jan 1 … Jan 8.
      expect(response.body.list.map((bin: { period: number }) => bin.period)).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((day) => at(1, day)));
      for (const bin of response.body.list) {
        expect(Object.keys(bin).sort()).toEqual(['period', 'values']);
        expect(bin.values).toEqual({ [FEATURE]: bin.period === at(1, 6) ? 3 : 0, unused_feature: 0 });
      }
      expect(response.body.total).toEqual({ [FEATURE]: { count: 1, sum: 3 } });
    },
  );

  scenario(
    'EV18',
    'server/src/internal/events/handlers/handleExternalAggregateEvents.ts — period <= currentTime filter (E8)',
    'no bin lies in the future, even when custom_range ends after now',
    async () => {
      seed(env.standIn, 'free100');
      await trackAt(at(1, 2, 12), 5);
      env.standIn.clock.set(at(1, 4, 12));
      waitForEvents(env.standIn);

      const result = await env.autumn.events.aggregate({
        customerId: CUSTOMER,
        featureId: FEATURE,
        customRange: { start: at(1, 1), end: at(1, 20) },
      });

      expect(result.list.map((bin) => bin.period)).toEqual([at(1, 1), at(1, 2), at(1, 3), at(1, 4)]);
      expect(result.list.map((bin) => bin.values[FEATURE])).toEqual([0, 5, 0, 0]);
      expect(result.total).toEqual({ [FEATURE]: { count: 1, sum: 5 } });
    },
  );

  scenario(
    'EV19',
    'server/src/internal/events/eventUtils.ts backfillMissingGroupValues + handleExternalAggregateEvents.ts (E8)',
    'group_by: grouped_values per bin with every group backfilled as 0, values = sum of the groups; events without the property count only in total (code-derived)',
    async () => {
      seed(env.standIn, 'free100');
      await trackAt(at(1, 2, 10), 1, { model: 'a' });
      await trackAt(at(1, 3, 10), 2, { model: 'b' });
      await trackAt(at(1, 3, 11), 4); // no `model`: not in any group
      env.standIn.clock.set(at(1, 3, 12));
      waitForEvents(env.standIn);

      const response = await post(env.standIn, 'events.aggregate', {
        customer_id: CUSTOMER,
        feature_id: FEATURE,
        custom_range: { start: at(1, 1), end: at(1, 3, 12) },
        group_by: 'properties.model',
      });

      expect(response.status).toBe(200);
      expect(response.body.list).toEqual([
        { period: at(1, 1), values: { [FEATURE]: 0 }, grouped_values: { [FEATURE]: { a: 0, b: 0 } } },
        { period: at(1, 2), values: { [FEATURE]: 1 }, grouped_values: { [FEATURE]: { a: 1, b: 0 } } },
        { period: at(1, 3), values: { [FEATURE]: 2 }, grouped_values: { [FEATURE]: { a: 0, b: 2 } } },
      ]);
      expect(response.body.total).toEqual({ [FEATURE]: { count: 3, sum: 7 } });
    },
  );

  scenario(
    'EV20',
    'server/tinybird/pipes/aggregate_groupable.pipe — if(rn <= max_groups, group_value, \'AUTUMN_RESERVED\') (E4, E8)',
    'max_groups keeps the top groups per bin and bundles the rest under the overflow key AUTUMN_RESERVED (code-derived)',
    async () => {
      seed(env.standIn, 'free100');
      await trackAt(at(1, 1, 1), 5, { model: 'a' });
      await trackAt(at(1, 1, 2), 3, { model: 'b' });
      await trackAt(at(1, 1, 3), 1, { model: 'c' });
      await trackAt(at(1, 1, 4), 0.5, { model: 'd' });
      env.standIn.clock.set(at(1, 1, 12));
      waitForEvents(env.standIn);

      const result = await env.autumn.events.aggregate({
        customerId: CUSTOMER,
        featureId: FEATURE,
        customRange: { start: at(1, 1), end: at(1, 1, 12) },
        groupBy: 'properties.model',
        maxGroups: 2,
      });

      expect(result.list).toHaveLength(1);
      // The external route passes the pipe's overflow label through unchanged (no rename to "Other").
      expect(result.list[0]!.groupedValues).toEqual({ [FEATURE]: { a: 5, b: 3, AUTUMN_RESERVED: 1.5 } });
      expect(result.list[0]!.values).toEqual({ [FEATURE]: 9.5 });
    },
  );

  scenario(
    'EV21',
    'server/tests/integration/crud/events/list-events-v22-vs-v23-parity.test.ts — TINYBIRD_INGEST_WAIT_MS = 3000; analytics/aggregate/*.test.ts polling (E16)',
    'models Autumn’s ingest lag: a just-tracked event is not in events.aggregate until the lag has passed (3 s on the clock)',
    async () => {
      seed(env.standIn, 'free100');
      env.standIn.clock.set(at(1, 1, 12));
      await env.autumn.track({ customerId: CUSTOMER, featureId: FEATURE, value: 7 });

      const before = await env.autumn.events.aggregate({ customerId: CUSTOMER, featureId: FEATURE, range: '24h' });
      env.standIn.clock.advance(3_000);
      const after = await env.autumn.events.aggregate({ customerId: CUSTOMER, featureId: FEATURE, range: '24h' });

      expect(before.total).toEqual({});
      expect(after.total).toEqual({ [FEATURE]: { count: 1, sum: 7 } });
    },
  );
});

describe('events.list', () => {
  const env = useConformance();

  async function trackAt(time: number, value: number, properties?: Record<string, unknown>) {
    env.standIn.clock.set(time);
    await env.autumn.track({ customerId: CUSTOMER, featureId: FEATURE, value, ...(properties ? { properties } : {}) });
  }

  scenario(
    'EV22',
    'server/tests/integration/crud/events/list-events-v22-vs-v23-parity.test.ts — "events-list-v22-vs-v23-parity: V2.3 cursor round-trip returns disjoint pages"',
    'cursor pages (limit 2) are disjoint, newest first, and next_cursor is null on the last page',
    async () => {
      seed(env.standIn, 'free100');
      for (let i = 1; i <= 5; i += 1) await trackAt(at(1, 1, i), i);
      waitForEvents(env.standIn);

      const page1 = await env.autumn.events.list({ customerId: CUSTOMER, limit: 2, startCursor: '' });
      const page2 = await env.autumn.events.list({ customerId: CUSTOMER, limit: 2, startCursor: page1.nextCursor! });
      const page3 = await env.autumn.events.list({ customerId: CUSTOMER, limit: 2, startCursor: page2.nextCursor! });

      expect(page1.list).toHaveLength(2);
      expect(typeof page1.nextCursor).toBe('string');
      expect(page2.list.length).toBeGreaterThan(0);
      const ids1 = new Set(page1.list.map((event) => event.id));
      expect(page2.list.some((event) => ids1.has(event.id))).toBe(false);
      const min1 = Math.min(...page1.list.map((event) => event.timestamp));
      expect(page2.list.every((event) => event.timestamp <= min1)).toBe(true);
      expect([...page1.list, ...page2.list, ...page3.list].map((event) => event.value)).toEqual([5, 4, 3, 2, 1]);
      expect(page3.nextCursor).toBeNull();
    },
  );

  scenario(
    'EV23',
    'server/tinybird/pipes/list_events_paginated.pipe — ORDER BY timestamp DESC, id DESC (E12)',
    'events with the same timestamp are ordered by id descending, across cursor pages too (code-derived)',
    async () => {
      seed(env.standIn, 'free100');
      env.standIn.clock.set(at(1, 1, 1));
      for (let i = 1; i <= 3; i += 1) await env.autumn.track({ customerId: CUSTOMER, featureId: FEATURE, value: i });
      waitForEvents(env.standIn);

      const all = await env.autumn.events.list({ customerId: CUSTOMER });
      const paged: string[] = [];
      let cursor = '';
      do {
        const page = await env.autumn.events.list({ customerId: CUSTOMER, limit: 1, startCursor: cursor });
        paged.push(...page.list.map((event) => event.id));
        cursor = page.nextCursor ?? '';
      } while (cursor !== '');

      const ids = all.list.map((event) => event.id);
      expect(ids).toEqual([...ids].sort().reverse());
      expect(paged).toEqual(ids);
    },
  );

  scenario(
    'EV24',
    'shared/api/events/list/eventsListParamsV2_3.ts + server/tests/integration/crud/events/list-events-v22-vs-v23-parity.test.ts (E11)',
    'response is exactly { list, next_cursor }, and limit defaults to 50',
    async () => {
      seed(env.standIn, 'free1000');
      env.standIn.clock.set(at(1, 1, 1));
      for (let i = 0; i < 51; i += 1) await env.autumn.track({ customerId: CUSTOMER, featureId: FEATURE, value: 1 });
      waitForEvents(env.standIn);

      const response = await post(env.standIn, 'events.list', { customer_id: CUSTOMER });

      expect(response.status).toBe(200);
      expect(Object.keys(response.body).sort()).toEqual(['list', 'next_cursor']);
      expect(response.body.list).toHaveLength(50);
      expect(typeof response.body.next_cursor).toBe('string');
    },
  );

  scenario(
    'EV25',
    'shared/api/common/cursorPaginationSchemas.ts — defineCursor.decode (E13)',
    'a malformed start_cursor answers 400 invalid_cursor (not JSON / wrong shape / not base64url)',
    async () => {
      seed(env.standIn, 'free100');
      const notJson = await apiError(env.autumn.events.list({ customerId: CUSTOMER, startCursor: 'not-a-cursor' }));
      const shape = Buffer.from(JSON.stringify({ v: 1, id: 'x', t: 1 }), 'utf8').toString('base64url');
      const wrongShape = await apiError(env.autumn.events.list({ customerId: CUSTOMER, startCursor: shape }));
      // Buffer.from(..., "base64url") skips characters outside the alphabet, so this decodes to "" → not JSON.
      const garbage = await apiError(env.autumn.events.list({ customerId: CUSTOMER, startCursor: '!!!' }));

      expect(notJson.status).toBe(400);
      expect(notJson.body).toMatchObject({ code: 'invalid_cursor', message: 'cursor payload is not valid JSON' });
      expect(wrongShape.status).toBe(400);
      expect(wrongShape.body.code).toBe('invalid_cursor');
      expect(wrongShape.body.message).toMatch(/^cursor shape mismatch: /);
      expect(garbage.status).toBe(400);
      expect(garbage.body.code).toBe('invalid_cursor');
    },
  );

  scenario(
    'EV26',
    'server/src/internal/events/handlers/handleExternalListEvents.ts + listByCursor.ts — no customer lookup (E14)',
    'an unknown customer_id is an empty list, not a 404',
    async () => {
      const viaSdk = await env.autumn.events.list({ customerId: 'nobody' });
      const raw = await post(env.standIn, 'events.list', { customer_id: 'nobody' });

      expect(viaSdk).toEqual({ list: [], nextCursor: null });
      expect(raw).toEqual({ status: 200, body: { list: [], next_cursor: null } });
    },
  );

  scenario(
    'EV27',
    'server/tinybird/pipes/list_events_cursor.pipe — timestamp >= start AND timestamp <= end (E11)',
    'custom_range bounds are inclusive on both ends (code-derived)',
    async () => {
      seed(env.standIn, 'free100');
      await trackAt(at(1, 1, 1), 1);
      await trackAt(at(1, 1, 2), 2);
      await trackAt(at(1, 1, 3), 3);
      await trackAt(at(1, 1, 4), 4);
      waitForEvents(env.standIn);

      const { list } = await env.autumn.events.list({ customerId: CUSTOMER, customRange: { start: at(1, 1, 2), end: at(1, 1, 3) } });

      expect(list.map((event) => event.value)).toEqual([3, 2]);
    },
  );

  scenario(
    'EV28',
    'server/tests/integration/balances/track/basic/track-deductions.test.ts — "track-deductions-G: deductions round-trip via events.list (writes Tinybird, reads it back)" (E15)',
    'the event object: id evt_…, timestamp, feature_id, customer_id, value, properties, deductions — and no entity_id',
    async () => {
      seed(env.standIn, 'free100');
      env.standIn.clock.set(at(1, 1, 1));
      await env.autumn.track({ customerId: CUSTOMER, featureId: FEATURE, value: 12 });
      waitForEvents(env.standIn);

      const response = await post(env.standIn, 'events.list', { customer_id: CUSTOMER });
      const event = response.body.list[0];

      expect(Object.keys(event).sort()).toEqual(['customer_id', 'deductions', 'feature_id', 'id', 'properties', 'timestamp', 'value']);
      expect(event).toMatchObject({ timestamp: at(1, 1, 1), feature_id: FEATURE, customer_id: CUSTOMER, value: 12, properties: {} });
      expect(event.id).toMatch(/^evt_/);
      expect(event.deductions).toHaveLength(1);
      expect(event.deductions[0]).toMatchObject({ feature_id: FEATURE, value: 12, plan_id: 'free100', reset: { interval: 'month' } });
      expect(typeof event.deductions[0].balance_id).toBe('string');
    },
  );

  scenario(
    'EV29',
    'server/tests/integration/balances/track/basic/track-timestamp.test.ts — "track timestamp: backdated timestamp is written to Tinybird events" (T25)',
    'a backdated track timestamp is stored on the event exactly',
    async () => {
      seed(env.standIn, 'free100');
      env.standIn.clock.set(at(1, 1, 1));
      const timestamp = env.standIn.clock.now() - 10_000;
      await env.autumn.track({ customerId: CUSTOMER, featureId: FEATURE, value: 7, properties: { marker: 'm1' }, timestamp });
      waitForEvents(env.standIn);

      const { list } = await env.autumn.events.list({
        customerId: CUSTOMER,
        customRange: { start: timestamp - 60_000, end: timestamp + 60_000 },
      });
      const event = list.find((candidate) => candidate.properties.marker === 'm1');

      expect(event).toBeDefined();
      expect(event!.timestamp).toBe(timestamp);
      expect(event!.value).toBe(7);
    },
  );

  scenario(
    'EV30',
    'server/tests/unit/balances/track/track-timestamp-schema.test.ts — "%s rejects future timestamps" + shared/api/balances/track/trackTimestamp.ts (T25)',
    'a track timestamp in the future answers 400 invalid_inputs "timestamp: timestamp cannot be in the future" (message schema-derived)',
    async () => {
      seed(env.standIn, 'free100');
      const error = await apiError(
        env.autumn.track({ customerId: CUSTOMER, featureId: FEATURE, value: 1, timestamp: env.standIn.clock.now() + 60_000 }),
      );

      expect(error.status).toBe(400);
      expect(error.body).toMatchObject({ code: 'invalid_inputs', message: 'timestamp: timestamp cannot be in the future' });
      expect(env.standIn.balance(CUSTOMER).usage).toBe(0);
    },
  );

  scenario(
    'EV31',
    'server/tests/integration/crud/events/list-events-v22-vs-v23-parity.test.ts — TINYBIRD_INGEST_WAIT_MS = 3000 before listing (E16)',
    'models Autumn’s ingest lag: a just-tracked event is not in events.list until the lag has passed (waitForEvents)',
    async () => {
      seed(env.standIn, 'free100');
      await env.autumn.track({ customerId: CUSTOMER, featureId: FEATURE, value: 2 });

      const before = await env.autumn.events.list({ customerId: CUSTOMER });
      waitForEvents(env.standIn);
      const after = await env.autumn.events.list({ customerId: CUSTOMER });

      expect(before.list).toEqual([]);
      expect(after.list.map((event) => event.value)).toEqual([2]);
      // The balance itself moved at once: only the analytics read lags.
      expect(env.standIn.balance(CUSTOMER).usage).toBe(2);
    },
  );
});
