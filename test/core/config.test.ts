import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  CreditsConfigError,
  DEFAULT_PLANS,
  defaultCreditsConfig,
  defaultPlan,
  defineCredits,
  findPlan,
} from '../../src/core/index.js';
import { toAutumnConfigSource } from '../../src/server.js';

describe('defineCredits', () => {
  describe('given no input', () => {
    it('is the product design', () => {
      const config = defineCredits();
      expect(config.featureId).toBe('ai_credits');
      expect(config.creditsPerUsd).toBe(4000);
      expect(config.lowBalanceThreshold).toBe(0.2);
      expect(config.plans.map((p) => [p.id, p.price, p.credits, p.interval])).toEqual([
        ['free', 0, 8000, 'month'],
        ['pro_monthly', 30, 60_000, 'month'],
        ['pro_annual', 300, 720_000, 'year'],
        ['credit_topup', 10, 40_000, 'one_off'],
      ]);
      expect(findPlan(config, 'pro_monthly')?.overagePricePerCredit).toBe(0.00025);
      expect(defaultPlan(config)?.id).toBe('free');
    });

    it('offers the top-up plan as the dialog package', () => {
      expect(defaultCreditsConfig.topUps).toEqual([{ id: 'credit_topup', planId: 'credit_topup', label: 'Credit top-up', price: 10, credits: 40_000 }]);
    });

    it('prices the top-up at the same rate as the credits (4,000 per dollar)', () => {
      const topUp = findPlan(defaultCreditsConfig, 'credit_topup');
      expect(topUp && topUp.credits / topUp.price).toBe(defaultCreditsConfig.creditsPerUsd);
    });

    it('is what defaultCreditsConfig holds (so the ready-made default passes the same validation)', () => {
      expect(defineCredits()).toEqual(defaultCreditsConfig);
    });

    it('is frozen so no screen can change the shared numbers', () => {
      expect(Object.isFrozen(defaultCreditsConfig)).toBe(true);
      expect(Object.isFrozen(defaultCreditsConfig.plans[0])).toBe(true);
    });
  });

  describe('given overrides', () => {
    it('keeps the rest of the design', () => {
      const config = defineCredits({ lowBalanceThreshold: 0.1, featureId: 'credits' });
      expect(config.lowBalanceThreshold).toBe(0.1);
      expect(config.featureId).toBe('credits');
      expect(config.plans).toEqual(DEFAULT_PLANS);
    });

    it('accepts extra top-up packages pointing at a top-up plan', () => {
      const config = defineCredits({
        topUps: [
          { id: 'small', planId: 'credit_topup', label: '40K credits', price: 10, credits: 40_000 },
          { id: 'large', planId: 'credit_topup', label: '200K credits', price: 50, credits: 200_000, quantity: 5 },
        ],
      });
      expect(config.topUps.map((t) => t.id)).toEqual(['small', 'large']);
    });
  });

  describe('given an inconsistent config', () => {
    it.each([
      ['a threshold above 1', { lowBalanceThreshold: 20 }],
      ['a negative threshold', { lowBalanceThreshold: -0.1 }],
      ['a NaN threshold', { lowBalanceThreshold: Number.NaN }],
      ['a zero rate', { creditsPerUsd: 0 }],
      ['an infinite rate', { creditsPerUsd: Number.POSITIVE_INFINITY }],
      ['an empty feature id', { featureId: '' }],
      ['a feature id with spaces', { featureId: 'ai credits' }],
      ['a bad currency', { currency: 'dollars' }],
      ['too few decimals', { creditDecimals: 2 }],
      ['duplicate plan ids', { plans: [...DEFAULT_PLANS, DEFAULT_PLANS[0]!] }],
      ['a negative price', { plans: [{ ...DEFAULT_PLANS[1]!, price: -30 }] }],
      ['NaN credits', { plans: [{ ...DEFAULT_PLANS[0]!, credits: Number.NaN }] }],
      ['a recurring top-up', { plans: [{ ...DEFAULT_PLANS[3]!, interval: 'month' as const }] }],
      ['a package for an unknown plan', { topUps: [{ id: 'x', planId: 'topup', label: 'X', price: 1, credits: 4000 }] }],
      ['duplicate package ids', { topUps: [{ id: 'x', planId: 'credit_topup', label: 'X', price: 1, credits: 4000 }, { id: 'x', planId: 'credit_topup', label: 'Y', price: 1, credits: 4000 }] }],
    ])('throws a CreditsConfigError for %s', (_, input) => {
      expect(() => defineCredits(input)).toThrow(CreditsConfigError);
    });
  });
});

describe('the example autumn.config.ts', () => {
  const file = fileURLToPath(new URL('../../examples/autumn.config.ts', import.meta.url));

  it('is generated from the credits config (run with UPDATE_EXAMPLES=1 to refresh it)', () => {
    const source = toAutumnConfigSource(defaultCreditsConfig);
    if (process.env.UPDATE_EXAMPLES) writeFileSync(file, source);
    expect(readFileSync(file, 'utf8')).toBe(source);
  });

  it('declares the feature, every plan, resets and the overage price', () => {
    const source = toAutumnConfigSource(defaultCreditsConfig);
    expect(source).toContain("id: \"ai_credits\"");
    expect(source).toContain('export const proMonthly = plan({');
    expect(source).toContain('price: { amount: 0.25, billingUnits: 1000');
    expect(source).toContain('reset: { interval: "year" }');
    expect(source).toMatch(/export const creditTopup = plan\(\{[^}]*addOn: true/);
    expect(source.match(/plan\(\{/g)).toHaveLength(4);
  });
});
