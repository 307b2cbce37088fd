/**
 * Token usage and gateway cost as the AI SDK 7 and Convex Agent report them, read defensively: every field may be
 * missing, `undefined`, NaN or a string.
 */

/** Structural twin of AI SDK 7 `LanguageModelUsage` (and of the v2/v3 provider usage), every field optional. */
export interface UsageLike {
  readonly inputTokens?: number | undefined;
  readonly inputTokenDetails?: {
    readonly noCacheTokens?: number | undefined;
    readonly cacheReadTokens?: number | undefined;
    readonly cacheWriteTokens?: number | undefined;
  } | undefined;
  readonly outputTokens?: number | undefined;
  readonly outputTokenDetails?: { readonly textTokens?: number | undefined; readonly reasoningTokens?: number | undefined } | undefined;
  readonly totalTokens?: number | undefined;
  /** Older AI SDK names, still sent by some providers. */
  readonly promptTokens?: number | undefined;
  readonly completionTokens?: number | undefined;
  readonly reasoningTokens?: number | undefined;
  readonly cachedInputTokens?: number | undefined;
}

/** Tokens by pool. `input` is uncached input; the pools add up to `total` (nothing dropped). */
export interface TokenPools {
  readonly input: number;
  readonly cacheRead: number;
  readonly cacheWrite: number;
  readonly output: number;
  readonly reasoning: number;
  readonly total: number;
}

export type ProviderMetadataLike = Readonly<Record<string, unknown>> | undefined | null;

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

export const NO_TOKENS: TokenPools = Object.freeze({ input: 0, cacheRead: 0, cacheWrite: 0, output: 0, reasoning: 0, total: 0 });

/** Splits a usage object into pools without losing reasoning or cache tokens. */
export function tokenPools(usage: UsageLike | null | undefined): TokenPools {
  if (!usage || typeof usage !== 'object') return NO_TOKENS;
  const cacheRead = count(usage.inputTokenDetails?.cacheReadTokens ?? usage.cachedInputTokens);
  const cacheWrite = count(usage.inputTokenDetails?.cacheWriteTokens);
  const inputTotal = count(usage.inputTokens ?? usage.promptTokens);
  const noCache = usage.inputTokenDetails?.noCacheTokens;
  const input = noCache !== undefined ? count(noCache) : Math.max(0, inputTotal - cacheRead - cacheWrite);
  const outputTotal = count(usage.outputTokens ?? usage.completionTokens);
  const reasoning = count(usage.outputTokenDetails?.reasoningTokens ?? usage.reasoningTokens);
  const text = usage.outputTokenDetails?.textTokens;
  const output = text !== undefined ? count(text) : Math.max(0, outputTotal - reasoning);
  return { input, cacheRead, cacheWrite, output, reasoning, total: input + cacheRead + cacheWrite + output + reasoning };
}

const readable = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value) && value >= 0;

/**
 * Whether a step's usage says how many tokens it used: an input or output count (AI SDK or older names), and every
 * count given a finite number >= 0 (an embedding reports input only). `{}`, null, NaN, negative or string counts,
 * or `{ totalTokens }` alone are not — such a step must not be priced at 0 tokens.
 */
export function readableUsage(usage: UsageLike | null | undefined): boolean {
  if (!usage || typeof usage !== 'object') return false;
  const counts = [usage.inputTokens ?? usage.promptTokens, usage.outputTokens ?? usage.completionTokens].filter((value) => value !== undefined && value !== null);
  return counts.length > 0 && counts.every(readable);
}

/** Adds pools. */
export function addPools(a: TokenPools, b: TokenPools): TokenPools {
  return {
    input: a.input + b.input,
    cacheRead: a.cacheRead + b.cacheRead,
    cacheWrite: a.cacheWrite + b.cacheWrite,
    output: a.output + b.output,
    reasoning: a.reasoning + b.reasoning,
    total: a.total + b.total,
  };
}

/**
 * The Vercel AI Gateway's cost of one step: `providerMetadata.gateway.cost`, a decimal string in USD.
 * Returns the raw value (string or number) or undefined; validation happens in the exact conversion.
 */
export function gatewayCostOf(providerMetadata: ProviderMetadataLike): unknown {
  if (!providerMetadata || typeof providerMetadata !== 'object') return undefined;
  const gateway = (providerMetadata as Record<string, unknown>).gateway;
  if (!gateway || typeof gateway !== 'object') return undefined;
  return (gateway as Record<string, unknown>).cost;
}
