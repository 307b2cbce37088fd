/**
 * The kit's model of an org's spend controls and its validation (src/core/billing-controls.ts). Bounds taken from
 * Autumn's schemas: shared/models/cusModels/billingControls/{customerBillingControls,spendLimit,usageLimit,
 * usageAlert}.ts (purchase_limit.limit >= 1, interval_count >= 1, overage_limit >= 0, usage limit >= 0, filter values
 * at most 128 characters, remaining_percentage <= 100).
 */
import { describe, expect, it } from 'vitest';
import {
  BillingControlsError,
  CreditsError,
  checkBillingControls,
  defaultCreditsConfig,
  validateBillingControls,
  type BillingControlsInput,
} from '../../src/core/index.js';

const context = { config: defaultCreditsConfig, grant: 60_000, usage: { members: { user_ann: 1_200 } } };

function refusal(input: unknown, ctx = context): BillingControlsError {
  try {
    validateBillingControls(input, ctx);
  } catch (error) {
    expect(error).toBeInstanceOf(BillingControlsError);
    return error as BillingControlsError;
  }
  throw new Error('expected a BillingControlsError');
}

describe('validateBillingControls', () => {
  describe('given valid controls', () => {
    it('returns them normalized, with defaults filled in', () => {
      const input: BillingControlsInput = {
        autoTopUp: { enabled: true, threshold: 2_000, packId: 'credit_topup', purchaseLimit: { limit: 3, interval: 'month' } },
        spendLimit: { enabled: true, limit: { type: 'credits', credits: 20_000 } },
        memberCaps: [{ memberId: 'user_ann', credits: 5_000, interval: 'month' }],
        alerts: [{ kind: 'remainingPercentage', threshold: 20 }],
      };
      expect(validateBillingControls(input, context)).toEqual({
        autoTopUp: { enabled: true, threshold: 2_000, packId: 'credit_topup', purchaseLimit: { limit: 3, interval: 'month', intervalCount: 1 } },
        spendLimit: { enabled: true, limit: { type: 'credits', credits: 20_000 } },
        memberCaps: [{ memberId: 'user_ann', credits: 5_000, interval: 'month', enabled: true }],
        alerts: [{ kind: 'remainingPercentage', threshold: 20, enabled: true }],
      });
    });

    it('leaves out what the input leaves out, and turns null into a removal', () => {
      expect(validateBillingControls({ memberCaps: [] }, context)).toEqual({ memberCaps: [] });
      expect(validateBillingControls({ autoTopUp: null, spendLimit: null, alerts: null }, context)).toEqual({ autoTopUp: null, spendLimit: null, alerts: [] });
    });

    it('reads numeric strings from form fields exactly, rounded to the config places', () => {
      const value = validateBillingControls({ memberCaps: [{ memberId: 'user_bo', credits: ' 1500.1234567 ', interval: 'day' }] }, context);
      expect(value.memberCaps?.[0]?.credits).toBe(1500.123457);
    });

    it('accepts money and percent spend limits, and a cap of 0 (the member is stopped)', () => {
      expect(validateBillingControls({ spendLimit: { enabled: true, limit: { type: 'money', amount: '12.50' } } }, context).spendLimit).toEqual({ enabled: true, limit: { type: 'money', amount: 12.5 } });
      expect(validateBillingControls({ spendLimit: { enabled: false, limit: { type: 'percent', percent: 120 } } }, context).spendLimit?.limit).toEqual({ type: 'percent', percent: 120 });
      expect(validateBillingControls({ memberCaps: [{ memberId: 'user_bo', credits: 0, interval: 'week' }] }, context).memberCaps?.[0]?.credits).toBe(0);
    });

    it('does not compare thresholds with a grant it was not given', () => {
      expect(() => validateBillingControls({ autoTopUp: { enabled: true, threshold: 1e6, packId: 'credit_topup', purchaseLimit: null } }, { config: defaultCreditsConfig })).not.toThrow();
    });
  });

  describe('given an auto top-up threshold above the grant', () => {
    it('names autoTopUp.threshold', () => {
      const error = refusal({ autoTopUp: { enabled: true, threshold: 60_001, packId: 'credit_topup', purchaseLimit: null } });
      expect(error.field).toBe('autoTopUp.threshold');
      expect(error.reason).toBe('above_grant');
      expect(error.code).toBe('invalid_billing_controls');
      expect(error.status).toBe(400);
      expect(error).toBeInstanceOf(CreditsError);
      expect(error.message).toContain('60000');
    });
  });

  describe('given a remaining-credits alert above the grant', () => {
    it('names the alert threshold', () => {
      expect(refusal({ alerts: [{ kind: 'remaining', threshold: 70_000 }] })).toMatchObject({ field: 'alerts[0].threshold', reason: 'above_grant' });
    });
  });

  describe.each([
    ['a negative number', -1, 'negative'],
    ['a negative string', '-5', 'negative'],
    ['NaN', Number.NaN, 'not_a_number'],
    ['Infinity', Number.POSITIVE_INFINITY, 'not_a_number'],
    ['a non-numeric string', 'lots', 'not_a_number'],
    ['an empty string', '', 'required'],
    ['a boolean', true, 'not_a_number'],
    ['nothing', undefined, 'required'],
  ] as const)('given a member cap that is %s', (_, credits, reason) => {
    it(`refuses memberCaps[0].credits as ${reason}`, () => {
      expect(refusal({ memberCaps: [{ memberId: 'user_bo', credits, interval: 'month' }] })).toMatchObject({ field: 'memberCaps[0].credits', reason });
    });
  });

  describe('given a member cap below what the member used this window', () => {
    it('says how much they used', () => {
      const error = refusal({ memberCaps: [{ memberId: 'user_ann', credits: 1_000, interval: 'month' }] });
      expect(error).toMatchObject({ field: 'memberCaps[0].credits', reason: 'below_usage' });
      expect(error.message).toContain('1200');
    });
    it('accepts a cap equal to the usage', () => {
      expect(() => validateBillingControls({ memberCaps: [{ memberId: 'user_ann', credits: 1_200, interval: 'month' }] }, context)).not.toThrow();
    });
  });

  describe('given a purchase limit of 0', () => {
    it('names autoTopUp.purchaseLimit.limit', () => {
      const error = refusal({ autoTopUp: { enabled: true, threshold: 100, packId: 'credit_topup', purchaseLimit: { limit: 0, interval: 'month' } } });
      expect(error).toMatchObject({ field: 'autoTopUp.purchaseLimit.limit', reason: 'zero_purchase_limit' });
    });
    it('refuses a fractional one and an interval count of 0', () => {
      expect(refusal({ autoTopUp: { enabled: true, threshold: 100, packId: 'credit_topup', purchaseLimit: { limit: 1.5, interval: 'month' } } }).reason).toBe('not_an_integer');
      expect(refusal({ autoTopUp: { enabled: true, threshold: 100, packId: 'credit_topup', purchaseLimit: { limit: 2, interval: 'month', intervalCount: 0 } } })).toMatchObject({ field: 'autoTopUp.purchaseLimit.intervalCount', reason: 'out_of_range' });
    });
  });

  describe('given a pack that is not one of the config top-ups', () => {
    it('names autoTopUp.packId and lists the packs', () => {
      const error = refusal({ autoTopUp: { enabled: true, threshold: 100, packId: 'mega_pack', purchaseLimit: null } });
      expect(error).toMatchObject({ field: 'autoTopUp.packId', reason: 'unknown_pack' });
      expect(error.message).toContain('credit_topup');
    });
  });

  describe('given unknown intervals, kinds and duplicates', () => {
    it('refuses each with its field', () => {
      expect(refusal({ memberCaps: [{ memberId: 'user_bo', credits: 1, interval: 'hour' }] })).toMatchObject({ field: 'memberCaps[0].interval', reason: 'unknown_value' });
      expect(refusal({ autoTopUp: { enabled: true, threshold: 1, packId: 'credit_topup', purchaseLimit: { limit: 1, interval: 'year' } } })).toMatchObject({ field: 'autoTopUp.purchaseLimit.interval' });
      expect(refusal({ alerts: [{ kind: 'soon', threshold: 1 }] })).toMatchObject({ field: 'alerts[0].kind' });
      expect(refusal({ alerts: [{ kind: 'remainingPercentage', threshold: 101 }] })).toMatchObject({ field: 'alerts[0].threshold', reason: 'out_of_range' });
      expect(refusal({ spendLimit: { enabled: true, limit: { type: 'euros', amount: 1 } } })).toMatchObject({ field: 'spendLimit.limit.type' });
      expect(refusal({ memberCaps: [{ memberId: 'a', credits: 1, interval: 'day' }, { memberId: 'a', credits: 2, interval: 'day' }] })).toMatchObject({ field: 'memberCaps[1].memberId', reason: 'duplicate' });
      expect(refusal({ memberCaps: [{ memberId: 'x'.repeat(129), credits: 1, interval: 'day' }] })).toMatchObject({ field: 'memberCaps[0].memberId', reason: 'out_of_range' });
      expect(refusal({ memberCaps: [{ memberId: '  ', credits: 1, interval: 'day' }] })).toMatchObject({ field: 'memberCaps[0].memberId', reason: 'required' });
    });
    it('refuses what is not an object', () => {
      expect(refusal(null).field).toBe('controls');
      expect(refusal({ memberCaps: 'all' }).field).toBe('memberCaps');
    });
  });

  describe('given several bad fields', () => {
    it('lists every issue, for a form to show each next to its field', () => {
      const { issues } = checkBillingControls(
        { autoTopUp: { enabled: true, threshold: -1, packId: 'nope', purchaseLimit: { limit: 0, interval: 'month' } }, memberCaps: [{ memberId: 'user_ann', credits: 'x', interval: 'day' }] },
        context,
      );
      expect(issues.map((issue) => [issue.field, issue.reason])).toEqual([
        ['autoTopUp.threshold', 'negative'],
        ['autoTopUp.packId', 'unknown_pack'],
        ['autoTopUp.purchaseLimit.limit', 'zero_purchase_limit'],
        ['memberCaps[0].credits', 'not_a_number'],
      ]);
      expect(refusal({ autoTopUp: { enabled: true, threshold: -1, packId: 'nope', purchaseLimit: null } }).message).toMatch(/and 1 more/);
    });
  });
});
