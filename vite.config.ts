/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * Vitest projects:
 * - node:  pure core, server helper and the Autumn stand-in (`test/**\/*.test.ts`)
 * - dom:   React components in jsdom with Testing Library (`test/**\/*.test.tsx`)
 * Browser (Chromium) and Storybook story projects are added in `vitest.browser.ts`-style blocks below.
 */
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
    ],
  },
});
