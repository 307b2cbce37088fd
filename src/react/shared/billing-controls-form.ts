/**
 * No `'use client'`: what the spend-control forms (`AutoTopUpSettings`, `SpendLimits`) share without React — their
 * states, the text of a refused field, and reading the issues out of a save the server refused. Callable from a
 * Server Component or a Route Handler through the root entry.
 */
import type { BillingControls, BillingControlsIssue } from '../../core/billing-controls.js';
import { MAX_MEMBER_ID_LENGTH } from '../../core/billing-controls.js';

/** What the last save did. */
export type BillingControlsSaveStatus = 'idle' | 'pending' | 'saved' | 'failed';

/**
 * A form's `data-state`: `loading` and `error` are its controls' load (the connected component's), `invalid` while a
 * field shows an issue, else the save's status.
 */
export type BillingControlsFormState = 'loading' | 'error' | 'invalid' | BillingControlsSaveStatus;

/** The form's state from its parts (pure, so styles key off it). */
export function billingControlsFormState(input: {
  readonly loading: boolean;
  readonly error: unknown;
  readonly invalid: boolean;
  readonly status: BillingControlsSaveStatus;
}): BillingControlsFormState {
  if (input.loading) return 'loading';
  if (input.error !== undefined && input.error !== null && input.error !== false) return 'error';
  if (input.status === 'pending') return 'pending';
  return input.invalid ? 'invalid' : input.status;
}

/**
 * What the connected forms' `load()` answers, and `save()` may: the server helper's `billingControls.get()` /
 * `set()` answer as it is (`{ customerId, controls, granted, allowance, remaining, overage }`, sent as JSON by your
 * route). `granted` is what thresholds are checked against; `allowance` what a percent spend limit is of; `overage`
 * the credits used past the grant.
 */
export interface BillingControlsData {
  readonly controls: BillingControls;
  readonly granted?: number | null | undefined;
  /** The main recurring plan's allowance, without top-ups: what a percent spend limit is a percent of. */
  readonly allowance?: number | null | undefined;
  readonly overage?: number | null | undefined;
}

/** The amounts a field's message may name, formatted. */
export interface BillingControlsIssueValues {
  /** The credits the plan grants (an `above_grant` threshold), when known. */
  readonly grant: string | null;
  /** What the member used already this window (a cap `below_usage`), when known. */
  readonly used: string | null;
}

/** The text shown next to a refused field (the core's `issue.message` is for developers, in English, unformatted). */
export type BillingControlsIssueLabel = (issue: BillingControlsIssue, values: BillingControlsIssueValues) => string;

export const DEFAULT_BILLING_CONTROLS_ISSUE_LABEL: BillingControlsIssueLabel = (issue, { grant, used }) => {
  switch (issue.reason) {
    case 'required':
      return 'Required.';
    case 'not_a_number':
      return 'Enter a number, like 2000.';
    case 'negative':
      return 'Enter 0 or more.';
    case 'not_an_integer':
      return 'Enter a whole number.';
    case 'above_grant':
      return `More than ${grant === null ? 'your plan grants' : `the ${grant} credits your plan grants`}: the balance would always be below it.`;
    case 'below_usage':
      return used === null ? 'Below what this member used already this period.' : `Below the ${used} credits this member used already this period.`;
    case 'zero_purchase_limit':
      return 'Allow at least 1, or turn the limit off.';
    case 'unknown_pack':
      return 'Choose one of the packs.';
    case 'duplicate':
      return 'This member has a cap already.';
    case 'out_of_range':
      return issue.field.endsWith('memberId') ? `At most ${MAX_MEMBER_ID_LENGTH} characters.` : 'Out of the allowed range.';
    default:
      return 'Choose one of the options.';
  }
};

const isIssue = (value: unknown): value is BillingControlsIssue =>
  typeof value === 'object' && value !== null && typeof (value as BillingControlsIssue).field === 'string' && typeof (value as BillingControlsIssue).reason === 'string';

/** How deep `error`/`body`/`cause` chains are followed. */
const MAX_DEPTH = 4;

/**
 * The fields a refused save names: a `BillingControlsError` (or anything with `issues`), the 400 body a route sends
 * for one (`{ error: { code: 'invalid_billing_controls', issues } }`, docs/server.md), or an error carrying either as
 * `error`/`body`/`cause`. Empty when it names none (a network failure, a 500).
 */
export function readBillingControlsIssues(error: unknown, depth = 0): readonly BillingControlsIssue[] {
  if (depth > MAX_DEPTH || typeof error !== 'object' || error === null) return [];
  const record = error as Record<string, unknown>;
  if (Array.isArray(record.issues)) return record.issues.filter(isIssue);
  for (const key of ['error', 'body', 'cause']) {
    const found = readBillingControlsIssues(record[key], depth + 1);
    if (found.length > 0) return found;
  }
  return [];
}

/**
 * A member cap's meter: the share of the cap used (0..100, never NaN), and whether it is reached. A cap of 0 stops the
 * member at once (reached, full); usage above the cap shows full.
 */
export function memberCapUsage(used: unknown, cap: unknown): { readonly percent: number; readonly reached: boolean } | null {
  const safeUsed = typeof used === 'number' && Number.isFinite(used) && used > 0 ? used : 0;
  if (typeof cap !== 'number' || !Number.isFinite(cap) || cap < 0) return null;
  if (cap === 0) return { percent: 100, reached: true };
  return { percent: Math.min(100, (safeUsed / cap) * 100), reached: safeUsed >= cap };
}

/** A text field or a select in the forms: one look, with the invalid and disabled states. */
export const BILLING_CONTROLS_FIELD_CLASS = [
  'h-8 min-w-0 rounded-md border border-credits-border bg-credits-background px-2 text-sm text-credits-foreground tabular-nums outline-none',
  'focus-visible:ring-2 focus-visible:ring-credits-ring aria-invalid:border-credits-destructive',
  'disabled:cursor-not-allowed disabled:bg-credits-muted/40 disabled:text-credits-muted-foreground',
].join(' ');
/** A field's visible label. */
export const BILLING_CONTROLS_LABEL_CLASS = 'text-sm font-medium';
/** A hint under a field, and the small labels of paired fields. */
export const BILLING_CONTROLS_HINT_CLASS = 'text-xs text-credits-muted-foreground';

/** `aria-describedby` from the ids that are there (falsy ones left out); undefined for none. */
export function describedBy(...ids: ReadonlyArray<string | false | null | undefined>): string | undefined {
  return ids.filter(Boolean).join(' ') || undefined;
}
