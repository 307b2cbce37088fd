/**
 * No `'use client'` (issue 13): what `CreditBalance` computes without React — its state, labels and variants — callable from a Server
 * Component or a Route Handler through the root entry.
 */
import { cva } from 'class-variance-authority';
import type { CreditLevel, CreditState } from '../../core/customer.js';

/** One data attribute for the root: the level when the balance is known, else `loading` or `error`. */
export type CreditBalanceState = CreditLevel | 'loading' | 'error';

/** The root's `data-state` from a credit state (pure, so styles key off it). */
export function creditBalanceState(state: Pick<CreditState, 'status' | 'level'>): CreditBalanceState {
  return state.status === 'ready' ? state.level : state.status;
}

export interface CreditBalanceLabels {
  /** Heading; default the config's `featureName` ("AI credits"). */
  readonly title?: string;
  /** After the amount: "1,234 credits". */
  readonly unit: string;
  readonly unlimited: string;
  /** The meter's value text, e.g. "1,234 of 8,000 credits left". */
  readonly valueText: (remaining: string, total: string) => string;
  /** Under the meter, e.g. "of 8,000". */
  readonly ofTotal: (total: string) => string;
  /** The money value of the balance, e.g. "≈ $0.31". */
  readonly worth: (money: string) => string;
  /** When the included credits come back. */
  readonly resets: (date: string) => string;
  /** Usage beyond the balance (billed as overage). */
  readonly overage: (credits: string) => string;
  /** An auto top-up that is on: the credits it adds and the balance it fires at (Autumn: at or below it). */
  readonly autoTopUp: (credits: string, threshold: string) => string;
  readonly topUp: string;
  readonly loading: string;
  readonly error: string;
  readonly retry: string;
  /** Accessible hint of the balance button that opens the breakdown. */
  readonly openBreakdown: string;
  /** Title of the breakdown dialog. */
  readonly breakdownTitle: string;
  readonly breakdownDescription: string;
  readonly close: string;
}

export const DEFAULT_CREDIT_BALANCE_LABELS: CreditBalanceLabels = Object.freeze({
  unit: 'credits',
  unlimited: 'Unlimited',
  valueText: (remaining: string, total: string) => `${remaining} of ${total} credits left`,
  ofTotal: (total: string) => `of ${total}`,
  worth: (money: string) => `≈ ${money}`,
  resets: (date: string) => `Resets ${date}`,
  overage: (credits: string) => `${credits} credits over the balance`,
  autoTopUp: (credits: string, threshold: string) => `Tops up ${credits} at ${threshold} or less`,
  topUp: 'Top up',
  loading: 'Loading credits…',
  error: 'Could not load your credits.',
  retry: 'Retry',
  openBreakdown: 'Show usage breakdown',
  breakdownTitle: 'Credit usage',
  breakdownDescription: 'Where your credits went this period.',
  close: 'Close',
});

export const creditBalanceVariants = cva(
  [
    'group/credit-balance flex flex-col gap-2 rounded-lg border border-credits-border bg-credits-background text-credits-foreground',
    'data-[state=low]:border-credits-warning/60 data-[state=empty]:border-credits-destructive/60 data-[state=overage]:border-credits-destructive/60',
    'data-[state=error]:border-credits-destructive/60',
  ],
  {
    variants: {
      size: {
        compact: 'gap-1 p-2 text-xs',
        default: 'p-3 text-sm',
      },
    },
    defaultVariants: { size: 'default' },
  },
);
