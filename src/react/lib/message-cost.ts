/**
 * The cost of one chat message, as the server helper records it, and the pure functions `MessageCostBadge`
 * renders from: which state the badge is in, how many credits and dollars, and a token breakdown whose total keeps
 * cache and reasoning tokens.
 */
import type { CreditsConfig } from '../../core/config.js';
import { unitsToNumber, usdOf, usdUnits } from '../../core/decimal.js';
import { displayAmount } from './amounts.js';

/** Whether a cost was guessed before the call (`estimate`) or settled with what the call really cost (`actual`). */
export type MessageCostKind = 'estimate' | 'actual';

/**
 * Where a price came from: the AI Gateway's reported cost, the model's per-token rates, a pre-call estimate, or a
 * mix (a multi-step call priced partly each way). Other strings are shown as they are.
 */
export type MessageCostSource = 'gateway' | 'token-rates' | 'tokens' | 'estimate' | 'mixed' | (string & {});

/**
 * Token usage, structurally compatible with the AI SDK's `LanguageModelUsage` (every field optional, so partial
 * records from a database or another SDK version fit too).
 */
export interface MessageTokenUsage {
  readonly inputTokens?: number | undefined;
  readonly inputTokenDetails?:
    | {
        readonly noCacheTokens?: number | undefined;
        readonly cacheReadTokens?: number | undefined;
        readonly cacheWriteTokens?: number | undefined;
      }
    | undefined;
  readonly outputTokens?: number | undefined;
  readonly outputTokenDetails?:
    | {
        readonly textTokens?: number | undefined;
        readonly reasoningTokens?: number | undefined;
      }
    | undefined;
  readonly totalTokens?: number | undefined;
}

/**
 * Token usage as the server helper stores it on a cost record (`tokenPools` of `autumn-ai-credits/server`): already
 * split into pools that add up to `total`.
 */
export interface MessageTokenPools {
  /** Input tokens read without cache. */
  readonly input?: number | undefined;
  readonly cacheRead?: number | undefined;
  readonly cacheWrite?: number | undefined;
  /** Output text tokens (without reasoning). */
  readonly output?: number | undefined;
  readonly reasoning?: number | undefined;
  readonly total?: number | undefined;
}

/**
 * The per-message cost: the server helper's `MessageCostRecord` (stored on the message, e.g. in its metadata) fits
 * as it is, and so does any partial record. Tolerant: only `credits` is expected, everything else is shown when
 * present, and unreadable values show "—" instead of breaking the chat.
 */
export interface MessageCost {
  /** Credits, as a number or a decimal string. */
  readonly credits: number | string;
  /** Cost in the config currency; the gateway's decimal string is accepted as is. */
  readonly usd?: number | string | null | undefined;
  readonly model?: string | null | undefined;
  readonly source?: MessageCostSource | null | undefined;
  /** Default: `estimate` when `source` is `estimate`, else `actual`. */
  readonly kind?: MessageCostKind | null | undefined;
  /** What the pre-flight estimate reserved, shown beside an actual cost. */
  readonly estimatedCredits?: number | string | null | undefined;
  /** AI SDK `LanguageModelUsage` or the server helper's token pools. */
  readonly usage?: MessageTokenUsage | MessageTokenPools | null | undefined;
}

/** One data attribute for the badge: `unknown` when there is no valid amount to show. */
export type MessageCostState = MessageCostKind | 'unknown';

/** The badge's state from its amount and kind (a pure function, so styles key off `data-state`). */
export function messageCostState(input: { credits: number | null; kind: MessageCostKind }): MessageCostState {
  return input.credits === null ? 'unknown' : input.kind;
}

/** Token counts for the tooltip. null: not reported (or unreadable). */
export interface TokenBreakdown {
  /** Input tokens read without cache. */
  readonly input: number | null;
  readonly cacheRead: number | null;
  readonly cacheWrite: number | null;
  /** Output text tokens (without reasoning). */
  readonly output: number | null;
  readonly reasoning: number | null;
  /** Every token of the call: never less than the parts, so cache and reasoning tokens are never dropped. */
  readonly total: number | null;
}

function count(value: unknown): number | null {
  return typeof value === 'number' ? displayAmount(value) : null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function sumKnown(...values: (number | null)[]): number | null {
  let total: number | null = null;
  for (const value of values) if (value !== null) total = (total ?? 0) + value;
  return total;
}

function maxKnown(...values: (number | null)[]): number | null {
  let max: number | null = null;
  for (const value of values) if (value !== null && (max === null || value > max)) max = value;
  return max;
}

/**
 * What a reported total leaves for its unreported part. The AI SDK's totals include their details; a total smaller
 * than its details comes from a provider whose totals exclude them, so the total is that part.
 */
function remainder(total: number | null, details: number | null): number | null {
  if (total === null) return null;
  return details !== null && details <= total ? total - details : total;
}

const POOL_KEYS = ['input', 'cacheRead', 'cacheWrite', 'output', 'reasoning'] as const;
const SDK_KEYS = ['inputTokens', 'outputTokens', 'totalTokens', 'inputTokenDetails', 'outputTokenDetails'] as const;

/** The server helper's pools (`{ input, cacheRead, ... }`) rather than the AI SDK's `{ inputTokens, ... }`. */
function isPools(usage: Record<string, unknown>): boolean {
  return POOL_KEYS.some((key) => key in usage) && !SDK_KEYS.some((key) => key in usage);
}

function poolsBreakdown(usage: Record<string, unknown>): TokenBreakdown | null {
  const input = count(usage.input);
  const cacheRead = count(usage.cacheRead);
  const cacheWrite = count(usage.cacheWrite);
  const output = count(usage.output);
  const reasoning = count(usage.reasoning);
  const total = maxKnown(count(usage.total), sumKnown(input, cacheRead, cacheWrite, output, reasoning));
  // The server stores all-zero pools for a call that reported no usage: nothing to show.
  if (total === null || total === 0) return null;
  return { input, cacheRead, cacheWrite, output, reasoning, total };
}

/**
 * Splits a usage record into non-cached input, cache reads, cache writes, output text and reasoning. Providers
 * differ on whether `inputTokens` includes cache tokens and `outputTokens` includes reasoning, so each total is the
 * larger of the reported total and the sum of its parts. Unreadable counts (NaN, negative) are left out; null when
 * nothing is readable.
 */
export function tokenBreakdown(usage: unknown): TokenBreakdown | null {
  if (!isObject(usage)) return null;
  if (isPools(usage)) return poolsBreakdown(usage);
  const inputDetails = isObject(usage.inputTokenDetails) ? usage.inputTokenDetails : {};
  const outputDetails = isObject(usage.outputTokenDetails) ? usage.outputTokenDetails : {};

  const inputTotal = count(usage.inputTokens);
  const cacheRead = count(inputDetails.cacheReadTokens);
  const cacheWrite = count(inputDetails.cacheWriteTokens);
  const input = count(inputDetails.noCacheTokens) ?? remainder(inputTotal, sumKnown(cacheRead, cacheWrite));

  const outputTotal = count(usage.outputTokens);
  const reasoning = count(outputDetails.reasoningTokens);
  const output = count(outputDetails.textTokens) ?? remainder(outputTotal, reasoning);

  const allInput = maxKnown(inputTotal, sumKnown(input, cacheRead, cacheWrite));
  const allOutput = maxKnown(outputTotal, sumKnown(output, reasoning));
  const total = maxKnown(count(usage.totalTokens), sumKnown(allInput, allOutput));
  if (total === null) return null;
  return { input, cacheRead, cacheWrite, output, reasoning, total };
}

/** What the badge shows, every number checked: null where the input was missing or not a valid amount. */
export interface ResolvedMessageCost extends MessageCostAmounts {
  /** The price as given, else derived from the credits at the config's rate. */
  readonly usd: number | null;
  readonly tokens: TokenBreakdown | null;
}

/**
 * The badge's own numbers: what `resolveMessageCost` gives without the token breakdown (which only the tooltip
 * shows, and loads with it), and with `usd` only as given (`messageCostUsd` derives it from the credits).
 */
export interface MessageCostAmounts {
  readonly state: MessageCostState;
  readonly kind: MessageCostKind;
  readonly credits: number | null;
  readonly usd: number | null;
  readonly model: string | null;
  readonly source: string | null;
  /** The pre-flight estimate of an actual cost (null for an estimate itself, or when unknown). */
  readonly estimatedCredits: number | null;
}

/** What `MessageCostBadge` reads: plain props, a `cost` record, or both (props win). */
export interface MessageCostInput {
  /** Credits, as a number or a decimal string. */
  readonly credits?: number | string | undefined;
  readonly usd?: number | string | undefined;
  readonly cost?: Partial<MessageCost> | null | undefined;
  readonly usage?: MessageTokenUsage | MessageTokenPools | null | undefined;
  readonly model?: string | undefined;
  readonly kind?: MessageCostKind | undefined;
  readonly source?: MessageCostSource | undefined;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/** Only the two known kinds count; anything else (from untyped JSON) is left to the default. */
function kindOf(value: unknown): MessageCostKind | null {
  return value === 'estimate' || value === 'actual' ? value : null;
}

/** @internal The token usage of the input: the explicit prop over the record's. */
export function messageUsage(input: MessageCostInput): unknown {
  return input.usage ?? (isObject(input.cost) ? input.cost.usage : undefined);
}

/**
 * Resolves the badge's numbers: explicit props over the `cost` record; credits from USD (exactly, at the config's
 * rate) when only USD is known, and USD from credits the other way round.
 */
export function resolveMessageCost(
  input: MessageCostInput,
  config: Pick<CreditsConfig, 'creditsPerUsd' | 'creditDecimals'>,
): ResolvedMessageCost {
  const amounts = resolveMessageAmounts(input, config);
  return { ...amounts, usd: messageCostUsd(amounts, config), tokens: tokenBreakdown(messageUsage(input)) };
}

/** The price of a cost: as given, else derived exactly from its credits at the config's rate. */
export function messageCostUsd(
  cost: Pick<MessageCostAmounts, 'credits' | 'usd'>,
  config: Pick<CreditsConfig, 'creditsPerUsd'>,
): number | null {
  return cost.usd ?? (cost.credits === null ? null : usdOf(cost.credits, config.creditsPerUsd));
}

/**
 * @internal `resolveMessageCost` without the token breakdown and without deriving the price from the credits: what
 * the badge itself shows (its tooltip completes the rest).
 */
export function resolveMessageAmounts(
  input: MessageCostInput,
  config: Pick<CreditsConfig, 'creditsPerUsd' | 'creditDecimals'>,
): MessageCostAmounts {
  const cost = isObject(input.cost) ? input.cost : undefined;
  const source = text(input.source) ?? text(cost?.source);
  const kind: MessageCostKind = kindOf(input.kind) ?? kindOf(cost?.kind) ?? (source === 'estimate' ? 'estimate' : 'actual');
  const rawCredits = input.credits ?? cost?.credits;
  const rawUsd = input.usd ?? cost?.usd;

  let credits = displayAmount(rawCredits);
  const usd = displayAmount(rawUsd);
  // Exact decimal conversions (null instead of an error for an unusable rate): a badge never throws into a chat.
  if (credits === null && usd !== null) {
    const units = usdUnits(rawUsd, config.creditsPerUsd, config.creditDecimals, 'up');
    credits = units === null ? null : unitsToNumber(units, config.creditDecimals);
  }
  const estimatedCredits = kind === 'actual' ? displayAmount(cost?.estimatedCredits) : null;

  return {
    state: messageCostState({ credits, kind }),
    kind,
    credits,
    usd,
    model: text(input.model) ?? text(cost?.model),
    source,
    estimatedCredits,
  };
}
