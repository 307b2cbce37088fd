import { describe, expect, it } from 'vitest';
import { applyCreditUsage, canAfford, creditLevel, defaultCreditsConfig, normalizeCustomer, percentOf, type CreditState } from '../../src/core/index.js';

const RESET = Date.UTC(2026, 11, 1);

function v1(balance: Record<string, unknown>): unknown {
  return {
    id: 'org_1',
    balances: {
      ai_credits: { featureId: 'ai_credits', granted: 8000, remaining: 8000, usage: 0, unlimited: false, overageAllowed: false, nextResetAt: RESET, ...balance },
    },
    flags: {},
  };
}

function v0(feature: Record<string, unknown>): unknown {
  return { id: 'org_1', features: { ai_credits: { id: 'ai_credits', balance: 8000, included_usage: 8000, usage: 0, unlimited: false, overage_allowed: false, next_reset_at: RESET, ...feature } } };
}

function expectSafe(state: CreditState): void {
  for (const key of ['remaining', 'granted', 'used', 'overage'] as const) {
    expect(Number.isFinite(state[key]), key).toBe(true);
    expect(state[key], key).toBeGreaterThanOrEqual(0);
  }
  if (state.percentRemaining !== null) {
    expect(state.percentRemaining).toBeGreaterThanOrEqual(0);
    expect(state.percentRemaining).toBeLessThanOrEqual(100);
  }
}

describe('normalizeCustomer', () => {
  describe('given an autumn-js 1.x customer', () => {
    it('reads balances[featureId]', () => {
      const state = normalizeCustomer(v1({ granted: 60_000, remaining: 45_000, usage: 15_000 }));
      expect(state).toMatchObject({ status: 'ready', level: 'ok', remaining: 45_000, granted: 60_000, used: 15_000, percentRemaining: 75, nextResetAt: RESET, source: 'autumn-1.x' });
    });

    it('is low under 20% of the granted credits', () => {
      expect(normalizeCustomer(v1({ remaining: 1599, usage: 6401 })).level).toBe('low');
      expect(normalizeCustomer(v1({ remaining: 1600, usage: 6400 })).level).toBe('ok');
    });

    it('is empty at zero without overage', () => {
      expect(normalizeCustomer(v1({ remaining: 0, usage: 8000 }))).toMatchObject({ level: 'empty', remaining: 0, percentRemaining: 0 });
    });

    it('reads overage as usage past the grant, as Autumn reports it (remaining floored at 0)', () => {
      const state = normalizeCustomer(v1({ granted: 60_000, remaining: 0, usage: 61_250.5, overageAllowed: true }));
      expect(state).toMatchObject({ level: 'overage', remaining: 0, used: 61_250.5, overage: 1250.5, percentRemaining: 0 });
    });

    it('counts an overflow past the grant without an overage price as owed, at an empty level', () => {
      const state = normalizeCustomer(v1({ granted: 8000, remaining: 0, usage: 8004 }));
      expect(state).toMatchObject({ level: 'empty', remaining: 0, overage: 4 });
    });

    it('keeps overage exact to the kit precision', () => {
      expect(normalizeCustomer(v1({ granted: 0.3, remaining: 0, usage: 0.4, overageAllowed: true })).overage).toBe(0.1);
    });

    it('is in overage when the balance is overdrawn with overage allowed', () => {
      const state = normalizeCustomer(v1({ granted: 60_000, remaining: -1250.5, usage: 61_250.5, overageAllowed: true }));
      expect(state).toMatchObject({ level: 'overage', remaining: 0, overage: 1250.5, percentRemaining: 0 });
    });

    it('is unlimited with no percentage', () => {
      expect(normalizeCustomer(v1({ unlimited: true, granted: 0, remaining: 0 }))).toMatchObject({ level: 'unlimited', percentRemaining: null });
    });

    it('never passes 100% after a top-up', () => {
      const state = normalizeCustomer(v1({ granted: 8000, remaining: 48_000, usage: 0 }));
      expect(state.percentRemaining).toBe(100);
    });

    it('reads the grants of the breakdown (plan credits and a never-expiring top-up)', () => {
      const state = normalizeCustomer(
        v1({
          granted: 48_000,
          remaining: 46_000,
          usage: 2000,
          breakdown: [
            { id: 'b1', planId: 'free', includedGrant: 8000, prepaidGrant: 0, remaining: 6000, usage: 2000, unlimited: false, reset: { interval: 'month', resetsAt: RESET }, price: null, expiresAt: null },
            { id: 'b2', planId: 'credit_topup', includedGrant: 40_000, prepaidGrant: 0, remaining: 40_000, usage: 0, unlimited: false, reset: null, price: null, expiresAt: null },
          ],
        }),
      );
      expect(state.grants).toEqual([
        { id: 'b1', planId: 'free', granted: 8000, remaining: 6000, used: 2000, unlimited: false, interval: 'month', resetsAt: RESET, expiresAt: null },
        { id: 'b2', planId: 'credit_topup', granted: 40_000, remaining: 40_000, used: 0, unlimited: false, interval: null, resetsAt: null, expiresAt: null },
      ]);
    });

    it('reads the snake_case wire JSON as well', () => {
      const state = normalizeCustomer({ balances: { ai_credits: { granted: 100, remaining: 10, usage: 90, overage_allowed: true, next_reset_at: RESET } } });
      expect(state).toMatchObject({ remaining: 10, overageAllowed: true, nextResetAt: RESET, level: 'low' });
    });

    it('rounds Autumn float drift to six decimals', () => {
      expect(normalizeCustomer(v1({ remaining: 7999.382000000001, usage: 0.6179999999 })).remaining).toBe(7999.382);
    });
  });

  describe('given a 0.x customer (@useautumn/convex)', () => {
    it('reads features[featureId]', () => {
      const state = normalizeCustomer(v0({ balance: 6000, usage: 2000 }));
      expect(state).toMatchObject({ status: 'ready', level: 'ok', remaining: 6000, granted: 8000, used: 2000, percentRemaining: 75, source: 'autumn-0.x' });
    });

    it('does not divide by zero when nothing is included', () => {
      const state = normalizeCustomer(v0({ balance: 40_000, included_usage: 0, usage: 0 }));
      expect(state.percentRemaining).toBe(100);
      expect(state.granted).toBe(40_000);
      const none = normalizeCustomer(v0({ balance: 0, included_usage: 0, usage: 0 }));
      expect(none).toMatchObject({ percentRemaining: null, level: 'empty' });
    });

    it('counts a top-up in the granted pool so the percentage stays under 100', () => {
      const state = normalizeCustomer(v0({ balance: 46_000, included_usage: 8000, usage: 2000 }));
      expect(state.granted).toBe(48_000);
      expect(state.percentRemaining).toBeCloseTo(95.83, 2);
    });

    it('reports overage from a negative balance', () => {
      expect(normalizeCustomer(v0({ balance: -20, usage: 8020, overage_allowed: true }))).toMatchObject({ level: 'overage', overage: 20, remaining: 0 });
    });
  });

  describe('given no customer yet', () => {
    it.each([[null], [undefined]])('is loading for %s', (customer) => {
      const state = normalizeCustomer(customer);
      expect(state).toMatchObject({ status: 'loading', remaining: 0, percentRemaining: null, source: 'none' });
    });

    it('keeps the stale numbers while refetching', () => {
      expect(normalizeCustomer(v1({ remaining: 500 }), { loading: true })).toMatchObject({ status: 'loading', remaining: 500 });
    });

    it('is an error with the message when fetching failed', () => {
      const state = normalizeCustomer(null, { error: { message: 'Autumn is down' } });
      expect(state.status).toBe('error');
      expect(state.error?.message).toBe('Autumn is down');
      expect(normalizeCustomer(null, { error: 'boom' }).error?.message).toBe('boom');
      expect(normalizeCustomer(null, { error: new TypeError('fetch failed') }).error).toBeInstanceOf(TypeError);
    });
  });

  describe('given a customer without the feature', () => {
    it('is ready and empty', () => {
      expect(normalizeCustomer({ balances: {} })).toMatchObject({ status: 'ready', level: 'empty', percentRemaining: null });
      expect(normalizeCustomer({ features: {} })).toMatchObject({ status: 'ready', level: 'empty' });
      expect(normalizeCustomer({ id: 'x' })).toMatchObject({ status: 'ready', level: 'empty', source: 'none' });
    });
  });

  describe('given garbage', () => {
    it.each([
      ['NaN remaining', v1({ remaining: Number.NaN })],
      ['Infinity granted', v1({ granted: Number.POSITIVE_INFINITY })],
      ['string numbers', v1({ remaining: '12.5', granted: '100' })],
      ['non-numeric strings', v1({ remaining: 'lots', granted: 'some' })],
      ['negative granted', v1({ granted: -5, remaining: 10 })],
      ['a balance that is a number', { balances: { ai_credits: 5 } }],
      ['an array', [1, 2, 3]],
      ['a string', 'customer'],
      ['a number', 42],
      ['astronomic numbers', v1({ granted: 1e300, remaining: 1e300, usage: 1e300 })],
      ['a 0.x feature with nulls', v0({ balance: null, included_usage: null, usage: null })],
    ])('renders safely for %s', (_, customer) => {
      expectSafe(normalizeCustomer(customer));
    });

    it('reads numeric strings', () => {
      expect(normalizeCustomer(v1({ remaining: '12.5', granted: '100' }))).toMatchObject({ remaining: 12.5, granted: 100 });
    });
  });

  it('uses the feature id and threshold of the config', () => {
    const customer = { balances: { credits: { granted: 100, remaining: 25, usage: 75 } } };
    expect(normalizeCustomer(customer, { featureId: 'credits', lowBalanceThreshold: 0.3 }).level).toBe('low');
    expect(normalizeCustomer(customer, { config: { ...defaultCreditsConfig, featureId: 'credits' } }).level).toBe('ok');
  });
});

describe('percentOf and creditLevel', () => {
  it.each([
    [50, 100, 50],
    [0, 100, 0],
    [150, 100, 100],
    [-5, 100, 0],
    [5, 0, null],
    [5, -1, null],
    [Number.NaN, 100, null],
    [5, Number.POSITIVE_INFINITY, null],
  ])('percentOf(%d, %d) is %s', (remaining, granted, expected) => {
    expect(percentOf(remaining, granted)).toBe(expected);
  });

  it('is ok when credits remain but nothing was granted (no percentage to judge)', () => {
    expect(creditLevel({ remaining: 10, granted: 0 })).toBe('ok');
  });
});

describe('applyCreditUsage (optimistic update)', () => {
  const ready = normalizeCustomer(v1({ remaining: 2000, usage: 6000 }));

  it('deducts exactly and recomputes the level', () => {
    const after = applyCreditUsage(ready, 400.1);
    expect(after).toMatchObject({ remaining: 1599.9, used: 6400.1, level: 'low' });
  });

  it('caps at zero without overage', () => {
    expect(applyCreditUsage(ready, 5000)).toMatchObject({ remaining: 0, used: 8000, overage: 0, level: 'empty', percentRemaining: 0 });
  });

  it('counts overage when allowed', () => {
    const pro = normalizeCustomer(v1({ granted: 60_000, remaining: 10, usage: 59_990, overageAllowed: true }));
    expect(applyCreditUsage(pro, 25)).toMatchObject({ remaining: 0, overage: 15, used: 60_015, level: 'overage' });
  });

  it('ignores bad amounts and unlimited pools', () => {
    expect(applyCreditUsage(ready, Number.NaN)).toBe(ready);
    expect(applyCreditUsage(ready, -5)).toBe(ready);
    expect(applyCreditUsage(ready, 1e300)).toBe(ready);
    const unlimited = normalizeCustomer(v1({ unlimited: true }));
    expect(applyCreditUsage(unlimited, 5)).toBe(unlimited);
  });
});

describe('canAfford', () => {
  it('compares the remaining credits', () => {
    expect(canAfford({ remaining: 10, unlimited: false, overageAllowed: false }, 10)).toBe(true);
    expect(canAfford({ remaining: 10, unlimited: false, overageAllowed: false }, 10.000001)).toBe(false);
    expect(canAfford({ remaining: 0, unlimited: false, overageAllowed: true }, 10)).toBe(true);
    expect(canAfford({ remaining: 0, unlimited: true, overageAllowed: false }, 1e9)).toBe(true);
    expect(canAfford({ remaining: 10, unlimited: false, overageAllowed: false }, Number.NaN)).toBe(false);
  });
});
