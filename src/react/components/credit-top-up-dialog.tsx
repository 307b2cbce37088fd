'use client';
/**
 * `CreditTopUpDialog`: a Radix Dialog listing the config's top-up packages with their price and credits. Choosing one
 * buys it through the provider's `topUp` (Autumn attach → checkout); the dialog shows the purchase pending, failed
 * (with Retry) or done.
 *
 * `CreditTopUpDialogView` takes everything as props; `CreditTopUpDialog` reads `useCredits()`.
 */
import * as React from 'react';
import * as DialogPrimitive from '@radix-ui/react-dialog';
import { cva, type VariantProps } from 'class-variance-authority';
import type { CreditsConfig, CreditTopUpPackage } from '../../core/config.js';
import type { CreditFormatters } from '../../core/format.js';
import { useCredits, type TopUpStatus } from '../credits-context.js';
import { buttonVariants } from '../lib/button.js';
import { cn } from '../lib/cn.js';
import { withLabels } from '../lib/labels.js';
import { useCreditsFormat } from '../lib/credits-format.js';
import { useControllableState } from '../lib/use-controllable-state.js';
import { DEFAULT_CREDIT_TOP_UP_DIALOG_LABELS, creditTopUpDialogVariants, type CreditTopUpDialogClassNames, type CreditTopUpDialogLabels } from '../shared/credit-top-up-dialog.js';

/** The view's `data-state`: what the purchase is doing. */
export type CreditTopUpDialogState = TopUpStatus;

export type CreditTopUpDialogViewProps = Omit<React.ComponentProps<typeof DialogPrimitive.Content>, 'children' | 'onSelect'> &
  VariantProps<typeof creditTopUpDialogVariants> & {
    packages: readonly CreditTopUpPackage[];
    /** Default `idle`. */
    status?: TopUpStatus | undefined;
    /** The package being bought (highlighted, and what Retry buys again). */
    packageId?: string | null | undefined;
    /** Shown in the failed state; default `labels.failed`. */
    error?: Error | string | null | undefined;
    /** A package was chosen. */
    onSelect?: ((packageId: string) => void) | undefined;
    /** Retry after a failure; default `onSelect(packageId)`. */
    onRetry?: (() => void) | undefined;
    open?: boolean | undefined;
    defaultOpen?: boolean | undefined;
    onOpenChange?: ((open: boolean) => void) | undefined;
    /** The trigger (one element, rendered `asChild`), e.g. `<button>Top up</button>`. Omit when `open` is controlled. */
    children?: React.ReactElement | undefined;
    /** A line above the packages, e.g. why the user needs credits ("This message needs 1,200 credits; you have 300"). */
    message?: React.ReactNode;
    config?: CreditsConfig | undefined;
    locale?: string | undefined;
    currency?: string | undefined;
    labels?: Partial<CreditTopUpDialogLabels> | undefined;
    classNames?: CreditTopUpDialogClassNames | undefined;
  };

function errorText(error: Error | string | null | undefined, fallback: string): string {
  if (typeof error === 'string' && error.trim() !== '') return error;
  if (error instanceof Error && error.message) return error.message;
  return fallback;
}

/** Packs per purchase, never below one. */
function packsOf(pkg: CreditTopUpPackage): number {
  const packs = pkg.quantity ?? 1;
  return Number.isFinite(packs) && packs >= 1 ? packs : 1;
}

function safe(value: number): number {
  return Number.isFinite(value) && value > 0 ? value : 0;
}

/** The top-up dialog from plain props. Radix traps focus inside it, and Escape or the overlay closes it. */
export function CreditTopUpDialogView({
  packages,
  status = 'idle',
  packageId = null,
  error,
  onSelect,
  onRetry,
  open,
  defaultOpen,
  onOpenChange,
  children,
  message,
  config,
  locale,
  currency,
  labels: labelOverrides,
  classNames,
  size,
  className,
  ...props
}: CreditTopUpDialogViewProps) {
  const { formatters } = useCreditsFormat({ config, locale, currency });
  const labels = withLabels(DEFAULT_CREDIT_TOP_UP_DIALOG_LABELS, labelOverrides);
  const busy = status === 'pending' || status === 'redirecting';
  const retry = onRetry ?? (packageId !== null && onSelect ? () => onSelect(packageId) : undefined);
  // The status line describes the package being bought: its button reads "…, Processing…" or the error.
  const statusId = React.useId();

  return (
    <DialogPrimitive.Root open={open} defaultOpen={defaultOpen} onOpenChange={onOpenChange}>
      {children ? <DialogPrimitive.Trigger asChild>{children}</DialogPrimitive.Trigger> : null}
      <DialogPrimitive.Portal>
        <DialogPrimitive.Overlay
          data-slot="credit-top-up-dialog-overlay"
          className={cn('fixed inset-0 z-50 bg-black/50', classNames?.overlay)}
        />
        <DialogPrimitive.Content
          data-slot="credit-top-up-dialog"
          data-status={status}
          data-size={size ?? 'default'}
          aria-busy={busy || undefined}
          className={cn(creditTopUpDialogVariants({ size }), className)}
          {...props}
        >
          <div className="grid gap-1">
            <DialogPrimitive.Title data-slot="credit-top-up-dialog-title" className={cn('text-base font-semibold', classNames?.title)}>
              {labels.title}
            </DialogPrimitive.Title>
            <DialogPrimitive.Description
              data-slot="credit-top-up-dialog-description"
              className={cn('text-sm text-credits-muted-foreground', classNames?.description)}
            >
              {labels.description}
            </DialogPrimitive.Description>
          </div>
          {message ? (
            <p data-slot="credit-top-up-dialog-message" className={cn('rounded-md bg-credits-muted px-3 py-2 text-sm', classNames?.message)}>
              {message}
            </p>
          ) : null}
          {packages.length === 0 ? (
            <p className="text-sm text-credits-muted-foreground">{labels.empty}</p>
          ) : (
            <ul data-slot="credit-top-up-dialog-list" aria-busy={busy || undefined} className={cn('grid gap-2', classNames?.list)}>
              {packages.map((pkg) => (
                <li key={pkg.id}>
                  <PackageButton
                    pkg={pkg}
                    formatters={formatters}
                    labels={labels}
                    className={classNames?.package}
                    disabled={busy || status === 'succeeded'}
                    selected={pkg.id === packageId && status !== 'idle'}
                    statusId={statusId}
                    onSelect={onSelect}
                  />
                </li>
              ))}
            </ul>
          )}
          <StatusLine id={statusId} status={status} error={error} labels={labels} retry={retry} classNames={classNames} />
          <div data-slot="credit-top-up-dialog-footer" className={cn('flex justify-end gap-2', classNames?.footer)}>
            <DialogPrimitive.Close
              data-slot="credit-top-up-dialog-close"
              className={buttonVariants({ variant: status === 'succeeded' ? 'primary' : 'outline', size: 'default' })}
            >
              {status === 'succeeded' ? labels.done : labels.close}
            </DialogPrimitive.Close>
          </div>
        </DialogPrimitive.Content>
      </DialogPrimitive.Portal>
    </DialogPrimitive.Root>
  );
}

function PackageButton({
  pkg,
  formatters,
  labels,
  className,
  disabled,
  selected,
  statusId,
  onSelect,
}: {
  pkg: CreditTopUpPackage;
  formatters: CreditFormatters;
  labels: CreditTopUpDialogLabels;
  className: string | undefined;
  disabled: boolean;
  selected: boolean;
  statusId: string;
  onSelect: ((packageId: string) => void) | undefined;
}) {
  const packs = packsOf(pkg);
  const credits = formatters.credits(safe(pkg.credits) * packs);
  const price = formatters.money(safe(pkg.price) * packs);
  // No aria-label: the accessible name is the visible text in its visible order ("Credit top-up 40,000 credits
  // $10.00"), so speech-input users can say what they see (WCAG 2.5.3). The `{' '}` keep the words apart in the name;
  // they take no space in the grid and flex layout.
  return (
    <button
      type="button"
      data-slot="credit-top-up-dialog-package"
      data-selected={selected || undefined}
      aria-describedby={selected ? statusId : undefined}
      disabled={disabled}
      onClick={() => onSelect?.(pkg.id)}
      className={cn(
        // An explicit background and colour: the kit ships no preflight, and a bare <button> gets the browser's grey
        // button face and black text (which the muted line fails contrast on, and which is wrong in dark mode).
        'group/package flex w-full items-center justify-between gap-3 rounded-md border border-credits-border bg-credits-background px-3 py-2.5 text-left text-credits-foreground transition-colors outline-none',
        'hover:bg-credits-muted focus-visible:ring-2 focus-visible:ring-credits-ring data-[selected]:border-credits-primary',
        // Disabled while a purchase runs: a tint, not a fade, so the packages stay readable (4.5:1, light and dark).
        'disabled:cursor-not-allowed disabled:bg-credits-muted/40',
        className,
      )}
    >
      <span className="grid">
        <span className="font-medium">{pkg.label}</span>{' '}
        {/* Muted on the background; full colour on the hover's muted background, where muted text is under 4.5:1. */}
        <span className="text-xs text-credits-muted-foreground tabular-nums group-hover/package:text-credits-foreground">{labels.credits(credits)}</span>
        {pkg.description ? (
          <>
            {' '}
            <span className="text-xs text-credits-muted-foreground group-hover/package:text-credits-foreground">{pkg.description}</span>
          </>
        ) : null}
      </span>{' '}
      <span className="font-semibold tabular-nums">{price}</span>
    </button>
  );
}

function StatusLine({
  id,
  status,
  error,
  labels,
  retry,
  classNames,
}: {
  id: string;
  status: TopUpStatus;
  error: Error | string | null | undefined;
  labels: CreditTopUpDialogLabels;
  retry: (() => void) | undefined;
  classNames: CreditTopUpDialogClassNames | undefined;
}) {
  if (status === 'failed') {
    return (
      <div
        data-slot="credit-top-up-dialog-error"
        role="alert"
        className={cn('flex items-center justify-between gap-2 rounded-md border border-credits-destructive/50 px-3 py-2 text-sm text-credits-destructive', classNames?.error)}
      >
        <span id={id}>{errorText(error, labels.failed)}</span>
        {retry ? (
          <button type="button" data-slot="credit-top-up-dialog-retry" className={buttonVariants({ size: 'default' })} onClick={retry}>
            {labels.retry}
          </button>
        ) : null}
      </div>
    );
  }
  const text =
    status === 'pending' ? labels.pending : status === 'redirecting' ? labels.redirecting : status === 'succeeded' ? labels.succeeded : '';
  // Always rendered, so screen readers announce the changes of one live region.
  return (
    <p id={id} data-slot="credit-top-up-dialog-status" role="status" className={cn('min-h-5 text-sm text-credits-muted-foreground empty:absolute', classNames?.status)}>
      {text}
    </p>
  );
}

export type CreditTopUpDialogProps = Omit<CreditTopUpDialogViewProps, 'packages' | 'status' | 'packageId' | 'error' | 'onSelect' | 'onRetry'> & {
  /** Only these package ids (default all of the config's top-ups). */
  packageIds?: readonly string[] | undefined;
  /** Called after a purchase completed in place (not on a redirect to checkout). */
  onPurchased?: ((packageId: string) => void) | undefined;
};

/**
 * The top-up dialog of the nearest `CreditsProvider`: its packages, its `topUp`, its `topUpState`. A finished or
 * failed purchase is cleared when the dialog opens again.
 */
export function CreditTopUpDialog({
  packageIds,
  onPurchased,
  open: openProp,
  defaultOpen,
  onOpenChange,
  config,
  ...props
}: CreditTopUpDialogProps) {
  const { packages, topUp, topUpState, resetTopUp, config: providerConfig } = useCredits();
  const [open, setOpen] = useControllableState({ prop: openProp, defaultProp: defaultOpen ?? false, onChange: onOpenChange });
  const shown = React.useMemo(
    () => (packageIds ? packages.filter((pkg) => packageIds.includes(pkg.id)) : packages),
    [packages, packageIds],
  );
  const finished = topUpState.status === 'succeeded' || topUpState.status === 'failed';
  const stale = React.useRef(false);
  stale.current = finished;
  React.useEffect(() => {
    // A new visit to the dialog starts fresh; a purchase still running keeps its state.
    if (open && stale.current) resetTopUp?.();
  }, [open, resetTopUp]);

  const onSelect = React.useCallback(
    (packageId: string) => {
      topUp(packageId).then(
        (result) => {
          if (result.kind === 'completed') onPurchased?.(packageId);
        },
        // The failure is in topUpState, which the dialog shows.
        () => {},
      );
    },
    [topUp, onPurchased],
  );

  return (
    <CreditTopUpDialogView
      {...props}
      config={config ?? providerConfig}
      open={open}
      onOpenChange={setOpen}
      packages={shown}
      status={topUpState.status}
      packageId={topUpState.packageId}
      error={topUpState.error}
      onSelect={onSelect}
    />
  );
}
