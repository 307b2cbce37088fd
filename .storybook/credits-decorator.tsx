/**
 * Wraps every story in the kit's provider. Pick the source with `parameters.credits`:
 *
 * - `{ source: 'stand-in', seed? }` (default): `AutumnProvider` + `AutumnCreditsProvider` (from
 *   `autumn-ai-credits/autumn`) exactly as in an app, talking to the in-memory Autumn through MSW; `seed` is the
 *   story customer's state (`{ remaining: 120 }`, `{ planId: 'pro_monthly', usage: 61_000 }`…), applied before the
 *   story renders. Set seeds on stories, not on the component's meta: Storybook merges parameters deeply, so
 *   `{ remaining }` and `{ usage }` would mix.
 * - `{ source: 'test', props }`: `CreditsTestProvider` (no network) for states the stand-in cannot hold still,
 *   such as loading forever or an unlimited plan.
 * - `{ source: 'none' }`: no provider, for presentational views given plain props.
 *
 * The toolbar's locale goes to the provider, so every number follows it.
 */
import * as React from 'react';
import type { Decorator } from '@storybook/react-vite';
import { AutumnProvider } from 'autumn-js/react';
import { AutumnCreditsProvider } from '../src/autumn.js';
import { CreditsTestProvider, type CreditsTestProviderProps, type StandInCustomerSeed } from '../src/testing.js';
import { STORY_CUSTOMER_HEADER, storyCustomer } from './stand-in.js';

export type CreditsStoryParameters =
  | { readonly source?: 'stand-in'; readonly seed?: StandInCustomerSeed }
  | { readonly source: 'test'; readonly props?: Omit<CreditsTestProviderProps, 'children'> }
  | { readonly source: 'none' };

/** Checkout redirects in stories are logged, never followed (the stand-in's checkout lives on a made-up origin). */
function storyNavigate(url: string): void {
  console.info(`[story] would navigate to checkout: ${url}`);
}

export function creditsParameters(context: { parameters: Record<string, unknown> }): CreditsStoryParameters {
  return (context.parameters.credits as CreditsStoryParameters | undefined) ?? { source: 'stand-in' };
}

export const withCredits: Decorator = (Story, context) => {
  const options = creditsParameters(context);
  const locale = typeof context.globals.locale === 'string' ? context.globals.locale : undefined;
  if (options.source === 'none') return <Story />;
  if (options.source === 'test') {
    return (
      <CreditsTestProvider locale={locale} {...options.props}>
        <Story />
      </CreditsTestProvider>
    );
  }
  return (
    // Keyed by story: a new story starts with a fresh autumn-js query cache.
    <AutumnProvider key={context.id} headers={{ [STORY_CUSTOMER_HEADER]: storyCustomer(context.id) }}>
      <AutumnCreditsProvider locale={locale} navigate={storyNavigate}>
        <Story />
      </AutumnCreditsProvider>
    </AutumnProvider>
  );
};
