'use client';
/**
 * `MessageCostBadge`: what one chat message cost, in credits, with a tooltip listing the tokens (non-cached input,
 * cache reads and writes, output text, reasoning, and a total that keeps them all), the price, the model and where
 * the price came from. An estimate reads "≈ 12 credits" on a dashed border; an actual cost has a solid one.
 *
 * Built to be rendered thousands of times in one chat: one memo and one forwardRef layer around a plain `<button>`
 * (one state hook, no refs or effects) until the first hover, focus or tap mounts the Radix Tooltip; formatters from
 * the memoized core cache; a memo comparison that accepts rebuilt cost records; no subscription to the balance (only
 * to the rarely changing `CreditsFormatContext`). The tooltip — Radix Tooltip, Floating UI, the token breakdown — is a
 * separate chunk (`message-cost-badge-tooltip.tsx`) that the first hover, focus or tap of any badge loads, so a chat
 * that shows badges loads none of it up front.
 *
 * Parts: the badge's content is `MessageCostBadgePrefix`, `MessageCostBadgeAmount` and `MessageCostBadgeUnit`
 * (children replace them); the details in its tooltip are the parts of `message-cost-badge-details.tsx` (the
 * `details` prop replaces them).
 */
import * as React from 'react';
import type { TooltipContentProps } from '@radix-ui/react-tooltip';
import type { VariantProps } from 'class-variance-authority';
import {
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
  type CreditsFormat,
  type MessageCostAmounts,
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
    /**
     * Your arrangement of the badge's parts (`MessageCostBadgePrefix`, `MessageCostBadgeAmount`,
     * `MessageCostBadgeUnit`, or your own through `useMessageCostBadge`), replacing its content; the tooltip stays.
     * The button's name stays "Actual cost: 12.5 credits": pass `aria-label` when your content says something else.
     */
    children?: React.ReactNode;
    /**
     * Your arrangement of the detail parts (`MessageCostBadgeTitle`, `MessageCostBadgeDetails` and its rows, or your
     * own through `useMessageCostBadgeDetails`), replacing the tooltip's content.
     */
    details?: React.ReactNode;
  };

/** What the badge resolved from its props, for its parts (`useMessageCostBadge`). */
export interface MessageCostBadgeContextValue {
  /** The checked amounts: state, kind, credits (null when unknown), the price as given, model, source. */
  readonly cost: MessageCostAmounts;
  /** The credits formatted in the badge's locale ("12.5"); null when unknown. */
  readonly amount: string | null;
  readonly labels: MessageCostBadgeTriggerLabels;
}

// Its own context rather than createPartsContext: a badge without parts then carries only the context, not the hook.
const MessageCostBadgeContext = /* @__PURE__ */ React.createContext<MessageCostBadgeContextValue | null>(null);

function useMessageCostBadgePart(): MessageCostBadgeContextValue {
  const value = React.useContext(MessageCostBadgeContext);
  if (value === null) throw new Error('MessageCostBadge parts must be used within <MessageCostBadge>');
  return value;
}

/** What the nearest `MessageCostBadge` resolved (amounts, the formatted amount, labels), for a part of your own. */
export const useMessageCostBadge: () => MessageCostBadgeContextValue = useMessageCostBadgePart;

type SpanProps = React.ComponentProps<'span'>;

/** "≈" before an estimate's amount (hidden from screen readers, which hear "Estimated cost"); nothing otherwise. */
export function MessageCostBadgePrefix({ children, ...props }: SpanProps) {
  const { cost } = useMessageCostBadgePart();
  return cost.state === 'estimate' ? (
    <span data-slot="message-cost-badge-prefix" aria-hidden="true" {...props}>
      {children ?? '≈'}
    </span>
  ) : null;
}

/** The credits ("12.5"), or "—" (hidden from screen readers, which hear "unknown") when the amount is unknown. */
export function MessageCostBadgeAmount({ children, ...props }: SpanProps) {
  const { amount } = useMessageCostBadgePart();
  return (
    <span data-slot="message-cost-badge-value" aria-hidden={amount === null || undefined} {...props}>
      {children ?? amount ?? '—'}
    </span>
  );
}

/** "credits" after the amount; nothing when the amount is unknown. */
export function MessageCostBadgeUnit({ children, ...props }: SpanProps) {
  const { amount, labels } = useMessageCostBadgePart();
  return amount === null ? null : (
    <span data-slot="message-cost-badge-unit" {...props}>
      {children ?? labels.unit}
    </span>
  );
}

function setRef<T>(ref: React.ForwardedRef<T>, node: T | null): void {
  if (typeof ref === 'function') ref(node);
  else if (ref) ref.current = node;
}

/** The mounted tooltip: its component, how it opens, and whether the re-mounted button takes the focus back. */
interface Mounted {
  readonly Tooltip: TooltipComponent;
  readonly open: boolean | 'hover';
  refocus: boolean;
}

/** True while a re-mounted badge takes the focus back: not a second focus for the consumer's onFocus. */
let refocusing = false;

/** The variants' classes per size, computed once (a badge without a className of its own needs no merge). */
const variantClasses: Record<string, string> = {};

/**
 * The badge, for both components: the view passes no inherited format, the connected one the provider's. A hook
 * (one state) rather than a component of its own, so a badge is two fibers around its button.
 */
function useBadge(props: MessageCostBadgeViewProps, ref: React.ForwardedRef<HTMLButtonElement>, inherited: CreditsFormat | null) {
  const {
    locale = inherited?.locale,
    config = inherited?.config ?? DEFAULT_MONEY_CONFIG,
    currency = inherited?.currency ?? config.currency,
    size,
    side = 'top',
    labels: labelOverrides,
    details,
    className,
    children,
    onPointerEnter,
    onClick,
    onFocus,
    credits,
    usd,
    cost,
    usage,
    model,
    kind,
    source,
    ...rest
  } = props;
  // Before the first hover, focus or tap the badge is a plain button; once the tooltip chunk is loaded, the same
  // button inside a Radix Tooltip, mounted open when the badge still has the keyboard focus or a finger tapped it,
  // and opening after the hover delay when the pointer is still on it — one pointer move, one focus, one tap opens
  // the details (issue 13).
  const [mounted, setMounted] = React.useState<Mounted | null>(null);
  const resolved = resolveMessageAmounts(props, config);
  const labels = withLabels(MESSAGE_COST_BADGE_TRIGGER_LABELS, labelOverrides);
  const amount = resolved.credits === null ? null : getCreditsFormatter(locale)(resolved.credits);

  /**
   * Pointer enter, click and focus: the consumer's handler first (not for the badge's own refocus), then, unless it
   * prevented the default, the tooltip mounts — for a hover (not touch), a tap (a finger's click), or a focus.
   */
  const arm = (event: React.SyntheticEvent<HTMLButtonElement>) => {
    const { type, currentTarget: node } = event;
    const theirs = type === 'click' ? onClick : type === 'focus' ? (refocusing ? undefined : onFocus) : onPointerEnter;
    theirs?.(event as never);
    if (event.defaultPrevented || mounted || (type !== 'focus' && tapped(event) !== (type === 'click'))) return;
    const show = (Tooltip: TooltipComponent) => {
      const refocus = node.ownerDocument.activeElement === node;
      setMounted((current) => current ?? { Tooltip, open: type === 'focus' ? refocus : type === 'click' || 'hover', refocus });
    };
    if (tooltipComponent) show(tooltipComponent);
    // Until the chunk arrives the badge stays a plain button; a failed load leaves it so, to try again next time.
    else loadTooltip().then(show, () => {});
  };

  const trigger = (
    <button
      type="button"
      data-slot="message-cost-badge"
      data-state={resolved.state}
      data-size={size ?? 'default'}
      // The name in one attribute ("Actual cost: 12.5 credits"), not a visually hidden element: one element less
      // to style and lay out per badge. Visible text stays part of it.
      aria-label={`${resolved.kind === 'estimate' ? labels.estimated : labels.actual}: ${amount === null ? labels.unknown : `${amount} ${labels.unit}`}`}
      className={className ? cn(messageCostBadgeVariants({ size }), className) : (variantClasses[size ?? ''] ??= messageCostBadgeVariants({ size }))}
      ref={
        mounted
          ? (node: HTMLButtonElement | null) => {
              setRef(ref, node);
              // Mounting the tooltip re-mounts the button; when the old one had the focus, the new one takes it back.
              if (!node || !mounted.refocus) return;
              mounted.refocus = false;
              if (node.ownerDocument.activeElement === node) return;
              refocusing = true;
              try {
                node.focus();
              } finally {
                refocusing = false;
              }
            }
          : ref
      }
      onPointerEnter={arm}
      // A tap: touch has no hover, so the tap opens the details (a second tap closes them, in the tooltip).
      onClick={arm}
      onFocus={arm}
      {...rest}
    >
      {children === undefined ? (
        // One text node ("≈ 12.5 credits"): no element inside the button to style and lay out, which is most of what
        // a badge costs in a chat that renders thousands (4.2× a plain span, against 6.7× with the three spans the
        // parts render). The button's name is its aria-label; compose the parts for separately styled pieces.
        `${resolved.state === 'estimate' ? '≈ ' : ''}${amount === null ? '—' : `${amount} ${labels.unit}`}`
      ) : (
        <MessageCostBadgeContext.Provider value={{ cost: resolved, amount, labels }}>{children}</MessageCostBadgeContext.Provider>
      )}
    </button>
  );
  if (!mounted) return trigger;
  return (
    <mounted.Tooltip
      trigger={trigger}
      defaultOpen={mounted.open}
      cost={resolved}
      usage={messageUsage(props)}
      config={config}
      locale={locale}
      currency={currency}
      labels={labelOverrides}
      details={details}
      side={side}
    />
  );
}

/**
 * The badge from plain props: `credits` and/or `usd` (the other is derived at the config's rate), or a `cost`
 * record from the server helper; explicit props win over the record's fields. Missing, NaN, infinite or negative
 * amounts show "—".
 */
export const MessageCostBadgeView = /* @__PURE__ */ React.memo(
  /* @__PURE__ */ React.forwardRef<HTMLButtonElement, MessageCostBadgeViewProps>(function MessageCostBadgeView(props, ref) {
    return useBadge(props, ref, null);
  }),
  propsEqual,
);

export type MessageCostBadgeProps = Omit<MessageCostBadgeViewProps, 'config'> & {
  /** Default: the config of the nearest `CreditsProvider` (through `CreditsFormatContext`), else the default config. */
  config?: CreditsConfig | undefined;
};

/**
 * `MessageCostBadgeView` with the config, locale and currency of the nearest `CreditsProvider`. Works without a
 * provider, and never re-renders when the balance changes.
 */
export const MessageCostBadge = /* @__PURE__ */ React.memo(
  /* @__PURE__ */ React.forwardRef<HTMLButtonElement, MessageCostBadgeProps>(function MessageCostBadge(props, ref) {
    // Not useCreditsFormat: the badge needs no full default config, only the view's rates.
    return useBadge(props, ref, useInheritedCreditsFormat());
  }),
  propsEqual,
);
