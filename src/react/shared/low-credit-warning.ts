/**
 * No `'use client'` (issue 13): what `LowCreditWarning` computes without React — the level a warning is due at, its labels and variants — callable from a Server
 * Component or a Route Handler through the root entry.
 */
import { cva } from 'class-variance-authority';
import type { CreditState } from '../../core/customer.js';

/** The levels a warning is shown for. */
export type LowCreditWarningLevel = 'low' | 'empty' | 'overage';

/** The warning level for a balance, or null when no warning is due (pure). */
export function lowCreditWarningLevel(state: Pick<CreditState, 'status' | 'level'>): LowCreditWarningLevel | null {
  if (state.status !== 'ready') return null;
  return state.level === 'low' || state.level === 'empty' || state.level === 'overage' ? state.level : null;
}

export interface LowCreditWarningLabels {
  readonly low: (remaining: string) => string;
  readonly empty: string;
  readonly overage: (overage: string) => string;
  /** After the message when an auto top-up is on: the credits it adds and the balance it fires at (or below). */
  readonly autoTopUp: (credits: string, threshold: string) => string;
  readonly topUp: string;
  readonly dismiss: string;
}

export const DEFAULT_LOW_CREDIT_WARNING_LABELS: LowCreditWarningLabels = Object.freeze({
  // A no-break space: the number never wraps away from its word ("1,200" / "left.").
  low: (remaining: string) => `Your credits are running low: ${remaining}\u00a0left.`,
  empty: 'You are out of credits. Top up to keep going.',
  overage: (overage: string) => `Your credits are used up; ${overage} credits so far are billed as overage.`,
  autoTopUp: (credits: string, threshold: string) => `Tops up ${credits} at ${threshold} or less.`,
  topUp: 'Top up',
  dismiss: 'Dismiss',
});

export const lowCreditWarningVariants = cva(
  [
    'flex flex-wrap items-center justify-between gap-2 rounded-lg border px-3 py-2 text-sm',
    'data-[state=low]:border-credits-warning/60 data-[state=low]:bg-credits-warning/10',
    'data-[state=empty]:border-credits-destructive/60 data-[state=empty]:bg-credits-destructive/10',
    'data-[state=overage]:border-credits-destructive/60 data-[state=overage]:bg-credits-destructive/10',
  ],
  {
    variants: {
      size: {
        compact: 'px-2 py-1.5 text-xs',
        default: '',
      },
    },
    defaultVariants: { size: 'default' },
  },
);
