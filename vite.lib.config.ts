/**
 * The library build (`npm run build`): vite library mode, ESM only, the entries (`dist/index.js`, `dist/autumn.js`,
 * `dist/server.js`, `dist/testing.js`, `dist/testing/msw.js`) and one file per source module under them. The `.d.ts`
 * files beside them come from TypeScript 7's own declaration emit (`npm run build:types`, tsconfig.build.json), run
 * after this build, which empties dist/. Peers and Radix stay external,
 * so the app's bundler dedupes them. `dist/styles.css` is compiled apart by the Tailwind CLI
 * (`npm run build:css`, run from src/react so its automatic source detection sees the components only, not stories
 * or tests).
 */
import { existsSync, readFileSync } from 'node:fs';
import { defineConfig, type Plugin, type UserConfig } from 'vite';
import react from '@vitejs/plugin-react';

/** Entry name → source. The names are the files in dist/ and match the package.json exports. */
export const LIBRARY_ENTRIES = {
  index: 'src/index.ts',
  autumn: 'src/autumn.ts',
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

const USE_CLIENT = "'use client';";
const DIRECTIVE = /^(?:\s*(?:\/\/[^\n]*\n|\/\*[\s\S]*?\*\/))*\s*(['"])use client\1;?/;

/** Whether a source file starts with a `'use client'` directive (after comments). */
function hasUseClient(file: string): boolean {
  return existsSync(file) && DIRECTIVE.test(readFileSync(file, 'utf8'));
}

/**
 * `'use client'` per module, for React Server Components (issue 13): a built file carries the directive exactly when
 * its source module does — the components, the hooks, the providers and their contexts. The entries
 * (`dist/index.js`, `dist/autumn.js`) are plain re-exports with none, and so are the core (config, money, customer,
 * formatters), the React helpers without React (message cost, insufficient credits, labels), the server and the
 * testing entries. So a Server Component or a Route Handler calls `defineCredits()`, `usdToCredits()` and the rest of
 * the core through the root entry, and gets a client reference for a component or a hook, as React intends.
 */
function useClientPerModule(): Plugin {
  return {
    name: 'autumn-ai-credits:use-client-per-module',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        const body = chunk.code.replace(/^\s*(['"])use client\1;?[ \t]*\n?/, '');
        const source = chunk.facadeModuleId;
        chunk.code = source && hasUseClient(source) ? `${USE_CLIENT}\n${body}` : body;
      }
    },
  };
}

export interface LibraryBuildOptions {
  /** Which entries to build; default all of {@link LIBRARY_ENTRIES}. */
  readonly entries?: Partial<Record<keyof typeof LIBRARY_ENTRIES, string>>;
  readonly outDir?: string;
  /** Log warnings only (the tests' in-memory builds); default false. */
  readonly quiet?: boolean;
}

/** The build config; tests build the server entry in memory with it to check what it pulls in. */
export function libraryBuildConfig({ entries = LIBRARY_ENTRIES, outDir = 'dist', quiet = false }: LibraryBuildOptions = {}): UserConfig {
  return {
    // public/ holds MSW's service worker for Storybook; it is not part of the package.
    publicDir: false,
    logLevel: quiet ? 'warn' : 'info',
    plugins: [react(), useClientPerModule()],
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
        // Module files import their constants rather than copy them: inlined, they left a bare
        // `import "./config.js"` behind (kept for execution order), which app bundlers warn about.
        optimization: { inlineConst: false },
        external: (id) => EXTERNAL.some((pattern) => pattern.test(id)),
        // One file per source module (dist/react/components/message-cost-badge.js, ...): with `sideEffects` false for
        // JS, an app's bundler drops every module an import does not reach, whole. Merged into one file, module-level
        // calls (\`createContext\`, \`cva\`, \`Object.freeze\`, \`displayName =\`) would keep every component alive.
        output: { preserveModules: true, preserveModulesRoot: 'src', entryFileNames: '[name].js' },
        onwarn(warning, warn) {
          // Directives are written back per module by useClientPerModule.
          if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
          warn(warning);
        },
      },
    },
  };
}

export default defineConfig(libraryBuildConfig());
