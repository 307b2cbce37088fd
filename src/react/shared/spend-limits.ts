/**
 * No `'use client'`: what `SpendLimits` computes without React — the draft it edits (the org's overage limit and its
 * members' caps), how it is checked and turned into what is saved, each cap's meter, its labels and variants.
 */
import { cva } from 'class-variance-authority';
import {
  checkBillingControls,
  type BillingControlsContext,
  type BillingControlsInput,
  type BillingControlsIssue,
  type UsageCapInterval,
} from '../../core/billing-controls.js';
import { DEFAULT_BILLING_CONTROLS_ISSUE_LABEL, type BillingControlsIssueLabel } from './billing-controls-form.js';

/** How the overage limit is given: credits, money (the config's currency) or a percent of the plan's allowance. */
export type SpendLimitUnit = 'credits' | 'money' | 'percent';
export const SPEND_LIMIT_UNITS: readonly SpendLimitUnit[] = ['credits', 'money', 'percent'];

/** The org's overage limit as the form edits it: the core's `SpendLimitSettings`, numbers also as typed text. */
export interface SpendLimitValue {
  readonly enabled: boolean;
  readonly limit:
    | { readonly type: 'credits'; readonly credits: number | string }
    | { readonly type: 'money'; readonly amount: number | string }
    | { readonly type: 'percent'; readonly percent: number | string };
}

/** One member's cap as the form edits it: the core's `MemberCap`, the credits also as typed text. */
export interface MemberCapValue {
  readonly memberId: string;
  readonly credits: number | string;
  readonly interval: UsageCapInterval;
  readonly enabled?: boolean;
  /** Read only: what the member used in the cap's current window (Autumn's `usage`). */
  readonly used?: number;
}

/** What `SpendLimits` edits: `{ spendLimit, memberCaps }` of the core's `BillingControls`. */
export interface SpendLimitsValue {
  readonly spendLimit: SpendLimitValue | null;
  readonly memberCaps: readonly MemberCapValue[];
}

export const EMPTY_SPEND_LIMITS: SpendLimitsValue = Object.freeze({ spendLimit: null, memberCaps: Object.freeze([]) });

/** The draft's overage limit when the org has none: off, in credits, empty. */
export const DEFAULT_SPEND_LIMIT: SpendLimitValue = Object.freeze({ enabled: false, limit: Object.freeze({ type: 'credits', credits: '' }) });

/** The key of a limit's amount (`credits`, `amount`, `percent`): also the last part of its issue's field. */
export function spendLimitKey(unit: SpendLimitUnit): 'credits' | 'amount' | 'percent' {
  return unit === 'money' ? 'amount' : unit;
}

/** A limit's amount, whatever its unit. */
export function spendLimitAmount(limit: SpendLimitValue['limit']): number | string {
  return limit.type === 'credits' ? limit.credits : limit.type === 'money' ? limit.amount : limit.percent;
}

/** The same amount in another unit (the number typed is kept: the user changes the unit, then the number). */
export function withSpendLimitUnit(limit: SpendLimitValue['limit'], unit: SpendLimitUnit): SpendLimitValue['limit'] {
  const amount = spendLimitAmount(limit);
  return unit === 'credits' ? { type: unit, credits: amount } : unit === 'money' ? { type: unit, amount } : { type: unit, percent: amount };
}

/** What the members used, by id, from the caps' read-only `used`: a cap below it is refused. */
export function memberUsage(caps: readonly MemberCapValue[]): Record<string, number> {
  const members: Record<string, number> = {};
  for (const cap of caps) if (typeof cap.used === 'number' && Number.isFinite(cap.used)) members[cap.memberId] = cap.used;
  return members;
}

/**
 * Every issue of the draft and what to save: `{ spendLimit, memberCaps }` normalized (the whole list of caps: the
 * server helper sends it whole, docs/server.md). An overage limit that is off is kept when valid and removed (`null`)
 * when not, so turning it off is never refused; member caps are always checked (against what each member used).
 */
export function checkSpendLimitsValue(
  value: SpendLimitsValue,
  context: Omit<BillingControlsContext, 'usage' | 'grant'>,
): { readonly issues: readonly BillingControlsIssue[]; readonly controls: BillingControlsInput } {
  const checked = checkBillingControls(
    { spendLimit: value.spendLimit, memberCaps: value.memberCaps },
    { ...context, usage: { members: memberUsage(value.memberCaps) } },
  );
  const off = value.spendLimit !== null && !value.spendLimit.enabled;
  const ofSpend = (issue: BillingControlsIssue) => issue.field.startsWith('spendLimit');
  const spendRefused = checked.issues.some(ofSpend);
  return {
    issues: off ? checked.issues.filter((issue) => !ofSpend(issue)) : checked.issues,
    controls: { spendLimit: off && spendRefused ? null : (checked.value.spendLimit ?? null), memberCaps: checked.value.memberCaps ?? [] },
  };
}

export interface SpendLimitsLabels {
  readonly title: string;
  readonly description: string;
  /** The overage limit's heading, which names its switch. */
  readonly overageTitle: string;
  readonly overageDescription: string;
  readonly amount: string;
  readonly unit: string;
  /** The unit choices; `currency` is the money's ISO code. */
  readonly units: (unit: SpendLimitUnit, currency: string) => string;
  /** Under a limit in money or percent: what it is in credits. */
  readonly inCredits: (credits: string) => string;
  /** The overage used so far this period, when known. */
  readonly overageUsed: (credits: string) => string;
  readonly membersTitle: string;
  readonly membersDescription: string;
  readonly noMembers: string;
  /** The cap field's name for a member ("Daily cap for Ada" reads from the period too: keep the member's name in it). */
  readonly cap: (member: string) => string;
  readonly capInterval: (member: string) => string;
  readonly intervals: Readonly<Record<UsageCapInterval, string>>;
  /** A member's usage against their cap: "300 of 500 credits used today". */
  readonly used: (used: string, cap: string, interval: UsageCapInterval) => string;
  readonly reached: string;
  /** The remove button's name ("Remove" shows; the name says whose). */
  readonly remove: (member: string) => string;
  readonly removeText: string;
  readonly addTitle: string;
  readonly member: string;
  readonly chooseMember: string;
  readonly credits: string;
  readonly interval: string;
  readonly add: string;
  readonly save: string;
  readonly saving: string;
  readonly saved: string;
  readonly failed: string;
  readonly invalid: (count: number) => string;
  readonly loading: string;
  readonly error: string;
  readonly retry: string;
  readonly issue: BillingControlsIssueLabel;
}

const WINDOW: Readonly<Record<UsageCapInterval, string>> = { day: 'today', week: 'this week', month: 'this month', year: 'this year' };

export const DEFAULT_SPEND_LIMITS_LABELS: SpendLimitsLabels = Object.freeze({
  title: 'Spend limits',
  description: 'What the organization may spend past its plan, and what each member may use.',
  overageTitle: 'Overage limit',
  overageDescription: 'Stops usage once the overage past the plan’s allowance reaches it (plans that allow overage).',
  amount: 'Limit',
  unit: 'Unit',
  units: (unit: SpendLimitUnit, currency: string) => (unit === 'credits' ? 'credits' : unit === 'money' ? currency : '% of the allowance'),
  inCredits: (credits: string) => `${credits} credits of overage.`,
  overageUsed: (credits: string) => `${credits} credits of overage used this period.`,
  membersTitle: 'Member caps',
  membersDescription: 'A member who reaches their cap cannot send messages until it resets; the organization’s credits stay for everyone else.',
  noMembers: 'No member has a cap.',
  cap: (member: string) => `Cap for ${member}, in credits`,
  capInterval: (member: string) => `Period of ${member}’s cap`,
  intervals: Object.freeze({ day: 'per day', week: 'per week', month: 'per month', year: 'per year' }),
  used: (used: string, cap: string, interval: UsageCapInterval) => `${used} of ${cap} credits used ${WINDOW[interval]}`,
  reached: 'Cap reached',
  remove: (member: string) => `Remove the cap for ${member}`,
  removeText: 'Remove',
  addTitle: 'Add a cap',
  member: 'Member',
  chooseMember: 'Choose a member',
  credits: 'Credits',
  interval: 'Period',
  add: 'Add cap',
  save: 'Save',
  saving: 'Saving…',
  saved: 'Saved.',
  failed: 'Could not save the spend limits. Try again.',
  invalid: (count: number) => (count === 1 ? 'Fix the field marked before saving.' : `Fix the ${count} fields marked before saving.`),
  loading: 'Loading the spend limits…',
  error: 'Could not load the spend limits.',
  retry: 'Retry',
  issue: DEFAULT_BILLING_CONTROLS_ISSUE_LABEL,
});

export const spendLimitsVariants = cva(
  [
    'flex flex-col gap-4 rounded-lg border border-credits-border bg-credits-background text-credits-foreground',
    'data-[state=error]:border-credits-destructive/60 data-[state=failed]:border-credits-destructive/60',
  ],
  {
    variants: {
      size: {
        compact: 'gap-3 p-3 text-xs',
        default: 'p-4 text-sm',
      },
    },
    defaultVariants: { size: 'default' },
  },
);
