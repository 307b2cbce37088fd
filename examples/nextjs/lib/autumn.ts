// Server-only helpers around Autumn. AUTUMN_URL points them at another Autumn (the driving script passes the kit's
// stand-in); unset, they talk to Autumn's own API.
import { createCreditMeter } from 'autumn-ai-credits/server';
import { credits } from '../credits';

/** Autumn's origin; undefined means Autumn's own API (`https://api.useautumn.com`). */
export const AUTUMN_URL = process.env.AUTUMN_URL || undefined;
/** Your Autumn secret key (`am_sk_…`). The fallback is the stand-in's, so `next build` runs without one. */
export const AUTUMN_SECRET_KEY = process.env.AUTUMN_SECRET_KEY ?? 'am_sk_test_stand_in';

/**
 * The signed-in customer, from a simulated server-side session. A real app reads it from its own session (a cookie
 * its auth library verifies) — never from the request body, a query string or a header the browser sets.
 */
export const CUSTOMER_ID = process.env.DEMO_CUSTOMER_ID ?? 'user_1';

export const meter = createCreditMeter({ secretKey: AUTUMN_SECRET_KEY, serverURL: AUTUMN_URL, config: credits });

/** The customer as Autumn returns it (`customers.get_or_create`), fed to `CreditsProvider` as is. */
export async function getCustomer(customerId: string): Promise<unknown> {
  const response = await fetch(`${AUTUMN_URL ?? 'https://api.useautumn.com'}/v1/customers.get_or_create`, {
    method: 'POST',
    headers: { authorization: `Bearer ${AUTUMN_SECRET_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ customer_id: customerId }),
    cache: 'no-store',
  });
  if (!response.ok) throw new Error(`Autumn answered ${response.status} for customers.get_or_create`);
  return response.json();
}
