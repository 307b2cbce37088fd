'use client';
// The credits sidebar on autumn-js/react: <AutumnProvider> talks to this app's /api/autumn/* (autumn-js's own
// backend handler, app/api/autumn/[...all]/route.ts); the kit's AutumnCreditsProvider reads the customer from it and
// buys top-ups through it (CreditBalance → CreditTopUpDialog → Autumn checkout). The page's content renders inside,
// so the chat can update this balance at once.
import type { ReactNode } from 'react';
import { AutumnProvider } from 'autumn-js/react';
import { CreditBalance, LowCreditWarning } from 'autumn-ai-credits';
import { AutumnCreditsProvider } from 'autumn-ai-credits/autumn';
import { LOCALE, credits } from '../credits';

export function CreditsShell({ children }: { children: ReactNode }) {
  return (
    <AutumnProvider>
      <AutumnCreditsProvider config={credits} locale={LOCALE}>
        <div className="app">
          <aside className="sidebar" aria-label="Credits">
            <CreditBalance />
            <LowCreditWarning size="compact" />
          </aside>
          <main className="content">{children}</main>
        </div>
      </AutumnCreditsProvider>
    </AutumnProvider>
  );
}
