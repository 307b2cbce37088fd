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
import type { CreditsConfig } from '../../core/config.js';
import { getCostFormatters } from '../../core/format.js';
import { withLabels } from '../lib/labels.js';
import { messageCostUsd, tokenBreakdown, type MessageCostAmounts } from '../lib/message-cost.js';
import { tapped } from '../lib/compose-event-handlers.js';
import { DEFAULT_MESSAGE_COST_BADGE_LABELS, type MessageCostBadgeLabels } from './message-cost-badge-labels.js';
import { MessageCostBadgeDetails, MessageCostBadgeDetailsContext, MessageCostBadgeTitle } from './message-cost-badge-details.js';

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
  /** The consumer's arrangement of the detail parts; default the title and every row that applies. */
  readonly details: React.ReactNode;
  readonly side: TooltipPrimitive.TooltipContentProps['side'];
}

/** The badge's button inside a Radix Tooltip with the cost details. */
export function MessageCostBadgeTooltip({ trigger, defaultOpen, side, cost, usage, config, locale, currency, labels, details }: MessageCostBadgeTooltipProps) {
  const [open, setOpen] = React.useState(defaultOpen === true);
  // Whether the details were open when a finger touched the badge (Radix closes them on pointer down).
  const openAtPress = React.useRef(false);
  const triggerRef = React.useRef<HTMLButtonElement>(null);
  // The pointer watch of a first-hover open (below), ended by any open or close of Radix's own: it takes over then.
  const watch = React.useRef<AbortController | null>(null);
  React.useEffect(() => {
    if (defaultOpen !== 'hover') return;
    // The re-mounted button gets no pointer event until the pointer moves on it: ask the browser where the pointer
    // is, after the hover delay, and then on every move while the details are open this way — a pointer that never
    // entered the new button never leaves it either. No listener is left once they close.
    const controller = (watch.current = new AbortController());
    const hovered = () => triggerRef.current?.matches(':hover');
    const timer = setTimeout(() => {
      if (controller.signal.aborted || !hovered()) return;
      setOpen(true);
      document.addEventListener(
        'pointermove',
        (event) => {
          if (hovered() || (event.target as Element).closest?.('[data-slot="message-cost-badge-content"]')) return;
          controller.abort();
          setOpen(false);
        },
        { signal: controller.signal },
      );
    }, TOOLTIP_DELAY_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [defaultOpen]);
  return (
    <TooltipPrimitive.Provider delayDuration={TOOLTIP_DELAY_MS}>
      <TooltipPrimitive.Root
        open={open}
        onOpenChange={(next) => {
          watch.current?.abort();
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
            className="z-50 min-w-44 rounded-md border border-credits-border bg-credits-popover px-3 py-2 text-xs text-credits-popover-foreground shadow-md origin-(--radix-tooltip-content-transform-origin)"
          >
            <MessageCostBadgeDetailsContext.Provider
              value={{
                cost,
                usd: messageCostUsd(cost, config),
                tokens: tokenBreakdown(usage),
                formatters: getCostFormatters(locale, currency),
                labels: withLabels(DEFAULT_MESSAGE_COST_BADGE_LABELS, labels),
              }}
            >
              {details ?? (
                <>
                  <MessageCostBadgeTitle />
                  <MessageCostBadgeDetails />
                </>
              )}
            </MessageCostBadgeDetailsContext.Provider>
            <TooltipPrimitive.Arrow data-slot="message-cost-badge-arrow" className="fill-credits-popover" />
          </TooltipPrimitive.Content>
        </TooltipPrimitive.Portal>
      </TooltipPrimitive.Root>
    </TooltipPrimitive.Provider>
  );
}
