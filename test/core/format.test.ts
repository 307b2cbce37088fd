import { describe, expect, it } from 'vitest';
import { NOT_A_NUMBER_TEXT, getFormatters } from '../../src/core/index.js';

describe('getFormatters', () => {
  const en = getFormatters('en-US', 'USD');

  it('is memoized per locale and currency', () => {
    expect(getFormatters('en-US', 'USD')).toBe(en);
    expect(getFormatters('de-DE', 'EUR')).not.toBe(en);
  });

  it('formats credits by the one rounding rule: at most two decimal places at every magnitude, never 0 for a charge', () => {
    expect(en.credits(61_234.56)).toBe('61,234.56');
    expect(en.credits(2450.8)).toBe('2,450.8');
    expect(en.credits(49.2)).toBe('49.2');
    expect(en.credits(12.345)).toBe('12.35');
    expect(en.credits(0.618)).toBe('0.62');
    expect(en.credits(0.005)).toBe('0.01');
    expect(en.credits(0.0004)).toBe('<0.01');
    expect(en.credits(-0.0004)).toBe('0');
    expect(en.credits(0)).toBe('0');
    expect(en.creditsCompact(61_234)).toBe('61.2K');
  });

  it('shows what a balance drops by as the badge shows the charge (2,500 − 49.2)', () => {
    expect(en.credits(2500)).toBe('2,500');
    expect(en.credits(2500 - 49.2)).toBe('2,450.8');
    expect(en.credits(49.2)).toBe('49.2');
  });

  it('keeps three significant digits of money below one unit, cents above', () => {
    expect(en.money(10)).toBe('$10.00');
    expect(en.money(12.345)).toBe('$12.35');
    expect(en.money(0.0123)).toBe('$0.0123');
    expect(en.money(0.3125)).toBe('$0.313');
    expect(en.money(0.5)).toBe('$0.50');
    expect(en.money(0.0001545)).toBe('$0.000155');
    expect(en.money(0)).toBe('$0.00');
  });

  it('counts tokens exactly', () => {
    expect(en.tokens(1536)).toBe('1,536');
    expect(en.tokens(2_400_123)).toBe('2,400,123');
    expect(en.tokens(-5)).toBe('0');
  });

  it('defaults to en-US and UTC, never the runtime’s locale or zone, so a server and a browser agree', () => {
    const fallback = getFormatters();
    expect(fallback.locale).toBe('en-US');
    expect(fallback.timeZone).toBe('UTC');
    // 2026-12-01T05:00Z is still Nov 30 in Los Angeles and already Dec 1 in Auckland.
    const at = Date.UTC(2026, 11, 1, 5);
    const now = Date.UTC(2026, 5, 1);
    expect(fallback.date(at, now)).toBe('Dec 1');
    expect(getFormatters('en-US', 'USD', 'America/Los_Angeles').date(at, now)).toBe('Nov 30');
    expect(getFormatters('de-DE', 'EUR', 'Pacific/Auckland').date(at, now)).toBe('1. Dez.');
    expect(getFormatters('en-US', 'USD', 'Mars/Olympus').timeZone).toBe('UTC');
  });

  it('shows the year of a date outside the current year, in the formatters’ time zone', () => {
    const en = getFormatters();
    const now = Date.UTC(2026, 0, 15, 9);
    // A yearly reset on the day itself is a year away: never "Jan 15", which reads as today.
    expect(en.date(Date.UTC(2027, 0, 15), now)).toBe('Jan 15, 2027');
    expect(en.date(Date.UTC(2026, 1, 15), now)).toBe('Feb 15');
    expect(en.date(Date.UTC(2025, 11, 31), now)).toBe('Dec 31, 2025');
    expect(getFormatters('de-DE', 'EUR').date(Date.UTC(2027, 0, 15), now)).toBe('15. Jan. 2027');
    // 2026-12-31T23:00Z is already 2027 in Auckland (and "now" still 2026 there).
    const auckland = getFormatters('en-US', 'USD', 'Pacific/Auckland');
    expect(auckland.date(Date.UTC(2026, 11, 31, 23), now)).toBe('Jan 1, 2027');
    expect(auckland.date(Date.UTC(2026, 11, 31, 23), Date.UTC(2026, 11, 31, 12))).toBe('Jan 1');
    // Without `now`: the clock's year.
    expect(en.date(Date.now())).not.toMatch(/\d{4}/);
  });

  it('follows the locale and currency given, not en-US', () => {
    const de = getFormatters('de-DE', 'EUR');
    expect(de.credits(61_234)).toBe('61.234');
    expect(de.money(10)).toMatch(/10,00\s€/);
    expect(de.percent(18)).toMatch(/18\s%/);
  });

  it.each([[Number.NaN], [Number.POSITIVE_INFINITY], [Number.NEGATIVE_INFINITY]])('never shows NaN or Infinity for %d', (value) => {
    for (const format of [en.credits, en.creditsCompact, en.money, en.percent, en.tokens, en.date]) {
      expect(format.call(en, value)).toBe(NOT_A_NUMBER_TEXT);
    }
  });

  it('clamps percentages to 0..100', () => {
    expect(en.percent(150)).toBe('100%');
    expect(en.percent(-3)).toBe('0%');
    expect(en.percent(0.5)).toBe('0.5%');
  });

  it('falls back instead of throwing on an invalid locale or currency', () => {
    expect(() => getFormatters('not_a_locale!!', 'dollars')).not.toThrow();
    expect(getFormatters('not_a_locale!!', 'dollars').currency).toBe('USD');
  });

  it('does not print negative zero', () => {
    expect(en.credits(-0)).toBe('0');
  });
});

describe('getCreditsFormatter (the badge\'s light formatter)', () => {
  it('formats exactly as getFormatters().credits, in every locale, and is memoized', async () => {
    const { getCreditsFormatter } = await import('../../src/core/format.js');
    const values = [0, -0, 0.000001, 0.618, 0.6185, 1, 12.5, 99.999, 100, 61234.5, 1e21, -3, Number.NaN, Infinity];
    for (const locale of [undefined, 'en-US', 'de-DE', 'hi-IN', 'ar-EG', 'not_a_locale!!']) {
      const credits = getCreditsFormatter(locale);
      expect(getCreditsFormatter(locale)).toBe(credits);
      expect(values.map(credits)).toEqual(values.map((value) => getFormatters(locale, 'USD').credits(value)));
    }
  });
});

describe('getCostFormatters (the badge details\' formatters)', () => {
  it('formats credits, money and tokens exactly as getFormatters(), in every locale and currency, and is memoized', async () => {
    const { getCostFormatters } = await import('../../src/core/format.js');
    const values = [0, -0, 0.000001, 0.00016, 0.0001545, 0.0123, 0.618, 0.999, 1, 12.5, 1536, 61234.5, 1e21, -3, -0.004, Number.NaN, Infinity];
    for (const locale of [undefined, 'en-US', 'de-DE', 'hi-IN', 'ar-EG', 'not_a_locale!!']) {
      for (const currency of [undefined, 'USD', 'EUR', 'jpy', 'dollars']) {
        const cost = getCostFormatters(locale, currency);
        const all = getFormatters(locale, currency);
        expect(getCostFormatters(locale, currency)).toBe(cost);
        for (const name of ['credits', 'money', 'tokens'] as const) expect(values.map(cost[name])).toEqual(values.map(all[name]));
      }
    }
  });
});
