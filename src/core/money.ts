/**
 * Exact money math. Costs arrive as decimal strings ("0.0001545") or numbers; they are parsed into integers
 * (BigInt) and scaled, never multiplied as floats, so "0.0001545" USD is 0.618 credits exactly and a sum of a
 * million costs has no drift. Credits are kept to `creditDecimals` places (6 by default: one micro-credit,
 * $0.00000000025), rounding UP so that no paid call ever becomes free.
 */
import { DEFAULT_CREDIT_DECIMALS, DEFAULT_CREDITS_PER_USD } from './config.js';
import {
  DECIMAL_PATTERN,
  creditUnits,
  readDecimal,
  readSignedDecimal,
  toUnits,
  unitsToNumber,
  unitsToString,
  usdOf,
  usdUnits,
  type ExactDecimal,
  type Rounding,
} from './decimal.js';
import { InvalidAmountError } from './errors.js';

export { toUnits, unitsToString, type ExactDecimal, type Rounding };

export type DecimalInput = string | number;

export interface MoneyOptions {
  /** Credits per unit of currency, default 4,000. */
  readonly creditsPerUsd?: number;
  /** Decimal places of credits kept, default 6. */
  readonly creditDecimals?: number;
  /** Rounding of places beyond `creditDecimals`, default `up`. */
  readonly rounding?: Rounding;
}

/** Throws the `InvalidAmountError` that says why `input` is not a non-negative decimal. */
function invalid(input: unknown): never {
  const text = typeof input === 'string' ? input.trim() : '';
  const digits = DECIMAL_PATTERN.exec(text);
  const reason =
    typeof input === 'number'
      ? Number.isNaN(input)
        ? 'NaN is not an amount'
        : Number.isFinite(input)
          ? 'an amount must not be negative'
          : 'an amount must be finite'
      : typeof input !== 'string'
        ? `expected a decimal string or a number, got ${input === null ? 'null' : typeof input}`
        : text === ''
          ? 'the string is empty'
          : text.startsWith('-')
            ? 'an amount must not be negative'
            : digits && (digits[1] || digits[2])
              ? null
              : 'not a decimal number';
  throw reason === null ? new InvalidAmountError(input, 'the exponent is out of range', 'out_of_range') : new InvalidAmountError(input, reason);
}

function tooLarge(input: unknown): never {
  throw new InvalidAmountError(input, 'the amount is too large to be exact as a number (use usdToCreditsExact for a decimal string)', 'out_of_range');
}

function rateOf(options: MoneyOptions): number {
  const rate = options.creditsPerUsd ?? DEFAULT_CREDITS_PER_USD;
  if (!(rate > 0) || !readDecimal(rate)) throw new InvalidAmountError(rate, 'creditsPerUsd must be > 0');
  return rate;
}

/**
 * Parses a non-negative decimal (string or number) exactly. Throws `InvalidAmountError` for NaN, Infinity,
 * negatives, empty or non-numeric strings and absurd exponents.
 */
export function parseDecimal(input: unknown): ExactDecimal {
  return readDecimal(input) ?? invalid(input);
}

/** Parses a decimal that may be negative (balances can be, costs cannot). */
export function parseSignedDecimal(input: unknown): ExactDecimal {
  return readSignedDecimal(input) ?? invalidSigned(input);
}

/** The error of a signed amount is the error of its absolute value. */
function invalidSigned(input: unknown): never {
  return invalid(typeof input === 'number' ? Math.abs(input) : typeof input === 'string' ? input.trim().replace(/^-/, '') : input);
}

/**
 * Exact credit units (10^-creditDecimals credits) for a cost in currency units.
 * `usdToCreditUnits("0.0001545")` is 618000n at 6 places.
 */
export function usdToCreditUnits(cost: unknown, options: MoneyOptions = {}): bigint {
  const rate = rateOf(options);
  return usdUnits(cost, rate, options.creditDecimals ?? DEFAULT_CREDIT_DECIMALS, options.rounding ?? 'up') ?? invalid(cost);
}

/**
 * Converts a cost in USD (the gateway's decimal string, e.g. "0.0001545", or a number) to credits, exactly:
 * "0.0001545" -> 0.618. Keeps `creditDecimals` (6) places and rounds up beyond them, so a non-zero cost is
 * never free. Throws `InvalidAmountError` for NaN, Infinity, negatives, empty and non-numeric strings.
 */
export function usdToCredits(cost: DecimalInput, options: MoneyOptions = {}): number {
  return unitsToNumber(usdToCreditUnits(cost, options), options.creditDecimals ?? DEFAULT_CREDIT_DECIMALS) ?? tooLarge(cost);
}

/**
 * `usdToCredits` as an exact decimal string, for amounts of any size: `usdToCreditsExact("2200000.0000000001")` is
 * "8800000000.000001" (as a number that would read 8800000000.000002, so `usdToCredits` refuses it). Numbers are
 * exact up to 15 significant digits: below 1,000,000,000 credits at 6 places.
 */
export function usdToCreditsExact(cost: DecimalInput, options: MoneyOptions = {}): string {
  return unitsToString(usdToCreditUnits(cost, options), options.creditDecimals ?? DEFAULT_CREDIT_DECIMALS);
}

/** Like `usdToCredits` but returns `null` instead of throwing, for display paths. */
export function tryUsdToCredits(cost: unknown, options: MoneyOptions = {}): number | null {
  const places = options.creditDecimals ?? DEFAULT_CREDIT_DECIMALS;
  const units = usdUnits(cost, options.creditsPerUsd ?? DEFAULT_CREDITS_PER_USD, places, options.rounding ?? 'up');
  return units === null ? null : unitsToNumber(units, places);
}

/** Like `creditsToUsd` but returns `null` instead of throwing (an unreadable amount or rate), for display paths. */
export function tryCreditsToUsd(credits: unknown, options: MoneyOptions = {}): number | null {
  return usdOf(credits, options.creditsPerUsd ?? DEFAULT_CREDITS_PER_USD);
}

/** Converts credits back to currency units exactly (to 15 places): 40,000 credits -> 10. */
export function creditsToUsd(credits: DecimalInput, options: MoneyOptions = {}): number {
  return usdOf(credits, rateOf(options)) ?? invalidSigned(credits);
}

/** Credit units of any (possibly negative) credit amount, rounded to nearest at `creditDecimals`. */
export function creditsToUnits(credits: DecimalInput, creditDecimals = DEFAULT_CREDIT_DECIMALS): bigint {
  return creditUnits(credits, creditDecimals) ?? invalidSigned(credits);
}

/** Credits as a number from units. */
export function unitsToCredits(units: bigint, creditDecimals = DEFAULT_CREDIT_DECIMALS): number {
  return unitsToNumber(units, creditDecimals) ?? tooLarge(units);
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
