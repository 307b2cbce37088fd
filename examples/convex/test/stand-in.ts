/** The stand-in's test helpers, called over its control server (see global-setup.ts). */
import { inject } from 'vitest';
import type { StandInBalance, StandInCheckout, StandInCustomerSeed, StandInEvent, StandInFault } from 'autumn-ai-credits/testing';

async function call<T>(method: string, ...args: unknown[]): Promise<T> {
  const response = await fetch(`${inject('autumn').control}/${method}`, { method: 'POST', body: JSON.stringify(args) });
  const answer = (await response.json()) as { result?: T; error?: string };
  if (answer.error !== undefined) throw new Error(`stand-in ${method}: ${answer.error}`);
  return answer.result as T;
}

export const standIn = {
  seedCustomer: (id: string, seed?: StandInCustomerSeed) => call<void>('seedCustomer', id, seed),
  balance: (id: string) => call<StandInBalance>('balance', id),
  events: (id: string) => call<StandInEvent[]>('events', id),
  /** Ends Autumn's event lag: every tracked event reaches events.aggregate now (what waiting a few seconds does). */
  flush: () => call<void>('flush'),
  checkouts: () => call<StandInCheckout[]>('checkouts'),
  completeCheckout: (url: string) => call<void>('completeCheckout', url),
  injectFault: (route: string, fault: StandInFault, options?: { times?: number }) => call<void>('injectFault', route, fault, options),
  clearFaults: () => call<void>('clearFaults'),
};
