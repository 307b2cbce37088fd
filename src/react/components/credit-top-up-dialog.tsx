'use client';
/**
 * `CreditTopUpDialog`: a Radix Dialog listing the config's top-up packages with their price and credits. Choosing one
 * buys it through the provider's `topUp` (Autumn attach → checkout); the dialog shows the purchase pending, failed
 * (with Retry) or done.
 *
 * `CreditTopUpDialogView` takes everything as props; `CreditTopUpDialog` reads `useCredits()`. Both are composed from
 * exported parts in the shadcn Dialog manner (each wraps one Radix part or one element), which a team rearranges.
 */
import * as React from 'react';
import * as DialogPrimitive from '@radix-ui/react-dialog';
import type { VariantProps } from 'class-variance-authority';
import type { CreditsConfig, CreditTopUpPackage } from '../../core/config.js';
import type { CreditFormatters } from '../../core/format.js';
import { useCredits, type TopUpStatus } from '../credits-context.js';
import { buttonVariants } from '../lib/button.js';
import { cn } from '../lib/cn.js';
import { composeEventHandlers } from '../lib/compose-event-handlers.js';
import { createPartsContext } from '../lib/parts.js';
import { withLabels } from '../lib/labels.js';
import { useCreditFormatters } from '../lib/credits-format.js';
import { useControllableState } from '../lib/use-controllable-state.js';
import { DEFAULT_CREDIT_TOP_UP_DIALOG_LABELS, creditTopUpDialogVariants, type CreditTopUpDialogLabels } from '../shared/credit-top-up-dialog.js';

/** The view's `data-state`: what the purchase is doing. */
export type CreditTopUpDialogState = TopUpStatus;

type ContentProps = Omit<React.ComponentProps<typeof DialogPrimitive.Content>, 'onSelect'> & VariantProps<typeof creditTopUpDialogVariants>;

export type CreditTopUpDialogViewProps = Omit<ContentProps, 'children'> & {
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
  /**
   * The trigger: one element, rendered `asChild` (e.g. `<button>Top up</button>`; omit it when `open` is controlled).
   * Or your arrangement of the parts (`CreditTopUpDialogTrigger`, `CreditTopUpDialogContent` and what goes in it),
   * replacing the default layout: a fragment, several parts, or a lone `CreditTopUpDialogContent`.
   */
  children?: React.ReactNode;
  /** A line above the packages, e.g. why the user needs credits ("This message needs 1,200 credits; you have 300"). */
  message?: React.ReactNode;
  config?: CreditsConfig | undefined;
  locale?: string | undefined;
  currency?: string | undefined;
  labels?: Partial<CreditTopUpDialogLabels> | undefined;
};

/** What `CreditTopUpDialogView` resolved from its props, for its parts (`useCreditTopUpDialog`). */
export interface CreditTopUpDialogContextValue {
  readonly packages: readonly CreditTopUpPackage[];
  readonly status: TopUpStatus;
  readonly packageId: string | null;
  readonly error: Error | string | null | undefined;
  /** A purchase is running (`pending` or `redirecting`): the packages are disabled and the dialog is busy. */
  readonly busy: boolean;
  readonly onSelect: ((packageId: string) => void) | undefined;
  /** Buys again after a failure: `onRetry`, else `onSelect(packageId)`; undefined when neither can. */
  readonly retry: (() => void) | undefined;
  readonly message: React.ReactNode;
  readonly formatters: CreditFormatters;
  readonly labels: CreditTopUpDialogLabels;
  /** The id of the status line (or the error text), which describes the package being bought. */
  readonly statusId: string;
}

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

const [CreditTopUpDialogProvider, useCreditTopUpDialogPart] = createPartsContext<CreditTopUpDialogContextValue>('CreditTopUpDialog');

/**
 * What the nearest `CreditTopUpDialog` (or `CreditTopUpDialogView`) resolved — its packages, the purchase's status,
 * package and error, the select and retry handlers, formatters and labels — for a part of your own. Throws outside one.
 */
export const useCreditTopUpDialog: () => CreditTopUpDialogContextValue = useCreditTopUpDialogPart;

/**
 * The top-up dialog from plain props. Radix traps focus inside it, and Escape or the overlay closes it.
 *
 * A lone element as `children` is its trigger (today's drop-in); a fragment, several parts or a lone
 * `CreditTopUpDialogContent` replace the default layout: `CreditTopUpDialogTrigger`, `CreditTopUpDialogContent`
 * and in it `CreditTopUpDialogHeader`, `CreditTopUpDialogTitle`, `CreditTopUpDialogDescription`,
 * `CreditTopUpDialogMessage`, `CreditTopUpDialogEmpty`, `CreditTopUpDialogPackages`, `CreditTopUpDialogPackage`,
 * `CreditTopUpDialogError`, `CreditTopUpDialogStatus`, `CreditTopUpDialogFooter`, `CreditTopUpDialogClose`. Each
 * renders only in the states it belongs to. The root's `className`, `size` and other props go to the default content.
 */
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
  ...props
}: CreditTopUpDialogViewProps) {
  const formatters = useCreditFormatters({ config, locale, currency });
  // The status line describes the package being bought: its button reads "…, Processing…" or the error.
  const statusId = React.useId();
  const context: CreditTopUpDialogContextValue = {
    packages,
    status,
    packageId,
    error,
    busy: status === 'pending' || status === 'redirecting',
    onSelect,
    retry: onRetry ?? (packageId !== null && onSelect ? () => onSelect(packageId) : undefined),
    message,
    formatters,
    labels: withLabels(DEFAULT_CREDIT_TOP_UP_DIALOG_LABELS, labelOverrides),
    statusId,
  };
  // A lone element other than a fragment or one of the parts that hold the rest is the trigger, as before parts.
  const trigger = React.isValidElement(children) && !COMPOSED.includes(children.type) ? children : null;

  return (
    <DialogPrimitive.Root open={open} defaultOpen={defaultOpen} onOpenChange={onOpenChange}>
      <CreditTopUpDialogProvider value={context}>
        {trigger || !children ? (
          <>
            {trigger ? <DialogPrimitive.Trigger asChild>{trigger}</DialogPrimitive.Trigger> : null}
            <CreditTopUpDialogContent {...props} />
          </>
        ) : (
          children
        )}
      </CreditTopUpDialogProvider>
    </DialogPrimitive.Root>
  );
}

/** Opens the dialog: a `<button>`, or with `asChild` your own (e.g. `<Button>`). */
export function CreditTopUpDialogTrigger(props: React.ComponentProps<typeof DialogPrimitive.Trigger>) {
  return <DialogPrimitive.Trigger data-slot="credit-top-up-dialog-trigger" {...props} />;
}

/** The backdrop behind the dialog; `CreditTopUpDialogContent` renders one unless given its own `overlay`. */
export function CreditTopUpDialogOverlay({ className, ...props }: React.ComponentProps<typeof DialogPrimitive.Overlay>) {
  return <DialogPrimitive.Overlay data-slot="credit-top-up-dialog-overlay" className={cn('fixed inset-0 z-50 bg-black/50', className)} {...props} />;
}

/**
 * The dialog itself, portalled with its overlay: `data-status` (the purchase), `data-size`, busy while a purchase
 * runs. Its children replace the default layout (header, message, packages, status, footer with Close).
 */
export function CreditTopUpDialogContent({
  size,
  className,
  children,
  overlay = <CreditTopUpDialogOverlay />,
  ...props
}: ContentProps & {
  /** Replaces the overlay (e.g. a `<CreditTopUpDialogOverlay className=… />` of your own); null for none. */
  overlay?: React.ReactNode;
}) {
  const { status, busy } = useCreditTopUpDialogPart();
  return (
    <DialogPrimitive.Portal>
      {overlay}
      <DialogPrimitive.Content
        data-slot="credit-top-up-dialog"
        data-status={status}
        data-size={size ?? 'default'}
        aria-busy={busy || undefined}
        className={cn(creditTopUpDialogVariants({ size }), className)}
        {...props}
      >
        {children ?? (
          <>
            <CreditTopUpDialogHeader>
              <CreditTopUpDialogTitle />
              <CreditTopUpDialogDescription />
            </CreditTopUpDialogHeader>
            <CreditTopUpDialogMessage />
            <CreditTopUpDialogEmpty />
            <CreditTopUpDialogPackages />
            <CreditTopUpDialogError />
            <CreditTopUpDialogStatus />
            <CreditTopUpDialogFooter>
              <CreditTopUpDialogClose />
            </CreditTopUpDialogFooter>
          </>
        )}
      </DialogPrimitive.Content>
    </DialogPrimitive.Portal>
  );
}

/** Lone elements, fragments aside, that are not a trigger: the parts that hold the rest of an arrangement. */
const COMPOSED: unknown[] = [React.Fragment, CreditTopUpDialogTrigger, CreditTopUpDialogContent];

/** The title and description, stacked. */
export function CreditTopUpDialogHeader({ className, ...props }: React.ComponentProps<'div'>) {
  return <div className={cn('grid gap-1', className)} {...props} />;
}

/** The dialog's accessible name: "Top up credits". */
export function CreditTopUpDialogTitle({ className, children, ...props }: React.ComponentProps<typeof DialogPrimitive.Title>) {
  const { labels } = useCreditTopUpDialogPart();
  return (
    <DialogPrimitive.Title data-slot="credit-top-up-dialog-title" className={cn('text-base font-semibold', className)} {...props}>
      {children ?? labels.title}
    </DialogPrimitive.Title>
  );
}

/** The dialog's accessible description. */
export function CreditTopUpDialogDescription({ className, children, ...props }: React.ComponentProps<typeof DialogPrimitive.Description>) {
  const { labels } = useCreditTopUpDialogPart();
  return (
    <DialogPrimitive.Description data-slot="credit-top-up-dialog-description" className={cn('text-sm text-credits-muted-foreground', className)} {...props}>
      {children ?? labels.description}
    </DialogPrimitive.Description>
  );
}

/** The root's `message` (or its own children) above the packages; nothing without one. */
export function CreditTopUpDialogMessage({ className, children, ...props }: React.ComponentProps<'p'>) {
  const { message } = useCreditTopUpDialogPart();
  const content = children ?? message;
  if (!content) return null;
  return (
    <p data-slot="credit-top-up-dialog-message" className={cn('rounded-md bg-credits-muted px-3 py-2 text-sm', className)} {...props}>
      {content}
    </p>
  );
}

/** "No top-up packages are available.": only when there are none. */
export function CreditTopUpDialogEmpty({ className, children, ...props }: React.ComponentProps<'p'>) {
  const { packages, labels } = useCreditTopUpDialogPart();
  if (packages.length > 0) return null;
  return (
    <p className={cn('text-sm text-credits-muted-foreground', className)} {...props}>
      {children ?? labels.empty}
    </p>
  );
}

/** The list of packages, one `CreditTopUpDialogPackage` each (children replace them); nothing when there are none. */
export function CreditTopUpDialogPackages({ className, children, ...props }: React.ComponentProps<'ul'>) {
  const { packages, busy } = useCreditTopUpDialogPart();
  if (packages.length === 0) return null;
  return (
    <ul data-slot="credit-top-up-dialog-list" aria-busy={busy || undefined} className={cn('grid gap-2', className)} {...props}>
      {children ??
        packages.map((pkg) => (
          <li key={pkg.id}>
            <CreditTopUpDialogPackage package={pkg} />
          </li>
        ))}
    </ul>
  );
}

/**
 * One package as a button: its label, credits (quantity included), description and price (children replace them).
 * Choosing it calls the root's `onSelect`; disabled while a purchase runs or after one succeeded; the package being
 * bought is `data-selected` and described by the status line.
 */
export function CreditTopUpDialogPackage({
  package: pkg,
  className,
  children,
  onClick,
  ...props
}: React.ComponentProps<'button'> & { package: CreditTopUpPackage }) {
  const { formatters, labels, status, packageId, busy, statusId, onSelect } = useCreditTopUpDialogPart();
  const selected = pkg.id === packageId && status !== 'idle';
  const packs = packsOf(pkg);
  // No aria-label: the accessible name is the visible text in its visible order ("Credit top-up 40,000 credits
  // $10.00"), so speech-input users can say what they see (WCAG 2.5.3). The `{' '}` keep the words apart in the name;
  // they take no space in the grid and flex layout.
  return (
    <button
      type="button"
      data-slot="credit-top-up-dialog-package"
      data-selected={selected || undefined}
      aria-describedby={selected ? statusId : undefined}
      disabled={busy || status === 'succeeded'}
      onClick={composeEventHandlers(onClick, () => onSelect?.(pkg.id))}
      className={cn(
        // An explicit background and colour: the kit ships no preflight, and a bare <button> gets the browser's grey
        // button face and black text (which the muted line fails contrast on, and which is wrong in dark mode).
        'group/package flex w-full items-center justify-between gap-3 rounded-md border border-credits-border bg-credits-background px-3 py-2.5 text-left text-credits-foreground transition-colors outline-none',
        'hover:bg-credits-muted focus-visible:ring-2 focus-visible:ring-credits-ring data-[selected]:border-credits-primary',
        // Disabled while a purchase runs: a tint, not a fade, so the packages stay readable (4.5:1, light and dark).
        'disabled:cursor-not-allowed disabled:bg-credits-muted/40',
        className,
      )}
      {...props}
    >
      {children ?? (
        <>
          <span className="grid">
            <span className="font-medium">{pkg.label}</span>{' '}
            {/* Muted on the background; full colour on the hover's muted background, where muted text is under 4.5:1. */}
            <span className="text-xs text-credits-muted-foreground tabular-nums group-hover/package:text-credits-foreground">
              {labels.credits(formatters.credits(safe(pkg.credits) * packs))}
            </span>
            {pkg.description ? (
              <>
                {' '}
                <span className="text-xs text-credits-muted-foreground group-hover/package:text-credits-foreground">{pkg.description}</span>
              </>
            ) : null}
          </span>{' '}
          <span className="font-semibold tabular-nums">{formatters.money(safe(pkg.price) * packs)}</span>
        </>
      )}
    </button>
  );
}

/** The failure as an alert, with "Try again" when the purchase can be retried; nothing unless it failed. */
export function CreditTopUpDialogError({ className, children, ...props }: React.ComponentProps<'div'>) {
  const { status, error, labels, retry, statusId } = useCreditTopUpDialogPart();
  if (status !== 'failed') return null;
  return (
    <div
      data-slot="credit-top-up-dialog-error"
      role="alert"
      className={cn('flex items-center justify-between gap-2 rounded-md border border-credits-destructive/50 px-3 py-2 text-sm text-credits-destructive', className)}
      {...props}
    >
      {children ?? (
        <>
          <span id={statusId}>{errorText(error, labels.failed)}</span>
          {retry ? (
            <button type="button" data-slot="credit-top-up-dialog-retry" className={buttonVariants({ size: 'default' })} onClick={retry}>
              {labels.retry}
            </button>
          ) : null}
        </>
      )}
    </div>
  );
}

/**
 * The purchase's progress as a live region ("Processing…", "Taking you to checkout…", "Credits added to your
 * balance."), empty while idle; rendered in every state but failed, so screen readers announce one region's changes.
 */
export function CreditTopUpDialogStatus({ className, children, ...props }: React.ComponentProps<'p'>) {
  const { status, labels, statusId } = useCreditTopUpDialogPart();
  if (status === 'failed') return null;
  return (
    <p id={statusId} data-slot="credit-top-up-dialog-status" role="status" className={cn('min-h-5 text-sm text-credits-muted-foreground empty:absolute', className)} {...props}>
      {children ?? (status === 'idle' ? '' : labels[status])}
    </p>
  );
}

/** The row of actions at the bottom: by default the Close button. */
export function CreditTopUpDialogFooter({ className, ...props }: React.ComponentProps<'div'>) {
  return <div data-slot="credit-top-up-dialog-footer" className={cn('flex justify-end gap-2', className)} {...props} />;
}

/** Closes the dialog: "Close", or "Done" (primary) once the purchase succeeded. */
export function CreditTopUpDialogClose({ className, children, ...props }: React.ComponentProps<typeof DialogPrimitive.Close>) {
  const { status, labels } = useCreditTopUpDialogPart();
  const done = status === 'succeeded';
  return (
    <DialogPrimitive.Close
      data-slot="credit-top-up-dialog-close"
      className={cn(buttonVariants({ variant: done ? 'primary' : 'outline', size: 'default' }), className)}
      {...props}
    >
      {children ?? (done ? labels.done : labels.close)}
    </DialogPrimitive.Close>
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
