/**
 * The shadcn registry (issue 16, docs/registry.md): `registry.json` and the component sources in registry/credits/,
 * generated from src/react/components/ by scripts/build-registry.mjs, must be current, and every import of those files
 * must resolve in an app: `@/lib/utils` (shadcn's cn), a sibling item file, or a name the package root exports. The
 * end-to-end proof (a fresh shadcn/ui app adds the built items, type-checks, builds and renders them) is
 * scripts/example-shadcn.mjs in CI.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPONENT_ITEMS, NAMESPACE, PACKAGE, ROOT, TAILWIND_IMPORT, UTILS, generateRegistry, rewriteModule, staleFiles } from '../../scripts/build-registry.mjs';

const generated = generateRegistry();
const { items } = generated.registry;

/** `import { a, type B, c as d } from '<specifier>'` statements of a source: [imported name, type-only] pairs. */
function importsFrom(source: string, specifier: string): { name: string; type: boolean }[] {
  const statements = source.matchAll(/^import(\s+type)?\s+\{([^}]*)\}\s+from\s+'([^']+)';/gm);
  return [...statements]
    .filter((match) => match[3] === specifier)
    .flatMap((match) =>
      match[2]!
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean)
        .map((part) => ({ name: part.replace(/^type\s+/, '').split(/\s+as\s+/)[0]!, type: Boolean(match[1]) || part.startsWith('type ') })),
    );
}

describe('the shadcn registry (registry.json, registry/credits/)', () => {
  it('is up to date with src/react/components (after changing a component: npm run build:registry, and commit what it wrote)', () => {
    expect(staleFiles(generated)).toEqual([]);
  });

  it('has the provider item and one item per component; registry dependencies name items of this registry', () => {
    expect(items.map((item) => item.name)).toEqual(['credits-provider', ...COMPONENT_ITEMS.map((item) => item.name)]);
    const names = new Set(items.map((item) => item.name));
    for (const item of items) {
      for (const dependency of item.registryDependencies ?? []) {
        expect(dependency.startsWith(`${NAMESPACE}/`)).toBe(true);
        expect(names.has(dependency.slice(NAMESPACE.length + 1))).toBe(true);
      }
      expect(item.dependencies[0]).toBe(PACKAGE);
      expect(item.css).toEqual({ [TAILWIND_IMPORT]: {} });
      for (const file of item.files) {
        expect(existsSync(join(ROOT, file.path)), file.path).toBe(true);
        expect(file.target).toMatch(/^@(components\/credits|lib)\/[\w-]+\.tsx?$/);
      }
    }
    // The balance and the warning open the app's own top-up dialog, not the package's.
    const dependsOnDialog = items.filter((item) => item.registryDependencies?.includes(`${NAMESPACE}/credit-top-up-dialog`)).map((item) => item.name);
    expect(dependsOnDialog).toEqual(expect.arrayContaining(['credit-balance', 'low-credit-warning']));
  });

  it('lists in each item the packages its files import (Radix, cva), never React', () => {
    for (const item of items.filter((entry) => entry.name !== 'credits-provider')) {
      const imported = new Set<string>();
      for (const file of item.files) {
        for (const match of generated.sources.get(file.path)!.matchAll(/^import\s[^;]*?from\s+'([^'.@][^']*|@(?!\/)[^']*)';/gm)) {
          const specifier = match[1]!;
          imported.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!);
        }
      }
      imported.delete('react');
      expect([...imported].sort(), item.name).toEqual([...item.dependencies].sort());
    }
  });

  it(`imports, besides its own files and ${UTILS}, only names that the package root exports`, async () => {
    const root = new Set(Object.keys(await import('../../src/index.js')));
    const missing: string[] = [];
    for (const [path, source] of generated.sources) {
      for (const statement of source.matchAll(/^(?:import|export)[^;]*?from\s+'([^']+)';/gm)) {
        const specifier = statement[1]!;
        expect(specifier === PACKAGE || specifier === UTILS || /^\.\/[\w-]+$/.test(specifier) || !specifier.startsWith('.'), `${path}: ${specifier}`).toBe(true);
        if (specifier.startsWith('./')) expect(generated.sources.has(`registry/credits/${specifier.slice(2)}.tsx`) || generated.sources.has(`registry/credits/${specifier.slice(2)}.ts`), `${path}: ${specifier}`).toBe(true);
      }
      // Values are checked here at run time; types by the type check below.
      for (const { name, type } of importsFrom(source, PACKAGE)) if (!type && !root.has(name)) missing.push(`${path}: ${name}`);
      expect(importsFrom(source, UTILS).map((spec) => spec.name)).toEqual(source.includes(`from '${UTILS}'`) ? ['cn'] : []);
    }
    expect(missing).toEqual([]);
  });

  it('uses every building block the root exports for it (src/index.ts: a block no registry file imports any more goes)', () => {
    const index = readFileSync(join(ROOT, 'src/index.ts'), 'utf8');
    const start = index.indexOf('// Building blocks for registry components');
    expect(start).toBeGreaterThan(-1);
    const block = index.slice(start).split(/\n\s*\n/)[0]!;
    const blocks = [...block.matchAll(/^export \{([^}]*)\} from/gm)].flatMap((match) => match[1]!.split(',').map((name) => name.trim()).filter(Boolean));
    expect(blocks.length).toBeGreaterThan(0);
    const imported = new Set([...generated.sources.values()].flatMap((source) => importsFrom(source, PACKAGE).map((spec) => spec.name)));
    expect(blocks.filter((name) => !imported.has(name))).toEqual([]);
  });

  it("type-checks against the package's source under the flags of shadcn's Vite template (noUnusedLocals, noUnusedParameters, erasableSyntaxOnly)", () => {
    const result = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', 'tsconfig.registry.json'], { cwd: ROOT, encoding: 'utf8' });
    // Only the registry's files count: the kit's own source is checked by `npm run typecheck` under its own flags.
    const errors = `${result.stdout}${result.stderr}`.split('\n').filter((line) => line.startsWith('registry/'));
    expect(errors).toEqual([]);
  }, 120_000);
});

describe('rewriteModule (a component file → its registry source)', () => {
  const file = 'src/react/components/credit-balance.tsx';

  it("merges the kit's relative imports into one import from the package, types as `type`, cn from shadcn's utils, siblings without .js", () => {
    const source = [
      "'use client';",
      "import * as React from 'react';",
      "import type { CreditsConfig } from '../../core/config.js';",
      "import { normalizeCustomer, type CreditState } from '../../core/customer.js';",
      "import { cn } from '../lib/cn.js';",
      '// Only the hook: the context stays internal.',
      "import { useCredits } from '../credits-context.js';",
      "import { CreditTopUpDialog } from './credit-top-up-dialog.js';",
      "type Lazy = typeof import('./message-cost-badge-tooltip.js');",
      "const load = () => import('./message-cost-badge-tooltip.js');",
      '',
    ].join('\n');
    const { text, siblings, packages } = rewriteModule(file, source);
    expect(text).toBe(
      [
        "'use client';",
        "import * as React from 'react';",
        "import { normalizeCustomer, useCredits, type CreditsConfig, type CreditState } from 'autumn-ai-credits';",
        "import { cn } from '@/lib/utils';",
        "import { CreditTopUpDialog } from './credit-top-up-dialog';",
        "type Lazy = typeof import('./message-cost-badge-tooltip');",
        "const load = () => import('./message-cost-badge-tooltip');",
        '',
      ].join('\n'),
    );
    expect(siblings.sort()).toEqual(['src/react/components/credit-top-up-dialog.tsx', 'src/react/components/message-cost-badge-tooltip.tsx']);
    expect(packages).toEqual([]);
  });

  it('writes `import type` when every name is a type', () => {
    const { text } = rewriteModule(file, "import type { CreditsConfig } from '../../core/config.js';\nimport { type CreditState } from '../../core/customer.js';\n");
    expect(text).toBe("import type { CreditsConfig, CreditState } from 'autumn-ai-credits';\n");
  });

  it('refuses what it cannot carry: a namespace import of a kit module, an unresolvable path', () => {
    expect(() => rewriteModule(file, "import * as money from '../../core/money.js';\n")).toThrow(/only named imports/);
    expect(() => rewriteModule(file, "import { x } from '../lib/nowhere.js';\n")).toThrow(/cannot resolve/);
  });
});
