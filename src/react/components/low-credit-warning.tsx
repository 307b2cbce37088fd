'use client';
/**
 * `LowCreditWarning`: a banner when the balance is low (under the config's `lowBalanceThreshold`), used up, or in
 * overage — with the top-up action and a dismiss button. A dismissed warning comes back when the level gets worse
 * (low → empty) or after the balance recovered and ran low again. Renders nothing while loading, on error, or when
 * the balance is fine or unlimited.
 */
import * as React from 'react';
import { cva, type VariantProps } from 'class-variance-authority';
import type { CreditsConfig } from '../../core/config.js';
import type { CreditLevel, CreditState } from '../../core/customer.js';
import { useCredits } from '../credits-context.js';
import { buttonVariants } from '../lib/button.js';
import { cn } from '../lib/cn.js';
import { withLabels } from '../lib/labels.js';
import { useCreditsFormat } from '../lib/credits-format.js';
import { useControllableState } from '../lib/use-controllable-state.js';
import { CreditTopUpDialog } from './credit-top-up-dialog.js';
import { DEFAULT_LOW_CREDIT_WARNING_LABELS, lowCreditWarningLevel, lowCreditWarningVariants, type LowCreditWarningClassNames, type LowCreditWarningLabels } from '../shared/low-credit-warning.js';

/** How bad a level is: a dismissed warning comes back when this grows. */
const SEVERITY: Readonly<Record<CreditLevel, number>> = { ok: 0, unlimited: 0, low: 1, empty: 2, overage: 2 };

export type LowCreditWarningViewProps = Omit<React.ComponentProps<'div'>, 'children'> &
  VariantProps<typeof lowCreditWarningVariants> & {
    /** The balance; the warning shows for `low`, `empty` and `overage` when `status` is `ready`. */
    state: Pick<CreditState, 'status' | 'level' | 'remaining' | 'overage'>;
    onTopUp?: (() => void) | undefined;
    /** Default true: shows a dismiss button. */
    dismissible?: boolean | undefined;
    dismissed?: boolean | undefined;
    defaultDismissed?: boolean | undefined;
    onDismissedChange?: ((dismissed: boolean) => void) | undefined;
    config?: CreditsConfig | undefined;
    locale?: string | undefined;
    currency?: string | undefined;
    labels?: Partial<LowCreditWarningLabels> | undefined;
    classNames?: LowCreditWarningClassNames | undefined;
    /** Replaces the message. */
    children?: React.ReactNode;
  };

/** The warning from props. `role="status"` when low (polite), `role="alert"` when empty or in overage. */
export function LowCreditWarningView({
  state,
  onTopUp,
  dismissible = true,
  dismissed: dismissedProp,
  defaultDismissed,
  onDismissedChange,
  config,
  locale,
  currency,
  labels: labelOverrides,
  classNames,
  size,
  className,
  children,
  ...props
}: LowCreditWarningViewProps) {
  const { formatters } = useCreditsFormat({ config, locale, currency });
  const labels = withLabels(DEFAULT_LOW_CREDIT_WARNING_LABELS, labelOverrides);
  const level = lowCreditWarningLevel(state);
  const [dismissed, setDismissed] = useControllableState({
    prop: dismissedProp,
    defaultProp: defaultDismissed ?? false,
    onChange: onDismissedChange,
  });
  // The level the user dismissed; the warning returns above it.
  const [dismissedLevel, setDismissedLevel] = React.useState<CreditLevel | null>(dismissed && level ? level : null);
  const severity = level ? SEVERITY[level] : 0;
  const worse = dismissed && dismissedLevel !== null && severity > SEVERITY[dismissedLevel];
  const recovered = dismissed && state.status === 'ready' && severity === 0;

  React.useEffect(() => {
    if (worse || recovered) setDismissed(false);
    // Dismissed before the balance was known (e.g. `defaultDismissed`): the first level seen is the one dismissed.
    else if (dismissed && dismissedLevel === null && level !== null) setDismissedLevel(level);
  }, [worse, recovered, dismissed, dismissedLevel, level, setDismissed]);

  if (level === null || (dismissed && !worse)) return null;

  const message =
    level === 'low'
      ? labels.low(formatters.credits(state.remaining))
      : level === 'empty'
        ? labels.empty
        : labels.overage(formatters.credits(state.overage));

  return (
    <div
      data-slot="low-credit-warning"
      data-state={level}
      data-size={size ?? 'default'}
      role={level === 'low' ? 'status' : 'alert'}
      className={cn(lowCreditWarningVariants({ size }), className)}
      {...props}
    >
      <p data-slot="low-credit-warning-message" className={cn('min-w-0 flex-1', classNames?.message)}>
        {children ?? message}
      </p>
      <div data-slot="low-credit-warning-actions" className={cn('flex items-center gap-1', classNames?.actions)}>
        {onTopUp ? (
          <button
            type="button"
            data-slot="low-credit-warning-top-up"
            className={cn(buttonVariants({ variant: 'primary' }), classNames?.topUp)}
            onClick={onTopUp}
          >
            {labels.topUp}
          </button>
        ) : null}
        {dismissible ? (
          <button
            type="button"
            data-slot="low-credit-warning-dismiss"
            aria-label={labels.dismiss}
            className={cn(buttonVariants({ variant: 'ghost' }), classNames?.dismiss)}
            onClick={() => {
              setDismissedLevel(level);
              setDismissed(true);
            }}
          >
            <span aria-hidden="true">×</span>
          </button>
        ) : null}
      </div>
    </div>
  );
}

export type LowCreditWarningProps = Omit<LowCreditWarningViewProps, 'state'> & {
  /** Set false to hide the top-up action. Default: shown when the config has top-up packages. */
  topUp?: boolean | undefined;
};

/** The warning for the nearest `CreditsProvider`'s balance; "Top up" opens `CreditTopUpDialog` (or calls `onTopUp`). */
export function LowCreditWarning({ onTopUp, topUp = true, config, ...props }: LowCreditWarningProps) {
  const credits = useCredits();
  const [dialogOpen, setDialogOpen] = React.useState(false);
  const canTopUp = topUp && (onTopUp !== undefined || credits.packages.length > 0);
  return (
    <>
      <LowCreditWarningView
        {...props}
        state={credits.state}
        config={config ?? credits.config}
        onTopUp={canTopUp ? (onTopUp ?? (() => setDialogOpen(true))) : undefined}
      />
      {canTopUp && onTopUp === undefined ? <CreditTopUpDialog open={dialogOpen} onOpenChange={setDialogOpen} /> : null}
    </>
  );
}
