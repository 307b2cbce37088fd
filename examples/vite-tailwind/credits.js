// @ts-check
// The ONE credits config, shared by the page (src/) and the server (server.js).
import { defineCredits } from 'autumn-ai-credits';

export const credits = defineCredits(); // Free 8,000/mo, Pro $30 60,000/mo, Pro Annual, $10 top-up of 40,000

/** One locale for every number the page prints. */
export const LOCALE = 'en-US';
