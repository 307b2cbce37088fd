/**
 * The layers stay apart, checked on the source import graph: the React entry never reaches server code (so no server
 * helper, and no secret it is handed, can end up in a client bundle) nor autumn-js (so it loads next to autumn-js
 * 0.1.x and 1.3.x: issue 14), the server entry never reaches React or the DOM, and the core imports nothing but itself.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Static imports/re-exports at the start of a line (not inside strings), and dynamic `import('…')`. */
const IMPORT = /^\s*(?:import|export)\s+(?:type\s+)?(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;

/** Every file and bare package an entry reaches through value imports (type-only imports are erased). */
function graph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(IMPORT)) {
      const statement = match[0];
      if (/^\s*(?:import|export)\s+type\s/.test(statement)) continue;
      const specifier = match[1] ?? match[2]!;
      if (!specifier.startsWith('.')) {
        packages.add(specifier);
        continue;
      }
      const base = resolve(dirname(file), specifier.replace(/\.js$/, ''));
      const target = ['.ts', '.tsx', '/index.ts', '/index.tsx'].map((ext) => base + ext).find((candidate) => existsSync(candidate));
      if (!target) throw new Error(`${relative(root, file)}: cannot resolve ${specifier}`);
      visit(target);
    }
  };
  visit(resolve(root, entry));
  return { files, packages };
}

const rel = (files: Set<string>) => [...files].map((file) => relative(root, file));

const isAutumnJs = (pkg: string) => pkg === 'autumn-js' || pkg.startsWith('autumn-js/');

/** Every .ts/.tsx file under a folder of the repo. */
function sourcesUnder(folder: string): string[] {
  return readdirSync(resolve(root, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.tsx?$/.test(file))
    .map((file) => resolve(root, folder, file));
}

/** Bare packages one file imports, type-only imports included (a .d.ts naming autumn-js types needs it installed too). */
function packagesOf(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((match) => match[1] ?? match[2]!).filter((specifier) => !specifier.startsWith('.'));
}

describe('the React entry (src/index.ts)', () => {
  it.skipIf(!existsSync(resolve(root, 'src/index.ts')))('reaches no server code and no Node built-in', () => {
    const { files, packages } = graph('src/index.ts');
    expect(rel(files).filter((file) => file.startsWith('src/server'))).toEqual([]);
    expect([...packages].filter((pkg) => pkg.startsWith('node:'))).toEqual([]);
  });

  it('reaches no autumn-js at all, any subpath (autumn-js/react is autumn-ai-credits/autumn)', () => {
    const { files, packages } = graph('src/index.ts');
    expect([...packages].filter(isAutumnJs)).toEqual([]);
    expect(rel(files).filter((file) => file.startsWith('src/autumn'))).toEqual([]);
  });
});

describe('src/react and src/index.ts', () => {
  it('import no autumn-js, not even its types', () => {
    const offenders = [resolve(root, 'src/index.ts'), ...sourcesUnder('src/react')]
      .flatMap((file) => packagesOf(file).filter(isAutumnJs).map((pkg) => `${relative(root, file)}: ${pkg}`));
    expect(offenders).toEqual([]);
    expect(sourcesUnder('src/react').length).toBeGreaterThan(10);
  });
});

describe('the autumn entry (src/autumn.ts)', () => {
  it('feeds the React entry’s own store: it reaches the same provider and context modules, no second copy', () => {
    const { files, packages } = graph('src/autumn.ts');
    expect(rel(files)).toEqual(expect.arrayContaining(['src/react/credits-provider.tsx', 'src/react/credits-context.ts']));
    expect([...packages].filter(isAutumnJs)).toEqual(['autumn-js/react']);
  });

  it('reaches no server or testing code and no Node built-in', () => {
    const { files, packages } = graph('src/autumn.ts');
    expect(rel(files).filter((file) => /^src\/(server|testing)/.test(file))).toEqual([]);
    expect([...packages].filter((pkg) => pkg.startsWith('node:'))).toEqual([]);
  });
});

describe('the server entry (src/server.ts)', () => {
  it('reaches no React, no DOM package and no React code of the kit', () => {
    const { files, packages } = graph('src/server.ts');
    expect(rel(files).filter((file) => /^src\/(react|autumn)/.test(file) || file.endsWith('.tsx'))).toEqual([]);
    expect([...packages].filter((pkg) => /^(react|react-dom|@radix-ui\/)/.test(pkg))).toEqual([]);
  });
});

describe('the core (src/core)', () => {
  it('imports no package at all', () => {
    const { files, packages } = graph('src/core/index.ts');
    expect(rel(files).every((file) => file.startsWith('src/core/'))).toBe(true);
    expect([...packages]).toEqual([]);
  });
});

describe('the testing entry (src/testing.ts)', () => {
  it('loads without msw (an optional peer): the MSW handlers live in testing/msw', () => {
    const { packages } = graph('src/testing.ts');
    expect([...packages].filter((pkg) => pkg === 'msw' || pkg.startsWith('msw/'))).toEqual([]);
    expect(graph('src/testing/msw.ts').packages.has('msw')).toBe(true);
  });
});
