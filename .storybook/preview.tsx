import * as React from 'react';
import type { Decorator, Preview } from '@storybook/react-vite';
import { mswLoader } from 'msw-storybook-addon/csf3';
import { creditsParameters, withCredits } from './credits-decorator.js';
import { seedStoryCustomer, standInHandlers } from './stand-in.js';
import './preview.css';

/** The toolbar's colour scheme → the `.dark` class on the root element, which the kit's theme variables key off. */
const withTheme: Decorator = (Story, context) => {
  const dark = context.globals.theme === 'dark';
  React.useLayoutEffect(() => {
    const root = document.documentElement;
    root.classList.toggle('dark', dark);
    root.style.colorScheme = dark ? 'dark' : 'light';
  }, [dark]);
  return (
    <div className="bg-credits-background p-4 text-credits-foreground">
      <Story />
    </div>
  );
};

const preview: Preview = {
  tags: ['autodocs'],
  loaders: [mswLoader()],
  // Later decorators wrap earlier ones: the theme is outermost, the provider inside it.
  decorators: [withCredits, withTheme],
  beforeEach(context) {
    // Every story is its own customer, seeded fresh from `parameters.credits.seed` (default: the free plan, full).
    const options = creditsParameters(context);
    if (options.source === undefined || options.source === 'stand-in') seedStoryCustomer(context.id, options.seed);
  },
  globalTypes: {
    theme: {
      description: 'Colour scheme',
      toolbar: {
        title: 'Theme',
        icon: 'mirror',
        items: [
          { value: 'light', title: 'Light', icon: 'sun' },
          { value: 'dark', title: 'Dark', icon: 'moon' },
        ],
        dynamicTitle: true,
      },
    },
    locale: {
      description: 'Locale for numbers and money',
      toolbar: {
        title: 'Locale',
        icon: 'globe',
        items: [
          { value: 'en-US', title: 'English (US)' },
          { value: 'de-DE', title: 'Deutsch' },
          { value: 'ja-JP', title: '日本語' },
        ],
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: { theme: 'light', locale: 'en-US' },
  parameters: {
    layout: 'centered',
    msw: standInHandlers,
    a11y: { test: 'error' },
    controls: { matchers: { color: /(background|color)$/i } },
  },
};

export default preview;
