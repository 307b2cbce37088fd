/**
 * The Autumn stand-in every story runs on: an in-memory Autumn behind MSW in the browser (service worker), so
 * `autumn-js/react` (through its backend handler at `/api/autumn/*`) and the server-side `autumn-js` SDK talk to it
 * unchanged. A card on file (`autoCompleteCheckout`), so a top-up completes in place instead of redirecting.
 *
 * Each story is its own customer (its story id, sent by the decorator's `AutumnProvider` in a header), so a docs
 * page that renders many stories at once shows each in its own state.
 */
import type { StandInCustomerSeed } from '../src/testing.js';
import { createAutumnStandIn } from '../src/testing.js';
import { autumnStandInHandlers } from '../src/testing/msw.js';

export const standIn = createAutumnStandIn({ autoCompleteCheckout: true });

/** Header carrying the story's customer id from the story's `AutumnProvider` to `identify`. */
export const STORY_CUSTOMER_HEADER = 'x-story-customer';

/** The customer a story runs as. */
export function storyCustomer(storyId: string): string {
  return `story_${storyId.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

export const standInHandlers = autumnStandInHandlers(standIn, {
  identify: (request) => {
    const customerId = request.headers.get(STORY_CUSTOMER_HEADER) ?? 'story_default';
    return { customerId, customerData: { name: 'Story User', email: 'story@example.test' } };
  },
});

/** Gives the story's customer a fresh state (events, locks and grants forgotten). */
export function seedStoryCustomer(storyId: string, seed: StandInCustomerSeed = {}): string {
  const customerId = storyCustomer(storyId);
  standIn.seedCustomer(customerId, { name: 'Story User', email: 'story@example.test', ...seed });
  return customerId;
}
