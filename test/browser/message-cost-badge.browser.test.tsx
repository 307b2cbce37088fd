import * as React from 'react';
import { render, screen, within } from '@testing-library/react';
import { userEvent } from 'vitest/browser';
import { describe, expect, it } from 'vitest';
import { MessageCostBadge } from '../../src/react/components/message-cost-badge.js';
import { GATEWAY_COST } from '../fixtures/message-cost.js';
import { expectNoAxeViolations } from './axe.js';

describe('MessageCostBadge in Chromium', () => {
  describe('given a gateway cost', () => {
    it('opens the cost details on the first hover — one pointer move, as Playwright’s hover() makes — and closes them on Escape', async () => {
      render(<MessageCostBadge cost={GATEWAY_COST} locale="en" />);
      // One real pointer move onto the badge, and nothing after it: the rest loads the tooltip chunk (cold here: the
      // dev server transforms it on request) and mounts the tooltip open once the pointer has rested there.
      await userEvent.hover(screen.getByRole('button', { name: /Actual cost/ }), { position: { x: 2, y: 2 } });
      const tooltip = await screen.findByRole('tooltip', {}, { timeout: 10_000 });
      expect(within(tooltip).getByText('openai/gpt-5-mini')).toBeInTheDocument();
      expect(tooltip).toHaveTextContent(/Total tokens\s*1,500/);

      await userEvent.keyboard('{Escape}');
      await expect.poll(() => screen.queryByRole('tooltip')).toBeNull();
    });

    const withElsewhere = () =>
      render(
        <>
          <MessageCostBadge cost={GATEWAY_COST} locale="en" />
          {/* Far from the badge: not under its details, which open below it at the top of the page. */}
          <p style={{ marginTop: 300 }}>elsewhere</p>
        </>,
      );

    it('shows nothing once the pointer has passed over it', async () => {
      withElsewhere();
      await userEvent.hover(screen.getByRole('button', { name: /Actual cost/ }));
      await userEvent.hover(screen.getByText('elsewhere'));
      await new Promise((done) => setTimeout(done, 600));
      expect(screen.queryByRole('tooltip')).toBeNull();
      expect(document.querySelector('[data-slot="message-cost-badge"]')?.getAttribute('aria-describedby')).toBeNull();
    });

    it('closes the details a resting pointer opened when it moves on, though it never entered the re-mounted button', async () => {
      withElsewhere();
      await userEvent.hover(screen.getByRole('button', { name: /Actual cost/ }));
      await screen.findByRole('tooltip', {}, { timeout: 10_000 });
      await userEvent.hover(screen.getByText('elsewhere'));
      await expect.poll(() => screen.queryByRole('tooltip')).toBeNull();
    });

    it('opens on a tap and closes on the next tap (touch has no hover)', async () => {
      render(<MessageCostBadge cost={GATEWAY_COST} locale="en" />);
      const tap = (target: Element) => {
        const init = { bubbles: true, cancelable: true, composed: true, pointerType: 'touch', isPrimary: true, pointerId: 7 };
        target.dispatchEvent(new PointerEvent('pointerdown', init));
        target.dispatchEvent(new PointerEvent('pointerup', init));
        target.dispatchEvent(new PointerEvent('click', init));
      };
      tap(screen.getByRole('button', { name: /Actual cost/ }));
      const tooltip = await screen.findByRole('tooltip', {}, { timeout: 10_000 });
      expect(tooltip).toHaveTextContent('openai/gpt-5-mini');
      tap(screen.getByRole('button', { name: /Actual cost/ }));
      await expect.poll(() => screen.queryByRole('tooltip')).toBeNull();
      tap(screen.getByRole('button', { name: /Actual cost/ }));
      await screen.findByRole('tooltip');
    });

    it('takes keyboard focus with Tab and keeps it after the tooltip mounts', async () => {
      render(
        <>
          <button type="button">before</button>
          <MessageCostBadge cost={GATEWAY_COST} locale="en" />
        </>,
      );
      screen.getByRole('button', { name: 'before' }).focus();
      await userEvent.tab();
      // The first focus loads the tooltip chunk, then opens it.
      await screen.findByRole('tooltip', {}, { timeout: 10_000 });
      expect(document.activeElement).toHaveAttribute('data-slot', 'message-cost-badge');
    });

    it('has no axe violations with real layout', async () => {
      const { container } = render(<MessageCostBadge cost={GATEWAY_COST} locale="en" />);
      await expectNoAxeViolations(container);
    });
  });

  describe('given bad amounts', () => {
    it('shows a dash, never NaN, Infinity or a negative', () => {
      render(
        <>
          <MessageCostBadge credits={Number.NaN} />
          <MessageCostBadge credits={Number.POSITIVE_INFINITY} />
          <MessageCostBadge credits={-3} />
          <MessageCostBadge usd="abc" />
        </>,
      );
      const text = document.body.textContent ?? '';
      expect(text).not.toMatch(/NaN|Infinity|∞|-\d/);
      expect(screen.getAllByRole('button')).toHaveLength(4);
    });
  });

  describe('given a thousand badges', () => {
    it('mounts them all as plain buttons, with no tooltip until one is used', () => {
      const costs = Array.from({ length: 1000 }, (_, index) => ({ ...GATEWAY_COST, credits: index / 10 }));
      render(
        <div>
          {costs.map((cost, index) => (
            <MessageCostBadge key={index} cost={cost} locale="en" />
          ))}
        </div>,
      );
      expect(document.querySelectorAll('[data-slot="message-cost-badge"]')).toHaveLength(1000);
      expect(document.querySelector('[data-slot="message-cost-badge-content"]')).toBeNull();
    });
  });
});
