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
  const config = libraryBuildConfig({ entries: { index: LIBRARY_ENTRIES.index, autumn: LIBRARY_ENTRIES.autumn }, declarations: false });
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

  it('is a client module', () => {
    expect(chunks.get('index.js')!.code).toMatch(/^'use client';/);
  });
});

describe('the built autumn entry (dist/autumn.js, autumn-ai-credits/autumn)', () => {
  it('is a client module, and so is the provider module under it', () => {
    expect(chunks.get('autumn.js')!.code).toMatch(/^'use client';/);
    expect(chunks.get('autumn/autumn-credits-provider.js')!.code).toMatch(/^\s*['"]use client['"]/);
  });

  it('imports autumn-js/react only, and the React entry’s own provider and context files (one store for both)', () => {
    const { files, packages } = importGraph('autumn.js');
    expect(packages.filter(isAutumnJs)).toEqual(['autumn-js/react']);
    const shared = importGraph('index.js').files;
    expect(files).toEqual(expect.arrayContaining(['react/credits-provider.js', 'react/credits-context.js']));
    expect(shared).toEqual(expect.arrayContaining(['react/credits-provider.js', 'react/credits-context.js']));
  });
});
