import * as React from 'react';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { normalizeCustomer } from '../../src/core/customer.js';
import {
  CreditBalance,
  CreditBalanceAmount,
  CreditBalanceDetails,
  CreditBalanceError,
  CreditBalanceHeader,
  CreditBalanceMeter,
  CreditBalanceSkeleton,
  CreditBalanceTitle,
  CreditBalanceTopUp,
  CreditBalanceValue,
  CreditBalanceView,
  useCreditBalance,
} from '../../src/react/components/credit-balance.js';
import { creditBalanceState } from '../../src/react/shared/credit-balance.js';
import { CreditsTestProvider } from '../../src/testing/credits-test-provider.js';
import { expectNoAxeViolations } from './axe.js';

function root(): HTMLElement {
  const element = document.querySelector<HTMLElement>('[data-slot="credit-balance"]');
  if (!element) throw new Error('no credit balance rendered');
  return element;
}

/** Everything the balance shows, for the "never NaN/Infinity/negative" checks. */
function shownText(): string {
  return root().textContent ?? '';
}

function expectSaneDisplay() {
  const text = shownText();
  expect(text).not.toMatch(/NaN|Infinity|-\d/);
  const meter = screen.queryByRole('meter');
  if (meter) {
    const now = Number(meter.getAttribute('aria-valuenow'));
    expect(now).toBeGreaterThanOrEqual(0);
    expect(now).toBeLessThanOrEqual(100);
    expect(meter.getAttribute('aria-valuetext')).not.toMatch(/NaN|Infinity|-\d/);
  }
}

describe('CreditBalanceView', () => {
  describe('given a healthy balance', () => {
    it('shows the credits left, their dollar value, the grant and a meter', async () => {
      const { container } = render(<CreditBalanceView remaining={6000} granted={8000} locale="en-US" />);
      expect(root()).toHaveAttribute('data-state', 'ok');
      expect(screen.getByRole('group', { name: 'AI credits' })).toBe(root());
      expect(root()).toHaveTextContent('6,000 credits ≈ $1.50');
      expect(root()).toHaveTextContent('of 8,000');
      const meter = screen.getByRole('meter', { name: 'AI credits' });
      expect(meter).toHaveAttribute('aria-valuenow', '75');
      expect(meter).toHaveAttribute('aria-valuemin', '0');
      expect(meter).toHaveAttribute('aria-valuemax', '100');
      expect(meter).toHaveAttribute('aria-valuetext', '6,000 of 8,000 credits left');
      await expectNoAxeViolations(container);
    });

    it('formats with the given locale and currency', () => {
      render(<CreditBalanceView remaining={6000} granted={8000} locale="de-DE" currency="EUR" />);
      expect(root()).toHaveTextContent('6.000 credits ≈ 1,50 €');
      expect(screen.getByRole('meter')).toHaveAttribute('aria-valuetext', '6.000 of 8.000 credits left');
    });

    it('shows when the included credits reset, with the year when it is not this year', () => {
      vi.useFakeTimers({ toFake: ['Date'], now: Date.UTC(2026, 0, 15, 9) });
      try {
        const { rerender } = render(<CreditBalanceView remaining={6000} granted={8000} nextResetAt={Date.UTC(2026, 11, 1, 12)} locale="en-US" />);
        expect(root()).toHaveTextContent('Resets Dec 1');
        expect(root()).not.toHaveTextContent('2026');
        // A yearly plan renewed today resets a year from now: never "Jan 15", which reads as today.
        rerender(<CreditBalanceView remaining={6000} granted={8000} nextResetAt={Date.UTC(2027, 0, 15, 9)} locale="en-US" />);
        expect(root()).toHaveTextContent('Resets Jan 15, 2027');
      } finally {
        vi.useRealTimers();
      }
    });

    it('shows each detail as its own item, so a wrapped line never ends on a separator', () => {
      render(<CreditBalanceView remaining={0} granted={60000} usage={61000} overageAllowed nextResetAt={Date.UTC(2026, 11, 1)} locale="en-US" />);
      const details = document.querySelector('[data-slot="credit-balance-details"]')!;
      expect([...details.children].map((part) => part.textContent)).toEqual([
        'of 60,000',
        '1,000 credits over the balance',
        expect.stringMatching(/^Resets Dec 1/),
      ]);
      expect(details.textContent).not.toContain('·');
    });
  });

  describe('given a low balance', () => {
    it('marks the root low and offers the top-up action', async () => {
      const onTopUp = vi.fn();
      const { container } = render(<CreditBalanceView remaining={1234} granted={8000} onTopUp={onTopUp} locale="en-US" />);
      expect(root()).toHaveAttribute('data-state', 'low');
      expect(screen.getByRole('meter')).toHaveAttribute('aria-valuetext', '1,234 of 8,000 credits left');
      await userEvent.click(screen.getByRole('button', { name: 'Top up' }));
      expect(onTopUp).toHaveBeenCalledTimes(1);
      await expectNoAxeViolations(container);
    });
  });

  describe('given an empty balance', () => {
    it('is empty at 0%', () => {
      render(<CreditBalanceView remaining={0} granted={8000} />);
      expect(root()).toHaveAttribute('data-state', 'empty');
      expect(screen.getByRole('meter')).toHaveAttribute('aria-valuenow', '0');
    });
  });

  describe('given usage beyond the balance with overage allowed', () => {
    it('shows 0 left and the overage, never a negative number', () => {
      render(<CreditBalanceView remaining={-400} granted={60000} overageAllowed locale="en-US" />);
      expect(root()).toHaveAttribute('data-state', 'overage');
      expect(root()).toHaveTextContent('0 credits');
      expect(root()).toHaveTextContent('400 credits over the balance');
      expectSaneDisplay();
    });

    it('reads the overage from usage past the grant, as Autumn reports it (remaining floored at 0)', () => {
      render(<CreditBalanceView remaining={0} granted={60000} usage={60400} overageAllowed locale="en-US" />);
      expect(root()).toHaveAttribute('data-state', 'overage');
      expect(root()).toHaveTextContent('400 credits over the balance');
      expectSaneDisplay();
    });
  });

  describe('given an unlimited balance', () => {
    it('says unlimited and shows no meter', async () => {
      const { container } = render(<CreditBalanceView remaining={0} granted={0} unlimited />);
      expect(root()).toHaveAttribute('data-state', 'unlimited');
      expect(root()).toHaveTextContent('Unlimited');
      expect(screen.queryByRole('meter')).toBeNull();
      await expectNoAxeViolations(container);
    });
  });

  describe('given nothing granted', () => {
    it('shows no percentage at all', () => {
      render(<CreditBalanceView remaining={0} granted={0} />);
      expect(screen.queryByRole('meter')).toBeNull();
      expect(shownText()).not.toMatch(/%/);
      expectSaneDisplay();
    });
  });

  describe('given bad numbers', () => {
    it.each([
      ['NaN', Number.NaN, 8000],
      ['-5', -5, 8000],
      ['Infinity', Number.POSITIVE_INFINITY, 8000],
      ['granted NaN', 100, Number.NaN],
      ['granted Infinity', 100, Number.POSITIVE_INFINITY],
      ['granted -1', 100, -1],
      ['a non-numeric string', 'lots', 8000],
      ['granted 0', 10, 0],
    ] as const)('shows a safe display for %s', (_name, remaining, granted) => {
      render(<CreditBalanceView remaining={remaining} granted={granted} locale="en-US" />);
      expectSaneDisplay();
    });

    it('caps the meter at 100% when a top-up raised the balance above the grant', () => {
      render(<CreditBalanceView remaining={48000} granted={8000} locale="en-US" />);
      expect(screen.getByRole('meter')).toHaveAttribute('aria-valuenow', '100');
      expect(screen.getByRole('meter')).toHaveAttribute('aria-valuetext', '48,000 of 48,000 credits left');
      expectSaneDisplay();
    });
  });

  describe('while loading', () => {
    it('shows a busy skeleton and no numbers', async () => {
      const { container } = render(<CreditBalanceView loading onTopUp={() => {}} />);
      expect(root()).toHaveAttribute('data-state', 'loading');
      expect(root()).toHaveAttribute('aria-busy', 'true');
      expect(root()).toHaveTextContent('Loading credits…');
      expect(screen.queryByRole('meter')).toBeNull();
      expect(screen.queryByRole('button')).toBeNull();
      await expectNoAxeViolations(container);
    });
  });

  describe('given a failed fetch', () => {
    it('shows the error with a Retry button that works from the keyboard', async () => {
      const onRetry = vi.fn();
      const { container } = render(<CreditBalanceView error={new Error('offline')} onRetry={onRetry} />);
      expect(root()).toHaveAttribute('data-state', 'error');
      expect(screen.getByRole('alert')).toHaveTextContent('Could not load your credits.');
      const user = userEvent.setup();
      await user.tab();
      expect(screen.getByRole('button', { name: 'Retry' })).toHaveFocus();
      await user.keyboard('{Enter}');
      expect(onRetry).toHaveBeenCalledTimes(1);
      await expectNoAxeViolations(container);
    });
  });

  describe('given a breakdown', () => {
    it('opens it in a dialog from the keyboard, and Escape closes it', async () => {
      const onOpenBreakdown = vi.fn();
      render(
        <CreditBalanceView
          remaining={6000}
          granted={8000}
          onOpenBreakdown={onOpenBreakdown}
          breakdown={<p>Chat: 2,000 credits</p>}
          locale="en-US"
        />,
      );
      const user = userEvent.setup();
      await user.tab();
      const trigger = screen.getByRole('button', { name: /6,000 credits/ });
      expect(trigger).toHaveFocus();
      expect(trigger).toHaveAttribute('aria-haspopup', 'dialog');
      await user.keyboard('{Enter}');

      const dialog = await screen.findByRole('dialog', { name: 'Credit usage' });
      expect(within(dialog).getByText('Chat: 2,000 credits')).toBeInTheDocument();
      expect(onOpenBreakdown).toHaveBeenCalledTimes(1);
      await expectNoAxeViolations(document.body);

      await user.keyboard('{Escape}');
      expect(screen.queryByRole('dialog')).toBeNull();
      expect(trigger).toHaveFocus();
    });

    it('calls onOpenBreakdown alone when there is no breakdown slot', async () => {
      const onOpenBreakdown = vi.fn();
      render(<CreditBalanceView remaining={6000} granted={8000} onOpenBreakdown={onOpenBreakdown} />);
      await userEvent.click(screen.getByRole('button', { name: /credits/ }));
      expect(onOpenBreakdown).toHaveBeenCalledTimes(1);
      expect(screen.queryByRole('dialog')).toBeNull();
    });
  });

  it('takes a CreditState, labels and the compact size', () => {
    const state = normalizeCustomer({ balances: { ai_credits: { remaining: 50, granted: 100 } } });
    render(<CreditBalanceView state={state} size="compact" className="w-64" labels={{ title: 'Guthaben', unit: 'Credits' }} locale="en-US" />);
    expect(root()).toHaveAttribute('data-size', 'compact');
    expect(root()).toHaveClass('w-64');
    expect(screen.getByRole('group', { name: 'Guthaben' })).toHaveTextContent('50 Credits');
  });

  describe('composed from its parts', () => {
    it('renders the parts in the order given, each taking its own className, and omits what is left out', async () => {
      const { container } = render(
        <CreditBalanceView remaining={6000} granted={8000} onTopUp={() => {}} locale="en-US">
          <CreditBalanceMeter className="h-3" />
          <CreditBalanceHeader>
            <CreditBalanceTitle />
            <CreditBalanceAmount className="text-3xl" />
          </CreditBalanceHeader>
          <CreditBalanceTopUp>Buy credits</CreditBalanceTopUp>
        </CreditBalanceView>,
      );
      const slots = [...root().querySelectorAll('[data-slot]')].map((element) => element.getAttribute('data-slot'));
      expect(slots).toEqual([
        'credit-balance-meter',
        'credit-balance-indicator',
        'credit-balance-header',
        'credit-balance-title',
        'credit-balance-amount',
        'credit-balance-top-up',
      ]);
      expect(root().querySelector('[data-slot="credit-balance-meter"]')).toHaveClass('h-3');
      expect(root().querySelector('[data-slot="credit-balance-amount"]')).toHaveClass('text-3xl');
      expect(screen.getByRole('meter', { name: 'AI credits' })).toHaveAttribute('aria-valuenow', '75');
      expect(screen.getByRole('button', { name: 'Buy credits' })).toBeInTheDocument();
      await expectNoAxeViolations(container);
    });

    it('shows each part only in its states: the skeleton while loading, the error with Retry, the numbers once known', async () => {
      const onRetry = vi.fn();
      const parts = (
        <>
          <CreditBalanceTitle />
          <CreditBalanceSkeleton />
          <CreditBalanceError />
          <CreditBalanceValue />
          <CreditBalanceMeter />
          <CreditBalanceDetails />
          <CreditBalanceTopUp />
        </>
      );
      const { rerender } = render(
        <CreditBalanceView loading onRetry={onRetry} onTopUp={() => {}}>
          {parts}
        </CreditBalanceView>,
      );
      expect(root()).toHaveTextContent('Loading credits…');
      expect(screen.queryByRole('meter')).toBeNull();
      expect(screen.queryByRole('button')).toBeNull();
      rerender(
        <CreditBalanceView error={new Error('down')} onRetry={onRetry} onTopUp={() => {}}>
          {parts}
        </CreditBalanceView>,
      );
      await userEvent.click(within(screen.getByRole('alert')).getByRole('button', { name: 'Retry' }));
      expect(onRetry).toHaveBeenCalledTimes(1);
      expect(screen.queryByRole('button', { name: 'Top up' })).toBeNull();
      rerender(
        <CreditBalanceView remaining={1200} granted={8000} onRetry={onRetry} onTopUp={() => {}} locale="en-US">
          {parts}
        </CreditBalanceView>,
      );
      expect(root()).toHaveTextContent('1,200 credits ≈ $0.30');
      expect(root()).toHaveTextContent('of 8,000');
      expect(screen.getByRole('button', { name: 'Top up' })).toBeInTheDocument();
    });

    it('lets a part of your own read the resolved balance through useCreditBalance', () => {
      function Percent() {
        const { percent, dataState } = useCreditBalance();
        return <span data-testid="percent">{`${dataState}: ${percent}%`}</span>;
      }
      render(
        <CreditBalanceView remaining={1200} granted={8000}>
          <Percent />
        </CreditBalanceView>,
      );
      expect(screen.getByTestId('percent')).toHaveTextContent('low: 15%');
    });

    it('fails loudly when a part is rendered outside a balance', () => {
      const error = vi.spyOn(console, 'error').mockImplementation(() => {});
      try {
        expect(() => render(<CreditBalanceAmount />)).toThrow('CreditBalance parts must be used within <CreditBalance>');
      } finally {
        error.mockRestore();
      }
    });

    it('passes its parts through the connected CreditBalance', () => {
      render(
        <CreditsTestProvider balance={1200} granted={8000} locale="en-US">
          <CreditBalance>
            <CreditBalanceAmount />
            <CreditBalanceTopUp />
          </CreditBalance>
        </CreditsTestProvider>,
      );
      expect(root()).toHaveTextContent('1,200');
      expect(screen.getByRole('button', { name: 'Top up' })).toBeInTheDocument();
      expect(screen.queryByRole('meter')).toBeNull();
    });
  });

  it('computes its data-state with a pure function', () => {
    expect(creditBalanceState({ status: 'ready', level: 'low' })).toBe('low');
    expect(creditBalanceState({ status: 'loading', level: 'ok' })).toBe('loading');
    expect(creditBalanceState({ status: 'error', level: 'ok' })).toBe('error');
  });
});

describe('CreditBalance', () => {
  describe('given a low balance in a provider', () => {
    it('opens the top-up dialog, and a purchase grows the balance', async () => {
      const { container } = render(
        <CreditsTestProvider balance={1200} granted={8000} locale="en-US">
          <CreditBalance />
        </CreditsTestProvider>,
      );
      expect(root()).toHaveAttribute('data-state', 'low');
      await expectNoAxeViolations(container);

      const user = userEvent.setup();
      await user.click(screen.getByRole('button', { name: 'Top up' }));
      const dialog = await screen.findByRole('dialog', { name: 'Top up credits' });
      await user.click(within(dialog).getByRole('button', { name: /40,000 credits \$10\.00/ }));

      expect(await within(dialog).findByText('Credits added to your balance.')).toBeInTheDocument();
      expect(screen.getByRole('meter', { hidden: true })).toHaveAttribute('aria-valuetext', '41,200 of 48,000 credits left');
      expect(root()).toHaveAttribute('data-state', 'ok');
    });
  });

  describe('given a failed fetch in a provider', () => {
    it('Retry refreshes', async () => {
      const onRefresh = vi.fn();
      render(
        <CreditsTestProvider error onRefresh={onRefresh}>
          <CreditBalance />
        </CreditsTestProvider>,
      );
      await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
      expect(onRefresh).toHaveBeenCalledTimes(1);
    });
  });

  it('hides the top-up action with topUp={false}, and calls onTopUp instead of the dialog when given', async () => {
    const { rerender } = render(
      <CreditsTestProvider balance={100}>
        <CreditBalance topUp={false} />
      </CreditsTestProvider>,
    );
    expect(screen.queryByRole('button', { name: 'Top up' })).toBeNull();

    const onTopUp = vi.fn();
    rerender(
      <CreditsTestProvider balance={100}>
        <CreditBalance onTopUp={onTopUp} />
      </CreditsTestProvider>,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Top up' }));
    expect(onTopUp).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  describe('given an unlimited balance in a provider', () => {
    it('offers no top-up, unless topUp asks for it', () => {
      const { rerender } = render(
        <CreditsTestProvider level="unlimited">
          <CreditBalance />
        </CreditsTestProvider>,
      );
      expect(root()).toHaveAttribute('data-state', 'unlimited');
      expect(screen.queryByRole('button', { name: 'Top up' })).toBeNull();

      rerender(
        <CreditsTestProvider level="unlimited">
          <CreditBalance topUp />
        </CreditsTestProvider>,
      );
      expect(screen.getByRole('button', { name: 'Top up' })).toBeInTheDocument();
    });
  });

  it('re-renders with the balance after applyUsage', async () => {
    const { useCredits } = await import('../../src/react/credits-context.js');
    function Spend() {
      const { applyUsage } = useCredits();
      return (
        <button type="button" onClick={() => applyUsage(200)}>
          Spend
        </button>
      );
    }
    render(
      <CreditsTestProvider balance={1000} granted={8000} locale="en-US">
        <CreditBalance />
        <Spend />
      </CreditsTestProvider>,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Spend' }));
    expect(screen.getByRole('meter')).toHaveAttribute('aria-valuetext', '800 of 8,000 credits left');
  });
});

describe('CreditBalance, given an auto top-up (issue 17)', () => {
  it('says when it tops up, with the pack\'s credits from the config', async () => {
    const { container } = render(
      <CreditBalanceView remaining={5000} granted={8000} locale="en-US" autoTopUp={{ enabled: true, threshold: 2000, packId: 'credit_topup', purchaseLimit: null }} />,
    );
    const details = root().querySelector('[data-slot="credit-balance-details"]');
    expect([...(details?.children ?? [])].map((item) => item.textContent)).toEqual(['of 8,000', 'Tops up 40,000 at 2,000 or less']);
    await expectNoAxeViolations(container);
  });

  it.each([
    ['off', { enabled: false, threshold: 2000, credits: 40_000 }],
    ['without a readable amount', { enabled: true, threshold: 2000, packId: 'nope' }],
    ['with a threshold that is not a number', { enabled: true, threshold: Number.NaN, credits: 40_000 }],
    ['null', null],
  ])('says nothing of it when it is %s', (_name, autoTopUp) => {
    render(<CreditBalanceView remaining={5000} granted={8000} autoTopUp={autoTopUp} />);
    expect(shownText()).not.toMatch(/Tops up/);
    expectSaneDisplay();
  });

  it('takes { enabled, threshold, credits } and its label, on the connected balance', () => {
    render(
      <CreditsTestProvider balance={1500} granted={8000} locale="de-DE">
        <CreditBalance autoTopUp={{ enabled: true, threshold: 1000.5, credits: 12_000 }} labels={{ autoTopUp: (credits, threshold) => `+${credits} unter ${threshold}` }} />
      </CreditsTestProvider>,
    );
    expect(shownText()).toContain('+12.000 unter 1.000,5');
  });
});
