/**
 * Token prices per model and the model-aware pre-flight estimate. Prices are USD per million tokens, written as
 * decimal strings so that pricing stays exact. The defaults are a starting point taken from public list prices in
 * late 2026 — pass your own `prices` to `createCreditMeter` (the gateway's reported cost always wins when present).
 */
import { parseDecimal, unitsToString, usdToCreditUnits, unitsToCredits, type MoneyOptions } from '../core/money.js';
import type { TokenPools } from './usage.js';

export interface ModelPrice {
  /** USD per 1M uncached input tokens. */
  readonly input: string | number;
  /** USD per 1M output tokens (reasoning tokens are billed as output). */
  readonly output: string | number;
  /** USD per 1M cache-read input tokens; default: the input price. */
  readonly cacheRead?: string | number;
  /** USD per 1M cache-write input tokens; default: the input price. */
  readonly cacheWrite?: string | number;
  /** Context window in tokens, caps the estimate's prompt. */
  readonly contextWindow?: number;
}

export type ModelPriceTable = Readonly<Record<string, ModelPrice>>;

/** Defaults for a few common gateway model ids. Override them: prices change. */
export const DEFAULT_MODEL_PRICES: ModelPriceTable = {
  'openai/gpt-5': { input: '1.25', cacheRead: '0.125', output: '10', contextWindow: 400_000 },
  'openai/gpt-5-mini': { input: '0.25', cacheRead: '0.025', output: '2', contextWindow: 400_000 },
  'anthropic/claude-sonnet-4.5': { input: '3', cacheRead: '0.3', cacheWrite: '3.75', output: '15', contextWindow: 200_000 },
  'anthropic/claude-haiku-4.5': { input: '1', cacheRead: '0.1', cacheWrite: '1.25', output: '5', contextWindow: 200_000 },
  'google/gemini-2.5-flash': { input: '0.3', cacheRead: '0.075', output: '2.5', contextWindow: 1_000_000 },
  'openai/text-embedding-3-small': { input: '0.02', output: '0', contextWindow: 8_192 },
};

/**
 * Characters per token of the prompt estimate. 4 is the usual figure for English prose; 3 is used so that the
 * reserve errs high (code and non-English text tokenize denser). Non-ASCII characters count as a token each.
 */
export const CHARS_PER_TOKEN = 3;
/** Output tokens reserved when the caller gives no `maxOutputTokens`. */
export const DEFAULT_OUTPUT_ALLOWANCE = 1024;
/** Tokens a chat message adds beyond its text (role, separators). */
export const MESSAGE_OVERHEAD_TOKENS = 4;

const PER_MILLION = 6; // prices are per 10^6 tokens

/** Looks a model up by exact id, then without the `provider/` prefix. */
export function findModelPrice(prices: ModelPriceTable, model: string | undefined): ModelPrice | undefined {
  if (!model) return undefined;
  const exact = prices[model];
  if (exact) return exact;
  const bare = model.includes('/') ? model.slice(model.indexOf('/') + 1) : model;
  return Object.entries(prices).find(([id]) => id === bare || id.endsWith(`/${bare}`))?.[1];
}

/** The USD cost of token pools at a model's prices, as an exact decimal string. */
export function priceTokens(pools: TokenPools, price: ModelPrice): string {
  const terms: Array<[number, string | number]> = [
    [pools.input, price.input],
    [pools.cacheRead, price.cacheRead ?? price.input],
    [pools.cacheWrite, price.cacheWrite ?? price.input],
    [pools.output + pools.reasoning, price.output],
  ];
  const parsed = terms.map(([tokens, perMillion]) => ({ tokens: BigInt(tokens), rate: parseDecimal(perMillion) }));
  const scale = Math.max(...parsed.map((t) => t.rate.scale));
  let total = 0n;
  for (const { tokens, rate } of parsed) total += tokens * rate.coefficient * 10n ** BigInt(scale - rate.scale);
  return unitsToString(total, scale + PER_MILLION);
}

/** Rough token count of a text: see `CHARS_PER_TOKEN`. */
export function estimateTextTokens(text: string): number {
  let ascii = 0;
  let other = 0;
  for (const char of text) {
    if (char.charCodeAt(0) < 128) ascii += 1;
    else other += 1;
  }
  return Math.ceil(ascii / CHARS_PER_TOKEN) + other;
}

export type PromptLike = string | ReadonlyArray<{ readonly content?: unknown }>;

function promptText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part) => (part && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string' ? (part as { text: string }).text : '')).join('');
  return '';
}

/** Estimated prompt tokens of a string or a list of chat messages (AI SDK `ModelMessage`-like). */
export function estimatePromptTokens(prompt: PromptLike | undefined): number {
  if (prompt === undefined) return 0;
  if (typeof prompt === 'string') return estimateTextTokens(prompt);
  if (!Array.isArray(prompt)) return 0;
  return prompt.reduce((sum, message) => sum + MESSAGE_OVERHEAD_TOKENS + estimateTextTokens(promptText(message?.content)), 0);
}

export interface EstimateInput {
  readonly model: string;
  /** The prompt (text or messages); or give `promptTokens`. */
  readonly prompt?: PromptLike;
  readonly promptTokens?: number;
  /** Tokens of context added server-side (system prompt, retrieved documents, thread history). */
  readonly contextTokens?: number;
  readonly maxOutputTokens?: number;
}

export interface CostEstimate {
  readonly model: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly usd: string;
  readonly credits: number;
  readonly creditUnits: bigint;
}

/**
 * The worst-case cost of a call before it runs: estimated prompt + context tokens (capped at the context window)
 * at the input price, plus `maxOutputTokens` (default 1,024) at the output price. Returns null for a model without
 * a price.
 */
export function estimateCost(input: EstimateInput, prices: ModelPriceTable, money: MoneyOptions): CostEstimate | null {
  const price = findModelPrice(prices, input.model);
  if (!price) return null;
  const safe = (n: unknown): number => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.ceil(n) : 0);
  let inputTokens = (input.promptTokens !== undefined ? safe(input.promptTokens) : estimatePromptTokens(input.prompt)) + safe(input.contextTokens);
  if (price.contextWindow) inputTokens = Math.min(inputTokens, price.contextWindow);
  const outputTokens = input.maxOutputTokens !== undefined ? safe(input.maxOutputTokens) : DEFAULT_OUTPUT_ALLOWANCE;
  const usd = priceTokens({ input: inputTokens, cacheRead: 0, cacheWrite: 0, output: outputTokens, reasoning: 0, total: inputTokens + outputTokens }, price);
  const creditUnits = usdToCreditUnits(usd, money);
  return { model: input.model, inputTokens, outputTokens, usd, creditUnits, credits: unitsToCredits(creditUnits, money.creditDecimals) };
}
