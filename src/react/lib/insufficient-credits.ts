/**
 * Reading the server helper's "not enough credits" refusal wherever it turns up on the client: the 402 JSON body
 * (`{ error: { code: 'insufficient_credits', needed, available } }`), the error object itself, an Error whose message
 * is that body (what AI SDK `useChat` gives `onError` for a failed request), or an error carrying it as
 * `responseBody`/`body`/`data`/`cause`. Pure and React-free; only the wire shape is repeated here, so the React entry
 * never loads server code.
 */
import type { CreditLimitKind, CreditRefusalReason, UsageCapInterval } from '../../core/billing-controls.js';
import { displayAmount } from './amounts.js';

/** The wire shape the server sends with status 402 (`InsufficientCreditsError#toJSON()`). */
export interface InsufficientCreditsBody {
  readonly error: {
    readonly code: 'insufficient_credits';
    readonly featureId?: string;
    readonly needed: number;
    readonly available: number | null;
    readonly message?: string;
    /** Which limit refused the call (issue 17); older servers leave it out. */
    readonly reason?: CreditRefusalReason;
  };
}

/** What a top-up prompt needs to say. Unreadable numbers are null, never NaN or negative. */
export interface InsufficientCredits {
  /** Credits the refused call needed. */
  readonly needed: number | null;
  /** Credits the customer has (null if the server did not say). */
  readonly available: number | null;
  readonly featureId: string | null;
  /**
   * Which limit refused it: `balance` (the org's credits), `spend_limit` (the org's overage limit), `member_cap`
   * (the member's own cap: `memberId`, `cap` per `interval`, `remaining`) or `usage_cap` (an org-wide cap). A body
   * without a reason (a server before issue 17) reads as `balance`.
   */
  readonly reason: CreditRefusalReason;
}

/** HTTP status of the refusal. */
export const INSUFFICIENT_CREDITS_STATUS = 402;
const CODE = 'insufficient_credits';
const LIMITS: readonly CreditLimitKind[] = ['balance', 'spend_limit', 'member_cap', 'usage_cap'];
/** Written out rather than imported, so the prompt does not load the billing controls' validation. */
const INTERVALS: readonly UsageCapInterval[] = ['day', 'week', 'month', 'year'];
/** How deep `cause`/`error`/`body` chains are followed. */
const MAX_DEPTH = 4;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function fromJsonText(text: string): unknown {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return undefined;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return undefined;
  }
}

function read(value: unknown, depth: number): InsufficientCredits | null {
  if (depth > MAX_DEPTH) return null;
  if (typeof value === 'string') {
    const parsed = fromJsonText(value);
    return parsed === undefined ? null : read(parsed, depth + 1);
  }
  if (!isObject(value)) return null;
  if (value.code === CODE) {
    const available = value.available === null || value.available === undefined ? null : displayAmount(value.available);
    const reason = isObject(value.reason) ? value.reason : {};
    const amount = (key: string) => (reason[key] === null || reason[key] === undefined ? null : displayAmount(reason[key]));
    const limit = LIMITS.includes(reason.limit as CreditLimitKind) ? (reason.limit as CreditLimitKind) : 'balance';
    return {
      needed: displayAmount(value.needed),
      available,
      featureId: typeof value.featureId === 'string' ? value.featureId : null,
      reason:
        limit === 'balance'
          ? { limit, memberId: null, cap: null, interval: null, remaining: available }
          : {
              limit,
              memberId: typeof reason.memberId === 'string' ? reason.memberId : null,
              cap: amount('cap'),
              interval: INTERVALS.includes(reason.interval as UsageCapInterval) ? (reason.interval as UsageCapInterval) : null,
              remaining: amount('remaining'),
            },
    };
  }
  for (const key of ['error', 'body', 'responseBody', 'data', 'cause'] as const) {
    const found = key in value ? read(value[key], depth + 1) : null;
    if (found) return found;
  }
  // An Error whose message is the response body (AI SDK useChat's onError).
  return typeof value.message === 'string' ? read(value.message, depth + 1) : null;
}

/** The needed/available credits of an insufficient-credits refusal in any of its client-side forms, else null. */
export function parseInsufficientCredits(errorOrBody: unknown): InsufficientCredits | null {
  return read(errorOrBody, 0);
}

/** Whether `errorOrBody` is the server's insufficient-credits refusal (see `parseInsufficientCredits`). */
export function isInsufficientCreditsError(errorOrBody: unknown): boolean {
  return parseInsufficientCredits(errorOrBody) !== null;
}

/**
 * Reads a fetch `Response`: the refusal's details for a 402 with the insufficient-credits body, else null. Leaves
 * the response's body unread (it reads a clone).
 */
export async function readInsufficientCredits(response: Response): Promise<InsufficientCredits | null> {
  if (response.status !== INSUFFICIENT_CREDITS_STATUS) return null;
  try {
    return parseInsufficientCredits(await response.clone().text());
  } catch {
    return null;
  }
}

/** A refusal's reason with its amounts formatted (`cap`, `remaining`: null when the server did not say). */
export interface InsufficientCreditsReasonText {
  readonly limit: CreditLimitKind;
  readonly memberId: string | null;
  readonly cap: string | null;
  readonly interval: UsageCapInterval | null;
  readonly remaining: string | null;
}

/**
 * The line above the packages; `available` is null when the server did not say. `reason` says which limit refused
 * the call (absent from callers written before issue 17: read it as the balance).
 */
export type InsufficientCreditsMessage = (needed: string, available: string | null, reason?: InsufficientCreditsReasonText) => string;

/** "daily cap" for a cap per day. */
const PER_INTERVAL: Readonly<Record<UsageCapInterval, string>> = { day: 'daily ', week: 'weekly ', month: 'monthly ', year: 'yearly ' };

/**
 * "This message needs 1,200 credits; you have 300." for the balance; for a cap: "You reached your daily cap of 500
 * credits; your organization still has 12,000." (a member's), "Your organization reached its monthly cap of 90,000
 * credits." (an org-wide usage cap), "Your organization reached its overage limit of 5,000 credits." (the spend limit).
 */
export const DEFAULT_INSUFFICIENT_CREDITS_MESSAGE: InsufficientCreditsMessage = (needed, available, reason) => {
  const cap = `${reason?.interval ? PER_INTERVAL[reason.interval] : ''}cap${reason?.cap ? ` of ${reason.cap} credits` : ''}`;
  switch (reason?.limit) {
    case 'member_cap':
      return `You reached your ${cap}${available === null ? '.' : `; your organization still has ${available}.`}`;
    case 'usage_cap':
      return `Your organization reached its ${cap}.`;
    case 'spend_limit':
      return `Your organization reached its overage limit${reason.cap ? ` of ${reason.cap} credits` : ''}.`;
    default:
      return available === null ? `This message needs ${needed} credits.` : `This message needs ${needed} credits; you have ${available}.`;
  }
};

/** The prompt's title and description when a usage cap refused the call (it offers no packages then). */
export interface CapReachedLabels {
  readonly title: string;
  readonly description: string;
}

export const DEFAULT_CAP_REACHED_LABELS: CapReachedLabels = Object.freeze({
  title: 'Usage cap reached',
  description: 'Buying credits does not lift a cap: it resets with its period, or an admin can raise it.',
});
