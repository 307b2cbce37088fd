import { describe, expect } from 'vitest';
import { FEATURE, scenario, seed, useConformance } from './harness.js';

describe('harness', () => {
  const env = useConformance();
  scenario('H1', 'server/tests/integration/balances/track/basic/track-basic.test.ts — "track-basic1"', 'track defaults to 1', async () => {
    const id = seed(env.standIn, 'free100');
    const result = await env.autumn.track({ customerId: id, featureId: FEATURE });
    expect(result.balance?.remaining).toBe(99);
  });
});
