/**
 * The exact decimal arithmetic under `money.ts`, without errors: every function answers `null` for an input that is
 * not an amount. Display paths (a cost badge rendered a thousand times, a balance meter) use these directly and so
 * never build an error object or load the error messages; `money.ts` builds the public, throwing API on top.
 *
 * Internal: not exported by any entry.
 */

/** A decimal as an exact integer coefficient and a power-of-ten scale: value = coefficient / 10^scale. */
export interface ExactDecimal {
  readonly coefficient: bigint;
  readonly scale: number;
}

/** How a value with more places than kept is rounded: `up` (toward +infinity, the billing default) or `nearest` (half away from zero). */
export type Rounding = 'up' | 'nearest';

/** Exponents beyond this are refused rather than expanded into huge integers. */
export const MAX_EXPONENT = 400;
/**
 * Largest count of units returned as a JS number: 15 significant digits always survive the trip through a double
 * (decimal → number → decimal), 16 do not (8800000000.000001 reads back as 8800000000.000002). At 6 places that is
 * 999,999,999.999999 credits; larger amounts are available as exact decimal strings.
 */
const MAX_SAFE_UNITS = 999_999_999_999_999n;
export const DECIMAL_PATTERN = /^\+?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
/** Digits of USD kept by `creditsToUsd`: enough for one micro-credit at any sane rate. */
const USD_PLACES = 15;

const pow10Cache = new Map<number, bigint>();
function pow10(n: number): bigint {
  let value = pow10Cache.get(n);
  if (value === undefined) pow10Cache.set(n, (value = 10n ** BigInt(n)));
  return value;
}

/**
 * A non-negative decimal (a number, or a string such as "0.0001545", "1.5e-3", " +2 ") exactly; null for NaN,
 * Infinity, negatives, empty or non-numeric strings, other types and exponents beyond ±400.
 */
export function readDecimal(input: unknown): ExactDecimal | null {
  // String() gives the shortest text that reads back as the same double: 0.0001545 -> "0.0001545"; -0 -> "0".
  const text =
    typeof input === 'number' ? (input >= 0 && input < Infinity ? String(input) : '') : typeof input === 'string' ? input.trim() : '';
  const [, whole = '', fraction = '', exponentText] = DECIMAL_PATTERN.exec(text) ?? [];
  const exponent = Number(exponentText ?? 0);
  if ((whole === '' && fraction === '') || !(Math.abs(exponent) <= MAX_EXPONENT)) return null;
  const coefficient = BigInt(whole + fraction || '0');
  const scale = fraction.length - exponent;
  return scale < 0 ? { coefficient: coefficient * pow10(-scale), scale: 0 } : { coefficient, scale };
}

/** Like `readDecimal`, also for negative amounts (balances can be, costs cannot). */
export function readSignedDecimal(input: unknown): ExactDecimal | null {
  const text = typeof input === 'string' ? input.trim() : input;
  const negative = typeof text === 'number' ? text < 0 : typeof text === 'string' && text.startsWith('-');
  if (!negative) return readDecimal(input);
  const abs = readDecimal(typeof text === 'number' ? -text : (text as string).slice(1));
  return abs && { coefficient: -abs.coefficient, scale: abs.scale };
}

/** Divides a / b (b > 0) rounding as asked. */
export function divide(numerator: bigint, denominator: bigint, rounding: Rounding): bigint {
  const negative = numerator < 0n;
  const abs = negative ? -numerator : numerator;
  const remainder = abs % denominator;
  let quotient = abs / denominator;
  if (remainder !== 0n && (rounding === 'nearest' ? remainder * 2n >= denominator : !negative)) quotient += 1n;
  return negative ? -quotient : quotient;
}

/** Rescales an exact decimal to an integer count of 10^-places units. */
export function toUnits(value: ExactDecimal, places: number, rounding: Rounding = 'nearest'): bigint {
  return value.scale <= places
    ? value.coefficient * pow10(places - value.scale)
    : divide(value.coefficient, pow10(value.scale - places), rounding);
}

/** Writes an integer count of 10^-places units as a plain decimal string without trailing zeros. */
export function unitsToString(units: bigint, places: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(places + 1, '0');
  const cut = digits.length - places;
  const fraction = digits.slice(cut).replace(/0+$/, '');
  return `${negative ? '-' : ''}${digits.slice(0, cut)}${fraction ? `.${fraction}` : ''}`;
}

/** Units as a number, or null when there are too many to be exact as a JS number (more than 15 digits). */
export function unitsToNumber(units: bigint, places: number): number | null {
  return (units < 0n ? -units : units) > MAX_SAFE_UNITS ? null : Number(unitsToString(units, places));
}

/** Credit units of a cost in currency units at `creditsPerUsd`; null for an invalid cost or rate. */
export function usdUnits(cost: unknown, creditsPerUsd: number, places: number, rounding: Rounding): bigint | null {
  const usd = readDecimal(cost);
  const rate = creditsPerUsd > 0 ? readDecimal(creditsPerUsd) : null;
  return usd && rate && toUnits({ coefficient: usd.coefficient * rate.coefficient, scale: usd.scale + rate.scale }, places, rounding);
}

/** Credits (possibly negative) in currency units, exact to 15 places; null for an invalid amount or rate. */
export function usdOf(credits: unknown, creditsPerUsd: number): number | null {
  const value = readSignedDecimal(credits);
  const rate = creditsPerUsd > 0 ? readDecimal(creditsPerUsd) : null;
  if (!value || !rate) return null;
  // usd = (vc / 10^vs) / (rc / 10^rs) = vc * 10^(rs + USD_PLACES - vs) / rc  [in 10^-USD_PLACES]
  const shift = rate.scale + USD_PLACES - value.scale;
  const numerator = shift >= 0 ? value.coefficient * pow10(shift) : divide(value.coefficient, pow10(-shift), 'nearest');
  return Number(unitsToString(divide(numerator, rate.coefficient, 'nearest'), USD_PLACES));
}

/** Credits (possibly negative) rounded to `places`, as units; null when not an amount. */
export function creditUnits(credits: unknown, places: number): bigint | null {
  const value = readSignedDecimal(credits);
  return value && toUnits(value, places, 'nearest');
}

/** Credits (possibly negative) rounded to `places`; null when not an amount or too large to count exactly. */
export function roundCredits(credits: unknown, places: number): number | null {
  const units = creditUnits(credits, places);
  return units === null ? null : unitsToNumber(units, places);
}
