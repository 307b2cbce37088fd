import { render, screen, waitFor } from '@testing-library/react';
import { AutumnProvider, useCustomer } from 'autumn-js/react';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultCreditsConfig } from '../../src/core/config.js';
import { startAutumnStandIn, type RunningAutumnStandIn } from '../../src/testing.js';

const FEATURE = defaultCreditsConfig.featureId;

function Balance() {
  const { data, isLoading, check } = useCustomer();
  if (isLoading || !data) return <p>Loading</p>;
  const balance = data.balances[FEATURE];
  return (
    <div>
      <p data-testid="name">{data.name}</p>
      <p data-testid="remaining">{balance?.remaining}</p>
      <p data-testid="plan">{data.subscriptions.map((subscription) => subscription.planId).join(',')}</p>
      <p data-testid="can-spend-2000">{String(check({ featureId: FEATURE, requiredBalance: 2000 }).allowed)}</p>
    </div>
  );
}

describe('given autumn-js/react against the stand-in over a loopback server', () => {
  let standIn: RunningAutumnStandIn;

  beforeAll(async () => {
    standIn = await startAutumnStandIn({
      identify: () => ({ customerId: 'user_1', customerData: { name: 'Ada Lovelace', email: 'ada@example.com' } }),
    });
  });
  afterAll(async () => {
    await standIn.close();
  });

  it('AutumnProvider + useCustomer show the balance, and the local check() works', async () => {
    // autumn-js's backend handler logs every request URL; keep the output quiet.
    vi.spyOn(console, 'log').mockImplementation(() => {});
    standIn.seedCustomer('user_1', { name: 'Ada Lovelace', remaining: 1234.5 });

    render(
      <AutumnProvider backendUrl={standIn.url}>
        <Balance />
      </AutumnProvider>,
    );

    await waitFor(() => expect(screen.getByTestId('remaining')).toHaveTextContent('1234.5'));
    expect(screen.getByTestId('name')).toHaveTextContent('Ada Lovelace');
    expect(screen.getByTestId('plan')).toHaveTextContent('free');
    expect(screen.getByTestId('can-spend-2000')).toHaveTextContent('false');
  });

  it('creates the identified customer on first load, with the identify() data', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    standIn.reset();

    render(
      <AutumnProvider backendUrl={standIn.url}>
        <Balance />
      </AutumnProvider>,
    );

    await waitFor(() => expect(screen.getByTestId('remaining')).toHaveTextContent('8000'));
    expect(screen.getByTestId('name')).toHaveTextContent('Ada Lovelace');
    expect(screen.getByTestId('can-spend-2000')).toHaveTextContent('true');
    expect(standIn.balance('user_1').granted).toBe(8000);
  });
});
