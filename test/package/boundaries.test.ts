/**
 * The layers stay apart, checked on the source import graph: the React entry never reaches server code (so no server
 * helper, and no secret it is handed, can end up in a client bundle), the server entry never reaches React or the
 * DOM, and the core imports nothing but itself.
 */
import { readFileSync, existsSync } from 'node:fs';
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

describe('the React entry (src/index.ts)', () => {
  it.skipIf(!existsSync(resolve(root, 'src/index.ts')))('reaches no server code and no Node built-in', () => {
    const { files, packages } = graph('src/index.ts');
    expect(rel(files).filter((file) => file.startsWith('src/server'))).toEqual([]);
    expect([...packages].filter((pkg) => pkg.startsWith('node:') || pkg === 'autumn-js' || pkg.startsWith('autumn-js/backend') || pkg.startsWith('autumn-js/fetch'))).toEqual([]);
  });
});

describe('the server entry (src/server.ts)', () => {
  it('reaches no React, no DOM package and no React code of the kit', () => {
    const { files, packages } = graph('src/server.ts');
    expect(rel(files).filter((file) => file.startsWith('src/react') || file.endsWith('.tsx'))).toEqual([]);
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
