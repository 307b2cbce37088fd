'use client';
/**
 * `MessageCostBadge`: what one chat message cost, in credits, with a tooltip listing the tokens (non-cached input,
 * cache reads and writes, output text, reasoning, and a total that keeps them all), the price, the model and where
 * the price came from. An estimate reads "≈ 12 credits" on a dashed border; an actual cost has a solid one.
 *
 * Built to be rendered thousands of times in one chat: a plain `<button>` until the first hover or focus mounts the
 * Radix Tooltip, formatters from the memoized core cache, `React.memo` with a comparison that accepts rebuilt cost
 * records, and no subscription to the balance (only to the rarely changing `CreditsFormatContext`). The tooltip —
 * Radix Tooltip, Floating UI, the token breakdown — is a separate chunk (`message-cost-badge-tooltip.tsx`) that the
 * first hover or focus of any badge loads, so a chat that shows badges loads none of it up front.
 */
import * as React from 'react';
import type { TooltipContentProps } from '@radix-ui/react-tooltip';
import type { VariantProps } from 'class-variance-authority';
import {
  composeEventHandlers,
  DEFAULT_MONEY_CONFIG,
  getCreditsFormatter,
  messageCostBadgeVariants,
  messageUsage,
  propsEqual,
  resolveMessageAmounts,
  tapped,
  useInheritedCreditsFormat,
  withLabels,
  type CreditsConfig,
  type MessageCostAmounts,
  type MessageCostBadgeClassNames,
  type MessageCostInput,
} from 'autumn-ai-credits';
import { cn } from '@/lib/utils';
import { MESSAGE_COST_BADGE_TRIGGER_LABELS, type MessageCostBadgeLabels, type MessageCostBadgeTriggerLabels } from './message-cost-badge-labels';

type TooltipComponent = typeof import('./message-cost-badge-tooltip').MessageCostBadgeTooltip;

/** The tooltip chunk once loaded (shared by every badge), and the load in flight. */
let tooltipComponent: TooltipComponent | null = null;
let tooltipLoad: Promise<TooltipComponent> | null = null;

function loadTooltip(): Promise<TooltipComponent> {
  tooltipLoad ??= import('./message-cost-badge-tooltip').then(
    (module) => (tooltipComponent = module.MessageCostBadgeTooltip),
    (error: unknown) => {
      // A failed chunk load (offline, a deploy replaced the file) is tried again on the next hover or focus.
      tooltipLoad = null;
      throw error;
    },
  );
  return tooltipLoad;
}

/**
 * Loads the badges' tooltip chunk now instead of on the first hover or focus, e.g. when the chat mounts or the
 * browser is idle. Resolves true once loaded, false when the load failed (the badges then try again on hover).
 */
export function preloadMessageCostBadgeTooltip(): Promise<boolean> {
  return loadTooltip().then(
    () => true,
    () => false,
  );
}

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
    side?: TooltipContentProps['side'];
    labels?: Partial<MessageCostBadgeLabels> | undefined;
    classNames?: MessageCostBadgeClassNames | undefined;
    /** Replaces the badge's visible content (the tooltip stays). */
    children?: React.ReactNode;
  };

function BadgeValue({ cost, formatCredits, labels, classNames }: BadgeContentProps) {
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
        {formatCredits(cost.credits)}
      </span>{' '}
      <span data-slot="message-cost-badge-unit" className={classNames?.unit}>
        {labels.unit}
      </span>
    </>
  );
}

interface BadgeContentProps {
  cost: MessageCostAmounts;
  formatCredits: (value: number) => string;
  labels: MessageCostBadgeTriggerLabels;
  classNames: MessageCostBadgeClassNames | undefined;
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
    onClick,
    onFocus,
    ...props
  },
  ref,
) {
  // Before the first hover, focus or tap the badge is a plain button; once the tooltip chunk is loaded, the same
  // button inside a Radix Tooltip, mounted open when the badge still has the keyboard focus or a finger tapped it,
  // and opening after the hover delay when the pointer is still on it — one pointer move, one focus, one tap opens
  // the details (issue 13).
  const [mounted, setMounted] = React.useState<{ Tooltip: TooltipComponent; open: boolean | 'hover' } | null>(null);
  const button = React.useRef<HTMLButtonElement | null>(null);
  // Mounting the tooltip re-mounts the button; when the old one had the focus, the new one takes it back.
  const refocus = React.useRef(false);
  // True while the re-mounted button is being focused by the badge itself (not a second focus for the consumer).
  const refocusing = React.useRef(false);

  const setButton = React.useCallback(
    (node: HTMLButtonElement | null) => {
      setRef(ref, node);
      if (node) button.current = node;
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

  /**
   * Mounts the tooltip once its chunk is there: open for a tap or a focus still held; for a hover, opening after the
   * hover delay if the pointer is on the badge then (the tooltip asks the browser).
   */
  const mount = (reason: 'hover' | 'focus' | 'tap') => {
    if (mounted) return;
    const show = (component: TooltipComponent) => {
      const node = button.current;
      refocus.current = node !== null && node.ownerDocument.activeElement === node;
      const open = reason === 'hover' ? reason : reason === 'tap' || refocus.current;
      setMounted((current) => current ?? { Tooltip: component, open });
    };
    if (tooltipComponent) show(tooltipComponent);
    // Until the chunk arrives the badge stays a plain button; a failed load leaves it so, to try again next time.
    else loadTooltip().then(show, () => {});
  };


  const input = { credits, usd, cost, usage, model, kind, source };
  const resolved = resolveMessageAmounts(input, config);
  const labels = withLabels(MESSAGE_COST_BADGE_TRIGGER_LABELS, labelOverrides);

  const trigger = (
    <button
      type="button"
      data-slot="message-cost-badge"
      data-state={resolved.state}
      data-size={size ?? 'default'}
      className={cn(messageCostBadgeVariants({ size }), className)}
      ref={setButton}
      onPointerEnter={composeEventHandlers(onPointerEnter, (event) => event.pointerType !== 'touch' && mount('hover'))}
      // A tap: touch has no hover, so the tap opens the details (a second tap closes them, in the tooltip).
      onClick={composeEventHandlers(onClick, (event) => tapped(event) && mount('tap'))}
      onFocus={(event) => {
        if (!refocusing.current) onFocus?.(event);
        if (!event.defaultPrevented) mount('focus');
      }}
      {...props}
    >
      {children ?? <BadgeValue cost={resolved} formatCredits={getCreditsFormatter(locale)} labels={labels} classNames={classNames} />}
    </button>
  );
  if (!mounted) return trigger;
  return (
    <mounted.Tooltip
      trigger={trigger}
      defaultOpen={mounted.open}
      cost={resolved}
      usage={messageUsage(input)}
      config={config}
      locale={locale}
      currency={currency ?? config.currency}
      labels={labelOverrides}
      classNames={classNames}
      side={side}
    />
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
