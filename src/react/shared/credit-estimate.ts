/**
 * No `'use client'` (issue 13): what `CreditEstimate` computes without React — affordability, its labels and variants — callable from a Server
 * Component or a Route Handler through the root entry.
 */
import { cva } from 'class-variance-authority';
import { canAfford as poolCanAfford, type CreditState } from '../../core/customer.js';
import { DEFAULT_CREDIT_DECIMALS } from '../../core/config.js';
import { creditUnits, unitsToNumber } from '../../core/decimal.js';
import { displayAmount } from '../lib/amounts.js';

/** `affordable` / `short` when both the estimate and the balance are known, else `unknown`. */
export type CreditEstimateState = 'affordable' | 'short' | 'unknown';

/** Whether a send of `credits` can go through, and by how much the balance falls short. */
export interface Affordability {
  readonly state: CreditEstimateState;
  /**
   * False only when the balance is known not to cover the estimate. Unknown (loading, an error, an unreadable
   * estimate) counts as affordable: the server's reservation is the real check, so the UI does not block on a guess.
   */
  readonly canAfford: boolean;
  /** Credits missing, exact; 0 unless `state` is `short`. */
  readonly shortBy: number;
}

export const UNKNOWN_AFFORDABILITY: Affordability = Object.freeze({ state: 'unknown', canAfford: true, shortBy: 0 });

/**
 * Affordability of `credits` against a balance (a pure function). `balance` null means the balance is not known.
 * Uses the core `canAfford`: unlimited and overage-allowed pools can always pay.
 *
 * The shortfall is what Autumn's `check` needs: it compares the estimate with `remaining`, each grant floored at 0.
 * Usage beyond a grant (`overage`) is counted in only with `persistFreeOverage` (your org's Autumn setting), under
 * which a purchase repays that debt before it adds credits (Autumn's `computeOneOffPurchaseRebalance`).
 */
export function affordability(
  credits: unknown,
  balance: (Pick<CreditState, 'remaining' | 'unlimited' | 'overageAllowed'> & { readonly overage?: number | undefined }) | null,
  options: { readonly persistFreeOverage?: boolean | undefined } = {},
): Affordability {
  const needed = displayAmount(credits);
  if (needed === null || balance === null) return UNKNOWN_AFFORDABILITY;
  if (poolCanAfford(balance, needed)) return { state: 'affordable', canAfford: true, shortBy: 0 };
  const debt = options.persistFreeOverage === true ? (displayAmount(balance.overage) ?? 0) : 0;
  return { state: 'short', canAfford: false, shortBy: safeShortBy(needed, balance.remaining, debt) };
}

/**
 * `needed + debt - remaining` in exact micro-credits, as `subtractCredits(addCredits(needed, debt), remaining)` counts
 * it, through the non-throwing core (so the estimate loads no error classes); the float difference beyond exact
 * micro-credits (astronomic input), which is good enough to display.
 */
function safeShortBy(needed: number, remaining: number, debt: number): number {
  const places = DEFAULT_CREDIT_DECIMALS;
  const floored = Math.max(0, remaining);
  const [a, b, c] = [needed, debt, floored].map((value) => creditUnits(value, places));
  const exact = a != null && b != null && c != null && unitsToNumber(a + b, places) !== null ? unitsToNumber(a + b - c, places) : null;
  return Math.max(0, exact ?? needed + debt - floored);
}

export interface CreditEstimateLabels {
  /** Before the amount: "Est. cost". */
  readonly label: string;
  /** After the amount: "12 credits". */
  readonly unit: string;
  /**
   * Shown (and announced) when the balance does not cover the estimate: "Not enough credits: 4 more needed", or
   * without an amount when the shortfall is not known.
   */
  readonly short: (shortBy: string | null) => string;
  /** Read instead of "—" when there is no valid estimate. */
  readonly unknown: string;
}

export const DEFAULT_CREDIT_ESTIMATE_LABELS: CreditEstimateLabels = Object.freeze({
  label: 'Est. cost',
  unit: 'credits',
  short: (shortBy: string | null) => (shortBy === null ? 'Not enough credits' : `Not enough credits: ${shortBy} more needed`),
  unknown: 'unknown',
});

export const creditEstimateVariants = cva(
  [
    'inline-flex flex-wrap items-baseline gap-x-1.5 gap-y-0.5 text-credits-muted-foreground tabular-nums',
    'data-[state=short]:text-credits-destructive',
  ],
  {
    variants: {
      size: {
        sm: 'text-xs',
        default: 'text-sm',
      },
    },
    defaultVariants: { size: 'default' },
  },
);
