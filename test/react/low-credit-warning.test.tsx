import * as React from 'react';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { CreditState } from '../../src/core/customer.js';
import { normalizeCustomer } from '../../src/core/customer.js';
import {
  LowCreditWarning,
  LowCreditWarningActions,
  LowCreditWarningDismiss,
  LowCreditWarningMessage,
  LowCreditWarningTopUp,
  LowCreditWarningView,
  useLowCreditWarning,
} from '../../src/react/components/low-credit-warning.js';
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

  describe('composed from its parts', () => {
    it('renders the parts in the order given, each taking its own className and children', async () => {
      const onTopUp = vi.fn();
      const { container } = render(
        <LowCreditWarningView state={stateOf(1200)} onTopUp={onTopUp} locale="en-US" className="flex-col">
          <LowCreditWarningActions className="order-first">
            <LowCreditWarningDismiss className="size-6" />
            <LowCreditWarningTopUp className="w-full">Buy credits</LowCreditWarningTopUp>
          </LowCreditWarningActions>
          <LowCreditWarningMessage className="font-semibold" />
        </LowCreditWarningView>,
      );
      const slots = [...warning()!.querySelectorAll('[data-slot]')].map((element) => element.getAttribute('data-slot'));
      expect(slots).toEqual([
        'low-credit-warning-actions',
        'low-credit-warning-dismiss',
        'low-credit-warning-top-up',
        'low-credit-warning-message',
      ]);
      expect(warning()).toHaveClass('flex-col');
      expect(warning()!.querySelector('[data-slot="low-credit-warning-actions"]')).toHaveClass('order-first', 'flex', 'gap-1');
      expect(screen.getByRole('button', { name: 'Dismiss' })).toHaveClass('size-6');
      expect(warning()!.querySelector('[data-slot="low-credit-warning-message"]')).toHaveClass('font-semibold', 'min-w-0');
      expect(screen.getByRole('status')).toHaveTextContent('Your credits are running low: 1,200 left.');
      await userEvent.click(screen.getByRole('button', { name: 'Buy credits' }));
      expect(onTopUp).toHaveBeenCalledTimes(1);
      await expectNoAxeViolations(container);
    });

    it('lets the message part’s children replace its text, and the actions default to top-up and dismiss', () => {
      render(
        <LowCreditWarningView state={stateOf(0)} onTopUp={() => {}}>
          <LowCreditWarningMessage>Out of credits: top up to keep chatting.</LowCreditWarningMessage>
          <LowCreditWarningActions />
        </LowCreditWarningView>,
      );
      expect(screen.getByRole('alert')).toHaveTextContent('Out of credits: top up to keep chatting.');
      expect(screen.getByRole('alert')).not.toHaveTextContent('You are out of credits.');
      expect(within(screen.getByRole('alert')).getAllByRole('button').map((button) => button.getAttribute('data-slot'))).toEqual([
        'low-credit-warning-top-up',
        'low-credit-warning-dismiss',
      ]);
    });

    it('shows each part only when it applies: top-up with onTopUp, dismiss when dismissible, nothing at all when no warning is due', () => {
      const parts = (
        <>
          <LowCreditWarningMessage />
          <LowCreditWarningTopUp />
          <LowCreditWarningDismiss />
        </>
      );
      const { rerender, container } = render(
        <LowCreditWarningView state={stateOf(1000)} dismissible={false}>
          {parts}
        </LowCreditWarningView>,
      );
      expect(screen.queryByRole('button')).toBeNull();
      expect(screen.getByRole('status')).toHaveTextContent('running low');
      rerender(
        <LowCreditWarningView state={stateOf(1000)} onTopUp={() => {}}>
          {parts}
        </LowCreditWarningView>,
      );
      expect(screen.getAllByRole('button').map((button) => button.getAttribute('data-slot'))).toEqual([
        'low-credit-warning-top-up',
        'low-credit-warning-dismiss',
      ]);
      for (const state of [stateOf(6000), normalizeCustomer(undefined)]) {
        rerender(
          <LowCreditWarningView state={state} onTopUp={() => {}}>
            {parts}
          </LowCreditWarningView>,
        );
        expect(container).toBeEmptyDOMElement();
      }
    });

    it('keeps dismissal in the root: the dismiss part and a part of your own (useLowCreditWarning().dismiss) both dismiss it', async () => {
      function SnoozeLink() {
        const { dismiss, level } = useLowCreditWarning();
        return (
          <button type="button" onClick={dismiss}>
            {`Hide (${level})`}
          </button>
        );
      }
      const { rerender } = render(
        <LowCreditWarningView state={stateOf(1000)}>
          <LowCreditWarningMessage />
          <SnoozeLink />
        </LowCreditWarningView>,
      );
      await userEvent.click(screen.getByRole('button', { name: 'Hide (low)' }));
      expect(warning()).toBeNull();
      // It comes back when the level gets worse, as with the default dismiss button.
      rerender(
        <LowCreditWarningView state={stateOf(0)}>
          <LowCreditWarningMessage />
          <SnoozeLink />
        </LowCreditWarningView>,
      );
      expect(screen.getByRole('alert')).toHaveAttribute('data-state', 'empty');

      const onDismissedChange = vi.fn();
      rerender(
        <LowCreditWarningView state={stateOf(0)} dismissed={false} onDismissedChange={onDismissedChange}>
          <LowCreditWarningDismiss>
            <svg data-testid="icon" aria-hidden="true" />
          </LowCreditWarningDismiss>
        </LowCreditWarningView>,
      );
      // Its children replace the "×" icon; it keeps its accessible name (labels.dismiss).
      expect(screen.getByTestId('icon')).toBeInTheDocument();
      await userEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
      expect(onDismissedChange).toHaveBeenCalledWith(true);
    });

    it('runs the consumer’s onClick first; preventDefault() keeps the warning', async () => {
      const onClick = vi.fn((event: React.MouseEvent) => event.preventDefault());
      render(
        <LowCreditWarningView state={stateOf(1000)}>
          <LowCreditWarningDismiss onClick={onClick} />
        </LowCreditWarningView>,
      );
      await userEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
      expect(onClick).toHaveBeenCalledTimes(1);
      expect(warning()).not.toBeNull();
    });

    it('fails loudly when a part is rendered outside a warning', () => {
      const error = vi.spyOn(console, 'error').mockImplementation(() => {});
      try {
        expect(() => render(<LowCreditWarningMessage />)).toThrow('LowCreditWarning parts must be used within <LowCreditWarning>');
      } finally {
        error.mockRestore();
      }
    });
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

  it('passes its parts through, the top-up part opening the dialog', async () => {
    render(
      <CreditsTestProvider level="low" locale="en-US">
        <LowCreditWarning>
          <LowCreditWarningMessage>Running low.</LowCreditWarningMessage>
          <LowCreditWarningTopUp />
        </LowCreditWarning>
      </CreditsTestProvider>,
    );
    expect(screen.getByRole('status')).toHaveTextContent(/^Running low\.Top up$/);
    expect(screen.queryByRole('button', { name: 'Dismiss' })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Top up' }));
    expect(await screen.findByRole('dialog', { name: 'Top up credits' })).toBeInTheDocument();
  });
});

describe('LowCreditWarning, given an auto top-up (issue 17)', () => {
  it('adds when it tops up to the message, with the pack from the provider\'s config', async () => {
    const { container } = render(
      <CreditsTestProvider balance={1200} granted={8000} locale="en-US">
        <LowCreditWarning autoTopUp={{ enabled: true, threshold: 1000, packId: 'credit_topup', purchaseLimit: null }} />
      </CreditsTestProvider>,
    );
    expect(screen.getByRole('status')).toHaveTextContent('Your credits are running low: 1,200 left. Tops up 40,000 at 1,000 or less.');
    await expectNoAxeViolations(container);
  });

  it('takes credits without a config, and says nothing when off', () => {
    const { rerender } = render(<LowCreditWarningView state={stateOf(0)} autoTopUp={{ enabled: true, threshold: 500, credits: 9000 }} />);
    expect(screen.getByRole('alert')).toHaveTextContent('You are out of credits. Top up to keep going. Tops up 9,000 at 500 or less.');
    rerender(<LowCreditWarningView state={stateOf(0)} autoTopUp={{ enabled: false, threshold: 500, credits: 9000 }} />);
    expect(screen.getByRole('alert')).not.toHaveTextContent('Tops up');
  });
});
