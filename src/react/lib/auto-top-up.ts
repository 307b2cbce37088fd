/**
 * What `CreditBalance` and `LowCreditWarning` say about an org's auto top-up ("Tops up 40,000 at 2,000 or less"):
 * the credits one top-up adds and the balance it fires at. Directive-free and tiny on purpose — the balance and the
 * warning load it, never the billing controls' validation.
 *
 * Autumn buys when the balance is AT or below the threshold (server/src/internal/balances/autoTopUp/helpers/
 * fullCustomerToAutoTopupObjects.ts: `remainingBalance <= autoTopupConfig.threshold`).
 */
import type { AutoTopUpSettings } from '../../core/billing-controls.js';
import type { CreditTopUpPackage } from '../../core/config.js';

/**
 * An auto top-up as the balance and the warning take it: the kit's `AutoTopUpSettings` as it is (what
 * `createBillingControls().get()` answers in `controls.autoTopUp`), or only what they show: `{ enabled, threshold,
 * credits }`.
 */
export type CreditAutoTopUp = Pick<AutoTopUpSettings, 'enabled' | 'threshold'> & Partial<Omit<AutoTopUpSettings, 'enabled' | 'threshold'>>;

/** An auto top-up that is on, with the credits it adds (> 0) and its threshold (>= 0). */
export interface ResolvedAutoTopUp {
  readonly credits: number;
  readonly threshold: number;
}

/**
 * The auto top-up to mention, or null: off, missing, or with an unreadable threshold or amount (NaN, negative:
 * never shown). The credits are the pack's (`credits` × `quantity`, from the config's `topUps` by
 * `packId`), else `credits`.
 */
export function resolveAutoTopUp(autoTopUp: CreditAutoTopUp | null | undefined, topUps: readonly CreditTopUpPackage[] | undefined): ResolvedAutoTopUp | null {
  if (!autoTopUp?.enabled) return null;
  const { threshold, packId } = autoTopUp;
  const pack = topUps?.find((candidate) => candidate.id === packId);
  const credits = pack ? pack.credits * (pack.quantity ?? 1) : (autoTopUp.credits ?? 0);
  // Comparisons are false for NaN (and for undefined at run time); Infinity formats as "—", never "Infinity".
  return credits > 0 && threshold >= 0 ? { credits, threshold } : null;
}
