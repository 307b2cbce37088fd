import { defineConfig } from 'vitest/config';

/**
 * Two projects, one Autumn stand-in each (test/global-setup.ts):
 * - convex: the Convex functions in convex-test (edge-runtime, like Convex's own runtime), the real
 *   `@convex-dev/agent`, `@useautumn/convex` → autumn-js 0.1.85 → HTTP → the stand-in, and `ai/test` mock models;
 * - ui: the kit's React components in jsdom, fed by the same functions' results.
 */
export default defineConfig({
  test: {
    globalSetup: ['./test/global-setup.ts'],
    server: { deps: { inline: ['convex-test'] } },
    projects: [
      {
        extends: true,
        // One file at a time: they share the stand-in, and a fault injected for one test must not hit another file.
        test: { name: 'convex', environment: 'edge-runtime', include: ['test/**/*.test.ts'], setupFiles: ['./test/setup.ts'], fileParallelism: false },
      },
      {
        extends: true,
        test: { name: 'ui', environment: 'jsdom', include: ['test/**/*.test.tsx'], setupFiles: ['./test/setup.ts', './test/setup-dom.ts'] },
      },
    ],
  },
});
