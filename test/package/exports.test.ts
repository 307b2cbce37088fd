/**
 * The public surface of each entry, as a snapshot: adding, renaming or removing an export shows up in review as a
 * change to `__snapshots__/exports.test.ts.snap` (run `npx vitest run test/package/exports.test.ts -u` when the
 * change is intended). Also checks that every entry in package.json `exports` has its source entry.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LIBRARY_ENTRIES } from '../../vite.lib.config.js';

const ENTRIES = {
  'autumn-ai-credits': () => import('../../src/index.js'),
  'autumn-ai-credits/autumn': () => import('../../src/autumn.js'),
  'autumn-ai-credits/server': () => import('../../src/server.js'),
  'autumn-ai-credits/testing': () => import('../../src/testing.js'),
  'autumn-ai-credits/testing/msw': () => import('../../src/testing/msw.js'),
} as const;

function exportNames(module: Record<string, unknown>): string[] {
  return Object.keys(module).sort();
}

describe('the package entries', () => {
  for (const [specifier, load] of Object.entries(ENTRIES)) {
    it(`${specifier} exports the documented names`, async () => {
      const names = exportNames(await load());
      expect(names).toMatchSnapshot();
      expect(names).not.toContain('default');
    });
  }

  it('builds exactly the entries package.json exports, each with its types', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      exports: Record<string, string | { types: string; import: string }>;
      sideEffects: string[];
    };
    const jsExports = Object.entries(pkg.exports).filter(([key, value]) => typeof value === 'object' && key !== './package.json');
    expect(jsExports.map(([key, value]) => [key, value])).toEqual(
      Object.keys(LIBRARY_ENTRIES).map((name) => [
        name === 'index' ? '.' : `./${name}`,
        { types: `./dist/${name}.d.ts`, import: `./dist/${name}.js` },
      ]),
    );
    expect(pkg.exports['./styles.css']).toBe('./dist/styles.css');
    // For Tailwind v4 apps: `@import "autumn-ai-credits/tailwind.css";` after `@import "tailwindcss";`.
    expect(pkg.exports['./tailwind.css']).toBe('./dist/tailwind.css');
  });

  it('declares only stylesheets as side effects, so unused components are tree-shaken', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { sideEffects: unknown };
    expect(pkg.sideEffects).toEqual(['**/*.css']);
  });
});
