/**
 * `autumn-ai-credits/testing/msw`: MSW request handlers that serve the Autumn stand-in in a browser (Storybook, a
 * demo) or under MSW's `setupServer` in Node. Apart from `autumn-ai-credits/testing` so that entry loads without
 * `msw` installed (msw is an optional peer).
 */
export { autumnStandInHandlers } from './stand-in/msw.js';
export type { AutumnStandInHandlersOptions } from './stand-in/types.js';
