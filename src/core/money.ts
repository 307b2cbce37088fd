/**
 * Exact money math. Costs arrive as decimal strings ("0.0001545") or numbers; they are parsed into integers
 * (BigInt) and scaled, never multiplied as floats, so "0.0001545" USD is 0.618 credits exactly and a sum of a
 * million costs has no drift. Credits are kept to `creditDecimals` places (6 by default: one micro-credit,
 * $0.00000000025), rounding UP so that no paid call ever becomes free.
 */
import { DEFAULT_CREDIT_DECIMALS, DEFAULT_CREDITS_PER_USD } from './config.js';
import { InvalidAmountError } from './errors.js';

export type DecimalInput = string | number;

/** How a value with more places than kept is rounded: `up` (toward +infinity, the billing default) or `nearest` (half away from zero). */
export type Rounding = 'up' | 'nearest';

export interface MoneyOptions {
  /** Credits per unit of currency, default 4,000. */
  readonly creditsPerUsd?: number;
  /** Decimal places of credits kept, default 6. */
  readonly creditDecimals?: number;
  /** Rounding of places beyond `creditDecimals`, default `up`. */
  readonly rounding?: Rounding;
}

/** A decimal as an exact integer coefficient and a power-of-ten scale: value = coefficient / 10^scale. */
export interface ExactDecimal {
  readonly coefficient: bigint;
  readonly scale: number;
}

/** Exponents beyond this are refused rather than expanded into huge integers. */
const MAX_EXPONENT = 400;
/** Largest amount of credit units a JS number holds exactly (2^53 - 1). */
const MAX_SAFE_UNITS = BigInt(Number.MAX_SAFE_INTEGER);
const DECIMAL_PATTERN = /^\+?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

const TEN = 10n;
const pow10Cache = new Map<number, bigint>();
function pow10(n: number): bigint {
  let value = pow10Cache.get(n);
  if (value === undefined) {
    value = TEN ** BigInt(n);
    pow10Cache.set(n, value);
  }
  return value;
}

/**
 * Parses a non-negative decimal (string or number) exactly. Throws `InvalidAmountError` for NaN, Infinity,
 * negatives, empty or non-numeric strings and absurd exponents.
 */
export function parseDecimal(input: unknown): ExactDecimal {
  let text: string;
  if (typeof input === 'number') {
    if (Number.isNaN(input)) throw new InvalidAmountError(input, 'NaN is not an amount');
    if (!Number.isFinite(input)) throw new InvalidAmountError(input, 'an amount must be finite');
    if (input < 0) throw new InvalidAmountError(input, 'an amount must not be negative');
    // String() gives the shortest text that reads back as the same double: 0.0001545 -> "0.0001545".
    text = String(input === 0 ? 0 : input);
  } else if (typeof input === 'string') {
    text = input.trim();
    if (text === '') throw new InvalidAmountError(input, 'the string is empty');
    if (text.startsWith('-')) throw new InvalidAmountError(input, 'an amount must not be negative');
  } else {
    throw new InvalidAmountError(input, `expected a decimal string or a number, got ${input === null ? 'null' : typeof input}`);
  }

  const match = DECIMAL_PATTERN.exec(text);
  const intPart = match?.[1] ?? '';
  const fracPart = match?.[2] ?? '';
  if (!match || (intPart === '' && fracPart === '')) {
    throw new InvalidAmountError(input, 'not a decimal number');
  }
  const exponent = match[3] === undefined ? 0 : Number(match[3]);
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > MAX_EXPONENT) {
    throw new InvalidAmountError(input, 'the exponent is out of range', 'out_of_range');
  }
  let coefficient = BigInt(`${intPart}${fracPart}` || '0');
  let scale = fracPart.length - exponent;
  if (scale < 0) {
    coefficient *= pow10(-scale);
    scale = 0;
  }
  return { coefficient, scale };
}

/** Divides a / b (b > 0, a >= 0 or any sign with `nearest`) rounding as asked. */
function divide(numerator: bigint, denominator: bigint, rounding: Rounding): bigint {
  const negative = numerator < 0n;
  const abs = negative ? -numerator : numerator;
  let quotient = abs / denominator;
  const remainder = abs % denominator;
  if (remainder !== 0n) {
    if (rounding === 'nearest') {
      if (remainder * 2n >= denominator) quotient += 1n;
    } else if (!negative) {
      quotient += 1n;
    }
  }
  return negative ? -quotient : quotient;
}

/** Rescales an exact decimal to an integer count of 10^-places units. */
export function toUnits(value: ExactDecimal, places: number, rounding: Rounding = 'nearest'): bigint {
  if (value.scale <= places) return value.coefficient * pow10(places - value.scale);
  return divide(value.coefficient, pow10(value.scale - places), rounding);
}

/** Writes an integer count of 10^-places units as a plain decimal string without trailing zeros. */
export function unitsToString(units: bigint, places: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(places + 1, '0');
  const whole = digits.slice(0, digits.length - places);
  const fraction = digits.slice(digits.length - places).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

function unitsToNumber(units: bigint, places: number, input: unknown): number {
  if (units > MAX_SAFE_UNITS || units < -MAX_SAFE_UNITS) {
    throw new InvalidAmountError(input, 'the amount is too large to count exactly', 'out_of_range');
  }
  return Number(unitsToString(units, places));
}

function rateOf(options: MoneyOptions): ExactDecimal {
  const rate = options.creditsPerUsd ?? DEFAULT_CREDITS_PER_USD;
  if (!(rate > 0)) throw new InvalidAmountError(rate, 'creditsPerUsd must be > 0');
  return parseDecimal(rate);
}

/**
 * Exact credit units (10^-creditDecimals credits) for a cost in currency units.
 * `usdToCreditUnits("0.0001545")` is 618000n at 6 places.
 */
export function usdToCreditUnits(cost: unknown, options: MoneyOptions = {}): bigint {
  const places = options.creditDecimals ?? DEFAULT_CREDIT_DECIMALS;
  const usd = parseDecimal(cost);
  const rate = rateOf(options);
  const product: ExactDecimal = { coefficient: usd.coefficient * rate.coefficient, scale: usd.scale + rate.scale };
  return toUnits(product, places, options.rounding ?? 'up');
}

/**
 * Converts a cost in USD (the gateway's decimal string, e.g. "0.0001545", or a number) to credits, exactly:
 * "0.0001545" -> 0.618. Keeps `creditDecimals` (6) places and rounds up beyond them, so a non-zero cost is
 * never free. Throws `InvalidAmountError` for NaN, Infinity, negatives, empty and non-numeric strings.
 */
export function usdToCredits(cost: DecimalInput, options: MoneyOptions = {}): number {
  return unitsToNumber(usdToCreditUnits(cost, options), options.creditDecimals ?? DEFAULT_CREDIT_DECIMALS, cost);
}

/** Like `usdToCredits` but returns `null` instead of throwing, for display paths. */
export function tryUsdToCredits(cost: unknown, options: MoneyOptions = {}): number | null {
  try {
    return usdToCredits(cost as DecimalInput, options);
  } catch {
    return null;
  }
}

/** Digits of USD kept by `creditsToUsd`: enough for one micro-credit at any sane rate. */
const USD_PLACES = 15;

/** Converts credits back to currency units exactly (to 15 places): 40,000 credits -> 10. */
export function creditsToUsd(credits: DecimalInput, options: MoneyOptions = {}): number {
  const value = parseSignedDecimal(credits);
  const rate = rateOf(options);
  // usd = value / rate = (vc / 10^vs) / (rc / 10^rs) = vc * 10^(rs + USD_PLACES - vs) / rc  [in 10^-USD_PLACES]
  const shift = rate.scale + USD_PLACES - value.scale;
  const numerator = shift >= 0 ? value.coefficient * pow10(shift) : divide(value.coefficient, pow10(-shift), 'nearest');
  return Number(unitsToString(divide(numerator, rate.coefficient, 'nearest'), USD_PLACES));
}

/** Parses a decimal that may be negative (balances can be, costs cannot). */
export function parseSignedDecimal(input: unknown): ExactDecimal {
  if (typeof input === 'number' && input < 0) {
    const abs = parseDecimal(-input);
    return { coefficient: -abs.coefficient, scale: abs.scale };
  }
  if (typeof input === 'string' && input.trim().startsWith('-')) {
    const abs = parseDecimal(input.trim().slice(1));
    return { coefficient: -abs.coefficient, scale: abs.scale };
  }
  return parseDecimal(input);
}

/** Credit units of any (possibly negative) credit amount, rounded to nearest at `creditDecimals`. */
export function creditsToUnits(credits: DecimalInput, creditDecimals = DEFAULT_CREDIT_DECIMALS): bigint {
  return toUnits(parseSignedDecimal(credits), creditDecimals, 'nearest');
}

/** Credits as a number from units. */
export function unitsToCredits(units: bigint, creditDecimals = DEFAULT_CREDIT_DECIMALS): number {
  return unitsToNumber(units, creditDecimals, units);
}

/**
 * Sums credit amounts exactly: each is rounded to `creditDecimals` places once, then added as integers, so
 * 10^6 values of 0.1 sum to 100000, not 100000.00000133288.
 */
export function sumCredits(values: Iterable<DecimalInput>, creditDecimals = DEFAULT_CREDIT_DECIMALS): number {
  let total = 0n;
  for (const value of values) total += creditsToUnits(value, creditDecimals);
  return unitsToCredits(total, creditDecimals);
}

/** a + b, exactly. */
export function addCredits(a: DecimalInput, b: DecimalInput, creditDecimals = DEFAULT_CREDIT_DECIMALS): number {
  return unitsToCredits(creditsToUnits(a, creditDecimals) + creditsToUnits(b, creditDecimals), creditDecimals);
}

/** a - b, exactly (may be negative). */
export function subtractCredits(a: DecimalInput, b: DecimalInput, creditDecimals = DEFAULT_CREDIT_DECIMALS): number {
  return unitsToCredits(creditsToUnits(a, creditDecimals) - creditsToUnits(b, creditDecimals), creditDecimals);
}

/**
 * A running exact total for hot paths (the server meter, a chat's cost so far): `add()` costs one BigInt
 * addition, `value` reads it back as a number.
 */
export class CreditTotal {
  #units = 0n;
  readonly #places: number;
  constructor(creditDecimals = DEFAULT_CREDIT_DECIMALS) {
    this.#places = creditDecimals;
  }
  add(credits: DecimalInput): this {
    this.#units += creditsToUnits(credits, this.#places);
    return this;
  }
  addUnits(units: bigint): this {
    this.#units += units;
    return this;
  }
  get units(): bigint {
    return this.#units;
  }
  get value(): number {
    return unitsToCredits(this.#units, this.#places);
  }
  toString(): string {
    return unitsToString(this.#units, this.#places);
  }
}
