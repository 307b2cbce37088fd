/**
 * Issue 14: the React entry must load in an app on autumn-js 0.1.x (`@useautumn/convex`), where autumn-js/react has
 * no `useAutumnClient`. So the BUILT `dist/index.js` and every file it reaches import no autumn-js at all; the
 * provider that reads autumn-js/react is `dist/autumn.js` (autumn-ai-credits/autumn). Builds both entries in memory
 * with the library's own build config (what `npm run build` writes) and walks the emitted import graph, static and
 * dynamic imports alike.
 */
import { build, type Rollup } from 'vite';
import { beforeAll, describe, expect, it } from 'vitest';
import { LIBRARY_ENTRIES, libraryBuildConfig } from '../../vite.lib.config.js';

let chunks = new Map<string, Rollup.OutputChunk>();

beforeAll(async () => {
  const config = libraryBuildConfig({ entries: { index: LIBRARY_ENTRIES.index, autumn: LIBRARY_ENTRIES.autumn }, quiet: true });
  const output = await build({ ...config, configFile: false, build: { ...config.build, write: false } });
  const results = (Array.isArray(output) ? output : [output]) as Rollup.RollupOutput[];
  chunks = new Map(
    results
      .flatMap((result) => result.output)
      .filter((item): item is Rollup.OutputChunk => item.type === 'chunk')
      .map((chunk) => [chunk.fileName, chunk]),
  );
}, 60_000);

/** The files of the build an entry reaches and the bare packages they import. */
function importGraph(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (fileName: string): void => {
    if (files.has(fileName)) return;
    const chunk = chunks.get(fileName);
    if (!chunk) throw new Error(`no chunk ${fileName} in the build`);
    files.add(fileName);
    for (const id of [...chunk.imports, ...chunk.dynamicImports]) {
      if (chunks.has(id)) visit(id);
      else packages.add(id);
    }
  };
  visit(entry);
  return { files: [...files].sort(), packages: [...packages].sort() };
}

const isAutumnJs = (id: string) => /^autumn-js(\/|$)/.test(id);

describe('the built React entry (dist/index.js)', () => {
  it('imports no autumn-js, any subpath, through any file it reaches', () => {
    const { files, packages } = importGraph('index.js');
    expect(files.length).toBeGreaterThan(20);
    expect(packages.filter(isAutumnJs)).toEqual([]);
    for (const file of files) expect(chunks.get(file)!.code).not.toMatch(/from\s*['"]autumn-js|import\(\s*['"]autumn-js/);
  });

  it('reaches no file of the autumn entry', () => {
    expect(importGraph('index.js').files.filter((file) => file.startsWith('autumn'))).toEqual([]);
  });

  it('is no client module: a plain barrel, so a Server Component or a Route Handler calls the core through it (issue 13)', () => {
    expect(chunks.get('index.js')!.code).not.toMatch(USE_CLIENT);
  });
});

/** A directive at the very top of a built file (the build writes it on the first line, or not at all). */
const USE_CLIENT = /^\s*['"]use client['"]/;
const importsReact = (chunk: Rollup.OutputChunk) => chunk.imports.some((id) => /^react($|\/|-dom)/.test(id));
/** Modules that define hooks (`useX`) or components (PascalCase exports of a module that imports React); the entries only re-export them. */
const exportsHookOrComponent = (chunk: Rollup.OutputChunk) =>
  !chunk.isEntry && chunk.exports.some((name) => /^use[A-Z]/.test(name) || (importsReact(chunk) && /^[A-Z][a-z]/.test(name)));

describe("'use client' per module (issue 13: entries that respect React Server Components)", () => {
  it('is on every built module that defines a component or a hook', () => {
    const client = [...chunks.values()].filter(exportsHookOrComponent);
    expect(client.map((chunk) => chunk.fileName)).toEqual(
      expect.arrayContaining(['react/credits-provider.js', 'react/credits-context.js', 'react/components/credit-balance.js', 'autumn/autumn-credits-provider.js']),
    );
    for (const chunk of client) expect({ file: chunk.fileName, directive: USE_CLIENT.test(chunk.code) }).toEqual({ file: chunk.fileName, directive: true });
  });

  it('a client module exports components, hooks and contexts only: every other value (labels, variants, pure helpers) comes from a directive-free module', () => {
    // On the server every export of a 'use client' module is a client reference: a plain function or constant there
    // would throw when a Server Component called it. The one exception runs in the browser only by design.
    const BROWSER_ONLY = new Set(['preloadMessageCostBadgeTooltip']);
    const client = [...chunks.values()].filter((chunk) => USE_CLIENT.test(chunk.code));
    expect(client.length).toBeGreaterThan(8);
    const plainValues = client.flatMap((chunk) =>
      chunk.exports.filter((name) => !/^use[A-Z]/.test(name) && !/^[A-Z][a-z]/.test(name) && !BROWSER_ONLY.has(name)).map((name) => `${chunk.fileName}: ${name}`),
    );
    expect(plainValues).toEqual([]);
  });

  it('is on no entry and no module without React: the core (config, money, customer, formatters) stays callable on the server', () => {
    expect(USE_CLIENT.test(chunks.get('index.js')!.code)).toBe(false);
    expect(USE_CLIENT.test(chunks.get('autumn.js')!.code)).toBe(false);
    const plain = [...chunks.values()].filter((chunk) => !importsReact(chunk));
    expect(plain.map((chunk) => chunk.fileName)).toEqual(expect.arrayContaining(['core/config.js', 'core/money.js', 'core/customer.js', 'core/format.js']));
    for (const chunk of plain) expect({ file: chunk.fileName, directive: USE_CLIENT.test(chunk.code) }).toEqual({ file: chunk.fileName, directive: false });
  });
});

describe('the built autumn entry (dist/autumn.js, autumn-ai-credits/autumn)', () => {
  it('is a plain re-export, and the provider module under it is a client module', () => {
    expect(chunks.get('autumn.js')!.code).not.toMatch(USE_CLIENT);
    expect(chunks.get('autumn/autumn-credits-provider.js')!.code).toMatch(USE_CLIENT);
  });

  it('imports autumn-js/react only, and the React entry’s own provider and context files (one store for both)', () => {
    const { files, packages } = importGraph('autumn.js');
    expect(packages.filter(isAutumnJs)).toEqual(['autumn-js/react']);
    const shared = importGraph('index.js').files;
    expect(files).toEqual(expect.arrayContaining(['react/credits-provider.js', 'react/credits-context.js']));
    expect(shared).toEqual(expect.arrayContaining(['react/credits-provider.js', 'react/credits-context.js']));
  });
});

describe('what loads on first use only (issue 16)', () => {
  /** The files a module reaches through static imports alone: what an app loads with it up front. */
  function staticFiles(entry: string): string[] {
    const files = new Set<string>();
    const visit = (fileName: string): void => {
      if (files.has(fileName) || !chunks.has(fileName)) return;
      files.add(fileName);
      for (const id of chunks.get(fileName)!.imports) visit(id);
    };
    visit(entry);
    return [...files];
  }

  it.each(['react/components/credit-balance.js', 'react/components/low-credit-warning.js'])(
    '%s loads the top-up dialog when it is first opened, not with the component',
    (file) => {
      expect(staticFiles(file)).not.toContain('react/components/credit-top-up-dialog.js');
      expect(importGraph(file).files).toContain('react/components/credit-top-up-dialog.js');
    },
  );
});
