/**
 * The badge's tooltip is a chunk of its own, loaded by the first hover or focus of any badge. Each test imports the
 * badge into a fresh module registry, so "not loaded yet" means what it says.
 */
import * as React from 'react';
import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GATEWAY_COST } from '../fixtures/message-cost.js';

const TOOLTIP_MODULE = '../../src/react/components/message-cost-badge-tooltip.js';
const BADGE_MODULE = '../../src/react/components/message-cost-badge.js';

/** The first import of the chunk in a fresh worker transforms it (and Radix Tooltip) first: seconds on a cold CI. */
const COLD_IMPORT = { timeout: 10_000 };

/** How often the tooltip chunk was evaluated, and whether the next load fails (a network error, a stale deploy). */
const chunk = { loads: 0, failNext: 0 };

beforeEach(() => {
  vi.resetModules();
  chunk.loads = 0;
  chunk.failNext = 0;
  vi.doMock(TOOLTIP_MODULE, async (importOriginal) => {
    if (chunk.failNext > 0) {
      chunk.failNext -= 1;
      throw new TypeError('Failed to fetch dynamically imported module');
    }
    chunk.loads += 1;
    return importOriginal();
  });
});
afterEach(() => {
  vi.doUnmock(TOOLTIP_MODULE);
});

async function importBadge() {
  return (await import(BADGE_MODULE)) as typeof import('../../src/react/components/message-cost-badge.js');
}

/**
 * Waits until the chunk has been evaluated and the badge that asked for it has mounted its tooltip (which re-mounts
 * its button, so the old one leaves the document).
 */
async function chunkArrived(button: HTMLElement): Promise<void> {
  await waitFor(() => expect(chunk.loads).toBe(1), COLD_IMPORT);
  await waitFor(() => expect(button.isConnected).toBe(false), COLD_IMPORT);
}

function tooltipContent(): Element | null {
  return document.querySelector('[data-slot="message-cost-badge-content"]');
}

describe('MessageCostBadge tooltip chunk', () => {
  it('is not loaded by rendering badges, only by the first hover, and once for all badges', async () => {
    const { MessageCostBadge } = await importBadge();
    const user = userEvent.setup();
    render(
      <>
        {Array.from({ length: 50 }, (_, i) => (
          <MessageCostBadge key={i} cost={GATEWAY_COST} />
        ))}
      </>,
    );
    await act(async () => {});
    expect(chunk.loads).toBe(0);
    const badges = screen.getAllByRole('button');
    await user.hover(badges[0]!);
    await chunkArrived(badges[0]!);
    // jsdom never matches `:hover`, which the first-hover open asks the browser about (that one move opens it is
    // tested in Chromium: test/browser/message-cost-badge.browser.test.tsx); here Radix opens it on the next move.
    await user.pointer({ target: screen.getAllByRole('button')[0]!, coords: { x: 2, y: 2 } });
    expect(await screen.findByRole('tooltip', {}, COLD_IMPORT)).toHaveTextContent('openai/gpt-5-mini');
    await user.hover(screen.getAllByRole('button')[7]!);
    expect(chunk.loads).toBe(1);
  });

  it('opens on the first keyboard focus once the chunk arrives, keeping the focus on the badge', async () => {
    const { MessageCostBadge } = await importBadge();
    const user = userEvent.setup();
    const onFocus = vi.fn();
    render(<MessageCostBadge cost={GATEWAY_COST} onFocus={onFocus} />);
    await user.tab();
    expect(screen.getByRole('button')).toHaveFocus();
    const tooltip = await screen.findByRole('tooltip', {}, COLD_IMPORT);
    expect(screen.getByRole('button')).toHaveFocus();
    expect(screen.getByRole('button')).toHaveAttribute('aria-describedby', tooltip.id);
    expect(onFocus).toHaveBeenCalledTimes(1);
  });

  it('does not take the focus back when it moved on before the chunk arrived', async () => {
    const { MessageCostBadge } = await importBadge();
    const user = userEvent.setup();
    render(
      <>
        <MessageCostBadge cost={GATEWAY_COST} />
        <button type="button">next</button>
      </>,
    );
    // Focus arms the badge; the chunk is still loading when Tab moves on (both happen before it resolves).
    const badge = screen.getAllByRole('button')[0]!;
    act(() => badge.focus());
    act(() => screen.getByRole('button', { name: 'next' }).focus());
    await chunkArrived(badge);
    expect(screen.getByRole('button', { name: 'next' })).toHaveFocus();
    expect(screen.queryByRole('tooltip')).toBeNull();
    // The tooltip did mount: focusing the badge again opens it at once.
    await user.tab({ shift: true });
    expect(screen.getByRole('tooltip')).toBeInTheDocument();
  });

  it('stays a working badge when the chunk fails to load, and tries again on the next hover', async () => {
    const { MessageCostBadge } = await importBadge();
    const user = userEvent.setup();
    chunk.failNext = 1;
    render(<MessageCostBadge cost={GATEWAY_COST} />);
    const badge = screen.getByRole('button');
    await user.hover(badge);
    await act(async () => {});
    expect(chunk.loads).toBe(0);
    expect(badge).toHaveAccessibleName('Actual cost: 0.62 credits');
    expect(tooltipContent()).toBeNull();
    await user.unhover(badge);
    await user.hover(badge);
    await chunkArrived(badge);
    await user.pointer({ target: screen.getByRole('button'), coords: { x: 2, y: 2 } });
    expect(await screen.findByRole('tooltip', {}, COLD_IMPORT)).toHaveTextContent('Actual cost');
  });

  it('can be preloaded, after which the first focus opens the tooltip at once', async () => {
    const { MessageCostBadge, preloadMessageCostBadgeTooltip } = await importBadge();
    await expect(preloadMessageCostBadgeTooltip()).resolves.toBe(true);
    expect(chunk.loads).toBe(1);
    render(<MessageCostBadge cost={GATEWAY_COST} />);
    act(() => screen.getByRole('button').focus());
    // Synchronously: no wait for a chunk.
    expect(screen.getByRole('tooltip')).toBeInTheDocument();
    expect(screen.getByRole('button')).toHaveFocus();
  });

  it('reports a failed preload as false instead of rejecting', async () => {
    const { preloadMessageCostBadgeTooltip } = await importBadge();
    chunk.failNext = 1;
    await expect(preloadMessageCostBadgeTooltip()).resolves.toBe(false);
    await expect(preloadMessageCostBadgeTooltip()).resolves.toBe(true);
  });
});

describe('MessageCostBadge labels', () => {
  it('has the same defaults for what the badge shows as the full label set the tooltip uses', async () => {
    const { DEFAULT_MESSAGE_COST_BADGE_LABELS, MESSAGE_COST_BADGE_TRIGGER_LABELS } = await import(
      '../../src/react/components/message-cost-badge-labels.js'
    );
    expect(DEFAULT_MESSAGE_COST_BADGE_LABELS).toMatchObject(MESSAGE_COST_BADGE_TRIGGER_LABELS);
  });
});
