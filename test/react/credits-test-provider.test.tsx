import * as React from 'react';
import { act, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { useCredits, type CreditsContextValue } from '../../src/react/credits-context.js';
import { CreditBalance } from '../../src/react/components/credit-balance.js';
import { CreditsTestProvider, creditsWrapper } from '../../src/testing.js';

function captureCredits() {
  const latest: { current: CreditsContextValue | null } = { current: null };
  function Probe() {
    latest.current = useCredits();
    return null;
  }
  return {
    Probe,
    get credits(): CreditsContextValue {
      return latest.current!;
    },
  };
}

describe('CreditsTestProvider', () => {
  it('renders kit components with the given balance in one line', () => {
    render(
      <CreditsTestProvider balance={1200} granted={8000} locale="en-US">
        <CreditBalance />
      </CreditsTestProvider>,
    );
    expect(screen.getByRole('meter')).toHaveAttribute('aria-valuetext', '1,200 of 8,000 credits left');
  });

  it('grants the default plan’s credits when only a balance is given', () => {
    const probe = captureCredits();
    render(
      <CreditsTestProvider balance={500}>
        <probe.Probe />
      </CreditsTestProvider>,
    );
    expect(probe.credits.state).toMatchObject({ remaining: 500, granted: 8000, level: 'low' });
  });

  it.each([
    ['ok', { remaining: 8000, level: 'ok' }],
    ['low', { remaining: 800, level: 'low' }],
    ['empty', { remaining: 0, level: 'empty' }],
    ['overage', { remaining: 0, overage: 400, level: 'overage' }],
    ['unlimited', { level: 'unlimited', percentRemaining: null }],
  ] as const)('shows the %s level', (level, expected) => {
    const probe = captureCredits();
    render(
      <CreditsTestProvider level={level}>
        <probe.Probe />
      </CreditsTestProvider>,
    );
    expect(probe.credits.state).toMatchObject({ status: 'ready', ...expected });
  });

  it('shows the loading and error states', () => {
    const probe = captureCredits();
    const { rerender } = render(
      <CreditsTestProvider loading>
        <probe.Probe />
      </CreditsTestProvider>,
    );
    expect(probe.credits.state.status).toBe('loading');
    rerender(
      <CreditsTestProvider error>
        <probe.Probe />
      </CreditsTestProvider>,
    );
    expect(probe.credits.state.status).toBe('error');
  });

  it('completes top-ups in place, growing the balance, and starts over with new props', async () => {
    const probe = captureCredits();
    const { rerender } = render(
      <CreditsTestProvider balance={100}>
        <probe.Probe />
      </CreditsTestProvider>,
    );
    await act(() => probe.credits.topUp('credit_topup'));
    expect(probe.credits.state).toMatchObject({ remaining: 40100, granted: 48000 });

    rerender(
      <CreditsTestProvider balance={50}>
        <probe.Probe />
      </CreditsTestProvider>,
    );
    expect(probe.credits.state.remaining).toBe(50);
  });

  it('passes top-ups to onTopUp when given, and never navigates by default', async () => {
    const onTopUp = vi.fn(async () => ({ url: 'https://checkout.test/1' }));
    const probe = captureCredits();
    render(
      <CreditsTestProvider balance={100} onTopUp={onTopUp}>
        <probe.Probe />
      </CreditsTestProvider>,
    );
    await act(() => probe.credits.topUp('credit_topup'));
    expect(onTopUp).toHaveBeenCalledTimes(1);
    expect(probe.credits.topUpState.status).toBe('redirecting');
    expect(probe.credits.state.remaining).toBe(100);
  });

  it('keeps optimistic usage until the next balance', () => {
    const probe = captureCredits();
    render(
      <CreditsTestProvider balance={100}>
        <probe.Probe />
      </CreditsTestProvider>,
    );
    act(() => probe.credits.applyUsage(40));
    expect(probe.credits.state.remaining).toBe(60);
  });

  it('works as a Testing Library wrapper', () => {
    render(<CreditBalance />, { wrapper: creditsWrapper({ level: 'empty' }) });
    expect(document.querySelector('[data-slot="credit-balance"]')).toHaveAttribute('data-state', 'empty');
  });
});
