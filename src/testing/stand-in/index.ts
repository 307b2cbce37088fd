/**
 * The in-memory Autumn stand-in: `createAutumnStandIn` (fetch handler, works anywhere), `startAutumnStandIn`
 * (loopback HTTP server, Node only, loads `node:http` lazily). The MSW handlers for the browser / Storybook are
 * in `autumn-ai-credits/testing/msw` (`src/testing/msw.ts`), so this entry never needs msw.
 */
export {
  createAutumnStandIn,
  STAND_IN_EPOCH,
  DEFAULT_STAND_IN_SECRET_KEY,
  DEFAULT_STAND_IN_ORIGIN,
  DEFAULT_EVENT_DELAY_MS,
  DEFAULT_ASYNC_TRACK_DELAY_MS,
} from './stand-in.js';
export { startAutumnStandIn } from './server.js';
export type {
  AutumnStandIn,
  AutumnStandInOptions,
  AutumnStandInHandlersOptions,
  RunningAutumnStandIn,
  StandInBalance,
  StandInCheckout,
  StandInClock,
  StandInCustomerSeed,
  StandInEvent,
  StandInFault,
  StandInFaultOptions,
  StandInFaults,
  StandInIdentify,
  StandInIdentity,
  StandInInvoice,
  StandInWebhook,
  StandInWebhookType,
  StartAutumnStandInOptions,
} from './types.js';
