import { describe, expect, it } from 'vitest';
import {
  CreditTotal,
  InvalidAmountError,
  addCredits,
  creditsToUsd,
  parseDecimal,
  subtractCredits,
  sumCredits,
  tryCreditsToUsd,
  tryUsdToCredits,
  unitsToString,
  usdToCreditUnits,
  usdToCredits,
} from '../../src/core/index.js';

describe('usdToCredits', () => {
  describe('given the gateway decimal strings', () => {
    it.each([
      ['0.0001545', 0.618],
      ['0.00025', 1],
      ['1', 4000],
      ['10', 40_000],
      ['30', 120_000],
      ['0.000000', 0],
      ['0', 0],
      ['.5', 2000],
      ['5.', 20_000],
      ['1.5e-3', 6],
      ['2E2', 800_000],
      ['+0.001', 4],
      ['  0.0001545  ', 0.618],
      ['0.00000000025', 0.000001],
    ])('converts %j to %d credits exactly', (cost, credits) => {
      expect(usdToCredits(cost)).toBe(credits);
    });
  });

  it('is exact where the float product drifts (0.000123 * 4000 = 0.49200000000000005)', () => {
    expect(0.000123 * 4000).not.toBe(0.492);
    expect(usdToCredits('0.000123')).toBe(0.492);
    expect(usdToCredits(0.000123)).toBe(0.492);
    expect(usdToCredits('0.0001545')).toBe(0.618);
    expect(usdToCredits(0.0001545)).toBe(0.618);
  });

  it('keeps six decimals instead of rounding small calls to free', () => {
    expect(usdToCredits('0.0000001')).toBe(0.0004);
    expect(usdToCredits('0.00000012345')).toBe(0.000494);
  });

  it('rounds beyond six decimals up, so a non-zero cost is never free', () => {
    expect(usdToCredits('1e-12')).toBe(0.000001);
    expect(usdToCredits('1e-12', { rounding: 'nearest' })).toBe(0);
  });

  it('follows a custom rate and precision from the config', () => {
    expect(usdToCredits('0.01', { creditsPerUsd: 1000 })).toBe(10);
    expect(usdToCredits('1e-12', { creditDecimals: 9, rounding: 'nearest' })).toBe(0.000000004);
  });

  it('returns exact integer units for hot paths', () => {
    expect(usdToCreditUnits('0.0001545')).toBe(618_000n);
  });

  describe('given bad input', () => {
    it.each([
      ['abc'],
      [''],
      ['   '],
      ['-1'],
      ['-0.0001'],
      ['NaN'],
      ['Infinity'],
      ['1,5'],
      ['0x10'],
      ['1e'],
      ['e5'],
      ['.'],
      ['1..2'],
      ['$1'],
      ['1 2'],
    ])('rejects the string %j with a typed error', (cost) => {
      expect(() => usdToCredits(cost)).toThrow(InvalidAmountError);
    });

    it.each([[Number.NaN], [Number.POSITIVE_INFINITY], [Number.NEGATIVE_INFINITY], [-1], [-0.0001]])('rejects the number %d', (cost) => {
      expect(() => usdToCredits(cost)).toThrow(InvalidAmountError);
    });

    it.each([[null], [undefined], [{}], [[]], [true], [Symbol.iterator]])("rejects %s, which is not a string or number", (cost) => {
      expect(() => usdToCredits(cost as unknown as string)).toThrow(InvalidAmountError);
    });

    it('refuses absurd exponents instead of allocating huge integers', () => {
      const error = (() => {
        try {
          usdToCredits('1e999999');
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(InvalidAmountError);
      expect((error as InvalidAmountError).code).toBe('out_of_range');
    });

    it('refuses amounts too large to count exactly', () => {
      expect(() => usdToCredits('1e20')).toThrow(/too large/);
    });

    it('carries the code and the input for callers', () => {
      try {
        usdToCredits('abc');
        expect.unreachable();
      } catch (error) {
        expect(error).toMatchObject({ code: 'invalid_amount', input: 'abc', name: 'InvalidAmountError' });
      }
    });

    it('has a non-throwing variant for display paths', () => {
      expect(tryUsdToCredits('abc')).toBeNull();
      expect(tryUsdToCredits(undefined)).toBeNull();
      expect(tryUsdToCredits('0.00025')).toBe(1);
      // ... and back: what creditsToUsd answers, or null where it throws (a display shows no worth then).
      expect(tryCreditsToUsd(40_000)).toBe(creditsToUsd(40_000));
      expect(tryCreditsToUsd('1234.5', { creditsPerUsd: 1000 })).toBe(1.2345);
      expect(tryCreditsToUsd(-4000)).toBe(-1);
      for (const bad of ['abc', Number.NaN, Number.POSITIVE_INFINITY, undefined, null, {}]) expect(tryCreditsToUsd(bad)).toBeNull();
      expect(tryCreditsToUsd(4000, { creditsPerUsd: 0 })).toBeNull();
      expect(tryCreditsToUsd(4000, { creditsPerUsd: Number.NaN })).toBeNull();
    });

    it('treats negative zero as zero', () => {
      expect(usdToCredits(-0)).toBe(0);
    });
  });
});

describe('creditsToUsd', () => {
  it.each([
    [40_000, 10],
    [1, 0.00025],
    [0.618, 0.0001545],
    [0.000001, 2.5e-10],
    [-4000, -1],
  ])('converts %d credits to $%d', (credits, usd) => {
    expect(creditsToUsd(credits)).toBe(usd);
  });

  it('round-trips every gateway-sized cost', () => {
    for (const cost of ['0.0001545', '0.012', '3.5', '0.00000025']) {
      expect(creditsToUsd(usdToCredits(cost))).toBe(Number(cost));
    }
  });
});

describe('summing credits', () => {
  it('sums 10^6 values of 0.1 to exactly 100000 (floats drift)', () => {
    let float = 0;
    for (let i = 0; i < 1_000_000; i++) float += 0.1;
    expect(float).not.toBe(100_000);
    expect(sumCredits(Array.from({ length: 1_000_000 }, () => 0.1))).toBe(100_000);
  });

  it('matches BigInt arithmetic over 10^6 random gateway costs', () => {
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const total = new CreditTotal();
    let expected = 0n;
    for (let i = 0; i < 1_000_000; i++) {
      const micros = BigInt(Math.floor(random() * 100_000)); // up to $0.1 in micro-dollars
      const cost = unitsToString(micros, 6);
      expected += micros * 4000n; // credit micro-units
      total.addUnits(usdToCreditUnits(cost));
    }
    expect(total.units).toBe(expected);
  });

  it('adds and subtracts exactly', () => {
    expect(addCredits(0.1, 0.2)).toBe(0.3);
    expect(subtractCredits(0.3, 0.1)).toBe(0.2);
    expect(subtractCredits(1, 2.5)).toBe(-1.5);
    expect(sumCredits(['0.618', 0.382, '1'])).toBe(2);
  });

  it('rounds Autumn float drift to the kit precision', () => {
    expect(sumCredits([59_999.382000000001, 0.618])).toBe(60_000);
  });

  it('keeps a running total with a decimal string view', () => {
    const total = new CreditTotal().add(0.1).add('0.2');
    expect(total.value).toBe(0.3);
    expect(total.toString()).toBe('0.3');
  });
});

describe('parseDecimal', () => {
  it('keeps the exact digits', () => {
    expect(parseDecimal('0.0001545')).toEqual({ coefficient: 1545n, scale: 7 });
    expect(parseDecimal('12e3')).toEqual({ coefficient: 12_000n, scale: 0 });
  });
});
