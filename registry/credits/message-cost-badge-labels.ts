/**
 * The labels of `MessageCostBadge`. Split from the component so that the badge carries only the four it shows
 * itself; the tooltip's labels load with the tooltip chunk.
 */
export interface MessageCostBadgeLabels {
  /** After the amount on the badge: "12 credits". */
  readonly unit: string;
  /** Tooltip title and screen-reader prefix of an estimate. */
  readonly estimated: string;
  /** Tooltip title and screen-reader prefix of an actual cost. */
  readonly actual: string;
  /** Read instead of "—" when there is no valid amount. */
  readonly unknown: string;
  readonly credits: string;
  readonly price: string;
  readonly model: string;
  readonly input: string;
  readonly cacheRead: string;
  readonly cacheWrite: string;
  readonly output: string;
  readonly reasoning: string;
  readonly total: string;
  /** Row of an actual cost showing what the pre-flight estimate reserved. */
  readonly estimatedCredits: string;
  readonly source: string;
  /** Display names of price sources; other sources are shown as given. */
  readonly sources: Readonly<Record<string, string>>;
}

/** What the badge itself reads; the rest only its tooltip (and loads with it). */
export type MessageCostBadgeTriggerLabels = Pick<MessageCostBadgeLabels, 'unit' | 'estimated' | 'actual' | 'unknown'>;

/** @internal The badge's own labels, without the tooltip's. */
export const MESSAGE_COST_BADGE_TRIGGER_LABELS: MessageCostBadgeTriggerLabels = /* @__PURE__ */ Object.freeze({
  unit: 'credits',
  estimated: 'Estimated cost',
  actual: 'Actual cost',
  unknown: 'unknown',
});

// Not a spread of the trigger labels: bundlers keep an object spread (it may run getters), and with it the tooltip's
// labels in every badge.
export const DEFAULT_MESSAGE_COST_BADGE_LABELS: MessageCostBadgeLabels = /* @__PURE__ */ Object.freeze({
  unit: 'credits',
  estimated: 'Estimated cost',
  actual: 'Actual cost',
  unknown: 'unknown',
  credits: 'Credits',
  price: 'Price',
  model: 'Model',
  input: 'Input',
  cacheRead: 'Cached input',
  cacheWrite: 'Cache write',
  output: 'Output',
  reasoning: 'Reasoning',
  total: 'Total tokens',
  estimatedCredits: 'Estimated',
  source: 'Priced by',
  sources: /* @__PURE__ */ Object.freeze({
    gateway: 'AI Gateway',
    'token-rates': 'Token rates',
    tokens: 'Token rates',
    estimate: 'Estimate',
    mixed: 'AI Gateway and token rates',
  }),
});
