import type { StorybookConfig } from '@storybook/react-vite';
import tailwindcss from '@tailwindcss/vite';

/**
 * Storybook for the kit (`npm start`): every component in every state, on the built-in Autumn stand-in (MSW in the
 * browser, so no Autumn account and no network). Works offline: no telemetry, no "what's new", no update check.
 */
const config: StorybookConfig = {
  framework: { name: '@storybook/react-vite', options: {} },
  stories: ['../stories/**/*.stories.@(ts|tsx)'],
  addons: ['@storybook/addon-docs', '@storybook/addon-a11y', '@storybook/addon-vitest'],
  // MSW's service worker (public/mockServiceWorker.js, from `npx msw init ./public --save`).
  staticDirs: ['../public'],
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  // react-docgen (Babel), not react-docgen-typescript: TypeScript 7 has no JS compiler API for it.
  typescript: { reactDocgen: 'react-docgen' },
  async viteFinal(viteConfig) {
    const { mergeConfig } = await import('vite');
    return mergeConfig(viteConfig, {
      plugins: [tailwindcss()],
      // Pre-bundled up front: discovered lazily, they make Vite reload the page mid-test on a fresh clone.
      optimizeDeps: {
        include: [
          'autumn-js',
          'autumn-js/react',
          'autumn-js/fetch',
          'msw',
          'msw/browser',
          'msw-storybook-addon/csf3',
          '@radix-ui/react-dialog',
          '@radix-ui/react-slot',
          '@radix-ui/react-tooltip',
          'class-variance-authority',
          'clsx',
          'tailwind-merge',
          'react-dom/client',
        ],
      },
    });
  },
};

export default config;
