// A chat call metered through autumn-ai-credits/server: reserve before the model runs, settle with the gateway's
// cost after. The model call is simulated (no network here): it "answers" with the usage and the Vercel AI Gateway
// cost the client asks for, as `providerMetadata.gateway.cost` — what an AI SDK step carries.
import { BillingUnavailableError, InsufficientCreditsError } from 'autumn-ai-credits/server';
import { CUSTOMER_ID, meter } from '../../../lib/autumn';

const MODEL = 'openai/gpt-5-mini';

export async function POST(request: Request) {
  const { gatewayCost = '0.0123' } = (await request.json().catch(() => ({}))) as { gatewayCost?: string };

  let reservation;
  try {
    reservation = await meter.reserve({
      customerId: CUSTOMER_ID, // from YOUR session in a real app, never from the request body
      model: MODEL,
      promptTokens: 1200,
      maxOutputTokens: 4096, // the simulated reply below (2,400 output tokens) stays within it
      id: `msg_${crypto.randomUUID()}`,
    });
  } catch (error) {
    if (error instanceof InsufficientCreditsError) return Response.json(error.toJSON(), { status: 402 });
    if (error instanceof BillingUnavailableError) return Response.json({ error: { code: 'billing_unavailable' } }, { status: 503 });
    throw error;
  }

  // The simulated model step.
  const step = {
    usage: { inputTokens: 1200, outputTokens: 2400, totalTokens: 3600 },
    providerMetadata: { gateway: { cost: gatewayCost } },
  };
  const cost = await reservation.settle(step);
  return Response.json({ text: 'Hello from the simulated model.', cost });
}
