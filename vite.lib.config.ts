/**
 * The library build (`npm run build`): vite library mode, ESM only, one file per entry (`dist/index.js`,
 * `dist/server.js`, `dist/testing.js`) plus shared chunks, `.d.ts` files beside them (vite-plugin-dts, which uses
 * `@typescript/typescript6` for the compiler API that TypeScript 7 no longer has). Peers and Radix stay external,
 * so the app's bundler dedupes them. `dist/styles.css` is compiled apart by the Tailwind CLI
 * (`npm run build:css`, run from src/react so its automatic source detection sees the components only, not stories
 * or tests).
 */
import { defineConfig, type Plugin, type UserConfig } from 'vite';
import react from '@vitejs/plugin-react';
import dts from 'vite-plugin-dts';

/** Entry name → source. The names are the files in dist/ and match the package.json exports. */
export const LIBRARY_ENTRIES = {
  index: 'src/index.ts',
  server: 'src/server.ts',
  testing: 'src/testing.ts',
  'testing/msw': 'src/testing/msw.ts',
} as const;

/** Bare imports that stay imports: peers, Radix (a dependency, deduped by the app), MSW and Node built-ins. */
export const EXTERNAL = [
  /^react($|\/)/,
  /^react-dom($|\/)/,
  /^autumn-js($|\/)/,
  /^@radix-ui\//,
  /^msw($|\/)/,
  /^node:/,
  /^class-variance-authority$/,
  /^clsx$/,
  /^tailwind-merge$/,
];

/** Only the React entry is a client module for React Server Components; the server and testing entries are not. */
const CLIENT_ENTRY_FILE = 'index.js';
const USE_CLIENT = "'use client';";

/**
 * Bundlers drop module-level directives (`'use client'` in the sources means nothing once modules are merged), so
 * the directive is written again on top of `dist/index.js` only, after minification-free rendering.
 */
function useClientBanner(): Plugin {
  return {
    name: 'autumn-ai-credits:use-client-banner',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type === 'chunk' && chunk.isEntry && chunk.fileName === CLIENT_ENTRY_FILE) {
          chunk.code = `${USE_CLIENT}\n${chunk.code.replace(/^\s*(['"])use client\1;?\s*/, '')}`;
        }
      }
    },
  };
}

export interface LibraryBuildOptions {
  /** Which entries to build; default all of {@link LIBRARY_ENTRIES}. */
  readonly entries?: Partial<Record<keyof typeof LIBRARY_ENTRIES, string>>;
  /** Emit `.d.ts` files (slow: a full TypeScript program); default true. */
  readonly declarations?: boolean;
  readonly outDir?: string;
}

/** The build config; tests build the server entry in memory with it to check what it pulls in. */
export function libraryBuildConfig({ entries = LIBRARY_ENTRIES, declarations = true, outDir = 'dist' }: LibraryBuildOptions = {}): UserConfig {
  return {
    // public/ holds MSW's service worker for Storybook; it is not part of the package.
    publicDir: false,
    logLevel: declarations ? 'info' : 'warn',
    plugins: [
      react(),
      declarations ? dts({ tsconfigPath: './tsconfig.build.json', entryRoot: 'src', outDirs: outDir }) : null,
      useClientBanner(),
    ],
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      minify: false,
      sourcemap: false,
      lib: {
        entry: entries as Record<string, string>,
        formats: ['es'],
        fileName: (_format, name) => `${name}.js`,
      },
      rollupOptions: {
        external: (id) => EXTERNAL.some((pattern) => pattern.test(id)),
        output: { chunkFileNames: 'chunks/[name]-[hash].js' },
        onwarn(warning, warn) {
          // Directives are re-added by useClientBanner where they matter.
          if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
          warn(warning);
        },
      },
    },
  };
}

export default defineConfig(libraryBuildConfig());
