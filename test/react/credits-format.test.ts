import { describe, expect, it } from 'vitest';
import { defineCredits } from '../../src/core/config.js';
import { resolveCreditFormatters, resolveCreditsFormat, type CreditsFormat, type CreditsFormatOptions } from '../../src/react/shared/credits-format.js';

describe('resolveCreditFormatters', () => {
  const eur = defineCredits({ currency: 'EUR' });
  const optionsList: CreditsFormatOptions[] = [
    {},
    { config: eur },
    { locale: 'de-DE' },
    { currency: 'jpy' },
    { timeZone: 'Asia/Tokyo' },
    { config: eur, locale: 'fr-FR', currency: 'GBP', timeZone: 'Europe/Paris' },
    { locale: 'xx_YY', currency: 'nope', timeZone: 'Mars/Base' },
  ];
  const inheritedList: (CreditsFormat | null)[] = [null, ...optionsList.map((options) => resolveCreditsFormat(options))];

  it('formats as resolveCreditsFormat(options, inherited).formatters for every combination, without the config', () => {
    const samples = [0, -0, 0.004, 0.62, 49.2, 2450.8, 61234.567, 1.2e6, Number.NaN];
    for (const inherited of inheritedList) {
      for (const options of optionsList) {
        const expected = resolveCreditsFormat(options, inherited).formatters;
        const actual = resolveCreditFormatters(options, inherited);
        expect([actual.locale, actual.currency, actual.timeZone]).toEqual([expected.locale, expected.currency, expected.timeZone]);
        for (const value of samples) {
          expect([actual.credits(value), actual.money(value), actual.percent(value), actual.date(value * 1e6, 0)]).toEqual([
            expected.credits(value),
            expected.money(value),
            expected.percent(value),
            expected.date(value * 1e6, 0),
          ]);
        }
      }
    }
  });
});
