/**
 * Formatting through `Intl.NumberFormat`, with the locale, currency and time zone as parameters and the formatters
 * built once per combination: rendering a thousand cost badges creates no new `Intl` objects.
 *
 * **Deterministic by default (issue 13).** Without a locale the formatters use `en-US`, and dates are shown in
 * `UTC` — never the runtime's own locale or zone, which differ between a server and a browser and would make
 * server-rendered HTML disagree with the client's (a hydration error). Pass `locale` and `timeZone` to show the
 * user's own (the provider's props; in a browser-only app, `navigator.language` and
 * `Intl.DateTimeFormat().resolvedOptions().timeZone`).
 *
 * **One rounding rule for credits**, in every component (balance, badge, estimate, warning, breakdown): at most two
 * decimal places, rounded half away from zero, trailing zeros dropped (2,450.8 · 49.2 · 0.62); a positive amount
 * under 0.01 reads "<0.01", never 0. So a balance of 2,500 that pays a 49.2-credit message shows 2,450.8. Money keeps
 * three significant digits below one unit ($0.0123, $0.00016), cents above. Token counts are exact (1,536).
 */

export interface CreditFormatters {
  readonly locale: string;
  readonly currency: string;
  /** IANA zone dates are shown in. */
  readonly timeZone: string;
  /** 61,234.57 · 49.2 · 0.62 · <0.01 — at most two decimal places at every magnitude (the one rounding rule). */
  credits(value: number): string;
  /** 61K · 1.2M — for tight spaces. */
  creditsCompact(value: number): string;
  /** $12.00 · $0.31 · $0.0123 · $0.00016 — below one unit, three significant digits (never a 19% rounding). */
  money(value: number): string;
  /** 18% · 0.5% — clamped to 0..100. */
  percent(value: number): string;
  /** 1,536 — exact (a breakdown is where exact counts matter). */
  tokens(value: number): string;
  /**
   * A date like "Dec 1" in the locale, in the formatters' time zone (default UTC); "Jan 15, 2027" when it is not in
   * the current year there (`now`, default the clock), so a reset a year away never reads as today.
   */
  date(ms: number, now?: number): string;
}

/** The locale when none is given: a fixed one, so a server and a browser render the same text. */
export const DEFAULT_LOCALE = 'en-US';
/** The time zone dates are shown in when none is given: a fixed one, for the same reason. */
export const DEFAULT_TIME_ZONE = 'UTC';

/** What is shown for a value that is not a finite number (never "NaN" or "Infinity"). */
export const NOT_A_NUMBER_TEXT = '—';

const cache = new Map<string, CreditFormatters>();
/** Formatters kept at most; an app uses a handful of locales, a test may use many. */
const MAX_CACHED_LOCALES = 32;

function resolveLocale(locale: string | undefined): string {
  try {
    return new Intl.NumberFormat(locale ?? DEFAULT_LOCALE).resolvedOptions().locale;
  } catch {
    // An invalid tag (e.g. "xx_YY") falls back to the default instead of crashing the host app.
    return DEFAULT_LOCALE;
  }
}

function resolveTimeZone(timeZone: string | undefined): string {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: timeZone ?? DEFAULT_TIME_ZONE }).resolvedOptions().timeZone;
  } catch {
    // An unknown zone ("Mars/Base") falls back to UTC instead of crashing.
    return DEFAULT_TIME_ZONE;
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
  return Number.isFinite(value);
}

/** Credits in a resolved locale, by the one rounding rule: the `credits` of `CreditFormatters`. */
function buildCredits(locale: string): (value: number) => string {
  const twoPlaces = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const underSmallest = `<${twoPlaces.format(0.01)}`;
  return (value) => {
    if (!finite(value)) return NOT_A_NUMBER_TEXT;
    if (value > 0 && value < 0.005) return underSmallest;
    // An amount that rounds to zero never reads "-0".
    return twoPlaces.format(value > -0.005 && value < 0.005 ? 0 : value);
  };
}

/** Money in a resolved locale and currency, the `money` of `CreditFormatters`: cents from one unit up, three significant digits below. */
function buildMoney(locale: string, currency: string): (value: number) => string {
  const money = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const underOne = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumSignificantDigits: 2, maximumSignificantDigits: 3 });
  return (value) => {
    if (!finite(value)) return NOT_A_NUMBER_TEXT;
    const abs = Math.abs(value);
    return (abs > 0 && abs < 1 ? underOne : money).format(value || 0); // `|| 0`: never "-$0.00"
  };
}

/** Exact token counts in a resolved locale, the `tokens` of `CreditFormatters`. */
function buildTokens(locale: string): (value: number) => string {
  const whole = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  return (value) => (finite(value) ? whole.format(Math.max(0, value)) : NOT_A_NUMBER_TEXT);
}

function build(locale: string, currency: string, timeZone: string): CreditFormatters {
  const credits = buildCredits(locale);
  const compact = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
  const percentWhole = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  const percentSmall = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  const date = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone });
  const dateWithYear = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', timeZone });
  // The calendar year in the time zone: only compared, never shown.
  const year = new Intl.DateTimeFormat(locale, { year: 'numeric', timeZone });

  return {
    locale,
    currency,
    timeZone,
    credits,
    creditsCompact(value) {
      if (!finite(value)) return NOT_A_NUMBER_TEXT;
      return Math.abs(value) < 1000 ? credits(value) : compact.format(value);
    },
    money: buildMoney(locale, currency),
    percent(value) {
      if (!finite(value)) return NOT_A_NUMBER_TEXT;
      const clamped = Math.min(100, Math.max(0, value));
      return (clamped > 0 && clamped < 1 ? percentSmall : percentWhole).format(clamped / 100);
    },
    tokens: buildTokens(locale),
    date(ms, now = Date.now()) {
      if (!finite(ms)) return NOT_A_NUMBER_TEXT;
      return (year.format(ms) === year.format(now) ? date : dateWithYear).format(ms);
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
 * The formatters for a locale, currency and time zone, built once and memoized. `locale` undefined means
 * {@link DEFAULT_LOCALE} and `timeZone` undefined {@link DEFAULT_TIME_ZONE} (never the runtime's: see above); an
 * invalid locale, currency or zone falls back rather than throwing.
 */
export function getFormatters(locale?: string, currency?: string, timeZone?: string): CreditFormatters {
  return remember(cache, `${locale ?? ''}|${currency ?? ''}|${timeZone ?? ''}`, () =>
    build(resolveLocale(locale), resolveCurrency(currency), resolveTimeZone(timeZone)),
  );
}

const creditsCache = new Map<string, (value: number) => string>();

/**
 * @internal Only `getFormatters(locale).credits`, for a component that shows nothing else (the cost badge builds three `Intl`
 * formatters per locale instead of nine). Memoized the same way.
 */
export function getCreditsFormatter(locale?: string): (value: number) => string {
  return remember(creditsCache, locale ?? '', () => buildCredits(resolveLocale(locale)));
}

/** The formatters of a message's cost details: credits, money and exact token counts. */
export type CostFormatters = Pick<CreditFormatters, 'credits' | 'money' | 'tokens'>;

const costCache = new Map<string, CostFormatters>();

/**
 * @internal `getFormatters(locale, currency)` without the dates, percents and compact numbers, for the cost badge's
 * details (its lazy chunk then carries three builders instead of all of them). The same output, memoized the same way.
 */
export function getCostFormatters(locale?: string, currency?: string): CostFormatters {
  return remember(costCache, `${locale ?? ''}|${currency ?? ''}`, () => {
    const resolved = resolveLocale(locale);
    return { credits: getCreditsFormatter(locale), money: buildMoney(resolved, resolveCurrency(currency)), tokens: buildTokens(resolved) };
  });
}
