// The ONE credits config, shared by the server (the page, the chat route's meter) and the client components.
// A plain module (no 'use client', no 'server-only'): the kit's root entry runs on both sides.
import { defineCredits } from 'autumn-ai-credits';

export const credits = defineCredits(); // Free 8,000/mo, Pro $30 60,000/mo, Pro Annual, $10 top-up

/** The locale the page prints its own figure in, and the sidebar's (an explicit prop; the server-fed balance uses the kit's default, en-US with dates in UTC). */
export const LOCALE = 'en-US';
