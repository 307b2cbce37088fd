/**
 * No `'use client'` (issue 13): the format (config, locale, currency, formatters) the kit's components render with,
 * resolved without React — callable from a Server Component through the root entry.
 */
import { DEFAULT_CURRENCY, defaultCreditsConfig, type CreditsConfig } from '../../core/config.js';
import { getFormatters, type CreditFormatters } from '../../core/format.js';

export interface CreditsFormat {
  readonly config: CreditsConfig;
  /** BCP 47 tag; undefined means `DEFAULT_LOCALE` (en-US), the same on a server and in a browser. */
  readonly locale: string | undefined;
  /** IANA time zone of dates; undefined means `DEFAULT_TIME_ZONE` (UTC). */
  readonly timeZone: string | undefined;
  /** ISO 4217 code money is shown in (the config's currency unless overridden). */
  readonly currency: string;
  readonly formatters: CreditFormatters;
}

/** Where locale/currency/config come from, most specific first: component props, then this context, then defaults. */
export interface CreditsFormatOptions {
  readonly config?: CreditsConfig | undefined;
  readonly locale?: string | undefined;
  readonly currency?: string | undefined;
  readonly timeZone?: string | undefined;
}

/** The format for explicit options, the same object for the same options (formatters come from the core cache). */
export function resolveCreditsFormat(options: CreditsFormatOptions = {}, inherited: CreditsFormat | null = null): CreditsFormat {
  const config = options.config ?? inherited?.config ?? defaultCreditsConfig;
  const locale = options.locale ?? inherited?.locale;
  const currency = options.currency ?? inherited?.currency ?? config.currency;
  const timeZone = options.timeZone ?? inherited?.timeZone;
  if (inherited && inherited.config === config && inherited.locale === locale && inherited.currency === currency && inherited.timeZone === timeZone) {
    return inherited;
  }
  const formatters = getFormatters(locale, currency, timeZone);
  return { config, locale, currency: formatters.currency, timeZone, formatters };
}

/**
 * Formatters that format as `resolveCreditsFormat(options, inherited).formatters` (same locale, currency and zone),
 * without resolving the config: a component that shows amounts only then does not bundle the default config's plans.
 */
export function resolveCreditFormatters(options: CreditsFormatOptions, inherited: CreditsFormat | null): CreditFormatters {
  return getFormatters(
    options.locale ?? inherited?.locale,
    options.currency ?? inherited?.currency ?? options.config?.currency ?? DEFAULT_CURRENCY,
    options.timeZone ?? inherited?.timeZone,
  );
}
