'use client';
/**
 * Your app's credits provider (a file you own): autumn-js's `<AutumnProvider>`, which talks to your server's
 * `autumnHandler` at `/api/autumn/*`, around the kit's `<AutumnCreditsProvider>`, which reads the signed-in customer's
 * balance from it and buys top-ups through Autumn checkout. Every credits component under it (`CreditBalance`,
 * `LowCreditWarning`, ...) and `useCredits()` read that one store.
 *
 * Render it once, high in the tree (in Next.js, in a client `providers.tsx` used by the root layout).
 */
import { AutumnProvider } from 'autumn-js/react';
import { AutumnCreditsProvider, type AutumnCreditsProviderProps } from 'autumn-ai-credits/autumn';
import { credits } from '@/lib/credits';

export type AppCreditsProviderProps = Omit<AutumnCreditsProviderProps, 'config'> & {
  /** Where your server mounts autumn-js's handler, when not on this origin. */
  backendUrl?: string | undefined;
};

export function AppCreditsProvider({ backendUrl, children, ...props }: AppCreditsProviderProps) {
  return (
    <AutumnProvider {...(backendUrl === undefined ? {} : { backendUrl })}>
      <AutumnCreditsProvider config={credits} {...props}>
        {children}
      </AutumnCreditsProvider>
    </AutumnProvider>
  );
}
