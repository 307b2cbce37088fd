'use client';
/**
 * The parts of `MessageCostBadge`'s details (issue 16), in the manner of AI Elements' `Context`: a title and a list
 * with one row per figure — credits, the pre-flight estimate, price, model, each token pool and the total, and where
 * the price came from. The badge's tooltip renders them from one context; the `details` prop of the badge takes your
 * own arrangement of them.
 *
 * No Radix here: importing these parts does not load the tooltip, which stays in its own chunk
 * (`message-cost-badge-tooltip.tsx`) until the first hover, focus or tap of a badge.
 */
import * as React from 'react';
import type { CostFormatters, MessageCostAmounts, TokenBreakdown } from 'autumn-ai-credits';
import { cn } from '@/lib/utils';
import type { MessageCostBadgeLabels } from './message-cost-badge-labels';

/** What the badge's tooltip resolved, for the detail parts (`useMessageCostBadgeDetails`). */
export interface MessageCostBadgeDetailsContextValue {
  readonly cost: MessageCostAmounts;
  /** The price as given, else derived from the credits at the config's rate; null when neither is known. */
  readonly usd: number | null;
  /** The token pools (null: no usage reported). */
  readonly tokens: TokenBreakdown | null;
  /** Credits, money and exact token counts in the badge's locale and currency. */
  readonly formatters: CostFormatters;
  readonly labels: MessageCostBadgeLabels;
}

/** @internal The detail parts' context, provided by the badge's tooltip (not exported from the package). */
export const MessageCostBadgeDetailsContext = /* @__PURE__ */ React.createContext<MessageCostBadgeDetailsContextValue | null>(null);

function useDetailsPart(): MessageCostBadgeDetailsContextValue {
  const value = React.useContext(MessageCostBadgeDetailsContext);
  if (value === null) throw new Error('MessageCostBadge parts must be used within <MessageCostBadge>');
  return value;
}

/** What the badge's tooltip resolved (amounts, price, tokens, formatters, labels), for a detail part of your own. */
export const useMessageCostBadgeDetails: () => MessageCostBadgeDetailsContextValue = useDetailsPart;

/** "Actual cost" or "Estimated cost", above the rows. */
export function MessageCostBadgeTitle({ className, children, ...props }: React.ComponentProps<'p'>) {
  const { cost, labels } = useDetailsPart();
  return (
    <p data-slot="message-cost-badge-title" className={cn('mb-1 font-semibold', className)} {...props}>
      {children ?? (cost.kind === 'estimate' ? labels.estimated : labels.actual)}
    </p>
  );
}

/** The list of rows (`<dl>`); its children replace the default rows, each of which renders only when it applies. */
export function MessageCostBadgeDetails({ className, children, ...props }: React.ComponentProps<'dl'>) {
  useDetailsPart(); // outside a badge's details it throws, whatever its children
  return (
    <dl data-slot="message-cost-badge-details" className={cn('grid gap-0.5', className)} {...props}>
      {children ?? FIGURES.map((Figure, index) => <Figure key={index} />)}
    </dl>
  );
}

export type MessageCostBadgeRowProps = React.ComponentProps<'div'> & {
  /** The term (`<dt>`). */
  label: React.ReactNode;
};

/** One row: its label as the term, its children as the value. For rows of your own inside `MessageCostBadgeDetails`. */
export function MessageCostBadgeRow({ label, className, children, ...props }: MessageCostBadgeRowProps) {
  return (
    <div data-slot="message-cost-badge-row" className={cn('flex items-baseline justify-between gap-4', className)} {...props}>
      <dt className="text-credits-muted-foreground">{label}</dt>
      <dd className="font-medium tabular-nums">{children}</dd>
    </div>
  );
}

/** Props of the figure rows: a row's own; children replace the formatted value. */
export type MessageCostBadgeFigureProps = Omit<MessageCostBadgeRowProps, 'label'>;

type Figure = 'credits' | 'estimatedCredits' | 'price' | 'model' | keyof TokenBreakdown | 'source';

/** What a figure row shows for this cost, or null when it does not apply. */
function shown(figure: Figure, { cost, usd, tokens, formatters, labels }: MessageCostBadgeDetailsContextValue): string | null {
  if (figure === 'credits') return cost.credits === null ? '—' : formatters.credits(cost.credits);
  if (figure === 'estimatedCredits') return cost.estimatedCredits === null ? null : formatters.credits(cost.estimatedCredits);
  if (figure === 'price') return usd === null ? null : formatters.money(usd);
  if (figure === 'model') return cost.model;
  if (figure === 'source') return cost.source === null ? null : (labels.sources[cost.source] ?? cost.source);
  const count = tokens?.[figure] ?? null;
  // Cache and reasoning rows only when the call used them; input, output and the total (which counts them) always.
  return count === null || (count === 0 && (figure === 'cacheRead' || figure === 'cacheWrite' || figure === 'reasoning')) ? null : formatters.tokens(count);
}

/** The part for one figure: its row, labelled from `labels`, when it applies to the cost; nothing otherwise. */
function figure(name: Figure) {
  return function MessageCostBadgeFigure({ children, ...props }: MessageCostBadgeFigureProps) {
    const context = useDetailsPart();
    const value = shown(name, context);
    return value === null ? null : (
      <MessageCostBadgeRow label={context.labels[name]} {...props}>
        {children ?? value}
      </MessageCostBadgeRow>
    );
  };
}

/** Credits charged ("—" when unknown). */
export const MessageCostBadgeCredits = /* @__PURE__ */ figure('credits');
/** What the pre-flight estimate reserved, beside an actual cost that has one. */
export const MessageCostBadgeEstimatedCredits = /* @__PURE__ */ figure('estimatedCredits');
/** The price in the currency, with sub-cent precision. */
export const MessageCostBadgePrice = /* @__PURE__ */ figure('price');
/** The model, when known. */
export const MessageCostBadgeModel = /* @__PURE__ */ figure('model');
/** Input tokens read without cache. */
export const MessageCostBadgeInputTokens = /* @__PURE__ */ figure('input');
/** Input tokens read from the cache, when any. */
export const MessageCostBadgeCacheReadTokens = /* @__PURE__ */ figure('cacheRead');
/** Input tokens written to the cache, when any. */
export const MessageCostBadgeCacheWriteTokens = /* @__PURE__ */ figure('cacheWrite');
/** Output text tokens (without reasoning). */
export const MessageCostBadgeOutputTokens = /* @__PURE__ */ figure('output');
/** Reasoning tokens, when any. */
export const MessageCostBadgeReasoningTokens = /* @__PURE__ */ figure('reasoning');
/** Every token of the call, cache and reasoning included. */
export const MessageCostBadgeTotalTokens = /* @__PURE__ */ figure('total');
/** Where the price came from ("AI Gateway", "Token rates"...; other sources as given). */
export const MessageCostBadgeSource = /* @__PURE__ */ figure('source');

/** The default rows, in order. */
const FIGURES = [
  MessageCostBadgeCredits,
  MessageCostBadgeEstimatedCredits,
  MessageCostBadgePrice,
  MessageCostBadgeModel,
  MessageCostBadgeInputTokens,
  MessageCostBadgeCacheReadTokens,
  MessageCostBadgeCacheWriteTokens,
  MessageCostBadgeOutputTokens,
  MessageCostBadgeReasoningTokens,
  MessageCostBadgeTotalTokens,
  MessageCostBadgeSource,
];
