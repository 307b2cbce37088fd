/**
 * No `'use client'` (issue 13): what `CreditTopUpDialog` computes without React — its labels and variants — callable from a Server
 * Component or a Route Handler through the root entry.
 */
import { cva } from 'class-variance-authority';

export interface CreditTopUpDialogLabels {
  readonly title: string;
  readonly description: string;
  /** A package's credits line; also part of the package button's accessible name, which is its visible text. */
  readonly credits: (credits: string) => string;
  readonly pending: string;
  readonly redirecting: string;
  readonly succeeded: string;
  readonly failed: string;
  readonly retry: string;
  readonly done: string;
  readonly close: string;
  readonly empty: string;
}

export const DEFAULT_CREDIT_TOP_UP_DIALOG_LABELS: CreditTopUpDialogLabels = Object.freeze({
  title: 'Top up credits',
  description: 'Buy a credit pack. Top-up credits never expire.',
  credits: (credits: string) => `${credits} credits`,
  pending: 'Processing…',
  redirecting: 'Taking you to checkout…',
  succeeded: 'Credits added to your balance.',
  failed: 'The top-up did not go through.',
  retry: 'Try again',
  done: 'Done',
  close: 'Close',
  empty: 'No top-up packages are available.',
});

export const creditTopUpDialogVariants = cva(
  [
    'fixed top-1/2 left-1/2 z-50 grid max-h-[85vh] w-full -translate-x-1/2 -translate-y-1/2 gap-4 overflow-y-auto',
    'rounded-lg border border-credits-border bg-credits-background p-5 text-credits-foreground shadow-lg outline-none',
  ],
  {
    variants: {
      size: {
        default: 'max-w-md',
        wide: 'max-w-lg',
      },
    },
    defaultVariants: { size: 'default' },
  },
);
