/**
 * Set-up of the Chromium project (`test/browser/**\/*.browser.test.tsx`): jest-dom matchers, cleanup between
 * tests, and console errors (React warnings, act() warnings) fail the test as they do in jsdom.
 */
import '@testing-library/jest-dom/vitest';
import { afterEach, beforeEach, vi } from 'vitest';
import { cleanup } from '@testing-library/react';

let consoleErrors: unknown[][] = [];
beforeEach(() => {
  consoleErrors = [];
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    consoleErrors.push(args);
  });
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  if (consoleErrors.length > 0) {
    const first = consoleErrors[0]?.map(String).join(' ') ?? '';
    consoleErrors = [];
    throw new Error(`console.error was called during the test: ${first}`);
  }
});
