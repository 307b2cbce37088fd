/**
 * The ONE credits config, shared by the Convex functions and the React side (plans, top-ups, 4,000 credits = $1).
 * It must match the products in Autumn (`toAutumnConfigSource(credits)` writes an `autumn.config.ts` for `atmn push`).
 */
import { defineCredits } from 'autumn-ai-credits/server';

export const credits = defineCredits();

/** The chat model, as a Vercel AI Gateway id: `providerMetadata.gateway.cost` is what each step is billed. */
export const CHAT_MODEL = 'openai/gpt-5-mini';
/** The output ceiling passed to the model, so the pre-flight estimate is a ceiling too. */
export const MAX_OUTPUT_TOKENS = 1024;
