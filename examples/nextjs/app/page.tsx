// A Server Component: the core runs here (the shared config, usdToCredits, a formatted figure), and the kit's client
// components render with a customer fetched on the server.
import { CreditBalance, CreditsProvider, MessageCostBadge, getFormatters, usdToCredits } from 'autumn-ai-credits';
import { LOCALE, credits } from '../credits';
import { CUSTOMER_ID, getCustomer } from '../lib/autumn';
import { ChatDemo } from './chat-demo';

// Reads the customer per request (the stand-in's URL is only known at run time).
export const dynamic = 'force-dynamic';

/** What one typical message costs at the gateway, in USD. */
const TYPICAL_USD = '0.0123';

export default async function Page() {
  const customer = await getCustomer(CUSTOMER_ID);
  const perMessage = usdToCredits(TYPICAL_USD, credits);
  const { credits: formatCredits } = getFormatters(LOCALE, credits.currency);
  return (
    <main>
      <h1>Credits</h1>
      <p data-testid="server-figure">
        A typical message (${TYPICAL_USD}) costs {formatCredits(perMessage)} credits.
      </p>
      <CreditsProvider customer={customer} config={credits} locale={LOCALE}>
        <CreditBalance topUp={false} />
        <p>
          Example badge: <MessageCostBadge credits={perMessage} usd={TYPICAL_USD} kind="estimate" />
        </p>
        <ChatDemo />
      </CreditsProvider>
    </main>
  );
}
