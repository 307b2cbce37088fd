/**
 * The Autumn stand-in every story runs on: an in-memory Autumn behind MSW in the browser (service worker), so
 * `autumn-js/react` (through its backend handler at `/api/autumn/*`) and the server-side `autumn-js` SDK talk to it
 * unchanged. A card on file (`autoCompleteCheckout`), so a top-up completes in place instead of redirecting.
 */
import { autumnStandInHandlers, createAutumnStandIn } from '../src/testing.js';

export const standIn = createAutumnStandIn({ autoCompleteCheckout: true });

/** The signed-in customer of every story. */
export const STORY_CUSTOMER = 'story_user';

export const standInHandlers = autumnStandInHandlers(standIn, {
  identify: () => ({ customerId: STORY_CUSTOMER, customerData: { name: 'Story User', email: 'story@example.test' } }),
});
