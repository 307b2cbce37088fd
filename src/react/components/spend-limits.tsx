'use client';
/**
 * `SpendLimits`: what an org may spend past its plan (Autumn's `spend_limits`: an overage limit in credits, money or a
 * percent of the allowance — resolveSpendLimitOverageLimit.ts: `overage_limit / 100 × allowance`) and what each
 * member may use (a usage limit filtered on the member's id per day, week, month or year — usageLimit.ts), each
 * member's usage against their cap as a meter, and adding, editing and removing a cap.
 *
 * Every field is checked by the core's `checkBillingControls` (the server helper's own checks) when it is left and
 * when a save is tried, and refused next to itself before anything is sent: a negative or non-numeric amount, a cap
 * below what the member used already this window, a member twice, an id over Autumn's 128 characters. Saving shows
 * pending (`role="status"`), saved, or failed (`role="alert"`, and the fields the server refused).
 *
 * `SpendLimitsView` renders from props (`value`/`defaultValue`/`onValueChange`, `onSave`, `members`, `allowance`,
 * `overage`); `SpendLimits` takes `load()` and `save(controls)` pointed at your own route, which calls
 * `createBillingControls().get/set` with the org from your server-side auth. Both are composed from exported parts.
 */
import * as React from 'react';
import type { VariantProps } from 'class-variance-authority';
import { checkBillingControls, USAGE_CAP_INTERVALS, type BillingControlsInput, type BillingControlsIssue, type UsageCapInterval } from '../../core/billing-controls.js';
import type { CreditsConfig } from '../../core/config.js';
import type { CreditFormatters } from '../../core/format.js';
import { tryUsdToCredits } from '../../core/money.js';
import { buttonVariants } from '../lib/button.js';
import { cn } from '../lib/cn.js';
import { createPartsContext } from '../lib/parts.js';
import { withLabels } from '../lib/labels.js';
import { useCreditsFormat } from '../lib/credits-format.js';
import {
  BILLING_CONTROLS_FIELD_CLASS,
  BILLING_CONTROLS_HINT_CLASS,
  BILLING_CONTROLS_LABEL_CLASS,
  billingControlsFormState,
  describedBy,
  memberCapUsage,
  type BillingControlsData,
  type BillingControlsFormState,
  type BillingControlsSaveStatus,
} from '../shared/billing-controls-form.js';
import {
  DEFAULT_SPEND_LIMIT,
  DEFAULT_SPEND_LIMITS_LABELS,
  EMPTY_SPEND_LIMITS,
  SPEND_LIMIT_UNITS,
  checkSpendLimitsValue,
  memberUsage,
  spendLimitAmount,
  spendLimitKey,
  spendLimitsVariants,
  withSpendLimitUnit,
  type MemberCapValue,
  type SpendLimitUnit,
  type SpendLimitValue,
  type SpendLimitsLabels,
  type SpendLimitsValue,
} from '../shared/spend-limits.js';
import { FieldIssue, SettingsSwitch, useBillingControlsForm, useConnectedControls } from './billing-controls-form.js';

/** A member the app knows: their id (what the meter reports as `member`) and a name to show. */
export interface SpendLimitsMember {
  readonly id: string;
  readonly name?: string | undefined;
}

/** The "Add a cap" row's fields, as typed. */
export interface SpendLimitsNewCap {
  readonly memberId: string;
  readonly credits: string;
  readonly interval: UsageCapInterval;
}

const NEW_CAP: SpendLimitsNewCap = { memberId: '', credits: '', interval: 'day' };

export type SpendLimitsViewProps = Omit<React.ComponentProps<'form'>, 'children' | 'defaultValue' | 'onSubmit'> &
  VariantProps<typeof spendLimitsVariants> & {
    /** The overage limit and the member caps being edited (controlled). */
    value?: SpendLimitsValue | undefined;
    /** The starting value when uncontrolled; default none. */
    defaultValue?: SpendLimitsValue | undefined;
    onValueChange?: ((value: SpendLimitsValue) => void) | undefined;
    /** Saves `{ spendLimit, memberCaps }` (normalized, valid; the whole list of caps): your route's `billingControls.set`. */
    onSave?: ((controls: BillingControlsInput) => unknown) | undefined;
    /** Members to name and to choose from when adding a cap; without them a cap is added by member id. */
    members?: readonly SpendLimitsMember[] | undefined;
    /**
     * The main recurring plan's allowance, without top-ups (the server helper's `allowance`): what a percent limit is a
     * percent of, so it is shown in credits (Autumn: `overage_limit / 100 × allowance`, resolveSpendLimitOverageLimit.ts).
     */
    allowance?: number | null | undefined;
    /** Credits used past the grant this period. */
    overage?: number | null | undefined;
    saveStatus?: BillingControlsSaveStatus | undefined;
    saveError?: unknown;
    loading?: boolean | undefined;
    error?: unknown;
    onRetry?: (() => void) | undefined;
    config?: CreditsConfig | undefined;
    locale?: string | undefined;
    currency?: string | undefined;
    labels?: Partial<SpendLimitsLabels> | undefined;
    /** Your arrangement of the parts, replacing the default layout. */
    children?: React.ReactNode;
  };

/** What `SpendLimitsView` resolved, for its parts (`useSpendLimits`). */
export interface SpendLimitsContextValue {
  readonly state: BillingControlsFormState;
  readonly value: SpendLimitsValue;
  readonly setValue: (value: SpendLimitsValue) => void;
  /** The overage limit shown (the default, off, when the org has none). */
  readonly spendLimit: SpendLimitValue;
  readonly updateSpendLimit: (patch: Partial<SpendLimitValue>) => void;
  readonly updateCap: (index: number, patch: Partial<MemberCapValue>) => void;
  /** Removes a cap (focus moves to the "Add a cap" member field). */
  readonly removeCap: (index: number) => void;
  readonly touch: (field: string) => void;
  /** The text of the issue shown next to a field (`memberCaps[1].credits`), or null. */
  readonly issue: (field: string) => string | null;
  readonly shown: number;
  readonly attempted: boolean;
  readonly members: readonly SpendLimitsMember[] | undefined;
  /** A member's name, else their id. */
  readonly nameOf: (memberId: string) => string;
  readonly newCap: SpendLimitsNewCap;
  readonly setNewCap: (patch: Partial<SpendLimitsNewCap>) => void;
  /** Checks the new cap against the list; adds it, or shows its issues next to its fields. */
  readonly addCap: () => void;
  /** The issue of the new cap's field (`memberId`, `credits`, `interval`), or null. */
  readonly newCapIssue: (field: keyof SpendLimitsNewCap) => string | null;
  /** The plan's allowance a percent limit is of, when known. */
  readonly allowance: number | null;
  readonly overage: number | null;
  readonly creditsPerUsd: number;
  readonly saveError: unknown;
  readonly save: () => void;
  readonly onRetry: (() => void) | undefined;
  readonly formatters: CreditFormatters;
  readonly labels: SpendLimitsLabels;
  /** The prefix of the fields' ids. */
  readonly id: string;
}

const [SpendLimitsProvider, useSpendLimitsPart] = createPartsContext<SpendLimitsContextValue>('SpendLimits');
const [SpendLimitsCapProvider, useSpendLimitsCapPart] = createPartsContext<SpendLimitsCapContextValue>('SpendLimitsMembers');

/** What the nearest `SpendLimits` (or its view) resolved, for a part of your own. Throws outside one. */
export const useSpendLimits: () => SpendLimitsContextValue = useSpendLimitsPart;

/** One cap in `SpendLimitsMembers`, for a part of your own. */
export interface SpendLimitsCapContextValue {
  readonly cap: MemberCapValue;
  readonly index: number;
  readonly name: string;
  /** The cap in credits, when it reads as a number (else null: no meter). */
  readonly credits: number | null;
  /** Share of the cap used (0..100) and whether it is reached; null without a usage or a readable cap. */
  readonly usage: { readonly percent: number; readonly reached: boolean } | null;
}

/** What the members' caps rows read: `memberCaps[i]` in the draft. */
export const useSpendLimitsCap: () => SpendLimitsCapContextValue = useSpendLimitsCapPart;

const ready = (state: BillingControlsFormState): boolean => state !== 'loading' && state !== 'error';
const finiteOrNull = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null);

/**
 * The spend limits form from props. Its `children` replace the default layout with your arrangement of the parts
 * (`SpendLimitsTitle`, `SpendLimitsDescription`, `SpendLimitsSkeleton`, `SpendLimitsError`, `SpendLimitsOverage`,
 * `SpendLimitsMembers` with `SpendLimitsMember`, `SpendLimitsAddCap`, `SpendLimitsFooter`, `SpendLimitsStatus`,
 * `SpendLimitsSaveError`, `SpendLimitsSave`); each renders only in the states it belongs to.
 */
export function SpendLimitsView({
  value: valueProp,
  defaultValue,
  onValueChange,
  onSave,
  members,
  allowance: allowanceProp,
  overage: overageProp,
  saveStatus,
  saveError,
  loading = false,
  error,
  onRetry,
  config: configProp,
  locale,
  currency,
  labels: labelOverrides,
  size,
  className,
  children,
  ...props
}: SpendLimitsViewProps) {
  const { config, formatters } = useCreditsFormat({ config: configProp, locale, currency });
  const labels = withLabels(DEFAULT_SPEND_LIMITS_LABELS, labelOverrides);
  const allowance = finiteOrNull(allowanceProp);
  // No threshold here: the grant checks nothing the form edits.
  const context = { config };
  const form = useBillingControlsForm<SpendLimitsValue>({
    value: valueProp,
    defaultValue: defaultValue ?? EMPTY_SPEND_LIMITS,
    onValueChange,
    check: (draft) => checkSpendLimitsValue(draft, context),
    onSave,
    saveStatus,
    saveError,
  });
  const value = form.value;
  const [newCap, setNewCapState] = React.useState<SpendLimitsNewCap>(NEW_CAP);
  const [newCapIssues, setNewCapIssues] = React.useState<readonly BillingControlsIssue[]>([]);
  const [focusAdd, setFocusAdd] = React.useState(0);
  const id = React.useId();
  React.useEffect(() => {
    if (focusAdd > 0) document.getElementById(`${id}-new-member`)?.focus();
  }, [focusAdd, id]);

  const state = billingControlsFormState({ loading, error, invalid: form.shown > 0, status: form.status });
  const spendLimit = value.spendLimit ?? DEFAULT_SPEND_LIMIT;
  const setCaps = (memberCaps: readonly MemberCapValue[]) => form.setValue({ ...value, memberCaps });
  const issueValues = (field: string) => {
    const index = /^memberCaps\[(\d+)\]/.exec(field)?.[1];
    const used = index === undefined ? undefined : value.memberCaps[Number(index)]?.used;
    return { grant: null, used: typeof used === 'number' ? formatters.credits(used) : null };
  };
  const part: SpendLimitsContextValue = {
    state,
    value,
    setValue: form.setValue,
    spendLimit,
    updateSpendLimit: (patch) => form.setValue({ ...value, spendLimit: { ...spendLimit, ...patch } }),
    updateCap: (index, patch) => setCaps(value.memberCaps.map((cap, at) => (at === index ? { ...cap, ...patch } : cap))),
    removeCap: (index) => {
      setCaps(value.memberCaps.filter((_, at) => at !== index));
      setFocusAdd((count) => count + 1);
    },
    touch: form.touch,
    issue: (field) => {
      const issue = form.issueOf(field);
      return issue ? labels.issue(issue, issueValues(field)) : null;
    },
    shown: form.shown,
    attempted: form.attempted,
    members,
    nameOf: (memberId) => members?.find((member) => member.id === memberId)?.name ?? memberId,
    newCap,
    setNewCap: (patch) => {
      setNewCapState({ ...newCap, ...patch });
      setNewCapIssues([]);
    },
    addCap: () => {
      const at = value.memberCaps.length;
      const candidate = { memberId: newCap.memberId.trim(), credits: newCap.credits, interval: newCap.interval };
      const caps = [...value.memberCaps, candidate];
      const prefix = `memberCaps[${at}].`;
      const issues = checkBillingControls({ memberCaps: caps }, { ...context, usage: { members: memberUsage(caps) } }).issues.filter((issue) => issue.field.startsWith(prefix));
      if (issues.length > 0) {
        setNewCapIssues(issues.map((issue) => ({ ...issue, field: issue.field.slice(prefix.length) })));
        document.getElementById(`${id}-new-${issues[0]!.field.slice(prefix.length) === 'memberId' ? 'member' : 'credits'}`)?.focus();
        return;
      }
      setCaps(caps);
      setNewCapState(NEW_CAP);
    },
    newCapIssue: (field) => {
      const issue = newCapIssues.find((candidate) => candidate.field === field);
      return issue ? labels.issue(issue, { grant: null, used: null }) : null;
    },
    allowance,
    overage: finiteOrNull(overageProp),
    creditsPerUsd: config.creditsPerUsd,
    saveError: form.error,
    save: form.submit,
    onRetry,
    formatters,
    labels,
    id,
  };

  return (
    <form
      ref={form.formRef}
      noValidate
      data-slot="spend-limits"
      data-state={state}
      data-size={size ?? 'default'}
      aria-labelledby={`${id}-title`}
      aria-busy={state === 'loading' || state === 'pending' || undefined}
      className={cn(spendLimitsVariants({ size }), className)}
      onSubmit={(event) => {
        event.preventDefault();
        form.submit();
      }}
      {...props}
    >
      <SpendLimitsProvider value={part}>
        {children ?? (
          <>
            <div className="grid gap-1">
              <SpendLimitsTitle />
              <SpendLimitsDescription />
            </div>
            <SpendLimitsSkeleton />
            <SpendLimitsError />
            <SpendLimitsOverage />
            <SpendLimitsMembers />
            <SpendLimitsAddCap />
            <SpendLimitsFooter />
          </>
        )}
      </SpendLimitsProvider>
    </form>
  );
}

/** "Spend limits": names the form. */
export function SpendLimitsTitle({ className, children, ...props }: React.ComponentProps<'p'>) {
  const { id, labels } = useSpendLimitsPart();
  return (
    <p id={`${id}-title`} data-slot="spend-limits-title" className={cn('font-medium', className)} {...props}>
      {children ?? labels.title}
    </p>
  );
}

export function SpendLimitsDescription({ className, children, ...props }: React.ComponentProps<'p'>) {
  const { labels } = useSpendLimitsPart();
  return (
    <p data-slot="spend-limits-description" className={cn(BILLING_CONTROLS_HINT_CLASS, 'text-sm', className)} {...props}>
      {children ?? labels.description}
    </p>
  );
}

/** Placeholders while the controls load, with the loading label as a status. */
export function SpendLimitsSkeleton({ className, ...props }: Omit<React.ComponentProps<'div'>, 'children'>) {
  const { state, labels } = useSpendLimitsPart();
  if (state !== 'loading') return null;
  return (
    <div data-slot="spend-limits-skeleton" role="status" className={cn('grid gap-2', className)} {...props}>
      <span className="sr-only">{labels.loading}</span>
      <span aria-hidden="true" className="h-8 w-48 animate-pulse rounded-md bg-credits-foreground/10" />
      <span aria-hidden="true" className="h-12 w-full animate-pulse rounded-md bg-credits-foreground/10" />
      <span aria-hidden="true" className="h-12 w-full animate-pulse rounded-md bg-credits-foreground/10" />
    </div>
  );
}

/** The load's failure as an alert, with Retry when the root has `onRetry`. */
export function SpendLimitsError({ className, children, ...props }: React.ComponentProps<'div'>) {
  const { state, labels, onRetry } = useSpendLimitsPart();
  if (state !== 'error') return null;
  return (
    <div data-slot="spend-limits-error" role="alert" className={cn('flex items-center justify-between gap-2 text-credits-destructive', className)} {...props}>
      {children ?? (
        <>
          <span>{labels.error}</span>
          {onRetry ? (
            <button type="button" data-slot="spend-limits-retry" className={buttonVariants()} onClick={onRetry}>
              {labels.retry}
            </button>
          ) : null}
        </>
      )}
    </div>
  );
}

/**
 * The org's overage limit: a switch (named "Overage limit"), the amount and its unit (credits, money, % of the
 * allowance) in a fieldset disabled while it is off, what the amount is in credits and the overage used so far.
 */
export function SpendLimitsOverage({ className, ...props }: Omit<React.ComponentProps<'section'>, 'children'>) {
  const { state, spendLimit, updateSpendLimit, touch, issue, allowance, overage, creditsPerUsd, formatters, labels, id } = useSpendLimitsPart();
  if (!ready(state)) return null;
  const key = spendLimitKey(spendLimit.limit.type);
  const fieldName = `spendLimit.limit.${key}`;
  const field = `${id}-overage`;
  const text = issue(fieldName);
  const amount = Number(spendLimitAmount(spendLimit.limit));
  const inCredits =
    spendLimit.limit.type === 'money'
      ? tryUsdToCredits(spendLimitAmount(spendLimit.limit), { creditsPerUsd })
      : spendLimit.limit.type === 'percent' && allowance !== null && Number.isFinite(amount) && amount >= 0
        ? (amount * allowance) / 100
        : null;
  return (
    <section data-slot="spend-limits-overage" aria-labelledby={`${field}-title`} className={cn('grid gap-2', className)} {...props}>
      <div className="flex items-center justify-between gap-3">
        <p id={`${field}-title`} className={BILLING_CONTROLS_LABEL_CLASS}>
          {labels.overageTitle}
        </p>
        <SettingsSwitch
          data-slot="spend-limits-overage-switch"
          aria-labelledby={`${field}-title`}
          aria-describedby={`${field}-description`}
          checked={spendLimit.enabled}
          onCheckedChange={(enabled) => updateSpendLimit({ enabled })}
        />
      </div>
      <p id={`${field}-description`} className={BILLING_CONTROLS_HINT_CLASS}>
        {labels.overageDescription}
      </p>
      <fieldset disabled={!spendLimit.enabled} className="grid gap-1">
        <span className="flex flex-wrap items-end gap-2">
          <span className="grid gap-1">
            <label htmlFor={field} className={BILLING_CONTROLS_HINT_CLASS}>
              {labels.amount}
            </label>
            <input
              id={field}
              name="overageLimit"
              inputMode="decimal"
              autoComplete="off"
              value={String(spendLimitAmount(spendLimit.limit))}
              aria-invalid={text ? true : undefined}
              aria-describedby={describedBy(text && `${field}-issue`, `${field}-hint`)}
              className={cn(BILLING_CONTROLS_FIELD_CLASS, 'w-32')}
              onChange={(event) => updateSpendLimit({ limit: withSpendLimitUnit({ type: 'credits', credits: event.target.value }, spendLimit.limit.type) })}
              onBlur={() => touch(fieldName)}
            />
          </span>
          <span className="grid gap-1">
            <label htmlFor={`${field}-unit`} className={BILLING_CONTROLS_HINT_CLASS}>
              {labels.unit}
            </label>
            <select
              id={`${field}-unit`}
              name="overageLimitUnit"
              value={spendLimit.limit.type}
              className={BILLING_CONTROLS_FIELD_CLASS}
              onChange={(event) => updateSpendLimit({ limit: withSpendLimitUnit(spendLimit.limit, event.target.value as SpendLimitUnit) })}
            >
              {SPEND_LIMIT_UNITS.map((unit) => (
                <option key={unit} value={unit}>
                  {labels.units(unit, formatters.currency)}
                </option>
              ))}
            </select>
          </span>
        </span>
        <p id={`${field}-hint`} data-slot="spend-limits-overage-hint" className={BILLING_CONTROLS_HINT_CLASS}>
          {[inCredits === null ? null : labels.inCredits(formatters.credits(inCredits)), overage === null ? null : labels.overageUsed(formatters.credits(overage))]
            .filter(Boolean)
            .join(' ')}
        </p>
        <FieldIssue id={`${field}-issue`}>{text}</FieldIssue>
      </fieldset>
    </section>
  );
}

/**
 * The members' caps: a list named "Member caps", one row per cap (its children are the layout of ONE row, rendered
 * for each, default `<SpendLimitsMember />`), or "No member has a cap."
 */
export function SpendLimitsMembers({ className, children, ...props }: React.ComponentProps<'section'>) {
  const { state, value, nameOf, labels, id } = useSpendLimitsPart();
  if (!ready(state)) return null;
  return (
    <section data-slot="spend-limits-members" aria-labelledby={`${id}-members`} className={cn('grid gap-2', className)} {...props}>
      <div className="grid gap-1">
        <p id={`${id}-members`} className={BILLING_CONTROLS_LABEL_CLASS}>
          {labels.membersTitle}
        </p>
        <p className={BILLING_CONTROLS_HINT_CLASS}>{labels.membersDescription}</p>
      </div>
      {value.memberCaps.length === 0 ? (
        <p data-slot="spend-limits-empty" className={BILLING_CONTROLS_HINT_CLASS}>
          {labels.noMembers}
        </p>
      ) : (
        <ul aria-labelledby={`${id}-members`} className="grid gap-2">
          {value.memberCaps.map((cap, index) => {
            const credits = typeof cap.credits === 'number' ? cap.credits : cap.credits.trim() === '' ? Number.NaN : Number(cap.credits);
            const readable = Number.isFinite(credits) && credits >= 0 ? credits : null;
            const usage = typeof cap.used === 'number' && readable !== null ? memberCapUsage(cap.used, readable) : null;
            return (
              <SpendLimitsCapProvider key={`${cap.memberId}:${index}`} value={{ cap, index, name: nameOf(cap.memberId), credits: readable, usage }}>
                {children ?? <SpendLimitsMember />}
              </SpendLimitsCapProvider>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/**
 * One member's cap (`data-state`: `ok`, `near` from 80 %, `reached`): their name, the cap and its period (editable),
 * Remove, and their usage against the cap as a `role="meter"` (0..100, never NaN, with "300 of 500 credits used
 * today" as its value text).
 */
export function SpendLimitsMember({ className, ...props }: Omit<React.ComponentProps<'li'>, 'children'>) {
  const { cap, index, name, credits, usage } = useSpendLimitsCapPart();
  const { updateCap, removeCap, touch, issue, formatters, labels, id } = useSpendLimitsPart();
  const field = `${id}-cap-${index}`;
  const creditsField = `memberCaps[${index}].credits`;
  const creditsText = issue(creditsField);
  const intervalText = issue(`memberCaps[${index}].interval`);
  const memberText = issue(`memberCaps[${index}].memberId`);
  const used = usage && credits !== null ? labels.used(formatters.credits(cap.used ?? 0), formatters.credits(credits), cap.interval) : null;
  return (
    <li
      data-slot="spend-limits-member"
      data-state={usage?.reached ? 'reached' : usage && usage.percent >= NEAR_CAP_PERCENT ? 'near' : 'ok'}
      className={cn('group/cap grid gap-1.5 rounded-md border border-credits-border p-2.5 data-[state=reached]:border-credits-destructive/60', className)}
      {...props}
    >
      <div className="flex flex-wrap items-center gap-2">
        <span id={`${field}-name`} className="min-w-0 flex-1 truncate font-medium" title={name}>
          {name}
        </span>
        {usage?.reached ? (
          <span data-slot="spend-limits-reached" className="text-xs font-medium text-credits-destructive">
            {labels.reached}
          </span>
        ) : null}
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <input
          id={field}
          name={`cap-${index}`}
          inputMode="decimal"
          autoComplete="off"
          aria-label={labels.cap(name)}
          value={String(cap.credits)}
          aria-invalid={creditsText ? true : undefined}
          aria-describedby={describedBy(creditsText && `${field}-issue`)}
          className={cn(BILLING_CONTROLS_FIELD_CLASS, 'w-28')}
          onChange={(event) => updateCap(index, { credits: event.target.value })}
          onBlur={() => touch(creditsField)}
        />
        <select
          aria-label={labels.capInterval(name)}
          name={`cap-${index}-interval`}
          value={cap.interval}
          aria-invalid={intervalText ? true : undefined}
          aria-describedby={describedBy(!creditsText && intervalText && `${field}-issue`)}
          className={BILLING_CONTROLS_FIELD_CLASS}
          onChange={(event) => updateCap(index, { interval: event.target.value as UsageCapInterval })}
        >
          {USAGE_CAP_INTERVALS.map((interval) => (
            <option key={interval} value={interval}>
              {labels.intervals[interval]}
            </option>
          ))}
        </select>
        <button
          type="button"
          data-slot="spend-limits-remove"
          aria-label={labels.remove(name)}
          className={cn(buttonVariants({ variant: 'ghost' }), 'ms-auto')}
          onClick={() => removeCap(index)}
        >
          {labels.removeText}
        </button>
      </div>
      {usage && used ? (
        <>
          <div
            role="meter"
            data-slot="spend-limits-meter"
            aria-labelledby={`${field}-name`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(usage.percent * 10) / 10}
            aria-valuetext={used}
            className="h-1.5 w-full overflow-hidden rounded-full bg-credits-foreground/10 ring-1 ring-credits-muted-foreground/75 ring-inset"
          >
            <div
              className="h-full rounded-full bg-credits-primary group-data-[state=near]/cap:bg-credits-warning group-data-[state=reached]/cap:bg-credits-destructive"
              style={{ width: `${usage.percent}%` }}
            />
          </div>
          <p aria-hidden="true" className={cn(BILLING_CONTROLS_HINT_CLASS, 'tabular-nums')}>
            {used}
          </p>
        </>
      ) : null}
      <FieldIssue id={`${field}-issue`}>{creditsText ?? intervalText ?? memberText}</FieldIssue>
    </li>
  );
}

/** From this share of the cap a member's row is `near` (amber). */
const NEAR_CAP_PERCENT = 80;

/**
 * "Add a cap": the member (a choice of `members` without a cap, else their id), the credits and the period, and Add.
 * A new cap is checked against the list before it is added (a member twice, an id over 128 characters, a negative
 * amount); it is saved with the rest.
 */
export function SpendLimitsAddCap({ className, ...props }: Omit<React.ComponentProps<'fieldset'>, 'children'>) {
  const { state, value, members, newCap, setNewCap, addCap, newCapIssue, labels, id } = useSpendLimitsPart();
  if (!ready(state)) return null;
  const field = `${id}-new`;
  const memberText = newCapIssue('memberId');
  const creditsText = newCapIssue('credits');
  const capped = new Set(value.memberCaps.map((cap) => cap.memberId));
  const choices = members?.filter((member) => !capped.has(member.id));
  // Enter in a field adds the cap (it would otherwise submit the form).
  const onKeyDown = (event: React.KeyboardEvent) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      addCap();
    }
  };
  return (
    <fieldset data-slot="spend-limits-add" className={cn('grid gap-2', className)} {...props}>
      <legend className={cn(BILLING_CONTROLS_LABEL_CLASS, 'mb-1')}>{labels.addTitle}</legend>
      <div className="flex flex-wrap items-start gap-2">
        <span className="grid gap-1">
          <label htmlFor={`${field}-member`} className={BILLING_CONTROLS_HINT_CLASS}>
            {labels.member}
          </label>
          {choices ? (
            <select
              id={`${field}-member`}
              value={newCap.memberId}
              aria-invalid={memberText ? true : undefined}
              aria-describedby={describedBy(memberText && `${field}-member-issue`)}
              className={cn(BILLING_CONTROLS_FIELD_CLASS, 'w-44')}
              onChange={(event) => setNewCap({ memberId: event.target.value })}
            >
              <option value="">{labels.chooseMember}</option>
              {choices.map((member) => (
                <option key={member.id} value={member.id}>
                  {member.name ?? member.id}
                </option>
              ))}
            </select>
          ) : (
            <input
              id={`${field}-member`}
              autoComplete="off"
              value={newCap.memberId}
              aria-invalid={memberText ? true : undefined}
              aria-describedby={describedBy(memberText && `${field}-member-issue`)}
              className={cn(BILLING_CONTROLS_FIELD_CLASS, 'w-44')}
              onChange={(event) => setNewCap({ memberId: event.target.value })}
              onKeyDown={onKeyDown}
            />
          )}
          <FieldIssue id={`${field}-member-issue`}>{memberText}</FieldIssue>
        </span>
        <span className="grid gap-1">
          <label htmlFor={`${field}-credits`} className={BILLING_CONTROLS_HINT_CLASS}>
            {labels.credits}
          </label>
          <input
            id={`${field}-credits`}
            inputMode="decimal"
            autoComplete="off"
            value={newCap.credits}
            aria-invalid={creditsText ? true : undefined}
            aria-describedby={describedBy(creditsText && `${field}-credits-issue`)}
            className={cn(BILLING_CONTROLS_FIELD_CLASS, 'w-28')}
            onChange={(event) => setNewCap({ credits: event.target.value })}
            onKeyDown={onKeyDown}
          />
          <FieldIssue id={`${field}-credits-issue`}>{creditsText}</FieldIssue>
        </span>
        <span className="grid gap-1">
          <label htmlFor={`${field}-interval`} className={BILLING_CONTROLS_HINT_CLASS}>
            {labels.interval}
          </label>
          <select id={`${field}-interval`} value={newCap.interval} className={BILLING_CONTROLS_FIELD_CLASS} onChange={(event) => setNewCap({ interval: event.target.value as UsageCapInterval })}>
            {USAGE_CAP_INTERVALS.map((interval) => (
              <option key={interval} value={interval}>
                {labels.intervals[interval]}
              </option>
            ))}
          </select>
        </span>
        <button type="button" data-slot="spend-limits-add-button" className={cn(buttonVariants({ size: 'default' }), 'mt-5')} onClick={addCap}>
          {labels.add}
        </button>
      </div>
    </fieldset>
  );
}

/** The row under the fields: by default the save's status, its failure and Save. */
export function SpendLimitsFooter({ className, children, ...props }: React.ComponentProps<'div'>) {
  const { state } = useSpendLimitsPart();
  if (!ready(state)) return null;
  return (
    <div data-slot="spend-limits-footer" className={cn('flex flex-wrap items-center justify-end gap-3', className)} {...props}>
      {children ?? (
        <>
          <SpendLimitsSaveError />
          <SpendLimitsStatus />
          <SpendLimitsSave />
        </>
      )}
    </div>
  );
}

/** A polite live region: "Saving…", "Saved.", or after a save was tried with fields to fix, how many. */
export function SpendLimitsStatus({ className, ...props }: Omit<React.ComponentProps<'p'>, 'children'>) {
  const { state, shown, attempted, labels } = useSpendLimitsPart();
  const text = state === 'pending' ? labels.saving : state === 'saved' ? labels.saved : state === 'invalid' && attempted ? labels.invalid(shown) : '';
  return (
    <p data-slot="spend-limits-status" role="status" className={cn('me-auto', BILLING_CONTROLS_HINT_CLASS, className)} {...props}>
      {text}
    </p>
  );
}

/** The failed save as an alert; nothing otherwise. */
export function SpendLimitsSaveError({ className, children, ...props }: React.ComponentProps<'p'>) {
  const { state, labels } = useSpendLimitsPart();
  if (state !== 'failed') return null;
  return (
    <p data-slot="spend-limits-save-error" role="alert" className={cn('me-auto text-sm text-credits-destructive', className)} {...props}>
      {children ?? labels.failed}
    </p>
  );
}

/** Save (a submit button). Busy while a save runs. */
export function SpendLimitsSave({ className, children, ...props }: React.ComponentProps<'button'>) {
  const { state, labels } = useSpendLimitsPart();
  const pending = state === 'pending';
  return (
    <button
      type="submit"
      data-slot="spend-limits-save"
      aria-disabled={pending || undefined}
      className={cn(buttonVariants({ variant: 'primary', size: 'default' }), 'aria-disabled:opacity-60', className)}
      {...props}
    >
      {children ?? (pending ? labels.saving : labels.save)}
    </button>
  );
}

export type SpendLimitsProps = Omit<SpendLimitsViewProps, 'loading' | 'error' | 'onRetry' | 'onSave'> & {
  /** Fetches the org's controls: your route answering with `billingControls.get({ customerId })`. */
  load?: (() => Promise<BillingControlsData> | BillingControlsData) | undefined;
  loadKey?: unknown;
  /** Saves `{ spendLimit, memberCaps }`: your route calling `billingControls.set(...)`; answer its result. */
  save?: ((controls: BillingControlsInput) => unknown) | undefined;
};

const pickSpendLimits = (data: BillingControlsData): SpendLimitsValue => ({ spendLimit: data.controls.spendLimit ?? null, memberCaps: data.controls.memberCaps ?? [] });

/** The spend limits of your org: loads with `load()`, saves with `save(controls)`, with each member's usage as loaded. */
export function SpendLimits({ load, loadKey, save, value, defaultValue, onValueChange, allowance, overage, ...props }: SpendLimitsProps) {
  const connected = useConnectedControls<SpendLimitsValue>({ load, loadKey, save, value, defaultValue, onValueChange, pick: pickSpendLimits, empty: EMPTY_SPEND_LIMITS });
  return (
    <SpendLimitsView
      {...props}
      value={connected.draft}
      onValueChange={connected.setDraft}
      allowance={allowance ?? connected.snapshot?.allowance}
      overage={overage ?? connected.snapshot?.overage}
      loading={connected.loaded.status === 'loading' && connected.snapshot === null}
      error={connected.loaded.status === 'error' ? connected.loaded.error : undefined}
      onRetry={connected.loaded.retry}
      onSave={connected.onSave}
    />
  );
}
