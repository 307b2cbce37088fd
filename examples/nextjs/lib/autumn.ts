// Server-only helpers around Autumn (here: the kit's stand-in, whose URL the driving script passes as AUTUMN_URL).
import { createCreditMeter } from 'autumn-ai-credits/server';
import { credits } from '../credits';

export const AUTUMN_URL = process.env.AUTUMN_URL ?? 'http://127.0.0.1:4100';
export const AUTUMN_SECRET_KEY = process.env.AUTUMN_SECRET_KEY ?? 'am_sk_test_stand_in';
/** The signed-in customer. A real app takes it from its session, never from the request. */
export const CUSTOMER_ID = process.env.DEMO_CUSTOMER_ID ?? 'user_1';

export const meter = createCreditMeter({ secretKey: AUTUMN_SECRET_KEY, serverURL: AUTUMN_URL, config: credits });

/** The customer as Autumn returns it (`customers.get_or_create`), fed to `CreditsProvider` as is. */
export async function getCustomer(customerId: string): Promise<unknown> {
  const response = await fetch(`${AUTUMN_URL}/v1/customers.get_or_create`, {
    method: 'POST',
    headers: { authorization: `Bearer ${AUTUMN_SECRET_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ customer_id: customerId }),
    cache: 'no-store',
  });
  if (!response.ok) throw new Error(`Autumn answered ${response.status} for customers.get_or_create`);
  return response.json();
}
