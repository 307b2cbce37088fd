'use client';
/**
 * The contract between `CreditsProvider` (which builds the value) and everything that reads it (`useCredits`, the
 * connected components). Kept apart from the provider so components depend on this small file only.
 */
import * as React from 'react';
import type { CreditsConfig, CreditTopUpPackage } from '../core/config.js';
import type { CreditState } from '../core/customer.js';

/** What a top-up attempt is doing; drives the dialog's pending/error/success states. */
export type TopUpStatus = 'idle' | 'pending' | 'redirecting' | 'succeeded' | 'failed';

export interface TopUpState {
  readonly status: TopUpStatus;
  /** The package being bought (or last bought). */
  readonly packageId: string | null;
  readonly error: Error | null;
}

/** The result of `topUp()`: where the browser is sent (Autumn's checkout URL), or that the purchase completed in place. */
export type TopUpResult =
  | { readonly kind: 'redirect'; readonly url: string }
  | { readonly kind: 'completed' };

export interface CreditsContextValue {
  /** The normalized balance (never NaN/Infinity/negative), with optimistic deductions applied. */
  readonly state: CreditState;
  readonly config: CreditsConfig;
  /** Top-up packages from the config, in display order. */
  readonly packages: readonly CreditTopUpPackage[];
  readonly topUpState: TopUpState;
  /** Buy a top-up package through Autumn attach/checkout. Rejects with a CreditsError for an unknown package id. */
  topUp(packageId: string): Promise<TopUpResult>;
  /** Refetch the customer; optimistic deductions are dropped when the fresh balance arrives. */
  refresh(): Promise<void>;
  /**
   * Deduct `cost` credits (a number, a decimal string, or a cost record with `credits`) from the shown balance right
   * away; reconciled by the next fetch. Invalid amounts are ignored (and reported in development).
   */
  applyUsage(cost: number | string | { readonly credits: number | string }): void;
  /** Back to `idle` after a finished or failed top-up (the dialog calls it when it reopens). Optional for hand-built values. */
  resetTopUp?(): void;
}

export const CreditsContext = React.createContext<CreditsContextValue | null>(null);
CreditsContext.displayName = 'CreditsContext';

/** The credits state and actions. Throws when used outside `<CreditsProvider>`. */
export function useCredits(): CreditsContextValue {
  const value = React.useContext(CreditsContext);
  if (value === null) throw new Error('useCredits must be used within <CreditsProvider>');
  return value;
}

/** Like `useCredits`, but null outside a provider (for components that also work with props alone). */
export function useOptionalCredits(): CreditsContextValue | null {
  return React.useContext(CreditsContext);
}
