/**
 * No `'use client'` here (issue 13): this barrel and the core it re-exports run in Server Components and Route
 * Handlers; the component, hook and provider modules carry their own directive.
 *
 * `autumn-ai-credits`: the React kit. The core (config, exact money, customer normalization, formatters), the
 * provider and hooks, and the components — each as a presentational `XView` and a connected `X`. Nothing here loads
 * server or testing code, nor autumn-js (any version, any subpath): the provider that reads autumn-js/react is
 * `AutumnCreditsProvider` in `autumn-ai-credits/autumn`, so this entry loads next to autumn-js 0.1.x and 1.3.x.
 */
export * from './core/index.js';

export {
  CreditsContext,
  useCredits,
  useOptionalCredits,
  type CreditsContextValue,
  type TopUpResult,
  type TopUpState,
  type TopUpStatus,
} from './react/credits-context.js';
export {
  CreditsProvider,
  IDLE_TOP_UP_STATE,
  type CreditsProviderBaseProps,
  type CreditsProviderProps,
  type ExternalCreditsProviderProps,
  type ExternalTopUpOutcome,
  type NavigateFunction,
} from './react/credits-provider.js';
export {
  CreditsFormatContext,
  CreditsFormatProvider,
  resolveCreditsFormat,
  useCreditsFormat,
  type CreditsFormat,
  type CreditsFormatOptions,
  type CreditsFormatProviderProps,
} from './react/lib/credits-format.js';
export * from './react/insufficient-credits.js';

export * from './react/components/credit-balance.js';
export * from './react/components/credit-top-up-dialog.js';
export * from './react/components/low-credit-warning.js';
export * from './react/components/message-cost-badge.js';
export * from './react/components/credit-estimate.js';
export * from './react/components/usage-breakdown.js';
export {
  messageCostState,
  resolveMessageCost,
  tokenBreakdown,
  type MessageCost,
  type MessageCostAmounts,
  type MessageCostInput,
  type MessageCostKind,
  type MessageCostSource,
  type MessageCostState,
  type MessageTokenPools,
  type MessageTokenUsage,
  type ResolvedMessageCost,
  type TokenBreakdown,
} from './react/lib/message-cost.js';
