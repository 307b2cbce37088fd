/**
 * `AutumnCreditsProvider` (autumn-ai-credits/autumn) needs autumn-js 1.3.x. Here `autumn-js/react` is autumn-js
 * 0.1.85 (the version `@useautumn/convex` brings, installed as `autumn-js-0`), which has no `useAutumnClient`: the
 * provider must say what to use instead, not fail with "useAutumnClient is not a function". The React entry itself
 * never imports autumn-js (test/package/boundaries.test.ts, test/package/client-bundles.test.ts).
 */
import { render } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { CreditsError } from '../../src/core/errors.js';

vi.mock('autumn-js/react', async () => {
  const legacy = await import('autumn-js-0/react');
  // What a bundler leaves for an export the module does not have; Vitest's mock would throw on the missing key.
  return { ...legacy, useAutumnClient: undefined };
});

describe('AutumnCreditsProvider with autumn-js 0.1.x installed', () => {
  it('the installed autumn-js/react is 0.1.x: useCustomer but no useAutumnClient', async () => {
    const react = (await import('autumn-js/react')) as Record<string, unknown>;
    expect(typeof react.useCustomer).toBe('function');
    expect(react.useAutumnClient).toBeUndefined();
  });

  it('throws a CreditsError pointing to CreditsProvider with a customer', async () => {
    const { AutumnCreditsProvider } = await import('../../src/autumn.js');
    // React reports the thrown render error with console.error; that is the point here.
    vi.mocked(console.error).mockImplementation(() => {});
    let error: unknown;
    try {
      render(<AutumnCreditsProvider />);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CreditsError);
    expect((error as CreditsError).code).toBe('invalid_config');
    expect((error as CreditsError).message).toMatch(/needs autumn-js 1\.3\.x.*<CreditsProvider customer=\{\.\.\.\}> from 'autumn-ai-credits'/s);
  });
});
