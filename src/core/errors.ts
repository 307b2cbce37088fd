/** Machine-readable reasons a credits operation refused its input. */
export type CreditsErrorCode =
  | 'invalid_config'
  | 'invalid_amount'
  | 'out_of_range'
  | 'insufficient_credits'
  | 'autumn_unavailable'
  | 'invalid_customer'
  | 'unknown_customer'
  | 'billing_failed'
  | 'invalid_billing_controls';

/** Base class of every error the kit throws on purpose. Check `error.code`, not the message. */
export class CreditsError extends Error {
  readonly code: CreditsErrorCode;
  constructor(code: CreditsErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CreditsError';
    this.code = code;
  }
}

/** The credits config is inconsistent (duplicate ids, unknown plan, bad threshold...). */
export class CreditsConfigError extends CreditsError {
  constructor(message: string) {
    super('invalid_config', message);
    this.name = 'CreditsConfigError';
  }
}

/**
 * A cost or credit amount is not a finite, non-negative decimal: NaN, Infinity, a negative number, an empty or
 * non-numeric string, or one too large to count exactly. `input` holds what was given.
 */
export class InvalidAmountError extends CreditsError {
  readonly input: unknown;
  constructor(input: unknown, reason: string, code: 'invalid_amount' | 'out_of_range' = 'invalid_amount') {
    super(code, `Invalid amount ${describe(input)}: ${reason}`);
    this.name = 'InvalidAmountError';
    this.input = input;
  }
}

function describe(input: unknown): string {
  if (typeof input === 'string') return JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…` : input);
  if (typeof input === 'number' || typeof input === 'bigint' || typeof input === 'boolean') return String(input);
  if (input === null) return 'null';
  return typeof input;
}
