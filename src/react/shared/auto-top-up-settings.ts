/**
 * No `'use client'`: what `AutoTopUpSettings` computes without React — the draft it edits, how that draft is checked
 * and turned into what is saved, its labels and variants — callable from a Server Component or a Route Handler.
 */
import { cva } from 'class-variance-authority';
import {
  checkBillingControls,
  type AutoTopUpLimitInterval,
  type BillingControlsContext,
  type BillingControlsInput,
  type BillingControlsIssue,
} from '../../core/billing-controls.js';
import type { CreditsConfig } from '../../core/config.js';
import { DEFAULT_BILLING_CONTROLS_ISSUE_LABEL, type BillingControlsIssueLabel } from './billing-controls-form.js';

/**
 * The auto top-up as the form edits it: the core's `AutoTopUpSettings` (what `billingControls.get()` answers in
 * `controls.autoTopUp`), with the numbers also as the text typed in their fields ("2000", "2,000" is refused).
 */
export interface AutoTopUpSettingsValue {
  readonly enabled: boolean;
  /** Credits: Autumn buys when the balance is at or below it. */
  readonly threshold: number | string;
  /** One of the config's `topUps`. */
  readonly packId: string;
  /** At most `limit` automatic purchases per `intervalCount` × `interval`; null for no limit. */
  readonly purchaseLimit: {
    readonly limit: number | string;
    readonly interval: AutoTopUpLimitInterval;
    readonly intervalCount?: number | string;
    /** Read only: purchases made in the current window. */
    readonly used?: number;
    /** Read only: when the window ends (ms). */
    readonly resetsAt?: number;
  } | null;
  /** Read only: the credits Autumn adds, when they match none of the config's packs (`packId` is then ''). */
  readonly credits?: number;
}

/** What a new limit starts at when its checkbox is ticked: 3 purchases per month. */
export const DEFAULT_AUTO_TOP_UP_PURCHASE_LIMIT = { limit: 3, interval: 'month' } as const satisfies AutoTopUpSettingsValue['purchaseLimit'];

/**
 * The draft for an org without an auto top-up: off, the config's first pack, the threshold at the config's low
 * balance mark of the grant (20 % of 8,000 → 1,600) when the grant is known, else empty.
 */
export function defaultAutoTopUpValue(config: Pick<CreditsConfig, 'topUps' | 'lowBalanceThreshold'>, grant: number | null | undefined): AutoTopUpSettingsValue {
  const threshold = typeof grant === 'number' && Number.isFinite(grant) && grant > 0 ? Math.floor(grant * config.lowBalanceThreshold) : '';
  return { enabled: false, threshold, packId: config.topUps[0]?.id ?? '', purchaseLimit: null };
}

/**
 * Every issue of the draft, and what to save: `{ autoTopUp }` normalized. Off, the settings are kept for later when
 * they are valid and removed (`null`) when they are not — turning it off is never refused. No draft: `null`.
 */
export function checkAutoTopUpValue(
  value: AutoTopUpSettingsValue | null,
  context: BillingControlsContext,
): { readonly issues: readonly BillingControlsIssue[]; readonly controls: BillingControlsInput } {
  if (value === null) return { issues: [], controls: { autoTopUp: null } };
  const checked = checkBillingControls({ autoTopUp: value }, context);
  if (value.enabled) return { issues: checked.issues, controls: checked.value };
  return { issues: [], controls: { autoTopUp: checked.issues.length === 0 ? (checked.value.autoTopUp ?? null) : null } };
}

export interface AutoTopUpSettingsLabels {
  /** The heading, which also names the form and its switch. */
  readonly title: string;
  readonly description: string;
  readonly threshold: string;
  /** Under the threshold; `grant` is the plan's credits, when known. */
  readonly thresholdHint: (grant: string | null) => string;
  readonly unit: string;
  readonly pack: string;
  /** One pack in the list: "Credit top-up — 40,000 credits for $10.00". */
  readonly packOption: (label: string, credits: string, price: string) => string;
  /** The empty choice, when the saved amount matches none of the packs. */
  readonly choosePack: string;
  /** The checkbox that turns the purchase limit on. */
  readonly purchaseLimit: string;
  readonly limit: string;
  readonly interval: string;
  /** An interval choice: "per month", "every 2 weeks". */
  readonly per: (interval: AutoTopUpLimitInterval, count: number) => string;
  /** The current window's purchases: "1 of 3 used; resets Dec 1." */
  readonly limitUsed: (used: string, limit: string, resets: string | null) => string;
  readonly save: string;
  readonly saving: string;
  readonly saved: string;
  readonly failed: string;
  /** After a save was tried with fields to fix. */
  readonly invalid: (count: number) => string;
  readonly loading: string;
  readonly error: string;
  readonly retry: string;
  /** The text next to a refused field. */
  readonly issue: BillingControlsIssueLabel;
}

const PLURAL: Readonly<Record<AutoTopUpLimitInterval, string>> = { hour: 'hours', day: 'days', week: 'weeks', month: 'months' };

export const DEFAULT_AUTO_TOP_UP_SETTINGS_LABELS: AutoTopUpSettingsLabels = Object.freeze({
  title: 'Auto top-up',
  description: 'Buy a credit pack automatically when the balance runs low, with the card on file.',
  threshold: 'When the balance falls to',
  thresholdHint: (grant: string | null) => `In credits: a pack is bought at or below it${grant === null ? '' : `; your plan grants ${grant}`}.`,
  unit: 'credits',
  pack: 'Buy',
  packOption: (label: string, credits: string, price: string) => `${label} — ${credits} credits for ${price}`,
  choosePack: 'Choose a pack',
  purchaseLimit: 'Limit automatic purchases',
  limit: 'Purchases at most',
  interval: 'Period',
  per: (interval: AutoTopUpLimitInterval, count: number) => (count > 1 ? `every ${count} ${PLURAL[interval]}` : `per ${interval}`),
  limitUsed: (used: string, limit: string, resets: string | null) => `${used} of ${limit} used${resets === null ? '' : `; resets ${resets}`}.`,
  save: 'Save',
  saving: 'Saving…',
  saved: 'Saved.',
  failed: 'Could not save the auto top-up. Try again.',
  invalid: (count: number) => (count === 1 ? 'Fix the field marked before saving.' : `Fix the ${count} fields marked before saving.`),
  loading: 'Loading the auto top-up…',
  error: 'Could not load the auto top-up.',
  retry: 'Retry',
  issue: DEFAULT_BILLING_CONTROLS_ISSUE_LABEL,
});

export const autoTopUpSettingsVariants = cva(
  [
    'flex flex-col gap-3 rounded-lg border border-credits-border bg-credits-background text-credits-foreground',
    'data-[state=error]:border-credits-destructive/60 data-[state=failed]:border-credits-destructive/60',
  ],
  {
    variants: {
      size: {
        compact: 'gap-2 p-3 text-xs',
        default: 'p-4 text-sm',
      },
    },
    defaultVariants: { size: 'default' },
  },
);
