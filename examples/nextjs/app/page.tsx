// A Server Component: the core runs here (the shared config, usdToCredits, a formatted figure), and the kit's client
// components render with a customer fetched on the server — in the HTML already, no loading flash. Around it, the
// credits sidebar on autumn-js/react (app/credits-shell.tsx) and the chat (app/chat-demo.tsx).
import { CreditBalance, CreditsProvider, MessageCostBadge, getFormatters, usdToCredits } from 'autumn-ai-credits';
import { LOCALE, credits } from '../credits';
import { CUSTOMER_ID, getCustomer } from '../lib/autumn';
import { ChatDemo } from './chat-demo';
import { CreditsShell } from './credits-shell';

// Reads the customer per request (the stand-in's URL is only known at run time).
export const dynamic = 'force-dynamic';

/** What one typical message costs at the gateway, in USD. */
const TYPICAL_USD = '0.0123';

export default async function Page() {
  const customer = await getCustomer(CUSTOMER_ID); // the session's customer, as in the Route Handlers
  const perMessage = usdToCredits(TYPICAL_USD, credits);
  const { credits: formatCredits } = getFormatters(LOCALE, credits.currency);
  return (
    <CreditsShell>
      <h1>Credits</h1>
      <p data-testid="server-figure">
        A typical message (${TYPICAL_USD}) costs {formatCredits(perMessage)} credits.
      </p>
      <section className="card" data-testid="server-balance" aria-label="Rendered on the server">
        <h2>Rendered on the server</h2>
        {/* No locale or timeZone here or on the provider: the kit's defaults (en-US, dates in UTC) print the same
            HTML on the server and in any browser — the "Resets <date>" line included. */}
        <CreditsProvider customer={customer} config={credits}>
          <CreditBalance topUp={false} />
          <p>
            Example badge: <MessageCostBadge credits={perMessage} usd={TYPICAL_USD} kind="estimate" />
          </p>
        </CreditsProvider>
      </section>
      <ChatDemo />
    </CreditsShell>
  );
}
