import { defineCredits } from 'autumn-ai-credits';

/**
 * Your app's ONE credits config: the Autumn feature that holds the credits, what a credit is worth, the plans and
 * the top-up packs. The page (the provider, the components) and your server (the meter, Route Handlers) import this
 * same object, so a price never differs between them. It has no `'use client'`: a Server Component can read it.
 *
 * `defineCredits()` with no argument is the kit's demo set-up (Free 8,000/mo, Pro $30 for 60,000/mo, a $10 top-up of
 * 40,000); pass your own, e.g. `defineCredits({ featureId: 'credits', creditsPerUsd: 1000, plans: [...] })`.
 */
export const credits = defineCredits();
