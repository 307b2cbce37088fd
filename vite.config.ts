/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';
import { playwright } from '@vitest/browser-playwright';
import { storybookTest } from '@storybook/addon-vitest/vitest-plugin';

/**
 * Vitest projects (all run by `npm test`):
 * - node:      pure core, server helper, the Autumn stand-in, package checks (`test/**\/*.test.ts`)
 * - dom:       React components in jsdom with Testing Library (`test/**\/*.test.tsx`)
 * - browser:   real Chromium (Debian's, never downloaded) for `test/browser/**\/*.browser.test.tsx`
 * - storybook: every story in `stories/` rendered in Chromium, its `play` run and axe checked (violations fail)
 *
 * The library build lives in `vite.lib.config.ts`.
 */

/** Debian's Chromium; set CHROMIUM_PATH to use another. */
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const chromium = playwright({
  launchOptions: {
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  },
});

// A factory, not a shared object: Vitest mutates `instances[i].name`, and one object in two projects fails with
// "project name 'browser (chromium)' was already defined".
const browser = () => ({
  enabled: true,
  headless: true,
  provider: chromium,
  instances: [{ browser: 'chromium' as const }],
});

export default defineConfig({
  plugins: [react()],
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/browser/**', 'node_modules/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'dom',
          environment: 'jsdom',
          include: ['test/**/*.test.tsx'],
          exclude: ['test/browser/**', 'node_modules/**'],
          setupFiles: ['test/setup-dom.ts'],
        },
      },
      {
        extends: true,
        plugins: [tailwindcss()],
        test: {
          name: 'browser',
          include: ['test/browser/**/*.browser.test.tsx'],
          setupFiles: ['test/browser/setup.ts'],
          browser: browser(),
        },
      },
      {
        extends: true,
        plugins: [tailwindcss(), storybookTest({ configDir: '.storybook' })],
        test: {
          name: 'storybook',
          browser: browser(),
          // A story's play waits up to 12 s for its first balance on a cold, busy machine (see the demo).
          testTimeout: 30_000,
        },
      },
    ],
  },
});
