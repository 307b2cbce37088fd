import * as React from 'react';
import { act, render, screen, waitFor } from '@testing-library/react';
import { Autumn } from 'autumn-js';
import { AutumnProvider } from 'autumn-js/react';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultCreditsConfig, defineCredits } from '../../src/core/config.js';
import { CreditsError } from '../../src/core/errors.js';
import { useCredits, type CreditsContextValue } from '../../src/react/credits-context.js';
import { CreditsProvider, type ExternalCreditsProviderProps } from '../../src/react/credits-provider.js';
import { AutumnCreditsProvider } from '../../src/autumn.js';
import { useCreditsFormat } from '../../src/react/lib/credits-format.js';
import { CreditBalance } from '../../src/react/components/credit-balance.js';
import { startAutumnStandIn, type RunningAutumnStandIn } from '../../src/testing.js';

const FEATURE = defaultCreditsConfig.featureId;

function customer(remaining: number, granted = 8000, extra: Record<string, unknown> = {}) {
  return { id: 'user_1', balances: { [FEATURE]: { featureId: FEATURE, remaining, granted, usage: granted - remaining, ...extra } } };
}

/** Renders the provider with a probe that keeps the latest context value. */
function renderExternal(props: Omit<ExternalCreditsProviderProps, 'children'>) {
  const latest: { current: CreditsContextValue | null } = { current: null };
  function Probe() {
    const value = useCredits();
    latest.current = value;
    return <p data-testid="remaining">{value.state.remaining}</p>;
  }
  const utils = render(
    <CreditsProvider {...props}>
      <Probe />
    </CreditsProvider>,
  );
  return {
    ...utils,
    get credits(): CreditsContextValue {
      if (!latest.current) throw new Error('the probe did not render');
      return latest.current;
    },
    rerenderWith(next: Omit<ExternalCreditsProviderProps, 'children'>) {
      utils.rerender(
        <CreditsProvider {...next}>
          <Probe />
        </CreditsProvider>,
      );
    },
  };
}

describe('CreditsProvider', () => {
  describe('outside a provider', () => {
    it('useCredits fails loudly', () => {
      function Orphan() {
        useCredits();
        return null;
      }
      // React reports the thrown render error with console.error; that is the point here.
      vi.mocked(console.error).mockImplementation(() => {});
      expect(() => render(<Orphan />)).toThrow('useCredits must be used within <CreditsProvider>');
    });
  });

  describe('asked for the autumn-js/react source, which moved to autumn-ai-credits/autumn', () => {
    function renderError(element: React.ReactElement): unknown {
      // React reports the thrown render error with console.error; that is the point here.
      vi.mocked(console.error).mockImplementation(() => {});
      try {
        render(element);
      } catch (error) {
        return error;
      }
      return undefined;
    }

    it('throws a CreditsError naming AutumnCreditsProvider for source="autumn"', () => {
      const props = { source: 'autumn' } as unknown as ExternalCreditsProviderProps;
      const error = renderError(<CreditsProvider {...props} />);
      expect(error).toBeInstanceOf(CreditsError);
      expect((error as CreditsError).code).toBe('invalid_config');
      expect((error as CreditsError).message).toMatch(/source="autumn".*import \{ AutumnCreditsProvider \} from 'autumn-ai-credits\/autumn'/s);
    });

    it('throws the same advice without a customer prop (which selected autumn-js/react before), never loading forever', () => {
      const props = {} as unknown as ExternalCreditsProviderProps;
      const error = renderError(<CreditsProvider {...props} />);
      expect(error).toBeInstanceOf(CreditsError);
      expect((error as CreditsError).message).toMatch(/needs a customer prop.*autumn-ai-credits\/autumn/s);
    });

    it('still accepts source="external", with or without a customer (loading)', () => {
      const view = renderExternal({ source: 'external' } as ExternalCreditsProviderProps);
      expect(view.credits.state.status).toBe('loading');
      view.rerenderWith({ source: 'external', customer: customer(10) });
      expect(view.credits.state).toMatchObject({ status: 'ready', remaining: 10 });
    });
  });

  describe('given an external autumn-js 1.x customer', () => {
    it('exposes the normalized balance, the config and its top-up packages', () => {
      const view = renderExternal({ customer: customer(1200) });
      expect(view.credits.state).toMatchObject({ status: 'ready', remaining: 1200, granted: 8000, level: 'low', source: 'autumn-1.x' });
      expect(view.credits.config).toBe(defaultCreditsConfig);
      expect(view.credits.packages).toEqual(defaultCreditsConfig.topUps);
      expect(view.credits.topUpState).toEqual({ status: 'idle', packageId: null, error: null });
    });

    it('keeps the same context value when its parent re-renders with the same props', () => {
      const props = { customer: customer(5000) };
      const view = renderExternal(props);
      const before = view.credits;
      view.rerenderWith(props);
      expect(view.credits).toBe(before);
    });

    it('provides the locale and currency to the kit through CreditsFormatProvider', () => {
      let locale: string | undefined;
      let currency: string | undefined;
      function FormatProbe() {
        const format = useCreditsFormat();
        locale = format.locale;
        currency = format.currency;
        return null;
      }
      render(
        <CreditsProvider customer={customer(1)} locale="de-DE" currency="EUR">
          <FormatProbe />
        </CreditsProvider>,
      );
      expect(locale).toBe('de-DE');
      expect(currency).toBe('EUR');
    });
  });

  describe('given a 0.x customer from @useautumn/convex', () => {
    it('reads features[id].balance and included_usage', () => {
      const convexCustomer = { id: 'user_1', features: { [FEATURE]: { balance: 300, included_usage: 8000, usage: 7700 } } };
      const view = renderExternal({ customer: convexCustomer });
      expect(view.credits.state).toMatchObject({ status: 'ready', remaining: 300, granted: 8000, level: 'low', source: 'autumn-0.x' });
    });
  });

  describe('given no customer yet', () => {
    it('is loading while the customer is undefined (a Convex query starting), then ready', () => {
      const view = renderExternal({ customer: undefined });
      expect(view.credits.state.status).toBe('loading');
      view.rerenderWith({ customer: customer(8000) });
      expect(view.credits.state.status).toBe('ready');
    });

    it('is in error with the error given', () => {
      const view = renderExternal({ customer: null, error: new Error('offline') });
      expect(view.credits.state.status).toBe('error');
      expect(view.credits.state.error?.message).toBe('offline');
    });
  });

  describe('applyUsage', () => {
    it('deducts credits at once, from numbers, decimal strings and cost records', () => {
      const view = renderExternal({ customer: customer(1000) });
      act(() => view.credits.applyUsage(5));
      act(() => view.credits.applyUsage('2.5'));
      act(() => view.credits.applyUsage({ credits: '0.618' }));
      expect(view.credits.state.remaining).toBe(991.882);
      expect(view.credits.state.used).toBe(7008.118);
      expect(screen.getByTestId('remaining')).toHaveTextContent('991.882');
    });

    it('ignores NaN, Infinity, negative, empty and non-numeric amounts (with a warning)', () => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
      const view = renderExternal({ customer: customer(1000) });
      const before = view.credits;
      for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, -5, '', 'abc', '-1', { credits: Number.NaN }, null as unknown as number]) {
        act(() => view.credits.applyUsage(bad));
      }
      expect(view.credits).toBe(before);
      expect(view.credits.state.remaining).toBe(1000);
      expect(warn).toHaveBeenCalledTimes(8);
    });

    it('never goes below zero without overage', () => {
      const view = renderExternal({ customer: customer(3) });
      act(() => view.credits.applyUsage(10));
      expect(view.credits.state).toMatchObject({ remaining: 0, level: 'empty', overage: 0 });
    });

    it('is reconciled by a fresher customer: applying 5, then the server’s new balance, deducts once', () => {
      const view = renderExternal({ customer: customer(1000) });
      act(() => view.credits.applyUsage(5));
      expect(view.credits.state.remaining).toBe(995);

      view.rerenderWith({ customer: customer(995) });
      expect(view.credits.state.remaining).toBe(995);
    });

    it('is kept when the app passes the same customer rebuilt (a new object with the same content)', () => {
      const view = renderExternal({ customer: customer(1000) });
      act(() => view.credits.applyUsage(5));
      view.rerenderWith({ customer: customer(1000) });
      expect(view.credits.state.remaining).toBe(995);
      act(() => view.credits.applyUsage(2));
      view.rerenderWith({ customer: customer(1000) });
      expect(view.credits.state.remaining).toBe(993);
      // The server's answer that counted both: deducted once.
      view.rerenderWith({ customer: customer(993) });
      expect(view.credits.state.remaining).toBe(993);
    });

    it('is dropped when refresh() resolves, even when the answer is the same object', async () => {
      const onRefresh = vi.fn(async () => {});
      const props = { customer: customer(1000), onRefresh };
      const view = renderExternal(props);
      act(() => view.credits.applyUsage(5));
      expect(view.credits.state.remaining).toBe(995);

      await act(() => view.credits.refresh());
      expect(onRefresh).toHaveBeenCalledTimes(1);
      expect(view.credits.state.remaining).toBe(1000);
    });

    it('keeps deductions made while a refresh was running', async () => {
      let finish: () => void = () => {};
      const onRefresh = () => new Promise<void>((resolve) => (finish = resolve));
      const view = renderExternal({ customer: customer(1000), onRefresh });
      act(() => view.credits.applyUsage(5));
      let refreshing: Promise<void> = Promise.resolve();
      act(() => {
        refreshing = view.credits.refresh();
      });
      act(() => view.credits.applyUsage(3));
      await act(async () => {
        finish();
        await refreshing;
      });
      expect(view.credits.state.remaining).toBe(997);
    });
  });

  describe('topUp', () => {
    it('rejects an unknown package with a CreditsError and reports the failure', async () => {
      const view = renderExternal({ customer: customer(10), onTopUp: vi.fn() });
      let error: unknown;
      await act(async () => {
        error = await view.credits.topUp('gold').catch((caught: unknown) => caught);
      });
      expect(error).toBeInstanceOf(CreditsError);
      expect((error as CreditsError).code).toBe('invalid_config');
      expect(view.credits.topUpState).toMatchObject({ status: 'failed', packageId: 'gold' });
    });

    it('sends the browser to the checkout URL only, and reports redirecting', async () => {
      const navigate = vi.fn();
      const onTopUp = vi.fn(async () => ({ url: 'https://checkout.test/session_1' }));
      const onRefresh = vi.fn();
      const view = renderExternal({ customer: customer(10), onTopUp, onRefresh, navigate });

      let result: unknown;
      await act(async () => {
        result = await view.credits.topUp('credit_topup');
      });

      expect(onTopUp).toHaveBeenCalledWith(defaultCreditsConfig.topUps[0]);
      expect(navigate).toHaveBeenCalledTimes(1);
      expect(navigate).toHaveBeenCalledWith('https://checkout.test/session_1');
      expect(onRefresh).not.toHaveBeenCalled();
      expect(result).toEqual({ kind: 'redirect', url: 'https://checkout.test/session_1' });
      expect(view.credits.topUpState).toEqual({ status: 'redirecting', packageId: 'credit_topup', error: null });
    });

    it('refreshes and reports succeeded when the purchase completes in place', async () => {
      const navigate = vi.fn();
      const onRefresh = vi.fn(async () => {});
      const view = renderExternal({ customer: customer(10), onTopUp: async () => undefined, onRefresh, navigate });
      let result: unknown;
      await act(async () => {
        result = await view.credits.topUp('credit_topup');
      });
      expect(result).toEqual({ kind: 'completed' });
      expect(onRefresh).toHaveBeenCalledTimes(1);
      expect(navigate).not.toHaveBeenCalled();
      expect(view.credits.topUpState.status).toBe('succeeded');
    });

    it('reports pending while the purchase runs', async () => {
      let finish: () => void = () => {};
      const onTopUp = () => new Promise<void>((resolve) => (finish = resolve));
      const view = renderExternal({ customer: customer(10), onTopUp });
      let purchase: Promise<unknown> = Promise.resolve();
      act(() => {
        purchase = view.credits.topUp('credit_topup');
      });
      expect(view.credits.topUpState).toEqual({ status: 'pending', packageId: 'credit_topup', error: null });
      await act(async () => {
        finish();
        await purchase;
      });
      expect(view.credits.topUpState.status).toBe('succeeded');
    });

    it('reports a failed purchase as a CreditsError and rejects', async () => {
      const view = renderExternal({ customer: customer(10), onTopUp: async () => Promise.reject(new Error('card declined')) });
      let error: unknown;
      await act(async () => {
        error = await view.credits.topUp('credit_topup').catch((caught: unknown) => caught);
      });
      expect(error).toBeInstanceOf(CreditsError);
      expect((error as CreditsError).code).toBe('billing_failed');
      expect(view.credits.topUpState).toMatchObject({ status: 'failed', packageId: 'credit_topup' });
      expect(view.credits.topUpState.error?.message).toBe('card declined');

      act(() => view.credits.resetTopUp?.());
      expect(view.credits.topUpState.status).toBe('idle');
    });

    it('fails without onTopUp', async () => {
      const view = renderExternal({ customer: customer(10) });
      const error = await act(() => view.credits.topUp('credit_topup').catch((caught: unknown) => caught));
      expect((error as CreditsError).code).toBe('billing_failed');
    });

    it('uses the packages of the config it was given', () => {
      const config = defineCredits({
        plans: [
          { id: 'free', name: 'Free', kind: 'free', price: 0, credits: 100, interval: 'month', isDefault: true },
          { id: 'pack', name: 'Pack', kind: 'top_up', price: 5, credits: 20_000, interval: 'one_off' },
        ],
      });
      const view = renderExternal({ customer: customer(10, 100), config });
      expect(view.credits.packages.map((pkg) => pkg.id)).toEqual(['pack']);
    });
  });
});

describe('AutumnCreditsProvider (autumn-ai-credits/autumn) in autumn-js/react’s AutumnProvider, the stand-in over loopback', () => {
  let standIn: RunningAutumnStandIn;
  let autumn: Autumn;

  beforeAll(async () => {
    standIn = await startAutumnStandIn({
      autoCompleteCheckout: true,
      identify: () => ({ customerId: 'user_1', customerData: { name: 'Ada' } }),
    });
    autumn = new Autumn({ secretKey: standIn.secretKey, serverURL: standIn.url, failOpen: false });
  });
  beforeEach(() => {
    // autumn-js's backend handler logs every request URL.
    vi.spyOn(console, 'log').mockImplementation(() => {});
  });
  afterEach(() => standIn.reset());
  afterAll(() => standIn.close());

  function renderWithAutumn(navigate = vi.fn()) {
    const latest: { current: CreditsContextValue | null } = { current: null };
    function Probe() {
      latest.current = useCredits();
      return null;
    }
    render(
      <AutumnProvider backendUrl={standIn.url}>
        <AutumnCreditsProvider navigate={navigate} locale="en-US">
          <CreditBalance />
          <Probe />
        </AutumnCreditsProvider>
      </AutumnProvider>,
    );
    return {
      navigate,
      get credits(): CreditsContextValue {
        return latest.current!;
      },
    };
  }

  it('shows the balance, deducts usage at once, reconciles on refresh and grows with a top-up', async () => {
    standIn.seedCustomer('user_1', { name: 'Ada', remaining: 1234 });
    const view = renderWithAutumn();

    const meter = await screen.findByRole('meter');
    expect(meter).toHaveAttribute('aria-valuetext', '1,234 of 8,000 credits left');
    expect(view.credits.state).toMatchObject({ status: 'ready', remaining: 1234, level: 'low' });

    // The UI deducts at once...
    act(() => view.credits.applyUsage(5));
    expect(view.credits.state.remaining).toBe(1229);
    expect(screen.getByRole('meter')).toHaveAttribute('aria-valuetext', '1,229 of 8,000 credits left');

    // ...the server settles the same 5 credits, and the next fetch counts them once.
    await autumn.track({ customerId: 'user_1', featureId: FEATURE, value: 5 });
    await act(() => view.credits.refresh());
    expect(standIn.balance('user_1').remaining).toBe(1229);
    expect(view.credits.state.remaining).toBe(1229);

    // A top-up goes through attach (a card on file: no redirect) and the balance grows.
    await act(async () => {
      await expect(view.credits.topUp('credit_topup')).resolves.toEqual({ kind: 'completed' });
    });
    expect(view.navigate).not.toHaveBeenCalled();
    expect(standIn.balance('user_1').remaining).toBe(41229);
    await waitFor(() => expect(view.credits.state.remaining).toBe(41229));
    expect(view.credits.topUpState.status).toBe('succeeded');
    expect(screen.getByRole('meter')).toHaveAttribute('aria-valuetext', '41,229 of 48,000 credits left');
  });
});

describe('AutumnCreditsProvider given the stand-in without a card on file', () => {
  let standIn: RunningAutumnStandIn;
  beforeAll(async () => {
    standIn = await startAutumnStandIn({ identify: () => ({ customerId: 'user_2' }) });
  });
  afterAll(() => standIn.close());

  afterEach(() => standIn.reset());

  function renderWithAutumn(props: { navigate: (url: string) => void; successUrl?: string }) {
    const latest: { current: CreditsContextValue | null } = { current: null };
    function Probe() {
      latest.current = useCredits();
      return <p>{latest.current.state.status}</p>;
    }
    render(
      <AutumnProvider backendUrl={standIn.url}>
        <AutumnCreditsProvider {...props}>
          <Probe />
        </AutumnCreditsProvider>
      </AutumnProvider>,
    );
    return latest;
  }

  it('sends the browser to the stand-in’s checkout URL through navigate', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const navigate = vi.fn();
    const latest = renderWithAutumn({ navigate });
    await screen.findByText('ready');

    await act(async () => {
      await latest.current!.topUp('credit_topup');
    });
    expect(navigate).toHaveBeenCalledTimes(1);
    expect(navigate.mock.calls[0]?.[0]).toMatch(new RegExp(`^${standIn.url}/checkout/`));
    expect(latest.current!.topUpState.status).toBe('redirecting');
    // Checkout returns to the current page by default.
    expect(standIn.checkouts().map((checkout) => checkout.successUrl)).toEqual([window.location.href]);
  });

  it('asks Autumn checkout to return to successUrl when given', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const latest = renderWithAutumn({ navigate: vi.fn(), successUrl: 'https://app.test/billing/done' });
    await screen.findByText('ready');
    await act(async () => {
      await latest.current!.topUp('credit_topup');
    });
    expect(standIn.checkouts().map((checkout) => checkout.successUrl)).toEqual(['https://app.test/billing/done']);
  });
});
