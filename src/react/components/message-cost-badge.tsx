'use client';
/**
 * `MessageCostBadge`: what one chat message cost, in credits, with a tooltip listing the tokens (non-cached input,
 * cache reads and writes, output text, reasoning, and a total that keeps them all), the price, the model and where
 * the price came from. An estimate reads "≈ 12 credits" on a dashed border; an actual cost has a solid one.
 *
 * Built to be rendered thousands of times in one chat: a plain `<button>` until the first hover or focus mounts the
 * Radix Tooltip, formatters from the memoized core cache, `React.memo` with a comparison that accepts rebuilt cost
 * records, and no subscription to the balance (only to the rarely changing `CreditsFormatContext`).
 */
import * as React from 'react';
import * as TooltipPrimitive from '@radix-ui/react-tooltip';
import { cva, type VariantProps } from 'class-variance-authority';
import { DEFAULT_MONEY_CONFIG, type CreditsConfig } from '../../core/config.js';
import { getFormatters, type CreditFormatters } from '../../core/format.js';
import { cn } from '../lib/cn.js';
import { withLabels } from '../lib/labels.js';
import { composeEventHandlers } from '../lib/compose-event-handlers.js';
import { useInheritedCreditsFormat } from '../lib/credits-format.js';
// Memo comparison: rebuilt cost records with the same contents count as the same props.
import { propsEqual } from '../lib/same-content.js';
import { resolveMessageCost, type MessageCostInput, type ResolvedMessageCost } from '../lib/message-cost.js';

/** Hover delay before the tooltip opens: long enough that moving the pointer across a chat opens none. */
const TOOLTIP_DELAY_MS = 300;
/** Gap between the badge and its tooltip, in px. */
const TOOLTIP_OFFSET_PX = 4;

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

export const DEFAULT_MESSAGE_COST_BADGE_LABELS: MessageCostBadgeLabels = Object.freeze({
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
  sources: Object.freeze({
    gateway: 'AI Gateway',
    'token-rates': 'Token rates',
    tokens: 'Token rates',
    estimate: 'Estimate',
    mixed: 'AI Gateway and token rates',
  }),
});

export interface MessageCostBadgeClassNames {
  readonly prefix?: string;
  readonly value?: string;
  readonly unit?: string;
  readonly content?: string;
  readonly title?: string;
  readonly details?: string;
  readonly row?: string;
  readonly arrow?: string;
}

export const messageCostBadgeVariants = cva(
  [
    'inline-flex shrink-0 items-center gap-1 whitespace-nowrap rounded-md border border-border bg-transparent font-medium tabular-nums',
    'text-muted-foreground transition-colors outline-none hover:bg-muted hover:text-foreground',
    'focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-offset-1 focus-visible:ring-offset-background',
    'data-[state=estimate]:border-dashed data-[state=unknown]:opacity-70',
  ],
  {
    variants: {
      size: {
        sm: 'h-5 px-1.5 text-[0.6875rem]',
        default: 'h-6 px-2 text-xs',
      },
    },
    defaultVariants: { size: 'default' },
  },
);

export type MessageCostBadgeViewProps = Omit<React.ComponentPropsWithoutRef<'button'>, 'children'> &
  MessageCostInput &
  VariantProps<typeof messageCostBadgeVariants> & {
    /** BCP 47 tag for numbers; default the runtime's. */
    locale?: string | undefined;
    /** ISO 4217 code for the price; default the config's currency. */
    currency?: string | undefined;
    /** Conversion rate and precision for credits ⇄ price when only one is given; default `defaultCreditsConfig`. */
    config?: Pick<CreditsConfig, 'creditsPerUsd' | 'creditDecimals' | 'currency'> | undefined;
    /** Side of the badge the tooltip opens on. */
    side?: TooltipPrimitive.TooltipContentProps['side'];
    labels?: Partial<MessageCostBadgeLabels> | undefined;
    classNames?: MessageCostBadgeClassNames | undefined;
    /** Replaces the badge's visible content (the tooltip stays). */
    children?: React.ReactNode;
  };

function BadgeValue({ cost, formatters, labels, classNames }: BadgeContentProps) {
  const estimate = cost.kind === 'estimate';
  const title = estimate ? labels.estimated : labels.actual;
  if (cost.credits === null) {
    return (
      <>
        <span className="sr-only">{`${title}: ${labels.unknown}`}</span>{' '}
        <span data-slot="message-cost-badge-value" aria-hidden="true" className={classNames?.value}>
          —
        </span>
      </>
    );
  }
  return (
    <>
      <span className="sr-only">{`${title}:`}</span>{' '}
      {estimate ? (
        <span data-slot="message-cost-badge-prefix" aria-hidden="true" className={classNames?.prefix}>
          ≈
        </span>
      ) : null}
      <span data-slot="message-cost-badge-value" className={classNames?.value}>
        {formatters.credits(cost.credits)}
      </span>{' '}
      <span data-slot="message-cost-badge-unit" className={classNames?.unit}>
        {labels.unit}
      </span>
    </>
  );
}

interface BadgeContentProps {
  cost: ResolvedMessageCost;
  formatters: CreditFormatters;
  labels: MessageCostBadgeLabels;
  classNames: MessageCostBadgeClassNames | undefined;
}

function DetailRow({ label, value, className }: { label: string; value: string; className?: string | undefined }) {
  return (
    <div data-slot="message-cost-badge-row" className={cn('flex items-baseline justify-between gap-4', className)}>
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="font-medium tabular-nums">{value}</dd>
    </div>
  );
}

function BadgeDetails({ cost, formatters, labels, classNames }: BadgeContentProps) {
  const { tokens } = cost;
  const row = classNames?.row;
  // Cache and reasoning rows only when the call used them; the total always counts them.
  const tokenRows: [string, number | null][] = tokens
    ? [
        [labels.input, tokens.input],
        [labels.cacheRead, tokens.cacheRead || null],
        [labels.cacheWrite, tokens.cacheWrite || null],
        [labels.output, tokens.output],
        [labels.reasoning, tokens.reasoning || null],
        [labels.total, tokens.total],
      ]
    : [];
  return (
    <>
      <p data-slot="message-cost-badge-title" className={cn('mb-1 font-semibold', classNames?.title)}>
        {cost.kind === 'estimate' ? labels.estimated : labels.actual}
      </p>
      <dl data-slot="message-cost-badge-details" className={cn('grid gap-0.5', classNames?.details)}>
        <DetailRow label={labels.credits} value={cost.credits === null ? '—' : formatters.credits(cost.credits)} className={row} />
        {cost.estimatedCredits === null ? null : (
          <DetailRow label={labels.estimatedCredits} value={formatters.credits(cost.estimatedCredits)} className={row} />
        )}
        {cost.usd === null ? null : <DetailRow label={labels.price} value={formatters.money(cost.usd)} className={row} />}
        {cost.model === null ? null : <DetailRow label={labels.model} value={cost.model} className={row} />}
        {tokenRows.map(([label, value]) =>
          value === null ? null : <DetailRow key={label} label={label} value={formatters.tokens(value)} className={row} />,
        )}
        {cost.source === null ? null : (
          <DetailRow label={labels.source} value={labels.sources[cost.source] ?? cost.source} className={row} />
        )}
      </dl>
    </>
  );
}

function setRef<T>(ref: React.ForwardedRef<T> | undefined, node: T | null): void {
  if (typeof ref === 'function') ref(node);
  else if (ref) ref.current = node;
}

const MessageCostBadgeViewImpl = React.forwardRef<HTMLButtonElement, MessageCostBadgeViewProps>(function MessageCostBadgeView(
  {
    credits,
    usd,
    cost,
    usage,
    model,
    kind,
    source,
    locale,
    currency,
    config = DEFAULT_MONEY_CONFIG,
    size,
    side = 'top',
    labels: labelOverrides,
    classNames,
    className,
    children,
    onPointerEnter,
    onFocus,
    ...props
  },
  ref,
) {
  // Before the first hover/focus the badge is a plain button; after it, the same button inside a Radix Tooltip.
  const [armed, setArmed] = React.useState(false);
  // Arming re-mounts the button under the Tooltip; when focus armed it, the new button takes the focus back.
  const refocus = React.useRef(false);
  // True while the re-mounted button is being focused by the badge itself (not a second focus for the consumer).
  const refocusing = React.useRef(false);

  const setButton = React.useCallback(
    (node: HTMLButtonElement | null) => {
      setRef(ref, node);
      if (!node || !refocus.current) return;
      refocus.current = false;
      if (node.ownerDocument.activeElement === node) return;
      refocusing.current = true;
      try {
        node.focus();
      } finally {
        refocusing.current = false;
      }
    },
    [ref],
  );

  const formatters = getFormatters(locale, currency ?? config.currency);
  const resolved = resolveMessageCost({ credits, usd, cost, usage, model, kind, source }, config);
  const labels = withLabels(DEFAULT_MESSAGE_COST_BADGE_LABELS, labelOverrides);
  const content: BadgeContentProps = { cost: resolved, formatters, labels, classNames };

  const trigger = (
    <button
      type="button"
      data-slot="message-cost-badge"
      data-state={resolved.state}
      data-size={size ?? 'default'}
      className={cn(messageCostBadgeVariants({ size }), className)}
      ref={setButton}
      onPointerEnter={composeEventHandlers(onPointerEnter, () => setArmed(true))}
      onFocus={(event) => {
        if (!refocusing.current) onFocus?.(event);
        if (armed || event.defaultPrevented) return;
        refocus.current = true;
        setArmed(true);
      }}
      {...props}
    >
      {children ?? <BadgeValue {...content} />}
    </button>
  );
  if (!armed) return trigger;
  return (
    <TooltipPrimitive.Provider delayDuration={TOOLTIP_DELAY_MS}>
      <TooltipPrimitive.Root>
        <TooltipPrimitive.Trigger asChild>{trigger}</TooltipPrimitive.Trigger>
        <TooltipPrimitive.Portal>
          <TooltipPrimitive.Content
            data-slot="message-cost-badge-content"
            side={side}
            sideOffset={TOOLTIP_OFFSET_PX}
            collisionPadding={TOOLTIP_OFFSET_PX}
            className={cn(
              'z-50 min-w-44 rounded-md border border-border bg-popover px-3 py-2 text-xs text-popover-foreground shadow-md',
              'origin-(--radix-tooltip-content-transform-origin)',
              classNames?.content,
            )}
          >
            <BadgeDetails {...content} />
            <TooltipPrimitive.Arrow
              data-slot="message-cost-badge-arrow"
              className={cn('fill-popover', classNames?.arrow)}
            />
          </TooltipPrimitive.Content>
        </TooltipPrimitive.Portal>
      </TooltipPrimitive.Root>
    </TooltipPrimitive.Provider>
  );
});

/**
 * The badge from plain props: `credits` and/or `usd` (the other is derived at the config's rate), or a `cost`
 * record from the server helper; explicit props win over the record's fields. Missing, NaN, infinite or negative
 * amounts show "—".
 */
export const MessageCostBadgeView = React.memo(MessageCostBadgeViewImpl, propsEqual);
MessageCostBadgeView.displayName = 'MessageCostBadgeView';

export type MessageCostBadgeProps = Omit<MessageCostBadgeViewProps, 'config'> & {
  /** Default: the config of the nearest `CreditsProvider` (through `CreditsFormatContext`), else the default config. */
  config?: CreditsConfig | undefined;
};

const MessageCostBadgeImpl = React.forwardRef<HTMLButtonElement, MessageCostBadgeProps>(function MessageCostBadge(
  { config, locale, currency, ...props },
  ref,
) {
  // Not useCreditsFormat: the badge needs no full default config, only the view's rates.
  const format = useInheritedCreditsFormat();
  return (
    <MessageCostBadgeView
      {...props}
      ref={ref}
      config={config ?? format?.config}
      locale={locale ?? format?.locale}
      currency={currency ?? format?.currency}
    />
  );
});

/**
 * `MessageCostBadgeView` with the config, locale and currency of the nearest `CreditsProvider`. Works without a
 * provider, and never re-renders when the balance changes.
 */
export const MessageCostBadge = React.memo(MessageCostBadgeImpl, propsEqual);
MessageCostBadge.displayName = 'MessageCostBadge';
