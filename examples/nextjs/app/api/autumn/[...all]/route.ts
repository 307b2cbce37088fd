// autumn-js's own backend handler: what <AutumnProvider> (autumn-js/react) in the sidebar talks to —
// /api/autumn/getOrCreateCustomer, /api/autumn/attach… — proxied to Autumn with the secret key, for the customer of
// the server-side session. The customer id never comes from the request.
import { autumnHandler } from 'autumn-js/fetch';
import { AUTUMN_SECRET_KEY, AUTUMN_URL, CUSTOMER_ID } from '../../../../lib/autumn';

const handler = autumnHandler({
  identify: () => ({ customerId: CUSTOMER_ID }), // a real app: the id of its session's user
  secretKey: AUTUMN_SECRET_KEY,
  autumnURL: AUTUMN_URL,
});

export const GET = (request: Request) => handler(request);
export const POST = (request: Request) => handler(request);
