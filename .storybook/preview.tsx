import * as React from 'react';
import type { Decorator, Preview } from '@storybook/react-vite';
import { mswLoader } from 'msw-storybook-addon/csf3';
import { standIn, standInHandlers, STORY_CUSTOMER } from './stand-in.js';
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
    <div className="bg-background p-4 text-foreground">
      <Story />
    </div>
  );
};

const preview: Preview = {
  tags: ['autodocs'],
  loaders: [mswLoader()],
  decorators: [withTheme],
  beforeEach() {
    // Every story starts from a fresh Autumn: the story customer on the free plan, no events, no faults.
    standIn.reset();
    standIn.seedCustomer(STORY_CUSTOMER);
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
