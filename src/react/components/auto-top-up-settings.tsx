'use client';
/**
 * `AutoTopUpSettings`: an org's auto top-up — on or off, the balance it fires at, the pack it buys (one of the
 * config's `topUps`) and how many purchases it may make per hour, day, week or month. Autumn runs it
 * (`billing_controls.auto_topups`): when a usage brings the balance to or below the threshold it charges the card on
 * file for the pack (server/src/internal/balances/autoTopUp/, fullCustomerToAutoTopupObjects.ts: `remainingBalance <=
 * threshold`; the purchase limit: preflightAutoTopupLimits.ts).
 *
 * Every field is checked by the core's `checkBillingControls` (the server helper's own checks) as it is left and
 * when a save is tried, and refused next to itself before anything is sent: a threshold above the plan's grant, a
 * negative or non-numeric amount, a purchase limit of 0, a pack that is not one of the config's. Saving shows
 * pending (`role="status"`), saved, or failed (`role="alert"`, and the fields the server refused).
 *
 * `AutoTopUpSettingsView` renders from props (`value`/`defaultValue`/`onValueChange`, `onSave`, `grant`);
 * `AutoTopUpSettings` takes `load()` and `save(controls)` pointed at your own route, which calls
 * `createBillingControls().get/set` with the org from your server-side auth. Both are composed from exported parts.
 */
import * as React from 'react';
import type { VariantProps } from 'class-variance-authority';
import {
  AUTO_TOP_UP_LIMIT_INTERVALS,
  type AutoTopUpLimitInterval,
  type AutoTopUpSettings as AutoTopUpSettingsModel,
  type BillingControlsInput,
} from '../../core/billing-controls.js';
import type { CreditsConfig, CreditTopUpPackage } from '../../core/config.js';
import type { CreditFormatters } from '../../core/format.js';
import { buttonVariants } from '../lib/button.js';
import { cn } from '../lib/cn.js';
import { createPartsContext } from '../lib/parts.js';
import { withLabels } from '../lib/labels.js';
import { useCreditsFormat } from '../lib/credits-format.js';
import {
  DEFAULT_AUTO_TOP_UP_PURCHASE_LIMIT,
  DEFAULT_AUTO_TOP_UP_SETTINGS_LABELS,
  autoTopUpSettingsVariants,
  checkAutoTopUpValue,
  defaultAutoTopUpValue,
  type AutoTopUpSettingsLabels,
  type AutoTopUpSettingsValue,
} from '../shared/auto-top-up-settings.js';
import {
  BILLING_CONTROLS_FIELD_CLASS,
  BILLING_CONTROLS_HINT_CLASS,
  BILLING_CONTROLS_LABEL_CLASS,
  billingControlsFormState,
  describedBy,
  type BillingControlsData,
  type BillingControlsFormState,
  type BillingControlsSaveStatus,
} from '../shared/billing-controls-form.js';
import { FieldIssue, SettingsSwitch, useBillingControlsForm, useConnectedControls } from './billing-controls-form.js';

export type AutoTopUpSettingsViewProps = Omit<React.ComponentProps<'form'>, 'children' | 'defaultValue' | 'onSubmit'> &
  VariantProps<typeof autoTopUpSettingsVariants> & {
    /** The auto top-up being edited (controlled); `null`: the org has none. */
    value?: AutoTopUpSettingsValue | null | undefined;
    /** The starting value when uncontrolled; default none (`null`). */
    defaultValue?: AutoTopUpSettingsValue | null | undefined;
    /** Every edit, and the loaded or saved value in the connected form. */
    onValueChange?: ((value: AutoTopUpSettingsValue | null) => void) | undefined;
    /** Saves `{ autoTopUp }` (normalized, already valid): your route's `billingControls.set`. A rejection shows as failed. */
    onSave?: ((controls: BillingControlsInput) => unknown) | undefined;
    /** The credits the org's plan grants: a threshold above it is refused. Unknown: not checked. */
    grant?: number | null | undefined;
    /** The save's status from outside (e.g. a story); default the form's own. */
    saveStatus?: BillingControlsSaveStatus | undefined;
    /** The failed save's error, with `saveStatus="failed"`. */
    saveError?: unknown;
    /** The controls are loading (skeleton). */
    loading?: boolean | undefined;
    /** Loading them failed (an alert, with Retry when `onRetry`). */
    error?: unknown;
    onRetry?: (() => void) | undefined;
    /** Packs (`topUps`) and the low-balance mark; default the provider's config. */
    config?: CreditsConfig | undefined;
    locale?: string | undefined;
    currency?: string | undefined;
    labels?: Partial<AutoTopUpSettingsLabels> | undefined;
    /** Your arrangement of the parts, replacing the default layout. */
    children?: React.ReactNode;
  };

/** What `AutoTopUpSettingsView` resolved, for its parts (`useAutoTopUpSettings`). */
export interface AutoTopUpSettingsContextValue {
  readonly state: BillingControlsFormState;
  /** The draft shown (an org without an auto top-up edits the defaults, switched off). */
  readonly value: AutoTopUpSettingsValue;
  /** Changes some of the draft's fields. */
  readonly update: (patch: Partial<AutoTopUpSettingsValue>) => void;
  /** Marks a field (`autoTopUp.threshold`) as visited: its issue shows from now on. */
  readonly touch: (field: string) => void;
  /** The text of the issue shown next to a field (`autoTopUp.threshold`), or null. */
  readonly issue: (field: string) => string | null;
  /** How many issues are shown. */
  readonly shown: number;
  /** A save was tried with issues left. */
  readonly attempted: boolean;
  readonly packs: readonly CreditTopUpPackage[];
  readonly grant: number | null;
  readonly saveError: unknown;
  readonly save: () => void;
  readonly onRetry: (() => void) | undefined;
  readonly formatters: CreditFormatters;
  readonly labels: AutoTopUpSettingsLabels;
  /** The prefix of the fields' ids; `${id}-title` names the form and the switch. */
  readonly id: string;
}

const [AutoTopUpSettingsProvider, useAutoTopUpSettingsPart] = createPartsContext<AutoTopUpSettingsContextValue>('AutoTopUpSettings');

/** What the nearest `AutoTopUpSettings` (or its view) resolved, for a part of your own. Throws outside one. */
export const useAutoTopUpSettings: () => AutoTopUpSettingsContextValue = useAutoTopUpSettingsPart;

/** True once the controls are there (not loading, not failed to load): the fields render only then. */
const ready = (state: BillingControlsFormState): boolean => state !== 'loading' && state !== 'error';

/**
 * The auto top-up form from props. Its `children` replace the default layout with your arrangement of the parts
 * (`AutoTopUpSettingsHeader`, `AutoTopUpSettingsTitle`, `AutoTopUpSettingsSwitch`, `AutoTopUpSettingsDescription`,
 * `AutoTopUpSettingsSkeleton`, `AutoTopUpSettingsError`, `AutoTopUpSettingsFields`, `AutoTopUpSettingsThreshold`,
 * `AutoTopUpSettingsPack`, `AutoTopUpSettingsPurchaseLimit`, `AutoTopUpSettingsFooter`, `AutoTopUpSettingsStatus`,
 * `AutoTopUpSettingsSaveError`, `AutoTopUpSettingsSave`); each renders only in the states it belongs to.
 */
export function AutoTopUpSettingsView({
  value: valueProp,
  defaultValue,
  onValueChange,
  onSave,
  grant: grantProp,
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
}: AutoTopUpSettingsViewProps) {
  const { config, formatters } = useCreditsFormat({ config: configProp, locale, currency });
  const labels = withLabels(DEFAULT_AUTO_TOP_UP_SETTINGS_LABELS, labelOverrides);
  const grant = typeof grantProp === 'number' && Number.isFinite(grantProp) && grantProp >= 0 ? grantProp : null;
  const context = { config, grant };
  const form = useBillingControlsForm<AutoTopUpSettingsValue | null>({
    value: valueProp,
    defaultValue: defaultValue ?? null,
    onValueChange,
    check: (draft) => checkAutoTopUpValue(draft, context),
    onSave,
    saveStatus,
    saveError,
  });
  const value = form.value ?? defaultAutoTopUpValue(config, grant);
  const state = billingControlsFormState({ loading, error, invalid: form.shown > 0, status: form.status });
  const id = React.useId();
  const grantText = grant === null ? null : formatters.credits(grant);
  const part: AutoTopUpSettingsContextValue = {
    state,
    value,
    update: (patch) => form.setValue({ ...value, ...patch }),
    touch: form.touch,
    issue: (field) => {
      const issue = form.issueOf(field);
      return issue ? labels.issue(issue, { grant: grantText, used: null }) : null;
    },
    shown: form.shown,
    attempted: form.attempted,
    packs: config.topUps,
    grant,
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
      data-slot="auto-top-up-settings"
      data-state={state}
      data-size={size ?? 'default'}
      aria-labelledby={`${id}-title`}
      aria-busy={state === 'loading' || state === 'pending' || undefined}
      className={cn(autoTopUpSettingsVariants({ size }), className)}
      onSubmit={(event) => {
        event.preventDefault();
        form.submit();
      }}
      {...props}
    >
      <AutoTopUpSettingsProvider value={part}>
        {children ?? (
          <>
            <AutoTopUpSettingsHeader>
              <AutoTopUpSettingsTitle />
              <AutoTopUpSettingsSwitch />
            </AutoTopUpSettingsHeader>
            <AutoTopUpSettingsDescription />
            <AutoTopUpSettingsSkeleton />
            <AutoTopUpSettingsError />
            <AutoTopUpSettingsFields />
            <AutoTopUpSettingsFooter />
          </>
        )}
      </AutoTopUpSettingsProvider>
    </form>
  );
}

/** The row of the title and the switch. */
export function AutoTopUpSettingsHeader({ className, ...props }: React.ComponentProps<'div'>) {
  return <div data-slot="auto-top-up-settings-header" className={cn('flex items-center justify-between gap-3', className)} {...props} />;
}

/** "Auto top-up": names the form and its switch. */
export function AutoTopUpSettingsTitle({ className, children, ...props }: React.ComponentProps<'p'>) {
  const { id, labels } = useAutoTopUpSettingsPart();
  return (
    <p id={`${id}-title`} data-slot="auto-top-up-settings-title" className={cn('font-medium', className)} {...props}>
      {children ?? labels.title}
    </p>
  );
}

/** What the auto top-up does; describes the switch. */
export function AutoTopUpSettingsDescription({ className, children, ...props }: React.ComponentProps<'p'>) {
  const { id, labels } = useAutoTopUpSettingsPart();
  return (
    <p id={`${id}-description`} data-slot="auto-top-up-settings-description" className={cn(BILLING_CONTROLS_HINT_CLASS, 'text-sm', className)} {...props}>
      {children ?? labels.description}
    </p>
  );
}

/** The on/off switch (`role="switch"`, named by the title), once the controls are there. */
export function AutoTopUpSettingsSwitch({ className, ...props }: Omit<React.ComponentProps<'button'>, 'children'>) {
  const { state, value, update, id } = useAutoTopUpSettingsPart();
  if (!ready(state)) return null;
  return (
    <SettingsSwitch
      data-slot="auto-top-up-settings-switch"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-description`}
      checked={value.enabled}
      onCheckedChange={(enabled) => update({ enabled })}
      className={className}
      {...props}
    />
  );
}

/** Placeholders while the controls load, with the loading label as a status. */
export function AutoTopUpSettingsSkeleton({ className, ...props }: Omit<React.ComponentProps<'div'>, 'children'>) {
  const { state, labels } = useAutoTopUpSettingsPart();
  if (state !== 'loading') return null;
  return (
    <div data-slot="auto-top-up-settings-skeleton" role="status" className={cn('grid gap-2', className)} {...props}>
      <span className="sr-only">{labels.loading}</span>
      <span aria-hidden="true" className="h-8 w-40 animate-pulse rounded-md bg-credits-foreground/10" />
      <span aria-hidden="true" className="h-8 w-64 animate-pulse rounded-md bg-credits-foreground/10" />
    </div>
  );
}

/** The load's failure as an alert, with Retry when the root has `onRetry`. */
export function AutoTopUpSettingsError({ className, children, ...props }: React.ComponentProps<'div'>) {
  const { state, labels, onRetry } = useAutoTopUpSettingsPart();
  if (state !== 'error') return null;
  return (
    <div data-slot="auto-top-up-settings-error" role="alert" className={cn('flex items-center justify-between gap-2 text-credits-destructive', className)} {...props}>
      {children ?? (
        <>
          <span>{labels.error}</span>
          {onRetry ? (
            <button type="button" data-slot="auto-top-up-settings-retry" className={buttonVariants()} onClick={onRetry}>
              {labels.retry}
            </button>
          ) : null}
        </>
      )}
    </div>
  );
}

/**
 * The fields, in a `<fieldset>` disabled while the auto top-up is off (they keep what will apply when it is turned
 * on). Default: threshold, pack, purchase limit.
 */
export function AutoTopUpSettingsFields({ className, children, ...props }: React.ComponentProps<'fieldset'>) {
  const { state, value } = useAutoTopUpSettingsPart();
  if (!ready(state)) return null;
  return (
    <fieldset
      data-slot="auto-top-up-settings-fields"
      disabled={!value.enabled}
      className={cn('grid gap-3', className)}
      {...props}
    >
      {children ?? (
        <>
          <AutoTopUpSettingsThreshold />
          <AutoTopUpSettingsPack />
          <AutoTopUpSettingsPurchaseLimit />
        </>
      )}
    </fieldset>
  );
}

const THRESHOLD = 'autoTopUp.threshold';
const PACK = 'autoTopUp.packId';
const LIMIT = 'autoTopUp.purchaseLimit.limit';
const INTERVAL = 'autoTopUp.purchaseLimit.interval';

/** The balance the auto top-up fires at, in credits, with the plan's grant as a hint and its issue. */
export function AutoTopUpSettingsThreshold({ className, ...props }: Omit<React.ComponentProps<'div'>, 'children'>) {
  const { value, update, touch, issue, grant, formatters, labels, id } = useAutoTopUpSettingsPart();
  const field = `${id}-threshold`;
  const text = issue(THRESHOLD);
  return (
    <div data-slot="auto-top-up-settings-threshold" className={cn('grid gap-1', className)} {...props}>
      <label htmlFor={field} className={BILLING_CONTROLS_LABEL_CLASS}>
        {labels.threshold}
      </label>
      <span className="flex items-center gap-2">
        <input
          id={field}
          name="threshold"
          inputMode="decimal"
          autoComplete="off"
          value={String(value.threshold)}
          aria-invalid={text ? true : undefined}
          aria-describedby={describedBy(text && `${field}-issue`, `${field}-hint`)}
          className={cn(BILLING_CONTROLS_FIELD_CLASS, 'w-32')}
          onChange={(event) => update({ threshold: event.target.value })}
          onBlur={() => touch(THRESHOLD)}
        />
        <span aria-hidden="true" className={BILLING_CONTROLS_HINT_CLASS}>
          {labels.unit}
        </span>
      </span>
      <p id={`${field}-hint`} className={BILLING_CONTROLS_HINT_CLASS}>
        {labels.thresholdHint(grant === null ? null : formatters.credits(grant))}
      </p>
      <FieldIssue id={`${field}-issue`}>{text}</FieldIssue>
    </div>
  );
}

/** Packs per purchase, never below one. */
const packCredits = (pack: CreditTopUpPackage): number => pack.credits * Math.max(1, pack.quantity ?? 1);

/** The pack each top-up buys: one of the config's `topUps`, with its credits and price. */
export function AutoTopUpSettingsPack({ className, ...props }: Omit<React.ComponentProps<'div'>, 'children'>) {
  const { value, update, touch, issue, packs, formatters, labels, id } = useAutoTopUpSettingsPart();
  const field = `${id}-pack`;
  const text = issue(PACK);
  const known = packs.some((pack) => pack.id === value.packId);
  return (
    <div data-slot="auto-top-up-settings-pack" className={cn('grid gap-1', className)} {...props}>
      <label htmlFor={field} className={BILLING_CONTROLS_LABEL_CLASS}>
        {labels.pack}
      </label>
      <select
        id={field}
        name="pack"
        value={known ? value.packId : ''}
        aria-invalid={text ? true : undefined}
        aria-describedby={describedBy(text && `${field}-issue`)}
        className={cn(BILLING_CONTROLS_FIELD_CLASS, 'w-full max-w-sm')}
        onChange={(event) => {
          update({ packId: event.target.value });
          touch(PACK);
        }}
        onBlur={() => touch(PACK)}
      >
        {known ? null : (
          <option value="" disabled>
            {labels.choosePack}
          </option>
        )}
        {packs.map((pack) => (
          <option key={pack.id} value={pack.id}>
            {labels.packOption(pack.label, formatters.credits(packCredits(pack)), formatters.money(pack.price * Math.max(1, pack.quantity ?? 1)))}
          </option>
        ))}
      </select>
      <FieldIssue id={`${field}-issue`}>{text}</FieldIssue>
    </div>
  );
}

/** The purchase limit: a checkbox, then "Purchases at most [3]" "Period [per month]" and the current window's count. */
export function AutoTopUpSettingsPurchaseLimit({ className, ...props }: Omit<React.ComponentProps<'div'>, 'children'>) {
  const { value, update, touch, issue, formatters, labels, id } = useAutoTopUpSettingsPart();
  const limit = value.purchaseLimit;
  // The limit last typed, restored when the checkbox is ticked again.
  const last = React.useRef(limit);
  if (limit) last.current = limit;
  const field = `${id}-limit`;
  const limitText = issue(LIMIT);
  const intervalText = issue(INTERVAL);
  const count = Number(limit?.intervalCount ?? 1);
  return (
    <div data-slot="auto-top-up-settings-purchase-limit" className={cn('grid gap-2', className)} {...props}>
      <label className={cn(BILLING_CONTROLS_LABEL_CLASS, 'flex items-center gap-2')}>
        <input
          type="checkbox"
          name="purchaseLimitEnabled"
          checked={limit !== null}
          className="size-4 accent-credits-primary"
          onChange={(event) => update({ purchaseLimit: event.target.checked ? (last.current ?? DEFAULT_AUTO_TOP_UP_PURCHASE_LIMIT) : null })}
        />
        {labels.purchaseLimit}
      </label>
      {limit ? (
        <div className="flex flex-wrap items-start gap-3">
          <div className="grid gap-1">
            <label htmlFor={field} className={BILLING_CONTROLS_HINT_CLASS}>
              {labels.limit}
            </label>
            <input
              id={field}
              name="purchaseLimit"
              inputMode="numeric"
              autoComplete="off"
              value={String(limit.limit)}
              aria-invalid={limitText ? true : undefined}
              aria-describedby={describedBy(limitText && `${field}-issue`)}
              className={cn(BILLING_CONTROLS_FIELD_CLASS, 'w-20')}
              onChange={(event) => update({ purchaseLimit: { ...limit, limit: event.target.value } })}
              onBlur={() => touch(LIMIT)}
            />
            <FieldIssue id={`${field}-issue`}>{limitText}</FieldIssue>
          </div>
          <div className="grid gap-1">
            <label htmlFor={`${field}-interval`} className={BILLING_CONTROLS_HINT_CLASS}>
              {labels.interval}
            </label>
            <select
              id={`${field}-interval`}
              name="purchaseLimitInterval"
              value={limit.interval}
              aria-invalid={intervalText ? true : undefined}
              aria-describedby={describedBy(intervalText && `${field}-interval-issue`)}
              className={BILLING_CONTROLS_FIELD_CLASS}
              onChange={(event) => update({ purchaseLimit: { ...limit, interval: event.target.value as AutoTopUpLimitInterval } })}
            >
              {AUTO_TOP_UP_LIMIT_INTERVALS.map((interval) => (
                <option key={interval} value={interval}>
                  {labels.per(interval, Number.isInteger(count) && count > 1 ? count : 1)}
                </option>
              ))}
            </select>
            <FieldIssue id={`${field}-interval-issue`}>{intervalText}</FieldIssue>
          </div>
        </div>
      ) : null}
      {limit && typeof limit.used === 'number' ? (
        <p data-slot="auto-top-up-settings-limit-used" className={BILLING_CONTROLS_HINT_CLASS}>
          {labels.limitUsed(formatters.tokens(limit.used), String(limit.limit), typeof limit.resetsAt === 'number' ? formatters.date(limit.resetsAt) : null)}
        </p>
      ) : null}
    </div>
  );
}

/** The row under the fields: by default the save's status, its failure and Save. */
export function AutoTopUpSettingsFooter({ className, children, ...props }: React.ComponentProps<'div'>) {
  const { state } = useAutoTopUpSettingsPart();
  if (!ready(state)) return null;
  return (
    <div data-slot="auto-top-up-settings-footer" className={cn('flex flex-wrap items-center justify-end gap-3', className)} {...props}>
      {children ?? (
        <>
          <AutoTopUpSettingsSaveError />
          <AutoTopUpSettingsStatus />
          <AutoTopUpSettingsSave />
        </>
      )}
    </div>
  );
}

/**
 * A polite live region, always there once the form is: "Saving…", "Saved.", or after a save was tried with fields to
 * fix, how many.
 */
export function AutoTopUpSettingsStatus({ className, ...props }: Omit<React.ComponentProps<'p'>, 'children'>) {
  const { state, shown, attempted, labels } = useAutoTopUpSettingsPart();
  const text = state === 'pending' ? labels.saving : state === 'saved' ? labels.saved : state === 'invalid' && attempted ? labels.invalid(shown) : '';
  return (
    <p data-slot="auto-top-up-settings-status" role="status" className={cn('me-auto', BILLING_CONTROLS_HINT_CLASS, className)} {...props}>
      {text}
    </p>
  );
}

/** The failed save as an alert; nothing otherwise. */
export function AutoTopUpSettingsSaveError({ className, children, ...props }: React.ComponentProps<'p'>) {
  const { state, labels } = useAutoTopUpSettingsPart();
  if (state !== 'failed') return null;
  return (
    <p data-slot="auto-top-up-settings-save-error" role="alert" className={cn('me-auto text-sm text-credits-destructive', className)} {...props}>
      {children ?? labels.failed}
    </p>
  );
}

/** Save (a submit button; Enter in a field does the same). Busy while a save runs. */
export function AutoTopUpSettingsSave({ className, children, ...props }: React.ComponentProps<'button'>) {
  const { state, labels } = useAutoTopUpSettingsPart();
  const pending = state === 'pending';
  return (
    <button
      type="submit"
      data-slot="auto-top-up-settings-save"
      aria-disabled={pending || undefined}
      className={cn(buttonVariants({ variant: 'primary', size: 'default' }), 'aria-disabled:opacity-60', className)}
      {...props}
    >
      {children ?? (pending ? labels.saving : labels.save)}
    </button>
  );
}

export type AutoTopUpSettingsProps = Omit<AutoTopUpSettingsViewProps, 'loading' | 'error' | 'onRetry' | 'onSave'> & {
  /**
   * Fetches the org's controls: your route answering with `billingControls.get({ customerId })` (the org from your
   * server-side auth). Called on mount, on Retry and when `loadKey` changes.
   */
  load?: (() => Promise<BillingControlsData> | BillingControlsData) | undefined;
  loadKey?: unknown;
  /** Saves `{ autoTopUp }`: your route calling `billingControls.set(...)`; answer its result to show the saved values. */
  save?: ((controls: BillingControlsInput) => unknown) | undefined;
};

const pickAutoTopUp = (data: BillingControlsData): AutoTopUpSettingsValue | null => data.controls.autoTopUp ?? null;

/**
 * The type of the same name is the core's model of an auto top-up (`AutoTopUpSettings` in src/core/billing-controls.ts,
 * what `billingControls.get()` answers in `controls.autoTopUp`): one name for the component and the value it edits,
 * as the root entry exports both (`import { AutoTopUpSettings, type AutoTopUpSettings } from 'autumn-ai-credits'`).
 */
export type AutoTopUpSettings = AutoTopUpSettingsModel;

/**
 * The auto top-up form of your org: loads with `load()`, saves with `save(controls)`, checks the threshold against the
 * loaded `granted`, and refreshes the provider's balance after a save (when there is a provider).
 */
export function AutoTopUpSettings({ load, loadKey, save, value, defaultValue, onValueChange, grant, ...props }: AutoTopUpSettingsProps) {
  const connected = useConnectedControls<AutoTopUpSettingsValue | null>({ load, loadKey, save, value, defaultValue, onValueChange, pick: pickAutoTopUp, empty: null });
  return (
    <AutoTopUpSettingsView
      {...props}
      value={connected.draft}
      onValueChange={connected.setDraft}
      grant={grant ?? connected.snapshot?.granted}
      loading={connected.loaded.status === 'loading' && connected.snapshot === null}
      error={connected.loaded.status === 'error' ? connected.loaded.error : undefined}
      onRetry={connected.loaded.retry}
      onSave={connected.onSave}
    />
  );
}
