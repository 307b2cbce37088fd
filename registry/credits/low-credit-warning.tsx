'use client';
/**
 * `LowCreditWarning`: a banner when the balance is low (under the config's `lowBalanceThreshold`), used up, or in
 * overage — with the top-up action and a dismiss button. A dismissed warning comes back when the level gets worse
 * (low → empty) or after the balance recovered and ran low again. Renders nothing while loading, on error, or when
 * the balance is fine or unlimited.
 */
import * as React from 'react';
import type { VariantProps } from 'class-variance-authority';
import {
  buttonVariants,
  composeEventHandlers,
  createPartsContext,
  DEFAULT_LOW_CREDIT_WARNING_LABELS,
  lowCreditWarningLevel,
  lowCreditWarningVariants,
  resolveAutoTopUp,
  useControllableState,
  useCreditFormatters,
  useCredits,
  withLabels,
  type CreditAutoTopUp,
  type CreditFormatters,
  type CreditLevel,
  type CreditsConfig,
  type CreditState,
  type LowCreditWarningLabels,
  type LowCreditWarningLevel,
} from 'autumn-ai-credits';
import { cn } from '@/lib/utils';
import { TopUpDialogOnDemand } from './top-up-dialog-on-demand';

/** How bad a level is: a dismissed warning comes back when this grows. */
const SEVERITY: Readonly<Record<CreditLevel, number>> = { ok: 0, unlimited: 0, low: 1, empty: 2, overage: 2 };

export type LowCreditWarningViewProps = Omit<React.ComponentProps<'div'>, 'children'> &
  VariantProps<typeof lowCreditWarningVariants> & {
    /** The balance; the warning shows for `low`, `empty` and `overage` when `status` is `ready`. */
    state: Pick<CreditState, 'status' | 'level' | 'remaining' | 'overage'>;
    onTopUp?: (() => void) | undefined;
    /**
     * The org's auto top-up (`controls.autoTopUp`, or `{ enabled, threshold, credits }`): when on, the message adds
     * "Tops up 40,000 at 2,000 or less." (a pack's credits come from `config`: the connected warning passes the
     * provider's; a view without `config` needs `credits`).
     */
    autoTopUp?: CreditAutoTopUp | null | undefined;
    /** Default true: shows a dismiss button. */
    dismissible?: boolean | undefined;
    dismissed?: boolean | undefined;
    defaultDismissed?: boolean | undefined;
    onDismissedChange?: ((dismissed: boolean) => void) | undefined;
    config?: CreditsConfig | undefined;
    locale?: string | undefined;
    currency?: string | undefined;
    labels?: Partial<LowCreditWarningLabels> | undefined;
    /** Your arrangement of the parts, replacing the default layout (see `LowCreditWarningView`). */
    children?: React.ReactNode;
  };

/** What a shown `LowCreditWarning` (or `LowCreditWarningView`) resolved, for its parts (`useLowCreditWarning`). */
export interface LowCreditWarningContextValue {
  readonly state: LowCreditWarningViewProps['state'];
  readonly level: LowCreditWarningLevel;
  /** The level's message from `labels` ("Your credits are running low: 1,200 left."), and the auto top-up's when on. */
  readonly message: string;
  readonly formatters: CreditFormatters;
  readonly labels: LowCreditWarningLabels;
  readonly onTopUp: (() => void) | undefined;
  readonly dismissible: boolean;
  /** Dismisses the warning, as its dismiss button does (controlled or not): it comes back when the level worsens. */
  readonly dismiss: () => void;
}

const [LowCreditWarningProvider, useLowCreditWarningPart] = createPartsContext<LowCreditWarningContextValue>('LowCreditWarning');

/**
 * What the nearest shown `LowCreditWarning` (or `LowCreditWarningView`) resolved — its level, message, formatters,
 * labels, the top-up handler and `dismiss` — for a part of your own. Throws outside one.
 */
export const useLowCreditWarning: () => LowCreditWarningContextValue = useLowCreditWarningPart;

/**
 * The warning from props. `role="status"` when low (polite), `role="alert"` when empty or in overage.
 *
 * Its `children` replace the default layout with your own arrangement of the parts (`LowCreditWarningMessage`,
 * `LowCreditWarningActions`, `LowCreditWarningTopUp`, `LowCreditWarningDismiss`); the root still decides when the
 * warning shows, and holds its dismissal.
 */
export function LowCreditWarningView({
  state,
  onTopUp,
  autoTopUp,
  dismissible = true,
  dismissed: dismissedProp,
  defaultDismissed,
  onDismissedChange,
  config,
  locale,
  currency,
  labels: labelOverrides,
  size,
  className,
  children,
  ...props
}: LowCreditWarningViewProps) {
  const formatters = useCreditFormatters({ config, locale, currency });
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
  const auto = resolveAutoTopUp(autoTopUp, config?.topUps);

  const context: LowCreditWarningContextValue = {
    state,
    level,
    message:
      (level === 'low'
        ? labels.low(formatters.credits(state.remaining))
        : level === 'empty'
          ? labels.empty
          : labels.overage(formatters.credits(state.overage))) +
      (auto ? ` ${labels.autoTopUp(formatters.credits(auto.credits), formatters.credits(auto.threshold))}` : ''),
    formatters,
    labels,
    onTopUp,
    dismissible,
    dismiss: () => {
      setDismissedLevel(level);
      setDismissed(true);
    },
  };

  return (
    <div
      data-slot="low-credit-warning"
      data-state={level}
      data-size={size ?? 'default'}
      role={level === 'low' ? 'status' : 'alert'}
      className={cn(lowCreditWarningVariants({ size }), className)}
      {...props}
    >
      <LowCreditWarningProvider value={context}>
        {children ?? (
          <>
            <LowCreditWarningMessage />
            <LowCreditWarningActions />
          </>
        )}
      </LowCreditWarningProvider>
    </div>
  );
}

/** The level's message (children replace its text). */
export function LowCreditWarningMessage({ className, children, ...props }: React.ComponentProps<'p'>) {
  const { message } = useLowCreditWarningPart();
  return (
    <p data-slot="low-credit-warning-message" className={cn('min-w-0 flex-1', className)} {...props}>
      {children ?? message}
    </p>
  );
}

/** The row of buttons: by default "Top up" and dismiss, each when it applies (children replace them). */
export function LowCreditWarningActions({ className, children, ...props }: React.ComponentProps<'div'>) {
  return (
    <div data-slot="low-credit-warning-actions" className={cn('flex items-center gap-1', className)} {...props}>
      {children ?? (
        <>
          <LowCreditWarningTopUp />
          <LowCreditWarningDismiss />
        </>
      )}
    </div>
  );
}

/** "Top up": rendered when the root has `onTopUp` (the connected one opens `CreditTopUpDialog`). */
export function LowCreditWarningTopUp({ className, children, onClick, ...props }: React.ComponentProps<'button'>) {
  const { onTopUp, labels } = useLowCreditWarningPart();
  if (!onTopUp) return null;
  return (
    <button
      type="button"
      data-slot="low-credit-warning-top-up"
      className={cn(buttonVariants({ variant: 'primary' }), className)}
      onClick={composeEventHandlers(onClick, onTopUp)}
      {...props}
    >
      {children ?? labels.topUp}
    </button>
  );
}

/** The dismiss button ("×", named by `labels.dismiss`; children replace the icon); rendered when `dismissible`. */
export function LowCreditWarningDismiss({ className, children, onClick, ...props }: React.ComponentProps<'button'>) {
  const { dismissible, dismiss, labels } = useLowCreditWarningPart();
  if (!dismissible) return null;
  return (
    <button
      type="button"
      data-slot="low-credit-warning-dismiss"
      aria-label={labels.dismiss}
      className={cn(buttonVariants({ variant: 'ghost' }), className)}
      onClick={composeEventHandlers(onClick, dismiss)}
      {...props}
    >
      {children ?? <span aria-hidden="true">×</span>}
    </button>
  );
}

export type LowCreditWarningProps = Omit<LowCreditWarningViewProps, 'state'> & {
  /** Set false to hide the top-up action. Default: shown when the config has top-up packages. */
  topUp?: boolean | undefined;
};

/**
 * The warning for the nearest `CreditsProvider`'s balance; "Top up" opens `CreditTopUpDialog` (or calls `onTopUp`),
 * loaded on first open.
 */
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
      {canTopUp && onTopUp === undefined ? <TopUpDialogOnDemand open={dialogOpen} onOpenChange={setDialogOpen} /> : null}
    </>
  );
}
