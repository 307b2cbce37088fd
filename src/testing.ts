/**
 * `autumn-ai-credits/testing`: an in-memory Autumn for tests, Storybook and demos. Importable in a browser:
 * Node-only parts (the loopback HTTP server) load `node:http` lazily.
 */
export * from './core/index.js';
export * from './testing/stand-in/index.js';
export {
  CreditsTestProvider,
  creditsWrapper,
  TEST_CUSTOMER_ID,
  type CreditsTestProviderProps,
} from './testing/credits-test-provider.js';
