'use client';
/**
 * The tooltip of `MessageCostBadge`, loaded on the first hover or focus of any badge (a separate chunk): Radix
 * Tooltip with Floating UI, the token breakdown and the detail rows. A chat shows its badges without loading any of
 * it; `preloadMessageCostBadgeTooltip()` fetches it ahead of time.
 *
 * Internal: rendered by `message-cost-badge.tsx` only, and not exported from the package entry.
 */
import * as React from 'react';
import * as TooltipPrimitive from '@radix-ui/react-tooltip';
import {
  getFormatters,
  messageCostUsd,
  tapped,
  tokenBreakdown,
  withLabels,
  type CreditsConfig,
  type MessageCostAmounts,
  type MessageCostBadgeClassNames,
} from 'autumn-ai-credits';
import { cn } from '@/lib/utils';
import { DEFAULT_MESSAGE_COST_BADGE_LABELS, type MessageCostBadgeLabels } from './message-cost-badge-labels';

/** Hover delay before the tooltip opens: long enough that moving the pointer across a chat opens none. */
const TOOLTIP_DELAY_MS = 300;
/** Gap between the badge and its tooltip, in px. */
const TOOLTIP_OFFSET_PX = 4;

export interface MessageCostBadgeTooltipProps {
  /** The badge's button; becomes the tooltip's trigger. */
  readonly trigger: React.ReactElement;
  /**
   * Open at mount (the keyboard focused the badge, a finger tapped it), or `hover`: the pointer is on it, so open
   * after the hover delay if it is still there — one pointer move opens the details, as Playwright's `hover()` does.
   */
  readonly defaultOpen: boolean | 'hover';
  readonly cost: MessageCostAmounts;
  /** The raw token usage (AI SDK usage or the server's pools); broken down here. */
  readonly usage: unknown;
  /** The rate the price is derived at when the cost gives only credits. */
  readonly config: Pick<CreditsConfig, 'creditsPerUsd'>;
  /** BCP 47 tag; undefined means the runtime's default. */
  readonly locale: string | undefined;
  /** ISO 4217 code of the price. */
  readonly currency: string;
  /** The consumer's overrides of the default labels. */
  readonly labels: Partial<MessageCostBadgeLabels> | undefined;
  readonly classNames: MessageCostBadgeClassNames | undefined;
  readonly side: TooltipPrimitive.TooltipContentProps['side'];
}

function DetailRow({ label, value, className }: { label: string; value: string; className?: string | undefined }) {
  return (
    <div data-slot="message-cost-badge-row" className={cn('flex items-baseline justify-between gap-4', className)}>
      <dt className="text-credits-muted-foreground">{label}</dt>
      <dd className="font-medium tabular-nums">{value}</dd>
    </div>
  );
}

function BadgeDetails({
  cost,
  usage,
  config,
  locale,
  currency,
  labels: labelOverrides,
  classNames,
}: Omit<MessageCostBadgeTooltipProps, 'trigger' | 'side' | 'defaultOpen'>) {
  const formatters = getFormatters(locale, currency);
  const labels = withLabels(DEFAULT_MESSAGE_COST_BADGE_LABELS, labelOverrides);
  const tokens = tokenBreakdown(usage);
  const usd = messageCostUsd(cost, config);
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
        {usd === null ? null : <DetailRow label={labels.price} value={formatters.money(usd)} className={row} />}
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

/** The badge's button inside a Radix Tooltip with the cost details. */
export function MessageCostBadgeTooltip({ trigger, defaultOpen, side, classNames, ...details }: MessageCostBadgeTooltipProps) {
  const [open, setOpen] = React.useState(defaultOpen === true);
  // Whether the details were open when a finger touched the badge (Radix closes them on pointer down).
  const openAtPress = React.useRef(false);
  const triggerRef = React.useRef<HTMLButtonElement>(null);
  // While the first hover below holds the details open: stops watching the pointer (Radix takes over on any open or
  // close of its own).
  const stopWatching = React.useRef<(() => void) | null>(null);
  React.useEffect(() => {
    if (defaultOpen !== 'hover') return;
    // The re-mounted button gets no pointer event until the pointer moves on it: ask the browser where the pointer
    // is, after the hover delay, and then on every move while the details are open this way — a pointer that never
    // entered the new button never leaves it either. No listener is left once they close.
    const hovered = () => triggerRef.current?.matches(':hover') === true;
    const onMove = (event: PointerEvent) => {
      if (hovered() || (event.target instanceof Element && event.target.closest('[data-slot="message-cost-badge-content"]'))) return;
      stopWatching.current?.();
      setOpen(false);
    };
    const timer = setTimeout(() => {
      if (!hovered()) return;
      document.addEventListener('pointermove', onMove);
      stopWatching.current = () => {
        document.removeEventListener('pointermove', onMove);
        stopWatching.current = null;
      };
      setOpen(true);
    }, TOOLTIP_DELAY_MS);
    return () => {
      clearTimeout(timer);
      stopWatching.current?.();
    };
  }, [defaultOpen]);
  return (
    <TooltipPrimitive.Provider delayDuration={TOOLTIP_DELAY_MS}>
      <TooltipPrimitive.Root
        open={open}
        onOpenChange={(next) => {
          stopWatching.current?.();
          setOpen(next);
        }}
      >
        <TooltipPrimitive.Trigger
          asChild
          ref={triggerRef}
          onPointerDown={() => (openAtPress.current = open)}
          onClick={(event) => {
            // Touch has no hover: a tap toggles the details (Radix alone would only ever close them). A tap outside
            // or leaving the badge closes them too.
            if (!tapped(event)) return;
            event.preventDefault();
            setOpen(!openAtPress.current);
          }}
        >
          {trigger}
        </TooltipPrimitive.Trigger>
        <TooltipPrimitive.Portal>
          <TooltipPrimitive.Content
            data-slot="message-cost-badge-content"
            side={side}
            sideOffset={TOOLTIP_OFFSET_PX}
            collisionPadding={TOOLTIP_OFFSET_PX}
            className={cn(
              'z-50 min-w-44 rounded-md border border-credits-border bg-credits-popover px-3 py-2 text-xs text-credits-popover-foreground shadow-md',
              'origin-(--radix-tooltip-content-transform-origin)',
              classNames?.content,
            )}
          >
            <BadgeDetails {...details} classNames={classNames} />
            <TooltipPrimitive.Arrow data-slot="message-cost-badge-arrow" className={cn('fill-credits-popover', classNames?.arrow)} />
          </TooltipPrimitive.Content>
        </TooltipPrimitive.Portal>
      </TooltipPrimitive.Root>
    </TooltipPrimitive.Provider>
  );
}
