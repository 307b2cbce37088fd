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

// Client modules ('use client'): they contribute components, hooks and contexts only — a value exported through one
// is a client reference on the server, so everything else comes from the directive-free modules further down.
export { CreditsContext, useCredits, useOptionalCredits, type CreditsContextValue, type TopUpResult, type TopUpState, type TopUpStatus } from './react/credits-context.js';
export {
  CreditsProvider,
  type CreditsProviderBaseProps,
  type CreditsProviderProps,
  type ExternalCreditsProviderProps,
  type ExternalTopUpOutcome,
  type NavigateFunction,
} from './react/credits-provider.js';
export { CreditsFormatContext, CreditsFormatProvider, useCreditFormatters, useCreditsFormat, type CreditsFormatProviderProps } from './react/lib/credits-format.js';
export * from './react/insufficient-credits.js';
export * from './react/components/credit-balance.js';
export * from './react/components/credit-top-up-dialog.js';
export * from './react/components/low-credit-warning.js';
export * from './react/components/message-cost-badge.js';
export {
  MessageCostBadgeCacheReadTokens,
  MessageCostBadgeCacheWriteTokens,
  MessageCostBadgeCredits,
  MessageCostBadgeDetails,
  MessageCostBadgeEstimatedCredits,
  MessageCostBadgeInputTokens,
  MessageCostBadgeModel,
  MessageCostBadgeOutputTokens,
  MessageCostBadgePrice,
  MessageCostBadgeReasoningTokens,
  MessageCostBadgeRow,
  MessageCostBadgeSource,
  MessageCostBadgeTitle,
  MessageCostBadgeTotalTokens,
  useMessageCostBadgeDetails,
  type MessageCostBadgeDetailsContextValue,
  type MessageCostBadgeFigureProps,
  type MessageCostBadgeRowProps,
} from './react/components/message-cost-badge-details.js';
export * from './react/components/credit-estimate.js';
export * from './react/components/usage-breakdown.js';
export * from './react/components/usage-chart.js';
// Explicitly, so that `AutoTopUpSettings` is the component AND (its type) the core's model, not an ambiguous name.
export * from './react/components/auto-top-up-settings.js';
export { AutoTopUpSettings } from './react/components/auto-top-up-settings.js';
export * from './react/components/spend-limits.js';

// Directive-free: callable from a Server Component or a Route Handler (issue 13).
export { IDLE_TOP_UP_STATE } from './react/shared/top-up.js';
export { resolveCreditsFormat, type CreditsFormat, type CreditsFormatOptions } from './react/shared/credits-format.js';
export {
  DEFAULT_CAP_REACHED_LABELS,
  DEFAULT_INSUFFICIENT_CREDITS_MESSAGE,
  INSUFFICIENT_CREDITS_STATUS,
  isInsufficientCreditsError,
  parseInsufficientCredits,
  readInsufficientCredits,
  type CapReachedLabels,
  type InsufficientCredits,
  type InsufficientCreditsBody,
  type InsufficientCreditsMessage,
  type InsufficientCreditsReasonText,
} from './react/lib/insufficient-credits.js';
export { resolveAutoTopUp, type CreditAutoTopUp, type ResolvedAutoTopUp } from './react/lib/auto-top-up.js';
export {
  DEFAULT_CREDIT_BALANCE_LABELS,
  creditBalanceState,
  creditBalanceVariants,
  type CreditBalanceLabels,
  type CreditBalanceState,
} from './react/shared/credit-balance.js';
export {
  DEFAULT_CREDIT_TOP_UP_DIALOG_LABELS,
  creditTopUpDialogVariants,
  type CreditTopUpDialogLabels,
} from './react/shared/credit-top-up-dialog.js';
export {
  DEFAULT_LOW_CREDIT_WARNING_LABELS,
  lowCreditWarningLevel,
  lowCreditWarningVariants,
  type LowCreditWarningLabels,
  type LowCreditWarningLevel,
} from './react/shared/low-credit-warning.js';
export { DEFAULT_MESSAGE_COST_BADGE_LABELS, type MessageCostBadgeLabels } from './react/components/message-cost-badge-labels.js';
export { messageCostBadgeVariants } from './react/shared/message-cost-badge.js';
export type { CostFormatters } from './core/format.js';
export {
  DEFAULT_CREDIT_ESTIMATE_LABELS,
  affordability,
  creditEstimateVariants,
  type Affordability,
  type CreditEstimateLabels,
  type CreditEstimateState,
} from './react/shared/credit-estimate.js';
export {
  AUTUMN_EVENT_LAG_MS,
  DEFAULT_USAGE_BREAKDOWN_LABELS,
  usageBreakdownRows,
  usageBreakdownState,
  usageBreakdownVariants,
  withPendingUsage,
  type UsageBreakdownData,
  type UsageBreakdownItem,
  type UsageBreakdownLabels,
  type UsageBreakdownPending,
  type UsageBreakdownRow,
  type UsageBreakdownState,
  type UsageBreakdownSummary,
} from './react/shared/usage-breakdown.js'
;
export {
  DEFAULT_USAGE_CHART_LABELS,
  USAGE_CHART_GROUPS,
  USAGE_CHART_PALETTE_SIZE,
  USAGE_CHART_RANGES,
  defaultUsageChartBin,
  usageChartDays,
  usageChartSeries,
  usageChartState,
  usageChartTicks,
  usageChartVariants,
  type UsageChartAggregate,
  type UsageChartAggregateBin,
  type UsageChartBin,
  type UsageChartBucket,
  type UsageChartData,
  type UsageChartGroupBy,
  type UsageChartLabels,
  type UsageChartModel,
  type UsageChartOptions,
  type UsageChartPurchase,
  type UsageChartPurchaseKind,
  type UsageChartPurchaseMark,
  type UsageChartRange,
  type UsageChartSeriesItem,
  type UsageChartState,
} from './react/shared/usage-chart.js';
export {
  DEFAULT_BILLING_CONTROLS_ISSUE_LABEL,
  billingControlsFormState,
  memberCapUsage,
  readBillingControlsIssues,
  type BillingControlsData,
  type BillingControlsFormState,
  type BillingControlsIssueLabel,
  type BillingControlsIssueValues,
  type BillingControlsSaveStatus,
} from './react/shared/billing-controls-form.js';
export {
  DEFAULT_AUTO_TOP_UP_PURCHASE_LIMIT,
  DEFAULT_AUTO_TOP_UP_SETTINGS_LABELS,
  autoTopUpSettingsVariants,
  checkAutoTopUpValue,
  defaultAutoTopUpValue,
  type AutoTopUpSettingsLabels,
  type AutoTopUpSettingsValue,
} from './react/shared/auto-top-up-settings.js';
export {
  DEFAULT_SPEND_LIMIT,
  DEFAULT_SPEND_LIMITS_LABELS,
  EMPTY_SPEND_LIMITS,
  SPEND_LIMIT_UNITS,
  checkSpendLimitsValue,
  memberUsage,
  spendLimitAmount,
  spendLimitKey,
  spendLimitsVariants,
  withSpendLimitUnit,
  type MemberCapValue,
  type SpendLimitUnit,
  type SpendLimitValue,
  type SpendLimitsLabels,
  type SpendLimitsValue,
} from './react/shared/spend-limits.js';
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

// Building blocks for registry components (issue 16): what the shadcn registry's component files import from the
// package besides the names above — the kit's own helpers, so the files a team owns after `shadcn add` (copies of
// src/react/components/*, scripts/build-registry.mjs) behave exactly as the packaged components. docs/registry.md.
export { buttonVariants } from './react/lib/button.js';
export { composeEventHandlers, tapped } from './react/lib/compose-event-handlers.js';
export { createPartsContext } from './react/lib/parts.js';
export { displayAmount } from './react/lib/amounts.js';
export { getCostFormatters, getCreditsFormatter } from './core/format.js';
export { messageCostUsd, messageUsage, resolveMessageAmounts } from './react/lib/message-cost.js';
export { propsEqual } from './react/lib/same-content.js';
export { UNKNOWN_AFFORDABILITY } from './react/shared/credit-estimate.js';
export { useControllableState } from './react/lib/use-controllable-state.js';
export { useInheritedCreditsFormat } from './react/lib/credits-format.js';
export { withLabels } from './react/lib/labels.js';
