import * as React from 'react';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { CreditState } from '../../src/core/customer.js';
import { normalizeCustomer } from '../../src/core/customer.js';
import { LowCreditWarning, LowCreditWarningView } from '../../src/react/components/low-credit-warning.js';
import { lowCreditWarningLevel } from '../../src/react/shared/low-credit-warning.js';
import { CreditsTestProvider } from '../../src/testing/credits-test-provider.js';
import { expectNoAxeViolations } from './axe.js';

function stateOf(remaining: number, granted = 8000, extra: Record<string, unknown> = {}): CreditState {
  return normalizeCustomer({ balances: { ai_credits: { remaining, granted, ...extra } } });
}

function warning(): HTMLElement | null {
  return document.querySelector('[data-slot="low-credit-warning"]');
}

describe('LowCreditWarningView', () => {
  describe('given a low balance', () => {
    it('is a polite status with the credits left and the top-up action', async () => {
      const onTopUp = vi.fn();
      const { container } = render(<LowCreditWarningView state={stateOf(1234)} onTopUp={onTopUp} locale="en-US" />);
      const banner = screen.getByRole('status');
      expect(banner).toHaveAttribute('data-state', 'low');
      expect(banner).toHaveTextContent('Your credits are running low: 1,234 left.');
      // A no-break space keeps the number with its word when the banner wraps.
      expect(banner.textContent).toContain('1,234\u00a0left.');
      await userEvent.click(within(banner).getByRole('button', { name: 'Top up' }));
      expect(onTopUp).toHaveBeenCalledTimes(1);
      await expectNoAxeViolations(container);
    });
  });

  describe('given an empty balance', () => {
    it('is an alert', async () => {
      const { container } = render(<LowCreditWarningView state={stateOf(0)} onTopUp={() => {}} />);
      expect(screen.getByRole('alert')).toHaveAttribute('data-state', 'empty');
      expect(screen.getByRole('alert')).toHaveTextContent('You are out of credits.');
      await expectNoAxeViolations(container);
    });
  });

  describe('given usage in overage', () => {
    it('is an alert naming the overage', () => {
      render(<LowCreditWarningView state={stateOf(-250, 60000, { overageAllowed: true })} locale="en-US" />);
      expect(screen.getByRole('alert')).toHaveAttribute('data-state', 'overage');
      expect(screen.getByRole('alert')).toHaveTextContent('250 credits so far are billed as overage');
    });
  });

  describe.each([
    ['a healthy balance', stateOf(6000)],
    ['an unlimited balance', stateOf(0, 0, { unlimited: true })],
    ['a loading balance', normalizeCustomer(undefined)],
    ['a failed fetch', normalizeCustomer(null, { error: new Error('offline') })],
  ])('given %s', (_name, state) => {
    it('renders nothing', () => {
      const { container } = render(<LowCreditWarningView state={state} />);
      expect(container).toBeEmptyDOMElement();
    });
  });

  describe('when dismissed (uncontrolled)', () => {
    it('hides from the keyboard, and comes back when the level worsens', async () => {
      const { rerender } = render(<LowCreditWarningView state={stateOf(1000)} />);
      const user = userEvent.setup();
      await user.tab();
      expect(screen.getByRole('button', { name: 'Dismiss' })).toHaveFocus();
      await user.keyboard('{Enter}');
      expect(warning()).toBeNull();

      rerender(<LowCreditWarningView state={stateOf(900)} />);
      expect(warning()).toBeNull();

      rerender(<LowCreditWarningView state={stateOf(0)} />);
      expect(screen.getByRole('alert')).toHaveAttribute('data-state', 'empty');
    });

    it('comes back when the balance recovered and runs low again', async () => {
      const { rerender } = render(<LowCreditWarningView state={stateOf(1000)} />);
      await userEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
      rerender(<LowCreditWarningView state={stateOf(48000, 48000)} />);
      rerender(<LowCreditWarningView state={stateOf(1000)} />);
      expect(screen.getByRole('status')).toBeInTheDocument();
    });

    it('starts hidden with defaultDismissed', () => {
      render(<LowCreditWarningView state={stateOf(1000)} defaultDismissed />);
      expect(warning()).toBeNull();
    });
  });

  describe('when dismissed (controlled)', () => {
    it('follows the dismissed prop and reports changes', async () => {
      const onDismissedChange = vi.fn();
      const { rerender } = render(<LowCreditWarningView state={stateOf(1000)} dismissed={false} onDismissedChange={onDismissedChange} />);
      await userEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
      expect(onDismissedChange).toHaveBeenCalledWith(true);
      // Still shown: the parent has not agreed yet.
      expect(warning()).not.toBeNull();

      rerender(<LowCreditWarningView state={stateOf(1000)} dismissed onDismissedChange={onDismissedChange} />);
      expect(warning()).toBeNull();
    });

    it('asks to reappear when the level worsens', () => {
      const onDismissedChange = vi.fn();
      const { rerender } = render(<LowCreditWarningView state={stateOf(1000)} dismissed onDismissedChange={onDismissedChange} />);
      expect(warning()).toBeNull();
      rerender(<LowCreditWarningView state={stateOf(0)} dismissed onDismissedChange={onDismissedChange} />);
      expect(onDismissedChange).toHaveBeenCalledWith(false);
      expect(screen.getByRole('alert')).toBeInTheDocument();
    });
  });

  it('hides the dismiss button when not dismissible', () => {
    render(<LowCreditWarningView state={stateOf(1000)} dismissible={false} />);
    expect(screen.queryByRole('button', { name: 'Dismiss' })).toBeNull();
  });

  it('computes its level with a pure function', () => {
    expect(lowCreditWarningLevel({ status: 'ready', level: 'low' })).toBe('low');
    expect(lowCreditWarningLevel({ status: 'ready', level: 'ok' })).toBeNull();
    expect(lowCreditWarningLevel({ status: 'loading', level: 'empty' })).toBeNull();
  });
});

describe('LowCreditWarning', () => {
  it('uses the provider’s threshold and opens the top-up dialog', async () => {
    render(
      <CreditsTestProvider level="low" locale="en-US">
        <LowCreditWarning />
      </CreditsTestProvider>,
    );
    expect(screen.getByRole('status')).toHaveTextContent('800 left');
    await userEvent.click(screen.getByRole('button', { name: 'Top up' }));
    expect(await screen.findByRole('dialog', { name: 'Top up credits' })).toBeInTheDocument();
  });

  it('disappears after a top-up brings the balance back', async () => {
    render(
      <CreditsTestProvider level="empty" locale="en-US">
        <LowCreditWarning />
      </CreditsTestProvider>,
    );
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Top up' }));
    await user.click(await screen.findByRole('button', { name: /40,000 credits/ }));
    await screen.findByText('Credits added to your balance.');
    expect(warning()).toBeNull();
  });

  it('renders nothing while loading', () => {
    const { container } = render(
      <CreditsTestProvider loading balance={0}>
        <LowCreditWarning />
      </CreditsTestProvider>,
    );
    expect(container).toBeEmptyDOMElement();
  });
});
