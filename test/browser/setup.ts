/**
 * Set-up of the Chromium project (`test/browser/**\/*.browser.test.tsx`): jest-dom matchers, cleanup between
 * tests, and console errors (React warnings, act() warnings) fail the test as they do in jsdom.
 */
import '@testing-library/jest-dom/vitest';
import '../fail-on-console-error.js';
