/**
 * Formatting through `Intl.NumberFormat`, with the locale and currency as parameters (never a hard-coded
 * "en-US") and the formatters built once per locale/currency pair: rendering a thousand cost badges creates no
 * new `Intl` objects.
 */

export interface CreditFormatters {
  readonly locale: string;
  readonly currency: string;
  /** 61,234 · 12.5 · 0.618 — whole credits above 100, two places above 1, three significant digits below. */
  credits(value: number): string;
  /** 61K · 1.2M — for tight spaces. */
  creditsCompact(value: number): string;
  /** $12.00 · $0.0015 — sub-cent amounts keep two significant digits instead of showing $0.00. */
  money(value: number): string;
  /** 18% · 0.5% — clamped to 0..100. */
  percent(value: number): string;
  /** 1.2K tokens. */
  tokens(value: number): string;
  /** A date like "Dec 1" in the locale. */
  date(ms: number): string;
}

/** What is shown for a value that is not a finite number (never "NaN" or "Infinity"). */
export const NOT_A_NUMBER_TEXT = '—';

const cache = new Map<string, CreditFormatters>();
/** Formatters kept at most; an app uses a handful of locales, a test may use many. */
const MAX_CACHED_LOCALES = 32;

function resolveLocale(locale: string | undefined): string {
  try {
    return new Intl.NumberFormat(locale).resolvedOptions().locale;
  } catch {
    // An invalid tag (e.g. "xx_YY") falls back to the runtime default instead of crashing the host app.
    return new Intl.NumberFormat().resolvedOptions().locale;
  }
}

function resolveCurrency(currency: string | undefined): string {
  const code = (currency ?? 'USD').toUpperCase();
  try {
    new Intl.NumberFormat('en', { style: 'currency', currency: code });
    return code;
  } catch {
    return 'USD';
  }
}

function finite(value: number): boolean {
  return typeof value === 'number' && Number.isFinite(value);
}

function noNegativeZero(value: number): number {
  return Object.is(value, -0) ? 0 : value;
}

/** 61,234 · 12.5 · 0.618 in a resolved locale: the `credits` of `CreditFormatters`. */
function buildCredits(locale: string): (value: number) => string {
  const whole = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const twoPlaces = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const small = new Intl.NumberFormat(locale, { maximumSignificantDigits: 3 });
  return (value) => {
    if (!finite(value)) return NOT_A_NUMBER_TEXT;
    const abs = Math.abs(value);
    const formatter = abs >= 100 ? whole : abs >= 1 ? twoPlaces : small;
    return formatter.format(noNegativeZero(value));
  };
}

function build(locale: string, currency: string): CreditFormatters {
  const credits = buildCredits(locale);
  const compact = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
  const money = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const subCent = new Intl.NumberFormat(locale, { style: 'currency', currency, maximumSignificantDigits: 2 });
  const percentWhole = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  const percentSmall = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  const date = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric' });

  return {
    locale,
    currency,
    credits,
    creditsCompact(value) {
      if (!finite(value)) return NOT_A_NUMBER_TEXT;
      return Math.abs(value) < 1000 ? credits(value) : compact.format(value);
    },
    money(value) {
      if (!finite(value)) return NOT_A_NUMBER_TEXT;
      const abs = Math.abs(value);
      return (abs > 0 && abs < 0.01 ? subCent : money).format(noNegativeZero(value));
    },
    percent(value) {
      if (!finite(value)) return NOT_A_NUMBER_TEXT;
      const clamped = Math.min(100, Math.max(0, value));
      return (clamped > 0 && clamped < 1 ? percentSmall : percentWhole).format(clamped / 100);
    },
    tokens(value) {
      if (!finite(value)) return NOT_A_NUMBER_TEXT;
      return compact.format(Math.max(0, value));
    },
    date(ms) {
      if (!finite(ms)) return NOT_A_NUMBER_TEXT;
      return date.format(ms);
    },
  };
}

/** The cached value for `key`, made once; the oldest entry goes when the cache is full. */
function remember<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let value = cache.get(key);
  if (value === undefined) {
    value = make();
    if (cache.size >= MAX_CACHED_LOCALES) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
    cache.set(key, value);
  }
  return value;
}

/**
 * The formatters for a locale and currency, built once and memoized. `locale` undefined means the runtime's
 * default; an invalid locale or currency falls back rather than throwing.
 */
export function getFormatters(locale?: string, currency?: string): CreditFormatters {
  return remember(cache, `${locale ?? ''}|${currency ?? ''}`, () => build(resolveLocale(locale), resolveCurrency(currency)));
}

const creditsCache = new Map<string, (value: number) => string>();

/**
 * @internal Only `getFormatters(locale).credits`, for a component that shows nothing else (the cost badge builds three `Intl`
 * formatters per locale instead of nine). Memoized the same way.
 */
export function getCreditsFormatter(locale?: string): (value: number) => string {
  return remember(creditsCache, locale ?? '', () => buildCredits(resolveLocale(locale)));
}
