import type { CreditRefusalReason } from '../core/billing-controls.js';
import { CreditsError } from '../core/errors.js';

/** What the UI needs to offer a top-up: how much the call needs and how much the org has. */
export interface InsufficientCreditsDetails {
  readonly code: 'insufficient_credits';
  readonly featureId: string;
  /** Credits the call was estimated to need. */
  readonly needed: number;
  /** Credits the org has now (null if Autumn did not say). */
  readonly available: number | null;
  readonly message: string;
  /**
   * Which limit refused the call: the org's balance, its spend limit, or a member's cap (with the cap, its interval
   * and what is left). Absent from bodies sent before issue 17: read a missing one as the balance.
   */
  readonly reason: CreditRefusalReason;
}

function refusalMessage(needed: number, available: number | null, reason: CreditRefusalReason): string {
  switch (reason.limit) {
    case 'member_cap':
      return `Usage cap reached: ${reason.memberId ?? 'this member'} may use ${reason.cap ?? 'a capped number of'} credits per ${reason.interval ?? 'period'} and has ${reason.remaining ?? 'an unknown number'} left; this call needs about ${needed}`;
    case 'usage_cap':
      return `Usage cap reached: the org may use ${reason.cap ?? 'a capped number of'} credits per ${reason.interval ?? 'period'} and has ${reason.remaining ?? 'an unknown number'} left; this call needs about ${needed}`;
    case 'spend_limit':
      return `Spend limit reached: the org's overage is limited to ${reason.cap ?? 'a set number of'} credits and ${reason.remaining ?? 'an unknown number'} are left; this call needs about ${needed}`;
    default:
      return `Not enough credits: this call needs about ${needed} and ${available ?? 'an unknown number'} are left`;
  }
}

/**
 * The org cannot pay for the call. Thrown by the pre-flight reserve; send `toJSON()` to the client with status 402
 * and the React kit's `isInsufficientCreditsError` turns it into a top-up prompt.
 */
export class InsufficientCreditsError extends CreditsError {
  readonly featureId: string;
  readonly needed: number;
  readonly available: number | null;
  /** Which limit refused it (default: the org's balance). */
  readonly reason: CreditRefusalReason;
  /** HTTP status to answer with: 402 Payment Required. */
  readonly status = 402;
  constructor(details: { featureId: string; needed: number; available: number | null; reason?: CreditRefusalReason }) {
    const reason = details.reason ?? { limit: 'balance', memberId: null, cap: null, interval: null, remaining: details.available };
    super('insufficient_credits', refusalMessage(details.needed, details.available, reason));
    this.name = 'InsufficientCreditsError';
    this.featureId = details.featureId;
    this.needed = details.needed;
    this.available = details.available;
    this.reason = reason;
  }
  /**
   * The JSON body for the client: `{ error: { code: 'insufficient_credits', needed, available, reason, ... } }`.
   * `reason` is new with issue 17; the other fields are as before.
   */
  toJSON(): { error: InsufficientCreditsDetails } {
    return { error: { code: 'insufficient_credits', featureId: this.featureId, needed: this.needed, available: this.available, message: this.message, reason: { ...this.reason } } };
  }
}

/**
 * Autumn could not be reached (after retries) or answered with a fail-open fake. The pre-flight refuses the call
 * rather than run it unpaid; settlement hands the charge to `onUnbilled` instead of throwing.
 */
export class BillingUnavailableError extends CreditsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('autumn_unavailable', message, options);
    this.name = 'BillingUnavailableError';
  }
}

/**
 * The customer id is not one Autumn accepts (empty, not from your auth, or outside `^[a-zA-Z0-9_:-]+$`): a bug in
 * the caller, not an outage. HTTP 400.
 */
export class InvalidCustomerError extends CreditsError {
  readonly status = 400;
  constructor(message: string) {
    super('invalid_customer', message);
    this.name = 'InvalidCustomerError';
  }
}

/** Autumn has no such customer (create it with `customers.get_or_create` when the org signs up). HTTP 404. */
export class UnknownCustomerError extends CreditsError {
  readonly status = 404;
  readonly customerId: string;
  constructor(customerId: string, options?: { cause?: unknown }) {
    super('unknown_customer', `Autumn has no customer "${customerId}": create it (customers.get_or_create) when the org signs up`, options);
    this.name = 'UnknownCustomerError';
    this.customerId = customerId;
  }
}
